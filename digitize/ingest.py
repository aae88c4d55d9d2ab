"""Ingest: input files → grey page images, one page in memory at a time.

    discover([Path("scans")])                       # the documents among the inputs
    page_count(Path("a.pdf"))                       # cheap: no page is decoded
    for page in iter_pages(Path("a.pdf"), max_pixels=150_000_000, default_dpi=300): ...

Scanned PDFs usually hold one image per page. Then the embedded image is taken at its native
resolution (pdfium decodes CCITT G4, JBIG2, JPEG and Flate, and applies decode arrays); its
placement on the page (a 90° multiple) and the page's ``/Rotate`` are applied, so the page comes
out the way a viewer shows it. Any other page (text, several images, an image placed at an angle)
is rendered with pdfium at 300 dpi (pdfium renders these pages about 3× faster than pdf2image/
poppler here: 54 vs 178 ms/page on ../shared/data/scans and EP pages).

PDFium is not thread-safe, not even across documents (pypdfium2's documentation: concurrent calls
"would crash or corrupt the process"), and a small job runs its pages on threads of one process
(``batch.run``), where the client also counts the next input's pages. Every PDFium call here is
made holding ``PDFIUM``, and every PDFium object is closed while it is held (a finaliser run later
by the garbage collector would call PDFium from whichever thread collects). Decoding a page is
~10–50 ms of a page's ~2 s, so the threads seldom wait.

Every size is checked against ``max_pixels`` from the file's header *before* anything is
decoded, so a file declaring 50,000 × 50,000 pixels fails in milliseconds instead of taking the
worker's memory. Errors are ``IngestError`` with a one-line reason a user can act on.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import threading
import warnings
from pathlib import Path
from typing import Callable, Iterator

import cv2
import numpy as np

from .errors import InputError
from .model import PageImage

PDF_EXTS = {".pdf"}
IMAGE_EXTS = {".tif", ".tiff", ".png", ".jpg", ".jpeg"}
SUPPORTED = PDF_EXTS | IMAGE_EXTS
# Files that sit beside scans but are never scans (ground truth, zone files, notes, our outputs):
# skipped when a folder is searched, instead of failing as "unsupported".
SIDECAR_EXTS = {".txt", ".uzn", ".xml", ".json", ".hocr", ".md", ".toml", ".csv", ".log", ".html",
                ".sqlite", ".sqlite-wal", ".sqlite-shm", ".db", ".ini", ".yaml", ".yml"}
SIDECAR_NAMES = {"thumbs.db", "desktop.ini"}

RENDER_DPI = 300  # pages that are not a single image
MAX_DPI = 600  # higher resolutions are reduced to this while decoding (2400-dpi scans exist)
MIN_COVER = 0.85  # a single image covering this share of the page is the page
ALIGN_TOLERANCE = 0.002  # |sin| of the placement angle still counted as axis-aligned (~0.1°)

PDFIUM = threading.RLock()  # one PDFium call at a time in a process (see the module's docstring)


class IngestError(InputError):
    """An input that cannot be read; the message is a one-line reason for the ledger."""


# --------------------------------------------------------------------------- discovery


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(".") or path.name.startswith("~$")


def _is_sidecar(path: Path) -> bool:
    return path.suffix.lower() in SIDECAR_EXTS or path.name.lower() in SIDECAR_NAMES


def not_input(path: Path) -> bool:
    """A file no search takes as an input: hidden (``.name``, ``~$name``) or an obvious sidecar
    (``.txt`` truth, ``.xml``, ...). ``discover`` and the hot folder skip these alike."""
    return _is_hidden(path) or _is_sidecar(path)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED


def _folder_pages(folder: Path) -> list[Path]:
    """The page images directly in ``folder`` (a folder document), in name order. PDFs beside
    them are documents of their own (``discover`` lists them separately)."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not _is_hidden(p) and p.suffix.lower() in IMAGE_EXTS)


def discover(inputs: list[Path], unit: str = "file", exclude: list[Path] | tuple = (),
             skip: Callable[[Path], bool] | None = None) -> list[Path]:
    """The documents among ``inputs`` (files and folders, searched recursively), sorted.

    ``unit="file"``: each PDF or image file is a document. ``unit="folder"``: each folder that
    directly holds page images is one document (returned as the folder); PDFs stay documents of
    their own. Unsupported files are returned too, so that they fail with a reason instead of
    vanishing; hidden files and obvious sidecars (``.txt`` truth, ``.xml``, …) are skipped.

    Folders in ``exclude`` (the run's output folder) and those ``skip`` says (the commands pass
    ``jobfolder.is_job_folder``: any job folder) are not searched: an output folder inside the
    input folder was read back as input on every re-run. Dangling and looping symbolic links and folders that cannot be
    listed are returned as they are, so that each gets a ledger row with the reason it cannot be
    read; symbolic links to folders are not followed (a warning gives their count)."""
    if unit not in ("file", "folder"):
        raise ValueError(f"unit must be 'file' or 'folder', got {unit!r}")
    skipped = {os.path.realpath(p) for p in exclude}
    found: set[Path] = set()
    linked_dirs = 0

    def excluded(folder: str) -> bool:
        return _left_out(Path(folder), skipped, skip) == "excluded"

    def unreadable(err: OSError) -> None:
        if err.filename:
            found.add(Path(err.filename))  # a folder that cannot be listed: its row says why

    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"input not found: {path}")
        if path.is_file():
            found.add(path)  # named explicitly: kept whatever it is, it fails with a reason
            continue
        if excluded(str(path)):
            continue
        for dirpath, dirnames, filenames in os.walk(path, onerror=unreadable):
            here = Path(dirpath)
            kept = []
            for d in sorted(dirnames):
                why = _left_out(here / d, skipped, skip)
                linked_dirs += why == "link"
                if why is None:
                    kept.append(d)
            dirnames[:] = kept
            files = [here / f for f in filenames]
            files = [f for f in files if not not_input(f)]
            broken = [f for f in files if f.is_symlink() and not _resolves(f)]
            files = [f for f in files if f.is_file()]
            found.update(broken)  # dangling or looping: recorded as failed with the reason
            if unit == "folder":
                images = [f for f in files if f.suffix.lower() in IMAGE_EXTS]
                if images:
                    found.add(here)
                found.update(f for f in files if f.suffix.lower() not in IMAGE_EXTS)
            else:
                found.update(files)
    if linked_dirs:
        import logging

        logging.getLogger("digitize").warning("%d symbolic link(s) to folders not followed (name the folders "
                                              "themselves to include them)", linked_dirs)
    return sorted(found)


def _left_out(folder: Path, skipped: set[str], skip: Callable[[Path], bool] | None) -> str | None:
    """Why a sub-folder is not searched ("excluded", "hidden", "link"), or None. An input folder
    named on the command line is searched unless excluded."""
    if os.path.realpath(folder) in skipped:
        return "excluded"
    try:
        if skip is not None and skip(folder):
            return "excluded"
    except OSError:  # a folder that cannot be read: walked, and recorded by ``unreadable``
        pass
    if folder.name.startswith("."):
        return "hidden"
    return "link" if os.path.islink(folder) else None


def searched(folder: Path, exclude: list[Path] | tuple = (), skip: Callable[[Path], bool] | None = None) -> bool:
    """Whether ``discover`` searches this sub-folder of an input folder: not hidden, not in
    ``exclude``, not one ``skip`` names, not a symbolic link. The hot folder watches the folders
    it will list by this same rule."""
    return _left_out(folder, {os.path.realpath(p) for p in exclude}, skip) is None


def _resolves(path: Path) -> bool:
    try:
        path.stat()
    except OSError:
        return False
    return True


# --------------------------------------------------------------------------- page count


def _check_file(path: Path) -> None:
    if not path.exists():
        raise FileNotFoundError(f"input not found: {path}")
    if path.is_dir():
        return
    if path.suffix.lower() not in SUPPORTED:
        kind = path.suffix.lower() or "(no extension)"
        raise IngestError(f"unsupported file type {kind}; supported: PDF, TIFF, PNG, JPEG")
    if path.stat().st_size == 0:
        raise IngestError("empty file (0 bytes)")


def page_count(path: Path) -> int:
    """Number of pages, read from headers only (also validates the file)."""
    path = Path(path)
    _check_file(path)
    if path.is_dir():
        return sum(page_count(p) for p in _folder_pages(path))
    if path.suffix.lower() in PDF_EXTS:
        with _open_pdf(path) as pdf, PDFIUM:
            return len(pdf)
    with _open_image(path) as im:
        return int(getattr(im, "n_frames", 1))


# --------------------------------------------------------------------------- pages


def iter_pages(path: Path, *, max_pixels: int, default_dpi: int, first: int = 1,
               last: int | None = None) -> Iterator[PageImage]:
    """Yield pages ``first..last`` (1-based, inclusive) as grey uint8 images, one at a time."""
    path = Path(path)
    _check_file(path)
    if path.is_dir():
        yield from _iter_folder(path, max_pixels, default_dpi, first, last)
    elif path.suffix.lower() in PDF_EXTS:
        yield from _iter_pdf(path, max_pixels, first, last)
    else:
        yield from _iter_image(path, max_pixels, default_dpi, first, last)


def _iter_folder(folder: Path, max_pixels: int, default_dpi: int, first: int, last: int | None) -> Iterator[PageImage]:
    offset = 0
    for f in _folder_pages(folder):
        n = page_count(f)
        lo, hi = max(first - offset, 1), n if last is None else min(last - offset, n)
        if lo <= hi:
            for page in _iter_image(f, max_pixels, default_dpi, lo, hi):
                page.number += offset
                yield page
        offset += n
        if last is not None and offset >= last:
            break


def _too_big(w: int, h: int, max_pixels: int, what: str = "image") -> IngestError:
    return IngestError(f"{what} of {w}x{h} pixels exceeds the limit of {max_pixels} (max_pixels)")


# --------------------------------------------------------------------------- images


@contextlib.contextmanager
def _open_image(path: Path):
    """PIL image opened lazily (header only), with PIL's own bomb check replaced by ours."""
    from PIL import Image, UnidentifiedImageError

    with _PIL_OPEN:  # the limit is a module global: two threads switching it would race
        im = _open_unlimited(path, Image, UnidentifiedImageError)
    try:
        yield im
    finally:
        im.close()


# PIL's bomb check is a module global (``Image.MAX_IMAGE_PIXELS``) that _open_image lifts for one
# call: threads of one process (the thread pool's workers, the client counting pages) take turns,
# or one thread's restore made another's open raise PIL's DecompressionBombError.
_PIL_OPEN = threading.Lock()


def _open_unlimited(path: Path, Image, UnidentifiedImageError):
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # our max_pixels guard runs on the header size instead
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                im = Image.open(path)
            except UnidentifiedImageError:
                kind = path.suffix.lower().lstrip(".").upper()
                raise IngestError(f"not a readable {kind} image (unknown or damaged format)") from None
            except OSError as exc:
                raise IngestError(f"damaged image: {_one_line(exc)}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    return im


_OBJECT_REPR = re.compile(r"<(?:[\w]+\.)*(\w+)(?: object)?(?: at)? 0x[0-9a-fA-F]+>")


def _one_line(exc: BaseException) -> str:
    """A library's message for a user: one line, no Python object addresses (``<PdfImage
    0x7f…>`` in PDFium's reason for an image it cannot decode, a JBIG2 one for instance)."""
    text = _OBJECT_REPR.sub(lambda m: "the page's image" if m.group(1) == "PdfImage" else "a PDF object", str(exc))
    return " ".join(text.split())[:200] or type(exc).__name__


SOFTWARE_DPI = (72.0, 96.0)  # what image software writes when nobody measured anything


def _image_dpi(im, default_dpi: int) -> tuple[float, float, bool]:
    """(x dpi, y dpi, known) from the file's header; implausible values count as unknown.

    72 and 96 dpi are software defaults, not measurements: PNG stores pixels per metre and 3780
    px/m is 96.012 dpi, which a scanner's 2000-px page (really ~240 dpi) carries. Such pages are
    "unknown" here, and preprocessing measures the scale from the ink (``estimate_scale``)."""
    dpi = im.info.get("dpi")
    if not dpi and "resolution" in im.info:  # TIFF without a unit: assume inches
        dpi = im.info["resolution"]
    try:
        xd, yd = (float(dpi[0]), float(dpi[1])) if dpi else (0.0, 0.0)
    except (TypeError, ValueError, IndexError):
        xd = yd = 0.0
    if yd <= 0:
        yd = xd
    w = im.size[0]
    # < 50 dpi is not a scan; 72/96 on a page wider than 20 inches is a software default
    if xd < 50 or (xd <= 96.5 and w / xd > 20) or any(abs(xd - d) < 0.1 for d in SOFTWARE_DPI) or xd > 10_000:
        return float(default_dpi), float(default_dpi), False
    return xd, yd, True


def _header_dpi(im) -> tuple[float, float]:
    """The header's (x, y) dpi as written, (0, 0) when absent or unreadable."""
    dpi = im.info.get("dpi") or im.info.get("resolution")
    try:
        xd = float(dpi[0]) if dpi else 0.0
        yd = float(dpi[1]) if dpi and len(dpi) > 1 else xd
    except (TypeError, ValueError, IndexError):
        return 0.0, 0.0
    return (xd, yd if yd > 0 else xd) if xd > 0 else (0.0, 0.0)


def _to_grey(im) -> np.ndarray:
    """Any PIL mode → 2-D uint8, 0 black .. 255 white (alpha composited on white)."""
    from PIL import Image

    mode = im.mode
    if mode == "1":  # from the packed bits: one byte a pixel once (convert("L") and asarray made three)
        w, h = im.size
        bits = np.frombuffer(im.tobytes("raw", "1"), np.uint8).reshape(h, (w + 7) // 8)
        grey = np.unpackbits(bits, axis=1, count=w)
        del bits
        return np.multiply(grey, 255, out=grey)
    if mode == "L":
        return np.asarray(im)
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        a = np.asarray(im, dtype=np.float64)
        lo, hi = float(a.min()), float(a.max())
        return ((a - lo) * (255.0 / (hi - lo or 1))).astype(np.uint8)
    if mode == "P":
        im = im.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "LA", "PA"):
        background = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, im.convert("RGBA"))
    return np.asarray(im.convert("L"))


def _iter_image(path: Path, max_pixels: int, default_dpi: int, first: int, last: int | None) -> Iterator[PageImage]:
    with _open_image(path) as im:
        frames = int(getattr(im, "n_frames", 1))
        last = frames if last is None else min(last, frames)
        for index in range(first - 1, last):
            try:
                im.seek(index)
            except EOFError:
                raise IngestError(f"truncated image: page {index + 1} of {frames} is missing") from None
            w, h = im.size
            if w * h > max_pixels:
                raise _too_big(w, h, max_pixels)
            xd, yd, known = _image_dpi(im, default_dpi)
            header = _header_dpi(im)
            try:
                im.load()
                grey = _to_grey(im)
            except (OSError, ValueError, SyntaxError) as exc:
                raise IngestError(f"truncated or damaged image (page {index + 1}): {_one_line(exc)}") from None
            if not known and header[0] > 0:
                grey = _square(grey, header[0], header[1])  # the header's aspect may still be right
            grey, dpi = _cap_dpi(_square(grey, xd, yd), xd)
            yield PageImage(number=index + 1, image=grey, dpi=dpi, source=f"{path}#{index + 1}", dpi_known=known,
                            header_dpi=round(header[0], 3))
            del grey


def _square(grey: np.ndarray, xdpi: float, ydpi: float) -> np.ndarray:
    """Non-square pixels (fax: 204 x 98 dpi) resampled vertically to the horizontal resolution."""
    if abs(xdpi - ydpi) <= 0.02 * xdpi:
        return grey
    h, w = grey.shape
    method = cv2.INTER_AREA if ydpi > xdpi else cv2.INTER_LINEAR
    return cv2.resize(grey, (w, max(1, round(h * xdpi / ydpi))), interpolation=method)


def _cap_dpi(grey: np.ndarray, dpi: float) -> tuple[np.ndarray, int]:
    """Reduce absurd resolutions to MAX_DPI (OCR gains nothing above it; memory does)."""
    if dpi <= MAX_DPI * 1.05:
        return grey, int(round(dpi))
    scale = MAX_DPI / dpi
    h, w = grey.shape
    small = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return small, MAX_DPI


# --------------------------------------------------------------------------- PDF


def _pages_by_pikepdf(path: Path) -> int | None:
    """The page count qpdf reads, or None when it cannot read the file either."""
    try:
        import pikepdf

        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001 - damaged for qpdf too: the caller's reason stands
        return None


@contextlib.contextmanager
def _open_pdf(path: Path):
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
            raise IngestError(f"truncated or damaged PDF: {_one_line(exc)}") from None
    try:
        yield pdf
    finally:
        with PDFIUM:
            pdf.close()


def _iter_pdf(path: Path, max_pixels: int, first: int, last: int | None) -> Iterator[PageImage]:
    """PDFium is held while a page is decoded, not while the caller works on it."""
    with _open_pdf(path) as pdf:
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
        raise IngestError(f"damaged PDF page {index + 1}: {_one_line(exc)}") from None
    try:
        return _pdf_page(page, max_pixels)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"damaged PDF page {index + 1}: {_one_line(exc)}") from None
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
            raise _too_big(pw, ph, max_pixels, "embedded image")
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
    return _cap_dpi(_square(pixels, xdpi, ydpi), xdpi)


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
        raise _too_big(w, h, max_pixels, f"page rendered at {round(dpi)} dpi")
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        pixels = _detached(bitmap)
    finally:
        _close(bitmap)
    return pixels, int(round(dpi))
