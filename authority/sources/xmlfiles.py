"""Entries from existing patent XML: one publication per file.

Recognised by the root element (namespaces ignored):
- ST.36 family: ``ep-patent-document`` (EPO, bibliographic data in ``SDOBI`` B-tags or in
  ``bibliographic-data``), ``us-patent-grant``/``us-patent-application``, ``xx-patent-document``
  and any other ``*-patent-document``, EPO full-text ``fulltext-document``;
- ST.96 ``PatentPublication``;
- USPTO's legacy ``patent-application-publication`` (pap, 2001-2004; its page images are
  unparsed entities, read as names and never opened);
- an ST.37 ``authority-file`` (its entries are taken as they are).

Searchable codes: description/claims/abstract present with text -> their ``lang`` (or the
document's), absent -> not searchable. Files are parsed only through ``digitize.xmlsafe``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from lxml import etree

from digitize import xmlsafe as safexml
from digitize.emit.load_st36 import sdobi_numbers

from ..model import Entry, Priority, claim_kind_of, norm_date
from ..findings import Findings

ST36_BIBLIO = ("bibliographic-data", "us-bibliographic-data-grant", "us-bibliographic-data-application")


def _ln(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Any, *names: str) -> Any:
    """First descendant along the path of local names (``_child(el, "a", "b")``)."""
    for name in names:
        if el is None:
            return None
        el = next((c for c in el if _ln(c) == name), None)
    return el


def _text(el: Any) -> str | None:
    if el is None:
        return None
    t = "".join(el.itertext()).strip()
    return t or None


def _has_text(el: Any) -> bool:
    return any(t.strip() for t in el.itertext())


def lang_code(value: str | None) -> str | None:
    if not value:
        return None
    v = value.strip().lower()[:2]
    return v if len(v) == 2 and v.isalpha() else None


class RawEntry:
    """What a file said, before validation: strings exactly as found."""

    def __init__(self) -> None:
        self.country = self.number = self.kind = self.date = None
        self.app_country = self.app_number = self.filing_date = None
        self.priorities: list[tuple[str | None, str | None, str | None, str, str | None]] = []
        self.searchable: dict[str, tuple[str, ...]] | None = None


def entries_from_xml(path: Path, report: Findings) -> Iterator[Entry]:
    try:
        safexml.assert_safe(path)
        head = _root_name(path)
        if head == "authority-file":
            from ..reader import read_entries

            yield from read_entries(path)
            return
        tree = safexml.parse(path)
    except safexml.UnsafeXML as exc:
        report.error(path, str(exc))
        return
    except etree.XMLSyntaxError as exc:
        report.error(path, f"malformed XML, skipped: {exc}")
        return
    except OSError as exc:
        report.error(path, f"cannot read: {exc}")
        return
    root = tree.getroot()
    name = _ln(root)
    if name == "PatentPublication":
        raw = _st96(root)
    elif name.endswith("patent-document") or name in ("us-patent-grant", "us-patent-application", "fulltext-document"):
        raw = _st36(root)
    elif name == "patent-application-publication":
        raw = _pap(root)
    else:
        report.info(path, f"not a patent publication (root element {name!r}); skipped")
        return
    entry = validate_raw(raw, path, report)
    if entry is not None:
        yield entry


def _root_name(path: Path) -> str:
    for _, el in safexml.iterparse(path, events=("start",)):
        return _ln(el)
    return ""


def validate_raw(raw: RawEntry, where: object, report: Findings) -> Entry | None:
    """An entry from what a source said, or None with the reason reported. Optional data that is
    invalid is dropped with a warning; mandatory data is never filled in."""
    missing = [n for n, v in (("office", raw.country), ("publication number", raw.number),
                              ("kind code", raw.kind), ("publication date", raw.date)) if not v]
    if missing:
        report.error(where, f"no {', '.join(missing)} found; not an entry")
        return None
    date = norm_date(raw.date)
    if date is None:
        report.error(where, f"invalid publication date {raw.date!r}; not an entry")
        return None
    filing = norm_date(raw.filing_date) if raw.filing_date else None
    if raw.filing_date and filing is None:
        report.warning(where, f"invalid filing date {raw.filing_date!r} left out")
    prios = []
    for country, number, pdate, claim_kind, seq in raw.priorities:
        d = norm_date(pdate) if pdate else None
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


def _searchable(root: Any, names: dict[str, str], default_lang: str | None, lang_attr: str) -> dict[str, tuple[str, ...]]:
    """Languages of the text parts present (``names``: local name -> field)."""
    found: dict[str, list[str]] = {f: [] for f in names.values()}
    for el in root.iter():
        field = names.get(_ln(el))
        if field is None or not _has_text(el):
            continue
        lang = lang_code(el.get(lang_attr)) or default_lang
        if lang and lang not in found[field]:
            found[field].append(lang)
    return {f: tuple(v) for f, v in found.items()}


def _st36(root: Any) -> RawEntry:
    raw = RawEntry()
    sdobi = _child(root, "SDOBI")
    biblio = next((c for c in root if _ln(c) in ST36_BIBLIO), None)
    if sdobi is not None:  # EPO B-tags: read by the one ST.36 reader
        n = sdobi_numbers(sdobi)
        raw.country, raw.number, raw.kind, raw.date = n.office, n.number, n.kind, n.date
        raw.app_number = n.app_number
        raw.app_country = raw.country if raw.app_number else None
        raw.filing_date = n.filing_date
        raw.priorities = [(c, num, d, claim_kind_of(c), str(seq)) for seq, (c, num, d) in enumerate(n.priorities, 1)]
    elif biblio is not None:
        did = _child(biblio, "publication-reference", "document-id")
        raw.country = _text(_child(did, "country"))
        raw.number = _text(_child(did, "doc-number"))
        raw.kind = _text(_child(did, "kind"))
        raw.date = _text(_child(did, "date"))
        app = _child(biblio, "application-reference", "document-id")
        raw.app_country = _text(_child(app, "country"))
        raw.app_number = _text(_child(app, "doc-number"))
        raw.filing_date = _text(_child(app, "date"))
        pcs = _child(biblio, "priority-claims")
        for pc in (c for c in (pcs if pcs is not None else []) if _ln(c) == "priority-claim"):
            country = _text(_child(pc, "country"))
            raw.priorities.append((country, _text(_child(pc, "doc-number")),
                                   _text(_child(pc, "date")), pc.get("kind") or claim_kind_of(country), pc.get("sequence")))
    # the root's attributes (EP: country/doc-number/kind/date-publ; US: country/date-publ) fill gaps
    raw.country = raw.country or root.get("country")
    raw.number = raw.number or root.get("doc-number")
    raw.kind = raw.kind or root.get("kind")
    raw.date = raw.date or root.get("date-publ")
    names = {"description": "description", "claims": "claims", "abstract": "abstract"}
    raw.searchable = _searchable(root, names, lang_code(root.get("lang")), "lang")
    return raw


def _pap(root: Any) -> RawEntry:
    """USPTO's legacy application publications (pap v1.5/v1.6, 2001-2004, SGML-derived): the
    office is the USPTO, the number, kind and date in ``subdoc-bibliographic-information/
    document-id``, the application in ``domestic-filing-data``, foreign priorities in
    ``foreign-priority-data``; the page images are unparsed entities (``digitize.xmlsafe``)."""
    raw = RawEntry()
    bib = _child(root, "subdoc-bibliographic-information")
    did = _child(bib, "document-id")
    raw.country = "US"
    raw.number = _text(_child(did, "doc-number"))
    raw.kind = _text(_child(did, "kind-code"))
    raw.date = _text(_child(did, "document-date"))
    dom = _child(bib, "domestic-filing-data")
    raw.app_number = _text(_child(dom, "application-number", "doc-number"))
    raw.app_country = "US" if raw.app_number else None
    raw.filing_date = _text(_child(dom, "filing-date"))
    for seq, fp in enumerate((c for c in (bib if bib is not None else []) if _ln(c) == "foreign-priority-data"), 1):
        country = _text(_child(fp, "country-code"))
        raw.priorities.append((country, _text(_child(fp, "priority-application-number", "doc-number")),
                               _text(_child(fp, "filing-date")), claim_kind_of(country), str(seq)))
    raw.searchable = _searchable(root, {"subdoc-description": "description", "subdoc-claims": "claims",
                                        "subdoc-abstract": "abstract"}, "en", "lang")
    return raw


def _st96(root: Any) -> RawEntry:
    raw = RawEntry()
    bib = _child(root, "BibliographicData")
    pid = _child(bib, "PatentPublicationIdentification")
    raw.country = _text(_child(pid, "IPOfficeCode")) or _text(_child(root, "IPOfficeCode"))
    raw.number = _text(_child(pid, "PublicationNumber"))
    raw.kind = _text(_child(pid, "PatentDocumentKindCode"))
    raw.date = _text(_child(pid, "PublicationDate"))
    app = _child(bib, "ApplicationIdentification")
    raw.app_country = _text(_child(app, "IPOfficeCode"))
    raw.app_number = _text(_child(app, "ApplicationNumber", "ApplicationNumberText"))
    raw.filing_date = _text(_child(app, "FilingDate"))
    bag = _child(bib, "PriorityClaimBag")
    for pc in (c for c in (bag if bag is not None else []) if _ln(c) == "PriorityClaim"):
        cat = (_text(_child(pc, "ApplicationFilingCategory")) or "national").lower()
        seq = next((v for k, v in pc.attrib.items() if k.endswith("sequenceNumber")), None)
        raw.priorities.append((_text(_child(pc, "IPOfficeCode")), _text(_child(pc, "ApplicationNumber", "ApplicationNumberText")),
                               _text(_child(pc, "FilingDate")), cat, seq))
    lang_attr = next((k for k in root.attrib if k.endswith("}languageCode")), "languageCode")
    names = {"Description": "description", "Claims": "claims", "Abstract": "abstract"}
    raw.searchable = _searchable(root, names, lang_code(root.get(lang_attr)), lang_attr)
    return raw
