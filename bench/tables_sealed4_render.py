"""The fourth sealed table set (issue 27, ``tables_bench.py --part sealed4``): 23 tables of seven EP
publications nobody developing digitize has read, typeset by a Java 2D program of this set's own
(``bench/tables_sealed4/TablePages.java``) in faces no earlier table set used (Charis SIL, Linux
Libertine O, Linux Biolinum O), scanned by this file's own sheet-feeder and copy-of-a-copy models.
Nothing of the earlier table generators (``digitize/synth_tables.py``, ``bench/tables_sealed_render.py``,
``bench/tables_sealed2_render.py``, ``bench/tables_sealed3_render.py``) is imported.

    python bench/tables_sealed4_render.py build --mirrors /work/.mirror   # the truth (one command)
    python bench/tables_sealed4_render.py check                           # printed-text and raw-CLI checks

``build`` reads the seven publications from github.com/max-planck-innovation-competition/go-epo-eps
at two pinned commits (its test data now, ``HEAD``, and test files it has renamed since, ``OLDER``;
a bare git directory as ``fetch`` leaves it, ``<mirrors>/<owner>+<name>/repo``; nothing is
downloaded) and writes ``$DIGITIZE_REAL_SETS/tables-sealed4/``: ``<DOC>.xml`` per
publication (its chosen tables as ``<p><tables><table><title><tgroup>``, every grid position an
entry, ``<sup>``/``<sub>`` kept: what ``tables_bench`` reads as truth), ``PAGES.json`` (what each
page prints around its table: running head, paragraph before and after with their [nnnn] numbers,
caption, notes, folio, face) and ``SOURCES.json`` (repository, commit, path, licence, SHA-256).
Nothing of the publications is committed.

Restatement (``restate``): the tgroups of a table (same column count) are one grid; a first head
row that is one entry across the table is the caption (the A2's "Table 6.2 ..." rows), else the
``<title>`` ("[Table 41]", "TABLE 1"); the head is the first tgroup's ``thead`` (a later tgroup's
head rows are body rows spanning as they do); full-width rows at the end of the body are notes
printed under the table; rows with no text are dropped; a ``<br/>`` is a line break the page
keeps (a space in the truth); morerows/namest/nameend are kept as row
and column spans, and a position no entry covers gets an empty entry. A table whose entries hold
images or chemistry is not used. A table longer than the page keeps the body rows that fit under
its head, after its paragraphs have been cut to 30 and 20 words.

Printing (``TablePages.java``, one ``java`` call for the whole set, compiled into
``build/tables-sealed4/classes`` at run time): A4 at 300 dpi; the publication's number centred at
the top, the folio (the EP page the table stands on) at the bottom; the paragraph before, justified;
the caption bold and centred; the table centred, its column widths measured from the face's metrics
(natural widths when they fit, else each column its longest unbreakable piece plus a share of the
rest), head cells bold, cells wrapped at spaces and, inside long chemical names, after ``- , / ) ]
} ;``; superscripts and subscripts set small and raised or lowered; notes in a smaller size; the
paragraph after. Rulings ``ruled`` (every cell's edges, a heavier frame and head rule), ``partly``
(rules over and under the head and under the table), ``unruled`` (no rule at all).

``scan``: ``office`` is a sheet-fed office scanner at 300 dpi, bilevel (the sheet turned, feed
speed wobble stretching and squeezing rows, a toner curve, paper grain, a threshold drifting over
the page, ink spread or starved strokes, a lid shadow at the top edge, specks); ``poor`` is a copy
of a copy filed at 200 dpi grey (the page bowed and curled, generation blur and a hard copier
curve twice, toner haze, a gutter shadow, noise, JPEG 30-50). Seeded by ``SEED`` and the page's
name, ruling and level: every page is the same on every run.

Used by ``bench/tables_bench.py --part sealed4`` only, to report: never to tune, never run digitize
on these pages otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from lxml import etree
from PIL import Image

SEED = 4_27_0419
ROOT = Path(__file__).resolve().parents[1]
JAVA_SRC = Path(__file__).resolve().parent / "tables_sealed4" / "TablePages.java"
WORK = ROOT / "build" / "tables-sealed4"
REPO = "max-planck-innovation-competition/go-epo-eps"
HEAD = "717241d51951996aeab58cc105fb0104329915f1"  # the repository's newest commit fetched
OLDER = "678a7cef8f27d74ac703256ad6867ce1ef7b4fb9"  # test data the repository has renamed or dropped since
LICENCE = "Apache-2.0 (repository); EP publication data of the European Patent Office"
SEP = "\u241f"

# publication: (commit, path in the repository, the tables taken)
SOURCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "EP3882239A1": (HEAD, "pkg/eps/test-data/application/v1-5-1-A1.xml",
                    ("tabl0002", "tabl0034", "tabl0045", "tabl0056", "tabl0059", "tabl0066")),
    "EP3882354A2": (HEAD, "pkg/eps/test-data/application/v1-5-1-A2.xml",
                    ("tabl0001", "tabl0003", "tabl0010", "tabl0014", "tabl0020", "tabl0046", "tabl0150",
                     "tabl0162")),
    "EP0430402B2": (HEAD, "pkg/eps/test-data/grant/v1-2-B2.xml", ("tabl0002", "tabl0003", "tabl0005")),
    "EP0610335B1": (HEAD, "pkg/eps/test-data/grant/v1-2-B1.xml", ("tabl0001",)),
    "EP0697382B1": (OLDER, "pkg/eps/test-data/grant/v1-4-B1-1.xml", ("tabl0002", "tabl0013", "tabl0019")),
    "EP1291416B1": (OLDER, "pkg/eps/test-data/grant/v1-5-B1-1.xml", ("tabl0001",)),
    "EP0791067B1": (OLDER, "pkg/eps/test-data/grant/v1-3-B1-1.xml", ("tabl0007",)),
}

# face: regular, bold, body pt, cell pt, note pt (Debian fonts-sil-charis, fonts-linuxlibertine)
FACES = {
    "charis": ("/usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf",
               "/usr/share/fonts/truetype/charis/CharisSIL-Bold.ttf", 9.5, 8.5, 7.5),
    "libertine": ("/usr/share/fonts/opentype/linux-libertine/LinLibertine_R.otf",
                  "/usr/share/fonts/opentype/linux-libertine/LinLibertine_RB.otf", 10.5, 9.5, 8.5),
    "biolinum": ("/usr/share/fonts/opentype/linux-libertine/LinBiolinum_R.otf",
                 "/usr/share/fonts/opentype/linux-libertine/LinBiolinum_RB.otf", 10.0, 9.0, 8.0),
}

Runs = list  # [[text, style], ...]: style 0 plain, 1 superscript, 2 subscript


def set_root() -> Path:
    return Path(os.environ.get("DIGITIZE_REAL_SETS") or ROOT / "build" / "real-sets") / "tables-sealed4"


class _Absent(list):
    """An empty list of sources that says once, when iterated, why the part has nothing."""

    def __init__(self, missing: Path):
        super().__init__()
        self.missing = missing

    def __iter__(self):
        print(f"sealed4 skipped: {self.missing} is absent (build it: python bench/tables_sealed4_render.py build)")
        return iter(())


def sources(root: Path | None = None, *, strict: bool = False) -> list[Path]:
    """The truth files of the set, or (not built) an empty list that explains itself when read."""
    root = root or set_root()
    files = [root / f"{doc}.xml" for doc in SOURCES] + [root / "PAGES.json"]
    absent = next((p for p in files if not p.is_file()), None)
    if absent is not None:
        if strict:
            raise SystemExit(f"sealed4 not built: {absent} (python bench/tables_sealed4_render.py build)")
        return _Absent(absent)
    return files[:-1]


# ---------------------------------------------------------------- reading a publication


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                  huge_tree=True, recover=True))


def _runs(el, skip=("tables", "maths", "chemistry", "figref-none")) -> Runs:
    """The element's text as runs of plain, superscript and subscript, spaces collapsed."""
    out: Runs = []

    def add(text: str | None, style: int) -> None:
        if text:
            out.append([text, style])

    def walk(e, style: int) -> None:
        add(e.text, style)
        for ch in e:
            if not isinstance(ch.tag, str):  # comments, processing instructions
                add(ch.tail, style)
                continue
            if ch.tag in skip:
                pass
            elif ch.tag == "sup":
                walk(ch, 1)
            elif ch.tag == "sub":
                walk(ch, 2)
            elif ch.tag == "br":
                add("\n", style)  # a line break the publication sets: kept (a space in the truth)
            else:
                walk(ch, style)
            add(ch.tail, style)

    walk(el, 0)
    return _tidy(out)


def _tidy(runs: Runs) -> Runs:
    """Whitespace collapsed across runs, none at either end, neighbours of one style merged."""
    out: Runs = []
    prev_space = True
    for text, style in runs:
        t = re.sub(r"[ \t\r\f\v]*\n\s*", "\n", text)  # a line break swallows the spaces about it
        t = re.sub(r"[ \t\r\f\v]+", " ", t)
        if prev_space:
            t = t.lstrip(" \n")
        if not t:
            continue
        prev_space = t.endswith((" ", "\n"))
        if out and out[-1][1] == style:
            out[-1][0] += t
        else:
            out.append([t, style])
    while out and out[-1][0].endswith((" ", "\n")):
        out[-1][0] = out[-1][0].rstrip(" \n")
        if not out[-1][0]:
            out.pop()
    return out


def flat(runs: Runs) -> str:
    return "".join(t for t, _ in runs)


def _first_words(runs: Runs, n: int) -> Runs:
    """The runs cut after their ``n``-th word, back to the last full stop when one ends a sentence
    in the second half of what is kept."""
    cut = _words_cut(runs, n)
    text = flat(cut)
    if len(text) < len(flat(runs)):
        ends = [m.end() for m in re.finditer(r"[a-z0-9)\]%][.;](?= )", text) if m.end() > len(text) // 2]
        if ends:
            cut = _chars(cut, ends[-1])
    return cut


def _chars(runs: Runs, k: int) -> Runs:
    out: Runs = []
    for text, style in runs:
        if k <= 0:
            break
        out.append([text[:k], style])
        k -= len(text)
    return _tidy(out)


def _words_cut(runs: Runs, n: int) -> Runs:
    """The runs cut after their ``n``-th word."""
    out: Runs = []
    words = 0
    for text, style in runs:
        keep = []
        for k, ch in enumerate(text):
            if ch == " " and (k == 0 or text[k - 1] != " ") and (keep or out):
                words += 1
                if words >= n:
                    break
            keep.append(ch)
        else:
            out.append([text, style])
            continue
        out.append(["".join(keep), style])
        break
    return _tidy(out)


@dataclass
class Cell:
    runs: Runs
    col: int
    rowspan: int = 1
    colspan: int = 1
    align: str = "left"


@dataclass
class Grid:
    name: str
    cols: int
    head: int
    rows: list[list[Cell]]
    caption: Runs
    notes: list[Runs]
    colmm: list[float] = field(default_factory=list)


class Unusable(ValueError):
    pass


def restate(tables_el, name: str, number: int) -> Grid:
    table = tables_el.find("table")
    if table is None or table.find(".//img") is not None or table.find(".//chemistry") is not None:
        raise Unusable(f"{name}: an image or chemistry in the table")
    groups = table.findall("tgroup")
    ncols = {int(g.get("cols") or 0) for g in groups}
    if len(ncols) != 1:
        raise Unusable(f"{name}: tgroups of different widths {sorted(ncols)}")
    cols = ncols.pop()
    # (head?, [(c0, c1, more, runs, align, placed by name)])
    raw: list[tuple[bool, list[tuple[int, int, int, Runs, str, bool]]]] = []
    colmm: list[float] = []
    for gi, g in enumerate(groups):
        index = {}
        for k, cs in enumerate(g.findall("colspec")):
            index[cs.get("colname") or f"col{k + 1}"] = int(cs.get("colnum") or k + 1) - 1
            if gi == 0:
                m = re.match(r"([\d.]+)", cs.get("colwidth") or "")
                colmm.append(float(m[1]) if m else 20.0)
        for part in ("thead", "tbody"):
            for row in g.findall(f"{part}/row"):
                entries, c = [], 0
                for e in row.findall("entry"):
                    named = e.get("namest") or e.get("colname")
                    a = index.get(named or "", c)
                    b = index.get(e.get("nameend") or "", a)
                    entries.append((a, b, int(e.get("morerows") or 0), _runs(e), e.get("align") or "", named in index))
                    c = b + 1
                raw.append((part == "thead" and gi == 0, entries))
    # the caption: a first head row that is one entry across the table
    t = table.find("title")
    caption: Runs = _runs(t) if t is not None else []
    if raw and raw[0][0] and len(raw[0][1]) == 1 and raw[0][1][0][:2] == (0, cols - 1):
        caption = _tidy(caption + [[" ", 0]] + raw[0][1][0][3])
        raw = raw[1:]
    if not caption:
        caption = [[f"Table {number}", 0]]
    # notes: full-width rows closing the body
    notes: list[Runs] = []
    while raw and not raw[-1][0] and len(raw[-1][1]) == 1 and raw[-1][1][0][:2] == (0, cols - 1) \
            and raw[-1][1][0][2] == 0:
        if raw[-1][1][0][3]:
            notes.insert(0, raw[-1][1][0][3])
        raw.pop()
    # rows with no text go, unless a row span runs into them
    spans_into = set()
    for r, (_, entries) in enumerate(raw):
        for a, b, more, runs, al, named in entries:
            spans_into.update(range(r + 1, r + 1 + more))
    keep = [r for r, (_, entries) in enumerate(raw) if any(x[3] for x in entries) or r in spans_into]
    raw = [raw[r] for r in keep]
    head = sum(1 for h, _ in raw if h)
    # the grid: every position an entry
    busy: set[tuple[int, int]] = set()
    rows: list[list[Cell]] = []
    for r, (is_head, entries) in enumerate(raw):
        row: list[Cell] = []
        shift = 0
        for a, b, more, runs, al, named in entries:
            a, b = a + shift, b + shift
            while not named and any((r, k) in busy for k in range(a, b + 1)) and b + 1 < cols:
                a, b, shift = a + 1, b + 1, shift + 1  # an unnamed entry goes past the row spans from above
            if any((r, k) in busy for k in range(a, b + 1)) or b >= cols:
                raise Unusable(f"{name}: entries overlap in row {r}")
            rs = min(more + 1, len(raw) - r)
            for dr in range(rs):
                for k in range(a, b + 1):
                    busy.add((r + dr, k))
            align = {"center": "center", "right": "right", "char": "right"}.get(al, "center" if is_head else "left")
            row.append(Cell(runs, a, rs, b - a + 1, align))
        for k in range(cols):
            if (r, k) not in busy:
                row.append(Cell([], k, 1, 1, "center" if is_head else "left"))
                busy.add((r, k))
        rows.append(sorted(row, key=lambda x: x.col))
    if not rows or head >= len(rows):
        raise Unusable(f"{name}: no body rows")
    return Grid(name, cols, head, rows, caption, notes, colmm)


def _paragraphs(root, tables_el) -> tuple[tuple[str, Runs], tuple[str, Runs]]:
    """(number, runs) of the nearest paragraph of 8 words or more before and after the table."""
    desc = next(a for a in tables_el.iterancestors() if a.tag == "description") \
        if any(a.tag == "description" for a in tables_el.iterancestors()) else root
    ps = [p for p in desc.iter("p")]
    holder = next((a for a in tables_el.iterancestors() if a.tag == "p"), None)
    if holder is not None:
        at = ps.index(holder)
    else:  # the table stands between paragraphs: the last paragraph that comes before it
        order = {id(e): k for k, e in enumerate(desc.iter())}
        mine = order[id(tables_el)]
        at = max((k for k, p in enumerate(ps) if order[id(p)] < mine), default=-1)
        at += 0.5
    def ok(p) -> bool:
        return len(flat(_runs(p)).split()) >= 8

    def number(p) -> str:
        n = p.get("num") or ""
        return f"[{n}]" if n.isdigit() else ""

    before_idx = [k for k in range(len(ps)) if k <= at and ok(ps[k])]
    after_idx = [k for k in range(len(ps)) if k > at and ok(ps[k])]
    own = ("", [["The values obtained are given in the following table.", 0]])
    before = (number(ps[before_idx[-1]]), _runs(ps[before_idx[-1]])) if before_idx else own
    after = (number(ps[after_idx[0]]), _runs(ps[after_idx[0]])) if after_idx else \
        ("", [["The remaining results are described below.", 0]])
    return before, after


def _folio(root, tables_el) -> str:
    """The EP page the table stands on: the last ``<!-- EPO <DP n="..."> -->`` before it."""
    last = ""
    for node in root.iter():
        if node is tables_el:
            break
        if not isinstance(node.tag, str) and node.text:
            m = re.search(r'<DP n="(\d+)">', node.text)
            if m:
                last = m[1]
    return last or "2"


def _running(root) -> str:
    num, kind = root.get("doc-number") or "", root.get("kind") or ""
    return f"EP {num[0]} {num[1:4]} {num[4:7]} {kind}" if len(num) == 7 else f"EP {num} {kind}"


# ---------------------------------------------------------------- the truth as the bench reads it


def to_xml(doc: str, grids: list[Grid], intros: dict[str, str]) -> bytes:
    root = etree.Element("ep-patent-document", id=doc, lang="en")
    desc = etree.SubElement(root, "description")

    def fill(el, runs: Runs) -> None:
        last = None
        for text, style in runs:
            if style == 0:
                if last is None:
                    el.text = (el.text or "") + text
                else:
                    last.tail = (last.tail or "") + text
            else:
                last = etree.SubElement(el, "sup" if style == 1 else "sub")
                last.text = text

    for k, g in enumerate(grids, 1):
        p = etree.SubElement(desc, "p", id=f"p{k:04d}", num=f"{k:04d}")
        p.text = intros[g.name]
        tid = g.name.split("#")[1]
        tables = etree.SubElement(p, "tables", id=tid, num=tid[-4:])
        table = etree.SubElement(tables, "table", frame="all")
        fill(etree.SubElement(table, "title"), g.caption)
        tg = etree.SubElement(table, "tgroup", cols=str(g.cols))
        for c in range(g.cols):
            etree.SubElement(tg, "colspec", colnum=str(c + 1), colname=f"col{c + 1}",
                             colwidth=f"{g.colmm[c] if c < len(g.colmm) else 20.0:g}mm")
        for part, rows in (("thead", g.rows[:g.head]), ("tbody", g.rows[g.head:])):
            if not rows:
                continue
            sec = etree.SubElement(tg, part)
            for row in rows:
                r = etree.SubElement(sec, "row")
                for cell in row:
                    e = etree.SubElement(r, "entry")
                    if cell.colspan > 1:
                        e.set("namest", f"col{cell.col + 1}")
                        e.set("nameend", f"col{cell.col + cell.colspan}")
                    else:
                        e.set("colname", f"col{cell.col + 1}")
                    if cell.rowspan > 1:
                        e.set("morerows", str(cell.rowspan - 1))
                    e.set("align", cell.align)
                    fill(e, cell.runs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_set(root: Path | None = None) -> dict[str, Grid]:
    """Every built table by name (``DOC#tablNNNN``), read back with its runs."""
    root = root or set_root()
    out: dict[str, Grid] = {}
    for path in sources(root, strict=True):
        doc = etree.parse(str(path)).getroot()
        for tables in doc.iter("tables"):
            tg = tables.find("table/tgroup")
            rows, head = [], 0
            for part in ("thead", "tbody"):
                for row in tg.findall(f"{part}/row"):
                    cells = []
                    for e in row.findall("entry"):
                        a = int((e.get("namest") or e.get("colname"))[3:]) - 1
                        b = int((e.get("nameend") or e.get("namest") or e.get("colname"))[3:]) - 1
                        cells.append(Cell(_runs(e), a, int(e.get("morerows") or 0) + 1, b - a + 1, e.get("align")))
                    rows.append(cells)
                    head += part == "thead"
            name = f"{path.stem}#{tables.get('id')}"
            out[name] = Grid(name, int(tg.get("cols")), head, rows, _runs(tables.find("table/title")), [])
    return out


@lru_cache(maxsize=4)
def _pages(root: str) -> dict:
    return json.loads((Path(root) / "PAGES.json").read_text(encoding="utf-8"))


def page_truth_text(t) -> str:
    """The words the page prints, top to bottom: running head, paragraph before (its number
    first), caption, cells row by row, notes, paragraph after, folio."""
    f = _pages(str(set_root())).get(t.name)
    if f is None:
        return "\n".join([t.title] + [c.text for row in t.rows for c in row if c.text])
    parts = [f["running"], f["before"][0], flat(f["before"][1]), flat(f["caption"])]
    parts += [c.text for row in t.rows for c in row if c.text]
    parts += [flat(n) for n in f["notes"]] + [f["after"][0], flat(f["after"][1]), f["folio"]]
    return "\n".join(p for p in parts if p)


# ---------------------------------------------------------------- typesetting (Java 2D)


def _java() -> Path:
    """TablePages compiled into build/ (once per source text)."""
    if shutil.which("javac") is None or shutil.which("java") is None:
        raise SystemExit("sealed4 needs a JDK (javac, java; Debian openjdk-17-jdk-headless)")
    digest = hashlib.sha256(JAVA_SRC.read_bytes()).hexdigest()[:12]
    classes = WORK / f"classes-{digest}"
    if not (classes / "TablePages.class").exists():
        classes.mkdir(parents=True, exist_ok=True)
        subprocess.run(["javac", "-encoding", "UTF-8", "-d", str(classes), str(JAVA_SRC)], check=True)
    return classes


def run_java(pages: list[dict]) -> dict[str, tuple[bool, int, float, str]]:
    """Every page of ``pages`` set by one ``java`` call: out -> (fits, body rows set, cell pt, strings
    drawn, characters the face has no glyph for)."""
    classes = _java()
    with tempfile.TemporaryDirectory() as d:
        spec, report = Path(d) / "spec.json", Path(d) / "report.tsv"
        spec.write_text(json.dumps({"pages": pages}, ensure_ascii=True))
        subprocess.run(["java", "-Djava.awt.headless=true", "-Xmx512m", "-cp", str(classes), "TablePages",
                        str(spec), str(report)], check=True)
        out = {}
        for line in report.read_text(encoding="utf-8").splitlines():
            path, fits, rows, pt, said, missing = (line.split("\t") + [""] * 6)[:6]
            out[path] = (fits == "1", int(rows), float(pt), said, missing)
    return out


def page_spec(g: Grid, f: dict, ruling: str, out: str, mode: str = "draw", body: int | None = None) -> dict:
    regular, bold, body_pt, cell_pt, note_pt = FACES[f["face"]]
    cells = []
    for r, row in enumerate(g.rows):
        for c in row:
            cells.append({"r": r, "c": c.col, "rs": c.rowspan, "cs": c.colspan, "align": c.align, "runs": c.runs})
    num, runs = f["before"]
    before = ([[num + " ", 0]] if num else []) + runs
    num, runs = f["after"]
    after = ([[num + " ", 0]] if num else []) + runs
    spec = {"out": out, "mode": mode, "ruling": ruling, "cols": g.cols, "head": g.head, "cells": cells,
            "fonts": {"regular": regular, "bold": bold}, "body_pt": body_pt, "cell_pt": cell_pt,
            "note_pt": note_pt, "running": [[f["running"], 0]], "before": before, "caption": f["caption"],
            "notes": f["notes"], "after": after, "folio": [[f["folio"], 0]]}
    if body is not None:
        spec["body"] = body
    return spec


RULINGS = ("ruled", "partly", "unruled")


def _page_dir(root: Path) -> Path:
    key = hashlib.sha256(JAVA_SRC.read_bytes() + (root / "PAGES.json").read_bytes() +
                         b"".join(p.read_bytes() for p in sources(root, strict=True))).hexdigest()[:12]
    return WORK / f"pages-{key}"


def draw_all(root: Path | None = None) -> Path:
    """Every table of the set in the three rulings, drawn by one java call (kept in build/)."""
    root = root or set_root()
    d = _page_dir(root)
    if (d / "REPORT.json").exists():
        return d
    d.mkdir(parents=True, exist_ok=True)
    grids, furniture = read_set(root), _pages(str(root))
    pages = []
    for name, g in grids.items():
        for ruling in RULINGS:
            pages.append(page_spec(g, furniture[name], ruling, str(d / _png(name, ruling))))
    got = run_java(pages)
    (d / "REPORT.json").write_text(json.dumps({Path(k).name: v for k, v in got.items()}, ensure_ascii=False))
    return d


def _png(name: str, ruling: str) -> str:
    return f"{name.replace('#', '_')}-{ruling}.png"


def render(t, *, ruling: str = "ruled") -> np.ndarray:
    """The bench's entry point: the clean 300-dpi grey page of table ``t`` (each level scans it)."""
    d = draw_all()
    path = d / _png(t.name, ruling)
    if not path.exists():
        raise SystemExit(f"sealed4: {t.name} is not a table of the built set")
    return np.asarray(Image.open(path).convert("L"))


# ---------------------------------------------------------------- scanning (this file's own models)


def _rng(name: str, ruling: str, level: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(f"{name}|{ruling}|{level}".encode())])


def _field(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    """A smooth random field in [-1, 1] over the page (coarse noise enlarged)."""
    h, w = shape
    coarse = rng.uniform(-1, 1, (cells, max(2, cells * w // h))).astype(np.float32)
    return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).clip(-1, 1)


def _sheet_feeder(clean: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = clean.shape
    a = clean.astype(np.float32)
    # the sheet turned about a point near its leading edge
    m = cv2.getRotationMatrix2D((w * rng.uniform(0.3, 0.7), h * rng.uniform(0.0, 0.2)), rng.uniform(0.25, 0.95) *
                                rng.choice([-1, 1]), 1.0)
    m[:, 2] += rng.uniform(-12, 12, 2)
    a = cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255.0)
    # feed speed wobble: each output row reads a source row a little ahead or behind
    wobble = np.cumsum(rng.normal(0, 0.035, h)).astype(np.float32)
    wobble -= np.linspace(wobble[0], wobble[-1], h, dtype=np.float32)
    ys = (np.arange(h, dtype=np.float32) + 2.2 * wobble / max(1e-6, float(np.abs(wobble).max())))
    map_y = np.repeat(ys[:, None], w, axis=1)
    map_x = np.repeat(np.arange(w, dtype=np.float32)[None, :], h, axis=0)
    a = cv2.remap(a, map_x, map_y, cv2.INTER_LINEAR, borderValue=255.0)
    ink = np.clip(1.0 - a / 255.0, 0.0, 1.0)
    ink = ink ** rng.uniform(0.75, 1.3)
    ink += 0.05 * _field(rng, (h, w), 6) + rng.normal(0, 0.06, (h, w)).astype(np.float32)
    thr = rng.uniform(0.4, 0.55) + 0.06 * _field(rng, (h, w), 3)
    black = (ink > thr).astype(np.uint8)
    k = np.ones((2, 2), np.uint8)
    mode = rng.integers(0, 3)
    if mode == 0:
        black = cv2.dilate(black, k)  # toner spreads
    elif mode == 1:
        black = cv2.erode(cv2.dilate(black, k), np.ones((3, 3), np.uint8)) | (black & (rng.random((h, w)) < 0.8))
    # lid shadow at the top edge, ragged
    depth = (rng.uniform(8, 26) + 6 * _field(rng, (1, w), 4)[0]).astype(int)
    for x in range(0, w, 1):
        black[: max(0, depth[x]), x] = 1
    for _ in range(int(rng.integers(25, 90))):  # specks
        cy, cx = int(rng.integers(0, h)), int(rng.integers(0, w))
        cv2.ellipse(black, (cx, cy), (int(rng.integers(1, 4)), int(rng.integers(1, 3))), float(rng.uniform(0, 180)),
                    0, 360, 1, -1)
    return np.where(black > 0, 0, 255).astype(np.uint8)


def _copy_of_copy(clean: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h0, w0 = clean.shape
    w, h = int(round(w0 * 200 / 300)), int(round(h0 * 200 / 300))
    a = cv2.resize(clean.astype(np.float32), (w, h), interpolation=cv2.INTER_AREA)
    # the page bowed across and curled at one side
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    bow = rng.uniform(2, 6) * np.sin(np.pi * yy / h)
    side = rng.choice([0, 1])
    t = xx / w if side else 1 - xx / w
    curl = rng.uniform(3, 9) * t ** 3
    skew = np.tan(np.radians(rng.uniform(0.3, 1.2) * rng.choice([-1, 1])))
    map_x = xx + bow + skew * (yy - h / 2)
    map_y = yy + curl - skew * (xx - w / 2)
    a = cv2.remap(a, map_x.astype(np.float32), map_y.astype(np.float32), cv2.INTER_LINEAR, borderValue=255.0)
    # two generations of copying: blur and a hard tone curve, twice
    for _ in range(2):
        a = cv2.GaussianBlur(a, (0, 0), rng.uniform(0.7, 1.1))
        mid, slope = rng.uniform(142, 172), rng.uniform(0.028, 0.045)
        a = 255.0 / (1.0 + np.exp(-slope * (a - mid)))
    paper = rng.uniform(205, 232) + 10 * _field(rng, (h, w), 5)
    toner = rng.uniform(25, 70)
    a = toner + (a / 255.0) * (paper - toner)
    a -= rng.uniform(6, 16) * np.clip(_field(rng, (h, w), 9), 0, 1)  # toner haze
    edge = (xx / w) if side else (1 - xx / w)
    a *= 1.0 - rng.uniform(0.18, 0.35) * np.clip((edge - 0.9) / 0.1, 0, 1) ** 2  # gutter shadow
    a += rng.normal(0, rng.uniform(5, 10), (h, w))
    ok, buf = cv2.imencode(".jpg", np.clip(a, 0, 255).astype(np.uint8),
                           [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(22, 41))])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)


def scan(clean: np.ndarray, level: str, name: str, ruling: str) -> tuple[np.ndarray, int]:
    """The page as this set's ``office`` scanner (300 dpi bilevel) or ``poor`` copy (200 dpi grey
    JPEG) gives it: (image, dpi)."""
    rng = _rng(name, ruling, level)
    if level == "office":
        return _sheet_feeder(clean, rng), 300
    if level == "poor":
        return _copy_of_copy(clean, rng), 200
    raise ValueError(f"level {level!r}: office or poor")


# ---------------------------------------------------------------- build and check


def _read_source(commit: str, path: str, mirrors: Path) -> bytes:
    git_dir = mirrors / REPO.replace("/", "+") / "repo"
    return subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout


def _faces(names: list[str]) -> dict[str, str]:
    """The three faces dealt out evenly over the tables, in an order drawn with ``SEED``."""
    order = np.random.default_rng(SEED).permutation(len(names))
    return {names[k]: sorted(FACES)[i % len(FACES)] for i, k in enumerate(order)}


def build(mirrors: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    prov, furniture, grids, intros, rejected = {}, {}, {}, {}, []
    for doc, (commit, path, ids) in SOURCES.items():
        data = _read_source(commit, path, mirrors)
        root = _parse(data)
        for el in root.iter("tables"):
            tid = el.get("id") or ""
            if tid not in ids:
                continue
            name = f"{doc}#{tid}"
            try:
                g = restate(el, name, int(tid[-4:]))
            except Unusable as e:
                rejected.append(str(e))
                continue
            before, after = _paragraphs(root, el)
            before = (before[0], _first_words(before[1], 70))
            after = (after[0], _first_words(after[1], 50))
            grids[name] = g
            intros[name] = flat(before[1])
            furniture[name] = {"running": _running(root), "before": list(before), "after": list(after),
                               "caption": g.caption, "notes": g.notes, "folio": _folio(root, el)}
        prov[doc] = {"repository": f"github.com/{REPO}", "commit": commit, "path": path, "licence": LICENCE,
                     "sha256": hashlib.sha256(data).hexdigest(), "tables": list(ids)}
    for name, face in _faces(list(grids)).items():
        furniture[name]["face"] = face
    # what fits: measured by the typesetter itself, paragraphs cut first, then body rows
    with tempfile.TemporaryDirectory() as d:
        def measure() -> dict:
            return run_java([page_spec(g, furniture[n], "ruled", f"{d}/{n}", mode="measure")
                             for n, g in grids.items()])
        got = measure()
        short = [n for n in grids if not got[f"{d}/{n}"][0]]
        for n in short:
            f = furniture[n]
            f["before"][1], f["after"][1] = _first_words(f["before"][1], 30), _first_words(f["after"][1], 20)
            intros[n] = flat(f["before"][1])
        if short:
            got = measure()
    for n, g in grids.items():
        fits, body, pt, _, _ = got[f"{d}/{n}"]
        if body <= 0:
            rejected.append(f"{n}: not one body row fits")
            del furniture[n]
            continue
        total = len(g.rows) - g.head
        if body < total:
            g.rows = g.rows[: g.head + body]
            for r, row in enumerate(g.rows):
                for c in row:
                    c.rowspan = min(c.rowspan, len(g.rows) - r)
        print(f"{n}: {len(g.rows)}x{g.cols} head {g.head}{'' if body == total else f' (body {body} of {total} rows)'}"
              f", notes {len(g.notes)}, {furniture[n]['face']} {pt:g} pt", flush=True)
    for doc in SOURCES:
        mine = [g for n, g in grids.items() if n.startswith(doc + "#") and n in furniture]
        (out / f"{doc}.xml").write_bytes(to_xml(doc, mine, intros))
    (out / "PAGES.json").write_text(json.dumps(furniture, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "SOURCES.json").write_text(json.dumps(prov, indent=1) + "\n")
    for r in rejected:
        print("not used:", r)
    _pages.cache_clear()


def _bag(truth: str, got: str) -> float:
    """Order-free word error (this file's own, for the raw-CLI pairing check)."""
    from collections import Counter

    a, b = Counter(truth.split()), Counter(got.split())
    return (max(sum(a.values()), sum(b.values())) - sum((a & b).values())) / max(1, sum(a.values()))


def check(root: Path, out: Path, tesseract: int) -> int:
    from digitize.synth_tables import read_tables  # the bench's own reader of the truth

    out.mkdir(parents=True, exist_ok=True)
    d = draw_all(root)
    report = json.loads((d / "REPORT.json").read_text())
    furniture = _pages(str(root))
    bad = pages = cells = 0
    tables = [t for p in sources(root, strict=True) for t in read_tables(p)]
    for t in tables:
        cover: dict[int, int] = {}
        for r, row in enumerate(t.positions()):
            for c, cell in row:
                for dr in range(cell.rowspan):
                    cover[r + dr] = cover.get(r + dr, 0) + cell.colspan
        if any(cover.get(r) != t.cols for r in range(len(t.rows))):
            bad += 1
            print(f"{t.name}: a row does not cover its {t.cols} columns")
        f = furniture[t.name]
        units = [f["running"], f["before"][0], flat(f["before"][1]), flat(f["caption"]), f["after"][0],
                 flat(f["after"][1]), f["folio"]] + [flat(n) for n in f["notes"]]
        units += [c.text for row in t.rows for c in row]
        cells += sum(len(row) for row in t.rows)
        for ruling in RULINGS:
            fits, body, pt, said, no_glyph = report[_png(t.name, ruling)]
            stream = "".join(said.replace(SEP, "").split())
            missing = [u for u in units if u and "".join(u.split()) not in stream]
            pages += 1
            if not fits or missing or no_glyph or body != len(t.rows) - t.header_rows:
                bad += 1
                print(f"{t.name} {ruling}: fits {fits}, body rows {body}, not printed: {missing[:5]}, "
                      f"no glyph in the face: {no_glyph!r}")
    print(f"{pages} pages ({len(tables)} tables x {len(RULINGS)} rulings, {cells} truth cells): "
          f"{bad} with a cell, caption, note or paragraph not printed as the truth has it, or not on the page")
    errs: dict[str, list[float]] = {"office": [], "poor": []}
    firsts = [next(t for t in tables if t.name.startswith(doc + "#")) for doc in SOURCES]
    for t in firsts[:tesseract]:
        for ruling in RULINGS:
            clean = render(t, ruling=ruling)
            for level in ("office", "poor"):
                img, dpi = scan(clean, level, t.name, ruling)
                png = out / f"{t.name.replace('#', '_')}-{ruling}-{level}.png"
                Image.fromarray(img).save(png, dpi=(dpi, dpi))
                raw = subprocess.run(["tesseract", str(png), "-", "-l", "eng"], capture_output=True, text=True,
                                     env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}).stdout
                errs[level].append(_bag(page_truth_text(t), raw))
                print(f"raw tesseract {t.name} {ruling} {level}: order-free word error {errs[level][-1]:.3f}", flush=True)
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
    c = sub.add_parser("check", help="every page set and its words checked; raw tesseract on a few scans")
    c.add_argument("--root", type=Path, default=None)
    c.add_argument("--out", type=Path, default=Path("/tmp/tables-sealed4-check"))
    c.add_argument("--tesseract", type=int, default=4, help="publications whose first table's pages are scanned and read raw")
    a = ap.parse_args(argv)
    if a.cmd == "build":
        build(a.mirrors, a.out or set_root())
        return 0
    return check(a.root or set_root(), a.out, a.tesseract)


if __name__ == "__main__":
    raise SystemExit(main())
