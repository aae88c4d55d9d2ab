"""The QA review web page: one word (or bibliographic field) in doubt at a time, keyboard first.

``create_app(job_dir)`` builds the FastAPI application over the job's correction queue and its
reviewer accounts: the shared state and guards (``review.web``), the routers (``review.routes``:
sign-in, queue, images, admin), the security headers and the error pages. Pages are server-side
Jinja2 templates with a little local JavaScript; nothing is loaded from elsewhere.

Security, in one place: signed HttpOnly SameSite=Strict session cookies, a session-bound CSRF
token checked on every POST, roles checked on every request (a removed user is logged out at
once), images addressed by queue item id only and read from a folder resolved through the ledger
and checked to be inside the job folder, a strict Content-Security-Policy, no caching of pages.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..jobfolder import JobFolder
from ..store.users import UserStore
from .auth import BodyLimit, DeviceCodec, LoginThrottle, SessionCodec, load_or_create_secret
from .routes import ROUTERS
from .server import ConcurrencyLimit
from .web import LEASE_SECONDS, NotAllowed, NotFoundError, ReviewConfig, ReviewState, redirect

HERE = Path(__file__).resolve().parent

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


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

    for router in ROUTERS:
        app.include_router(router)
    return app


def profile_rules(name: str):
    """What a reviewer may enter for a document of profile ``name`` (its ``[queue]`` section)."""
    from dataclasses import replace
    from functools import partial

    from ..proofread.decisions import DecisionRules
    from ..settings.profile import load, or_defaults
    from ..structure import decided

    profile = load(name)
    return replace(DecisionRules.from_profile(profile),
                   list_check=partial(decided.check, or_defaults(profile).structure))
