"""Helpers on page arrays that the steps share: a band of rows at a time, reduced copies, odd sizes.

Working a page in bands of ``BAND_PIXELS`` keeps the temporaries (floats, 64-bit indices) to a
band instead of a page; ``reduced`` gives the small copies the estimates run on.
"""

from __future__ import annotations

import cv2
import numpy as np


def odd(value: float) -> int:
    n = max(3, int(round(value)))
    return n if n % 2 else n + 1


BAND_PIXELS = 1 << 19  # pixels of a band of the page worked at once (as floats: 2 MiB)


def strips(shape: tuple[int, ...], pixels: int = BAND_PIXELS):
    """Slices of rows covering an array of ``shape`` about ``pixels`` at a time."""
    h = shape[0]
    w = max(1, int(np.prod(shape[1:])))
    step = max(1, pixels // w)
    for a in range(0, h, step):
        yield slice(a, min(h, a + step))


def lookup(table: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``np.take(table, labels)`` a band of rows at a time: numpy turns 16-bit labels into 64-bit
    indices first (8 bytes a pixel of the whole page)."""
    out = np.empty(labels.shape, table.dtype)
    for rows in strips(labels.shape):
        np.take(table, labels[rows], out=out[rows])
    return out


def reduced(image: np.ndarray, dpi: int, to_dpi: int) -> tuple[np.ndarray, float]:
    """A copy at ``to_dpi`` (never enlarged), and the factor. Each side keeps at least one pixel:
    a page of 1 × 1 or 60,000 × 1 pixels made a size of 0 and a traceback."""
    factor = min(1.0, to_dpi / max(dpi, 1))
    if factor >= 1.0 or image.size == 0:
        return image, 1.0
    h, w = image.shape[:2]
    if round(w * factor) >= 1 and round(h * factor) >= 1:  # (by factor: the same pixels as ever)
        return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), factor
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), factor
