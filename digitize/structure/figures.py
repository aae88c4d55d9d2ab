"""Drawings and figure regions, found from connected components before any recognition.

A text page is thousands of small components of one size (glyphs) in lines; a drawing sheet is a
few large components (line art) with a few dozen small ones (labels, reference numerals). Both
are counted on a half-resolution bilevel image, so this is cheap enough to run on every page
before the engine (a drawing sheet need not be read in full), and the regions it returns are
recorded in the page JSON, cropped to ``figures/NNNN-k.tif`` and emitted as figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ..jobfolder import page_file, page_name, page_path
from ..labelling import label
from ..model import BBox, Document, Figure, OcrPage, QueueCandidate, Word

FIGURES = "figures"  # <document folder>/figures/NNNN-k.tif: the files the delivery package lists

TEXT_MIN_MM, TEXT_MAX_MM = 0.8, 6.0  # glyph heights of 6 to 24 pt type
ART_MIN_MM = 18.0  # a component this long in either direction is line art, not a glyph


@dataclass
class Components:
    """Connected components of a page's ink, boxes in full-resolution pixels."""

    boxes: np.ndarray  # (n, 4) x0, y0, x1, y1
    width: int
    height: int
    dpi: int
    ink: float  # share of ink pixels
    _runs: list | None = None

    def mm(self, px) -> np.ndarray:
        return np.asarray(px) / self.dpi * 25.4

    @property
    def text_like(self) -> np.ndarray:
        h = self.mm(self.boxes[:, 3] - self.boxes[:, 1])
        w = self.mm(self.boxes[:, 2] - self.boxes[:, 0])
        return (h >= TEXT_MIN_MM) & (h <= TEXT_MAX_MM) & (w <= 2 * TEXT_MAX_MM)

    @property
    def line_art(self) -> np.ndarray:
        h = self.mm(self.boxes[:, 3] - self.boxes[:, 1])
        w = self.mm(self.boxes[:, 2] - self.boxes[:, 0])
        return np.maximum(h, w) >= ART_MIN_MM


def components(gray: np.ndarray, dpi: int) -> Components:
    """Ink components of a grey or bilevel page (0 = black), found at half resolution."""
    small = gray[::2, ::2] if min(gray.shape) > 1200 else gray
    scale = gray.shape[0] / small.shape[0]
    ink = (small < 128).view(np.uint8)
    n, _, stats, _ = label(ink)
    stats = stats[1:]  # 0 is the background
    keep = stats[:, cv2.CC_STAT_AREA] >= 2  # specks
    s = stats[keep]
    boxes = np.stack([s[:, 0], s[:, 1], s[:, 0] + s[:, 2], s[:, 1] + s[:, 3]], axis=1) * scale if len(s) else np.zeros((0, 4))
    return Components(boxes=boxes.astype(int), width=gray.shape[1], height=gray.shape[0], dpi=max(int(dpi), 1),
                      ink=cv2.countNonZero(ink) / ink.size)  # == ink.mean(), without a float pass


def classify_page(gray: np.ndarray, dpi: int = 300) -> str:
    """``"text"``, ``"drawing"`` or ``"blank"`` for a page image (0 black .. 255 white)."""
    return _classify(components(gray, dpi))


def analyse(gray: np.ndarray, dpi: int = 300) -> tuple[str, list[BBox]]:
    """``classify_page`` and ``figure_regions`` in one pass over the components."""
    m = analyse_marks(gray, dpi)
    return m.kind, m.regions


TABLE_RUNS = 25  # a line-art seed framing this many word-like runs (3+ glyphs) is a table or a form
# On a text page a figure region must be FIGURE_MIN_MM long and FIGURE_MIN_SHORT_MM wide: a share
# price chart beside a column is ~60 x 25 mm with its tick labels (ocr-benchmark multicol_07); a
# logo or a rule is smaller
FIGURE_MIN_MM, FIGURE_MIN_SHORT_MM = 30.0, 20.0

EMPTY_MARKS = 15  # fewer ink components than this, none of them letter-sized: an empty page
SHEET_MAX_WORDS = 50  # a "drawing" with more runs of 3+ glyphs is a table or a form: read it whole


@dataclass
class Marks:
    """What the pipeline needs to know before recognition: the page kind and figure regions,
    the number of ink components and of word-like runs (3 glyphs or more side by side)."""

    kind: str
    regions: list[BBox]
    marks: int
    words: int
    letter_sized: int  # marks at least TEXT_MIN_MM in height or width (not dust)

    @property
    def empty(self) -> bool:
        """Dust only: a short line ("Short page.", 11 marks) or a lone page number is read."""
        return self.marks < EMPTY_MARKS and self.letter_sized == 0

    @property
    def sheet(self) -> bool:
        """A drawing sheet: line art with labels and numerals (EP sheets: 1-26 runs), not a ruled
        table of figures (ocr-benchmark table_05, classed a drawing: 118)."""
        return self.kind == "drawing" and self.words < SHEET_MAX_WORDS


def analyse_marks(gray: np.ndarray, dpi: int = 300) -> Marks:
    """``analyse`` with the counts that tell an empty page (not read at all) and a drawing sheet
    (read for its labels only) from a page of text."""
    c = components(gray, dpi)
    kind = _classify(c)
    # runs counted on drawings only: on a text page the count costs more than the rest
    size = np.maximum(c.boxes[:, 2] - c.boxes[:, 0], c.boxes[:, 3] - c.boxes[:, 1]) if len(c.boxes) else np.zeros(0)
    return Marks(kind, _regions(c, kind), len(c.boxes), len(text_runs(c, 3)) if kind == "drawing" else 0,
                 int(np.count_nonzero(c.mm(size) >= TEXT_MIN_MM)))


def labels_only(gray: np.ndarray, dpi: int = 300) -> np.ndarray:
    """The page with its line art (components ``ART_MIN_MM`` or longer) painted white: what the
    engine reads on a drawing sheet. The structure stage needs nothing from a sheet's words (the
    sheet and its figures are known from the components); its text output keeps the labels,
    reference numerals and "FIG. n" the sheet carries. Without the line art the engine's layout
    analysis has a few dozen small marks to place, not curves and hatching read as letters: on
    the 8 drawing sheets of the two EP A1 publications, 0.36 s of engine time instead of ~1 s
    (and no second reading by the harm guard, which such garbage text used to set off)."""
    small = gray[::2, ::2] if min(gray.shape) > 1200 else gray
    scale = gray.shape[0] / small.shape[0]
    ink = (small < 128).view(np.uint8)
    _, labels, stats, _ = label(ink)
    side = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) * scale / dpi * 25.4
    art = side >= ART_MIN_MM
    art[0] = False
    if not art.any():
        return gray
    mask = np.take(art, labels).view(np.uint8) * np.uint8(255)
    if small is not gray:
        mask = cv2.resize(mask, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))  # the grey edges of the strokes too
    if gray.dtype == np.uint8:
        return cv2.max(gray, mask)  # mask is 0/255: white under it, the page elsewhere
    out = gray.copy()
    out[mask > 0] = 255
    return out


def text_runs(c: Components, min_glyphs: int = 10) -> list[BBox]:
    """Boxes of the runs of ``min_glyphs`` or more glyph-sized components side by side on one line
    (gaps under 2.5 mm): lines of running text. Labels and reference numerals are shorter."""
    if c._runs is not None and min_glyphs == 10:
        return c._runs
    boxes = c.boxes[c.text_like]
    if len(boxes) < min_glyphs:
        return []
    cy = ((boxes[:, 1] + boxes[:, 3]) / 2 / (2.0 / 25.4 * c.dpi)).astype(int)  # 2 mm rows of glyph centres
    gap = 2.5 / 25.4 * c.dpi
    order = np.lexsort((boxes[:, 0], cy))
    boxes = boxes[order]
    # plain lists: the loop runs once per glyph of the page (numpy scalar indexing was ~4x slower)
    rows, x0, x1 = cy[order].tolist(), boxes[:, 0].tolist(), boxes[:, 2].tolist()
    out: list[BBox] = []
    start = 0  # the current run is boxes[start:k]
    for k in range(1, len(rows) + 1):
        if k < len(rows) and rows[k] == rows[k - 1] and x0[k] - max(x1[max(start, k - 3):k]) <= gap:
            continue
        if k - start >= min_glyphs:
            out.append(_union(boxes[start:k]))
        start = k
    if min_glyphs == 10:
        c._runs = out
    return out


def _union(b: np.ndarray) -> BBox:
    return (int(b[:, 0].min()), int(b[:, 1].min()), int(b[:, 2].max()), int(b[:, 3].max()))


def _classify(c: Components) -> str:
    if len(c.boxes) < 15 or c.ink < 0.001:
        return "blank"
    runs = len(text_runs(c))
    if runs >= 8:  # several lines of running text: a text page, whatever else is on it
        return "text"
    if c.line_art.any():
        return "drawing"
    return "text" if c.text_like.sum() >= 50 else "blank"


def figure_regions(gray: np.ndarray, dpi: int = 300) -> list[BBox]:
    """Boxes of the figures on a page: line art with the labels and numerals around it (within
    5 mm), merged. On a text page a region must be 30 mm long and 20 mm wide (not a logo or a
    rule; a chart beside a column is ~60 x 25 mm) and its art must frame no lines of running text
    (a text frame) and fewer than ``TABLE_RUNS`` word-like runs (a ruled table); on a drawing
    sheet 15 mm either way."""
    c = components(gray, dpi)
    return _regions(c, _classify(c))


def _merge(regions: list[list[int]], pad: int) -> list[list[int]]:
    changed = True
    while changed:
        changed = False
        out: list[list[int]] = []
        for r in regions:
            for o in out:
                if _touch(r, o, pad):
                    o[:] = [min(o[0], r[0]), min(o[1], r[1]), max(o[2], r[2]), max(o[3], r[3])]
                    changed = True
                    break
            else:
                out.append(list(r))
        regions = out
    return regions


def _regions(c: Components, kind: str) -> list[BBox]:
    mm = c.dpi / 25.4
    h = c.boxes[:, 3] - c.boxes[:, 1]
    w = c.boxes[:, 2] - c.boxes[:, 0]
    seeds = c.boxes[c.line_art & (np.minimum(h, w) >= 3 * mm)]
    runs = text_runs(c)
    if kind != "drawing":
        seeds = [b for b in seeds if sum(1 for r in runs if _inside_any(r, [b])) < 3]
        if len(seeds):  # a ruled table of figures has no run of 10 glyphs but hundreds of 3+
            # (ocr-benchmark table_10: 259 and 223; charts <= 5, photos <= 12), counted among the
            # marks inside the seeds only (counting the whole page's runs is not needed)
            cx, cy = (c.boxes[:, 0] + c.boxes[:, 2]) / 2, (c.boxes[:, 1] + c.boxes[:, 3]) / 2
            framed = np.zeros(len(c.boxes), bool)
            for b in seeds:
                framed |= (cx >= b[0]) & (cx <= b[2]) & (cy >= b[1]) & (cy <= b[3])
            words = text_runs(Components(c.boxes[framed], c.width, c.height, c.dpi, c.ink), 3)
            seeds = [b for b in seeds if sum(1 for r in words if _inside_any(r, [b])) < TABLE_RUNS]
    if len(seeds) == 0:
        return []
    regions = _merge([list(map(int, b)) for b in seeds], int(5 * mm))
    small = c.boxes[~c.line_art]
    grown = []
    for r in regions:  # labels and numerals next to the art (not lines of running text)
        near = [b for b in small if _touch(r, b, int(5 * mm)) and not _inside_any(b, runs)]
        boxes = np.array(near + [r]) if near else np.array([r])
        grown.append(list(_union(boxes)))
    regions = _merge(grown, 0)
    if kind == "drawing":
        keep = [r for r in regions if min(r[2] - r[0], r[3] - r[1]) >= 15 * mm]
    else:
        keep = [r for r in regions if max(r[2] - r[0], r[3] - r[1]) >= FIGURE_MIN_MM * mm
                and min(r[2] - r[0], r[3] - r[1]) >= FIGURE_MIN_SHORT_MM * mm]
    keep = [(max(0, r[0]), max(0, r[1]), min(c.width, r[2]), min(c.height, r[3])) for r in keep]
    return sorted(keep, key=lambda r: (r[1] // int(10 * mm), r[0]))


def _touch(a, b, pad: int) -> bool:
    return a[0] - pad <= b[2] and b[0] <= a[2] + pad and a[1] - pad <= b[3] and b[1] <= a[3] + pad


def _inside_any(b, boxes) -> bool:
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return any(t[0] <= cx <= t[2] and t[1] <= cy <= t[3] for t in boxes)


def inside(bbox: BBox, regions: list[BBox]) -> bool:
    """Whether the centre of ``bbox`` lies in one of ``regions``."""
    return _inside_any(bbox, regions)


LABEL_CONF = 60.0  # a word read with less confidence inside a figure is a mark of the art, not text


def figure_label(word: Word) -> bool:
    """A word inside a figure region that belongs to the figure, not to the running text: a
    number (axis ticks, scale values, dates, reference numerals) or what the engine read with low
    confidence out of curves, hatching or a photo. A confidently read word without digits
    ("Price", "RESEARCH", a boxed title, a "$" or a dash) is text and stays in it: on the
    ocr-benchmark pages the marks without letters were as often real text as not."""
    return any(ch.isdigit() for ch in word.text) or word.conf < LABEL_CONF


def label_ids(page: OcrPage) -> set[str]:
    """Ids of the words of ``page`` that are figure labels (``figure_label`` inside a figure
    region of a text page). A drawing sheet's text is all labels and stays as it is."""
    if page.kind == "drawing" or not page.figures:
        return set()
    return {w.id for w in page.words() if figure_label(w) and inside(w.bbox, page.figures)}


def running_text(page: OcrPage, labels: set[str] | None = None) -> str:
    """``page.text`` without the figure labels (``label_ids``, or ``labels`` when the caller has
    them): the page's ``.txt`` is its running text, as layout tools (eScriptorium, Transkribus,
    ABBYY) keep the text of a graphic region out of the text flow and ST.36 keeps figure text out
    of the description. The labels stay in the page JSON (words), hOCR (beside the ``ocr_image``
    regions) and ALTO (tagged ``figure_label``)."""
    return page.text_without(label_ids(page) if labels is None else labels)


def outside_figures(candidates: list[QueueCandidate], pages: list[OcrPage]) -> list[QueueCandidate]:
    """Word queue items without those on a drawing page or inside a figure: a reviewer is never
    asked about a reference numeral ("QO") or a label of a drawing."""
    by_page = {p.number: p for p in pages}
    out = []
    for c in candidates:
        p = by_page.get(c.page)
        if c.kind == "word" and p is not None and (p.kind == "drawing" or (c.bbox and inside(c.bbox, p.figures))):
            continue
        out.append(c)
    return out


def crop(doc_dir: Path, doc: Document) -> list[str]:
    """Write every figure region of ``doc`` from ``pages/NNNN.tif`` to its ``figures/NNNN-k.tif``
    (CCITT G4, the page's resolution). Returns the files written; a missing page image is skipped
    (the figure keeps its region, the file is reported missing by the package step)."""
    written = []
    for f in doc.figures:
        if not f.bbox or not f.file.startswith(f"{FIGURES}/"):
            continue
        if save_crop(page_path(doc_dir, f.page, ".tif"), f.bbox, doc_dir / f.file):
            written.append(f.file)
    return written


def save_crop(src, bbox, dest) -> bool:
    """A region of a stored page image (``pages/NNNN.tif``) written atomically as CCITT G4 at the
    page's resolution; False when the page image is missing. Figures and tables are cut so."""
    from PIL import Image

    if not src.is_file():
        return False
    with Image.open(src) as im:
        dpi = im.info.get("dpi", (300, 300))
        part = im.crop(tuple(bbox)).convert("1", dither=Image.Dither.NONE)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    part.save(tmp, format="TIFF", compression="group4", dpi=dpi)
    tmp.replace(dest)
    return True


def figure_entries(pages: list[OcrPage]) -> list[Figure]:
    """``figures: [{id, page, bbox, file}]`` of the document JSON: every region of every page,
    numbered in page order; a drawing page without a region is one figure, the whole page."""
    out: list[Figure] = []
    for p in pages:
        regions = list(p.figures)
        if not regions and p.kind == "drawing":
            out.append(Figure(page=p.number, file=page_file(p.number, ".tif"), num=len(out) + 1,
                              id=f"fig{len(out) + 1:04d}"))
            continue
        for k, r in enumerate(regions, start=1):
            out.append(Figure(page=p.number, file=f"{FIGURES}/{page_name(p.number)}-{k}.tif", bbox=tuple(r), num=len(out) + 1,
                              id=f"fig{len(out) + 1:04d}"))
    return out
