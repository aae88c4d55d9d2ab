"""ST.96 ``PatentPublication``: what the file says the publication is (namespaces ignored)."""

from __future__ import annotations

from typing import Any

from .elements import child, lang_code, local_name, text
from .publication import PriorityClaim, Publication, languages

ROOT = "PatentPublication"


def publication(root: Any) -> Publication:
    """Number, kind and date from ``PatentPublicationIdentification`` (the office also from the
    root's ``IPOfficeCode``), the application from ``ApplicationIdentification``, the priority
    claims of ``PriorityClaimBag`` (their ``ApplicationFilingCategory`` as the kind)."""
    pub = Publication(format="st96")
    bib = child(root, "BibliographicData")
    pid = child(bib, "PatentPublicationIdentification")
    pub.country = text(child(pid, "IPOfficeCode")) or text(child(root, "IPOfficeCode"))
    pub.number = text(child(pid, "PublicationNumber"))
    pub.kind = text(child(pid, "PatentDocumentKindCode"))
    pub.date = text(child(pid, "PublicationDate"))
    app = child(bib, "ApplicationIdentification")
    pub.app_country = text(child(app, "IPOfficeCode"))
    pub.app_number = text(child(app, "ApplicationNumber", "ApplicationNumberText"))
    pub.filing_date = text(child(app, "FilingDate"))
    bag = child(bib, "PriorityClaimBag")
    for pc in (c for c in (bag if bag is not None else []) if local_name(c) == "PriorityClaim"):
        seq = next((v for k, v in pc.attrib.items() if k.endswith("sequenceNumber")), None)
        pub.priorities.append(PriorityClaim(text(child(pc, "IPOfficeCode")),
                                            text(child(pc, "ApplicationNumber", "ApplicationNumberText")),
                                            text(child(pc, "FilingDate")), text(child(pc, "ApplicationFilingCategory")), seq))
    lang_attr = next((k for k in root.attrib if k.endswith("}languageCode")), "languageCode")
    names = {"Description": "description", "Claims": "claims", "Abstract": "abstract"}
    pub.languages = languages(root, names, lang_code(root.get(lang_attr)), lang_attr)
    return pub
