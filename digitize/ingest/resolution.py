"""A page's resolution: what an image header says and whether to believe it, non-square pixels
made square, and resolutions above ``MAX_DPI`` reduced while decoding (OCR gains nothing above
it; memory does).
"""

from __future__ import annotations

import cv2
import numpy as np

MAX_DPI = 600  # higher resolutions are reduced to this while decoding (2400-dpi scans exist)
SOFTWARE_DPI = (72.0, 96.0)  # what image software writes when nobody measured anything


def image_dpi(im, default_dpi: int) -> tuple[float, float, bool]:
    """(x dpi, y dpi, known) from the file's header; implausible values count as unknown.

    72 and 96 dpi are software defaults, not measurements: PNG stores pixels per metre and 3780
    px/m is 96.012 dpi, which a scanner's 2000-px page (really ~240 dpi) carries. Such pages are
    "unknown" here, and preprocessing measures the scale from the ink (``preprocess.decide_scale``)."""
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


def header_dpi(im) -> tuple[float, float]:
    """The header's (x, y) dpi as written, (0, 0) when absent or unreadable."""
    dpi = im.info.get("dpi") or im.info.get("resolution")
    try:
        xd = float(dpi[0]) if dpi else 0.0
        yd = float(dpi[1]) if dpi and len(dpi) > 1 else xd
    except (TypeError, ValueError, IndexError):
        return 0.0, 0.0
    return (xd, yd if yd > 0 else xd) if xd > 0 else (0.0, 0.0)


def square(grey: np.ndarray, xdpi: float, ydpi: float) -> np.ndarray:
    """Non-square pixels (fax: 204 x 98 dpi) resampled vertically to the horizontal resolution."""
    if abs(xdpi - ydpi) <= 0.02 * xdpi:
        return grey
    h, w = grey.shape
    method = cv2.INTER_AREA if ydpi > xdpi else cv2.INTER_LINEAR
    return cv2.resize(grey, (w, max(1, round(h * xdpi / ydpi))), interpolation=method)


def cap_dpi(grey: np.ndarray, dpi: float) -> tuple[np.ndarray, int]:
    """Reduce absurd resolutions to MAX_DPI (OCR gains nothing above it; memory does)."""
    if dpi <= MAX_DPI * 1.05:
        return grey, int(round(dpi))
    scale = MAX_DPI / dpi
    h, w = grey.shape
    small = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return small, MAX_DPI
