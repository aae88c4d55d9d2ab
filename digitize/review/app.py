"""The QA review web page: one word (or bibliographic field) in doubt at a time, keyboard first.

``create_app(job_dir)`` builds a FastAPI application over the job's correction queue
(``digitize.proofread.queue.Queue``) and its reviewer accounts (``users.UserStore``). Pages are
server-side Jinja2 templates with a little local JavaScript; nothing is loaded from elsewhere.

Security, in one place: signed HttpOnly SameSite=Strict session cookies, a session-bound CSRF
token checked on every POST, roles checked on every request (a removed user is logged out at
once), images addressed by queue item id only and read from a folder resolved through the ledger
and checked to be inside the job folder, a strict Content-Security-Policy, no caching of pages.
"""

from __future__ import annotations

import io
import json
import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from PIL import Image, ImageDraw, ImageOps
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..jobfolder import JobFolder, page_path
from ..proofread.queue import LeaseError, Queue, QueueError, QueueItem
from .auth import COOKIE_NAME, LoginThrottle, Session, SessionCodec, csrf_ok, load_or_create_secret
from .users import ROLES, User, UserError, UserStore

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
LEASE_SECONDS = 600
MAX_IMAGE_SIDE = 2400  # pixels; a crop is never larger than this (downscaled)

# Messages shown after a redirect, chosen by key: nothing from the URL is echoed into the page.
MESSAGES = {
    "saved": "Saved.",
    "series": "Saved for the whole series.",
    "skipped": "Skipped: it comes back after everything else.",
    "expired": "Your lease on that item ran out or it was decided by someone else; here is the next one.",
    "invalid": "That decision was not valid (empty correction or unknown suggestion).",
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


@dataclass
class ReviewConfig:
    job_dir: Path
    users_db: Path
    lease_seconds: int = LEASE_SECONDS


def create_app(job_dir: Path | str, users_db: Path | str | None = None, *,
               lease_seconds: int = LEASE_SECONDS, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The review application for ``job_dir`` (which must hold ``ledger.sqlite``)."""
    job = Path(job_dir).resolve()
    ledger_path = JobFolder(job).ledger_path
    if not job.is_dir():
        raise FileNotFoundError(f"{job}: no such job folder")
    cfg = ReviewConfig(job, Path(users_db) if users_db else ledger_path, lease_seconds)
    queue = Queue(ledger_path)
    users = UserStore(cfg.users_db)
    codec = SessionCodec(load_or_create_secret(job))
    throttle = LoginThrottle()
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    app = FastAPI(title="digitize review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.cfg, app.state.queue, app.state.users = cfg, queue, users
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

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, exc: NotAllowed):
        if exc.login and request.method == "GET":
            return RedirectResponse("/login", status_code=303)
        return Response("forbidden\n" if exc.status == 403 else "login required\n", status_code=exc.status,
                        media_type="text/plain")

    # -- session helpers

    def session_of(request: Request) -> Session | None:
        return codec.loads(request.cookies.get(COOKIE_NAME))

    def set_session(request: Request, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE_NAME, codec.dumps(session), max_age=codec.max_age, path="/", httponly=True,
            samesite="strict", secure=request.url.scheme == "https",
        )

    def current_user(request: Request, *, admin: bool = False, page: bool = True) -> tuple[User, Session]:
        """The logged-in user; else a redirect to /login (pages) or 401 (images, POSTs)."""
        session = session_of(request)
        user = users.get(session.user) if session and session.user else None
        if user is None or user.epoch != session.epoch:  # type: ignore[union-attr]
            raise NotAllowed(401, login=page)
        if admin and not user.is_admin:
            raise NotAllowed(403)
        return user, session  # type: ignore[return-value]

    async def checked_form(request: Request, session: Session | None) -> dict[str, str]:
        form = await request.form()
        if not csrf_ok(session, form.get("csrf")):  # type: ignore[arg-type]
            raise NotAllowed(403)
        return {k: v for k, v in form.items() if isinstance(v, str)}

    def render(request: Request, name: str, session: Session, user: User | None, status: int = 200, **ctx: Any):
        msg = MESSAGES.get(request.query_params.get("msg", ""))
        return templates.TemplateResponse(
            request, name, {"csrf": session.csrf, "user": user, "message": msg, **ctx}, status_code=status,
        )

    # -- login and logout

    @app.get("/", include_in_schema=False)
    async def root(request: Request):
        current_user(request)
        return RedirectResponse("/queue", status_code=303)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        return Response(status_code=204)

    @app.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request):
        session = session_of(request)
        known = users.get(session.user) if session and session.user else None
        if known is not None and known.epoch == session.epoch:  # type: ignore[union-attr]
            return RedirectResponse("/queue", status_code=303)
        if session and session.user:
            session = None  # a stale login: start anonymous
        session = session or codec.new(None)
        response = render(request, "login.html", session, None, error=None)
        set_session(request, response, session)
        return response

    @app.post("/login")
    async def login(request: Request):
        session = session_of(request)
        form = await checked_form(request, session)
        name, password = form.get("username", "").strip(), form.get("password", "")
        client = request.client.host if request.client else "?"
        if throttle.blocked(name, client):
            return render(request, "login.html", session, None, status=429,  # type: ignore[arg-type]
                          error="Too many failed attempts; wait a few minutes.")
        user = await run_in_threadpool(users.authenticate, name, password) if name and password else None
        if user is None:
            throttle.failed(name, client)
            log.warning("review: failed login for %r from %s", name, client)
            return render(request, "login.html", session, None, status=401,  # type: ignore[arg-type]
                          error="Wrong user name or password.")
        throttle.succeeded(name)
        response = RedirectResponse("/queue", status_code=303)
        set_session(request, response, codec.new(user.name, user.epoch))  # fresh token: no fixation
        return response

    @app.post("/logout")
    async def logout(request: Request):
        user, session = current_user(request)
        await checked_form(request, session)
        queue.release(user.name)
        users.end_sessions(user.name)  # a copied cookie dies with the logout
        response = RedirectResponse("/login", status_code=303)
        set_session(request, response, codec.new(None))
        return response

    # -- the queue

    @app.get("/queue", response_class=HTMLResponse)
    async def queue_page(request: Request, doc: str | None = None):
        user, session = current_user(request)
        item = queue.next_item(user.name, cfg.lease_seconds, doc_id=doc or None)
        progress = queue.progress()
        return render(request, "queue.html", session, user, item=item, doc=doc or "",
                      context=highlight(item) if item else None, progress=progress_view(progress, item))

    @app.post("/queue")
    async def decide(request: Request):
        user, session = current_user(request)
        form = await checked_form(request, session)
        doc = form.get("doc", "")
        back = "/queue" + (f"?doc={quote(doc, safe='')}&" if doc else "?")
        try:
            item_id = int(form.get("item_id", ""))
        except ValueError:
            return RedirectResponse(back + "msg=invalid", status_code=303)
        item = queue.get(item_id)
        if item is None or item.lease_owner != user.name:
            return RedirectResponse(back + "msg=expired", status_code=303)
        action = form.get("action", "")
        series = form.get("series") == "1" and item.series_size > 1
        value: str | None = None
        if action.startswith("suggestion-"):
            try:
                value = item.suggestions[int(action.split("-", 1)[1]) - 1]
            except (ValueError, IndexError):
                return RedirectResponse(back + "msg=invalid", status_code=303)
            action = "suggestion"
        elif action == "correct":
            value = form.get("correction", "").strip()
            if not value:
                return RedirectResponse(back + "msg=invalid", status_code=303)
        try:
            if action == "skip":
                queue.skip(item.id, user.name)
                return RedirectResponse(back + "msg=skipped", status_code=303)
            if action not in ("accept", "suggestion", "correct", "illegible"):
                return RedirectResponse(back + "msg=invalid", status_code=303)
            n = queue.decide(item.id, user.name, action, value, series=series)
        except LeaseError:
            return RedirectResponse(back + "msg=expired", status_code=303)
        except QueueError:
            return RedirectResponse(back + "msg=invalid", status_code=303)
        return RedirectResponse(back + ("msg=series" if n > 1 else "msg=saved"), status_code=303)

    # -- images, by item id only

    @app.get("/item/{item_id}/word.png")
    async def word_image(request: Request, item_id: int):
        user, _ = current_user(request, page=False)
        item = visible_item(item_id, user)
        return await run_in_threadpool(word_png, cfg.job_dir, item)

    @app.get("/item/{item_id}/line.png")
    async def line_image(request: Request, item_id: int):
        user, _ = current_user(request, page=False)
        item = visible_item(item_id, user)
        return await run_in_threadpool(line_png, cfg.job_dir, item)

    def visible_item(item_id: int, user: User) -> QueueItem:
        """Reviewers see images only of the item they hold; admins of any item."""
        item = queue.get(item_id)
        if item is None or item.bbox is None or item.page is None:
            raise NotFoundError()
        if not user.is_admin and item.lease_owner != user.name:
            raise NotAllowed(403)
        return item

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError):
        return Response("not found\n", status_code=404, media_type="text/plain")

    # -- admin

    @app.get("/admin", response_class=HTMLResponse)
    async def admin_page(request: Request):
        user, session = current_user(request, admin=True)
        audit = queue.audit()
        per_reviewer: dict[str, dict[str, int]] = {}
        for a in audit:
            counts = per_reviewer.setdefault(a["reviewer"], {"total": 0})
            counts["total"] += 1
            counts[a["action"]] = counts.get(a["action"], 0) + 1
        recent = list(reversed(audit[-200:]))
        for a in recent:
            a["when"] = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(a["at"]))
        return render(request, "admin.html", session, user, users=users.list(), roles=ROLES,
                      progress=progress_view(queue.progress(), None), per_reviewer=per_reviewer,
                      audit=recent, audit_total=len(audit))

    @app.post("/admin/users/add")
    async def admin_add_user(request: Request):
        user, session = current_user(request, admin=True)
        form = await checked_form(request, session)
        try:
            users.add(form.get("username", "").strip(), form.get("role", ""), form.get("password", ""))
        except UserError:
            return RedirectResponse("/admin?msg=user-error", status_code=303)
        return RedirectResponse("/admin?msg=user-added", status_code=303)

    @app.post("/admin/users/remove")
    async def admin_remove_user(request: Request):
        user, session = current_user(request, admin=True)
        form = await checked_form(request, session)
        name = form.get("username", "")
        if name == user.name:
            return RedirectResponse("/admin?msg=self", status_code=303)
        try:
            users.remove(name)
        except UserError:
            return RedirectResponse("/admin?msg=user-error", status_code=303)
        queue.release(name)
        return RedirectResponse("/admin?msg=user-removed", status_code=303)

    return app


class NotFoundError(Exception):
    """An item or image that does not exist (or may not be shown): 404."""


# --------------------------------------------------------------------------- view helpers


def highlight(item: QueueItem) -> tuple[str, str, str]:
    """The line context split around the word in doubt (before, word, after) for ``<mark>``."""
    ctx = item.context or ""
    i = ctx.find(item.text) if item.text else -1
    if i < 0:
        return (ctx + " " if ctx else "", item.text, "")
    return ctx[:i], ctx[i:i + len(item.text)], ctx[i + len(item.text):]


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
            "series_open": progress.get("series_open", 0), "documents": docs, "current": current}


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


def page_file(job_dir: Path, item: QueueItem, suffix: str) -> Path:
    page = int(item.page or 0)
    if page < 1:
        raise NotFoundError()
    path = page_path(document_folder(job_dir, item.doc_id), page, suffix).resolve()
    if not path.is_relative_to(job_dir) or not path.is_file():
        raise NotFoundError()
    return path


def load_page_image(job_dir: Path, item: QueueItem) -> Image.Image:
    path = page_file(job_dir, item, ".tif")
    try:
        img = Image.open(path)
        img.load()
    except (OSError, ValueError) as exc:
        log.warning("review: cannot read %s: %s", path, exc)
        raise NotFoundError() from None
    return img


def line_box(job_dir: Path, item: QueueItem) -> tuple[int, int, int, int] | None:
    """The bbox of the OCR line holding the item's word, from ``pages/NNNN.json``."""
    if not item.word_id:
        return None
    try:
        data = json.loads(page_file(job_dir, item, ".json").read_text(encoding="utf-8"))
        for block in data.get("blocks", []):
            for line in block.get("lines", []):
                if any(w.get("id") == item.word_id for w in line.get("words", [])):
                    return tuple(int(v) for v in line["bbox"])  # type: ignore[return-value]
    except (NotFoundError, OSError, ValueError, KeyError, TypeError):
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


def png(img: Image.Image) -> Response:
    if max(img.size) > MAX_IMAGE_SIDE:
        img = ImageOps.contain(img, (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return Response(buf.getvalue(), media_type="image/png", headers={"Cache-Control": "private, max-age=300"})
