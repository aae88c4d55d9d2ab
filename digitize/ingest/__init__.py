"""Ingest: input files → grey page images, one page in memory at a time.

    discover([Path("scans")])                       # the documents among the inputs
    page_count(Path("a.pdf"))                       # cheap: no page is decoded
    for page in iter_pages(Path("a.pdf"), max_pixels=150_000_000, default_dpi=300): ...

This module chooses the reader by the input's kind (a PDF, an image file, a folder of page
images); the modules beside it do one job each: ``inputs`` (which files are documents),
``checks`` (what is refused, ``IngestError``), ``resolution`` (the header's dpi, square pixels,
the ``MAX_DPI`` cap), ``images`` (PIL) and ``pdf`` (PDFium, one call at a time in a process).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..model import PageImage
from .checks import IngestError, check_file
from .images import image_pages, iter_image
from .inputs import IMAGE_EXTS, PDF_EXTS, SUPPORTED, discover, folder_pages, is_supported, not_input, searched
from .pdf import iter_pdf, pdf_pages
from .resolution import MAX_DPI

__all__ = ["IMAGE_EXTS", "MAX_DPI", "PDF_EXTS", "SUPPORTED", "IngestError", "discover", "is_supported", "iter_pages",
           "not_input", "page_count", "searched"]


def page_count(path: Path) -> int:
    """Number of pages, read from headers only (also validates the file)."""
    path = Path(path)
    check_file(path)
    if path.is_dir():
        return sum(page_count(p) for p in folder_pages(path))
    if path.suffix.lower() in PDF_EXTS:
        return pdf_pages(path)
    return image_pages(path)


def iter_pages(path: Path, *, max_pixels: int, default_dpi: int, first: int = 1,
               last: int | None = None) -> Iterator[PageImage]:
    """Yield pages ``first..last`` (1-based, inclusive) as grey uint8 images, one at a time."""
    path = Path(path)
    check_file(path)
    if path.is_dir():
        yield from _iter_folder(path, max_pixels, default_dpi, first, last)
    elif path.suffix.lower() in PDF_EXTS:
        yield from iter_pdf(path, max_pixels, first, last)
    else:
        yield from iter_image(path, max_pixels, default_dpi, first, last)


def _iter_folder(folder: Path, max_pixels: int, default_dpi: int, first: int, last: int | None) -> Iterator[PageImage]:
    offset = 0
    for f in folder_pages(folder):
        n = page_count(f)
        lo, hi = max(first - offset, 1), n if last is None else min(last - offset, n)
        if lo <= hi:
            for page in iter_image(f, max_pixels, default_dpi, lo, hi):
                page.number += offset
                yield page
        offset += n
        if last is not None and offset >= last:
            break
