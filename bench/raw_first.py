"""The pixels as they came, read first: what a reading policy that starts from the raw engine's
view of a page would know and cost (issue 30).

For every page of finished ``bench/real.py`` or ``bench/spanish.py`` work folders (``pages/``,
``truth/``, the raw CLI's ``tesseract/``, digitize's page JSONs), the page is read in process
exactly as the raw CLI reads it (``preprocess`` mode ``raw``: not scaled, turned or cleaned, told
the header's dpi) with the profile's engine, and recorded as one JSON line: the reading's own
evidence (mean word confidence, share of words under 60, characters, lines, the share of the
page's letter marks its words hold: ``readings.ink_read``, the lexicon share), the engine's CPU
seconds, its order-free word error against the truth (engine words, no proofreading) beside the
raw CLI's text and digitize's finished text, and what digitize's run did with the page (first
reading's confidence, kept reading, band and whole readings of the guard). ``--cache`` keeps
the lines (a rerun reads only what is new); ``--replay`` prices reading policies from them
without reading anything.

    OMP_THREAD_LIMIT=1 python bench/raw_first.py --cache build/raw-first.jsonl \
        sealed7=/work/runs/s7-after es6-office=/work/runs/es6-after-work/sealed6-office
    python bench/raw_first.py --cache build/raw-first.jsonl --replay

``[preprocess] raw_first`` (``readings.raw_enough``) is the policy the profile key switches on; the
others are the variants it was chosen among (bench/README.md). Only seen parts may be given
(``real.py``'s and ``spanish.py``'s docstrings list them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from digitize import api, preprocess as pre, readings  # noqa: E402
from digitize.evaluate import score  # noqa: E402
from digitize.ocr import get_engine  # noqa: E402

WORSE = 0.03


def _owe(truth: str, text: str, upper: bool) -> float:
    if upper:
        truth, text = truth.upper(), text.upper()
    return round(score("p", truth, text).owe, 4)


def page_list(label: str, work: Path) -> list[dict]:
    """Pages of one work folder: image, truth, CLI text, profile, digitize's page JSON and text."""
    out = []
    for img in sorted((work / "pages").iterdir()):
        if not img.exists():  # a link to a checkout that is gone
            continue
        stem = img.name[: -len(img.suffix)]
        rec = {"set": label, "doc": stem, "img": str(img)}
        if (work / "truth" / "es" / f"{stem}.txt").is_file():
            prof, truth, docs = "es", work / "truth" / "es" / f"{stem}.txt", work / "digitize-es" / "documents"
        elif (work / "truth" / "generic" / f"{stem}.txt").is_file():
            prof, truth = "generic", work / "truth" / "generic" / f"{stem}.txt"
            docs = work / "digitize-generic" / "documents"
        elif (work / "truth" / f"{stem}.txt").is_file():
            prof, truth, docs = "mx", work / "truth" / f"{stem}.txt", work / "digitize" / "documents"
        else:
            continue
        rec.update(profile=prof, truth=str(truth), upper=stem.startswith("sroie-receipts__"),
                   cli=str(work / "tesseract" / f"{stem}.txt"))
        pj = docs / stem / "pages" / "0001.json"
        if pj.is_file():
            rec["page_json"] = str(pj)
        txt = sorted((docs / stem / "pages").glob("[0-9]*.txt")) if (docs / stem / "pages").is_dir() else []
        if txt:
            rec["final_txt"] = [str(t) for t in txt]
        out.append(rec)
    return out


def digitize_record(pj: Path) -> dict:
    """What the run's guard did with the page."""
    rd = json.loads(pj.read_text()).get("reading", {})
    first_conf = None
    if rd.get("chosen") == rd.get("first"):
        first_conf = rd.get("evidence", {}).get("mean_conf")
    elif m := re.search(r"against ([\d.]+)", rd.get("why", "")):
        first_conf = float(m.group(1))
    checked = rd.get("checked", [])
    ev = rd.get("evidence", {})
    return {"first": rd.get("first"), "chosen": rd.get("chosen"), "second": bool(rd.get("second")),
            "first_conf": first_conf, "first_ink": rd.get("first_ink_read"),
            "kept_conf": ev.get("mean_conf"), "kept_chars": ev.get("chars"), "kept_known": ev.get("known_share"),
            "bands": sum(1 for c in checked if "band" in c), "wholes": sum(1 for c in checked if "whole" in c),
            "asread_whole": next((c["whole"] for c in checked if c["label"] == "as read" and "whole" in c), None),
            "asread_band": next((c["band"] for c in checked if c["label"] == "as read" and "band" in c), None)}


def read_raw(rec: dict, profiles: dict) -> dict:
    from digitize.proofread import lexicon_for

    prof = profiles.setdefault(rec["profile"], api.load_profile(rec["profile"]))
    engine = get_engine(prof.engine)
    (page,) = list(api.read_pages(Path(rec["img"]), prof))[:1]
    prepared = pre.preprocess(page, prof.preprocess, mode="raw")
    c0 = time.thread_time()
    reading = engine.recognize(prepared, page.number)
    secs = time.thread_time() - c0
    words = reading.words()
    marks = readings.text_marks(page.image)
    ev = readings.evidence(reading, lexicon_for(prof))
    truth = Path(rec["truth"]).read_text(encoding="utf-8", errors="replace")
    out = {k: rec[k] for k in ("set", "doc", "profile")}
    out.update(ev)
    out.update(low_share=round(sum(1 for w in words if w.conf < 60) / len(words), 3) if words else 1.0,
               lines=sum(1 for ln in reading.lines() if ln.words),
               ink_read=readings.ink_read(reading, readings.marks_in_frame(marks, page.image.shape[:2], prepared)),
               cut_lines=readings.cut_lines(reading),
               marks=int(len(marks)), header_dpi=page.header_dpi, dpi_known=bool(page.dpi_known),
               engine_dpi=prepared.engine_dpi, shape=list(page.image.shape[:2]), secs=round(secs, 3),
               owe_raw_inproc=_owe(truth, reading.text, rec["upper"]), text=reading.text)
    if Path(rec["cli"]).is_file():
        out["owe_cli"] = _owe(truth, Path(rec["cli"]).read_text(encoding="utf-8", errors="replace"), rec["upper"])
    if "final_txt" in rec:
        out["owe_final"] = _owe(truth, "\n".join(Path(t).read_text(encoding="utf-8", errors="replace")
                                                  for t in rec["final_txt"]), rec["upper"])
    out["truth_words"] = score("p", truth, "").truth_words
    if "page_json" in rec:
        out["digitize"] = digitize_record(Path(rec["page_json"]))
    return out


# ----------------------------------------------------------------------------- policy replay
BAND_COST = 0.4  # a band reading costs about this share of a whole reading (a third of the lines and margins)


def raw_estimate(r: dict) -> float:
    """The finished page's error if the raw reading were kept: today's when today kept it, else the
    engine words' (proofreading not replayed)."""
    dg = r.get("digitize") or {}
    return r["owe_final"] if dg.get("chosen") == "as read" else r["owe_raw_inproc"]


def replay(rows: list[dict], keep_raw, switch_margin: float | None = 1.0) -> dict:
    """One policy over the pages: ``keep_raw(r)`` says the raw reading is kept without preparing
    the page; otherwise the page is read as today (first reading and guard), with the raw reading
    known already (not read again), and kept instead of today's choice when it beats the kept
    reading's confidence by ``switch_margin`` (None: never). Returns per set: words, OWE today and
    under the policy, raw CLI's, pages worse than raw by > 0.03 both ways, readings both ways."""
    out: dict = {}
    for r in rows:
        dg = r.get("digitize")
        if dg is None or "owe_final" not in r or "owe_cli" not in r:
            continue
        t = out.setdefault(r["set"], {"pages": 0, "w": 0, "d": 0.0, "n": 0.0, "r": 0.0, "worse": 0, "worse_n": 0,
                                     "cost": 0.0, "cost_n": 0.0, "kept_raw": 0, "newly": []})
        w = max(1, r["truth_words"])
        today_cost = 1 + BAND_COST * dg["bands"] + dg["wholes"]
        if keep_raw(r):
            new, cost = raw_estimate(r), 1.0
            t["kept_raw"] += 1
        else:
            new = r["owe_final"]
            saved = (BAND_COST if dg.get("asread_band") else 0) + (1 if dg.get("asread_whole") else 0)
            cost = 1 + today_cost - saved
            kept_conf = dg.get("kept_conf") or 0
            if (switch_margin is not None and dg.get("chosen") != "as read"
                    and r["mean_conf"] > kept_conf + switch_margin and r["chars"] >= 0.8 * (dg.get("kept_chars") or 0)):
                new = raw_estimate(r)
                t["kept_raw"] += 1
        t["pages"] += 1
        t["w"] += w
        t["d"] += r["owe_final"] * w
        t["n"] += new * w
        t["r"] += r["owe_cli"] * w
        t["worse"] += r["owe_final"] - r["owe_cli"] > WORSE
        t["worse_n"] += new - r["owe_cli"] > WORSE
        if new - r["owe_cli"] > WORSE >= r["owe_final"] - r["owe_cli"]:
            t["newly"].append(f"{r['doc']} {r['owe_final']:.3f}->{new:.3f} (raw {r['owe_cli']:.3f}, "
                              f"conf {r['mean_conf']})")
        t["cost"] += today_cost
        t["cost_n"] += cost
    return out


def show(name: str, res: dict) -> None:
    print(f"\n{name}")
    for s, t in res.items():
        w = t["w"]
        print(f"  {s:11} {t['pages']:4d} p  x{t['d'] / t['r']:.3f} -> x{t['n'] / t['r']:.3f}  worse {t['worse']:2d} -> "
              f"{t['worse_n']:2d}  readings {t['cost']:6.1f} -> {t['cost_n']:6.1f}  raw kept {t['kept_raw']}")
        for x in t["newly"]:
            print("      newly worse:", x)


POLICIES = {
    "today": (lambda r: False, None),
    "raw known, kept when 1 point more confident": (lambda r: False, 1.0),
    # lines cached before cut_lines was recorded count as uncut
    "[preprocess] raw_first (readings.raw_enough)": (readings.raw_enough, 1.0),
}
for c in (90, 92, 94):
    for ink in (0.9, 0.95, 0.98):
        POLICIES[f"raw kept at conf >= {c}, ink >= {ink}"] = (
            lambda r, c=c, ink=ink: r["mean_conf"] >= c and r["ink_read"] >= ink, 1.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("works", nargs="*", help="LABEL=WORK_DIR (a real.py --work or one spanish.py part-level folder)")
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--every", type=int, default=1, help="every Nth page of each folder only (a sample)")
    ap.add_argument("--offset", type=int, default=0, help="... starting at this page")
    ap.add_argument("--replay", action="store_true", help="price the policies of POLICIES on the cached pages")
    args = ap.parse_args(argv)
    if args.replay:
        rows = [json.loads(x) for x in args.cache.read_text().splitlines() if x.strip()]
        for name, (rule, margin) in POLICIES.items():
            show(name, replay(rows, rule, margin))
        return 0
    done = set()
    if args.cache.is_file():
        done = {(r["set"], r["doc"]) for r in map(json.loads, args.cache.read_text().splitlines()) if r}
    profiles: dict = {}
    with args.cache.open("a") as f:
        for item in args.works:
            label, _, work = item.partition("=")
            for rec in page_list(label, Path(work))[args.offset::args.every]:
                if (label, rec["doc"]) in done:
                    continue
                out = read_raw(rec, profiles)
                f.write(json.dumps(out) + "\n")
                f.flush()
                print(f"{label:12} {rec['doc'][:50]:50} conf {out['mean_conf']:5.1f} ink {out['ink_read']:.2f} "
                      f"inproc {out['owe_raw_inproc']:.3f} cli {out.get('owe_cli', -1):.3f} "
                      f"final {out.get('owe_final', -1):.3f} {out['secs']:.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
