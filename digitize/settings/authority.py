"""The ``[authority]`` profile section, validated on every profile load (``authority/config.py`` reads it).

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

import dataclasses
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, PlainValidator

from .base import build, section

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


@dataclasses.dataclass(frozen=True)
class CodeNote:
    """A code's description with where it comes from; ``confirmed = false`` marks one not yet
    checked against the office's own publications (``authority build`` warns when it publishes it)."""
    description: str
    confirmed: bool = True
    source: str = ""


CODE_NOTE_KEYS = ("description", "confirmed", "source")


def _code_note(value: Any) -> str | CodeNote:
    """``"description"`` or ``{description = "...", confirmed = false, source = "..."}``."""
    if isinstance(value, str):
        return _description(value)
    if not isinstance(value, dict):
        raise ValueError(f"must be a description or a table {{description, confirmed, source}}, got {value!r}")
    unknown = set(value) - set(CODE_NOTE_KEYS)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(CODE_NOTE_KEYS)}")
    if not isinstance(value.get("confirmed", True), bool):
        raise ValueError(f"confirmed must be true or false, got {value.get('confirmed')!r}")
    if not isinstance(value.get("source", ""), str):
        raise ValueError(f"source must be a string, got {value.get('source')!r}")
    desc = value.get("description")
    if not isinstance(desc, str):
        raise ValueError(f"the description must be a non-empty string, got {desc!r}")
    return CodeNote(_description(desc), value.get("confirmed", True), value.get("source", ""))


@dataclasses.dataclass(frozen=True)
class OfficeKindCode(CodeNote):
    """One entry of ``office_kind_codes``: a kind code as the office's publications print it."""
    code: str = ""


def _office_kind(value: Any) -> OfficeKindCode:
    """One ``{code, description, confirmed, source}`` entry of ``office_kind_codes``."""
    if not isinstance(value, dict):
        raise ValueError(f"must be a table {{code, description, confirmed, source}}, got {value!r}")
    code = value.get("code")
    if not isinstance(code, str) or not KIND_RE.match(code):
        raise ValueError(f"code {code!r} is not a valid kind code (expected {KIND_RE.pattern})")
    note = _code_note({k: v for k, v in value.items() if k != "code"})
    if isinstance(note, str):
        note = CodeNote(note)
    return OfficeKindCode(note.description, note.confirmed, note.source, code=code)


CodeValue = Annotated[Any, PlainValidator(_code_note)]
OfficeKind = Annotated[Any, PlainValidator(_office_kind)]


def _schema(value: str | None) -> str | None:
    if value is not None and not value.endswith((".dtd", ".xsd")):
        raise ValueError(f"must be the path of a .dtd or .xsd file, got {value!r}")
    return value


@section
class AuthoritySettings:
    kind_codes: dict[Annotated[str, _code(KIND_RE)], CodeValue] = dataclasses.field(default_factory=dict)
    exception_codes: dict[Annotated[str, _code(EXCEPTION_RE)], CodeValue] = dataclasses.field(default_factory=dict)
    # the office's own kind codes, as a list so that it REPLACES the inherited (generic, EP-style) table
    office_kind_codes: list[OfficeKind] | None = None
    strip_leading_zeros: bool = False  # US: 08926509 is published as 8926509 (ST.37 numbers)
    schema: Annotated[str | None, AfterValidator(_schema)] = None  # relative: to the profile file


def from_profile(table: Any, where: str, *, folder: Path | None = None) -> AuthoritySettings:
    """The profile's ``[authority]``, ``schema`` resolved against the profile's ``folder``."""
    s = build(AuthoritySettings, table, where)
    if s.schema and not Path(s.schema).is_absolute() and folder is not None:
        s = dataclasses.replace(s, schema=str(folder / s.schema))
    return s
