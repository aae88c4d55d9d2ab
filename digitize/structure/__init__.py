"""Structure: OCR pages → a structured ``Document`` (bibliographic data, abstract, description,
claims, drawings), driven by the profile's ``[structure]`` section.

Nothing here raises on bad input: a document with no front page, no claims or garbage OCR still
comes out with what could be found, and what is missing is listed in ``Document.flags`` (and, for
the mandatory bibliographic fields, queued for review).
"""

from __future__ import annotations

from typing import Any

from ..jobfolder import page_file
from ..model import Document, Field, Figure, OcrPage, Paragraph, QueueCandidate
from . import config
from .frontpage import is_front_page, parse_front_page
from .layout import TextBuilder, TextLine
from .sections import body_lines, is_drawing_page, is_search_report_page, parse_sections

__all__ = ["build_document"]

MANDATORY_LABELS = {"office": "office (19)", "doc_number": "publication number (11)", "kind": "kind code (13)",
                    "publication_date": "publication date (43)/(45)"}


def build_document(pages: list[OcrPage], profile: Any, *, source: str, doc_id: str) -> Document:
    settings = config.settings(profile)
    lang = getattr(profile, "lang", "en") or "en"
    doc = Document(doc_id=doc_id, source=source, profile=getattr(profile, "name", "generic"), lang=lang)
    front = next((p for p in pages[:3] if is_front_page(p)), None)
    abstract_field = None
    if front is not None:
        # offices=None: any two capital letters is an office code (offices print their own; the
        # ST.3 list is checked where the XML is written: emit leaves out a code ST.96 refuses)
        biblio, abstract_text, abstract_field = parse_front_page(front, settings, None)
        doc.biblio = biblio
        if biblio.title is not None:
            doc.biblio.title_lang = lang
    else:
        doc.flags.append("no front page with INID codes found")

    drawings = []
    body = []
    for p in pages:
        if p is front:
            continue
        if is_search_report_page(p):
            p.image_only = True
            doc.image_pages.append(p.number)
        elif is_drawing_page(p, settings):
            p.image_only = True
            drawings.append(p)
        else:
            body.append(p)
    for i, p in enumerate(drawings, start=1):
        doc.figures.append(Figure(page=p.number, file=page_file(p.number, ".tif"), num=i))

    sections = parse_sections(body_lines(body), settings, lang)
    doc.description = sections.description
    doc.claims = sections.claims
    if abstract_field is not None and abstract_field.words:
        tb = TextBuilder()
        for line in _column_lines(abstract_field.words, abstract_field.page, front.width if front else 0):
            tb.add_line(line)
        text = tb.text
        for lab in settings.inid_labels.get("57", []):
            if text.lower().startswith(lab.lower()):
                text = text[len(lab):].lstrip(" :.")
        doc.abstract = [Paragraph(text=text.strip(" |"), sources=tb.sources(), doubts=[])] if text.strip(" |") else []
    if not doc.abstract and sections.abstract:
        doc.abstract = [p for p in sections.abstract if p.kind == "p"]
    if not doc.description:
        doc.flags.append("no description found")
    if not doc.claims:
        doc.flags.append("no claims found")
    _check_mandatory(doc, settings.field_threshold)
    pid = doc.publication_id
    if pid and not any(getattr(doc.biblio, n) is not None and getattr(doc.biblio, n).flagged for n in ("office", "doc_number", "kind")):
        doc.doc_id = pid
    return doc


def _column_lines(words: list, page: int, width: int) -> list[TextLine]:
    """A field's words as lines, left column before right, ending at the first wide gap (a drawing
    printed below the abstract is not part of it)."""
    mid = width / 2 if width else 0
    left = [w for w in words if w.bbox[0] < mid] if mid else words
    right = [w for w in words if w.bbox[0] >= mid] if mid else []
    if len(left) < 0.15 * len(words) or len(right) < 0.15 * len(words):
        left, right = words, []
    out: list[TextLine] = []
    for col in (left, right):
        rows: list[list] = []
        for w in sorted(col, key=lambda w: (w.bbox[1], w.bbox[0])):
            if rows and w.bbox[1] < (rows[-1][0].bbox[1] + rows[-1][0].bbox[3]) / 2:
                rows[-1].append(w)
            else:
                rows.append([w])
        height = sorted(w.bbox[3] - w.bbox[1] for w in col)[len(col) // 2] if col else 0
        prev_bottom = None
        for row in rows:
            top = min(w.bbox[1] for w in row)
            if prev_bottom is not None and top - prev_bottom > 2.5 * height:
                break
            prev_bottom = max(w.bbox[3] for w in row)
            out.append(TextLine(page=page, words=sorted(row, key=lambda w: w.bbox[0])))
    return out


def _check_mandatory(doc: Document, threshold: float) -> None:
    for name in ("office", "doc_number", "kind", "publication_date"):
        f: Field | None = getattr(doc.biblio, name)
        if f is None:
            doc.flags.append(f"missing {MANDATORY_LABELS[name]}")
            doc.candidates.append(QueueCandidate(kind="field", page=1, bbox=None, text="", confidence=0.0,
                                                 field_name=name, mandatory=True,
                                                 context=f"{MANDATORY_LABELS[name]} not found on the front page"))
        elif f.flagged or f.confidence < threshold:
            f.flagged = True
            doc.flags.append(f"low confidence {MANDATORY_LABELS[name]}: {f.value!r} ({f.confidence:.0f})")
            doc.candidates.append(QueueCandidate(
                kind="field", page=f.source.page if f.source else 1, bbox=f.source.bbox if f.source else None,
                text=f.value, confidence=f.confidence, field_name=name, mandatory=True, context=f.raw or ""))
