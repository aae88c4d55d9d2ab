"""Signing in and out: the login form, the password check (throttled, a few at once) and logout.

A successful login gets a fresh session (no fixation) and a device cookie that lets the throttle
tell this browser from an attacker guessing the same name; logout ends every session of the
account and gives back the reviewer's leases.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..auth import DEVICE_COOKIE
from ..web import Auth, form_of, redirect, render, reviewer_page, session_of, set_session, state

router = APIRouter()


@router.get("/", include_in_schema=False)
async def root(auth: Auth = Depends(reviewer_page)):
    return redirect("/queue")


@router.get("/favicon.ico", include_in_schema=False)
async def favicon():
    return Response(status_code=204)


@router.get("/login", response_class=HTMLResponse)
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


@router.post("/login")
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


@router.post("/logout")
def logout(request: Request, auth: Auth = Depends(reviewer_page), form: dict = Depends(form_of)):
    st = state(request)
    st.queue.release(auth.user.name)
    st.users.end_sessions(auth.user.name)  # a copied cookie dies with the logout
    response = redirect("/login")
    set_session(request, response, st.codec.new(None))
    return response
