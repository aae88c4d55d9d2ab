"""Issue 27: what sealed4's EP tables printed without their rules showed (stop 38, tab27d), and the
review's point on ``_stray``. Pages drawn with PIL (``test_table_scans.draw_table``); no engine.

* a vertical line wholly above or below a table (a drawing's, another table's) is no streak
  through it: a column rule at the same x stays a column rule;
* an unruled table's wrapped cells (a long chemical name's second line, a record's further
  lines under its key) stay in the table: a line starting where a column other than the first
  starts continues the cell above; a lone speck in the margin does not draw the table out;
* two columns, narrow keys beside their entries, are a table though their gap is a gutter's;
* a partly ruled table of records (a key on the first of several lines) is a table;
* a numbered list set as two columns is no table, a column of keys is.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from digitize.model import Table, TableCell, Word
from digitize.structure.tables import find_tables
from digitize.synth import font

from test_table_scans import DPI, MM, draw_table

ROWS = [["Compound", "Rate", "ORYSA", "ECHCG"]] + [[str(4 + 3 * i), "17.5", str(i % 3 * 5), str(100 - i)] for i in range(12)]


def shape(found):
    return [(t.ruling, t.rows, t.cols) for t in found]


def test_a_line_wholly_above_a_ruled_table_leaves_its_column_rule():
    page = draw_table(ROWS)  # columns at 25, 65, 105, 145 mm; rows from 40 mm
    x = int(65 * MM)
    page[int(34 * MM):int(38.5 * MM), x:x + 2] = 0  # a drawing's line ending over the column rule
    assert shape(find_tables(page, DPI)) == [("ruled", 13, 4)]


def records_page(*, rules: bool) -> np.ndarray:
    """A key column (``87``) beside records of one to four lines (``MS ...``, ``Elemental ...``),
    a head ``Example No. | Data``, the keys' column narrow; with ``rules``, rules over and under
    the head and under the table (partly ruled). A speck far in the left margin."""
    img = Image.new("L", (int(210 * MM), int(297 * MM)), 255)
    d = ImageDraw.Draw(img)
    f = font(int(9 / 72 * DPI))
    kx, ex, right = int(55 * MM), int(80 * MM), int(165 * MM)
    y = int(45 * MM)
    d.text((int(50 * MM), y), "Example No.", font=f, fill=0)
    d.text((int(110 * MM), y), "Data", font=f, fill=0)
    head_rule = y + int(4.6 * MM)
    y += int(5.2 * MM)
    top = int(43 * MM)
    for i in range(10):
        d.text((kx, y), str(87 + i), font=f, fill=0)
        lines = ["MS (ESI+) m/z: 375.6 (M+H)+"] + (["Elemental analysis value as C15H18ClFN4O2 + 0.3H2O",
                                                  "Calculated (%) C: 43.19 H: 4.49 N: 13.43",
                                                  "Found (%) C: 42.82 H: 4.09 N: 13.31"] if i % 2 == 0 else [])
        for ln in lines:
            d.text((ex, y), ln, font=f, fill=0)
            y += int(5.2 * MM)
    bottom = y + int(1 * MM)
    page = np.array(img)
    if rules:
        t = max(2, int(0.25 * MM))
        for yy in (top, head_rule, bottom):
            page[yy:yy + t, int(48 * MM):right] = 0
    page[int(120 * MM):int(120 * MM) + 5, int(8 * MM):int(8 * MM) + 5] = 0  # a speck in the margin
    return page


def test_records_under_their_keys_are_one_table_unruled_and_partly():
    unruled = find_tables(records_page(rules=False), DPI)
    assert shape(unruled) == [("unruled", 26, 2)]  # the head and 25 lines: every record line a row
    assert unruled[0].bbox[0] > 40 * MM  # not drawn out to the speck in the margin
    partly = find_tables(records_page(rules=True), DPI)
    assert shape(partly) == [("partly", 26, 2)]


def test_a_numbered_list_is_no_table_but_keys_are():
    from digitize.table_ocr import _list

    def table(keys):
        cells = []
        for r, k in enumerate(keys):
            cells.append(TableCell(row=r, col=0, bbox=(0, r * 50, 100, r * 50 + 50),
                                   words=[Word(id=f"a{r}", text=k, bbox=(0, 0, 1, 1), conf=90.0)]))
            cells.append(TableCell(row=r, col=1, bbox=(100, r * 50, 900, r * 50 + 50),
                                   words=[Word(id=f"b{r}", text="Helene Abdela, II. Taborstrasse 20", bbox=(0, 0, 1, 1), conf=90.0)]))
        return Table(page=1, bbox=(0, 0, 900, 50 * len(keys)), rows=len(keys), cols=2, ruling="unruled", cells=cells)

    assert _list(table(["1.", "2,", "De", "4.", "5.", "(f)"]))  # a misread marker among them
    assert not _list(table(["87", "88", "89", "90"]))
