"""The eighth sealed Spanish page set for ``bench/spanish.py --part sealed8``: run only to report.

Built after ``sealed`` to ``sealed7`` were seen, by someone who never ran digitize on it; it shares no
code, no text, no document and no publication-number range with them:

* **Text**: ~1,700 words of Spanish patent prose from 16 documents none of the earlier sets used
  (ES T3 translations: descriptions, an abstract set as a claim, the office's notice; ES utility
  models; a 1957 ES patent; PCT applications filed in Spanish, one from Colombia), read from stored
  public copies, each with its number, applicant, title and address, in
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es8_patentes.txt`` (not committed: the text is the
  applicants' and the offices'). A page starts at its own paragraph of the stream and prints each
  paragraph at most once, in its own layout, font, size and line breaking.
* **Typesetting**: hand-made PostScript written here, one program for the whole set, rasterised by
  Ghostscript once per level (``gs -dSAFER -sDEVICE=pnggray``, 300 dpi for ``office``, 200 dpi for
  ``poor``). Lines are filled and justified by this module from the fonts' own advance widths (read
  once with fontTools from the OpenType/TrueType files, or from the Type 1 font's AFM file; no
  kerning on either side): a line of one font is printed with ``widthshow`` (the space widened by the
  line's own amount), a line mixing fonts (a bold ``[0001]`` before the text) word by word with
  explicit ``moveto``s, a spaced title with ``ashow``. Words are broken at line ends at Spanish
  syllable boundaries found by this module (``silabas``) and printed with a hyphen. The fonts are
  made known to gs by a Fontmap written here (``-sFONTMAP``) and reencoded to a Latin-1 vector built
  here (``ñ``, ``ü`` and accents are glyphs of the fonts). Fonts no earlier Spanish set used: EB
  Garamond 12 (Debian ``fonts-ebgaramond``), Lato (``fonts-lato``), URW Gothic (``fonts-urw-base35``).
  Four layouts, body 9-12 pt: an AR INPI-like memoria (A4, one column, ``AR 07xxxx A1`` head over a
  rule, ``[0001]`` paragraphs), an MX IMPI-like page in two columns (letter, ``MX/a/2009/00xxxx``),
  a claims page (``REIVINDICACIONES``, numbered claims) and two columns under a spaced title in
  capitals; headings in capitals, about a third without their accents.
* **Truth**: the lines as typeset, in reading order (head, title, left column, right column, foot);
  a word broken at a line end keeps its ``-`` (``evaluate`` joins it with the next line's word).
* **Scanner** (own model, numpy): ``office``: the 300-dpi grey render sheared a little both ways (a
  skew of up to 0.45 degrees), blurred by a Gaussian of 0.5-0.85 px, paper and toner levels, a
  smooth uneven-toner field and sensor noise, then one threshold: bilevel 0/255 (thin strokes and
  accents as they come), a few specks. ``poor``: the 200-dpi render sheared up to 1.1 degrees,
  defocused (Gaussian 0.9-1.5 px), flattened to low contrast under light falling off across the page,
  noise, a JPEG round trip at quality 30-55 (``spanish.py`` then saves a JPEG at quality 90).

Deterministic from ``SEED``: the layout depends on the page number only (both levels show the same
pages), the pixels on the seed, page and level, for one Ghostscript and font version. Renders are kept
in ``build/sealed-es8-pages/<hash>`` (the hash of the PostScript, this file and ``gs --version``).

    python bench/sealed_es8.py --out DIR [--pages N] [--levels office,poor] [--check]

writes each page's image and truth to DIR/<level>/; ``--check`` reads them with the raw
``tesseract -l spa`` CLI (never digitize) and prints each page's order-free word error against its
truth; ``--verify`` (no OCR at all) extracts the text Ghostscript draws from the PostScript
(``-sDEVICE=txtwrite``) and checks that every page draws exactly the characters of its truth.
Needs ``ghostscript``, ``fonts-ebgaramond``, ``fonts-lato`` and ``fonts-urw-base35``.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

SEED = 8_2026_1208_8
ROOT = Path(__file__).resolve().parents[1]
TEXT = (Path(os.environ.get("DIGITIZE_REAL_SETS", ROOT / "build" / "real-sets"))
        / "spanish-patent-text" / "sealed_es8_patentes.txt")
CACHE = ROOT / "build" / "sealed-es8-pages"
LEVEL_DPI = {"office": 300, "poor": 200}
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)

# PostScript name given in the Fontmap -> the Debian file (and, for Type 1, its AFM)
FONTS = {
    "ES8Garamond": "/usr/share/fonts/opentype/ebgaramond/EBGaramond12-Regular.otf",
    "ES8Lato": "/usr/share/fonts/truetype/lato/Lato-Regular.ttf",
    "ES8LatoBold": "/usr/share/fonts/truetype/lato/Lato-Bold.ttf",
    "ES8Gothic": "/usr/share/fonts/type1/urw-base35/URWGothic-Book.t1",
    "ES8GothicDemi": "/usr/share/fonts/type1/urw-base35/URWGothic-Demi.t1",
}


def _skip(why: str) -> SystemExit:
    return SystemExit(f"sealed8: {why}; skipped")


# ----------------------------------------------------------------------------- the text


@dataclass
class Para:
    doc: int
    number: str
    title: str
    part: str          # resumen | descripcion | reivindicaciones | aviso
    kind: str          # text | head | claim
    text: str


def read_paragraphs() -> list[Para]:
    """The file's paragraphs in order (its own format, told in its header)."""
    if not TEXT.exists():
        raise _skip(f"{TEXT} is missing (the sealed Spanish patent text of bench/sealed_es8.py)")
    out: list[Para] = []
    cur = {"doc": -1, "number": "", "title": "", "part": "descripcion"}
    lines: list[str] = []

    def close() -> None:
        if lines:
            kind = "claim" if cur["part"] == "reivindicaciones" else "text"
            out.append(Para(cur["doc"], cur["number"], cur["title"], cur["part"], kind, " ".join(lines)))
            lines.clear()

    for raw in TEXT.read_text(encoding="utf-8").splitlines():
        s = raw.strip()
        if s.startswith("#") or s.startswith("NOTE "):
            continue
        if s.startswith("DOC "):
            close()
            number, _applicant, title, _address = [x.strip() for x in s[4:].split(" | ", 3)]
            cur.update(doc=cur["doc"] + 1, number=number, title=title, part="descripcion")
        elif s.startswith("PART "):
            close()
            cur["part"] = s[5:].strip()
        elif s.startswith("HEAD "):
            close()
            out.append(Para(cur["doc"], cur["number"], cur["title"], cur["part"], "head", s[5:].strip()))
        elif s:
            lines.append(s)
        else:
            close()
    close()
    if not out:
        raise _skip(f"{TEXT} holds no paragraph")
    for p in out:
        bad = {c for c in p.text + p.title if ord(c) > 255}
        if bad:
            raise SystemExit(f"sealed8: characters outside Latin-1 in the text: {sorted(bad)}")
    return out


# ----------------------------------------------------------------------------- Spanish syllables

_V = "aeiouáéíóúü"
_CLUSTERS = ("bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "pl", "pr", "tr")


def _units(word: str) -> list[tuple[str, bool]]:
    """The word as (letters, is_vowel) units: ch, ll, rr are one consonant; the u of que/qui/gue/gui
    belongs to its consonant; y at the end of a word or before a consonant counts as a vowel."""
    w = word.lower()
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(w):
        two = w[i:i + 2]
        if two in ("ch", "ll", "rr"):
            out.append((word[i:i + 2], False))
            i += 2
        elif two in ("qu", "gu") and i + 2 < len(w) and w[i + 2] in "eéií":
            out.append((word[i:i + 2], False))
            i += 2
        elif w[i] == "y" and (i + 1 == len(w) or w[i + 1] not in _V):
            out.append((word[i], i > 0))
            i += 1
        else:
            out.append((word[i], w[i] in _V))
            i += 1
    return out


def silabas(word: str) -> list[int]:
    """Offsets in ``word`` where a new syllable starts with a consonant (the places a Spanish
    typesetter may break it): one consonant goes with the next vowel, two are split unless they
    are an onset (pr, bl, tr ...), of three or four the last two stay together when they are an
    onset, else only the last one moves. Vowel runs (diphthongs, hiatus) are never cut."""
    units = _units(word)
    pos, at = [], 0
    for u, _ in units:
        pos.append(at)
        at += len(u)
    cuts: list[int] = []
    i = 0
    while i < len(units) and not units[i][1]:
        i += 1
    while i < len(units):
        while i < len(units) and units[i][1]:
            i += 1
        j = i
        while j < len(units) and not units[j][1]:
            j += 1
        if j >= len(units) or j == i:
            break
        run = [units[k][0].lower() for k in range(i, j)]
        n = len(run)
        if n == 1:
            k = i
        elif n == 2:
            k = i if run[0] + run[1] in _CLUSTERS else i + 1
        else:
            k = j - 2 if run[-2] + run[-1] in _CLUSTERS else j - 1
        cuts.append(pos[k])
        i = j
    return cuts


def break_points(token: str) -> list[int]:
    """Where ``token`` (a printed word, maybe with punctuation around it) may be broken: inside
    its letters only, two letters at least on each side; none for numbers, capitals-only words,
    references such as (12), or words joined by a hyphen or a slash."""
    m = re.fullmatch(r"([(«\"]?)([A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+)([)»\".,;:]*)", token)
    if not m:
        return []
    lead, word = m.group(1), m.group(2)
    if len(word) < 5 or (len(word) > 1 and word[1:].upper() == word[1:]):
        return []
    return [len(lead) + c for c in silabas(word) if 2 <= c <= len(word) - 2]


# ----------------------------------------------------------------------------- metrics


_NAMES = {i: n for i, n in enumerate(
    "space exclam quotedbl numbersign dollar percent ampersand quotesingle parenleft parenright asterisk "
    "plus comma hyphen period slash zero one two three four five six seven eight nine colon semicolon less "
    "equal greater question at A B C D E F G H I J K L M N O P Q R S T U V W X Y Z bracketleft backslash "
    "bracketright asciicircum underscore grave a b c d e f g h i j k l m n o p q r s t u v w x y z braceleft "
    "bar braceright asciitilde".split(), start=32)}
_NAMES.update({i: n for i, n in enumerate(
    "space exclamdown cent sterling currency yen brokenbar section dieresis copyright ordfeminine "
    "guillemotleft logicalnot hyphen registered macron degree plusminus twosuperior threesuperior acute mu "
    "paragraph periodcentered cedilla onesuperior ordmasculine guillemotright onequarter onehalf "
    "threequarters questiondown Agrave Aacute Acircumflex Atilde Adieresis Aring AE Ccedilla Egrave Eacute "
    "Ecircumflex Edieresis Igrave Iacute Icircumflex Idieresis Eth Ntilde Ograve Oacute Ocircumflex Otilde "
    "Odieresis multiply Oslash Ugrave Uacute Ucircumflex Udieresis Yacute Thorn germandbls agrave aacute "
    "acircumflex atilde adieresis aring ae ccedilla egrave eacute ecircumflex edieresis igrave iacute "
    "icircumflex idieresis eth ntilde ograve oacute ocircumflex otilde odieresis divide oslash ugrave uacute "
    "ucircumflex udieresis yacute thorn ydieresis".split(), start=160)})


class Metrics:
    """Advance widths in 1/1000 em of the Latin-1 characters of every font (read once)."""

    def __init__(self) -> None:
        self.widths: dict[str, dict[str, float]] = {}
        for name, path in FONTS.items():
            if not Path(path).exists():
                raise _skip(f"font {path} is missing (fonts-ebgaramond, fonts-lato, fonts-urw-base35)")
            self.widths[name] = self._afm(path) if path.endswith(".t1") else self._sfnt(path)

    @staticmethod
    def _sfnt(path: str) -> dict[str, float]:
        import logging

        from fontTools.ttLib import TTFont

        logging.getLogger("fontTools").setLevel(logging.ERROR)   # Lato's head.created is 0: a warning only
        font = TTFont(path, lazy=True)
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        upem = font["head"].unitsPerEm
        out = {}
        for code in _NAMES:
            glyph = cmap.get(code)
            if glyph is not None:
                out[chr(code)] = hmtx[glyph][0] * 1000.0 / upem
        return out

    @staticmethod
    def _afm(path: str) -> dict[str, float]:
        by_name = {}
        for line in Path(path).with_suffix(".afm").read_text(encoding="latin-1").splitlines():
            if line.startswith("C "):
                fields = dict(f.strip().split(" ", 1) for f in line.split(";") if f.strip() and " " in f.strip())
                by_name[fields["N"]] = float(fields["WX"])
        return {chr(code): by_name[n] for code, n in _NAMES.items() if n in by_name}

    def width(self, font: str, text: str, size: float) -> float:
        table = self.widths[font]
        missing = [c for c in text if c not in table]
        if missing:
            raise SystemExit(f"sealed8: {font} has no glyph for {missing!r}")
        return sum(table[c] for c in text) * size / 1000.0


# ----------------------------------------------------------------------------- line filling


@dataclass
class Word:
    text: str
    font: str


@dataclass
class Line:
    words: list[Word]
    x: float
    width: float           # the measure it is set to
    justify: bool
    font: str
    size: float
    y: float = 0.0


def fill(words: list[Word], size: float, width: float, first_indent: float, met: Metrics, hyphen_room: float,
         justify: bool = True) -> list[Line]:
    """First-fit line filling; a word that does not fit is broken at its last syllable boundary
    that fits (with its hyphen) when the line would otherwise be left short by more than
    ``hyphen_room`` spaces. Every line but the last is justified when ``justify``."""
    lines: list[Line] = []
    cur: list[Word] = []
    used = 0.0
    queue = list(words)
    indent = first_indent
    space = {}

    def sp(font: str) -> float:
        if font not in space:
            space[font] = met.width(font, " ", size)
        return space[font]

    while queue:
        w = queue.pop(0)
        measure = width - indent
        need = met.width(w.font, w.text, size) + (sp(w.font) if cur else 0.0)
        if used + need <= measure + 0.01 or not cur:
            cur.append(w)
            used += need
            continue
        room = measure - used - sp(w.font)
        if room > hyphen_room * sp(w.font):
            for cut in reversed(break_points(w.text)):
                head = w.text[:cut] + "-"
                if met.width(w.font, head, size) <= room:
                    cur.append(Word(head, w.font))
                    queue.insert(0, Word(w.text[cut:], w.font))
                    break
            else:
                queue.insert(0, w)
        else:
            queue.insert(0, w)
        lines.append(Line(cur, indent, measure, justify, cur[-1].font, size))
        cur, used, indent = [], 0.0, 0.0
    if cur:
        lines.append(Line(cur, indent, width - indent, False, cur[-1].font, size))
    return lines


# ----------------------------------------------------------------------------- PostScript


def _ps_string(s: str) -> str:
    out = []
    for b in s.encode("latin-1"):
        c = chr(b)
        out.append("\\" + c if c in "()\\" else c if 32 <= b < 127 else f"\\{b:03o}")
    return "(" + "".join(out) + ")"


PROLOGUE = """%!PS-Adobe-3.0
%%Title: sealed8 Spanish pages
/ES8vec 256 array def
0 1 255 {{ ES8vec exch /.notdef put }} for
{vec}
/ES8latin {{ % /new /base
  findfont dup length dict begin
    {{ 1 index /FID ne {{ def }} {{ pop pop }} ifelse }} forall
    /Encoding ES8vec def
  currentdict end definefont pop
}} bind def
{fonts}
/F {{ exch findfont exch scalefont setfont }} bind def
"""


def prologue() -> str:
    vec = "\n".join(f"ES8vec {code} /{name} put" for code, name in sorted(_NAMES.items()))
    fonts = "\n".join(f"/{n}-L /{n} ES8latin" for n in FONTS)
    return PROLOGUE.format(vec=vec, fonts=fonts)


def line_ps(line: Line, met: Metrics) -> str:
    """One printed line: ``widthshow`` when it is of one font, word by word otherwise."""
    size = line.size
    fonts = {w.font for w in line.words}
    natural = sum(met.width(w.font, w.text, size) for w in line.words)
    gaps = len(line.words) - 1
    spaces = sum(met.width(w.font, " ", size) for w in line.words[1:])
    extra = (line.width - natural - spaces) / gaps if line.justify and gaps else 0.0
    x0 = line.x
    if len(fonts) == 1:
        font = line.words[0].font
        text = " ".join(w.text for w in line.words)
        return (f"/{font}-L {size:.2f} F {x0:.2f} {line.y:.2f} moveto {extra:.3f} 0 32 "
                f"{_ps_string(text)} widthshow")
    parts, x, last = [], x0, None
    for w in line.words:
        if w.font != last:
            parts.append(f"/{w.font}-L {size:.2f} F")
            last = w.font
        parts.append(f"{x:.2f} {line.y:.2f} moveto {_ps_string(w.text)} show")
        x += met.width(w.font, w.text, size) + met.width(w.font, " ", size) + extra
    return " ".join(parts)


# ----------------------------------------------------------------------------- layouts

LAYOUTS = ("ar-memoria", "mx-dos-columnas", "reivindicaciones", "titulo-dos-columnas")


def layout_of(k: int) -> str:
    """Pages 1-24 show each layout six times, in an order drawn once from the seed."""
    order = np.random.default_rng([SEED, 101]).permutation(np.repeat(np.arange(4), 6))
    return LAYOUTS[int(order[k % 24])]


def _plain(s: str) -> str:
    """Capitals without their accents (Ñ and Ü kept), as some offices print headings."""
    s = s.replace("Ñ", "\0").replace("Ü", "\1")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", s.replace("\0", "Ñ").replace("\1", "Ü"))


@dataclass
class Page:
    number: int
    kind: str
    paper: tuple[float, float]
    lines: list[Line] = field(default_factory=list)      # in reading order
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    truth: list[str] = field(default_factory=list)


def compose(k: int, paras: list[Para], total: int, met: Metrics) -> Page:
    """Page ``k`` (0-based): its lines placed, its truth in reading order."""
    rng = np.random.default_rng([SEED, k, 7])
    kind = layout_of(k)
    plain = bool(rng.random() < 0.33)
    caps = (lambda s: _plain(s.upper())) if plain else (lambda s: s.upper())
    if kind == "ar-memoria":
        paper, body, bold, cols = A4, "ES8Garamond", "ES8LatoBold", 1
        size = float(rng.choice([11.0, 11.5, 12.0]))
    elif kind == "mx-dos-columnas":
        paper, body, bold, cols = LETTER, "ES8Lato", "ES8LatoBold", 2
        size = float(rng.choice([9.0, 9.5]))
    elif kind == "reivindicaciones":
        paper, body, bold, cols = (A4 if rng.random() < 0.5 else LETTER), "ES8Gothic", "ES8GothicDemi", 1
        size = float(rng.choice([10.0, 10.5, 11.0]))
    else:
        paper, body, bold, cols = LETTER, "ES8Garamond", "ES8GothicDemi", 2
        size = float(rng.choice([10.0, 10.5]))
    w, h = paper
    left = float(rng.uniform(62, 78)) if cols == 1 else float(rng.uniform(46, 56))
    right = float(rng.uniform(56, 70)) if cols == 1 else left
    gutter = float(rng.uniform(15, 22))
    col_w = (w - left - right - gutter * (cols - 1)) / cols
    lead = size * float(rng.uniform(1.22, 1.38)) * (1.35 if kind == "reivindicaciones" else 1.0)
    hyphen_room = float(rng.uniform(0.6, 2.5))
    page = Page(k + 1, kind, paper)

    # running head: the publication number left, the sheet right; a rule under it
    if kind in ("ar-memoria", "reivindicaciones") and paper == A4:
        pub = f"AR 07{int(rng.integers(1000, 9999))} A1"
        sheet = f"Acta Nº P2009010{int(rng.integers(1000, 9999))}"
    else:
        pub = f"MX/a/{int(rng.choice([2008, 2009, 2010]))}/00{int(rng.integers(2000, 8999))}"
        sheet = f"Hoja {k + 1} de {total}"
    head_y = h - 46.0
    head_font = "ES8LatoBold" if body != "ES8Lato" else "ES8GothicDemi"
    hl = Line([Word(t, head_font) for t in pub.split()], left, 0, False, head_font, 9.0, head_y)
    sw = met.width("ES8Lato", sheet, 8.5)
    hr = Line([Word(t, "ES8Lato") for t in sheet.split()], w - right - sw, sw, False, "ES8Lato", 8.5, head_y)
    page.lines += [hl, hr]
    page.truth.append(pub + " " + sheet)
    page.rules.append((left, head_y - 7.0, w - right, float(rng.uniform(0.4, 0.9))))
    top = h - float(rng.uniform(84, 98))
    bottom = float(rng.uniform(62, 78))

    if kind == "titulo-dos-columnas":
        titled = [p for p in paras if p.title]
        doc_title = titled[int(rng.integers(0, len(titled)))].title if titled else "Reivindicaciones"
        tsize = size * 1.25
        tr = float(rng.uniform(0.4, 1.2))                  # letter spacing, points
        tlines = fill([Word(t, bold) for t in caps(doc_title).split()], tsize, w - left - right - 40, 0.0, met,
                      99.0, justify=False)
        y = top
        for ln in tlines:
            natural = met.width(bold, " ".join(x.text for x in ln.words), tsize)
            n = len(" ".join(x.text for x in ln.words))
            ln.x = left + (w - left - right - natural - tr * n) / 2
            ln.y = y
            ln.justify = False
            ln.width = -tr                                   # marks an ashow line
            page.lines.append(ln)
            page.truth.append(" ".join(x.text for x in ln.words))
            y -= tsize * 1.3
        top = y - size * 1.2

    # the stream: from a paragraph drawn for the page, each paragraph at most once
    start = int(rng.integers(0, len(paras)))
    if kind == "reivindicaciones":
        claims = [p for p in paras if p.kind == "claim"]
        stream = claims + [p for p in paras[start:] + paras[:start] if p.kind != "claim"]
    else:
        stream = paras[start:] + paras[:start]
    blocks: list[tuple[list[Line], float, bool]] = []      # lines, space before, keep with next
    if kind == "reivindicaciones":
        blocks.append((_centred(caps("Reivindicaciones"), bold, size * 1.1, left, col_w, met), 0.0, True))
    para_no: dict[int, int] = {}
    claim_no: dict[int, int] = {}
    last_doc, last_part = -1, ""
    for p in stream:
        if p.doc != last_doc:
            label = p.number + (f" - {p.title}" if p.title and kind != "titulo-dos-columnas" else "")
            blocks.append((fill([Word(t, bold) for t in label.split()], size, col_w, 0.0, met, 99.0, False),
                           lead * 0.8, True))
            last_doc, last_part = p.doc, ""
            para_no.setdefault(p.doc, 0)
        if p.part != last_part and p.part in ("resumen", "reivindicaciones", "aviso") and kind != "reivindicaciones":
            word = {"resumen": "Resumen", "reivindicaciones": "Reivindicaciones", "aviso": "Aviso"}[p.part]
            blocks.append((_centred(caps(word), bold, size, left, col_w, met), lead * 0.5, True))
        last_part = p.part
        words = [Word(t, body) for t in p.text.split()]
        if p.kind == "head":
            blocks.append((fill([Word(t, bold) for t in caps(p.text).split()], size, col_w, 0.0, met, 99.0, False),
                           lead * 0.5, True))
            continue
        if p.kind == "claim":
            claim_no[p.doc] = claim_no.get(p.doc, 0) + 1
            num = f"{claim_no[p.doc]}." if rng.random() < 0.55 else f"{claim_no[p.doc]}.-"
            lines = fill([Word(num, body)] + words, size, col_w, 0.0 if kind == "reivindicaciones" else size * 1.5,
                         met, hyphen_room)
        elif p.part == "descripcion" and kind != "reivindicaciones":
            para_no[p.doc] += 1
            lines = fill([Word(f"[{para_no[p.doc]:04d}]", bold)] + words, size, col_w, 0.0, met, hyphen_room)
        else:
            lines = fill(words, size, col_w, size * 1.8, met, hyphen_room)
        blocks.append((lines, lead * float(rng.uniform(0.3, 0.7)), False))

    # place the blocks in the columns, top to bottom; a heading never ends a column
    col, y = 0, top
    placed = 0
    for n, (lines, before, keep) in enumerate(blocks):
        if col >= cols:
            break
        y -= before if y < top else 0.0
        need = len(lines) * lead
        nxt = blocks[n + 1][0] if n + 1 < len(blocks) else []
        if keep and y - need - min(2, len(nxt)) * lead < bottom:
            col, y = col + 1, top
            if col >= cols:
                break
        for i, ln in enumerate(lines):
            if y - lead < bottom:
                col, y = col + 1, top
                if col >= cols:
                    break
            ln.x += left + col * (col_w + gutter)
            ln.y = y - size
            page.lines.append(ln)
            page.truth.append(" ".join(x.text for x in ln.words))
            y -= lead
            placed += 1
        else:
            continue
        break
    foot = f"- {k + 1} -" if rng.random() < 0.5 else f"{k + 1}"
    fw = met.width(body, foot, 9.0)
    page.lines.append(Line([Word(t, body) for t in foot.split()], (w - fw) / 2, fw, False, body, 9.0, 40.0))
    page.truth.append(foot)
    return page


def _centred(text: str, font: str, size: float, left: float, width: float, met: Metrics) -> list[Line]:
    ln = Line([Word(t, font) for t in text.split()], 0.0, 0.0, False, font, size)
    ln.x = (width - met.width(font, text, size)) / 2
    return [ln]


def page_ps(page: Page, met: Metrics) -> str:
    w, h = page.paper
    out = [f"%%Page: {page.number} {page.number}",
           f"<< /PageSize [{w:.2f} {h:.2f}] >> setpagedevice", "0 setgray"]
    for x0, y, x1, weight in page.rules:
        out.append(f"{weight:.2f} setlinewidth newpath {x0:.2f} {y:.2f} moveto {x1:.2f} {y:.2f} lineto stroke")
    for ln in page.lines:
        if ln.width < 0:                                     # a spaced title line
            text = " ".join(x.text for x in ln.words)
            out.append(f"/{ln.font}-L {ln.size:.2f} F {ln.x:.2f} {ln.y:.2f} moveto {-ln.width:.3f} 0 "
                       f"{_ps_string(text)} ashow")
        else:
            out.append(line_ps(ln, met))
    out.append("showpage")
    return "\n".join(out)


# ----------------------------------------------------------------------------- rendering


def fontmap() -> str:
    return "".join(f"/{n} ({p}) ;\n" for n, p in FONTS.items())


def gs_version() -> str:
    exe = shutil.which("gs")
    if not exe:
        raise _skip("Ghostscript (gs) is needed")
    return subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()


def build_pages(n: int) -> tuple[list[Page], str]:
    paras = read_paragraphs()
    met = Metrics()
    pages = [compose(k, paras, n, met) for k in range(n)]
    ps = prologue() + "\n".join(page_ps(p, met) for p in pages) + "\n%%EOF\n"
    return pages, ps


def render(n: int, level: str) -> tuple[Path, list[str]]:
    """Rasterise the set's PostScript for ``level`` (one gs call), kept by hash; the page PNGs'
    folder and the pages' truths."""
    pages, ps = build_pages(n)
    truths = ["\n".join(p.truth) + "\n" for p in pages]
    digest = hashlib.sha256(ps.encode("latin-1") + gs_version().encode() + Path(__file__).read_bytes()).hexdigest()[:16]
    folder = CACHE / digest / level
    if (folder / "done").exists():
        return folder, truths
    folder.mkdir(parents=True, exist_ok=True)
    (folder.parent / "pages.ps").write_bytes(ps.encode("latin-1"))
    (folder.parent / "Fontmap").write_text(fontmap())
    cmd = ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", f"-sFONTMAP={folder.parent / 'Fontmap'}",
           "-sDEVICE=pnggray", f"-r{LEVEL_DPI[level]}", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4",
           f"-sOutputFile={folder / 'p%03d.png'}", str(folder.parent / "pages.ps")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode or len(list(folder.glob("p*.png"))) != n:
        raise SystemExit(f"sealed8: gs failed ({proc.returncode}): {proc.stdout[-800:]} {proc.stderr[-800:]}")
    (folder / "done").write_text("ok\n")
    return folder, truths


# ----------------------------------------------------------------------------- scanner (numpy)


def _gauss(img: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur by shifted sums (edges repeated)."""
    r = max(1, int(round(sigma * 3)))
    taps = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    taps /= taps.sum()
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (r, r)
        p = np.pad(img, pad, mode="edge")
        acc = np.zeros_like(img, dtype=np.float32)
        n = img.shape[axis]
        for i, t in enumerate(taps):
            acc += np.float32(t) * (p[i:i + n] if axis == 0 else p[:, i:i + n])
        img = acc
    return img


def _shear(img: np.ndarray, degrees: float, fill: float) -> np.ndarray:
    """A small turn as two shears (rows slid sideways, then columns slid up or down), linear
    interpolation between neighbours."""
    t = np.float32(np.tan(np.radians(degrees)))
    h, w = img.shape
    out = img
    for axis in (0, 1):
        n_lines, n_along = (h, w) if axis == 0 else (w, h)
        src = out if axis == 0 else out.T
        offs = (np.arange(n_lines, dtype=np.float32) - n_lines / 2) * (t if axis == 0 else -t)
        base = np.arange(n_along, dtype=np.float32)[None, :] - offs[:, None]
        i0 = np.floor(base).astype(np.int64)
        f = base - i0
        padded = np.pad(src, ((0, 0), (1, 2)), constant_values=fill)
        a = np.take_along_axis(padded, np.clip(i0 + 1, 0, n_along + 2), axis=1)
        b = np.take_along_axis(padded, np.clip(i0 + 2, 0, n_along + 2), axis=1)
        res = a * (1 - f) + b * f
        out = res if axis == 0 else res.T
    return np.ascontiguousarray(out)


def _smooth_field(shape: tuple[int, int], rng: np.random.Generator, cells: int = 6) -> np.ndarray:
    """A smooth random field in about [-1, 1] (a coarse grid blown up bilinearly)."""
    grid = rng.uniform(-1, 1, (cells, cells)).astype(np.float32)
    im = Image.fromarray(grid, mode="F").resize((shape[1], shape[0]), Image.BILINEAR)
    return np.asarray(im, dtype=np.float32)


def scan_office(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    g = grey.astype(np.float32)
    g = _shear(g, float(rng.uniform(-0.45, 0.45)), 255.0)
    g = _gauss(g, float(rng.uniform(0.5, 0.85)))
    paper, toner = float(rng.uniform(222, 248)), float(rng.uniform(12, 50))
    g = toner + g * ((paper - toner) / 255.0)
    g += _smooth_field(g.shape, rng) * float(rng.uniform(3, 10))
    g += rng.normal(0, float(rng.uniform(2.0, 6.0)), g.shape).astype(np.float32)
    cut = toner + (paper - toner) * float(rng.uniform(0.48, 0.64))
    bw = np.where(g < cut, 0, 255).astype(np.uint8)
    h, w = bw.shape
    for _ in range(int(rng.integers(4, 25))):
        y, x = int(rng.integers(0, h - 4)), int(rng.integers(0, w - 4))
        bw[y:y + int(rng.integers(1, 4)), x:x + int(rng.integers(1, 4))] = 0
    return bw


def scan_poor(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    g = grey.astype(np.float32)
    g = _shear(g, float(rng.uniform(-1.1, 1.1)), 255.0)
    g = _gauss(g, float(rng.uniform(0.9, 1.5)))
    ink, paper = float(rng.uniform(40, 85)), float(rng.uniform(182, 226))
    g = ink + g * ((paper - ink) / 255.0)
    h, w = g.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = float(rng.uniform(0, 2 * np.pi))
    ramp = (np.cos(ang) * xx / w + np.sin(ang) * yy / h)
    ramp = (ramp - ramp.min()) / max(1e-6, float(ramp.max() - ramp.min()))
    g *= 1.0 - float(rng.uniform(0.04, 0.14)) * ramp
    g += rng.normal(0, float(rng.uniform(3.5, 8.0)), g.shape).astype(np.float32)
    g = np.clip(g, 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(g).save(buf, format="JPEG", quality=int(rng.integers(30, 56)))
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))


# ----------------------------------------------------------------------------- the set


def pages(n: int, level: str):
    """Yield ``n`` pages as (image, dpi, text as typeset); ``level`` is ``office`` or ``poor``."""
    if level not in LEVEL_DPI:
        raise ValueError(f"sealed8: level is office or poor, not {level!r}")
    folder, truths = render(n, level)
    for k in range(n):
        grey = np.asarray(Image.open(folder / f"p{k + 1:03d}.png").convert("L"))
        rng = np.random.default_rng([SEED, k, 11 if level == "office" else 13])
        img = scan_office(grey, rng) if level == "office" else scan_poor(grey, rng)
        yield img, LEVEL_DPI[level], truths[k]


# ----------------------------------------------------------------------------- raw-CLI check


def _tokens(text: str) -> list[str]:
    toks = unicodedata.normalize("NFKC", text).split()
    out: list[str] = []
    for t in toks:
        if out and out[-1].endswith("-") and len(out[-1]) > 1 and out[-1][-2].isalpha() and t[:1].islower():
            out[-1] = out[-1][:-1] + t
        else:
            out.append(t)
    return out


def order_free_error(truth: str, read: str) -> float:
    t, r = Counter(_tokens(truth)), Counter(_tokens(read))
    n = sum(t.values())
    return min(1.0, max(sum((t - r).values()), sum((r - t).values())) / n) if n else 0.0


def verify(n: int, out: Path) -> int:
    """The characters Ghostscript draws on each page (``txtwrite``) against the page's truth,
    whitespace aside (txtwrite guesses word gaps, it does not know them)."""
    pages_, ps = build_pages(n)
    out.mkdir(parents=True, exist_ok=True)
    (out / "pages.ps").write_bytes(ps.encode("latin-1"))
    (out / "Fontmap").write_text(fontmap())
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", f"-sFONTMAP={(out / 'Fontmap').resolve()}",
                    "-sDEVICE=txtwrite", f"-sOutputFile={out.resolve() / 'drawn%03d.txt'}",
                    str((out / "pages.ps").resolve())], check=True, capture_output=True)
    bad = 0
    for k, page in enumerate(pages_, start=1):
        drawn = Counter("".join((out / f"drawn{k:03d}.txt").read_text(encoding="utf-8").split()))
        truth = Counter("".join("".join(page.truth).split()))
        if drawn != truth:
            bad += 1
            print(f"p{k:03d}: drawn but not in the truth {list((drawn - truth).items())[:8]}, "
                  f"in the truth but not drawn {list((truth - drawn).items())[:8]}")
    hyph = sum(1 for p in pages_ for t in p.truth if len(t) > 1 and t.endswith("-") and t[-2].isalpha())
    print(f"sealed8 verify: {n} pages, {n - bad} draw exactly their truth's characters; "
          f"{hyph} lines end in a syllable break")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Write the sealed8 Spanish pages (and check them with raw tesseract).")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pages", type=int, default=24)
    ap.add_argument("--levels", default="office,poor")
    ap.add_argument("--check", action="store_true", help="read each page with `tesseract -l spa` (never digitize)")
    ap.add_argument("--verify", action="store_true",
                    help="no OCR: the characters gs draws (txtwrite) against each page's truth")
    args = ap.parse_args(argv)
    if args.verify:
        return verify(args.pages, args.out)
    for level in args.levels.split(","):
        folder = args.out / level
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for k, (img, dpi, text) in enumerate(pages(args.pages, level), start=1):
            stem = folder / f"sealed8_{level}_{k:03d}"
            Image.fromarray(img).save(stem.with_suffix(".png"), dpi=(dpi, dpi))
            stem.with_suffix(".txt").write_text(text, encoding="utf-8")
            line = f"{stem.name}: {len(text.split())} words, {layout_of(k - 1)}"
            if args.check:
                read = subprocess.run(["tesseract", str(stem.with_suffix(".png")), "-", "-l", "spa", "--dpi", str(dpi)],
                                      capture_output=True, text=True, check=True,
                                      env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
                e = order_free_error(text, read)
                rows.append((e, len(text.split())))
                line += f", raw tesseract -l spa order-free word error {e:.4f}"
            print(line, flush=True)
        if rows:
            words = sum(n for _, n in rows)
            errs = sorted(e for e, _ in rows)
            print(f"sealed8 {level}: {len(rows)} pages, {words} words, raw tesseract -l spa "
                  f"{sum(e * n for e, n in rows) / words:.4f} (word-weighted), median {errs[len(errs) // 2]:.4f}, "
                  f"worst {errs[-1]:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
