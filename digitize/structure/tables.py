"""Table regions and their cell structure, from the page image (before the cells are read).

    tables = find_tables(gray, dpi, page=3)     # [Table(bbox, rows, cols, cells=[TableCell(bbox)…])]

Two kinds are found, both from OpenCV morphology on the ink:

* ``ruled``: a frame of lines with a grid inside. Row and column boundaries are the horizontal and
  vertical rules (opened out of the ink with long thin kernels); two neighbouring grid cells are
  one spanning cell where the rule between them is missing (EP tables' ``morerows`` and
  ``namest``/``nameend`` print that way).
* ``partly``: horizontal rules only (a rule above the head, one under it, one closing the table,
  as most typeset tables print). Rows are the text lines between the rules; columns are the
  vertical gaps no line's ink crosses; a run of ink that crosses a gap (a head cell over two
  columns) is one spanning cell.

A candidate is kept only when it looks like a table, not a drawing or a framed paragraph: at
least two rows and two columns, text-sized ink in at least half its cells, no cell wider than
the page's running text would make it (a framed paragraph is one cell). Words are not needed
here: cells are read one by one afterwards (``digitize/table_ocr.py``), so detection never
depends on how the engine grouped the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..model import BBox, Table, TableCell

H_RULE_MM = 8.0  # a horizontal rule is at least this long (kernel of the opening)
V_RULE_MM = 3.5  # a vertical rule segment at least this tall (one row of 8-pt type and its padding)
MIN_TABLE_W_MM, MIN_TABLE_H_MM = 25.0, 8.0
FRAME_COVER = 0.8  # the outer rules cover this share of the table's side: a closed frame
SEP_COVER = 0.5  # a rule between two grid cells covering less than this of their side: one spanning cell
MIN_FILLED = 0.5  # at least this share of the cells holds text-sized ink (or half of it, and ROWS_FILLED of the rows)
ROWS_FILLED = 0.9  # ... a table whose long cells are set line by line, a row a line, leaves cells beside them empty
PARTLY_MIN_W_MM = 40.0  # a partly ruled table's rules are at least this long
RULE_REACH_MM = 200.0  # ... the next rule of a table at most this far below the last
BODY_REACH_MM = 290.0  # ... or this far, under a table's first two rules (over and under its head)
MIN_ROW_MM, MIN_COL_MM = 2.2, 4.0  # a ruled table's rows hold a line of text, its columns a word
MAX_ROW_MM = 90.0
MAX_CELL_SHARE = 0.5  # no cell of a ruled table covers more than this share of it


@dataclass
class _Seg:
    a: int  # start along the rule
    b: int  # end along the rule
    at: int  # position across (y of a horizontal rule, x of a vertical one)
    thick: int


def _ink(gray: np.ndarray) -> np.ndarray:
    return (gray < 128).astype(np.uint8)


def rule_masks(gray: np.ndarray, dpi: int, ink: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) rule pixels of a page: the ink that survives an opening with a
    long thin kernel (``ink``: the page's ``_ink``, when the caller has it already)."""
    ink = _ink(gray) if ink is None else ink
    mm = dpi / 25.4
    hk = max(int(H_RULE_MM * mm), 15)
    vk = max(int(V_RULE_MM * mm), 10)
    # a thin rule scanned at an angle or rescaled is a staircase with breaks: thickened across
    # and closed along first, so the opening keeps it (the text's letters stay apart)
    h_src = cv2.morphologyEx(cv2.dilate(ink, np.ones((3, 1), np.uint8)), cv2.MORPH_CLOSE, np.ones((1, 3), np.uint8))
    v_src = cv2.morphologyEx(cv2.dilate(ink, np.ones((1, 3), np.uint8)), cv2.MORPH_CLOSE, np.ones((3, 1), np.uint8))
    horiz = cv2.morphologyEx(h_src, cv2.MORPH_OPEN, np.ones((1, hk), np.uint8))
    vert = cv2.morphologyEx(v_src, cv2.MORPH_OPEN, np.ones((vk, 1), np.uint8))
    got = _rule_dots(ink, dpi)
    if got is not None:  # dotted rules: the dots joined along the rule, then opened the same way;
        dots, halftone = got  # a halftone's dots are no rule of either kind
        horiz[halftone > 0] = 0
        vert[halftone > 0] = 0
        gap = max(3, int(DOT_GAP_MM * mm))
        horiz |= cv2.morphologyEx(cv2.morphologyEx(dots, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8)),
                                  cv2.MORPH_OPEN, np.ones((1, hk), np.uint8))
        vert |= cv2.morphologyEx(cv2.morphologyEx(dots, cv2.MORPH_CLOSE, np.ones((gap, 1), np.uint8)),
                                 cv2.MORPH_OPEN, np.ones((vk, 1), np.uint8))
    return horiz, vert


DOT_MM = 0.5  # a dot of a dotted rule fits in a square this wide
DOT_GAP_MM = 0.6  # ... and the next dot is at most this far (a dot leader's periods are 1 mm and more apart)
MIN_DOTS = 200
HALFTONE_HOLE_MM = 4.0  # a hole this wide in a halftone (a word printed on the grey) is part of it  # fewer dots than this on a page: no dotted rule worth looking for


def _rule_dots(ink: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The page's small dots that may make dotted rules: components no larger than ``DOT_MM``
    square, without those of a halftone (a grey fill behind a table's head: dots close on every
    side, which a closing over ``DOT_GAP_MM`` turns into a solid area, unlike a line of dots),
    and that halftone's area. None when the page has too few dots for a rule."""
    mm = dpi / 25.4
    _n, labels, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    lim = max(2, int(DOT_MM * mm))
    small = (stats[:, 2] <= lim) & (stats[:, 3] <= lim)
    small[0] = False
    if int(np.count_nonzero(small)) < MIN_DOTS:
        return None
    dots = small[labels].astype(np.uint8)
    gap = max(3, int(DOT_GAP_MM * mm))
    solid = cv2.morphologyEx(dots, cv2.MORPH_CLOSE, np.ones((gap, gap), np.uint8))
    t = max(3, int(DOT_MM * mm))
    halftone = cv2.morphologyEx(solid, cv2.MORPH_OPEN, np.ones((t, t), np.uint8))
    if np.count_nonzero(halftone):  # the letters printed on it too (their glyphs join its dots): holes filled
        k = max(3, int(HALFTONE_HOLE_MM * mm))
        halftone = cv2.morphologyEx(halftone, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    halftone = cv2.dilate(halftone, np.ones((3, 3), np.uint8))
    dots[halftone > 0] = 0
    return dots, halftone


def _components(mask: np.ndarray):
    """``cv2.connectedComponentsWithStats`` (8-connected) of a sparse mask (rules), run on the box
    around its pixels, the box's corner at even coordinates (the labelling's 2x2 blocks fall as
    on the whole mask): the same labels, and the same stats and centroids for components 1..;
    row 0 (the background) is not the whole mask's, and no caller reads it. A page's rule masks
    are mostly empty: labelling the whole page was a third of the table step (bench/README.md)."""
    x, y, w, h = cv2.boundingRect(mask)
    if w == 0 or h == 0:
        return cv2.connectedComponentsWithStats(mask, connectivity=8)
    x0, y0 = x - x % 2, y - y % 2
    n, part, stats, centroids = cv2.connectedComponentsWithStats(mask[y0:y + h, x0:x + w], connectivity=8)
    labels = np.zeros(mask.shape, np.int32)
    labels[y0:y + h, x0:x + w] = part
    stats[1:, 0] += x0
    stats[1:, 1] += y0
    centroids[1:, 0] += x0
    centroids[1:, 1] += y0
    return n, labels, stats, centroids


def _segments(mask: np.ndarray, horizontal: bool) -> list[_Seg]:
    n, _, stats, _ = _components(mask)
    out = []
    for x, y, w, h, _area in stats[1:]:
        if horizontal:
            out.append(_Seg(int(x), int(x + w), int(y + h // 2), int(h)))
        else:
            out.append(_Seg(int(y), int(y + h), int(x + w // 2), int(w)))
    return out


def _cluster(values: list[int], tol: int) -> list[int]:
    """Positions within ``tol`` of each other as one (their mean)."""
    out: list[list[int]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [int(round(sum(g) / len(g))) for g in out]


def _cover(mask: np.ndarray, horizontal: bool, at: int, a: int, b: int, tol: int) -> float:
    """Share of [a, b) along a rule at ``at`` (± tol) that is rule ink."""
    if b <= a:
        return 0.0
    if horizontal:
        band = mask[max(0, at - tol): at + tol + 1, a:b]
    else:
        band = mask[a:b, max(0, at - tol): at + tol + 1].T
    if band.size == 0:
        return 0.0
    return float(np.count_nonzero(band.max(axis=0))) / (b - a)


STRAY_OUT_MM = 2.0  # a vertical line reaching this far past a table's first or last rule runs through it: no rule of it
STRAY_END_MM = 2.5  # ... and one ending this far from every rule of the table (inside a cell) is none either


def _stray(vert: np.ndarray, x: int, top: int, bottom: int, ys: list[int], dpi: int, inside: bool = True) -> bool:
    """Whether the vertical line at ``x`` is no rule of a table from ``top`` to ``bottom``
    whose horizontal rules are at ``ys``: it runs on past the table's first or last rule
    (``STRAY_OUT_MM``), or one of its pieces inside ends in a cell, away from every rule
    (``STRAY_END_MM``; ``inside``: that one looked at too). A table's rules meet its rules; a
    scanner's streak or a scratch on the glass crosses the table wherever the sheet lay."""
    mm = dpi / 25.4
    tol = max(2, int(0.6 * mm))
    out, reach = int(STRAY_OUT_MM * mm), int(5 * mm)
    x0, x1 = max(0, x - tol), min(vert.shape[1], x + tol + 1)
    lo, hi = max(0, top - reach), min(vert.shape[0], bottom + reach + 1)
    on = vert[lo:hi, x0:x1].max(axis=1)
    for a, b in ink_bands(on, max(2, int(1.0 * mm))):
        a, b = a + lo, b + lo
        if b - a < 3 * mm:
            continue  # a stub
        if b <= top or a >= bottom:
            continue  # wholly above or below the table (a drawing's or another table's line): not through it
        if a < top - out or b > bottom + out:
            return True
        if inside and any(min(abs(e - y) for y in ys) > STRAY_END_MM * mm for e in (a, b)):
            return True
    return False


def _run_at(vert: np.ndarray, x: int, top: int, bottom: int, dpi: int) -> tuple[int, int]:
    """The extent of the vertical rule at ``x`` (± the rules' tolerance) that covers the middle
    of ``top``..``bottom``; (top, bottom) when none does."""
    mm = dpi / 25.4
    tol = max(2, int(0.6 * mm))
    on = vert[:, max(0, x - tol):x + tol + 1].max(axis=1)
    mid = (top + bottom) // 2
    for a, b in ink_bands(on, max(2, int(1.0 * mm))):
        if a <= mid < b:
            return a, b
    return top, bottom


def _text_ink(ink: np.ndarray, box: BBox, rules: np.ndarray, dpi: int) -> bool:
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return False
    part = ink[y0:y1, x0:x1] & (1 - rules[y0:y1, x0:x1])
    return int(np.count_nonzero(part)) >= max(6, int((dpi / 25.4) ** 2 * 0.15))


# --------------------------------------------------------------------------- ruled tables


def _ruled(ink, horiz, vert, box: BBox, dpi: int, page: int) -> Table | None:
    mm = dpi / 25.4
    x0, y0, x1, y1 = box
    tol = max(2, int(0.6 * mm))
    hs = [s for s in _segments(horiz[y0:y1 + 1, x0:x1 + 1], True)]
    vs = [s for s in _segments(vert[y0:y1 + 1, x0:x1 + 1], False)]
    ys = _cluster([s.at + y0 for s in hs if s.b - s.a >= 4 * mm], tol)
    xs = _cluster([s.at + x0 for s in vs if s.b - s.a >= 2.5 * mm], tol)
    # a rule at the box's edge that does not close the frame (a heading's underline or a
    # formula's bar that a streak joined to the table's rules) is no side of it
    for _ in range(3):
        n = len(ys), len(xs)
        while len(ys) >= 2 and len(xs) >= 2 and _cover(horiz, True, ys[0], xs[0], xs[-1], tol) < FRAME_COVER:
            ys = ys[1:]
        while len(ys) >= 2 and len(xs) >= 2 and _cover(horiz, True, ys[-1], xs[0], xs[-1], tol) < FRAME_COVER:
            ys = ys[:-1]
        while len(ys) >= 2 and len(xs) >= 2 and _cover(vert, False, xs[0], ys[0], ys[-1], tol) < FRAME_COVER:
            xs = xs[1:]
        while len(ys) >= 2 and len(xs) >= 2 and _cover(vert, False, xs[-1], ys[0], ys[-1], tol) < FRAME_COVER:
            xs = xs[:-1]
        if (len(ys), len(xs)) == n:
            break
    if len(ys) < 2 or len(xs) < 2:
        return None
    width, height = xs[-1] - xs[0], ys[-1] - ys[0]
    if not (_cover(horiz, True, ys[0], xs[0], xs[-1], tol) >= FRAME_COVER and
            _cover(horiz, True, ys[-1], xs[0], xs[-1], tol) >= FRAME_COVER and
            _cover(vert, False, xs[0], ys[0], ys[-1], tol) >= FRAME_COVER and
            _cover(vert, False, xs[-1], ys[0], ys[-1], tol) >= FRAME_COVER):
        return None
    # a frame's top and bottom rules end at its sides: rules running on past them make the
    # "frame" two column rules of a larger table ruled between its columns (read as partly ruled)
    out_l = (max(0, xs[0] - int(6 * mm)), max(0, xs[0] - int(1.5 * mm)))
    out_r = (xs[-1] + int(1.5 * mm), min(horiz.shape[1], xs[-1] + int(6 * mm)))
    for y in (ys[0], ys[-1]):
        if _cover(horiz, True, y, *out_l, tol) >= 0.5 or _cover(horiz, True, y, *out_r, tol) >= 0.5:
            return None
    # rules inside: a row rule must cover at least one column's width, a column rule one row's height
    ys = [y for y in ys if y in (ys[0], ys[-1]) or any(
        _cover(horiz, True, y, a, b, tol) >= 0.9 for a, b in zip(xs, xs[1:]))]
    # (the frame's height is its sides' too: a top rule the masks lost leaves the column rules
    # running above the first rule found, as far as the sides do)
    sides = [_run_at(vert, x, ys[0], ys[-1], dpi) for x in (xs[0], xs[-1])]
    top, bottom = min([ys[0]] + [a for a, _ in sides]), max([ys[-1]] + [b for _, b in sides])
    xs = [x for x in xs if x in (xs[0], xs[-1]) or any(
        _cover(vert, False, x, a, b, tol) >= 0.9 for a, b in zip(ys, ys[1:])) and not _stray(
        vert, x, top, bottom, ys + [top, bottom], dpi, inside=False)]
    rows, cols = len(ys) - 1, len(xs) - 1
    if rows < 1 or cols < 2 or rows * cols < 3 or width < MIN_TABLE_W_MM * mm or height < MIN_TABLE_H_MM * mm:
        return None
    if min(b - a for a, b in zip(ys, ys[1:])) < MIN_ROW_MM * mm or min(b - a for a, b in zip(xs, xs[1:])) < MIN_COL_MM * mm:
        return None  # rules closer than a line of text: hatching, a chart's grid, a form's boxes
    if max(b - a for a, b in zip(ys, ys[1:])) > MAX_ROW_MM * mm:
        return None  # a "row" taller than a third of a page: a page frame or a box around text
    # union-find over grid cells: merged where the rule between them is missing
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and _cover(vert, False, xs[c + 1], ys[r] + tol, ys[r + 1] - tol, tol) < SEP_COVER:
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and _cover(horiz, True, ys[r + 1], xs[c] + tol, xs[c + 1] - tol, tol) < SEP_COVER:
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    rules = np.maximum(horiz, vert)
    cells: list[TableCell] = []
    taken: set[tuple[int, int]] = set()
    for members in sorted(groups.values(), key=lambda m: min(m)):
        r0, c0 = min(r for r, _ in members), min(c for _, c in members)
        r1, c1 = max(r for r, _ in members), max(c for _, c in members)
        span = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if span & taken:  # a non-rectangular merge: keep the grid cells that are still free
            for r, c in members:
                if (r, c) not in taken:
                    taken.add((r, c))
                    cells.append(TableCell(row=r, col=c, bbox=(xs[c], ys[r], xs[c + 1], ys[r + 1])))
            continue
        taken |= span
        cells.append(TableCell(row=r0, col=c0, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1,
                               bbox=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    if len(cells) < 3:
        return None  # a framed paragraph or a box of a drawing
    area = (xs[-1] - xs[0]) * (ys[-1] - ys[0])
    if max((c.bbox[2] - c.bbox[0]) * (c.bbox[3] - c.bbox[1]) for c in cells) > MAX_CELL_SHARE * area:
        return None  # one cell over most of the frame: a box around text with a few rules in it
    filled = [c for c in cells if _text_ink(ink, inner_box(c.bbox, dpi), rules, dpi)]
    if len(filled) < MIN_FILLED * len(cells) and not (
            len({c.row for c in filled}) >= ROWS_FILLED * rows and len(filled) >= MIN_FILLED / 2 * len(cells)):
        return None  # (half the cells empty: a table set line by line has text in every row, a drawing's grid has not)
    cells.sort(key=lambda c: (c.row, c.col))
    return Table(page=page, bbox=(xs[0], ys[0], xs[-1], ys[-1]), rows=rows, cols=cols, cells=cells, ruling="ruled",
                 col_widths=[b - a for a, b in zip(xs, xs[1:])])


def inner_box(bbox: BBox, dpi: int) -> BBox:
    pad = max(2, int(0.35 * dpi / 25.4))
    x0, y0, x1, y1 = bbox
    return (x0 + pad, y0 + pad, max(x0 + pad, x1 - pad), max(y0 + pad, y1 - pad))


# --------------------------------------------------------------------------- partly ruled tables


def ink_bands(profile: np.ndarray, min_gap: int) -> list[tuple[int, int]]:
    """Runs of non-zero values, runs closer than ``min_gap`` joined."""
    on = np.flatnonzero(profile > 0)
    if not len(on):
        return []
    out = [[int(on[0]), int(on[0]) + 1]]
    for v in on[1:]:
        if v - out[-1][1] < min_gap:
            out[-1][1] = int(v) + 1
        else:
            out.append([int(v), int(v) + 1])
    return [(a, b) for a, b in out]


PROSE_FILL = 0.5  # share of a gap-found table's cell lines filling their column: running text
SPECK_MM = 0.45  # ink smaller than this both ways is a speck (or a full stop): no word, no column
WORD_GAP_MM = 1.2  # ink closer than this along a line is one run of words (a word space is ~0.25 em)
SEP_MM = 1.0  # a column gap: at least this wide, crossed by no line of the body with two runs or more
ROW_JUMP = 1.3  # a gap between lines this many times the one below it in size separates rows


def _prose_columns(ink, rules, lines, cols_x, x0: int) -> float:
    """Share of the (line, column) pieces with ink whose ink spans 85 % of the column or more:
    lines of running text fill their column, a table's cells mostly do not."""
    full = total = 0
    for a, b in lines:
        for ca, cb in cols_x:
            part = (ink[a:b, x0 + ca:x0 + cb] & (1 - rules[a:b, x0 + ca:x0 + cb])).max(axis=0)
            on = np.flatnonzero(part)
            if len(on):
                total += 1
                full += (on[-1] - on[0] + 1) >= 0.85 * (cb - ca)
    return full / total if total else 0.0


def _despeckle(ink: np.ndarray, dpi: int) -> np.ndarray:
    """``ink`` without its specks: components no larger than ``SPECK_MM`` either way (dust, a
    scan's noise, full stops: nothing a column or a row is drawn from)."""
    lim = max(2, int(np.ceil(SPECK_MM * dpi / 25.4)))
    n, labels, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = (stats[:, 2] > lim) | (stats[:, 3] > lim)
    keep[0] = False
    return keep[labels].astype(np.uint8)


@dataclass
class _TextLine:
    a: int  # top (page y)
    b: int  # bottom
    core: tuple[int, int]  # the rows holding most of its ink (without ascenders and descenders)
    runs: list[tuple[int, int]]  # runs of words along it (page x), ``WORD_GAP_MM`` apart or more


def _text_lines(clean: np.ndarray, x0: int, y0: int, dpi: int) -> list[_TextLine]:
    """The lines of text of a region's ink (specks and rules out), each with its runs of words:
    ink joined along the line over gaps up to a word space, measured on the region (the
    lower quartile of the gaps of 0.8 mm or more between its ink, times 1.6, within
    ``WORD_GAP_MM`` and 2 mm: a table of one figure a cell has column gaps only, never under
    2.4 mm)."""
    mm = dpi / 25.4
    bands = [(a, b) for a, b in ink_bands(clean.sum(axis=1), max(1, int(0.2 * mm))) if b - a >= 0.8 * mm]
    gaps = []
    for a, b in bands:
        runs = ink_bands(clean[a:b].max(axis=0), max(2, int(0.5 * mm)))
        gaps += [r2[0] - r1[1] for r1, r2 in zip(runs, runs[1:]) if r2[0] - r1[1] >= 0.8 * mm]
    join = WORD_GAP_MM * mm
    if gaps:
        join = min(max(join, 1.6 * float(np.percentile(gaps, 25))), 2.0 * mm)
    out = []
    for a, b in bands:
        band = clean[a:b]
        prof = band.sum(axis=1)
        core = np.flatnonzero(prof >= 0.35 * prof.max())
        runs = [(ra + x0, rb + x0) for ra, rb in ink_bands(band.max(axis=0), max(2, int(join)))]
        out.append(_TextLine(a + y0, b + y0, (int(core[0]) + a + y0, int(core[-1]) + a + y0 + 1), runs))
    return out


def _column_gaps(lines: list[_TextLine], x0: int, x1: int, dpi: int) -> list[tuple[int, int]] | None:
    """The gaps between columns (page x ranges, left to right) from the words' alignment: x ranges of at least
    ``SEP_MM`` that no line of two runs or more has ink in (one may, when eight lines or more draw
    the columns and half of them have words in the column the gap opens: a long name run into
    the gap); a line of one run (a footnote across the table, a
    wrapped cell's last words) says nothing about the columns. None: fewer than two columns."""
    mm = dpi / 25.4
    multi = [ln for ln in lines if len(ln.runs) >= 2]
    if len(multi) < 2:
        return None
    count = np.zeros(x1 - x0, np.int32)
    for ln in multi:
        for a, b in ln.runs:
            count[max(0, a - x0):max(0, b - x0)] += 1
    tol = 1 if len(multi) >= 8 else 0
    free = ink_bands((count <= tol).astype(np.int32), 1)
    seps = [(a, b) for a, b in free if b - a >= SEP_MM * mm and a > 0 and b < x1 - x0]
    out = []
    for i, (a, b) in enumerate(seps):
        clear = [(a + ca, a + cb) for ca, cb in ink_bands((count[a:b] == 0).astype(np.int32), 1)
                 if cb - ca >= SEP_MM * mm]
        if clear:  # crossed by no line where it is widest
            out.append(max(clear, key=lambda g: g[1] - g[0]))
            continue
        nxt = seps[i + 1][0] if i + 1 < len(seps) else x1 - x0
        starts = sum(1 for ln in multi if any(b <= ra - x0 < nxt for ra, _ in ln.runs))
        if starts >= 0.5 * len(multi):
            out.append((a, b))
    return [(x0 + a, x0 + b) for a, b in out] or None


def _head_columns(gaps: list[tuple[int, int]], head: list[_TextLine], dpi: int) -> list[tuple[int, int]]:
    """A head's words standing inside a gap of the body, clear of both its sides, head a column
    the body leaves empty (a "Structure" column whose drawings are not text): the gap becomes
    two, one each side of them."""
    mm = dpi / 25.4
    out = []
    for a, b in gaps:
        inner = [(ra, rb) for ln in head for ra, rb in ln.runs if ra - a >= SEP_MM * mm and b - rb >= SEP_MM * mm]
        if inner:
            out += [(a, min(ra for ra, _ in inner)), (max(rb for _, rb in inner), b)]
        else:
            out.append((a, b))
    return out


GUTTER = 0.1  # a gap between two columns narrower than this share of their width: a page's gutter, not a table's


def _gutter(gap: tuple[int, int], width: int) -> bool:
    """Whether the gap between two columns is a two-column page's gutter (``GUTTER``): a
    table's two columns (names and their values) stand wider apart than a page's."""
    return gap[1] - gap[0] < GUTTER * width


KEY_SHARE = 0.3  # two columns, the first no wider than this share of both: keys and their entries, not a page's two columns


def _keyed(bounds: list[int]) -> bool:
    """Whether two columns (``bounds``) are a narrow column of keys beside their entries
    (``KEY_SHARE``; ``87`` beside ``MS (ESI+) ...``): a page's two columns are alike in width."""
    return len(bounds) == 3 and bounds[1] - bounds[0] <= KEY_SHARE * (bounds[2] - bounds[0])


def _occupied(ln: _TextLine, bounds: list[int]) -> dict[int, tuple[int, int]]:
    """Columns a line has words in → the extent of its words there."""
    out: dict[int, tuple[int, int]] = {}
    for a, b in ln.runs:
        mid = (a + b) // 2
        for c in range(len(bounds) - 1):
            if bounds[c] <= mid < bounds[c + 1] or (c == len(bounds) - 2 and mid >= bounds[c + 1]):
                lo, hi = out.get(c, (a, b))
                out[c] = (min(lo, a), max(hi, b))
                break
    return out


def _bounds(gaps: list[tuple[int, int]], x0: int, x1: int) -> list[int]:
    """Column boundaries: the table's sides and the middle of each column gap between them."""
    return [x0] + [(a + b) // 2 for a, b in gaps] + [x1]


def _row_ys(groups: list[list[_TextLine]], top: int, bottom: int) -> list[int]:
    """Row boundaries: ``top``, the middle of each gap between two rows' lines, ``bottom``."""
    return [top] + [(g[-1].b + h[0].a) // 2 for g, h in zip(groups, groups[1:])] + [bottom]


def _row_cut(gaps: list[int], dpi: int) -> float | None:
    """The size between a cell's wrapped lines and the rows' lines among ``gaps`` (between lines'
    cores): the first jump of ``ROW_JUMP`` times and 0.8 mm up the sorted gaps. None: one size."""
    mm = dpi / 25.4
    srt = sorted(gaps)
    for lo, hi in zip(srt, srt[1:]):
        if hi >= ROW_JUMP * max(lo, 1) and hi - lo >= 0.8 * mm:
            return (lo + hi) / 2
    return None


def _row_groups(lines: list[_TextLine], bounds: list[int], dpi: int) -> list[list[_TextLine]]:
    """The body's lines grouped into rows. Rows set apart by more space than a cell's wrapped
    lines (``_row_cut``: the gaps between the lines' cores fall into two sizes or more) are cut
    there, and inside such a row of four lines or more at a line with words in the same two
    columns or more as the line above (records set solid between rules, not a cell's wrapped
    lines). A body set at one pitch is a row a line (a typesetter pads its rows; a line set
    solid under another is a wrapped cell only where the pitch says so)."""
    if not lines:
        return []
    gaps = [lines[i + 1].core[0] - lines[i].core[1] for i in range(len(lines) - 1)]
    cut = _row_cut(gaps, dpi)
    groups = [[lines[0]]]
    for prev, ln, gap in zip(lines, lines[1:], gaps):
        if cut is None or gap > cut:  # (a body set at one pitch: a row a line)
            groups.append([ln])
        else:
            groups[-1].append(ln)
    if cut is None:
        return groups
    out = []  # a space-set row of four lines or more, each over the same two columns or more: a line a record
    for grp in groups:
        out.append([grp[0]])
        for prev, ln in zip(grp, grp[1:]):
            cols = set(_occupied(ln, bounds))
            if len(grp) >= 4 and len(cols) >= 2 and cols == set(_occupied(prev, bounds)):
                out.append([ln])
            else:
                out[-1].append(ln)
    return out


def _row_bounds(grp: list[_TextLine], gaps: list[tuple[int, int]], bounds: list[int]) -> list[int]:
    """The column boundaries of one row: each at the middle of its gap, unless a run of the row's
    words reaches over the middle without crossing the whole gap (a head's word set wider than
    its column's figures): then in the row's own free space nearest to it."""
    out = list(bounds)
    runs = [r for ln in grp for r in ln.runs]
    for i, (a, b) in enumerate(gaps):
        mid = bounds[i + 1]
        if not any(ra < mid < rb for ra, rb in runs) or any(ra < a and rb > b for ra, rb in runs):
            continue
        lo, hi = bounds[i] + 1, bounds[i + 2] - 1
        free = [x for x in range(lo, hi) if not any(ra <= x < rb for ra, rb in runs)]
        if free:
            out[i + 1] = min(free, key=lambda x: abs(x - mid))
    return out


def _cells_of_rows(groups: list[list[_TextLine]], gaps: list[tuple[int, int]], bounds: list[int], ys: list[int],
                   header: int) -> list[TableCell]:
    """A row's cells: one per column, a run of words over the whole gap between two columns
    making one cell of the columns it crosses."""
    ncols = len(bounds) - 1
    cells = []
    for r, grp in enumerate(groups):
        xs = _row_bounds(grp, gaps, bounds)
        joined = [False] * (ncols - 1)
        for ln in grp:
            for ra, rb in ln.runs:
                for c in range(ncols - 1):
                    if ra < gaps[c][0] and rb > gaps[c][1] and ra < xs[c + 1] < rb:
                        joined[c] = True
        c = 0
        while c < ncols:
            e = c
            while e < ncols - 1 and joined[e]:
                e += 1
            cells.append(TableCell(row=r, col=c, colspan=e - c + 1, bbox=(xs[c], ys[r], xs[e + 1], ys[r + 1]),
                                   header=r < header))
            c = e + 1
    return cells


def _head_cells(head: list[_TextLine], gaps: list[tuple[int, int]], bounds: list[int], y0: int,
                y1: int, row_gap: float | None = None) -> tuple[list[TableCell], int]:
    """The head's cells and rows. A head word over a gap between columns (a group's head) with
    words under it in two or more of the group's columns (its sub-heads): two rows, the group's
    head over its sub-heads, every other head cell over both rows. Else a row a line, but for a
    line set closer to the one above than ``row_gap`` (the body's gap between rows: a wrapped
    head cell); without ``row_gap`` one row."""
    ncols = len(bounds) - 1
    spans: list[tuple[int, int, int]] = []  # (line, first column, last column)
    for i, ln in enumerate(head):
        for ra, rb in ln.runs:
            over = [c for c in range(ncols - 1) if ra < gaps[c][0] and rb > gaps[c][1]]
            if over:
                spans.append((i, min(over), max(over) + 1))
    groups: list[tuple[int, int]] = []
    last = max((i for i, _, _ in spans), default=-1)
    for _i, c0, c1 in sorted(spans, key=lambda s: s[1]):
        if groups and c0 <= groups[-1][1]:
            groups[-1] = (groups[-1][0], max(groups[-1][1], c1))
        else:
            groups.append((c0, c1))
    below = head[last + 1:]
    groups = [(c0, c1) for c0, c1 in groups
              if len({c for ln in below for c in _occupied(ln, bounds) if c0 <= c <= c1}) >= 2]
    if not groups:  # a row a line, but for a line set closer than the body's rows (a wrapped head cell)
        rows = [[head[0]]]
        for prev, ln in zip(head, head[1:]):
            gap = ln.core[0] - prev.core[1]
            if row_gap is None or gap <= row_gap:
                rows[-1].append(ln)
            else:
                rows.append([ln])
        return _cells_of_rows(rows, gaps, bounds, _row_ys(rows, y0, y1), len(rows)), len(rows)
    split = (head[last].b + below[0].a) // 2
    xs = _row_bounds(head, gaps, bounds)
    cells, grouped = [], set()
    for c0, c1 in groups:
        cells.append(TableCell(row=0, col=c0, colspan=c1 - c0 + 1, bbox=(xs[c0], y0, xs[c1 + 1], split), header=True))
        for c in range(c0, c1 + 1):
            grouped.add(c)
            cells.append(TableCell(row=1, col=c, bbox=(xs[c], split, xs[c + 1], y1), header=True))
    for c in range(ncols):
        if c not in grouped:
            cells.append(TableCell(row=0, col=c, rowspan=2, bbox=(xs[c], y0, xs[c + 1], y1), header=True))
    return cells, 2


RECORDS_FILLED = 0.25  # a partly ruled table with a head of its own: this share of its rows with two cells of text
# or more will do (records of several lines, the key on the first: ``87 | MS ...`` over ``| Calculated ...``)


def _partly(ink, horiz, group: list[_Seg], dpi: int, page: int, width: int,
            separators: list[int] | None = None, inner: list[int] | None = None) -> Table | None:
    """``separators``: x of vertical rules between the columns (a table ruled between its
    columns but not around them); else the columns come from the words' alignment. ``inner``:
    y of shorter rules inside (under a group of head columns): with no rule across under the
    head, the lowest of them in the table's upper half ends the head."""
    mm = dpi / 25.4
    group = sorted(group, key=lambda s: s.at)
    merged: list[_Seg] = []
    for s in group:  # a double rule is one rule
        if merged and s.at - merged[-1].at <= 1.5 * mm:
            merged[-1] = _Seg(min(merged[-1].a, s.a), max(merged[-1].b, s.b), s.at, merged[-1].thick + s.thick)
        else:
            merged.append(s)
    group = merged
    if len(group) < 2:
        return None
    x0, x1 = min(s.a for s in group), max(s.b for s in group)
    y0, y1 = group[0].at + group[0].thick, group[-1].at - group[-1].thick
    if y1 - y0 < MIN_TABLE_H_MM * mm:
        return None
    edge = int(1.0 * mm)  # no rule at the sides: the cells reach past the rules' ends (right-aligned figures)
    ex0, ex1 = max(0, x0 - edge), min(ink.shape[1], x1 + edge)
    clean = _despeckle(ink[y0:y1, ex0:ex1] & (1 - horiz[y0:y1, ex0:ex1]), dpi)
    lines = _text_lines(clean, ex0, y0, dpi)
    if len(lines) < 2:
        return None
    # head: the lines above the second rule when there are three or more rules
    head_end = group[1].at if len(group) >= 3 else y0
    upper = [y for y in inner or [] if y < (y0 + y1) / 2]
    if len(group) < 3 and upper:
        head_end = max(upper)
    head_lines = [ln for ln in lines if ln.a < head_end]
    body_lines = [ln for ln in lines if ln.a >= head_end] or lines
    if separators:
        gaps = [(x - 1, x + 1) for x in sorted(separators)]
    else:
        gaps = _column_gaps(body_lines, ex0, ex1, dpi)
        if gaps is None:
            return None
        gaps = _head_columns(gaps, head_lines, dpi)
    bounds = _bounds(gaps, ex0, ex1)
    if not separators:
        cols_x = [(bounds[i] - ex0, bounds[i + 1] - ex0) for i in range(len(bounds) - 1)]
        if len(cols_x) == 2 and min(b - a for a, b in cols_x) > 0.35 * (ex1 - ex0) and _gutter(gaps[0], ex1 - ex0):
            return None  # two even columns of words a gutter apart between two rules: a page set in two columns
        if _prose_columns(ink, horiz, [(ln.a, ln.b) for ln in body_lines], cols_x, ex0) >= PROSE_FILL:
            return None  # columns of running text (a magazine page between two rules), not a table
    body = body_lines if head_lines else lines
    hy1 = (head_lines[-1].b + body[0].a) // 2 if head_lines and body_lines is not lines else y0
    # the gap under which a head line continues the one above: the body's, between a cell's
    # wrapped lines and its rows; a body set at one pitch, a row a line: under that pitch
    body_gaps = sorted(b.core[0] - a.core[1] for a, b in zip(body, body[1:]))
    row_gap = _row_cut(body_gaps, dpi)
    if row_gap is None and body_gaps:
        usual = body_gaps[len(body_gaps) // 2]
        row_gap = usual - max(0.8 * mm, usual * (1 - 1 / ROW_JUMP))
    cells, header_rows = _head_cells(head_lines, gaps, bounds, y0, hy1, row_gap) if head_lines else ([], 0)
    groups = _row_groups(body, bounds, dpi)
    ys = _row_ys(groups, hy1, y1)
    for c in _cells_of_rows(groups, gaps, bounds, ys, 0):
        c.row += header_rows
        cells.append(c)
    rows = header_rows + len(groups)
    full = [r for r in range(rows) if sum(1 for c in cells if c.row == r and _text_ink(ink, c.bbox, horiz, dpi)) >= 2]
    headed = header_rows > 0 and any(r < header_rows for r in full)  # a head between its own rules, over two columns or more
    if len(full) < max(2, 0.5 * rows) and not (headed and len(full) >= max(3, RECORDS_FILLED * rows)):
        return None  # running text between two rules: one run of ink a line
    cells.sort(key=lambda c: (c.row, c.col))
    return Table(page=page, bbox=(x0, group[0].at, x1, group[-1].at), rows=rows, cols=len(bounds) - 1, cells=cells,
                 ruling="partly", header_rows=header_rows, col_widths=[b - a for a, b in zip(bounds, bounds[1:])])


# --------------------------------------------------------------------------- the page


def _half(ink: np.ndarray) -> np.ndarray:
    """A half-resolution copy of the ink: a pixel is ink when any of its four was."""
    h, w = ink.shape[0] // 2 * 2, ink.shape[1] // 2 * 2
    return ink[:h:2, :w:2] | ink[1:h:2, :w:2] | ink[:h:2, 1:w:2] | ink[1:h:2, 1:w:2]


def _any_rule(small: np.ndarray, dpi: int) -> bool:
    """Whether the page has a horizontal run of ink as long as a rule (``H_RULE_MM``), checked on
    ``small``, the page's ink at half resolution (``_half``), with the same tolerance."""
    k = max(int(H_RULE_MM * dpi / 25.4 / 2), 8)
    src = cv2.morphologyEx(cv2.dilate(small, np.ones((2, 1), np.uint8)), cv2.MORPH_CLOSE, np.ones((1, 2), np.uint8))
    return bool(np.count_nonzero(cv2.morphologyEx(src, cv2.MORPH_OPEN, np.ones((1, k), np.uint8))))


SKEW_MIN_DEG = 0.3  # long rules sloping less than this are level enough to find a table's rows on


_UNSET = object()


def page_rule_masks(gray: np.ndarray, dpi: int):
    """The page's (horizontal, vertical) rule masks (``rule_masks``), or None on a page without a
    run of ink as long as a rule (``_any_rule``, on the half-resolution copy): made once per page
    for ``rule_skew``, ``find_tables`` and the cells' crops."""
    if gray is None or gray.ndim != 2 or min(gray.shape) < 50:
        return None
    dpi = max(int(dpi), 50)
    ink = _ink(gray)
    return rule_masks(gray, dpi, ink) if _any_rule(_half(ink), dpi) else None


def rule_skew(gray: np.ndarray, dpi: int, masks=_UNSET) -> float:
    """The slope of a page's long horizontal rules (``PARTLY_MIN_W_MM`` and longer), in degrees
    counter-clockwise, the median of their line fits: what a page read as scanned (not
    straightened) must be turned by for a table's rows and columns to be found. 0.0 below
    ``SKEW_MIN_DEG`` or without such rules. ``masks``: ``page_rule_masks``, when the caller has them."""
    if gray is None or gray.ndim != 2 or min(gray.shape) < 50:
        return 0.0
    dpi = max(int(dpi), 50)
    mm = dpi / 25.4
    if masks is _UNSET:
        masks = page_rule_masks(gray, dpi)
    if masks is None:
        return 0.0
    horiz = masks[0]
    n, labels, stats, _c = _components(horiz)
    angles = []
    for i in range(1, n):
        x, y, w, h, _a = (int(v) for v in stats[i])
        if w < PARTLY_MIN_W_MM * mm or h < 2:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        slope = float(np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0])
        angles.append(float(np.degrees(np.arctan(slope))))
    if not angles:
        return 0.0
    angle = float(np.median(angles))
    return angle if abs(angle) >= SKEW_MIN_DEG else 0.0


def find_tables(gray: np.ndarray, dpi: int, page: int = 0, masks=_UNSET) -> list[Table]:
    """The tables of a page image (0 black .. 255 white), top to bottom; [] on a page without.
    ``masks``: ``page_rule_masks``, when the caller has them."""
    if gray is None or gray.ndim != 2 or min(gray.shape) < 50:
        return []
    dpi = max(int(dpi), 50)
    ink = _ink(gray)
    small = _half(ink)
    if masks is _UNSET:
        masks = rule_masks(gray, dpi, ink) if _any_rule(small, dpi) else None
    out = _rule_tables(gray, ink, dpi, page, masks) if masks is not None else []  # (most pages have no rule at all)
    # unruled tables: looked for on a half-resolution copy (a pixel is ink when any of its four
    # was), the page's every line is looked at; the boxes doubled back
    for t in _unruled(small, dpi // 2, page, [tuple(v // 2 for v in t.bbox) for t in out]):
        t.bbox = tuple(2 * v for v in t.bbox)
        t.col_widths = [2 * v for v in t.col_widths]
        for c in t.cells:
            c.bbox = tuple(2 * v for v in c.bbox)
        out.append(t)
    out.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    for t in out:  # plain ints: the page JSON
        t.bbox = tuple(int(v) for v in t.bbox)
        t.col_widths = [int(v) for v in t.col_widths]
        for c in t.cells:
            c.bbox = tuple(int(v) for v in c.bbox)
    return out


def _rule_tables(gray: np.ndarray, ink: np.ndarray, dpi: int, page: int, masks) -> list[Table]:
    """The ruled and partly ruled tables of a page that has a rule (``masks``: its rule masks)."""
    mm = dpi / 25.4
    horiz, vert = masks
    if not np.count_nonzero(horiz):
        return []
    out: list[Table] = []
    # ruled: connected frames of rules
    both = cv2.dilate(np.maximum(horiz, vert), np.ones((3, 3), np.uint8))
    n, _, stats, _ = _components(both)
    for x, y, w, h, _a in stats[1:]:
        if w < MIN_TABLE_W_MM * mm or h < MIN_TABLE_H_MM * mm:
            continue
        t = _ruled(ink, horiz, vert, (int(x), int(y), int(x + w - 1), int(y + h - 1)), dpi, page)
        if t is not None:
            out.append(t)
    rules = np.maximum(horiz, vert)  # what is not text inside a partly ruled table
    # partly ruled: groups of long horizontal rules of the same extent, not inside a ruled table
    segs = _segments(horiz, True)  # (once: the page's horizontal rules)
    long_h = [s for s in segs if s.b - s.a >= PARTLY_MIN_W_MM * mm
              and not any(_within((s.a, s.at, s.b, s.at), t.bbox, int(mm)) for t in out)]
    long_h.sort(key=lambda s: s.at)
    mid_h = [s for s in segs if s.b - s.a >= 2 * H_RULE_MM * mm]
    used: set[int] = set()
    for i, s in enumerate(long_h):
        if i in used:
            continue
        group = [s]
        for j in range(i + 1, len(long_h)):
            o = long_h[j]
            # (a body under a head may fill the rest of the page: two rules over a head, a page's length apart)
            reach = (RULE_REACH_MM if len(group) < 2 else BODY_REACH_MM) * mm
            if abs(o.a - s.a) <= 3 * mm and abs(o.b - s.b) <= 3 * mm and o.at - group[-1].at <= reach:
                group.append(o)
                used.add(j)
        if len(group) < 2:
            continue
        # vertical rules inside: rules between the columns (each over most of the height and
        # clear of the sides) make the columns; any other vertical ink there is a drawing's
        top, bottom = group[0].at, group[-1].at
        if any(_shared((s.a, top, s.b, bottom), t.bbox) > 0.5 for t in out):
            continue  # (rules around a ruled table found already: the same table)
        seps = []
        ends = [g.at for g in group] + [o.at for o in mid_h if top < o.at < bottom]
        strays = 0
        for v in _segments(vert[top:bottom, s.a:s.b], False):
            if v.b - v.a >= 2 * V_RULE_MM * mm and _stray(vert, v.at + s.a, top, bottom, ends, dpi,
                                                          inside=v.b - v.a >= 0.6 * (bottom - top)):
                strays += 1  # a streak or scratch through the table: neither a rule between its columns nor a drawing's
                if strays > 1:  # (several: a drawing's lines, or the rules of a grid that runs on past these)
                    seps = None
                    break
                continue
            if v.b - v.a >= 0.6 * (bottom - top) and 3 * mm < v.at < s.b - s.a - 3 * mm:
                seps.append(v.at + s.a)
            elif v.b - v.a >= 2 * V_RULE_MM * mm:
                seps = None
                break
        if seps is None:
            continue
        seps = _cluster(seps, max(2, int(mm)))
        # shorter rules inside, under a head's group of columns only (as ``\cmidrule`` prints)
        inner = [o.at for o in mid_h if top + 2 * mm < o.at < bottom - 2 * mm and o.a >= s.a - 3 * mm
                 and o.b <= s.b + 3 * mm and not any(abs(o.at - g.at) <= 1.5 * mm for g in group)]
        t = _partly(ink, rules, group, dpi, page, gray.shape[1], separators=seps, inner=inner)
        if t is not None:
            out.append(t)
    return out


UNRULED_MIN_LINES = 4  # an unruled table has this many lines of two runs of words or more, in a block (three: a typescript's spaced-out prose)
UNRULED_MIN_COLS = 3  # ... and this many columns, or two farther apart than a page's gutter (``GUTTER``)
UNRULED_LINE_GAP = 2.5  # a block's lines are no farther apart than this many times their usual gap


WRAP_ALIGN_MM = 1.0  # a wrapped cell's next line starts this close to where its column's words start


def _wrapped(ln: _TextLine, block: list[_TextLine], dpi: int) -> bool:
    """Whether ``ln`` (a line without a column gap) is a wrapped cell's next line in ``block``: it
    starts where a column other than the first starts on a line of two runs or more above
    (``WRAP_ALIGN_MM``; it may run on past the lines above: a record's longer line). Running
    text after a table starts at the page's margin, left of its second column; a long chemical
    name's second line starts under its first."""
    if not ln.runs or not block:
        return False
    mm = dpi / 25.4
    start = ln.runs[0][0]
    return any(abs(r[0] - start) <= WRAP_ALIGN_MM * mm for c in block if len(c.runs) >= 2 for r in c.runs[1:])


LONE_MM = 1.0  # a run of ink this narrow, with no ink of the lines near it above or below it, is a speck
LONE_LINES = 3  # ... looked for this many lines up and down


def _lone_specks(lines: list[_TextLine], dpi: int) -> list[_TextLine]:
    """``lines`` without their lone specks: runs narrower than ``LONE_MM`` that no run of the
    ``LONE_LINES`` lines above and below comes near (a scan's dust beside a line, or in the
    margin, would make it a line of two columns and draw the table out to the page's edge; a
    column's figures stand over one another). A line left without runs is dropped."""
    mm = dpi / 25.4
    near = int(LONE_MM * mm)
    out = []
    for i, ln in enumerate(lines):
        around = [r for o in lines[max(0, i - LONE_LINES):i] + lines[i + 1:i + 1 + LONE_LINES] for r in o.runs]
        runs = [(a, b) for a, b in ln.runs if b - a >= LONE_MM * mm or any(
            ra < b + near and rb > a - near for ra, rb in around)]
        if runs:
            out.append(_TextLine(ln.a, ln.b, ln.core, runs))
    return out


def _prose_wrapped(wrapped: list[_TextLine], block: list[_TextLine], bounds: list[int]) -> bool:
    """Whether a block's lines without a column gap (``wrapped``, taken in as wrapped cells'
    lines) are running text: three or more, and ``PROSE_FILL`` of them or more spanning 85 % of
    their column's ink across the block (a paragraph's lines fill its measure; a cell's wrapped
    lines end where its words do)."""
    if len(wrapped) < 3:
        return False
    occ = [_occupied(ln, bounds) for ln in block]
    full = 0
    for ln in wrapped:
        mine = _occupied(ln, bounds)
        c = min(mine)
        lo, hi = min(o[c][0] for o in occ if c in o), max(o[c][1] for o in occ if c in o)
        full += ln.runs[-1][1] - ln.runs[0][0] >= 0.85 * (hi - lo)
    return full >= PROSE_FILL * len(wrapped)


KEY_W_MM, KEY_H_MM = 2.5, 4.0  # a first column's words: this wide (median) or more, no taller than this,
KEY_INK = 0.6  # ... inked over no more than this share of their box (a punch hole is a solid disc)


def _worded_keys(clean: np.ndarray, lines: list[_TextLine], bounds: list[int], dpi: int) -> bool:
    """Whether the first column's runs on ``lines`` are words (``87``, ``Flow rate``): their median
    width ``KEY_W_MM`` or more, their median ink height at most ``KEY_H_MM`` and their ink at most
    ``KEY_INK`` of their box; a margin's specks are narrower, a punch hole taller or solid. Keys of words beside long entries that wrap over the
    column's whole width are a table's, whatever its wrapped lines look like."""
    mm = dpi / 25.4
    ws, hs, ds = [], [], []
    for ln in lines:
        first = [(a, b) for a, b in ln.runs if a < bounds[1]]
        if not first:
            continue
        a, b = first[0][0], first[-1][1]
        part = clean[ln.a:ln.b, a:b]
        rows = np.flatnonzero(part.max(axis=1))
        ws.append(b - a)
        hs.append(rows[-1] - rows[0] + 1 if len(rows) else 0)
        ds.append(float(part.sum()) / max(1, (b - a) * hs[-1]))
    return bool(ws) and float(np.median(ws)) >= KEY_W_MM * mm and float(np.median(hs)) <= KEY_H_MM * mm and float(
        np.median(ds)) <= KEY_INK


def _unruled(ink: np.ndarray, dpi: int, page: int, skip: list[BBox]) -> list[Table]:
    """Tables printed without any rule: blocks of consecutive lines whose runs of words stand in
    columns (``_column_gaps``: gaps no line crosses), told apart from running text (a line of
    one run across the block, or columns whose lines fill them: ``_prose_columns``), from a page
    set in two columns (fewer than ``UNRULED_MIN_COLS``; a "line" much taller than the page's
    usual one is lines of two columns run together, and ends a block) and from a drawing's labels
    (a block of fewer than ``UNRULED_MIN_LINES`` such lines, or rows). ``skip``: the boxes of tables found already."""
    mm = dpi / 25.4
    clean = _despeckle(ink, dpi)
    for x0, y0, x1, y1 in skip:
        clean[max(0, y0 - int(mm)):y1 + int(mm), max(0, x0 - int(mm)):x1 + int(mm)] = 0
    lines = _lone_specks(_text_lines(clean, 0, 0, dpi), dpi)
    if len(lines) < UNRULED_MIN_LINES:
        return []
    wide = 3.0 * mm  # a run of words this far from the next: a column gap, not a word space
    pitch = sorted(b.a - a.b for a, b in zip(lines, lines[1:]))
    usual = pitch[len(pitch) // 2] if pitch else 0

    def tabular(ln: _TextLine) -> bool:
        return len(ln.runs) >= 2 and any(r2[0] - r1[1] >= wide for r1, r2 in zip(ln.runs, ln.runs[1:]))

    tall = 2.6 * sorted(ln.b - ln.a for ln in lines)[len(lines) // 2]  # lines of two columns set at different pitches, run together
    blocks: list[list[_TextLine]] = []
    cur: list[_TextLine] = []
    for ln in lines:
        if ln.b - ln.a > tall:
            cur = []
            continue
        near = bool(cur) and ln.a - cur[-1].b <= max(UNRULED_LINE_GAP * usual, 2 * mm)
        if tabular(ln):
            if not near:
                cur = []
                blocks.append(cur)
            cur.append(ln)
        elif cur and near and ln.runs and (ln.runs[-1][1] - ln.runs[0][0] < 0.5 * (
                max(r[1] for c in cur for r in c.runs) - min(r[0] for c in cur for r in c.runs))
                or _wrapped(ln, cur, dpi)):
            cur.append(ln)  # a wrapped cell's next line
        else:
            cur = []
    out = []
    no_rules = np.zeros_like(ink)  # (an unruled table has none for _prose_columns to leave out)
    for block in blocks:
        while block and not tabular(block[-1]) and not _wrapped(block[-1], [ln for ln in block if tabular(ln)], dpi):
            block.pop()
        if sum(1 for ln in block if tabular(ln)) < UNRULED_MIN_LINES:
            continue
        x0 = min(r[0] for ln in block for r in ln.runs)
        x1 = max(r[1] for ln in block for r in ln.runs)
        gaps = _column_gaps(block, x0, x1, dpi)
        edge = int(1.0 * mm)  # the outer cells reach past their words (a cell is read inside its box)
        x0, x1 = max(0, x0 - edge), min(ink.shape[1], x1 + edge)
        if gaps is None or len(gaps) + 1 < UNRULED_MIN_COLS and not (len(gaps) == 1 and (
                not _gutter(gaps[0], x1 - x0) or _keyed(_bounds(gaps, x0, x1)))):
            continue  # (two columns a gutter apart: a page set in two columns)
        bounds = _bounds(gaps, x0, x1)
        cols_x = [(bounds[i] - x0, bounds[i + 1] - x0) for i in range(len(bounds) - 1)]
        if _prose_columns(clean, no_rules, [(ln.a, ln.b) for ln in block], cols_x, x0) >= PROSE_FILL:
            continue
        if _prose_wrapped([ln for ln in block if not tabular(ln)], block, bounds) and not _worded_keys(
                clean, [ln for ln in block if tabular(ln)], bounds, dpi):
            continue  # (a letter's lines beside the marks or punch holes in its margin)
        # every column has words in a third of the lines or more: a table, not two columns of
        # text with the line numbers between them (an EP description page) or a few aligned words
        rows_in = [set(_occupied(ln, bounds)) for ln in block if tabular(ln)]
        if any(sum(1 for cs in rows_in if c in cs) < len(rows_in) / 3 for c in range(len(cols_x))):
            continue
        y0, y1 = block[0].a - int(0.5 * mm), block[-1].b + int(0.5 * mm)
        if any(min(x1, b[2]) > max(x0, b[0]) and min(y1, b[3]) > max(y0, b[1]) for b in skip):
            continue  # lines beside a table found by its rules, run together with the lines above it
        groups = _row_groups(block, bounds, dpi)
        if len(groups) < UNRULED_MIN_LINES:
            continue
        ys = _row_ys(groups, y0, y1)
        cells = _cells_of_rows(groups, gaps, bounds, ys, 0)
        cells.sort(key=lambda c: (c.row, c.col))
        out.append(Table(page=page, bbox=(x0, y0, x1, y1), rows=len(groups), cols=len(bounds) - 1, cells=cells,
                         ruling="unruled", header_rows=0, col_widths=[b - a for a, b in zip(bounds, bounds[1:])]))
    return out


def shared_area(a: BBox, b: BBox) -> int:
    """The area two boxes share (0 when they do not meet)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0


def _shared(a: BBox, b: BBox) -> float:
    """The area two boxes share, as a share of the smaller."""
    return shared_area(a, b) / max(1, min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])))


def _within(inner: BBox, outer: BBox, pad: int) -> bool:
    return inner[0] >= outer[0] - pad and inner[1] >= outer[1] - pad and inner[2] <= outer[2] + pad and inner[3] <= outer[3] + pad


BOLD = 1.15  # a row whose strokes are this many times as thick as the table's usual row's is set in bold


def bold_rows(bw: np.ndarray, rules: np.ndarray, table: Table, dpi: int) -> int:
    """The table's first rows set in a heavier face than the rest (a head set in bold): each
    row's stroke width (its cells' ink, rules and specks out: twice the ink over its outline)
    against the median of the lower half's rows, ``BOLD`` times or more, fewer than half the
    rows. 0: no such rows."""
    if table.rows < 3:
        return 0
    ink = _despeckle(((bw == 0) & (rules == 0)).astype(np.uint8), dpi)
    inner = cv2.erode(ink, np.ones((3, 3), np.uint8))
    area = [0] * table.rows
    edge = [0] * table.rows
    for c in table.cells:
        x0, y0, x1, y1 = inner_box(c.bbox, dpi)
        a = int(np.count_nonzero(ink[y0:y1, x0:x1]))
        area[c.row] += a
        edge[c.row] += a - int(np.count_nonzero(inner[y0:y1, x0:x1]))
    width = [2 * a / e if e else 0.0 for a, e in zip(area, edge)]
    body = [w for w in width[table.rows // 2:] if w]  # (a head is fewer than half the rows: the lower half is body)
    usual = float(np.median(body)) if body else 0.0
    n = 0
    while n < table.rows and usual and width[n] >= BOLD * usual:
        n += 1
    return n if n < table.rows / 2 else 0


def head_rows(table: Table, bold: int = 0) -> int:
    """Head rows of a table (ruled, partly ruled or unruled): ``bold`` (``bold_rows``) when its
    first rows are set in bold, else from what its cells say once read: a first-row cell of
    words over the first k rows beside cells that are not, a head of k rows; a
    first row of words over a body with figures (numbers, ranges, units) is a head of one row; of
    two rows when a first-row cell spans columns (a group's head) or the first two rows (the heads
    beside a group) and the second row is words too, or when the first two rows are such a head
    cell for cell (whatever the body holds). 0 when the first row carries figures too. A partly
    ruled table's head is what its rules say."""
    if table.ruling == "partly" or table.rows < 2:
        return table.header_rows
    if bold:
        return bold
    grid_rows: dict[int, list[TableCell]] = {}
    for c in table.cells:
        grid_rows.setdefault(c.row, []).append(c)

    def numeric(text: str) -> bool:
        t = text.replace(" ", "")
        return bool(t) and sum(ch.isdigit() for ch in t) >= max(1, len(t) // 3)

    def figures_under(n: int) -> bool:  # the rows below the first n carry figures
        body = [c for r, cs in grid_rows.items() if r >= n for c in cs if c.text.strip()]
        return bool(body) and sum(numeric(c.text) for c in body) >= 0.3 * len(body)

    first = [c for c in grid_rows.get(0, []) if c.text.strip()]
    if not first or any(numeric(c.text) for c in first):
        return 0
    # a first-row cell of words over the first rows (a stub head beside a head of several
    # rows: ``Dye`` beside ``Example`` over the example numbers over the unit): those rows are the head
    stub = max(c.rowspan for c in first)
    if 2 <= stub < table.rows / 2 and any(c.rowspan == 1 for c in grid_rows.get(0, [])):
        return stub
    # a head of two rows: a first-row cell over two columns or more (a group's head over its
    # sub-heads), or over the first two rows (a head beside such a group), and a second row of
    # words alone, over a body with figures; or, whatever the body holds, the whole pattern:
    # every first-row cell a group's head or over both rows, the second row the groups' sub-heads
    top, second = grid_rows.get(0, []), [c for c in grid_rows.get(1, []) if c.text.strip()]
    groups = [c for c in top if c.colspan > 1 and c.rowspan == 1]
    if table.rows > 3 and second and not any(numeric(c.text) for c in second) and all(
            c.rowspan == 1 for c in grid_rows.get(1, [])):
        grouped = bool(groups) or any(c.rowspan == 2 for c in top)
        if grouped and figures_under(2):
            return 2
        under = all(any(g.col <= c.col < g.col + g.colspan for g in groups) for c in grid_rows.get(1, []))
        if groups and under and all(c in groups or c.rowspan == 2 for c in top):
            return 2
    return 1 if figures_under(1) else 0


def mark_head(table: Table, bold: int = 0) -> None:
    """Set ``header_rows`` (``head_rows``; ``bold``: its first rows set in bold, ``bold_rows``)
    and the cells' ``header`` flags."""
    n = head_rows(table, bold)
    table.header_rows = n
    for c in table.cells:
        c.header = c.row < n


def drop_covered_rows(table: Table) -> None:
    """Rows in which no cell starts (every position spanned from above) are folded into the row
    above: CALS needs an ``entry`` in every ``row``."""
    starts = {c.row for c in table.cells}
    empty = [r for r in range(table.rows) if r not in starts]
    for r in reversed(empty):
        for c in table.cells:
            if c.row < r < c.row + c.rowspan:
                c.rowspan -= 1
            if c.row > r:
                c.row -= 1
        table.rows -= 1
    if table.header_rows > table.rows:
        table.header_rows = table.rows


def page_text(page, labels: set[str] | None = None) -> str:
    """The page's ``.txt``: its running text (``figures.running_text``: figure labels out) with each
    table as its rows, one line a row, cells separated by tabs. A page without tables: exactly
    ``running_text``."""
    from .figures import label_ids, running_text

    if not page.tables:
        return running_text(page, labels)
    labels = label_ids(page) if labels is None else labels
    owner = {}
    for t in page.tables:
        for wid in t.word_ids():
            owner[wid] = t
    parts = []
    for b in page.blocks:
        words = [w for ln in b.lines for w in ln.words]
        t = owner.get(words[0].id) if words else None
        if t is not None and all(owner.get(w.id) is t for w in words):
            parts.append(t.text)
            continue
        lines = [" ".join(w.text for w in ln.words if w.id not in labels) for ln in b.lines
                 if not ln.words or any(w.id not in labels for w in ln.words)]
        if lines:
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


TABLES = "tables"  # <document folder>/tables/NNNN-k.tif: each table's image, kept beside its markup


def number_tables(paragraphs) -> None:
    """Ids (``tabl0001`` …, in document order) and image files of the tables of ``paragraphs``."""
    per_page: dict[int, int] = {}
    n = 0
    for p in paragraphs:
        for t in p.tables:
            n += 1
            per_page[t.page] = per_page.get(t.page, 0) + 1
            t.id = f"tabl{n:04d}"
            t.file = f"{TABLES}/{t.page:04d}-{per_page[t.page]}.tif"


def crop(doc_dir, doc) -> list[str]:
    """Write each table's region from ``pages/NNNN.tif`` to its ``tables/NNNN-k.tif`` (CCITT G4)."""
    from ..jobfolder import page_path  # noqa: PLC0415 - as figures.crop
    from .figures import save_crop

    written = []
    for p in doc.description:
        for t in p.tables:
            if t.file and save_crop(page_path(doc_dir, t.page, ".tif"), t.bbox, doc_dir / t.file):
                written.append(t.file)
    return written
