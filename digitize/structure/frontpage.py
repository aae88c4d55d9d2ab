"""The front page: INID-coded fields (ST.9) → bibliographic data with confidence and provenance.

``anchors.py`` finds each field's words by layout; ``fields.py`` reads what each field says and
checks it; this module puts them together into ``Bibliographic`` and the issues to queue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz


from .. import inid
from ..model import Bibliographic, OcrPage
from . import gate
from . import normalize as norm
from ..settings.structure import StructureSettings
from .anchors import FieldText, label_table, read_fields
from .fields import (
    Issue, check_dates, check_numbers, check_title, date_fields, designated_states_from, doc_ref, ipc_field,
    office_from_names, parse_parties, parse_priorities, publication_fields,
)


@dataclass
class FrontPage:
    biblio: Bibliographic
    fields: dict[str, FieldText]
    issues: list[Issue]
    abstract: FieldText | None = None


def read_front_page(page: OcrPage, settings: StructureSettings, codes=None) -> FrontPage:
    """Every INID field of the page → bibliographic data, and the issues a reviewer must settle."""
    table = label_table(settings.inid_labels)  # once per page: the code finder, the fields and the gate
    f = read_fields(page, settings, table)
    b = Bibliographic()
    th = settings.field_threshold
    issues: list[Issue] = []
    publication_fields(f, page, b, None, th)
    if "13" in f and b.kind is None:
        kind = f["13"].text.strip().split()[0] if f["13"].text.strip() else ""
        if kind:
            b.kind = f["13"].field(norm.KIND_FIX.get(kind, kind), threshold=th)
    if "19" in f:
        code = office_from_names(f["19"].text, settings) or next(iter(re.findall(r"\b([A-Z]{2})\b", f["19"].text)), None)
        if b.office is None and code:
            b.office = f["19"].field(code, threshold=th)
    if "12" in f:
        b.document_type = f["12"].field(" ".join(f["12"].lines[:1]).strip())
    date_fields(f, b, settings)
    if "21" in f and f["21"].lines:  # the first line with a digit (not a speck read above the number) after its
        # label (``Acta N°:`` read ``Acta N2:``: a label ends at its colon)
        after = [ln.rsplit(":", 1)[-1].strip() if re.search(r"\d", ln.rsplit(":", 1)[-1]) or ":" in ln else ln
                 for ln in f["21"].lines]
        line = next((ln for ln in after if re.search(r"\d", ln)), f["21"].lines[0])
        line = _in_format(f["21"].lines, settings.application_number_pattern) or line
        b.application_number = f["21"].field(norm.clean_number(line), threshold=th, digits=True)
    if "30" in f:
        b.priorities = parse_priorities(f["30"], settings.months)
    if "54" in f:
        title = _without_label(_title_text(f["54"].lines), table.get("54", []))
        if title:
            b.title = f["54"].field(title)
    for code, attr in inid.PARTY_CODES:
        if code in f:
            parties, found = parse_parties(f[code], codes, code)
            setattr(b, attr, parties)
            issues += found
    if b.title is None:
        issues += _title_under_parties(f, b, th)
    if "84" in f:
        issues += designated_states_from(f["84"], b, codes)
    for code in inid.PCT:
        if code in f:
            setattr(b, inid.FIELD[code], doc_ref(f[code], code, settings.months))
    for code in inid.RELATED:
        if code in f:
            ref = doc_ref(f[code], code, settings.months)
            if ref is not None:
                b.related_documents.append(ref)
    if "51" in f:
        issues += ipc_field(f["51"], b, settings.name_word_threshold)
    issues += check_dates(b) + check_numbers(b, settings) + check_title(b)
    fp = FrontPage(b, f, issues, f.get("57"))
    fp.issues += gate.check(fp, page, table)
    return fp


def _title_under_parties(f: dict[str, FieldText], b: Bibliographic, th: float) -> list[Issue]:
    """No (54) read: a title printed under the last party field with its code lost (EP: the
    right-hand column ends with the title) was read as that field's last "parties". Such lines
    are in capitals, with no comma, company form, address or country, after parties that have
    their country. They are taken as the title, and the title is queued with the reason."""
    from .parties import COMPANY_FORM

    for code, attr in inid.PARTY_CODES:
        ps = getattr(b, attr)
        k = len(ps)
        while k > 0 and _title_like(ps[k - 1], COMPANY_FORM):
            k -= 1
        tail = ps[k:]
        if not tail or k == 0 or not any(p.country for p in ps[:k]):
            continue
        title = _title_text([p.name for p in tail])
        if len(title.split()) < 3:
            continue
        setattr(b, attr, ps[:k])
        b.title = f[code].field(title, threshold=th)
        b.title.flagged = True
        return [Issue("title", title, f"no (54) read: the title taken from the lines in capitals under ({code})",
                      f[code])]
    return []


def _title_like(p, company_form) -> bool:
    return (not p.country and not p.address and "," not in p.name and p.name.upper() == p.name
            and not company_form.search(p.name) and not re.search(r"\d", p.name))


_SPECK = re.compile(r"^[|©®°_~•*·¢]+$")  # a rule, a column edge or a speck read as a mark: never a word of a title


def _title_text(lines: list[str]) -> str:
    """A title's lines as one line: one space between words, without the specks read as marks
    (``BARRIER | LAYER``, ``© RICE HULL``, ``_DUST``) nor its own code's remains before it (``.54``)."""
    if len(lines) > 1 and re.fullmatch(r"[\W_]*\d{1,2}[\W_]*", lines[0].strip()):
        lines = lines[1:]  # a code's remains alone on the first line (``7`` / ``HORNO DE …``)
    words = [w for w in " ".join(lines).split() if not _SPECK.match(w)]
    if words and re.fullmatch(r"[\W_]*54[\W_]*", words[0]):
        words = words[1:]
    if words:
        words[0] = words[0].lstrip("_~•*·|")
    text = " ".join(w for w in words if w)
    return re.sub(r"(?<=[A-Z])- (?=[A-Z])", "-", text)  # ``SEAWEED- BASED``: a hyphen at a wrap, kept whole


def _without_label(title: str, labels: list[str]) -> str:
    """A title without the word of its own label read after it (``… DE UVA Título,``: the label
    printed beside the title's last line, or its wrapped remains)."""
    words = title.split()
    while words and not re.search(r"[^\W\d_]", words[-1]):
        words = words[:-1]  # ``… AIRE Denominación -``: the label's own mark after it
    if len(words) < 3:
        return title
    last = re.sub(r"[\W_]+", "", words[-1]).lower()
    heads = {re.sub(r"[\W_]+", "", lab.split()[0]).lower() for lab in labels if lab.split()}
    if len(last) >= 5 and any(fuzz.ratio(last, h) >= 90 for h in heads if len(h) >= 5):
        return " ".join(words[:-1])
    return title


def _in_format(lines: list[str], pattern: str) -> str | None:
    """The one piece of a field's lines (a word, or two or three run together at a space the
    engine put in) that is a number in the office's format once OCR letter-for-digit errors in its
    digit runs are repaired: the number without the label's remains around it (``Acta N2
    P20220159197``, ``P20200163900 71``). None when no piece, or more than one, is."""
    if not pattern:
        return None
    hits = []
    for ln in lines:
        toks = ln.split()
        for i in range(len(toks)):
            for k in (1, 2, 3):
                piece = "".join(toks[i:i + k]).strip(".,;:|-–—_'’`*\"")
                if i + k > len(toks) or not piece:
                    continue
                fixed = norm.repair_digits(piece)
                if re.fullmatch(pattern, piece) or re.fullmatch(pattern, fixed):
                    hits.append(piece)
                    break
    return hits[0] if len(set(hits)) == 1 else None


def parse_front_page(page: OcrPage, settings: StructureSettings, offices: set[str] | None = None) -> tuple[Bibliographic, str | None, FieldText | None]:
    """Returns the bibliographic data, the abstract text (57) and its field."""
    fp = read_front_page(page, settings)
    return fp.biblio, (fp.abstract.text if fp.abstract else None), fp.abstract
