"""What ingest refuses, and how the reason reads: ``IngestError`` with one line a user can act on.

A file is checked before it is opened (it exists, a supported type, not empty), and every size
against ``max_pixels`` from the header before anything is decoded (``too_big``), so a file
declaring 50,000 × 50,000 pixels fails at once instead of taking the worker's memory. A
library's own message is cut to one line without Python object addresses (``one_line``).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .inputs import SUPPORTED


class IngestError(InputError):
    """An input that cannot be read; the message is a one-line reason for the ledger."""


def check_file(path: Path) -> None:
    """A missing file raises ``FileNotFoundError``; an unsupported or empty one ``IngestError``."""
    if not path.exists():
        raise FileNotFoundError(f"input not found: {path}")
    if path.is_dir():
        return
    if path.suffix.lower() not in SUPPORTED:
        kind = path.suffix.lower() or "(no extension)"
        raise IngestError(f"unsupported file type {kind}; supported: PDF, TIFF, PNG, JPEG")
    if path.stat().st_size == 0:
        raise IngestError("empty file (0 bytes)")


def too_big(w: int, h: int, max_pixels: int, what: str = "image") -> IngestError:
    return IngestError(f"{what} of {w}x{h} pixels exceeds the limit of {max_pixels} (max_pixels)")


_OBJECT_REPR = re.compile(r"<(?:[\w]+\.)*(\w+)(?: object)?(?: at)? 0x[0-9a-fA-F]+>")


def one_line(exc: BaseException) -> str:
    """A library's message for a user: one line, no Python object addresses (``<PdfImage
    0x7f…>`` in PDFium's reason for an image it cannot decode, a JBIG2 one for instance)."""
    text = _OBJECT_REPR.sub(lambda m: "the page's image" if m.group(1) == "PdfImage" else "a PDF object", str(exc))
    return " ".join(text.split())[:200] or type(exc).__name__
