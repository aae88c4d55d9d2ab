"""The ledger: one SQLite row per input, the single source of truth for what is done.

A re-run reads it to skip inputs already done with the same checksum and to resume the rest;
``digitize status``, the report, the authority file and the review tools read it too. Only the
batch client writes document states during a run (workers return results, they never touch the
database), so SQLite in WAL mode on the job folder is enough even for a remote cluster.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from .sqlite import connect
from ..fsutil import create_following_umask

STATES = ("pending", "running", "done", "needs-review", "failed")
# a document a reviewer said is no publication (a drawing sheet alone, a cover letter, a blank):
# state done, this reason; it is left out of the delivery and the authority file
NOT_PUBLICATION = "not a publication: "


# A document the quality gate keeps in review has its reason in the ``quality`` column; ledgers
# written before that column held it in ``reason`` behind this prefix (read and migrated here only).
OLD_QUALITY_PREFIX = "quality: "


def not_a_publication(row: dict | None) -> str | None:
    """The reviewer's reason when the ledger row is a document marked as no publication."""
    reason = (row or {}).get("reason") or ""
    return reason[len(NOT_PUBLICATION):] if reason.startswith(NOT_PUBLICATION) else None


def shown_reason(row: dict | None) -> str | None:
    """The one-line reason shown for a document (report, delivery, ``status --json``): the
    ledger's ``reason``, else the quality gate's as ``quality: <why>``."""
    row = row or {}
    if row.get("reason"):
        return row["reason"]
    return f"quality: {row['quality']}" if row.get("quality") else None


def _row(row: sqlite3.Row) -> dict[str, Any]:
    """A ``documents`` row as a dict with its ``quality``: a ledger opened read-only before its
    migration holds the gate's reason in ``reason`` still (``OLD_QUALITY_PREFIX``)."""
    out = dict(row)
    if "quality" not in out:
        reason = out.get("reason") or ""
        old = reason.startswith(OLD_QUALITY_PREFIX)
        out["quality"] = reason[len(OLD_QUALITY_PREFIX):] if old else None
        if old:
            out["reason"] = None
    return out

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    input TEXT UNIQUE NOT NULL,
    checksum TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    doc_id TEXT,
    out_dir TEXT,
    pages INTEGER,
    seconds REAL,
    validated TEXT,
    profile TEXT,
    started REAL,
    finished REAL,
    updated REAL,
    completions INTEGER NOT NULL DEFAULT 0,
    warning TEXT
);
CREATE INDEX IF NOT EXISTS documents_state ON documents(state);
CREATE INDEX IF NOT EXISTS documents_doc_id ON documents(doc_id);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    ended REAL,
    outcome TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    documents INTEGER NOT NULL DEFAULT 0
);
"""
# Columns added after the first ledgers were written: (name, type), added to an older ledger when a
# run opens it. page_count: the pages the input has, once known; pages_done: its pages recognised so
# far (those an earlier run kept included), for progress while it runs; recognised: the pages the
# run that finished it recognised itself; quality: why the document-level quality gate keeps the
# document in review (None: it passed, or was not judged since).
ADDED_COLUMNS = (("page_count", "INTEGER"), ("pages_done", "INTEGER"), ("recognised", "INTEGER"),
                 ("quality", "TEXT"))


class Ledger:
    """The ``documents`` table: the only module with SQL on it. ``readonly`` opens an existing
    ledger with ``mode=ro`` for callers that only read (status, report, package, authority)."""

    def __init__(self, path: Path | str, *, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            self.conn = connect(self.path, readonly=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        create_following_umask(self.path)  # not SQLite's fixed 0644
        self.conn = connect(self.path)
        self.conn.executescript(SCHEMA)
        have = {r[1] for r in self.conn.execute("PRAGMA table_info(documents)")}
        for name, kind in ADDED_COLUMNS:
            if name not in have:
                self.conn.execute(f"ALTER TABLE documents ADD COLUMN {name} {kind}")
        if "quality" not in have:  # the gate's reasons of an older ledger move to their column
            n = len(OLD_QUALITY_PREFIX)
            self.conn.execute(f"UPDATE documents SET quality = substr(reason, {n + 1}), reason = NULL "
                              f"WHERE substr(reason, 1, {n}) = ?", (OLD_QUALITY_PREFIX,))

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- reads -------------------------------------------------------------------------------
    def get(self, input_path: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM documents WHERE input = ?", (input_path,)).fetchone()
        return _row(row) if row else None

    def by_doc_id(self, doc_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return _row(row) if row else None

    def rows(self, state: str | None = None, *, order: str = "input") -> list[dict[str, Any]]:
        """Every row (of one ``state``), by ``order``: ``input``, ``id`` (the order registered) or ``doc_id``."""
        if order not in ("input", "id", "doc_id"):
            raise ValueError(f"unknown order {order!r}")
        sql, args = "SELECT * FROM documents", ()
        if state:
            sql, args = sql + " WHERE state = ?", (state,)
        return [_row(r) for r in self.conn.execute(sql + f" ORDER BY {order}", args)]

    def out_dir(self, doc_id: str) -> str | None:
        """The folder (relative to the job folder) the document was last written to."""
        row = self.conn.execute(
            "SELECT out_dir FROM documents WHERE doc_id = ? AND out_dir IS NOT NULL ORDER BY updated DESC LIMIT 1",
            (doc_id,),
        ).fetchone()
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATES}
        for state, n in self.conn.execute("SELECT state, COUNT(*) FROM documents GROUP BY state"):
            out[state] = n
        return out

    # -- writes by the batch client ------------------------------------------------------------
    def register(self, input_path: str, size: int, mtime_ns: int, checksum: str, profile: str) -> dict[str, Any]:
        """Record an input for this run; a changed checksum makes a done input pending again."""
        now = time.time()
        with self.transaction() as c:
            row = c.execute("SELECT * FROM documents WHERE input = ?", (input_path,)).fetchone()
            if row is None:
                c.execute(
                    "INSERT INTO documents (input, checksum, size, mtime_ns, state, profile, updated) "
                    "VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                    (input_path, checksum, size, mtime_ns, profile, now),
                )
            elif row["checksum"] != checksum or row["profile"] != profile:
                c.execute(
                    "UPDATE documents SET checksum=?, size=?, mtime_ns=?, state='pending', attempts=0, reason=NULL, "
                    "quality=NULL, profile=?, updated=? WHERE input=?",
                    (checksum, size, mtime_ns, profile, now, input_path),
                )
            elif row["size"] != size or row["mtime_ns"] != mtime_ns:
                c.execute("UPDATE documents SET size=?, mtime_ns=?, updated=? WHERE input=?", (size, mtime_ns, now, input_path))
        return self.get(input_path)  # type: ignore[return-value]

    def fail_missing(self, input_path: str, reason: str) -> None:
        now = time.time()
        with self.transaction() as c:
            c.execute(
                "INSERT INTO documents (input, state, reason, updated) VALUES (?, 'failed', ?, ?) "
                "ON CONFLICT(input) DO UPDATE SET state='failed', reason=excluded.reason, quality=NULL, "
                "updated=excluded.updated",
                (input_path, reason, now),
            )

    def mark_running(self, input_path: str) -> None:
        now = time.time()
        self.conn.execute(
            "UPDATE documents SET state='running', attempts=attempts+1, started=?, updated=? WHERE input=?",
            (now, now, input_path),
        )

    def mark_failed(self, input_path: str, reason: str) -> None:
        reason = " ".join(str(reason).split())[:500]  # one line
        self.conn.execute(
            "UPDATE documents SET state='failed', reason=?, quality=NULL, finished=?, updated=? WHERE input=?",
            (reason, time.time(), time.time(), input_path),
        )

    def note_moved(self, input_path: str, where: str) -> None:
        """A failed input's original was moved (the hot folder's ``failed/``): its reason says where."""
        self.conn.execute("UPDATE documents SET reason = COALESCE(reason, 'failed') || ?, updated = ? WHERE input = ?",
                          (f"; the original is now {where}", time.time(), input_path))

    def mark_finished(self, input_path: str, *, state: str, doc_id: str, out_dir: str, pages: int, seconds: float,
                      validated: str, warning: str | None = None, recognised: int | None = None) -> None:
        assert state in ("done", "needs-review")
        now = time.time()
        self.conn.execute(
            "UPDATE documents SET state=?, reason=NULL, quality=NULL, doc_id=?, out_dir=?, pages=?, seconds=?, validated=?, "
            "finished=?, updated=?, completions=completions+1, warning=?, page_count=?, pages_done=?, recognised=? "
            "WHERE input=?",
            (state, doc_id, out_dir, pages, seconds, validated, now, now, warning, pages, pages, recognised, input_path),
        )

    def adopt_relative(self, inputs: Iterable[str], cwd: str) -> int:
        """Rows an older version recorded under a relative input name (as given on its command
        line) take the absolute name of this run's input they name from ``cwd``, so a re-run
        skips or resumes them instead of processing them again. Returns how many were renamed."""
        rows = self.conn.execute("SELECT input FROM documents WHERE input NOT LIKE '/%'").fetchall()
        if not rows:
            return 0
        wanted = set(inputs)
        renamed = 0
        with self.transaction() as c:
            for (name,) in rows:
                full = os.path.normpath(os.path.join(cwd, name))
                if full in wanted and c.execute("SELECT 1 FROM documents WHERE input = ?", (full,)).fetchone() is None:
                    c.execute("UPDATE documents SET input = ? WHERE input = ?", (full, name))
                    renamed += 1
        return renamed

    def set_progress(self, input_path: str, page_count: int | None, pages_done: int) -> None:
        """How far a running input is: its page count (when known) and the pages recognised so far."""
        self.conn.execute("UPDATE documents SET page_count=COALESCE(?, page_count), pages_done=?, updated=? "
                          "WHERE input=?", (page_count, pages_done, time.time(), input_path))

    # -- runs ----------------------------------------------------------------------------------
    def start_run(self) -> int:
        """A row for this run; ``end_run`` closes it. A row never closed is a run that was killed."""
        return self.conn.execute("INSERT INTO runs (started) VALUES (?)", (time.time(),)).lastrowid

    def end_run(self, run_id: int, outcome: str, pages: int, documents: int) -> dict[str, Any]:
        self.conn.execute("UPDATE runs SET ended=?, outcome=?, pages=?, documents=? WHERE id=?",
                          (time.time(), outcome, pages, documents, run_id))
        return self.last_run()  # type: ignore[return-value]

    def last_run(self) -> dict[str, Any] | None:
        """The latest run: started, ended (None: killed, or still going), outcome, pages it recognised,
        documents it finished."""
        try:
            row = self.conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        except sqlite3.OperationalError:  # a ledger older than the runs table, opened read-only
            return None
        return dict(row) if row else None

    def set_state(self, doc_id: str, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        self.conn.execute("UPDATE documents SET state=?, updated=? WHERE doc_id=?", (state, time.time(), doc_id))

    def set_reason(self, doc_id: str, reason: str | None, *, quality: str | None = None) -> None:
        """The one-line reason a document is where it is, and why the quality gate keeps it in
        review (None: it does not)."""
        with self.transaction() as c:
            c.execute("UPDATE documents SET reason = ?, quality = ?, updated = ? WHERE doc_id = ?",
                      (reason, quality, time.time(), doc_id))

    def profile_of(self, doc_id: str) -> str | None:
        """The profile the document was last processed with."""
        row = self.conn.execute("SELECT profile FROM documents WHERE doc_id = ? ORDER BY updated DESC LIMIT 1",
                                (doc_id,)).fetchone()
        return row[0] if row else None

    def set_validated(self, doc_id: str, validated: str) -> None:
        """What the schema check said of the document's XML after ``apply`` re-emitted it."""
        with self.transaction() as c:
            c.execute("UPDATE documents SET validated = ?, updated = ? WHERE doc_id = ?",
                      (validated, time.time(), doc_id))

    def reset_interrupted(self) -> int:
        """Inputs left ``running`` by a killed run go back to ``pending``."""
        return self.conn.execute("UPDATE documents SET state='pending' WHERE state='running'").rowcount

    def allocate_doc_id(self, input_path: str, wanted: str) -> str:
        """``wanted`` unless another input holds it; then ``wanted_2``, ``wanted_3`` … The input
        holds the identifier from now on, so two colliding documents finishing at the same time
        cannot both be given ``wanted_2``."""
        candidate, n = wanted, 1
        while True:
            row = self.conn.execute("SELECT input FROM documents WHERE doc_id = ?", (candidate,)).fetchone()
            if row is None or row["input"] == input_path:
                self.conn.execute("UPDATE documents SET doc_id=?, updated=? WHERE input=?",
                                  (candidate, time.time(), input_path))
                return candidate
            n += 1
            candidate = f"{wanted}_{n}"
