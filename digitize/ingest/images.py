"""Image files (TIFF, PNG, JPEG; multi-page TIFF) → grey pages, one frame decoded at a time.

PIL opens the file lazily (header only) with its own decompression-bomb check lifted for that
call, because ingest checks every frame's size against ``max_pixels`` itself before decoding it.
Any mode becomes 2-D uint8, 0 black .. 255 white; the header's resolution is judged by
``ingest.resolution``.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from pathlib import Path
from typing import Iterator

import numpy as np

from ..model import PageImage
from .checks import IngestError, one_line, too_big
from .resolution import cap_dpi, header_dpi, image_dpi, square


@contextlib.contextmanager
def open_image(path: Path):
    """PIL image opened lazily (header only), with PIL's own bomb check replaced by ours."""
    from PIL import Image, UnidentifiedImageError

    with _PIL_OPEN:  # the limit is a module global: two threads switching it would race
        im = _open_unlimited(path, Image, UnidentifiedImageError)
    try:
        yield im
    finally:
        im.close()


# PIL's bomb check is a module global (``Image.MAX_IMAGE_PIXELS``) that open_image lifts for one
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
                raise IngestError(f"damaged image: {one_line(exc)}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    return im


def image_pages(path: Path) -> int:
    """The number of frames, from the header."""
    with open_image(path) as im:
        return int(getattr(im, "n_frames", 1))


def to_grey(im) -> np.ndarray:
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


def iter_image(path: Path, max_pixels: int, default_dpi: int, first: int, last: int | None) -> Iterator[PageImage]:
    with open_image(path) as im:
        frames = int(getattr(im, "n_frames", 1))
        last = frames if last is None else min(last, frames)
        for index in range(first - 1, last):
            try:
                im.seek(index)
            except EOFError:
                raise IngestError(f"truncated image: page {index + 1} of {frames} is missing") from None
            w, h = im.size
            if w * h > max_pixels:
                raise too_big(w, h, max_pixels)
            xd, yd, known = image_dpi(im, default_dpi)
            header = header_dpi(im)
            try:
                im.load()
                grey = to_grey(im)
            except (OSError, ValueError, SyntaxError) as exc:
                raise IngestError(f"truncated or damaged image (page {index + 1}): {one_line(exc)}") from None
            if not known and header[0] > 0:
                grey = square(grey, header[0], header[1])  # the header's aspect may still be right
            grey, dpi = cap_dpi(square(grey, xd, yd), xd)
            yield PageImage(number=index + 1, image=grey, dpi=dpi, source=f"{path}#{index + 1}", dpi_known=known,
                            header_dpi=round(header[0], 3))
            del grey
