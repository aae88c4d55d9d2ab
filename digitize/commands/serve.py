"""``digitize serve``: a warm service on a hot folder."""

from __future__ import annotations

import argparse
import json
import logging
import os
import select
import signal
import socket
import time
from collections import deque
from pathlib import Path

from ..errors import UsageError

HELP = "watch a folder and OCR every document dropped into it, with warm workers"
DESCRIPTION = """\
Keep a Dask cluster and its workers warm (engine loaded, schemas compiled) and process every
document dropped into IN, as 'digitize run IN --out OUT' would: the same ledger, layout and
resume. Progress is logged per document.

A dropped file is taken once it is completely written. Its format tells: a PDF ends with
%%EOF after its cross-reference, a PNG with IEND, a JPEG with its EOI marker, a TIFF's pages and
strips lie inside the file; such a file is taken once it has not changed for 0.2 s, or at once
when it was renamed into IN. A file whose format shows it unfinished waits until it has not
changed for 30 s (it is then damaged, and fails with its reason); one whose format cannot tell,
until its size and modification time have not changed for --poll seconds. On Linux, IN is
watched with inotify, so a file is looked at the moment its writer closes it; IN is also listed
every --poll seconds (writers on other machines of a network share, other systems). A writer
that can should write NAME.part and rename it to NAME when done (a writer that appends the pages
of a TIFF one at a time, closing it in between, must): .part files and hidden files are never
taken. After its document is recorded, the original moves to IN/done/ (done or needs-review, or
already done before), or to IN/failed/ with NAME.reason.txt beside it.

Ctrl-C (SIGINT) or SIGTERM stops cleanly: nothing more is taken, the tasks in flight are
cancelled, the cluster is closed, exit 0. Documents left unfinished stay in IN; the next
'digitize serve' takes them again and resumes them (pages already recognised are kept).

Like 'digitize run', the service writes OUT/report.html and the authority file in OUT/authority/
(the same steps): each time it has recorded documents and nothing is left to do, and when it
stops. --no-authority and --no-report leave them out. Its log is in OUT/logs/.

examples:
  digitize serve --watch inbox/ --out out/ --profile ph
  digitize serve --watch inbox/ --out out/ --profile ep --scheduler tcp://10.0.0.5:8786

exit status: 0 stopped by a signal, 1 the disk filled up, 2 usage error, 3 a missing dependency.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--watch", type=Path, required=True, metavar="IN", help="the hot folder (created)")
    p.add_argument("--out", type=Path, required=True, help="output folder (created)")
    p.add_argument("--profile", default="generic", help="OCR profile name or path (default generic)")
    p.add_argument("--scheduler", help="address of an existing Dask scheduler (default: a local cluster)")
    p.add_argument("--pool", choices=("processes", "threads"),
                   help="the local cluster's workers: processes (default: a crashed worker is replaced and the "
                   "service goes on) or threads in this process (a crash stops the service; a restart resumes)")
    p.add_argument("--workers", type=int, help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--pages-per-task", type=int, help="page ranges of at most this size (default 8)")
    p.add_argument("--formats", help="comma-separated XML outputs: st36,st96 (default both; '' for none)")
    p.add_argument("--no-authority", action="store_true", help="do not build OUT/authority/")
    p.add_argument("--no-report", action="store_true", help="do not write OUT/report.html")
    p.add_argument("--schemas", type=Path, help="WIPO schema folder (default $DIGITIZE_SCHEMAS or ../shared/standards)")
    p.add_argument("--poll", type=float, default=1.0,
                   help="seconds between two listings of IN, and how long a file whose format cannot tell that it "
                   "is complete must stay unchanged (default 1)")


def main(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from ..settings import profile as profiles
    from ..hotfolder import HotFolder
    from ..jobfolder import JobFolder
    from ..settings.job import JobError, JobSettings, merge, validate

    if args.poll <= 0:
        raise UsageError("--poll must be > 0 seconds")
    try:
        job = merge(JobSettings(), profile=args.profile, out=args.out, scheduler=args.scheduler,
                    workers=args.workers, pool=args.pool, pages_per_task=args.pages_per_task, schemas=args.schemas, progress="log")
        if args.formats is not None:
            job = replace(job, formats=tuple(f for f in args.formats.split(",") if f.strip()))
        job = validate(replace(job, authority=not args.no_authority, report=not args.no_report))
        profile = profiles.load(job.profile)
    except (JobError, profiles.ProfileError) as exc:
        raise UsageError(str(exc)) from None
    watch, out = args.watch.resolve(), args.out.resolve()
    if watch == out:
        raise UsageError("--watch and --out must be different folders")
    job = replace(job, out=out)  # absolute: a worker resolves a relative path against its own folder
    watch.mkdir(parents=True, exist_ok=True)
    trace = Trace(Path(os.environ[TRACE_ENV])) if os.environ.get(TRACE_ENV) else None
    from ..runlog import run_log

    with JobFolder(out).run_lock(), run_log(out, "serve", getattr(args, "verbose", 0)):
        # one run or service per output folder (exit 2 otherwise); the hot folder's copies are
        # the job folder's, so it starts under the lock
        hot = HotFolder(watch, out, settle=args.poll, event=trace.mark if trace else None)
        return _serve(job, profile, hot, watch, out, args.poll, trace)


TRACE_ENV = "DIGITIZE_SERVE_TRACE"


class Trace:
    """Each document's timeline, for ``bench/throughput.py --shape warm``: with
    ``DIGITIZE_SERVE_TRACE=FILE`` the service writes one JSON line per document when it stops,
    the wall-clock times (``time.time()``) at which the file was last written (its mtime), seen,
    taken, submitted (the ledger's ``started``), recognised and finished on a worker (Dask's task
    stream), recorded and moved. The latency of a dropped document is where the hot folder's
    pace is lost or won; a ratio on a shared machine says less."""

    def __init__(self, path: Path):
        self.path = path
        self.docs: dict[str, dict[str, float]] = {}

    def mark(self, input_path: str, event: str) -> None:
        self.docs.setdefault(input_path, {}).setdefault(event, time.time())

    def start(self, client) -> None:
        client.get_task_stream()  # installs the scheduler's task-stream plugin: it records from now on

    def write(self, client, ledger, profile_name: str) -> None:
        from ..batch.planner import input_key

        # the compute spans of each work folder's tasks, in the stream's order: a task key is
        # "KIND-WORKDIR-...", and a work folder's name (``input_key``) is "HASH-CHECKSUM"
        spans: dict[str, dict[str, tuple[str, float, float]]] = {}
        try:
            for t in client.get_task_stream():
                for ss in t.get("startstops", ()):
                    if ss.get("action") == "compute":
                        kind, h, c, *_ = f"{t['key']}---".split("-")
                        spans.setdefault(f"{h}-{c}", {})[t["key"]] = (kind, ss["start"], ss["stop"])
        except Exception as exc:  # noqa: BLE001  the trace is a measure, never the service's failure
            logging.getLogger("digitize").warning("trace: no task stream: %s", exc)
        with open(self.path, "w", encoding="utf-8") as f:
            for row in ledger.rows():
                name, events = row["input"], dict(self.docs.get(row["input"], {}))
                events["mtime"] = (row["mtime_ns"] or 0) / 1e9
                events["submitted"] = row["started"]
                events["finished"] = row["finished"]
                if row["checksum"]:
                    wd = input_key(Path(name), row["checksum"], profile_name)
                    for kind, start, stop in spans.get(wd, {}).values():
                        events.setdefault(f"{kind}_start", start)
                        events[f"{kind}_stop"] = stop
                f.write(json.dumps({"input": name, "state": row["state"], "events": events}) + "\n")


def _serve(job, profile, hot, watch: Path, out: Path, poll: float, trace: Trace | None = None) -> int:
    """The loop: take what is complete, submit it at once, record what ended. It sleeps in one
    ``select`` until the soonest of: a file event (inotify), a task ending (each future's
    callback writes to a socket), a file's grace or settle time, the next listing, a signal. A
    dropped file is then submitted within milliseconds of being taken, and a finished document
    recorded within milliseconds of its end, whatever ``--poll`` is. Dask's periodic work is
    quietened for it as for every run (``batch.run.QUIET_DASK``)."""
    from ..batch import BatchRun
    from .run import post_steps

    log = logging.getLogger("digitize")
    stop: list[str] = []
    # a socket pair, not a pipe: a callback that comes after close() fails on the closed socket
    # object instead of writing to whatever file reuses the descriptor number
    wake_r, wake_w = socket.socketpair()
    wake_r.setblocking(False)
    wake_w.setblocking(False)

    def wake(*_args) -> None:
        try:
            wake_w.send(b"x")
        except OSError:  # full: the loop is woken already; closed: the loop is over
            pass

    def on_signal(signum, _frame) -> None:
        stop.append(signal.Signals(signum).name)
        wake()

    recorded: list[str] = []  # since the derived files were last refreshed

    def on_recorded(input_path: str, state: str, reason: str | None) -> None:
        if trace:
            trace.mark(input_path, "recorded")
        recorded.append(input_path)
        moved = hot.recorded(input_path, state, reason)
        if moved is not None and state == "failed":
            run.note_moved(input_path, str(moved))  # status shows where the original is now

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    run = BatchRun(job, profile, post=post_steps(job), on_recorded=on_recorded)
    try:
        run.start()  # a missing dependency: exit 3 (digitize.errors.MissingDependency)
        if trace:
            trace.start(run.client)
        _warm_up(run, stop)
        where = f"scheduler {job.scheduler}" if job.scheduler else f"{run.nworkers} local worker(s)"
        how = "inotify events and a listing" if hot.fileno() is not None else "a listing"
        log.info("digitize serve: watching %s (profile %s, %s; %s every %g s); results in %s; Ctrl-C stops", watch,
                 profile.name, where, how, poll, out)
        hooked: set = set()
        waiting: deque = deque()  # taken (planner.Held), not yet handed to the batch (see below)
        while not stop and not run.stopped:
            waiting.extend(hot.scan())
            # A new document goes to the batch only while a worker would otherwise be idle: a
            # document queued in Dask ran ahead of the finish of the one before it (submitted
            # when its OCR ended, a round trip too late), which then waited a whole page (4.8 s
            # of a 6.6 s latency). Held here, the finish goes first; the next page starts ~0.1 s later.
            while waiting and len(run.running) + len(run.urgent) < run.nworkers:
                run.add([waiting.popleft()])
                run.pump()
            run.pump()
            for fut in run.running:
                if fut not in hooked:
                    fut.add_done_callback(wake)
            hooked = set(run.running)
            if any(fut.done() for fut in run.running):
                run.poll(None)  # returns at once: records what ended, submits what follows
                continue
            if recorded and run.idle and not waiting:  # the report and authority file follow the documents
                recorded.clear()
                run.refresh()
                continue
            fds = [wake_r] + ([hot.fileno()] if hot.fileno() is not None else [])
            select.select(fds, [], [], min(poll, hot.next_look()))
            try:
                while wake_r.recv(4096):
                    pass
            except BlockingIOError:
                pass
        if stop:
            log.info("digitize serve: %s received, stopping (%d task(s) in flight cancelled; a restart resumes)",
                     stop[0], len(run.running))
        if run.client is not None and run.running:
            run.client.cancel(list(run.running))
        if trace and run.client is not None:
            trace.write(run.client, run.ledger, profile.name)
    finally:
        run.close()
        if recorded:
            run.refresh()
        hot.close()
        for s, handler in old.items():
            signal.signal(s, handler)
        wake_r.close()
        wake_w.close()
    c = run.ledger.counts()
    log.info("digitize serve: stopped; ledger: %s", ", ".join(f"{v} {k}" for k, v in sorted(c.items())) or "empty")
    return 1 if run.stopped else 0


def _warm_up(run, stop: list) -> None:
    """One small document through each worker thread before the service says it is watching, so
    that the first document dropped is not the one to load the engine and the code it runs:
    that took ~0.4 s more CPU than a later one (OCR 4.3 s against 4.0 s, finish 0.14-0.24 s
    against 0.05 s, one EP page). Each warm-up costs ~1.3 s of CPU once per worker. A worker
    that joins later (one replaced after a crash) starts cold."""
    from distributed import wait

    job, futures = run.job, []
    schemas = str(job.schemas) if job.schemas else None
    for address, info in run.client.scheduler_info().get("workers", {}).items():
        for i in range(info.get("nthreads", 1)):
            futures.append(run.client.submit(warm_worker, run.profile, tuple(job.formats), schemas, workers=[address],
                                             allow_other_workers=False, pure=False, key=f"warm-up-{address}-{i}"))
    deadline = time.monotonic() + 120
    while futures and not stop and time.monotonic() < deadline:
        try:
            wait(futures, timeout=0.2)
            break
        except TimeoutError:
            continue
    run.client.cancel(futures)


def warm_worker(profile, formats: tuple[str, ...], schemas: str | None) -> float:
    """Worker side: a synthetic page through OCR and the finish in a temporary folder (this
    thread's engine, the readers, preprocessing, proofreading, emitters, validation). Never
    raises (a real document reports any error with its own reason), but says it failed. Returns
    the seconds."""
    import shutil
    import tempfile

    from ..batch.worker import prepare_process
    from ..pipeline import finish_document, ocr_range
    from ..synth import degrade, render_text_page, write_tiff

    start = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="digitize-warm-up-"))
    try:
        prepare_process()
        img, dpi = degrade(render_text_page(["Warm-up page.", "", "A line of text to read before the first document."]),
                           "clean", 0)
        write_tiff([img], folder / "warm-up.tif", dpi)
        ocr_range(folder / "warm-up.tif", folder / "work", profile)
        finish_document(folder / "work", profile, source="warm-up.tif", doc_id="WARMUP", formats=formats,
                        schema_dir=Path(schemas) if schemas else None)
    except Exception as exc:  # noqa: BLE001
        logging.getLogger("digitize").warning("warm-up of a worker failed (the first document will load what it "
                                              "needs): %s: %s", type(exc).__name__, exc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return time.perf_counter() - start
