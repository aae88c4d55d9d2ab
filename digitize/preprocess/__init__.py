"""Preprocessing: a scanned page → the clean, upright image the engine reads.

    prepared = preprocess(page, profile.preprocess, detect_orientation=engine.detect_orientation)

This module is the chain; each step is a small pure function of a numpy array in the module of
its job, switched by ``PreprocessSettings``:

    (blur a bilevel scan) → rescale → normalise background → orientation (0/90/180/270)
            → deskew → binarise → black borders and speckles → grey ink on white paper

``kind`` (what the page is), ``scale`` (the resolution from the header and the ink),
``geometry`` (skew, orientation evidence, rotation), ``tone`` (background, binarisation, the
engine's image), ``cleaning`` (borders, speckles), ``arrays`` (band-wise helpers).

Why this order: the background is flattened first so that every later threshold (the quick one
used to measure skew, Sauvola's) sees white paper; the page is turned and straightened in grey
(rotating a bilevel image makes jagged strokes), then binarised once. Borders and speckles are
removed from the bilevel result, where they are connected components. The engine then gets
white paper with the ink pixels at their grey level (``keep_grey_ink``), because Tesseract's
LSTM recognises grey text lines better than thresholded ones; bilevel scans are first blurred
slightly (``smooth_bilevel``) for the same reason. ``ink_ratio`` and cleaning use the bilevel
mask. The expensive estimates run on reduced copies; Tesseract's OSD is asked only when the line
profiles do not show upright Latin text (``analyse_lines``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from ..model import PageImage, Prepared
from ..settings.engine import PreprocessSettings
from .cleaning import clean, remove_borders, remove_speckles
from .geometry import LineAnalysis, analyse_lines, estimate_skew, rotate, rotate90
from .kind import ink_ratio, is_bilevel, page_kind
from .scale import MIN_LETTERS, decide_scale, estimate_xheight, rescale
from .tone import (bilevel, binarize, keep_grey_ink, normalize_background, sauvola, smooth_bilevel,
                   threshold_smoothed)

__all__ = ["MIN_LETTERS", "Basis", "Detector", "LineAnalysis", "analyse_lines", "bilevel", "binarize", "clean",
           "decide_scale", "estimate_skew", "estimate_xheight", "ink_ratio", "keep_grey_ink", "normalize_background",
           "page_basis", "page_kind", "preprocess", "remove_borders", "remove_speckles", "rotate", "rotate90", "sauvola",
           "smooth_bilevel", "threshold_smoothed"]

Detector = Callable[[np.ndarray], tuple[int, float]]

ORIENTATION_MIN_CONF = 3.0  # Tesseract OSD confidence below which a page is left as it is
SKEW_MIN = 0.05  # smaller angles are not worth a resampling
# Bilevel scans are blurred (``tone.BILEVEL_SIGMA``) and then handled like grey scans: the LSTM
# reads smooth grey strokes better than jagged bilevel ones (bench/preprocess_tuning.py). The
# price: the prepared image is grey; ``bilevel()`` gives the ink mask to store as CCITT G4.
BILEVEL_SMOOTH = "blur"  # none | median | blur (see smooth_bilevel)
KEEP_GREY_INK = True  # grey scans: hand the engine ink at its grey level (see keep_grey_ink)


@dataclass
class Basis:
    """What every chain of one page starts from, the same whatever the mode: the page in grey
    (inverted when it is light on dark), whether it is a bilevel scan, its kind, and its
    resolution (``decide_scale``). The harm guard prepares a page two or three ways: measured once
    (``page_basis``), this is not measured again for each."""

    image: np.ndarray
    steps: list[str]
    bilevel_scan: bool
    kind: str
    scale: dict


def page_basis(page: PageImage, settings: PreprocessSettings) -> Basis:
    image = np.ascontiguousarray(page.image, dtype=np.uint8)
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    steps: list[str] = []
    bilevel_scan = is_bilevel(image)
    kind, _ = page_kind(image, bilevel_scan)
    if kind == "inverted":  # light text on a dark ground (slides): the engine wants dark on light
        image = 255 - image
        steps.append("invert")
        kind = "inverted-" + page_kind(image, bilevel_scan)[0]
    return Basis(image, steps, bilevel_scan, kind, decide_scale(image, page, settings))


def preprocess(page: PageImage, settings: PreprocessSettings, detect_orientation: Detector | None = None,
               mode: str = "auto", basis: Basis | None = None) -> Prepared:
    """Run the steps ``settings`` switch on; returns the image for the engine and what was done.

    ``mode``: ``auto`` chooses the chain from what the page is (``page_kind``); ``plain`` hands
    the engine the page itself (only turned, straightened and scaled: what the raw engine reads),
    ``full`` the whole chain; ``raw`` the pixels as they came, at the header's resolution (what
    the raw ``tesseract`` CLI reads). The harm guard (``digitize.readings``) tries the other modes
    when the first reading is poor. ``basis``: the page's ``page_basis``, when the caller has it
    already (the page is prepared more than one way)."""
    if mode == "raw":
        image = np.ascontiguousarray(page.image, dtype=np.uint8)
        return _as_read(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image, page)
    basis = basis or page_basis(page, settings)
    image, steps, bilevel_scan, kind = basis.image, list(basis.steps), basis.bilevel_scan, basis.kind
    # inverted pages (slides) are read plain: the chain's background division and Sauvola wipe them
    plain = mode == "plain" or (mode == "auto" and (kind.endswith("clean-grey") or kind.startswith("inverted")))
    scale = basis.scale
    dpi = scale["source_dpi"]
    grey_scan = not bilevel_scan  # a bilevel scan stays bilevel (see keep_grey_ink)
    if bilevel_scan and BILEVEL_SMOOTH != "none" and not plain:
        image = smooth_bilevel(image, dpi, BILEVEL_SMOOTH)
        grey_scan = BILEVEL_SMOOTH == "blur"
        steps.append(f"smooth {BILEVEL_SMOOTH}")

    new_dpi = scale["dpi"]
    if new_dpi != dpi:
        image = rescale(image, new_dpi / dpi)
        steps.append(f"rescale {dpi}->{new_dpi} dpi")
        dpi = new_dpi

    if settings.normalize_background and not bilevel_scan and not plain:  # bilevel paper is white already
        image = normalize_background(image, dpi)
        steps.append("background")

    rotation = 0
    lines = analyse_lines(image, dpi) if settings.deskew or settings.orientation else None
    if settings.orientation and detect_orientation is not None and lines is not None and not lines.upright:
        # OSD costs ~0.3 s a page: asked only when the line profiles do not show upright text
        degrees, conf = detect_orientation(image)
        degrees = int(round(degrees / 90.0)) * 90 % 360
        if degrees and conf >= ORIENTATION_MIN_CONF:
            image = rotate90(image, degrees)
            rotation = degrees
            steps.append(f"rotate {degrees} (osd conf {conf:.1f})")
            lines = analyse_lines(image, dpi)

    skew = 0.0
    if settings.deskew and lines is not None:
        angle = lines.angle
        if abs(angle) >= SKEW_MIN:
            image = rotate(image, angle)
            skew = angle
            steps.append(f"deskew {angle:+.2f}")

    ink = None
    resolution = {k: v for k, v in scale.items() if k != "source_dpi"}
    resolution["kind"] = kind
    engine_dpi = int(round(scale["engine_dpi"] * dpi / scale["dpi"])) if scale.get("engine_dpi") else 0
    if plain:
        # the engine binarises the page itself (Otsu), as the raw CLI does; the ink mask for the
        # stored image and ``ink_ratio`` uses the same global threshold
        level, bw = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        steps.append("plain")
        return Prepared(image=image, dpi=dpi, rotation=rotation, skew=round(skew, 3), ink_ratio=ink_ratio(bw),
                        steps=steps, resolution=resolution, ink_level=int(max(1, min(255, level + 1))),
                        engine_dpi=engine_dpi)
    if settings.binarize != "none":
        if bilevel_scan:
            # Its ink is known: a fixed level on the smoothed strokes gives the same mask as
            # Sauvola (which costs ~75 ms a page at 300 dpi) without a local statistic.
            bw = threshold_smoothed(image)
            steps.append("binarize threshold")
        else:
            bw = binarize(image, dpi, settings.binarize)
            steps.append(f"binarize {settings.binarize}")
        if settings.remove_borders or settings.denoise:
            bw = clean(bw, dpi, borders=settings.remove_borders, speckles=settings.denoise, in_place=True)
            steps += ["borders"] * settings.remove_borders + ["speckles"] * settings.denoise
        ink = ink_ratio(bw)
        image = keep_grey_ink(image, bw, in_place=True) if KEEP_GREY_INK and grey_scan else bw
    return Prepared(image=image, dpi=dpi, rotation=rotation, skew=round(skew, 3),
                    ink_ratio=ink if ink is not None else ink_ratio(image), steps=steps, resolution=resolution,
                    engine_dpi=engine_dpi)


def _as_read(image: np.ndarray, page: PageImage) -> Prepared:
    """The page as the raw CLI reads it: not scaled, turned or cleaned, the engine told the
    header's resolution (70 when there is none, as the CLI assumes); the ink mask for the stored
    image and ``ink_ratio`` from one global (Otsu) threshold, as the engine's own."""
    level, bw = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    header = int(round(page.header_dpi)) if page.header_dpi >= 70 else 70
    resolution = {"header_dpi": round(float(page.header_dpi or 0), 3), "decision": "as read", "dpi": int(page.dpi)}
    if page.exif_orientation:  # ingest turned the pixels as the file's EXIF tag said
        resolution["exif_orientation"] = int(page.exif_orientation)
    return Prepared(image=image, dpi=int(page.dpi), ink_ratio=ink_ratio(bw), steps=["as read"],
                    resolution=resolution, ink_level=int(max(1, min(255, level + 1))), engine_dpi=header)
