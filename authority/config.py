"""The ``[authority]`` section of an office profile, validated on every profile load.

Keys:
- ``kind_codes``: table ``CODE = "description"`` (ST.16 kind codes the office uses);
- ``exception_codes``: table ``CODE = "description"`` (``N = "Not used publication number"``);
- ``schema``: optional path of the official ``ST37AuthorityFile_V2-2.dtd`` (or an XSD) that
  ``digitize authority check`` validates against as well (relative paths: to the profile file).

Descriptions are data of the office, not of the code: a kind or exception code used in a file
without a description here is an error (``build`` stops and names the code), never a blank.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .section import EXCEPTION_RE, KIND_RE, AuthoritySettings, from_profile, validate

if TYPE_CHECKING:
    from digitize.profiles import Profile

__all__ = ["AuthoritySettings", "EXCEPTION_RE", "KIND_RE", "exception_codes", "from_profile", "kind_codes",
           "profile_for_office", "schema_path", "validate"]


def kind_codes(profile: Profile | None) -> dict[str, str]:
    return dict(profile.authority.kind_codes) if profile is not None else {}


def exception_codes(profile: Profile | None) -> dict[str, str]:
    return dict(profile.authority.exception_codes) if profile is not None else {}


def schema_path(profile: Profile | None) -> Path | None:
    if profile is None or not profile.authority.schema:
        return None
    return Path(profile.authority.schema)


def profile_for_office(office: str, name: str | None = None) -> Profile:
    """The named profile, else the one named after the office (``ep``), else ``generic``."""
    from digitize import profiles

    if name:
        return profiles.load(name)
    cand = office.lower()
    if cand in profiles.available():
        prof = profiles.load(cand)
        if prof.office == office.upper():
            return prof
    return profiles.load("generic")
