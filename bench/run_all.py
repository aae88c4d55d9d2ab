"""Run every benchmark of ``bench/`` one after the other and repeat their ratio lines at the end.

``make bench`` calls this. Each benchmark runs as its own process (a failure in one does not
stop the others) and prints its ratio line last; the summary below collects those lines.

    python bench/run_all.py [--quick] [--pages sample|text|all]

``--quick`` keeps the scheduler-memory job at 100 and 1,000 tiny documents instead of up to
10,000 and runs accuracy on the sampled pages only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ("throughput", "scaling", "memory", "accuracy", "real", "office")
OTHERS = ("preprocess_tuning", "authority_bench")  # other areas' benchmarks, run when present


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller scheduler-memory job")
    ap.add_argument("--pages", default="sample", help="page selection for the synthetic sets (default sample)")
    ap.add_argument("--only", help="comma-separated subset of " + ",".join(BENCHES + OTHERS))
    ap.add_argument("--external-cluster", action="store_true",
                    help="give digitize a cluster started by the benchmark (--scheduler) instead of its own")
    args = ap.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(BENCHES) + [o for o in OTHERS if (HERE / f"{o}.py").exists()]
    lines: list[tuple[str, str]] = []
    failed = 0
    load_before = os.getloadavg()
    for name in chosen:
        cmd = [sys.executable, str(HERE / f"{name}.py")]
        if name in BENCHES and name != "memory":
            cmd += ["--pages", args.pages]
        if name == "memory" and args.quick:
            cmd += ["--docs", "100,1000"]
        if name == "scaling" and args.quick:
            cmd += ["--rounds", "1"]
        if args.external_cluster and name in ("throughput", "accuracy", "memory"):
            cmd += ["--external-cluster"]
        print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=HERE.parent)
        last = ""
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            if line.strip():
                last = line.strip()
        rc = proc.wait()
        if rc != 0:
            failed += 1
            last = f"FAILED (exit {rc})"
        lines.append((name, f"{last}  [{time.perf_counter() - t:.0f} s]"))
    print("\n== summary (last line of each benchmark)")
    print(f"machine: {os.cpu_count()} cores; load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after "
          "(other processes on the machine slow every tool alike, but make the ratios noisier)")
    for name, line in lines:
        print(f"{name}: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
