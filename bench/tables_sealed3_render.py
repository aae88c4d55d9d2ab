"""The third sealed table set (issue 27, ``tables_bench.py --part sealed3``): tables of five US
publications nobody developing digitize has read, restated as one-group CALS tables, typeset by
GNU groff's ``tbl`` preprocessor in groff's own PostScript fonts (Palatino, Bookman, New Century
Schoolbook), rasterised by Ghostscript and degraded by this file's own copier and camera models.
Code apart from every earlier table generator (``digitize/synth_tables.py``, PIL;
``bench/tables_sealed_render.py``, Chromium; ``bench/tables_sealed2_render.py``, fpdf2 and PDFium):
nothing of theirs is imported.

    python bench/tables_sealed3_render.py build --mirrors /work/.mirror   # the truth (one command)
    python bench/tables_sealed3_render.py check                           # typesetting and raw-CLI checks

``build`` reads each source file from its repository at the pinned commit (bare git directories as
``fetch`` leaves them, ``<mirrors>/<owner>+<name>/repo``; nothing is downloaded) and writes
``$DIGITIZE_REAL_SETS/tables-sealed3/``: one ``<DOC>.xml`` per publication holding its chosen
tables as EP-style ``<p><tables><table><title><tgroup>`` (what ``tables_bench`` reads as truth),
``PAGES.json`` (what each page prints around its table: running head, the paragraph before and
the paragraph after with their numbers, the table's notes, typeface) and ``SOURCES.json``
(repository, commit, path, licence, SHA-256). Nothing of the publications is committed.

Restatement (``restate``). The USPTO sets a table as a stack of ``tgroup``s of different column
counts, one typeset line a row, empty rows carrying rules. Every group is scaled to the table's
width; each entry becomes a span of x positions; the columns are the cuts between the spans of
the entries that hold text (cuts nearer than 3 pt are one), and a column that no text entry covers
by itself is joined to its neighbour (an empty offset column, a full-width label). Rows: the
title is the leading full-width lines ("TABLE 3", its caption); the head is the text rows before
the first rule under it; the notes are the full-width lines after the table's last rule (printed
under the table, not in it); rows with no text are dropped. Head lines whose text entries sit
exactly on the cells of the line above, or under none of them, are one wrapped head row ("Compound" over "No."); an
empty head cell over a cell of the same columns gives that cell both rows (a row span). Body
lines are wrapped cells joined back as the table's entry says (``join``: ``"key"``, a line with
an empty first cell continues the row above; ``n``, every n lines are one row; none: every line
is a row, as printed; ``"upper"``, a line whose first cell is empty or does not begin with a
capital or a digit continues the row above). A cell broken after a hyphen is joined without a space. A table longer
than a page has its paragraphs cut to their first 20 and 16 words, then keeps the body rows
that fit under its head (no continuation page).

Printing (``render``): A4, a running head (the publication's number and date, a page number),
the paragraph before the table with its [nnnn] number, the title centred, the table, its notes
in a smaller size, the paragraph after. ``tbl`` formats: ``ruled`` (``allbox``: every cell
boxed), ``partly`` (a rule over and under the head and under the table), ``unruled`` (no rule at
all); numeric columns aligned on the decimal point (``n``), spanning head cells centred, long
cells in text blocks (``T{ T}``) whose widths this file computes from groff's own font metrics so
that no word is broken; no hyphenation. ``scan``: Ghostscript renders the PostScript
(``pnggray``, anti-aliased); ``office`` is a 300-dpi copier (sheet skew by shears, a heavy or
light toner curve, the sensor's column gain and a glass scratch, a fixed threshold, toner holes
and dust: bilevel), ``poor`` a 200-dpi photograph of the page (skew, keystone, motion blur, flat
contrast, vignetting, shot noise, JPEG 35-55). Seeded by ``SEED`` and the table's name: every
page is the same on every run.

Used by ``bench/tables_bench.py --part sealed3`` only, to report: never to tune, never run
digitize on these pages otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import html.entities
import io
import json
import os
import re
import subprocess
import tempfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from lxml import etree
from PIL import Image, ImageFilter

SEED = 90_417
ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = Path("/usr/share/groff/current/font/devps")
PAGE_LINES = 10.85  # inches of the page groff may fill (A4 is 11.69 in: the rest is the bottom margin)
LINE_IN = 6.3  # line length, inches
POINTS = 72.0

MIT = "MIT (repository); USPTO publication data, public domain"
APACHE = "Apache-2.0 (repository); USPTO publication data, public domain"

# name: (repository, commit, path, licence, face, {table id: how its body lines join, or (join, the
# text of the line where the table is cut: a second table set under the first)})
SOURCES: dict[str, tuple[str, str, str, str, str, dict[str, object]]] = {
    "US07314849B2": ("mcs07/ChemDataExtractor", "f9fd4b564b4879ad4aa0b433c7da5cc13c591880",
                     "tests/data/US07314849-20080101.XML", MIT, "palatino",
                     {"TABLE-US-00007": None, "TABLE-US-00009": None, "TABLE-US-00010": None,
                      "TABLE-US-00011": None, "TABLE-US-00013": None}),
    "US06840965B2": ("mcs07/ChemDataExtractor", "349a3bea965f2073141d62043b89319222e46af1",
                     "tests/data/uspto/US06840965B2.xml", MIT, "bookman",
                     {"TABLE-US-00001": None, "TABLE-US-00003": None, "TABLE-US-00004": 2,
                      "TABLE-US-00011": "key"}),
    "US08907107B2": ("mcs07/ChemDataExtractor", "b980d2997eb17f592c24026f0efc6c1632bfae23",
                     "tests/data/patents/US08907107B2.xml", MIT, "schoolbook",
                     {"TABLE-US-00003": None, "TABLE-US-00004": None, "TABLE-US-00005": None,
                      "TABLE-US-00006": None}),
    "US20230080311A1": ("max-planck-innovation-competition/go-uspto", "e0cf2a85bb17714ea5ada6a7fc778f1d87c96509",
                        "pkg/uspto/test-data/application/US20230080311A1-20230316.XML", APACHE, "bookman",
                        {"TABLE-US-00001": "upper", "TABLE-US-00002": "key", "TABLE-US-00003": None,
                         "TABLE-US-00004": "key"}),
    "US07470803B2": ("mcs07/ChemDataExtractor", "f9fd4b564b4879ad4aa0b433c7da5cc13c591880",
                     "tests/data/US07470803-20081230.XML", MIT, "palatino",
                     {"TABLE-US-00001": (None, "*1H-NMR Data"), "TABLE-US-00002": None}),
}

# face: groff family, head font, cell pt, body pt, notes pt
FACES = {
    "palatino": ("P", "B", 9.0, 10.0, 8.0),
    "bookman": ("BM", "I", 8.5, 9.5, 7.5),
    "schoolbook": ("N", "R", 9.0, 10.0, 8.0),
}


def set_root() -> Path:
    return Path(os.environ.get("DIGITIZE_REAL_SETS") or ROOT / "build" / "real-sets") / "tables-sealed3"


def sources(root: Path | None = None, *, strict: bool = False) -> list[Path]:
    """The truth files ``build`` writes (``tables_bench.sets`` lists every part's files whichever
    part it runs: when one is not built, none is given and the part is skipped with one line when
    it is read; ``strict`` stops here)."""
    root = root or set_root()
    paths = [root / f"{name}.xml" for name in SOURCES]
    missing = [p for p in paths if not p.exists()]
    if missing and strict:
        raise SystemExit(f"sealed3 tables not built ({missing[0]}): python bench/tables_sealed3_render.py build")
    return _NotBuilt(missing[0]) if missing else paths


class _NotBuilt(list):
    """No files: the part is skipped with one line, said when (and only when) it is read."""

    def __init__(self, first: Path):
        super().__init__()
        self.first = first

    def __iter__(self):
        print(f"sealed3 skipped: {self.first} not built (python bench/tables_sealed3_render.py build)")
        return super().__iter__()


# ---------------------------------------------------------------- reading the publications


def _load(data: bytes) -> etree._Element:
    text = data.decode("utf-8", errors="replace")
    text = re.sub(r"<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>", "", text, count=1)

    def entity(m: re.Match) -> str:
        if m[1] in ("amp", "lt", "gt", "quot", "apos"):
            return m[0]
        code = html.entities.name2codepoint.get(m[1])
        return chr(code) if code else " "

    text = re.sub(r"&([A-Za-z][A-Za-z0-9]*);", entity, text)
    return etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                 huge_tree=True, recover=True))


def _flat(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _pt(spec: str | None) -> float:
    m = re.match(r"\s*([\d.]+)\s*(pt|mm|in)?", spec or "")
    if not m:
        return 36.0
    return float(m[1]) * {"mm": POINTS / 25.4, "in": POINTS}.get((m[2] or "pt").lower(), 1.0)


@dataclass
class Line:
    """One XML row: its entries as (x0, x1, text), and whether it is a rule (no text, a rowsep)."""
    spans: list[tuple[float, float, str]]
    rule: bool = False

    @property
    def texts(self) -> list[tuple[float, float, str]]:
        return [s for s in self.spans if s[2]]


def _lines(table) -> tuple[list[Line], float]:
    groups = table.findall("tgroup")
    totals = [sum(_pt(c.get("colwidth")) for c in g.findall("colspec")) for g in groups]
    width = max(totals) if totals else 1.0
    out = []
    for g, total in zip(groups, totals):
        specs = g.findall("colspec")
        scale = width / (total or width)
        edges, x = {}, 0.0
        for i, c in enumerate(specs):
            w = _pt(c.get("colwidth")) * scale
            edges[c.get("colname") or str(i + 1)] = (x, x + w)
            x += w
        order = list(edges)
        for row in g.iter("row"):
            spans, k, rule = [], 0, False
            for e in row.findall("entry"):
                a = e.get("namest") or e.get("colname")
                b = e.get("nameend") or a
                if a not in edges:
                    a = b = order[min(k, len(order) - 1)]
                if b not in edges:
                    b = a
                x0, x1 = edges[a][0], edges[b][1]
                spans.append((x0, x1, _flat(e)))
                k = order.index(b) + 1
                rule |= e.get("rowsep") == "1"
            texts = [s for s in spans if s[2]]
            out.append(Line(spans, rule=not texts and rule))
    return out, width


@dataclass
class Cell:
    text: str
    col: int
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Restated:
    title: str
    cols: int
    widths: list[float]  # pt
    rows: list[list[Cell]]
    head: int
    notes: list[str]


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    return a + b if a.endswith("-") else a + " " + b


def restate(table, join) -> Restated:
    lines, width = _lines(table)
    if isinstance(join, tuple):  # cut where a second table begins under the first
        join, stop = join
        at = next(k for k, ln in enumerate(lines) if any(t[2] == stop for t in ln.texts))
        lines = lines[:at]
    full = lambda s: s[1] - s[0] >= 0.9 * width  # noqa: E731
    # title: the leading full-width lines and rules
    i, title = 0, []
    while i < len(lines) and (lines[i].rule or not lines[i].texts or
                              (len(lines[i].texts) == 1 and full(lines[i].texts[0]))):
        title += [t[2] for t in lines[i].texts]
        i += 1
    body_lines = lines[i:]
    # notes: full-width text lines after the last rule
    last_rule = max((k for k, ln in enumerate(body_lines) if ln.rule), default=len(body_lines))
    notes = [t[2] for ln in body_lines[last_rule:] for t in ln.texts]
    body_lines = body_lines[:last_rule]
    # head: the text lines before the first rule, when a rule follows the first text lines
    first_rule = next((k for k, ln in enumerate(body_lines) if ln.rule), None)
    text_lines = [ln for ln in body_lines if ln.texts]
    head_n = 0
    if first_rule is not None and any(ln.texts for ln in body_lines[first_rule + 1:]):
        head_n = sum(1 for ln in body_lines[:first_rule] if ln.texts)
    head_lines, rest = text_lines[:head_n], text_lines[head_n:]
    # columns: cuts between the text spans
    cuts: list[float] = []
    for x in sorted({round(v, 2) for ln in text_lines for s in ln.texts for v in s[:2]}):
        if not cuts or x - cuts[-1] > 3.0:
            cuts.append(x)
    cols = [(cuts[k], cuts[k + 1]) for k in range(len(cuts) - 1)]

    def covers(s) -> list[int]:
        return [k for k, (a, b) in enumerate(cols) if a >= s[0] - 3.0 and b <= s[1] + 3.0]

    alone = {covers(s)[0] for ln in text_lines for s in ln.texts if len(covers(s)) == 1}
    keep = [k for k in range(len(cols)) if k in alone]
    if not keep:
        keep = list(range(len(cols)))
    # a column no text covers by itself joins the kept column to its right (the last one to its left)
    owner = {}
    for k in range(len(cols)):
        right = [j for j in keep if j >= k]
        owner[k] = keep.index(right[0] if right else keep[-1])
    ncols = len(keep)
    widths = [0.0] * ncols
    for k, (a, b) in enumerate(cols):
        widths[owner[k]] += b - a

    def cells_of(ln: Line) -> dict[tuple[int, int], str]:
        out: dict[tuple[int, int], str] = {}
        for s in ln.texts:
            ks = sorted({owner[k] for k in covers(s)}) or [0]
            out[(ks[0], ks[-1])] = _join(out.get((ks[0], ks[-1]), ""), s[2])
        return out

    # head: wrapped lines joined, then empty-over-full cells made row spans
    head: list[dict[tuple[int, int], str]] = []
    for ln in head_lines:
        c = cells_of(ln)
        if head:
            above = head[-1]
            used = {k for a, b in above for k in range(a, b + 1)}
            if all(k in above or not used & set(range(k[0], k[1] + 1)) for k in c):
                for k, t in c.items():
                    above[k] = _join(above.get(k, ""), t)
                continue
        head.append(c)
    # body: continuation lines joined back
    body: list[dict[tuple[int, int], str]] = []
    for n, ln in enumerate(rest):
        c = cells_of(ln)
        first = c.get(min(c)) if c else ""
        if body and ((join == "key" and not any(a == 0 for a, _ in c)) or
                     (join == "upper" and not (any(a == 0 for a, _ in c) and re.match(r"[A-Z0-9]", first))) or
                     (isinstance(join, int) and n % join)):
            prev = body[-1]
            for (a, b), t in c.items():
                key = next((k for k in prev if k[0] <= a <= k[1]), (a, b))
                prev[key] = _join(prev.get(key, ""), t)
            continue
        body.append(c)
    rows = [_fill(r, ncols) for r in head + body]
    # row spans in the head: an empty cell over a cell of the same columns
    hn = len(head)
    for r in range(hn - 1, 0, -1):
        for cell in list(rows[r]):
            up = next((u for u in rows[r - 1] if u.col == cell.col and u.colspan == cell.colspan), None)
            if cell.text and up is not None and not up.text and up.rowspan == 1:
                up.text, up.rowspan = cell.text, cell.rowspan + 1
                rows[r].remove(cell)
    return Restated(" ".join(title), ncols, widths, rows, hn, notes)


def _fill(cells: dict[tuple[int, int], str], ncols: int) -> list[Cell]:
    out, taken = [], set()
    for (a, b), t in sorted(cells.items()):
        if any(k in taken for k in range(a, b + 1)):  # two entries over one column: one cell
            prev = next(c for c in out if c.col <= a < c.col + c.colspan)
            prev.text = _join(prev.text, t)
            continue
        out.append(Cell(t, a, b - a + 1))
        taken.update(range(a, b + 1))
    out += [Cell("", k) for k in range(ncols) if k not in taken]
    return sorted(out, key=lambda c: c.col)


def _words(s: str, n: int) -> str:
    """At most ``n`` words of ``s``, cut after a sentence when one ends past n/2 words."""
    w = s.split()
    if len(w) <= n:
        return " ".join(w)
    for k in range(n, n // 2, -1):
        if re.search(r"[a-z0-9)][.;:]$", w[k - 1]):
            return " ".join(w[:k])
    return " ".join(w[:n])


FALLBACK_BEFORE = "The entries of the following table are set out as filed."
FALLBACK_AFTER = "The remaining entries are discussed in the examples that follow."


def _paragraphs(tables_el) -> tuple[tuple[str, str], tuple[str, str]]:
    """(number, text) of the nearest paragraph of at least 8 words before the table and after it
    (other tables passed over); a sentence of this file's own when the description has none."""
    p = tables_el
    while p.getparent() is not None and p.getparent().tag in ("p",):
        p = p.getparent()
    if p.tag != "p":
        p = tables_el

    def own(el) -> str:
        copy = etree.fromstring(etree.tostring(el))
        for t in copy.iter("tables", "maths", "chemistry", "figref"):
            if t.tag in ("tables", "maths", "chemistry"):
                t.getparent().remove(t)
        return _flat(copy)

    def num(el) -> str:
        return f"[{el.get('num')}]" if (el.get("num") or "").isdigit() else ""

    def near(step) -> tuple[str, str]:
        q = step(p)
        for _ in range(12):  # the nearest paragraph of text, past other tables and headings
            if q is None:
                break
            if q.tag == "p" and len(own(q).split()) >= 8:
                return num(q), own(q)
            q = step(q)
        return "", ""

    text = own(p) if p.tag == "p" else ""
    before = (num(p), text) if len(text.split()) >= 8 else near(lambda e: e.getprevious())
    after = near(lambda e: e.getnext())
    before = before if before[1] else ("", FALLBACK_BEFORE)
    after = after if after[1] else ("", FALLBACK_AFTER)
    return (before[0], _words(before[1], 50)), (after[0], _words(after[1], 40))


MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec."]


def _running_head(root, name: str) -> tuple[str, str]:
    num = re.match(r"US(\d+)([AB]\d)", name)
    digits, kind = num[1], num[2]
    if kind.startswith("A"):
        number = f"US {digits[:4]}/{digits[4:]} {kind}"
    else:
        number = f"US {int(digits):,} {kind}"
    d = root.get("date-publ") or ""
    date = f"{MONTHS[int(d[4:6]) - 1]} {int(d[6:8])}, {d[:4]}" if len(d) == 8 else ""
    return number, date


# ---------------------------------------------------------------- the truth as the bench reads it


@dataclass
class TCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TTable:
    """What ``tables_bench`` hands ``render``: ``digitize.synth_tables.TruthTable``'s attributes."""
    name: str
    cols: int
    rows: list[list[TCell]]
    header_rows: int
    title: str
    intro: str
    col_mm: list[float] = field(default_factory=list)


def _ttable(name: str, r: Restated, intro: str, n_body: int | None = None) -> TTable:
    keep = r.rows[: r.head + (len(r.rows) - r.head if n_body is None else n_body)]
    rows = [[TCell(c.text, min(c.rowspan, len(keep) - i), c.colspan) for c in row] for i, row in enumerate(keep)]
    return TTable(name, r.cols, rows, r.head, r.title, intro, [w * 25.4 / POINTS for w in r.widths])


def to_xml(doc: str, tables: list[tuple[str, TTable]]) -> bytes:
    root = etree.Element("ep-patent-document", id=doc, lang="en")
    desc = etree.SubElement(root, "description")
    for k, (tid, t) in enumerate(tables, 1):
        p = etree.SubElement(desc, "p", id=f"p{k:04d}", num=f"{k:04d}")
        p.text = t.intro
        tables_el = etree.SubElement(p, "tables", id=tid, num=f"{k:04d}")
        table = etree.SubElement(tables_el, "table", frame="all")
        if t.title:
            etree.SubElement(table, "title").text = t.title
        tg = etree.SubElement(table, "tgroup", cols=str(t.cols))
        for c, w in enumerate(t.col_mm, 1):
            etree.SubElement(tg, "colspec", colnum=str(c), colname=f"col{c}", colwidth=f"{w:.2f}mm")
        starts = _starts(t)
        for part, rng in (("thead", range(0, t.header_rows)), ("tbody", range(t.header_rows, len(t.rows)))):
            if not len(rng):
                continue
            sec = etree.SubElement(tg, part)
            for r in rng:
                row = etree.SubElement(sec, "row")
                for c0, cell in zip(starts[r], t.rows[r]):
                    e = etree.SubElement(row, "entry")
                    if cell.colspan > 1:
                        e.set("namest", f"col{c0 + 1}")
                        e.set("nameend", f"col{c0 + cell.colspan}")
                    else:
                        e.set("colname", f"col{c0 + 1}")
                    if cell.rowspan > 1:
                        e.set("morerows", str(cell.rowspan - 1))
                    e.text = cell.text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_truth(path: Path) -> list[TTable]:
    """The tables of a built file, read by this file's own code."""
    root = etree.parse(str(path)).getroot()
    out = []
    for tables in root.iter("tables"):
        tg = tables.find("table/tgroup")
        col = {c.get("colname"): int(c.get("colnum")) - 1 for c in tg.findall("colspec")}
        rows, head = [], 0
        for part in ("thead", "tbody"):
            for row in tg.findall(f"{part}/row"):
                cells = []
                for e in row.findall("entry"):
                    a = col[e.get("namest") or e.get("colname")]
                    b = col[e.get("nameend")] if e.get("nameend") else a
                    cells.append(TCell(e.text or "", int(e.get("morerows") or 0) + 1, b - a + 1))
                rows.append(cells)
                head += part == "thead"
        title = tables.find("table/title")
        out.append(TTable(f"{path.stem}#{tables.get('id')}", int(tg.get("cols")), rows, head,
                          title.text or "" if title is not None else "", tables.getparent().text or "",
                          [_pt(c.get("colwidth")) * 25.4 / POINTS for c in tg.findall("colspec")]))
    return out


def _starts(t) -> list[list[int]]:
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


# ---------------------------------------------------------------- page furniture


_PENDING: dict = {}  # page furniture of the tables being built (before PAGES.json is written)


@lru_cache(maxsize=1)
def _pages(root: str) -> dict:
    p = Path(root) / "PAGES.json"
    return json.loads(p.read_text()) if p.exists() else {}


def furniture(name: str) -> dict:
    """What the page prints around table ``name`` (``PAGES.json``); a default for a table not built."""
    got = _PENDING.get(name) or _pages(str(set_root())).get(name)
    if got:
        return got
    doc = name.split("#")[0]
    return {"head": [doc, ""], "page": 1, "before": ["", "The results are listed in the table below."],
            "after": ["", "The table is discussed further in the examples."], "notes": [],
            "face": SOURCES.get(doc, SOURCES["US07314849B2"])[4]}


def page_truth_text(t) -> str:
    """The words the page prints: running head, paragraph before, title, cells row by row, notes,
    paragraph after."""
    f = furniture(t.name)
    parts = [f["head"][0], f["head"][1], str(f["page"]), f["before"][0], f["before"][1], t.title]
    parts += [c.text for row in t.rows for c in row if c.text]
    parts += list(f["notes"]) + [f["after"][0], f["after"][1]]
    return "\n".join(p for p in parts if p)


# ---------------------------------------------------------------- typesetting (groff tbl)


@lru_cache(maxsize=None)
def _metrics(font: str) -> dict[str, int]:
    """Glyph widths (units of 1/1000 em) of a groff devps font, by the character they print."""
    widths: dict[str, int] = {}
    last = 0
    on = False
    for line in (FONT_DIR / font).read_text(encoding="latin-1").splitlines():
        if line.startswith("charset"):
            on = True
            continue
        if not on or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[1] == '"':
            w = last
        else:
            try:
                w = int(parts[1].split(",")[0])
            except ValueError:
                continue
            last = w
        name = parts[0]
        if len(name) == 1:
            widths[name] = w
        elif name == "hy":
            widths.setdefault("-", w)
    return widths


def text_width(text: str, font: str, pt: float) -> float:
    m = _metrics(font)
    space = m.get(" ", 250)
    return sum(m.get(ch, space if ch == " " else 600) for ch in text) * pt / 1000.0


def _escape(text: str) -> str:
    s = text.replace("\\", "\\e")
    if s[:1] in (".", "'") or s in ("_", "=", "\\_", "^"):
        s = "\\&" + s
    return s


NUMERIC = re.compile(r"^[<>≤≥~±+\-−]?\d[\d,]*(\.\d+)?$")


def _layout(t, fam: str, head_font: str, pt: float) -> tuple[list[float | None], float]:
    """Widths of the columns that wrap (pt; ``None``: natural width) so that the table fits the
    line: each wrapping column at least its longest word."""
    regular = f"{fam}R"
    starts = _starts(t)
    nat = [0.0] * t.cols
    word = [0.0] * t.cols
    for r, row in enumerate(t.rows):
        font = f"{fam}{head_font}" if r < t.header_rows else regular
        for c0, cell in zip(starts[r], row):
            if cell.colspan == 1 and cell.text:
                nat[c0] = max(nat[c0], text_width(cell.text, font, pt))
                word[c0] = max(word[c0], max(text_width(w, font, pt) for w in cell.text.split()))
    gap = 1.5 * pt + 2.0
    avail = LINE_IN * POINTS - gap * t.cols - 6.0
    if sum(nat) <= avail:
        return [None] * t.cols, pt
    lo, hi = 0.0, max(nat)
    for _ in range(40):  # the cap that fills the line
        cap = (lo + hi) / 2
        if sum(max(min(n, cap), w) for n, w in zip(nat, word)) > avail:
            hi = cap
        else:
            lo = cap
    if sum(word) > avail:
        return [None] * t.cols, -1.0
    return [max(lo, w) * 1.03 if n > lo else None for n, w in zip(nat, word)], pt


def troff(t, ruling: str) -> str:
    """The groff source of ``t``'s page."""
    f = furniture(t.name)
    fam, head_font, cell_pt, body_pt, note_pt = FACES[f["face"]]
    pt = cell_pt
    wraps, got = _layout(t, fam, head_font, pt)
    while got < 0 and pt > 6.5:
        pt -= 0.5
        wraps, got = _layout(t, fam, head_font, pt)
    starts = _starts(t)
    numeric = [bool(col) and all(NUMERIC.match(x) for x in col) for col in (
        [c.text for r in range(t.header_rows, len(t.rows)) for c0, c in zip(starts[r], t.rows[r])
         if c0 == k and c.colspan == 1 and c.text] for k in range(t.cols))]
    out = [".pl 11.69i", f".po {(8.27 - LINE_IN) / 2:.3f}i", f".ll {LINE_IN}i", f".lt {LINE_IN}i",
           f".fam {fam}", ".ft R", ".nh", ".ad b", f".ps {body_pt}", f".vs {body_pt * 1.22:.1f}p",
           ".sp |0.55i", f".tl '{_escape(f['head'][0])}'{_escape(f['head'][1])}'{f['page']}'", ".sp 0.32i"]
    num, text = f["before"]
    out += [".ti 0.3i", _escape((num + " " if num else "") + text), ".sp 0.6"]
    if t.title:
        out += [".ad c", ".ft B" if head_font == "B" else ".ft R", _escape(t.title), ".br", ".ft R", ".ad b", ".sp 0.4"]
    out += [f".ps {pt}", f".vs {pt * 1.2:.1f}p", ".ad l", ".TS"]
    opts = ["center"]
    if ruling == "ruled":
        opts.append("allbox")
    out.append(" ".join(opts) + " tab(\t);")
    occupied: dict[tuple[int, int], str] = {}
    for r, row in enumerate(t.rows):
        for c0, cell in zip(starts[r], row):
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied[(r + dr, c0 + dc)] = "start" if dr == 0 and dc == 0 else ("s" if dr == 0 else "^")
    fmt_lines, data_lines = [], []
    for r, row in enumerate(t.rows):
        head = r < t.header_rows
        cellmap = dict(zip(starts[r], row))
        keys, data = [], []
        for k in range(t.cols):
            kind = occupied.get((r, k), "start")
            if kind == "s":
                keys.append("s")
                continue
            if kind == "^":
                keys.append("^")
                data.append("\\^")
                continue
            cell = cellmap.get(k)
            if head:
                key = "c" if (cell and cell.colspan > 1) or numeric[k] else "l"
                if cell and cell.rowspan > 1:
                    key += "t"
            else:
                key = "n" if numeric[k] and cell and cell.colspan == 1 else ("c" if cell and cell.colspan > 1 else "l")
            if wraps[k] is not None:
                key += f"w({wraps[k]:.1f}p)"
            if head and head_font != "R":
                key += f"f{head_font}"
            keys.append(key)
            txt = _escape(cell.text) if cell else ""
            wide = cell is not None and wraps[k] is not None and cell.colspan == 1 and \
                text_width(cell.text, f"{fam}R", pt) > wraps[k] * 0.97
            data.append(f"T{{\n{txt}\nT}}" if wide else txt)
        fmt_lines.append(" ".join(keys))
        data_lines.append("\t".join(data))
    out.append("\n".join(fmt_lines) + " .")
    if ruling == "partly":
        out.append("_")
    for r, d in enumerate(data_lines):
        out.append(d)
        if ruling == "partly" and t.header_rows and r == t.header_rows - 1:
            out.append("_")
    if ruling == "partly":
        out.append("_")
    out += [".TE", ".ad b"]
    if f["notes"]:
        out += [f".ps {note_pt}", f".vs {note_pt * 1.2:.1f}p", ".sp 0.3", ".ad l"]
        for n in f["notes"]:
            out += [_escape(n), ".br"]
        out += [".ad b"]
    out += [f".ps {body_pt}", f".vs {body_pt * 1.22:.1f}p", ".sp 0.8"]
    num, text = f["after"]
    if text:
        out += [".ti 0.3i", _escape((num + " " if num else "") + text)]
    return "\n".join(out) + "\n"


def _groff(src: str, *args: str) -> bytes:
    p = subprocess.run(["groff", "-k", "-t", *args], input=src.encode("utf-8"), capture_output=True, check=True)
    err = p.stderr.decode("utf-8", errors="replace")
    if "tbl:" in err or "can't find" in err or "giving up" in err:
        raise RuntimeError(f"groff: {err.strip()[:300]}")
    return p.stdout


def render(t, *, ruling: str = "ruled") -> bytes:
    """The bench's entry point: the page as PostScript (each level scans it with ``scan``)."""
    return _groff(troff(t, ruling), "-Tps")


def pages_of(ps: bytes) -> int:
    m = re.search(rb"%%Pages: (\d+)", ps)
    return int(m[1]) if m else 0


# groff glyph names in the intermediate output, as the characters of the truth
GLYPHS = {"hy": "-", "cq": "'", "oq": "`", "aq": "'", "dq": '"', "rs": "\\", "ha": "^", "ti": "~", "sl": "/",
          "em": "\u2014", "en": "\u2013", "mi": "\u2212", "mu": "\u00d7", "de": "\u00b0", "fm": "\u2032",
          "*l": "\u03bb", "*e": "\u03b5", "*F": "\u03a6", "*D": "\u0394", "*d": "\u03b4", "*m": "\u03bc",
          "*a": "\u03b1", "*b": "\u03b2", "*g": "\u03b3", "*y": "\u03b7", "*p": "\u03c0", "*s": "\u03c3",
          "*W": "\u03a9", "==": "\u2261", "+-": "\u00b1", "<=": "\u2264", ">=": "\u2265", "->": "\u2192",
          "fi": "fi", "fl": "fl", "ff": "ff", "Fi": "ffi", "Fl": "ffl", "lq": "\u201c", "rq": "\u201d",
          "bu": "\u2022", "rg": "\u00ae", "co": "\u00a9", "ps": "\u03c8", "*q": "\u03c8", "u2206": "\u0394",
          "*f": "\u03c6", "pc": "\u00b7"}


def printed_stream(src: str) -> str:
    """Every glyph groff sets for ``src``, in the order it sets them, without spaces: read from its
    intermediate output (``-Z``: text runs ``t`` and named glyphs ``C``)."""
    z = _groff(src, "-Tps", "-Z").decode("utf-8", errors="replace")
    out = []
    for line in z.splitlines():
        if line.startswith("t"):
            out.append(line[1:])
        elif line.startswith("C"):
            out.append(GLYPHS.get(line[1:].split()[0], f"<{line[1:].split()[0]}>"))
    return "".join(out)


def page_units(t) -> list[str]:
    """The pieces the page prints, each of which groff sets as one run of text: the running
    head's parts, the paragraphs, the title, every cell, every note."""
    f = furniture(t.name)
    units = [f["head"][0], f["head"][1], str(f["page"]), f["before"][0] + f["before"][1], t.title]
    units += [c.text for row in t.rows for c in row] + list(f["notes"]) + [f["after"][0] + f["after"][1]]
    return [u for u in units if u.strip()]


# ---------------------------------------------------------------- scanning (this file's own models)


def _rng(name: str, ruling: str, level: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(f"{level}/{ruling}/{name}".encode())])


def _raster(ps: bytes, dpi: int) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        src, png = Path(d) / "page.ps", Path(d) / "page.png"
        src.write_bytes(ps)
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", f"-r{dpi}",
                        "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", "-sPAPERSIZE=a4", "-dFIXEDMEDIA",
                        "-dFirstPage=1", "-dLastPage=1", f"-sOutputFile={png}", str(src)], check=True,
                       capture_output=True)
        return np.asarray(Image.open(png).convert("L"), dtype=np.float32)


def _shear_skew(a: np.ndarray, angle_deg: float, fill: float) -> np.ndarray:
    """The sheet turned by ``angle_deg`` as two shears (a feeder's skew), about the page centre."""
    h, w = a.shape
    t = np.tan(np.radians(angle_deg))
    img = Image.fromarray(a.astype(np.float32), mode="F")
    img = img.transform((w, h), Image.AFFINE, (1, t, -t * h / 2, 0, 1, 0), resample=Image.BILINEAR, fillcolor=fill)
    img = img.transform((w, h), Image.AFFINE, (1, 0, 0, -t, 1, t * w / 2), resample=Image.BILINEAR, fillcolor=fill)
    return np.asarray(img, dtype=np.float32)


def _copier(ps: bytes, rng: np.random.Generator) -> np.ndarray:
    dpi = 300
    a = _raster(ps, dpi)
    h, w = a.shape
    a = _shear_skew(a, float(rng.uniform(0.15, 0.8) * rng.choice([-1, 1])), 255.0)
    ink = (255.0 - a) / 255.0
    ink = ink ** float(rng.uniform(0.7, 1.35))  # heavy (< 1) or light (> 1) toner
    gain = np.convolve(rng.normal(1.0, 0.09, w + 40), np.ones(41) / 41, mode="valid")[:w]
    ink = ink * gain[None, :]
    x = int(rng.integers(w // 8, 7 * w // 8))  # a scratch on the glass: a thin dark line down part of the sheet
    y0 = int(rng.integers(0, h // 2))
    ink[y0:y0 + int(rng.integers(h // 4, h // 2)), x:x + 2] += float(rng.uniform(0.35, 0.7))
    ink = ink + rng.normal(0, 0.07, ink.shape)
    black = ink > float(rng.uniform(0.38, 0.5))
    holes = rng.random(black.shape) < 0.015  # toner missing in single pixels inside strokes
    black &= ~holes
    for _ in range(int(rng.integers(40, 120))):  # dust: small blots
        yy, xx = int(rng.integers(0, h - 4)), int(rng.integers(0, w - 4))
        r = int(rng.integers(1, 4))
        black[yy:yy + r, xx:xx + r] = True
    return np.where(black, 0, 255).astype(np.uint8)


def _camera(ps: bytes, rng: np.random.Generator) -> np.ndarray:
    dpi = 200
    a = _raster(ps, dpi)
    h, w = a.shape
    a = _shear_skew(a, float(rng.uniform(0.7, 2.0) * rng.choice([-1, 1])), 255.0)
    # keystone: the top edge a little narrower than the bottom (the camera leans back)
    k = float(rng.uniform(0.004, 0.014)) * w
    img = Image.fromarray(a, mode="F").transform((w, h), Image.QUAD, (-k, 0, 0, h, w, h, w + k, 0),
                                                 resample=Image.BILINEAR, fillcolor=255.0)
    a = np.asarray(img, dtype=np.float32)
    # motion blur: the mean of copies shifted along one direction
    n = int(rng.integers(2, 4))
    theta = float(rng.uniform(0, np.pi))
    acc = np.zeros_like(a)
    for s in range(n):
        dy, dx = int(round(s * np.sin(theta))), int(round(s * np.cos(theta)))
        acc += np.roll(np.roll(a, dy, axis=0), dx, axis=1)
    a = acc / n
    a = np.asarray(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(float(rng.uniform(0.4, 0.8)))), dtype=np.float32)
    paper, ink = float(rng.uniform(188, 222)), float(rng.uniform(45, 85))
    a = ink + (a / 255.0) * (paper - ink)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx = h * float(rng.uniform(0.35, 0.65)), w * float(rng.uniform(0.35, 0.65))
    r2 = ((yy - cy) / h) ** 2 + ((xx - cx) / w) ** 2
    a = a * (1.0 - float(rng.uniform(0.12, 0.28)) * r2)
    a = a + rng.normal(0, 1, a.shape) * np.sqrt(np.clip(a, 1, 255)) * float(rng.uniform(0.25, 0.45))
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=int(rng.integers(35, 56)))
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))


def scan(ps: bytes, level: str, name: str, ruling: str) -> tuple[np.ndarray, int]:
    """The page as this file's copier (``office``, 300 dpi bilevel) or camera (``poor``, 200 dpi
    grey JPEG) gives it: (image, dpi)."""
    rng = _rng(name, ruling, level)
    if level == "office":
        return _copier(ps, rng), 300
    if level == "poor":
        return _camera(ps, rng), 200
    raise ValueError(level)


# ---------------------------------------------------------------- build and check


def _read_source(name: str, mirrors: Path) -> bytes:
    repo, commit, path, *_ = SOURCES[name]
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout


def _fits(t: TTable) -> bool:
    return all(pages_of(render(t, ruling=r)) == 1 for r in ("ruled", "partly", "unruled"))


def build(mirrors: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    prov, pages = {}, {}
    for name, (repo, commit, path, licence, face, chosen) in SOURCES.items():
        data = _read_source(name, mirrors)
        root = _load(data)
        head = _running_head(root, name)
        built = []
        for el in root.iter("tables"):
            tid = el.get("id") or ""
            if tid not in chosen:
                continue
            r = restate(el.find(".//table"), chosen[tid])
            if not r.title:  # a caption for a table the publication prints without one
                r.title = f"Table {int(el.get('num') or 0) or len(built) + 1}"
            before, after = _paragraphs(el)
            tname = f"{name}#{tid}"
            page_no = 1 + zlib.crc32(tname.encode()) % 37
            pages[tname] = _PENDING[tname] = {"head": list(head), "page": page_no, "before": list(before),
                                              "after": list(after),
                            "notes": r.notes, "face": face}
            n_body = len(r.rows) - r.head
            t = _ttable(tname, r, before[1])
            if not _fits(t):  # shorter paragraphs first, then fewer body rows
                short = _PENDING[tname]
                short["before"][1], short["after"][1] = _words(before[1], 20), _words(after[1], 16)
                t = _ttable(tname, r, short["before"][1])
            if not _fits(t):
                lo, hi = 1, n_body
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if _fits(_ttable(tname, r, t.intro, mid)):
                        lo = mid
                    else:
                        hi = mid - 1
                t = _ttable(tname, r, t.intro, lo)
            built.append((tid, t))
            kept = len(t.rows) - t.header_rows
            print(f"{tname}: {len(t.rows)}x{t.cols} head {t.header_rows}"
                  f"{'' if kept == n_body else f' (body {kept} of {n_body} rows)'}"
                  f", notes {len(r.notes)}, {FACES[face][0]}", flush=True)
        (out / f"{name}.xml").write_bytes(to_xml(name, built))
        prov[name] = {"repository": f"github.com/{repo}", "commit": commit, "path": path, "licence": licence,
                      "sha256": hashlib.sha256(data).hexdigest(), "tables": list(chosen),
                      "family": FACES[face][0]}
    (out / "PAGES.json").write_text(json.dumps(pages, indent=1, ensure_ascii=False) + "\n")
    (out / "SOURCES.json").write_text(json.dumps(prov, indent=1) + "\n")
    _PENDING.clear()
    _pages.cache_clear()


def bag_error(truth: str, got: str) -> float:
    """Order-free word error of ``got`` against ``truth`` (this file's own, for the pairing check)."""
    from collections import Counter

    a, b = Counter(truth.split()), Counter(got.split())
    return (max(sum(a.values()), sum(b.values())) - sum((a & b).values())) / max(1, sum(a.values()))


def check(root: Path, out: Path, tesseract: int, rulings: tuple[str, ...]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    bad = n = 0
    tables = [t for path in sources(root, strict=True) for t in read_truth(path)]
    for t in tables:
        covered: dict[int, int] = {}
        for r, (row, starts) in enumerate(zip(t.rows, _starts(t))):
            for c, cell in zip(starts, row):
                for dr in range(cell.rowspan):
                    covered[r + dr] = covered.get(r + dr, 0) + cell.colspan
        if any(covered.get(r) != t.cols for r in range(len(t.rows))):
            bad += 1
            print(f"{t.name}: a row does not cover the {t.cols} columns exactly")
        for ruling in ("ruled", "partly", "unruled"):
            src = troff(t, ruling)
            n += 1
            stream = printed_stream(src)
            missing = [u for u in page_units(t) if "".join(u.split()) not in stream]
            pages = pages_of(_groff(src, "-Tps"))
            if pages != 1 or missing:
                bad += 1
                print(f"{t.name} {ruling}: pages {pages}, truth text not set: {missing[:6]}")
    print(f"{n} pages typeset ({len(tables)} tables x 3 rulings), {bad} with a cell, note, title or paragraph "
          "not set as it stands in the truth, or not on one page")
    errs = []
    firsts = [next(t for t in tables if t.name.startswith(doc + "#")) for doc in SOURCES]
    for t in firsts[:tesseract]:
        for ruling in rulings:
            ps = render(t, ruling=ruling)
            for level in ("office", "poor"):
                img, dpi = scan(ps, level, t.name, ruling)
                stem = out / f"{t.name.replace('#', '_')}-{ruling}-{level}"
                Image.fromarray(img).save(f"{stem}.png", dpi=(dpi, dpi))
                raw = subprocess.run(["tesseract", f"{stem}.png", "-", "-l", "eng"], capture_output=True, text=True,
                                     env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}).stdout
                errs.append((level, bag_error(page_truth_text(t), raw)))
                print(f"raw tesseract {t.name} {ruling} {level}: order-free word error {errs[-1][1]:.3f}", flush=True)
    for level in ("office", "poor"):
        e = [x for lv, x in errs if lv == level]
        if e:
            print(f"raw tesseract {level}: mean order-free word error {sum(e) / len(e):.3f} over {len(e)} scans")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write the truth XML and page furniture from the sources' repositories")
    b.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    b.add_argument("--out", type=Path, default=None)
    c = sub.add_parser("check", help="typeset every page and check its words; raw tesseract on a few scans")
    c.add_argument("--root", type=Path, default=None)
    c.add_argument("--out", type=Path, default=Path("/tmp/tables-sealed3-check"))
    c.add_argument("--tesseract", type=int, default=5, help="publications whose first table is scanned and read raw")
    c.add_argument("--rulings", default="ruled,partly,unruled", help="rulings scanned and read raw")
    a = ap.parse_args(argv)
    if a.cmd == "build":
        build(a.mirrors, a.out or set_root())
        return 0
    return check(a.root or set_root(), a.out, a.tesseract, tuple(a.rulings.split(",")))


if __name__ == "__main__":
    raise SystemExit(main())
