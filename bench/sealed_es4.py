"""The fourth sealed Spanish page set for ``bench/spanish.py --part sealed4``: run only to report.

Built after ``sealed``, ``sealed2`` and ``sealed3`` were seen; it shares no code, no text and no
document with them:

* **Text**: Spanish patent prose (abstracts, descriptions, claims) of MX IMPI applications
  (MX 2007002128 A, MX PA05003794 A, MX PA02005710 A, MX PA97001067 A, MX 2008011749 A), PCT
  applications, OEPM publications and a few applicants' own descriptions: packaging films,
  opening devices, syringes, formwork, electrical terminals, valves, pharmaceutical and cosmetic
  compositions, a drinks-can lid (reference numerals ``(120)``, ``(Figura 3:1)``, claim references,
  ``lengüeta``, ``añadir``, ``1,2-pentilenglicol``, ``1:10``, ``0,2 y 0,6%``). Excerpts read from
  stored public copies (Google Patents and its mirrors, patentados.com, sumobrain, docplayer,
  mydokument, manualzilla, fdocuments, 1library, scribd, inventoseinventores.com, an applicant's
  page), each block headed by its number, title and address, in
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es4_patentes.txt`` (not committed: the text is
  the applicants'). None of them is in ``sealed_es3_patentes.txt``, ES 2993312 T1, manpages-es or
  the BOE texts of ``sealed2``. About 3,700 words, so the 24 pages read the stream round: each
  page starts at its own paragraph (spread over the stream) and a paragraph comes back on other
  pages in another layout.
* **Typesetting**: GNU troff (``groff -Tps``, groff-base only: no macro package, the page,
  column, running-head and footer traps are written here in plain troff requests) with the
  PostScript fonts groff ships (Times, Helvetica, Bookman, Palatino; roman and bold), justified,
  rasterised by Ghostscript (``gs -sDEVICE=pnggray``). groff 1.22.4 has no Spanish hyphenation
  patterns, so every word of seven letters or more carries its Spanish syllable breaks as
  ``\\%`` hyphenation points and troff breaks lines only there. Four layouts, drawn per page:
  an AR INPI-like *memoria descriptiva* (Times 10.5-12 pt, one column, ``AR 1xxxxx A1`` running
  head, ``Folio n`` footer); an MX IMPI-like two-column page (Helvetica 8.5-9.5 pt,
  ``MX/a/20yy/0nnnnn`` head with ``Hoja n/m``); a claims page (Bookman 10-11 pt,
  ``REIVINDICACIONES``, paragraphs numbered as claims ``1.``, ``2.`` with a hanging indent); a
  Palatino two-column abstract-and-description page (9-10 pt, the title in capitals under the
  head). Description paragraphs are numbered ``[0001]`` within their document; a document's
  number and title are printed in bold where it starts on a page.
* **Truth**: what troff set, read back from its own intermediate output (``groff -Z``): every
  output line with its position, so the truth is the running head, the lines of the left column
  then the right one, then the footer, each line as printed; a word troff broke at a line end
  keeps its ``-`` (``evaluate`` joins it with the next line's first word, for truth and output
  alike).
* **Scanner** (own code): ``office``: 300 dpi grey render, skew up to 0.8 degrees, a blur, paper
  grain, a threshold that drifts across the page, on some pages a bolder or thinner stroke, a
  few specks; bilevel 0/255 (``spanish.py`` saves it as CCITT G4 TIFF). ``poor``: 200 dpi grey
  render, skew up to 1.5 degrees, low contrast (grey ink on grey paper), uneven lighting,
  defocus, noise and a JPEG round trip at quality 25-40 (``spanish.py`` then saves a JPEG at
  quality 90).

Deterministic from ``SEED`` (layout, text and pixels); the layout depends on the page number
only, so both levels show the same 24 pages.

    python bench/sealed_es4.py --out DIR [--pages N] [--check]

writes the pages and their truth to DIR; ``--check`` reads them with the raw ``tesseract -l spa``
CLI (never digitize) and prints each page's order-free word error against its truth.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

DATA = (Path(os.environ.get("DIGITIZE_REAL_SETS", Path(__file__).resolve().parents[1] / "build" / "real-sets"))
        / "spanish-patent-text" / "sealed_es4_patentes.txt")
SEED = 4_2026_1207
UNIT = 72000  # groff -Tps machine units per inch


# ----------------------------------------------------------------------------- the text


@dataclass(frozen=True)
class Para:
    doc: int        # index of its document
    number: str     # the document's number as the file names it
    title: str
    part: str       # resumen, descripcion, reivindicaciones
    kind: str       # heading, para, claim
    text: str
    seq: int        # paragraph number within the document's description (0 if none)


def load() -> list[Para]:
    """The stream of paragraphs, in file order."""
    if not DATA.exists():
        raise SystemExit(f"sealed4: {DATA} is missing (the sealed Spanish patent text of bench/sealed_es4.py); skipped")
    out: list[Para] = []
    doc, number, title, part, seq = -1, "", "", "descripcion", 0
    buf: list[str] = []

    def flush() -> None:
        nonlocal seq
        if not buf:
            return
        text = " ".join(buf)
        buf.clear()
        kind = "claim" if part == "reivindicaciones" else "para"
        if part == "descripcion":
            seq += 1
        out.append(Para(doc, number, title, part, kind, text, seq if part == "descripcion" else 0))

    for raw in DATA.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            flush()
        elif line.startswith("@ "):
            flush()
            fields = [f.strip() for f in line[2:].split("|")]
            doc, number, title, part, seq = doc + 1, fields[0], fields[1], "descripcion", 0
        elif line.startswith("% "):
            flush()
            part = line[2:].strip()
        elif line.startswith("= "):
            flush()
            out.append(Para(doc, number, title, part, "heading", line[2:].strip(), 0))
        else:
            buf.append(line)
    flush()
    return out


# ----------------------------------------------------------------------------- Spanish breaks

_VOWEL = "aeiouáéíóúüy"
_ONSET = {"bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "pl", "pr", "tr", "ch", "ll", "rr", "tl"}
_NUCLEI = re.compile(r"[aeiouáéíóúü]+|y(?![aeiouáéíóúü])", re.I)


def syllable_points(word: str) -> list[int]:
    """Where a hyphen may go in a lowercase-comparable Spanish word: between vowel nuclei, a lone
    consonant goes right, two go one each side unless they form an onset (``pl``, ``tr``, ``ch``
    ...), three or more leave an onset (or one consonant) to the right. Vowel runs are never split."""
    w = word.lower()
    nuclei = [(m.start(), m.end()) for m in _NUCLEI.finditer(w)]
    points = []
    for (_, a_end), (b_start, _) in zip(nuclei, nuclei[1:]):
        cons = w[a_end:b_start]
        if not cons.isalpha():
            return []
        if len(cons) <= 1:
            points.append(a_end)
        elif len(cons) == 2:
            points.append(a_end if cons in _ONSET else a_end + 1)
        else:
            points.append(b_start - 2 if cons[-2:] in _ONSET else b_start - 1)
    return [p for p in points if 2 <= p <= len(w) - 3]


def troff_word(word: str) -> str:
    """The word with its hyphenation points as troff ``\\%`` marks (or ``\\%`` in front: never)."""
    core = re.match(r"^([(«“\"]*)([A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+)([)»”\".,;:]*)$", word)
    if not core or len(core.group(2)) < 7 or core.group(2).isupper():
        return word if "-" in word or "/" in word else "\\%" + word
    pre, stem, post = core.groups()
    cut = syllable_points(stem)
    if not cut:
        return "\\%" + word
    parts, last = [], 0
    for p in cut:
        parts.append(stem[last:p])
        last = p
    parts.append(stem[last:])
    return pre + "\\%".join(parts) + post


def troff_text(text: str) -> str:
    return " ".join(troff_word(w) for w in text.split())


# ----------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    name: str
    roman: str
    bold: str
    size: float      # points
    lead: float      # points
    columns: int
    head: str        # running head (left part)
    foot: str        # footer text, with {n} for the page number
    left_in: float   # page offset, inches
    text_in: float   # text width, inches
    gutter_in: float


def draw_layout(k: int) -> tuple[Layout, np.random.Generator]:
    rng = np.random.default_rng([SEED, k, 7])
    kind = ("ar", "mx", "claims", "palatino")[k % 4] if k < 8 else ("ar", "mx", "claims", "palatino")[int(rng.integers(0, 4))]
    n = page_number(k)
    if kind == "ar":
        size = float(rng.choice([10.5, 11.0, 11.5, 12.0]))
        lay = Layout(kind, "TR", "TB", size, size * float(rng.uniform(1.25, 1.45)), 1,
                     f"AR {int(rng.integers(131000, 159999))} A1", "Folio {n}", float(rng.uniform(1.0, 1.25)),
                     float(rng.uniform(5.9, 6.3)), 0)
    elif kind == "mx":
        size = float(rng.choice([8.5, 9.0, 9.5]))
        lay = Layout(kind, "HR", "HB", size, size * float(rng.uniform(1.2, 1.35)), 2,
                     f"MX/a/20{int(rng.integers(19, 24))}/0{int(rng.integers(16000, 19999))}",
                     "Hoja {n}/" + str(n + int(rng.integers(2, 12))), float(rng.uniform(0.8, 0.95)),
                     float(rng.uniform(6.5, 6.8)), float(rng.uniform(0.25, 0.35)))
    elif kind == "claims":
        size = float(rng.choice([10.0, 10.5, 11.0]))
        lay = Layout(kind, "BMR", "BMB", size, size * float(rng.uniform(1.3, 1.5)), 1,
                     f"AR {int(rng.integers(131000, 159999))} A1" if rng.random() < 0.5
                     else f"MX/a/20{int(rng.integers(19, 24))}/0{int(rng.integers(16000, 19999))}",
                     "- {n} -", float(rng.uniform(1.0, 1.2)), float(rng.uniform(5.8, 6.2)), 0)
    else:
        size = float(rng.choice([9.0, 9.5, 10.0]))
        lay = Layout(kind, "PR", "PB", size, size * float(rng.uniform(1.2, 1.3)), 2,
                     f"MX {int(rng.integers(2015, 2026))}0{int(rng.integers(10000, 16999))} A",
                     "{n}", float(rng.uniform(0.85, 1.0)), float(rng.uniform(6.4, 6.7)), float(rng.uniform(0.25, 0.35)))
    return lay, rng


def page_number(k: int) -> int:
    return int(np.random.default_rng([SEED, k, 7]).integers(2, 9))


def doc_label(p: Para) -> str:
    """What a page prints where a document starts: its publication number (when the file gives
    one) and its title."""
    m = re.match(r"^((?:MX|ES|WO|PCT)[^(,]*?)\s*(?:\(|,|$)", p.number)
    return f"{m.group(1)} — {p.title}" if m and re.search(r"\d", m.group(1)) else p.title


def _esc(s: str) -> str:
    return s.replace("\\", "\\e").replace("'", "\\(aq")


def troff_source(k: int, paras: list[Para], start: int, words: int) -> tuple[str, Layout]:
    """A troff document whose first page is the set's page ``k``; paragraphs from ``start`` on."""
    lay, rng = draw_layout(k)
    cols = lay.columns
    cw = (lay.text_in - lay.gutter_in) / 2 if cols == 2 else lay.text_in
    body_top, foot_at = 1.15, 1.0  # inches from the top; from the bottom (footer trap)
    src = [
        ".pl 11.69i", f".po {lay.left_in:.3f}i", f".ll {cw:.3f}i", f".lt {lay.text_in:.3f}i",
        f".ps {lay.size}", f".vs {lay.lead:.2f}p", f".ft {lay.roman}", ".ad b", ".hy 1",
        ".ss 12", f".nr PO {lay.left_in * UNIT:.0f}", f".nr CW {(cw + lay.gutter_in) * UNIT:.0f}",
        f".nr NC {cols}", ".nr col 1", f".nr pg {page_number(k)}",
        ".de HD", "'sp |0.55i", f".ev 1", f".ps {lay.size}", f".ft {lay.bold}", f".lt {lay.text_in:.3f}i",
        f".tl '{_esc(lay.head)}''{_esc(lay.foot.format(n=page_number(k))) if lay.name == 'mx' else ''}'",
        ".ft", ".ev", f"'sp |{body_top}i", ".mk TP", "..",
        ".de FO", ".ie \\\\n[col]<\\\\n[NC] \\{\\", ".nr col +1", ".po +\\\\n[CW]u", "'sp |\\\\n[TP]u", ".\\}",
        ".el \\{\\", ".nr col 1", ".po \\\\n[PO]u", f"'sp |(11.69i-{foot_at - 0.35:.2f}i)", ".ev 1", f".ft {lay.roman}",
        f".lt {lay.text_in:.3f}i",
        f".tl ''{_esc(lay.foot.format(n=page_number(k))) if lay.name != 'mx' else ''}''", ".ev", "'bp", ".\\}", "..",
        ".wh 0 HD", f".wh -{foot_at}i FO",
    ]
    if lay.name == "palatino":
        first = paras[start % len(paras)]
        src += [f".ft {lay.bold}", ".ad c", troff_text(first.title.upper()), ".br", ".ad b",
                f".ft {lay.roman}", ".sp 0.6v"]
    if lay.name == "claims":
        src += [".ce 1", f".ft {lay.bold}", "REIVINDICACIONES", f".ft {lay.roman}", ".sp 0.8v"]
    count, i, last_doc, claim_no, last_part = 0, start, -1, 0, ""
    indent = f"{1.6 * lay.size:.1f}p"
    while count < words:
        p = paras[i % len(paras)]
        i += 1
        if p.doc != last_doc:
            src += [".sp 0.5v", ".ne 3v", f".ft {lay.bold}", ".ad l", troff_text(doc_label(p)), ".br",
                    ".ad b", f".ft {lay.roman}", ".sp 0.3v"]
            last_doc, last_part = p.doc, ""
        if lay.name != "claims" and p.part != last_part and p.part in ("resumen", "reivindicaciones"):
            label = {"resumen": "RESUMEN", "reivindicaciones": "REIVINDICACIONES"}[p.part]
            src += [".ne 2v", ".ce 1", f".ft {lay.bold}", label, f".ft {lay.roman}", ".sp 0.3v"]
        last_part = p.part
        if p.kind == "heading":
            text = p.text.upper()
            if rng.random() < 0.3:  # some offices drop the accents of headings in capitals
                text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
                text = unicodedata.normalize("NFC", text)
            src += [".sp 0.4v", ".ne 2v", ".ce 1", f".ft {lay.bold}", "\\&" + troff_text(text), f".ft {lay.roman}",
                    ".sp 0.2v"]
            continue
        body = troff_text(p.text)
        if lay.name == "claims":
            claim_no += 1
            body = re.sub(r"^(?:\\%)?\d+\.\s*", "", body)  # the claim's own number: the page numbers its claims
            src += [".sp 0.5v", f".in {indent}", f".ti -{indent}", f"\\&{claim_no}. " + body, ".br", ".in 0"]
        elif p.kind == "claim":
            src += [".sp 0.4v", "\\&" + body, ".br"]
        elif p.seq:
            src += [".sp 0.4v", f"\\&\\f[{lay.bold}][{p.seq:04d}]\\f[{lay.roman}] " + body, ".br"]
        else:
            src += [".sp 0.4v", f".ti {1.2 * lay.size:.1f}p", "\\&" + body, ".br"]
        count += len(p.text.split())
    return "\n".join(src) + "\n", lay


# ----------------------------------------------------------------------------- troff output read back

_GLYPHS = {
    "'a": "á", "'e": "é", "'i": "í", "'o": "ó", "'u": "ú", "'A": "Á", "'E": "É", "'I": "Í", "'O": "Ó", "'U": "Ú",
    "~n": "ñ", "~N": "Ñ", ":u": "ü", ":U": "Ü", ":a": "ä", ":o": "ö", "`a": "à", "`e": "è", "^e": "ê",
    "Fo": "«", "Fc": "»", "em": "—", "en": "–", "hy": "-", "fi": "fi", "fl": "fl", "ff": "ff", "Fi": "ffi", "Fl": "ffl",
    "rg": "®", "co": "©", "de": "°", "+-": "±", "lq": "“", "rq": "”", "oq": "‘", "cq": "’", "dq": '"', "aq": "'",
    "mu": "×", "ti": "~", "%": "%", "sl": "/", "-": "-", "mi": "−", "ha": "^", "rs": "\\", "ga": "`", "bu": "•",
}


def read_lines(z: str) -> list[tuple[int, int, str]]:
    """(V, H of the first glyph, text) of every output line of page 1 of ``groff -Z`` output."""
    lines, cur, v, h, h0, size, page, pending_space = [], [], 0, 0, None, 10000, 0, False

    def end() -> None:
        nonlocal cur, h0, pending_space
        text = re.sub(r"\s+", " ", "".join(cur)).strip()
        if text and page == 1:
            lines.append((v, h0 if h0 is not None else h, text))
        cur, h0, pending_space = [], None, False

    def put(s: str) -> None:
        nonlocal h0, pending_space
        if h0 is None:
            h0 = h
        if pending_space and cur:
            cur.append(" ")
        pending_space = False
        cur.append(s)

    for raw in z.splitlines():
        cmd = raw
        while cmd:
            c = cmd[0]
            if c == "w":
                pending_space = True
                cmd = cmd[1:]
                continue
            if c == "t":
                put(cmd[1:])
            elif c == "C":
                name = cmd[1:]
                if name.startswith("u") and re.fullmatch(r"u[0-9A-F]{4,5}(_[0-9A-F]{4,5})*", name):
                    glyph = unicodedata.normalize("NFC", "".join(chr(int(x.lstrip("u"), 16)) for x in name.split("_")))
                elif name in _GLYPHS:
                    glyph = _GLYPHS[name]
                else:
                    raise ValueError(f"sealed4: troff glyph {name!r} has no text here")
                put(glyph)
            elif c == "c":
                put(cmd[1:2])
            elif c == "h":
                dx = int(cmd[1:])
                if dx > 1.3 * size and cur:
                    pending_space = True
                h += dx
            elif c == "H":
                h = int(cmd[1:])  # absolute: kerning inside a word as well, so never a space
            elif c == "V":
                v = int(cmd[1:])
            elif c == "v":
                v += int(cmd[1:])
            elif c == "s":
                size = int(cmd[1:])
            elif c == "n":
                end()
            elif c == "p":
                end()
                page = int(cmd[1:])
            # f, m, D, x, F, #: fonts, colours, drawings, device controls: no text
            break
    end()
    return lines


def truth_text(lines: list[tuple[int, int, str]], lay: Layout) -> str:
    top, bottom = 1.1 * UNIT, (11.69 - 0.75) * UNIT  # the head is set at 0.55 in, the footer 0.65 in above the edge
    head = [ln for ln in lines if ln[0] < top]
    foot = [ln for ln in lines if ln[0] > bottom]
    body = [ln for ln in lines if top <= ln[0] <= bottom]
    if lay.columns == 2:
        split = (lay.left_in + (lay.text_in + lay.gutter_in) / 2 - lay.gutter_in / 2) * UNIT
        body = sorted((ln for ln in body if ln[1] < split), key=lambda x: x[0]) + \
            sorted((ln for ln in body if ln[1] >= split), key=lambda x: x[0])
    ordered = sorted(head, key=lambda x: (x[0], x[1])) + body + sorted(foot, key=lambda x: (x[0], x[1]))
    return "\n".join(t for _, _, t in ordered) + "\n"


def typeset(k: int, paras: list[Para], dpi: int, work: Path) -> tuple[np.ndarray, str]:
    """Page ``k`` rendered at ``dpi`` (grey, ink dark) and its printed text."""
    n = len(paras)
    start = (k * n * 5 // 24 + int(np.random.default_rng(SEED).integers(0, n))) % n
    src, lay = troff_source(k, paras, start, words=1500)
    (work / "page.tr").write_text(src, encoding="utf-8")
    z = subprocess.run(["groff", "-k", "-Tps", "-Z", "-o1", str(work / "page.tr")], capture_output=True,
                       text=True, check=True).stdout
    ps = subprocess.run(["groff", "-k", "-Tps", "-P-pa4", "-o1", str(work / "page.tr")], capture_output=True,
                        check=True).stdout
    (work / "page.ps").write_bytes(ps)
    png = work / "page.png"
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", f"-r{dpi}",
                    "-sPAPERSIZE=a4", "-dFIXEDMEDIA", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4",
                    f"-sOutputFile={png}", str(work / "page.ps")], check=True, capture_output=True)
    img = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    return img, truth_text(read_lines(z), lay)


# ----------------------------------------------------------------------------- scanner


def _turn(img: np.ndarray, degrees: float, dx: float, dy: float) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    m[:, 2] += (dx, dy)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], scale: int) -> np.ndarray:
    small = rng.normal(0, 1, (max(2, shape[0] // scale), max(2, shape[1] // scale))).astype(np.float32)
    small = cv2.GaussianBlur(small, (0, 0), 1.0)
    field = cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    return field / (np.abs(field).max() + 1e-6)


def scan_office(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    g = _turn(img, float(rng.uniform(-0.8, 0.8)), float(rng.uniform(-30, 30)), float(rng.uniform(-30, 30)))
    g = cv2.GaussianBlur(g.astype(np.float32), (0, 0), float(rng.uniform(0.5, 0.9)))
    g += rng.normal(0, float(rng.uniform(7, 14)), g.shape).astype(np.float32)          # paper grain
    level = float(rng.choice([120.0, 145.0, 170.0]))                                     # thin / plain / bold
    g = np.where(g < level + 15.0 * _smooth_field(rng, g.shape, 400), 0, 255).astype(np.uint8)
    if rng.random() < 0.25:
        kernel = np.ones((2, 2), np.uint8)
        g = cv2.erode(g, kernel) if rng.random() < 0.5 else cv2.dilate(g, kernel)      # toner spread / starved
    h, w = g.shape
    specks = int(rng.integers(5, 40))
    g[rng.integers(0, h, specks), rng.integers(0, w, specks)] = 0                                                                        # specks
    return g


def scan_poor(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    g = _turn(img, float(rng.uniform(-1.5, 1.5)), float(rng.uniform(-20, 20)), float(rng.uniform(-20, 20)))
    ink, paper = float(rng.uniform(40, 90)), float(rng.uniform(175, 225))
    g = ink + g.astype(np.float32) * ((paper - ink) / 255.0)
    g *= 1.0 - 0.18 * (1 + _smooth_field(rng, g.shape, 600)) / 2                         # uneven lighting
    g = cv2.GaussianBlur(g, (0, 0), float(rng.uniform(0.9, 1.4)))
    g += rng.normal(0, float(rng.uniform(7, 13)), g.shape).astype(np.float32)
    g = np.clip(g, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", g, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(25, 41))])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)


def pages(n: int, level: str):
    """Yield ``n`` pages as (grey image, dpi, printed text); ``level`` is ``office`` or ``poor``."""
    if level not in ("office", "poor"):
        raise ValueError(f"level must be office or poor, got {level!r}")
    paras = load()
    dpi = 300 if level == "office" else 200
    with tempfile.TemporaryDirectory(prefix="sealed4-") as tmp:
        for k in range(n):
            img, text = typeset(k, paras, dpi, Path(tmp))
            rng = np.random.default_rng([SEED, k, 1 if level == "office" else 2])
            yield (scan_office(img, rng) if level == "office" else scan_poor(img, rng)), dpi, text


# ----------------------------------------------------------------------------- pairing check (raw CLI only)


def _words(text: str) -> Counter:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(\w)-\s*\n\s*", r"\1", text)
    return Counter(text.split())


def order_free_error(truth: str, output: str) -> float:
    t, o = _words(truth), _words(output)
    total = sum(t.values())
    return min(1.0, max(sum((t - o).values()), sum((o - t).values())) / total) if total else 0.0


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Write the sealed4 pages (and check them with the raw tesseract CLI).")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pages", type=int, default=24)
    ap.add_argument("--levels", default="office,poor")
    ap.add_argument("--check", action="store_true", help="read each page with `tesseract -l spa` and score it")
    args = ap.parse_args(argv)
    for level in args.levels.split(","):
        folder = args.out / level
        folder.mkdir(parents=True, exist_ok=True)
        errs = []
        for k, (img, dpi, text) in enumerate(pages(args.pages, level), start=1):
            stem = folder / f"sealed4_{level}_{k:03d}"
            cv2.imwrite(str(stem.with_suffix(".png")), img)
            stem.with_suffix(".txt").write_text(text, encoding="utf-8")
            if args.check:
                out = subprocess.run(["tesseract", str(stem.with_suffix(".png")), "-", "-l", "spa", "--dpi", str(dpi)],
                                     capture_output=True, text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
                e = order_free_error(text, out)
                errs.append((e, len(text.split())))
                print(f"{stem.name}: {len(text.split())} words, raw tesseract order-free word error {e:.4f}", flush=True)
        if errs:
            total = sum(w for _, w in errs)
            print(f"sealed4 {level}: {len(errs)} pages, {total} words, raw tesseract -l spa "
                  f"{sum(e * w for e, w in errs) / total:.4f} (word-weighted), worst {max(e for e, _ in errs):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
