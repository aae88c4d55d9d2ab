"""Issue 27: tables found on the page image, read cell by cell, emitted as ST.36 and ST.96 tables.

Truth: the first two tables of EP 3 351 249 A1 (``tests/data/tables``, MIT, see the file),
typeset by ``digitize.synth_tables`` and degraded by ``digitize.synth``. Real Tesseract, real
DTD and XSD validation.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from lxml import etree

from digitize import validate
from digitize.emit import render_document
from digitize.model import Decisions, Document, OcrPage, Paragraph, Table, TableCell, Word
from digitize.pipeline import finish_document, ocr_range
from digitize.settings.profile import load
from digitize.structure.tables import find_tables, page_text
from digitize.synth import degrade, render_text_page, write_tiff
from digitize.synth_tables import read_tables, render_page
from digitize.teds import rows_of, teds

DATA = Path(__file__).parent / "data" / "tables" / "EP18151178NWA1-tables.xml"
SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "standards"


def truth(i: int):
    return read_tables(DATA)[i]


def truth_rows(t):
    return [[(c.text, c.rowspan, c.colspan) for c in row] for row in t.rows]


# --------------------------------------------------------------------------- detection (no engine)


def test_ruled_table_grid_rows_columns_and_spans_from_the_rules():
    t = truth(1)  # 6 columns, 11 rows, 8 cells over two rows and one footnote over all columns
    found = find_tables(render_page(t, ruling="ruled"), 300, page=4)
    assert len(found) == 1
    got = found[0]
    assert (got.ruling, got.rows, got.cols, got.page) == ("ruled", 11, 6, 4)
    spans = sorted((c.row, c.col, c.rowspan, c.colspan) for c in got.cells if c.rowspan > 1 or c.colspan > 1)
    expected = []
    for r, row in enumerate(t.positions()):
        expected += [(r, c, cell.rowspan, cell.colspan) for c, cell in row if cell.rowspan > 1 or cell.colspan > 1]
    assert spans == sorted(expected)


def test_partly_ruled_table_columns_from_the_words_alignment():
    t = truth(0)  # 3 columns, a head row and 9 body rows, rules over and under the head and under the table
    found = find_tables(render_page(t, ruling="partly"), 300)
    assert [(x.ruling, x.cols, x.header_rows) for x in found] == [("partly", 3, 1)]
    assert found[0].rows >= len(t.rows)  # a wrapped cell may add a row, never lose one


def test_partly_ruled_rows_and_spans_from_the_words_alignment():
    """Rules over and under the head and under the table only: every row and column found, the
    footnote one cell over all columns, the head's words set wider than their column's figures
    kept in their own cells, specks between the columns no column."""
    t = truth(1)  # 6 columns: a head, wrapped cells, rows of two lines set apart by space, a footnote
    image = render_page(t, ruling="partly")
    rng = np.random.default_rng(28)
    ys, xs = rng.integers(800, 1800, 300), rng.integers(300, 2180, 300)
    for y, x in zip(ys, xs):  # dust: specks of 2 x 2 pixels
        image[y:y + 2, x:x + 2] = 0
    found = find_tables(image, 300)
    assert [(x.ruling, x.rows, x.cols, x.header_rows) for x in found] == [("partly", 11, 6, 1)]
    cells = found[0].cells
    assert [c.colspan for c in cells if c.row == 0] == [1] * 6  # no head cell joined to its neighbour
    assert [(c.col, c.colspan) for c in cells if c.row == found[0].rows - 1] == [(0, 6)]  # the footnote


def test_a_page_read_as_scanned_with_sloping_rules_is_turned_level_for_its_tables():
    from digitize.preprocess.geometry import rotate
    from digitize.structure.tables import rule_skew

    page = render_page(truth(0), ruling="partly")
    assert rule_skew(page, 300) == 0.0
    tilted = rotate(page, -2.0)
    angle = rule_skew(tilted, 300)
    assert 1.7 < angle < 2.3
    level = np.where(rotate(tilted, angle) < 128, 0, 255).astype(np.uint8)
    assert [(x.ruling, x.cols) for x in find_tables(level, 300)] == [("partly", 3)]


def test_unruled_table_columns_and_rows_from_the_words_alignment():
    t = truth(1)
    found = find_tables(render_page(t, ruling="unruled"), 300)
    assert [(x.ruling, x.cols) for x in found] == [("unruled", 6)]
    assert len(t.rows) - 1 <= found[0].rows <= len(t.rows) + 1


def test_two_columns_of_text_with_line_numbers_between_them_are_no_table():
    """An EP description page: two columns of running text, the line numbers 5, 10, 15 in the
    gutter: three columns of words, but the middle one holds a word in one line of five."""
    from PIL import Image, ImageDraw

    from digitize.synth import font

    img = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(img)
    f = font(42)
    left = "the present invention relates to an access management system and a"
    right = "a file access system, an encrypting apparatus and a program for it"
    for i in range(40):
        y = 300 + i * 62
        draw.text((250, y), " ".join(left.split()[i % 3:i % 3 + 8]), font=f, fill=0)
        draw.text((1300, y), " ".join(right.split()[i % 4:i % 4 + 8]), font=f, fill=0)
        if (i + 1) % 5 == 0:
            draw.text((1215, y), str(i + 1), font=f, fill=0)
    assert find_tables(np.array(img), 300) == []


def test_dotted_rules_and_a_halftone_head_make_a_ruled_table():
    """Office software prints a table's rules as dots and its head on a halftone grey (ocr-benchmark
    table_07): the dots are joined along the rules; the grey's dots (and the words on it) are no
    rules. A head on grey loses the rules between its cells: one head cell over the columns."""
    t = truth(1)
    found = find_tables(render_page(t, ruling="dotted"), 300)
    assert [(x.ruling, x.rows, x.cols) for x in found] == [("ruled", 11, 6)]
    body = {(c.row, c.col, c.rowspan, c.colspan) for c in found[0].cells if c.row > 0}
    assert {(4, 0, 2, 1), (6, 5, 2, 1)} <= body  # the body's spanning cells as printed


def test_dot_leaders_and_a_halftone_picture_are_no_rules():
    """A contents page's dot leaders (periods a millimetre and more apart) and a halftone picture
    (dots close on every side) give no table."""
    lines = [f"Chapter {i} {'.' * 60} {i * 7}" for i in range(1, 25)]
    page = render_text_page(lines)
    assert find_tables(page, 300) == []
    yy, xx = np.mgrid[0:page.shape[0], 0:page.shape[1]]
    grey = ((xx % 4 == 0) & (yy % 4 == 0)) | (((xx + 2) % 4 == 0) & ((yy + 2) % 4 == 0))
    picture = page.copy()
    box = (slice(1800, 2600), slice(400, 2000))
    picture[box][grey[box]] = 0
    assert find_tables(picture, 300) == []


def test_a_box_of_text_with_a_few_rules_is_no_table():
    """A frame whose one cell covers most of it (a box of text, a table whose inner rules were
    lost under a halftone) is no ruled table: read as text, not cell by cell."""
    import cv2

    page = np.full((1400, 2000), 255, np.uint8)
    cv2.rectangle(page, (200, 200), (1800, 1100), 0, 3)
    cv2.line(page, (1500, 200), (1500, 1100), 0, 3)
    cv2.line(page, (1500, 500), (1800, 500), 0, 3)
    for i, y in enumerate(range(260, 1060, 60)):
        cv2.putText(page, f"a line of text in the box, number {i}", (230, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    for y in (300, 700):
        cv2.putText(page, "12.5", (1560, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    assert find_tables(page, 300) == []


@pytest.mark.slow
def test_a_dotted_table_on_a_real_page_reads_better_than_the_raw_engine():
    """ocr-benchmark table_07 (dotted rules, a halftone head): found as a ruled table and read
    cell by cell, no worse than the raw CLI (it read worse, 0.389 against 0.377, not found)."""
    import os
    import subprocess

    from digitize import ingest
    from digitize.evaluate import read_truth, score
    from digitize.pipeline import ocr_page

    bench = Path(os.environ.get("DIGITIZE_REAL_SCANS") or Path(__file__).parents[1] / "build" / "real-sets" / "ocr-benchmark")
    if not (bench / "img" / "table_07.png").is_file():
        pytest.skip("uncommitted real set absent: the ocr-benchmark pages (tests/data/real/SOURCES.md)")
    image = bench / "img" / "table_07.png"
    profile = load("generic")
    s = profile.preprocess
    page, _ = ocr_page(next(ingest.iter_pages(image, max_pixels=s.max_pixels, default_dpi=s.default_dpi)), profile)
    assert [(t.ruling, t.cols) for t in page.tables] == [("ruled", 4)]
    gold = read_truth(bench / "ground_truth" / "table_07.truth.hocr")
    raw = subprocess.run(["tesseract", str(image), "-", "-l", "eng"], capture_output=True, text=True,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
    assert score("t", gold, page_text(page)).owe <= score("t", gold, raw).owe


def _read_table(rows: list[list[tuple[str, int, int]]], cols: int) -> Table:
    """A ruled table as read: rows of (text, rowspan, colspan) in column order."""
    cells, busy = [], set()
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in busy:
                c += 1
            busy |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            words = [Word(f"p0001_w{len(cells):05d}_{k}", w, (0, 0, 1, 1), 90.0) for k, w in enumerate(text.split())]
            cells.append(TableCell(row=r, col=c, rowspan=rs, colspan=cs, bbox=(0, 0, 1, 1), words=words))
            c += cs
    return Table(page=1, bbox=(0, 0, 10, 10), rows=len(rows), cols=cols, cells=cells, ruling="ruled")


def test_a_group_head_over_sub_heads_is_a_head_of_two_rows():
    from digitize.structure.tables import head_rows

    two = _read_table([[("Phase", 2, 1), ("Buffer", 2, 1), ("Ranges", 1, 2)], [("pH", 1, 1), ("Conductivity", 1, 1)],
                       [("Load", 1, 1), ("20 mM MES", 1, 1), ("5.0-6.0", 1, 1), ("5 mS/cm", 1, 1)],
                       [("Wash", 1, 1), ("25 mM HEPES", 1, 1), ("7.5", 1, 1), ("2 mS/cm", 1, 1)]], 4)
    assert head_rows(two) == 2
    one = _read_table([[("Phase", 1, 1), ("Buffer", 1, 1), ("Ranges", 1, 2)],
                       [("Load", 1, 1), ("20 mM MES", 1, 1), ("5.0-6.0", 1, 1), ("5 mS/cm", 1, 1)],
                       [("Wash", 1, 1), ("25 mM HEPES", 1, 1), ("7.5", 1, 1), ("2 mS/cm", 1, 1)],
                       [("Strip", 1, 1), ("1 M NaCl", 1, 1), ("7.0", 1, 1), ("90 mS/cm", 1, 1)]], 4)
    assert head_rows(one) == 1  # the second row carries figures: body
    marks = _read_table([[("", 2, 1), ("Comfort", 2, 1), ("Area of view", 1, 2)], [("Landscape", 1, 1), ("Indoor", 1, 1)],
                         [("Blind", 1, 1), ("x", 1, 1), ("-", 1, 1), ("x", 1, 1)],
                         [("Panel", 1, 1), ("o", 1, 1), ("x", 1, 1), ("o", 1, 1)]], 4)
    assert head_rows(marks) == 2  # a body of marks, not figures: the head's pattern alone says so


def test_running_text_and_a_drawing_are_not_tables():
    text = render_text_page(["A line of running text that goes on for a while, as paragraphs do."] * 30)
    assert find_tables(text, 300) == []
    drawing = np.full((1200, 1200), 255, np.uint8)
    import cv2

    cv2.rectangle(drawing, (100, 100), (1100, 1100), 0, 4)  # a box with a cross and a circle: one cell
    cv2.line(drawing, (100, 600), (1100, 600), 0, 4)
    cv2.circle(drawing, (600, 350), 200, 0, 4)
    assert find_tables(drawing, 300) == []


@pytest.mark.parametrize("image", [np.zeros((0, 0), np.uint8), np.zeros((30, 30), np.uint8),
                                   np.zeros((600, 800), np.uint8), np.full((600, 800), 255, np.uint8)])
def test_bad_images_give_no_tables_not_an_error(image):
    assert find_tables(image, 300) == []


# --------------------------------------------------------------------------- TEDS


def test_teds_identical_one_and_edits_lower_it():
    a = [[("Phase", 1, 1), ("Buffer", 1, 1)], [("Load", 1, 1), ("5.5", 1, 1)]]
    assert teds(a, 1, a, 1) == 1.0
    wrong_text = [[("Phase", 1, 1), ("Buffer", 1, 1)], [("Load", 1, 1), ("5.6", 1, 1)]]
    merged = [[("Phase Buffer", 1, 2)], [("Load", 1, 1), ("5.5", 1, 1)]]
    assert 0.9 < teds(a, 1, wrong_text, 1) < 1.0
    assert teds(a, 1, wrong_text, 1, structure_only=True) == 1.0
    assert teds(a, 1, merged, 1) < teds(a, 1, wrong_text, 1)
    assert teds(a, 1, a, 0) < 1.0  # a head read as body is a structure error


# --------------------------------------------------------------------------- the page JSON


def test_page_and_paragraph_json_without_tables_are_as_before():
    page = OcrPage(number=1, width=10, height=10, dpi=300)
    assert "tables" not in json.loads(page.to_json())
    assert "tables" not in Paragraph(text="x").to_dict()
    t = Table(page=1, bbox=(0, 0, 5, 5), rows=1, cols=2,
              cells=[TableCell(row=0, col=0, bbox=(0, 0, 2, 5), words=[Word("p0001_w00001", "a", (0, 0, 1, 1), 90.0)]),
                     TableCell(row=0, col=1, bbox=(2, 0, 5, 5))])
    page.tables = [t]
    again = OcrPage.from_json(page.to_json(compact=True))
    assert again.tables == [t] and again.tables[0].text == "a\t"


# --------------------------------------------------------------------------- emission (no engine)


def _doc_with(table: Table) -> Document:
    doc = Document(doc_id="EP1000000A1", source="x.pdf", profile="ep", lang="en")
    doc.description = [Paragraph(text="The results are given in the following table.", num="0001", tables=[table])]
    return doc


def _cell(r, c, text, rs=1, cs=1, header=False):
    words = [Word(f"p0001_w{r * 10 + c + 1:05d}", w, (0, 0, 1, 1), 95.0) for w in text.split()]
    return TableCell(row=r, col=c, bbox=(c * 100, r * 50, (c + cs) * 100, (r + rs) * 50), rowspan=rs, colspan=cs,
                     header=header, words=words)


def test_spanning_cells_emit_valid_st36_cals_and_st96_oasis_tables():
    if not (SCHEMAS / "st36").is_dir():
        pytest.skip(f"{SCHEMAS} is not there (the shared standards folder)")
    table = Table(page=1, bbox=(0, 0, 300, 200), rows=4, cols=3, header_rows=1, id="tabl0001", col_widths=[100, 100, 100],
                  cells=[_cell(0, 0, "Buffer", header=True), _cell(0, 1, "pH range", cs=2, header=True),
                         _cell(1, 0, "Wash 2", rs=2), _cell(1, 1, "19mM MES"), _cell(1, 2, "5.0 - 6.0"),
                         _cell(2, 1, "10mM NaCl"), _cell(2, 2, ""), _cell(3, 0, "Storage"), _cell(3, 1, "0.1 N NaOH"),
                         _cell(3, 2, "NA")])
    data, validated = render_document(_doc_with(table), load("ep"), schema_dir=SCHEMAS)
    assert validated == "yes"
    st36 = etree.fromstring(data["st36"])
    tg = st36.find(".//p/tables/table/tgroup")
    assert tg.get("cols") == "3" and len(tg.findall("colspec")) == 3
    head = tg.findall("thead/row/entry")
    assert [(e.text, e.get("namest"), e.get("nameend")) for e in head] == [("Buffer", None, None), ("pH range", "col2", "col3")]
    body = tg.findall("tbody/row")
    assert [e.get("morerows") for e in body[0].findall("entry")] == ["1", None, None]
    assert [e.get("colname") for e in body[1].findall("entry")] == ["col2", "col3"]  # col1 spanned from above
    ns = {"com": "http://www.wipo.int/standards/XMLSchema/ST96/Common", "tbl": "http://www.oasis-open.org/tables/exchange/1.0"}
    st96 = etree.fromstring(data["st96"])
    t96 = st96.find(".//com:P/com:Table/com:IPOASISTable", ns)
    assert t96 is not None and t96.get(f"{{{ns['com']}}}tableNumber") == "1"
    entries = t96.findall(".//com:TableBody/com:Row/com:Entry", ns)
    assert entries[0].text == "Wash 2" and entries[0].get(f"{{{ns['tbl']}}}morerows") == "1"


# --------------------------------------------------------------------------- a scanned table page, end to end


@pytest.fixture(scope="module")
def table_document(tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    t = truth(1)
    image, dpi = degrade(render_page(t, ruling="ruled"), "office", seed=27)
    write_tiff([image], out / "table.tif", dpi)
    profile = load("ep")
    ocr_range(out / "table.tif", out / "work", profile)
    result = finish_document(out / "work", profile, source="table.tif", doc_id="table", schema_dir=SCHEMAS)
    return t, out / "work", result


def test_scanned_table_page_reads_cell_by_cell_into_valid_xml(table_document):
    t, work, result = table_document
    page = OcrPage.from_json((work / "pages" / "0001.json").read_text(encoding="utf-8"))
    assert len(page.tables) == 1
    got = page.tables[0]
    assert teds(truth_rows(t), t.header_rows, rows_of(got), got.header_rows) >= 0.9
    # every table word is a page word, once, with its cell's line in the hOCR
    ids = [w.id for w in page.words()]
    assert len(ids) == len(set(ids)) and got.word_ids() <= set(ids)
    hocr = (work / "pages" / "0001.hocr").read_text(encoding="utf-8")
    assert "Rituximab" in hocr or "MES" in hocr
    # the .txt: a row a line, cells separated by tabs
    txt = (work / "pages" / "0001.txt").read_text(encoding="utf-8")
    assert txt == page_text(page) + "\n"
    row = next(line for line in txt.splitlines() if line.startswith("Load"))
    assert row.count("\t") == 5
    # both XML files valid, the table in both, its image kept
    if (SCHEMAS / "st36").is_dir():
        assert result.validated == "yes"
    st36 = etree.parse(str(work / "table.st36.xml"))
    assert len(st36.findall(".//description/p/tables/table")) == 1
    assert st36.find(".//tgroup").get("cols") == "6"
    assert st36.find(".//tables").get("id") == "tabl0001"
    doc = json.loads((work / "table.json").read_text(encoding="utf-8"))
    files = [t["file"] for p in doc["description"] for t in p.get("tables", [])]
    assert files == ["tables/0001-1.tif"] and (work / files[0]).is_file()
    st96 = (work / "table.st96.xml").read_text(encoding="utf-8")
    assert "com:IPOASISTable" in st96
    if (SCHEMAS / "st96-v6_0").is_dir():
        assert validate.check_st96(etree.fromstring(st96.encode()), SCHEMAS) == []


def test_a_cell_holds_the_page_words_so_a_correction_reaches_the_table():
    w = Word("p0001_w00001", "O.5N", (0, 0, 1, 1), 40.0)
    t = Table(page=1, bbox=(0, 0, 5, 5), rows=1, cols=1, cells=[TableCell(row=0, col=0, bbox=(0, 0, 5, 5), words=[w])])
    from digitize.model import Block, Line

    page = OcrPage(number=1, width=5, height=5, dpi=300, tables=[t],
                   blocks=[Block(bbox=(0, 0, 5, 5), lines=[Line(bbox=(0, 0, 5, 5), words=[w])])])
    again = OcrPage.from_json(page.to_json(compact=True))
    again.words()[0].text = "0.5N"
    assert again.tables[0].text == "0.5N"


def test_a_reviewers_correction_of_a_cell_word_reaches_both_xml_tables(table_document):
    t, work, _ = table_document
    page = OcrPage.from_json((work / "pages" / "0001.json").read_text(encoding="utf-8"))
    word = page.tables[0].cells[0].words[0]
    finish_document(work, load("ep"), source="table.tif", doc_id="table", schema_dir=SCHEMAS,
                    decisions=Decisions(words={word.id: "Tampon"}))
    st36 = etree.parse(str(work / "table.st36.xml"))
    first = st36.find(".//tables/table/tgroup/*/row/entry")
    assert first.text.split()[0] == "Tampon"
    assert "Tampon" in (work / "table.st96.xml").read_text(encoding="utf-8")
