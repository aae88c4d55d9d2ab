"""The front page: INID-coded fields (ST.9) → bibliographic data with confidence and provenance.

``anchors.py`` finds each field's words by layout; ``fields.py`` reads what each field says and
checks it; this module puts them together into ``Bibliographic`` and the issues to queue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


from .. import inid
from ..model import Bibliographic, OcrPage
from . import gate
from . import normalize as norm
from ..settings.structure import StructureSettings
from .anchors import FieldText, read_fields
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
    f = read_fields(page, settings)
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
        b.application_number = f["21"].field(norm.clean_number(line), threshold=th, digits=True)
    if "30" in f:
        b.priorities = parse_priorities(f["30"], settings.months)
    if "54" in f:
        title = " ".join(f["54"].lines).strip()
        if title:
            b.title = f["54"].field(title)
    for code, attr in inid.PARTY_CODES:
        if code in f:
            parties, found = parse_parties(f[code], codes, code)
            setattr(b, attr, parties)
            issues += found
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
    fp.issues += gate.check(fp, page, settings.inid_labels)
    return fp


def parse_front_page(page: OcrPage, settings: StructureSettings, offices: set[str] | None = None) -> tuple[Bibliographic, str | None, FieldText | None]:
    """Returns the bibliographic data, the abstract text (57) and its field."""
    fp = read_front_page(page, settings)
    return fp.biblio, (fp.abstract.text if fp.abstract else None), fp.abstract
