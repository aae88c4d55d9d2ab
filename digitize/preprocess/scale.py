"""The resolution to recognise a page at, from its header and from the x-height of its letters.

Tesseract's LSTM reads body text best at an x-height of about 20-30 px. The header's dpi is
believed when the ink agrees with it; otherwise (no header, a software default such as 96 dpi,
a header the ink contradicts) the page is scaled only when its x-height is outside
``MIN_XHEIGHT``..``MAX_XHEIGHT``.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from ..labelling import label
from ..model import PageImage
from ..settings.engine import PreprocessSettings
from .arrays import odd
from .kind import NOISY, is_bilevel, noise_level


TARGET_XHEIGHT = 22  # px: Tesseract's LSTM reads body text best at an x-height of ~20-30 px
MIN_XHEIGHT = 14  # smaller text is scaled up to TARGET_XHEIGHT (at most MAX_UPSCALE times)
MAX_XHEIGHT = 48  # larger text is scaled down to DOWN_XHEIGHT (600-dpi scans: 4x fewer pixels)
DOWN_XHEIGHT = 30
MAX_UPSCALE = 3.0
BODY_XHEIGHT_IN = 0.07  # x-height of 10-11 pt body text (~5 pt), to turn an x-height into dpi
AGREE = 2.0  # the header's dpi is believed when the ink's estimate is within this factor of it
MIN_LETTERS = 40  # fewer letter-like components: no estimate (drawings, empty pages)
MIN_LETTERS_AGAINST_HEADER = 500  # a measured header is overruled only on this much evidence
# Tesseract's lowest credible resolution: told it, the engine estimates the page's resolution from
# its own text lines (the raw CLI's "Estimating resolution as N" for a file without one).
ENGINE_ESTIMATES = 70


def letter_marks(image: np.ndarray, noisy: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The connected components of a page that look like lower-case letters without ascenders:
    their heights and areas (at the scale measured: large pages at half size, ``factor`` 2) and
    their centres (x, y) in the page's own pixels; returns (heights, areas, centres, factor).

    A local threshold (uneven light and tints do not merge letters into blobs) after a median that
    removes single-pixel noise; a letter is as wide as about half to one and a half times its
    height, not a solid block, not a hairline."""
    h, w = image.shape[:2]
    factor = 1
    if h * w > 20_000_000:
        factor = 2
        image = cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    block = odd(max(31, w // (60 * factor)))
    bw = cv2.adaptiveThreshold(cv2.medianBlur(image, 5 if noisy else 3), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                               block, 12)
    _, _, stats, centroids = label(bw)
    cw, ch, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    ok = (ch >= 6) & (ch <= 250) & (cw >= 0.4 * ch) & (cw <= 1.6 * ch) & \
        (area >= 0.2 * cw * ch) & (area <= 0.85 * cw * ch)
    return ch[ok], area[ok], centroids[1:][ok] * factor, factor


def estimate_xheight(image: np.ndarray, noisy: bool = False) -> tuple[int, int]:
    """The page's x-height in pixels from its letters (``letter_marks``), and how many letter-like
    marks it rests on ((0, n) when there are too few): the most common height, as most letters of
    running text are ``a c e m n o r s u v w x z``."""
    heights, areas, _, factor = letter_marks(image, noisy)
    if len(heights) < MIN_LETTERS:
        return 0, int(len(heights))
    # weighted by ink: specks of noise are many but small, letters carry the ink
    hist = np.bincount(heights, weights=areas).astype(np.float64)
    smooth = np.convolve(hist, [1.0, 2.0, 3.0, 2.0, 1.0], mode="same")
    return int(np.argmax(smooth)) * factor, int(len(heights))


def decide_scale(image: np.ndarray, page: PageImage, settings: PreprocessSettings) -> dict:
    """The page's resolution and the one to recognise it at, from the header and the ink.

    The header is believed when the ink agrees with it (within ``AGREE``); then the tuned header
    rule applies (scans below ``rescale_below_dpi`` go to ``target_dpi``), unless that would make
    the text larger than the engine needs. Otherwise (no header, a software default such as a
    PNG's 96.012 dpi, or a header the ink contradicts) the resolution comes from the ink, and the
    page is scaled only when its x-height is outside MIN_XHEIGHT..MAX_XHEIGHT: a 2000-px page
    marked 96 dpi is not blown up 3x to "300 dpi"."""
    header = float(page.header_dpi or (page.dpi if page.dpi_known else 0))
    dpi = int(page.dpi) or settings.default_dpi
    noisy = not is_bilevel(image) and noise_level(image, float(np.median(image[::8, ::8]))) >= NOISY
    xh, letters = estimate_xheight(image, noisy)
    out = {"header_dpi": round(header, 3), "header_trusted": bool(page.dpi_known), "x_height": xh,
           "letters": letters}
    if page.exif_orientation:  # ingest turned the pixels as the file's EXIF tag said
        out["exif_orientation"] = int(page.exif_orientation)
    estimate = int(round(xh / BODY_XHEIGHT_IN)) if xh else 0
    out["estimated_dpi"] = estimate
    agrees = page.dpi_known and estimate and 1 / AGREE <= estimate / dpi <= AGREE
    if page.dpi_known and xh and not agrees and letters < MIN_LETTERS_AGAINST_HEADER:
        agrees = True  # a few lines on a noisy page: too little evidence against a real header
    if page.dpi_known and xh and not agrees and estimate < dpi:
        # A measured header is not scaled up on the ink's word: hatching and stipple in a drawing
        # read as thousands of tiny "letters" (CA 2944968 A1 p. 28: x-height 8 px, "114 dpi", a
        # 300-dpi G4 page blown up 2.75x to 66 Mpx and read as 211 words of noise; raw CLI: 15).
        # Headers that lie say too little (72/96-dpi defaults), not too much.
        agrees = True
    if not xh or agrees:
        new = rescale_dpi(dpi, settings.target_dpi, settings.rescale_below_dpi)
        if xh and new > dpi and xh * new / dpi > MAX_XHEIGHT:  # large print: no need to grow it
            new = dpi
        out.update(decision="header" if agrees else "header (no letters to measure)", source_dpi=dpi, dpi=new)
        if not xh and not page.dpi_known:
            # Neither the file nor the ink says the resolution (small grey print whose letters
            # touch: no letter-sized marks to measure): ``dpi`` is a guess, and the engine is
            # not told it. Told ENGINE_ESTIMATES, it measures the page from its own text
            # lines, as the raw CLI does for a file without a resolution.
            out["engine_dpi"] = ENGINE_ESTIMATES
        return out
    source = max(50, estimate)
    factor = 1.0
    if xh < MIN_XHEIGHT:
        factor = min(MAX_UPSCALE, TARGET_XHEIGHT / xh)
    elif xh > MAX_XHEIGHT:
        factor = DOWN_XHEIGHT / xh
    h, w = image.shape
    factor = min(factor, math.sqrt(settings.max_pixels / max(1, h * w)))
    new = int(round(source * factor)) if abs(factor - 1.0) > 0.05 else source
    why = "ink" if not page.dpi_known else "ink (header disagrees)"
    out.update(decision=why, source_dpi=source, dpi=new)
    # The engine is told the measured resolution, not the header's 96: tried on the real set,
    # telling it 96 (as the raw CLI does) won on two pages (table_10 0.118 vs 0.180) and lost more
    # on others (table_11 0.387 vs 0.047, chart_02 0.87 vs 0.46): aggregate 0.123 vs 0.115.
    return out


def rescale_dpi(dpi: int, target_dpi: int, rescale_below_dpi: int) -> int:
    """The resolution to work at: low scans go up to ``target_dpi``, very high ones come down."""
    if dpi < rescale_below_dpi or dpi > 1.9 * target_dpi:
        return target_dpi
    return dpi


def rescale(image: np.ndarray, factor: float) -> np.ndarray:
    h, w = image.shape
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    return cv2.resize(image, size, interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA)
