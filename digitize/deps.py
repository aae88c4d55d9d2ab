"""What digitize needs installed, checked once at start-up: on the client and on every worker.

A worker of an existing cluster can run another environment than the client's. Before this
check, a worker without ``rapidfuzz`` finished documents ``done`` with proofreading silently
skipped; now the run refuses to start with one line naming what is missing where. The check
imports the modules (a module that is present but cannot be imported is as missing as an absent
one) and looks for the engine and the profile's languages the way the engine will.

This module imports nothing heavy at the top, so that it can run where the rest cannot.
"""

from __future__ import annotations

import importlib
import shutil
from typing import Any

from .errors import MissingDependency  # exit status 3

__all__ = ["MissingDependency", "check", "missing"]

# (module, what to install): the pipeline's own imports, stage by stage.
PIPELINE_MODULES = (
    ("numpy", "numpy"),
    ("cv2", "opencv-python-headless"),
    ("PIL", "pillow"),
    ("pypdfium2", "pypdfium2"),
    ("pikepdf", "pikepdf"),
    ("lxml.etree", "lxml"),
    ("rapidfuzz", "rapidfuzz"),
)
# What the client itself runs when the workers are elsewhere: planning (page counts), the
# ledger, the report.
CLIENT_MODULES = (("PIL", "pillow"), ("pypdfium2", "pypdfium2"), ("pikepdf", "pikepdf"), ("lxml.etree", "lxml"))


def _importable(module: str) -> str | None:
    """None when ``module`` imports, else the error in a few words."""
    try:
        importlib.import_module(module)
    except Exception as exc:  # ImportError, or a broken build raising anything at import
        return f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
    return None


def missing(profile: Any = None, *, engine: bool = True, modules=PIPELINE_MODULES) -> list[str]:
    """What is missing here, one short item each (empty when all is there). ``profile`` gives
    the engine backend and languages; ``engine=False`` leaves the engine out (a client whose
    workers run elsewhere)."""
    items = []
    for module, package in modules:
        why = _importable(module)
        if why is not None:
            items.append(f"{module.split('.')[0]} (pip install {package}; {why})")
    if not engine or profile is None:
        return items
    settings = profile.engine
    backend = settings.backend
    if backend in ("auto", "tesserocr"):
        why = _importable("tesserocr")
        if why is None:
            backend = "tesserocr"
        elif backend == "tesserocr":
            items.append(f"tesserocr (pip install tesserocr; {why})")
        else:
            backend = "pytesseract"
    if backend == "pytesseract":
        why = _importable("pytesseract")
        if why is not None:
            items.append("tesserocr or pytesseract (pip install tesserocr)")
        if not shutil.which("tesseract"):
            items.append("the tesseract program (apt-get install tesseract-ocr)")
    if not items:  # the language models, found the way the engine finds them
        from .tessdata import EngineError, check_languages, find_tessdata

        try:
            check_languages(find_tessdata(settings.tessdata), settings.languages)
        except EngineError as exc:
            items.append(str(exc))
    return items


def check(profile: Any = None, *, where: str = "this machine", engine: bool = True, modules=PIPELINE_MODULES) -> None:
    """Raise ``MissingDependency`` with one line naming what is missing ``where``."""
    items = missing(profile, engine=engine, modules=modules)
    if items:
        raise MissingDependency(f"missing on {where}: {'; '.join(items)}")
