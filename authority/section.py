"""The ``[authority]`` profile section: its one model (``authority/config.py`` reads it).

Kept apart from ``authority/config.py`` so that ``digitize.profiles`` can build it without
importing the authority package's builders (``tests/test_layering.py``: profile sections sit
below the settings layer).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator

from digitize.config import build, section

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
