"""The fifth sealed Spanish page set for ``bench/spanish.py --part sealed5``: run only to report.

Built after ``sealed`` to ``sealed4`` were seen, by someone who never ran digitize on it; it shares
no code, no text, no document and no publication-number range with them:

* **Text**: Spanish patent prose (abstracts, descriptions, claims) of OEPM publications (ES A1, B1,
  B2, T3, a U utility model and 1980s-1990s abstracts, one in capitals without accents as
  printed), PCT applications (PCT/MX2006/000107, PCT/ES2013/070447, PCT/CA2005/001552) and one
  P-application: a watch strap, a portable cooler, a manicure set, a musical botijo, an agave beer,
  olive oil and its by-products (tirosol, hidroxitirosol, phenolic extracts), a solar thermal
  collector, a glyphosate herbicide, dental implants and prostheses, a disc-brake caliper
  (reference numerals ``(21, 22)``, ``(4a)/o``, ``40ºC``, ``0.3%``, ``N-(fosfonometil)glicina``,
  ``[1071-83-6]``, ``alpechín``, ``pestaña``; no word with ``ü``). Excerpts read from stored public
  copies (patentados.com, 1library, scribd, Google Patents and a mirror, sumobrain, a blog quoting
  a utility model), each block headed by its number, title and address, in
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es5_patentes.txt`` (not committed: the text is
  the applicants'). About 2,000 words, so the 24 pages read the stream round: each page starts at
  its own paragraph and a paragraph comes back on other pages in another layout, font and line
  breaking.
* **Typesetting**: ImageMagick (Debian's ``convert``, IM6), no layout engine: every word is measured
  once with ``convert -debug annotate`` (its advance at 1,200 dpi, cached in
  ``build/sealed-es5-metrics``), lines are broken greedily here with Spanish syllable hyphenation
  (this module's syllabifier) and justified by spreading the spare width over the gaps; each word is
  then drawn at its computed position with ``-draw text`` on a 300-dpi A4 canvas, one ``convert``
  per page. Four layouts, drawn per page: an AR INPI-like *memoria descriptiva* (Noto Serif
  10.5-11.5 pt, one column, ``AR 1xxxxx A1`` head over a rule, ``Pág. n`` footer); an MX IMPI-like
  two-column page (DejaVu Sans Condensed 8.5-9.5 pt, ``MX/a/2017|2018/0xxxxx`` head with
  ``Hoja n de m``); a claims page (C059, i.e. Century Schoolbook, 10-11 pt, ``REIVINDICACIONES``,
  paragraphs numbered as claims with a hanging indent); a Noto Sans two-column page under a
  full-width title in capitals (``WO 2016/2xxxxx`` or ``MX 38xxxx B`` head). Description paragraphs
  carry ``[0001]`` numbers in bold within their document; where a document starts, its number and
  title are set in bold; headings in capitals, a third of them without their accents.
* **Truth**: the lines as typeset, in reading order: the running head, the full-width title, the
  left column's lines, the right column's, the footer; a word broken at a line end keeps its ``-``
  on its line (``evaluate`` joins it with the next line's first word, for truth and output alike).
* **Scanner** (own model): ``office``: the 300-dpi grey render turned up to 0.7 degrees, an optical
  blur stronger across the scan than along it, the line sensor's row banding and column offsets,
  paper texture, a threshold drifting across the sheet (lamp ageing), on some pages toner spread or
  starved, a few dust spots and sometimes a dirty-glass streak: bilevel 0/255 (``spanish.py`` stores
  CCITT G4). ``poor``: the render integrated down to 200 dpi, turned up to 1.3 degrees with a slight
  keystone, low contrast, vignetting and sometimes a binding shadow, defocus, signal-dependent noise
  and a JPEG round trip at quality 28-50 (``spanish.py`` then saves a JPEG at quality 90).

Deterministic from ``SEED`` (layout, text and pixels, for one ImageMagick version); the layout
depends on the page number only, so both levels show the same 24 pages.

    python bench/sealed_es5.py --out DIR [--pages N] [--levels office,poor] [--check]

writes each page's image and truth to DIR/<level>/; ``--check`` reads them with the raw
``tesseract -l spa`` CLI (never digitize) and prints each page's order-free word error against its
truth. Needs Debian's ``imagemagick``, ``fonts-noto-core``, ``fonts-dejavu-core`` and
``fonts-urw-base35``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

SEED = 5_2026_1207
TEXT = (Path(os.environ.get("DIGITIZE_REAL_SETS", Path(__file__).resolve().parents[1] / "build" / "real-sets"))
        / "spanish-patent-text" / "sealed_es5_patentes.txt")
METRICS = Path(__file__).resolve().parents[1] / "build" / "sealed-es5-metrics"
DPI = 300
PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
MEASURE_DPI, MEASURE_PT = 1200, 10.0

FONTS = {
    "noto-serif": "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "noto-serif-bold": "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf",
    "noto-sans": "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "noto-sans-bold": "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "dejavu-cond": "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
    "dejavu-cond-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "c059": "/usr/share/fonts/opentype/urw-base35/C059-Roman.otf",
    "c059-bold": "/usr/share/fonts/opentype/urw-base35/C059-Bold.otf",
}


def convert_cmd() -> str:
    """Debian's ImageMagick ``convert`` (a ``convert`` earlier on PATH may be something else)."""
    for cand in ("/usr/bin/convert", shutil.which("convert")):
        if cand and Path(cand).exists():
            return cand
    raise SystemExit("sealed5: ImageMagick's convert is missing (apt-get install imagemagick); skipped")


# ----------------------------------------------------------------------------- the text


@dataclass(frozen=True)
class Block:
    doc: int
    number: str
    title: str
    part: str   # resumen | descripcion | reivindicaciones
    kind: str   # text | heading
    text: str
    num: int    # [0001] number within the document's description, 0 if none


def read_stream() -> list[Block]:
    if not TEXT.exists():
        raise SystemExit(f"sealed5: {TEXT} is missing (the sealed Spanish patent text of bench/sealed_es5.py); skipped")
    blocks: list[Block] = []
    doc, number, title, part, counter = -1, "", "", "descripcion", 0
    para: list[str] = []

    def close() -> None:
        nonlocal counter
        if para:
            text = " ".join(para)
            para.clear()
            if part == "descripcion":
                counter += 1
            blocks.append(Block(doc, number, title, part, "text", text, counter if part == "descripcion" else 0))

    for line in TEXT.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if s.startswith("#"):
            continue
        if s.startswith("== "):
            close()
            number, title, _ = (x.strip() for x in s[3:].split(" | ", 2))
            doc, part, counter = doc + 1, "descripcion", 0
        elif s.startswith("-- "):
            close()
            part = s[3:].strip()
        elif s.startswith("~ "):
            close()
            blocks.append(Block(doc, number, title, part, "heading", s[2:].strip(), 0))
        elif s:
            para.append(s)
        else:
            close()
    close()
    return blocks


# ----------------------------------------------------------------------------- Spanish hyphenation

_VOWELS = set("aeiouáéíóúü")
_OPEN = set("aeoáéó")
_STRESSED_CLOSED = set("íú")
_ONSETS = {"pr", "br", "tr", "dr", "cr", "gr", "fr", "kr", "pl", "bl", "cl", "gl", "fl", "kl", "ch", "ll", "rr"}
_WORD = re.compile(r"^([(\[«\"“']*)([A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+)([)\]»\"”'.,;:]*)$")


def syllable_breaks(word: str) -> list[int]:
    """Indices inside ``word`` where Spanish allows a syllable break (written-word rules: one
    consonant goes with the next vowel, two are split unless they form an onset such as ``pl`` or
    ``ch``, of three or four the last onset or last consonant goes right; two open vowels, or a
    stressed í/ú beside another vowel, are in hiatus)."""
    w = word.lower()
    kinds = ["v" if c in _VOWELS else "c" for c in w]
    breaks: list[int] = []
    i = 0
    # skip the leading consonants
    while i < len(w) and kinds[i] == "c":
        i += 1
    while i < len(w):
        j = i
        while j < len(w) and kinds[j] == "v":
            j += 1
        for a in range(i + 1, j):  # inside the vowel run: hiatus
            x, y = w[a - 1], w[a]
            if (x in _OPEN and y in _OPEN) or x in _STRESSED_CLOSED or y in _STRESSED_CLOSED:
                if not (x == "u" and a >= 2 and w[a - 2] in "qg"):
                    breaks.append(a)
        k = j
        while k < len(w) and kinds[k] == "c":
            k += 1
        if k >= len(w):
            break  # final consonants stay with the last syllable
        run = w[j:k]
        if len(run) == 1:
            breaks.append(j)
        elif len(run) == 2:
            breaks.append(j if run in _ONSETS else j + 1)
        else:
            breaks.append(k - 2 if run[-2:] in _ONSETS else k - 1)
        i = k
    return sorted(set(breaks))


def hyphen_splits(token: str) -> list[tuple[str, str]]:
    """(head + '-', rest) pairs a line may end with, longest head first; none for short words,
    capitals, numbers and words that carry their own hyphen or slash."""
    m = _WORD.match(token)
    if not m:
        return []
    pre, core, post = m.groups()
    if len(core) < 6 or core.isupper():
        return []
    out = []
    for b in reversed(syllable_breaks(core)):
        if 2 <= b <= len(core) - 3:
            out.append((pre + core[:b] + "-", core[b:] + post))
    return out


# ----------------------------------------------------------------------------- font metrics


class Metrics:
    """Advance widths in points per point of size, measured by ImageMagick once per font and token."""

    def __init__(self) -> None:
        self.table: dict[str, dict[str, float]] = {}
        self.cmd = convert_cmd()

    def _file(self, font: str) -> Path:
        return METRICS / f"{font}.json"

    def load(self, font: str) -> dict[str, float]:
        if font not in self.table:
            f = self._file(font)
            self.table[font] = json.loads(f.read_text(encoding="utf-8")) if f.exists() else {}
        return self.table[font]

    def ensure(self, font: str, tokens: set[str]) -> None:
        known = self.load(font)
        missing = sorted(t for t in tokens if t not in known)
        if not missing:
            return
        for lo in range(0, len(missing), 400):
            chunk = missing[lo:lo + 400]
            args = [self.cmd, "-debug", "annotate", "-size", "8x8", "xc:white", "-density", str(MEASURE_DPI),
                    "-font", FONTS[font], "-pointsize", str(MEASURE_PT)]
            for t in chunk:
                args += ["-draw", f"text 0,0 {_mvg_string(t)}"]
            args.append("null:")
            err = subprocess.run(args, capture_output=True, text=True, check=True).stderr
            measured = {t: float(wpx) * 72.0 / MEASURE_DPI / MEASURE_PT
                        for t, wpx in re.findall(r"Metrics: text: (.*?); width: ([0-9.]+); height:", err)}
            for t in chunk:
                if t not in measured:
                    raise RuntimeError(f"sealed5: ImageMagick gave no metrics for {t!r} in {font}")
                known[t] = measured[t]
        METRICS.mkdir(parents=True, exist_ok=True)
        self._file(font).write_text(json.dumps(known, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    def width(self, font: str, token: str, size: float) -> float:
        return self.table[font][token] * size

    def space(self, font: str, size: float) -> float:
        t = self.table[font]
        return (t["n n"] - t["nn"]) * size


def _mvg_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ----------------------------------------------------------------------------- line breaking


@dataclass
class Line:
    words: list[tuple[str, str]]     # (token, font)
    x: float                         # left edge, points
    width: float                     # measure, points
    size: float
    justify: bool
    center: bool = False
    xs: list[float] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(t for t, _ in self.words)


def break_paragraph(m: Metrics, words: list[tuple[str, str]], size: float, x: float, width: float,
                    first_indent: float = 0.0, rest_indent: float = 0.0, ragged: bool = False) -> list[Line]:
    """Greedy lines over ``words``; a word that does not fit is broken at its last syllable break
    that does, else carried over. Positions are filled in (justified unless ``ragged`` or last)."""
    lines: list[Line] = []
    queue = list(words)
    cur: list[tuple[str, str]] = []
    used = 0.0

    def measure() -> float:
        return (first_indent if not lines else rest_indent)

    def flush(last: bool) -> None:
        indent = measure()
        ln = Line(list(cur), x + indent, width - indent, size, justify=not (last or ragged))
        lines.append(ln)

    while queue:
        tok, font = queue.pop(0)
        avail = width - measure()
        sp = m.space(font, size) if cur else 0.0
        w = m.width(font, tok, size)
        if used + sp + w <= avail or not cur and w > avail:
            cur.append((tok, font))
            used += sp + w
            continue
        for head, rest in ([] if ragged else hyphen_splits(tok)):
            if used + sp + m.width(font, head, size) <= avail:
                cur.append((head, font))
                queue.insert(0, (rest, font))
                break
        else:
            queue.insert(0, (tok, font))
        flush(last=False)
        cur, used = [], 0.0
    if cur:
        flush(last=True)
    for ln in lines:
        place(m, ln)
    return lines


def place(m: Metrics, ln: Line) -> None:
    widths = [m.width(f, t, ln.size) for t, f in ln.words]
    spaces = [m.space(f, ln.size) for _, f in ln.words[1:]]
    natural = sum(widths) + sum(spaces)
    extra = 0.0
    if ln.justify and len(ln.words) > 1:
        extra = (ln.width - natural) / (len(ln.words) - 1)
    x = ln.x + ((ln.width - natural) / 2 if ln.center else 0.0)
    ln.xs = []
    for i, w in enumerate(widths):
        ln.xs.append(x)
        x += w + (spaces[i] + extra if i < len(spaces) else 0.0)


# ----------------------------------------------------------------------------- layouts


@dataclass
class Style:
    kind: str
    font: str
    bold: str
    size: float
    lead: float
    columns: int
    left: float      # points
    width: float     # text width, points
    gutter: float
    top: float       # first baseline of the body, points from the top
    bottom: float    # last baseline allowed
    head: str
    head_right: str
    foot: str
    rule: bool


def style_for(k: int) -> tuple[Style, np.random.Generator]:
    rng = np.random.default_rng([SEED, 11, k])
    kinds = ("memoria", "mx2", "claims", "titled2")
    kind = kinds[k % 4] if k < 8 else kinds[int(rng.integers(0, 4))]
    page = int(rng.integers(2, 24))
    if kind == "memoria":
        size = float(rng.choice([10.5, 11.0, 11.5]))
        width = float(rng.uniform(432, 456))
        return Style(kind, "noto-serif", "noto-serif-bold", size, size * float(rng.uniform(1.38, 1.55)), 1,
                     float(rng.uniform(74, 86)), width, 0.0, 98.0, PAGE_H - 80,
                     f"AR {int(rng.integers(160000, 199999))} A1", "", f"Pág. {page}", True), rng
    if kind == "mx2":
        size = float(rng.choice([8.5, 9.0, 9.5]))
        total = float(rng.uniform(470, 490))
        return Style(kind, "dejavu-cond", "dejavu-cond-bold", size, size * float(rng.uniform(1.25, 1.38)), 2,
                     (PAGE_W - total) / 2, total, float(rng.uniform(18, 26)), 92.0, PAGE_H - 66,
                     f"MX/a/{int(rng.choice([2017, 2018]))}/{int(rng.integers(20000, 29999)):06d}",
                     f"Hoja {page} de {page + int(rng.integers(3, 15))}", "", False), rng
    if kind == "claims":
        size = float(rng.choice([10.0, 10.5, 11.0]))
        head = (f"WO 2016/{int(rng.integers(200000, 239999))}" if rng.random() < 0.5
                else f"AR {int(rng.integers(160000, 199999))} A1")
        return Style(kind, "c059", "c059-bold", size, size * float(rng.uniform(1.4, 1.6)), 1,
                     float(rng.uniform(78, 92)), float(rng.uniform(418, 440)), 0.0, 100.0, PAGE_H - 78,
                     head, "", f"- {page} -", bool(rng.random() < 0.5)), rng
    size = float(rng.choice([9.0, 9.5]))
    total = float(rng.uniform(466, 486))
    head = (f"WO 2016/{int(rng.integers(200000, 239999))}" if rng.random() < 0.5
            else f"MX {int(rng.integers(380000, 399999))} B")
    return Style(kind, "noto-sans", "noto-sans-bold", size, size * float(rng.uniform(1.28, 1.4)), 2,
                 (PAGE_W - total) / 2, total, float(rng.uniform(16, 24)), 96.0, PAGE_H - 70,
                 head, "", f"{page}", True), rng


def _strip_accents(s: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", s)
                                                 if unicodedata.category(c) != "Mn" or c == "\u0303"))


def doc_label(b: Block) -> str:
    m = re.match(r"^((?:ES|WO|PCT|P)[^(|]*?\d[^(|,]*)", b.number)
    return f"{m.group(1).strip()}: {b.title}" if m and re.search(r"\d{3}", m.group(1)) else b.title


@dataclass
class Page:
    style: Style
    head: list[Line]
    top: list[Line]            # full width, under the head
    columns: list[list[tuple[float, Line]]]  # (baseline, line) per column
    foot: list[Line]
    head_y: float
    foot_y: float
    rule_y: float


def compose(k: int, blocks: list[Block], m: Metrics) -> Page:
    st, rng = style_for(k)
    n = len(blocks)
    start = (k * 7 * n // 24 + int(np.random.default_rng([SEED, 3]).integers(0, n))) % n
    while blocks[start].kind == "heading" and blocks[start].doc == blocks[(start + 1) % n].doc:
        start = (start + 1) % n
    size_head = st.size * 0.92
    head = [Line([(w, st.bold) for w in st.head.split()], st.left, st.width, size_head, False)]
    if st.head_right:
        tw = sum(m.width(st.font, w, size_head) for w in st.head_right.split())
        tw += m.space(st.font, size_head) * (len(st.head_right.split()) - 1)
        head.append(Line([(w, st.font) for w in st.head_right.split()], st.left + st.width - tw, tw, size_head, False))
    for ln in head:
        place(m, ln)
    foot = []
    if st.foot:
        f = Line([(w, st.font) for w in st.foot.split()], st.left, st.width, st.size, False, center=True)
        place(m, f)
        foot.append(f)
    top: list[Line] = []
    y0 = st.top
    if st.kind == "titled2":
        title = blocks[start].title.upper()
        top = break_paragraph(m, [(w, st.bold) for w in title.split()], st.size * 1.15, st.left + 30, st.width - 60,
                              ragged=True)
        for ln in top:
            ln.center, ln.justify = True, False
            place(m, ln)
        y0 = st.top + len(top) * st.size * 1.15 * 1.3 + st.lead * 0.8
    if st.kind == "claims":
        t = Line([("REIVINDICACIONES", st.bold)], st.left, st.width, st.size * 1.1, False, center=True)
        place(m, t)
        top = [t]
        y0 = st.top + st.lead * 2.0
    colw = (st.width - st.gutter) / 2 if st.columns == 2 else st.width
    columns: list[list[tuple[float, Line]]] = [[] for _ in range(st.columns)]
    col, y = 0, y0
    i, last_doc, last_part, claim_no = start, -1, "", 0

    def room(h: float) -> bool:
        return y + h <= st.bottom

    def put(lines: list[Line], gap_before: float, keep: int = 1) -> bool:
        """Set ``lines`` in the current column (moving on when it is full); False when the page is full."""
        nonlocal col, y
        y += gap_before
        if not room(st.lead * (min(keep, len(lines)) - 1)):
            col += 1
            if col >= st.columns:
                return False
            y = y0
        for ln in lines:
            if not room(0):
                col += 1
                if col >= st.columns:
                    return False
                y = y0
            ln.x = st.left + col * (colw + st.gutter) + (ln.x - st.left) % (colw + st.gutter) \
                if st.columns == 2 else ln.x
            place(m, ln)
            columns[col].append((y, ln))
            y += st.lead
        return True

    lx = st.left
    for _ in range(4 * n):
        b = blocks[i % n]
        i += 1
        if b.doc != last_doc:
            label = doc_label(b)
            lines = break_paragraph(m, [(w, st.bold) for w in label.split()], st.size, lx, colw, ragged=True)
            if not put(lines, st.lead * 0.6 if (columns[col] or col) else 0.0, keep=len(lines) + 1):
                break
            last_doc, last_part = b.doc, ""
        if st.kind != "claims" and b.part != last_part and b.part in ("resumen", "reivindicaciones"):
            word = {"resumen": "RESUMEN", "reivindicaciones": "REIVINDICACIONES"}[b.part]
            h = Line([(word, st.bold)], lx, colw, st.size, False, center=True)
            if not put([h], st.lead * 0.4, keep=3):
                break
        last_part = b.part
        if b.kind == "heading":
            text = b.text.upper()
            if rng.random() < 0.33:
                text = _strip_accents(text)
            lines = break_paragraph(m, [(w, st.bold) for w in text.split()], st.size, lx, colw, ragged=True)
            for ln in lines:
                ln.center = True
            if not put(lines, st.lead * 0.5, keep=len(lines) + 2):
                break
            continue
        words = [(w, st.font) for w in b.text.split()]
        hang = 0.0
        if st.kind == "claims" or b.part == "reivindicaciones":
            claim_no += 1
            words = [(w, st.font) for w in re.sub(r"^\d+\.\s*", "", b.text).split()]
            words.insert(0, (f"{claim_no}.", st.font))
            hang = m.width(st.font, f"{claim_no}.", st.size) + m.space(st.font, st.size) if st.kind == "claims" else 0.0
            lines = break_paragraph(m, words, st.size, lx, colw, first_indent=0.0, rest_indent=hang)
        elif b.num:
            words.insert(0, (f"[{b.num:04d}]", st.bold))
            lines = break_paragraph(m, words, st.size, lx, colw)
        else:
            lines = break_paragraph(m, words, st.size, lx, colw, first_indent=st.size * 1.5)
        if not put(lines, st.lead * 0.45, keep=2):
            break
    return Page(st, head, top, columns, foot, 62.0, PAGE_H - 44, 70.0)


def tokens_for(blocks: list[Block]) -> dict[str, set[str]]:
    """Every token a page may set, per font: words, their hyphen heads and rests, the layout's
    own strings, and the space probes."""
    plain, bold = {"n n", "nn"}, {"n n", "nn", "REIVINDICACIONES", "RESUMEN"}

    def add(into: set[str], word: str) -> None:
        if word in into:
            return
        into.add(word)
        for head, rest in hyphen_splits(word):
            into.add(head)
            add(into, rest)

    for b in blocks:
        if b.kind == "heading":
            for w in b.text.upper().split() + _strip_accents(b.text.upper()).split():
                add(bold, w)
            continue
        for w in b.text.split():
            add(plain, w)
        for w in doc_label(b).split() + b.title.upper().split():
            add(bold, w)
    for k in range(1, 60):
        plain.add(f"{k}.")
        bold.add(f"[{k:04d}]")
    for k in range(200):
        st, _ = style_for(k)
        bold.update(st.head.split())
        plain.update(st.head_right.split() + st.foot.split() + st.head.split())
    return {"plain": plain, "bold": bold}


def truth_of(p: Page) -> str:
    out = [" ".join(ln.text for ln in p.head)]
    out += [ln.text for ln in p.top]
    for col in p.columns:
        out += [ln.text for _, ln in col]
    out += [ln.text for ln in p.foot]
    return "\n".join(out) + "\n"


def render(p: Page, work: Path, cmd: str) -> np.ndarray:
    """The page drawn by ImageMagick at 300 dpi, grey, ink dark."""
    px = DPI / 72.0
    args = [cmd, "-size", f"{round(PAGE_W * px)}x{round(PAGE_H * px)}", "xc:white", "-density", str(DPI),
            "-fill", "black", "-stroke", "none"]
    placed: list[tuple[float, Line]] = [(p.head_y, ln) for ln in p.head]
    ty = p.style.top
    for ln in p.top:
        placed.append((ty, ln))
        ty += ln.size * 1.3 if p.style.kind == "titled2" else p.style.lead
    for col in p.columns:
        placed += col
    placed += [(p.foot_y, ln) for ln in p.foot]
    for y, ln in placed:
        by_font: dict[str, list[str]] = {}
        for (tok, font), x in zip(ln.words, ln.xs):
            by_font.setdefault(font, []).append(f"text {x * px:.2f},{y * px:.2f} {_mvg_string(tok)}")
        for font, prims in by_font.items():
            args += ["-font", FONTS[font], "-pointsize", f"{ln.size:.2f}", "-draw", " ".join(prims)]
    if p.style.rule:
        x0, x1 = p.style.left * px, (p.style.left + p.style.width) * px
        args += ["-stroke", "black", "-strokewidth", "2", "-draw",
                 f"line {x0:.1f},{p.rule_y * px:.1f} {x1:.1f},{p.rule_y * px:.1f}", "-stroke", "none"]
    out = work / "page.png"
    args += ["-colorspace", "Gray", "-depth", "8", str(out)]
    subprocess.run(args, check=True, capture_output=True)
    img = cv2.imread(str(out), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise RuntimeError("sealed5: ImageMagick wrote no page")
    return img


# ----------------------------------------------------------------------------- scanner


def _field(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    """A smooth random surface in [-1, 1] with about ``cells`` bumps across the page."""
    small = rng.uniform(-1, 1, (cells + 2, cells + 2)).astype(np.float32)
    big = cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)
    return np.clip(big, -1, 1)


def _rotate(img: np.ndarray, degrees: float, rng: np.random.Generator, keystone: float = 0.0) -> np.ndarray:
    h, w = img.shape
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    ctr = np.float32([w / 2, h / 2])
    rot = np.float32([[c, -s], [s, c]])
    dst = (src - ctr) @ rot.T + ctr + rng.uniform(-keystone, keystone, (4, 2)).astype(np.float32)
    dst += np.float32(rng.uniform(-12, 12, 2))
    mat = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    return cv2.warpPerspective(img, mat, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                               borderValue=255)


def scan_office(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    g = _rotate(img, float(rng.uniform(-0.7, 0.7)), rng).astype(np.float32)
    g = cv2.GaussianBlur(g, (0, 0), sigmaX=float(rng.uniform(0.35, 0.6)), sigmaY=float(rng.uniform(0.6, 1.0)))
    h, w = g.shape
    rows = 1.0 + 0.05 * cv2.resize(rng.uniform(-1, 1, (h // 40 + 2, 1)).astype(np.float32), (1, h),
                                   interpolation=cv2.INTER_LINEAR)
    cols = rng.normal(0, 3.0, (1, w)).astype(np.float32)
    g = g * rows + cols
    g += rng.normal(0, float(rng.uniform(5, 11)), g.shape).astype(np.float32)
    g += 10.0 * _field(rng, g.shape, 6)
    ramp = np.linspace(-1, 1, w, dtype=np.float32)[None, :] * float(rng.uniform(-14, 14))
    base = float(rng.choice([112.0, 138.0, 160.0]))
    bw = np.where(g < base + ramp, 0, 255).astype(np.uint8)
    r = rng.random()
    if r < 0.15:
        bw = cv2.erode(bw, np.ones((2, 1), np.uint8))      # toner spread (ink grows)
    elif r < 0.3:
        bw = cv2.dilate(bw, np.ones((1, 2), np.uint8))     # starved toner (ink shrinks)
    for _ in range(int(rng.integers(3, 14))):
        cv2.circle(bw, (int(rng.integers(0, w)), int(rng.integers(0, h))), int(rng.integers(1, 4)), 0, -1)
    if rng.random() < 0.3:
        x = int(rng.integers(w // 10, 9 * w // 10))
        y0 = int(rng.integers(0, h // 2))
        bw[y0:y0 + int(rng.integers(h // 4, h // 2)), x] = 0
    return bw


def scan_poor(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    g = cv2.resize(img, (round(img.shape[1] * 200 / DPI), round(img.shape[0] * 200 / DPI)),
                   interpolation=cv2.INTER_AREA)
    g = _rotate(g, float(rng.uniform(-1.3, 1.3)), rng, keystone=6.0).astype(np.float32)
    ink, paper = float(rng.uniform(50, 95)), float(rng.uniform(170, 215))
    g = ink + g * ((paper - ink) / 255.0)
    h, w = g.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    rad = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    g *= 1.0 - float(rng.uniform(0.08, 0.2)) * rad / 2
    if rng.random() < 0.4:
        side = xx if rng.random() < 0.5 else (w - 1 - xx)
        g *= 1.0 - 0.35 * np.exp(-side / float(rng.uniform(25, 60)))
    g = cv2.GaussianBlur(g, (0, 0), float(rng.uniform(0.8, 1.25)))
    g += rng.normal(0, 1, g.shape).astype(np.float32) * (4.0 + 8.0 * g / 255.0)
    g = np.clip(g, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(28, 51))])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)


# ----------------------------------------------------------------------------- the set


def pages(n: int, level: str):
    """Yield ``n`` pages as (image, dpi, text as typeset); ``level`` is ``office`` or ``poor``."""
    if level not in ("office", "poor"):
        raise ValueError(f"sealed5: level is office or poor, not {level!r}")
    blocks = read_stream()
    cmd = convert_cmd()
    m = Metrics()
    need = tokens_for(blocks)
    for font in FONTS:
        m.ensure(font, need["bold" if font.endswith("bold") else "plain"])
    with tempfile.TemporaryDirectory(prefix="sealed5-") as tmp:
        for k in range(n):
            page = compose(k, blocks, m)
            img = render(page, Path(tmp), cmd)
            rng = np.random.default_rng([SEED, k, 1 if level == "office" else 2])
            if level == "office":
                yield scan_office(img, rng), DPI, truth_of(page)
            else:
                yield scan_poor(img, rng), 200, truth_of(page)


# ----------------------------------------------------------------------------- raw-CLI check


def _bag(text: str) -> Counter:
    text = unicodedata.normalize("NFKC", text)
    joined: list[str] = []
    for w in text.split():
        if joined and len(joined[-1]) > 1 and joined[-1].endswith("-") and joined[-1][-2].isalpha() and w[:1].islower():
            joined[-1] = joined[-1][:-1] + w
        else:
            joined.append(w)
    return Counter(joined)


def word_error(truth: str, read: str) -> float:
    """Order-free word error: the larger of missing and extra words over the truth's words."""
    t, r = _bag(truth), _bag(read)
    n = sum(t.values())
    return min(1.0, max(sum((t - r).values()), sum((r - t).values())) / n) if n else 0.0


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Write the sealed5 Spanish pages (and check them with raw tesseract).")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pages", type=int, default=24)
    ap.add_argument("--levels", default="office,poor")
    ap.add_argument("--check", action="store_true", help="read each page with `tesseract -l spa` (never digitize)")
    args = ap.parse_args(argv)
    for level in args.levels.split(","):
        folder = args.out / level
        folder.mkdir(parents=True, exist_ok=True)
        scores = []
        for k, (img, dpi, text) in enumerate(pages(args.pages, level), start=1):
            stem = folder / f"sealed5_{level}_{k:03d}"
            cv2.imwrite(str(stem.with_suffix(".png")), img)
            stem.with_suffix(".txt").write_text(text, encoding="utf-8")
            line = f"{stem.name}: {len(text.split())} words, {style_for(k - 1)[0].kind}"
            if args.check:
                cmd = ["tesseract", str(stem.with_suffix(".png")), "-", "-l", "spa", "--dpi", str(dpi)]
                read = subprocess.run(cmd, capture_output=True, text=True, check=True,
                                      env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
                e = word_error(text, read)
                scores.append((e, len(text.split())))
                line += f", raw tesseract -l spa order-free word error {e:.4f}"
            print(line, flush=True)
        if scores:
            total = sum(n for _, n in scores)
            print(f"sealed5 {level}: {len(scores)} pages, {total} words, raw tesseract -l spa "
                  f"{sum(e * n for e, n in scores) / total:.4f} (word-weighted), worst {max(e for e, _ in scores):.4f}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
