"""Spanish pages: digitize (``--profile mx``) vs the raw ``tesseract -l spa`` CLI, page by page.

AR and MX are most of the volume, so Spanish text gets its own measurement, on four sets:

* ``own``: description paragraphs of ES 2993312 T1 (``../shared/data/patent-xml``), the team's
  own set. Not evidence: the ``patent-es`` vocabulary was counted from this very document, so
  every word on these pages is in the lexicon;
* ``tuning`` (looked at while developing): prose paragraphs with accents of Debian's Spanish
  manual pages, section 1 (package ``manpages-es``), typeset as the team's sets are
  (``digitize.synth``, DejaVu Sans 10.5 pt, one ragged column) and degraded by ``synth.degrade``;
* ``sealed`` (run only to report; ``bench/sealed_es.py``): other documents (manual pages of
  sections 7, 5 and 8), typeset by other code (Liberation Serif, justified, one or two columns,
  other sizes and margins, a running header) and degraded by a scanner model of its own;
* ``sealed2`` (run only to report; ``bench/sealed_es2.py``), fresh after ``sealed`` was seen:
  Spanish legal and technical prose of the BOE (the Patent Act's preamble, its regulation on
  descriptions and claims, a low-voltage technical instruction), laid out as patent publications
  (ES T3, EP B1 two columns, MX memoria, AR numbered paragraphs; line and paragraph numbers,
  hyphenation as printed) in Liberation Sans, Liberation Sans Narrow and DejaVu Serif, printed by
  headless Chromium, rasterised by pdftoppm and degraded by a third scanner model;
* ``sealed3`` (run only to report; ``bench/sealed_es3.py``), fresh after ``sealed2`` was seen:
  Spanish patent prose (abstracts, descriptions and claims of OEPM, IMPI and PCT publications:
  reference numerals, claim references, ``desagüe``, ``cigüeñal``), laid out as AR INPI and MX
  IMPI publications print them (one and two columns, line numbers, publication-number headers,
  headings in capitals with and without their accents), written by fpdf2, rasterised by PDFium
  and degraded by a fourth scanner model.
* ``sealed4`` (run only to report; ``bench/sealed_es4.py``; not in ``all``), fresh after ``sealed3``
  was seen: other Spanish patent prose (MX IMPI applications, PCT and OEPM publications: packaging,
  syringes, formwork, valves, terminals, pharmaceutical compositions), typeset by GNU troff
  (``groff -Tps``, Times, Helvetica, Bookman, Palatino; AR INPI and MX IMPI-like pages, one and two
  columns, ``[0001]`` paragraphs, numbered claims, a running head with the publication number,
  Spanish hyphenation as printed), rasterised by Ghostscript and degraded by a fifth scanner model;
  its text is not committed (``$DIGITIZE_REAL_SETS/spanish-patent-text``): ``--part sealed4 --pages 24``.
* ``sealed5`` (run only to report; ``bench/sealed_es5.py``; not in ``all``), fresh after ``sealed4``
  was seen: other Spanish patent prose (OEPM abstracts and descriptions, PCT applications from MX,
  ES and CA: olive oil by-products, an agave beer, a solar collector, a herbicide, dental implants,
  a disc brake), typeset with ImageMagick (``convert``: words measured once, lines broken and
  justified by the module with its own Spanish hyphenation, every word drawn at its place; Noto
  Serif, Noto Sans, DejaVu Sans Condensed, C059; AR INPI and MX IMPI-like pages, one and two
  columns, ``[0001]`` paragraphs, numbered claims, a running head with the publication number) and
  degraded by a sixth scanner model; its text is not committed: ``--part sealed5 --pages 24``.
* ``sealed6`` (run only to report; ``bench/sealed_es6.py``; not in ``all``), fresh after ``sealed5``
  was seen: other Spanish patent prose (an MX-origin PCT application on nixtamalización, an AR
  application's claim, OEPM T3/A1/U publications and PCT applications: a turret servo control, a
  machining fixture, vehicle levelling, sandwich panels, pharmaceutical compositions), typeset with
  Java 2D (``bench/sealed_es6/Compose.java``: the fonts' own metrics, a total-fit line breaker with
  its own Spanish syllable breaks, justification, every word drawn with ``drawString``; Caladea,
  Carlito, Nimbus Sans Narrow, Nimbus Mono PS; AR INPI and MX IMPI-like pages, one and two columns,
  ``[0001]`` paragraphs, numbered claims, a running head with the publication number, a typewritten
  *memoria*) and degraded by a seventh scanner model (numpy); its text is not committed:
  ``--part sealed6 --pages 24``.
* ``sealed7`` (run only to report; ``bench/sealed_es7.py``; not in ``all``), fresh after ``sealed6``
  was seen: other Spanish patent prose (OEPM abstracts and description openings, ES utility models,
  an ES T3, a PCT claim and two 1976 claims: a pollination station, wind-turbine blades, arsenic
  removal from copper concentrates, a belt tensioner, a laparoscopic robot), typeset by Pango
  (``pango-view``: Pango markup per block, Pango's own line breaking and justification at 300 dpi,
  Spanish syllable breaks given as soft hyphens; Linux Libertine O, Linux Biolinum O, Charis SIL,
  Open Sans; AR INPI and MX IMPI-like pages, one and two columns, ``[0001]`` paragraphs, numbered
  claims, a running head with the publication number), the blocks placed on the page in numpy,
  degraded by an eighth scanner model (numpy); its text is not committed: ``--part sealed7 --pages 24``.
* ``sealed8`` (run only to report; ``bench/sealed_es8.py``; not in ``all``), fresh after ``sealed7``
  was seen: other Spanish patent prose (ES T3 translations, ES utility models, a 1957 ES patent, PCT
  applications filed in Spanish, one of them Colombian: coatings by PVD, concrete dye, dairy and food
  products, a nasogastric tube holder, a chair, a brick, window frames), set as hand-made PostScript
  written by the module (its own line filling and justification from the fonts' advance widths, read
  with fontTools or from AFM; ``widthshow``/``ashow``/``moveto``; its own Spanish syllable breaks
  printed with a hyphen; EB Garamond, Lato, URW Gothic reencoded to Latin-1; AR INPI and MX IMPI-like
  pages, one and two columns, ``[0001]`` paragraphs, numbered claims, a running head with the
  publication number), rasterised by Ghostscript (one call a level) and degraded by a ninth scanner
  model (numpy); its text is not committed: ``--part sealed8 --pages 24``.

Both at ``office`` (bilevel G4 TIFF, 300 dpi) and ``poor`` (grey JPEG, 200 dpi). Scores are
order-independent word error (``digitize.evaluate``); the ratio line is printed last.

    python bench/spanish.py [--part own|tuning|sealed|sealed2|sealed3|sealed4|sealed5|sealed6|sealed7|sealed8|all] [--pages N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

from digitize.evaluate import evaluate  # noqa: E402
from digitize.synth import degrade, render_text_page, write_tiff  # noqa: E402

SHARED = Path(os.environ.get("DIGITIZE_SHARED_DATA", common.ROOT.parent / "shared" / "data"))
WRAP = 72
LINES_PER_PAGE = 44


def own_paragraphs() -> list[str]:
    xml = (SHARED / "patent-xml" / "ES2993312T1.xml").read_text(encoding="utf-8")
    paras = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", p)).strip()
             for p in re.findall(r'<p id="[^"]*" num="\d+">(.*?)</p>', xml, re.S)]
    return [p for p in paras if len(p) > 200 and not re.search(r"[<>=]|\d{4,}", p)]


def team_pages(paragraphs: list[str], n: int) -> list[tuple[list[str], str]]:
    """Pages of lines as the team's sets typeset them, and their text."""
    import textwrap

    pages, lines = [], []
    for para in paragraphs:
        block = textwrap.wrap(para, WRAP) + [""]
        if len(lines) + len(block) > LINES_PER_PAGE:
            pages.append((lines, " ".join(ln for ln in lines if ln)))
            lines = []
            if len(pages) == n:
                break
        lines += block
    return pages


def build(part: str, level: str, n: int, folder: Path) -> list[Path]:
    """Page images and their truth (``<stem>.txt`` in ``folder/truth``); returns the images."""
    truth = common.fresh(folder / "truth")
    images = common.fresh(folder / "pages")
    out = []
    if part in ("own", "tuning"):
        paras = own_paragraphs()[5:] if part == "own" else common.man_paragraphs(("man1",))
        for k, (lines, text) in enumerate(team_pages(paras, n), start=1):
            img = render_text_page(lines, font_pt=10.5)
            stem = f"{part}_{level}_{k:03d}"
            d, dpi = degrade(img, level, 9000 + k)
            out.append(_save(d, dpi, level, images / stem))
            (truth / f"{stem}.txt").write_text(text, encoding="utf-8")
    elif part in ("sealed2", "sealed3", "sealed4", "sealed5", "sealed6", "sealed7", "sealed8"):
        import importlib

        source = importlib.import_module({"sealed2": "sealed_es2", "sealed3": "sealed_es3", "sealed4": "sealed_es4",
                                          "sealed5": "sealed_es5", "sealed6": "sealed_es6",
                                          "sealed7": "sealed_es7", "sealed8": "sealed_es8"}[part])
        for k, (img, dpi, text) in enumerate(source.pages(n, level), start=1):
            stem = f"{part}_{level}_{k:03d}"
            out.append(_save(img, dpi, level, images / stem))
            (truth / f"{stem}.txt").write_text(text, encoding="utf-8")
    else:
        import sealed_es

        for k, (img, dpi, text) in enumerate(sealed_es.pages(n, level), start=1):
            stem = f"sealed_{level}_{k:03d}"
            out.append(_save(img, dpi, level, images / stem))
            (truth / f"{stem}.txt").write_text(text, encoding="utf-8")
    return out


def _save(img, dpi: int, level: str, base: Path) -> Path:
    from PIL import Image

    if level == "office":
        return write_tiff([img], base.with_suffix(".tif"), dpi)
    path = base.with_suffix(".jpg")
    Image.fromarray(img).save(path, quality=90, dpi=(dpi, dpi))
    return path


def run_raw(pages: list[Path], out: Path, jobs: int) -> float:
    common.fresh(out)

    def one(page: Path) -> None:
        cmd = ["tesseract", str(page), str(out / page.stem), "-l", "spa", "txt"]
        subprocess.run(cmd, env=common.ENV, capture_output=True, text=True, check=True)

    t = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, pages))
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=("own", "tuning", "sealed", "sealed2", "sealed3", "sealed4", "sealed5", "sealed6",
                                       "sealed7", "sealed8", "all"),
                    default="tuning")
    ap.add_argument("--levels", default="office,poor")
    ap.add_argument("--pages", type=int, default=12, help="pages a part and level (default 12)")
    ap.add_argument("--profile", default="mx")
    ap.add_argument("--workers", type=int, default=common.cores())
    ap.add_argument("--work", type=Path, default=common.ROOT / "build" / "bench-work" / "spanish")
    ap.add_argument("--reuse-raw", action="store_true", help="keep the raw CLI outputs of an earlier run")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    parts = ("own", "tuning", "sealed", "sealed2", "sealed3") if args.part == "all" else (args.part,)
    summary, record = [], {}
    worst_all = 0.0
    for part in parts:
        for level in args.levels.split(","):
            work = args.work / f"{part}-{level}"
            raw_dir = work / "tesseract"
            if args.reuse_raw and (work / "pages").is_dir() and raw_dir.is_dir():
                pages = sorted(p for p in (work / "pages").iterdir())
                t_raw = float((work / "tesseract-seconds.txt").read_text())
            else:
                pages = build(part, level, args.pages, work)
                t_raw = run_raw(pages, raw_dir, args.workers)
                (work / "tesseract-seconds.txt").write_text(f"{t_raw:.3f}\n")
            r = common.run_digitize(pages, work / "digitize", args.workers, profile=args.profile,
                                    extra=("--formats", ""))
            dig, raw = evaluate(work / "digitize", work / "truth"), evaluate(raw_dir, work / "truth")
            by_raw = {u.name: u for u in raw.units}
            # each page: name, OWE digitize, OWE raw, blank, then the order-sensitive WER digitize and raw
            rows = [(u.name, u.owe, by_raw[u.name].owe, u.blank, u.wer, by_raw[u.name].wer)
                    for u in dig.units if u.name in by_raw]
            print(f"== {part} {level}: {len(rows)} pages (OWE; order-sensitive WER beside it)")
            for name, d, t, blank, wd, wt in sorted(rows):
                print(f"  {name:<24} digitize {d:.4f} raw {t:.4f} {d - t:+.4f}   WER {wd:.4f} raw {wt:.4f}"
                      f"{'  BLANK' if blank else ''}")
            d_all, t_all = dig.overall()["owe"], raw.overall()["owe"]
            wd_all, wt_all = dig.overall()["wer"], raw.overall()["wer"]
            # a page whose order error (WER - OWE) exceeds raw's by > 0.03: words read right, in the wrong order
            grown = [x for x in rows if (x[4] - x[1]) - (x[5] - x[2]) > 0.03]
            for x in grown:
                print(f"  order error grown: {x[0]} WER {x[4]:.4f} vs {x[5]:.4f}, OWE {x[1]:.4f} vs {x[2]:.4f}")
            worse = [x for x in rows if x[1] - x[2] > 0.03]
            worst = max((x[1] - x[2] for x in rows), default=0.0)
            worst_all = max(worst_all, worst)
            ratio = d_all / t_all if t_all else float("inf") if d_all else 1.0
            line = (f"{part} {level}: OWE digitize {d_all:.4f} vs tesseract -l spa {t_all:.4f}: x{ratio:.2f}; "
                    f"worst page {worst:+.4f}; pages worse by > 0.03: {len(worse)}; blank {sum(x[3] for x in rows)}; "
                    f"time raw/digitize x{t_raw / r['seconds']:.2f}; failed {r['failed']}; "
                    f"WER {wd_all:.4f} vs {wt_all:.4f}: x{(wd_all / wt_all) if wt_all else 1.0:.2f}, "
                    f"order error grown on {len(grown)}")
            print(line, flush=True)
            summary.append(line)
            record[f"{part}-{level}"] = {"rows": rows, "digitize": d_all, "raw": t_all,
                                         "digitize_wer": wd_all, "raw_wer": wt_all}
    if args.json:
        args.json.write_text(json.dumps(record, indent=1))
    for line in summary:
        print(line)
    print(f"spanish: worst page vs raw {worst_all:+.4f} (target <= +0.03); ratios above (target office <= 0.8, poor <= 0.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
