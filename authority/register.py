"""The office's register of assigned publication numbers: numbers without a published document
become exception entries, so the authority file lists *every* number the office assigned.

Register CSV (``;`` or ``,`` separated, header row required, names case-insensitive):
``publication_number`` (or ``number``/``doc_number``) -- required;
``kind`` and ``publication_date`` (or ``date``, YYYYMMDD or YYYY-MM-DD) -- required for a number
with no document, since both are mandatory in every entry and are never made up;
``exception_code`` (or ``exception``) -- default ``N`` (not used publication number);
``office`` (or ``country``) -- optional; rows of another office are skipped.
"""

from __future__ import annotations

import csv
from pathlib import Path

from digitize.dates import compact
from digitize.numbers import order_key
from digitize.structure.register import ALIASES

from .model import Entry, number_problem
from .findings import Findings
from .store import Store

# the register's column names: one table, shared with the per-document check (its application
# and filing columns are not used here)


def load_register(path: Path, office: str, store: Store, report: Findings) -> int:
    """Read the register into ``store``; returns the number of rows kept."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(path, f"cannot read the register: {exc}")
        return 0
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delim)
    header = next(reader, None)
    if not header:
        report.error(path, "empty register")
        return 0
    cols = [ALIASES.get(h.strip().lower()) for h in header]
    if "number" not in cols:
        report.error(path, f"the header has no publication_number column: {header}")
        return 0
    rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rec = {c: v.strip() for c, v in zip(cols, values) if c}
        where = f"{path}:{line}"
        if rec.get("office") and rec["office"].upper() != office:
            continue
        number = rec.get("number")
        if not number:
            report.error(where, "no publication number; row skipped")
            continue
        problem = number_problem(number)
        if problem:
            report.error(where, f"publication number {problem}; row skipped")
            continue
        raw_date = rec.get("date") or None
        date = compact(raw_date) if raw_date else None
        if raw_date and date is None:
            report.error(where, f"invalid publication date {raw_date!r}; row skipped")
            continue
        rows.append((order_key(number), number, (rec.get("kind") or "").upper() or None, date,
                     (rec.get("exception") or "").upper() or None, line))
    store.conn.executemany("INSERT OR IGNORE INTO reg VALUES (?,?,?,?,?,?)", rows)
    return len(rows)


def apply_register(path: Path, office: str, store: Store, report: Findings) -> tuple[int, int]:
    """Add exception entries for registered numbers without a document; warn about documents
    whose number is not in the register. Returns (exception entries added, rows read)."""
    n = load_register(path, office, store, report)
    store.flush()
    added = 0
    missing = store.conn.execute(
        "SELECT number, kind, date, exception, line FROM reg WHERE nkey NOT IN (SELECT nkey FROM e) ORDER BY nkey"
    ).fetchall()
    for number, kind, date, exception, line in missing:
        if not kind or not date:
            need = " and ".join(x for x, v in (("kind", kind), ("publication date", date)) if not v)
            report.error(f"{path}:{line}", f"number {number} has no document and the register gives no {need}; no entry made")
            continue
        store.add(Entry(office, number, kind, date, exception=exception or "N",
                        description=(), claims=(), abstract=()), source=f"register {Path(path).name}")
        added += 1
    store.flush()
    for (number,) in store.conn.execute(
        "SELECT DISTINCT e.nkey FROM e WHERE e.nkey NOT IN (SELECT nkey FROM reg) ORDER BY e.nkey LIMIT 1000"
    ):
        shown = (number[1:].lstrip("0") or "0") if number.startswith("0") else number[1:]
        report.warning(f"{office} {shown}",
                       "published but not in the register of assigned numbers")
    return added, n
