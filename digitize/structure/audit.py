"""Nothing silently dropped: what the front page shows against what structure placed.

Every INID code found on the page must have landed in a bibliographic field; every party under
(71)/(72)/(73)/(74) must be one party; every state code under (84) a code; a field placed with low
confidence is doubtful. Each gap becomes one queue item named after its field, so a reviewer sees
it instead of a shorter XML.
"""

from __future__ import annotations

import re

from .. import inid
from ..model import Bibliographic, QueueCandidate
from .frontpage import FrontPage
from .fields import Issue, printed_party_count
from .decided import party_value
from .parties import COMPANY_FORM


def placed(b: Bibliographic, code: str) -> bool:
    """The field INID ``code`` fills (``inid.FIELD``) holds a value; a related document must carry
    that code; the abstract (57) is checked as a document part ("no abstract")."""
    attr = inid.FIELD.get(code)
    if attr is None:
        return False
    if attr == "abstract":
        return True
    value = getattr(b, attr)
    if attr == "related_documents":
        return any(r.relation == code for r in value)
    return bool(value) if isinstance(value, list) else value is not None


MANDATORY = {"office", "doc_number", "kind", "publication_date"}  # queued by structure's own check


def audit(fp: FrontPage, threshold: float, publication_date_inids: tuple[str, ...] = inid.PUBLICATION_DATE) -> list[Issue]:
    """The front page's issues plus every INID field read but not placed, every party printed
    but not read, and every party field below the confidence threshold."""
    b, f = fp.biblio, fp.fields
    issues = list(fp.issues)
    for code, ft in f.items():
        if not ft.text.strip():
            continue
        if not placed(b, "43" if code in publication_date_inids else code):
            issues.append(Issue(f"inid:{code}", ft.text, f"({code}) read on the front page but not placed", ft))
    for code, ft in f.items():  # an INID code read inside another field: a field may be lost in it
        if code in ("54", "57"):
            continue  # a title or abstract may print reference signs "(10)"
        for m in re.finditer(r"\((\d{2})\)", ft.text):
            if m[1] in inid.KNOWN and m[1] != code:
                issues.append(Issue(f"inid:{m[1]}", ft.text, f"({m[1]}) read inside ({code})", ft))
    for code, attr in inid.PARTY_CODES:
        if code not in f:
            continue
        printed, read = printed_party_count(f[code]), len(getattr(b, attr))
        if read < printed:
            issues.append(Issue(f"parties:{code}", f[code].text, f"({code}) shows {printed} parties, {read} read", f[code]))
        elif read and f[code].conf < threshold:
            issues.append(Issue(f"parties:{code}", f[code].text, f"({code}) read with low confidence", f[code]))
    if not b.inventors:  # a patent's front page names its inventors: none read means (72) was lost
        where = f.get("72")
        issues.append(Issue("parties:72", where.text if where else "",
                            "(72) read but no inventor in it" if where else "no inventor (72) found on the front page",
                            where))
    if b.title is None:  # the title's lines are somewhere: in the party field printed above it?
        for code, attr in inid.PARTY_CODES:
            ps = getattr(b, attr)
            if ps and "," not in ps[-1].name and not COMPANY_FORM.search(ps[-1].name) and len(ps[-1].name.split()) >= 3:
                issues.append(Issue(f"parties:{code}", ps[-1].name, f"no title (54) found: '{ps[-1].name}' may be "
                                    "the title's lines, not a party", f.get(code)))
    for name in ("application_number", "filing_date", "rights_effective_date", "unexamined_available_date",
                 "granted_available_date"):
        fld = getattr(b, name)
        if fld is not None and (fld.flagged or fld.confidence < threshold):
            issues.append(Issue(name, fld.value, f"{name} read with low confidence ({fld.confidence:.0f})"))
    if "84" in f and f["84"].conf < threshold and b.designated_states:
        issues.append(Issue("states:84", f["84"].text, "(84) read with low confidence", f["84"]))
    return issues


def candidates(issues: list[Issue], page: int, b: Bibliographic | None = None) -> list[QueueCandidate]:
    """One queue item per field (the queue keys field items by name: the first reason wins, the
    others join its context). A party list's item shows the parties as read, one a line (``b``):
    the printed lines beside the page image would hide a wrong cut (two names joined as one)
    from a reviewer who accepts what looks right."""
    by_field: dict[str, QueueCandidate] = {}
    attrs = dict(inid.PARTY_CODES)
    for i in issues:
        if i.field in MANDATORY:
            continue
        c = by_field.get(i.field)
        if c is not None:
            c.context = f"{c.context}; {i.reason}"
            continue
        src = i.ft.source() if i.ft is not None else None
        text = i.text
        code = i.field.removeprefix("parties:")
        if b is not None and i.field.startswith("parties:") and getattr(b, attrs.get(code, ""), None):
            text = "\n".join(party_value(p) for p in getattr(b, attrs[code]))
        by_field[i.field] = QueueCandidate(
            kind="field", page=src.page if src else page, bbox=src.bbox if src else None, text=text,
            confidence=round(i.ft.conf, 1) if i.ft is not None else 0.0, field_name=i.field, context=i.reason)
    return list(by_field.values())


def field_sources(b: Bibliographic, candidates: list[QueueCandidate]) -> None:
    """Queue items about a bibliographic Field point at where it was read."""
    for c in candidates:
        fld = getattr(b, c.field_name or "", None)
        src = getattr(fld, "source", None)
        if src is not None and c.bbox is None:
            c.page, c.bbox, c.confidence = src.page, src.bbox, fld.confidence
