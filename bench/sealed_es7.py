"""The seventh sealed Spanish page set for ``bench/spanish.py --part sealed7``: run only to report.

Built after ``sealed`` to ``sealed6`` were seen, by someone who never ran digitize on it; it shares
no code, no text, no document and no publication-number range with them:

* **Text**: Spanish patent prose (abstracts, description openings, a claim) of documents none of
  the earlier sets used (OEPM applications and grants, ES utility models and T3 translations, a
  PCT application in its Spanish phase), read from stored public copies, each headed by its
  number, applicant, title and address, in
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es7_patentes.txt`` (not committed: the text is
  the applicants'). The stream is short, so each page starts at its own paragraph of it and a
  paragraph comes back on other pages in another layout, font, size and line breaking.
* **Typesetting**: Pango, through the ``pango-view`` command (Debian ``pango1.0-tools``): every
  block (head, title, heading, paragraph, claim) is Pango markup laid out by Pango itself at
  300 dpi (``--width``, ``--justify``, ``--language=es``, ``--dpi=300``) and rendered by its cairo
  backend to a grey PNG; the words carry soft hyphens (U+00AD) at the Spanish syllable breaks
  found by this module's own syllabifier, so Pango prints a hyphen where it chose to break
  there. The blocks are placed on the page by numpy slicing only (no drawing of text here): one
  or two columns, a block cut between its lines where a column is full. Fonts no earlier
  Spanish set used: Linux Libertine O and Linux Biolinum O (Debian ``fonts-linuxlibertine``),
  Charis SIL (``fonts-sil-charis``), Open Sans (``fonts-open-sans``). Four layouts, body 9-12 pt:
  an AR INPI-like one-column page (A4, ``AR 24xxxx A1`` head over a rule, ``[0001]`` paragraphs);
  an MX IMPI-like two-column page (letter, ``MX/a/2013/01xxxx`` head, narrow sans); a claims page
  (``REIVINDICACIONES``, numbered claims); an MX two-column page under a full-width title.
* **Truth**: the lines as Pango broke them (``pango-view --serialize-to``: each line's start and
  length in the text), in reading order (head, title, left column, right column, foot); a line
  that ends at a soft hyphen ends with ``-`` as printed (``evaluate`` joins it with the next
  line's first word, for truth and output alike); soft hyphens where Pango did not break vanish.
* **Scanner** (own model, numpy): ``office``: the grey page stretched a little along the feed
  (motor speed), turned up to 0.5 degrees, blurred by two or three box passes of 3 px, dimmed by a
  column-wise sensor gain (light streaks along the feed) and noise, then thresholded once
  between its own paper and ink levels shifted by a darkness setting: bilevel 0/255, thin strokes
  and accents as they come, a few dust specks. ``poor``: resampled to 200 dpi, turned up to
  1.2 degrees, blurred by two or three box passes of 3 px, flattened to low contrast under a light falling
  off towards one edge, noise, a JPEG round trip at quality 25-50 (``spanish.py`` then saves a
  JPEG at quality 90).

Deterministic from ``SEED``: the layout depends on the page number only (both levels show the same
pages); pixels on the seed, page and level, for one Pango and font version. The composed pages are
kept in ``build/sealed-es7-pages/<hash>`` (the hash of the text, this file and ``pango-view
--version``).

    python bench/sealed_es7.py --out DIR [--pages N] [--levels office,poor] [--check]

writes each page's image and truth to DIR/<level>/; ``--check`` reads them with the raw
``tesseract -l spa`` CLI (never digitize) and prints each page's order-free word error against its
truth. Needs ``pango1.0-tools``, ``fonts-linuxlibertine``, ``fonts-sil-charis``, ``fonts-open-sans``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

SEED = 7_2026_1208_7
ROOT = Path(__file__).resolve().parents[1]
TEXT = (Path(os.environ.get("DIGITIZE_REAL_SETS", ROOT / "build" / "real-sets"))
        / "spanish-patent-text" / "sealed_es7_patentes.txt")
CACHE = ROOT / "build" / "sealed-es7-pages"
DPI = 300
PX = DPI / 72.0                      # pixels a point
A4 = (595.0, 842.0)                  # points
LETTER = (612.0, 792.0)
SHY = "\u00ad"

# Pango font families (fontconfig names) and the Debian files that must be there.
FAMILIES = {
    "libertine": ("Linux Libertine O", "/usr/share/fonts/opentype/linux-libertine/LinLibertine_R.otf"),
    "biolinum": ("Linux Biolinum O", "/usr/share/fonts/opentype/linux-libertine/LinBiolinum_R.otf"),
    "charis": ("Charis SIL", "/usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf"),
    "opensans": ("Open Sans", "/usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf"),
}


def _skip(why: str) -> SystemExit:
    return SystemExit(f"sealed7: {why}; skipped")


# ----------------------------------------------------------------------------- the text


@dataclass(frozen=True)
class Block:
    doc: int
    number: str
    title: str
    part: str        # resumen | descripcion | reivindicaciones
    kind: str        # para | head | claim
    text: str


def read_text() -> list[Block]:
    """The paragraphs of the sealed text in file order (the file's header tells its format)."""
    if not TEXT.exists():
        raise _skip(f"{TEXT} is missing (the sealed Spanish patent text of bench/sealed_es7.py)")
    out: list[Block] = []
    state = {"doc": -1, "number": "", "title": "", "part": "descripcion"}
    buf: list[str] = []

    def flush() -> None:
        if buf:
            kind = "claim" if state["part"] == "reivindicaciones" else "para"
            out.append(Block(state["doc"], state["number"], state["title"], state["part"], kind, " ".join(buf)))
            buf.clear()

    for raw in TEXT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith(";"):
            continue
        if line.startswith("<doc>"):
            flush()
            fields = [f.strip() for f in line[5:].split(" | ")]
            state.update(doc=state["doc"] + 1, number=fields[0], title=fields[2], part="descripcion")
        elif line.startswith("<part>"):
            flush()
            state["part"] = line[6:].strip()
        elif line.startswith("<head>"):
            flush()
            out.append(Block(state["doc"], state["number"], state["title"], state["part"], "head", line[6:].strip()))
        elif line:
            buf.append(line)
        else:
            flush()
    flush()
    if not out:
        raise _skip(f"{TEXT} holds no paragraph")
    return out


def printed_number(number: str) -> str:
    """The document number as a page heads it ('' when the copy gives none)."""
    core = re.sub(r"\s*\(.*$", "", number).strip()
    return core if len(re.findall(r"\d", core)) >= 5 else ""


# ----------------------------------------------------------------------------- Spanish syllables

_VOWELS = set("aeiouáéíóúü")
_ONSETS = {"pl", "bl", "fl", "gl", "kl", "cl", "pr", "br", "fr", "gr", "kr", "cr", "dr", "tr", "ch", "ll", "rr"}


def syllable_breaks(word: str) -> list[int]:
    """Offsets inside ``word`` (letters only) where a Spanish syllable starts with a consonant:
    V-CV, VC-CV, V-CCV for the inseparable onsets (pl, br, tr, ch, ll, rr ...), VC-CCV and
    VCC-CV for three consonants, VCC-CCV for four. Vowel sequences are never cut (a typesetter
    does not break 'ide-a' at a line end), nor are the last and first two letters."""
    w = word.lower()
    n = len(w)
    breaks: list[int] = []
    i = 0
    while i < n and w[i] not in _VOWELS:       # the onset of the first syllable
        i += 1
    while i < n:
        while i < n and w[i] in _VOWELS:
            i += 1
        j = i
        while j < n and w[j] not in _VOWELS:
            j += 1
        if j >= n:                               # trailing consonants close the last syllable
            break
        cons = w[i:j]
        k = len(cons)
        if k == 1:
            cut = i
        elif k == 2:
            cut = i if cons in _ONSETS else i + 1
        elif k == 3:
            cut = i + 1 if cons[1:] in _ONSETS else i + 2
        else:
            cut = i + 2 if cons[2:] in _ONSETS else i + 3
        if cons[:2] in ("ch", "ll", "rr") and k >= 2 and cut == i + 1:
            cut = i                              # a digraph is never split
        if 2 <= cut <= n - 2:
            breaks.append(cut)
        i = j
    return breaks


_WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+")


def hyphenate(text: str) -> str:
    """``text`` with a soft hyphen at each syllable break of its longer ordinary words (lower
    case or capitalised, at least six letters; numbers, symbols and acronyms left whole)."""

    def one(m: re.Match) -> str:
        word = m.group(0)
        if len(word) < 6 or not (word[1:].islower()):
            return word
        start, end = m.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isdigit() or after.isdigit() or before in "-/." or after in "-/":
            return word
        cuts = [c for c in syllable_breaks(word) if 2 <= c <= len(word) - 3]
        pieces, last = [], 0
        for c in cuts:
            pieces.append(word[last:c])
            last = c
        pieces.append(word[last:])
        return SHY.join(pieces)

    return _WORD.sub(one, text)


# ----------------------------------------------------------------------------- Pango


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pango_version() -> str:
    exe = shutil.which("pango-view")
    if not exe:
        raise _skip("pango-view is needed (Debian pango1.0-tools)")
    return subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()


def pango_block(job: dict, folder: Path) -> tuple[np.ndarray, list[str]]:
    """Lay out and render one block with pango-view; its grey pixels and its lines as printed."""
    stem = folder / job["id"]
    (stem.with_suffix(".txt")).write_text(job["markup"], encoding="utf-8")
    family = FAMILIES[job["font"]][0]
    cmd = ["pango-view", "-q", "--markup", "--margin=0", f"--dpi={DPI}", "--language=es", "--hinting=none",
           f"--font={family} {job['size']:g}", f"--width={round(job['width'])}", f"--align={job.get('align', 'left')}",
           f"--output={stem.with_suffix('.png')}", f"--serialize-to={stem.with_suffix('.json')}"]
    if job.get("justify"):
        cmd.append("--justify")
    if job.get("indent"):
        cmd.append(f"--indent={round(job['indent'])}")
    if job.get("spacing"):
        cmd.append(f"--spacing={round(job['spacing'])}")
    cmd.append(str(stem.with_suffix(".txt")))
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    data = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    raw = data["text"].encode("utf-8")
    lines = []
    for ln in data["output"]["lines"]:
        piece = raw[ln["start-index"]:ln["start-index"] + ln["length"]].decode("utf-8")
        piece = piece.rstrip("\n ")
        broke = piece.endswith(SHY)
        piece = piece.replace(SHY, "").strip()
        lines.append(piece + ("-" if broke and piece else ""))
    grey = np.asarray(Image.open(stem.with_suffix(".png")).convert("L"))
    return grey, lines


# ----------------------------------------------------------------------------- layouts

LAYOUTS = ("ar-inpi", "mx-dos-columnas", "reivindicaciones", "mx-titulo")


def layout_for(k: int) -> str:
    """Four pages in a row show the four layouts, in an order drawn for that run of four."""
    order = np.random.default_rng([SEED, k // 4, 11]).permutation(4)
    return LAYOUTS[int(order[k % 4])]


def _caps(s: str, plain: bool) -> str:
    s = s.upper()
    if not plain:
        return s
    keep = s.replace("Ñ", "\0").replace("Ü", "\1")
    keep = "".join(c for c in unicodedata.normalize("NFD", keep) if not unicodedata.combining(c))
    return keep.replace("\0", "Ñ").replace("\1", "Ü")


def page_spec(k: int, blocks: list[Block], total: int) -> dict:
    """Geometry, head, foot and a stream of text jobs for page ``k`` (0-based), longer than the
    page holds (composition stops when the last column is full)."""
    rng = np.random.default_rng([SEED, k])
    kind = layout_for(k)
    plain = bool(rng.random() < 0.3)          # headings in capitals without their accents
    if kind == "ar-inpi":
        size, body, cols, paper = float(rng.choice([11.0, 11.5, 12.0])), "libertine", 1, A4
        numbered, lead = True, float(rng.uniform(1.0, 3.0))
    elif kind == "mx-dos-columnas":
        size, body, cols, paper = float(rng.choice([9.0, 9.5])), "opensans", 2, LETTER
        numbered, lead = True, float(rng.uniform(0.5, 1.5))
    elif kind == "reivindicaciones":
        size, body, cols, paper = float(rng.choice([10.5, 11.0, 12.0])), "charis", 1, (A4 if rng.random() < 0.5 else LETTER)
        numbered, lead = False, float(rng.uniform(2.0, 4.0))
    else:
        size, body, cols, paper = float(rng.choice([9.5, 10.0])), "biolinum", 2, LETTER
        numbered, lead = True, float(rng.uniform(0.8, 1.8))
    w, h = paper
    left = float(rng.uniform(60, 80)) if cols == 1 else float(rng.uniform(48, 58))
    right = float(rng.uniform(55, 70)) if cols == 1 else left
    gutter = float(rng.uniform(16, 22))
    col_w = (w - left - right - gutter * (cols - 1)) / cols
    ar = kind == "ar-inpi" or (kind == "reivindicaciones" and paper == A4)
    pub = (f"AR 24{int(rng.integers(1000, 9999))} A1" if ar
           else f"MX/a/2013/01{int(rng.integers(1000, 9999))}")
    head_font = "biolinum" if body != "biolinum" else "charis"
    page_word = str(rng.choice(["Pág.", "Hoja", "Página"]))
    spec: dict = {"name": f"p{k + 1:03d}", "kind": kind, "width": w, "height": h, "left": left, "right": right,
                  "top": float(rng.uniform(86, 100)), "bottom": float(rng.uniform(60, 76)), "gutter": gutter,
                  "cols": cols, "col_w": col_w, "rule": {"y": 60.0, "weight": float(rng.uniform(0.5, 1.0))},
                  "head": [{"markup": f"<b>{_esc(pub)}</b>", "font": head_font, "size": 9.5, "align": "left", "y": 44.0},
                           {"markup": _esc(f"{page_word} {k + 1} de {total}"), "font": head_font, "size": 9.0,
                            "align": "right", "y": 44.0}],
                  "foot": {"markup": _esc(f"– {k + 1} –" if rng.random() < 0.5 else f"{k + 1}"), "font": body,
                           "size": 9.0, "y": h - 40.0}}
    jobs: list[dict] = []

    def job(markup: str, **kw) -> None:
        jobs.append({"markup": markup, "font": kw.pop("font", body), "size": kw.pop("size", size),
                     "width": kw.pop("width", col_w), "justify": kw.pop("justify", True), "before": kw.pop("before", lead),
                     **kw})

    start = int(rng.integers(0, len(blocks)))
    if kind == "mx-titulo":
        # the page opens with the document whose title it prints: the first titled document from start on
        heads = [i for i, b in enumerate(blocks) if b.title and (i == 0 or blocks[i - 1].doc != b.doc)]
        if heads:
            start = next((i for i in heads if i >= start), heads[0])
    if kind == "reivindicaciones":
        # every claim of the text once (from a drawn claim on), then the stream goes on as elsewhere
        claims = [b for b in blocks if b.kind == "claim"]
        first = int(rng.integers(0, len(claims))) if claims else 0
        stream = claims[first:] + claims[:first] + [b for b in blocks[start:] + blocks[:start] if b.kind != "claim"]
        job(f"<b>{_esc(_caps('Reivindicaciones', plain))}</b>", align="center", justify=False, size=size * 1.15,
            before=0.0, keep=True)
    else:
        stream = blocks[start:] + blocks[:start]          # each paragraph at most once a page
    page_title = ""
    if kind == "mx-titulo":
        page_title = next((b.title for b in stream if b.title), "")
        if page_title:
            spec["title"] = {"markup": f"<b>{_esc(page_title.upper())}</b>", "font": body, "size": size * 1.3,
                             "align": "center", "width": w - left - right}
    para_no: dict[int, int] = {}
    claim_no: dict[int, int] = {}
    last_doc, last_part, in_claims = -1, "", kind == "reivindicaciones"
    for b in stream:
        if in_claims and b.kind != "claim":
            in_claims = False
            last_doc = -1
        if b.doc != last_doc:
            number = printed_number(b.number)
            title = b.title if b.title != page_title or jobs else ""
            label = " ".join(x for x in (number, title) if x)
            if label:
                job(f"<b>{_esc(label)}</b>", justify=False, before=lead + size * 0.6, keep=True)
            last_doc, last_part = b.doc, ""
            para_no[b.doc], claim_no[b.doc] = 0, 0
        if not in_claims and b.part != last_part and b.part in ("resumen", "reivindicaciones"):
            job(f"<b>{_esc(_caps(b.part, plain))}</b>", align="center", justify=False, before=lead + size * 0.3,
                keep=True)
        last_part = b.part
        text = _esc(hyphenate(b.text))
        if b.kind == "head":
            job(f"<b>{_esc(_caps(b.text, plain))}</b>", align="left" if cols == 2 else "center", justify=False,
                before=lead + size * 0.3, keep=True)
        elif b.kind == "claim":
            claim_no[b.doc] += 1
            num = f"{claim_no[b.doc]}." if rng.random() < 0.6 else f"{claim_no[b.doc]}.-"
            job(f"{num} {text}", indent=size * 1.5 if kind != "reivindicaciones" else 0.0)
        elif numbered and (b.part == "descripcion" or kind == "mx-dos-columnas"):
            para_no[b.doc] += 1
            job(f"<b>[{para_no[b.doc]:04d}]</b> {text}")
        else:
            job(text, indent=size * 2.0)
    for n, j in enumerate(jobs):
        j["id"] = f"b{n:03d}"
    spec["jobs"] = jobs
    spec["line_gap"] = float(rng.uniform(0.5, 2.5)) if kind != "reivindicaciones" else float(rng.uniform(3.0, 6.0))
    return spec


# ----------------------------------------------------------------------------- composition


def _lines_of(grey: np.ndarray, n: int) -> list[tuple[int, int]]:
    """Pixel row ranges of the ``n`` lines of a rendered block (Pango's lines are equally tall
    for one font and size; the rendering holds exactly their logical height)."""
    h = grey.shape[0]
    return [(round(i * h / n), round((i + 1) * h / n)) for i in range(n)]


def compose_page(spec: dict, folder: Path) -> tuple[np.ndarray, str]:
    """Render the page's blocks with Pango (only as many as it needs) and place them."""
    w, h = round(spec["width"] * PX), round(spec["height"] * PX)
    page = np.full((h, w), 255, dtype=np.uint8)
    truth: list[str] = []

    def paste(grey: np.ndarray, x: int, y: int) -> None:
        gh, gw = grey.shape
        gh, gw = min(gh, h - y), min(gw, w - x)
        if gh > 0 and gw > 0:
            page[y:y + gh, x:x + gw] = np.minimum(page[y:y + gh, x:x + gw], grey[:gh, :gw])

    def single(item: dict, width: float) -> tuple[np.ndarray, list[str]]:
        return pango_block({"width": width, "justify": False, **item, "id": f"{spec['name']}_{item['id']}"}, folder)

    # head: number left, page right, one baseline; then the rule
    head_lines = []
    for n, item in enumerate(spec["head"]):
        grey, lines = single({**item, "id": f"head{n}"}, spec["width"] - spec["left"] - spec["right"])
        x = round(spec["left"] * PX)
        if item["align"] == "right":
            ink = np.where(grey.min(axis=0) < 128)[0]
            right_edge = int(ink[-1]) + 1 if ink.size else grey.shape[1]
            x = round((spec["width"] - spec["right"]) * PX) - right_edge
        paste(grey, x, round(item["y"] * PX))
        head_lines += lines
    truth.append(" ".join(head_lines))
    ry = round(spec["rule"]["y"] * PX)
    page[ry:ry + max(1, round(spec["rule"]["weight"] * PX)), round(spec["left"] * PX):round((spec["width"] - spec["right"]) * PX)] = 0
    y0 = round(spec["top"] * PX)
    if "title" in spec:
        t = spec["title"]
        grey, lines = single({**t, "id": "title"}, t["width"])
        paste(grey, round(spec["left"] * PX), y0)
        truth += lines
        y0 += grey.shape[0] + round(14 * PX)
    bottom = h - round(spec["bottom"] * PX)
    col = 0
    x = round(spec["left"] * PX)
    y = y0
    jobs = spec["jobs"]
    k = 0
    while k < len(jobs) and col < spec["cols"]:
        j = jobs[k]
        grey, lines = pango_block({**j, "id": f"{spec['name']}_{j['id']}"}, folder)
        if not lines:
            k += 1
            continue
        rows = _lines_of(grey, len(lines))
        gap = round((j["before"] if y > y0 else 0.0) * PX)
        lead = round(spec["line_gap"] * PX)
        taken = 0
        y += gap
        while taken < len(lines):
            fits = 0
            yy = y
            for a, b in rows[taken:]:
                if yy + (b - a) > bottom:
                    break
                fits += 1
                yy += b - a + lead
            if j.get("keep") and fits < len(lines) - taken:
                fits = 0                      # a heading never stands alone at a column foot
            if fits and taken == 0 and fits == 1 and len(lines) > 2:
                fits = 0                      # no single first line at a column foot
            for a, b in rows[taken:taken + fits]:
                paste(grey[a:b], x, y)
                y += b - a + lead
            truth += lines[taken:taken + fits]
            taken += fits
            if taken < len(lines):
                col += 1
                if col >= spec["cols"]:
                    break
                x = round((spec["left"] + col * (spec["col_w"] + spec["gutter"])) * PX)
                y = y0
        k += 1
    f = spec["foot"]
    grey, lines = single({**f, "id": "foot"}, spec["width"] - spec["left"] - spec["right"])
    ink = np.where(grey.min(axis=0) < 128)[0]
    width_ink = int(ink[-1]) + 1 if ink.size else grey.shape[1]
    paste(grey, (w - width_ink) // 2, round(f["y"] * PX))
    truth += lines
    return page, "\n".join(t for t in truth if t.strip()) + "\n"


def compose(n: int) -> Path:
    """Compose pages 1..n once (kept by the hash of text, code and Pango version)."""
    blocks = read_text()
    for key, (family, path) in FAMILIES.items():
        if not Path(path).exists():
            raise _skip(f"font {path} is missing (fonts-linuxlibertine, fonts-sil-charis, fonts-open-sans)")
    version = pango_version()
    specs = [page_spec(k, blocks, n) for k in range(n)]
    digest = hashlib.sha256(json.dumps(specs, sort_keys=True, ensure_ascii=False).encode() + version.encode()
                            + Path(__file__).read_bytes()).hexdigest()[:16]
    folder = CACHE / digest
    if (folder / "done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)

    def one(spec: dict) -> None:
        with tempfile.TemporaryDirectory(prefix="es7-") as tmp:
            grey, text = compose_page(spec, Path(tmp))
        Image.fromarray(grey).save(folder / f"{spec['name']}.png")
        (folder / f"{spec['name']}.txt").write_text(text, encoding="utf-8")

    workers = max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, specs))
    (folder / "done").write_text("ok\n")
    return folder


# ----------------------------------------------------------------------------- scanner (numpy)


def _box(img: np.ndarray, r: int, axis: int) -> np.ndarray:
    """A moving average of width 2r+1 along ``axis`` (cumulative sums, edges repeated)."""
    if r <= 0:
        return img
    pad = [(0, 0), (0, 0)]
    pad[axis] = (r + 1, r)
    c = np.cumsum(np.pad(img, pad, mode="edge"), axis=axis, dtype=np.float64)
    n = img.shape[axis]
    hi = c.take(np.arange(2 * r + 1, 2 * r + 1 + n), axis=axis)
    lo = c.take(np.arange(0, n), axis=axis)
    return ((hi - lo) / (2 * r + 1)).astype(np.float32)


def _soften(img: np.ndarray, r: int, passes: int) -> np.ndarray:
    for _ in range(passes):
        img = _box(_box(img, r, 0), r, 1)
    return img


def _turn(img: np.ndarray, degrees: float, fill: int) -> np.ndarray:
    return np.asarray(Image.fromarray(img).rotate(degrees, resample=Image.BILINEAR, fillcolor=fill))


def scan_office(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """300-dpi bilevel office scan of the grey render (0 ink, 255 paper)."""
    h, w = grey.shape
    stretch = float(rng.uniform(0.996, 1.006))                       # feed speed
    g = np.asarray(Image.fromarray(grey).resize((w, round(h * stretch)), Image.BILINEAR))[:h]
    if g.shape[0] < h:
        g = np.vstack([g, np.full((h - g.shape[0], w), 255, np.uint8)])
    g = _turn(g, float(rng.uniform(-0.5, 0.5)), 255).astype(np.float32)
    g = _soften(g, 1, int(rng.integers(2, 4)))
    paper, ink = float(rng.uniform(225, 250)), float(rng.uniform(10, 45))
    g = ink + g * ((paper - ink) / 255.0)
    gain = 1.0 + np.cumsum(rng.normal(0, 0.0007, w)).astype(np.float32)   # sensor streaks along the feed
    gain = gain - gain.mean() + 1.0
    g *= np.clip(gain, 0.96, 1.03)[None, :]
    g += rng.normal(0, float(rng.uniform(2.5, 6.0)), g.shape).astype(np.float32)
    darkness = float(rng.uniform(-0.05, 0.12))
    level = ink + (paper - ink) * (0.5 + darkness)
    bw = np.where(g < level, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(3, 18))):
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        bw[y:y + int(rng.integers(1, 3)), x:x + int(rng.integers(1, 3))] = 0
    return bw


def scan_poor(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A poor 200-dpi grey JPEG: resampled, turned, defocused, low contrast, uneven light, noise."""
    h, w = grey.shape
    small = np.asarray(Image.fromarray(grey).resize((round(w * 2 / 3), round(h * 2 / 3)), Image.BILINEAR))
    g = _turn(small, float(rng.uniform(-1.2, 1.2)), 255).astype(np.float32)
    g = _soften(g, 1, int(rng.integers(2, 4)))
    ink, paper = float(rng.uniform(50, 95)), float(rng.uniform(178, 222))
    g = ink + g * ((paper - ink) / 255.0)
    hh, ww = g.shape
    ramp = np.linspace(0, 1, ww if rng.random() < 0.5 else hh, dtype=np.float32)
    if rng.random() < 0.5:
        ramp = ramp[::-1]
    fall = 1.0 - float(rng.uniform(0.04, 0.16)) * ramp
    g = g * (fall[None, :] if ramp.size == ww else fall[:, None])
    g += rng.normal(0, float(rng.uniform(3, 8)), g.shape).astype(np.float32)
    g = np.clip(g, 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(g).save(buf, format="JPEG", quality=int(rng.integers(25, 51)))
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))


# ----------------------------------------------------------------------------- the set


def pages(n: int, level: str):
    """Yield ``n`` pages as (image, dpi, text as typeset); ``level`` is ``office`` or ``poor``."""
    if level not in ("office", "poor"):
        raise ValueError(f"sealed7: level is office or poor, not {level!r}")
    folder = compose(n)
    for k in range(n):
        stem = folder / f"p{k + 1:03d}"
        grey = np.asarray(Image.open(stem.with_suffix(".png")).convert("L"))
        text = stem.with_suffix(".txt").read_text(encoding="utf-8")
        rng = np.random.default_rng([SEED, k, 3 if level == "office" else 5])
        if level == "office":
            yield scan_office(grey, rng), DPI, text
        else:
            yield scan_poor(grey, rng), 200, text


# ----------------------------------------------------------------------------- raw-CLI check


def _bag(text: str) -> Counter:
    """Words as ``digitize.evaluate`` counts them: NFKC, a line-end hyphen joined."""
    out: list[str] = []
    for w in unicodedata.normalize("NFKC", text).split():
        if out and len(out[-1]) > 1 and out[-1].endswith("-") and out[-1][-2].isalpha() and w[:1].islower():
            out[-1] = out[-1][:-1] + w
        else:
            out.append(w)
    return Counter(out)


def word_error(truth: str, read: str) -> float:
    t, r = _bag(truth), _bag(read)
    total = sum(t.values())
    return min(1.0, max(sum((t - r).values()), sum((r - t).values())) / total) if total else 0.0


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Write the sealed7 Spanish pages (and check them with raw tesseract).")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pages", type=int, default=24)
    ap.add_argument("--levels", default="office,poor")
    ap.add_argument("--check", action="store_true", help="read each page with `tesseract -l spa` (never digitize)")
    args = ap.parse_args(argv)
    for level in args.levels.split(","):
        folder = args.out / level
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for k, (img, dpi, text) in enumerate(pages(args.pages, level), start=1):
            stem = folder / f"sealed7_{level}_{k:03d}"
            Image.fromarray(img).save(stem.with_suffix(".png"), dpi=(dpi, dpi))
            stem.with_suffix(".txt").write_text(text, encoding="utf-8")
            line = f"{stem.name}: {len(text.split())} words, {layout_for(k - 1)}"
            if args.check:
                read = subprocess.run(["tesseract", str(stem.with_suffix(".png")), "-", "-l", "spa", "--dpi", str(dpi)],
                                      capture_output=True, text=True, check=True,
                                      env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
                e = word_error(text, read)
                rows.append((e, len(text.split())))
                line += f", raw tesseract -l spa order-free word error {e:.4f}"
            print(line, flush=True)
        if rows:
            words = sum(n for _, n in rows)
            errs = sorted(e for e, _ in rows)
            print(f"sealed7 {level}: {len(rows)} pages, {words} words, raw tesseract -l spa "
                  f"{sum(e * n for e, n in rows) / words:.4f} (word-weighted), median {errs[len(errs) // 2]:.4f}, "
                  f"worst {errs[-1]:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
