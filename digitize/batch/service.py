"""The service of ``digitize serve``: a warm cluster on a hot folder. Every document dropped into
the folder goes through the same ``BatchRun`` as ``digitize run`` (same ledger, layout, resume
and products), handed over as soon as a worker would be idle; the loop sleeps until a file event,
a task's end, a file's settle time or a signal. ``Trace`` records each document's timeline for
``bench/throughput.py``.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import socket
import time
from collections import deque
from pathlib import Path

from ..hotfolder import HotFolder
from ..settings.job import JobSettings
from ..settings.profile import Profile
from .planner import input_key
from .run import BatchRun

log = logging.getLogger("digitize")

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

    def start(self, run: BatchRun) -> None:
        run.task_stream()  # installs the scheduler's task-stream plugin: it records from now on

    def write(self, run: BatchRun, profile_name: str) -> None:
        # the compute spans of each work folder's tasks, in the stream's order: a task key is
        # "KIND-WORKDIR-...", and a work folder's name (``input_key``) is "HASH-CHECKSUM"
        spans: dict[str, dict[str, tuple[str, float, float]]] = {}
        try:
            for t in run.task_stream():
                for ss in t.get("startstops", ()):
                    if ss.get("action") == "compute":
                        kind, h, c, *_ = f"{t['key']}---".split("-")
                        spans.setdefault(f"{h}-{c}", {})[t["key"]] = (kind, ss["start"], ss["stop"])
        except Exception as exc:  # noqa: BLE001  the trace is a measure, never the service's failure
            log.warning("trace: no task stream: %s", exc)
        with open(self.path, "w", encoding="utf-8") as f:
            for row in run.ledger.rows():
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


def serve(job: JobSettings, profile: Profile, watch: Path, poll: float) -> int:
    """Watch ``watch`` and process every document dropped into it into ``job.out`` (absolute)
    until SIGINT or SIGTERM (0) or a full disk (1). The caller holds the job folder's run lock.

    The loop: take what is complete, submit it at once, record what ended. It sleeps in one
    ``select`` until the soonest of: a file event (inotify), a task ending (each future's
    callback writes to a socket), a file's grace or settle time, the next listing, a signal. A
    dropped file is then submitted within milliseconds of being taken, and a finished document
    recorded within milliseconds of its end, whatever ``poll`` is. Dask's periodic work is
    quietened for it as for every run (``cluster.QUIET_DASK``)."""
    out = Path(job.out)
    trace = Trace(Path(os.environ[TRACE_ENV])) if os.environ.get(TRACE_ENV) else None
    hot = HotFolder(watch, out, settle=poll, event=trace.mark if trace else None)
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

    recorded: list[str] = []  # since the products were last refreshed

    def on_recorded(input_path: str, state: str, reason: str | None) -> None:
        if trace:
            trace.mark(input_path, "recorded")
        recorded.append(input_path)
        moved = hot.recorded(input_path, state, reason)
        if moved is not None and state == "failed":
            run.note_moved(input_path, str(moved))  # status shows where the original is now

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    run = BatchRun(job, profile, on_recorded=on_recorded, on_task_end=wake)
    try:
        run.start()  # a missing dependency: exit 3 (digitize.errors.MissingDependency)
        if trace:
            trace.start(run)
        run.warm_up(lambda: bool(stop))
        where = f"scheduler {job.scheduler}" if job.scheduler else f"{run.nworkers} local worker(s)"
        how = "inotify events and a listing" if hot.fileno() is not None else "a listing"
        log.info("digitize serve: watching %s (profile %s, %s; %s every %g s); results in %s; Ctrl-C stops", watch,
                 profile.name, where, how, poll, out)
        waiting: deque = deque()  # taken (model.Held), not yet handed to the batch (see below)
        while not stop and not run.stopped:
            waiting.extend(hot.scan())
            # A new document goes to the batch only while a worker would otherwise be idle: a
            # document queued in Dask ran ahead of the finish of the one before it (submitted
            # when its OCR ended, a round trip too late), which then waited a whole page. Held
            # here, the finish goes first.
            while waiting and run.wants_input():
                run.add([waiting.popleft()])
                run.pump()
            run.pump()
            if run.any_ended():
                run.poll(None)  # returns at once: records what ended, submits what follows
                continue
            if recorded and run.idle and not waiting:  # the products follow the documents
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
                     stop[0], run.in_flight)
        run.cancel()
        if trace:
            trace.write(run, profile.name)
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
