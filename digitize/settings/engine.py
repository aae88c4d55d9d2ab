"""``[engine]`` and ``[preprocess]``: how Tesseract runs and how a page is prepared for it.

The engine section is checked against this machine's language data when a profile is loaded
(``check_installed``), so a missing language stops a run before any page.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .base import ProfileError, section
from ..tessdata import EngineError, check_languages, find_tessdata


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
    # read the page as it came first and keep that reading, unprepared, when it is confident and
    # holds the page's text (digitize/readings.py, RAW_KEEP_*); off: the prepared page is read first
    raw_first: bool = False
    max_pixels: Annotated[int, Field(gt=0, description=(
        "the largest page accepted, in pixels, a guard against decompression bombs; 0 would refuse every page"
    ))] = 150_000_000


def check_installed(engine: EngineSettings, where: str) -> None:
    """The languages must exist where Tesseract will look for them, a given ``tessdata`` folder too.

    Checked on this machine; when it has no Tesseract data at all (a client of a remote cluster)
    the workers check at start instead (``ocr.Engine``)."""

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
