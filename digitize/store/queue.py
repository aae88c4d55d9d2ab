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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..store.sqlite import connect
from ..model import BBox, QueueCandidate, field_of
from ..proofread.decisions import ACTIONS, DecisionRules, QueueError, ValueRefused, check_text, checked_value
from ..proofread.series import adapt, item_key, normalise, plausible_suggestions, series_key, word_group


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
CREATE INDEX IF NOT EXISTS queue_audit_reviewer ON queue_audit (reviewer, at);
CREATE INDEX IF NOT EXISTS queue_items_held ON queue_items (lease_owner, lease_expires) WHERE lease_owner IS NOT NULL;
CREATE INDEX IF NOT EXISTS queue_items_doc_next ON queue_items (doc_id, state, mandatory DESC, confidence, id);
CREATE INDEX IF NOT EXISTS queue_items_decider ON queue_items (decided_by, decided_at) WHERE decided_by IS NOT NULL;
CREATE INDEX IF NOT EXISTS queue_skips_reviewer ON queue_skips (reviewer);
-- the other readings of an item's word in the same document: one question for one word
-- (``cigueñal``, ``cigiieñal``, ``cigúeñal,`` … on pages 1-3 are one item, the decision goes to each)
CREATE TABLE IF NOT EXISTS queue_members (
    item_id INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    word_id TEXT NOT NULL,
    page INTEGER,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, word_id)
);
CREATE INDEX IF NOT EXISTS queue_members_item ON queue_members (item_id);
"""

# Counters kept by triggers, so that the progress shown with every item reads a few rows instead
# of every item (100,000 open items made each page 0.8 s): per document (total, decided), per
# series its open items, and the number of series with open items.
_COUNTERS = """
DROP TRIGGER IF EXISTS queue_items_counted;
DROP TRIGGER IF EXISTS queue_items_uncounted;
DROP TRIGGER IF EXISTS queue_items_recounted;
DROP TABLE IF EXISTS queue_doc_counts;
DROP TABLE IF EXISTS queue_series_open;
DROP TABLE IF EXISTS queue_stats;
CREATE TABLE queue_doc_counts (doc_id TEXT PRIMARY KEY, total INTEGER NOT NULL DEFAULT 0,
                               decided INTEGER NOT NULL DEFAULT 0);
CREATE TABLE queue_series_open (series_key TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE queue_stats (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO queue_doc_counts (doc_id, total, decided)
    SELECT doc_id, COUNT(*), SUM(state = 'decided') FROM queue_items GROUP BY doc_id;
INSERT INTO queue_series_open (series_key, n)
    SELECT series_key, COUNT(*) FROM queue_items WHERE state = 'open' GROUP BY series_key;
INSERT INTO queue_stats (name, value) SELECT 'series_open', COUNT(*) FROM queue_series_open;
CREATE TRIGGER queue_series_born AFTER INSERT ON queue_series_open
BEGIN UPDATE queue_stats SET value = value + 1 WHERE name = 'series_open'; END;
CREATE TRIGGER queue_series_gone AFTER DELETE ON queue_series_open
BEGIN UPDATE queue_stats SET value = value - 1 WHERE name = 'series_open'; END;
CREATE TRIGGER queue_items_counted AFTER INSERT ON queue_items
BEGIN
    INSERT OR IGNORE INTO queue_doc_counts (doc_id, total, decided) VALUES (new.doc_id, 0, 0);
    UPDATE queue_doc_counts SET total = total + 1, decided = decided + (new.state = 'decided') WHERE doc_id = new.doc_id;
    INSERT OR IGNORE INTO queue_series_open (series_key, n) SELECT new.series_key, 0 WHERE new.state = 'open';
    UPDATE queue_series_open SET n = n + 1 WHERE series_key = new.series_key AND new.state = 'open';
END;
CREATE TRIGGER queue_items_uncounted AFTER DELETE ON queue_items
BEGIN
    UPDATE queue_doc_counts SET total = total - 1, decided = decided - (old.state = 'decided') WHERE doc_id = old.doc_id;
    UPDATE queue_series_open SET n = n - 1 WHERE series_key = old.series_key AND old.state = 'open';
    DELETE FROM queue_series_open WHERE series_key = old.series_key AND n <= 0;
END;
CREATE TRIGGER queue_items_recounted AFTER UPDATE OF state, series_key, doc_id ON queue_items
WHEN old.state IS NOT new.state OR old.series_key IS NOT new.series_key OR old.doc_id IS NOT new.doc_id
BEGIN
    UPDATE queue_doc_counts SET total = total - 1, decided = decided - (old.state = 'decided') WHERE doc_id = old.doc_id;
    INSERT OR IGNORE INTO queue_doc_counts (doc_id, total, decided) VALUES (new.doc_id, 0, 0);
    UPDATE queue_doc_counts SET total = total + 1, decided = decided + (new.state = 'decided') WHERE doc_id = new.doc_id;
    UPDATE queue_series_open SET n = n - 1 WHERE series_key = old.series_key AND old.state = 'open';
    DELETE FROM queue_series_open WHERE series_key = old.series_key AND n <= 0;
    INSERT OR IGNORE INTO queue_series_open (series_key, n) SELECT new.series_key, 0 WHERE new.state = 'open';
    UPDATE queue_series_open SET n = n + 1 WHERE series_key = new.series_key AND new.state = 'open';
END;
"""


# a table cell (``structure.table_review``): its item key, and what a reviewer may do to a cell's
# structure besides the text actions (accept, correct, suggestion, not-text: the cell emptied)
CELL_KEY = "cell:"
STRUCTURE_ACTIONS = ("merge-right", "merge-down", "split")
SETTLED = "settled"  # a cell item the re-run no longer asks about (a merge took its cell): closed by apply

MAX_ITEM_SECONDS = 300.0  # the most one decision is counted as a reviewer's time


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
    state: str = "open"
    action: str | None = None
    value: str | None = None
    decided_by: str | None = None
    decided_at: float | None = None


# --------------------------------------------------------------------------- series keys and text

# --------------------------------------------------------------------------- the store


class Queue:
    """The correction queue of one job. Safe to share between threads (one SQLite connection per
    thread and process) and between processes (SQLite WAL + ``BEGIN IMMEDIATE``)."""

    def __init__(self, db_path: Path | str, *, timeout: float = 30.0,
                 profile_rules: Callable[[str], "DecisionRules"] | None = None,
                 profile_of: Callable[[str], str | None] | None = None, readonly: bool = False):
        self.db_path = Path(db_path)
        self.readonly = readonly  # a reader (status): opened read-only, nothing created
        self.profile_rules = profile_rules  # profile name → its DecisionRules (given by the layer that loads profiles)
        self.profile_of = profile_of  # doc_id → its profile's name (the ledger's, given by the job folder)
        self.timeout = timeout
        self._local = threading.local()
        if readonly:
            return
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._con().execute("PRAGMA journal_mode=WAL")
        with self._tx() as con:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    con.execute(statement)
            # fields before words (mandatory fields first of all): ``rank`` 2, 1, 0; a queue made
            # before it gets the column and its values from its items
            columns = {r[1] for r in con.execute("PRAGMA table_info(queue_items)")}
            if "rank" not in columns:
                con.execute("ALTER TABLE queue_items ADD COLUMN rank INTEGER NOT NULL DEFAULT 0")
                con.execute("UPDATE queue_items SET rank = 2 * mandatory + (kind = 'field')")
            # reviewer time: when the item came on the reviewer's screen, and what a
            # decision cost (seconds, at most MAX_ITEM_SECONDS: a reviewer gone for coffee is not work)
            if "taken_at" not in columns:
                con.execute("ALTER TABLE queue_items ADD COLUMN taken_at REAL")
            if "seconds" not in {r[1] for r in con.execute("PRAGMA table_info(queue_audit)")}:
                con.execute("ALTER TABLE queue_audit ADD COLUMN seconds REAL")
            con.execute("CREATE INDEX IF NOT EXISTS queue_items_ranked ON queue_items (state, rank DESC, confidence, id)")
            con.execute("CREATE INDEX IF NOT EXISTS queue_items_doc_ranked"
                        " ON queue_items (doc_id, state, rank DESC, confidence, id)")
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'queue_stats'").fetchone():
                _script(con, _COUNTERS)  # a queue made before the counters (or half of them): made from its items

    # -- connections and transactions

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None or self._local.pid != os.getpid():
            con = connect(self.db_path, timeout=self.timeout, readonly=self.readonly)
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
        # the least sure reading of a word stands for it (the others become its members)
        candidates = sorted(candidates, key=lambda c: c.confidence if c.kind == "word" else -1.0)
        with self._tx() as con:
            # one item for one word: an item already standing for the word's group takes it as a member
            groups: dict[str, int] = {}
            for r in con.execute("SELECT id, text, suggestions FROM queue_items WHERE doc_id = ? AND kind = 'word'",
                                 (doc_id,)):
                sugg = json.loads(r["suggestions"])
                groups.setdefault(normalise(sugg[0]) if sugg else normalise(r["text"]), r["id"])
            for c in candidates:
                key = item_key(c)
                row = con.execute(
                    "SELECT id, state FROM queue_items WHERE doc_id = ? AND item_key = ?", (doc_id, key)
                ).fetchone()
                if c.kind == "word" and row is None:
                    if con.execute("SELECT 1 FROM queue_members WHERE doc_id = ? AND word_id = ?",
                                   (doc_id, key)).fetchone():
                        continue  # already a reading of an item
                    owner = groups.get(word_group(c))
                    if owner is not None:
                        con.execute("INSERT INTO queue_members (item_id, doc_id, word_id, page, text)"
                                    " VALUES (?, ?, ?, ?, ?)", (owner, doc_id, key, c.page, c.text))
                        continue
                values = (
                    c.kind, c.page, json.dumps(list(c.bbox)) if c.bbox else None, c.text, float(c.confidence),
                    json.dumps(plausible_suggestions(c.text, c.suggestions) if c.kind == "word" else list(c.suggestions),
                               ensure_ascii=False), c.context or "", c.word_id,
                    c.field_name, int(bool(c.mandatory)),
                    f"cell\x1f{doc_id}\x1f{key}" if c.kind == "cell" else series_key(c, doc_id),
                    2 * bool(c.mandatory) + (c.kind == "field"),
                )
                if row is None:
                    con.execute(
                        "INSERT INTO queue_items (kind, page, bbox, text, confidence, suggestions, context, word_id,"
                        " field_name, mandatory, series_key, rank, doc_id, item_key, created)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, doc_id, key, now),
                    )
                    added += 1
                    if c.kind == "word":
                        groups.setdefault(word_group(c), con.execute("SELECT last_insert_rowid()").fetchone()[0])
                elif row["state"] == "open":
                    con.execute(
                        "UPDATE queue_items SET kind = ?, page = ?, bbox = ?, text = ?, confidence = ?, suggestions = ?,"
                        " context = ?, word_id = ?, field_name = ?, mandatory = ?, series_key = ?, rank = ? WHERE id = ?",
                        (*values, row["id"]),
                    )
        return added

    # -- reviewing

    def next_item(self, reviewer: str, lease_seconds: int = 300, doc_id: str | None = None) -> QueueItem | None:
        """Lease the most urgent open item to ``reviewer`` (their only lease: any other is given
        back, so ``doc_id`` cannot collect several): the item they already hold, else
        mandatory bibliographic fields first, then the lowest confidence; items this reviewer
        skipped come after the rest. Returns None when nothing is left for them."""
        now = time.time()
        with self._tx() as con:
            where_doc = " AND i.doc_id = ?" if doc_id is not None else ""
            args_doc: tuple[Any, ...] = (doc_id,) if doc_id is not None else ()
            row = con.execute(
                "SELECT i.id FROM queue_items i WHERE +i.state = 'open' AND i.lease_owner = ? AND i.lease_expires >= ?"
                + where_doc + " ORDER BY i.id LIMIT 1",
                (reviewer, now, *args_doc),
            ).fetchone()
            free = " AND (i.lease_owner IS NULL OR i.lease_expires < ? OR i.lease_owner = ?)"
            if row is None:  # in index order (queue_items_next), past the few leased or skipped
                row = con.execute(
                    "SELECT i.id FROM queue_items i WHERE i.state = 'open'" + free + where_doc
                    + " AND NOT EXISTS (SELECT 1 FROM queue_skips s WHERE s.item_id = i.id AND s.reviewer = ?)"
                    " ORDER BY i.rank DESC, i.confidence, i.id LIMIT 1",
                    (now, reviewer, *args_doc, reviewer),
                ).fetchone()
            if row is None:  # only items this reviewer skipped are left: least skipped first
                row = con.execute(
                    "SELECT i.id FROM queue_skips s JOIN queue_items i ON i.id = s.item_id"
                    " WHERE s.reviewer = ? AND i.state = 'open'" + free + where_doc
                    + " ORDER BY s.count, i.rank DESC, i.confidence, i.id LIMIT 1",
                    (reviewer, now, reviewer, *args_doc),
                ).fetchone()
            if row is None:
                return None
            # one lease per reviewer: taking an item (e.g. of another document) gives back the last
            con.execute("UPDATE queue_items SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = ?"
                        " AND +state = 'open' AND id != ?", (reviewer, row["id"]))
            con.execute(
                "UPDATE queue_items SET lease_owner = ?, lease_expires = ?,"
                " taken_at = CASE WHEN lease_owner IS ? AND taken_at IS NOT NULL THEN taken_at ELSE ? END WHERE id = ?",
                (reviewer, now + lease_seconds, reviewer, now, row["id"]),
            )
            return self._item(con, row["id"])

    def get(self, item_id: int) -> QueueItem | None:
        """The item as stored (whatever its state), for display."""
        return self._item(self._con(), item_id)

    def decide(self, item_id: int, reviewer: str, action: str, value: str | None = None, series: bool = False,
               rules: DecisionRules | None = None, *, take: bool = False) -> int:
        """Record a decision on an item the reviewer holds; returns how many items it settled.

        ``accept`` keeps the OCR text, ``suggestion`` and ``correct`` take ``value``, ``illegible``
        keeps the OCR text marked illegible, ``not-text`` removes the word from the text, ``line``
        replaces the word's whole line by ``value``. Every value goes through ``checked_value``
        (control characters, length, the profile's field formats): ValueRefused says why. With
        ``series`` the same decision goes to every open item of the series not leased by someone
        else, adapted to each item's case and punctuation. A lease past its expiry still counts as
        held until another reviewer takes the item; ``take`` (the CSV import) takes a free or
        expired lease in the same transaction.
        """
        if action not in ACTIONS and action not in STRUCTURE_ACTIONS:
            raise QueueError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS + STRUCTURE_ACTIONS)}")
        rules = rules or DecisionRules.default()
        now = time.time()
        with self._tx() as con:
            row = con.execute("SELECT * FROM queue_items WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise QueueError(f"no queue item {item_id}")
            if row["state"] != "open":
                raise LeaseError(f"item {item_id} is already decided (by {row['decided_by']})")
            free = row["lease_owner"] is None or (row["lease_expires"] or 0) < now
            if row["lease_owner"] != reviewer and not (take and free):
                raise LeaseError(f"{reviewer} does not hold item {item_id}"
                                 + (f" (held by {row['lease_owner']})" if take else ""))
            final = _cell_value(row, action, value, rules) if row["kind"] == "cell" or action in STRUCTURE_ACTIONS \
                else checked_value(row, action, value, rules)
            rows = [row]
            if series and action not in ("line",) and row["kind"] == "word":
                rows += con.execute(
                    "SELECT * FROM queue_items WHERE series_key = ? AND state = 'open' AND id != ?"
                    " AND (lease_owner IS NULL OR lease_expires < ? OR lease_owner = ?) ORDER BY id",
                    (row["series_key"], item_id, now, reviewer),
                ).fetchall()
            spent = None
            if row["taken_at"] is not None and row["lease_owner"] == reviewer:
                spent = max(0.0, min(MAX_ITEM_SECONDS, now - row["taken_at"]))
            for r in rows:
                if r["id"] == item_id:
                    after = final
                elif action in ("accept", "illegible"):
                    after = r["text"]
                elif action == "not-text":
                    after = ""
                else:
                    after = adapt(final, row["text"], r["text"])
                con.execute(
                    "UPDATE queue_items SET state = 'decided', action = ?, value = ?, decided_by = ?, decided_at = ?,"
                    " applied_at = NULL, lease_owner = NULL, lease_expires = NULL WHERE id = ?",
                    (action, after, reviewer, now, r["id"]),
                )
                self._audit(con, r, reviewer, now, action, r["text"], after, series=r["id"] != item_id,
                            seconds=spent if r["id"] == item_id else None)
            return len(rows)

    @staticmethod
    def _audit(con: sqlite3.Connection, r: Any, reviewer: str, at: float, action: str, before: str | None,
               after: str | None, series: bool = False, seconds: float | None = None) -> None:
        con.execute(
            "INSERT INTO queue_audit (item_id, doc_id, item_key, reviewer, at, action, before, after, series, seconds)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (r["id"], r["doc_id"], r["item_key"], reviewer, at, action, before, after, int(series),
             round(seconds, 1) if seconds is not None else None),
        )

    def undo(self, reviewer: str, lease_seconds: int = 300) -> int | None:
        """Take back the reviewer's last decision (with the series it settled): the items are
        open again, the one decided first is leased back to the reviewer and returned. The audit
        keeps both the decision and an ``undo`` row."""
        now = time.time()
        with self._tx() as con:
            last = con.execute(
                "SELECT MAX(decided_at) FROM queue_items WHERE decided_by = ? AND +state = 'decided'", (reviewer,)
            ).fetchone()[0]
            if last is None:
                return None
            rows = con.execute(
                "SELECT * FROM queue_items WHERE decided_by = ? AND decided_at = ? AND +state = 'decided' ORDER BY id",
                (reviewer, last),
            ).fetchall()
            main = con.execute(
                "SELECT item_id FROM queue_audit WHERE reviewer = ? AND at = ? AND series = 0 ORDER BY id DESC LIMIT 1",
                (reviewer, last),
            ).fetchone()
            main_id = main[0] if main else rows[0]["id"]
            con.execute("UPDATE queue_items SET lease_owner = NULL, lease_expires = NULL"
                        " WHERE lease_owner = ? AND +state = 'open'", (reviewer,))
            for r in rows:
                con.execute(
                    "UPDATE queue_items SET state = 'open', action = NULL, value = NULL, decided_by = NULL,"
                    " decided_at = NULL, applied_at = NULL, lease_owner = ?, lease_expires = ?, taken_at = ? WHERE id = ?",
                    (reviewer if r["id"] == main_id else None, now + lease_seconds if r["id"] == main_id else None,
                     now if r["id"] == main_id else None, r["id"]),
                )
                self._audit(con, r, reviewer, now, "undo", r["value"], r["text"], series=r["id"] != main_id)
            return main_id

    def reopen(self, item_id: int, by: str) -> bool:
        """An admin takes a decision back: the item is open again for anyone (audited)."""
        now = time.time()
        with self._tx() as con:
            r = con.execute("SELECT * FROM queue_items WHERE id = ?", (item_id,)).fetchone()
            if r is None or r["state"] != "decided":
                return False
            con.execute(
                "UPDATE queue_items SET state = 'open', action = NULL, value = NULL, decided_by = NULL,"
                " decided_at = NULL, applied_at = NULL, lease_owner = NULL, lease_expires = NULL WHERE id = ?",
                (item_id,),
            )
            self._audit(con, r, by, now, "reopen", r["value"], r["text"])
            return True

    def not_a_publication(self, doc_id: str, reviewer: str, reason: str, rules: DecisionRules | None = None) -> int:
        """The reviewer says the document is no publication (a drawing sheet alone, a cover
        letter, a blank): every open item of it is closed with that decision (``not-publication``,
        the reason as value, audited), so nobody invents its office, number, kind and date.
        ``digitize apply`` then takes it out of the delivery and the authority file. Returns the
        items closed; ValueRefused without a reason."""
        text = check_text(reason or "", rules or DecisionRules.default())
        if not text:
            raise ValueRefused("say why the document is not a publication (e.g. a drawing sheet alone, a blank)")
        now = time.time()
        with self._tx() as con:
            rows = con.execute("SELECT * FROM queue_items WHERE doc_id = ? AND state = 'open'"
                               " AND (lease_owner IS NULL OR lease_expires < ? OR lease_owner = ?)",
                               (doc_id, now, reviewer)).fetchall()
            for r in rows:
                con.execute("UPDATE queue_items SET state = 'decided', action = 'not-publication', value = ?,"
                            " decided_by = ?, decided_at = ?, applied_at = NULL, lease_owner = NULL,"
                            " lease_expires = NULL WHERE id = ?", (text, reviewer, now, r["id"]))
                self._audit(con, r, reviewer, now, "not-publication", r["text"], text, series=r is not rows[0])
            return len(rows)

    def reverse_automatic(self, doc_id: str, word_id: str, page: int | None, text: str, value: str, by: str,
                          *, what: str = "reverse-auto-memory") -> int:
        """An admin takes back an automatic change of a word (``text`` as the outputs have it,
        ``value`` as the engine read it): a decided item (``correct``, by ``by``) that the next
        ``digitize apply`` puts into every output, audited as ``what``. Returns the item's id."""
        now = time.time()
        with self._tx() as con:
            row = con.execute("SELECT * FROM queue_items WHERE doc_id = ? AND item_key = ?", (doc_id, word_id)).fetchone()
            if row is None:
                con.execute(
                    "INSERT INTO queue_items (doc_id, item_key, kind, page, text, confidence, word_id, series_key,"
                    " state, action, value, decided_by, decided_at, created) VALUES (?, ?, 'word', ?, ?, 100, ?, ?,"
                    " 'decided', 'correct', ?, ?, ?, ?)",
                    (doc_id, word_id, page, text, word_id, f"auto\x1f{doc_id}\x1f{word_id}", value, by, now, now))
                row = con.execute("SELECT * FROM queue_items WHERE doc_id = ? AND item_key = ?",
                                  (doc_id, word_id)).fetchone()
            else:
                con.execute("UPDATE queue_items SET state = 'decided', action = 'correct', value = ?, decided_by = ?,"
                            " decided_at = ?, applied_at = NULL, lease_owner = NULL, lease_expires = NULL WHERE id = ?",
                            (value, by, now, row["id"]))
            self._audit(con, row, by, now, what, text, value)
            return row["id"]

    def settle_cells(self, doc_id: str, live: Iterable[str], by: str = "apply") -> int:
        """Close the open table-cell items of a document that the re-run no longer asks about
        (``live``: the cell keys it queued): a merge took their cell, or nothing in it is in doubt
        any more. Audited as ``settled`` by ``by``; returns how many."""
        keep = set(live)
        now = time.time()
        with self._tx() as con:
            rows = [r for r in con.execute("SELECT * FROM queue_items WHERE doc_id = ? AND kind = 'cell'"
                                           " AND state = 'open'", (doc_id,)).fetchall() if r["item_key"] not in keep]
            for r in rows:
                con.execute("UPDATE queue_items SET state = 'decided', action = ?, value = text, decided_by = ?,"
                            " decided_at = ?, applied_at = ?, lease_owner = NULL, lease_expires = NULL WHERE id = ?",
                            (SETTLED, by, now, now, r["id"]))
                self._audit(con, r, by, now, SETTLED, r["text"], r["text"])
            return len(rows)

    def renew(self, item_id: int, reviewer: str, lease_seconds: int = 300) -> bool:
        """Extend the lease while the reviewer still has the item on screen (page heartbeat)."""
        with self._tx() as con:
            return con.execute(
                "UPDATE queue_items SET lease_expires = ? WHERE id = ? AND state = 'open' AND lease_owner = ?",
                (time.time() + lease_seconds, item_id, reviewer),
            ).rowcount > 0

    def release_item(self, item_id: int, reviewer: str) -> bool:
        """Give one item back without counting a skip (the reviewer left the page): the lease
        expires now, so anyone may take it, and its owner may still decide it until someone does."""
        with self._tx() as con:
            return con.execute(
                "UPDATE queue_items SET lease_expires = 0"
                " WHERE id = ? AND state = 'open' AND lease_owner = ?",
                (item_id, reviewer),
            ).rowcount > 0

    def holders(self) -> list[dict[str, Any]]:
        """Who holds what right now (unexpired leases), for the admin page."""
        return [
            dict(r) for r in self._con().execute(
                "SELECT id, doc_id, kind, page, field_name, text, lease_owner, lease_expires FROM queue_items"
                " WHERE +state = 'open' AND lease_owner IS NOT NULL AND lease_expires >= ? ORDER BY lease_owner, id",
                (time.time(),),
            )
        ]

    def skip_counts(self, item_ids: Iterable[int] | None = None) -> dict[int, int]:
        """item id → how many times it was skipped (all reviewers); only these items if given."""
        con = self._con()
        if item_ids is None:
            return {r[0]: r[1] for r in con.execute("SELECT item_id, SUM(count) FROM queue_skips GROUP BY item_id")}
        ids = list(dict.fromkeys(int(i) for i in item_ids))
        out: dict[int, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.update((r[0], r[1]) for r in con.execute(
                f"SELECT item_id, SUM(count) FROM queue_skips WHERE item_id IN ({','.join('?' * len(chunk))})"
                " GROUP BY item_id", chunk))
        return out

    def series_members(self, item_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The open items a series decision on ``item_id`` would settle, with their context (the
        preview shown before "apply to all")."""
        con = self._con()
        r = con.execute("SELECT series_key FROM queue_items WHERE id = ?", (item_id,)).fetchone()
        if r is None:
            return []
        return [dict(x) for x in con.execute(
            "SELECT id, doc_id, page, text, context FROM queue_items WHERE series_key = ? AND state = 'open'"
            " ORDER BY id LIMIT ?", (r["series_key"], limit))]

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
                "UPDATE queue_items SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = ? AND +state = 'open'",
                (reviewer,),
            ).rowcount

    # -- reporting

    def progress(self) -> dict[str, Any]:
        """``{"total", "decided", "open", "leased", "series_open", "documents": {doc_id: (decided, total)}}``."""
        con = self._con()
        now = time.time()
        if self.readonly and not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'queue_stats'").fetchone():
            return _progress_counted(con) if _has_queue(con) else {
                "total": 0, "decided": 0, "open": 0, "leased": 0, "series_open": 0, "documents": {}}
        con.execute("BEGIN")  # one snapshot of the counters (kept by triggers: no scan of the items)
        try:
            docs = {
                r["doc_id"]: (r["decided"], r["total"])
                for r in con.execute("SELECT doc_id, decided, total FROM queue_doc_counts WHERE total > 0 ORDER BY doc_id")
            }
            leased = con.execute(
                "SELECT COUNT(*) FROM queue_items WHERE lease_owner IS NOT NULL AND lease_expires >= ? AND +state = 'open'",
                (now,),
            ).fetchone()[0]
            series_open = con.execute("SELECT value FROM queue_stats WHERE name = 'series_open'").fetchone()[0]
        finally:
            con.execute("COMMIT")
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
                "word_id": None if field_of(key) is not None else key,
                "field_name": field_of(key),
                "reviewer": r["reviewer"], "at": r["at"], "action": r["action"],
                "before": r["before"], "after": r["after"], "series": bool(r["series"]), "seconds": r["seconds"],
            })
        return out

    @staticmethod
    def _audit_row(r: Any) -> dict[str, Any]:
        key = r["item_key"]
        return {
            "item_id": r["item_id"], "doc_id": r["doc_id"],
            "word_id": None if field_of(key) is not None else key,
            "field_name": field_of(key),
            "reviewer": r["reviewer"], "at": r["at"], "action": r["action"],
            "before": r["before"], "after": r["after"], "series": bool(r["series"]), "seconds": r["seconds"],
        }

    def time_spent(self) -> dict[str, dict[str, dict[str, float]]]:
        """Reviewer time from the audit: ``{"reviewers": {name: {"items", "seconds", "per_item"}},
        "documents": {doc_id: {...}}}`` (decisions timed on the review page; series members and
        imported rows carry no time of their own)."""
        out: dict[str, dict[str, dict[str, float]]] = {"reviewers": {}, "documents": {}}
        for key, column in (("reviewers", "reviewer"), ("documents", "doc_id")):
            for r in self._con().execute(
                    f"SELECT {column}, COUNT(*), SUM(seconds) FROM queue_audit WHERE seconds IS NOT NULL"
                    f" GROUP BY {column} ORDER BY {column}"):
                out[key][r[0]] = {"items": r[1], "seconds": round(r[2] or 0.0, 1),
                                  "per_item": round((r[2] or 0.0) / r[1], 1) if r[1] else 0.0}
        return out

    def audit_page(self, doc_id: str | None = None, reviewer: str | None = None, action: str | None = None,
                   limit: int = 200) -> tuple[list[dict[str, Any]], int]:
        """The latest ``limit`` audit rows matching the filters (newest first) and how many match:
        what the admin page shows, without reading the whole trail."""
        where, args = [], []
        for column, value in (("doc_id", doc_id), ("reviewer", reviewer), ("action", action)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        sql_where = (" WHERE " + " AND ".join(where)) if where else ""
        con = self._con()
        total = con.execute("SELECT COUNT(*) FROM queue_audit" + sql_where, args).fetchone()[0]
        rows = con.execute("SELECT * FROM queue_audit" + sql_where + " ORDER BY id DESC LIMIT ?", (*args, limit))
        return [self._audit_row(r) for r in rows], total

    def audit_summary(self) -> dict[str, dict[str, int]]:
        """reviewer → {action: how many audit rows, "total": all of them}."""
        out: dict[str, dict[str, int]] = {}
        for r in self._con().execute("SELECT reviewer, action, COUNT(*) FROM queue_audit GROUP BY reviewer, action"):
            counts = out.setdefault(r[0], {"total": 0})
            counts[r[1]] = r[2]
            counts["total"] += r[2]
        return out

    def open_page(self, doc_id: str | None = None, limit: int = 300) -> tuple[list[QueueItem], int]:
        """The first ``limit`` open items in document order (by word id: page, then word; fields
        last), and how many are open."""
        con = self._con()
        if doc_id:
            row = con.execute("SELECT total - decided FROM queue_doc_counts WHERE doc_id = ?", (doc_id,)).fetchone()
            total = row[0] if row else 0
            ids = con.execute("SELECT id FROM queue_items WHERE doc_id = ? AND +state = 'open' ORDER BY item_key"
                              " LIMIT ?", (doc_id, limit)).fetchall()
        else:
            total = con.execute("SELECT COALESCE(SUM(total - decided), 0) FROM queue_doc_counts").fetchone()[0]
            ids = []
            for (doc,) in con.execute("SELECT doc_id FROM queue_doc_counts WHERE total > decided ORDER BY doc_id").fetchall():
                ids += con.execute("SELECT id FROM queue_items WHERE doc_id = ? AND +state = 'open' ORDER BY item_key"
                                   " LIMIT ?", (doc, limit - len(ids))).fetchall()
                if len(ids) >= limit:
                    break
        return [self._item(con, r[0]) for r in ids], total  # type: ignore[misc]

    def decided_among(self, item_ids: Iterable[int]) -> set[int]:
        """Which of these items are decided now."""
        ids = list(dict.fromkeys(int(i) for i in item_ids))
        out: set[int] = set()
        con = self._con()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.update(r[0] for r in con.execute(
                f"SELECT id FROM queue_items WHERE state = 'decided' AND id IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def decisions(self, doc_id: str) -> dict[str, str]:
        """word_id (or ``field:<name>``) → final text for every decided item of the document."""
        return {r["item_key"]: r["value"] for r in self.decided_items(doc_id)}

    def decided_items(self, doc_id: str) -> list[dict[str, Any]]:
        """The decided items of a document with who decided and how (for apply's Corrections);
        each other reading of an item's word (``members``) follows its item as a row of its own,
        the decision adapted to its case and punctuation (``item_key`` its word id, ``id`` the item's)."""
        con = self._con()
        out = []
        for r in con.execute(
            "SELECT id, item_key, kind, page, text, value, action, decided_by, decided_at, applied_at"
            " FROM queue_items WHERE doc_id = ? AND state = 'decided' ORDER BY id",
            (doc_id,),
        ).fetchall():
            out.append(dict(r))
            for m in con.execute("SELECT word_id, page, text FROM queue_members WHERE item_id = ? ORDER BY rowid",
                                 (r["id"],)):
                row = dict(r, item_key=m["word_id"], page=m["page"], text=m["text"])
                if r["action"] in ("accept", "illegible"):
                    row["value"] = m["text"]
                elif r["action"] == "not-text":
                    row["value"] = ""
                elif r["action"] == "line":
                    row["action"], row["value"] = "accept", m["text"]  # a line is the item's own
                else:
                    row["value"] = adapt(r["value"] or "", r["text"], m["text"])
                out.append(row)
        return out

    def members(self, item_id: int) -> list[dict[str, Any]]:
        """The other readings of the item's word in its document (word_id, page, text)."""
        return [dict(r) for r in self._con().execute(
            "SELECT word_id, page, text FROM queue_members WHERE item_id = ? ORDER BY rowid", (item_id,))]

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

    def rules_for(self, doc_id: str) -> DecisionRules:
        """The decision rules of the document's profile (from the ledger beside the queue);
        the defaults when the ledger does not know the document or its profile is broken."""
        cache = self.__dict__.setdefault("_rules", {})
        try:
            name = (self.profile_of(doc_id) if self.profile_of else None) or "generic"
        except sqlite3.Error:
            name = "generic"
        if name not in cache:
            try:
                cache[name] = self.profile_rules(name) if self.profile_rules else DecisionRules.default()
            except Exception:  # a profile that no longer loads must not stop reviewing
                cache[name] = DecisionRules.default()
        return cache[name]

    def items(self, doc_id: str | None = None, state: str | None = "open") -> list[QueueItem]:
        """Items (open ones by default) in document order, for export and the admin page."""
        sql = "SELECT id FROM queue_items WHERE 1 = 1"
        args: list[Any] = []
        if doc_id is not None:
            sql += " AND doc_id = ?"
            args.append(doc_id)
        if state is not None:
            sql += " AND state = ?"
            args.append(state)
        con = self._con()
        ids = [r[0] for r in con.execute(sql + " ORDER BY doc_id, page, id", args)]
        return [self._item(con, i) for i in ids]  # type: ignore[misc]

    def open_series(self, doc_id: str) -> int:
        return self._con().execute(
            "SELECT COUNT(DISTINCT series_key) FROM queue_items WHERE doc_id = ? AND state = 'open'", (doc_id,)
        ).fetchone()[0]

    # -- helpers

    def _item(self, con: sqlite3.Connection, item_id: int) -> QueueItem | None:
        if not 0 < item_id < 2**63:  # no row has it (and SQLite cannot even be asked: OverflowError)
            return None
        r = con.execute("SELECT * FROM queue_items WHERE id = ?", (item_id,)).fetchone()
        if r is None:
            return None
        # the open items of its series (a counter kept by triggers), and the item itself if it is not open
        n_open = con.execute("SELECT n FROM queue_series_open WHERE series_key = ?", (r["series_key"],)).fetchone()
        size = (n_open[0] if n_open else 0) + (r["state"] != "open")
        return QueueItem(
            id=r["id"], doc_id=r["doc_id"], kind=r["kind"], page=r["page"],
            bbox=tuple(json.loads(r["bbox"])) if r["bbox"] else None,  # type: ignore[arg-type]
            text=r["text"], confidence=r["confidence"], suggestions=json.loads(r["suggestions"]),
            context=r["context"], word_id=r["word_id"], field_name=r["field_name"], mandatory=bool(r["mandatory"]),
            series_key=r["series_key"], series_size=size, lease_owner=r["lease_owner"],
            lease_expires=r["lease_expires"], state=r["state"], action=r["action"], value=r["value"],
            decided_by=r["decided_by"], decided_at=r["decided_at"],
        )


def _cell_value(row: Any, action: str, value: str | None, rules: DecisionRules) -> str:
    """The final text of a table cell's item: its text actions as a word's, a merge or split
    with the text the cell should then read ("" as read). Not for words or fields."""
    if row["kind"] != "cell":
        raise QueueError(f"{action} is for table cells")
    if action in ("line", "illegible"):
        raise ValueRefused(f"{action} is for words; correct the cell's text, or empty it (Not text)")
    if action in STRUCTURE_ACTIONS:
        return check_text(value or "", rules)
    return checked_value(row, action, value, rules)


def _has_queue(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'queue_items'").fetchone() is not None


def _progress_counted(con: sqlite3.Connection) -> dict[str, Any]:
    """``Queue.progress`` of a queue without counters, opened read-only: counted from the items."""
    docs = {r[0]: (r[1], r[2]) for r in con.execute(
        "SELECT doc_id, SUM(state = 'decided'), COUNT(*) FROM queue_items GROUP BY doc_id ORDER BY doc_id")}
    leased = con.execute("SELECT COUNT(*) FROM queue_items WHERE state = 'open' AND lease_owner IS NOT NULL"
                         " AND lease_expires >= ?", (time.time(),)).fetchone()[0]
    series_open = con.execute("SELECT COUNT(DISTINCT series_key) FROM queue_items WHERE state = 'open'").fetchone()[0]
    total, decided = sum(t for _, t in docs.values()), sum(d for d, _ in docs.values())
    return {"total": total, "decided": decided, "open": total - decided, "leased": leased,
            "series_open": series_open, "documents": docs}


def _script(con: sqlite3.Connection, script: str) -> None:
    """Statements separated by ``;`` at the end of a line (trigger bodies hold ``;`` too)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            con.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


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

