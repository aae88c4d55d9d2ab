"""Tune preprocessing: order-independent word error (OWE) of preprocessing variants, in process.

Renders a few pages of the typeset EP publications (../shared/data/patent-pdf), degrades them
at the three synthetic levels (``digitize.synth``, fixed seeds), then runs each variant of the
preprocessing settings followed by the same Tesseract engine and scores the words against the
PDF text layer: OWE = multiset (``collections.Counter``) word difference / truth words, fair on
two-column pages. ``raw`` hands the degraded page to Tesseract untouched (its own Otsu
binarisation, as the raw ``tesseract`` CLI does). Small on purpose: a few pages, one process.

    OMP_THREAD_LIMIT=1 python bench/preprocess_tuning.py [--pages EP17185386NWA1:2,22] \
        [--levels clean,office,poor] [--variants raw,default,otsu,...]

The last line gives the default's OWE relative to ``raw`` per level.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import common  # noqa: E402
from digitize import preprocess as pp  # noqa: E402
from digitize.settings import profile as profiles
from digitize import synth
from digitize.model import PageImage, Prepared  # noqa: E402
from digitize.ocr import get_engine  # noqa: E402
from digitize.resources import shared_data_dir  # noqa: E402

SEED = 1234
DEFAULT_PAGES = "EP17185386NWA1:2,5,8,22;EP15906245NWA1:1,6"  # add 3,10,14 and 3,8,12 for 12 pages

# name -> (PreprocessSettings overrides, preprocess module constant overrides); None = raw engine
VARIANTS: dict[str, tuple[dict, dict] | None] = {
    "raw": None,  # the degraded page straight to Tesseract (its own Otsu binarisation)
    "default": ({}, {}),
    "hard": ({}, {"KEEP_GREY_INK": False, "BILEVEL_SMOOTH": "none"}),  # a bilevel image to the engine
    "no-blur": ({}, {"BILEVEL_SMOOTH": "none"}),
    "blur1.0": ({}, {"BILEVEL_SIGMA": 1.0}),
    "blur1.2": ({}, {"BILEVEL_SIGMA": 1.2}),
    "bw-median": ({}, {"BILEVEL_SMOOTH": "median"}),
    "otsu": ({"binarize": "otsu"}, {}),
    "adaptive": ({"binarize": "adaptive"}, {}),
    "grey": ({"binarize": "none"}, {}),
    "no-bg": ({"normalize_background": False}, {}),
    "no-clean": ({"denoise": False, "remove_borders": False}, {}),
    "no-rescale": ({"rescale_below_dpi": 0}, {}),
    "k0.1": ({}, {"SAUVOLA_K": 0.1}),
    "k0.3": ({}, {"SAUVOLA_K": 0.3}),
    "win0.25": ({}, {"SAUVOLA_WINDOW_IN": 0.25}),
    "skew0.3": ({}, {"SKEW_MIN": 0.3}),
}


def words(text: str) -> list[str]:
    return text.split()


def printed(text: str) -> str:
    """The text layer as printed: pdfium marks a line-end hyphenation with U+FFFE (``em\ufffebedded``);
    the page shows ``em-`` / ``bedded``, which is what an engine without proofreading reads."""
    return text.replace("\ufffe", "- ").replace("\x02", "- ")


def owe_counts(truth: str, output: str) -> tuple[int, int]:
    """(edits, truth words): max(missing, extra) of the word multisets."""
    t, o = Counter(words(truth)), Counter(words(output))
    missing, extra = sum((t - o).values()), sum((o - t).values())
    n = sum(t.values())
    return min(max(missing, extra), n), n


def parse_pages(spec: str) -> list[tuple[Path, list[int]]]:
    data = shared_data_dir()
    if data is None:
        raise SystemExit("../shared/data is not present (set DIGITIZE_SHARED_DATA)")
    out = []
    for part in spec.split(";"):
        stem, _, nums = part.partition(":")
        out.append((data / "patent-pdf" / f"{stem}.pdf", [int(n) for n in nums.split(",") if n]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", default=DEFAULT_PAGES, help="STEM:p,p;STEM:p (default %(default)s)")
    ap.add_argument("--levels", default="clean,office,poor")
    ap.add_argument("--variants", default="raw,default,no-blur,hard")
    ap.add_argument("--profile", default="ep")
    args = ap.parse_args(argv)
    levels = [lv for lv in args.levels.split(",") if lv]
    names = [v for v in args.variants.split(",") if v]
    unknown = [v for v in names if v not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(VARIANTS)}")
    profile = profiles.load(args.profile)
    engine = get_engine(profile.engine)
    edits = {(v, lv): 0 for v in names for lv in levels}
    total = {lv: 0 for lv in levels}
    blanks = {(v, lv): 0 for v in names for lv in levels}
    pre_ms: dict[str, list[float]] = {v: [] for v in names}
    for pdf, pages in parse_pages(args.pages):
        for number, image, text in synth.render_pdf(pdf, dpi=300, pages=pages):
            text = printed(text)
            for level in levels:
                degraded, dpi = synth.degrade(image, level, SEED + number)
                page = PageImage(number=number, image=degraded, dpi=dpi)
                n_truth = len(words(text))
                total[level] += n_truth
                row = []
                for name in names:
                    spec = VARIANTS[name]
                    t = time.perf_counter()
                    if spec is None:
                        prepared = Prepared(image=degraded, dpi=dpi)
                    else:
                        settings = dataclasses.replace(profile.preprocess, **spec[0])
                        with common.patched(pp, **spec[1]):
                            prepared = pp.preprocess(page, settings, detect_orientation=engine.detect_orientation
                                                     if settings.orientation else None)
                    pre_ms[name].append((time.perf_counter() - t) * 1000)
                    result = engine.recognize(prepared, number)
                    e, _ = owe_counts(text, result.text)
                    edits[(name, level)] += e
                    if n_truth and not words(result.text):
                        blanks[(name, level)] += 1
                    row.append(f"{name} {e / max(n_truth, 1):.1%}")
                print(f"{pdf.stem} p{number} {level:<6} ({n_truth} words): " + "  ".join(row), flush=True)
    print()
    print(f"{'variant':<12}" + "".join(f"{lv:>16}" for lv in levels) + "   preprocess ms/page")
    for name in names:
        cells = "".join(f"{edits[(name, lv)] / max(total[lv], 1):>10.2%} {blanks[(name, lv)]:>2}bl " for lv in levels)
        ms = sum(pre_ms[name]) / max(1, len(pre_ms[name]))
        print(f"{name:<12}{cells}   {ms:6.0f}")
    if "raw" in names and "default" in names:
        ratios = [f"{lv} {edits[('default', lv)] / max(edits[('raw', lv)], 1):.2f}" for lv in levels]
        print("default/raw OWE ratio: " + ", ".join(ratios))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
