"""Benchmark: build and check an ST.37 authority file of 1,000,000 generated entries.

    .venv/bin/python bench/authority_bench.py [--entries 1000000] [--format xml|csv] [--keep DIR]

Entries are generated in shuffled order (so the build really sorts), with application
references, some priority claims, searchable codes and 1 % exception entries. The build is the
same code path as ``digitize authority build`` after the sources (``build_entries``); the check
is ``check_file``. Each phase runs in a fresh child process so that its peak RSS is its own.
Targets on the 2-core development machine: build < 30 s, check < 30 s, peak RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def generate(n: int, seed: int = 37):
    from authority.model import Entry, Priority

    rng = random.Random(seed)
    numbers = list(range(1_000_000, 1_000_000 + n))
    rng.shuffle(numbers)
    kinds = ("A1", "A1", "A1", "A2", "B1", "B1", "U", "Y")
    for num in numbers:
        year = 2000 + num % 24
        date = f"{year}{1 + num % 12:02d}{1 + num % 28:02d}"
        if num % 100 == 0:
            yield Entry("PH", str(num), "A1", date, exception="N", description=(), claims=(), abstract=())
            continue
        prios = (Priority("US", f"{num % 97}/{num}", f"{year - 1}0115", "national", "1"),) if num % 5 == 0 else ()
        yield Entry("PH", str(num), kinds[num % len(kinds)], date, "PH", f"{year - 1}-{num:07d}", f"{year - 1}0301",
                    prios, None, ("en",), ("en",), ("en",) if num % 3 else ())


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _build(n: int, out: str, fmt: str, q) -> None:
    from authority.build import build_entries
    from digitize.settings import profile as profiles

    t = time.perf_counter()
    res = build_entries(generate(n), "PH", [(Path(out), fmt)], profiles.load("ph"), date_produced="20240101",
                        tmp_dir=Path(out).parent)
    q.put((time.perf_counter() - t, _peak_mb(), res.entries, res.report.errors))


def _check(out: str, q) -> None:
    from authority.check import check_file

    t = time.perf_counter()
    problems = check_file(out)
    q.put((time.perf_counter() - t, _peak_mb(), len(problems), problems[:5]))


def _run(target, *args):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
    p.start()
    res = q.get()
    p.join()
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--format", choices=("xml", "csv"), default="xml")
    ap.add_argument("--keep", type=Path, help="write the file here and keep it")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=a.keep) as tmp:
        out = str(Path(tmp) / f"PH_AF_20240101.{a.format}")
        secs, rss, count, errors = _run(_build, a.entries, out, a.format)
        size = Path(out).stat().st_size / 1e6
        print(f"build: {count} entries in {secs:.1f} s, peak RSS {rss:.0f} MB, {size:.0f} MB {a.format}, {errors} errors")
        secs2, rss2, nprob, sample = _run(_check, out)
        print(f"check: {secs2:.1f} s, peak RSS {rss2:.0f} MB, {nprob} problem lines {sample if nprob else ''}")
        ok = secs < 30 and secs2 < 30 and max(rss, rss2) < 300 and nprob == 0 and errors == 0
        print("targets (build < 30 s, check < 30 s, peak RSS < 300 MB):", "met" if ok else "NOT met")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
