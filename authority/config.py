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

import re
from pathlib import Path
from typing import Any

from digitize.profiles import ProfileError

KIND_RE = re.compile(r"^[A-Z][0-9]?$")
EXCEPTION_RE = re.compile(r"^[A-Z0-9]{1,2}$")
KEYS = {"kind_codes", "office_kind_codes", "exception_codes", "schema", "strip_leading_zeros"}
CODE_KEYS = {"code", "description", "confirmed", "source"}


def _code_value(value: Any, where: str) -> None:
    """``"description"`` or ``{description = "...", confirmed = false, source = "..."}``."""
    if isinstance(value, dict):
        unknown = set(value) - (CODE_KEYS - {"code"})
        if unknown:
            raise ProfileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: description, confirmed, source")
        if not isinstance(value.get("confirmed", True), bool):
            raise ProfileError(f"{where}: confirmed must be true or false, got {value.get('confirmed')!r}")
        value = value.get("description")
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f"{where}: the description must be a non-empty string, got {value!r}")


def _codes(section: dict[str, Any], key: str, pattern: re.Pattern[str], where: str) -> None:
    table = section.get(key, {})
    if not isinstance(table, dict):
        raise ProfileError(f"{where} {key} must be a table of CODE = \"description\"")
    for code, desc in table.items():
        if not pattern.match(code):
            raise ProfileError(f"{where} {key}.{code}: not a valid code (expected {pattern.pattern})")
        _code_value(desc, f"{where} {key}.{code}")


def validate(section: dict[str, Any], where: str) -> None:
    """Raise ``ProfileError`` naming ``where`` (``file: [authority]``) and the key."""
    if not isinstance(section, dict):
        raise ProfileError(f"{where} must be a table")
    unknown = set(section) - KEYS
    if unknown:
        raise ProfileError(f"{where} unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(KEYS))}")
    _codes(section, "kind_codes", KIND_RE, where)
    _codes(section, "exception_codes", EXCEPTION_RE, where)
    own = section.get("office_kind_codes")
    if own is not None:
        if not isinstance(own, list) or not all(isinstance(x, dict) for x in own):
            raise ProfileError(f"{where} office_kind_codes must be a list of {{code, description, confirmed}} tables")
        for i, item in enumerate(own):
            code = item.get("code")
            if not isinstance(code, str) or not KIND_RE.match(code):
                raise ProfileError(f"{where} office_kind_codes[{i}]: code {code!r} is not a valid kind code")
            _code_value({k: v for k, v in item.items() if k != "code"}, f"{where} office_kind_codes[{i}] ({code})")
    if not isinstance(section.get("strip_leading_zeros", False), bool):
        raise ProfileError(f"{where} strip_leading_zeros must be true or false")
    schema = section.get("schema")
    if schema is not None and (not isinstance(schema, str) or not schema.endswith((".dtd", ".xsd"))):
        raise ProfileError(f"{where} schema must be the path of a .dtd or .xsd file, got {schema!r}")


def _desc(value: Any) -> str:
    return value.get("description", "") if isinstance(value, dict) else str(value)


def _kind_table(profile: Any) -> dict[str, Any]:
    section = profile.section("authority") if profile is not None else {}
    own = section.get("office_kind_codes")
    if own is not None:
        return {item["code"]: {k: v for k, v in item.items() if k != "code"} for item in own}
    return dict(section.get("kind_codes", {}))


def kind_codes(profile: Any) -> dict[str, str]:
    """{kind code: description} the office's profile defines."""
    return {code: _desc(v) for code, v in _kind_table(profile).items()}


def exception_codes(profile: Any) -> dict[str, str]:
    table = profile.section("authority").get("exception_codes", {}) if profile is not None else {}
    return {code: _desc(v) for code, v in table.items()}


def unconfirmed(profile: Any) -> dict[tuple[str, str], str]:
    """{("kind"|"exception", code): source note} of the codes marked ``confirmed = false``."""
    if profile is None:
        return {}
    out = {}
    for code, v in _kind_table(profile).items():
        if isinstance(v, dict) and v.get("confirmed") is False:
            out[("kind", code)] = str(v.get("source", ""))
    for code, v in profile.section("authority").get("exception_codes", {}).items():
        if isinstance(v, dict) and v.get("confirmed") is False:
            out[("exception", code)] = str(v.get("source", ""))
    return out


def strip_leading_zeros(profile: Any) -> bool:
    return bool(profile.section("authority").get("strip_leading_zeros", False)) if profile is not None else False


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
