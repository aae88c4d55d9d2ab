"""The third sealed Spanish page set for ``bench/spanish.py --part sealed3``: run only to report.

Built after ``sealed`` and ``sealed2`` were seen; it shares neither text nor code with them:

* **Text**: Spanish patent prose as patent offices print it: descriptions, abstracts and claims
  of OEPM utility models and patents (ES U, ES B1, ES A1, ES T3), an IMPI application (MX A) and
  PCT applications filed in Spanish by Spanish applicants (mechanical, hydraulic, electrical,
  chemical inventions; reference numerals such as ``(12)``, claim references, ``desagüe``,
  ``cigüeñal``). Transcribed from stored public pages that reproduce the published documents
  (patentados.com, patentes-y-marcas.com, Google Patents, sumobrain, docplayer/scribd copies of
  OEPM publications), each named with its publication number and address in
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es3_patentes.txt`` (not committed); excerpts only, cut at the last complete sentence
  (3,500 words, 27 documents). Patent publications are official documents made public for
  dissemination; the file keeps their source on every block. Not ES 2993312 T1, not
  manpages-es, not the BOE texts of ``sealed2``. The text stream is shorter than 24 pages, so it
  is read round (a page starts where the one before stopped): a paragraph may be printed on two
  pages, in two different layouts.
* **Typesetting**: fpdf2 writes a PDF (TrueType fonts embedded, every word placed at a position
  computed here from the font's advance widths: justified lines spread their spaces), PDFium
  (``pypdfium2``) rasterises it. Neither Chromium (``sealed2``) nor PIL (``digitize.synth``). Four
  layouts drawn per page, as AR INPI and MX IMPI publications print descriptions and claims:
  an INPI-like *memoria descriptiva* page (Liberation Serif 11-12 pt, justified with Spanish
  syllable hyphenation, line numbers every five lines in the left margin, ``AR 1xxxxx A1``
  header, ``Pág. n`` centred below); an IMPI-like page (DejaVu Sans 9.5-10.5 pt, ragged right, wide
  leading, ``[0012]`` paragraph numbers, ``MX/a/2025/0xxxxx`` header, ``Hoja n de m`` footer);
  a two-column page (Liberation Sans Narrow 9-10 pt, justified and hyphenated, line numbers in
  the gutter); a claims page (DejaVu Serif or Liberation Serif 10-11 pt, ``REIVINDICACIONES``,
  numbered claims). Headings are printed in capitals, on some pages without their accents
  (``DESCRIPCION``); the truth has them as printed. The truth is the printed text: header,
  lines in reading order (left column first), footer, then the margin numbers; a word broken at a
  line end keeps its ``-`` and ``evaluate`` joins it with the next line's first word.
* **Scanner**: ``office``: 300 dpi; skew up to 0.7 degrees and a shift, a blur, a slowly varying
  threshold (toner and lamp drift), noise, on some pages spread or thin strokes, a few dust
  specks and, on one page in five, a one-pixel scanner streak; bilevel 0/255, saved by
  ``spanish.py`` as CCITT G4 TIFF. ``poor``: rendered at 200 dpi; skew up to 1.6 degrees, grey
  ink on grey paper, a lamp gradient and a binding shadow along one edge, defocus, noise, a JPEG
  round trip at quality 30-45 (``spanish.py`` then saves it as JPEG at quality 90).

Deterministic from ``SEED``: the same text, layout and pixels each time; the layout depends on
the seed and the page only, so both levels show the same pages.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import cv2
import numpy as np

# The text is not committed: the publications' copyright is their applicants' and the copies were
# read from third-party sites, so it lives beside the real scans (not in git), like their images.
DATA = (Path(os.environ.get("DIGITIZE_REAL_SETS", Path(__file__).resolve().parents[1] / "build" / "real-sets"))
        / "spanish-patent-text" / "sealed_es3_patentes.txt")
SEED = 30_2026_3
FONTS = Path("/usr/share/fonts/truetype")
FACES = {
    "serif": FONTS / "liberation" / "LiberationSerif-Regular.ttf",
    "sans": FONTS / "dejavu" / "DejaVuSans.ttf",
    "narrow": FONTS / "liberation" / "LiberationSansNarrow-Regular.ttf",
    "dserif": FONTS / "dejavu" / "DejaVuSerif.ttf",
}
PAGE_W, PAGE_H = 210.0, 297.0  # mm, A4
PT = 25.4 / 72  # mm per point


def paragraphs() -> list[tuple[bool, str]]:
    """The text stream: (is_heading, text) in file order."""
    if not DATA.exists():
        raise SystemExit(f"sealed3: {DATA} is missing (the sealed Spanish patent text of bench/sealed_es3.py)")
    out, cur = [], []
    for line in DATA.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#") or not line.strip():
            if cur:
                out.append((False, " ".join(cur)))
                cur = []
            continue
        if line.startswith("= "):
            if cur:
                out.append((False, " ".join(cur)))
                cur = []
            out.append((True, line[2:].strip()))
        else:
            cur.append(line.strip())
    return out


# ----------------------------------------------------------------------------- hyphenation

_V = set("aeiouáéíóúü")
_KEEP = {"bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "pl", "pr", "tr", "ch", "ll", "rr"}


def _breaks(word: str) -> list[int]:
    """Syllable boundaries of a lowercase Spanish word (indices where a hyphen may go)."""
    w = word.lower()
    out, i, n = [], 0, len(w)
    while i < n and w[i] not in _V:
        i += 1
    while i < n:
        while i < n and w[i] in _V:
            i += 1
        j = i
        while j < n and w[j] not in _V:
            j += 1
        if j >= n:
            break
        c = w[i:j]
        if len(c) == 1:
            out.append(i)
        elif len(c) == 2:
            out.append(i if c in _KEEP else i + 1)
        elif len(c) == 3:
            out.append(i + 1 if c[1:] in _KEEP else i + 2)
        else:
            out.append(i + 2)
        i = j
    return [b for b in out if 2 <= b <= n - 3]


def _split(word: str, fits) -> tuple[str, str] | None:
    """Longest 'head-' of ``word`` that ``fits``; only all-letter lowercase words are broken."""
    m = re.fullmatch(r"([a-záéíóúñü]+)([.,;:)]*)", word)
    if not m or len(m.group(1)) < 6:
        return None
    core = m.group(1)
    for b in reversed(_breaks(core)):
        if fits(core[:b] + "-"):
            return core[:b] + "-", core[b:] + m.group(2)
    return None


# ----------------------------------------------------------------------------- layout


class _Doc:
    """An fpdf2 document and the printed text of its one page."""

    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        for name, path in FACES.items():
            self.pdf.add_font(name, "", str(path))
        self.pdf.add_page()
        self.body: list[str] = []
        self.margin: list[str] = []
        self.top: list[str] = []
        self.bottom: list[str] = []

    def font(self, face: str, size: float) -> None:
        self.pdf.set_font(face, size=size)

    def width(self, s: str) -> float:
        return self.pdf.get_string_width(s)

    def put(self, x: float, y: float, s: str) -> None:
        self.pdf.text(x, y, s)

    def line(self, x: float, y: float, words: list[str], width: float, justify: bool) -> None:
        if justify and len(words) > 1:
            gap = (width - sum(self.width(w) for w in words)) / (len(words) - 1)
            for w in words:
                self.put(x, y, w)
                x += self.width(w) + gap
        else:
            self.put(x, y, " ".join(words))
        self.body.append(" ".join(words))


def _wrap(doc: _Doc, text: str, width: float, hyphenate: bool, first_indent: float = 0.0) -> list[list[str]]:
    lines, cur, avail = [], [], width - first_indent
    words = text.split()
    k = 0
    while k < len(words):
        w = words[k]
        trial = " ".join(cur + [w])
        if doc.width(trial) <= avail:
            cur.append(w)
            k += 1
            continue
        if hyphenate:
            head = _split(w, lambda h: doc.width(" ".join(cur + [h])) <= avail)
            if head:
                cur.append(head[0])
                words[k] = head[1]
        if not cur:  # a word wider than the line: print it anyway
            cur.append(w)
            k += 1
        lines.append(cur)
        cur, avail = [], width
    if cur:
        lines.append(cur)
    return lines


def _caps(text: str, accents: bool) -> str:
    up = text.upper()
    if accents:
        return up
    bare = "".join(c for c in unicodedata.normalize("NFD", up) if unicodedata.category(c) != "Mn" or c == "\u0303")
    return unicodedata.normalize("NFC", bare)


def _column(doc: _Doc, stream, x: float, y0: float, y1: float, width: float, lead: float, st: dict) -> int:
    """Fill one column from ``stream`` (an iterator with ``peek``/``take``); returns lines printed."""
    y, printed = y0, 0
    while True:
        head, text = stream.peek()
        if head:
            if text.lower() == st.get("last_head") or (st.get("claims") and "reivindicac" in text.lower()):
                stream.take()  # the same heading again on one page (or the claims title) is not reprinted
                continue
            if y + 2 * lead > y1:
                break
            st["last_head"] = text.lower()
            doc.font(st["face"], st["size"] + 0.5)
            s = _caps(text, st["accents"])
            doc.put(x + (width - doc.width(s)) / 2 if st["centre_heads"] else x, y, s)
            doc.body.append(s)
            stream.take()
            y += lead * 1.6
            printed += 1
            continue
        doc.font(st["face"], st["size"])
        prefix = ""
        if st["paranum"]:
            st["para"] += 1
            prefix = f"[{st['para']:04d}] "
        lines = _wrap(doc, prefix + text, width, st["hyphen"], st["indent"])
        room = int((y1 - y) // lead)
        if room <= 0:
            if st["paranum"]:
                st["para"] -= 1
            break
        shown = lines[:room]
        if len(lines) > room and len(shown[-1]) > 1 and re.fullmatch(r"[a-záéíóúñü]+-", shown[-1][-1]):
            shown[-1] = shown[-1][:-1]  # a cut paragraph does not end its column on a broken word
        for i, words in enumerate(shown):
            last = i == len(lines) - 1
            dx = st["indent"] if i == 0 else 0.0
            doc.line(x + dx, y, words, width - dx, st["justify"] and not last)
            if st["numbers"] is not None:
                st["count"] += 1
                if st["count"] % 5 == 0:
                    doc.font(st["face"], st["size"] - 1.5)
                    n = str(st["count"])
                    nx = st["numbers"] if st["numbers"] >= 0 else -st["numbers"] - doc.width(n)
                    doc.put(nx, y, n)
                    doc.margin.append(n)
                    doc.font(st["face"], st["size"])
            y += lead
            printed += 1
        if len(lines) > room:
            stream.take()
            break
        stream.take()
        y += lead * st["parskip"]
        if y >= y1:
            break
    return printed


class _Stream:
    def __init__(self, paras: list[tuple[bool, str]], start: int) -> None:
        self.paras, self.i = paras, start

    def peek(self) -> tuple[bool, str]:
        return self.paras[self.i % len(self.paras)]

    def take(self) -> None:
        self.i += 1


def _page(k: int, paras: list[tuple[bool, str]], stream: _Stream) -> tuple[bytes, str]:
    rng = np.random.default_rng([SEED, k])
    style = ("inpi", "impi", "twocol", "claims")[k % 4]
    doc = _Doc()
    st = {"accents": bool(rng.random() < 0.6), "centre_heads": False, "paranum": False,
          "para": int(rng.integers(3, 90)), "count": 0, "numbers": None, "indent": 0.0, "parskip": 0.5,
          "hyphen": False, "justify": True}
    pub = int(rng.integers(100_000, 130_000))
    pageno = int(rng.integers(2, 30))
    if style == "inpi":
        st.update(face="serif", size=float(rng.choice([11.0, 11.5, 12.0])), hyphen=bool(rng.random() < 0.7),
                  numbers=-14.0, indent=8.0, centre_heads=True, parskip=0.3)
        lead = st["size"] * PT * 1.45
        doc.font("serif", 10)
        head = f"AR {pub:06d} A1"
        doc.put(PAGE_W - 22 - doc.width(head), 14, head)
        doc.top.append(head)
        _column(doc, stream, 25, 28, PAGE_H - 24, PAGE_W - 47, lead, st)
        doc.font("serif", 10)
        foot = f"Pág. {pageno}"
        doc.put((PAGE_W - doc.width(foot)) / 2, PAGE_H - 12, foot)
        doc.bottom.append(foot)
    elif style == "impi":
        st.update(face="sans", size=float(rng.choice([9.5, 10.0, 10.5])), justify=False, paranum=True, parskip=0.8)
        lead = st["size"] * PT * float(rng.uniform(1.7, 2.0))
        doc.font("sans", 9)
        head = f"MX/a/2025/{int(rng.integers(1000, 15000)):06d}"
        doc.put(20, 13, head)
        doc.top.append(head)
        _column(doc, stream, 22, 26, PAGE_H - 22, PAGE_W - 44, lead, st)
        doc.font("sans", 9)
        foot = f"Hoja {pageno} de {pageno + int(rng.integers(1, 20))}"
        doc.put(PAGE_W - 22 - doc.width(foot), PAGE_H - 11, foot)
        doc.bottom.append(foot)
    elif style == "twocol":
        st.update(face="narrow", size=float(rng.choice([9.0, 9.5, 10.0])), hyphen=True, parskip=0.4, indent=4.0)
        lead = st["size"] * PT * 1.3
        doc.font("narrow", 10)
        head = f"AR {pub:06d} B1"
        doc.put((PAGE_W - doc.width(head)) / 2, 13, head)
        doc.top.append(head)
        gutter, left = 10.0, 16.0
        colw = (PAGE_W - 2 * left - gutter) / 2
        st["numbers"] = left + colw + 2.0
        _column(doc, stream, left, 24, PAGE_H - 18, colw, lead, st)
        st["numbers"] = None
        _column(doc, stream, left + colw + gutter, 24, PAGE_H - 18, colw, lead, st)
        doc.font("narrow", 9)
        doc.put(left, 13, str(pageno))
        doc.top.insert(0, str(pageno))
    else:
        face = str(rng.choice(["dserif", "serif"]))
        st.update(face=face, size=float(rng.choice([10.0, 10.5, 11.0])), parskip=0.6, claims=True,
                  justify=bool(rng.random() < 0.5), hyphen=bool(rng.random() < 0.4))
        lead = st["size"] * PT * 1.5
        # claims pages start at a claim block when there is one
        for _ in range(len(paras)):
            h, t = stream.peek()
            if re.match(r"\d+\. ", t) or (h and "reivindicac" in t.lower()):
                break
            stream.take()
        if stream.peek()[0]:  # its own "Reivindicaciones" heading: the page title prints it
            stream.take()
        doc.font(face, 12)
        title = "REIVINDICACIONES"
        doc.put((PAGE_W - doc.width(title)) / 2, 30, title)
        doc.body.append(title)
        doc.font(face, 9)
        head = f"AR {pub:06d} A1" if rng.random() < 0.5 else f"MX/a/2024/{int(rng.integers(1000, 15000)):06d}"
        doc.put(20, 13, head)
        doc.top.append(head)
        _column(doc, stream, 24, 42, PAGE_H - 22, PAGE_W - 46, lead, st)
        doc.font(face, 9)
        doc.put(PAGE_W / 2 - 2, PAGE_H - 12, str(pageno))
        doc.bottom.append(str(pageno))
    text = "\n".join(doc.top + doc.body + doc.bottom + doc.margin)
    return bytes(doc.pdf.output()), text


def _raster(pdf: bytes, dpi: int) -> np.ndarray:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        bitmap = doc[0].render(scale=dpi / 72, grayscale=True)
        arr = np.array(bitmap.to_numpy())
    finally:
        doc.close()
    if arr.ndim == 3:
        arr = arr[..., 0]
    return arr.astype(np.uint8)


# ----------------------------------------------------------------------------- scanner


def _skew(img: np.ndarray, deg: float, dx: float, dy: float, fill: int) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    m[:, 2] += (dx, dy)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def _field(rng: np.random.Generator, shape: tuple[int, int], cells: tuple[int, int]) -> np.ndarray:
    small = rng.uniform(-1, 1, cells).astype(np.float32)
    return cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def office(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    g = _skew(img, float(rng.uniform(-0.7, 0.7)), float(rng.uniform(-25, 25)), float(rng.uniform(-20, 20)), 255)
    g = cv2.GaussianBlur(g.astype(np.float32), (0, 0), float(rng.uniform(0.6, 1.0)))
    g += rng.normal(0, float(rng.uniform(6, 12)), g.shape).astype(np.float32)
    stroke = rng.random()
    base = 165.0 if stroke < 0.33 else 135.0 if stroke < 0.66 else 150.0  # spread / thin / plain
    thresh = base + 14.0 * _field(rng, g.shape, (5, 4))
    out = np.where(g < thresh, 0, 255).astype(np.uint8)
    h, w = out.shape
    for _ in range(int(rng.integers(3, 15))):
        y, x, r = int(rng.integers(0, h)), int(rng.integers(0, w)), int(rng.integers(1, 4))
        cv2.circle(out, (x, y), r, 0, -1)
    if rng.random() < 0.2:  # a scanner streak, in a margin (office quality keeps the text clear)
        x = int(rng.integers(w // 60, w // 14)) if rng.random() < 0.5 else int(rng.integers(w - w // 14, w - w // 60))
        out[:, x] = 0
    return out


def poor(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    g = _skew(img, float(rng.uniform(-1.6, 1.6)), float(rng.uniform(-15, 15)), float(rng.uniform(-15, 15)), 255)
    ink, paper = float(rng.uniform(50, 100)), float(rng.uniform(170, 215))
    g = ink + (g.astype(np.float32) / 255.0) * (paper - ink)
    h, w = g.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = float(rng.uniform(0, 2 * np.pi))
    ramp = (np.cos(a) * xx / w + np.sin(a) * yy / h)
    g *= 1.0 - float(rng.uniform(0.15, 0.35)) * (ramp - ramp.min()) / (np.ptp(ramp) + 1e-6)
    edge = xx if rng.random() < 0.5 else (w - 1 - xx)
    g *= 1.0 - float(rng.uniform(0.35, 0.6)) * np.exp(-((edge / (w * float(rng.uniform(0.04, 0.09)))) ** 2))
    g = cv2.GaussianBlur(g, (0, 0), float(rng.uniform(1.0, 1.5)))
    g += rng.normal(0, float(rng.uniform(6, 12)), g.shape).astype(np.float32)
    g = np.clip(g, 0, 255).astype(np.uint8)
    ok, enc = cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 46))])
    return cv2.imdecode(enc, cv2.IMREAD_GRAYSCALE)


def pages(n: int, level: str):
    """Yield ``n`` pages as (grey image, dpi, printed text); ``level`` is ``office`` or ``poor``."""
    if level not in ("office", "poor"):
        raise ValueError(f"level must be office or poor, got {level!r}")
    paras = paragraphs()
    stream = _Stream(paras, int(np.random.default_rng(SEED).integers(0, len(paras))))
    dpi = 300 if level == "office" else 200
    for k in range(n):
        pdf, text = _page(k, paras, stream)
        img = _raster(pdf, dpi)
        rng = np.random.default_rng([SEED, k, 1 if level == "office" else 2])
        yield (office(img, rng) if level == "office" else poor(img, rng)), dpi, text
