"""The engine's first reading of a page, before the guard and the proofreader, under preparation
variants: which step of the preparation wins or loses words against the raw CLI (issue 30).

Reads a ``spanish.py`` work folder of one part and level (``pages/``, ``truth/``, the raw CLI's
``tesseract/`` and, when there, digitize's ``digitize/documents/``), prepares every page each way
asked, reads it with the profile's engine in process and scores it (order-free word error,
``digitize.evaluate``) beside the raw CLI's text and digitize's final text. Readings are cached by
folder, page, variant and languages (``--cache``), so a rerun only reads what is new; the key does
not know the code, so give another ``--cache`` after changing the preparation.

Variants: ``auto`` (the page as ``preprocess`` prepares it now), ``plain``, ``full``, ``raw``
(the pixels as they came: what the raw CLI reads); ``lvlN`` (the bilevel chain re-thresholded at
N), ``keepN`` (the bilevel blur keeping the ink of marks of 8 px or more at 300 dpi at least N dark:
an ink floor; dust is only blurred), ``ringN`` (the grey chain's ink mask grown by N pixels before the grey ink is
taken), ``norescale`` (no rescaling of low-resolution scans).

    OMP_THREAD_LIMIT=1 python bench/first_reading.py build/es/sealed5-poor --variants auto,raw,ring1
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402

import common  # noqa: E402
import numpy as np  # noqa: E402

from digitize import preprocess as pp  # noqa: E402
from digitize.evaluate import score  # noqa: E402
from digitize.ingest import iter_pages  # noqa: E402
from digitize.labelling import label as label_marks  # noqa: E402
from digitize.ocr import get_engine  # noqa: E402
from digitize.preprocess import tone  # noqa: E402
from digitize.settings import profile as profiles  # noqa: E402


def prepare(page, settings, variant: str, detector):
    def run(mode="auto", s=settings):
        return pp.preprocess(page, s, detect_orientation=detector, mode=mode)

    if variant in ("auto", "plain", "full", "raw"):
        return run(variant)
    if variant.startswith("lvl"):
        with common.patched(tone, BILEVEL_INK_LEVEL=int(variant[3:])):
            return run("full")
    if variant.startswith("keep"):
        floor, own = int(variant[4:]), pp.smooth_bilevel

        def kept(image, dpi, how):  # the blur; the ink of marks of 8+ px at 300 dpi stays at least `floor` dark
            _, labels, stats, _ = label_marks((image < 128).view(np.uint8))
            big = stats[:, cv2.CC_STAT_AREA] >= max(1, round(8 * dpi * dpi / 300 ** 2))
            big[0] = False  # the paper
            return cv2.min(own(image, dpi, how), np.where(big[labels], np.uint8(floor), np.uint8(255)))
        with common.patched(pp, smooth_bilevel=kept):
            return run()
    if variant.startswith("ring"):
        n, own = int(variant[4:] or 1), tone.keep_grey_ink
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (2 * n + 1, 2 * n + 1))

        def grown(grey, bw, in_place=False):
            return own(grey, cv2.erode(bw, kernel))  # ink is 0: eroding the paper grows the ink
        with common.patched(pp, keep_grey_ink=grown):
            return run()
    if variant == "norescale":
        return run(s=dataclasses.replace(settings, rescale_below_dpi=0))
    raise SystemExit(f"unknown variant {variant}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("work", type=Path, help="a spanish.py work folder of one part and level")
    ap.add_argument("--variants", default="auto,raw")
    ap.add_argument("--profile", default="mx")
    ap.add_argument("--lang", default="", help="the engine's languages (default: the profile's)")
    ap.add_argument("--cache", type=Path, default=ROOT / "build" / "first-reading")
    ap.add_argument("--only", default="", help="these page stems only (comma-separated)")
    args = ap.parse_args(argv)
    profile = profiles.load(args.profile)
    settings = dataclasses.replace(profile.engine, languages=args.lang) if args.lang else profile.engine
    engine = get_engine(settings)
    args.cache.mkdir(parents=True, exist_ok=True)
    names = [v for v in args.variants.split(",") if v]
    totals = {v: [0, 0, 0] for v in ["cli", "final"] + names}  # edits, truth words, pages
    for img in sorted((args.work / "pages").iterdir()):
        stem = img.stem
        if args.only and stem not in args.only.split(","):
            continue
        truth = (args.work / "truth" / f"{stem}.txt").read_text(encoding="utf-8")
        texts = {}
        for label, f in (("cli", args.work / "tesseract" / f"{stem}.txt"),
                         ("final", args.work / "digitize" / "documents" / stem / f"{stem}.txt")):
            if f.exists():
                texts[label] = f.read_text(encoding="utf-8")
        page = next(iter_pages(img, max_pixels=profile.preprocess.max_pixels, default_dpi=profile.preprocess.default_dpi))
        for v in names:
            key = hashlib.sha1(f"{args.work.resolve()}|{stem}|{v}|{args.profile}|{settings.languages}|{img.stat().st_size}".encode())
            cached = args.cache / f"{key.hexdigest()}.json"
            if cached.exists():
                texts[v] = json.loads(cached.read_text())["text"]
            else:
                prepared = prepare(page, profile.preprocess, v, engine.detect_orientation)
                texts[v] = engine.recognize(prepared, 1).text
                cached.write_text(json.dumps({"text": texts[v], "steps": prepared.steps}))
        row = []
        for label, text in texts.items():
            s = score(stem, truth, text)
            totals[label][0] += s.owe_edits
            totals[label][1] += s.truth_words
            totals[label][2] += 1
            row.append(f"{label} {s.owe:.4f}")
        print(f"{stem:<24} " + "  ".join(row), flush=True)
    print("first readings, OWE over the part (pages scored): " +
          "  ".join(f"{k} {e / n:.4f} ({p})" for k, (e, n, p) in totals.items() if n))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
