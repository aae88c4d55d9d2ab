"""Entries from a digitize job folder: the ledger says what happened to each input, the
structured ``<DOCID>.json`` says what the publication is.

- done / needs-review: an entry from the document's bibliographic data; description, claims and
  abstract found -> searchable in the document's language, missing -> not searchable;
- failed: an entry only when a ``<DOCID>.json`` with the four mandatory fields exists (then all
  text is not searchable, since no full text was delivered); otherwise reported, never invented;
- pending / running: reported as not finished.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterator

from digitize.jobfolder import DocumentFolder, JobFolder
from digitize.store.ledger import not_a_publication
from digitize.model import Document
from digitize.xmlread.elements import lang_code

from ..model import Entry, claim_kind_of
from ..findings import Findings
from .xmlfiles import RawEntry, validate_raw


def _rows(job: JobFolder) -> list[dict]:
    ledger = job.ledger(readonly=True)
    try:
        return ledger.rows(order="id")
    finally:
        ledger.close()


def entries_from_job(job_dir: Path, report: Findings, office: str | None = None) -> Iterator[Entry]:
    """``office`` stands in for a missing (19) code: every document of a job is from that office."""
    job = JobFolder(job_dir)
    job_dir = job.root
    try:
        rows = _rows(job)
    except sqlite3.Error as exc:
        report.error(job.ledger_path, f"cannot read the ledger: {exc}")
        return
    for row in rows:
        where = row["input"]
        state = row["state"]
        if state in ("pending", "running"):
            report.warning(where, f"not finished (state {state}); not in the authority file")
            continue
        why = not_a_publication(row)
        if why is not None:
            report.warning(where, f"marked not a publication by a reviewer ({why}); not in the authority file")
            continue
        doc = _document(job_dir, row, report)
        if doc is None:
            if state == "failed":
                reason = row["reason"] or "no reason recorded"
                report.error(where, f"failed ({reason}) and no publication number was recognised; not an entry")
            else:
                report.error(where, f"state {state} but no structured document JSON found; not an entry")
            continue
        entry = _entry(doc, failed=(state == "failed"), where=where, report=report, office=office)
        if entry is not None:
            if state == "failed":
                report.warning(where, f"failed ({row['reason'] or 'no reason'}): listed as not searchable")
            yield entry


def _document(job_dir: Path, row: dict, report: Findings) -> Document | None:
    out_dir = row["out_dir"]
    if not out_dir:
        return None
    folder = job_dir / out_dir
    doc_id = row["doc_id"] or folder.name
    path = DocumentFolder(folder).json(doc_id)
    if not path.is_file():
        return None
    try:
        return Document.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, TypeError, KeyError) as exc:
        report.error(path, f"unreadable document JSON: {exc}")
        return None


def _entry(doc: Document, *, failed: bool, where: str, report: Findings, office: str | None) -> Entry | None:
    b = doc.biblio
    raw = RawEntry()
    raw.country = b.value("office") or office
    raw.number = b.value("doc_number")
    raw.kind = b.value("kind")
    raw.date = b.value("publication_date")
    raw.app_number = b.value("application_number")
    raw.app_country = raw.country if raw.app_number else None
    raw.filing_date = b.value("filing_date")
    raw.priorities = [(p.country, p.number, p.date, claim_kind_of(p.country), str(i)) for i, p in enumerate(b.priorities, 1)]
    flagged = [n for n in b.MANDATORY if getattr(b, n) is not None and getattr(b, n).flagged]
    if flagged:
        report.warning(where, f"mandatory field(s) still flagged for review: {', '.join(flagged)}")
    lang = lang_code(doc.lang)
    if failed:
        raw.searchable = {"description": (), "claims": (), "abstract": ()}
    else:
        def has(paras: list) -> bool:
            return any(p.text.strip() for p in paras if p.kind != "heading")

        claim_langs: list[str] = []
        for cs in doc.claims:
            cl = lang_code(cs.lang) or lang
            if cs.claims and cl and cl not in claim_langs:
                claim_langs.append(cl)
        if lang is None and (doc.description or doc.abstract):
            report.warning(where, f"document language {doc.lang!r} is not ISO 639-1; searchable codes left out")
        raw.searchable = {
            "description": ((lang,) if has(doc.description) else ()) if lang else None,
            "claims": tuple(claim_langs),
            "abstract": ((lang,) if has(doc.abstract) else ()) if lang else None,
        }
    return validate_raw(raw, where, report)
