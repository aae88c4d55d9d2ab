"""Memory: peak RSS of a worker on 300-dpi A4 pages and on a 600-dpi page, and of the run's main
process (batch client + the LocalCluster's scheduler) as a job grows from 100 to 10,000 tiny
documents.

Worker: a fresh process that imports ``distributed`` (as a worker has) and runs the worker's own
task functions, ``digitize.batch.tasks.run_ocr`` then ``run_finish``, on one document; its peak RSS
(``ru_maxrss``) is exact. Thread pool: a small job runs its workers as threads of the ``digitize
run`` process (``batch.cluster.SMALL_JOB_PAGES``), so that one process holds the client, the scheduler
and every worker's engine; a fresh process runs ``digitize run`` in-process on the 17-page PDF
of the ``text`` set with 1 and with 2 worker threads, and the difference is what a worker thread
adds. Scheduler: a fresh process runs ``digitize run`` in-process on N tiny one-page PNG
documents; its peak RSS is the client's plus the scheduler's.

Targets (issue 6): worker <= 400 MB; scheduler memory flat with the job size. The last line holds
the figures and the ratio (peak at the largest job / peak at 100 documents).

    python bench/memory.py [--docs 100,1000,10000] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import synth_sets  # noqa: E402


def _peak_mb() -> float:
    """This process's peak RSS. ``VmHWM``, not ``ru_maxrss``: Linux carries ``ru_maxrss`` over
    ``execve``, so a child would report its parent's peak (the benchmark's own 330 MB after it
    has rendered the sets) instead of its own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child_worker(input_path: str) -> None:
    import distributed  # noqa: F401  (a worker process has it loaded)

    from digitize.settings import profile as profiles
    from digitize.batch.tasks import FinishTask, OcrTask, TaskFailed, run_finish, run_ocr
    from digitize.ingest import page_count

    profile = profiles.load(common.PROFILE)
    base = _peak_mb()
    with tempfile.TemporaryDirectory() as work:
        t = time.perf_counter()
        r = run_ocr(OcrTask(input_path, work, 1, page_count(Path(input_path))), profile)
        if isinstance(r, TaskFailed):
            raise SystemExit(f"OCR failed: {r.reason}")
        f = run_finish(FinishTask(input_path, work, Path(input_path).stem), profile, ("st36", "st96"), None)
        if isinstance(f, TaskFailed):
            raise SystemExit(f"finish failed: {f.reason}")
        seconds = time.perf_counter() - t
    print(json.dumps({"peak_mb": _peak_mb(), "baseline_mb": base, "pages": r.page_count, "seconds": seconds}))


def child_scheduler(folder: str, out: str, workers: int, external: bool) -> None:
    from contextlib import ExitStack

    from digitize.cli import main

    with ExitStack() as stack:
        where = ["--workers", str(workers)]
        if external:
            where = ["--scheduler", stack.enter_context(common.external_cluster(workers))]
        t = time.perf_counter()
        rc = main(["run", folder, "--profile", "generic", "--out", out, *where, "--progress", "none",
                   "--no-authority", "--no-report", "--formats", ""])
        seconds = time.perf_counter() - t
    print(json.dumps({"peak_mb": _peak_mb(), "rc": rc, "seconds": seconds}))


def child_threads(pdf: str, out: str, workers: int) -> None:
    from digitize.cli import main

    t = time.perf_counter()
    rc = main(["run", pdf, "--profile", common.PROFILE, "--out", out, "--workers", str(workers), "--pool", "threads",
               "--progress", "none", "--no-authority", "--no-report"])
    print(json.dumps({"peak_mb": _peak_mb(), "rc": rc, "seconds": time.perf_counter() - t}))


def _run_child(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], env=common.ENV, capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"memory child {args[0]} failed: {(proc.stderr or proc.stdout)[-800:]}")
    return json.loads(lines[-1])


def _pages(work: Path) -> dict[str, Path]:
    """A 3-page 300-dpi bilevel PDF (office set), a 300-dpi grey A4 page, a 600-dpi grey page."""
    import numpy as np
    from PIL import Image

    from digitize import synth

    folder = synth_sets.build(common.ROOT / "build" / "bench-sets", "sample", ["office"])["office"]
    pdfs, _, _ = synth_sets.set_files(folder)
    src = synth_sets.source_pdfs()[0]
    work.mkdir(parents=True, exist_ok=True)
    out = {"300-dpi bilevel A4 PDF (3 pages)": pdfs[0]}
    for dpi in (300, 600):
        path = work / f"grey-{dpi}.png"
        if not path.exists():
            (_, image, _), = synth.render_pdf(src, dpi=dpi, pages=[2])
            Image.fromarray(np.asarray(image)).save(path, dpi=(dpi, dpi))
        out[f"{dpi}-dpi grey A4 page"] = path
    return out


def _long_pdf() -> Path:
    """The longest bilevel PDF of the ``text`` set (17 pages): what memory a page leaves behind
    shows over many pages, not over the 3 of the sample PDF."""
    from digitize.ingest import page_count

    folder = synth_sets.build(common.ROOT / "build" / "bench-sets", "text", ["office"])["office"]
    pdfs, _, _ = synth_sets.set_files(folder)
    return max(pdfs, key=page_count)


def _tiny_docs(folder: Path, n: int) -> Path:
    import numpy as np
    from PIL import Image

    from digitize import synth

    folder.mkdir(parents=True, exist_ok=True)
    have = sorted(folder.glob("*.png"))
    if len(have) == n:
        return folder
    for p in have:
        p.unlink()
    img = Image.new("L", (640, 160), 255)
    from PIL import ImageDraw

    ImageDraw.Draw(img).text((20, 50), "Tiny document", font=synth.font(48), fill=0)
    data = np.asarray(img)
    first = folder / "tiny-000001.png"
    Image.fromarray(data).save(first, dpi=(300, 300))
    payload = first.read_bytes()
    for i in range(2, n + 1):
        (folder / f"tiny-{i:06d}.png").write_bytes(payload)
    return folder


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1].startswith("--child-"):
        mode, *rest = sys.argv[1:]
        if mode == "--child-worker":
            child_worker(rest[0])
        elif mode == "--child-threads":
            child_threads(rest[0], rest[1], int(rest[2]))
        else:
            child_scheduler(rest[0], rest[1], int(rest[2]), rest[3] == "1")
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", default="100,1000,10000", help="job sizes for the scheduler measurement")
    ap.add_argument("--workers", type=int, default=common.cores())
    ap.add_argument("--work", type=Path, default=common.ROOT / "build" / "bench-work" / "memory")
    ap.add_argument("--external-cluster", action="store_true",
                    help="run digitize on a cluster started in the measured process (--scheduler)")
    args = ap.parse_args(argv)

    worker: dict[str, float] = {}
    for label, path in _pages(args.work).items():
        r = _run_child(["--child-worker", str(path)])
        worker[label] = r["peak_mb"]
        print(f"  worker peak RSS {r['peak_mb']:6.0f} MB  {label} (imports alone {r['baseline_mb']:.0f} MB, "
              f"{r['seconds']:.1f} s)", flush=True)

    threads: dict[int, float] = {}
    pdf = _long_pdf()
    for w in (1, 2):
        r = _run_child(["--child-threads", str(pdf), str(common.fresh(args.work / f"threads-{w}")), str(w)])
        threads[w] = r["peak_mb"]
        print(f"  thread pool: digitize run process peak RSS {r['peak_mb']:6.0f} MB with {w} worker thread(s) "
              f"on {pdf.name} (client, scheduler and workers; {r['seconds']:.1f} s, exit {r['rc']})", flush=True)

    sched: dict[int, float] = {}
    for n in [int(x) for x in args.docs.split(",") if x]:
        docs = _tiny_docs(args.work / f"tiny-{n}", n)
        out = common.fresh(args.work / f"job-{n}")
        r = _run_child(["--child-scheduler", str(docs), str(out), str(args.workers), "1" if args.external_cluster else "0"])
        sched[n] = r["peak_mb"]
        print(f"  run process peak RSS {r['peak_mb']:6.0f} MB  {n} tiny documents ({r['seconds']:.0f} s, exit {r['rc']})",
              flush=True)

    worst = max(worker.values())
    line = f"memory worker peak {worst:.0f} MB (target <= 400): " + ", ".join(f"{k} {v:.0f} MB" for k, v in worker.items())
    line += (f"; thread pool ({pdf.name}): run process {threads[1]:.0f} MB with 1 worker thread, {threads[2]:.0f} MB "
             f"with 2 (+{threads[2] - threads[1]:.0f} MB a worker thread)")
    if sched:
        sizes = sorted(sched)
        line += (f"; run process {' -> '.join(f'{sched[n]:.0f}' for n in sizes)} MB for "
                 f"{' -> '.join(str(n) for n in sizes)} documents, ratio {sched[sizes[-1]] / sched[sizes[0]]:.2f}")
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
