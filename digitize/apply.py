"""``digitize apply``: put reviewers' decisions into the documents' text, JSON and XML.

The page files (``pages/NNNN.json``) always hold the engine's output, so applying is a pure
re-run: the pipeline's second half (auto-correction → structure → emission) runs again with the
decisions (``model.Decisions``). Running it twice gives the same files (idempotent), and a decision
changed later is applied by simply running it again. A document whose queue is fully decided is
``done`` in the ledger afterwards; one with items left stays ``needs-review``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .settings import profile as profiles
from .fsutil import atomic_write
from .jobfolder import LEDGER, DocumentFolder, JobFolder
from .store.ledger import NOT_PUBLICATION, Ledger
from .store.memory import MemoryRules, OfficeMemory, load_rules
from .formats import XML
from .model import Correction, Decisions, field_of
from .pipeline import finish_document
from .store.queue import SETTLED, STRUCTURE_ACTIONS, Queue
from .structure.table_review import is_cell_key
from .resources import default_schema_dir

log = logging.getLogger(__name__)


@dataclass
class ApplyResult:
    doc_id: str
    decisions: int = 0  # decided items applied
    state: str = ""  # ledger state afterwards: done | needs-review
    validated: str = ""
    skipped: bool = False  # nothing new since the last apply
    error: str | None = None
    files: list[str] = field(default_factory=list)
    quality: str | None = None  # the quality gate's reason when it keeps the document needs-review
    refused: dict[str, str] = field(default_factory=dict)  # item key → why its value was not applied


def apply_job(job_dir: Path, doc_ids: list[str] | None = None, *, force: bool = False,
              schema_dir: Path | None = None) -> list[ApplyResult]:
    """Apply the decisions of every document in the queue (or of ``doc_ids``). A document with
    nothing decided since its last apply is skipped unless ``force``; one that fails is reported
    and the others go on."""
    job = JobFolder(job_dir)
    if not job.exists():
        raise FileNotFoundError(f"{job_dir} is not a job folder (no {LEDGER})")
    queue = job.queue()
    ledger = job.ledger()
    memory = load_rules(job_dir)
    schema_dir = schema_dir or default_schema_dir()
    wanted = doc_ids if doc_ids else queue.documents()
    results = []
    try:
        for doc_id in wanted:
            try:
                results.append(apply_document(job_dir, doc_id, queue, ledger, force=force, schema_dir=schema_dir,
                                              memory=memory))
            except Exception as exc:  # one bad document must not stop the others
                log.debug("%s: apply failed", doc_id, exc_info=True)
                results.append(ApplyResult(doc_id, error=" ".join(f"{type(exc).__name__}: {exc}".split())[:300]))
        if memory is not None and memory.store:
            remember(job_dir, memory, queue, [r.doc_id for r in results if not r.error])
    finally:
        ledger.close()
        queue.close()
    return results


def remember(job_dir: Path, memory: MemoryRules, queue: Queue, doc_ids: list[str]) -> int:
    """The applied decisions of these documents into the office memory (who and when, the job
    folder and the document); recording twice adds nothing. A store that cannot be written is
    a warning: the decisions stay in the job's queue (``digitize apply`` again records them)."""
    rows = []
    for doc_id in doc_ids:
        rows += [dict(i, doc_id=doc_id) for i in queue.decided_items(doc_id)
                 if i["applied_at"] is not None and i.get("action") != "not-publication"
                 and not is_cell_key(i["item_key"])]  # a cell's text is no word form to learn
    if not rows:
        return 0
    try:
        with OfficeMemory(memory.store) as store:
            return store.record(memory.office, rows, job=str(Path(job_dir).absolute()))
    except (sqlite3.Error, OSError) as exc:
        log.warning("office memory %s not written (%s): the decisions stay in %s; run apply again to record them",
                    memory.store, exc, job_dir)
        return 0


def apply_document(job_dir: Path, doc_id: str, queue: Queue, ledger: Ledger, *, force: bool = False,
                   schema_dir: Path | None = None, memory: MemoryRules | None = None) -> ApplyResult:
    row = ledger.by_doc_id(doc_id)
    if row is None or not row.get("out_dir"):
        raise LookupError(f"document {doc_id} is not in the ledger")
    folder = JobFolder(job_dir).document(row["out_dir"])
    if not folder.pages_dir.is_dir():
        raise FileNotFoundError(f"{folder.pages_dir} is missing")
    items = queue.decided_items(doc_id)
    pending = [i for i in items if i["applied_at"] is None]
    closed = [i for i in items if i.get("action") == "not-publication"]
    if closed and queue.open_count(doc_id) == 0:  # a reviewer said it is no publication
        return _not_a_publication(folder, row, items, closed[0]["value"] or "", queue, ledger,
                                  force=force, schema_dir=schema_dir, memory=memory)
    if not pending and not force:
        state = _state(queue, doc_id, row.get("quality"))
        if (row.get("reason") or "").startswith("incomplete: "):
            state = "needs-review"
        if state != row["state"]:
            ledger.set_state(doc_id, state)
        return ApplyResult(doc_id, decisions=len(items), state=state, validated=row.get("validated") or "",
                           skipped=True)

    profile = profiles.load(row["profile"] or "generic")
    result = finish_document(folder.root, profile, source=row["input"], doc_id=doc_id, force_doc_id=True,
                             decisions=decisions_of(items), schema_dir=schema_dir,
                             formats=formats_of(folder.root, doc_id), memory=memory)
    _record_reviews(folder.json(doc_id), items)
    by_field = {field_of(i["item_key"]): i for i in items}
    refused = {by_field[name]["item_key"]: reason for name, reason in result.refused.items() if name in by_field}
    for key, reason in refused.items():  # a value that no longer fits goes back to the queue
        queue.reopen(by_field[field_of(key)]["id"], "apply")
        log.warning("%s: %s reopened: %s", doc_id, key, reason)
    # a table cell the re-run asks about again although decided: its decision could not be
    # applied (``structure.table_review``; the candidate's context says why): back to the queue
    asked = {c.word_id: c for c in result.candidates if c.kind == "cell"}
    back: set[str] = set()
    for i in items:
        if i["item_key"] in asked and i.get("action") == SETTLED:  # its cell is back (a merge taken back)
            queue.reopen(i["id"], "apply")
            back.add(i["item_key"])
        elif i["item_key"] in asked and i["item_key"] not in refused:
            refused[i["item_key"]] = asked[i["item_key"]].context
            queue.reopen(i["id"], "apply")
            log.warning("%s: %s reopened: %s", doc_id, i["item_key"], asked[i["item_key"]].context)
    if result.candidates:
        queue.enqueue(doc_id, result.candidates)  # anything new the re-run found (idempotent)
    queue.settle_cells(doc_id, asked, by="apply")
    queue.mark_applied(doc_id, [i["id"] for i in items if i["item_key"] not in refused and i["item_key"] not in back])
    state = _state(queue, doc_id, result.quality)
    if result.incomplete:  # the completeness gate: never done with an empty mandatory field
        state = "needs-review"
    ledger.set_state(doc_id, state)
    ledger.set_validated(doc_id, result.validated)
    ledger.set_reason(doc_id, None if result.quality else
                      f"incomplete: {', '.join(result.incomplete)}" if result.incomplete else None,
                      quality=result.quality)
    return ApplyResult(doc_id, decisions=len(items), state=state, validated=result.validated, files=result.files,
                       quality=result.quality, refused=refused)


def _not_a_publication(folder: DocumentFolder, row: dict, items: list[dict], reason: str, queue: Queue,
                       ledger: Ledger, *, force: bool, schema_dir: Path | None,
                       memory: MemoryRules | None) -> ApplyResult:
    """A document a reviewer marked as no publication: the decisions made on its words before
    are put into its text as for any document; it ends ``done`` with the reason, which keeps it
    out of the delivery and the authority file."""
    doc_id = row["doc_id"]
    pending = [i for i in items if i["applied_at"] is None]
    words = [i for i in items if i.get("action") != "not-publication"]
    if pending or force:
        finish_document(folder.root, profiles.load(row["profile"] or "generic"), source=row["input"], doc_id=doc_id,
                        force_doc_id=True, decisions=decisions_of(words), schema_dir=schema_dir,
                        formats=formats_of(folder.root, doc_id), memory=memory)
        _record_reviews(folder.json(doc_id), words)
    ledger.set_state(doc_id, "done")
    ledger.set_reason(doc_id, NOT_PUBLICATION + reason)
    queue.mark_applied(doc_id, [i["id"] for i in items])
    return ApplyResult(doc_id, decisions=len(items), state="not-publication", validated=row.get("validated") or "",
                       skipped=not pending)


def formats_of(folder: Path, doc_id: str) -> tuple[str, ...]:
    """The outputs to rebuild: the XML formats, and the searchable facsimile when the run made
    one (``<DOCID>.pdf``), so no file of the document keeps the text as it was before review."""
    return (*XML, "pdf") if DocumentFolder(folder).pdf(doc_id).is_file() else XML


def decisions_of(items: list[dict]) -> Decisions:
    """Decided queue items → the reviewers' ``Decisions``: a word's text ("" for not-text), a
    field's value, a whole corrected line, an illegible word (and who said so), a table cell's
    text or structure (merge, split), in the order they were decided."""
    from .structure.decided import is_list_item

    out = Decisions()
    for i in items:
        action, key = i.get("action"), i["item_key"]
        name = field_of(key)
        if is_cell_key(key):  # a table cell: its text, a merge or a split (structure.table_review)
            continue
        if action == "line":
            out.lines[key] = i["value"]
        elif action == "illegible" and name is None:
            out.illegible[key] = i.get("decided_by") or ""
        elif action == "not-text":
            (out.words if name is None else out.fields)[name or key] = ""
        elif action == "accept" and name is not None and not i["value"]:
            continue  # nothing to set
        elif action == "accept" and name is not None and is_list_item(name):
            out.fields[name] = ""  # a list read right: the structure stage's list stays (its item is done)
        elif name is None:
            out.words[key] = i["value"]
        else:
            out.fields[name] = i["value"]
    cells = [i for i in items if is_cell_key(i["item_key"]) and i.get("action") != SETTLED]
    for i in sorted(cells, key=lambda i: (i.get("decided_at") or 0.0, i["id"])):
        out.cells[i["item_key"]] = (i["action"], i["value"] or "")
    return out


def _state(queue: Queue, doc_id: str, quality: str | None = None) -> str:
    return "done" if queue.open_count(doc_id) == 0 and not quality else "needs-review"


def _record_reviews(doc_json: Path, items: list[dict]) -> None:
    """Add a ``review:<user>`` Correction per changed item to ``<DOCID>.json`` (rewritten by
    ``finish_document`` just before, so this never accumulates duplicates)."""
    structure = STRUCTURE_ACTIONS
    changes = [i for i in items if (i["value"] != i["text"] and i.get("action") not in structure)
               or i.get("action") in ("illegible", *structure)]
    if not changes or not doc_json.is_file():
        return
    data = json.loads(doc_json.read_text(encoding="utf-8"))
    data.setdefault("corrections", [])
    for i in changes:
        data["corrections"].append(Correction(
            word_id=i["item_key"], page=int(i["page"] or 0), old=i["text"],
            new=(i["value"] or i["text"]) if i.get("action") in structure else i["value"],
            rule=f"review:{i['decided_by']}" + (f":{i['action']}" if i.get("action") in ("illegible", "not-text", "line", *structure) else ""),
            confidence=100.0,
        ).to_dict())
    atomic_write(doc_json, json.dumps(data, ensure_ascii=False, indent=1))
