"""Reviewer accounts: names, roles and slow salted password hashes in SQLite.

Users live in the job's ``ledger.sqlite`` (table ``review_users``) or in a shared database named
with ``--users-db``, so one office can keep one list of reviewers for many job folders. Passwords
are hashed with scrypt (memory-hard, per-user random salt) and compared in constant time; an
unknown name costs the same hash as a known one so that timing does not reveal who exists.

Every account row holds a random session key (128 bits, ``session_key``), written into each of
its session cookies and compared on every request. A new account, even under a name used before,
gets a fresh key, and logout or a password change draws a new one: a cookie dies with the account
(or the logout) for good, as a key is never reused. (Before, the check was name + a counter that
restarted at 0 when a removed name was created again, so the old cookie came back to life.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .sqlite import connect
from ..fsutil import create_following_umask

ROLES = ("reviewer", "admin")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8

# scrypt cost: ~0.1 s and 32 MiB per hash here; stored with the hash so it can be raised later.
_N, _R, _P = 2**15, 8, 1
_MAXMEM = 2**26


class UserError(ValueError):
    """A bad name, role or password, or an unknown user: reported in one line."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created: float
    # The account's session key: random, replaced on logout and password change, never reused;
    # a session is valid only while its key equals this (the name ``epoch`` is historical).
    epoch: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_password(password: str, *, n: int = _N, r: int = _R, p: int = _P) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64) with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${n}${r}${p}${b64(salt)}${b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a ``hash_password`` string."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            maxmem=_MAXMEM, dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


_DUMMY_HASH = None  # computed on first use: a hash to burn time on for unknown names


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_urlsafe(12))
    return _DUMMY_HASH


def new_session_key() -> str:
    return secrets.token_urlsafe(16)


def check_name(name: str) -> str:
    if not NAME_RE.match(name or ""):
        raise UserError(f"invalid user name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-'")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"invalid role {role!r}: expected one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"password too short: at least {MIN_PASSWORD} characters")
    return password


def _user(row: tuple) -> User:
    name, role, created, key = row
    return User(name, role, created, key or "")  # no key (a row from an older version): no session matches


class UserStore:
    """The ``review_users`` table. Short-lived connections: the ledger file is shared (WAL)."""

    def __init__(self, db_path: Path | str):
        self.path = Path(db_path)
        if self.path.parent.is_dir():
            create_following_umask(self.path)  # not SQLite's fixed 0644
        with self._connect() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS review_users ("
                " name TEXT PRIMARY KEY, role TEXT NOT NULL, pw_hash TEXT NOT NULL,"
                " created REAL NOT NULL, updated REAL NOT NULL, session_key TEXT)"
            )
            columns = {r[1] for r in con.execute("PRAGMA table_info(review_users)")}
            if "session_key" not in columns:  # a table made by an earlier version (name + epoch)
                con.execute("ALTER TABLE review_users ADD COLUMN session_key TEXT")
            for (name,) in con.execute("SELECT name FROM review_users WHERE session_key IS NULL").fetchall():
                con.execute("UPDATE review_users SET session_key = ? WHERE name = ?", (new_session_key(), name))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One transaction on a fresh connection, committed and closed."""
        con = connect(self.path, timeout=15, autocommit=False, wal=False)
        try:
            with con:
                yield con
        finally:
            con.close()

    def add(self, name: str, role: str, password: str, *, replace: bool = False) -> User:
        check_name(name)
        check_role(role)
        check_password(password)
        now = time.time()
        pw = hash_password(password)
        with self._connect() as con:
            if replace:
                con.execute(
                    "INSERT INTO review_users(name, role, pw_hash, created, updated, session_key) VALUES (?,?,?,?,?,?)"
                    " ON CONFLICT(name) DO UPDATE SET role=excluded.role, pw_hash=excluded.pw_hash,"
                    " updated=excluded.updated, session_key=excluded.session_key",
                    (name, role, pw, now, now, new_session_key()),
                )
            else:
                try:
                    con.execute(
                        "INSERT INTO review_users(name, role, pw_hash, created, updated, session_key) VALUES (?,?,?,?,?,?)",
                        (name, role, pw, now, now, new_session_key()),
                    )
                except sqlite3.IntegrityError:
                    raise UserError(f"user {name!r} already exists") from None
        return self.get(name)  # type: ignore[return-value]

    def remove(self, name: str) -> None:
        with self._connect() as con:
            cur = con.execute("DELETE FROM review_users WHERE name = ?", (name,))
        if cur.rowcount == 0:
            raise UserError(f"no such user {name!r}")

    def get(self, name: str) -> User | None:
        with self._connect() as con:
            row = con.execute("SELECT name, role, created, session_key FROM review_users WHERE name = ?", (name,)).fetchone()
        return _user(row) if row else None

    def list(self) -> list[User]:
        with self._connect() as con:
            rows = con.execute("SELECT name, role, created, session_key FROM review_users ORDER BY name").fetchall()
        return [_user(r) for r in rows]

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when ``password`` is right, else None (same cost for unknown names)."""
        with self._connect() as con:
            row = con.execute(
                "SELECT name, role, created, session_key, pw_hash FROM review_users WHERE name = ?", (name,)
            ).fetchone()
        if row is None:
            verify_password(password, _dummy_hash())
            return None
        return _user(row[:4]) if verify_password(password, row[4]) else None

    def end_sessions(self, name: str) -> None:
        """Invalidate every session of ``name`` (logout everywhere): a new random key."""
        with self._connect() as con:
            con.execute("UPDATE review_users SET session_key = ? WHERE name = ?", (new_session_key(), name))
