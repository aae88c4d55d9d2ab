"""The ``[emit]`` section of a profile: output switches, validated once when the profile loads.

    [emit]
    ocr_confidence_markup = true    # wrap words still in doubt in com:OCRConfidenceData (ST.96)
    template_set = "ph"             # st36_templates/<set>/ first, then st36_templates/default/
    templates = "/srv/ipo/tpl"      # extra template root searched first (relative: to the profile file)
    page_comments = true            # <!-- <DP n="2"> --> page provenance comments
    claim_ref_words = ["claim", "reivindicación"]   # words before a claim number = claim-ref
    status = "n"                    # ST.36 root @status

Which files are written (ST.36, ST.96 or both) is a job setting (``formats`` in the job file,
``digitize run --formats``), not a profile one: the same office may deliver differently per batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import XML_FORMATS as FORMATS

# Words that introduce a claim reference ("according to claim 1"), in the languages of the
# profiles we ship; a profile may add its own.
DEFAULT_CLAIM_REF_WORDS = (
    "claim", "claims", "reivindicación", "reivindicaciones", "reivindicacion", "reivindicaciones",
    "revendication", "revendications", "anspruch", "ansprüche", "ansprüchen", "reivindicação",
    "reivindicações",
)

_TYPES: dict[str, type | tuple[type, ...]] = {
    "ocr_confidence_markup": bool,
    "template_set": str,
    "templates": str,
    "page_comments": bool,
    "claim_ref_words": list,
    "status": str,
}


@dataclass(frozen=True)
class EmitSettings:
    formats: tuple[str, ...] = FORMATS
    ocr_confidence_markup: bool = False
    template_set: str | None = None  # None: the profile's office code, lower case
    templates: str | None = None
    page_comments: bool = True
    claim_ref_words: tuple[str, ...] = DEFAULT_CLAIM_REF_WORDS
    status: str = "n"


def validate(section: dict[str, Any], where: str) -> None:
    """Raise ``ProfileError`` naming ``where`` (``file: [emit]``) and the key for a bad value."""
    from ..profiles import ProfileError

    from ..profiles import check_table

    check_table(section, where, _TYPES)
    words = section.get("claim_ref_words")
    if words is not None and not all(isinstance(w, str) and w.strip() for w in words):
        raise ProfileError(f"{where} claim_ref_words must be a list of non-empty strings")
    tset = section.get("template_set")
    if tset is not None and (not tset or "/" in tset or "\\" in tset or tset.startswith(".")):
        raise ProfileError(f"{where} template_set must be a folder name under st36_templates/, got {tset!r}")


def settings(profile: Any) -> EmitSettings:
    """The emit settings of a loaded ``Profile`` (or defaults for None)."""
    section = profile.section("emit") if profile is not None else {}
    templates = section.get("templates")
    if templates and not Path(templates).is_absolute() and getattr(profile, "path", None):
        templates = str(Path(profile.path).parent / templates)  # relative to the profile file
    words = tuple(w.lower() for w in section.get("claim_ref_words", ())) or ()
    return EmitSettings(
        ocr_confidence_markup=bool(section.get("ocr_confidence_markup", False)),
        template_set=section.get("template_set"),
        templates=templates,
        page_comments=bool(section.get("page_comments", True)),
        claim_ref_words=tuple(dict.fromkeys(DEFAULT_CLAIM_REF_WORDS + words)),
        status=str(section.get("status", "n")),
    )
