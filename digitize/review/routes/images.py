"""An item's images, addressed by queue item id only: the word, its line, its page; a table
cell with its headers.

A reviewer sees the images of the item they hold, an admin those of any item; the pixels come
from ``review.crops``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ...store.queue import QueueItem
from ...store.users import User
from ..crops import cell_png, line_png, page_png, word_png
from ..web import Auth, NotAllowed, NotFoundError, reviewer_api, state

router = APIRouter()


def visible_item(request: Request, item_id: int, user: User, *, need_box: bool = True) -> QueueItem:
    """Reviewers see images only of the item they hold; admins of any item."""
    item = state(request).queue.get(item_id)
    if item is None or (need_box and (item.bbox is None or item.page is None)):
        raise NotFoundError()
    if not user.is_admin and item.lease_owner != user.name:
        raise NotAllowed(403)
    return item


def png_response(data: bytes) -> Response:
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@router.get("/item/{item_id}/word.png")
def word_image(request: Request, item_id: int, auth: Auth = Depends(reviewer_api)):
    item = visible_item(request, item_id, auth.user)
    return png_response(word_png(state(request).cfg.job_dir, item))


@router.get("/item/{item_id}/line.png")
def line_image(request: Request, item_id: int, auth: Auth = Depends(reviewer_api)):
    item = visible_item(request, item_id, auth.user)
    return png_response(line_png(state(request).cfg.job_dir, item))


@router.get("/item/{item_id}/cell.png")
def cell_image(request: Request, item_id: int, auth: Auth = Depends(reviewer_api)):
    """A table cell with its row and column headers (``crops.cell_png``)."""
    item = visible_item(request, item_id, auth.user)
    if item.kind != "cell":
        raise NotFoundError()
    return png_response(cell_png(state(request).cfg.job_dir, item))


@router.get("/item/{item_id}/page.png")
def page_image(request: Request, item_id: int, auth: Auth = Depends(reviewer_api)):
    """The whole page: every line boxed, the item's word (or field region) highlighted; a field
    the OCR did not find shows its whole page (the front page)."""
    item = visible_item(request, item_id, auth.user, need_box=False)
    return png_response(page_png(state(request).cfg.job_dir, item))
