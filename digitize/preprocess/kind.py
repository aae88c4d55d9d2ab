"""What the page is: bilevel, clean grey, grey or inverted, and how noisy its paper is.

``preprocess`` chooses the chain from this: a clean grey page is read plain, a grey one gets
the whole chain, an inverted one (light text on a dark ground) is inverted first.
"""

from __future__ import annotations

import cv2
import numpy as np


CLEAN_PAPER = 238  # paper at least this white (median of the background): a clean grey page
INVERTED_BELOW = 100  # page median below this: light text on a dark ground


def page_kind(image: np.ndarray, bilevel_scan: bool) -> tuple[str, float]:
    """``bilevel`` | ``clean-grey`` | ``grey`` | ``inverted``, and the paper's grey level.

    A grey page on clean white paper (born-digital renderings, good scanners; magazines with
    photos and tint boxes) is read as it is: background division and Sauvola turn photos and
    tints into noise and wipe light text on them (0.28 word error against the raw engine's 0.04
    on such pages). Uneven light, dark or yellowed paper and noisy JPEGs (``grey``) get the whole
    chain, which is what brings the synthetic ``poor`` set from 27 % to under 5 %; where it
    makes a real page worse, the harm guard (``digitize.readings``) keeps a plainer reading."""
    sample = image[::4, ::4]
    median = float(np.median(sample))
    if median < INVERTED_BELOW and _centre_median(image) < INVERTED_BELOW:
        return "inverted", median
    if bilevel_scan:
        return "bilevel", 255.0
    small = cv2.resize(image, (max(1, image.shape[1] // 16), max(1, image.shape[0] // 16)),
                       interpolation=cv2.INTER_AREA)
    paper = float(np.median(cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))))
    return ("clean-grey" if paper >= CLEAN_PAPER and noise_level(image, paper) < NOISY else "grey"), paper


def _centre_median(image: np.ndarray) -> float:
    """The median of the middle half of the page (rows and columns): a light page lying on a dark
    ground (a scanner lid or a book's edge thresholded black around the leaf) is dark by area but
    light where its text is; a page of light text on a dark ground (a slide) is dark there too."""
    h, w = image.shape[:2]
    return float(np.median(image[h // 4: h - h // 4: 4, w // 4: w - w // 4: 4]))


NOISY = 3.0  # grey levels of pixel noise on the paper above which a page is not "clean"


def noise_level(image: np.ndarray, paper: float) -> float:
    """Mean deviation of paper pixels from their 3x3 median (a strip of the page): ~0-1 on
    clean paper, 5-15 on scanner noise and JPEG artefacts."""
    h = image.shape[0]
    strip = np.ascontiguousarray(image[h // 3: h // 3 + max(8, h // 6)])
    diff = cv2.absdiff(strip, cv2.medianBlur(strip, 3))
    on_paper = strip > paper - 40
    return float(diff[on_paper].mean()) if on_paper.any() else 0.0


def is_bilevel(image: np.ndarray) -> bool:
    sample = image[::7, ::7]
    return bool(np.count_nonzero((sample > 0) & (sample < 255)) < 0.001 * sample.size)


def ink_ratio(image: np.ndarray) -> float:
    """Share of dark pixels (sampled; exact enough for drawing detection)."""
    sample = np.asarray(image)[::2, ::2]
    return float(np.count_nonzero(sample < 128)) / max(1, sample.size)
