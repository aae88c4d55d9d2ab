"""USPTO's legacy application publications (pap v1.5/v1.6, 2001-2004, SGML-derived): what the
file says the publication is. The office is the USPTO; the page images are unparsed entities,
names that ``digitize.xmlsafe`` lets through and nothing here opens."""

from __future__ import annotations

from typing import Any

from .elements import child, local_name, text
from .publication import PriorityClaim, Publication, languages

ROOT = "patent-application-publication"


def publication(root: Any) -> Publication:
    """Number, kind and date in ``subdoc-bibliographic-information/document-id``, the
    application in ``domestic-filing-data``, foreign priorities in ``foreign-priority-data``;
    the text is English."""
    pub = Publication(format="pap", country="US")
    bib = child(root, "subdoc-bibliographic-information")
    did = child(bib, "document-id")
    pub.number = text(child(did, "doc-number"))
    pub.kind = text(child(did, "kind-code"))
    pub.date = text(child(did, "document-date"))
    dom = child(bib, "domestic-filing-data")
    pub.app_number = text(child(dom, "application-number", "doc-number"))
    pub.app_country = "US" if pub.app_number else None
    pub.filing_date = text(child(dom, "filing-date"))
    for seq, fp in enumerate((c for c in (bib if bib is not None else []) if local_name(c) == "foreign-priority-data"), 1):
        pub.priorities.append(PriorityClaim(text(child(fp, "country-code")),
                                            text(child(fp, "priority-application-number", "doc-number")),
                                            text(child(fp, "filing-date")), None, str(seq)))
    pub.languages = languages(root, {"subdoc-description": "description", "subdoc-claims": "claims",
                                     "subdoc-abstract": "abstract"}, "en", "lang")
    return pub
