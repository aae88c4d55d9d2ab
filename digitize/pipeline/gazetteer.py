"""The office memory's known parties on a document's front page.

A party list whose every name is one reviewers confirmed before is not asked about again; a
name one OCR edit from a known party gets that name suggested on the list's queue item, never
put in silently.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Document
from ..inid import PARTY_CODES
from ..structure.decided import party_value


def known_parties_settled(doc: Document, known: tuple[str, ...]) -> list:
    """The document's queue candidates less the party lists whose every name read is, letter for
    letter, a party reviewers confirmed before (the office memory's gazetteer) and whose item
    shows exactly those names: nothing left to ask about them."""
    names = set(known)
    out = []
    for c in doc.candidates:
        code = (c.field_name or "").removeprefix("parties:")
        attr = dict(PARTY_CODES).get(code) if c.kind == "field" and (c.field_name or "").startswith("parties:") else None
        parties = list(getattr(doc.biblio, attr, []) or []) if attr else []
        if parties and all(p.name in names for p in parties) and all(p.name in c.text for p in parties) \
                and len(c.text.replace(";", "\n").split("\n")) >= len(parties):
            continue
        out.append(c)
    return out


def gazetteer(doc: Document, known: tuple[str, ...]) -> list:
    """Names on the front page one OCR edit from a party the office knows (two on long names):
    the known name is suggested on the list's queue item, never put in silently."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from ..model import QueueCandidate

    names = set(known)
    out = []
    existing = {c.field_name: c for c in doc.candidates if c.kind == "field"}
    for code, attr in PARTY_CODES:
        parties = list(getattr(doc.biblio, attr, []) or [])
        fixed, changed = [], False
        for p in parties:
            hit = None
            if p.name and p.name not in names:
                hit = process.extractOne(p.name, list(names), scorer=Levenshtein.distance,
                                         score_cutoff=2 if len(p.name) > 15 else 1)
            fixed.append(replace(p, name=hit[0]) if hit else p)
            changed = changed or bool(hit)
        if not changed:
            continue
        suggestion = "\n".join(party_value(p) for p in fixed)
        name = f"parties:{code}"
        if name in existing:
            existing[name].suggestions = [suggestion] + [x for x in existing[name].suggestions if x != suggestion]
        else:
            out.append(QueueCandidate(kind="field", page=1, bbox=None, text="\n".join(party_value(p) for p in parties),
                                      confidence=min(p.confidence for p in parties), suggestions=[suggestion],
                                      field_name=name))
    return out
