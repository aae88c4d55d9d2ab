"""Where the engine's language data is, and whether a profile's languages are in it.

One owner for the lookup, used by the profile loader (checked before any page) and by the engine
(checked on each worker at start).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)


class EngineError(InputError, RuntimeError):
    """The engine cannot run as configured (missing language, no Tesseract)."""


def find_tessdata(explicit: str | None = None) -> Path:
    """The tessdata folder of the system's language packages.

    The tesserocr wheel bundles its own Tesseract but no models: it must be pointed at Debian's.
    """
    candidates = [explicit, os.environ.get("TESSDATA_PREFIX"), *TESSDATA_CANDIDATES]
    for c in candidates:
        if c and Path(c).is_dir() and any(Path(c).glob("*.traineddata")):
            return Path(c)
    raise EngineError(
        "no Tesseract language data found; install Debian's tesseract-ocr-eng "
        "(or set TESSDATA_PREFIX / [engine] tessdata)"
    )


def check_languages(tessdata: Path, languages: str) -> None:
    missing = [lang for lang in languages.split("+") if not (tessdata / f"{lang}.traineddata").exists()]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{m}" for m in missing)
        raise EngineError(f"Tesseract language(s) {', '.join(missing)} not installed in {tessdata} (apt-get install {pkgs})")
