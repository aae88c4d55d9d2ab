"""The second sealed table set (issue 27, ``tables_bench.py --part sealed2``): the CALS tables of
seven US publications nobody developing digitize has read, restated as plain one-group CALS
tables, typeset by fpdf2's own table API, rasterised by PDFium and degraded by this file's own
scanner model. Code apart from both earlier table generators (``digitize/synth_tables.py``, PIL;
``bench/tables_sealed_render.py``, Chromium): nothing of theirs is imported.

    python bench/tables_sealed2_render.py build --mirrors /work/.mirror   # the truth XML (one command)
    python bench/tables_sealed2_render.py check                           # pages, printed-text and raw-CLI checks

``build`` reads each source file from its repository at the pinned commit (bare git directories
as ``fetch`` leaves them, ``<mirrors>/<owner>+<name>/repo``; ``--shared`` for the copy in
``../shared/data``), nothing is downloaded, and writes ``$DIGITIZE_REAL_SETS/tables-sealed2/``:
one ``<DOC>.xml`` per publication holding its chosen tables as EP-style ``<tables><table><title>
<tgroup>`` (what ``tables_bench`` reads as truth) and ``SOURCES.json`` (repository, commit, path,
licence, SHA-256). USPTO tables are typeset line by line with several ``tgroup``s of different
column counts aligned by their widths, an empty offset column, the title "TABLE n" as a row and
empty rows carrying rules: the restatement snaps every group onto the widest group's columns by
the ``colwidth``s, drops columns and rows that hold no text, lifts the title row into ``<title>``
(the first row when it is "TABLE n" or one cell across the whole table),
makes the rows above the first full-width rule the head, and fills missing positions with empty
entries. Every row the XML has is kept as a row (a US head cell wrapped over two typeset lines is
two rows, as printed). A table too long for one page is cut into pages of body rows under a
repeated head ("(continued)" added to the title), at most ``MAX_PAGES`` of them.

Printing (``render_pdf``): A4, one typeface per publication (Liberation Sans Narrow, DejaVu Serif
Condensed, URW Nimbus Sans Narrow), 8-9.5 pt cells, fpdf2's word wrapping and row heights; rulings
``ruled`` (every cell boxed), ``partly`` (a rule over and under the head and under the table),
``unruled`` (no rule at all). Above the table the paragraph that introduces it in the publication
(its first words) and the title, under it a closing sentence of this file's own. ``scan`` rasterises
the PDF with PDFium and degrades it: ``office`` (300 dpi, bilevel: skew, toner density drift, a
blur, a fixed threshold, toner dropouts and specks) and ``poor`` (200 dpi grey: skew, a lamp
gradient, paper tone and grain, defocus, sensor noise, JPEG at quality 30-50). Seeded by ``SEED`` and the
table's name, so every page is the same on every run.

Used by ``bench/tables_bench.py --part sealed2`` only, to report: never to tune.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import html.entities
import io
import json
import os
import re
import subprocess
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from lxml import etree
from PIL import Image, ImageFilter

SEED = 27_2027
ROOT = Path(__file__).resolve().parents[1]
MAX_PAGES = 2  # pages kept of a table longer than a page
CLOSING = "Each entry is reproduced as it stands in the published specification."
FALLBACK_INTRO = "The measurements are collected in the table below."

# name: (repository, commit, path, licence, tables taken (their ids), typeface)
SOURCES: dict[str, tuple[str, str, str, str, tuple[str, ...], str]] = {
    "US20010000943A1": ("USPTO/PatentPublicData", "82d6220d054246265fb14892f45320600288949a",
                        "PatentDocument/resources/samples/pap/US20010000943A1.xml",
                        "CC0-1.0 (repository); USPTO publication data, public domain",
                        ("TABLE-US-00001", "TABLE-US-00002"), "narrow"),
    "US20050004974A1": ("USPTO/PatentPublicData", "82d6220d054246265fb14892f45320600288949a",
                        "PatentDocument/resources/samples/xmlApp2004/US20050004974A1.xml",
                        "CC0-1.0 (repository); USPTO publication data, public domain",
                        ("TABLE-US-00001", "TABLE-US-00002", "TABLE-US-00003"), "serif"),
    "US08927118B2": ("USPTO/PatentPublicData", "82d6220d054246265fb14892f45320600288949a",
                     "PatentDocument/resources/samples/xml2014/US08927118.xml",
                     "CC0-1.0 (repository); USPTO publication data, public domain",
                     ("TABLE-US-00018", "TABLE-US-00019"), "nimbus"),
    "US11646472B2": ("patent-dev/uspto-odp", "ed4a2b478d6717ec162509c1478dd681872d2f07",
                     "testdata/grant_us11646472b2_17248024.xml",
                     "MIT (repository); USPTO publication data, public domain",
                     ("TABLE-US-00001",), "serif"),
    "US20110039701A1": ("DS4SD/docling", "7df157204b7027090b66104f6e987f08fa77c431",
                        "tests/data/uspto/ipa20110039701.xml",
                        "MIT (repository); USPTO publication data, public domain",
                        ("TABLE-US-00002", "TABLE-US-00003", "TABLE-US-00013", "TABLE-US-00015",
                         "TABLE-US-00016", "TABLE-US-00017"), "narrow"),
    "US20180000016A1": ("DS4SD/docling", "7df157204b7027090b66104f6e987f08fa77c431",
                        "tests/data/uspto/ipa20180000016.xml",
                        "MIT (repository); USPTO publication data, public domain",
                        ("TABLE-US-00001",), "nimbus"),
    "US20010031492A1": ("DS4SD/docling", "7df157204b7027090b66104f6e987f08fa77c431",
                        "tests/data/uspto/pa20010031492.xml",
                        "MIT (repository); USPTO publication data, public domain",
                        ("TABLE-US-00001",), "serif"),
}
SHARED_COPIES = {"US11646472B2": "data/patent-xml/US11646472B2.xml"}

FACES = {  # regular, bold (heads), cell pt, body pt, heads bold
    "narrow": ("/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf",
               "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf", 9.0, 10.0, True),
    "serif": ("/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Bold.ttf", 8.0, 9.5, False),
    "nimbus": ("/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Regular.otf",
               "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Bold.otf", 9.5, 10.5, True),
}


def set_root() -> Path:
    return Path(os.environ.get("DIGITIZE_REAL_SETS") or ROOT / "build" / "real-sets") / "tables-sealed2"


def sources(root: Path | None = None, *, strict: bool = False) -> list[Path]:
    """The truth files ``build`` writes (for ``tables_bench.sets``, which lists every part's files
    whichever it runs: a file not built fails only when ``sealed2`` is read; ``strict`` stops here)."""
    root = root or set_root()
    paths = [root / f"{name}.xml" for name in SOURCES]
    missing = [p for p in paths if not p.exists()]
    if missing and strict:
        raise SystemExit(f"sealed2 tables not built ({missing[0]}): python bench/tables_sealed2_render.py build")
    return paths


# ---------------------------------------------------------------- restating USPTO tables


def _parse(data: bytes) -> etree._Element:
    text = data.decode("utf-8")
    text = re.sub(r"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", "", text, count=1, flags=re.S)

    def ent(m: re.Match) -> str:
        name = m[1]
        if name in ("amp", "lt", "gt", "quot", "apos"):
            return m[0]
        cp = html.entities.name2codepoint.get(name)
        return chr(cp) if cp else " "

    text = re.sub(r"&([A-Za-z][A-Za-z0-9]*);", ent, text)
    return etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                 huge_tree=True))


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _width(spec: str | None) -> float:
    m = re.match(r"\s*([\d.]+)\s*(pt|mm|\*)?", spec or "", re.I)
    if not m:
        return 30.0
    w = float(m[1])
    return w * 72 / 25.4 if (m[2] or "").lower() == "mm" else w


@dataclass
class Cell:
    text: str
    col: int
    span: int = 1
    rows: int = 1
    rule_below: bool = False


@dataclass
class Grid:
    name: str
    cols: int
    widths: list[float]
    rows: list[list[Cell]] = field(default_factory=list)
    head: int = 0
    title: str = ""
    intro: str = ""


def _groups(table) -> Grid:
    """Every tgroup snapped onto the widest group's column boundaries."""
    groups = table.findall("tgroup")
    master = max(groups, key=lambda g: len(g.findall("colspec")))
    widths = [_width(c.get("colwidth")) for c in master.findall("colspec")]
    bounds = np.concatenate([[0.0], np.cumsum(widths)])
    total = bounds[-1]
    grid = Grid(name="", cols=len(widths), widths=widths)
    for g in groups:
        specs = g.findall("colspec")
        gw = [_width(c.get("colwidth")) for c in specs] or [total]
        gb = np.concatenate([[0.0], np.cumsum(gw)])
        gb = gb * (total / gb[-1])  # a group narrower or wider than the master is scaled to it
        names = {(c.get("colname") or str(i + 1)): i for i, c in enumerate(specs)}
        nums = {int(c.get("colnum")): i for i, c in enumerate(specs) if (c.get("colnum") or "").isdigit()}

        def snap(x: float) -> int:
            return int(np.argmin(np.abs(bounds - x)))

        pending: dict[int, int] = {}  # group column -> rows still covered by a morerows entry above
        for row in g.iter("row"):
            cells = []
            gc = 0
            for e in row.findall("entry"):
                while pending.get(gc, 0) > 0:
                    gc += 1
                a = names.get(e.get("namest") or e.get("colname") or "", None)
                b = names.get(e.get("nameend") or "", None)
                if a is None and (e.get("colname") or "").isdigit() and int(e.get("colname")) in nums:
                    a = nums[int(e.get("colname"))]
                a = gc if a is None else a
                b = a if b is None or b < a else b
                more = int(e.get("morerows") or 0)
                for k in range(a, b + 1):
                    if more:
                        pending[k] = more + 1
                x0, x1 = gb[min(a, len(gb) - 1)], gb[min(b + 1, len(gb) - 1)]
                c0, c1 = snap(x0), snap(x1)
                if c1 <= c0:
                    c1 = c0 + 1
                cells.append(Cell(_text(e), c0, c1 - c0, more + 1, e.get("rowsep") == "1"))
                gc = b + 1
            for k in list(pending):
                pending[k] -= 1
            grid.rows.append(cells)
    return grid


def _clean(grid: Grid) -> Grid:
    # rows: a row without text is a rule (remember it on the row above), the "TABLE n" row is the title
    rows: list[list[Cell]] = []
    rules: list[int] = []  # index of the row above each full-width rule
    for cells in grid.rows:
        texts = [c.text for c in cells if c.text]
        if not texts:
            if any(c.rule_below and c.span >= grid.cols - 1 for c in cells) and rows:
                rules.append(len(rows) - 1)
            continue
        if not rows and not grid.title and len(texts) == 1 and (
                re.fullmatch(r"TABLE\s+\w+", texts[0], re.I)
                or any(c.text and c.span == grid.cols for c in cells)):  # "(I-a)", "80 g/ha" over the table
            grid.title = texts[0]
            continue
        rows.append(cells)
    # columns: one is kept when a cell with text lies in it alone; a spanning cell keeps its first
    # column when none of its columns is kept otherwise
    keep_set = {c.col for r in rows for c in r if c.text and c.span == 1}
    for r in rows:
        for c in r:
            if c.text and not any(k in keep_set for k in range(c.col, c.col + c.span)):
                keep_set.add(c.col)
    keep = sorted(keep_set)
    new_index = {c: i for i, c in enumerate(keep)}
    out_rows = []
    for cells in rows:
        placed = []
        for c in cells:
            kept = [new_index[k] for k in range(c.col, c.col + c.span) if k in new_index]
            if not kept:
                continue
            placed.append(Cell(c.text, kept[0], kept[-1] - kept[0] + 1, c.rows, c.rule_below))
        out_rows.append(placed)
    # fill positions nobody covers with empty cells; overlapping cells (a bad snap) merged into the first
    busy: dict[tuple[int, int], bool] = {}
    filled = []
    for r, cells in enumerate(out_rows):
        row = []
        for c in sorted(cells, key=lambda c: c.col):
            while any(busy.get((r, k)) for k in range(c.col, c.col + c.span)) and c.span > 1:
                c = Cell(c.text, c.col + 1, c.span - 1, c.rows, c.rule_below)
            if any(busy.get((r, k)) for k in range(c.col, c.col + c.span)):
                if row:
                    row[-1].text = (row[-1].text + " " + c.text).strip()
                continue
            c.rows = min(c.rows, len(out_rows) - r)
            row.append(c)
            for dr in range(c.rows):
                for k in range(c.col, c.col + c.span):
                    busy[(r + dr, k)] = True
        for k in range(len(keep)):
            if not busy.get((r, k)):
                row.append(Cell("", k))
                busy[(r, k)] = True
        filled.append(sorted(row, key=lambda c: c.col))
    head = 0
    first_rule = next((i for i in rules if i < len(filled) - 1), None)
    if first_rule is not None and first_rule + 1 <= 6 and first_rule + 1 < len(filled):
        head = first_rule + 1
    g = Grid(grid.name, len(keep), [grid.widths[k] for k in keep], filled, head, grid.title, grid.intro)
    return g


def _intro(tables_el) -> str:
    """The first words of the paragraph before the table: among the three elements before the
    table's paragraph, the nearest of 8 words or more (a figure label or a heading is passed over);
    none when another table comes first."""
    el = tables_el
    while el.getparent() is not None and el.getparent().tag in ("p", "paragraph"):
        el = el.getparent()
    prev = el.getprevious()
    for _ in range(3):
        if prev is None or prev.find(".//table") is not None:
            return ""
        words = _text(prev).split()
        if len(words) >= 8:
            return " ".join(words[:45])
        prev = prev.getprevious()
    return ""


def restate(data: bytes, doc: str, ids: tuple[str, ...]) -> list[Grid]:
    root = _parse(data)
    out = []
    for el in root.iter("tables", "table-cwu"):
        tid = el.get("id") or ""
        if tid not in ids:
            continue
        table = el.find(".//table")
        g = _groups(table)
        g.name = f"{doc}#{tid}"
        title = table.find("title")
        if title is not None and _text(title):
            g.title = _text(title)
        g.intro = _intro(el)
        out.append(_clean(g))
    return out


def paginate(g: Grid, fits) -> list[Grid]:
    """``g`` cut into pages of body rows under its head (at most ``MAX_PAGES``); ``fits(grid)`` says
    whether a page prints on one sheet. Rows tied by a row span stay together."""
    if fits(g):
        return [g]
    pages = []
    start = g.head
    while start < len(g.rows) and len(pages) < MAX_PAGES:
        lo, hi = start + 1, len(g.rows)
        while lo < hi:  # the most rows that fit
            mid = (lo + hi + 1) // 2
            if fits(_slice(g, start, mid, len(pages))):
                lo = mid
            else:
                hi = mid - 1
        end = lo
        while end < len(g.rows) and any(start <= r < end < r + c.rows for r in range(start, end) for c in g.rows[r]):
            end -= 1  # do not cut through a row span
        end = max(end, start + 1)
        pages.append(_slice(g, start, end, len(pages)))
        start = end
    return pages


def _slice(g: Grid, a: int, b: int, k: int) -> Grid:
    rows = [copy.deepcopy(r) for r in g.rows[: g.head]] + [copy.deepcopy(r) for r in g.rows[a:b]]
    for r, cells in enumerate(rows):
        for c in cells:
            c.rows = min(c.rows, len(rows) - r)
    title = g.title if k == 0 else f"{g.title or 'Table'} (continued)"
    return Grid(f"{g.name}-p{k + 1}", g.cols, g.widths, rows, g.head, title,
                g.intro if k == 0 else FALLBACK_INTRO)


def to_xml(doc: str, grids: list[Grid]) -> bytes:
    """An EP-style document holding the grids as CALS tables (what ``tables_bench`` reads)."""
    root = etree.Element("ep-patent-document", id=doc, lang="en")
    desc = etree.SubElement(root, "description")
    for i, g in enumerate(grids, 1):
        p = etree.SubElement(desc, "p", id=f"p{i:04d}")
        p.text = g.intro
        tables = etree.SubElement(p, "tables", id=g.name.split("#", 1)[1], num=f"{i:04d}")
        table = etree.SubElement(tables, "table", frame="all")
        if g.title:
            etree.SubElement(table, "title").text = g.title
        tg = etree.SubElement(table, "tgroup", cols=str(g.cols))
        for k, w in enumerate(g.widths, 1):
            etree.SubElement(tg, "colspec", colnum=str(k), colname=f"col{k}", colwidth=f"{w:.1f}pt")
        for part, rows in (("thead", g.rows[: g.head]), ("tbody", g.rows[g.head:])):
            if not rows:
                continue
            sec = etree.SubElement(tg, part)
            for cells in rows:
                row = etree.SubElement(sec, "row")
                for c in cells:
                    e = etree.SubElement(row, "entry")
                    if c.span > 1:
                        e.set("namest", f"col{c.col + 1}")
                        e.set("nameend", f"col{c.col + c.span}")
                    else:
                        e.set("colname", f"col{c.col + 1}")
                    if c.rows > 1:
                        e.set("morerows", str(c.rows - 1))
                    e.text = c.text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------- the truth as the bench reads it


@dataclass
class TCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TTable:
    name: str
    cols: int
    rows: list[list[TCell]]
    header_rows: int
    title: str
    intro: str
    col_mm: list[float]


def read_truth(path: Path) -> list[TTable]:
    """The tables of a built file, read by this file's own code (the renderer only needs ``name``,
    ``cols``, ``rows`` (cells: ``text``, ``rowspan``, ``colspan``), ``header_rows``, ``title``,
    ``intro``, ``col_mm``: what ``tables_bench`` hands it)."""
    root = etree.parse(str(path)).getroot()
    out = []
    for tables in root.iter("tables"):
        table = tables.find("table")
        tg = table.find("tgroup")
        names = {c.get("colname"): int(c.get("colnum")) - 1 for c in tg.findall("colspec")}
        widths = [_width(c.get("colwidth")) * 25.4 / 72 for c in tg.findall("colspec")]
        rows, head = [], 0
        for part in ("thead", "tbody"):
            for row in tg.findall(f"{part}/row"):
                cells = []
                for e in row.findall("entry"):
                    a = names[e.get("namest") or e.get("colname")]
                    b = names[e.get("nameend")] if e.get("nameend") else a
                    cells.append(TCell(e.text or "", int(e.get("morerows") or 0) + 1, b - a + 1))
                rows.append(cells)
                head += part == "thead"
        title = table.find("title")
        out.append(TTable(f"{path.stem}#{tables.get('id')}", int(tg.get("cols")), rows, head,
                          title.text if title is not None else "", tables.getparent().text or "", widths))
    return out


# ---------------------------------------------------------------- printing (fpdf2) and scanning


def _face(name: str) -> tuple:
    return FACES[SOURCES.get(name.split("#")[0], SOURCES["US20010000943A1"])[5]]


def _widths(pdf, t, bold_head: bool, cell_pt: float) -> list[float]:
    """The XML's column widths over the text width, a column narrower than its longest word
    widened (taken from the columns with room to spare), so that fpdf2 breaks no word by letters."""
    given = list(t.col_mm) if len(t.col_mm) == t.cols and sum(t.col_mm) > 0 else [1.0] * t.cols
    total = pdf.epw
    w = [total * g / sum(given) for g in given]
    need = [4.0] * t.cols
    col_of = _start_columns(t)
    for r, row in enumerate(t.rows):
        for c, cell in zip(col_of[r], row):
            if cell.colspan == 1 and cell.text:
                pdf.set_font("F", "B" if bold_head and r < t.header_rows else "", cell_pt)
                need[c] = max(need[c], max(pdf.get_string_width(x) for x in cell.text.split()) + 3.2)
    pdf.set_font("F", "", cell_pt)
    if sum(need) >= total:
        return [total * n / sum(need) for n in need]
    for _ in range(t.cols):
        short = [i for i in range(t.cols) if w[i] < need[i]]
        if not short:
            break
        lack = sum(need[i] - w[i] for i in short)
        for i in short:
            w[i] = need[i]
        spare = [i for i in range(t.cols) if w[i] > need[i]]
        room = sum(w[i] - need[i] for i in spare)
        for i in spare:
            w[i] -= lack * (w[i] - need[i]) / room
    pdf.set_font("F", "", cell_pt)
    return w


def _start_columns(t) -> list[list[int]]:
    busy: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(t.rows):
        c, starts = 0, []
        for cell in row:
            while (r, c) in busy:
                c += 1
            starts.append(c)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    busy.add((r + dr, c + dc))
            c += cell.colspan
        out.append(starts)
    return out


def render_pdf(t, *, ruling: str = "ruled") -> bytes:
    """An A4 PDF of ``t`` (any object with the attributes ``read_truth`` gives) typeset by fpdf2."""
    from fpdf import FPDF
    from fpdf.enums import CellBordersLayout, TableBordersLayout
    from fpdf.fonts import FontFace

    regular, bold, cell_pt, body_pt, bold_head = _face(t.name)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(22, 20, 22)
    pdf.add_font("F", "", regular)
    pdf.add_font("F", "B", bold)
    pdf.add_page()
    pdf.set_font("F", "", body_pt)
    pdf.multi_cell(0, body_pt * 0.53, t.intro or FALLBACK_INTRO, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if t.title:
        pdf.multi_cell(0, body_pt * 0.5, t.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    pdf.set_font("F", "", cell_pt)
    widths = _widths(pdf, t, bold_head, cell_pt)
    layout = {"ruled": TableBordersLayout.ALL, "partly": TableBordersLayout.NONE,
              "unruled": TableBordersLayout.NONE}[ruling]
    head = t.header_rows
    top_rule, bottom_rule = CellBordersLayout.TOP, CellBordersLayout.BOTTOM
    line_w = 0.25 if ruling == "ruled" else 0.35
    pdf.set_line_width(line_w)
    with pdf.table(borders_layout=layout, col_widths=widths, width=pdf.epw, text_align="LEFT",
                   first_row_as_headings=head > 0, num_heading_rows=max(head, 1), repeat_headings=0,
                   headings_style=FontFace(emphasis="BOLD" if bold_head else None),
                   line_height=cell_pt * 0.45, padding=(0.8, 1.2), v_align="TOP") as table:
        n = len(t.rows)
        for r, cells in enumerate(t.rows):
            row = table.row()
            for c in cells:
                border = CellBordersLayout.INHERIT
                if ruling == "partly":  # over the head, under the head, under the table
                    border = CellBordersLayout.NONE
                    if r == 0:
                        border |= top_rule
                    if (head and r + c.rowspan == head) or r + c.rowspan >= n:
                        border |= bottom_rule
                # a cell over several columns is centred on them (a group head, a formula over "A B")
                row.cell(c.text, colspan=c.colspan, rowspan=c.rowspan, border=border,
                         align="CENTER" if c.colspan > 1 else None)
    pdf.ln(4)
    pdf.set_font("F", "", body_pt)
    pdf.multi_cell(0, body_pt * 0.53, CLOSING, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pages_of(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(pdf))


def printed_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def page_truth_text(t) -> str:
    """The words the page prints: paragraph, title, cells row by row, the closing sentence."""
    cells = [c.text for row in t.rows for c in row if c.text]
    return "\n".join([t.intro or FALLBACK_INTRO] + ([t.title] if t.title else []) + cells + [CLOSING])


def _raster(pdf: bytes, dpi: int) -> Image.Image:
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(pdf)[0]
    return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def _rng(name: str, ruling: str, level: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(f"{name}|{ruling}|{level}".encode())])


def scan(pdf: bytes, level: str, name: str, ruling: str) -> tuple[np.ndarray, int]:
    """The page of ``pdf`` as a scanner of this file's own model gives it: (grey image, dpi)."""
    rng = _rng(name, ruling, level)
    if level == "office":
        dpi = 300
        img = _raster(pdf, dpi)
        angle = float(rng.uniform(0.25, 1.1) * rng.choice([-1, 1]))
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        a = np.asarray(img, dtype=np.float32)
        h, w = a.shape
        # toner density drifting across the page, a little smear, then the scanner's fixed threshold
        yy, xx = np.mgrid[0:h:16, 0:w:16]
        drift = 1.0 + 0.18 * np.sin(xx / w * rng.uniform(2, 5) + rng.uniform(0, 6)) * np.cos(yy / h * rng.uniform(1, 3))
        drift = np.asarray(Image.fromarray(drift.astype(np.float32)).resize((w, h), Image.BILINEAR))
        a = 255 - (255 - a) * drift
        a = np.asarray(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 0.9))),
                       dtype=np.float32)
        a = a + rng.normal(0, 7, a.shape)
        ink = a < rng.uniform(150, 178)
        # dropouts: short white runs along rows where the drum skipped
        for _ in range(int(rng.integers(3, 8))):
            y = int(rng.integers(0, h))
            ink[y:y + int(rng.integers(1, 3)), :] &= rng.random(w) > 0.6
        # specks
        n = int(h * w * 4e-6)
        ys, xs = rng.integers(0, h - 3, n), rng.integers(0, w - 3, n)
        for y, x, s in zip(ys, xs, rng.integers(1, 4, n)):
            ink[y:y + s, x:x + s] = True
        return np.where(ink, 0, 255).astype(np.uint8), dpi
    if level == "poor":
        dpi = 200
        img = _raster(pdf, dpi)
        angle = float(rng.uniform(1.0, 2.6) * rng.choice([-1, 1]))
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.25)))
        a = np.asarray(img, dtype=np.float32)
        h, w = a.shape
        paper = rng.uniform(200, 232)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        side = rng.uniform(0, 2 * np.pi)
        lamp = 1.0 - rng.uniform(0.06, 0.14) * (0.5 + 0.5 * np.cos(side) * (xx / w - 0.5) * 2
                                                  + 0.5 * np.sin(side) * (yy / h - 0.5) * 2)
        ink_level = rng.uniform(15, 45)
        a = ink_level + (a / 255.0) * (paper - ink_level)
        # paper grain: blotches a few pixels wide (the sensor's own noise is small beside them)
        grain = rng.normal(0, 1, (h // 4 + 1, w // 4 + 1)).astype(np.float32)
        grain = np.asarray(Image.fromarray(grain).resize((w, h), Image.BICUBIC))[:h, :w]
        a = a * lamp + grain * rng.uniform(3, 7) + rng.normal(0, rng.uniform(2, 4.5), a.shape)
        out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=int(rng.integers(30, 51)))
        return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L")), dpi
    raise ValueError(level)


def render(t, *, ruling: str = "ruled") -> bytes:
    """The bench's entry point: the PDF (each level scans it with ``scan``)."""
    return render_pdf(t, ruling=ruling)


# ---------------------------------------------------------------- build and check


def _read_source(name: str, mirrors: Path, shared: Path | None) -> bytes:
    repo, commit, path, *_ = SOURCES[name]
    if shared is not None and name in SHARED_COPIES and (shared / SHARED_COPIES[name]).exists():
        return (shared / SHARED_COPIES[name]).read_bytes()
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout


def _fits(g: Grid) -> bool:
    t = read_truth_from(g)
    return all(pages_of(render_pdf(t, ruling=r)) == 1 for r in ("ruled", "partly", "unruled"))


def read_truth_from(g: Grid) -> TTable:
    rows = [[TCell(c.text, c.rows, c.span) for c in r] for r in g.rows]
    return TTable(g.name, g.cols, rows, g.head, g.title, g.intro, [w * 25.4 / 72 for w in g.widths])


def build(mirrors: Path, out: Path, shared: Path | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    prov = {}
    for name, (repo, commit, path, licence, ids, face) in SOURCES.items():
        data = _read_source(name, mirrors, shared)
        pages = []
        for g in restate(data, name, ids):
            pages += paginate(g, _fits)
        (out / f"{name}.xml").write_bytes(to_xml(name, pages))
        prov[name] = {"repository": f"github.com/{repo}", "commit": commit, "path": path, "licence": licence,
                      "sha256": hashlib.sha256(data).hexdigest(), "tables": list(ids), "typeface": FACES[face][0],
                      "pages": [p.name for p in pages]}
        print(f"{name}: {len(pages)} table pages " + ", ".join(f"{p.name.split('#')[1]} {len(p.rows)}x{p.cols} head {p.head}"
                                                              for p in pages))
    (out / "SOURCES.json").write_text(json.dumps(prov, indent=1) + "\n")


def _words(s: str) -> list[str]:
    return [w for w in re.split(r"\s+", s) if w]


def bag_error(truth: str, got: str) -> float:
    """Order-free word error of ``got`` against ``truth`` (this file's own, for the sanity check)."""
    from collections import Counter

    a, b = Counter(_words(truth)), Counter(_words(got))
    common = sum((a & b).values())
    return (max(sum(a.values()), sum(b.values())) - common) / max(1, sum(a.values()))


def _not_printed(want, printed) -> tuple[list[str], list[str]]:
    """Truth words absent from the PDF's text layer, and those printed in two pieces (a word
    broken in a narrow column; "relation-" over "ship", which PDFium's text joins)."""
    missing = want - printed
    lost, split = [], []
    joined = {a[:-1] + b for a in want if a.endswith("-") for b in want}
    for m in missing:
        if m.endswith("-") and any(j.startswith(m[:-1]) and j in printed for j in joined):
            split.append(m)
        elif any(j.endswith(m) and j in printed for j in joined):
            split.append(m)
        elif any(m.startswith(p) and m[len(p):] in printed for p in printed if 0 < len(p) < len(m)):
            split.append(m)
        else:
            lost.append(m)
    return lost, split


def check(root: Path, out: Path, tesseract: int) -> int:
    from collections import Counter

    out.mkdir(parents=True, exist_ok=True)
    bad = 0
    n = 0
    for path in sources(root, strict=True):
        for t in read_truth(path):
            covered: dict[int, int] = {}
            for r, (row, starts) in enumerate(zip(t.rows, _start_columns(t))):
                for c, cell in zip(starts, row):
                    for dr in range(cell.rowspan):
                        covered[r + dr] = covered.get(r + dr, 0) + cell.colspan
            if any(covered.get(r) != t.cols for r in range(len(t.rows))):
                bad += 1
                print(f"{t.name}: a row does not cover the {t.cols} columns exactly")
            for ruling in ("ruled", "partly", "unruled"):
                pdf = render_pdf(t, ruling=ruling)
                n += 1
                printed = Counter(_words(printed_text(pdf).replace("\r", " ")))
                want = Counter(_words(page_truth_text(t)))
                missing, split = _not_printed(want, printed)
                if split and ruling == "ruled":
                    print(f"{t.name}: printed over two lines (a word wider than its column, or a hyphen "
                          f"the text layer joins): {split}")
                if pages_of(pdf) != 1 or missing:
                    bad += 1
                    print(f"{t.name} {ruling}: pages {pages_of(pdf)}, words not printed: {list(missing)[:8]}")
    print(f"{n} pages typeset, {bad} with a word of the truth not printed or more than one sheet")
    stems = []
    for path in sources(root, strict=True)[:tesseract]:
        t = read_truth(path)[0]
        for ruling in ("ruled", "partly", "unruled"):
            pdf = render_pdf(t, ruling=ruling)
            for level in ("office", "poor"):
                img, dpi = scan(pdf, level, t.name, ruling)
                stem = out / f"{t.name.replace('#', '_')}-{ruling}-{level}"
                Image.fromarray(img).save(f"{stem}.png", dpi=(dpi, dpi))
                raw = subprocess.run(["tesseract", f"{stem}.png", "-", "-l", "eng"], capture_output=True, text=True,
                                     env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}).stdout
                stems.append((t.name, ruling, level, bag_error(page_truth_text(t), raw)))
                print(f"raw tesseract {t.name} {ruling} {level}: order-free word error {stems[-1][3]:.3f}", flush=True)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write the truth XML from the sources' repositories")
    b.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    b.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    b.add_argument("--out", type=Path, default=None)
    c = sub.add_parser("check", help="typeset every page, check its words; raw tesseract on a few scans")
    c.add_argument("--root", type=Path, default=None)
    c.add_argument("--out", type=Path, default=Path("/tmp/tables-sealed2-check"))
    c.add_argument("--tesseract", type=int, default=2, help="documents whose first table is scanned and read raw")
    a = ap.parse_args(argv)
    if a.cmd == "build":
        build(a.mirrors, a.out or set_root(), a.shared)
        return 0
    return check(a.root or set_root(), a.out, a.tesseract)


if __name__ == "__main__":
    raise SystemExit(main())
