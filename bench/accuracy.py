"""Accuracy: order-independent word error (OWE) of digitize vs raw Tesseract vs OCRmyPDF
(``--deskew --clean``) on the synthetic ``clean``, ``office`` and ``poor`` sets, and blank pages.

Targets (issue 6): digitize <= 0.8 x OCRmyPDF's OWE on office and poor, no worse than either on
clean, and no blank page. Scores come from ``digitize.evaluate`` (the same code as
``digitize eval``). The last line holds the ratios.

    python bench/accuracy.py [--pages sample|text|all] [--levels clean,office,poor] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import synth_sets  # noqa: E402

from digitize.evaluate import evaluate  # noqa: E402


def measure(level: str, folder: Path, work: Path, workers: int, ocrmypdf: bool = True) -> dict:
    pdfs, pages, truth = synth_sets.set_files(folder)
    out: dict[str, dict] = {}
    job = work / level / "digitize"
    r = common.run_digitize(pdfs, job, workers)
    out["digitize"] = {**evaluate(job, truth).overall(), "seconds": round(r["seconds"], 1)}
    tdir = work / level / "tesseract"
    s = common.run_tesseract(pages, tdir, workers)
    out["tesseract"] = {**evaluate(tdir, truth).overall(), "seconds": round(s, 1)}
    why = common.ocrmypdf_available() if ocrmypdf else "--no-ocrmypdf"
    if why is None:
        odir = work / level / "ocrmypdf-clean"
        s = common.run_ocrmypdf(pdfs, odir, workers, clean=True)
        out["ocrmypdf"] = {**evaluate(odir, truth).overall(), "seconds": round(s, 1)}
    else:
        print(f"  OCRmyPDF skipped: {why}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", default="sample", help="page selection of bench/synth_sets.py (default sample)")
    ap.add_argument("--levels", default="clean,office,poor")
    ap.add_argument("--workers", type=int, default=common.cores())
    ap.add_argument("--sets", type=Path, default=common.ROOT / "build" / "bench-sets")
    ap.add_argument("--work", type=Path, default=common.ROOT / "build" / "bench-work" / "accuracy")
    ap.add_argument("--json", type=Path, help="also write all figures to this file")
    ap.add_argument("--no-ocrmypdf", action="store_true", help="digitize and tesseract only (a quicker before/after)")
    ap.add_argument("--external-cluster", action="store_true",
                    help="run digitize on a cluster started here (--scheduler) instead of its own LocalCluster")
    args = ap.parse_args(argv)
    levels = [lv for lv in args.levels.split(",") if lv]
    sets = synth_sets.build(args.sets, args.pages, levels)
    results: dict[str, dict] = {}
    with ExitStack() as stack:
        if args.external_cluster:
            common.SCHEDULER = stack.enter_context(common.external_cluster(args.workers))
        for level in levels:
            res = results[level] = measure(level, sets[level], args.work, args.workers, not args.no_ocrmypdf)
            for tool, o in res.items():
                print(f"{level:<7} {tool:<10} OWE {o['owe']:6.2%}  WER {o['wer']:6.2%}  CER {o['cer']:6.2%}  "
                      f"blank {o['blank_pages']}/{o['units']}  ({o['seconds']} s)", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    parts = []
    for level, res in results.items():
        d = res["digitize"]["owe"]
        vs_t = d / res["tesseract"]["owe"] if res["tesseract"]["owe"] else float("inf") if d else 1.0
        part = f"{level}: digitize {d:.2%} vs tesseract {res['tesseract']['owe']:.2%} (x{vs_t:.2f})"
        if "ocrmypdf" in res:
            o = res["ocrmypdf"]["owe"]
            vs_o = d / o if o else float("inf") if d else 1.0
            part += f" vs ocrmypdf-clean {o:.2%} (x{vs_o:.2f})"
        blanks = "/".join(str(res[t]["blank_pages"]) for t in ("digitize", "tesseract", "ocrmypdf") if t in res)
        parts.append(part + f", blank {blanks}")
    print("accuracy OWE ratio " + "; ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
