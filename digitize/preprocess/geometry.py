"""The page's geometry: skew and orientation evidence from projection profiles, and the rotations.

``analyse_lines`` measures on reduced copies of the ink of letter-sized marks: the skew angle,
whether text lines run across or down the page, and ascender against descender ink (upright or
upside down). Tesseract's OSD is asked only when this does not show upright text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ..labelling import label
from .arrays import lookup, reduced


SKEW_RANGE = 15.0  # degrees searched either way


def rotate90(image: np.ndarray, degrees_clockwise: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(image, k=-(degrees_clockwise // 90) % 4))


def rotation_matrix(shape, angle: float) -> np.ndarray:
    """The 2x3 affine matrix ``rotate`` turns an image of ``shape`` with: counter-clockwise by
    ``angle`` degrees about its centre (for mapping points the same way)."""
    h, w = shape[:2]
    return cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate counter-clockwise by ``angle`` degrees about the centre, same size, white fill."""
    h, w = image.shape
    m = rotation_matrix(image.shape, angle)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _ink_points(image: np.ndarray, dpi: int, to_dpi: int, with_mask: bool = False):
    """Coordinates (x, y) of dark pixels of a reduced copy, at ``to_dpi``; big blobs excluded
    (and the letter mask itself with ``with_mask``)."""
    small, _ = reduced(image, dpi, to_dpi)
    _, bw = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # keep letter-sized marks: lines of text, not pictures, rules or borders
    n, labels, stats, _ = label(bw)
    max_side = max(4, int(to_dpi * 0.5))
    keep = (stats[:, cv2.CC_STAT_WIDTH] < max_side) & (stats[:, cv2.CC_STAT_HEIGHT] < max_side) & \
        (stats[:, cv2.CC_STAT_AREA] >= 2)
    keep[0] = False
    mask = lookup(keep, labels).view(np.uint8)
    # (x, y) of the kept pixels in row order, as np.nonzero gives them (cv2: ~2 ms, numpy ~25)
    found = cv2.findNonZero(mask)
    points = found.reshape(-1, 2).astype(np.float32) if found is not None else np.zeros((0, 2), np.float32)
    return (points, mask * np.uint8(255)) if with_mask else points


def _profile_score(points: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """How sharply the ink falls into horizontal lines after rotating by each angle."""
    if len(points) == 0:
        return np.zeros(len(angles))
    x, y = np.ascontiguousarray(points[:, 0]), np.ascontiguousarray(points[:, 1])  # columns: strided
    scores = np.empty(len(angles))
    for i, a in enumerate(np.deg2rad(angles)):
        # y coordinate after rotating the page counter-clockwise by a (image y axis points down)
        yr = y * math.cos(a) - x * math.sin(a)
        hist = np.bincount((yr - yr.min()).astype(np.int32))
        scores[i] = float(np.dot(hist, hist))
    return scores


@dataclass
class LineAnalysis:
    """What the ink's projection profiles say about the page's geometry."""

    angle: float  # degrees to rotate counter-clockwise so text lines are horizontal
    lines: bool  # horizontal text lines stand out (after ``angle``)
    sideways: bool  # vertical "lines" stand out more: the page is turned by 90 or 270
    ascenders: float  # ink above the x-height band of the lines
    descenders: float  # ink below it
    votes_up: int = 0  # lines with clearly more ascender than descender ink
    votes_down: int = 0  # ... and the other way round

    @property
    def upright(self) -> bool:
        """Confidently upright: letters join into horizontal words (not vertical ones), and
        line after line has clearly more ascender ink (capitals, b d f h k l t, digits) than
        descender ink (g j p q y), which upside-down text has the other way round."""
        # The smear test calls some upright tables and typescripts sideways: there, more lines must agree.
        need = UPRIGHT_MIN_LINES_SIDEWAYS if self.sideways else UPRIGHT_MIN_LINES
        return (self.lines and self.ascenders > UPRIGHT_RATIO * (self.descenders + 1)
                and self.votes_up >= need and self.votes_up >= UPRIGHT_VOTES * self.votes_down)


# Measured on the seen real pages (tuning, sealed, sealed2), each also turned 90/180/270: with
# these, 100 of 131 upright pages skip OSD (2.0 / 8x / never when "sideways": 69), and none of the
# 393 turned copies is taken as upright; every OSD call so skipped had answered "upright".
UPRIGHT_RATIO = 1.5  # ascender/descender ink above which a page may be taken as upright
UPRIGHT_VOTES = 4  # ... with this many times more lines voting up than down
UPRIGHT_MIN_LINES = 6  # ... when at least this many lines agree (else Tesseract OSD decides)
UPRIGHT_MIN_LINES_SIDEWAYS = 10  # ... or this many when the smear test says the lines run down the page
SMEAR_HORIZONTAL = 0.65  # components after horizontal / vertical smearing: below = lines run across


def analyse_lines(image: np.ndarray, dpi: int) -> LineAnalysis:
    """Skew angle (±SKEW_RANGE, to ~0.05°) and orientation evidence from projection profiles of
    the ink of letter-sized marks: coarse search at ~75 dpi, refined to 0.02° at ~150 dpi."""
    none = LineAnalysis(0.0, False, False, 0.0, 0.0)
    coarse, bw = _ink_points(image, dpi, 75, with_mask=True)
    if len(coarse) < 200:
        return none
    sideways = _smear_ratio(bw) >= SMEAR_HORIZONTAL
    angles = np.arange(-SKEW_RANGE, SKEW_RANGE + 1e-9, 0.5)
    scores = _profile_score(coarse, angles)
    if scores.max() <= 0 or scores.max() < 1.02 * np.median(scores):
        return LineAnalysis(0.0, False, sideways, 0.0, 0.0)  # no direction stands out
    best = float(angles[int(np.argmax(scores))])
    fine = _ink_points(image, dpi, 150)
    for step, half in ((0.1, 0.6), (0.02, 0.1)):
        angles = np.arange(best - half, best + half + 1e-9, step)
        best = float(angles[int(np.argmax(_profile_score(fine, angles)))])
    asc, desc, up, down = _ascenders(fine, best)
    return LineAnalysis(round(best, 2), True, sideways, asc, desc, up, down)


def _smear_ratio(bw: np.ndarray) -> float:
    """Components left after smearing ink 3 px (~1 mm) sideways vs. up and down, at ~75 dpi.

    Letters are closer to their neighbours in the line than to the lines above and below, so
    smearing along the lines merges far more: about 0.3-0.5 for horizontal text, 2-4 when the
    page lies on its side."""
    across = cv2.connectedComponents(cv2.dilate(bw, np.ones((1, 3), np.uint8)))[0]
    down = cv2.connectedComponents(cv2.dilate(bw, np.ones((3, 1), np.uint8)))[0]
    return across / max(down, 1)


def _ascenders(points: np.ndarray, angle: float) -> tuple[float, float, int, int]:
    """Ink above and below the x-height band, summed over the text lines, and the lines that
    vote clearly for either."""
    a = math.radians(angle)
    x, y = points[:, 0], points[:, 1]
    yr = y * math.cos(a) - x * math.sin(a)
    hist = np.bincount((yr - yr.min()).astype(np.int32)).astype(np.float64)
    if hist.size < 10:
        return 0.0, 0.0, 0, 0
    floor = 0.05 * np.percentile(hist[hist > 0], 95)
    on = hist > floor
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    asc = desc = 0.0
    up = down = 0
    for start, stop in zip(edges[::2], edges[1::2]):
        if stop - start < 5:
            continue
        line = hist[start:stop]
        core = np.flatnonzero(line >= 0.5 * line.max())
        a, d = float(line[: core[0]].sum()), float(line[core[-1] + 1:].sum())
        asc += a
        desc += d
        up += a > 1.5 * d + 1
        down += d > 1.5 * a + 1
    return asc, desc, up, down


def estimate_skew(image: np.ndarray, dpi: int) -> float:
    """Degrees to rotate counter-clockwise so text lines are horizontal (0.0 without text)."""
    return analyse_lines(image, dpi).angle
