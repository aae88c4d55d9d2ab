"""The one way digitize opens SQLite: the ledger, the correction queue and the user store share it.

The job folder's ledger is written by the batch client while ``status``, ``review`` and
``report`` read it, so every connection uses WAL and a busy timeout; a reader that only reads opens
the file read-only (``mode=ro``), which cannot create a missing database or take a write lock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect(path: Path | str, *, readonly: bool = False, timeout: float = 30.0,
            autocommit: bool = True, wal: bool = True) -> sqlite3.Connection:
    """A connection with rows by name. ``autocommit`` (``isolation_level=None``) leaves
    transactions to the caller's ``BEGIN``; without it Python's implicit transactions apply."""
    kw = {"isolation_level": None} if autocommit else {}
    if readonly:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, timeout=timeout, **kw)
    else:
        conn = sqlite3.connect(str(path), timeout=timeout, **kw)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    if wal and not readonly:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    return conn
