"""The sixth sealed Spanish page set for ``bench/spanish.py --part sealed6``: run only to report.

Built after ``sealed`` to ``sealed5`` were seen, by someone who never ran digitize on it; it shares
no code, no text, no document and no publication-number range with them:

* **Text**: Spanish patent prose (claims, abstracts, description openings) of 19 documents none of
  the earlier sets used: an MX-origin PCT application (PCT/MX2016/000112, nixtamalización), an MX
  patent's title (``ungüento``), an AR application's claim as quoted in observations filed with
  the INPI, OEPM publications (ES T3 translations, ES A1, ES U utility models, a P application) and
  PCT applications (PCT/IB2006/001954, PCT/ES2020/070539, PCT/ES2017/070772, PCT/CN2007/001047):
  reference numerals ``(130)``, ``(6 - 9)``, ``(200, 300)``, claim wording, ``0.3 a 2.0%``,
  ``(S)-2-(4-isobutilfenil)propiónico``, ``BSC/RNC``, ``3ª edad``.
  Excerpts read from stored public copies (sumobrain, patentados.com, docplayer, studylib,
  1library, mydokument, a university gazette), each headed by its number, applicant, title and address, in
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es6_patentes.txt`` (not committed: the text is
  the applicants'). The stream is short, so each page starts at its own block of it and a block
  comes back on other pages in another layout, font, size and line breaking.
* **Typesetting**: Java 2D (``bench/sealed_es6/Compose.java``, compiled into
  ``build/sealed-es6-java`` at run time, called once for all pages with a JSON spec). It measures
  every word with the fonts' own metrics (``Font.createFont`` from the files), breaks each
  paragraph with a total-fit line breaker over word and Spanish syllable breaks (its own
  syllabification), justifies or leaves ragged, fills one or two columns and draws every word with
  ``Graphics2D.drawString`` on a 300-dpi grey ``BufferedImage``. Fonts no earlier Spanish set
  used: Caladea and Carlito (Debian ``fonts-crosextra-caladea``, ``fonts-crosextra-carlito``),
  Nimbus Sans Narrow and Nimbus Mono PS (``fonts-urw-base35``). Five layouts, body 9-12 pt: an
  AR INPI-like *memoria* (A4, one column, ``AR 08xxxx A1`` head over a rule); an MX IMPI-like
  two-column page (letter size, ``PA/a/2004/00xxxx`` head); a claims page (``REIVINDICACIONES``,
  hanging numbers); an MX two-column page under a full-width title in capitals; a typewritten MX
  *memoria descriptiva* (monospaced, ragged right, wide leading). Description paragraphs of the MX
  layouts carry ``[0001]`` numbers in bold; section words in capitals, a third without accents.
* **Truth**: the lines as typeset, in reading order (head, title, left column, right column,
  footer); a word broken at a line end keeps its ``-`` (``evaluate`` joins it with the next
  line's first word, for truth and output alike).
* **Scanner** (own model, numpy): ``office``: the grey render turned up to 0.6 degrees (bilinear),
  a Gaussian optical blur of 0.55-0.95 px, paper shade and sensor noise, then one global threshold
  between paper and ink moved by the scanner's darkness setting: bilevel 0/255, thin strokes and
  accents as the threshold leaves them, a few specks (``spanish.py`` stores CCITT G4).
  ``poor``: the render averaged down to 200 dpi, turned up to 1.4 degrees, blurred 0.8-1.3 px,
  low contrast on uneven light, noise and a JPEG round trip at quality 30-55 (``spanish.py``
  then saves a JPEG at quality 90).

Deterministic from ``SEED``: the layout depends on the page number only (both levels show the same
pages); pixels on the seed, page and level, for one JDK and font version. The composed pages are
kept in ``build/sealed-es6-pages/<hash>`` (the hash of the spec and of Compose.java).

    python bench/sealed_es6.py --out DIR [--pages N] [--levels office,poor] [--check]

writes each page's image and truth to DIR/<level>/; ``--check`` reads them with the raw
``tesseract -l spa`` CLI (never digitize) and prints each page's order-free word error against its
truth. Needs a JDK (``javac``, ``java``), ``fonts-crosextra-caladea``, ``fonts-crosextra-carlito``
and ``fonts-urw-base35``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

SEED = 6_2026_1207_6
ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "sealed_es6"
TEXT = (Path(os.environ.get("DIGITIZE_REAL_SETS", ROOT / "build" / "real-sets"))
        / "spanish-patent-text" / "sealed_es6_patentes.txt")
CLASSES = ROOT / "build" / "sealed-es6-java"
PAGES = ROOT / "build" / "sealed-es6-pages"
DPI = 300
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)

FONT_FILES = {
    "caladea": "/usr/share/fonts/truetype/crosextra/Caladea-Regular.ttf",
    "caladea-bold": "/usr/share/fonts/truetype/crosextra/Caladea-Bold.ttf",
    "carlito": "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
    "carlito-bold": "/usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf",
    "narrow": "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Regular.otf",
    "narrow-bold": "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Bold.otf",
    "mono": "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf",
    "mono-bold": "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Bold.otf",
}


def _skip(why: str) -> SystemExit:
    return SystemExit(f"sealed6: {why}; skipped")


# ----------------------------------------------------------------------------- the text


@dataclass(frozen=True)
class Para:
    doc: int
    number: str
    title: str
    part: str        # resumen | descripcion | reivindicaciones
    kind: str        # text | head | claim
    text: str


def read_text() -> list[Para]:
    """The paragraphs of the sealed text, in order (see the file's own header for its format)."""
    if not TEXT.exists():
        raise _skip(f"{TEXT} is missing (the sealed Spanish patent text of bench/sealed_es6.py)")
    out: list[Para] = []
    doc, number, title, part, buf = -1, "", "", "descripcion", []

    def flush() -> None:
        if buf:
            text = " ".join(buf)
            buf.clear()
            m = re.match(r"^(\d+)\.-?\s+", text)
            if part == "reivindicaciones" and m:
                out.append(Para(doc, number, title, part, "claim", text[m.end():]))
            else:
                out.append(Para(doc, number, title, part, "text", text))

    for raw in TEXT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue
        if line.startswith("DOC:"):
            flush()
            fields = [f.strip() for f in line[4:].split(" | ")]
            doc, number, title, part = doc + 1, fields[0], fields[2], "descripcion"
        elif line.startswith("PART:"):
            flush()
            part = line[5:].strip()
        elif line.startswith("HEAD:"):
            flush()
            out.append(Para(doc, number, title, part, "head", line[5:].strip()))
        elif line:
            buf.append(line)
        else:
            flush()
    flush()
    if not out:
        raise _skip(f"{TEXT} holds no paragraph")
    return out


def _plain_caps(s: str) -> str:
    """Capitals without their accents, as some offices print headings (Ñ and Ü kept)."""
    keep = {"Ñ": "\0", "Ü": "\1"}
    for a, b in keep.items():
        s = s.replace(a, b)
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    return s.replace("\0", "Ñ").replace("\1", "Ü")


def _printed_number(number: str) -> str:
    """The document number as a page prints it, or '' when the copy gives none."""
    cleaned = re.sub(r"\s+", " ", re.sub(r"\([^)]*\)|,.*$", "", number)).strip()
    if "patentados" in cleaned or len(re.findall(r"\d", cleaned)) < 3:
        return ""
    return cleaned


# ----------------------------------------------------------------------------- layouts


LAYOUTS = ("ar-memoria", "mx-gaceta", "reivindicaciones", "mx-titulo", "mx-maquina")


def layout_for(k: int) -> str:
    """Each run of five pages shows the five layouts once, in an order drawn for that run."""
    order = np.random.default_rng([SEED, k // len(LAYOUTS), 7]).permutation(len(LAYOUTS))
    return LAYOUTS[int(order[k % len(LAYOUTS)])]


def page_spec(k: int, paras: list[Para], total: int) -> dict:
    """The JSON spec of page ``k`` (0-based): its geometry, head, foot and a stream of blocks
    longer than the page holds (the composer stops when the columns are full)."""
    rng = np.random.default_rng([SEED, k])
    kind = layout_for(k)
    ar = kind == "ar-memoria"
    w, h = A4 if ar or kind == "reivindicaciones" and rng.random() < 0.5 else LETTER
    pub = (f"AR 08{int(rng.integers(1000, 9999))} A1" if ar or kind == "reivindicaciones" and w == A4[0]
           else f"PA/a/2004/00{int(rng.integers(1000, 9999))}")
    if kind == "ar-memoria":
        body, bold, size, cols = "caladea", "caladea-bold", float(rng.choice([11.0, 11.5, 12.0])), 1
        lead, align, numbered = size * float(rng.uniform(1.3, 1.45)), "justify", rng.random() < 0.5
    elif kind == "mx-gaceta":
        body, bold, size, cols = "narrow", "narrow-bold", float(rng.choice([9.0, 9.5])), 2
        lead, align, numbered = size * 1.22, "justify", True
    elif kind == "reivindicaciones":
        body, bold, size, cols = "carlito", "carlito-bold", float(rng.choice([11.0, 11.5, 12.0])), 1
        lead, align, numbered = size * float(rng.uniform(1.35, 1.6)), "justify", False
    elif kind == "mx-titulo":
        body, bold, size, cols = "caladea", "caladea-bold", float(rng.choice([9.5, 10.0])), 2
        lead, align, numbered = size * 1.25, "justify", True
    else:
        body, bold, size, cols = "mono", "mono-bold", float(rng.choice([10.0, 10.5, 11.0])), 1
        lead, align, numbered = size * float(rng.uniform(1.6, 2.0)), "left", False
    left = float(rng.uniform(62, 82)) if cols == 1 else float(rng.uniform(50, 60))
    right = float(rng.uniform(56, 72)) if cols == 1 else left
    head_font = "carlito-bold" if body != "carlito" else "narrow-bold"
    page_word = "Página" if rng.random() < 0.5 else "Hoja"
    spec: dict = {
        "name": f"p{k + 1:03d}", "width": w, "height": h, "dpi": DPI, "columns": cols,
        "left": left, "right": right, "top": 96.0 if kind != "mx-maquina" else 108.0,
        "bottom": float(rng.uniform(64, 80)), "gutter": float(rng.uniform(14, 20)), "lead": lead,
        "ink": int(rng.integers(0, 40)),
        "head": [{"text": pub, "font": head_font, "size": 9.5, "align": "left" if kind != "mx-maquina" else "right",
                  "y": 54.0}],
        "rules": [], "foot": [],
    }
    if kind != "mx-maquina":
        spec["head"].append({"text": f"{page_word} {k + 1} de {total}", "font": body, "size": 9.0, "align": "right",
                             "y": 54.0})
        spec["rules"].append({"y": 62.0, "weight": 0.7})
        spec["foot"].append({"text": f"{k + 1}", "font": body, "size": 9.0, "align": "center", "y": h - 36.0})
    else:
        spec["foot"].append({"text": f"- {k + 1} -", "font": body, "size": size, "align": "center", "y": h - 44.0})

    def caps(s: str) -> str:
        s = s.upper()
        return _plain_caps(s) if rng.random() < 0.33 else s

    blocks: list[dict] = []
    if kind == "reivindicaciones":
        pool = [p for p in paras if p.kind == "claim"]
        blocks.append({"text": caps("Reivindicaciones"), "font": bold, "size": size * 1.1, "align": "center",
                       "keep": 3})
    else:
        pool = paras
    start = int(rng.integers(0, len(pool)))
    if kind == "mx-titulo":
        spec["title"] = {"text": pool[start].title.upper(), "font": bold, "size": size * 1.25, "align": "center",
                         "lead": size * 1.25 * 1.3, "after": lead * 1.2}
    if kind == "mx-maquina":
        blocks.append({"text": caps("Memoria descriptiva"), "font": bold, "size": size, "align": "center",
                       "keep": 3})
    counters: dict[int, int] = {}
    claim_no: dict[int, int] = {}
    last_doc, last_part = -1, ""
    for i in range(len(pool) * 3):
        p = pool[(start + i) % len(pool)]
        if p.doc != last_doc:
            counters[p.doc], claim_no[p.doc] = 0, 0
            number = _printed_number(p.number)
            label = f"{number} {p.title}" if number and kind != "reivindicaciones" else p.title
            if kind == "reivindicaciones" and number:
                label = f"{number}. {p.title}"
            blocks.append({"text": label, "font": bold, "size": size, "align": "left", "before": lead * 0.8,
                           "keep": 3})
            last_doc, last_part = p.doc, ""
        if kind != "reivindicaciones" and p.part != last_part and p.part in ("resumen", "reivindicaciones"):
            blocks.append({"text": caps(p.part), "font": bold, "size": size, "align": "center",
                           "before": lead * 0.5, "keep": 3})
        last_part = p.part
        if p.kind == "head":
            blocks.append({"text": caps(p.text), "font": bold, "size": size, "align": "center",
                           "before": lead * 0.5, "keep": 3})
            continue
        block = {"text": p.text, "font": body, "size": size, "align": align, "hyphenate": True,
                 "before": lead * (0.5 if kind != "mx-maquina" else 0.0), "keep": 2}
        if p.kind == "claim":
            claim_no[p.doc] = claim_no.get(p.doc, 0) + 1
            block.update(prefix=f"{claim_no[p.doc]}.", prefix_font=body if kind != "mx-gaceta" else bold)
            if kind == "reivindicaciones":
                block["hang"] = 1
        elif numbered and p.part == "descripcion":
            counters[p.doc] = counters.get(p.doc, 0) + 1
            block.update(prefix=f"[{counters[p.doc]:04d}]", prefix_font=bold)
        else:
            block["first"] = size * (1.5 if kind != "mx-maquina" else 4.0)
        blocks.append(block)
    spec["blocks"] = blocks
    return spec


# ----------------------------------------------------------------------------- Java


def _java() -> tuple[str, str]:
    javac, java = shutil.which("javac"), shutil.which("java")
    if not javac or not java:
        raise _skip("a JDK is needed (javac and java; Debian openjdk-17-jdk-headless)")
    return javac, java


def compose(n: int) -> Path:
    """Compose pages 1..n with Java 2D (once: the result is kept by the hash of spec and code)."""
    paras = read_text()
    for key, path in FONT_FILES.items():
        if not Path(path).exists():
            raise _skip(f"font {path} is missing (fonts-crosextra-caladea, fonts-crosextra-carlito, fonts-urw-base35)")
    spec = {"fonts": FONT_FILES, "pages": [page_spec(k, paras, n) for k in range(n)]}
    source = (HERE / "Compose.java").read_bytes()
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode() + source).hexdigest()[:16]
    folder = PAGES / digest
    if (folder / "done").exists():
        return folder
    javac, java = _java()
    stamp = CLASSES / "source.sha256"
    if not (CLASSES / "Compose.class").exists() or not stamp.exists() or stamp.read_text() != hashlib.sha256(source).hexdigest():
        CLASSES.mkdir(parents=True, exist_ok=True)
        subprocess.run([javac, "-encoding", "UTF-8", "-d", str(CLASSES), str(HERE / "Compose.java")], check=True)
        stamp.write_text(hashlib.sha256(source).hexdigest())
    folder.mkdir(parents=True, exist_ok=True)
    spec["out"] = str(folder)
    (folder / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    subprocess.run([java, "-Djava.awt.headless=true", "-Xmx768m", "-XX:ActiveProcessorCount=1", "-cp", str(CLASSES),
                    "Compose", str(folder / "spec.json")], check=True, capture_output=True, text=True)
    (folder / "done").write_text("ok\n")
    return folder


# ----------------------------------------------------------------------------- scanner (numpy)


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    """A smooth random surface in about [-1, 1]: a coarse grid of values, bilinearly enlarged."""
    grid = rng.uniform(-1, 1, (cells + 1, cells + 1))
    ys = np.linspace(0, cells, shape[0])
    xs = np.linspace(0, cells, shape[1])
    y0 = np.minimum(ys.astype(int), cells - 1)
    x0 = np.minimum(xs.astype(int), cells - 1)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    a = grid[y0][:, x0]
    b = grid[y0][:, x0 + 1]
    c = grid[y0 + 1][:, x0]
    d = grid[y0 + 1][:, x0 + 1]
    return ((a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy).astype(np.float32)


def _gauss(img: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur by shifted sums (edges repeat)."""
    r = max(1, int(np.ceil(3 * sigma)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k = (k / k.sum()).astype(np.float32)
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (r, r)
        p = np.pad(img, pad, mode="edge")
        acc = np.zeros_like(img)
        n = img.shape[axis]
        for i, wgt in enumerate(k):
            acc += wgt * (p[i:i + n, :] if axis == 0 else p[:, i:i + n])
        img = acc
    return img


def _turn(img: np.ndarray, degrees: float, fill: float, rng: np.random.Generator) -> np.ndarray:
    """Rotate about the page centre, with a small shift, by bilinear sampling (in bands)."""
    h, w = img.shape
    t = np.radians(degrees)
    c, s = np.cos(t), np.sin(t)
    dy, dx = rng.uniform(-8, 8, 2)
    out = np.empty_like(img)
    xs = np.arange(w, dtype=np.float32) - w / 2
    for y0 in range(0, h, 512):
        ys = np.arange(y0, min(h, y0 + 512), dtype=np.float32)[:, None] - h / 2
        sx = c * xs[None, :] + s * ys + w / 2 + dx
        sy = -s * xs[None, :] + c * ys + h / 2 + dy
        x0 = np.floor(sx).astype(np.int64)
        y0i = np.floor(sy).astype(np.int64)
        fx, fy = sx - x0, sy - y0i
        inside = (x0 >= 0) & (y0i >= 0) & (x0 < w - 1) & (y0i < h - 1)
        x0c, y0c = np.clip(x0, 0, w - 2), np.clip(y0i, 0, h - 2)
        v = (img[y0c, x0c] * (1 - fx) * (1 - fy) + img[y0c, x0c + 1] * fx * (1 - fy)
             + img[y0c + 1, x0c] * (1 - fx) * fy + img[y0c + 1, x0c + 1] * fx * fy)
        out[y0:y0 + ys.shape[0]] = np.where(inside, v, fill)
    return out


def scan_office(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 300-dpi office scan stored bilevel: the grey render turned a little, blurred by the optics,
    on paper of uneven shade with sensor noise, then one global threshold (0 ink, 255 paper)."""
    g = grey.astype(np.float32)
    g = _turn(g, float(rng.uniform(-0.6, 0.6)), 255.0, rng)
    g = _gauss(g, float(rng.uniform(0.55, 0.95)))
    paper = float(rng.uniform(228, 248))
    g = g * (paper / 255.0) + 6.0 * _smooth_field(rng, g.shape, 5)
    g += rng.normal(0, float(rng.uniform(3, 7)), g.shape).astype(np.float32)
    level = 0.5 * paper + float(rng.uniform(-30, 22))     # the darkness knob of the scanner
    bw = np.where(g < level, 0, 255).astype(np.uint8)
    h, w = bw.shape
    for _ in range(int(rng.integers(4, 25))):
        y, x, r = int(rng.integers(0, h - 4)), int(rng.integers(0, w - 4)), int(rng.integers(1, 3))
        bw[y:y + r + 1, x:x + r + 1] = 0
    return bw


def scan_poor(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A poor 200-dpi grey scan: averaged down from 300 dpi, turned, defocused, low contrast
    under uneven light, noisy, through a low-quality JPEG."""
    h, w = grey.shape
    small = np.asarray(Image.fromarray(grey).resize((round(w * 200 / DPI), round(h * 200 / DPI)), Image.BOX),
                       dtype=np.float32)
    g = _turn(small, float(rng.uniform(-1.4, 1.4)), 255.0, rng)
    g = _gauss(g, float(rng.uniform(0.8, 1.3)))
    ink, paper = float(rng.uniform(55, 100)), float(rng.uniform(175, 222))
    g = ink + g * ((paper - ink) / 255.0)
    g *= 1.0 + float(rng.uniform(0.05, 0.14)) * _smooth_field(rng, g.shape, 2)
    g += rng.normal(0, float(rng.uniform(4, 10)), g.shape).astype(np.float32)
    g = np.clip(g, 0, 255).astype(np.uint8)
    import io

    buf = io.BytesIO()
    Image.fromarray(g).save(buf, format="JPEG", quality=int(rng.integers(30, 56)))
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))


# ----------------------------------------------------------------------------- the set


def pages(n: int, level: str):
    """Yield ``n`` pages as (image, dpi, text as typeset); ``level`` is ``office`` or ``poor``."""
    if level not in ("office", "poor"):
        raise ValueError(f"sealed6: level is office or poor, not {level!r}")
    folder = compose(n)
    for k in range(n):
        stem = folder / f"p{k + 1:03d}"
        grey = np.asarray(Image.open(stem.with_suffix(".png")).convert("L"))
        text = stem.with_suffix(".txt").read_text(encoding="utf-8")
        rng = np.random.default_rng([SEED, k, 1 if level == "office" else 2])
        if level == "office":
            yield scan_office(grey, rng), DPI, text
        else:
            yield scan_poor(grey, rng), 200, text


# ----------------------------------------------------------------------------- raw-CLI check


def _words(text: str) -> Counter:
    """Words as ``digitize.evaluate`` counts them: NFKC, line-end hyphenation joined."""
    out: list[str] = []
    for w in unicodedata.normalize("NFKC", text).split():
        if out and len(out[-1]) > 1 and out[-1].endswith("-") and out[-1][-2].isalpha() and w[:1].islower():
            out[-1] = out[-1][:-1] + w
        else:
            out.append(w)
    return Counter(out)


def order_free_error(truth: str, read: str) -> float:
    t, r = _words(truth), _words(read)
    total = sum(t.values())
    return min(1.0, max(sum((t - r).values()), sum((r - t).values())) / total) if total else 0.0


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Write the sealed6 Spanish pages (and check them with raw tesseract).")
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
            stem = folder / f"sealed6_{level}_{k:03d}"
            Image.fromarray(img).save(stem.with_suffix(".png"), dpi=(dpi, dpi))
            stem.with_suffix(".txt").write_text(text, encoding="utf-8")
            line = f"{stem.name}: {len(text.split())} words, {layout_for(k - 1)}"
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
            print(f"sealed6 {level}: {len(rows)} pages, {words} words, raw tesseract -l spa "
                  f"{sum(e * n for e, n in rows) / words:.4f} (word-weighted), median {errs[len(errs) // 2]:.4f}, "
                  f"worst {errs[-1]:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
