"""Scaling: the same batch through ``digitize run --workers 1`` and ``--workers 2``.

Target (issue 6): 2 workers >= 1.85 x the pages/min of 1 worker. Both the wall clock of the
command and the ledger's processing span (without cluster start-up) are shown; the ratio line
uses the wall clock. The raw ``tesseract`` CLI on the same pages with 1 and 2 processes shows what
the machine allows (two vCPUs that share a physical core, or a loaded host, scale less than 2 x
for any program). The last line holds the ratios.

    python bench/scaling.py [--level office] [--pages sample|text|all] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import synth_sets  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--level", default="office", choices=synth_sets.LEVELS)
    ap.add_argument("--pages", default="sample", help="page selection of bench/synth_sets.py (default sample)")
    ap.add_argument("--sets", type=Path, default=common.ROOT / "build" / "bench-sets")
    ap.add_argument("--work", type=Path, default=common.ROOT / "build" / "bench-work" / "scaling")
    ap.add_argument("--repeat", type=int, default=1,
                    help="each PDF (and its pages) N times, as separate documents: a longer batch (default 1)")
    ap.add_argument("--pages-per-task", type=int, default=0,
                    help="pages per task for digitize (default: digitize's own sizing from pages and workers)")
    args = ap.parse_args(argv)
    folder = synth_sets.build(args.sets, args.pages, [args.level])[args.level]
    pdfs, pages, _ = synth_sets.set_files(folder)
    pdfs, pages = common.repeat(pdfs, pages, args.work / "inputs", args.repeat)
    n = len(pages)
    # digitize as its users run it: it sizes a document's page ranges from the pages and the
    # workers itself (a fixed 2 pages a task was given here before the planner did that;
    # ``--pages-per-task N`` compares).
    extra = ("--pages-per-task", str(args.pages_per_task)) if args.pages_per_task else ()
    results = {}
    for w in (1, 2):
        r = common.run_digitize(pdfs, args.work / f"w{w}", w, extra=extra)
        results[w] = r
        print(f"  {w} worker(s): {r['seconds']:6.1f} s wall ({common.ppm(n, r['seconds']):5.1f} pages/min), "
              f"span {r['span']:6.1f} s ({common.ppm(n, r['span']):5.1f} pages/min), failed {r['failed']}", flush=True)
    # What the machine itself allows: the raw engine on the same pages, 1 process then 2.
    cli = {j: common.run_tesseract(pages, args.work / f"tesseract-{j}", j) for j in (1, 2)}
    print(f"  raw tesseract CLI: 1 process {cli[1]:6.1f} s, 2 processes {cli[2]:6.1f} s", flush=True)
    wall = results[1]["seconds"] / results[2]["seconds"]
    span = results[1]["span"] / results[2]["span"]
    print(f"scaling ratio 2 workers / 1 worker {wall:.2f} wall clock (target >= 1.85), {span:.2f} processing span; "
          f"raw tesseract 2 / 1 processes {cli[1] / cli[2]:.2f}; {n} pages, {common.cores()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
