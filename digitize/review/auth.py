"""Sessions, CSRF tokens and login throttling for the review page.

A session is a signed, timestamped cookie (itsdangerous) holding the user name and a random CSRF
token; nothing else is trusted from the browser. The signing key is generated once per job folder
and kept in ``DIR/.review-secret`` (mode 0600), so sessions survive a server restart but a key
never leaves the folder. Every POST must echo the session's CSRF token in its form (session-bound
token, compared in constant time); a visitor without a login gets an anonymous session so the
login form itself is protected too. The cookie also carries the account's random session key
(``users.User.epoch``): removing the account, logging out or changing the password ends it.

What an anonymous visitor can make the server hold is bounded: request bodies over
``MAX_BODY`` bytes are refused with 413 before they are read (``BodyLimit``), and the login
throttle keeps at most ``max_keys`` counters per kind, for valid user names only, forgotten after
a quiet quarter of an hour.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..store.users import NAME_RE

SECRET_FILE = ".review-secret"
COOKIE_NAME = "digitize_review"
SESSION_MAX_AGE = 12 * 3600  # one working day
MAX_BODY = 64 * 1024  # bytes: the largest form (a correction, a new user) is a few hundred

log = logging.getLogger(__name__)


def load_or_create_secret(job_dir: Path | str) -> bytes:
    """The folder's signing key, created with mode 0600 on first use (race-free: O_EXCL)."""
    path = Path(job_dir) / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
    for _ in range(50):  # another process may be between O_EXCL and write
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 64:
            return key.encode("ascii")
        time.sleep(0.02)
    raise RuntimeError(f"{path}: unreadable review secret; delete it to make a new one")


@dataclass(frozen=True)
class Session:
    user: str | None  # None: anonymous (login page)
    csrf: str
    epoch: str | None = None  # the account's session key at login (``users.User.epoch``)


class SessionCodec:
    """Sign and check the session cookie's value."""

    def __init__(self, secret: bytes, max_age: int = SESSION_MAX_AGE):
        self._s = URLSafeTimedSerializer(secret, salt="digitize-review-session")
        self.max_age = max_age

    def new(self, user: str | None, epoch: str | None = None) -> Session:
        """A fresh session with a fresh CSRF token (on login: no fixation of an old token)."""
        return Session(user=user, csrf=secrets.token_urlsafe(32), epoch=epoch)

    def dumps(self, session: Session) -> str:
        return self._s.dumps({"u": session.user, "c": session.csrf, "e": session.epoch})

    def loads(self, value: str | None) -> Session | None:
        if not value:
            return None
        try:
            data = self._s.loads(value, max_age=self.max_age)
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user, key = data.get("u"), data.get("e")
        return Session(user=user if isinstance(user, str) else None, csrf=data["c"],
                       epoch=key if isinstance(key, str) and key else None)  # an old int epoch: no match


DEVICE_COOKIE = "digitize_device"
DEVICE_MAX_AGE = 30 * 24 * 3600


class DeviceCodec:
    """A device cookie: set at a successful login (signed: user name and a random id, 30 days,
    sent to ``/login`` only). A login for that name from a browser that holds it is throttled on
    its own counter, so a flood of guesses at the name or from the address (a shared proxy) never
    keeps its owner out; a guesser without the cookie is throttled as before (OWASP's "device
    cookies" against lock-out)."""

    def __init__(self, secret: bytes, max_age: int = DEVICE_MAX_AGE):
        self._s = URLSafeTimedSerializer(secret, salt="digitize-review-device")
        self.max_age = max_age

    def new(self, user: str) -> str:
        return self._s.dumps({"u": user, "d": secrets.token_urlsafe(16)})

    def device_for(self, value: str | None, user: str) -> str | None:
        """The device id if ``value`` is a valid device cookie of ``user``; else None."""
        if not value or len(value) > 512:
            return None
        try:
            data = self._s.loads(value, max_age=self.max_age)
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(data, dict) or data.get("u") != user or not isinstance(data.get("d"), str):
            return None
        return data["d"]


def csrf_ok(session: Session | None, submitted: str | None) -> bool:
    return bool(session and submitted) and hmac.compare_digest(session.csrf.encode(), str(submitted).encode())


@dataclass
class _Count:
    fails: int = 0  # attempts not known to have succeeded, since the entry was made
    next_at: float = 0.0  # the earliest time (clock) the next attempt's password is checked
    seen: float = 0.0  # the last attempt: the entry is forgotten ``forget`` seconds later


class _Counters:
    """At most ``max_keys`` counters, least recently used dropped first, stale ones forgotten."""

    def __init__(self, max_keys: int, forget: float):
        self.max_keys, self.forget = max_keys, forget
        self._d: OrderedDict[str, _Count] = OrderedDict()

    def __len__(self) -> int:
        return len(self._d)

    def get(self, key: str, now: float) -> _Count | None:
        c = self._d.get(key)
        if c is not None and now - c.seen > self.forget:
            del self._d[key]
            return None
        return c

    def touch(self, key: str, now: float) -> _Count:
        c = self.get(key, now)
        if c is None:
            c = self._d[key] = _Count()
            while len(self._d) > self.max_keys:
                self._d.popitem(last=False)
        self._d.move_to_end(key)
        c.seen = now
        return c

    def drop(self, key: str) -> None:
        self._d.pop(key, None)


def _shown(name: str) -> str:
    return repr(name if len(name) <= 64 else name[:64] + f"... ({len(name)} chars)")


class LoginThrottle:
    """Slows password guessing with growing delays, per user name and per client address; never
    a hard lock-out of the right password.

    The first ``free_per_name`` attempts for a name (``free_per_client`` from an address) are
    checked at once; after that each attempt is checked only ``base`` × 2^k seconds (capped at
    ``cap``) after the previous one on the same name or address. Attempts arriving together queue
    one behind the other; one that would have to wait more than ``cap`` is refused (429) without
    checking its password. A right password clears the name's counters.

    Three lanes, so that a flood of guesses keeps only the guessers out:

    * a browser holding a device cookie of the name (``DeviceCodec``: it logged in as that name
      before) has its own counter, whatever floods the name or its address;
    * an address that has not been guessing at the name (fewer than ``free_per_name`` recent
      failures for it: the owner on another network, a colleague's machine) queues on the
      name's *fresh* counter, not behind the flood: guesses from addresses that keep guessing
      never delay it. The lane has ``free_fresh`` attempts at once (the first guesses of a few
      addresses before they count as guessing, the owner's), then delays of its own; its
      attempts count on the name too. So a guesser who spreads guesses over fresh addresses
      gets at most one more checked attempt per ``cap`` seconds for the name than one who does
      not;
    * every other attempt (an address that has been guessing at the name) queues on the name.

    What stays: the owner in a new browser behind the very address that floods her name shares
    that address's lane with the guesser and can be refused. Nothing but the password tells
    those two apart, and checking every password of a flood would let it guess at the speed of
    the hash.

    Memory is bounded: ``max_keys`` counters per kind (least recently used evicted), only for
    names that could be accounts (``users.NAME_RE``, at most 64 characters), addresses cut to 64
    characters, and each counter forgotten ``forget`` seconds after its last attempt.
    """

    def __init__(self, free_per_name: int = 3, free_per_client: int = 10, base: float = 1.0,
                 cap: float = 30.0, forget: float = 900.0, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic, free_fresh: int = 10):
        self.free_per_name, self.free_per_client, self.free_fresh = free_per_name, free_per_client, free_fresh
        self.base, self.cap, self.clock = base, cap, clock
        self.names, self.clients = _Counters(max_keys, forget), _Counters(max_keys, forget)
        self.devices = _Counters(max_keys, forget)
        self.fresh = _Counters(max_keys, forget)  # per name: attempts from addresses not guessing at it
        self.pairs = _Counters(max_keys, forget)  # per name and address: how much this address guessed

    def __len__(self) -> int:
        return len(self.names) + len(self.clients) + len(self.devices) + len(self.fresh) + len(self.pairs)

    def delay(self, fails: int, free: int) -> float:
        """The wait before the attempt after ``fails`` unsuccessful ones."""
        return 0.0 if fails < free else min(self.cap, self.base * 2.0 ** (fails - free))

    @staticmethod
    def _pair(name: str, client: str) -> str:
        return f"{name}\0{client}"

    def _keys(self, name: str, client: str, device: str | None, now: float
              ) -> tuple[list[tuple[_Counters, str, int]], list[tuple[_Counters, str, int]]]:
        """(the counters whose queue the attempt waits on, counters it only counts on)."""
        if device:  # a browser this name logged in from: its own lane, whatever floods the name or address
            return [(self.devices, device[:64], self.free_per_name)], []
        client = str(client)[:64]
        keys = [(self.clients, client, self.free_per_client)]
        if not NAME_RE.match(name or ""):
            return keys, []
        pair = (self.pairs, self._pair(name, client), self.free_per_name)
        guessed = self.pairs.get(pair[1], now)
        if guessed is None or guessed.fails < self.free_per_name:  # not an address guessing at the name
            return keys + [(self.fresh, name, self.free_fresh), pair], [(self.names, name, self.free_per_name)]
        return keys + [(self.names, name, self.free_per_name), pair], []

    def reserve(self, name: str, client: str, device: str | None = None) -> float | None:
        """Count an attempt and return how many seconds to wait before checking its password;
        None: refuse it now (the queue of its lane is longer than ``cap``). With ``device`` (the
        id of a device cookie this name got at a successful login) only that device's own
        counter applies."""
        now = self.clock()
        keys, counted = self._keys(name, client, device, now)
        start = now
        for counters, key, _ in keys:
            c = counters.get(key, now)
            if c is not None:
                start = max(start, c.next_at)
        if start - now > self.cap:
            log.warning("review: login attempt for %s from %s refused: %.0f s of attempts already queued",
                        _shown(name), client, start - now)
            return None
        for counters, key, free in keys:
            c = counters.touch(key, now)
            c.fails += 1
            c.next_at = start + self.delay(c.fails, free)
        for counters, key, free in counted:  # the name's own queue grows, this attempt does not wait on it
            c = counters.touch(key, now)
            c.fails += 1
            c.next_at = max(c.next_at, now) + self.delay(c.fails, free)
        if start > now:
            log.warning("review: login attempt for %s from %s delayed %.1f s after repeated failures",
                        _shown(name), client, start - now)
        return start - now

    async def admit(self, name: str, client: str, device: str | None = None) -> bool:
        """``reserve`` and wait (without holding up other requests); False: refuse with 429."""
        wait = self.reserve(name, client, device)
        if wait is None:
            return False
        if wait > 0:
            await asyncio.sleep(wait)
        return True

    def failed(self, name: str, client: str) -> None:
        """The attempt was wrong (it was counted by ``reserve``): log it."""
        n = self.names.get(name, self.clock()) if NAME_RE.match(name or "") else None
        log.warning("review: failed login for %s from %s (%d recent failures for the name)",
                    _shown(name), client, n.fails if n else 0)

    def succeeded(self, name: str, client: str | None = None, device: str | None = None) -> None:
        """The right password: the name's counters go; the address's attempt was no failure."""
        self.names.drop(name)
        self.fresh.drop(name)
        if device:
            self.devices.drop(device[:64])
        if client is not None:
            self.pairs.drop(self._pair(name, str(client)[:64]))
            c = self.clients.get(str(client)[:64], self.clock())
            if c is not None:
                c.fails = max(0, c.fails - 1)


class BodyLimit:
    """ASGI middleware: a request body over ``max_bytes`` gets 413 before it is read into memory
    (by its Content-Length, or while streaming a chunked body), so nobody can make the server
    parse megabyte forms."""

    def __init__(self, app: Any, max_bytes: int = MAX_BODY):
        self.app, self.max_bytes = app, max_bytes

    async def _refuse(self, send: Any) -> None:
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/plain"), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": b"request body too large\n"})

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await self._refuse(send)
        received, started = 0, False

        async def limited_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)


class _TooLarge(Exception):
    pass
