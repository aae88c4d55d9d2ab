"""Streamed writers: XML (the verified ST.37 V2.x DTD flavour) and CSV.

Both take entries one at a time, already sorted, so a million entries never exist as a million
elements. The XML writer serialises through ``lxml.etree.xmlfile`` and re-uses one element tree
per entry *shape* (which optional parts are present), only changing its texts, which is much
quicker than building fresh elements for every entry.

Files are written to a temporary name in the target folder, fsynced and renamed: a killed build
never leaves half a file under the final name.

CSV layout (``;`` separated, UTF-8, one header row, one row per entry)::

    office;publication_number;kind;publication_date;application_number;filing_date;exception_code;
    searchable_description;searchable_claims;searchable_abstract;priority_claims;update_action

- dates ``YYYYMMDD``; the first seven columns follow the EPO's ST.37 text file order;
- ``searchable_*``: ISO 639-1 codes joined by ``,`` (``en,de,fr``), ``-`` = not searchable
  (``not-searchable-code``), empty = not stated;
- ``priority_claims``: claims joined by ``|``, each ``country:number:date:kind:sequence``;
- ``update_action``: ``delete`` for an entry an incremental file removes (only written when asked
  for: ST.37 has no removal), else empty;
- a text cell that would start with ``= + - @`` (or a tab / carriage return) gets a leading ``'``,
  so no spreadsheet runs it as a formula; publication numbers never need it (``check`` and
  ``build`` refuse such numbers).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from lxml import etree

from digitize.fsutil import new_temp

from .model import NOT_SEARCHABLE_CODE, Definition, Entry

DOCTYPE = '<!DOCTYPE authority-file SYSTEM "ST37AuthorityFile_V2-2.dtd">'
CSV_HEADER = [
    "office", "publication_number", "kind", "publication_date", "application_number", "filing_date",
    "exception_code", "searchable_description", "searchable_claims", "searchable_abstract",
    "priority_claims", "update_action",
]
SEARCHABLE = (("description", "searchable-description-code"), ("claims", "searchable-claims-code"),
              ("abstract", "searchable-abstract-code"))


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[Any]:
    """A binary file that appears under ``path`` only when the block completes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = new_temp(path.parent, path.name)  # mode follows the umask, like every other output
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# --------------------------------------------------------------------------- XML


def _sub(parent: Any, tag: str, text: str | None = None) -> Any:
    el = etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def definition_element(d: Definition) -> Any:
    root = etree.Element("authority-file-definition")
    root.set("grouped-af-indicator", d.grouped)
    root.set("update-af-category", d.update_category)
    if d.exception_codes:
        lst = _sub(root, "exception-code-list")
        for code, desc in sorted(d.exception_codes.items()):
            ed = _sub(lst, "exception-code-definition")
            _sub(ed, "exception-code", code)
            _sub(ed, "exception-code-description", desc)
    lst = _sub(root, "document-kind-code-list")
    for code, desc in sorted(d.kind_codes.items()):
        kd = _sub(lst, "document-kind-code-definition")
        _sub(kd, "kind", code)
        _sub(kd, "document-kind-code-description", desc)
    if d.most_recent:
        mr = _sub(root, "most-recent-document")
        mr.set("publication-number", d.most_recent[0])
        mr.set("publication-date", d.most_recent[1])
    cov = _sub(root, "data-coverage")
    if d.date_range:
        r = _sub(cov, "publication-date-range")
        r.set("start-date", d.date_range[0])
        r.set("end-date", d.date_range[1])
    if d.number_range:
        r = _sub(cov, "publication-number-range")
        r.set("begin-range-number", d.number_range[0])
        r.set("end-range-number", d.number_range[1])
    for code, n in sorted(d.kind_counts.items()):
        kc = _sub(cov, "kind-code-coverage")
        _sub(kc, "kind", code)
        _sub(kc, "document-total-quantity", str(n))
    for code, n in sorted(d.exception_counts.items()):
        ec = _sub(cov, "exception-code-coverage")
        _sub(ec, "exception-code", code)
        _sub(ec, "document-total-quantity", str(n))
    return root


def _shape(e: Entry) -> tuple:
    """Which optional parts an entry has: entries of one shape share one element tree."""
    return (
        e.app_country is not None, e.app_number is not None, e.filing_date is not None,
        tuple((p.sequence is not None, p.country is not None, p.number is not None, p.date is not None)
              for p in e.priorities),
        e.exception is not None,
        -1 if e.description is None else len(e.description),
        -1 if e.claims is None else len(e.claims),
        -1 if e.abstract is None else len(e.abstract),
        e.deleted,
    )


def _values(e: Entry) -> list[str]:
    """The texts and attribute values of an entry, in the order ``_template`` lists its slots."""
    v = [e.country, e.number, e.kind, e.date]
    v.extend(x for x in (e.app_country, e.app_number, e.filing_date) if x is not None)
    for p in e.priorities:
        if p.sequence is not None:
            v.append(p.sequence)
        v.append(p.claim_kind or "national")
        v.extend(x for x in (p.country, p.number, p.date) if x is not None)
    if e.exception is not None:
        v.append(e.exception)
    for name, _ in SEARCHABLE:
        langs = getattr(e, name)
        if langs is not None:
            v.extend(langs) if langs else v.append(NOT_SEARCHABLE_CODE)
    return v


def _template(e: Entry) -> tuple[Any, list[tuple[Any, str | None]]]:
    """An ``authority-file-entry`` tree for ``e``'s shape and its slots (element, attribute)."""
    slots: list[tuple[Any, str | None]] = []

    def text(parent: Any, tag: str) -> None:
        slots.append((_sub(parent, tag), None))

    root = etree.Element("authority-file-entry")
    if e.deleted:
        root.set("update-action", "delete")
    did = _sub(_sub(root, "publication-reference"), "document-id")
    for tag in ("country", "doc-number", "kind", "date"):
        text(did, tag)
    if any(x is not None for x in (e.app_country, e.app_number, e.filing_date)):
        app = _sub(root, "application-reference")
        for tag, x in (("country", e.app_country), ("doc-number", e.app_number), ("filing-date", e.filing_date)):
            if x is not None:
                text(app, tag)
    if e.priorities:
        pcs = _sub(root, "priority-claims")
        for p in e.priorities:
            pc = _sub(pcs, "priority-claim")
            if p.sequence is not None:
                slots.append((pc, "sequence"))
            slots.append((pc, "priority-claim-kind"))
            for tag, x in (("country", p.country), ("doc-number", p.number), ("date", p.date)):
                if x is not None:
                    text(pc, tag)
    if e.exception is not None:
        text(root, "exception-code")
    for name, tag in SEARCHABLE:
        langs = getattr(e, name)
        if langs is None:
            continue
        s = _sub(root, tag)
        if langs:
            for _ in langs:
                text(s, "searchable-language-code")
        else:
            slots.append((_sub(s, "not-searchable-code"), "code"))
    etree.indent(root, space="  ", level=1)
    return root, slots


class XmlWriter:
    """``with XmlWriter(fh, definition) as w: w.write(entry)``: one element in memory at a time."""

    def __init__(self, fh: Any, definition: Definition):
        self.fh = fh
        self.definition = definition
        self._stack = contextlib.ExitStack()
        self._templates: dict[tuple, tuple[Any, list]] = {}
        self.count = 0

    def __enter__(self) -> "XmlWriter":
        d = self.definition
        self.xf = self._stack.enter_context(etree.xmlfile(self.fh, encoding="UTF-8"))
        self.xf.write_declaration()
        self.xf.write_doctype(DOCTYPE)
        self._stack.enter_context(self.xf.element("authority-file", {"country": d.country, "date-produced": d.date_produced}))
        self.xf.write("\n  ")
        defn = definition_element(d)
        etree.indent(defn, space="  ", level=1)
        self.xf.write(defn)
        return self

    def write(self, e: Entry) -> None:
        shape = _shape(e)
        tpl = self._templates.get(shape)
        if tpl is None:
            if len(self._templates) > 4096:
                self._templates.clear()
            tpl = self._templates[shape] = _template(e)
        el, slots = tpl
        for (node, attr), value in zip(slots, _values(e)):
            if attr is None:
                node.text = value
            else:
                node.set(attr, value)
        self.xf.write("\n  ")
        self.xf.write(el)
        self.count += 1

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.xf.write("\n")
        self._stack.__exit__(*exc)  # type: ignore[arg-type]
        if exc[0] is None:
            self.fh.write(b"\n")


# --------------------------------------------------------------------------- CSV


def _langs(v: tuple[str, ...] | None) -> str:
    if v is None:
        return ""
    return ",".join(v) if v else "-"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(v: str) -> str:
    """No cell may start a spreadsheet formula (CSV injection). A lone ``-`` (ST.37's "not
    searchable") is no formula in any spreadsheet and is written as documented."""
    return "'" + v if v.startswith(FORMULA_START) and v != "-" else v


def uncell(v: str) -> str:
    """Undo ``_cell``: the value as it was (the reader's side)."""
    return v[1:] if v.startswith("'") and v[1:].startswith(FORMULA_START) and v[1:] != "-" else v


def csv_row(e: Entry) -> list[str]:
    prios = "|".join(":".join(x or "" for x in (p.country, p.number, p.date, p.claim_kind, p.sequence)) for p in e.priorities)
    return [_cell(v) for v in (e.country, e.number, e.kind, e.date, e.app_number or "", e.filing_date or "",
                               e.exception or "", _langs(e.description), _langs(e.claims), _langs(e.abstract), prios,
                               "delete" if e.deleted else "")]


class CsvWriter:
    def __init__(self, fh: Any, definition: Definition | None = None):
        self.fh = fh
        self.count = 0

    def __enter__(self) -> "CsvWriter":
        self.text = io.TextIOWrapper(self.fh, encoding="utf-8", newline="", write_through=False)
        self.w = csv.writer(self.text, delimiter=";", lineterminator="\n")
        self.w.writerow(CSV_HEADER)
        return self

    def write(self, e: Entry) -> None:
        self.w.writerow(csv_row(e))
        self.count += 1

    def __exit__(self, *exc: object) -> None:
        self.text.flush()
        self.text.detach()


WRITERS = {"xml": XmlWriter, "csv": CsvWriter}


def write_file(path: Path | str, fmt: str, definition: Definition, entries: Iterable[Entry]) -> int:
    """Write ``entries`` (sorted) to ``path`` atomically; returns how many were written."""
    with atomic_output(path) as fh, WRITERS[fmt](fh, definition) as w:
        for e in entries:
            w.write(e)
        return w.count
