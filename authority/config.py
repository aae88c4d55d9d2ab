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

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator

from digitize.config import build, section

if TYPE_CHECKING:
    from digitize.profiles import Profile

KIND_RE = re.compile(r"^[A-Z][0-9]?$")
EXCEPTION_RE = re.compile(r"^[A-Z0-9]{1,2}$")


def _code(pattern: re.Pattern[str]) -> AfterValidator:
    def check(code: str) -> str:
        if not pattern.match(code):
            raise ValueError(f"not a valid code (expected {pattern.pattern})")
        return code
    return AfterValidator(check)


def _description(desc: str) -> str:
    if not desc.strip():
        raise ValueError(f"the description must be a non-empty string, got {desc!r}")
    return desc


Description = Annotated[str, AfterValidator(_description)]


def _schema(value: str | None) -> str | None:
    if value is not None and not value.endswith((".dtd", ".xsd")):
        raise ValueError(f"must be the path of a .dtd or .xsd file, got {value!r}")
    return value


@section
class AuthoritySettings:
    kind_codes: dict[Annotated[str, _code(KIND_RE)], Description] = dataclasses.field(default_factory=dict)
    exception_codes: dict[Annotated[str, _code(EXCEPTION_RE)], Description] = dataclasses.field(default_factory=dict)
    schema: Annotated[str | None, AfterValidator(_schema)] = None  # relative: to the profile file


def from_profile(table: Any, where: str, *, folder: Path | None = None) -> AuthoritySettings:
    """The profile's ``[authority]``, ``schema`` resolved against the profile's ``folder``."""
    s = build(AuthoritySettings, table, where)
    if s.schema and not Path(s.schema).is_absolute() and folder is not None:
        s = dataclasses.replace(s, schema=str(folder / s.schema))
    return s


def validate(table: dict[str, Any], where: str) -> None:
    """Raise ``ProfileError`` naming ``where`` (``file: [authority]``) and the key."""
    build(AuthoritySettings, table, where)


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
