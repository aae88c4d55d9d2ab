"""Scaling: the same batch through ``digitize run --workers 1`` and ``--workers 2``.

Target (issue 6): 2 workers >= 1.85 x the pages/min of 1 worker, whole command (wall clock).

This host's speed drifts by 10-15 % within minutes (the raw CLI took 99-125 s on the same 31
pages in one hour), more than the effect being measured, so one run of each says little. The
runs are interleaved instead, ``--rounds`` times: digitize with 1 worker, with 2, then the raw
``tesseract`` CLI with 1 process and 2 (what the machine itself allows); each round gives a
ratio from runs minutes apart, and the ratio line gives their median. CPU seconds (user + sys of
each command's process tree) are shown too: their drift shows the host's.

    python bench/scaling.py [--level office] [--pages text] [--rounds 3] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import synth_sets  # noqa: E402


def _timed(run) -> tuple[float, float]:
    cpu = common.children_cpu()
    t = time.perf_counter()
    r = run()
    wall = r["seconds"] if isinstance(r, dict) else time.perf_counter() - t
    return wall, common.children_cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--level", default="office", choices=synth_sets.LEVELS)
    ap.add_argument("--pages", default="text", help="page selection of bench/synth_sets.py (default text: 31 pages)")
    ap.add_argument("--sets", type=Path, default=common.ROOT / "build" / "bench-sets")
    ap.add_argument("--work", type=Path, default=common.ROOT / "build" / "bench-work" / "scaling")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the ratio line gives the median (default 3)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="each PDF (and its pages) N times, as separate documents: a longer batch (default 1)")
    ap.add_argument("--pages-per-task", type=int, default=0,
                    help="pages per task for digitize (default: digitize's own sizing from pages and workers)")
    ap.add_argument("--no-raw", action="store_true", help="leave out the raw CLI runs")
    args = ap.parse_args(argv)
    folder = synth_sets.build(args.sets, args.pages, [args.level])[args.level]
    pdfs, pages, _ = synth_sets.set_files(folder)
    pdfs, pages = common.repeat(pdfs, pages, args.work / "inputs", args.repeat)
    n = len(pages)
    # digitize as its users run it: it sizes a document's page ranges from the pages and the
    # workers itself (``--pages-per-task N`` compares a fixed size).
    extra = ("--pages-per-task", str(args.pages_per_task)) if args.pages_per_task else ()
    ours: list[float] = []
    raw: list[float] = []
    for k in range(1, args.rounds + 1):
        d = {w: _timed(lambda w=w: common.run_digitize(pdfs, args.work / f"w{w}", w, extra=extra)) for w in (1, 2)}
        ours.append(d[1][0] / d[2][0])
        line = (f"  round {k}: digitize 1 worker {d[1][0]:6.1f} s (CPU {d[1][1]:6.1f}), 2 workers {d[2][0]:6.1f} s "
                f"(CPU {d[2][1]:6.1f}): {ours[-1]:.2f}")
        if not args.no_raw:
            c = {j: _timed(lambda j=j: common.run_tesseract(pages, args.work / f"tesseract-{j}", j)) for j in (1, 2)}
            raw.append(c[1][0] / c[2][0])
            line += (f"; raw CLI 1 process {c[1][0]:6.1f} s (CPU {c[1][1]:6.1f}), 2 processes {c[2][0]:6.1f} s "
                     f"(CPU {c[2][1]:6.1f}): {raw[-1]:.2f}")
        print(line + f"; load {common.load()}", flush=True)
    rounds = ", ".join(f"{r:.2f}" for r in ours)
    tail = f"; raw tesseract 2 / 1 processes median {statistics.median(raw):.2f}" if raw else ""
    print(f"scaling ratio 2 workers / 1 worker, whole command: median {statistics.median(ours):.2f} of {len(ours)} "
          f"interleaved rounds ({rounds}) (target >= 1.85){tail}; {n} pages, {common.cores()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
