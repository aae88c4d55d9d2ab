"""Where the data folders live, in a checkout and when installed.

The checkout keeps ``ocr_profiles/`` and ``st36_templates/`` at the top level (the product card
fixes that layout); the wheel carries copies under ``digitize/_data/``. Environment variables
override both so an office can keep its own profiles and templates outside the package.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def data_dir(name: str, env: str) -> Path:
    """``name`` is ``ocr_profiles`` or ``st36_templates``."""
    override = os.environ.get(env)
    if override:
        return Path(override)
    for candidate in (CHECKOUT_DIR / name, PACKAGE_DIR / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name} folder (set {env})")


def profiles_dir() -> Path:
    return data_dir("ocr_profiles", "DIGITIZE_PROFILES")


def templates_dir() -> Path:
    return data_dir("st36_templates", "DIGITIZE_TEMPLATES")


def default_schema_dir() -> Path | None:
    """``$DIGITIZE_SCHEMAS``, else ``../shared/standards`` beside the checkout when present."""
    override = os.environ.get("DIGITIZE_SCHEMAS")
    if override:
        return Path(override)
    for candidate in (CHECKOUT_DIR.parent / "shared" / "standards", Path.cwd().parent / "shared" / "standards"):
        if candidate.is_dir():
            return candidate
    return None


def shared_data_dir() -> Path | None:
    """The real scans and XML in ``../shared/data`` (development and tests only)."""
    override = os.environ.get("DIGITIZE_SHARED_DATA")
    if override:
        return Path(override) if Path(override).is_dir() else None
    candidate = CHECKOUT_DIR.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None
