"""Preprocessing: a scanned page → the clean, upright image the engine reads.

    prepared = preprocess(page, profile.preprocess, detect_orientation=engine.detect_orientation)

Each step is a small pure function of a numpy array, switched by ``PreprocessSettings``:

    (blur a bilevel scan) → rescale → normalise background → orientation (0/90/180/270)
            → deskew → binarise → black borders and speckles → grey ink on white paper

Why this order: the background is flattened first so that every later threshold (the quick one
used to measure skew, Sauvola's) sees white paper; the page is turned and straightened in grey
(rotating a bilevel image makes jagged strokes), then binarised once. Borders and speckles are
removed from the bilevel result, where they are connected components. The engine then gets
white paper with the ink pixels at their grey level (``keep_grey_ink``), because Tesseract's
LSTM recognises grey text lines better than thresholded ones: on the ``poor`` synthetic set
(200-dpi JPEG, 12 EP pages) this cut the order-independent word error from 3.9 % to 2.6 %
(raw Tesseract: 11.9 %); bilevel scans are
first blurred slightly (``smooth_bilevel``) for the same reason. ``ink_ratio`` and cleaning use
the bilevel mask.

Tesseract's own binarisation is a global Otsu threshold: on a noisy page with a large empty area
the histogram is dominated by the noise, the threshold lands inside it and the engine sees black
blobs (a blank result). Sauvola after background division thresholds each pixel against its
neighbourhood, so noise on empty paper stays white and faint text stays black.

The chain takes ~0.13-0.18 s of CPU on a 300-dpi A4 G4 page (``bench/prep_cost.py``, without
OSD); the OCR takes ~2 s. The expensive estimates (background, skew, orientation evidence) run on
reduced copies; the three full-page connected-component passes (x-height, cleaning; the figure
analysis at half size) use 16-bit labels (``labelling.label``).
Tesseract's OSD (~0.3 s) is asked only when the line profiles do not show upright Latin text
(cover and drawing pages, turned pages): ``analyse_lines``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from .labelling import label
from .model import PageImage, Prepared
from .settings.engine import PreprocessSettings

Detector = Callable[[np.ndarray], tuple[int, float]]

ORIENTATION_MIN_CONF = 3.0  # Tesseract OSD confidence below which a page is left as it is
SKEW_RANGE = 15.0  # degrees searched either way
SKEW_MIN = 0.05  # smaller angles are not worth a resampling
SAUVOLA_K = 0.2
SAUVOLA_R = 128.0
SAUVOLA_WINDOW_IN = 0.12  # window side in inches (~37 px at 300 dpi): about two text lines
# Bilevel scans are blurred (sigma 0.8 px at 300 dpi) and then handled like grey scans: the LSTM
# reads smooth grey strokes better than jagged bilevel ones. Measured on 12 EP pages (bench/
# preprocess_tuning.py, ~8,400 words a level), order-independent word error without / with:
# clean 2.18 -> 1.86 %, office 3.10 -> 2.64 % (sigma 1.0: 2.02 / 2.59). The price: the prepared
# image is grey; ``bilevel()`` gives the ink mask to store as CCITT G4.
BILEVEL_SMOOTH = "blur"  # none | median | blur (see smooth_bilevel)
BILEVEL_SIGMA = 0.8  # blur of bilevel scans, in pixels at 300 dpi
BILEVEL_INK_LEVEL = 176  # ink mask of a smoothed bilevel scan (see threshold_smoothed)
KEEP_GREY_INK = True  # grey scans: hand the engine ink at its grey level (see keep_grey_ink)
SPECKLE_AREA_IN2 = 3.0e-4  # isolated dots below this area (27 px at 300 dpi) are noise
SPECKLE_NEAR_IN = 0.1  # ... unless this close to larger ink (i-dots, colons, full stops, accents)


def preprocess(page: PageImage, settings: PreprocessSettings, detect_orientation: Detector | None = None,
               mode: str = "auto") -> Prepared:
    """Run the steps ``settings`` switch on; returns the image for the engine and what was done.

    ``mode``: ``auto`` chooses the chain from what the page is (``page_kind``); ``plain`` hands
    the engine the page itself (only turned, straightened and scaled: what the raw engine reads),
    ``full`` the whole chain; ``raw`` the pixels as they came, at the header's resolution (what
    the raw ``tesseract`` CLI reads). The harm guard (``digitize.readings``) tries the other modes
    when the first reading is poor."""
    image = np.ascontiguousarray(page.image, dtype=np.uint8)
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if mode == "raw":
        return _as_read(image, page)
    steps: list[str] = []
    bilevel_scan = _is_bilevel(image)
    kind, paper = page_kind(image, bilevel_scan)
    if kind == "inverted":  # light text on a dark ground (slides): the engine wants dark on light
        image = 255 - image
        steps.append("invert")
        kind, paper = page_kind(image, bilevel_scan)
        kind = "inverted-" + kind
    # inverted pages (slides) are read plain: the chain's background division and Sauvola wipe them
    plain = mode == "plain" or (mode == "auto" and (kind.endswith("clean-grey") or kind.startswith("inverted")))
    scale = decide_scale(image, page, settings)
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
    return Prepared(image=image, dpi=int(page.dpi), ink_ratio=ink_ratio(bw), steps=["as read"],
                    resolution={"header_dpi": round(float(page.header_dpi or 0), 3), "decision": "as read",
                                "dpi": int(page.dpi)},
                    ink_level=int(max(1, min(255, level + 1))), engine_dpi=header)


# --------------------------------------------------------------------------- what the page is

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
    if median < INVERTED_BELOW:
        return "inverted", median
    if bilevel_scan:
        return "bilevel", 255.0
    small = cv2.resize(image, (max(1, image.shape[1] // 16), max(1, image.shape[0] // 16)),
                       interpolation=cv2.INTER_AREA)
    paper = float(np.median(cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))))
    return ("clean-grey" if paper >= CLEAN_PAPER and noise_level(image, paper) < NOISY else "grey"), paper


NOISY = 3.0  # grey levels of pixel noise on the paper above which a page is not "clean"


def noise_level(image: np.ndarray, paper: float) -> float:
    """Mean deviation of paper pixels from their 3x3 median (a strip of the page): ~0-1 on
    clean paper, 5-15 on scanner noise and JPEG artefacts."""
    h = image.shape[0]
    strip = np.ascontiguousarray(image[h // 3: h // 3 + max(8, h // 6)])
    diff = cv2.absdiff(strip, cv2.medianBlur(strip, 3))
    on_paper = strip > paper - 40
    return float(diff[on_paper].mean()) if on_paper.any() else 0.0


# --------------------------------------------------------------------------- scale from the ink

TARGET_XHEIGHT = 22  # px: Tesseract's LSTM reads body text best at an x-height of ~20-30 px
MIN_XHEIGHT = 14  # smaller text is scaled up to TARGET_XHEIGHT (at most MAX_UPSCALE times)
MAX_XHEIGHT = 48  # larger text is scaled down to DOWN_XHEIGHT (600-dpi scans: 4x fewer pixels)
DOWN_XHEIGHT = 30
MAX_UPSCALE = 3.0
BODY_XHEIGHT_IN = 0.07  # x-height of 10-11 pt body text (~5 pt), to turn an x-height into dpi
AGREE = 2.0  # the header's dpi is believed when the ink's estimate is within this factor of it
MIN_LETTERS = 40  # fewer letter-like components: no estimate (drawings, empty pages)
MIN_LETTERS_AGAINST_HEADER = 500  # a measured header is overruled only on this much evidence


def estimate_xheight(image: np.ndarray, noisy: bool = False) -> tuple[int, int]:
    """The page's x-height in pixels from its letters, and how many letter-like marks it rests
    on ((0, n) when there are too few).

    Connected components of the Otsu ink that look like lower-case letters without ascenders
    (as wide as about half to one and a half times their height, not solid blocks, not hairlines)
    are counted by height; the most common height is the x-height, as most letters of running
    text are ``a c e m n o r s u v w x z``. Large pages are measured at half size."""
    h, w = image.shape
    factor = 1
    if h * w > 20_000_000:
        factor = 2
        image = cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    # a local threshold (uneven light and tints do not merge letters into blobs), after a median
    # that removes single-pixel noise
    block = _odd(max(31, w // (60 * factor)))
    bw = cv2.adaptiveThreshold(cv2.medianBlur(image, 5 if noisy else 3), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                               block, 12)
    _, _, stats, _ = label(bw)
    cw, ch, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    ok = (ch >= 6) & (ch <= 250) & (cw >= 0.4 * ch) & (cw <= 1.6 * ch) & \
        (area >= 0.2 * cw * ch) & (area <= 0.85 * cw * ch)
    heights = ch[ok]
    if len(heights) < MIN_LETTERS:
        return 0, int(len(heights))
    # weighted by ink: specks of noise are many but small, letters carry the ink
    hist = np.bincount(heights, weights=area[ok]).astype(np.float64)
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
    noisy = not _is_bilevel(image) and noise_level(image, float(np.median(image[::8, ::8]))) >= NOISY
    xh, letters = estimate_xheight(image, noisy)
    out = {"header_dpi": round(header, 3), "header_trusted": bool(page.dpi_known), "x_height": xh,
           "letters": letters}
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


# --------------------------------------------------------------------------- geometry


def rescale_dpi(dpi: int, target_dpi: int, rescale_below_dpi: int) -> int:
    """The resolution to work at: low scans go up to ``target_dpi``, very high ones come down."""
    if dpi < rescale_below_dpi or dpi > 1.9 * target_dpi:
        return target_dpi
    return dpi


def rescale(image: np.ndarray, factor: float) -> np.ndarray:
    h, w = image.shape
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    return cv2.resize(image, size, interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA)


def rotate90(image: np.ndarray, degrees_clockwise: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(image, k=-(degrees_clockwise // 90) % 4))


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate counter-clockwise by ``angle`` degrees about the centre, same size, white fill."""
    h, w = image.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _reduce(image: np.ndarray, dpi: int, to_dpi: int) -> tuple[np.ndarray, float]:
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


def _ink_points(image: np.ndarray, dpi: int, to_dpi: int, with_mask: bool = False):
    """Coordinates (x, y) of dark pixels of a reduced copy, at ``to_dpi``; big blobs excluded
    (and the letter mask itself with ``with_mask``)."""
    small, _ = _reduce(image, dpi, to_dpi)
    _, bw = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # keep letter-sized marks: lines of text, not pictures, rules or borders
    n, labels, stats, _ = label(bw)
    max_side = max(4, int(to_dpi * 0.5))
    keep = (stats[:, cv2.CC_STAT_WIDTH] < max_side) & (stats[:, cv2.CC_STAT_HEIGHT] < max_side) & \
        (stats[:, cv2.CC_STAT_AREA] >= 2)
    keep[0] = False
    mask = _lookup(keep, labels).view(np.uint8)
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
        line after line has far more ascender ink (capitals, b d f h k l t, digits) than
        descender ink (g j p q y), which upside-down text has the other way round."""
        return (self.lines and not self.sideways and self.ascenders > UPRIGHT_RATIO * (self.descenders + 1)
                and self.votes_up >= UPRIGHT_MIN_LINES and self.votes_up >= 8 * self.votes_down)


UPRIGHT_RATIO = 2.0  # ascender/descender ink above which a page may be taken as upright
UPRIGHT_MIN_LINES = 6  # ... when at least this many lines agree (else Tesseract OSD decides)
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


# --------------------------------------------------------------------------- tone


def normalize_background(image: np.ndarray, dpi: int) -> np.ndarray:
    """Divide by the paper's brightness (text removed by a closing at ~38 dpi, then smoothed):
    shadows, lamp fall-off and yellowed paper become white, ink keeps its contrast."""
    small, factor = _reduce(image, dpi, 38)
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
        return sauvola(image, window=_odd(dpi * SAUVOLA_WINDOW_IN), k=SAUVOLA_K)
    if method == "adaptive":
        return cv2.adaptiveThreshold(image, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                     _odd(dpi * SAUVOLA_WINDOW_IN * 1.5), 15)
    if method == "otsu":
        _, bw = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        return bw
    raise ValueError(f"unknown binarisation {method!r}")


def threshold_smoothed(image: np.ndarray) -> np.ndarray:
    """Ink mask of a bilevel scan after ``smooth_bilevel`` and deskewing: every pixel the blur
    darkened past ~70 % of white (the mask Sauvola gives on such pages lies between 160 and 190)."""
    _, bw = cv2.threshold(image, BILEVEL_INK_LEVEL, 255, cv2.THRESH_BINARY)
    return bw


def _odd(value: float) -> int:
    n = max(3, int(round(value)))
    return n if n % 2 else n + 1


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
    for rows in _strips(sq.shape):
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


BAND_PIXELS = 1 << 19  # pixels of a band of the page worked at once (as floats: 2 MiB)


def _strips(shape: tuple[int, ...], pixels: int = BAND_PIXELS):
    """Slices of rows covering an array of ``shape`` about ``pixels`` at a time."""
    h = shape[0]
    w = max(1, int(np.prod(shape[1:])))
    step = max(1, pixels // w)
    for a in range(0, h, step):
        yield slice(a, min(h, a + step))


def _lookup(table: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``np.take(table, labels)`` a band of rows at a time: numpy turns 16-bit labels into 64-bit
    indices first (8 bytes a pixel of the whole page)."""
    out = np.empty(labels.shape, table.dtype)
    for rows in _strips(labels.shape):
        np.take(table, labels[rows], out=out[rows])
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
    for rows in _strips(bw.shape):
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


def _is_bilevel(image: np.ndarray) -> bool:
    sample = image[::7, ::7]
    return bool(np.count_nonzero((sample > 0) & (sample < 255)) < 0.001 * sample.size)


def ink_ratio(image: np.ndarray) -> float:
    """Share of dark pixels (sampled; exact enough for drawing detection)."""
    sample = np.asarray(image)[::2, ::2]
    return float(np.count_nonzero(sample < 128)) / max(1, sample.size)


# --------------------------------------------------------------------------- cleaning


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
        for rows in _strips(labels.shape):
            out[rows][np.take(drop, labels[rows])] = 255
        return out
    for i in ids:  # few small boxes: cheaper than a lookup over the whole page
        x, y, w, h = stats[i, :4]
        box = out[y:y + h, x:x + w]
        box[labels[y:y + h, x:x + w] == i] = 255
    return out


def _only_0_255(bw: np.ndarray) -> bool:
    """Every pixel 0 or 255 (a thresholded mask), checked a band at a time."""
    return all(not cv2.countNonZero(cv2.inRange(bw[rows], 1, 254)) for rows in _strips(bw.shape))


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
        for rows in _strips(centre.shape):
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
    reach = _odd(2 * (SPECKLE_NEAR_IN * dpi + 0.06 * dpi) / cell)  # + half a letter: centres, not edges
    grid = cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    sx, sy = centroids[small, 0].astype(int) // cell, centroids[small, 1].astype(int) // cell
    isolated = np.zeros_like(small)
    isolated[np.flatnonzero(small)] = grid[sy, sx] == 0
    return isolated
