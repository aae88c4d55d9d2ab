"""OCR profiles: one TOML file per office or series, validated once when it is loaded.

A profile is data, not code: languages and engine settings, preprocessing switches, INID labels,
section headings, date and number patterns, correction rules, output switches. A profile may
``extends = "generic"``; tables are merged key by key, lists and scalars are replaced.

Each section has ONE typed, frozen model (a dataclass checked by pydantic, ``settings/base.py``),
one module each in this package: ``engine.py`` (``[engine]``, ``[preprocess]``), ``structure.py``,
``proofread.py`` (``[proofread]`` and ``[queue]``), ``emit.py``, ``authority.py``. They import only
``settings/base.py``; a stage takes its own section (``profile.structure``). ``load()`` builds them
all, so a typo or a value out of range stops the run before any page, in one line naming the file
and the key.

To add a key to a section: add ONE field line to the section's model, with its type, default and
(numbers) range, e.g. ``max_skew: Annotated[float, Field(ge=0, le=45, description="degrees")] = 10.0``;
a rule a type cannot say goes in an ``AfterValidator`` raising ``ValueError("must be ...")``. The
stage reads ``profile.<section>.<key>``. Then document the key in ``ocr_profiles/generic.toml``.

To add a section: write its model (decorated with ``@section``) in a module of this package, add
a field to ``Profile`` below and one line to ``load()`` that builds it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator

from .authority import AuthoritySettings
from .authority import from_profile as _authority
from .base import ProfileError, build, read_toml, section
from .engine import EngineSettings, PreprocessSettings, check_installed
from .emit import EmitSettings
from .emit import from_profile as _emit
from .proofread import ProofreadSettings
from .proofread import from_profile as _proofread
from ..resources import profiles_dir
from .structure import StructureSettings
from .structure import from_profile as _structure

__all__ = ["ProfileError", "Profile", "EngineSettings", "PreprocessSettings", "load", "available"]

def _iso639(value: str) -> str:
    if len(value) != 2 or not value.isalpha():
        raise ValueError(f"must be an ISO 639-1 code such as 'en' or 'es', got {value!r}")
    return value


@section
class Profile:
    name: str
    description: str
    office: Annotated[str, AfterValidator(str.upper)]  # ST.3 code this profile is for ("XX" for generic)
    lang: Annotated[str, AfterValidator(_iso639)]  # ISO 639-1 of the publications
    engine: EngineSettings = dataclasses.field(default_factory=EngineSettings)
    preprocess: PreprocessSettings = dataclasses.field(default_factory=PreprocessSettings)
    structure: StructureSettings = dataclasses.field(default_factory=StructureSettings)
    proofread: ProofreadSettings = dataclasses.field(default_factory=ProofreadSettings)  # and [queue]
    emit: EmitSettings = dataclasses.field(default_factory=EmitSettings)
    authority: AuthoritySettings = dataclasses.field(default_factory=AuthoritySettings)
    path: Path | None = None

    def section(self, name: str) -> dict[str, Any]:
        """A section as a plain table (for display and tests); ``queue`` is part of ``proofread``."""
        if name == "queue":
            return {k[6:]: v for k, v in dataclasses.asdict(self.proofread).items() if k.startswith("queue_")}
        return dataclasses.asdict(getattr(self, name)) if name in SECTIONS else {}


SECTIONS = ("engine", "preprocess", "structure", "proofread", "queue", "emit", "authority")
TOP_KEYS = {"name", "description", "extends", "office", "lang", *SECTIONS}


def available() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.toml"))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolve(name_or_path: str, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], Path]:
    path = Path(name_or_path)
    if not (path.suffix == ".toml" and path.is_file()):
        path = profiles_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        raise ProfileError(f"unknown profile {name_or_path!r}; available: {', '.join(available())}")
    if str(path) in seen:
        raise ProfileError(f"{path}: 'extends' forms a cycle: {' -> '.join(seen)}")
    data = read_toml(path)
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise ProfileError(f"{path}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(TOP_KEYS))}")
    parent = data.get("extends")
    if parent is not None and not isinstance(parent, str):
        raise ProfileError(f"{path}: extends must be str (a profile name or path), got {parent!r}")
    if parent:
        base, _ = _resolve(parent, (*seen, str(path)))
        base.pop("name", None)
        base.pop("description", None)
        data = _merge(base, data)
    return data, path


def load(name_or_path: str) -> Profile:
    """Load, merge and validate a profile by name (``ph``) or path (``my.toml``)."""
    data, path = _resolve(name_or_path)
    try:
        return _build(data, path)
    except ProfileError:
        if isinstance(data.get("extends"), str):
            load(data["extends"])  # a mistake the parent holds is reported in the parent's name
        raise


def _build(data: dict[str, Any], path: Path) -> Profile:
    lang = data.get("lang", "en")
    where = f"{path}:"
    engine = build(EngineSettings, data.get("engine", {}), f"{where} [engine]")
    check_installed(engine, f"{where} [engine]")
    return build(Profile, {
        "name": data.get("name", path.stem),
        "description": data.get("description", ""),
        "office": data.get("office", "XX"),
        "lang": lang,
        "engine": engine,
        "preprocess": build(PreprocessSettings, data.get("preprocess", {}), f"{where} [preprocess]"),
        "structure": _structure(data.get("structure", {}), f"{where} [structure]"),
        "proofread": _proofread(data.get("proofread", {}), data.get("queue", {}), where, lang=lang),
        "emit": _emit(data.get("emit", {}), f"{where} [emit]", folder=path.parent),
        "authority": _authority(data.get("authority", {}), f"{where} [authority]", folder=path.parent),
        "path": path,
    }, where)


DEFAULTS = Profile(name="defaults", description="every section's defaults, English lexicons", office="XX", lang="en",
                   proofread=_proofread({}, {}, "defaults", lang="en"))


def or_defaults(profile: Profile | None) -> Profile:
    """The profile, or the built-in defaults when a caller has none (a page read without a profile)."""
    return profile if profile is not None else DEFAULTS
