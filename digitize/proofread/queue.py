"""The correction queue: words and bibliographic fields still in doubt, in the job's SQLite file.

Reviewers work concurrently (several browser sessions, several processes), so every state change
happens inside one ``BEGIN IMMEDIATE`` transaction: taking the next item sets a lease that only
expires, never overlaps; a decision is accepted only from the reviewer holding the lease. The
same OCR error repeated across the batch ("tbe" → "the") shares a ``series_key`` so a reviewer can
settle all of it with one decision. Every decision leaves an audit row (who, when, before, after).

Tables (prefix ``queue_``) live beside the ledger's ``documents`` table in ``DIR/ledger.sqlite``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..db import connect
from ..model import BBox, QueueCandidate

ACTIONS = ("accept", "suggestion", "correct", "illegible")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_items (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    item_key TEXT NOT NULL,            -- word_id, or "field:<name>"
    kind TEXT NOT NULL,                -- word | field
    page INTEGER,
    bbox TEXT,                         -- JSON [x0, y0, x1, y1] or NULL
    text TEXT NOT NULL,                -- the OCR text in doubt
    confidence REAL NOT NULL DEFAULT 0,
    suggestions TEXT NOT NULL DEFAULT '[]',
    context TEXT NOT NULL DEFAULT '',
    word_id TEXT,
    field_name TEXT,
    mandatory INTEGER NOT NULL DEFAULT 0,
    series_key TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open', -- open | decided
    lease_owner TEXT,
    lease_expires REAL,
    action TEXT,
    value TEXT,                        -- final text once decided
    decided_by TEXT,
    decided_at REAL,
    applied_at REAL,
    created REAL,
    UNIQUE (doc_id, item_key)
);
CREATE INDEX IF NOT EXISTS queue_items_next ON queue_items (state, mandatory DESC, confidence, id);
CREATE INDEX IF NOT EXISTS queue_items_series ON queue_items (series_key, state);
CREATE TABLE IF NOT EXISTS queue_skips (
    item_id INTEGER NOT NULL,
    reviewer TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, reviewer)
);
CREATE TABLE IF NOT EXISTS queue_audit (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at REAL NOT NULL,
    action TEXT NOT NULL,
    before TEXT,
    after TEXT,
    series INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS queue_audit_doc ON queue_audit (doc_id, id);
"""


class QueueError(Exception):
    """A queue operation that cannot be done (unknown item, bad action)."""


class LeaseError(QueueError):
    """The reviewer does not hold the item (never took it, lost it to expiry, or it is decided)."""


@dataclass
class QueueItem:
    id: int
    doc_id: str
    kind: str
    page: int | None
    bbox: BBox | None
    text: str
    confidence: float
    suggestions: list[str] = field(default_factory=list)
    context: str = ""
    word_id: str | None = None
    field_name: str | None = None
    mandatory: bool = False
    series_key: str = ""
    series_size: int = 1  # undecided items sharing series_key (this one included)
    lease_owner: str | None = None
    lease_expires: float | None = None


# --------------------------------------------------------------------------- series keys and text


def _core(text: str) -> tuple[str, str, str]:
    """Split leading/trailing punctuation off a token: ``'(tbe,'`` → ``('(', 'tbe', ',')``."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    if start == end:  # all punctuation: keep it whole
        return "", text, ""
    return text[:start], text[start:end], text[end:]


def normalise(text: str) -> str:
    """The form series are grouped on: NFKC, case-folded, without surrounding punctuation."""
    return _core(unicodedata.normalize("NFKC", text))[1].casefold()


def series_key(candidate: QueueCandidate, doc_id: str) -> str:
    """Words: normalised OCR text + top suggestion; fields are never grouped across items."""
    if candidate.kind == "field":
        return f"field\x1f{doc_id}\x1f{candidate.field_name}"
    top = normalise(candidate.suggestions[0]) if candidate.suggestions else ""
    return f"word\x1f{normalise(candidate.text)}\x1f{top}"


def _item_key(candidate: QueueCandidate) -> str:
    if candidate.kind == "field":
        if not candidate.field_name:
            raise QueueError("a field candidate needs field_name")
        return f"field:{candidate.field_name}"
    if not candidate.word_id:
        raise QueueError("a word candidate needs word_id")
    return candidate.word_id


def _match_case(value: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return value.upper()
    if like[:1].isupper() and not value[:1].isupper():
        return value[:1].upper() + value[1:]
    if like.islower() and value[:1].isupper() and value[1:].islower():
        return value.lower()
    return value


def adapt(value: str, model_text: str, item_text: str) -> str:
    """Carry a series decision made on ``model_text`` over to ``item_text``: same surrounding
    punctuation and capitalisation as the item (``tbe``→``the`` makes ``Tbe,`` → ``The,``)."""
    if model_text == item_text:
        return value
    mpre, mcore, msuf = _core(model_text)
    ipre, icore, isuf = _core(item_text)
    vpre, vcore, vsuf = _core(value)
    pre = ipre if vpre == mpre else vpre
    suf = isuf if vsuf == msuf else vsuf
    return pre + _match_case(vcore, icore) + suf


# --------------------------------------------------------------------------- the store


class Queue:
    """The correction queue of one job. Safe to share between threads (one SQLite connection per
    thread and process) and between processes (SQLite WAL + ``BEGIN IMMEDIATE``)."""

    def __init__(self, db_path: Path | str, *, timeout: float = 30.0):
        self.db_path = Path(db_path)
        self.timeout = timeout
        self._local = threading.local()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._con().execute("PRAGMA journal_mode=WAL")
        with self._tx() as con:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    con.execute(statement)

    # -- connections and transactions

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None or self._local.pid != os.getpid():
            con = connect(self.db_path, timeout=self.timeout)
            self._local.con, self._local.pid = con, os.getpid()
        return con

    def _tx(self) -> "_Transaction":
        return _Transaction(self._con())

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    # -- filling

    def enqueue(self, doc_id: str, candidates: Iterable[QueueCandidate]) -> int:
        """Add candidates of one document; returns how many were new. Idempotent per
        (doc_id, word_id or field): an item already there keeps its lease and decision (an open
        one gets the fresh text, confidence and suggestions)."""
        now = time.time()
        added = 0
        with self._tx() as con:
            for c in candidates:
                key = _item_key(c)
                row = con.execute(
                    "SELECT id, state FROM queue_items WHERE doc_id = ? AND item_key = ?", (doc_id, key)
                ).fetchone()
                values = (
                    c.kind, c.page, json.dumps(list(c.bbox)) if c.bbox else None, c.text, float(c.confidence),
                    json.dumps(list(c.suggestions), ensure_ascii=False), c.context or "", c.word_id,
                    c.field_name, int(bool(c.mandatory)), series_key(c, doc_id),
                )
                if row is None:
                    con.execute(
                        "INSERT INTO queue_items (kind, page, bbox, text, confidence, suggestions, context, word_id,"
                        " field_name, mandatory, series_key, doc_id, item_key, created)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, doc_id, key, now),
                    )
                    added += 1
                elif row["state"] == "open":
                    con.execute(
                        "UPDATE queue_items SET kind = ?, page = ?, bbox = ?, text = ?, confidence = ?, suggestions = ?,"
                        " context = ?, word_id = ?, field_name = ?, mandatory = ?, series_key = ? WHERE id = ?",
                        (*values, row["id"]),
                    )
        return added

    # -- reviewing

    def next_item(self, reviewer: str, lease_seconds: int = 300, doc_id: str | None = None) -> QueueItem | None:
        """Lease the most urgent open item to ``reviewer``: the item they already hold, else
        mandatory bibliographic fields first, then the lowest confidence; items this reviewer
        skipped come after the rest. Returns None when nothing is left for them."""
        now = time.time()
        with self._tx() as con:
            where_doc = " AND i.doc_id = ?" if doc_id is not None else ""
            args_doc: tuple[Any, ...] = (doc_id,) if doc_id is not None else ()
            row = con.execute(
                "SELECT i.id FROM queue_items i WHERE i.state = 'open' AND i.lease_owner = ? AND i.lease_expires >= ?"
                + where_doc + " ORDER BY i.id LIMIT 1",
                (reviewer, now, *args_doc),
            ).fetchone()
            if row is None:
                row = con.execute(
                    "SELECT i.id FROM queue_items i LEFT JOIN queue_skips s ON s.item_id = i.id AND s.reviewer = ?"
                    " WHERE i.state = 'open' AND (i.lease_owner IS NULL OR i.lease_expires < ? OR i.lease_owner = ?)"
                    + where_doc
                    + " ORDER BY COALESCE(s.count, 0), i.mandatory DESC, i.confidence, i.id LIMIT 1",
                    (reviewer, now, reviewer, *args_doc),
                ).fetchone()
            if row is None:
                return None
            con.execute(
                "UPDATE queue_items SET lease_owner = ?, lease_expires = ? WHERE id = ?",
                (reviewer, now + lease_seconds, row["id"]),
            )
            return self._item(con, row["id"])

    def get(self, item_id: int) -> QueueItem | None:
        """The item as stored (whatever its state), for display."""
        return self._item(self._con(), item_id)

    def decide(self, item_id: int, reviewer: str, action: str, value: str | None = None, series: bool = False) -> int:
        """Record a decision on an item the reviewer holds; returns how many items it settled.

        ``accept`` keeps the OCR text, ``suggestion`` and ``correct`` take ``value``, ``illegible``
        keeps the OCR text marked illegible. With ``series`` the same decision goes to every open
        item of the series not leased by someone else, adapted to each item's case and punctuation.
        A lease past its expiry still counts as held until another reviewer takes the item.
        """
        if action not in ACTIONS:
            raise QueueError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        if action in ("suggestion", "correct"):
            if value is None or not value.strip():
                raise QueueError(f"action {action!r} needs a non-empty value")
            value = value.strip()
        now = time.time()
        with self._tx() as con:
            row = con.execute("SELECT * FROM queue_items WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise QueueError(f"no queue item {item_id}")
            if row["state"] != "open":
                raise LeaseError(f"item {item_id} is already decided (by {row['decided_by']})")
            if row["lease_owner"] != reviewer:
                raise LeaseError(f"{reviewer} does not hold item {item_id}")
            rows = [row]
            if series:
                rows += con.execute(
                    "SELECT * FROM queue_items WHERE series_key = ? AND state = 'open' AND id != ?"
                    " AND (lease_owner IS NULL OR lease_expires < ? OR lease_owner = ?) ORDER BY id",
                    (row["series_key"], item_id, now, reviewer),
                ).fetchall()
            for r in rows:
                after = r["text"] if action in ("accept", "illegible") else adapt(value, row["text"], r["text"])  # type: ignore[arg-type]
                con.execute(
                    "UPDATE queue_items SET state = 'decided', action = ?, value = ?, decided_by = ?, decided_at = ?,"
                    " applied_at = NULL, lease_owner = NULL, lease_expires = NULL WHERE id = ?",
                    (action, after, reviewer, now, r["id"]),
                )
                con.execute(
                    "INSERT INTO queue_audit (item_id, doc_id, item_key, reviewer, at, action, before, after, series)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (r["id"], r["doc_id"], r["item_key"], reviewer, now, action, r["text"], after, int(r["id"] != item_id)),
                )
            return len(rows)

    def skip(self, item_id: int, reviewer: str) -> None:
        """Give the item back; it comes to this reviewer again only after everything else."""
        with self._tx() as con:
            row = con.execute("SELECT state, lease_owner FROM queue_items WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise QueueError(f"no queue item {item_id}")
            if row["state"] != "open" or row["lease_owner"] != reviewer:
                raise LeaseError(f"{reviewer} does not hold item {item_id}")
            con.execute("UPDATE queue_items SET lease_owner = NULL, lease_expires = NULL WHERE id = ?", (item_id,))
            con.execute(
                "INSERT INTO queue_skips (item_id, reviewer, count) VALUES (?, ?, 1)"
                " ON CONFLICT (item_id, reviewer) DO UPDATE SET count = count + 1",
                (item_id, reviewer),
            )

    def release(self, reviewer: str) -> int:
        """Drop every lease the reviewer holds (logout); returns how many."""
        with self._tx() as con:
            return con.execute(
                "UPDATE queue_items SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = ? AND state = 'open'",
                (reviewer,),
            ).rowcount

    # -- reporting

    def progress(self) -> dict[str, Any]:
        """``{"total", "decided", "open", "leased", "series_open", "documents": {doc_id: (decided, total)}}``."""
        con = self._con()
        now = time.time()
        docs = {
            r["doc_id"]: (r["decided"], r["total"])
            for r in con.execute(
                "SELECT doc_id, SUM(state = 'decided') AS decided, COUNT(*) AS total FROM queue_items"
                " GROUP BY doc_id ORDER BY doc_id"
            )
        }
        leased = con.execute(
            "SELECT COUNT(*) FROM queue_items WHERE state = 'open' AND lease_owner IS NOT NULL AND lease_expires >= ?",
            (now,),
        ).fetchone()[0]
        series_open = con.execute("SELECT COUNT(DISTINCT series_key) FROM queue_items WHERE state = 'open'").fetchone()[0]
        total = sum(t for _, t in docs.values())
        decided = sum(d for d, _ in docs.values())
        return {
            "total": total, "decided": decided, "open": total - decided, "leased": leased,
            "series_open": series_open, "documents": docs,
        }

    def audit(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Every decision, oldest first: item_id, doc_id, word_id / field_name, reviewer, at,
        action, before, after, series (True when settled as part of another item's series)."""
        sql = "SELECT * FROM queue_audit" + (" WHERE doc_id = ?" if doc_id is not None else "") + " ORDER BY id"
        out = []
        for r in self._con().execute(sql, (doc_id,) if doc_id is not None else ()):
            key = r["item_key"]
            out.append({
                "item_id": r["item_id"], "doc_id": r["doc_id"],
                "word_id": None if key.startswith("field:") else key,
                "field_name": key[6:] if key.startswith("field:") else None,
                "reviewer": r["reviewer"], "at": r["at"], "action": r["action"],
                "before": r["before"], "after": r["after"], "series": bool(r["series"]),
            })
        return out

    def decisions(self, doc_id: str) -> dict[str, str]:
        """word_id (or ``field:<name>``) → final text for every decided item of the document."""
        return {
            r["item_key"]: r["value"]
            for r in self._con().execute(
                "SELECT item_key, value FROM queue_items WHERE doc_id = ? AND state = 'decided' ORDER BY id", (doc_id,)
            )
        }

    def decided_items(self, doc_id: str) -> list[dict[str, Any]]:
        """The decided items of a document with who decided and how (for apply's Corrections)."""
        return [
            dict(r)
            for r in self._con().execute(
                "SELECT id, item_key, kind, page, text, value, action, decided_by, decided_at, applied_at"
                " FROM queue_items WHERE doc_id = ? AND state = 'decided' ORDER BY id",
                (doc_id,),
            )
        ]

    def documents(self) -> list[str]:
        """Documents that have items in the queue."""
        return [r[0] for r in self._con().execute("SELECT DISTINCT doc_id FROM queue_items ORDER BY doc_id")]

    def open_count(self, doc_id: str) -> int:
        return self._con().execute(
            "SELECT COUNT(*) FROM queue_items WHERE doc_id = ? AND state = 'open'", (doc_id,)
        ).fetchone()[0]

    def mark_applied(self, doc_id: str, item_ids: Iterable[int] | None = None) -> None:
        """Remember that the document's decisions are in its outputs (``digitize apply``)."""
        now = time.time()
        with self._tx() as con:
            if item_ids is None:
                con.execute(
                    "UPDATE queue_items SET applied_at = ? WHERE doc_id = ? AND state = 'decided'", (now, doc_id)
                )
            else:
                con.executemany("UPDATE queue_items SET applied_at = ? WHERE id = ?", [(now, i) for i in item_ids])

    # -- helpers

    def _item(self, con: sqlite3.Connection, item_id: int) -> QueueItem | None:
        r = con.execute("SELECT * FROM queue_items WHERE id = ?", (item_id,)).fetchone()
        if r is None:
            return None
        size = con.execute(
            "SELECT COUNT(*) FROM queue_items WHERE series_key = ? AND (state = 'open' OR id = ?)",
            (r["series_key"], item_id),
        ).fetchone()[0]
        return QueueItem(
            id=r["id"], doc_id=r["doc_id"], kind=r["kind"], page=r["page"],
            bbox=tuple(json.loads(r["bbox"])) if r["bbox"] else None,  # type: ignore[arg-type]
            text=r["text"], confidence=r["confidence"], suggestions=json.loads(r["suggestions"]),
            context=r["context"], word_id=r["word_id"], field_name=r["field_name"], mandatory=bool(r["mandatory"]),
            series_key=r["series_key"], series_size=size, lease_owner=r["lease_owner"],
            lease_expires=r["lease_expires"],
        )


class _Transaction:
    """``with`` block around ``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error)."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con

    def __enter__(self) -> sqlite3.Connection:
        self.con.execute("BEGIN IMMEDIATE")
        return self.con

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.con.execute("COMMIT")
        else:
            self.con.execute("ROLLBACK")


def state_counts(db_path: Path | str) -> dict[str, int]:
    """Items per state, read-only (the report); {} when the job has no queue."""
    con = connect(db_path, readonly=True)
    try:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='queue_items'").fetchone():
            return {}
        return {state: n for state, n in con.execute("SELECT state, COUNT(*) FROM queue_items GROUP BY state")}
    finally:
        con.close()
