"""Issue 27: tables as scanners and typesetters leave them (the second sealed set's pages, seen):
a grey page's cells, bold strokes that run together like a rule, rules read as words by the page
reading, a ruled table set a line a row with empty cells beside long ones, a column of compound
numbers that happen to be INID codes, two columns of names and values, a body that fills the
page, a head set in bold over several rows. Pages drawn here with PIL (DejaVu); real Tesseract
where a cell is read.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from digitize.model import Block, Line, OcrPage, Table, TableCell, Word
from digitize.structure.tables import bold_rows, find_tables
from digitize.synth import font
from digitize.table_ocr import _cell_rules, _crop, _front_page, page_rules

DPI = 300
MM = DPI / 25.4


def draw_table(rows: list[list[str]], *, ruling: str = "ruled", bold: int = 0, widths: list[float] | None = None,
               pitch_mm: float = 6.0, paper: int = 255, top_mm: float = 40.0) -> np.ndarray:
    """An A4 page holding ``rows`` as a table: ``ruled`` (every cell boxed), ``partly`` (rules over
    and under the first row and under the table) or ``unruled``; the first ``bold`` rows in bold
    strokes; ``widths``: the columns' shares of the text width; a row every ``pitch_mm``."""
    w, h = int(210 * MM), int(297 * MM)
    img = Image.new("L", (w, h), paper)
    d = ImageDraw.Draw(img)
    f = font(int(9 / 72 * DPI))
    x0, x1 = int(25 * MM), w - int(25 * MM)
    ncol = len(rows[0])
    shares = widths or [1.0 / ncol] * ncol
    xs = [x0]
    for s in shares:
        xs.append(xs[-1] + int(s * (x1 - x0)))
    xs[-1] = x1
    pitch = int(pitch_mm * MM)
    y0 = int(top_mm * MM)
    ys = [y0 + i * pitch for i in range(len(rows) + 1)]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            d.text((xs[c] + int(1.5 * MM), ys[r] + int(1.2 * MM)), text, font=f, fill=0,
                   stroke_width=2 if r < bold else 0, stroke_fill=0)
    t = max(2, int(0.25 * MM))
    if ruling == "ruled":
        for y in ys:
            d.rectangle((x0, y, x1, y + t), fill=0)
        for x in xs:
            d.rectangle((x, y0, x + t, ys[-1] + t), fill=0)
    elif ruling == "partly":
        for y in (ys[0], ys[1], ys[-1]):
            d.rectangle((x0, y, x1, y + t), fill=0)
    return np.array(img)


def words_page(texts: list[str]) -> OcrPage:
    """A page reading: each text a line of one word, one under the other."""
    lines = [Line(bbox=(300, 300 + 60 * i, 420, 340 + 60 * i),
                  words=[Word(id=f"p0001_w{i + 1:05d}", text=t, bbox=(300, 300 + 60 * i, 420, 340 + 60 * i), conf=95.0)])
             for i, t in enumerate(texts)]
    return OcrPage(number=1, width=2480, height=3508, dpi=300, blocks=[Block(bbox=(300, 300, 420, 340 + 60 * len(texts)), lines=lines)])


# --------------------------------------------------------------------------- reading a cell


def test_a_grey_pages_cell_is_read_on_white_paper_with_its_bold_strokes_kept():
    """The page reading leaves a grey page grey; a cell's crop framed in white would read its
    grey paper as ink. The crop's paper is made white, and the strokes of bold letters that run
    together like a rule stay: only rule ink reaching the cell's edge is the cell's rule."""
    page = draw_table([["Comparative", "Example"], ["8", "Blue"], ["680", "760"]], bold=1, paper=185)
    bw = np.where(page < 140, 0, 255).astype(np.uint8)
    rules = page_rules(bw, DPI)
    table = find_tables(bw, DPI)[0]
    cell = next(c for c in table.cells if (c.row, c.col) == (1, 0))
    crop, _origin, _lines = _crop(page, bw, rules, cell.bbox, DPI)
    assert np.median(crop) >= 250  # white paper, not the page's grey
    assert np.count_nonzero(crop < 128) > 50  # the "8" is there
    # a rule-like stripe inside a cell is text; one along the cell's edge is its rule
    mask = np.zeros((80, 300), np.uint8)
    mask[40:43, 50:250] = 1  # inside: a bold word's strokes
    mask[0:2, :] = 1  # along the top edge
    mine = _cell_rules(mask, DPI)
    assert mine[0:2].all() and not mine[40:43].any()


def test_a_grey_pages_single_figure_cells_are_read():
    from digitize.ocr import get_engine
    from digitize.settings.profile import load
    from digitize.table_ocr import read_cells

    page = draw_table([["Example", "8", "9"], ["Blue", "680", "760"], ["Green", "6", "7"]], paper=185)
    bw = np.where(page < 140, 0, 255).astype(np.uint8)
    table = find_tables(bw, DPI)[0]
    read_cells(get_engine(load("ep").engine), page, bw, DPI, table, 1, 1)
    got = {(c.row, c.col): c.text for c in table.cells}
    assert got[(0, 1)] == "8" and got[(2, 1)] == "6" and got[(1, 0)] == "Blue"


# --------------------------------------------------------------------------- finding a table


def test_a_ruled_table_set_a_line_a_row_with_empty_cells_beside_long_ones_is_a_table():
    """Fewer than half the cells hold text, but every row does (a long cell set line by line)."""
    rows = [["", "Option A", "Option B", "Option C"]]
    rows += [["+" if i == 0 else "", "", "", f"supplier line {i + 1} of the long cell"] for i in range(12)]
    rows += [["-", "Some traffic", "Wireless", "Two-way pager"]]
    found = find_tables(draw_table(rows, widths=[0.06, 0.3, 0.3, 0.34]), DPI)
    assert [(t.ruling, t.rows, t.cols) for t in found] == [("ruled", 14, 4)]
    # a grid with whole rows empty (a drawing's, a form's) is still no table
    empty = [["a", "b", "c"]] + [["", "", ""]] * 6
    assert find_tables(draw_table(empty), DPI) == []


def test_numbers_in_parentheses_that_happen_to_be_inid_codes_make_no_front_page():
    compounds = words_page(["(11)", "(40)", "(47)", "(66)", "(100)", "(103)", "(116)", "(119)", "(134)", "(139)",
                            "(154)", "(157)", "(233)"])
    assert not _front_page(compounds)
    codes = words_page(["(11)", "(21)", "(22)", "(54)", "(57)", "(71)"])
    assert _front_page(codes)


def test_two_columns_of_names_and_values_are_a_table_a_two_column_page_is_not():
    rows = [["Composition", "mol %"]] + [[n, v] for n, v in [("P2O5", "26-55%"), ("SiO2", "0-15%"), ("GeO2 + TiO2", "25-50%"),
                                                            ("TiO2", "0-50%"), ("ZrO2", "0-10%"), ("Al2O3", "0-15%")]]
    for ruling in ("partly", "unruled"):
        found = find_tables(draw_table(rows, ruling=ruling), DPI)
        assert [(t.ruling, t.cols) for t in found] == [(ruling, 2)], ruling
    f = font(int(9 / 72 * DPI))
    words = "the invention relates to a method of making an access system and a program for it".split()

    def line(i: int, width: float) -> str:  # running text: words up to the column's measure
        out: list[str] = []
        while f.getlength(" ".join(out + [words[(i + len(out)) % len(words)]])) < width:
            out.append(words[(i + len(out)) % len(words)])
        return " ".join(out)

    col = 0.49 * 160 * MM - 3 * MM  # the column less its margin and a gutter of 3 mm
    page = [[line(i, col), line(i + 5, col)] for i in range(12)]
    for ruling in ("partly", "unruled"):  # two columns of running text a gutter apart
        assert find_tables(draw_table(page, ruling=ruling, widths=[0.51, 0.49]), DPI) == [], ruling


def test_a_partly_ruled_body_filling_the_page_under_its_head_is_one_table():
    rows = [["Ex.", "X", "Y", "M.p."]] + [[f"I-a-{i}", "C2H5", "CH3", f"{100 + i}-{102 + i}"] for i in range(40)]
    found = find_tables(draw_table(rows, ruling="partly", top_mm=20.0), DPI)  # 41 rows of 6 mm: the last rule 246 mm down
    assert [(t.ruling, t.rows, t.cols, t.header_rows) for t in found] == [("partly", 41, 4, 1)]


def test_a_head_set_in_bold_over_three_rows_is_a_head_of_three_rows():
    rows = [["", "Voltage", "Efficiency"], ["Host", "(V) @20", "(cd/A) @1,000"], ["compound", "mA/cm2", "cd/m2"]]
    rows += [[f"({11 + i})", f"5.{i}", f"4{i}.6"] for i in range(8)]
    page = draw_table(rows, bold=3)
    bw = np.where(page < 128, 0, 255).astype(np.uint8)
    t = find_tables(bw, DPI)[0]
    assert bold_rows(bw, page_rules(bw, DPI), t, DPI) == 3
    plain = draw_table(rows)
    bw = np.where(plain < 128, 0, 255).astype(np.uint8)
    assert bold_rows(bw, page_rules(bw, DPI), find_tables(bw, DPI)[0], DPI) == 0
