"""The queue page: the next item in doubt, a reviewer's decision on it, and its lease.

An item is reserved only when a reviewer is shown it (``GET /queue``); the page renews the lease
while it is open (``/queue/renew``) and gives it back when the reviewer leaves
(``/queue/release``, by ``navigator.sendBeacon``); a lease nobody renews expires after
``lease_seconds``. After a decision the browser is sent back to ``/queue`` with a message key.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...proofread.decisions import QueueError, ValueRefused
from ...proofread.sheet import item_id_of
from ...store.queue import STRUCTURE_ACTIONS, LeaseError, QueueItem
from ..crops import cell_actions, focus_of
from ..views import cell_view, highlight, item_title, progress_view, series_view
from ..web import MESSAGES, RENEW_SECONDS, Auth, form_of, redirect, render, reviewer_api, reviewer_page, state

router = APIRouter()

DOC_MENU = 100  # documents listed in the page's menu (the current one and those after it)


def _back(doc: str, msg: str) -> RedirectResponse:
    return redirect("/queue?" + (f"doc={quote(doc, safe='')}&" if doc else "") + f"msg={msg}")


def _queue_view(request: Request, auth: Auth, item: QueueItem | None, doc: str, *, status: int = 200,
                error: str | None = None, typed: str = "", typed_line: str | None = None, notice: str | None = None):
    st = state(request)
    progress = progress_view(st.queue.progress(), item)
    rules = st.queue.rules_for(item.doc_id) if item else None
    held = st.queue.holders()
    others = [h for h in held if h["lease_owner"] != auth.user.name]
    current = item.doc_id if item else doc
    open_docs = [d for d in progress["documents"] if d["decided"] < d["total"] or d["doc_id"] == current]
    docs = [d["doc_id"] for d in open_docs if d["decided"] < d["total"]]
    later = [d for d in docs if d > (current or "")]
    next_doc = (later or [d for d in docs if d != current] or [None])[0]
    # the document menu: the current document and those after it, at most DOC_MENU (a batch of
    # many documents would make every page large and slow)
    start = next((i for i, d in enumerate(open_docs) if d["doc_id"] >= (current or "")), 0)
    doc_choices = (open_docs[start:] + open_docs[:start])[:DOC_MENU]
    return render(
        request, "queue.html", auth.session, auth.user, status=status, item=item, doc=doc,
        context=highlight(item) if item else None, progress=progress, error=error, typed=typed,
        typed_line=typed_line if typed_line is not None else (item.context if item else ""),
        expected=rules.expected(item.field_name) if item and item.kind == "field" else "",
        max_length=rules.max_length if rules else 300, series=series_view(st.queue, item),
        held_by_others=len(others), next_doc=next_doc, doc_choices=sorted(doc_choices, key=lambda d: d["doc_id"]),
        docs_not_listed=len(open_docs) - len(doc_choices), notice=notice, renew_ms=RENEW_SECONDS * 1000,
        title=item_title(item) if item else "", focus=focus_of(st.cfg.job_dir, item),
        cell=cell_view(item), cell_actions=cell_actions(st.cfg.job_dir, item) if item and item.kind == "cell" else {},
    )


@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request, doc: str | None = None, auth: Auth = Depends(reviewer_page)):
    st = state(request)
    item = st.queue.next_item(auth.user.name, st.cfg.lease_seconds, doc_id=doc or None)
    notice = None
    if item is None and doc:  # this document is finished: go on with the next one
        item = st.queue.next_item(auth.user.name, st.cfg.lease_seconds)
        if item is not None:
            notice = MESSAGES["doc-done"]
            doc = item.doc_id
    return _queue_view(request, auth, item, doc or "", notice=notice)


@router.post("/queue")
def decide(request: Request, auth: Auth = Depends(reviewer_page), form: dict = Depends(form_of)):
    st = state(request)
    doc = form.get("doc", "")
    item_id = item_id_of(form.get("item_id", ""))
    if item_id is None:
        return _back(doc, "invalid")
    item = st.queue.get(item_id)
    if item is None or item.state != "open" or item.lease_owner != auth.user.name:
        return _back(doc, "expired")
    action = form.get("action", "")
    series = form.get("series") == "1" and item.series_size > 1
    value: str | None = None
    if action.startswith("suggestion-"):
        index = action.split("-", 1)[1]
        if not (len(index) <= 4 and index.isascii() and index.isdigit() and 1 <= int(index) <= len(item.suggestions)):
            return _back(doc, "invalid")
        value, action = item.suggestions[int(index) - 1], "suggestion"
    elif action == "correct" or action in STRUCTURE_ACTIONS:  # a merge or split: the text the cell then reads
        value = form.get("correction", "")
    elif action == "line":
        value = form.get("line", "")
    try:
        if action == "skip":
            if item.lease_owner == auth.user.name:
                st.queue.skip(item.id, auth.user.name)
            return _back(doc, "skipped")
        if action not in ("accept", "suggestion", "correct", "illegible", "not-text", "line", *STRUCTURE_ACTIONS):
            return _back(doc, "invalid")
        # only the item this reviewer was shown: a lease the page gave back a moment ago (reload,
        # beacon) keeps its owner until someone else takes the item; a free item is never taken here
        n = st.queue.decide(item.id, auth.user.name, action, value, series=series,
                            rules=st.queue.rules_for(item.doc_id))
    except ValueRefused as exc:  # show the same item again with the reason and what was typed
        again = st.queue.next_item(auth.user.name, st.cfg.lease_seconds, doc_id=item.doc_id)
        if again is None or again.id != item.id:
            return _back(doc, "expired")
        return _queue_view(request, auth, again, doc, status=422, error=str(exc),
                           typed=(value or "") if action == "correct" or action in STRUCTURE_ACTIONS else "",
                           typed_line=value if action == "line" else None)
    except LeaseError:
        return _back(doc, "expired")
    except QueueError:
        return _back(doc, "invalid")
    return _back(doc, "series" if n > 1 else "saved")


@router.post("/queue/not-publication")
def not_a_publication(request: Request, auth: Auth = Depends(reviewer_page), form: dict = Depends(form_of)):
    """The document of the item this reviewer holds is no publication: its open items are closed
    with the reviewer's reason."""
    st = state(request)
    doc = form.get("in_doc", "")
    item_id = item_id_of(form.get("item", ""))  # not "item_id": the decision form's field stays the only one
    item = st.queue.get(item_id) if item_id is not None else None
    if item is None or item.state != "open" or item.lease_owner != auth.user.name:
        return _back(doc, "expired")
    try:
        st.queue.not_a_publication(item.doc_id, auth.user.name, form.get("reason", ""), st.queue.rules_for(item.doc_id))
    except ValueRefused as exc:
        return _queue_view(request, auth, item, doc, status=422, error=str(exc))
    return _back(doc, "not-publication")


@router.post("/queue/undo")
def undo(request: Request, auth: Auth = Depends(reviewer_page), form: dict = Depends(form_of)):
    st = state(request)
    item_id = st.queue.undo(auth.user.name, st.cfg.lease_seconds)
    if item_id is None:
        return _back(form.get("doc", ""), "nothing-to-undo")
    item = st.queue.get(item_id)
    return _back(item.doc_id if item and form.get("doc") else form.get("doc", ""), "undone")


@router.post("/queue/renew")
def renew(request: Request, auth: Auth = Depends(reviewer_api), form: dict = Depends(form_of)):
    """The open page's heartbeat: keeps the lease of the item on screen."""
    st = state(request)
    item_id = item_id_of(form.get("item_id", ""))
    ok = item_id is not None and st.queue.renew(item_id, auth.user.name, st.cfg.lease_seconds)
    return Response(status_code=204 if ok else 409)


@router.post("/queue/release")
def release(request: Request, auth: Auth = Depends(reviewer_api), form: dict = Depends(form_of)):
    """``navigator.sendBeacon`` when the reviewer leaves the page: the item is free at once."""
    item_id = item_id_of(form.get("item_id", ""))
    if item_id is not None:
        state(request).queue.release_item(item_id, auth.user.name)
    return Response(status_code=204)
