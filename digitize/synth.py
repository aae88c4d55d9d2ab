"""Synthetic scans whose text is known exactly: the truth for tests, demos and benchmarks.

Real scanned patents with gold text are rare; typeset publications are not. Rendering a PDF and
degrading it the way scanners and photocopiers do gives page images with per-page truth (the PDF
text layer). Three levels, fixed by a seed so every run sees the same pixels:

* ``clean``  - bilevel 300 dpi, as a good production scanner gives;
* ``office`` - ±1.5° skew, blur, noise, speckles, bilevel (stored as CCITT G4);
* ``poor``   - 200 dpi, 1.5-3.5° skew, uneven illumination, noise, JPEG quality ~55.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

LEVELS = ("clean", "office", "poor")
A4_INCHES = (8.27, 11.69)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
)


def render_pdf(pdf_path: Path | str, dpi: int = 300, pages: Iterable[int] | None = None) -> Iterator[tuple[int, np.ndarray, str]]:
    """Yield ``(page_number, grey image, text layer)`` for each (1-based) page, one at a time."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        wanted = list(pages) if pages is not None else range(1, len(pdf) + 1)
        for number in wanted:
            page = pdf[number - 1]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = np.array(bitmap.to_pil().convert("L"))
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            yield number, image, text.replace("\r\n", "\n").replace("\r", "\n")
    finally:
        pdf.close()


def _rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _speckles(image: np.ndarray, rng: np.random.Generator, count: int, max_radius: int) -> np.ndarray:
    out = image.copy()
    h, w = out.shape
    for _ in range(count):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        cv2.circle(out, (x, y), int(rng.integers(1, max_radius + 1)), 0, -1)
    return out


def degrade(image: np.ndarray, level: str, seed: int, dpi: int = 300) -> tuple[np.ndarray, int]:
    """Degrade a clean grey render; returns the new image and its resolution."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    rng = np.random.default_rng(seed)
    if level == "clean":
        return np.where(image < 160, 0, 255).astype(np.uint8), dpi
    if level == "office":
        out = _rotate(image, float(rng.uniform(-1.5, 1.5)))
        out = cv2.GaussianBlur(out, (0, 0), 0.7)
        noise = rng.normal(0, 14, out.shape)
        out = np.clip(out.astype(np.float32) + noise, 0, 255)
        out = np.where(out < 150, 0, 255).astype(np.uint8)
        out = _speckles(out, rng, count=int(out.size / 60_000), max_radius=2)
        return out, dpi
    # poor
    new_dpi = 200
    scale = new_dpi / dpi
    out = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    angle = float(rng.uniform(1.5, 3.5)) * (1 if rng.random() < 0.5 else -1)
    out = _rotate(out, angle)
    h, w = out.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / np.hypot(w, h)
    light = 1.0 - 0.45 * dist  # darker away from the lamp
    out = out.astype(np.float32) * light + 25 * (1 - light)
    out = cv2.GaussianBlur(out, (0, 0), 0.8)
    out += rng.normal(0, 16, out.shape)
    out = np.clip(out, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 55])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE), new_dpi


def _pil_pages(images: Iterable[np.ndarray]) -> list[Image.Image]:
    out = []
    for im in images:
        pil = Image.fromarray(im)
        if set(np.unique(im[:: max(1, im.shape[0] // 200)]).tolist()) <= {0, 255}:
            pil = pil.convert("1")
        out.append(pil)
    return out


def write_tiff(images: Iterable[np.ndarray], path: Path | str, dpi: int) -> Path:
    """Multi-page TIFF: CCITT G4 for bilevel pages, LZW otherwise."""
    pages = _pil_pages(images)
    compression = "group4" if all(p.mode == "1" for p in pages) else "tiff_lzw"
    if compression == "tiff_lzw":
        pages = [p.convert("L") for p in pages]
    pages[0].save(str(path), format="TIFF", save_all=True, append_images=pages[1:], compression=compression,
                  dpi=(dpi, dpi))
    return Path(path)


def write_pdf(images: Iterable[np.ndarray], path: Path | str, dpi: int) -> Path:
    """An image-only PDF, one image per page, as a scanner would produce."""
    pages = [p.convert("L") for p in _pil_pages(images)]
    pages[0].save(str(path), format="PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return Path(path)


def font(size_px: int) -> ImageFont.FreeTypeFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size_px)
    return ImageFont.load_default(size=size_px)


def render_text_page(lines: list[str], *, dpi: int = 300, font_pt: float = 11.0, margin_in: float = 1.0,
                     line_spacing: float = 1.45) -> np.ndarray:
    """An A4 page with ``lines`` typeset top to bottom: fixtures whose truth is the lines."""
    w, h = int(A4_INCHES[0] * dpi), int(A4_INCHES[1] * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    size = int(font_pt / 72 * dpi)
    f = font(size)
    x = y = int(margin_in * dpi)
    for line in lines:
        if y + size > h - margin_in * dpi:
            break
        draw.text((x, y), line, font=f, fill=0)
        y += int(size * line_spacing)
    return np.array(img)
