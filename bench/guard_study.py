"""Every way the harm guard could read a page, read whole, with the figures it could judge by.

For each page of the named real-set part (``bench/real.py``'s sources): the first reading
(preparation ``auto``) and every candidate of ``digitize.readings.candidates``, each read whole;
per reading its mean word confidence (and, for a candidate the guard screens on a band, the band's
figures, ``readings.band_reading``), characters, the share of the page's letter marks its
word boxes hold (``readings.ink_read``) and its order-free word error against the truth (engine
words, before proofreading) and the resolution the engine was told. One JSON line a page, to
study guard rules offline; every part that has been seen may be studied (tuning, sealed, sealed2,
sealed3, sealed4), never one still sealed:

    python bench/guard_study.py --part tuning --out build/guard-tuning.jsonl [--sets a,b] [--pages x,y]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real  # noqa: E402

from digitize import api, preprocess as pre, readings  # noqa: E402
from digitize.evaluate import read_truth, score  # noqa: E402
from digitize.ocr import get_engine  # noqa: E402


STUDIED = ("tuning", "sealed", "sealed2", "sealed3", "sealed4")  # the parts that have been seen: no other is read


def study(img: Path, truth: str, profile, upper: bool) -> dict:
    engine = get_engine(profile.engine)
    detector = engine.detect_orientation if profile.preprocess.orientation else None
    (page,) = list(api.read_pages(img, profile))[:1]
    t = time.perf_counter()
    marks = readings.text_marks(page.image)
    t_marks = time.perf_counter() - t
    t = time.perf_counter()
    prepared = pre.preprocess(page, profile.preprocess, detect_orientation=detector)
    first = "plain" if "plain" in prepared.steps else "full"
    ocr = engine.recognize(prepared, 1)
    out = {"marks": len(marks), "t_marks": round(t_marks, 3), "first": first, "readings": []}

    def add(label, prep, reading, seconds):
        text = reading.text
        owe = score("p", truth.upper() if upper else truth, text.upper() if upper else text).owe
        pts = readings.marks_in_frame(marks, page.image.shape[:2], prep)
        out["readings"].append({"label": label, **readings.figures(reading.words()), "words": len(reading.words()),
                                "ink_read": readings.ink_read(reading, pts), "owe": round(owe, 4),
                                "seconds": round(seconds, 2), "steps": prep.steps,
                                "dpi": prep.engine_dpi or prep.dpi})

    add(first, prepared, ocr, time.perf_counter() - t)
    rows = readings.band(ocr)
    for cand in readings.candidates(page, prepared, first, profile.preprocess, detector):
        t = time.perf_counter()
        prep2 = cand.prepare()
        add(cand.label, prep2, engine.recognize(prep2, 1), time.perf_counter() - t)
        if rows is not None and cand.same_geometry:  # what the guard's band screen saw
            out["readings"][-1]["band"] = readings.band_reading(engine, prep2, ocr, rows, 1)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", default="tuning")
    ap.add_argument("--sets", default="")
    ap.add_argument("--root", type=Path, default=real.default_root())
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pages", default="", help="only pages whose name (or real.py's document name) holds one of these (comma-separated)")
    args = ap.parse_args()
    only = [s for s in args.pages.split(",") if s]
    if args.part not in STUDIED + ("all",):
        raise SystemExit(f"part {args.part!r} is not studied (only {', '.join(STUDIED)})")
    sets = real.find_sets([s for s in args.sets.split(",") if s], args.part, args.root, None)
    done = set()
    if args.out.is_file():
        done = {json.loads(x)["page"] for x in args.out.read_text().splitlines() if x.strip()}
    profiles = {}
    with args.out.open("a") as f:
        for name, rs in sets.items():
            if rs.part not in STUDIED:
                continue
            prof = profiles.setdefault(rs.profile, api.load_profile(rs.profile))
            for img, truth in rs.pairs:
                key = f"{name}__{img.name}"
                staged = f"{name}__{img.name[: -len(img.suffix)]}".replace(".", "_")  # real.py's document name
                if key in done or (only and not any(o in key or o in staged for o in only)):
                    continue
                rec = {"page": key, "set": name, "part": rs.part,
                       **study(img, read_truth(truth), prof, rs.upper)}
                f.write(json.dumps(rec) + "\n")
                f.flush()
                print(key, [(r["label"], r["mean_conf"], r["ink_read"], r["owe"]) for r in rec["readings"]], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
