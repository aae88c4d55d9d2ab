"""The one way digitize opens SQLite: the ledger, the correction queue and the user store share it.

The job folder's ledger is written by the batch client while ``status``, ``review`` and
``report`` read it, so every connection uses WAL and a busy timeout; a reader that only reads opens
the file read-only (``mode=ro``), which cannot create a missing database or take a write lock.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote


class DatabaseUnusable(sqlite3.DatabaseError):
    """A job's SQLite file that cannot be opened; the message (path, reason, what to do) is one
    line. ``digitize.cli`` reports it as an error (exit 1)."""


def _uri(path: Path | str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(Path(path).absolute()))}?{query}"  # '?' and '#' in a folder name are no URI syntax


def connect(path: Path | str, *, readonly: bool = False, timeout: float = 30.0,
            autocommit: bool = True, wal: bool = True) -> sqlite3.Connection:
    """A connection with rows by name. ``autocommit`` (``isolation_level=None``) leaves
    transactions to the caller's ``BEGIN``; without it Python's implicit transactions apply.

    A file that is not a database (damaged, overwritten) raises ``DatabaseUnusable`` in one line. A
    reader (``readonly``) of a ledger in a folder it cannot write (a read-only mount, a copy on
    a DVD) opens it as immutable: SQLite then needs neither the ``-shm`` file nor a lock."""
    kw: dict = {"isolation_level": None} if autocommit else {}
    try:
        try:
            conn = _open(path, readonly, timeout, wal, kw, immutable=False)
        except sqlite3.OperationalError:
            # only where nobody can write either (a read-only mount): never under a live writer
            if not readonly or not Path(path).is_file() or os.access(Path(path).absolute().parent, os.W_OK):
                raise
            conn = _open(path, readonly, timeout, wal, kw, immutable=True)
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnusable(store_problem(path, exc)) from None
    return conn


def _open(path: Path | str, readonly: bool, timeout: float, wal: bool, kw: dict, *, immutable: bool):
    if readonly:
        params = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
        conn = sqlite3.connect(_uri(path, **params), uri=True, timeout=timeout, **kw)
    else:
        conn = sqlite3.connect(str(path), timeout=timeout, **kw)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        if wal and not readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # a damaged file fails here, not later
    except BaseException:
        conn.close()
        raise
    return conn


def store_problem(path: Path | str, exc: sqlite3.Error) -> str:
    """One line on what is wrong with a job's SQLite file and what to do."""
    text = str(exc).strip() or type(exc).__name__
    if "not a database" in text or "malformed" in text:
        return f"{path}: damaged ({text}); restore it from a backup, or run again into a new --out folder"
    if "full" in text:
        return f"{path}: {text}; free some space and run the command again (what was recorded is kept)"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return f"{path}: {text}; the folder must be writable for this command"
    return f"{path}: {text}"
