"""What the harm guard buys on a finished ``bench/real.py`` run, and what a rule that skips it would cost.

From a run's ``--json`` file and its work folder (the page JSONs keep each page's ``reading``: the
first reading's label, what was checked on a band or whole, what was kept), every page whose kept
reading is not its first is read once more with the guard off (``pipeline`` preparation ``auto``,
the engine's words scored against the truth), beside the guard's choice read the same way. A rule
that would not check a page then changes only those pages, by the engine-word difference, and
saves the readings the page record lists. Printed per part: OWE of the run, OWE with no guard at
all, OWE and pages worse than raw by > 0.03 under each rule in ``RULES``, and the band and whole
readings each rule saves; pages newly worse are listed.

    python bench/guard_replay.py RUN.json WORK_DIR [RUN.json WORK_DIR ...] --cache build/guard-replay.jsonl

Only parts that have been seen may be replayed (``guard_study.STUDIED`` and sealed5).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real  # noqa: E402

from digitize import api, preprocess as pre, readings  # noqa: E402
from digitize.evaluate import read_truth, score  # noqa: E402
from digitize.ocr import get_engine  # noqa: E402

SEEN = ("tuning", "sealed", "sealed2", "sealed3", "sealed4", "sealed5")
WORSE = real.WORSE


def pages_of(run_json: Path, work: Path) -> list[dict]:
    """One record a page: real.py's figures and the page JSON's reading."""
    run = json.loads(run_json.read_text())
    out = []
    for doc, words, d, r, _, _, src, part, *_ in run["pages"]:
        found = sorted(work.glob(f"digitize-*/documents/{doc}/pages/0001.json"))
        if not found or part not in SEEN:
            continue
        page = json.loads(found[0].read_text())
        rd = page.get("reading", {})
        first_conf = None
        if rd.get("chosen") == rd.get("first"):
            first_conf = rd.get("evidence", {}).get("mean_conf")
        elif m := re.search(r"against ([\d.]+)", rd.get("why", "")):
            first_conf = float(m.group(1))
        out.append({"doc": doc, "part": part, "src": src, "words": words, "d": d, "r": r, "first": rd.get("first"),
                    "chosen": rd.get("chosen"), "second": bool(rd.get("second")), "first_conf": first_conf,
                    "checked": rd.get("checked", []), "told": any("told" in c["label"] for c in rd.get("checked", []))})
    return out


def first_and_kept(img: Path, truth: str, profile, upper: bool) -> dict:
    """The page's first reading and the guard's choice, each scored (engine words)."""
    engine = get_engine(profile.engine)
    detector = engine.detect_orientation if profile.preprocess.orientation else None
    (page,) = list(api.read_pages(img, profile))[:1]
    sc = lambda text: round(score("p", truth.upper() if upper else truth, text.upper() if upper else text).owe, 4)  # noqa: E731
    basis = pre.page_basis(page, profile.preprocess)
    prepared = pre.preprocess(page, profile.preprocess, detect_orientation=detector, basis=basis)
    first = "plain" if "plain" in prepared.steps else "full"
    reading = engine.recognize(prepared, page.number)
    kept, _, record, _ = readings.choose(engine, page, prepared, reading, first, profile.preprocess, detector, basis)
    return {"first_owe": sc(reading.text), "first_conf": readings.mean_conf(reading.words()), "chosen": record["chosen"],
            "kept_owe": sc(kept.text)}


# rules that would not check a page the guard checked: (name, page record -> True when skipped)
RULES = {
    "no guard": lambda p: True,
    "plain first, confidence >= 85, no header question": lambda p: p["first"] == "plain" and (p["first_conf"] or 0) >= 85 and not p["told"],
    "plain first, confidence >= 80, no header question": lambda p: p["first"] == "plain" and (p["first_conf"] or 0) >= 80 and not p["told"],
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="RUN.json WORK_DIR pairs")
    ap.add_argument("--cache", type=Path, required=True, help="JSON lines of the pages read again (appended)")
    ap.add_argument("--root", type=Path, default=real.default_root())
    args = ap.parse_args(argv)
    if len(args.runs) % 2:
        raise SystemExit("give RUN.json WORK_DIR pairs")
    pages = []
    for i in range(0, len(args.runs), 2):
        pages += pages_of(Path(args.runs[i]), Path(args.runs[i + 1]))
    cache = {}
    if args.cache.is_file():
        cache = {json.loads(x)["doc"]: json.loads(x) for x in args.cache.read_text().splitlines() if x.strip()}
    todo = [p for p in pages if p["chosen"] != p["first"] and p["doc"] not in cache]
    if todo:
        by_doc = {}
        for part in sorted({p["part"] for p in todo}):
            for name, rs in real.find_sets([], part, args.root, None).items():
                for img, truth in rs.pairs:
                    by_doc[f"{name}__{img.name[: -len(img.suffix)]}".replace(".", "_")] = (img, truth, rs)
        profiles = {}
        with args.cache.open("a") as f:
            for p in todo:
                if p["doc"] not in by_doc:
                    continue
                img, truth, rs = by_doc[p["doc"]]
                prof = profiles.setdefault(rs.profile, api.load_profile(rs.profile))
                rec = {"doc": p["doc"], **first_and_kept(img, read_truth(truth), prof, rs.upper)}
                cache[p["doc"]] = rec
                f.write(json.dumps(rec) + "\n")
                f.flush()
                print(p["doc"], rec, flush=True)
    for name, rule in RULES.items():
        print(f"\n{name}:")
        tot: dict = defaultdict(lambda: defaultdict(float))
        newly = []
        for p in pages:
            t = tot[p["part"]]
            new = p["d"]
            if p["second"] and rule(p):
                t["skipped"] += 1
                t["bands"] += sum(1 for c in p["checked"] if "band" in c)
                t["wholes"] += sum(1 for c in p["checked"] if "whole" in c)
                if p["chosen"] != p["first"]:
                    c = cache.get(p["doc"])
                    if c is None:
                        t["unknown"] += 1
                    else:
                        new = p["d"] + c["first_owe"] - c["kept_owe"]
            for k, v in (("w", 1), ("d", p["d"]), ("new", new), ("r", p["r"])):
                t[k] += v * p["words"]
            t["pages"] += 1
            t["worse"] += p["d"] - p["r"] > WORSE
            t["worse_new"] += new - p["r"] > WORSE
            if new - p["r"] > WORSE >= p["d"] - p["r"]:
                newly.append(f"{p['doc']} {p['d']:.3f} -> {new:.3f} (raw {p['r']:.3f})")
        for part, t in tot.items():
            w = t["w"]
            print(f"  {part:8} {int(t['pages']):4d} pages  OWE {t['d'] / w:.4f} -> {t['new'] / w:.4f} (raw {t['r'] / w:.4f}; "
                  f"x{t['d'] / t['r']:.3f} -> x{t['new'] / t['r']:.3f})  worse than raw {int(t['worse'])} -> "
                  f"{int(t['worse_new'])}  checks saved {int(t['skipped'])} (bands {int(t['bands'])}, wholes "
                  f"{int(t['wholes'])})" + (f"  not read again: {int(t['unknown'])}" if t["unknown"] else ""))
        for x in newly:
            print("    newly worse:", x)
    return 0


if __name__ == "__main__":
    sys.exit(main())
