"""What every route of the review page shares: the job's state, the guards, the page renderer.

``ReviewState`` (one per application, on ``app.state.review``) holds the queue, the users, the
session codecs and the templates; routes reach it through ``state(request)``. The guards
(``reviewer_page``, ``reviewer_api``, ``admin_page``) are FastAPI dependencies that raise
``NotAllowed`` (a redirect to /login for pages, 401/403 otherwise), and ``form_of`` gives a POSTed
form only once its CSRF token matches the session's. Messages shown after a redirect are chosen by
key (``MESSAGES``): nothing from the URL is echoed into a page.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ..store.queue import Queue
from ..store.users import User, UserStore
from .auth import COOKIE_NAME, DeviceCodec, LoginThrottle, Session, SessionCodec, csrf_ok

LEASE_SECONDS = 120  # the page renews it every RENEW_SECONDS while it is open
RENEW_SECONDS = 40
HASH_SLOTS = 2  # password checks at once: each scrypt check holds 32 MiB

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
