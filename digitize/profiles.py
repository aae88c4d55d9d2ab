"""OCR profiles: one TOML file per office or series, validated once when it is loaded.

A profile is data, not code: languages and engine settings, preprocessing switches, INID labels,
section headings, date and number patterns, correction rules, output switches. A profile may
``extends = "generic"``; tables are merged key by key, lists and scalars are replaced.

Each section has ONE typed, frozen model (a dataclass checked by pydantic, ``digitize/config.py``),
kept beside the stage that reads it: ``[engine]`` and ``[preprocess]`` here, ``[structure]`` in
``structure/config.py``, ``[proofread]`` and ``[queue]`` in ``proofread/config.py``, ``[emit]`` in
``emit/config.py``, ``[authority]`` in ``authority/section.py``. Those modules import only
``digitize/config.py`` (their layer in ``tests/test_layering.py`` is "profile sections"). ``load()`` builds them all, so a typo
or a value out of range stops the run before any page, in one line naming the file and the key.

To add a key to a section: add ONE field line to the section's model, with its type, default and
(numbers) range, e.g. ``max_skew: Annotated[float, Field(ge=0, le=45, description="degrees")] = 10.0``;
a rule a type cannot say goes in an ``AfterValidator`` raising ``ValueError("must be ...")``. The
stage reads ``profile.<section>.<key>``. Then document the key in ``ocr_profiles/generic.toml``.

To add a section: write its model (decorated with ``@section``) in the stage's ``config.py``, add
a field to ``Profile`` below and one line to ``load()`` that builds it.
"""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from authority.section import AuthoritySettings
from authority.section import from_profile as _authority
from .config import ProfileError, build, read_toml, section
from .emit.config import EmitSettings
from .emit.config import from_profile as _emit
from .proofread.config import ProofreadSettings
from .proofread.config import from_profile as _proofread
from .resources import profiles_dir
from .structure.config import StructureSettings
from .structure.config import from_profile as _structure

__all__ = ["ProfileError", "Profile", "EngineSettings", "PreprocessSettings", "load", "available"]

def _languages(value: str) -> str:
    parts = value.split("+")
    if not all(p and all(c.isalnum() or c in "_-/" for c in p) for p in parts):
        raise ValueError(f"must be Tesseract language names joined by '+' (such as 'spa+eng'), got {value!r}")
    return value


def _psm(value: int) -> int:
    if value in (0, 2):
        raise ValueError(f"{value} reads no text (0 only detects the orientation, 2 only the layout); "
                         "use 3 (automatic), 4 (one column), 6 (one block) or another of 1 and 3-13")
    return value


@section
class EngineSettings:
    languages: Annotated[str, AfterValidator(_languages)] = "eng"  # Tesseract's "+"-joined names
    psm: Annotated[int, Field(ge=0, le=13, description="Tesseract's page segmentation mode"),
                   AfterValidator(_psm)] = 3  # fully automatic
    oem: Annotated[int, Field(ge=0, le=3, description="Tesseract's engine mode: 1 = LSTM")] = 1  # LSTM only
    backend: Literal["auto", "tesserocr", "pytesseract"] = "auto"
    variables: dict[str, str | int | float | bool] = dataclasses.field(default_factory=dict)  # Tesseract -c
    tessdata: str | None = None  # folder with *.traineddata; found automatically when None
    # seconds one page may take in the engine; the document then fails (0 = none)
    timeout: Annotated[float, Field(ge=0, description="seconds a page may take; 0 = no limit")] = 300.0


@section
class PreprocessSettings:
    orientation: bool = True  # detect 90/180/270 with Tesseract OSD
    deskew: bool = True
    normalize_background: bool = True  # flatten uneven illumination
    binarize: Literal["sauvola", "adaptive", "otsu", "none"] = "sauvola"
    denoise: bool = True  # remove speckles
    remove_borders: bool = True  # black scanner borders
    target_dpi: Annotated[int, Field(ge=70, le=1200, description="the resolution pages are OCR'd at")] = 300
    # upscale scans below this toward target_dpi (0 = never)
    rescale_below_dpi: Annotated[int, Field(ge=0, le=1200, description="0 = never upscale")] = 250
    default_dpi: Annotated[int, Field(ge=70, le=1200, description="assumed when a file does not say")] = 300
    max_pixels: Annotated[int, Field(gt=0, description=(
        "the largest page accepted, in pixels, a guard against decompression bombs; 0 would refuse every page"
    ))] = 150_000_000


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
    _check_installed(engine, f"{where} [engine]")
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


def _check_installed(engine: EngineSettings, where: str) -> None:
    """The languages must exist where Tesseract will look for them, a given ``tessdata`` folder too.

    Checked on this machine; when it has no Tesseract data at all (a client of a remote cluster)
    the workers check at start instead (``ocr.Engine``). The OCR stage sits above this module
    (tests/test_layering.py), so its one tessdata finder is looked up by name here."""
    ocr = importlib.import_module("digitize.ocr")
    EngineError, check_languages, find_tessdata = ocr.EngineError, ocr.check_languages, ocr.find_tessdata

    if engine.tessdata is not None:
        folder = Path(engine.tessdata)
        if not (folder.is_dir() and any(folder.glob("*.traineddata"))):
            raise ProfileError(f"{where} tessdata: {folder} is not a folder of Tesseract language data "
                               "(*.traineddata); fix the path or remove the key to use the system's")
    try:
        folder = find_tessdata(engine.tessdata)
    except EngineError:
        return
    try:
        check_languages(folder, engine.languages)
    except EngineError as exc:
        raise ProfileError(f"{where} languages: {exc}") from None
