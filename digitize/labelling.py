"""Connected components of a bilevel image, the one labelling that preprocessing (x-height,
cleaning, skew evidence) and the figure analysis all run on full pages.

OpenCV 5's 32-bit labels with stats are much slower than its 16-bit ones, so 16-bit labels are used, and 32-bit ones only when a page has more than 65,535
components (OpenCV then raises instead of wrapping). Same labels, stats and centroids either way.
"""

from __future__ import annotations

import cv2
import numpy as np


def label(bw: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """``cv2.connectedComponentsWithStats(bw, connectivity=8)`` with the smallest label type."""
    try:
        return cv2.connectedComponentsWithStats(bw, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        return cv2.connectedComponentsWithStats(bw, connectivity=8, ltype=cv2.CV_32S)
