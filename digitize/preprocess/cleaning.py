"""Cleaning the bilevel page: black scanner borders and isolated speckles, one labelling pass.

Both are connected components of the ink: borders touch the page's edge and are long bands,
large solid areas or frames in the outer margin; speckles are small and far from larger ink
(i-dots, full stops and accents stay).
"""

from __future__ import annotations

import cv2
import numpy as np

from ..labelling import label
from .arrays import odd, strips


SPECKLE_AREA_IN2 = 3.0e-4  # isolated dots below this area (27 px at 300 dpi) are noise
SPECKLE_NEAR_IN = 0.1  # ... unless this close to larger ink (i-dots, colons, full stops, accents)


def remove_borders(bw: np.ndarray) -> np.ndarray:
    """Whiten black scanner borders: dark components touching the edge of the page that are
    long bands (over a third of a side), large solid areas, or frames lying (80 %) in the
    outer tenth of the page."""
    return clean(bw, 300, borders=True, speckles=False)


def remove_speckles(bw: np.ndarray, dpi: int) -> np.ndarray:
    """Remove small isolated dots (dust, scanner noise); dots near letters stay (i, j, ., :)."""
    return clean(bw, dpi, borders=False, speckles=True)


def clean(bw: np.ndarray, dpi: int, *, borders: bool = True, speckles: bool = True,
          in_place: bool = False) -> np.ndarray:
    """Borders and speckles from one connected-component pass over the bilevel page.
    ``in_place``: whiten them in ``bw`` itself (``preprocess`` owns its mask: no page copy; a
    0/255 mask is labelled inverted in place and turned back, instead of a copy of its ink)."""
    if in_place and bw.dtype == np.uint8 and bw.flags.c_contiguous and _only_0_255(bw):
        cv2.bitwise_not(bw, dst=bw)  # ink 255: the components of (bw < 128), the same labels
        try:
            n, labels, stats, centroids = label(bw)
        finally:
            cv2.bitwise_not(bw, dst=bw)
    else:
        n, labels, stats, centroids = label((bw < 128).view(np.uint8))
    if n <= 1:
        return bw
    drop = np.zeros(n, dtype=bool)
    if borders:
        drop |= _border_components(labels, stats, bw.shape)
    if speckles:
        drop |= _speckle_components(stats, centroids, dpi, bw.shape) & ~drop
    drop[0] = False
    if not drop.any():
        return bw
    out = bw if in_place else bw.copy()
    ids = np.flatnonzero(drop)
    if len(ids) > 2000 or stats[ids, cv2.CC_STAT_AREA].sum() > 0.02 * bw.size:
        for rows in strips(labels.shape):
            out[rows][np.take(drop, labels[rows])] = 255
        return out
    for i in ids:  # few small boxes: cheaper than a lookup over the whole page
        x, y, w, h = stats[i, :4]
        box = out[y:y + h, x:x + w]
        box[labels[y:y + h, x:x + w] == i] = 255
    return out


def _only_0_255(bw: np.ndarray) -> bool:
    """Every pixel 0 or 255 (a thresholded mask), checked a band at a time."""
    return all(not cv2.countNonZero(cv2.inRange(bw[rows], 1, 254)) for rows in strips(bw.shape))


def _border_components(labels: np.ndarray, stats: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    h, w = shape
    n = len(stats)
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    cw, ch, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    touches = (x == 0) | (y == 0) | (x + cw == w) | (y + ch == h)
    touches[0] = False
    band = ((ch > h / 3) & (cw < w / 4)) | ((cw > w / 3) & (ch < h / 4))
    solid = (area > 0.01 * h * w) & (area > 0.5 * cw * ch)
    drop = touches & (band | solid)
    long = touches & ~drop & ((ch > h / 3) | (cw > w / 3))
    if long.any():  # an L or a frame: how much of it lies in the outer margin?
        m = max(1, min(h, w) // 10)
        inner = np.zeros(n, np.int64)
        centre = labels[m:h - m, m:w - m]
        for rows in strips(centre.shape):
            inner += np.bincount(centre[rows].ravel(), minlength=n)
        drop |= long & (inner < 0.2 * area)
    return drop


def _speckle_components(stats: np.ndarray, centroids: np.ndarray, dpi: int, shape: tuple[int, int]) -> np.ndarray:
    """Small components with no larger ink within SPECKLE_NEAR_IN. Nearness is judged on a
    coarse grid marked at the centres and corners of the larger components (a speck near the
    middle of a long rule may go: it is a speck)."""
    area = stats[:, cv2.CC_STAT_AREA]
    small = area <= max(2, round(SPECKLE_AREA_IN2 * dpi * dpi))
    small[0] = False
    if not small.any():
        return small
    big = ~small
    big[0] = False
    cell = max(2, int(dpi / 40))  # ~0.025 in
    h, w = shape
    grid = np.zeros((h // cell + 1, w // cell + 1), np.uint8)
    x, y = stats[big, cv2.CC_STAT_LEFT], stats[big, cv2.CC_STAT_TOP]
    x1, y1 = x + stats[big, cv2.CC_STAT_WIDTH] - 1, y + stats[big, cv2.CC_STAT_HEIGHT] - 1
    cx, cy = centroids[big, 0].astype(int), centroids[big, 1].astype(int)
    for px, py in ((cx, cy), (x, y), (x1, y), (x, y1), (x1, y1)):
        grid[py // cell, px // cell] = 1
    reach = odd(2 * (SPECKLE_NEAR_IN * dpi + 0.06 * dpi) / cell)  # + half a letter: centres, not edges
    grid = cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    sx, sy = centroids[small, 0].astype(int) // cell, centroids[small, 1].astype(int) // cell
    isolated = np.zeros_like(small)
    isolated[np.flatnonzero(small)] = grid[sy, sx] == 0
    return isolated
