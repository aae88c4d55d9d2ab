"""The ``[authority]`` section of an office profile, validated on every profile load.

Keys:
- ``kind_codes``: table ``CODE = "description"`` (ST.16 kind codes; ``generic.toml`` holds the
  common ST.16/EP-style meanings);
- ``office_kind_codes``: the office's own list, ``[{code, description, confirmed, source}]``, as its
  publications print them. A list replaces the inherited one (profiles merge tables key by key but
  replace lists), so an office profile never publishes generic descriptions by accident; when it
  is given, ``kind_codes`` is ignored;
- ``exception_codes``: table ``CODE = "description"`` or ``CODE = {description, confirmed}``
  (``N = "Not used publication number"``, the one code ST.37 verifiably defines);
- ``confirmed = false`` on a code: its description (or letter) was not confirmed against the
  office's own publications or the standard; ``build`` warns whenever it publishes it;
- ``strip_leading_zeros``: digit-only publication numbers lose leading zeros (``08926509`` ->
  ``8926509``), for offices whose publications print them so (US);
- ``schema``: optional path of the official ``ST37AuthorityFile_V2-2.dtd`` (or an XSD) that
  ``digitize authority check`` validates against as well (relative paths: to the profile file).

Descriptions are data of the office, not of the code: a kind or exception code used in a file
without a description here is an error (``build`` stops and names the code), never a blank.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .section import EXCEPTION_RE, KIND_RE, AuthoritySettings, CodeNote, from_profile, validate

if TYPE_CHECKING:
    from digitize.profiles import Profile

__all__ = ["AuthoritySettings", "EXCEPTION_RE", "KIND_RE", "exception_codes", "from_profile", "kind_codes",
           "profile_for_office", "schema_path", "strip_leading_zeros", "unconfirmed", "validate"]


def _desc(value: str | CodeNote) -> str:
    return value.description if isinstance(value, CodeNote) else value


def _kind_table(profile: Profile | None) -> dict[str, str | CodeNote]:
    if profile is None:
        return {}
    own = profile.authority.office_kind_codes
    return {k.code: k for k in own} if own is not None else dict(profile.authority.kind_codes)


def kind_codes(profile: Profile | None) -> dict[str, str]:
    """{kind code: description} the office's profile defines (its own list when it has one)."""
    return {code: _desc(v) for code, v in _kind_table(profile).items()}


def exception_codes(profile: Profile | None) -> dict[str, str]:
    return {code: _desc(v) for code, v in profile.authority.exception_codes.items()} if profile is not None else {}


def unconfirmed(profile: Profile | None) -> dict[tuple[str, str], str]:
    """{("kind"|"exception", code): source note} of the codes marked ``confirmed = false``."""
    if profile is None:
        return {}
    out = {}
    for sort, table in (("kind", _kind_table(profile)), ("exception", profile.authority.exception_codes)):
        for code, v in table.items():
            if isinstance(v, CodeNote) and not v.confirmed:
                out[(sort, code)] = v.source
    return out


def strip_leading_zeros(profile: Profile | None) -> bool:
    return profile.authority.strip_leading_zeros if profile is not None else False


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
