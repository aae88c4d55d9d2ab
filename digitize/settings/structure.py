"""The ``[structure]`` section of a profile: labels, headings and patterns as data.

The defaults here are English (EP, US, WO, PH layouts); a profile adds its language's labels and
headings (``ocr_profiles/es.toml`` for AR and MX). A profile's lists and tables extend what it
inherits: its entries first, then the inherited ones; numbers replace.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import field
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from .. import claimrefs, inid
from .base import Percent, build, section

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}


def _inid_labels(value: dict[str, list[str]]) -> dict[str, list[str]]:
    for code in value:
        if not (len(code) == 2 and code.isdigit()):
            raise ValueError(f"{code!r} must be a two-digit INID code with a list of labels")
    return value


def _name_langs(value: list[str] | None) -> list[str] | None:
    from ..diacritics import LANG_MARKS

    for item in value or []:
        lang, _, letters = item.partition(":")
        if lang not in LANG_MARKS or any(c not in "".join(LANG_MARKS[lang].values()) for c in letters):
            raise ValueError(f"{item!r} must be a language of {sorted(LANG_MARKS)}, or one with "
                             f"some of its marked letters after a colon (\"es:ñ\")")
    return value


def _claims_langs(value: dict[str, str]) -> dict[str, str]:
    for heading, lang in value.items():
        if len(lang) not in (0, 2):
            raise ValueError(f"{heading!r} must map to an ISO 639-1 code or \"\", got {lang!r}")
    return value


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a regular expression ({exc})") from None
    return value


def _inid_codes(value: list[str]) -> list[str]:
    bad = [c for c in value if not (len(c) == 2 and c.isdigit())]
    if bad:
        raise ValueError(f"{', '.join(bad)}: two-digit INID codes expected")
    return value


def _months(value: dict[str, int]) -> dict[str, int]:
    bad = [k for k, v in value.items() if not 1 <= v <= 12]
    if bad:
        raise ValueError(f"{', '.join(bad)} must map to 1..12")
    return value


@section
class StructureSettings:
    # INID code -> labels printed after it, in the profile's language(s); stripped from the value
    inid_labels: Annotated[dict[str, list[str]], AfterValidator(_inid_labels)] = field(default_factory=lambda: {
        "11": ["Publication number", "Publication No."],
        "12": ["Document type"],
        "19": [],
        "21": ["Application number", "Application No."],
        "22": ["Date of filing", "Filing date"],
        "30": ["Priority", "Priority data"],
        "43": ["Date of publication", "Publication date"],
        "45": ["Date of publication and mention of the grant of the patent", "Date of grant"],
        "51": ["Int Cl.", "Int. Cl.", "Int CL", "Int. CL", "Int.Cl.", "IPC", "Int. Cl.7"],
        "54": ["Title", "Title of the invention"],
        "57": ["Abstract"],
        "71": ["Applicants", "Applicant"],
        "72": ["Inventors", "Inventor"],
        "73": ["Proprietors", "Proprietor", "Assignee"],
        "74": ["Representative", "Agent"],
        "84": ["Designated Contracting States"],
        "24": ["Date from which the rights have effect"],
        "41": ["Date of making available to the public"],
        "47": ["Date of making available to the public of the granted patent"],
        "60": ["Related U.S. Application Data", "Related application data"],
        "62": ["Document number(s) of the earlier application(s) in accordance with Art. 76 EPC",
               "Divisional of", "Division of"],
        "86": ["International application number", "PCT application number"],
        "87": ["International publication number", "PCT publication number"],
    })
    description_headings: list[str] = field(default_factory=lambda: ["Description", "DESCRIPTION"])
    abstract_headings: list[str] = field(default_factory=lambda: ["Abstract", "ABSTRACT"])
    # claims headings -> language of the claims that follow ("" = the profile's language)
    claims_headings: Annotated[dict[str, str], AfterValidator(_claims_langs)] = field(default_factory=lambda: {
        "Claims": "", "CLAIMS": "", "What is claimed is": "", "I claim": "", "We claim": "", "The invention claimed is": "",
        "Patentansprüche": "de", "Revendications": "fr",
    })
    # headings known to start a part of the description (any language); short all-capital lines too
    headings: list[str] = field(default_factory=lambda: [
        "TECHNICAL FIELD", "FIELD OF THE INVENTION", "BACKGROUND", "BACKGROUND OF THE INVENTION", "BACKGROUND ART",
        "SUMMARY", "SUMMARY OF THE INVENTION", "BRIEF DESCRIPTION OF THE DRAWINGS", "DETAILED DESCRIPTION",
        "DESCRIPTION OF EMBODIMENTS", "DETAILED DESCRIPTION OF THE INVENTION", "EXAMPLES", "INDUSTRIAL APPLICABILITY",
        "Technical Field", "Background Art", "Detailed description", "Field of the invention", "Summary of the invention",
        "Brief description of the drawings", "Background of the invention", "Description of embodiments",
    ])
    end_headings: list[str] = field(default_factory=lambda: ["REFERENCES CITED IN THE DESCRIPTION", "Drawings", "DRAWINGS"])
    claim_reference_words: list[str] = field(default_factory=lambda: list(claimrefs.WORDS))
    field_threshold: Percent = 60.0  # a field whose words' mean confidence is lower is flagged
    # a word of a name or title read below this is queued: engines lose a capital's accent, tilde or
    # umlaut with confidence ~80-93 (tuning set of bench/frontpage_eval.py: 90 % of right words are above 93)
    name_word_threshold: Percent = 93.0
    # the languages whose marks this office's names may have lost ("lang", or "lang:letters" for
    # some of its marked letters only); absent: those of the profile's language (accents.NAME_LANGS)
    name_langs: Annotated[list[str] | None, AfterValidator(_name_langs)] = None
    # INID codes whose date is the publication date, in order (AR prints it under (41) "Fecha")
    publication_date_inids: Annotated[list[str], AfterValidator(_inid_codes)] = field(
        default_factory=lambda: list(inid.PUBLICATION_DATE))
    # the office's number formats (regular expressions; "" = not checked); a number that does not
    # match, even after the digit repairs, is queued
    application_number_pattern: Annotated[str, AfterValidator(_regex)] = ""
    publication_number_pattern: Annotated[str, AfterValidator(_regex)] = ""
    kind_codes: list[str] = field(default_factory=list)  # the office's ST.16 kind codes ([] = not checked)
    drawing_max_words: Annotated[int, Field(ge=0)] = 90  # a page with fewer words, mostly short, is a drawing page
    months: Annotated[dict[str, int], AfterValidator(_months)] = field(default_factory=lambda: dict(MONTHS))
    office_names: dict[str, str] = field(default_factory=lambda: {
        "European Patent Office": "EP", "Europäisches Patentamt": "EP", "Intellectual Property Office of the Philippines": "PH",
        "INTELLECTUAL PROPERTY OFFICE OF THE PHILIPPINES": "PH", "Instituto Mexicano de la Propiedad Industrial": "MX",
        "INSTITUTO MEXICANO DE LA PROPIEDAD INDUSTRIAL": "MX", "Instituto Nacional de la Propiedad Industrial": "AR",
        "INSTITUTO NACIONAL DE LA PROPIEDAD INDUSTRIAL": "AR", "World Intellectual Property Organization": "WO",
        "United States Patent and Trademark Office": "US", "OFICINA ESPAÑOLA DE PATENTES Y MARCAS": "ES",
    })


# tables whose entries are added to the defaults (the others: the profile's value replaces the default)
_TABLES = ("inid_labels", "months", "office_names", "claims_headings")


def from_profile(table: Any, where: str) -> StructureSettings:
    """The profile's ``[structure]`` over the defaults: its lists first, then the defaults they
    do not repeat; its tables add to (and override) the default tables; numbers replace."""
    own = build(StructureSettings, table, where)
    base = StructureSettings()
    values: dict[str, Any] = {}
    for key in table:
        value, inherited = getattr(own, key), getattr(base, key)
        if isinstance(value, list):
            values[key] = list(value) + [x for x in inherited or () if x not in value]
        elif key == "inid_labels":
            merged = dict(inherited)
            for code, labels in value.items():
                merged[code] = list(labels) + [x for x in merged.get(code, []) if x not in labels]
            values[key] = merged
        elif key in _TABLES:
            values[key] = {**inherited, **value}
    return dataclasses.replace(own, **values)
