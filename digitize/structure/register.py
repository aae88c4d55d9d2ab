"""The office's register of numbers, checked against what a front page was read as.

When a job names the register (``register = "…csv"`` in the job file, ``digitize run --register``:
the same CSV ``digitize authority build --register`` reads), every document's publication number,
kind code and dates are looked up in it. A number the register does not hold, or a kind code or
date that differs from the register's, becomes a field item with its reason: the register is
evidence for a reviewer, never a value written into the document unasked.

Columns (``;`` or ``,`` separated, header row required, names case-insensitive):
``publication_number`` (or ``number``/``doc_number``) required; ``kind``, ``publication_date``
(or ``date``), ``application_number``, ``filing_date`` (YYYYMMDD or YYYY-MM-DD) and ``office``
(or ``country``) optional. A row of another office is not this document's.

Pure functions of text and data: ``parse`` reads the CSV text, ``check`` compares a document's
``Bibliographic`` with it (the pipeline reads the file, the job folder keeps a copy).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from ..dates import iso
from ..numbers import match_key

ALIASES = {
    "publication_number": "number", "number": "number", "doc_number": "number", "doc-number": "number",
    "kind": "kind", "kind_code": "kind",
    "publication_date": "date", "date": "date",
    "exception_code": "exception", "exception": "exception",
    "office": "office", "country": "office",
    "application_number": "application", "filing_date": "filing",
}


class RegisterError(ValueError):
    """A register that cannot be used at all (no header, no number column): said with its file."""


@dataclass(frozen=True)
class Row:
    number: str
    kind: str | None
    date: str | None  # ISO
    application: str | None
    filing: str | None  # ISO
    office: str | None
    line: int


@dataclass
class Register:
    """Rows by publication number (``numbers.match_key``: digits only, leading zeros dropped)."""

    name: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # rows skipped, with their line

    def lookup(self, office: str | None, number: str) -> list[Row]:
        return [r for r in self.rows.get(match_key(number), []) if not (r.office and office) or r.office == office]


def parse(text: str, name: str) -> Register:
    """The register's rows; ``RegisterError`` when the file has no header or no number column."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise RegisterError(f"{name}: empty register (a header row with publication_number is required)")
    first = lines[0]
    delim = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(lines, delimiter=delim)
    header = next(reader)
    cols = [ALIASES.get(h.strip().lower()) for h in header]
    if "number" not in cols:
        raise RegisterError(f"{name}: the header has no publication_number column (found: {', '.join(header)})")
    reg = Register(name)
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rec = {c: v.strip() for c, v in zip(cols, values) if c}
        if not rec.get("number"):
            reg.problems.append(f"{name}:{line}: no publication number; row skipped")
            continue
        dates = {}
        for col in ("date", "filing"):
            raw = rec.get(col) or ""
            dates[col] = iso(raw) if raw else None
            if raw and dates[col] is None:
                reg.problems.append(f"{name}:{line}: {col} {raw!r} is not a date (YYYYMMDD or YYYY-MM-DD); not checked")
        row = Row(rec["number"], (rec.get("kind") or "").upper() or None, dates["date"],
                  rec.get("application") or None, dates["filing"], (rec.get("office") or "").upper() or None, line)
        reg.rows.setdefault(match_key(row.number), []).append(row)
    return reg


def check(b, reg: Register) -> list[tuple[str, str, str]]:
    """``(queue field, value read, reason)`` for each disagreement between the document ``b``
    (a ``Bibliographic``) and the register."""
    number, office = b.value("doc_number"), b.value("office")
    if not number:
        return []  # the completeness gate queues a missing number already
    rows = reg.lookup(office, number)
    if not rows:
        return [("doc_number", number, f"{office or ''} {number} is not in the office's register ({reg.name})".strip())]
    kind = b.value("kind")
    if kind and any(r.kind for r in rows) and not any(r.kind == kind.upper() for r in rows):
        rows_kinds = " ".join(sorted({r.kind for r in rows if r.kind}))
        return [("kind", kind, f"the office's register ({reg.name}) gives {number} the kind code {rows_kinds}, read {kind}")]
    if kind:
        rows = [r for r in rows if r.kind in (None, kind.upper())]
    out = []
    for name, attr, what in (("publication_date", "date", "publication date"), ("filing_date", "filing", "filing date")):
        read = b.value(name)
        known = {getattr(r, attr) for r in rows if getattr(r, attr)}
        if known and read not in known:
            out.append((name, read or "", f"the office's register ({reg.name}) gives {number} the {what} "
                        f"{' or '.join(sorted(known))}, read {read or 'nothing'}"))
    app = b.value("application_number")
    known = {r.application for r in rows if r.application}
    if known and (not app or match_key(app) not in {match_key(a) for a in known}):
        out.append(("application_number", app or "", f"the office's register ({reg.name}) gives {number} the application "
                    f"number {' or '.join(sorted(known))}, read {app or 'nothing'}"))
    return out
