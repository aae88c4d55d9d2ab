"""Document → the plain data the templates lay out (one view serves ST.36 and ST.96).

Every decision about *content* is made here, in Python, once: which office code, which dates are
real dates, XML ids, paragraph numbers, where claim references and doubtful words start and end,
which page-break comments go where, figure sizes in millimetres. The templates decide only
*layout* (element names, order, attributes), so an office changes its XML without touching this,
and ST.36 and ST.96 always carry the same data.

Values are cleaned of XML-forbidden characters here; escaping happens in the template engine
(autoescape) and the result is re-parsed by lxml, so text can never become markup.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

from ..model import ClaimText, Document, Paragraph, Party
from .. import claimrefs
from .. import dates
from ..formats import file_name
from ..settings.emit import EmitSettings
from .xmltext import clean, segments

_NAME_START = re.compile(r"^[A-Za-z_]")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]")
REGIONAL = {"EP", "EA", "AP", "OA", "GC"}
A4_MM = (210, 297)


def xml_id(value: str, prefix: str = "d") -> str:
    """A valid XML ID (NCName) from ``value``: ``EP2400812A1`` stays, ``12/34`` → ``d12_34``."""
    v = _NOT_NAME.sub("_", value or "")
    return v if v and _NAME_START.match(v) else f"{prefix}{v}"


def date_forms(value: str | None) -> tuple[str | None, str | None]:
    """(ISO ``YYYY-MM-DD``, ST.36 ``YYYYMMDD``) of a real calendar date, else (None, None)."""
    d = dates.written(value, ("%Y-%m-%d", "%Y%m%d"))
    return (d.isoformat(), d.strftime("%Y%m%d")) if d else (None, None)


def _code(value: str | None, allowed: frozenset[str] | None) -> str | None:
    v = clean(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", v):
        return None
    if allowed is not None and v not in allowed:
        return None
    return v


class _Pages:
    """Emits ``<DP n>`` page numbers only when the page changes, in document order."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.current: int | None = None

    def mark(self, sources) -> int | None:
        if not self.enabled or not sources:
            return None
        page = sources[0].page
        if page and page != self.current:
            self.current = page
            return page
        return None

    def mark_page(self, page: int | None) -> int | None:
        if not self.enabled or not page or page == self.current:
            return None
        self.current = page
        return page


def _segs(text: str, refs: list[tuple[int, int, str]], doubts, markup: bool) -> list[dict[str, Any]]:
    raw = text or ""
    # words a reviewer marked illegible are marked even when low-confidence markup is off
    spans = [(_int(d.start), _int(d.end), _conf(d.confidence)) for d in doubts if markup or getattr(d, "illegible", False)]
    out = []
    for s in segments(raw, refs, spans):
        t = clean(s.text)
        if t:
            out.append({"text": t, "ref": s.ref, "conf": s.conf})
    return out


def _claim_refs(text: str, refs: list[int], ids: dict[int, str], words: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Spans like "claim 1" / "reivindicación 3" for the claim numbers the structure stage found
    (the structure stage's finder, so both read the same references)."""
    wanted = {r for r in refs if r in ids} if refs and text else set()
    if not wanted:
        return []
    return [(r.start, r.end, ids[r.numbers[0]]) for r in claimrefs.find(text, words) if r.numbers[0] in wanted]


def _party(p: Party, seq: int, codes: dict | None) -> dict[str, Any]:
    country = _code(p.country, None) or "XX"
    iso = _code(country, codes["country"] if codes else None) if country != "XX" else None
    states = list(dict.fromkeys(c for c in (_code(s, codes["st3"] if codes else None) for s in (p.designation or [])) if c))
    return {
        "seq": seq,
        "seq3": f"{seq:03d}",
        "name": clean(p.name).strip(),
        "address": " ".join(clean(p.address).split()) if p.address else "",
        "country": country,
        "iso_country": iso,
        # the states an applicant applies for when the front page names them ("Designated
        # Contracting States: DE" under one applicant): ST.36 "as-indicated", ST.96 "As indicated"
        "designation": "as-indicated" if states else "all",
        "designation96": "As indicated" if states else "All",
        "states": states,
    }


def _ref(r, default_country: str, st3) -> dict[str, Any] | None:
    """A document named on the front page ((86)/(87)/(62)/(60)) as document-id parts."""
    if r is None or not clean(r.number).strip():
        return None
    iso, d8 = date_forms(r.date)
    country = _code(r.country, st3) or default_country
    return {"country": country, "number": clean(r.number).strip(), "kind": re.sub(r"\s+", "", clean(r.kind)).upper(),
            "date8": d8, "date_iso": iso}


def _date_part(f) -> dict[str, Any] | None:
    iso, d8 = date_forms(f.value if f is not None else None)
    return {"date8": d8, "date_iso": iso} if iso else None


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        m = re.search(r"\d+", str(value or ""))
        return int(m.group()) if m else default


def _conf(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 1.0
    return v if math.isfinite(v) else 1.0


def _mm(px: float, dpi: int) -> int:
    return max(1, int(round(px / max(dpi, 1) * 25.4)))


def _img_format(file: str) -> tuple[str, str]:
    ext = file.rsplit(".", 1)[-1].lower() if "." in file else ""
    if ext in ("jpg", "jpeg"):
        return "jpg", "JPEG"
    return "tif", "TIFF"


def _office_and_lang(doc: Document, profile_office: str, profile_lang: str, codes) -> tuple[str, str]:
    st3 = codes["st3"] if codes else None
    office = _code(doc.biblio.value("office"), st3) or _code(profile_office, st3) or "XX"
    lang = (clean(doc.lang) or profile_lang or "en").strip().lower()
    if codes and lang not in codes["lang"]:
        lang = profile_lang if profile_lang in codes["lang"] else "en"
    return office, lang


def _priority(seq: int, pr, st3) -> dict[str, Any]:
    iso, d8 = date_forms(pr.date)
    country = _code(pr.country, None) or "XX"
    kind = "international" if country == "WO" else "regional" if country in REGIONAL else "national"
    return {
        "seq": seq, "kind": kind, "category": {"international": "PCT", "regional": "Regional"}.get(kind, "National"),
        "country": country, "number": clean(pr.number).strip(), "date8": d8 or clean(pr.date).strip(),
        "date_iso": iso, "st96": bool(iso) and _code(country, st3) is not None,
    }


def _biblio(doc: Document, office: str, lang: str, codes) -> dict[str, Any]:
    b = doc.biblio
    st3 = codes["st3"] if codes else None
    pub_iso, pub8 = date_forms(b.value("publication_date"))
    app_iso, app8 = date_forms(b.value("filing_date"))
    title_lang = clean(b.title_lang).strip().lower() or lang
    if codes and title_lang not in codes["lang"]:
        title_lang = lang
    return {
        "office": office,
        "number": re.sub(r"\s+", "", clean(b.value("doc_number"))),
        "kind": re.sub(r"\s+", "", clean(b.value("kind"))).upper(),
        "date8": pub8,
        "date_iso": pub_iso,
        "app_number": clean(b.value("application_number")).strip(),
        "app_date8": app8,
        "app_date_iso": app_iso,
        "ipc": [{"seq": i, "text": clean(c.text).strip()} for i, c in enumerate(b.ipc, 1) if clean(c.text).strip()],
        "priorities": [_priority(i, pr, st3) for i, pr in enumerate(b.priorities, 1)],
        "applicants": [_party(p, i, codes) for i, p in enumerate(b.applicants, 1)],
        "inventors": [_party(p, i, codes) for i, p in enumerate(b.inventors, 1)],
        "assignees": [_party(p, i, codes) for i, p in enumerate(b.assignees, 1)],
        "agents": [_party(p, i, codes) for i, p in enumerate(b.agents, 1)],
        "title": clean(b.title.value).strip() if b.title else "",
        "title_lang": title_lang,
        "document_type": clean(b.value("document_type")).strip(),
        "designated_states": list(dict.fromkeys(c for c in (_code(s, st3) for s in b.designated_states) if c)),
        # (84) as ST.36 designation-pct: "regional" under a regional office (EP, AP, EA, OA, GC), else "national";
        # ST.96 has a regional designation only for BX/EP/EM.
        "designation": "regional" if office in REGIONAL else "national",
        "designation96": "regional" if office in ("EP", "BX", "EM") else "national",
        # (86)/(87) PCT application and publication; (62) division of; (60) related; (24); (41)/(47)
        "pct_filing": _ref(b.pct_application, "WO", st3),
        "pct_publishing": _ref(b.pct_publication, "WO", st3),
        "divisions": [x for x in (_ref(r, office, st3) for r in b.related_documents if r.relation == "62") if x],
        "related": [x for x in (_ref(r, office, st3) for r in b.related_documents if r.relation != "62") if x],
        "rights_effective": _date_part(b.rights_effective_date),
        "available_unexamined": _date_part(b.unexamined_available_date),
        "available_granted": _date_part(b.granted_available_date),
    }


def _abstract(doc: Document, pages: _Pages, markup: bool) -> list[dict[str, Any]]:
    return [{"id": f"pa{i:04d}", "num": f"{i:04d}", "dp": pages.mark(p.sources), "segs": _segs(p.text, [], p.doubts, markup)}
            for i, p in enumerate(doc.abstract, 1)]


def _description(doc: Document, pages: _Pages, markup: bool, info: dict | None = None) -> list[dict[str, Any]]:
    """Ids by position (printed numbers may repeat after OCR); trailing headings become paragraphs
    because the DTD wants every heading group to end with a paragraph."""
    paras: list[Paragraph] = list(doc.description)
    last_p = max((i for i, p in enumerate(paras) if p.kind != "heading"), default=-1)
    out = []
    n_p = n_h = 0
    for i, p in enumerate(paras):
        dp = pages.mark(p.sources)
        segs = _segs(p.text, [], p.doubts, markup)
        if p.kind == "heading" and i < last_p:
            n_h += 1
            out.append({"heading": True, "id": f"h{n_h:04d}", "level": min(max(_int(p.level, 1), 1), 3), "dp": dp, "segs": segs})
        else:
            n_p += 1
            num = clean(p.num).strip() if p.num else f"{n_p:04d}"
            tables = [_table(t, getattr((info or {}).get(t.page), "dpi", 300)) for t in getattr(p, "tables", None) or []]
            out.append({"heading": False, "id": f"p{n_p:04d}", "num": num, "dp": dp, "segs": segs, "tables": tables})
    return out


def _table(t, dpi: int) -> dict[str, Any]:
    """A table as the CALS/OASIS exchange model lays it out: ``colspec`` per column, head and body
    rows of entries (a spanning entry names its first and last column, ``morerows`` the rows it
    covers below). A row every position of which is spanned from above does not occur (the
    structure stage folds it), and a table whose rows would all be head keeps its last row as body."""
    cols = max(1, _int(t.cols, 1))
    rows = max(1, _int(t.rows, 1))
    head = min(max(0, _int(t.header_rows)), rows - 1)
    by_row: dict[int, list] = {}
    for c in sorted(t.cells, key=lambda c: (_int(c.row), _int(c.col))):
        r, col = _int(c.row), _int(c.col)
        if 0 <= r < rows and 0 <= col < cols:
            by_row.setdefault(r, []).append(c)
    out_rows = []
    for r in range(rows):
        entries = []
        for c in by_row.get(r, []):
            col = _int(c.col)
            last = min(cols - 1, col + max(1, _int(c.colspan, 1)) - 1)
            below = min(rows - 1 - r, max(1, _int(c.rowspan, 1)) - 1)
            if r < head and r + below >= head:  # a head cell does not reach into the body
                below = head - 1 - r
            entries.append({"colname": f"col{col + 1}", "namest": f"col{col + 1}" if last > col else None,
                            "nameend": f"col{last + 1}" if last > col else None, "morerows": below or None,
                            "text": clean(c.text)})
        if not entries:  # nothing starts in this row: one empty entry keeps it a row
            entries.append({"colname": "col1", "namest": None, "nameend": None, "morerows": None, "text": ""})
        out_rows.append(entries)
    widths = list(t.col_widths or [])
    colspecs = [{"num": i + 1, "name": f"col{i + 1}",
                 "width": f"{_mm(widths[i], dpi)}mm" if i < len(widths) and widths[i] else None} for i in range(cols)]
    tid = xml_id(clean(t.id) or "tabl", "t")
    num = re.sub(r"\D", "", tid) or "1"
    return {"id": tid, "num": num.zfill(4), "number": str(int(num)), "cols": cols, "colspecs": colspecs,
            "head": out_rows[:head], "body": out_rows[head:], "frame": FRAMES.get(getattr(t, "ruling", ""), "all")}


# CALS/OASIS ``frame`` of a table by how it is ruled: a frame all round, rules over and under it, none
FRAMES = {"ruled": "all", "partly": "topbot", "unruled": "none"}


def _claim_ids(cs, key: str) -> dict[int, str]:
    """Claim number → XML id of its first claim; ids unique within the set."""
    ids: dict[int, str] = {}
    seen: set[str] = set()
    for c in cs.claims:
        cid = f"c-{key}-{_int(c.num):04d}"
        while cid in seen:
            cid += "x"
        seen.add(cid)
        ids.setdefault(_int(c.num), cid)
    return ids


def _claim_tree(ct: ClaimText, ids: dict[int, str], words: tuple[str, ...], markup: bool) -> dict[str, Any]:
    refs = _claim_refs(ct.text, ct.refs, ids, words)
    return {"segs": _segs(ct.text, refs, ct.doubts, markup), "children": [_claim_tree(ch, ids, words, markup) for ch in ct.children]}


def _claim_set(cs, key: str, pages: _Pages, words: tuple[str, ...], markup: bool) -> list[dict[str, Any]]:
    ids = _claim_ids(cs, key)
    claims = []
    used: set[str] = set()
    for c in cs.claims:
        cid = ids[_int(c.num)] if ids[_int(c.num)] not in used else None
        if cid is None:
            cid = f"c-{key}-{_int(c.num):04d}x"
            while cid in used:
                cid += "x"
        used.add(cid)
        claims.append({"id": cid, "num": f"{_int(c.num):04d}", "number": _int(c.num),
                       "dp": pages.mark(c.sources), "body": _claim_tree(c.body, ids, words, markup)})
    return claims


def _claim_sets(doc: Document, lang: str, codes, pages: _Pages, settings: EmitSettings) -> list[dict[str, Any]]:
    """One set per language; ids unique across sets."""
    out = []
    set_keys: set[str] = set()
    for cs in doc.claims:
        clang = re.sub(r"[^a-z]", "", clean(cs.lang).lower()) or lang
        key = clang
        while key in set_keys:  # two sets in one language: ids must still be unique
            key += "x"
        set_keys.add(key)
        claims = _claim_set(cs, key, pages, settings.claim_ref_words, settings.ocr_confidence_markup)
        if claims:
            lang_ok = not codes or clang in codes["lang"]
            out.append({"id": f"claims-{key}" if len(doc.claims) > 1 else "claims", "lang": clang if lang_ok else lang,
                        "claims": claims})
    return out


def _size(info: dict, page: int | None, bbox) -> tuple[int, int]:
    pi = info.get(page) if page else None
    if pi is None:
        return A4_MM
    if bbox:
        return _mm(bbox[2] - bbox[0], pi.dpi), _mm(bbox[3] - bbox[1], pi.dpi)
    return _mm(pi.width, pi.dpi), _mm(pi.height, pi.dpi)


def _biblio_found(doc: Document) -> bool:
    b = doc.biblio
    return any(b.value(n) for n in ("doc_number", "kind", "publication_date", "application_number", "title")) \
        or bool(b.applicants or b.inventors)


def _figures(doc: Document, info: dict, pages: _Pages, image_only: bool) -> list[dict[str, Any]]:
    """Drawings (figures) and image-only pages not already a figure. A document with no text part
    is all images; ST.36 then has only doc-page elements (the DTD's alternative to the text parts),
    unless bibliographic data was found: then it is kept and every page goes into drawings."""
    items = [(f.page, f.file, f.bbox, f.num, "drawing") for f in doc.figures]
    fig_pages = {f.page for f in doc.figures}
    image_pages = set(doc.image_pages) | ({p.number for p in doc.pages} if image_only and _biblio_found(doc) else set())
    items += [(n, f"pages/{n:04d}.tif", None, None, "undefined") for n in sorted(image_pages) if n not in fig_pages]
    items.sort(key=lambda t: (_int(t[0]), _int(t[3])))
    out = []
    for i, (page, file, bbox, num, content) in enumerate(items, 1):
        file = clean(file).replace("\\", "/")
        wi, he = _size(info, page, bbox)
        fmt36, fmt96 = _img_format(file)
        out.append({"id": f"f{i:04d}", "img_id": f"if{i:04d}", "num": str(num if num is not None else i),
                    "file": file, "wi": wi, "he": he, "content": content, "format": fmt36, "format96": fmt96,
                    "dp": pages.mark_page(page)})
    return out


def _page_images(doc: Document, info: dict) -> list[dict[str, Any]]:
    numbers = sorted({p.number for p in doc.pages} | set(doc.image_pages) | {f.page for f in doc.figures if f.page})
    out = []
    for n in numbers:
        wi, he = _size(info, n, None)
        out.append({"id": f"docp{n:04d}", "n": n, "file": f"pages/{n:04d}.tif", "wi": wi, "he": he})
    return out


def _doc_info(doc: Document, doc_id: str, lang: str, office: str, settings: EmitSettings,
              produced: _dt.date | None) -> dict[str, Any]:
    return {
        "id": doc_id,
        "doc_id": clean(doc.doc_id),
        "lang": lang,
        "office": office,
        "root": f"{office.lower()}-patent-document",
        "status": clean(settings.status),
        "produced8": produced.strftime("%Y%m%d") if produced else None,
        "produced_iso": produced.isoformat() if produced else None,
        "st36_file": file_name(clean(doc.doc_id), "st36"),
        "st96_file": file_name(clean(doc.doc_id), "st96"),
    }


def build(doc: Document, *, profile_office: str, profile_lang: str, settings: EmitSettings,
          codes: dict[str, frozenset[str]] | None, produced: _dt.date | None) -> dict[str, Any]:
    """The template context for ``doc`` (documented in st36_templates/README.md). The parts are
    built in document order because ``<DP n>`` page marks depend on what came before."""
    office, lang = _office_and_lang(doc, profile_office, profile_lang, codes)
    biblio = _biblio(doc, office, lang, codes)
    doc_id = xml_id(clean(doc.doc_id) or f"{office}{biblio['number']}{biblio['kind']}")
    pages = _Pages(settings.page_comments)
    markup = settings.ocr_confidence_markup
    info = {p.number: p for p in doc.pages}
    abstract = _abstract(doc, pages, markup)
    description = _description(doc, pages, markup, info)
    claim_sets = _claim_sets(doc, lang, codes, pages, settings)
    main_claims = next((cs for cs in claim_sets if cs["lang"] == lang), claim_sets[0] if claim_sets else None)
    image_only = not (abstract or description or claim_sets)
    figures = _figures(doc, info, pages, image_only)
    page_images = _page_images(doc, info) if image_only else []
    return {
        "doc": _doc_info(doc, doc_id, lang, office, settings, produced),
        "biblio": biblio,
        "abstract": abstract,
        "description": description,
        "claim_sets": claim_sets,
        "main_claims": main_claims,
        "figures": figures,
        "image_only": image_only and bool(page_images),
        "doc_pages_only": image_only and bool(page_images) and not _biblio_found(doc),
        "page_images": page_images,
        "ocr_markup": markup or bool(getattr(doc, "illegible", None)),  # segs carry conf only where marked
    }
