"""Tables on a recognised page: found on the image (``structure.tables``), each cell read on its own
crop, and the page's words inside a table replaced by the cells' words.

    tables = read_tables(engine, prepared, page)    # page.blocks/page.tables updated in place

Each cell's crop is the cell inside its rules, the rules themselves painted white, with a white
border; a crop holding one line of ink is read as one line (page segmentation mode 7), more as a
block (6), so no word runs across two columns and a number is never read as part of its
neighbour. The table's words go into one block of their own, a line per cell in row order, so the
hOCR and ALTO keep each word with its cell and ``page.text`` reads row by row. Word ids continue
the page's numbering (``p0003_w00412`` …), stable across re-runs of the same page.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from .inid import KNOWN
from .model import Block, Line, OcrPage, Prepared, Table, Word
from .preprocess import bilevel
from .preprocess.geometry import rotate, rotation_matrix
from .structure.anchors import is_front_page
from .structure.sections import is_search_report_page
from .structure.tables import (bold_rows, drop_covered_rows, find_tables, ink_bands, inner_box, mark_head,
                               page_rule_masks, rule_masks, rule_skew, shared_area)

SINGLE_LINE, BLOCK = 7, 6  # Tesseract page segmentation modes
MARK_CONF = 60.0  # a cell "word" without a letter or digit read below this is a mark, not text
BORDER_MM = 2.0  # white border around a crop: the engine reads a glyph touching the edge badly
_ID = re.compile(r"_w(\d+)$")


def page_rules(bw: np.ndarray, dpi: int) -> np.ndarray:
    """The page's rule pixels, horizontal and vertical (``rule_masks``)."""
    horiz, vert = rule_masks(bw, dpi)
    return np.maximum(horiz, vert)


def _lines_of_ink(crop: np.ndarray, dpi: int) -> int:
    """Text lines of a crop (0 ink, 255 paper): runs of inked pixel rows, gaps under 0.4 mm joined."""
    return len(ink_bands((crop < 128).sum(axis=1), max(1, int(0.4 * dpi / 25.4))))


RULE_EDGE_MM = 0.7  # rule ink inside a cell's box is the cell's own rule when it reaches this close to the box's edge


def _cell_rules(rules: np.ndarray, dpi: int) -> np.ndarray:
    """The rule pixels of a cell's box (``rules``: the page's rule mask cut to the box) that are
    the table's rules: the pieces reaching the box's edge band (``RULE_EDGE_MM``; a rule along
    the cell's side, a stub of a separator left inside a spanning cell). A piece wholly inside is
    the cell's text (the strokes of bold or blurred letters that run together like a rule)."""
    on = (rules > 0).astype(np.uint8)
    if not on.any():
        return on.astype(bool)
    e = max(1, int(RULE_EDGE_MM * dpi / 25.4))
    _n, labels = cv2.connectedComponents(on, connectivity=8)
    band = np.ones(on.shape, bool)
    band[e:-e, e:-e] = False
    edge = np.unique(labels[band & (on > 0)])
    return np.isin(labels, edge[edge > 0])


def _paper(part: np.ndarray, ink: np.ndarray) -> int:
    """The paper's grey level of a crop: the median of its pixels that are not ink (255 on a
    page binarised, lower on a grey one)."""
    bg = part[~ink]
    return int(np.median(bg)) if bg.size else 255


def _crop(gray: np.ndarray, bw: np.ndarray, rules: np.ndarray, bbox, dpi: int) -> tuple[np.ndarray, tuple[int, int]] | None:
    x0, y0, x1, y1 = inner_box(bbox, dpi)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    part = gray[y0:y1, x0:x1].copy()
    mine = _cell_rules(rules[y0:y1, x0:x1], dpi)
    ink = (bw[y0:y1, x0:x1] == 0) & ~mine
    # a grey page's paper made white, as the rules and the border are painted: the engine
    # thresholds the crop as a whole, and grey paper inside a white frame reads as ink
    paper = _paper(part, (bw[y0:y1, x0:x1] == 0))
    if paper < 255:
        part = np.clip(part.astype(np.float32) * (255.0 / max(1, paper)), 0, 255).astype(np.uint8)
    part[mine] = 255
    if np.count_nonzero(ink) < 8:
        return None
    ys, xs = np.nonzero(ink)
    pad = max(2, int(0.3 * dpi / 25.4))
    ty0, ty1 = max(0, ys.min() - pad), min(part.shape[0], ys.max() + pad + 1)
    tx0, tx1 = max(0, xs.min() - pad), min(part.shape[1], xs.max() + pad + 1)
    part = part[ty0:ty1, tx0:tx1]
    lines = _lines_of_ink(np.where(ink[ty0:ty1, tx0:tx1], 0, 255), dpi)
    border = int(BORDER_MM * dpi / 25.4)
    framed = np.full((part.shape[0] + 2 * border, part.shape[1] + 2 * border), 255, np.uint8)
    framed[border:border + part.shape[0], border:border + part.shape[1]] = part
    return framed, (int(x0 + tx0 - border), int(y0 + ty0 - border)), lines


def read_cells(engine, image: np.ndarray, bw: np.ndarray, dpi: int, table: Table, number: int, first_id: int,
               rules: np.ndarray | None = None) -> int:
    """Read every cell of ``table`` on ``image`` (``bw``: its ink as 0, paper 255; ``rules``: the
    page's rule mask, ``page_rules``, when the caller has it); returns the next free word number."""
    rules = page_rules(bw, dpi) if rules is None else rules
    n = first_id
    for cell in table.cells:
        got = _crop(image, bw, rules, cell.bbox, dpi)
        cell.words = []
        if got is None:
            continue
        crop, (ox, oy), lines = got
        psm = SINGLE_LINE if lines <= 1 else BLOCK
        try:
            blocks = engine.recognize_region(crop, dpi, number, psm)
        except Exception:  # noqa: BLE001 - a cell the engine cannot read stays empty, the page goes on
            continue
        for b in blocks:
            for ln in b.lines:
                for w in ln.words:
                    if w.conf < MARK_CONF and not any(ch.isalnum() for ch in w.text):
                        continue  # a speck or the stub of a rule read as "‘", "©", ";"
                    x0, y0, x1, y1 = w.bbox
                    cell.words.append(Word(id=f"p{number:04d}_w{n:05d}", text=w.text,
                                           bbox=(int(x0 + ox), int(y0 + oy), int(x1 + ox), int(y1 + oy)), conf=float(w.conf)))
                    n += 1
    return n


KEPT_SHARE = 0.8  # a table whose cells hold fewer than this share of the page reading's letters and digits inside it is not kept
SURER = 5.0  # the page reading's words of a cell replace the cell's own reading when this much surer


def _inside(bbox, box, share: float = 0.8) -> bool:
    w = min(bbox[2], box[2]) - max(bbox[0], box[0])
    h = min(bbox[3], box[3]) - max(bbox[1], box[1])
    area = max(1, (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]))
    return w > 0 and h > 0 and w * h >= share * area


def keep_surer(table: Table, page_words: list[Word], number: int, first_id: int) -> int:
    """A cell keeps its own reading unless the page reading read the same cell clearly more
    surely: the page's words lying within the cell (none of them across its edges), as many as
    the cell's own, with a mean confidence ``SURER`` higher. A cell the page reading ran into
    its neighbour (a word across the edge) always keeps its own reading. Returns the next free
    word number."""
    n = first_id
    for cell in table.cells:
        mine = cell.words
        if not mine:
            continue
        theirs = [w for w in page_words if _centre_in(w.bbox, cell.bbox)]
        if not theirs or len(theirs) != len(mine) or not all(_inside(w.bbox, cell.bbox) for w in theirs):
            continue
        if sum(w.conf for w in theirs) / len(theirs) >= sum(w.conf for w in mine) / len(mine) + SURER:
            cell.words = []
            for w in theirs:
                cell.words.append(Word(id=f"p{number:04d}_w{n:05d}", text=w.text, bbox=w.bbox, conf=w.conf,
                                       ocr_text=w.ocr_text))
                n += 1
    return n


def _alnum(words) -> int:
    """Letters and digits of ``words``."""
    return sum(sum(ch.isalnum() for ch in w.text) for w in words)


_IN_PARENS = re.compile(r"^\((\d{1,4})\)[,.;:]?$")
CHANCE_CODES = 2  # parenthesised numbers that are no INID code, this many times those that are: codes by chance


_MARKER = re.compile(r"^(\(?\d{1,3}[.,)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)]|[•·*\-–—])$")


LIST_SHARE = 0.6  # this share of a two-column unruled table's first cells list markers: a list


def _list(table: Table) -> bool:
    """Whether an unruled table of two columns is a list: ``LIST_SHARE`` of its first column's
    cells or more are list markers (``1.``, ``2,``, ``(a)``, ``ii)``, ``•``; a misread marker or a
    head may be among them) beside items set with a hanging indent. A table's keys (``87``,
    ``Ex. 3``) carry no such point or bracket."""
    if table.ruling != "unruled" or table.cols != 2:
        return False
    keys = [c.text.strip() for c in table.cells if c.col == 0 and c.text.strip()]
    return len(keys) >= 2 and sum(1 for k in keys if _MARKER.match(k)) >= LIST_SHARE * len(keys)


def _front_page(page: OcrPage) -> bool:
    """A front page (``anchors.is_front_page``: three INID codes or more), unless its numbers in
    parentheses are mostly no INID code: a table's column of compound or reference numbers,
    ``(11)``, ``(40)`` and ``(47)`` among ``(100)``, ``(103)``, ``(116)``."""
    if not is_front_page(page):
        return False
    nums = [m[1] for w in page.words() if (m := _IN_PARENS.match(w.text))]
    codes = sum(1 for n in nums if n in KNOWN)
    return len(nums) - codes < CHANCE_CODES * max(codes, 1)  # codes in brackets or bare: no parentheses


def _next_id(page: OcrPage) -> int:
    best = 0
    for w in page.words():
        m = _ID.search(w.id)
        if m:
            best = max(best, int(m.group(1)))
    return best + 1


def _centre_in(bbox, box) -> bool:
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def place(page: OcrPage, tables: list[Table], inside=None) -> None:
    """Put the tables' words into ``page``: the words the page reading found inside a table go,
    a block per table (a line per cell, row by row) takes their place in reading order.
    ``inside(bbox)``: whether a page word lies in a table (default: its centre in a table's box)."""
    if not tables:
        return
    boxes = [t.bbox for t in tables]
    if inside is None:
        def inside(bbox) -> bool:
            return any(_centre_in(bbox, t) for t in boxes)
    blocks = []
    for b in page.blocks:
        for ln in b.lines:
            ln.words = [w for w in ln.words if not inside(w.bbox)]
        b.lines = [ln for ln in b.lines if ln.words]
        if b.lines:
            blocks.append(b)
    for t in tables:
        lines = [Line(bbox=c.bbox, words=list(c.words)) for c in sorted(t.cells, key=lambda c: (c.row, c.col)) if c.words]
        if not lines:
            continue
        block = Block(bbox=t.bbox, lines=lines)
        # before the first block that starts below the table's top
        at = next((i for i, b in enumerate(blocks) if b.bbox[1] > t.bbox[1] and b.bbox[0] < t.bbox[2]), len(blocks))
        blocks.insert(at, block)
    page.blocks = blocks
    page.tables = tables


class _Turn:
    """A page turned by ``angle`` degrees about its centre (a page read as scanned whose rules
    slope, ``rule_skew``): boxes from the turned page back to the page's own pixels and there."""

    def __init__(self, shape, angle: float):
        h, w = shape[:2]
        self.to = rotation_matrix(shape, angle)
        self.back = cv2.invertAffineTransform(self.to)
        self.w, self.h = w, h

    def _map(self, m, x: float, y: float) -> tuple[float, float]:
        return m[0, 0] * x + m[0, 1] * y + m[0, 2], m[1, 0] * x + m[1, 1] * y + m[1, 2]

    def box(self, bbox, m=None):
        """A region's box: the box around its four turned corners."""
        m = self.back if m is None else m
        pts = [self._map(m, x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return (max(0, int(min(xs))), max(0, int(min(ys))), min(self.w, int(round(max(xs)))), min(self.h, int(round(max(ys)))))

    def word(self, bbox, m=None):
        """A word's box: its centre turned, its size kept."""
        m = self.back if m is None else m
        cx, cy = self._map(m, (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2)
        hw, hh = (bbox[2] - bbox[0]) / 2, (bbox[3] - bbox[1]) / 2
        return (max(0, int(round(cx - hw))), max(0, int(round(cy - hh))), min(self.w, int(round(cx + hw))),
                min(self.h, int(round(cy + hh))))


def read_tables(engine, prepared: Prepared, page: OcrPage) -> list[Table]:
    """Find and read the tables of a recognised page; ``page`` is updated in place (see ``place``).
    A page without tables is left exactly as it was."""
    if (page.kind == "drawing" and not page.words()) or _front_page(page) or is_search_report_page(page):
        return []  # (a front page's boxes and columns, a search report's form: not the description's tables)
    image = prepared.image
    # the ink as the engine was told it (``Prepared.ink_level``: grey ink on a prepared page); one
    # threshold (a whole-page np.where built an int64 page first: ~10 ms a 4-Mpx page)
    bw = bilevel(image, int(prepared.ink_level))
    # a page read as scanned, not straightened (the harm guard may keep such a reading), is
    # turned level for its tables only: found and read there, their boxes turned back
    masks = page_rule_masks(bw, prepared.dpi)  # made once: the skew, the tables and the cells' crops
    angle = rule_skew(bw, prepared.dpi, masks)
    turn = _Turn(image.shape, angle) if angle else None
    if turn is not None:
        image = rotate(image, angle)
        bw = bilevel(image, int(prepared.ink_level))
        masks = page_rule_masks(bw, prepared.dpi)
    tables = find_tables(bw, prepared.dpi, page.number, masks)
    if not tables:
        return []
    dpi = int(prepared.dpi)  # the pixels' resolution: a cell is read as the glyphs measure, whatever the page was told
    n = _next_id(page)
    page_words = page.words()
    if turn is not None:  # the page reading's words where they lie on the turned page
        page_words = [Word(id=w.id, text=w.text, bbox=turn.word(w.bbox, turn.to), conf=w.conf, ocr_text=w.ocr_text)
                      for w in page_words]
    kept = []
    rules = np.maximum(*masks) if masks is not None else page_rules(bw, dpi)
    for t in tables:
        n = read_cells(engine, image, bw, dpi, t, page.number, n, rules)
        n = keep_surer(t, page_words, page.number, n)
        mark_head(t, bold_rows(bw, rules, t, dpi))
        drop_covered_rows(t)
        # letters and digits, not words: the page reading reads a ruled table's rules as words of
        # their own ("|", "_", "=|") that no cell holds, and runs a cell's word into its rule ("|C2H5")
        inside = _alnum(w for w in page_words if _centre_in(w.bbox, t.bbox))
        if _alnum(w for c in t.cells for w in c.words) >= KEPT_SHARE * inside and not _list(t):
            kept.append(t)  # (cells holding far less than the page reading found there: the structure lost it)
    tables = [t for t in kept if any(c.words for c in t.cells)]
    inside = None
    if turn is not None:
        level = [t.bbox for t in tables]

        def inside(bbox) -> bool:  # a page word inside a table, judged on the turned page
            return any(_centre_in(turn.word(bbox, turn.to), b) for b in level)

        for t in tables:
            t.bbox = turn.box(t.bbox)
            for c in t.cells:
                c.bbox = turn.box(c.bbox)
                for w in c.words:
                    w.bbox = turn.word(w.bbox)
    # a figure region that is a table is not a figure
    page.figures = [f for f in page.figures if not any(_overlap(f, t.bbox) > 0.5 for t in tables)]
    place(page, tables, inside)
    return tables


def _overlap(a, b) -> float:
    """Share of ``a``'s area inside ``b``."""
    return shared_area(a, b) / max(1, (a[2] - a[0]) * (a[3] - a[1]))
