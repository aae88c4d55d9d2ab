"""ST.36 XML (EPO ``ep-patent-document`` with SDOBI, ICE ``bibliographic-data`` as we emit it, or
EPO's ``fulltext-document``) read back: ``load`` gives a ``Document`` (the truth for round-trip
tests, and a way to re-emit existing full text); ``publication`` gives what the file says the
publication is (also for USPTO ``us-patent-grant``/``us-patent-application`` and any other
``*-patent-document``, namespaces ignored).

Inline markup (b, i, sub, patcit, lists …) is flattened to its text; claim references become
``ClaimText.refs``; ``<!-- … <DP n="5"> -->`` comments become the page of the paragraphs, claims
and figures that follow them. Files are parsed only through ``digitize.xmlsafe``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..model import (Bibliographic, Claim, ClaimSet, ClaimText, Classification, Document, Field, Figure, Paragraph,
                     Party, Priority, Source)
from .. import xmlsafe
from .elements import all_text, child, lang_code, local_name, text
from .publication import PriorityClaim, Publication, languages

_DP = re.compile(r'<DP\s+n="(\d+)"')


def _iso(d: str | None) -> str | None:
    d = (d or "").strip()
    return f"{d[:4]}-{d[4:6]}-{d[6:8]}" if re.fullmatch(r"\d{8}", d) else (d or None)


def _field(value: str | None) -> Field | None:
    value = (value or "").strip()
    return Field(value=value) if value else None


class _Pager:
    def __init__(self):
        self.page = 0

    def see(self, el: etree._Element) -> None:
        if isinstance(el, etree._Comment):
            m = _DP.search(el.text or "")
            if m:
                self.page = int(m.group(1))

    def sources(self) -> list[Source]:
        return [Source(page=self.page, bbox=(0, 0, 0, 0))] if self.page else []


def _walk(parent: etree._Element, pager: _Pager):
    """Children in order, noting page comments (also those nested one level down)."""
    for el in parent:
        if isinstance(el, etree._Comment):
            pager.see(el)
            continue
        if not isinstance(el.tag, str):
            continue
        yield el
        for c in el.iter(etree.Comment):
            pager.see(c)


def _sdobi_party(el: etree._Element) -> Party:
    name = " ".join(all_text(el.find(t)).strip() for t in ("snm", "fnm") if el.find(t) is not None).strip()
    adr = el.find("adr")
    address = None
    country = None
    if adr is not None:
        parts = [all_text(adr.find(t)).strip() for t in ("str", "city") if adr.find(t) is not None]
        address = ", ".join(" ".join(p.split()) for p in parts if p) or None
        country = all_text(adr.find("ctry")).strip() or None
    return Party(name=" ".join(name.split()), address=address, country=country)


def _ice_party(el: etree._Element) -> Party:
    ab = el.find("addressbook")
    if ab is None:
        return Party(name="")
    name = all_text(ab.find("name")) or " ".join(all_text(ab.find(t)) for t in ("orgname", "last-name", "first-name")
                                                if ab.find(t) is not None)
    adr = ab.find("address")
    address = country = None
    if adr is not None:
        lines = [all_text(a).strip() for a in adr if a.tag != "country" and all_text(a).strip()]
        address = ", ".join(lines) or None
        country = all_text(adr.find("country")).strip() or None
    return Party(name=" ".join(name.split()), address=address, country=country if country != "XX" else None)


@dataclass
class SdobiNumbers:
    """The identifying data of EPO ``SDOBI`` B-tags, as written (dates ``YYYYMMDD``); the one
    reader of them (``load`` and ``publication`` both read them here)."""

    office: str | None = None  # B190
    number: str | None = None  # B110
    kind: str | None = None  # B130
    date: str | None = None  # B140/date
    app_number: str | None = None  # B210
    filing_date: str | None = None  # B220/date
    priorities: list[tuple[str | None, str | None, str | None]] = field(default_factory=list)  # (B330 ctry, B310, B320)


def sdobi_numbers(s: etree._Element) -> SdobiNumbers:
    """A priority starts at each ``B310`` of every ``B300``; its ``B320/date`` and ``B330/ctry``
    (else ``B330``'s text) follow. A priority without ``B330`` is kept, with no country."""
    n = SdobiNumbers(office=text(s.find("B100/B190")), number=text(s.find("B100/B110")),
                     kind=text(s.find("B100/B130")), date=text(s.find("B100/B140/date")),
                     app_number=text(s.find("B200/B210")), filing_date=text(s.find("B200/B220/date")))
    for b300 in s.findall("B300"):
        cur: list[str | None] | None = None
        for el in b300:
            if el.tag == "B310":
                if cur:
                    n.priorities.append((cur[0], cur[1], cur[2]))
                cur = [None, text(el), None]
            elif el.tag == "B320" and cur is not None:
                cur[2] = text(el.find("date"))
            elif el.tag == "B330" and cur is not None:
                cur[0] = text(el.find("ctry")) if el.find("ctry") is not None else text(el)
        if cur:
            n.priorities.append((cur[0], cur[1], cur[2]))
    return n


def _biblio_sdobi(s: etree._Element, lang: str) -> Bibliographic:
    b = Bibliographic()
    n = sdobi_numbers(s)
    b.office = _field(n.office)
    b.doc_number = _field(n.number)
    b.kind = _field(n.kind)
    b.publication_date = _field(_iso(n.date))
    b.document_type = _field(s.findtext("B100/B120/B121"))
    b.application_number = _field(n.app_number)
    b.filing_date = _field(_iso(n.filing_date))
    titles = s.findall("B500/B540/*")
    cur = None
    for el in titles:
        if el.tag == "B541":
            cur = (el.text or "").strip()
        elif el.tag == "B542" and (cur == lang or b.title is None):
            b.title, b.title_lang = _field(all_text(el)), cur or lang
    b.priorities = [Priority(country=c or "", number=num or "", date=_iso(d) or "") for c, num, d in n.priorities]
    for c in s.iter("classification-ipcr"):
        t = " ".join(all_text(c.find("text")).split())
        if t:
            b.ipc.append(Classification(text=t))
    b.applicants = [_sdobi_party(p) for p in s.findall("B700/B710/B711")]
    b.inventors = [_sdobi_party(p) for p in s.findall("B700/B720/B721")]
    b.assignees = [_sdobi_party(p) for p in s.findall("B700/B730/B731")]
    b.agents = [_sdobi_party(p) for p in s.findall("B700/B740/B741")]
    b.designated_states = [all_text(c).strip() for c in s.findall("B800/B840/ctry")]
    return b


def _biblio_ice(bd: etree._Element, lang: str) -> Bibliographic:
    b = Bibliographic()
    pub = bd.find("publication-reference/document-id")
    if pub is not None:
        b.office = _field(pub.findtext("country"))
        b.doc_number = _field(pub.findtext("doc-number"))
        b.kind = _field(pub.findtext("kind"))
        b.publication_date = _field(_iso(pub.findtext("date")))
    app = bd.find("application-reference/document-id")
    if app is not None:
        b.application_number = _field(app.findtext("doc-number"))
        b.filing_date = _field(_iso(app.findtext("date")))
    t = bd.find("invention-title")
    if t is not None:
        b.title, b.title_lang = _field(all_text(t)), t.get("lang") or lang
    for pc in bd.findall("priority-claims/priority-claim"):
        b.priorities.append(Priority(country=pc.findtext("country") or "", number=pc.findtext("doc-number") or "",
                                     date=_iso(pc.findtext("date")) or ""))
    b.ipc = [Classification(text=" ".join(all_text(c.find("text")).split()))
             for c in bd.findall("classifications-ipcr/classification-ipcr") if c.find("text") is not None]
    b.applicants = [_ice_party(p) for p in bd.findall("parties/applicants/applicant") if _ice_party(p).name]
    b.inventors = [_ice_party(p) for p in bd.findall("parties/inventors/inventor")]
    b.agents = [_ice_party(p) for p in bd.findall("parties/agents/agent")]
    b.assignees = [_ice_party(p) for p in bd.findall("assignees/assignee")]
    b.document_type = _field(bd.findtext("plain-language-designation"))
    pct = bd.find("designation-of-states/designation-pct")
    if pct is not None:
        b.designated_states = [all_text(c).strip() for c in pct.iter("country") if c.getparent().tag != "region"]
    return b


def _claim_text(el: etree._Element, ids: dict[str, int]) -> ClaimText:
    """Own text (including claim-ref and inline markup) first, nested claim-text as children."""
    own: list[str] = [el.text or ""]
    children: list[ClaimText] = []
    refs: list[int] = []
    for ch in el:
        if isinstance(ch.tag, str) and ch.tag == "claim-text":
            children.append(_claim_text(ch, ids))
        elif isinstance(ch.tag, str):
            own.append(all_text(ch))
            for r in ch.iter("claim-ref"):
                for target in (r.get("idref") or "").split():
                    if target in ids and ids[target] not in refs:
                        refs.append(ids[target])
        own.append(ch.tail or "")
    return ClaimText(text=" ".join("".join(own).split()), children=children, refs=refs)


def _num(value: str | None, default: int) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    return int(m.group(1)) if m else default


def load(path: Path | str) -> Document:
    """Read an ST.36 file into a ``Document`` (``doc_id`` from office+number+kind)."""
    root = xmlsafe.parse(path).getroot()
    part_lang = next((el.get("lang") for el in root if isinstance(el.tag, str) and el.get("lang")), None)
    lang = (root.get("lang") or part_lang or "en").lower()
    sdobi, ice = root.find("SDOBI"), root.find("bibliographic-data")
    biblio = _biblio_sdobi(sdobi, lang) if sdobi is not None else _biblio_ice(ice, lang) if ice is not None else Bibliographic()
    if biblio.office is None and root.get("country"):
        biblio.office = _field(root.get("country"))
    pager = _Pager()
    doc = Document(doc_id="", source=str(path), profile="st36", lang=lang, biblio=biblio)
    for part in _walk(root, pager):
        if part.tag == "abstract" and not doc.abstract:
            for p in _walk(part, pager):
                if p.tag == "p":
                    doc.abstract.append(Paragraph(text=all_text(p), num=p.get("num"), sources=pager.sources()))
        elif part.tag == "description":
            for p in _walk(part, pager):
                if p.tag == "heading":
                    doc.description.append(Paragraph(text=all_text(p), kind="heading", level=int(p.get("level") or 1),
                                                      sources=pager.sources()))
                elif p.tag == "p":
                    doc.description.append(Paragraph(text=all_text(p), num=p.get("num"), sources=pager.sources()))
        elif part.tag == "claims":
            ids = {c.get("id"): _num(c.get("num"), i) for i, c in enumerate(part.findall("claim"), 1) if c.get("id")}
            cs = ClaimSet(lang=(part.get("lang") or lang).lower())
            for i, c in enumerate(_walk(part, pager), 1):
                if c.tag != "claim":
                    continue
                texts = [_claim_text(t, ids) for t in c.findall("claim-text")]
                body = texts[0] if len(texts) == 1 else ClaimText(text="", children=texts)
                cs.claims.append(Claim(num=_num(c.get("num"), i), body=body, sources=pager.sources()))
            doc.claims.append(cs)
        elif part.tag == "drawings":
            for i, f in enumerate(_walk(part, pager), 1):
                img = f.find("img") if f.tag == "figure" else None
                if img is not None and img.get("img-content") == "undefined" and pager.page:
                    doc.image_pages.append(pager.page)  # an image-only page, as emit writes them
                elif img is not None:
                    doc.figures.append(Figure(page=pager.page, file=img.get("file") or "", num=_num(f.get("num"), i)))
    doc.doc_id = doc.publication_id or Path(path).stem
    return doc


ROOTS = ("us-patent-grant", "us-patent-application", "fulltext-document")  # besides any ``*-patent-document``
BIBLIO = ("bibliographic-data", "us-bibliographic-data-grant", "us-bibliographic-data-application")


def is_st36(root_name: str) -> bool:
    """Whether a root element of this local name is an ST.36-family publication."""
    return root_name.endswith("patent-document") or root_name in ROOTS


def publication(root: Any) -> Publication:
    """The publication an ST.36-family root says it is: EPO ``SDOBI`` B-tags (the application
    then at the publishing office), else the ``bibliographic-data`` of ICE or USPTO; the root's
    attributes (EP: country/doc-number/kind/date-publ; US: country/date-publ) fill gaps."""
    pub = Publication(format="st36")
    sdobi = child(root, "SDOBI")
    biblio = next((c for c in root if local_name(c) in BIBLIO), None)
    if sdobi is not None:
        n = sdobi_numbers(sdobi)
        pub.country, pub.number, pub.kind, pub.date = n.office, n.number, n.kind, n.date
        pub.app_number = n.app_number
        pub.app_country = pub.country if pub.app_number else None
        pub.filing_date = n.filing_date
        pub.priorities = [PriorityClaim(c, num, d, None, str(seq)) for seq, (c, num, d) in enumerate(n.priorities, 1)]
    elif biblio is not None:
        did = child(biblio, "publication-reference", "document-id")
        pub.country = text(child(did, "country"))
        pub.number = text(child(did, "doc-number"))
        pub.kind = text(child(did, "kind"))
        pub.date = text(child(did, "date"))
        app = child(biblio, "application-reference", "document-id")
        pub.app_country = text(child(app, "country"))
        pub.app_number = text(child(app, "doc-number"))
        pub.filing_date = text(child(app, "date"))
        pcs = child(biblio, "priority-claims")
        for pc in (c for c in (pcs if pcs is not None else []) if local_name(c) == "priority-claim"):
            pub.priorities.append(PriorityClaim(text(child(pc, "country")), text(child(pc, "doc-number")),
                                                text(child(pc, "date")), pc.get("kind"), pc.get("sequence")))
    pub.country = pub.country or root.get("country")
    pub.number = pub.number or root.get("doc-number")
    pub.kind = pub.kind or root.get("kind")
    pub.date = pub.date or root.get("date-publ")
    names = {"description": "description", "claims": "claims", "abstract": "abstract"}
    pub.languages = languages(root, names, lang_code(root.get("lang")), "lang")
    return pub
