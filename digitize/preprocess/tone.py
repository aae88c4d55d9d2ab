"""Tone: the paper made white, the page binarised, the engine's image from the ink mask.

Background division first, so every threshold sees white paper; Sauvola then thresholds each
pixel against its neighbourhood, so noise on empty paper stays white and faint text black
(Tesseract's own global Otsu threshold lands inside the noise on such pages). The engine gets
the ink at its grey level on white paper (``keep_grey_ink``); a bilevel scan is blurred first
(``smooth_bilevel``) and thresholded at a fixed level. ``bilevel`` gives the mask stored as G4.
"""

from __future__ import annotations

import cv2
import numpy as np

from .arrays import BAND_PIXELS, odd, reduced, strips


SAUVOLA_K = 0.2
SAUVOLA_R = 128.0
SAUVOLA_WINDOW_IN = 0.12  # window side in inches (~37 px at 300 dpi): about two text lines
BILEVEL_SIGMA = 0.8  # blur of bilevel scans, in pixels at 300 dpi
BILEVEL_INK_LEVEL = 176  # ink mask of a smoothed bilevel scan (see threshold_smoothed)


def normalize_background(image: np.ndarray, dpi: int) -> np.ndarray:
    """Divide by the paper's brightness (text removed by a closing at ~38 dpi, then smoothed):
    shadows, lamp fall-off and yellowed paper become white, ink keeps its contrast."""
    small, factor = reduced(image, dpi, 38)
    if factor >= 1.0:
        small = image
    k = 7  # ~5 mm at 38 dpi: wider than any stroke of body text
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    background = cv2.medianBlur(background, 5)
    background = cv2.GaussianBlur(background, (0, 0), 1.5)
    h, w = image.shape
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    # very dark "paper" is a picture or a border: do not blow its noise up to full contrast
    np.maximum(background, 96, out=background)
    return cv2.divide(image, background, scale=255)


def binarize(image: np.ndarray, dpi: int, method: str) -> np.ndarray:
    """0/255 image: ``sauvola`` | ``adaptive`` (local mean) | ``otsu`` (global)."""
    if method == "sauvola":
        return sauvola(image, window=odd(dpi * SAUVOLA_WINDOW_IN), k=SAUVOLA_K)
    if method == "adaptive":
        return cv2.adaptiveThreshold(image, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                     odd(dpi * SAUVOLA_WINDOW_IN * 1.5), 15)
    if method == "otsu":
        _, bw = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        return bw
    raise ValueError(f"unknown binarisation {method!r}")


def threshold_smoothed(image: np.ndarray) -> np.ndarray:
    """Ink mask of a bilevel scan after ``smooth_bilevel`` and deskewing: every pixel the blur
    darkened past ~70 % of white (the mask Sauvola gives on such pages lies between 160 and 190)."""
    _, bw = cv2.threshold(image, BILEVEL_INK_LEVEL, 255, cv2.THRESH_BINARY)
    return bw


def sauvola(image: np.ndarray, window: int = 37, k: float = SAUVOLA_K, r: float = SAUVOLA_R) -> np.ndarray:
    """Sauvola's threshold T = m·(1 + k·(s/R − 1)) over a ``window``² neighbourhood.

    Mean and variance come from box filters (integral images inside OpenCV), computed on a
    half-size copy: the threshold surface is smooth at that scale, and it halves the cost.

    Memory: the surface is computed in place on the half-size copy, and brought to full size
    and compared a band of rows at a time when that gives the same pixels (see
    ``_enlarge_compare``): a 12,000 × 12,000 page needed 1.8 GB here (two full-size float
    copies), now about three half-size float copies."""
    h, w = image.shape
    half = cv2.resize(image, ((w + 1) // 2, (h + 1) // 2), interpolation=cv2.INTER_AREA).astype(np.float32)
    win = max(3, window // 2) | 1
    mean = cv2.boxFilter(half, cv2.CV_32F, (win, win), borderType=cv2.BORDER_REFLECT)
    sq = cv2.sqrBoxFilter(half, cv2.CV_32F, (win, win), borderType=cv2.BORDER_REFLECT)
    del half
    # the same operations, in the same order and precision, as
    # mean * (1 + k * (sqrt(max(sq - mean * mean, 0)) * (1 / r) - 1)), without a temporary page
    for rows in strips(sq.shape):
        m, t = mean[rows], sq[rows]
        np.subtract(t, m * m, out=t)
        cv2.max(t, 0, dst=t)
        cv2.sqrt(t, dst=t)
        np.multiply(t, 1.0 / r, out=t)
        np.subtract(t, 1.0, out=t)
        np.multiply(k, t, out=t)
        np.add(1.0, t, out=t)
        np.multiply(m, t, out=t)
    del mean
    return _enlarge_compare(image, sq)


def _enlarge_compare(image: np.ndarray, surface: np.ndarray, whole_up_to: int = 0) -> np.ndarray:
    """``cv2.compare(image, resize(surface, image's size, INTER_LINEAR), CMP_GT)`` for a
    half-size float ``surface``, without the full-size float copies (4 bytes a pixel each).

    When the image has an even number of rows (columns), the surface has exactly half as many
    and each output row's source position is ``y / 2 - 0.25``, for a band of rows as for the
    whole: a band is enlarged from its source rows and one more on each side and trimmed, which
    gives the same values as enlarging the whole. With both sides odd, and for pages up to
    ``whole_up_to`` pixels (the tests compare both ways), the whole page at once."""
    h, w = image.shape
    sh, sw = surface.shape
    out = np.empty((h, w), np.uint8)
    by_rows = h == 2 * sh
    if not (by_rows or w == 2 * sw) or h * w <= whole_up_to:
        threshold = cv2.resize(surface, (w, h), interpolation=cv2.INTER_LINEAR)
        return cv2.compare(image.astype(np.float32), threshold, cv2.CMP_GT)
    n, size = (sh, h) if by_rows else (sw, w)
    step = max(1, BAND_PIXELS // (2 * (w if by_rows else h)))  # surface rows (columns) a band
    for a in range(0, n, step):
        b = min(n, a + step)
        lo, hi = max(0, a - 1), min(n, b + 1)  # one more source row each side (edges: as the whole)
        src = surface[lo:hi] if by_rows else surface[:, lo:hi]
        dsize = (w, 2 * (hi - lo)) if by_rows else (2 * (hi - lo), h)
        band = cv2.resize(src, dsize, interpolation=cv2.INTER_LINEAR)
        cut = slice(2 * (a - lo), 2 * (a - lo) + 2 * (b - a))
        if by_rows:
            out[2 * a:2 * b] = cv2.compare(image[2 * a:2 * b].astype(np.float32), band[cut], cv2.CMP_GT)
        else:
            out[:, 2 * a:2 * b] = cv2.compare(image[:, 2 * a:2 * b].astype(np.float32), band[:, cut], cv2.CMP_GT)
    return out


def smooth_bilevel(image: np.ndarray, dpi: int, how: str) -> np.ndarray:
    """Noise in a thresholded scan: ``median`` removes salt and pepper along the strokes,
    ``blur`` turns jagged edges back into grey ones for the LSTM."""
    if how == "median":
        return cv2.medianBlur(image, 3)
    return cv2.GaussianBlur(image, (0, 0), BILEVEL_SIGMA * dpi / 300)


def keep_grey_ink(grey: np.ndarray, bw: np.ndarray, in_place: bool = False) -> np.ndarray:
    """Paper white, ink pixels at their grey level: Tesseract's LSTM reads grey line images, and
    anti-aliased strokes recognise better than thresholded ones on blurred low-resolution scans.
    Only for grey scans: a bilevel scan gains nothing from the grey edges deskewing leaves.
    ``in_place``: written into ``bw`` (``preprocess`` owns its mask), a band of rows at a time."""
    # bw is 0/255, so max(min(grey, 200), bw) is exactly that, without numpy's temporaries
    if not in_place:
        return cv2.max(cv2.min(grey, 200), bw)
    for rows in strips(bw.shape):
        band = bw[rows]
        cv2.max(cv2.min(grey[rows], 200), band, dst=band)
    return bw


def bilevel(image: np.ndarray, level: int = 255) -> np.ndarray:
    """The bilevel page behind a prepared image (paper is exactly 255, everything else is ink;
    a plain grey page: below its Otsu ``level``): what to store as CCITT G4 beside the OCR
    results; word boxes are the same pixels."""
    image = np.asarray(image)
    if image.dtype == np.uint8 and 1 <= level <= 255 and level == int(level):
        return cv2.threshold(image, int(level) - 1, 255, cv2.THRESH_BINARY)[1]  # 255 where >= level
    return np.where(image < level, np.uint8(0), np.uint8(255))
