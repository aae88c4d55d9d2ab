"""The fifth sealed table set (issue 27, ``tables_bench.py --part sealed5``): 22 tables of seven EP
publications no earlier table set used, typeset by this file with MATPLOTLIB's Agg renderer (text
placed glyph run by glyph run in pixel coordinates, column widths from the renderer's own text
extents, this file's own line breaking and justification, rules drawn as ``Line2D``; not
matplotlib's ``table()``), in faces no earlier table set used (Noto Serif, Caladea, Carlito, Open
Sans), and scanned by this file's own models (``office``: a multifunction copier's scan to file;
``poor``: a fax received in fine mode, often printed on thermal paper and scanned again). Nothing
of the earlier table generators (``digitize/synth_tables.py``, ``bench/tables_sealed_render.py``,
``tables_sealed2_render.py``, ``tables_sealed3_render.py``, ``tables_sealed4_render.py``) is imported.

    python bench/tables_sealed5_render.py build --mirrors /work/.mirror   # the truth (one command)
    python bench/tables_sealed5_render.py check                           # printed-text and raw-CLI checks

``build`` reads the publications from github.com/max-planck-innovation-competition/go-epo-eps at
pinned commits (a bare git directory as ``fetch`` leaves it, ``<mirrors>/<owner>+<name>/repo``;
nothing is downloaded) and writes ``$DIGITIZE_REAL_SETS/tables-sealed5/``: ``<DOC>.xml`` per
publication (its tables as ``<p><tables><table><title><tgroup>``, every grid position an entry:
what ``tables_bench`` reads as truth), ``PAGES.json`` (each page's furniture and typographic style:
running head, the paragraph before and after with their [nnnn] numbers, caption, notes, folio,
face, sizes, margins) and ``SOURCES.json`` (repository, commit, path, licence, SHA-256). Nothing
of the publications is committed.

Restatement (``grid_of``): the table's tgroups (one column count) stacked into one grid; entries
placed by ``colname``/``namest``/``nameend``, ``morerows`` kept as a row span; a position no entry
covers is an empty entry; rows without text go (the publications' spacer rows), and so do rows
with an image in an entry (a DNA sequence set as a picture: the row is not a text row of the
table); full-width rows closing the body are the table's notes, printed under it in a smaller
size; a full-width FIRST head row stays in the head as a cell spanning every column (this set's
choice: EP 1 019 261 B1's "Max Vehicle Speed in MPH"); the caption is the table's ``<title>``, else
none is printed. ``<sub>``/``<sup>`` are set small, lowered or raised; ``<b>`` is bold.

Printing (``Page``): A4 at 300 dpi. Per page a style drawn from ``SEED`` and the table's name (kept
in ``PAGES.json``): face, body and cell sizes, margins, running head centred (folio at the foot) or
at the left with the folio at the right, bold or plain head cells, table set to its natural width
(centred) or spread over the text block, cell padding. Numbers in ``align="char"`` cells line up on
the decimal point. Long cells wrap at spaces, long chemical names after ``- / , ; ) ]``. Rulings:
``ruled`` (every cell's edges, a heavier frame), ``partly`` (over and under the head and under the
table), ``unruled`` (no rule). A table longer than the page has its paragraphs cut, then keeps the
body rows that fit (the truth is cut with it).

``scan``: ``office`` is a multifunction copier's scan to file: 300 dpi, the sheet set a little
askew and off-centre, lens blur, the platen lid's grey edge, a dusty glass, then either a
bilevel file (an adaptive threshold of its own) or a grey JPEG (quality 55-80) with a paper tint;
``poor`` is a fax received in fine mode (204 x 196 lines per inch): the sending sheet skewed up to
1.6 degrees, blurred, thresholded hard at a level drifting down the page (strokes thin or heavy),
scan lines lost (repeated from the line before) and bursts of lines jittered sideways, a compressed
vertical scale, speckle, resampled to 200 dpi bilevel; six pages in ten are that fax printed on
thermal paper (uneven print-head heat, faded grey ink) and scanned again in grey (JPEG 40-60). Seeded
by ``SEED`` and the page's name, ruling and level: every page is the same on every run.

Used by ``bench/tables_bench.py --part sealed5`` only, to report: never to tune, never run digitize
on these pages otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from lxml import etree

SEED = 5_27_2026
ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "tables-sealed5"
REPO = "max-planck-innovation-competition/go-epo-eps"
NEWEST = "717241d51951996aeab58cc105fb0104329915f1"  # the repository's newest commit in the mirror
TESTS = "75ec410355f02755a680deb87550bca97faaf85d"  # "more tests" (2023-01-17): test files of another line of history
LICENCE = "Apache-2.0 (repository); EP publication data of the European Patent Office"

# publication: (commit, path in the repository, tables taken). Publications of the earlier table
# sets (EP 3 882 239, 3 882 354, 0 430 402, 0 610 335, 0 697 382, 1 291 416, 0 791 067, EP18151178,
# EP16898049, EP 1 599 469) are left out, as are the repository's image-only and French/German tables.
SOURCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "EP0640886B1": (TESTS, "pkg/eps/test-data/grant/v1-0-B1-1.xml", ("tabl0001",)),
    "EP0736085B2": (TESTS, "pkg/eps/test-data/grant/v1-4-B2-1.xml",
                    ("tabl0001", "tabl0002", "tabl0003", "tabl0004", "tabl0005", "tabl0006", "tabl0007",
                     "tabl0008", "tabl0009", "tabl0010")),
    "EP0773297B2": (TESTS, "pkg/eps/test-data/grant/v1-2-B2-1.xml", ("tabl0001",)),
    "EP1019261B1": (NEWEST, "pkg/eps/test-data/grant/v1-1-B1.xml", ("tabl0001", "tabl0002")),
    "EP1442058B1": (NEWEST, "pkg/eps/test-data/grant/v1-0-B1.xml", ("tabl0001",)),
    "EP2126078B2": (TESTS, "pkg/eps/test-data/grant/v1-5-1-B2-2.xml", ("tabl0001", "tabl0002")),
    "EP4113994A2": (TESTS, "pkg/eps/test-data/application/v1-5-1-A2-2.xml",
                    ("tabl0001", "tabl0002", "tabl0003", "tabl0004", "tabl0005")),
}

# Debian fonts-noto-core, fonts-crosextra-caladea, fonts-crosextra-carlito, fonts-open-sans
FACES = {
    "noto-serif": ("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
                   "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf"),
    "caladea": ("/usr/share/fonts/truetype/crosextra/Caladea-Regular.ttf",
                "/usr/share/fonts/truetype/crosextra/Caladea-Bold.ttf"),
    "carlito": ("/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
                "/usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf"),
    "open-sans": ("/usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf",
                  "/usr/share/fonts/truetype/open-sans/OpenSans-Bold.ttf"),
}
# sizes in points (body, cell, note) that suit each face's x-height
SIZES = {"noto-serif": (9.5, 8.5, 7.5), "caladea": (11.0, 10.0, 8.5), "carlito": (11.0, 10.0, 8.5),
         "open-sans": (9.5, 8.5, 7.5)}
RULINGS = ("ruled", "partly", "unruled")
DPI = 300
PAGE_W, PAGE_H = 2480, 3508  # A4 at 300 dpi
PX = DPI / 72.0  # pixels a point

PLAIN, SUP, SUB, BOLD = 0, 1, 2, 3
Runs = list  # [[text, kind], ...]


def set_root() -> Path:
    return Path(os.environ.get("DIGITIZE_REAL_SETS") or ROOT / "build" / "real-sets") / "tables-sealed5"


class _NotBuilt(list):
    """No sources: says once, when the bench walks it, why sealed5 has nothing to run."""

    def __init__(self, missing: Path):
        super().__init__()
        self.missing = missing

    def __iter__(self):
        print(f"sealed5 skipped: {self.missing} is absent (build it: python bench/tables_sealed5_render.py build)")
        return iter(())


def sources(root: Path | None = None, *, strict: bool = False) -> list[Path]:
    """The set's truth files (one per publication), or an empty list that explains itself."""
    root = root or set_root()
    need = [root / f"{doc}.xml" for doc in SOURCES] + [root / "PAGES.json"]
    for p in need:
        if not p.is_file():
            if strict:
                raise SystemExit(f"sealed5 not built: {p} (python bench/tables_sealed5_render.py build)")
            return _NotBuilt(p)
    return need[:-1]


# ---------------------------------------------------------------- the publications' text


def _xml(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                                                  huge_tree=True, recover=True))


def runs_of(el, bold: bool = False) -> Runs:
    """The element's text as [text, kind] runs (whitespace collapsed, ``<br/>`` a space)."""
    acc: Runs = []

    def put(s, kind):
        if s:
            acc.append([s, kind])

    def visit(e, kind):
        put(e.text, kind)
        for c in e:
            if isinstance(c.tag, str):
                tag = c.tag
                if tag in ("sub", "inf"):
                    visit(c, SUB)
                elif tag == "sup":
                    visit(c, SUP)
                elif tag == "b":
                    visit(c, BOLD if kind == PLAIN else kind)
                elif tag == "br":
                    put(" ", kind)
                elif tag in ("tables", "img", "maths", "chemistry"):
                    pass
                else:
                    visit(c, kind)
            put(c.tail, kind)

    visit(el, BOLD if bold else PLAIN)
    return squeeze(acc)


def squeeze(runs: Runs) -> Runs:
    out: Runs = []
    for text, kind in runs:
        text = re.sub(r"\s+", " ", text)
        if out and (out[-1][0].endswith(" ") or not out[-1][0]):
            text = text.lstrip(" ")
        elif not out:
            text = text.lstrip(" ")
        if not text:
            continue
        if out and out[-1][1] == kind:
            out[-1][0] += text
        else:
            out.append([text, kind])
    while out and out[-1][0].endswith(" "):
        out[-1][0] = out[-1][0].rstrip(" ")
        if not out[-1][0]:
            out.pop()
    return out


def plain(runs: Runs) -> str:
    return "".join(t for t, _ in runs)


@dataclass
class Cell:
    runs: Runs
    col: int
    rowspan: int = 1
    colspan: int = 1
    align: str = "left"  # left, center, right, char


@dataclass
class Grid:
    name: str
    cols: int
    head: int
    rows: list[list[Cell]]
    caption: Runs = field(default_factory=list)
    notes: list[Runs] = field(default_factory=list)


class Skip(ValueError):
    pass


def grid_of(tables_el, name: str) -> Grid:
    table = tables_el.find("table")
    if table is None:
        raise Skip(f"{name}: the table is an image")
    groups = table.findall("tgroup")
    widths = {int(g.get("cols") or 0) for g in groups}
    if len(widths) != 1:
        raise Skip(f"{name}: tgroups of {sorted(widths)} columns")
    cols = widths.pop()
    lines = []  # (in head, has image, [(first col, last col, more rows, runs, align)])
    for gi, g in enumerate(groups):
        names = {}
        for k, cs in enumerate(g.findall("colspec"), 1):
            names[cs.get("colname") or f"col{k}"] = int(cs.get("colnum") or k) - 1
        for section in ("thead", "tbody"):
            for row in g.findall(f"{section}/row"):
                at, entries = 0, []
                for e in row.findall("entry"):
                    first = names.get(e.get("namest") or e.get("colname") or "", at)
                    last = names.get(e.get("nameend") or "", first)
                    entries.append((first, last, int(e.get("morerows") or 0), runs_of(e),
                                    e.get("align") or ""))
                    at = last + 1
                lines.append((section == "thead" and gi == 0, row.find(".//img") is not None, entries))
    notes: list[Runs] = []
    while lines and not lines[-1][0] and len(lines[-1][2]) == 1 and lines[-1][2][0][:2] == (0, cols - 1):
        if lines[-1][2][0][3]:
            notes.insert(0, lines[-1][2][0][3])
        lines.pop()
    lines = [ln for ln in lines if not ln[1] and any(x[3] for x in ln[2])]
    head = sum(1 for ln in lines if ln[0])
    if head >= len(lines):
        raise Skip(f"{name}: no body row")
    taken: set[tuple[int, int]] = set()
    rows: list[list[Cell]] = []
    for r, (in_head, _, entries) in enumerate(lines):
        row = []
        for first, last, more, runs, align in entries:
            if last >= cols or any((r, c) in taken for c in range(first, last + 1)):
                raise Skip(f"{name}: entries overlap in row {r}")
            span = min(more + 1, len(lines) - r)
            taken.update((r + dr, c) for dr in range(span) for c in range(first, last + 1))
            if align not in ("left", "center", "right", "char"):
                align = "center" if in_head else "left"
            row.append(Cell(runs, first, span, last - first + 1, align))
        for c in range(cols):
            if (r, c) not in taken:
                taken.add((r, c))
                row.append(Cell([], c, 1, 1, "center" if in_head else "left"))
        rows.append(sorted(row, key=lambda x: x.col))
    title = table.find("title")
    caption = runs_of(title) if title is not None else []
    return Grid(name, cols, head, rows, caption, notes)


def neighbours(desc, tables_el) -> tuple[tuple[str, Runs], tuple[str, Runs]]:
    """The numbered paragraphs of 10 words or more nearest before and after the table."""
    paras = list(desc.iter("p"))
    mine = next((a for a in tables_el.iterancestors("p")), None)
    order = {id(e): k for k, e in enumerate(desc.iter())}
    here = order[id(mine if mine is not None else tables_el)]

    def text(p):
        return runs_of(p)

    def label(p):
        n = p.get("num") or ""
        return f"[{n}]" if n.isdigit() else ""

    good = [p for p in paras if p is not mine and p.find(".//tables") is None and len(plain(text(p)).split()) >= 10]
    before = [p for p in good if order[id(p)] < here]
    after = [p for p in good if order[id(p)] > here]
    b = (label(before[-1]), text(before[-1])) if before else ("", [["The composition is set out below.", PLAIN]])
    a = (label(after[0]), text(after[0])) if after else ("", [["The results are discussed further below.", PLAIN]])
    return b, a


def cut_words(runs: Runs, n: int) -> Runs:
    """The runs' first ``n`` words; then back to the last sentence end in the second half, if any."""
    out: Runs = []
    count = 0
    for text, kind in runs:
        pieces = re.split(r"( )", text)
        keep = ""
        stop = False
        for piece in pieces:
            if piece == " ":
                count += 1
                if count >= n:
                    stop = True
                    break
            keep += piece
        out.append([keep, kind])
        if stop:
            break
    out = squeeze(out)
    s = plain(out)
    if len(s) < len(plain(runs)):
        ends = [m.end() for m in re.finditer(r"[a-z0-9%)]\.(?= )", s) if m.end() >= len(s) / 2]
        if ends:
            k = ends[-1]
            cut: Runs = []
            for text, kind in out:
                if k <= 0:
                    break
                cut.append([text[:k], kind])
                k -= len(text)
            out = squeeze(cut)
    return out


def folio_of(data: bytes, tid: str) -> str:
    at = data.find(f'<tables id="{tid}"'.encode())
    pages = re.findall(rb'<DP n="(\d+)">', data[:max(at, 0)])
    return pages[-1].decode() if pages else "2"


def running_head(root) -> str:
    n, kind = root.get("doc-number") or "", root.get("kind") or ""
    return f"EP {n[0]} {n[1:4]} {n[4:]} {kind}" if len(n) == 7 else f"EP {n} {kind}"


def style_for(name: str) -> dict:
    """The page's typography, drawn from SEED and the table's name (kept in PAGES.json)."""
    rng = np.random.default_rng([SEED, zlib.crc32(name.encode())])
    return {"top_in": round(float(rng.uniform(0.85, 1.15)), 3), "side_in": round(float(rng.uniform(0.85, 1.2)), 3),
            "bottom_in": round(float(rng.uniform(0.9, 1.1)), 3),
            "head_at": ["centre", "left"][int(rng.integers(0, 2))],
            "head_bold": bool(rng.random() < 0.7), "caption_bold": bool(rng.random() < 0.5),
            "spread": bool(rng.random() < 0.4), "pad_pt": round(float(rng.uniform(3.0, 5.5)), 2),
            "leading": round(float(rng.uniform(1.22, 1.38)), 3)}


# ---------------------------------------------------------------- the truth as the bench reads it


def truth_xml(doc: str, grids: list[Grid], intros: dict[str, str]) -> bytes:
    root = etree.Element("ep-patent-document", id=doc, lang="en")
    desc = etree.SubElement(root, "description")

    def put(el, runs: Runs) -> None:
        tail = None
        for text, kind in runs:
            if kind == PLAIN:
                if tail is None:
                    el.text = (el.text or "") + text
                else:
                    tail.tail = (tail.tail or "") + text
            else:
                tail = etree.SubElement(el, {SUP: "sup", SUB: "sub", BOLD: "b"}[kind])
                tail.text = text

    for k, g in enumerate(grids, 1):
        p = etree.SubElement(desc, "p", id=f"p{k:04d}", num=f"{k:04d}")
        p.text = intros[g.name]
        tid = g.name.split("#")[1]
        tables = etree.SubElement(p, "tables", id=tid, num=tid[-4:])
        table = etree.SubElement(tables, "table", frame="all")
        if g.caption:
            put(etree.SubElement(table, "title"), g.caption)
        tg = etree.SubElement(table, "tgroup", cols=str(g.cols))
        for c in range(g.cols):
            etree.SubElement(tg, "colspec", colnum=str(c + 1), colname=f"c{c + 1}")
        for section, rows in (("thead", g.rows[:g.head]), ("tbody", g.rows[g.head:])):
            if not rows:
                continue
            sec = etree.SubElement(tg, section)
            for row in rows:
                r = etree.SubElement(sec, "row")
                for cell in row:
                    e = etree.SubElement(r, "entry", align=cell.align)
                    if cell.colspan > 1:
                        e.set("namest", f"c{cell.col + 1}")
                        e.set("nameend", f"c{cell.col + cell.colspan}")
                    else:
                        e.set("colname", f"c{cell.col + 1}")
                    if cell.rowspan > 1:
                        e.set("morerows", str(cell.rowspan - 1))
                    put(e, cell.runs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_grids(root: Path | None = None) -> dict[str, Grid]:
    """The built tables (``DOC#tablNNNN``) with their runs, as build wrote them."""
    root = root or set_root()
    pages = _pages(str(root))
    out: dict[str, Grid] = {}
    for path in sources(root, strict=True):
        for tables in etree.parse(str(path)).getroot().iter("tables"):
            tg = tables.find("table/tgroup")
            name = f"{path.stem}#{tables.get('id')}"
            rows, head = [], 0
            for section in ("thead", "tbody"):
                for row in tg.findall(f"{section}/row"):
                    cells = []
                    for e in row.findall("entry"):
                        a = int((e.get("namest") or e.get("colname"))[1:]) - 1
                        b = int((e.get("nameend") or e.get("namest") or e.get("colname"))[1:]) - 1
                        cells.append(Cell(runs_of(e), a, int(e.get("morerows") or 0) + 1, b - a + 1,
                                          e.get("align") or "left"))
                    rows.append(cells)
                    head += section == "thead"
            f = pages[name]
            out[name] = Grid(name, int(tg.get("cols")), head, rows, f["caption"], f["notes"])
    return out


@lru_cache(maxsize=4)
def _pages(root: str) -> dict:
    return json.loads((Path(root) / "PAGES.json").read_text(encoding="utf-8"))


def page_truth_text(t) -> str:
    """The words the page prints, top to bottom: running head (and folio when it is at the top),
    the paragraph before with its number, caption, the cells row by row, notes, the paragraph
    after, folio."""
    f = _pages(str(set_root())).get(t.name)
    if f is None:
        return "\n".join([t.title] + [c.text for row in t.rows for c in row if c.text])
    top = [f["running"]] + ([f["folio"]] if f["style"]["head_at"] == "left" else [])
    parts = top + [f["before"][0], plain(f["before"][1]), plain(f["caption"])]
    parts += [c.text for row in t.rows for c in row if c.text]
    parts += [plain(n) for n in f["notes"]] + [f["after"][0], plain(f["after"][1])]
    parts += [f["folio"]] if f["style"]["head_at"] == "centre" else []
    return "\n".join(p for p in parts if p)


# ---------------------------------------------------------------- typesetting (matplotlib Agg)

BREAK_AFTER = "-/,;)]"
SMALL = 0.68  # superscripts and subscripts, of the run's size


@lru_cache(maxsize=64)
def _font(face: str, bold: bool, size: float):
    from matplotlib.font_manager import FontProperties

    return FontProperties(fname=FACES[face][1 if bold else 0], size=size)


@lru_cache(maxsize=8)
def _cmap(path: str) -> frozenset:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


class Page:
    """One A4 page set by matplotlib's Agg renderer in pixel coordinates (origin top left here,
    turned to matplotlib's bottom-left origin when drawn)."""

    def __init__(self, face: str, draw: bool = True):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.transforms import IdentityTransform

        self.face, self.draw = face, draw
        self.fig = Figure(figsize=(PAGE_W / DPI, PAGE_H / DPI), dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        self.renderer = self.canvas.get_renderer()
        self.ident = IdentityTransform()
        self.said: list[str] = []  # every string drawn, in order
        self.no_glyph: set[str] = set()
        self.lowest = 0.0  # the lowest ink (px from the top) of anything drawn
        self.rightmost = 0.0
        self._w: dict = {}

    # -- measuring
    def width(self, text: str, kind: int, size: float, bold: bool) -> float:
        key = (text, kind, size, bold)
        if key not in self._w:
            fp = _font(self.face, bold or kind == BOLD, size * (SMALL if kind in (SUP, SUB) else 1.0))
            if text.strip():
                w, _, _ = self.renderer.get_text_width_height_descent(text, fp, ismath=False)
            else:
                a, _, _ = self.renderer.get_text_width_height_descent("n" + text + "n", fp, ismath=False)
                b, _, _ = self.renderer.get_text_width_height_descent("nn", fp, ismath=False)
                w = a - b
            self._w[key] = float(w)
        return self._w[key]

    def seg_width(self, segs, size, bold) -> float:
        return sum(self.width(t, k, size, bold) for t, k in segs)

    # -- drawing
    def text(self, x: float, baseline: float, text: str, kind: int, size: float, bold: bool) -> float:
        """Draws one run at (x, baseline) in page pixels; returns its width."""
        w = self.width(text, kind, size, bold)
        path = FACES[self.face][1 if (bold or kind == BOLD) else 0]
        self.no_glyph.update(ch for ch in text if ch != " " and ord(ch) not in _cmap(path))
        self.said.append(text)
        shift = {SUP: -0.36, SUB: 0.2}.get(kind, 0.0) * size * PX
        self.lowest = max(self.lowest, baseline + shift + 0.3 * size * PX)
        self.rightmost = max(self.rightmost, x + w)
        if self.draw:
            fp = _font(self.face, bold or kind == BOLD, size * (SMALL if kind in (SUP, SUB) else 1.0))
            self.fig.text(x, PAGE_H - (baseline + shift), text, fontproperties=fp, transform=self.ident,
                          ha="left", va="baseline", parse_math=False, color="black")
        return w

    def rule(self, x0: float, y0: float, x1: float, y1: float, pt: float) -> None:
        from matplotlib.lines import Line2D

        self.lowest = max(self.lowest, y0, y1)
        if self.draw:
            self.fig.add_artist(Line2D([x0, x1], [PAGE_H - y0, PAGE_H - y1], linewidth=pt, color="black",
                                       transform=self.ident, solid_capstyle="projecting"))

    def image(self) -> np.ndarray:
        self.canvas.draw()
        rgba = np.asarray(self.canvas.buffer_rgba())
        grey = rgba[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
        return np.clip(np.rint(grey), 0, 255).astype(np.uint8)

    # -- line breaking (this file's own)
    def lines(self, runs: Runs, width: float, size: float, bold: bool) -> list[list[tuple[list, bool]]]:
        """``runs`` broken into lines no wider than ``width``: each line a list of (segments, a
        space before it). Words break at spaces; a word wider than the line also after ``- / , ; ) ]``
        (never inside a piece: a piece wider than the line stands alone and overflows)."""
        words: list[list] = [[]]
        for text, kind in runs:
            for i, part in enumerate(text.split(" ")):
                if i:
                    words.append([])
                if part:
                    words[-1].append([part, kind])
        words = [w for w in words if w]
        space = self.width(" ", PLAIN, size, bold)
        out: list[list] = [[]]
        used = 0.0
        for word in words:
            ww = self.seg_width(word, size, bold)
            gap = space if out[-1] else 0.0
            if used + gap + ww <= width + 0.01:
                out[-1].append((word, bool(out[-1])))
                used += gap + ww
                continue
            if ww <= width + 0.01:
                out.append([(word, False)])
                used = ww
                continue
            for k, piece in enumerate(_pieces(word)):
                pw = self.seg_width(piece, size, bold)
                gap = space if (out[-1] and k == 0) else 0.0
                if out[-1] and used + gap + pw > width + 0.01:
                    out.append([])
                    used, gap = 0.0, 0.0
                out[-1].append((piece, k == 0 and bool(out[-1])))
                used += gap + pw
        return [ln for ln in out if ln] or [[]]

    def line_width(self, line, size, bold) -> float:
        space = self.width(" ", PLAIN, size, bold)
        return sum(self.seg_width(segs, size, bold) + (space if sp else 0.0) for segs, sp in line)

    def set_line(self, line, x: float, baseline: float, size: float, bold: bool, extra: float = 0.0) -> list[str]:
        """Draws a line from ``x``; ``extra`` pixels added at every space (justification)."""
        space = self.width(" ", PLAIN, size, bold)
        drawn = []
        for segs, sp in line:
            if sp:
                x += space + extra
            for t, k in segs:
                x += self.text(x, baseline, t, k, size, bold)
                drawn.append(t)
        return drawn


def _pieces(word: list) -> list[list]:
    """A word cut after the characters a long name may break after (two characters at least on
    either side)."""
    flat_text = "".join(t for t, _ in word)
    cuts = {i + 1 for i, ch in enumerate(flat_text) if ch in BREAK_AFTER and i >= 2 and len(flat_text) - i - 1 >= 2}
    out: list[list] = [[]]
    pos = 0
    for text, kind in word:
        buf = ""
        for ch in text:
            buf += ch
            pos += 1
            if pos in cuts:
                out[-1].append([buf, kind])
                out.append([])
                buf = ""
        if buf:
            out[-1].append([buf, kind])
    return [p for p in out if p]


def paragraph(pg: Page, runs: Runs, number: str, x: float, y: float, width: float, size: float,
              leading: float) -> float:
    """A justified paragraph, its [nnnn] number in bold first; returns the y under it."""
    full = ([[number, BOLD], [" ", PLAIN]] if number else []) + runs
    lines = pg.lines(full, width, size, False)
    step = size * leading * PX
    for i, line in enumerate(lines):
        y += step
        spaces = sum(1 for _, sp in line if sp)
        extra = (width - pg.line_width(line, size, False)) / spaces if spaces and i < len(lines) - 1 else 0.0
        pg.set_line(line, x, y, size, False, extra)
    return y + 0.35 * step


def centred(pg: Page, runs: Runs, x: float, y: float, width: float, size: float, leading: float,
            bold: bool) -> float:
    step = size * leading * PX
    for line in pg.lines(runs, width, size, bold):
        y += step
        pg.set_line(line, x + (width - pg.line_width(line, size, bold)) / 2, y, size, bold)
    return y + 0.35 * step


def set_table(pg: Page, g: Grid, ruling: str, x: float, y: float, width: float, size: float,
              style: dict) -> tuple[float, float, float, list[list[str]], bool]:
    """The table from (x, y) within ``width``: returns (bottom y, left, right, the strings drawn
    per cell in reading order, whether every piece fitted its cell)."""
    pad = style["pad_pt"] * PX
    vpad = 0.55 * pad
    step = size * 1.22 * PX
    n = g.cols
    head_bold = style["head_bold"]

    def is_head(r):
        return r < g.head

    def natural(cell, r):
        return pg.seg_width(cell.runs, size, head_bold and is_head(r)) if cell.runs else 0.0

    def narrowest(cell, r):
        b = head_bold and is_head(r)
        words = [w for w in plain(cell.runs).split(" ") if w]
        if not words:
            return 0.0
        best = 0.0
        for line in pg.lines(cell.runs, 1.0, size, b):  # every piece on a line of its own
            best = max(best, pg.line_width(line, size, b))
        return best

    nat, low = [0.0] * n, [0.0] * n
    for r, row in enumerate(g.rows):
        for c in row:
            if c.colspan == 1:
                nat[c.col] = max(nat[c.col], natural(c, r))
                low[c.col] = max(low[c.col], narrowest(c, r))
    for r, row in enumerate(g.rows):  # spanning cells widen the columns they cover
        for c in row:
            if c.colspan > 1:
                cols = range(c.col, c.col + c.colspan)
                inner = 2 * pad * (c.colspan - 1)
                for arr, need in ((nat, natural(c, r)), (low, narrowest(c, r))):
                    have = sum(arr[k] for k in cols) + inner
                    if have < need:
                        for k in cols:
                            arr[k] += (need - have) / c.colspan

    def total(ws):
        return sum(ws) + 2 * pad * n

    fitted = True
    if total(nat) <= width:
        ws = list(nat)
        if style["spread"]:
            room = width - total(ws)
            s = sum(ws) or 1.0
            ws = [w + room * w / s for w in ws]
    elif total(low) <= width:
        room = width - total(low)
        slack = [max(0.0, a - b) for a, b in zip(nat, low)]
        s = sum(slack) or 1.0
        ws = [b + room * sl / s for b, sl in zip(low, slack)]
    else:
        ws = list(low)
        fitted = False
    left = x + (width - total(ws)) / 2
    edges = [left]
    for w in ws:
        edges.append(edges[-1] + w + 2 * pad)

    # each cell broken into lines; row heights
    laid = {}
    heights = [0.0] * len(g.rows)
    for r, row in enumerate(g.rows):
        for c in row:
            b = head_bold and is_head(r)
            inner = edges[c.col + c.colspan] - edges[c.col] - 2 * pad
            ls = pg.lines(c.runs, inner, size, b) if c.runs else [[]]
            if any(pg.line_width(ln, size, b) > inner + 0.5 for ln in ls):
                fitted = False
            laid[(r, c.col)] = (ls, b, inner)
            need = len(ls) * step + 2 * vpad
            if c.rowspan == 1:
                heights[r] = max(heights[r], need)
    for r in range(len(g.rows)):
        heights[r] = max(heights[r], step + 2 * vpad)
    for r, row in enumerate(g.rows):
        for c in row:
            if c.rowspan > 1:
                ls = laid[(r, c.col)][0]
                need = len(ls) * step + 2 * vpad
                have = sum(heights[r:r + c.rowspan])
                if need > have:
                    heights[r + c.rowspan - 1] += need - have
    tops = [y]
    for h in heights:
        tops.append(tops[-1] + h)

    # decimal alignment: per column, the widest integer and fraction parts of its char cells
    pre, post = [0.0] * n, [0.0] * n

    def split_dec(cell, b):
        s = plain(cell.runs)
        k = s.find(".")
        head_s, tail_s = (s, "") if k < 0 else (s[:k], s[k:])
        return pg.width(head_s, PLAIN, size, b) if head_s else 0.0, pg.width(tail_s, PLAIN, size, b) if tail_s else 0.0

    for r, row in enumerate(g.rows):
        for c in row:
            ls, b, _ = laid[(r, c.col)]
            if c.align == "char" and c.colspan == 1 and len(ls) == 1 and c.runs and all(k == PLAIN for _, k in c.runs):
                a, z = split_dec(c, b)
                pre[c.col], post[c.col] = max(pre[c.col], a), max(post[c.col], z)

    cells_said: list[list[str]] = []
    for r, row in enumerate(g.rows):
        for c in row:
            ls, b, inner = laid[(r, c.col)]
            x0 = edges[c.col] + pad
            box_top, box_bottom = tops[r], tops[r + c.rowspan]
            block = len(ls) * step
            if is_head(r):
                yb = box_top + (box_bottom - box_top - block) / 2
            else:
                yb = box_top + vpad
            said = []
            simple = c.align == "char" and c.colspan == 1 and len(ls) == 1 and c.runs and \
                all(k == PLAIN for _, k in c.runs)
            for i, ln in enumerate(ls):
                base = yb + (i + 0.82) * step
                lw = pg.line_width(ln, size, b)
                if simple:
                    a, _ = split_dec(c, b)
                    xs = x0 + (inner - pre[c.col] - post[c.col]) / 2 + pre[c.col] - a
                elif c.align in ("right", "char"):
                    xs = x0 + inner - lw
                elif c.align == "center":
                    xs = x0 + (inner - lw) / 2
                else:
                    xs = x0
                said += pg.set_line(ln, xs, base, size, b)
            cells_said.append(said)

    # rules
    right, bottom = edges[-1], tops[-1]
    thin, heavy = 0.55, 1.1
    if ruling == "ruled":
        for r, row in enumerate(g.rows):
            for c in row:
                xa, xb = edges[c.col], edges[c.col + c.colspan]
                ya, yb2 = tops[r], tops[r + c.rowspan]
                pg.rule(xa, ya, xb, ya, thin)
                pg.rule(xa, yb2, xb, yb2, heavy if r + c.rowspan == len(g.rows) else
                        (0.8 if r + c.rowspan == g.head else thin))
                pg.rule(xa, ya, xa, yb2, heavy if c.col == 0 else thin)
                pg.rule(xb, ya, xb, yb2, heavy if c.col + c.colspan == n else thin)
        pg.rule(left, y, right, y, heavy)
    elif ruling == "partly":
        pg.rule(left, y, right, y, 0.9)
        if g.head:
            pg.rule(left, tops[g.head], right, tops[g.head], thin)
        pg.rule(left, bottom, right, bottom, 0.9)
    return bottom, left, right, cells_said, fitted


def set_page(g: Grid, f: dict, ruling: str, draw: bool = True) -> tuple[Page, dict]:
    """The page of table ``g`` with its furniture ``f`` (a PAGES.json entry); returns the page and
    what was set: whether it fits, the strings per cell, the furniture's strings."""
    st = f["style"]
    body, cell_pt, note_pt = f["sizes"]
    pg = Page(f["face"], draw)
    left, top = st["side_in"] * DPI, st["top_in"] * DPI
    width = PAGE_W - 2 * left
    floor = PAGE_H - st["bottom_in"] * DPI
    lead = st["leading"]
    said: dict[str, list[str]] = {}
    # running head (and folio at the top right when the head stands at the left)
    mark = len(pg.said)
    hb = top * 0.55
    if st["head_at"] == "centre":
        w = pg.width(f["running"], PLAIN, body, False)
        pg.text(left + (width - w) / 2, hb, f["running"], PLAIN, body, False)
    else:
        pg.text(left, hb, f["running"], PLAIN, body, False)
        w = pg.width(f["folio"], PLAIN, body, False)
        pg.text(left + width - w, hb, f["folio"], PLAIN, body, False)
    said["head"] = pg.said[mark:]
    mark = len(pg.said)
    y = paragraph(pg, f["before"][1], f["before"][0], left, top, width, body, lead)
    said["before"] = pg.said[mark:]
    y += 0.6 * body * PX
    mark = len(pg.said)
    if f["caption"]:
        y = centred(pg, f["caption"], left, y, width, body, lead, st["caption_bold"])
    said["caption"] = pg.said[mark:]
    y += 0.25 * body * PX
    bottom, tl, tr, cells, fitted = set_table(pg, g, ruling, left, y, width, cell_pt, st)
    y = bottom
    mark = len(pg.said)
    if f["notes"]:
        nw = max(tr - tl, 0.45 * width)
        nx = tl if tl + nw <= left + width else left
        y += 0.2 * note_pt * PX
        for note in f["notes"]:
            for line in pg.lines(note, nw, note_pt, False):
                y += note_pt * 1.25 * PX
                pg.set_line(line, nx, y, note_pt, False)
    said["notes"] = pg.said[mark:]
    y += 1.0 * body * PX
    mark = len(pg.said)
    y = paragraph(pg, f["after"][1], f["after"][0], left, y, width, body, lead)
    said["after"] = pg.said[mark:]
    mark = len(pg.said)
    if st["head_at"] == "centre":
        w = pg.width(f["folio"], PLAIN, body, False)
        pg.text(left + (width - w) / 2, PAGE_H - st["bottom_in"] * DPI * 0.5, f["folio"], PLAIN, body, False)
    said["foot"] = pg.said[mark:]
    fits = fitted and y <= floor and pg.rightmost <= PAGE_W - left + 1
    return pg, {"fits": bool(fits), "cells": cells, "said": said, "bottom": y, "floor": floor}


# ---------------------------------------------------------------- the bench's entry points


@lru_cache(maxsize=2)
def _grids(root: str) -> dict[str, Grid]:
    return read_grids(Path(root))


def render(t, *, ruling: str = "ruled") -> np.ndarray:
    """The clean 300-dpi grey page of table ``t`` (``t.name`` is ``DOC#tablNNNN``); each level
    scans it (``scan``)."""
    root = str(set_root())
    g = _grids(root).get(t.name)
    if g is None:
        raise SystemExit(f"sealed5: {t.name} is not a table of the built set")
    pg, _ = set_page(g, _pages(root)[t.name], ruling)
    return pg.image()


# ---------------------------------------------------------------- scanning (this file's own models)


def _rng(name: str, ruling: str, level: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(f"{level}/{ruling}/{name}".encode())])


def _drift(rng: np.random.Generator, n: int, knots: int) -> np.ndarray:
    """A slow random curve of ``n`` samples in [-1, 1] (linear between random knots, smoothed)."""
    xs = np.linspace(0, n - 1, knots)
    curve = np.interp(np.arange(n), xs, rng.uniform(-1, 1, knots))
    k = max(3, n // (knots * 2)) | 1
    return np.convolve(np.pad(curve, k // 2, mode="edge"), np.ones(k) / k, mode="valid")[:n]


def _copier(clean: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A multifunction copier's scan to file at 300 dpi."""
    import cv2

    h, w = clean.shape
    a = clean.astype(np.float32)
    turn = rng.uniform(0.15, 0.85) * (1 if rng.random() < 0.5 else -1)
    m = cv2.getRotationMatrix2D((w / 2 + rng.uniform(-60, 60), h / 2 + rng.uniform(-60, 60)), turn,
                                rng.uniform(0.994, 1.004))
    m[:, 2] += rng.uniform(-30, 30, 2)
    a = cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=250.0)
    a = cv2.GaussianBlur(a, (0, 0), rng.uniform(0.55, 0.95))
    # the platen lid's grey edge along one side of the sheet
    side = int(rng.integers(0, 3))
    band = int(rng.integers(12, 45))
    grey = rng.uniform(150, 210)
    if side == 0:
        a[:, :band] = np.minimum(a[:, :band], grey)
    elif side == 1:
        a[:, w - band:] = np.minimum(a[:, w - band:], grey)
    else:
        a[h - band:, :] = np.minimum(a[h - band:, :], grey)
    # a dusty glass: dots, and now and then a hair
    for _ in range(int(rng.integers(15, 70))):
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        cv2.circle(a, (cx, cy), int(rng.integers(1, 3)), float(rng.uniform(40, 140)), -1)
    for _ in range(int(rng.integers(0, 3))):
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        pts = np.cumsum(rng.normal(0, 4, (12, 2)), axis=0) + [x0, y0]
        cv2.polylines(a, [pts.astype(np.int32)], False, float(rng.uniform(60, 130)), 1, cv2.LINE_AA)
    a += rng.normal(0, rng.uniform(2.0, 5.0), a.shape).astype(np.float32)
    if rng.random() < 0.5:  # a bilevel file: ink where darker than the neighbourhood and a ceiling
        k = int(rng.integers(31, 71)) | 1
        local = cv2.blur(a, (k, k))
        ceiling = rng.uniform(150, 190)
        black = (a < local - rng.uniform(18, 32)) & (a < ceiling)
        return np.where(black, 0, 255).astype(np.uint8)
    paper, toner = rng.uniform(226, 246), rng.uniform(12, 45)
    a = toner + np.clip(a, 0, 255) / 255.0 * (paper - toner)
    ok, buf = cv2.imencode(".jpg", np.clip(a, 0, 255).astype(np.uint8),
                           [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(55, 81))])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)


def _fax(clean: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The page as a fax received in fine mode (204 x 196 lines per inch), filed at 200 dpi: the
    received bilevel image itself, or (six pages in ten) its print on thermal paper scanned again
    in grey."""
    import cv2

    h, w = clean.shape
    a = clean.astype(np.float32)
    turn = rng.uniform(0.4, 1.6) * (1 if rng.random() < 0.5 else -1)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), turn, 1.0)
    a = cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255.0)
    a = cv2.GaussianBlur(a, (0, 0), rng.uniform(0.7, 1.15))  # the sending scanner's optics
    fw = int(round(w * 204 / DPI))
    fh = int(round(h * 196 / DPI * rng.uniform(0.975, 0.995)))  # the sheet fed a little fast
    a = cv2.resize(a, (fw, fh), interpolation=cv2.INTER_AREA)
    a += rng.normal(0, rng.uniform(5, 11), a.shape).astype(np.float32)
    level = rng.uniform(138, 182) + rng.uniform(10, 22) * _drift(rng, fh, 7)[:, None]
    black = a < level
    # scan lines lost (the line before repeated) and lines jittered sideways in bursts
    for y in np.flatnonzero(rng.random(fh) < rng.uniform(0.004, 0.012)):
        if y > 0:
            black[y] = black[y - 1]
    y = 0
    while y < fh:
        y += int(rng.integers(80, 400))
        run = int(rng.integers(2, 12))
        shift = int(rng.choice([-2, -1, 1, 2]))
        black[y:y + run] = np.roll(black[y:y + run], shift, axis=1)
        y += run
    black ^= rng.random(black.shape) < rng.uniform(1e-4, 5e-4)  # speckle (and a few white holes)
    img = np.where(black, 0, 255).astype(np.uint8)
    out = cv2.resize(img, (int(round(fw * 200 / 204)), int(round(fh * 200 / 196))), interpolation=cv2.INTER_NEAREST)
    if rng.random() < 0.6:  # printed on thermal paper, faded, scanned again in grey
        g = cv2.GaussianBlur(out.astype(np.float32), (0, 0), rng.uniform(0.5, 0.9))
        oh, ow = g.shape
        ink = rng.uniform(55, 115) + 25 * _drift(rng, ow, 5)[None, :]  # the print head's uneven heat
        paper = rng.uniform(212, 238)
        g = ink + g / 255.0 * (paper - ink)
        g += rng.normal(0, rng.uniform(3, 7), g.shape).astype(np.float32)
        ok, buf = cv2.imencode(".jpg", np.clip(g, 0, 255).astype(np.uint8),
                               [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(40, 61))])
        out = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    return out


def scan(clean: np.ndarray, level: str, name: str, ruling: str) -> tuple[np.ndarray, int]:
    """The page as this set's ``office`` copier (300 dpi, bilevel or grey JPEG) or ``poor`` fax
    (200 dpi, bilevel or its thermal print scanned grey) files it: (image, dpi)."""
    rng = _rng(name, ruling, level)
    if level == "office":
        return _copier(clean, rng), 300
    if level == "poor":
        return _fax(clean, rng), 200
    raise ValueError(f"level {level!r}: office or poor")


# ---------------------------------------------------------------- build and check


def _git_show(mirrors: Path, commit: str, path: str) -> bytes:
    git_dir = mirrors / REPO.replace("/", "+") / "repo"
    return subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout


def build(mirrors: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    grids: dict[str, Grid] = {}
    pages: dict[str, dict] = {}
    intros: dict[str, str] = {}
    prov, skipped = {}, []
    for doc, (commit, path, ids) in SOURCES.items():
        data = _git_show(mirrors, commit, path)
        root = _xml(data)
        desc = root.find(".//description")
        for el in root.iter("tables"):
            tid = el.get("id") or ""
            if tid not in ids:
                continue
            name = f"{doc}#{tid}"
            try:
                g = grid_of(el, name)
            except Skip as e:
                skipped.append(str(e))
                continue
            (bn, br), (an, ar) = neighbours(desc, el)
            grids[name] = g
            pages[name] = {"running": running_head(root), "folio": folio_of(data, tid),
                           "before": [bn, cut_words(br, 60)], "after": [an, cut_words(ar, 45)],
                           "caption": g.caption, "notes": g.notes, "style": style_for(name)}
        prov[doc] = {"repository": f"github.com/{REPO}", "commit": commit, "path": path, "licence": LICENCE,
                     "sha256": hashlib.sha256(data).hexdigest(), "tables": list(ids)}
    order = np.random.default_rng(SEED).permutation(len(grids))
    names = list(grids)
    faces = sorted(FACES)
    for i, k in enumerate(order):
        pages[names[k]]["face"] = faces[i % len(faces)]
        pages[names[k]]["sizes"] = list(SIZES[faces[i % len(faces)]])
    # what fits, measured by the typesetter itself: a smaller cell size for a table too wide,
    # shorter paragraphs, then fewer body rows
    for name, g in grids.items():
        f = pages[name]
        total = len(g.rows) - g.head

        def trial():
            return set_page(g, f, "ruled", draw=False)[1]

        got = trial()
        while not got["fits"] and f["sizes"][1] > 6.5 and got["bottom"] <= got["floor"]:
            f["sizes"][1] = round(f["sizes"][1] - 0.5, 1)
            got = trial()
        if not got["fits"]:
            f["before"][1], f["after"][1] = cut_words(f["before"][1], 30), cut_words(f["after"][1], 20)
            got = trial()
        while not got["fits"] and len(g.rows) > g.head + 1:
            g.rows = g.rows[:-1]
            for r, row in enumerate(g.rows):
                for c in row:
                    c.rowspan = min(c.rowspan, len(g.rows) - r)
            got = trial()
        if not got["fits"]:
            skipped.append(f"{name}: does not fit a page")
            del pages[name]
            continue
        intros[name] = plain(f["before"][1])
        body = len(g.rows) - g.head
        cut = "" if body == total else f" (body {body} of {total} rows)"
        print(f"{name}: {len(g.rows)}x{g.cols} head {g.head}{cut}"
              f", notes {len(g.notes)}, {f['face']} {f['sizes'][1]:g} pt", flush=True)
    for doc in SOURCES:
        mine = [g for n, g in grids.items() if n.startswith(doc + "#") and n in pages]
        (out / f"{doc}.xml").write_bytes(truth_xml(doc, mine, intros))
    (out / "PAGES.json").write_text(json.dumps(pages, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "SOURCES.json").write_text(json.dumps(prov, indent=1) + "\n")
    for s in skipped:
        print("not used:", s)
    _pages.cache_clear()
    _grids.cache_clear()


@dataclass
class _Said:  # what the bench's reader makes of a truth cell: its text, whitespace collapsed
    text: str


@dataclass
class _Truth:
    name: str
    rows: list
    title: str = ""


def _truth_tables(root: Path) -> list[_Truth]:
    """The truth tables as a reader of the XML sees them (entry text: its characters, whitespace
    collapsed): this file's own reading, to check the pages against."""
    out = []
    for path in sources(root, strict=True):
        for tables in etree.parse(str(path)).getroot().iter("tables"):
            rows = [[_Said(" ".join("".join(e.itertext()).split())) for e in row.findall("entry")]
                    for row in tables.iter("row")]
            out.append(_Truth(f"{path.stem}#{tables.get('id')}", rows))
    return out


def _bag(truth: str, got: str) -> float:
    from collections import Counter

    a, b = Counter(truth.split()), Counter(got.split())
    return (max(sum(a.values()), sum(b.values())) - sum((a & b).values())) / max(1, sum(a.values()))


def check(root: Path, out: Path, tesseract: int) -> int:
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    grids, pages = _grids(str(root)), _pages(str(root))
    truths = _truth_tables(root)
    bad = n_pages = n_cells = 0
    for t in truths:
        g, f = grids[t.name], pages[t.name]
        n_cells += sum(len(r) for r in t.rows)
        printed_cells = ["".join(c.text.split()) for row in t.rows for c in row]
        for ruling in RULINGS:
            pg, got = set_page(g, f, ruling, draw=False)
            n_pages += 1
            problems = []
            cells = ["".join("".join(s).split()) for s in got["cells"]]
            if cells != printed_cells:
                problems.append(f"cells differ: {[(a, b) for a, b in zip(cells, printed_cells) if a != b][:3]}")
            if "".join("".join(pg.said).split()) != "".join(page_truth_text(t).split()):
                problems.append("the page's strings are not its truth text in order")
            if not got["fits"]:
                problems.append(f"does not fit (bottom {got['bottom']:.0f} > {got['floor']:.0f} or too wide)")
            if pg.no_glyph:
                problems.append(f"no glyph for {sorted(pg.no_glyph)}")
            if problems:
                bad += 1
                print(f"{t.name} {ruling}: " + "; ".join(problems))
    print(f"{n_pages} pages ({len(truths)} tables x {len(RULINGS)} rulings, {n_cells} truth cells): {bad} with a "
          "cell or a furniture string not printed as the truth has it, a glyph missing, or not on the page")
    errs: dict[str, list[float]] = {"office": [], "poor": []}
    firsts = [next(t for t in truths if t.name.startswith(doc + "#")) for doc in SOURCES]
    for t in firsts[:tesseract]:
        for ruling in RULINGS:
            clean = render(t, ruling=ruling)
            Image.fromarray(clean).save(out / f"{t.name.replace('#', '_')}-{ruling}-clean.png", dpi=(DPI, DPI))
            for level in ("office", "poor"):
                img, dpi = scan(clean, level, t.name, ruling)
                png = out / f"{t.name.replace('#', '_')}-{ruling}-{level}.png"
                Image.fromarray(img).save(png, dpi=(dpi, dpi))
                raw = subprocess.run(["tesseract", str(png), "-", "-l", "eng"], capture_output=True, text=True,
                                     env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}).stdout
                errs[level].append(_bag(page_truth_text(t), raw))
                print(f"raw tesseract {t.name} {ruling} {level}: order-free word error {errs[level][-1]:.3f}",
                      flush=True)
    for level, e in errs.items():
        if e:
            print(f"raw tesseract {level}: mean {sum(e) / len(e):.3f} over {len(e)} pages")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="the truth XML and page furniture from the pinned publications")
    b.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    b.add_argument("--out", type=Path, default=None)
    c = sub.add_parser("check", help="every page set and its strings checked; raw tesseract on a few scans")
    c.add_argument("--root", type=Path, default=None)
    c.add_argument("--out", type=Path, default=Path("/tmp/tables-sealed5-check"))
    c.add_argument("--tesseract", type=int, default=4,
                   help="publications whose first table's pages are scanned and read by the raw CLI")
    a = ap.parse_args(argv)
    if a.cmd == "build":
        build(a.mirrors, a.out or set_root())
        return 0
    return check(a.root or set_root(), a.out, a.tesseract)


if __name__ == "__main__":
    raise SystemExit(main())
