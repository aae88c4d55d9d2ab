"""Issue 27: a line a scanner or copier leaves down the sheet (a streak, a scratch on the glass)
crossing a table is no rule of it (tables sealed3's copier draws one on every office page):
a ruled table keeps its columns, a partly ruled table is still found; two such lines are a
drawing's or a grid's, as before. Pages drawn with PIL (``test_table_scans.draw_table``)."""

from __future__ import annotations

import numpy as np

from digitize.structure.tables import find_tables

from test_table_scans import DPI, MM, draw_table

ROWS = [["Compound", "Rate", "ORYSA", "ECHCG"]] + [[str(4 + 3 * i), "17.5", str(i % 3 * 5), str(100 - i)] for i in range(12)]


def streak(page: np.ndarray, x_mm: float, top_mm: float, bottom_mm: float) -> np.ndarray:
    """``page`` with a 2-pixel vertical line at ``x_mm`` from ``top_mm`` to ``bottom_mm``."""
    out = page.copy()
    x = int(x_mm * MM)
    out[int(top_mm * MM):int(bottom_mm * MM), x:x + 2] = 0
    return out


def shape(found):
    return [(t.ruling, t.rows, t.cols) for t in found]


def test_a_streak_through_a_ruled_table_is_no_column_rule():
    page = draw_table(ROWS)  # columns at 25, 65, 105, 145 mm; rows from 40 mm, 6 mm each
    assert shape(find_tables(page, DPI)) == [("ruled", 13, 4)]
    # from above the table into its body, inside the third column
    assert shape(find_tables(streak(page, 122.0, 10.0, 90.0), DPI)) == [("ruled", 13, 4)]
    # through the whole table and on below it, inside the second column
    assert shape(find_tables(streak(page, 83.0, 30.0, 150.0), DPI)) == [("ruled", 13, 4)]


def test_a_streak_through_a_partly_ruled_table_leaves_it_a_table():
    page = draw_table(ROWS, ruling="partly")
    assert shape(find_tables(page, DPI)) == [("partly", 13, 4)]
    assert shape(find_tables(streak(page, 100.0, 10.0, 150.0), DPI)) == [("partly", 13, 4)]


def test_two_lines_through_rules_are_a_drawing_not_streaks():
    page = draw_table(ROWS, ruling="partly")
    both = streak(streak(page, 64.0, 10.0, 150.0), 104.0, 10.0, 150.0)
    assert [t.ruling for t in find_tables(both, DPI)] != ["partly"]
