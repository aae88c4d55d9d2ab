"""Sessions, CSRF tokens and login throttling for the review page.

A session is a signed, timestamped cookie (itsdangerous) holding the user name and a random CSRF
token; nothing else is trusted from the browser. The signing key is generated once per job folder
and kept in ``DIR/.review-secret`` (mode 0600), so sessions survive a server restart but a key
never leaves the folder. Every POST must echo the session's CSRF token in its form (session-bound
token, compared in constant time); a visitor without a login gets an anonymous session so the
login form itself is protected too.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SECRET_FILE = ".review-secret"
COOKIE_NAME = "digitize_review"
SESSION_MAX_AGE = 12 * 3600  # one working day


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
    epoch: int = 0  # the user's session epoch at login (see ``users.User.epoch``)


class SessionCodec:
    """Sign and check the session cookie's value."""

    def __init__(self, secret: bytes, max_age: int = SESSION_MAX_AGE):
        self._s = URLSafeTimedSerializer(secret, salt="digitize-review-session")
        self.max_age = max_age

    def new(self, user: str | None, epoch: int = 0) -> Session:
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
        user, epoch = data.get("u"), data.get("e", 0)
        return Session(user=user if isinstance(user, str) else None, csrf=data["c"],
                       epoch=epoch if isinstance(epoch, int) else -1)


def csrf_ok(session: Session | None, submitted: str | None) -> bool:
    return bool(session and submitted) and hmac.compare_digest(session.csrf.encode(), str(submitted).encode())


class LoginThrottle:
    """Slows password guessing: at most ``per_name`` failed logins for one user name and
    ``per_client`` from one address within ``window`` seconds (in memory, per server process)."""

    def __init__(self, per_name: int = 5, per_client: int = 20, window: float = 300.0):
        self.per_name, self.per_client, self.window = per_name, per_client, window
        self._fails: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails[key]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, name: str, client: str) -> bool:
        now = time.monotonic()
        return (len(self._recent("n:" + name, now)) >= self.per_name
                or len(self._recent("c:" + client, now)) >= self.per_client)

    def failed(self, name: str, client: str) -> None:
        now = time.monotonic()
        self._recent("n:" + name, now).append(now)
        self._recent("c:" + client, now).append(now)

    def succeeded(self, name: str) -> None:
        self._fails.pop("n:" + name, None)
