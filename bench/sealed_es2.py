"""The second sealed Spanish page set for ``bench/spanish.py --part sealed2``: run only to report.

Nobody tuning has seen it, and it shares neither text nor code with the other parts:

* **Text**: Spanish legal and technical prose published by the BOE (Agencia Estatal Boletín
  Oficial del Estado), taken from github.com/legalize-dev/legalize-es (the BOE's consolidated
  legislation as Markdown; data under the BOE's reuse conditions, source cited; official
  legislative texts are not subject to copyright in Spain, art. 13 TRLPI): the preamble of the
  Spanish Patent Act, Ley 24/2015 (``es/c4/BOE-A-2015-8328.md`` @ 57496def), articles 3-15 of its
  implementing regulation, RD 316/2017 (description, claims, abstract, priority:
  ``es/21/BOE-A-2017-3550.md`` @ 16a305af), and two technical instructions of the low-voltage
  electrical regulation, RD 842/2002 ITC-BT-05/06 (``es/9e/BOE-A-2002-18099.md`` @ 0b73d42e).
  Prose paragraphs only, copied into ``bench/data/sealed_es2_boe.txt`` (its header lists them;
  a few list items are joined into one paragraph). Not the ES 2993312 T1 the lexicon was counted
  from, not manpages-es.
* **Typesetting**: pages laid out as patent publications, in four styles drawn per page: an
  OEPM-like description page (Liberation Sans, line numbers every five lines in the margin,
  ``ES 2 9xx xxx T3`` header), an EPO-like two-column page (DejaVu Serif Condensed, paragraph
  numbers ``[0012]``, line numbers in the gutter, ``EP 3 xxx xxx B1`` header), an IMPI-like
  *memoria descriptiva* page (Liberation Sans Narrow, wide leading, ``[0001]`` paragraph numbers,
  ``MX/a/2026/0xxxxx`` header), and an INPI-like numbered page (DejaVu Serif, numbered
  paragraphs as claims are, ``AR 1xxxxx A1`` footer). Lines are broken here (font metrics of the
  same font files, kerning and ligatures off on both sides), with Spanish syllable hyphenation
  in some styles, and each line is placed absolutely in HTML; headless Chromium prints the HTML
  to PDF and ``pdftoppm`` rasterises it. So the truth is exactly the printed text, line by line,
  hyphens as printed (``evaluate`` joins a word broken at a line end).
* **Scanner**: ``office``: 300 dpi grey raster, skew up to 0.9 degrees, a slight paper-feed
  stretch, optics blur, uneven toner, sensor noise, a global threshold, dust specks and,
  sometimes, a lid shadow at an edge; bilevel, saved as CCITT G4 TIFF. ``poor``: 200 dpi, skew up
  to 2.2 degrees, uneven light (a vignette and a gradient), grey paper and ink, defocus, noise,
  JPEG at quality 40-60.

Deterministic from its seed: the same text, layout and pixels each time (the layout depends on
the seed only, so both levels show the same pages).
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageFont

TEXT = Path(__file__).resolve().parent / "data" / "sealed_es2_boe.txt"
SEED = 20261208
MM_PER_PT = 25.4 / 72

FONT_DIR_LIB = "/usr/share/fonts/truetype/liberation"
FONT_DIR_DJV = "/usr/share/fonts/truetype/dejavu"
# CSS family, font-stretch, file used to measure (the same file Chromium picks through fontconfig)
FONTS = {
    "sans": ("Liberation Sans", "normal", f"{FONT_DIR_LIB}/LiberationSans-Regular.ttf"),
    "sans-bold": ("Liberation Sans", "normal", f"{FONT_DIR_LIB}/LiberationSans-Bold.ttf"),
    "narrow": ("Liberation Sans Narrow", "normal", f"{FONT_DIR_LIB}/LiberationSansNarrow-Regular.ttf"),
    "narrow-bold": ("Liberation Sans Narrow", "normal", f"{FONT_DIR_LIB}/LiberationSansNarrow-Bold.ttf"),
    "serif": ("DejaVu Serif", "normal", f"{FONT_DIR_DJV}/DejaVuSerif.ttf"),
    "serif-bold": ("DejaVu Serif", "normal", f"{FONT_DIR_DJV}/DejaVuSerif-Bold.ttf"),
    "serifc": ("DejaVu Serif", "condensed", f"{FONT_DIR_DJV}/DejaVuSerifCondensed.ttf"),
    "serifc-bold": ("DejaVu Serif", "condensed", f"{FONT_DIR_DJV}/DejaVuSerifCondensed-Bold.ttf"),
}
NO_KERN = ["-kern", "-liga", "-clig", "-calt"]


# ---------------------------------------------------------------- text

def documents(path: Path = TEXT) -> list[tuple[str, list[str]]]:
    """``[(title, paragraphs)]`` from the text file ('@' starts a document, '#' is a note)."""
    docs: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            docs.append((line[1:].strip(), []))
        else:
            docs[-1][1].append(" ".join(line.split()))
    return docs


# ---------------------------------------------------------------- Spanish hyphenation

VOWELS = set("aeiouáéíóúü")
INSEPARABLE = {"bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "pl", "pr", "tr", "ch", "ll", "rr"}


def hyphen_points(word: str) -> list[int]:
    """Syllable boundaries of a lower-case Spanish word (indices where a hyphen may go): V-CV,
    VC-CV, VC-CCV for an inseparable onset, VCC-CV otherwise; never between vowels (diphthongs and
    hiatus alike, the safe side); at least 2 letters before and 3 after."""
    w = word
    if not w.isalpha() or not w.islower() or len(w) < 6:
        return []
    vow = [c in VOWELS for c in w]
    points = []
    i = 0
    while i < len(w) and not vow[i]:
        i += 1
    while i < len(w):
        j = i
        while j < len(w) and vow[j]:
            j += 1  # end of the vowel group
        k = j
        while k < len(w) and not vow[k]:
            k += 1  # end of the consonant group
        if k >= len(w):
            break  # consonants at the end of the word stay with the last syllable
        cons = w[j:k]
        if len(cons) == 1:
            cut = j
        elif len(cons) == 2:
            cut = j if cons in INSEPARABLE else j + 1
        elif len(cons) == 3:
            cut = j + 1 if cons[1:] in INSEPARABLE else j + 2
        else:
            cut = j + 2
        if "h" in w[cut - 1:cut + 1] and w[cut - 1:cut + 1] != "ch":
            cut = -1  # leave words with an 'h' at the joint alone (des-hacer, al-haja)
        if 2 <= cut <= len(w) - 3:
            points.append(cut)
        i = k
    return points


# ---------------------------------------------------------------- layout

@dataclass
class Line:
    x: float  # mm from the page's left edge
    y: float  # mm from the top (top of the line box)
    text: str
    font: str
    pt: float
    word_mm: float = 0.0  # extra space per inter-word gap (justification)
    align: str = "left"  # "left", "right" or "center" (x is the left, right or centre)
    kind: str = "body"  # "body" (the documents' text) or "furniture" (headers, numbers, headings)


@dataclass
class Page:
    number: int
    style: str
    lines: list[Line] = field(default_factory=list)

    @property
    def truth(self) -> str:
        """The printed text, one printed line a line, in the order the lines were set."""
        return "\n".join(ln.text for ln in self.lines)


@lru_cache(maxsize=None)
def _font(name: str) -> ImageFont.FreeTypeFont:
    if not Path(FONTS[name][2]).exists():  # Chromium would print another font than the one measured
        raise FileNotFoundError(f"{FONTS[name][2]}: install fonts-liberation and fonts-dejavu-extra (make bench)")
    return ImageFont.truetype(FONTS[name][2], 200)  # 200 px = 200 "pt" units at 72 dpi


def width_mm(text: str, font: str, pt: float) -> float:
    return _font(font).getlength(text, features=NO_KERN) / 200 * pt * MM_PER_PT


def break_lines(words: list[str], font: str, pt: float, width: float, first_indent: float,
                hyphenate: bool) -> list[tuple[str, float, bool, list[str]]]:
    """Greedy line breaking: ``[(text, indent, last_of_paragraph, words_left_after_it)]``; a word
    that does not fit is broken at its last syllable boundary that fits when ``hyphenate``."""
    out = []
    cur: list[str] = []
    indent = first_indent
    rest = list(words)
    budget = 0.985 * width  # Chromium's shaping may be a hair wider than the measure
    while rest:
        w = rest.pop(0)
        trial = " ".join(cur + [w])
        if width_mm(trial, font, pt) <= budget - indent or not cur:
            cur.append(w)
            continue
        if hyphenate:
            core = re.match(r"^([a-záéíóúüñ]+)(\W*)$", w)
            if core:
                for p in reversed(hyphen_points(core.group(1))):
                    head = w[:p] + "-"
                    if width_mm(" ".join(cur + [head]), font, pt) <= budget - indent:
                        cur.append(head)
                        w = w[p:]
                        break
        out.append((" ".join(cur), indent, False, [w] + rest))
        cur, indent = [w], 0.0
    if cur:
        out.append((" ".join(cur), indent, True, []))
    return out


def _justify(text: str, font: str, pt: float, width: float) -> float:
    gaps = text.count(" ")
    if not gaps:
        return 0.0
    extra = (width - width_mm(text, font, pt)) / gaps
    return max(0.0, min(extra, 4.0))


STYLES = ("es-t3", "ep-b1", "mx-memoria", "ar-numbered")


def _pubno(style: str, rng: random.Random) -> str:
    if style == "es-t3":
        d = rng.randrange(900000, 999999)
        return f"ES 2 {str(d)[:3]} {str(d)[3:]} T3"
    if style == "ep-b1":
        d = rng.randrange(3000000, 3999999)
        return f"EP {str(d)[0]} {str(d)[1:4]} {str(d)[4:]} B1"
    if style == "mx-memoria":
        return f"MX/a/2026/{rng.randrange(1000, 19999):06d}"
    return f"AR{rng.randrange(120000, 135000)} A1"


class _Feed:
    """Paragraphs in order across pages; a paragraph cut at a page end continues on the next."""

    def __init__(self, paragraphs: list[str]):
        self.paras = list(paragraphs)
        self.cont: list[str] | None = None  # words left of a paragraph cut at a page end
        self.counter = 0  # paragraph number for [0001] styles

    def next(self) -> tuple[list[str], bool]:
        """Words of the next (part of a) paragraph and whether it starts a paragraph."""
        if self.cont:
            words, self.cont = self.cont, None
            return words, False
        if not self.paras:
            raise StopIteration
        self.counter += 1
        return self.paras.pop(0).split(), True


def _column(feed: _Feed, lines: list[Line], x: float, y0: float, width: float, bottom: float,
            font: str, pt: float, lead: float, *, indent: float, para_gap: float, numbering: str,
            hyphenate: bool, justify: bool) -> list[float]:
    """Fill one column; returns the y of each body line set (for the line numbers)."""
    ys = []
    y = y0
    while y + lead <= bottom:
        try:
            words, starts = feed.next()
        except StopIteration:
            break
        if starts and numbering == "para":
            words = [f"[{feed.counter:04d}]"] + words
        elif starts and numbering == "claims":
            words = [f"{feed.counter}."] + words
        broken = break_lines(words, font, pt, width, indent if starts else 0.0, hyphenate)
        room = int((bottom - y) // lead)
        if len(broken) > room:
            # keep what fits; the words left (a broken word's second half first) go on next
            feed.cont = broken[room - 1][3]
            broken = broken[:room]
        for text, ind, last, _ in broken:
            extra = _justify(text, font, pt, width - ind) if justify and not last else 0.0
            lines.append(Line(x + ind, y, text, font, pt, extra))
            ys.append(y)
            y += lead
        if feed.cont is not None:
            break
        y += para_gap
    return ys


def _line_numbers(lines: list[Line], ys: list[float], x: float, font: str, pt: float, align: str) -> None:
    for k, y in enumerate(ys, start=1):
        if k % 5 == 0:
            lines.append(Line(x, y, str(k), font, pt, 0.0, align, "furniture"))


def source_paragraphs(seed: int = SEED) -> list[str]:
    """The paragraphs in the order the pages of a seed set them (from a drawn start, wrapping)."""
    rng = random.Random(seed)
    paras = [p for _, ps in documents() for p in ps]
    start = rng.randrange(len(paras))
    return (paras[start:] + paras[:start]) * 4  # a long run wraps round the text


def typeset(n: int, seed: int = SEED) -> list[Page]:
    """``n`` pages laid out from the text file; the same for a seed."""
    rng = random.Random(seed)
    rng.randrange(len([p for _, ps in documents() for p in ps]))  # the start source_paragraphs drew
    paras = source_paragraphs(seed)
    feed = _Feed(paras)
    pages = []
    order = []
    while len(order) < n:  # each style as often as the others, in a drawn order
        order += rng.sample(STYLES, len(STYLES))
    for number, style in enumerate(order[:n], start=1):
        page = Page(number, style)
        pub = _pubno(style, rng)
        L = page.lines
        if style == "es-t3":
            pt = rng.choice((10.5, 11.0, 11.5))
            lead = pt * MM_PER_PT * rng.uniform(1.45, 1.6)
            L.append(Line(105, 12, pub, "sans-bold", 11, align="center", kind="furniture"))
            feed.counter = 0
            ys = _column(feed, L, 32, 26, 150, 275, "sans", pt, lead, indent=8.0, para_gap=lead * 0.5,
                         numbering="none", hyphenate=rng.random() < 0.6, justify=True)
            _line_numbers(L, ys, 22, "sans", 9, "right")
            L.append(Line(105, 282, str(number + rng.randrange(1, 4)), "sans", 10, align="center", kind="furniture"))
        elif style == "ep-b1":
            pt = rng.choice((9.0, 9.5, 10.0))
            lead = pt * MM_PER_PT * rng.uniform(1.3, 1.4)
            L.append(Line(20, 12, pub, "serifc-bold", 10, kind="furniture"))
            L.append(Line(105, 12, str(number + 1), "serifc", 10, align="center", kind="furniture"))
            ys_all = []
            for col, cx in enumerate((20, 112)):
                ys_all.append(_column(feed, L, cx, 24, 78, 280, "serifc", pt, lead, indent=0.0,
                                      para_gap=lead * 0.4, numbering="para", hyphenate=True, justify=True))
            _line_numbers(L, max(ys_all, key=len), 105, "serifc", 8, "center")
        elif style == "mx-memoria":
            pt = rng.choice((11.0, 12.0))
            lead = pt * MM_PER_PT * rng.uniform(1.8, 2.0)
            L.append(Line(190, 10, pub, "narrow", 10, align="right", kind="furniture"))
            y0 = 22
            if rng.random() < 0.5:
                L.append(Line(105, 20, "MEMORIA DESCRIPTIVA", "narrow-bold", 13, align="center", kind="furniture"))
                y0 = 32
                feed.counter = 0
            _column(feed, L, 25, y0, 165, 278, "narrow", pt, lead, indent=0.0, para_gap=0.0,
                    numbering="para", hyphenate=False, justify=rng.random() < 0.5)
            L.append(Line(190, 285, f"{number}/{n}", "narrow", 10, align="right", kind="furniture"))
        else:
            pt = rng.choice((10.0, 10.5, 11.0))
            lead = pt * MM_PER_PT * rng.uniform(1.35, 1.5)
            y0 = 20
            if rng.random() < 0.5:
                L.append(Line(105, 18, "REIVINDICACIONES", "serif-bold", 12, align="center", kind="furniture"))
                y0 = 30
                feed.counter = 0
            _column(feed, L, 28, y0, 157, 276, "serif", pt, lead, indent=0.0, para_gap=lead * 0.6,
                    numbering="claims", hyphenate=rng.random() < 0.5, justify=True)
            L.append(Line(28, 284, pub, "serif", 9, kind="furniture"))
            L.append(Line(182, 284, f"Pág. {number}", "serif", 9, align="right", kind="furniture"))
        pages.append(page)
    return pages


# ---------------------------------------------------------------- HTML, PDF, raster

CSS = """@page { size: 210mm 297mm; margin: 0 }
html, body { margin: 0; padding: 0 }
.p { position: relative; width: 210mm; height: 297mm; overflow: hidden; page-break-after: always;
     break-after: page }
.t { position: absolute; white-space: pre; line-height: 1.15; font-kerning: none;
     font-variant-ligatures: none; font-feature-settings: "kern" 0, "liga" 0, "clig" 0, "calt" 0;
     color: #000 }
"""


def html(pages: list[Page]) -> str:
    """One HTML document, a page a ``div.p``, a printed line a ``div.t`` (in the truth's order)."""
    out = ['<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><style>', CSS, "</style></head><body>"]
    for page in pages:
        out.append(f'<div class="p" data-style="{page.style}">')
        for ln in page.lines:
            family, stretch, path = FONTS[ln.font]
            weight = "bold" if "Bold" in path else "normal"
            pos = f"top:{ln.y:.2f}mm;"
            if ln.align == "left":
                pos += f"left:{ln.x:.2f}mm;"
            elif ln.align == "right":
                pos += f"right:{210 - ln.x:.2f}mm;text-align:right;"
            else:
                pos += f"left:{ln.x - 60:.2f}mm;width:120mm;text-align:center;"
            out.append(f'<div class="t" style="{pos}font-family:\'{family}\';font-stretch:{stretch};'
                       f'font-weight:{weight};font-size:{ln.pt}pt;word-spacing:{ln.word_mm:.3f}mm">'
                       f"{escape(ln.text, quote=False)}</div>")
        out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out)


def print_pdf(doc: str, pdf: Path) -> Path:
    """Headless Chromium prints the HTML to ``pdf`` (no header or footer, a throw-away profile)."""
    with tempfile.TemporaryDirectory(prefix="sealed-es2-") as tmp:
        src = Path(tmp) / "pages.html"
        src.write_text(doc, encoding="utf-8")
        cmd = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--no-pdf-header-footer", "--print-to-pdf-no-header",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}", src.as_uri()]
        env = {**os.environ, "HOME": tmp}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise RuntimeError(f"chromium printed nothing: {proc.stderr[-2000:]}")
    return pdf


def rasterise(pdf: Path, dpi: int) -> list[np.ndarray]:
    with tempfile.TemporaryDirectory(prefix="sealed-es2-r") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/p"], check=True,
                       capture_output=True)
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [np.array(Image.open(f).convert("L")) for f in files]


def pdf_words(pdf: Path) -> list[list[str]]:
    """Words of each PDF page as ``pdftotext -bbox`` finds them, top to bottom (for the check that
    the truth is what was printed)."""
    from html import unescape

    xml = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    out = []
    for page in re.findall(r"<page .*?</page>", xml, re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</word>', page)
        out.append([unescape(w) for _, _, w in words])
    return out


# ---------------------------------------------------------------- scanner models

def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: int, amp: float) -> np.ndarray:
    h, w = shape
    small = rng.normal(0, amp, (cells, max(2, cells * w // h)))
    return np.asarray(Image.fromarray(small.astype(np.float32), mode="F").resize((w, h), Image.BICUBIC))


def _geometry(img: Image.Image, rng: np.random.Generator, max_deg: float) -> Image.Image:
    """Skew, a slight paper-feed stretch and an offset of the sheet on the glass."""
    w, h = img.size
    angle = float(rng.uniform(-max_deg, max_deg))
    stretch = float(rng.uniform(0.996, 1.004))
    dx, dy = float(rng.uniform(-15, 15)), float(rng.uniform(-15, 15))
    img = img.transform((w, h), Image.AFFINE, (1, 0, dx, 0, 1 / stretch, dy), resample=Image.BICUBIC, fillcolor=255)
    return img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)


def scan_office(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Bilevel 300-dpi office scan of a grey rendering at 300 dpi (see the module docstring)."""
    img = _geometry(Image.fromarray(grey), rng, 0.9)
    img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 0.9))))
    a = np.asarray(img, dtype=np.float32) / 255.0
    ink = 1.0 - a
    ink *= 1.0 + _smooth_field(rng, a.shape, 6, 0.12)  # uneven toner
    a = 1.0 - ink
    a += rng.normal(0, 0.05, a.shape).astype(np.float32)  # sensor noise
    a += _smooth_field(rng, a.shape, 4, 0.03)
    out = np.where(a < float(rng.uniform(0.50, 0.62)), 0, 255).astype(np.uint8)
    h, w = out.shape
    for _ in range(int(rng.poisson(120))):  # dust specks
        y, x, r = int(rng.integers(0, h)), int(rng.integers(0, w)), int(rng.integers(1, 3))
        out[max(0, y - r):y + r, max(0, x - r):x + r] = 0
    if rng.random() < 0.35:  # lid shadow along one edge
        band = int(rng.integers(8, 35))
        edge = rng.normal(0, 4, h).cumsum() * 0.05
        cols = np.clip(band + edge, 2, 60).astype(int)
        side = int(rng.integers(0, 2))
        for y in range(h):
            if side:
                out[y, w - cols[y]:] = 0
            else:
                out[y, :cols[y]] = 0
    return out


def scan_poor(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A grey 200-dpi JPEG of a rendering at 200 dpi: uneven light, defocus, noise."""
    img = _geometry(Image.fromarray(grey), rng, 2.2)
    img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.9, 1.4))))
    a = np.asarray(img, dtype=np.float32) / 255.0
    h, w = a.shape
    paper, ink = float(rng.uniform(0.86, 0.95)), float(rng.uniform(0.12, 0.28))
    a = ink + (paper - ink) * a
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx = float(rng.uniform(0.2, 0.8)) * h, float(rng.uniform(0.2, 0.8)) * w
    vignette = 1.0 - float(rng.uniform(0.2, 0.4)) * (((yy - cy) / h) ** 2 + ((xx - cx) / w) ** 2) * 2
    ramp = 1.0 - float(rng.uniform(0.0, 0.2)) * (xx / w if rng.random() < 0.5 else yy / h)
    a = a * vignette * ramp
    a += rng.normal(0, 0.035, a.shape).astype(np.float32) + _smooth_field(rng, a.shape, 5, 0.02)
    buf = io.BytesIO()
    Image.fromarray(np.clip(a * 255, 0, 255).astype(np.uint8)).save(buf, format="JPEG",
                                                                      quality=int(rng.integers(40, 61)))
    return np.array(Image.open(io.BytesIO(buf.getvalue())).convert("L"))


def pages(n: int, level: str, seed: int = SEED, keep_pdf: Path | None = None):
    """``n`` scanned pages ``(image, dpi, truth text)``; the same for a seed."""
    laid = typeset(n, seed)
    dpi = 300 if level == "office" else 200
    with tempfile.TemporaryDirectory(prefix="sealed-es2-pdf") as tmp:
        pdf = print_pdf(html(laid), Path(tmp) / "pages.pdf")
        if keep_pdf is not None:
            shutil.copyfile(pdf, keep_pdf)
        rasters = rasterise(pdf, dpi)
    if len(rasters) != len(laid):
        raise RuntimeError(f"{len(rasters)} printed pages for {len(laid)} laid out")
    nrng = np.random.default_rng([seed, 0 if level == "office" else 1])
    for page, grey in zip(laid, rasters):
        img = scan_office(grey, nrng) if level == "office" else scan_poor(grey, nrng)
        yield img, dpi, page.truth


def raw_check(n: int, levels: tuple[str, ...], work: Path, jobs: int) -> dict[str, float]:
    """Pairing check with the raw engine only (never digitize): builds the pages as
    ``spanish.py --part sealed2`` does, reads them with ``tesseract -l spa`` and prints each page's
    order-free word error against its truth; returns the error per level."""
    import spanish
    from digitize.evaluate import evaluate

    result = {}
    for level in levels:
        folder = work / f"sealed2-{level}"
        images = spanish.build("sealed2", level, n, folder)
        spanish.run_raw(images, folder / "tesseract", jobs)
        ev = evaluate(folder / "tesseract", folder / "truth")
        for u in sorted(ev.units, key=lambda u: u.name):
            print(f"  {u.name:<24} raw {u.owe:.4f}{'  LOOK' if u.owe > 0.1 else ''}")
        result[level] = ev.overall()["owe"]
        print(f"sealed2 {level}: {len(ev.units)} pages, raw tesseract -l spa OWE {result[level]:.4f}", flush=True)
    return result


if __name__ == "__main__":
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    ap = argparse.ArgumentParser(description="sealed2 pages: pairing check with the raw tesseract CLI only")
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--levels", default="office,poor")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(__file__).resolve().parents[1] / "build" / "bench-work" / "sealed2-raw")
    a = ap.parse_args()
    raw_check(a.pages, tuple(a.levels.split(",")), a.work, a.jobs)
