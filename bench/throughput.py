"""Throughput: the same degraded pages through ``digitize run`` (OCR + proofreading + structure +
ST.36/ST.96 with validation, its preprocessing on), the raw ``tesseract`` CLI (one process per
core, ``OMP_THREAD_LIMIT=1``) and OCRmyPDF (``--jobs`` = cores, plain and ``--deskew --clean``).

Targets (issue 6): digitize >= 0.95 x raw Tesseract and >= 1.5 x OCRmyPDF ``--deskew --clean``.
digitize's time is the wall clock of the whole command, start-up of its Dask cluster included;
the ledger's processing span (first document started to last finished) is printed beside it.
The last line holds the ratios.

    python bench/throughput.py [--level office] [--pages sample|text|all] [--workers N] [--repeat N]
    python bench/throughput.py --shape single-pages|one-document|mixed [--no-ocrmypdf]

``--shape`` picks one of the job shapes teams run (issue 16), built from the ``text`` pages of the
set: ``single-pages``, 11 single-page documents (one G4 TIFF each); ``one-document``, 29 pages as
one G4 PDF; ``mixed``, the 31 pages as the multi-page PDFs they come from. ``--shape warm``: the
warm service (``digitize serve``, started and ready before the clock starts) on the 11 single
pages dropped into its hot folder one at a time at the raw CLI's own pace (the CLI's time for the
11 pages with the same number of processes, divided by 11); the ratio is the CLI's time over the
time from the first drop to the last document recorded. The service runs with its defaults and
``DIGITIZE_SERVE_TRACE``: each document's latency is shown by step, drop to recorded (median and
max), with the CPU of the CLI and of the service (more robust than the ratio on a shared machine).

With ``--repeat N`` each PDF is given N times under other names: the copies are the same
publication, so digitize also writes them under DOCID_2, DOCID_3 (emitting those again), work
the raw engine does not do.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import synth_sets  # noqa: E402


SHAPES = ("single-pages", "one-document", "mixed", "warm")


def shape_inputs(shape: str, pdfs: list[Path], pages: list[Path], folder: Path) -> tuple[list[Path], list[Path]]:
    """(documents for digitize, page images for the raw engine) of one job shape."""
    if shape == "mixed":
        return pdfs, pages
    if shape in ("single-pages", "warm"):  # 11 pages spread over the set, each its own document
        step = max(1, len(pages) // 11)
        chosen = pages[::step][:11]
        return chosen, chosen
    chosen = pages[:29]  # one-document: one G4 PDF (Pillow writes bilevel pages as CCITT G4)
    from PIL import Image

    common.fresh(folder)
    target = folder / "ONEDOC29.pdf"
    images = [Image.open(p) for p in chosen]
    try:
        images[0].save(target, format="PDF", save_all=True, append_images=images[1:], resolution=300.0)
    finally:
        for im in images:
            im.close()
    return [target], chosen


def warm_service(pages: list[Path], work: Path, w: int, serve_args: tuple[str, ...] = ()) -> int:
    """``digitize serve`` with warm workers, fed one page at a time at the raw CLI's pace."""
    import os
    import shutil
    import signal
    import sqlite3
    import subprocess
    import time

    n = len(pages)
    print(f"{n} single-page document(s) dropped one at a time, {w} process(es) per tool", flush=True)
    cpu = common.children_cpu()
    cli = common.run_tesseract(pages, work / "tesseract", w)
    cpu_cli = common.children_cpu() - cpu
    interval = cli / n
    print(f"  raw tesseract CLI        {cli:7.1f} s  (one page every {interval:.2f} s; CPU {cpu_cli:.1f} s user+sys)",
          flush=True)
    inbox, out = common.fresh(work / "inbox"), work / "out"
    if out.exists():
        shutil.rmtree(out)
    log, trace = work / "serve.log", work / "serve-trace.jsonl"
    trace.unlink(missing_ok=True)
    dropped: dict[str, float] = {}
    cpu = common.children_cpu()
    with open(log, "w") as logf:
        proc = subprocess.Popen([sys.executable, "-m", "digitize", "serve", "--watch", str(inbox), "--out", str(out),
                                 "--profile", common.PROFILE, "--workers", str(w), *serve_args],
                                env={**common.ENV, "DIGITIZE_SERVE_TRACE": str(trace)}, stdout=logf,
                                stderr=subprocess.STDOUT, cwd=common.ROOT)
    try:
        deadline = time.time() + 300
        while "watching" not in log.read_text() and time.time() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"digitize serve exited {proc.returncode}: {log.read_text()[-800:]}")
            time.sleep(0.1)
        time.sleep(3)  # the workers' warm-up (schemas, lexicon) is part of being warm
        t0 = time.perf_counter()
        for i, page in enumerate(pages):
            time.sleep(max(0.0, t0 + i * interval - time.perf_counter()))
            part = inbox / (page.name + ".part")
            shutil.copyfile(page, part)
            os.replace(part, inbox / page.name)
            dropped[str(inbox / page.name)] = time.time()
        done = 0
        while done < n and time.time() < deadline + 600:
            try:
                conn = sqlite3.connect(out / "ledger.sqlite", timeout=5)
                done = conn.execute("SELECT COUNT(*) FROM documents WHERE state IN ('done','needs-review','failed')").fetchone()[0]
                conn.close()
            except sqlite3.OperationalError:
                pass
            time.sleep(0.05)
        seconds = time.perf_counter() - t0
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    cpu_serve = common.children_cpu() - cpu
    print(f"  digitize serve (warm)    {seconds:7.1f} s  first drop to last document recorded (load {common.load()}; "
          f"CPU {cpu_serve:.1f} s user+sys, the service's start-up and stop included)", flush=True)
    latency_breakdown(trace, dropped, cli * w / n)
    # The same arrivals for the raw engine (a watch script starting a CLI per dropped page): the
    # last page cannot be done before its drop plus one page's time, for either tool, so the
    # batch time above is not reachable by any service fed this way.
    same = common.run_tesseract_arrivals(pages, work / "tesseract-arrivals", w, interval)
    print(f"  raw CLI, same arrivals   {same:7.1f} s  first drop to last page done (load {common.load()})", flush=True)
    print(f"throughput [warm service: {n} single pages dropped one at a time] ratio digitize/tesseract "
          f"{same / seconds:.2f} on the same arrivals (target >= 1.0), {cli / seconds:.2f} vs the CLI's batch time; "
          f"tesseract {same:.1f} s (batch {cli:.1f} s), digitize serve {seconds:.1f} s")
    return 0


# A dropped document's way through the service, from the events of its trace (see
# ``digitize/batch/service.py``, ``Trace``): each step is the time from the previous event.
STEPS = (("seen", "dropped", "seen"), ("taken", "seen", "taken"), ("planned+submitted", "taken", "submitted"),
         ("to a worker", "submitted", "ocr_start"), ("OCR", "ocr_start", "ocr_stop"),
         ("to the finish", "ocr_stop", "finish_start"), ("finish", "finish_start", "finish_stop"),
         ("recorded", "finish_stop", "finished"), ("moved", "finished", "moved"))


def latency_breakdown(trace: Path, dropped: dict[str, float], cli_page: float) -> None:
    """Per-document latency, drop to recorded, by step: median and max over the documents, and
    the worker time per document (OCR + finish) against the CLI's time per page."""
    import json
    import statistics

    if not trace.exists():
        print("  (no trace written)", flush=True)
        return
    docs = []
    for line in trace.read_text().splitlines():
        d = json.loads(line)
        ev = d["events"]
        ev["dropped"] = dropped.get(d["input"], ev.get("mtime"))
        docs.append(ev)
    print(f"  latency per document, drop to recorded ({len(docs)} documents): median / max seconds", flush=True)
    for label, a, b in STEPS:
        xs = [ev[b] - ev[a] for ev in docs if ev.get(a) is not None and ev.get(b) is not None]
        if xs:
            print(f"    {label:<20} {statistics.median(xs):6.2f} / {max(xs):6.2f}", flush=True)
    total = [ev["finished"] - ev["dropped"] for ev in docs if ev.get("finished") and ev.get("dropped")]
    work = [ev["ocr_stop"] - ev["ocr_start"] + ev["finish_stop"] - ev["finish_start"] for ev in docs
            if all(ev.get(k) for k in ("ocr_start", "ocr_stop", "finish_start", "finish_stop"))]
    if total:
        print(f"    {'drop to recorded':<20} {statistics.median(total):6.2f} / {max(total):6.2f}", flush=True)
    if work:
        print(f"  worker time per document (OCR + finish): median {statistics.median(work):.2f} s, mean "
              f"{statistics.mean(work):.2f} s; the CLI's per page: {cli_page:.2f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--level", default="office", choices=synth_sets.LEVELS)
    ap.add_argument("--pages", default="sample", help="page selection of bench/synth_sets.py (default sample)")
    ap.add_argument("--workers", type=int, default=common.cores(), help="processes for every tool (default: cores)")
    ap.add_argument("--sets", type=Path, default=common.ROOT / "build" / "bench-sets")
    ap.add_argument("--work", type=Path, default=common.ROOT / "build" / "bench-work" / "throughput")
    ap.add_argument("--external-cluster", action="store_true",
                    help="run digitize on a cluster started here (--scheduler): start-up not timed")
    ap.add_argument("--no-ocrmypdf", action="store_true", help="leave OCRmyPDF out (quicker, for tuning)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="each PDF (and its pages) N times, as separate documents: a longer batch, where "
                         "start-up and the last document's wait weigh less (default 1)")
    ap.add_argument("--digitize-args", default="", help="extra arguments for digitize run, e.g. '--pool processes'")
    ap.add_argument("--shape", choices=SHAPES,
                    help="a job shape of issue 16 (sets --pages text): single-pages, one-document or mixed")
    args = ap.parse_args(argv)
    if args.shape:
        args.pages = "text"
    folder = synth_sets.build(args.sets, args.pages, [args.level])[args.level]
    pdfs, pages, _ = synth_sets.set_files(folder)
    if args.shape:
        pdfs, pages = shape_inputs(args.shape, pdfs, pages, args.work / "inputs")
    pdfs, pages = common.repeat(pdfs, pages, args.work / "inputs", args.repeat)
    n, w = len(pages), args.workers
    if args.shape == "warm":
        return warm_service(pages, args.work, w, tuple(args.digitize_args.split()))
    print(f"{n} {args.level} page(s) in {len(pdfs)} PDF(s), {w} process(es) per tool", flush=True)
    rates: dict[str, float] = {}

    cpu = common.children_cpu()
    s = common.run_tesseract(pages, args.work / "tesseract", w)
    cpu_cli, cpu = common.children_cpu() - cpu, common.children_cpu()
    rates["tesseract"] = common.ppm(n, s)
    print(f"  raw tesseract CLI        {s:7.1f} s  {rates['tesseract']:6.1f} pages/min  "
          f"(CPU {cpu_cli:.1f} s user+sys; load {common.load()})", flush=True)

    with ExitStack() as stack:
        if args.external_cluster:
            common.SCHEDULER = stack.enter_context(common.external_cluster(w))
        r = common.run_digitize(pdfs, args.work / "digitize", w, extra=tuple(args.digitize_args.split()))
    cpu_dig = common.children_cpu() - cpu
    if r["failed"] or r["pages"] != n:
        print(f"  warning: digitize finished {r['pages']} of {n} pages, {r['failed']} document(s) failed", flush=True)
    rates["digitize"] = common.ppm(n, r["seconds"])
    print(f"  digitize run             {r['seconds']:7.1f} s  {rates['digitize']:6.1f} pages/min "
          f"(processing span {r['span']:.1f} s: {common.ppm(n, r['span']):.1f} pages/min)  "
          f"(CPU {cpu_dig:.1f} s user+sys, {cpu_dig / cpu_cli:.2f} x the CLI's; load {common.load()})", flush=True)

    why = "left out (--no-ocrmypdf)" if args.no_ocrmypdf else common.ocrmypdf_available()
    if why is None:
        for clean, key in ((False, "ocrmypdf"), (True, "ocrmypdf-clean")):
            s = common.run_ocrmypdf(pdfs, args.work / key, w, clean=clean)
            rates[key] = common.ppm(n, s)
            label = "ocrmypdf --deskew --clean" if clean else "ocrmypdf"
            print(f"  {label:<24} {s:7.1f} s  {rates[key]:6.1f} pages/min", flush=True)
    else:
        print(f"  OCRmyPDF skipped: {why}", flush=True)

    d = rates["digitize"]
    shape = f" [{args.shape}: {n} pages in {len(pdfs)} document(s)]" if args.shape else ""
    line = (f"throughput{shape} ratio digitize/tesseract {d / rates['tesseract']:.2f} (target >= 0.95)")
    if "ocrmypdf" in rates:
        line += (f", digitize/ocrmypdf {d / rates['ocrmypdf']:.2f}, digitize/ocrmypdf-deskew-clean "
                 f"{d / rates['ocrmypdf-clean']:.2f} (target >= 1.5)")
    print(line + f"; pages/min: digitize {d:.1f}, " + ", ".join(f"{k} {v:.1f}" for k, v in rates.items() if k != "digitize"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
