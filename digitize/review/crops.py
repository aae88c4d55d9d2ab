"""The page images a reviewer sees for a queue item, as PNG bytes: the word, its line, the page.

An item's page is found through the ledger (the document's ``out_dir``) and must resolve inside
the job folder; anything else, or a page that cannot be read, is ``NotFoundError`` (404). Crops
are bounded (``MAX_IMAGE_SIDE``) and the page view is downscaled (``PAGE_VIEW_WIDTH``), so no
request makes the server encode a full-resolution page.
"""

from __future__ import annotations

import io
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageOps

from ..jobfolder import JobFolder, page_path
from ..store.queue import QueueItem
from .web import NotFoundError

log = logging.getLogger(__name__)

MAX_IMAGE_SIDE = 2400  # pixels; a crop is never larger than this (downscaled)
PAGE_VIEW_WIDTH = 1400  # the full-page view is sent at most this wide


def document_folder(job_dir: Path, doc_id: str) -> Path:
    """The document's output folder from the ledger (``documents.out_dir``), which must resolve
    to a folder inside the job folder; anything else is refused (404)."""
    try:
        ledger = JobFolder(job_dir).ledger(readonly=True)
        try:
            out_dir = ledger.out_dir(doc_id)
        finally:
            ledger.close()
    except sqlite3.Error:
        out_dir = None
    if not out_dir:
        raise NotFoundError()
    folder = (job_dir / out_dir).resolve()
    if not folder.is_relative_to(job_dir) or folder == job_dir:
        log.warning("review: refused out_dir %r of %s: outside the job folder", out_dir, doc_id)
        raise NotFoundError()
    return folder


def page_file(job_dir: Path, item: QueueItem, suffix: str, page: int | None = None) -> Path:
    page = int(page or item.page or 0)
    if page < 1:
        raise NotFoundError()
    path = page_path(document_folder(job_dir, item.doc_id), page, suffix).resolve()
    if not path.is_relative_to(job_dir) or not path.is_file():
        raise NotFoundError()
    return path


def load_page_image(job_dir: Path, item: QueueItem, page: int | None = None) -> Image.Image:
    path = page_file(job_dir, item, ".tif", page)
    try:
        img = Image.open(path)
        img.load()
    except (OSError, ValueError) as exc:
        log.warning("review: cannot read %s: %s", path, exc)
        raise NotFoundError() from None
    return img


def _page_lines(job_dir: Path, item: QueueItem, page: int | None = None) -> list[dict[str, Any]]:
    try:
        data = json.loads(page_file(job_dir, item, ".json", page).read_text(encoding="utf-8"))
        return [line for block in data.get("blocks", []) for line in block.get("lines", [])]
    except (NotFoundError, OSError, ValueError, AttributeError):
        return []


def focus_of(job_dir: Path, item: QueueItem | None) -> tuple[float, float] | None:
    """Where the item's box is on its page, as fractions of the page size (the page view
    scrolls there when zoomed in)."""
    if item is None or not item.bbox or not item.page:
        return None
    try:
        data = json.loads(page_file(job_dir, item, ".json").read_text(encoding="utf-8"))
        w, h = float(data["width"]), float(data["height"])
        x0, y0, x1, y1 = item.bbox
        return ((x0 + x1) / 2 / w, (y0 + y1) / 2 / h) if w > 0 and h > 0 else None
    except (NotFoundError, OSError, ValueError, KeyError, TypeError):
        return None


def line_box(job_dir: Path, item: QueueItem) -> tuple[int, int, int, int] | None:
    """The bbox of the OCR line holding the item's word, from ``pages/NNNN.json``."""
    if not item.word_id:
        return None
    try:
        for line in _page_lines(job_dir, item):
            if any(w.get("id") == item.word_id for w in line.get("words", [])):
                return tuple(int(v) for v in line["bbox"])  # type: ignore[return-value]
    except (KeyError, TypeError, ValueError):
        return None
    return None


def crop_box(bbox: tuple[int, int, int, int], size: tuple[int, int], margin: float) -> tuple[int, int, int, int]:
    """``bbox`` grown by ``margin`` × its height on every side, clipped to the page."""
    x0, y0, x1, y1 = (int(v) for v in bbox)
    m = max(8, int(margin * max(1, y1 - y0)))
    w, h = size
    box = (max(0, x0 - m), max(0, y0 - m), min(w, x1 + m), min(h, y1 + m))
    if box[2] <= box[0] or box[3] <= box[1]:
        raise NotFoundError()
    return box


def word_png(job_dir: Path, item: QueueItem) -> bytes:
    """The word with a margin of a bit more than half its height."""
    page = load_page_image(job_dir, item)
    box = crop_box(item.bbox, page.size, margin=0.6)  # type: ignore[arg-type]
    return png(page.crop(box).convert("L"))


def line_png(job_dir: Path, item: QueueItem) -> bytes:
    """The OCR line holding the word (or the word's surroundings), the word boxed in red."""
    page = load_page_image(job_dir, item)
    x0, y0, x1, y1 = item.bbox  # type: ignore[misc]
    lx0, ly0, lx1, ly1 = line_box(job_dir, item) or (x0, y0, x1, y1)
    if (lx0, lx1) == (x0, x1):  # no line known: show some of the page on both sides
        lx0, lx1 = x0 - 6 * (y1 - y0), x1 + 6 * (y1 - y0)
    box = crop_box((min(x0, lx0), min(y0, ly0), max(x1, lx1), max(y1, ly1)), page.size, margin=0.4)
    img = page.crop(box).convert("RGB")
    draw = ImageDraw.Draw(img)
    pad = 3
    draw.rectangle((x0 - box[0] - pad, y0 - box[1] - pad, x1 - box[0] + pad, y1 - box[1] + pad),
                   outline=(220, 30, 30), width=max(2, (y1 - y0) // 12))
    return png(img)


def page_png(job_dir: Path, item: QueueItem) -> bytes:
    """The page, downscaled to ``PAGE_VIEW_WIDTH``: line boxes in blue, the item's box in red
    over a yellow wash. A field without a region: its page (the front page), nothing boxed."""
    number = item.page or 1
    page = load_page_image(job_dir, item, number)
    scale = min(1.0, PAGE_VIEW_WIDTH / max(1, page.width))
    img = page.convert("L")
    if scale < 1.0:
        img = img.resize((max(1, int(page.width * scale)), max(1, int(page.height * scale))), Image.Resampling.LANCZOS)
    img = img.convert("RGB")
    draw = ImageDraw.Draw(img, "RGBA")

    def box(b) -> tuple[int, int, int, int]:
        return tuple(int(round(v * scale)) for v in b)  # type: ignore[return-value]

    for line in _page_lines(job_dir, item, number):
        try:
            draw.rectangle(box(line["bbox"]), outline=(40, 110, 200, 170), width=1)
        except (KeyError, TypeError, ValueError):
            continue
    if item.bbox:
        x0, y0, x1, y1 = box(item.bbox)
        draw.rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), fill=(255, 224, 0, 90), outline=(220, 30, 30, 255), width=3)
    return png(img)


def _cell_of(job_dir: Path, item: QueueItem):
    """(table, cell, page) of a table-cell item from its page file, as read; None when gone."""
    from ..model import OcrPage
    from ..structure.table_review import table_of

    try:
        page = OcrPage.from_json(page_file(job_dir, item, ".json").read_text(encoding="utf-8"))
    except (NotFoundError, OSError, ValueError, KeyError, TypeError):
        return None
    got = table_of(page, item.word_id or "")
    return (*got, page) if got else None


def cell_actions(job_dir: Path, item: QueueItem) -> dict[str, bool]:
    """Which structure changes the cell allows: a merge with the cell right of it (same rows),
    with the one below it (same columns), a split (it spans more than one grid cell)."""
    from ..structure.table_review import neighbour

    got = _cell_of(job_dir, item) if item.kind == "cell" else None
    if got is None:
        return {"merge-right": False, "merge-down": False, "split": False}
    table, cell, _ = got
    return {"merge-right": neighbour(table, cell, "right") is not None,
            "merge-down": neighbour(table, cell, "down") is not None,
            "split": cell.rowspan > 1 or cell.colspan > 1}


def cell_png(job_dir: Path, item: QueueItem) -> bytes:
    """The cell as scanned, boxed in red, with its headers where the reader expects them: the
    column's head cell above it, the row's first cell left of it (a corner left blank). A cell
    in the first column or the head has only the header it has."""
    from ..structure.table_review import headers

    got = _cell_of(job_dir, item)
    if got is None:
        raise NotFoundError()
    table, cell, _ = got
    page = load_page_image(job_dir, item).convert("RGB")
    row_head, col_head = headers(table, cell)

    def cut(box) -> Image.Image:
        x0, y0, x1, y1 = (int(v) for v in box)
        x0, y0 = max(0, x0), max(0, y0)
        x1, y1 = min(page.width, max(x0 + 1, x1)), min(page.height, max(y0 + 1, y1))
        return page.crop((x0, y0, x1, y1))

    me = cut(cell.bbox)
    top = cut((cell.bbox[0], col_head.bbox[1], cell.bbox[2], col_head.bbox[3])) if col_head else None
    left = cut((row_head.bbox[0], cell.bbox[1], row_head.bbox[2], cell.bbox[3])) if row_head else None
    gap = 6
    lw = left.width + gap if left else 0
    th = top.height + gap if top else 0
    img = Image.new("RGB", (lw + me.width, th + me.height), (235, 235, 235))
    if top:
        img.paste(top, (lw, 0))
    if left:
        img.paste(left, (0, th))
    img.paste(me, (lw, th))
    draw = ImageDraw.Draw(img)
    draw.rectangle((lw, th, lw + me.width - 1, th + me.height - 1), outline=(220, 30, 30), width=3)
    return png(img)


def png(img: Image.Image) -> bytes:
    """The image as PNG, no side over ``MAX_IMAGE_SIDE``."""
    if max(img.size) > MAX_IMAGE_SIDE:
        img = ImageOps.contain(img, (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
