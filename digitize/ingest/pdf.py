"""PDF files → grey pages with PDFium, one page decoded at a time.

Scanned PDFs usually hold one image per page. Then the embedded image is taken at its native
resolution (PDFium decodes CCITT G4, JBIG2, JPEG and Flate, and applies decode arrays); its
placement on the page (a 90° multiple) and the page's ``/Rotate`` are applied, so the page comes
out the way a viewer shows it. Any other page (text, several images) is rendered at
``RENDER_DPI``; one image placed at an angle is rendered as shown, at the image's own resolution.

PDFium is not thread-safe, not even across documents (pypdfium2's documentation: concurrent calls
"would crash or corrupt the process"), and a small job runs its pages on threads of one process
(``batch.run``), where the client also counts the next input's pages. Every PDFium call here is
made holding ``PDFIUM``, and every PDFium object is closed while it is held (a finaliser run later
by the garbage collector would call PDFium from whichever thread collects).
"""

from __future__ import annotations

import contextlib
import math
import threading
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from ..model import PageImage
from .checks import IngestError, one_line, too_big
from .resolution import MAX_DPI, cap_dpi, square

RENDER_DPI = 300  # pages that are not a single image
MIN_COVER = 0.85  # a single image covering this share of the page is the page
ALIGN_TOLERANCE = 0.002  # |sin| of the placement angle still counted as axis-aligned (~0.1°)

PDFIUM = threading.RLock()  # one PDFium call at a time in a process (see the module's docstring)


def _pages_by_pikepdf(path: Path) -> int | None:
    """The page count qpdf reads, or None when it cannot read the file either."""
    try:
        import pikepdf

        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001 - damaged for qpdf too: the caller's reason stands
        return None


@contextlib.contextmanager
def open_pdf(path: Path):
    """The document, opened and closed under ``PDFIUM``; the caller holds it for each call made
    with the document in between."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, path.stat().st_size - 32768))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise IngestError("not a PDF file (no %PDF header: random bytes or another format named .pdf)")
    if b"%%EOF" not in tail:
        raise IngestError("truncated or damaged PDF: the end-of-file marker (%%EOF) is missing")
    with PDFIUM:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
                raise IngestError("encrypted PDF (password required)") from None
            if _pages_by_pikepdf(path) == 0:  # PDFium refuses a document without pages ("Success")
                raise IngestError("a PDF without pages: nothing to read") from None
            raise IngestError(f"truncated or damaged PDF: {one_line(exc)}") from None
    try:
        yield pdf
    finally:
        with PDFIUM:
            pdf.close()


def pdf_pages(path: Path) -> int:
    """The number of pages, from the document's page tree (no page is decoded)."""
    with open_pdf(path) as pdf, PDFIUM:
        return len(pdf)


def iter_pdf(path: Path, max_pixels: int, first: int, last: int | None) -> Iterator[PageImage]:
    """PDFium is held while a page is decoded, not while the caller works on it."""
    with open_pdf(path) as pdf:
        with PDFIUM:
            total = len(pdf)
        last = total if last is None else min(last, total)
        for index in range(first - 1, last):
            with PDFIUM:
                grey, dpi = _decode_pdf_page(pdf, index, max_pixels)
            yield PageImage(number=index + 1, image=grey, dpi=dpi, source=f"{path}#{index + 1}", header_dpi=dpi)
            del grey


def _decode_pdf_page(pdf, index: int, max_pixels: int) -> tuple[np.ndarray, int]:
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise IngestError(f"damaged PDF page {index + 1}: {one_line(exc)}") from None
    try:
        return _pdf_page(page, max_pixels)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"damaged PDF page {index + 1}: {one_line(exc)}") from None
    finally:
        page.close()


def _single_image(page):
    """The page's only visible object when it is an image covering the page, else None."""
    import pypdfium2.raw as raw

    image = None
    for obj in page.get_objects(max_depth=4):
        if obj.type == raw.FPDF_PAGEOBJ_FORM:
            continue  # a container; its content is listed too
        if obj.type == raw.FPDF_PAGEOBJ_TEXT and \
                raw.FPDFTextObj_GetTextRenderMode(obj.raw) == raw.FPDF_TEXTRENDERMODE_INVISIBLE:
            continue  # an OCR text layer over the scan
        if obj.type != raw.FPDF_PAGEOBJ_IMAGE or image is not None:
            return None
        image = obj
    if image is None:
        return None
    left, bottom, right, top = image.get_bounds()
    crop = page.get_cropbox()
    pw, ph = crop[2] - crop[0], crop[3] - crop[1]
    iw = max(0.0, min(right, crop[2]) - max(left, crop[0]))
    ih = max(0.0, min(top, crop[3]) - max(bottom, crop[1]))
    if pw <= 0 or ph <= 0 or iw * ih < MIN_COVER * pw * ph:
        return None
    return image


def _axis_aligned(m: tuple[float, ...]) -> bool:
    a, b, c, d = m[:4]
    return abs(b) <= ALIGN_TOLERANCE * max(abs(a), 1e-9) and abs(c) <= ALIGN_TOLERANCE * max(abs(d), 1e-9) or \
        abs(a) <= ALIGN_TOLERANCE * max(abs(b), 1e-9) and abs(d) <= ALIGN_TOLERANCE * max(abs(c), 1e-9)


def _orient(pixels: np.ndarray, m: tuple[float, ...], page_rotation: int) -> np.ndarray:
    """Image samples (row 0 = top of image space) → the page as shown (device space, y down).

    The placement matrix maps image columns to (a, b) and rows (downwards) to (-c, -d) in PDF
    space (y up); in device space that is (a, -b) and (-c, d). Then the page's /Rotate."""
    a, b, c, d = m[:4]
    col = (a, -b)
    row = (-c, d)
    if abs(col[0]) >= abs(col[1]):  # columns run horizontally: no transpose
        out = pixels
        if col[0] < 0:
            out = out[:, ::-1]
        if row[1] < 0:
            out = out[::-1, :]
    else:
        out = pixels.T  # axis 0 now follows image columns (vertical on the page)
        if col[1] < 0:
            out = out[::-1, :]
        if row[0] < 0:
            out = out[:, ::-1]
    if page_rotation % 360:
        out = np.rot90(out, k=-(page_rotation // 90))  # /Rotate turns the page clockwise
    return np.ascontiguousarray(out)


def _pdf_page(page, max_pixels: int) -> tuple[np.ndarray, int]:
    image = _single_image(page)
    if image is not None:
        pw, ph = image.get_px_size()
        if pw * ph > max_pixels:
            raise too_big(pw, ph, max_pixels, "embedded image")
        left, bottom, right, top = image.get_bounds()
        matrix = image.get_matrix().get()
        # native resolution along the image's own width (robust for any placement angle)
        a, b, c, d = matrix[:4]
        width_in = math.hypot(a, b) / 72
        native_dpi = pw / width_in if width_in > 0 else RENDER_DPI
        if _axis_aligned(matrix):
            return _extract(image, matrix, page.get_rotation(), right - left, top - bottom)
        # placed at an angle (e.g. skew.pdf): render as shown, at the image's own resolution
        return _render(page, min(max(native_dpi, 72), MAX_DPI), max_pixels)
    return _render(page, RENDER_DPI, max_pixels)


def _extract(image, matrix, rotation: int, width_pt: float, height_pt: float) -> tuple[np.ndarray, int]:
    meta = image.get_metadata()
    bitmap = image.get_bitmap(render=False)
    try:
        pixels = _detached(bitmap, meta.colorspace == 0 and meta.bits_per_pixel == 1)
    finally:
        _close(bitmap)
    pixels = _orient(pixels, matrix, rotation)
    h, w = pixels.shape
    if rotation % 180:
        width_pt, height_pt = height_pt, width_pt
    xdpi = w / (width_pt / 72)
    ydpi = h / (height_pt / 72)
    return cap_dpi(square(pixels, xdpi, ydpi), xdpi)


def _detached(bitmap, stencil: bool = False) -> np.ndarray:
    """The bitmap's pixels as grey, in memory of their own (the bitmap is closed after)."""
    pixels = bitmap.to_numpy()
    if pixels.ndim == 3:
        return cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY if pixels.shape[2] == 3 else cv2.COLOR_BGRA2GRAY)
    if stencil:
        return 255 - pixels  # a stencil mask: pdfium gives coverage (255 = painted)
    return np.array(pixels, copy=True)


def _close(bitmap) -> None:
    """Now, under ``PDFIUM``, not later by a finaliser on another thread. The pixels were copied
    (``_detached``), so pypdfium2's warning about freeing a buffer still in use does not apply."""
    bitmap.warn_on_close = False
    bitmap.close()


def _render(page, dpi: float, max_pixels: int) -> tuple[np.ndarray, int]:
    w_pt, h_pt = page.get_size()  # /Rotate already applied
    w, h = round(w_pt / 72 * dpi), round(h_pt / 72 * dpi)
    if w * h > max_pixels:
        raise too_big(w, h, max_pixels, f"page rendered at {round(dpi)} dpi")
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        pixels = _detached(bitmap)
    finally:
        _close(bitmap)
    return pixels, int(round(dpi))
