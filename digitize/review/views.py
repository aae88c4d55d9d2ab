"""What the review pages show, as plain values for the templates: names, progress, the line
around a word, a series, and the admin page's lists read from the ledger and document JSON.

No request or response here: each function takes the queue, an item or the job folder and
returns text, tuples and dicts that the routes hand to the templates.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from ..jobfolder import DocumentFolder, JobFolder
from ..store.queue import Queue, QueueItem
from ..structure.table_review import parse_key


def item_title(item: QueueItem | None) -> str:
    """A name people read: document, page, field or word."""
    if item is None:
        return ""
    where = f"{item.doc_id} · page {item.page}" if item.page else item.doc_id
    if item.kind == "field":
        return f"{where} · field {item.field_name}"
    if item.kind == "cell":
        return f"{where} · table cell “{item.text}”"
    return f"{where} · word “{item.text}”"


def cell_view(item: QueueItem | None) -> dict[str, str] | None:
    """A table cell's context as the page shows it: why a decision was not applied (if so), its
    row header, its column header and its place (``structure.table_review.context_of``)."""
    if item is None or item.kind != "cell":
        return None
    out = {"note": "", "row": "", "column": "", "place": ""}
    for part in (item.context or "").split(" · "):
        for name, prefix in (("note", "not applied: "), ("row", "row: "), ("column", "column: ")):
            if part.startswith(prefix):
                out[name] = part[len(prefix):]
                break
        else:
            out["place"] = part
    return out


def audit_title(a: dict[str, Any]) -> str:
    if a.get("field_name"):
        return f"{a['doc_id']} · field {a['field_name']}"
    wid = a.get("word_id") or ""
    cell = parse_key(wid)
    if cell is not None:
        return f"{a['doc_id']} · page {cell[0]} · table cell “{a.get('before') or ''}”"
    page = wid[1:5].lstrip("0") if wid.startswith("p") and wid[1:5].isdigit() else ""
    return f"{a['doc_id']} · page {page} · word “{a.get('before') or ''}”" if page else f"{a['doc_id']} · {wid}"


def when(at: float | None) -> str:
    """A time with its zone, so sites in other zones read it right."""
    if not at:
        return ""
    return time.strftime("%Y-%m-%d %H:%M:%S %Z (UTC%z)", time.localtime(at))


def highlight(item: QueueItem) -> tuple[str, str, str]:
    """The line context split around the word in doubt (before, word, after) for ``<mark>``."""
    ctx = item.context or ""
    i = ctx.find(item.text) if item.text else -1
    if i < 0:
        return (ctx + " " if ctx else "", item.text, "")
    return ctx[:i], ctx[i:i + len(item.text)], ctx[i + len(item.text):]


def series_view(queue: Queue, item: QueueItem | None) -> list[dict[str, Any]]:
    """What "apply to the whole series" would change, shown before the reviewer ticks it."""
    if item is None or item.series_size <= 1 or item.kind != "word":
        return []
    out = []
    for m in queue.series_members(item.id, limit=30):
        fake = QueueItem(id=m["id"], doc_id=m["doc_id"], kind="word", page=m["page"], bbox=None, text=m["text"],
                         confidence=0, context=m["context"])
        out.append({"id": m["id"], "doc_id": m["doc_id"], "page": m["page"], "context": highlight(fake),
                    "current": m["id"] == item.id})
    return out


def progress_view(progress: dict[str, Any], item: QueueItem | None) -> dict[str, Any]:
    docs = [
        {"doc_id": d, "decided": int(dec or 0), "total": int(tot or 0),
         "percent": round(100 * (dec or 0) / tot) if tot else 100}
        for d, (dec, tot) in progress.get("documents", {}).items()
    ]
    total, decided = int(progress.get("total", 0)), int(progress.get("decided", 0))
    current = next((d for d in docs if item and d["doc_id"] == item.doc_id), None)
    return {"total": total, "decided": decided, "open": total - decided,
            "percent": round(100 * decided / total) if total else 100,
            "series_open": progress.get("series_open", 0), "leased": progress.get("leased", 0),
            "documents": docs, "current": current}


def held_by_quality(job_dir: Path) -> list[dict[str, str]]:
    """Documents the quality gate keeps in review, with the reason (ledger, else document JSON)."""
    out = []
    try:
        ledger = JobFolder(job_dir).ledger(readonly=True)
        try:
            rows = [(r["doc_id"], r["out_dir"], r["quality"]) for r in ledger.rows("needs-review", order="doc_id")
                    if r["doc_id"]]
        finally:
            ledger.close()
    except sqlite3.Error:
        return out
    for doc_id, out_dir, why in rows:
        if not why and out_dir:
            path = DocumentFolder(job_dir / out_dir).json(doc_id).resolve()
            if path.is_relative_to(job_dir) and path.is_file():
                try:
                    why = (json.loads(path.read_text(encoding="utf-8")).get("quality") or {}).get("reason")
                except (OSError, ValueError, AttributeError):
                    why = None
        if why:
            out.append({"doc_id": doc_id, "reason": why})
    return out


def automatic_changes(job_dir: Path) -> list[dict[str, Any]]:
    """The office memory's automatic corrections in the job's documents (their JSON)."""
    from ..store.memory import automatic_changes as changes

    docs = []
    try:
        ledger = JobFolder(job_dir).ledger(readonly=True)
        try:
            rows = [(r["doc_id"], r["out_dir"]) for r in ledger.rows(order="doc_id") if r["doc_id"] and r["out_dir"]]
        finally:
            ledger.close()
    except sqlite3.Error:
        return []
    for doc_id, out_dir in rows:
        path = DocumentFolder(job_dir / out_dir).json(doc_id).resolve()
        if path.is_relative_to(job_dir) and path.is_file():
            docs.append((doc_id, path))
    return changes(docs)


def auto_memory_view(job_dir: Path) -> list[dict[str, Any]]:
    """One row per correction the memory made (form read → written), with its documents."""
    out: dict[str, dict[str, Any]] = {}
    for c in automatic_changes(job_dir):
        row = out.setdefault(c["form"], {"form": c["form"], "old": c["old"], "new": c["new"], "words": 0, "docs": set()})
        row["words"] += 1
        row["docs"].add(c["doc_id"])
    return [dict(r, docs=", ".join(sorted(r["docs"]))) for r in out.values()]
