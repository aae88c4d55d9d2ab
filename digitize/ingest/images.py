"""Image files (TIFF, PNG, JPEG; multi-page TIFF) → grey pages, one frame decoded at a time.

PIL opens the file lazily (header only) with its own decompression-bomb check lifted for that
call, because ingest checks every frame's size against ``max_pixels`` itself before decoding it.
Any mode becomes 2-D uint8, 0 black .. 255 white; the header's resolution is judged by
``ingest.resolution``. A frame's EXIF Orientation tag (phones store the pixels as the sensor lay
and say how to turn them) is applied as PIL's ``ImageOps.exif_transpose`` would; the page keeps
the tag it applied (``exif_orientation``) for its page record. Every format is turned here: PIL's TIFF
reader would apply the tag itself while loading, and for the quarter-turns (5..8) it decodes the
strips at the turned size (Pillow 13: the pixels come out scrambled), so a TIFF frame's tag is
taken off before it is decoded (``_stored_orientation``).
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


EXIF_ORIENTATION = 0x0112

# tag -> the numpy form of PIL's transpose for it (ImageOps.exif_transpose); 5..8 swap the axes
_TRANSPOSE = {
    2: lambda a: a[:, ::-1],  # FLIP_LEFT_RIGHT
    3: lambda a: a[::-1, ::-1],  # ROTATE_180
    4: lambda a: a[::-1, :],  # FLIP_TOP_BOTTOM
    5: lambda a: a.T,  # TRANSPOSE
    6: lambda a: np.rot90(a, -1),  # ROTATE_270 (a quarter-turn clockwise)
    7: lambda a: a[::-1, ::-1].T,  # TRANSVERSE
    8: lambda a: np.rot90(a, 1),  # ROTATE_90 (a quarter-turn counter-clockwise)
}


def exif_orientation(im) -> int:
    """The frame's EXIF Orientation tag (1..8), 0 when absent or unreadable."""
    try:
        tag = int(im.getexif().get(EXIF_ORIENTATION, 0) or 0)
    except Exception:  # a damaged EXIF block: the pixels are read as stored
        return 0
    return tag if 1 <= tag <= 8 else 0


def _stored_orientation(im) -> None:
    """A TIFF frame decoded as stored: its Orientation tag removed before ``load`` and its size the
    header's ImageWidth x ImageLength (PIL reports the turned size for tags 5..8)."""
    im.tag_v2.pop(EXIF_ORIENTATION, None)
    im.getexif().pop(EXIF_ORIENTATION, None)
    width, length = im.tag_v2.get(256), im.tag_v2.get(257)
    if width and length:
        im._size = (int(width), int(length))  # PIL's own attribute: no public setter


def exif_transpose(grey: np.ndarray, tag: int) -> np.ndarray:
    """The pixels turned/flipped as the Orientation tag says (1 and 0: as stored)."""
    turn = _TRANSPOSE.get(tag)
    return grey if turn is None else np.ascontiguousarray(turn(grey))


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
            orientation = exif_orientation(im)
            if orientation > 1 and im.format == "TIFF":
                _stored_orientation(im)
            try:
                im.load()
                grey = to_grey(im)
            except (OSError, ValueError, SyntaxError) as exc:
                raise IngestError(f"truncated or damaged image (page {index + 1}): {one_line(exc)}") from None
            if orientation >= 5:  # a quarter-turn: the header's x and y resolutions swap with the axes
                xd, yd, header = yd, xd, (header[1], header[0])
            grey = exif_transpose(grey, orientation)
            if not known and header[0] > 0:
                grey = square(grey, header[0], header[1])  # the header's aspect may still be right
            grey, dpi = cap_dpi(square(grey, xd, yd), xd)
            page = PageImage(number=index + 1, image=grey, dpi=dpi, source=f"{path}#{index + 1}", dpi_known=known,
                             header_dpi=round(header[0], 3), exif_orientation=orientation if orientation > 1 else 0)
            yield page
            del grey
