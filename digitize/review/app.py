"""The QA review web page: one word (or bibliographic field) in doubt at a time, keyboard first.

``create_app(job_dir)`` builds a FastAPI application over the job's correction queue
(``digitize.proofread.queue.Queue``) and its reviewer accounts (``users.UserStore``). Routes are
grouped in routers (sign-in, queue, images, admin) that reach the job through dependencies
(``ReviewState`` on ``app.state``), so each route is a plain function that can be read alone.
Pages are server-side Jinja2 templates with a little local JavaScript; nothing is loaded from
elsewhere.

Security, in one place: signed HttpOnly SameSite=Strict session cookies, a session-bound CSRF
token checked on every POST, roles checked on every request (a removed user is logged out at
once), images addressed by queue item id only and read from a folder resolved through the ledger
and checked to be inside the job folder, a strict Content-Security-Policy, no caching of pages.

Leases: an item is reserved only when a reviewer is shown it (``GET /queue``); the page renews
the lease while it is open and gives it back (``navigator.sendBeacon``) when the reviewer leaves,
and a lease nobody renews expires after ``lease_seconds``. The admin page never reserves.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from PIL import Image, ImageDraw, ImageOps
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..jobfolder import JobFolder, page_path
from ..store.queue import LeaseError, Queue, QueueItem
from ..proofread.decisions import QueueError, ValueRefused
from ..proofread.sheet import item_id_of
from .server import ConcurrencyLimit
from .auth import (COOKIE_NAME, DEVICE_COOKIE, BodyLimit, DeviceCodec, LoginThrottle, Session, SessionCodec, csrf_ok,
                   load_or_create_secret)
from ..store.users import ROLES, User, UserError, UserStore

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
LEASE_SECONDS = 120  # the page renews it every RENEW_SECONDS while it is open
RENEW_SECONDS = 40
HASH_SLOTS = 2  # password checks at once: 40 wrong logins together took the server from 121 to 913 MB
DOC_MENU = 100  # documents listed in the queue page's menu (the current one and those after it)
MAX_IMAGE_SIDE = 2400  # pixels; a crop is never larger than this (downscaled)
PAGE_VIEW_WIDTH = 1400  # the full-page view is sent at most this wide

# Messages shown after a redirect, chosen by key: nothing from the URL is echoed into the page.
MESSAGES = {
    "saved": "Saved.",
    "series": "Saved for the whole series.",
    "skipped": "Skipped: it comes back after everything else.",
    "expired": "Your lease on that item ran out or it was decided by someone else; here is the next one.",
    "invalid": "That decision was not valid (empty correction or unknown suggestion).",
    "undone": "Your last decision was undone: here it is again.",
    "nothing-to-undo": "There is no decision of yours to undo.",
    "doc-done": "That document has nothing left to review: here is the next one.",
    "reopened": "The decision was reopened: the item is back in the queue.",
    "not-publication": "The document is marked as no publication: its items are closed.",
    "reversed": "The automatic correction was taken back in every document: run digitize apply to rebuild them.",
    "user-added": "User added.",
    "user-removed": "User removed.",
    "user-error": "Could not change users: check the name, role and password (at least 8 characters).",
    "self": "You cannot remove your own account while logged in.",
}

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class NotAllowed(Exception):
    """Raised by the guards; turned into a redirect to /login (pages) or a 403 (everything else)."""

    def __init__(self, status: int, login: bool = False):
        self.status, self.login = status, login


class NotFoundError(Exception):
    """An item or image that does not exist (or may not be shown): 404."""


@dataclass
class ReviewConfig:
    job_dir: Path
    users_db: Path
    lease_seconds: int = LEASE_SECONDS


@dataclass
class ReviewState:
    """Everything the routes share; one per application, on ``app.state.review``."""

    cfg: ReviewConfig
    queue: Queue
    users: UserStore
    codec: SessionCodec
    throttle: LoginThrottle
    templates: Jinja2Templates
    devices: DeviceCodec
    hashing: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(HASH_SLOTS))


@dataclass
class Auth:
    user: User
    session: Session


# --------------------------------------------------------------------------- dependencies


def state(request: Request) -> ReviewState:
    return request.app.state.review


def session_of(request: Request) -> Session | None:
    return state(request).codec.loads(request.cookies.get(COOKIE_NAME))


def _user(request: Request, *, admin: bool = False, page: bool = True) -> Auth:
    """The logged-in user; else a redirect to /login (pages) or 401 (images, POSTs)."""
    session = session_of(request)
    user = state(request).users.get(session.user) if session and session.user else None
    if user is None or user.epoch != session.epoch:  # type: ignore[union-attr]
        raise NotAllowed(401, login=page)
    if admin and not user.is_admin:
        raise NotAllowed(403)
    return Auth(user, session)  # type: ignore[arg-type]


def reviewer_page(request: Request) -> Auth:
    return _user(request)


def reviewer_api(request: Request) -> Auth:
    return _user(request, page=False)


def admin_page(request: Request) -> Auth:
    return _user(request, admin=True)


async def form_of(request: Request) -> dict[str, str]:
    """The POSTed form, once its CSRF token matches the session's (403 otherwise)."""
    form = await request.form()
    if not csrf_ok(session_of(request), form.get("csrf")):  # type: ignore[arg-type]
        raise NotAllowed(403)
    return {k: v for k, v in form.items() if isinstance(v, str)}


def set_session(request: Request, response: Response, session: Session) -> None:
    codec = state(request).codec
    response.set_cookie(
        COOKIE_NAME, codec.dumps(session), max_age=codec.max_age, path="/", httponly=True,
        samesite="strict", secure=request.url.scheme == "https",
    )


def render(request: Request, name: str, session: Session, user: User | None, status: int = 200, **ctx: Any):
    msg = MESSAGES.get(request.query_params.get("msg", ""))
    return state(request).templates.TemplateResponse(
        request, name, {"csrf": session.csrf, "user": user, "message": msg, **ctx}, status_code=status,
    )


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --------------------------------------------------------------------------- sign-in

auth_router = APIRouter()


@auth_router.get("/", include_in_schema=False)
async def root(auth: Auth = Depends(reviewer_page)):
    return redirect("/queue")


@auth_router.get("/favicon.ico", include_in_schema=False)
async def favicon():
    return Response(status_code=204)


@auth_router.get("/login", response_class=HTMLResponse)
def login_page(request: Request):
    st = state(request)
    session = session_of(request)
    known = st.users.get(session.user) if session and session.user else None
    if known is not None and known.epoch == session.epoch:  # type: ignore[union-attr]
        return redirect("/queue")
    if session and session.user:
        session = None  # a stale login: start anonymous
    session = session or st.codec.new(None)
    response = render(request, "login.html", session, None, error=None)
    set_session(request, response, session)
    return response


@auth_router.post("/login")
async def login(request: Request, form: dict = Depends(form_of)):
    st = state(request)
    session = session_of(request)
    name, password = form.get("username", "").strip(), form.get("password", "")
    client = request.client.host if request.client else "?"
    device = st.devices.device_for(request.cookies.get(DEVICE_COOKIE), name) if name else None
    if not await st.throttle.admit(name, client, device):  # waits out growing delays after failures
        return render(request, "login.html", session, None, status=429,  # type: ignore[arg-type]
                      error="Too many login attempts just now; try again in a minute.")
    user = None
    if name and password:
        async with st.hashing:  # at most HASH_SLOTS scrypt checks (32 MiB each) at once
            user = await run_in_threadpool(st.users.authenticate, name, password)
    if user is None:
        st.throttle.failed(name, client)  # logs it
        return render(request, "login.html", session, None, status=401,  # type: ignore[arg-type]
                      error="Wrong user name or password.")
    st.throttle.succeeded(name, client, device)
    response = redirect("/queue")
    set_session(request, response, st.codec.new(user.name, user.epoch))  # fresh token: no fixation
    response.set_cookie(DEVICE_COOKIE, st.devices.new(user.name), max_age=st.devices.max_age, path="/login",
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


@auth_router.post("/logout")
def logout(request: Request, auth: Auth = Depends(reviewer_page), form: dict = Depends(form_of)):
    st = state(request)
    st.queue.release(auth.user.name)
    st.users.end_sessions(auth.user.name)  # a copied cookie dies with the logout
    response = redirect("/login")
    set_session(request, response, st.codec.new(None))
    return response


# --------------------------------------------------------------------------- the queue

queue_router = APIRouter()


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
    # the document menu: the current document and those after it (a batch of 1,000 documents made
    # every page 84 KB and most of its time)
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
    )


@queue_router.get("/queue", response_class=HTMLResponse)
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


@queue_router.post("/queue")
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
    elif action == "correct":
        value = form.get("correction", "")
    elif action == "line":
        value = form.get("line", "")
    try:
        if action == "skip":
            if item.lease_owner == auth.user.name:
                st.queue.skip(item.id, auth.user.name)
            return _back(doc, "skipped")
        if action not in ("accept", "suggestion", "correct", "illegible", "not-text", "line"):
            return _back(doc, "invalid")
        # a lease the page gave back a moment ago (reload, beacon) is taken again if nobody else has it
        # only the item this reviewer was shown: a lease the page gave back a moment ago (reload,
        # beacon) keeps its owner until someone else takes the item; a free item is never taken here
        n = st.queue.decide(item.id, auth.user.name, action, value, series=series,
                            rules=st.queue.rules_for(item.doc_id))
    except ValueRefused as exc:  # show the same item again with the reason and what was typed
        again = st.queue.next_item(auth.user.name, st.cfg.lease_seconds, doc_id=item.doc_id)
        if again is None or again.id != item.id:
            return _back(doc, "expired")
        return _queue_view(request, auth, again, doc, status=422, error=str(exc),
                           typed=(value or "") if action == "correct" else "",
                           typed_line=value if action == "line" else None)
    except LeaseError:
        return _back(doc, "expired")
    except QueueError:
        return _back(doc, "invalid")
    return _back(doc, "series" if n > 1 else "saved")


@queue_router.post("/queue/not-publication")
def not_a_publication(request: Request, auth: Auth = Depends(reviewer_page), form: dict = Depends(form_of)):
    """The document of the item this reviewer holds is no publication (issue 29): its open items
    are closed with the reviewer's reason."""
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


@queue_router.post("/queue/undo")
def undo(request: Request, auth: Auth = Depends(reviewer_page), form: dict = Depends(form_of)):
    st = state(request)
    item_id = st.queue.undo(auth.user.name, st.cfg.lease_seconds)
    if item_id is None:
        return _back(form.get("doc", ""), "nothing-to-undo")
    item = st.queue.get(item_id)
    return _back(item.doc_id if item and form.get("doc") else form.get("doc", ""), "undone")


@queue_router.post("/queue/renew")
def renew(request: Request, auth: Auth = Depends(reviewer_api), form: dict = Depends(form_of)):
    """The open page's heartbeat: keeps the lease of the item on screen."""
    st = state(request)
    item_id = item_id_of(form.get("item_id", ""))
    ok = item_id is not None and st.queue.renew(item_id, auth.user.name, st.cfg.lease_seconds)
    return Response(status_code=204 if ok else 409)


@queue_router.post("/queue/release")
def release(request: Request, auth: Auth = Depends(reviewer_api), form: dict = Depends(form_of)):
    """``navigator.sendBeacon`` when the reviewer leaves the page: the item is free at once."""
    item_id = item_id_of(form.get("item_id", ""))
    if item_id is not None:
        state(request).queue.release_item(item_id, auth.user.name)
    return Response(status_code=204)


# --------------------------------------------------------------------------- images, by item id only

image_router = APIRouter()


def visible_item(request: Request, item_id: int, user: User, *, need_box: bool = True) -> QueueItem:
    """Reviewers see images only of the item they hold; admins of any item."""
    item = state(request).queue.get(item_id)
    if item is None or (need_box and (item.bbox is None or item.page is None)):
        raise NotFoundError()
    if not user.is_admin and item.lease_owner != user.name:
        raise NotAllowed(403)
    return item


@image_router.get("/item/{item_id}/word.png")
def word_image(request: Request, item_id: int, auth: Auth = Depends(reviewer_api)):
    item = visible_item(request, item_id, auth.user)
    return word_png(state(request).cfg.job_dir, item)


@image_router.get("/item/{item_id}/line.png")
def line_image(request: Request, item_id: int, auth: Auth = Depends(reviewer_api)):
    item = visible_item(request, item_id, auth.user)
    return line_png(state(request).cfg.job_dir, item)


@image_router.get("/item/{item_id}/page.png")
def page_image(request: Request, item_id: int, auth: Auth = Depends(reviewer_api)):
    """The whole page: every line boxed, the item's word (or field region) highlighted; a field
    the OCR did not find shows its whole page (the front page)."""
    item = visible_item(request, item_id, auth.user, need_box=False)
    return page_png(state(request).cfg.job_dir, item)


# --------------------------------------------------------------------------- admin

admin_router = APIRouter()


def _when(at: float | None) -> str:
    """A time with its zone, so sites in other zones read it right."""
    if not at:
        return ""
    return time.strftime("%Y-%m-%d %H:%M:%S %Z (UTC%z)", time.localtime(at))


def _filtered_audit(queue: Queue, doc: str, reviewer: str, action: str) -> list[dict[str, Any]]:
    rows = queue.audit(doc or None)
    return [a for a in rows if (not reviewer or a["reviewer"] == reviewer) and (not action or a["action"] == action)]


@admin_router.get("/admin", response_class=HTMLResponse)
def admin(request: Request, doc: str = "", reviewer: str = "", action: str = "",
          auth: Auth = Depends(admin_page)):
    """Counts, the first 300 open items and the latest 200 audit rows: read by SQL with limits,
    never the whole queue (100,000 open items took 4.3 s)."""
    st = state(request)
    q = st.queue
    per_reviewer = q.audit_summary()
    recent, audit_total = q.audit_page(doc or None, reviewer or None, action or None, limit=200)
    decided_now = q.decided_among(a["item_id"] for a in recent)
    for a in recent:
        a["when"] = _when(a["at"])
        a["name"] = audit_title(a)
        a["reopenable"] = a["item_id"] in decided_now and a["action"] not in ("undo", "reopen")
    shown, open_total = q.open_page(doc or None, limit=300)
    skips = q.skip_counts([i.id for i in shown])
    now = time.time()
    open_items = [{"id": i.id, "name": item_title(i), "skips": skips.get(i.id, 0),
                   "holder": i.lease_owner if i.lease_expires and i.lease_expires >= now else None,
                   "confidence": i.confidence} for i in shown]
    holders = [{**h, "name": item_title(q.get(h["id"])), "until": _when(h["lease_expires"])} for h in q.holders()]
    progress = progress_view(q.progress(), None)
    return render(request, "admin.html", auth.session, auth.user, users=st.users.list(), roles=ROLES,
                  progress=progress, per_reviewer=per_reviewer, audit=recent,
                  audit_total=audit_total, open_items=open_items, open_total=open_total,
                  holders=holders, quality=held_by_quality(st.cfg.job_dir),
                  auto_memory=auto_memory_view(st.cfg.job_dir), time_spent=q.time_spent(),
                  filters={"doc": doc, "reviewer": reviewer, "action": action},
                  reviewers=sorted(per_reviewer), actions=sorted({a for c in per_reviewer.values() for a in c} - {"total"}),
                  documents=[d["doc_id"] for d in progress["documents"]])


@admin_router.get("/admin/audit.csv")
def audit_csv(request: Request, doc: str = "", reviewer: str = "", action: str = "",
                    auth: Auth = Depends(admin_page)):
    """The audit trail (filtered like the page) as CSV; text cells never start a formula."""
    from ..proofread.sheet import neutralise

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["time", "reviewer", "document", "item_id", "item", "action", "before", "after", "series",
                "seconds"])
    for a in _filtered_audit(state(request).queue, doc, reviewer, action):
        w.writerow([_when(a["at"]), neutralise(a["reviewer"]), neutralise(a["doc_id"]), a["item_id"],
                    neutralise(audit_title(a)), a["action"], neutralise(a["before"] or ""),
                    neutralise(a["after"] or ""), "yes" if a["series"] else "",
                    "" if a.get("seconds") is None else f"{a['seconds']:.1f}"])
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit.csv"'})


@admin_router.post("/admin/reopen")
def admin_reopen(request: Request, auth: Auth = Depends(admin_page), form: dict = Depends(form_of)):
    item_id = item_id_of(form.get("item_id", ""))
    if item_id is None:
        return redirect("/admin")
    state(request).queue.reopen(item_id, auth.user.name)
    return redirect("/admin?msg=reopened")


def automatic_changes(job_dir: Path) -> list[dict[str, Any]]:
    """The office memory's automatic corrections in the job's documents (their JSON)."""
    from ..store.memory import automatic_changes as changes

    docs = []
    try:
        ledger = JobFolder(job_dir).ledger(readonly=True)
        try:
            rows = [(r["doc_id"], r["out_dir"]) for r in ledger.rows(order="doc_id") if r["doc_id"] and r["out_dir"]]
        finally:
            ledger.close()
    except sqlite3.Error:
        return []
    for doc_id, out_dir in rows:
        path = (job_dir / out_dir / f"{doc_id}.json").resolve()
        if path.is_relative_to(job_dir) and path.is_file():
            docs.append((doc_id, path))
    return changes(docs)


def auto_memory_view(job_dir: Path) -> list[dict[str, Any]]:
    """One row per correction the memory made (form read → written), with its documents."""
    out: dict[str, dict[str, Any]] = {}
    for c in automatic_changes(job_dir):
        row = out.setdefault(c["form"], {"form": c["form"], "old": c["old"], "new": c["new"], "words": 0, "docs": set()})
        row["words"] += 1
        row["docs"].add(c["doc_id"])
    return [dict(r, docs=", ".join(sorted(r["docs"]))) for r in out.values()]


@admin_router.post("/admin/auto-memory/reverse")
def admin_reverse_auto_memory(request: Request, auth: Auth = Depends(admin_page), form: dict = Depends(form_of)):
    """Take back one of the office memory's automatic corrections in the whole job: every word it
    changed gets a decided item (the word as read, by this admin), the job's rules drop it and
    the office memory records the reversal, so it is never applied again. ``digitize apply``
    puts the words back in every output."""
    from ..store.memory import MemoryError_, OfficeMemory, drop_correction

    st = state(request)
    job_dir = st.cfg.job_dir
    what = form.get("form", "")
    changes = [c for c in automatic_changes(job_dir) if c["form"] == what]
    if not what or not changes:
        return redirect("/admin")
    for c in changes:
        st.queue.reverse_automatic(c["doc_id"], c["word_id"], c["page"], c["new"], c["old"], auth.user.name)
    try:
        rules = drop_correction(job_dir, what)
        if rules is not None and rules.store:
            with OfficeMemory(rules.store) as store:
                store.reverse(rules.office, changes[0]["old"], changes[0]["new"], auth.user.name,
                              job=str(job_dir), doc_id=changes[0]["doc_id"], item_key=changes[0]["word_id"])
    except (MemoryError_, sqlite3.Error, OSError) as exc:
        log.warning("review: the office memory did not record the reversal of %r: %s", what, exc)
    return redirect("/admin?msg=reversed")


@admin_router.post("/admin/users/add")
def admin_add_user(request: Request, auth: Auth = Depends(admin_page), form: dict = Depends(form_of)):
    try:
        state(request).users.add(form.get("username", "").strip(), form.get("role", ""), form.get("password", ""))
    except UserError:
        return redirect("/admin?msg=user-error")
    return redirect("/admin?msg=user-added")


@admin_router.post("/admin/users/remove")
def admin_remove_user(request: Request, auth: Auth = Depends(admin_page), form: dict = Depends(form_of)):
    st = state(request)
    name = form.get("username", "")
    if name == auth.user.name:
        return redirect("/admin?msg=self")
    try:
        st.users.remove(name)
    except UserError:
        return redirect("/admin?msg=user-error")
    st.queue.release(name)
    return redirect("/admin?msg=user-removed")


# --------------------------------------------------------------------------- the application


def create_app(job_dir: Path | str, users_db: Path | str | None = None, *,
               lease_seconds: int = LEASE_SECONDS, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The review application for ``job_dir`` (which must hold ``ledger.sqlite``)."""
    job = Path(job_dir).resolve()
    ledger_path = JobFolder(job).ledger_path
    if not job.is_dir():
        raise FileNotFoundError(f"{job}: no such job folder")
    cfg = ReviewConfig(job, Path(users_db) if users_db else ledger_path, lease_seconds)
    review = ReviewState(cfg=cfg, queue=JobFolder(job).queue(profile_rules), users=UserStore(cfg.users_db),
                         codec=SessionCodec(load_or_create_secret(job)), throttle=LoginThrottle(),
                         devices=DeviceCodec(load_or_create_secret(job)),
                         templates=Jinja2Templates(directory=str(HERE / "templates")))

    app = FastAPI(title="digitize review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.review = review
    app.state.cfg, app.state.queue, app.state.users = cfg, review.queue, review.users
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    # outermost (added last): a request that never arrives whole never reaches the pages
    app.add_middleware(ConcurrencyLimit)  # 503 beyond server.LIMIT_CONCURRENCY whole requests at once
    app.add_middleware(BodyLimit)  # 413 for bodies over auth.MAX_BODY, before they are read

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, exc: NotAllowed):
        if exc.login and request.method == "GET":
            return redirect("/login")
        return Response("forbidden\n" if exc.status == 403 else "login required\n", status_code=exc.status,
                        media_type="text/plain")

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError):
        return Response("not found\n", status_code=404, media_type="text/plain")

    for router in (auth_router, queue_router, image_router, admin_router):
        app.include_router(router)
    return app


# --------------------------------------------------------------------------- view helpers


def profile_rules(name: str):
    """What a reviewer may enter for a document of profile ``name`` (its ``[queue]`` section)."""
    from dataclasses import replace
    from functools import partial

    from ..settings.profile import load
    from ..proofread.decisions import DecisionRules
    from ..settings.profile import or_defaults
    from ..structure import decided

    profile = load(name)
    return replace(DecisionRules.from_profile(profile),
                   list_check=partial(decided.check, or_defaults(profile).structure))


def item_title(item: QueueItem | None) -> str:
    """A name people read: document, page, field or word."""
    if item is None:
        return ""
    where = f"{item.doc_id} · page {item.page}" if item.page else item.doc_id
    if item.kind == "field":
        return f"{where} · field {item.field_name}"
    return f"{where} · word “{item.text}”"


def audit_title(a: dict[str, Any]) -> str:
    if a.get("field_name"):
        return f"{a['doc_id']} · field {a['field_name']}"
    wid = a.get("word_id") or ""
    page = wid[1:5].lstrip("0") if wid.startswith("p") and wid[1:5].isdigit() else ""
    return f"{a['doc_id']} · page {page} · word “{a.get('before') or ''}”" if page else f"{a['doc_id']} · {wid}"


def highlight(item: QueueItem) -> tuple[str, str, str]:
    """The line context split around the word in doubt (before, word, after) for ``<mark>``."""
    ctx = item.context or ""
    i = ctx.find(item.text) if item.text else -1
    if i < 0:
        return (ctx + " " if ctx else "", item.text, "")
    return ctx[:i], ctx[i:i + len(item.text)], ctx[i + len(item.text):]


def series_view(queue: Queue, item: QueueItem | None) -> list[dict[str, Any]]:
    """What "apply to the whole series" would change, shown before the reviewer ticks it."""
    if item is None or item.series_size <= 1 or item.kind != "word":
        return []
    out = []
    for m in queue.series_members(item.id, limit=30):
        fake = QueueItem(id=m["id"], doc_id=m["doc_id"], kind="word", page=m["page"], bbox=None, text=m["text"],
                         confidence=0, context=m["context"])
        out.append({"id": m["id"], "doc_id": m["doc_id"], "page": m["page"], "context": highlight(fake),
                    "current": m["id"] == item.id})
    return out


def progress_view(progress: dict[str, Any], item: QueueItem | None) -> dict[str, Any]:
    docs = [
        {"doc_id": d, "decided": int(dec or 0), "total": int(tot or 0),
         "percent": round(100 * (dec or 0) / tot) if tot else 100}
        for d, (dec, tot) in progress.get("documents", {}).items()
    ]
    total, decided = int(progress.get("total", 0)), int(progress.get("decided", 0))
    current = next((d for d in docs if item and d["doc_id"] == item.doc_id), None)
    return {"total": total, "decided": decided, "open": total - decided,
            "percent": round(100 * decided / total) if total else 100,
            "series_open": progress.get("series_open", 0), "leased": progress.get("leased", 0),
            "documents": docs, "current": current}


def held_by_quality(job_dir: Path) -> list[dict[str, str]]:
    """Documents the quality gate keeps in review, with the reason (ledger, else document JSON)."""
    out = []
    try:
        ledger = JobFolder(job_dir).ledger(readonly=True)
        try:
            rows = [(r["doc_id"], r["out_dir"], r["reason"]) for r in ledger.rows("needs-review", order="doc_id")
                    if r["doc_id"]]
        finally:
            ledger.close()
    except sqlite3.Error:
        return out
    for doc_id, out_dir, reason in rows:
        why = reason[len("quality: "):] if reason and reason.startswith("quality: ") else None
        if why is None and out_dir:
            path = (job_dir / out_dir / f"{doc_id}.json").resolve()
            if path.is_relative_to(job_dir) and path.is_file():
                try:
                    why = (json.loads(path.read_text(encoding="utf-8")).get("quality") or {}).get("reason")
                except (OSError, ValueError, AttributeError):
                    why = None
        if why:
            out.append({"doc_id": doc_id, "reason": why})
    return out


# --------------------------------------------------------------------------- images


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


def word_png(job_dir: Path, item: QueueItem) -> Response:
    """The word with a margin of a bit more than half its height."""
    page = load_page_image(job_dir, item)
    box = crop_box(item.bbox, page.size, margin=0.6)  # type: ignore[arg-type]
    return png(page.crop(box).convert("L"))


def line_png(job_dir: Path, item: QueueItem) -> Response:
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


def page_png(job_dir: Path, item: QueueItem) -> Response:
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


def png(img: Image.Image) -> Response:
    if max(img.size) > MAX_IMAGE_SIDE:
        img = ImageOps.contain(img, (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return Response(buf.getvalue(), media_type="image/png", headers={"Cache-Control": "private, max-age=300"})
