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
from .queue import LeaseError, Queue, QueueError, QueueItem

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
    applied: list[tuple[int, str]] = field(default_factory=list)  # (line, what)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def import_csv(queue: Queue, path: Path, reviewer: str) -> ImportReport:
    """Apply the filled-in rows of ``path`` as ``reviewer``'s decisions."""
    report = ImportReport()
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"item_id", "decision", "value"} - set(reader.fieldnames or ())
    if missing:
        raise QueueError(f"{path}: missing column(s) {', '.join(sorted(missing))}; export a queue to see the layout")
    for row in reader:
        line = reader.line_num
        cells = {k: restore(v or "") for k, v in row.items() if k is not None}
        decision = cells.get("decision", "").strip().lower()
        if not decision:
            report.skipped.append((line, "no decision"))
            continue
        try:
            item_id = int(cells.get("item_id", "").strip())
        except ValueError:
            report.refused.append((line, f"item_id {cells.get('item_id')!r} is not a number"))
            continue
        item = queue.get(item_id)
        if item is None:
            report.refused.append((line, f"no queue item {item_id} in this job"))
            continue
        if cells.get("document") and cells["document"] != item.doc_id:
            report.refused.append((line, f"item {item_id} belongs to {item.doc_id}, not {cells['document']}"))
            continue
        if decision not in DECISIONS:
            report.refused.append((line, f"decision {decision!r} is not one of {', '.join(DECISIONS)}"))
            continue
        value = cells.get("value", "")
        rules = queue.rules_for(item.doc_id)
        if item.state == "decided":
            same = _AS_DECISION.get(item.action or "", item.action) == decision and _same_value(item, decision, value, rules)
            if same:
                report.skipped.append((line, f"item {item_id} already decided this way"))
            else:
                report.refused.append((line, f"item {item_id} was already decided by {item.decided_by}"
                                             f" ({item.action}: {item.value!r}); reopen it on the admin page first"))
            continue
        if decision == "skip":
            report.skipped.append((line, f"item {item_id} skipped"))
            continue
        if decision == "correct" and not value.strip() and item.kind == "word":
            report.refused.append((line, f"item {item_id}: correct needs a value (use not-text to remove a word)"))
            continue
        try:
            n = queue.decide(item_id, reviewer, decision, value, rules=rules, take=True)
        except LeaseError as exc:
            report.refused.append((line, f"item {item_id}: {exc}"))
            continue
        except QueueError as exc:
            report.refused.append((line, f"item {item_id}: {exc}"))
            continue
        report.applied.append((line, f"item {item_id}: {decision}" + (f" ({n} items)" if n > 1 else "")))
    return report


def _same_value(item: QueueItem, decision: str, value: str, rules) -> bool:
    if decision in ("accept", "illegible", "not-text"):
        return True
    from .queue import checked_value

    row = {"kind": item.kind, "field_name": item.field_name, "mandatory": item.mandatory, "text": item.text}
    try:
        return checked_value(row, decision, value, rules) == item.value
    except QueueError:
        return False
