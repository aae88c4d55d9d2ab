"""OCR profiles: one TOML file per office or series, validated once at the edge.

A profile is data, not code: languages and engine settings, preprocessing switches, INID labels,
section headings, date and number patterns, correction rules, output switches. A profile may
``extends = "generic"``; tables are merged key by key, lists and scalars are replaced.

The core validates ``[engine]`` and ``[preprocess]`` here. The other sections belong to their
stages, which validate them (``SECTION_VALIDATORS``) so that a typo in a profile is reported with
the file, the key and what was expected, before any page is processed.
"""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import ConfigError
from .resources import profiles_dir


class ProfileError(ConfigError):
    """A profile that cannot be used; the message names the file and the key."""


SECTIONS = ("engine", "preprocess", "structure", "proofread", "queue", "emit", "authority")

# section -> "module:function" taking (section dict, where) and raising ProfileError
SECTION_VALIDATORS: dict[str, str] = {
    "structure": "digitize.structure.config:validate",
    "proofread": "digitize.proofread.config:validate",
    "queue": "digitize.proofread.config:validate_queue",
    "emit": "digitize.emit.config:validate",
    "authority": "authority.config:validate",
}

TOP_KEYS = {"name", "description", "extends", "office", "lang", *SECTIONS}


@dataclass(frozen=True)
class EngineSettings:
    languages: str = "eng"  # Tesseract's "+"-joined names
    psm: int = 3  # page segmentation mode: fully automatic
    oem: int = 1  # LSTM only
    backend: str = "auto"  # auto | tesserocr | pytesseract
    variables: dict[str, str] = field(default_factory=dict)
    tessdata: str | None = None  # folder with *.traineddata; found automatically when None
    timeout: float = 300.0  # seconds one page may take in the engine; the document then fails (0 = none)


@dataclass(frozen=True)
class PreprocessSettings:
    orientation: bool = True  # detect 90/180/270 with Tesseract OSD
    deskew: bool = True
    normalize_background: bool = True  # flatten uneven illumination
    binarize: str = "sauvola"  # sauvola | adaptive | otsu | none
    denoise: bool = True  # remove speckles
    remove_borders: bool = True  # black scanner borders
    target_dpi: int = 300
    rescale_below_dpi: int = 250  # upscale scans below this toward target_dpi
    default_dpi: int = 300  # when the file does not say
    max_pixels: int = 150_000_000  # guard against decompression bombs


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    office: str  # ST.3 code this profile is for ("XX" for generic)
    lang: str  # ISO 639-1 of the publications
    engine: EngineSettings
    preprocess: PreprocessSettings
    sections: dict[str, dict[str, Any]]  # every section as merged from the files
    path: Path | None = None

    def section(self, name: str) -> dict[str, Any]:
        return self.sections.get(name, {})


_ENGINE_TYPES = {"languages": str, "psm": int, "oem": int, "backend": str, "variables": dict, "tessdata": str,
                 "timeout": (int, float)}
_PRE_TYPES = {
    "orientation": bool, "deskew": bool, "normalize_background": bool, "binarize": str, "denoise": bool,
    "remove_borders": bool, "target_dpi": int, "rescale_below_dpi": int, "default_dpi": int, "max_pixels": int,
}
_CHOICES = {
    ("engine", "backend"): {"auto", "tesserocr", "pytesseract"},
    ("preprocess", "binarize"): {"sauvola", "adaptive", "otsu", "none"},
}


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


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None


def _resolve(name_or_path: str, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], Path]:
    path = Path(name_or_path)
    if not (path.suffix == ".toml" and path.is_file()):
        path = profiles_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        raise ProfileError(f"unknown profile {name_or_path!r}; available: {', '.join(available())}")
    if str(path) in seen:
        raise ProfileError(f"{path}: 'extends' forms a cycle: {' -> '.join(seen)}")
    data = _read(path)
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ProfileError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(TOP_KEYS))}")
    parent = data.get("extends")
    if parent:
        base, _ = _resolve(str(parent), (*seen, str(path)))
        base.pop("name", None)
        base.pop("description", None)
        data = _merge(base, data)
    return data, path


def check_table(section: Any, where: str, types: dict[str, Any], choices: dict[str, set[str]] | None = None) -> None:
    """The one check every profile section gets: a table whose keys are known and whose values
    have their type (a bool is not a number here); ``where`` is ``"file: [section]"``."""
    if not isinstance(section, dict):
        raise ProfileError(f"{where} must be a table")
    for key, value in section.items():
        if key not in types:
            raise ProfileError(f"{where} unknown key {key!r}; allowed: {', '.join(sorted(types))}")
        want = types[key]
        numeric = want in (int, float) or (isinstance(want, tuple) and set(want) <= {int, float})
        if (numeric and isinstance(value, bool)) or not isinstance(value, want):
            name = getattr(want, "__name__", "number")
            raise ProfileError(f"{where} {key} must be {name}, got {value!r}")
        allowed = (choices or {}).get(key)
        if allowed and value not in allowed:
            raise ProfileError(f"{where} {key} must be one of {', '.join(sorted(allowed))}, got {value!r}")


def _typed(section: str, raw: dict[str, Any], types: dict[str, type], where: Path) -> dict[str, Any]:
    choices = {key: values for (sec, key), values in _CHOICES.items() if sec == section}
    check_table(raw, f"{where}: [{section}]", types, choices)
    return dict(raw)


def load(name_or_path: str) -> Profile:
    """Load, merge and validate a profile by name (``ph``) or path (``my.toml``)."""
    data, path = _resolve(name_or_path)
    engine = EngineSettings(**_typed("engine", data.get("engine", {}), _ENGINE_TYPES, path))
    pre = PreprocessSettings(**_typed("preprocess", data.get("preprocess", {}), _PRE_TYPES, path))
    if engine.timeout < 0:
        raise ProfileError(f"{path}: [engine] timeout must be >= 0 seconds (0 = no limit)")
    if pre.target_dpi < 70 or pre.target_dpi > 1200:
        raise ProfileError(f"{path}: [preprocess] target_dpi must be between 70 and 1200")
    sections = {s: data.get(s, {}) for s in SECTIONS}
    for section, target in SECTION_VALIDATORS.items():
        validator = _validator(target)
        if validator is not None:
            validator(sections[section], f"{path}: [{section}]")
    lang = str(data.get("lang", "en"))
    if len(lang) != 2:
        raise ProfileError(f"{path}: lang must be an ISO 639-1 code such as 'en' or 'es', got {lang!r}")
    return Profile(
        name=str(data.get("name", path.stem)),
        description=str(data.get("description", "")),
        office=str(data.get("office", "XX")).upper(),
        lang=lang,
        engine=engine,
        preprocess=pre,
        sections=sections,
        path=path,
    )


def _validator(target: str) -> Callable[[dict[str, Any], str], None]:
    """The stage's own check of its section (a stage that cannot be imported is an error)."""
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(module), func)
