"""Table pages whose structure is known exactly: the CALS tables of real ST.36 publications
(``<tables><table><tgroup>…``) read into a plain grid, and typeset onto an A4 page with the
paragraph that introduces them, for ``synth.degrade`` to degrade (the tuning generator of issue
27; the sealed set is rendered by other code, ``bench/tables_sealed_render.py``).

    grids = read_tables(Path("EP18151178NWA1.xml"))      # [TruthTable(rows=[[TruthCell…]…], header_rows, …)]
    image = render_page(grids[0], ruling="ruled")          # 300-dpi grey page
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from lxml import etree
from PIL import Image, ImageDraw

from .synth import A4_INCHES, font
from .xmlsafe import parser as safe_parser


INTRO_WORDS = 60  # the introducing paragraph is cut to this many words (the page must hold the table)


@dataclass
class TruthCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    rowsep: bool = True  # a rule under the cell


@dataclass
class TruthTable:
    name: str  # "EP18151178NWA1#tabl0002"
    cols: int
    rows: list[list[TruthCell]] = field(default_factory=list)  # cells in column order; spanned positions absent
    header_rows: int = 0
    title: str = ""
    intro: str = ""  # the paragraph text before the table
    col_mm: list[float] = field(default_factory=list)

    def positions(self) -> list[list[tuple[int, TruthCell]]]:
        """Each row's cells with their start column (spanned positions skipped)."""
        busy: dict[tuple[int, int], bool] = {}
        out = []
        for r, row in enumerate(self.rows):
            c = 0
            placed = []
            for cell in row:
                while busy.get((r, c)):
                    c += 1
                placed.append((c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        busy[(r + dr, c + dc)] = True
                c += cell.colspan
            out.append(placed)
        return out


def grouped_head(t: TruthTable, group: str = "Measured values") -> TruthTable:
    """``t`` with a head of two rows: its last two columns' heads under a group head spanning
    both, every other head cell over the two rows (as a table groups related columns). A table
    whose head is not one row of single cells, or of fewer than three columns, comes back as is."""
    if t.header_rows != 1 or t.cols < 3 or len(t.rows[0]) != t.cols or any(
            c.rowspan > 1 or c.colspan > 1 for c in t.rows[0]):
        return t
    head = t.rows[0]
    top = [TruthCell(c.text, rowspan=2) for c in head[:-2]] + [TruthCell(group, colspan=2)]
    sub = [TruthCell(c.text) for c in head[-2:]]
    return TruthTable(name=t.name + "+head2", cols=t.cols, rows=[top, sub] + t.rows[1:], header_rows=2,
                      title=t.title, intro=t.intro, col_mm=list(t.col_mm))


def read_tables(xml_path: Path) -> list[TruthTable]:
    """The marked-up tables of an ST.36 document (image tables skipped), each as a grid: entries
    placed by ``colname``/``namest``/``nameend`` and ``morerows`` as the CALS model says."""
    root = etree.parse(str(xml_path), safe_parser()).getroot()
    stem = Path(xml_path).stem
    out = []
    for tables in root.iter("tables"):
        table = tables.find("table")
        if table is None:
            continue
        p = tables.getparent()
        intro = " ".join(" ".join(((p.text or "") if p is not None else "").split()).split()[:INTRO_WORDS])
        title_el = table.find("title")
        tt = TruthTable(name=f"{stem}#{tables.get('id') or len(out) + 1}", cols=0,
                        title=" ".join("".join(title_el.itertext()).split()) if title_el is not None else "", intro=intro)
        for tg in table.findall("tgroup"):
            cols = int(tg.get("cols") or 1)
            tt.cols = max(tt.cols, cols)
            names = {}
            widths = []
            for i, cs in enumerate(tg.findall("colspec"), 1):
                names[cs.get("colname") or f"col{i}"] = int(cs.get("colnum") or i) - 1
                m = re.match(r"([\d.]+)\s*(mm|pt|\*)?", cs.get("colwidth") or "")
                w = float(m[1]) if m else 20.0
                widths.append(w * 0.3528 if m and m[2] == "pt" else w)
            if widths and not tt.col_mm:
                tt.col_mm = widths
            for part in ("thead", "tbody"):
                sec = tg.find(part)
                if sec is None:
                    continue
                for row in sec.findall("row"):
                    cells = []
                    for e in row.findall("entry"):
                        a = names.get(e.get("namest") or e.get("colname") or "", None)
                        b = names.get(e.get("nameend") or "", None)
                        span = (b - a + 1) if a is not None and b is not None and b >= a else 1
                        cells.append(TruthCell(text=" ".join("".join(e.itertext()).split()),
                                               rowspan=int(e.get("morerows") or 0) + 1, colspan=span,
                                               rowsep=e.get("rowsep") != "0"))
                    tt.rows.append(cells)
                    if part == "thead" and len(tt.rows) == tt.header_rows + 1:
                        tt.header_rows += 1
        if tt.rows:
            out.append(tt)
    return out


def _wrap(draw: ImageDraw.ImageDraw, text: str, f, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width``; a word longer than a line is broken, as the EP
    typesetter does in narrow cells ("Equilibr ation")."""
    words: list[str] = []
    for word in text.split():
        while draw.textlength(word, font=f) > width and len(word) > 1:
            k = len(word) - 1
            while k > 1 and draw.textlength(word[:k], font=f) > width:
                k -= 1
            words.append(word[:k])
            word = word[k:]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and draw.textlength(lines[-1] + " " + word, font=f) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def render_page(t: TruthTable, *, ruling: str = "ruled", dpi: int = 300, font_pt: float = 9.5) -> np.ndarray:
    """An A4 page: the introducing paragraph, the title, the table (``ruled``: every rule the
    CALS attributes print, EP style; ``partly``: rules above and under the head and under the
    table only; ``dotted``: the rules of ``ruled`` printed as dots, the head on a halftone grey,
    as office software prints them; ``unruled``: no rule at all, the columns set apart by space
    alone), a closing line of text."""
    w, h = int(A4_INCHES[0] * dpi), int(A4_INCHES[1] * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    mm = dpi / 25.4
    margin = int(25 * mm)
    text_w = w - 2 * margin
    body_f = font(int(10.5 / 72 * dpi))
    cell_f = font(int(font_pt / 72 * dpi))
    y = int(30 * mm)
    lh = int(10.5 / 72 * dpi * 1.45)
    for line in _wrap(draw, t.intro or "The results are given in the following table.", body_f, text_w):
        draw.text((margin, y), line, font=body_f, fill=0)
        y += lh
    y += lh // 2
    if t.title:
        for line in _wrap(draw, t.title, body_f, text_w)[:2]:
            draw.text((margin, y), line, font=body_f, fill=0)
            y += lh
        y += lh // 3
    widths_mm = t.col_mm if len(t.col_mm) == t.cols else [1.0] * t.cols
    total = sum(widths_mm) or 1.0
    col_w = [int(text_w * wm / total) for wm in widths_mm]
    xs = [margin]
    for cw in col_w:
        xs.append(xs[-1] + cw)
    pad = int(1.2 * mm)
    clh = int(font_pt / 72 * dpi * 1.3)
    placed = t.positions()
    # row heights from the wrapped cells (a spanning cell's lines shared by its rows)
    need = [1] * len(t.rows)
    wrapped: dict[tuple[int, int], list[str]] = {}
    for r, row in enumerate(placed):
        for c, cell in row:
            cw = xs[min(c + cell.colspan, t.cols)] - xs[c] - 2 * pad
            lines = _wrap(draw, cell.text, cell_f, max(cw, 10))
            wrapped[(r, c)] = lines
            if cell.rowspan == 1:
                need[r] = max(need[r], len(lines))
    for r, row in enumerate(placed):
        for c, cell in row:
            if cell.rowspan > 1:
                have = sum(need[r:r + cell.rowspan])
                if have < len(wrapped[(r, c)]):
                    need[r + cell.rowspan - 1] += len(wrapped[(r, c)]) - have
    ys = [y]
    for n in need:
        ys.append(ys[-1] + n * clh + 2 * pad)
    if ys[-1] > h - margin:
        raise ValueError(f"{t.name}: the table does not fit on one page")
    lw = max(2, int(0.25 * mm))
    if ruling == "dotted":  # the rules on a layer of their own, dotted afterwards
        rules_img = Image.new("L", (w, h), 255)
        draw_rules = ImageDraw.Draw(rules_img)
    for r, row in enumerate(placed):
        for c, cell in row:
            x0, x1 = xs[c], xs[min(c + cell.colspan, t.cols)]
            y0, y1 = ys[r], ys[min(r + cell.rowspan, len(t.rows))]
            ty = y0 + pad
            for line in wrapped[(r, c)]:
                draw.text((x0 + pad, ty), line, font=cell_f, fill=0)
                ty += clh
            if ruling in ("ruled", "dotted"):
                d = draw if ruling == "ruled" else draw_rules
                d.line([(x0, y0), (x1, y0)], fill=0, width=lw)
                d.line([(x0, y0), (x0, y1)], fill=0, width=lw)
                d.line([(x1, y0), (x1, y1)], fill=0, width=lw)
                if cell.rowsep or r + cell.rowspan >= len(t.rows):
                    d.line([(x0, y1), (x1, y1)], fill=0, width=lw)
    if ruling == "dotted":
        draw_rules.rectangle([xs[0], ys[0], xs[-1], ys[-1]], outline=0, width=lw)
        page = np.array(img)
        yy, xx = np.mgrid[0:h, 0:w]
        step = max(2, int(0.25 * mm))  # a dot and a gap of a quarter millimetre along every rule
        dots = ((xx // step + yy // step) % 2 == 0) & (np.array(rules_img) < 128)
        head = max(t.header_rows, 1)
        grey = np.zeros_like(dots)  # the head's halftone: a dot every 4 pixels, every other row offset
        grey[ys[0]:ys[head], xs[0]:xs[-1]] = True
        grey &= ((xx % 4 == 0) & (yy % 4 == 0)) | (((xx + 2) % 4 == 0) & ((yy + 2) % 4 == 0))
        page[dots | grey] = 0
        return _closing_line(Image.fromarray(page), ys[-1] + lh, margin, body_f)
    if ruling == "partly":
        head = max(t.header_rows, 1)
        for yy in (ys[0], ys[head], ys[-1]):
            draw.line([(xs[0], yy), (xs[-1], yy)], fill=0, width=lw)
    elif ruling == "ruled":
        draw.rectangle([xs[0], ys[0], xs[-1], ys[-1]], outline=0, width=lw)
    return _closing_line(img, ys[-1] + lh, margin, body_f)


def _closing_line(img: Image.Image, y: int, margin: int, f) -> np.ndarray:
    ImageDraw.Draw(img).text((margin, y), "The values above were measured at room temperature.", font=f, fill=0)
    return np.array(img)


def page_truth_text(t: TruthTable) -> str:
    """The page's words as ``render_page`` prints them (paragraph, title, cells row by row)."""
    cells = [cell.text for row in t.rows for cell in row]
    intro = t.intro or "The results are given in the following table."
    return "\n".join([intro, t.title] + cells + ["The values above were measured at room temperature."])


def write_png(image: np.ndarray, path: Path, dpi: int) -> Path:
    Image.fromarray(image).save(str(path), dpi=(dpi, dpi))
    return Path(path)
