"""The correction queue as a spreadsheet (CSV): QA work handed between sites and tools.

``export_csv`` writes one row per item (UTF-8 with a BOM so spreadsheet programs read it as
UTF-8, a header row); ``import_csv`` takes the filled-in ``decision``/``value`` columns back as
one reviewer's decisions through ``Queue.decide`` — the same checks and audit as the web page —
one transaction per row, so a row is applied whole or not at all, and importing the same file
twice changes nothing the second time.

Cells are text, never formulas: a text cell starting with ``= + - @`` (or a tab / carriage
return) is written with a leading apostrophe, which spreadsheets show as text, and the import
takes that apostrophe off again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import atomic_write
from ..store.queue import Queue, QueueItem
from .decisions import QueueError

COLUMNS = ("item_id", "document", "kind", "field", "page", "ocr_text", "context", "suggestions", "expected",
           "confidence", "state", "decided_by", "decision", "value")
DECISIONS = ("accept", "correct", "illegible", "not-text", "skip", "line")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_AS_DECISION = {"suggestion": "correct"}  # a suggestion taken on the web page is a correction here


def neutralise(text: str) -> str:
    """A cell spreadsheets will show as text, never evaluate."""
    return "'" + text if text.startswith(_FORMULA) else text


def restore(text: str) -> str:
    """Undo ``neutralise``."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA) else text


def _row(item: QueueItem, queue: Queue) -> dict[str, str]:
    rules = queue.rules_for(item.doc_id)
    return {
        "item_id": str(item.id), "document": item.doc_id, "kind": item.kind, "field": item.field_name or "",
        "page": str(item.page or ""), "ocr_text": item.text, "context": item.context,
        "suggestions": " | ".join(item.suggestions), "expected": rules.expected(item.field_name) if item.kind == "field" else "",
        "confidence": f"{item.confidence:.0f}", "state": item.state, "decided_by": item.decided_by or "",
        "decision": _AS_DECISION.get(item.action or "", item.action or ""),
        "value": (item.value or "") if item.state == "decided" else "",
    }


def export_csv(queue: Queue, out: Path, *, doc_id: str | None = None, state: str = "open") -> int:
    """Write the queue's items (``state`` "open" or "all") to ``out``; returns the row count."""
    items = queue.items(doc_id, None if state == "all" else "open")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for item in items:
        writer.writerow({k: neutralise(v) if k not in ("item_id", "page", "confidence") else v
                         for k, v in _row(item, queue).items()})
    atomic_write(out, "\ufeff" + buf.getvalue())
    return len(items)


@dataclass
class ImportReport:
    """What an import did, row by row: the first ``KEPT_MESSAGES`` messages of each kind, and
    every row counted."""

    applied: list[tuple[int, str]] = field(default_factory=list)  # (line, what)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    counts: dict[str, int] = field(default_factory=lambda: {"applied": 0, "skipped": 0, "refused": 0})

    def _add(self, kind: str, line: int, text: str) -> None:
        self.counts[kind] += 1
        kept = getattr(self, kind)
        if len(kept) < KEPT_MESSAGES:
            kept.append((line, text))

    def apply(self, line: int, what: str) -> None:
        self._add("applied", line, what)

    def skip(self, line: int, why: str) -> None:
        self._add("skipped", line, why)

    def refuse(self, line: int, why: str) -> None:
        self._add("refused", line, why)


MAX_ID_DIGITS = 18  # an SQLite integer has at most 19 digits; more is no item of any queue
MAX_CELL = 64 * 1024  # characters; a longer cell is refused (the longest value allowed is a few hundred)
KEPT_MESSAGES = 1000  # per kind; beyond, only counted (a million rows must not fill memory)


def item_id_of(text: str) -> int | None:
    """A queue item id from a cell or form field: 1 to 18 ASCII digits, else None."""
    text = (text or "").strip()
    return int(text) if 0 < len(text) <= MAX_ID_DIGITS and text.isascii() and text.isdigit() else None


def _mismatch(cells: dict[str, str], item: QueueItem) -> str | None:
    """What the row says about its item that is not so: the row is about another item (an
    edited sheet, another job, a queue filled again since the export)."""
    said = {"document": item.doc_id, "kind": item.kind, "field": item.field_name or "", "ocr_text": item.text}
    for column, actual in said.items():
        if column in cells and cells[column] != actual and (column != "document" or cells[column]):
            return f"item {item.id} has {column} {actual!r}, not {cells[column][:80]!r}"
    return None


def import_csv(queue: Queue, path: Path, reviewer: str) -> ImportReport:
    """Apply the filled-in rows of ``path`` as ``reviewer``'s decisions, read row by row (never
    the whole file at once). A row must agree with its item on every column it shares with the
    export (document, kind, field, ocr_text) that it fills in."""
    report = ImportReport()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        try:
            fieldnames = reader.fieldnames
        except csv.Error as exc:
            raise QueueError(f"{path}: line 1: not a CSV header ({exc})") from None
        missing = {"item_id", "decision", "value"} - set(fieldnames or ())
        if missing:
            raise QueueError(f"{path}: missing column(s) {', '.join(sorted(missing))}; export a queue to see the layout")
        rows = iter(reader)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:  # a cell over the csv module's limit, a stray NUL …
                report.refuse(reader.line_num, f"not a readable CSV row ({exc})")
                continue
            _import_row(queue, reviewer, report, reader.line_num, row)
    return report


def _import_row(queue: Queue, reviewer: str, report: ImportReport, line: int, row: dict) -> None:
    if any(v is not None and (not isinstance(v, str) or len(v) > MAX_CELL) for v in row.values()):
        report.refuse(line, f"a cell is longer than {MAX_CELL} characters, or the row has extra cells")
        return
    cells = {k: restore(v or "") for k, v in row.items() if k is not None}
    decision = cells.get("decision", "").strip().lower()
    if not decision:
        report.skip(line, "no decision")
        return
    item_id = item_id_of(cells.get("item_id", ""))
    if item_id is None:
        report.refuse(line, f"item_id {cells.get('item_id', '')[:40]!r} is not an item number")
        return
    item = queue.get(item_id)
    if item is None:
        report.refuse(line, f"no queue item {item_id} in this job")
        return
    wrong = _mismatch(cells, item)
    if wrong:
        report.refuse(line, wrong)
        return
    if decision not in DECISIONS:
        report.refuse(line, f"decision {decision[:40]!r} is not one of {', '.join(DECISIONS)}")
        return
    value = cells.get("value", "")
    rules = queue.rules_for(item.doc_id)
    if item.state == "decided":
        same = _AS_DECISION.get(item.action or "", item.action) == decision and _same_value(item, decision, value, rules)
        if same:
            report.skip(line, f"item {item_id} already decided this way")
        else:
            report.refuse(line, f"item {item_id} was already decided by {item.decided_by}"
                                f" ({item.action}: {item.value!r}); reopen it on the admin page first")
        return
    if decision == "skip":
        report.skip(line, f"item {item_id} skipped")
        return
    if decision == "correct" and not value.strip() and item.kind == "word":
        report.refuse(line, f"item {item_id}: correct needs a value (use not-text to remove a word)")
        return
    try:
        n = queue.decide(item_id, reviewer, decision, value, rules=rules, take=True)
    except QueueError as exc:
        report.refuse(line, f"item {item_id}: {exc}")
        return
    report.apply(line, f"item {item_id}: {decision}" + (f" ({n} items)" if n > 1 else ""))


def _same_value(item: QueueItem, decision: str, value: str, rules) -> bool:
    if decision in ("accept", "illegible", "not-text"):
        return True
    from .decisions import checked_value

    row = {"kind": item.kind, "field_name": item.field_name, "mandatory": item.mandatory, "text": item.text}
    try:
        return checked_value(row, decision, value, rules) == item.value
    except QueueError:
        return False
