"""The base of every configuration model (profile sections, job files): one typed model each.

A configuration section is a frozen dataclass decorated with ``@section``: pydantic checks every
value when the section is built (types strictly: ``true`` is not a number, ``"3"`` is not an int),
refuses unknown keys (a typo must not be ignored), and ``describe()`` turns pydantic's report into
ONE line that names the file, the section, the key and what was expected::

    ocr_profiles/mx.toml: [engine] psm must be between 0 and 13, got 99 (Tesseract's page segmentation mode)

The models stay dataclasses (positional construction, ``dataclasses.replace``, ``fields``) so the
stage code reads plain attributes. A field is one line::

    psm: Annotated[int, Field(ge=0, le=13, description="Tesseract's page segmentation mode")] = 3

``description`` is the reason shown after a range error; a rule a type cannot say is a function
raising ``ValueError("must be ...")`` in an ``AfterValidator`` (its message follows the key).
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Callable, TypeVar

import annotated_types
from pydantic import BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.dataclasses import dataclass as _pydantic_dataclass

from ..errors import ConfigError

__all__ = ["ProfileError", "Percent", "Tuple", "section", "build", "describe", "read_toml", "short"]


class ProfileError(ConfigError):
    """A profile that cannot be used; the message names the file and the key."""


T = TypeVar("T")

STRICT = ConfigDict(strict=True, extra="forbid")


def section(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen, strictly validated dataclass (see the module docstring)."""
    return _pydantic_dataclass(frozen=True, config=STRICT)(cls)


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# A TOML array stored as a tuple (hashable, immutable); anything else is refused by the tuple type.
Tuple = BeforeValidator(_tuple)
# A Tesseract confidence or any other 0-100 score.
Percent = Annotated[float, Field(ge=0, le=100, description="a confidence, 0-100")]

_TYPE_NAMES = {
    "bool_type": "bool", "int_type": "int", "float_type": "number", "string_type": "str",
    "list_type": "list", "tuple_type": "list", "dict_type": "table", "path_type": "a path",
    "is_instance_of": "a path", "dataclass_exact_type": "a table", "dataclass_type": "a table",
}
_RANGE_TYPES = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def _bounds(metadata: Iterable[Any]) -> str:
    lo = hi = None
    for m in metadata:
        if isinstance(m, annotated_types.Ge):
            lo = f">= {m.ge:g}"
        elif isinstance(m, annotated_types.Gt):
            lo = f"> {m.gt:g}"
        elif isinstance(m, annotated_types.Le):
            hi = f"<= {m.le:g}"
        elif isinstance(m, annotated_types.Lt):
            hi = f"< {m.lt:g}"
    if lo and hi and lo.startswith(">=") and hi.startswith("<="):
        return f"between {lo[3:]} and {hi[3:]}"
    return " and ".join(x for x in (lo, hi) if x)


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def describe(exc: ValidationError, cls: type, where: str, *,
             rename: Callable[[str], tuple[str, str]] | None = None) -> str:
    """One line for the first problem pydantic found in ``cls`` built at ``where`` (``file: [section]``).

    ``rename`` maps a field name to (where, key) when one model holds two TOML tables (``[queue]``).
    """
    err = exc.errors(include_url=False)[0]
    loc = [str(p) for p in err["loc"] if p != "[key]"]
    name = loc[0] if loc else ""
    fields = [f.name for f in dataclasses.fields(cls)]
    if rename and name:
        where, loc[0] = rename(name)
        fields = [key for w, key in map(rename, fields) if w == where]
    key = ".".join(loc)
    kind, value = err["type"], short(err.get("input"))
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        return f"{where} unknown key {loc[-1]!r}; allowed: {', '.join(sorted(fields))}"
    if kind == "missing_argument":
        return f"{where} {key} is required"
    info = getattr(cls, "__pydantic_fields__", {}).get(name)
    why = f" ({info.description})" if info is not None and info.description and len(loc) == 1 else ""
    if kind in _TYPE_NAMES:
        return f"{where} {key} must be {_TYPE_NAMES[kind]}, got {value}"
    if kind in _RANGE_TYPES and info is not None and len(loc) == 1:
        return f"{where} {key} must be {_bounds(info.metadata)}, got {value}{why}"
    if kind == "literal_error":
        return f"{where} {key} must be one of {err['ctx']['expected']}, got {value}"
    if kind == "value_error":
        msg = str(err["ctx"]["error"]) if err.get("ctx") else err["msg"]
        return f"{where} {key}: {msg}"
    return f"{where} {key}: {err['msg'][:1].lower()}{err['msg'][1:]}, got {value}{why}"


def build(cls: type[T], table: Any, where: str, **kw: Any) -> T:
    """``cls(**table)``, or ``ProfileError`` with one line naming ``where`` and the key."""
    if not isinstance(table, dict):
        raise ProfileError(f"{where} must be a table, got {short(table)}")
    try:
        return cls(**table)
    except ValidationError as exc:
        raise ProfileError(describe(exc, cls, where, **kw)) from None


def read_toml(path: Path, error: type[Exception] = ProfileError) -> dict[str, Any]:
    """A TOML file as a dict, or ``error`` with one line naming the file (and the line)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")  # a BOM (Windows editors) is not an error
    except UnicodeDecodeError as exc:
        data = exc.object  # what the codec saw (after a BOM)
        line = data[:exc.start].count(b"\n") + 1
        raise error(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None
