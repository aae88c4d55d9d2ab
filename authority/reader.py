"""Streamed readers for authority files written by us or by others (XML or CSV).

Values are returned exactly as found (dates are *not* normalised) so that ``check`` can report a
bad date instead of the reader hiding it. XML is read through ``safexml`` (no DTD, no entities,
no network); each entry element is discarded as soon as it is converted.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterator

from .model import Definition, Entry, Priority
from .writer import CSV_HEADER


def file_format(path: Path | str) -> str:
    """``xml`` or ``csv``, from the first non-blank byte."""
    with open(path, "rb") as fh:
        head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return "xml" if head.startswith(b"<") else "csv"


class AuthorityFile:
    """``af = AuthorityFile(path)``; ``for e in af.entries(): ...``; ``af.definition`` is known
    once the definition element has been read (before the first entry, in a valid file)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.format = file_format(self.path)
        self.definition: Definition | None = None
        self.root_attrs: dict[str, str] = {}
        self.definition_error: str | None = None
        self.structure_problems: list[str] = []  # unknown elements etc., for ``check``

    def entries(self) -> Iterator[Entry]:
        return self._xml() if self.format == "xml" else self._csv()

    # ------------------------------------------------------------------ XML
    def _xml(self) -> Iterator[Entry]:
        from . import safexml

        root = None
        for event, el in safexml.iterparse(self.path, events=("start", "end")):
            if event == "start":
                if root is None:
                    root = el
                    self.root_attrs = dict(el.attrib)
                    if el.tag != "authority-file":
                        raise ValueError(f"root element is {el.tag!r}, not 'authority-file'")
                continue
            tag = el.tag
            if tag == "authority-file-entry":
                yield entry_from_element(el)
            elif tag == "authority-file-definition":
                if self.definition is not None:
                    self.structure_problems.append("more than one authority-file-definition")
                self.definition = definition_from_element(el, self.root_attrs)
            else:
                continue
            el.clear()
            while el.getprevious() is not None:
                del root[0]  # type: ignore[index]

    # ------------------------------------------------------------------ CSV
    def _csv(self) -> Iterator[Entry]:
        with open(self.path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=";")
            header = next(reader, None)
            if header is None:
                return
            cols = [h.strip().lower() for h in header]
            idx = {name: (cols.index(name) if name in cols else None) for name in CSV_HEADER}
            if idx["publication_number"] is None:
                raise ValueError(f"CSV header has no publication_number column: {header}")

            def get(row: list[str], name: str) -> str | None:
                i = idx[name]
                if i is None or i >= len(row):
                    return None
                return row[i].strip() or None

            for row in reader:
                if not any(c.strip() for c in row):
                    continue
                prios = []
                for item in (get(row, "priority_claims") or "").split("|"):
                    if item:
                        parts = (item.split(":") + [""] * 5)[:5]
                        prios.append(Priority(parts[0] or None, parts[1] or None, parts[2] or None,
                                              parts[3] or "national", parts[4] or None))
                yield Entry(
                    country=get(row, "office") or "", number=get(row, "publication_number") or "",
                    kind=get(row, "kind") or "", date=get(row, "publication_date") or "",
                    app_country=(get(row, "office") if get(row, "application_number") or get(row, "filing_date") else None),
                    app_number=get(row, "application_number"), filing_date=get(row, "filing_date"),
                    priorities=tuple(prios), exception=get(row, "exception_code"),
                    description=_langs(get(row, "searchable_description")),
                    claims=_langs(get(row, "searchable_claims")),
                    abstract=_langs(get(row, "searchable_abstract")),
                    deleted=(get(row, "update_action") == "delete"),
                )


def _langs(v: str | None) -> tuple[str, ...] | None:
    if v is None:
        return None
    if v == "-":
        return ()
    return tuple(x.strip() for x in v.split(",") if x.strip())


def _t(el: Any) -> str | None:
    if el is None or el.text is None:
        return None
    return el.text.strip()


def entry_from_element(el: Any) -> Entry:
    country = number = kind = date = None
    app_country = app_number = filing = None
    prios: list[Priority] = []
    exception = None
    searchable: dict[str, tuple[str, ...] | None] = {"description": None, "claims": None, "abstract": None}
    for c in el:
        tag = c.tag
        if tag == "publication-reference":
            did = c.find("document-id")
            if did is not None:
                for x in did:
                    if x.tag == "country":
                        country = _t(x)
                    elif x.tag == "doc-number":
                        number = _t(x)
                    elif x.tag == "kind":
                        kind = _t(x)
                    elif x.tag == "date":
                        date = _t(x)
        elif tag == "application-reference":
            app_country = _t(c.find("country"))
            app_number = _t(c.find("doc-number"))
            filing = _t(c.find("filing-date"))
        elif tag == "priority-claims":
            for pc in c.iterfind("priority-claim"):
                prios.append(Priority(_t(pc.find("country")), _t(pc.find("doc-number")), _t(pc.find("date")),
                                      pc.get("priority-claim-kind") or "national", pc.get("sequence")))
        elif tag == "exception-code":
            exception = _t(c)
        elif tag in ("searchable-description-code", "searchable-claims-code", "searchable-abstract-code"):
            name = tag.split("-")[1]
            langs = tuple(_t(x) or "" for x in c.iterfind("searchable-language-code"))
            searchable[name] = langs if langs else ()
    return Entry(country or "", number or "", kind or "", date or "", app_country, app_number, filing,
                 tuple(prios), exception, searchable["description"], searchable["claims"], searchable["abstract"],
                 el.get("update-action") == "delete")


def definition_from_element(el: Any, root_attrs: dict[str, str]) -> Definition:
    d = Definition(
        country=root_attrs.get("country", ""), date_produced=root_attrs.get("date-produced", ""),
        update_category=el.get("update-af-category", ""), grouped=el.get("grouped-af-indicator", ""),
    )
    for ed in el.iterfind("exception-code-list/exception-code-definition"):
        d.exception_codes[_t(ed.find("exception-code")) or ""] = _t(ed.find("exception-code-description")) or ""
    for kd in el.iterfind("document-kind-code-list/document-kind-code-definition"):
        d.kind_codes[_t(kd.find("kind")) or ""] = _t(kd.find("document-kind-code-description")) or ""
    mr = el.find("most-recent-document")
    if mr is not None:
        d.most_recent = (mr.get("publication-number", ""), mr.get("publication-date", ""))
    cov = el.find("data-coverage")
    if cov is not None:
        r = cov.find("publication-date-range")
        if r is not None:
            d.date_range = (r.get("start-date", ""), r.get("end-date", ""))
        r = cov.find("publication-number-range")
        if r is not None:
            d.number_range = (r.get("begin-range-number", ""), r.get("end-range-number", ""))
        for kc in cov.iterfind("kind-code-coverage"):
            code = _t(kc.find("kind")) or ""
            d.kind_counts[code] = d.kind_counts.get(code, 0) + _int(_t(kc.find("document-total-quantity")))
        for ec in cov.iterfind("exception-code-coverage"):
            code = _t(ec.find("exception-code")) or ""
            d.exception_counts[code] = d.exception_counts.get(code, 0) + _int(_t(ec.find("document-total-quantity")))
    return d


def _int(v: str | None) -> int:
    try:
        return int(v or "")
    except ValueError:
        return -1


def read_entries(path: Path | str) -> Iterator[Entry]:
    return AuthorityFile(path).entries()


def read_all(path: Path | str) -> tuple[Definition | None, list[Entry]]:
    """Small files and tests: the definition and every entry."""
    af = AuthorityFile(path)
    entries = list(af.entries())
    return af.definition, entries
