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

import dataclasses
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator

from .. import claimrefs
from .base import Tuple, build, section

# Words that introduce a claim reference ("according to claim 1"), in the languages of the
# profiles we ship; a profile may add its own.
DEFAULT_CLAIM_REF_WORDS = claimrefs.WORDS  # the structure stage's list: one finder, one list


def _words(value: tuple[str, ...]) -> tuple[str, ...]:
    if not all(w.strip() for w in value):
        raise ValueError("must be a list of non-empty strings")
    return value


def _template_set(value: str | None) -> str | None:
    if value is not None and (not value or "/" in value or "\\" in value or value.startswith(".")):
        raise ValueError(f"must be a folder name under st36_templates/, got {value!r}")
    return value


@section
class EmitSettings:
    ocr_confidence_markup: bool = False
    template_set: Annotated[str | None, AfterValidator(_template_set)] = None  # None: the office code, lower case
    templates: str | None = None
    page_comments: bool = True
    claim_ref_words: Annotated[tuple[str, ...], Tuple, AfterValidator(_words)] = tuple(dict.fromkeys(DEFAULT_CLAIM_REF_WORDS))
    status: str = "n"


def from_profile(table: Any, where: str, *, folder: Path | None = None) -> EmitSettings:
    """The profile's ``[emit]``: ``templates`` relative to the profile's ``folder``; its claim
    reference words added (lower case) to the defaults."""
    s = build(EmitSettings, table, where)
    templates = s.templates
    if templates and not Path(templates).is_absolute() and folder is not None:
        templates = str(folder / templates)
    words = tuple(w.lower() for w in table.get("claim_ref_words", ()))
    return dataclasses.replace(s, templates=templates, claim_ref_words=tuple(dict.fromkeys(DEFAULT_CLAIM_REF_WORDS + words)))
