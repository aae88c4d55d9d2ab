"""Entries from existing patent XML: one publication per file.

Recognised by the root element (namespaces ignored), read by ``digitize.xmlread``:
- ST.36 family: ``ep-patent-document`` (EPO, bibliographic data in ``SDOBI`` B-tags or in
  ``bibliographic-data``), ``us-patent-grant``/``us-patent-application``, ``xx-patent-document``
  and any other ``*-patent-document``, EPO full-text ``fulltext-document``;
- ST.96 ``PatentPublication``;
- USPTO's legacy ``patent-application-publication`` (pap, 2001-2004; its page images are
  unparsed entities, read as names and never opened);
- an ST.37 ``authority-file`` (its entries are taken as they are).

What is the authority file's own is here: a read publication turned into an entry (validated,
priority claim kinds filled in). Searchable codes: description/claims/abstract present with
text -> their ``lang`` (or the document's), absent -> not searchable. Files are parsed only
through ``digitize.xmlsafe``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from lxml import etree

from digitize import xmlread, xmlsafe
from digitize.xmlread.elements import local_name
from digitize.xmlread.publication import Publication

from digitize.dates import compact

from ..model import Entry, Priority, claim_kind_of
from ..findings import Findings


class RawEntry:
    """What a file said, before validation: strings exactly as found."""

    def __init__(self) -> None:
        self.country = self.number = self.kind = self.date = None
        self.app_country = self.app_number = self.filing_date = None
        self.priorities: list[tuple[str | None, str | None, str | None, str, str | None]] = []
        self.searchable: dict[str, tuple[str, ...]] | None = None


def entries_from_xml(path: Path, report: Findings) -> Iterator[Entry]:
    try:
        xmlsafe.assert_safe(path)
        if xmlread.root_name(path) == "authority-file":
            from ..reader import read_entries

            yield from read_entries(path)
            return
        tree = xmlsafe.parse(path)
    except xmlsafe.UnsafeXML as exc:
        report.error(path, str(exc))
        return
    except etree.XMLSyntaxError as exc:
        report.error(path, f"malformed XML, skipped: {exc}")
        return
    except OSError as exc:
        report.error(path, f"cannot read: {exc}")
        return
    root = tree.getroot()
    pub = xmlread.publication_of(root)
    if pub is None:
        report.info(path, f"not a patent publication (root element {local_name(root)!r}); skipped")
        return
    entry = validate_raw(raw_entry(pub), path, report)
    if entry is not None:
        yield entry


def raw_entry(pub: Publication) -> RawEntry:
    """A read publication as an entry's raw data. A priority claim's kind, when the file does
    not state it: ST.96 national, else by the office (``claim_kind_of``)."""
    raw = RawEntry()
    raw.country, raw.number, raw.kind, raw.date = pub.country, pub.number, pub.kind, pub.date
    raw.app_country, raw.app_number, raw.filing_date = pub.app_country, pub.app_number, pub.filing_date
    for p in pub.priorities:
        kind = (p.kind or "national").lower() if pub.format == "st96" else p.kind or claim_kind_of(p.country)
        raw.priorities.append((p.country, p.number, p.date, kind, p.sequence))
    raw.searchable = dict(pub.languages)
    return raw


def validate_raw(raw: RawEntry, where: object, report: Findings) -> Entry | None:
    """An entry from what a source said, or None with the reason reported. Optional data that is
    invalid is dropped with a warning; mandatory data is never filled in."""
    missing = [n for n, v in (("office", raw.country), ("publication number", raw.number),
                              ("kind code", raw.kind), ("publication date", raw.date)) if not v]
    if missing:
        report.error(where, f"no {', '.join(missing)} found; not an entry")
        return None
    date = compact(raw.date)
    if date is None:
        report.error(where, f"invalid publication date {raw.date!r}; not an entry")
        return None
    filing = compact(raw.filing_date) if raw.filing_date else None
    if raw.filing_date and filing is None:
        report.warning(where, f"invalid filing date {raw.filing_date!r} left out")
    prios = []
    for country, number, pdate, claim_kind, seq in raw.priorities:
        d = compact(pdate) if pdate else None
        if pdate and d is None:
            report.warning(where, f"invalid priority date {pdate!r} left out")
        prios.append(Priority(country, number, d, claim_kind or claim_kind_of(country), seq))
    s = raw.searchable or {}
    return Entry(
        country=raw.country.strip().upper(),  # type: ignore[union-attr]
        number=raw.number.strip(),  # type: ignore[union-attr]
        kind=raw.kind.strip().upper(),  # type: ignore[union-attr]
        date=date,
        app_country=raw.app_country,
        app_number=raw.app_number,
        filing_date=filing,
        priorities=tuple(prios),
        description=s.get("description"),
        claims=s.get("claims"),
        abstract=s.get("abstract"),
    )
