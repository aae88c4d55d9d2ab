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

import re
from pathlib import Path
from typing import Any

from digitize.profiles import ProfileError

KIND_RE = re.compile(r"^[A-Z][0-9]?$")
EXCEPTION_RE = re.compile(r"^[A-Z0-9]{1,2}$")
KEYS = {"kind_codes", "exception_codes", "schema"}


def _codes(section: dict[str, Any], key: str, pattern: re.Pattern[str], where: str) -> None:
    table = section.get(key, {})
    if not isinstance(table, dict):
        raise ProfileError(f"{where} {key} must be a table of CODE = \"description\"")
    for code, desc in table.items():
        if not pattern.match(code):
            raise ProfileError(f"{where} {key}.{code}: not a valid code (expected {pattern.pattern})")
        if not isinstance(desc, str) or not desc.strip():
            raise ProfileError(f"{where} {key}.{code}: the description must be a non-empty string, got {desc!r}")


def validate(section: dict[str, Any], where: str) -> None:
    """Raise ``ProfileError`` naming ``where`` (``file: [authority]``) and the key."""
    if not isinstance(section, dict):
        raise ProfileError(f"{where} must be a table")
    unknown = set(section) - KEYS
    if unknown:
        raise ProfileError(f"{where} unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(KEYS))}")
    _codes(section, "kind_codes", KIND_RE, where)
    _codes(section, "exception_codes", EXCEPTION_RE, where)
    schema = section.get("schema")
    if schema is not None and (not isinstance(schema, str) or not schema.endswith((".dtd", ".xsd"))):
        raise ProfileError(f"{where} schema must be the path of a .dtd or .xsd file, got {schema!r}")


def kind_codes(profile: Any) -> dict[str, str]:
    return dict(profile.section("authority").get("kind_codes", {})) if profile is not None else {}


def exception_codes(profile: Any) -> dict[str, str]:
    return dict(profile.section("authority").get("exception_codes", {})) if profile is not None else {}


def schema_path(profile: Any) -> Path | None:
    if profile is None:
        return None
    s = profile.section("authority").get("schema")
    if not s:
        return None
    p = Path(s)
    if not p.is_absolute() and profile.path is not None:
        p = Path(profile.path).parent / p
    return p


def profile_for_office(office: str, name: str | None = None) -> Any:
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
