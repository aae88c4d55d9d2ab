"""Table cells in review: a low-confidence cell as one queue item, and a reviewer's decision on a
cell (its text, a merge with a neighbour, a split of a spanning cell) put into the page's table.

    candidates = review_cells(pages, decisions, candidates)   # in ``pipeline.finish``

A cell is known by a key made of its page, the table's place on the page and the row and column
at which it starts in the table as the page file holds it (the engine's reading, never rewritten):
``cell:p0003_t1_r2_c1``. Keys therefore stay the same on every re-run, whatever decisions are
applied; a merged cell answers to the keys of both cells, and a split's pieces to the grid
positions they take.

Decisions (``Decisions.cells``: key → (action, value)) are applied in the order they were made:

* ``accept``: the cell stays as read (its item is settled);
* ``correct`` / ``suggestion``: ``value`` is the cell's text (its words take the new tokens in
  order, surplus words go, surplus tokens join the last word; an empty cell gets a word of its
  own); ``not-text``: the cell is emptied;
* ``merge-right`` / ``merge-down``: the cell and the one starting just right of it (same rows) or
  just below it (same columns) become one cell; ``split``: a spanning cell becomes its grid cells,
  each word going to the one holding its centre. Both may carry a ``value``: the text of the cell
  the decision leaves (for a split, the first piece's).

A decision that cannot be applied (the key names no cell, no neighbour to merge with, nothing to
split) is not dropped: its cell comes back as a candidate whose context says why, and ``digitize
apply`` reopens the item. The page's words stay the page's: a table's cells are lines of the
table's block, so the hOCR, ALTO and ``.txt`` follow the same changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import BBox, Block, Line, OcrPage, QueueCandidate, Table, TableCell, Word
from ..store.queue import CELL_KEY, STRUCTURE_ACTIONS
from .layout import union
from .tables import drop_covered_rows

TEXT_ACTIONS = ("accept", "correct", "suggestion", "not-text")
_KEY = re.compile(r"cell:p(\d{4})_t(\d+)_r(\d+)_c(\d+)$")
NOT_APPLIED = "not applied: "  # a refused decision's candidate context starts so
CELL_WORDS = 8  # a cell of more words (a paragraph set in a table) keeps its words in doubt asked one by one
HEAD_CHARS = 60  # a header's text in an item's context is cut to this length


def cell_key(page: int, table: int, row: int, col: int) -> str:
    """``table``: 1-based place of the table among the page's tables."""
    return f"{CELL_KEY}p{page:04d}_t{table}_r{row}_c{col}"


def parse_key(key: str) -> tuple[int, int, int, int] | None:
    """(page, table, row, col) of a cell key; None for any other key."""
    m = _KEY.match(key or "")
    return tuple(int(g) for g in m.groups()) if m else None  # type: ignore[return-value]


def is_cell_key(key: str | None) -> bool:
    return bool(key) and key.startswith(CELL_KEY)  # type: ignore[union-attr]


def table_of(page: OcrPage, key: str) -> tuple[Table, TableCell] | None:
    """The table and cell a key names on ``page`` as read (no decision applied)."""
    got = parse_key(key)
    if got is None or got[0] != page.number or not 1 <= got[1] <= len(page.tables):
        return None
    t = page.tables[got[1] - 1]
    cell = next((c for c in t.cells if (c.row, c.col) == (got[2], got[3])), None)
    return (t, cell) if cell is not None else None


# --------------------------------------------------------------------------- what a reviewer sees


def headers(table: Table, cell: TableCell) -> tuple[TableCell | None, TableCell | None]:
    """(row header, column header) of a cell: the cell starting the cell's row in the first column
    (none for a cell in the first column), and the lowest head cell over the cell's first column
    (the first row when the table has no head rows; none for a cell in it)."""
    row_head = None
    if cell.col > 0:
        row_head = next((c for c in table.cells if c.col == 0 and c.row <= cell.row < c.row + c.rowspan), None)
    head_rows = table.header_rows or 1
    col_head = None
    if cell.row >= head_rows:
        over = [c for c in table.cells if c.row < head_rows and c.col <= cell.col < c.col + c.colspan]
        col_head = max(over, key=lambda c: c.row, default=None)
    return row_head, col_head


def neighbour(table: Table, cell: TableCell, direction: str) -> TableCell | None:
    """The cell a merge would join: starting just right of ``cell`` over the same rows
    (``right``), or just below it over the same columns (``down``)."""
    if direction == "right":
        return next((c for c in table.cells if c.row == cell.row and c.col == cell.col + cell.colspan
                     and c.rowspan == cell.rowspan), None)
    return next((c for c in table.cells if c.col == cell.col and c.row == cell.row + cell.rowspan
                 and c.colspan == cell.colspan), None)


def context_of(table: Table, cell: TableCell) -> str:
    """The cell's row and column headers, as the queue item's context."""
    row_head, col_head = headers(table, cell)

    def cut(text: str) -> str:
        return (text[:HEAD_CHARS - 1].rstrip() + "…") if len(text) > HEAD_CHARS else text or "(empty)"

    parts = []
    if row_head is not None:
        parts.append(f"row: {cut(row_head.text)}")
    if col_head is not None:
        parts.append(f"column: {cut(col_head.text)}")
    parts.append(f"table cell, row {cell.row + 1}, column {cell.col + 1}"
                 + (f", spans {cell.rowspan}×{cell.colspan}" if cell.rowspan > 1 or cell.colspan > 1 else ""))
    return " · ".join(parts)


# --------------------------------------------------------------------------- decisions


@dataclass
class _Table:
    page: OcrPage
    table: Table
    number: int  # 1-based on its page


class _Cells:
    """Every table cell of a document by key, kept up to date while decisions change the tables."""

    def __init__(self, pages: list[OcrPage]):
        self.at: dict[str, TableCell] = {}
        self.where: dict[int, _Table] = {}  # id(cell) → its table
        self.key_of: dict[int, str] = {}  # id(cell) → the key it had as read (or as a split's piece)
        for page in pages:
            for k, t in enumerate(page.tables, 1):
                for c in t.cells:
                    self._add(c, _Table(page, t, k), cell_key(page.number, k, c.row, c.col))

    def _add(self, cell: TableCell, where: _Table, key: str) -> None:
        self.at[key] = cell
        self.where[id(cell)] = where
        self.key_of[id(cell)] = key

    def merge(self, cell: TableCell, direction: str) -> str | None:
        """Join ``cell`` and its neighbour; None when done, else why not."""
        where = self.where[id(cell)]
        other = neighbour(where.table, cell, direction)
        if other is None:
            return f"no cell {'right of' if direction == 'right' else 'below'} it over the same " \
                   f"{'rows' if direction == 'right' else 'columns'} to merge with"
        if direction == "right":
            cell.colspan += other.colspan
        else:
            cell.rowspan += other.rowspan
        cell.bbox = union([cell.bbox, other.bbox])
        cell.words = cell.words + other.words
        where.table.cells.remove(other)
        _join_lines(where.page, cell, other)
        for key, c in self.at.items():  # the other cell's keys now name this one
            if c is other:
                self.at[key] = cell
        return None

    def split(self, cell: TableCell) -> str | None:
        where = self.where[id(cell)]
        t = where.table
        if cell.rowspan == 1 and cell.colspan == 1:
            return "the cell spans no other cell: nothing to split"
        xs = _col_bounds(t)
        ys = _row_bounds(t, cell)
        words = list(cell.words)
        pieces = []
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                box = (xs[c], ys[r - cell.row], xs[c + 1], ys[r - cell.row + 1])
                pieces.append(TableCell(row=r, col=c, bbox=box, header=cell.header))
        for w in words:
            cx, cy = (w.bbox[0] + w.bbox[2]) / 2, (w.bbox[1] + w.bbox[3]) / 2
            best = min(pieces, key=lambda p: _distance(p.bbox, cx, cy))
            best.words.append(w)
        first = pieces[0]
        cell.rowspan = cell.colspan = 1
        cell.bbox, cell.words = first.bbox, first.words
        line = _line_of(where.page, words)
        for p in pieces[1:]:
            t.cells.append(p)
            self._add(p, where, cell_key(where.page.number, where.number, p.row, p.col))
            if p.words and line is not None:
                line.words = [w for w in line.words if w not in p.words]
                _table_block(where.page, t).lines.append(Line(bbox=p.bbox, words=list(p.words)))
        if line is not None:
            line.bbox = cell.bbox
        for b in where.page.blocks:
            b.lines = [ln for ln in b.lines if ln.words]
        t.cells.sort(key=lambda c: (c.row, c.col))
        _sort_lines(where.page, t)
        return None

    def set_text(self, cell: TableCell, text: str) -> None:
        """The reviewer's text for the cell (see the module's note); "" empties it."""
        where = self.where[id(cell)]
        tokens = text.split()
        words = cell.words
        if not words and tokens:
            x0, y0, x1, y1 = cell.bbox
            key = self.key_of[id(cell)]
            w = Word(id=f"p{where.page.number:04d}_{key[len(CELL_KEY) + 6:]}", text="", bbox=(x0, y0, x1, y1),
                     conf=100.0, ocr_text="")
            cell.words = words = [w]
            _table_block(where.page, where.table).lines.append(Line(bbox=cell.bbox, words=[w]))
            _sort_lines(where.page, where.table)
        n = len(words)
        texts = tokens[: n - 1] + [" ".join(tokens[n - 1:])] if len(tokens) >= n else tokens + [""] * (n - len(tokens))
        for w, new in zip(words, texts):
            if w.text != new:
                if w.ocr_text is None:
                    w.ocr_text = w.text
                w.text = new
        cell.words = [w for w in words if w.text.strip()]


def _distance(box: BBox, x: float, y: float) -> float:
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return dx * dx + dy * dy


def _col_bounds(t: Table) -> list[int]:
    """x of the column boundaries: the table's left edge and its column widths."""
    xs = [t.bbox[0]]
    for w in t.col_widths or [(t.bbox[2] - t.bbox[0]) // max(1, t.cols)] * t.cols:
        xs.append(xs[-1] + int(w))
    while len(xs) < t.cols + 1:
        xs.append(t.bbox[2])
    return xs


def _row_bounds(t: Table, cell: TableCell) -> list[int]:
    """y of the row boundaries over the cell's rows: where the one-row cells of each row begin and
    end, else the cell's height shared evenly."""
    y0, y1 = cell.bbox[1], cell.bbox[3]
    n = cell.rowspan
    out = [y0]
    for r in range(cell.row + 1, cell.row + n):
        tops = [c.bbox[1] for c in t.cells if c.row == r and c.rowspan == 1]
        even = y0 + (y1 - y0) * (r - cell.row) // n
        out.append(int(sorted(tops)[len(tops) // 2]) if tops else even)
    out.append(y1)
    return out


def _table_block(page: OcrPage, t: Table):
    """The page's block holding the table's words (one is made when the table has none)."""
    ids = t.word_ids()
    for b in page.blocks:
        words = [w for ln in b.lines for w in ln.words]
        if words and all(w.id in ids for w in words):
            return b
    block = Block(bbox=t.bbox, lines=[])
    at = next((i for i, b in enumerate(page.blocks) if b.bbox[1] > t.bbox[1]), len(page.blocks))
    page.blocks.insert(at, block)
    return block


def _line_of(page: OcrPage, words: list[Word]) -> Line | None:
    if not words:
        return None
    for ln in page.lines():
        if any(w is words[0] or w.id == words[0].id for w in ln.words):
            return ln
    return None


def _join_lines(page: OcrPage, cell: TableCell, other: TableCell) -> None:
    """The other cell's line joins the cell's (the table block keeps a line per cell)."""
    theirs = _line_of(page, [w for w in other.words])
    if theirs is None:
        return
    mine = _line_of(page, [w for w in cell.words if w not in other.words])
    if mine is None or mine is theirs:
        theirs.bbox = cell.bbox
        return
    mine.words = mine.words + [w for w in theirs.words if w not in mine.words]
    mine.bbox = cell.bbox
    theirs.words = []
    for b in page.blocks:
        b.lines = [ln for ln in b.lines if ln.words]


def _sort_lines(page: OcrPage, t: Table) -> None:
    """The table block's lines in row order, a line per cell (as ``table_ocr.place`` made them)."""
    block = _table_block(page, t)
    order = {}
    for c in t.cells:
        for w in c.words:
            order[w.id] = (c.row, c.col)
    block.lines.sort(key=lambda ln: min((order.get(w.id, (10**6, 0)) for w in ln.words), default=(10**6, 0)))


def apply_cells(pages: list[OcrPage], cells: dict[str, tuple[str, str]]) -> tuple[dict[str, str], _Cells]:
    """Reviewers' decisions on cells into the pages' tables; returns key → why for those that
    could not be applied."""
    index = _Cells(pages)
    refused: dict[str, str] = {}
    touched: list[Table] = []
    for key, (action, value) in cells.items():
        cell = index.at.get(key)
        if cell is None:
            refused[key] = "the table has no such cell any more"
            continue
        why = None
        if action in ("merge-right", "merge-down"):
            why = index.merge(cell, action.split("-")[1])
        elif action == "split":
            why = index.split(cell)
        elif action not in TEXT_ACTIONS:
            why = f"unknown action {action!r} for a table cell"
        if why:
            refused[key] = why
            continue
        if action in STRUCTURE_ACTIONS and not any(t is index.where[id(cell)].table for t in touched):
            touched.append(index.where[id(cell)].table)
        if action == "not-text":
            index.set_text(cell, "")
        elif action in ("correct", "suggestion") or (action in STRUCTURE_ACTIONS and (value or "").strip()):
            index.set_text(cell, value or "")
    for t in touched:  # (a table no merge or split touched stays exactly as read)
        drop_covered_rows(t)
    return refused, index


def review_cells(pages: list[OcrPage], decisions, candidates: list[QueueCandidate]) -> list[QueueCandidate]:
    """The reviewers' cell decisions applied to ``pages`` (``Decisions.cells``; see ``apply_cells``),
    and the queue candidates with the words in doubt inside a table replaced by their cells: a
    cell with a word in doubt is one candidate (its crop and headers are what a reviewer sees), a
    decided cell none, a decision that could not be applied its cell again (context: why). A cell
    of more than ``CELL_WORDS`` words keeps its words as they were asked, one by one."""
    decided: dict[str, tuple[str, str]] = dict(getattr(decisions, "cells", None) or {})
    if not decided and not any(p.tables for p in pages):
        return candidates
    refused, index = apply_cells(pages, decided)
    doubt: dict[str, QueueCandidate] = {c.word_id: c for c in candidates if c.kind == "word" and c.word_id}
    owner: dict[str, TableCell] = {}
    for page in pages:
        for t in page.tables:
            for c in t.cells:
                for w in c.words:
                    owner[w.id] = c
    out = [c for c in candidates if not (c.kind == "word" and c.word_id in owner
                                         and len(owner[c.word_id].words) <= CELL_WORDS)]
    settled = {k for k in decided if k not in refused}
    seen: set[int] = set()
    for page in pages:
        for t in page.tables:
            for cell in sorted(t.cells, key=lambda c: (c.row, c.col)):
                key = index.key_of.get(id(cell))
                if key is None or id(cell) in seen:
                    continue
                seen.add(id(cell))
                keys = {k for k, c in index.at.items() if c is cell}
                failed = sorted(k for k in keys if k in refused)
                if keys & settled and not failed:
                    continue
                words = [doubt[w.id] for w in cell.words if w.id in doubt]
                if (not words or len(cell.words) > CELL_WORDS) and not failed:
                    continue
                context = context_of(t, cell)
                if failed:
                    context = f"{NOT_APPLIED}{refused[failed[0]]} · {context}"
                suggestions = list(words[0].suggestions) if len(cell.words) == 1 and words else []
                for k in failed or [key]:
                    out.append(QueueCandidate(
                        kind="cell", page=page.number, bbox=tuple(cell.bbox), text=cell.text,
                        confidence=min((w.confidence for w in words), default=min((w.conf for w in cell.words), default=0.0)),
                        suggestions=suggestions, context=context, word_id=k))
    emitted = {c.word_id for c in out if c.kind == "cell"}
    for key in sorted(set(refused) - emitted):  # a key naming no cell at all: asked again, never lost
        where = parse_key(key)
        out.append(QueueCandidate(kind="cell", page=where[0] if where else 0, bbox=None, text="", confidence=0.0,
                                  context=f"{NOT_APPLIED}{refused[key]}", word_id=key))
    return out
