"""The run loop: plan, submit, record. The client plans and records; workers run the pure
pipeline functions and write the document's files themselves (inputs and outputs live on a
filesystem every worker sees). The scheduler only ever holds small task descriptions and
results, never images.

* Back-pressure: at most a few tasks per worker are in flight; the next input is planned only
  when a slot frees, so a 100,000-document job never creates 100,000 futures.
* The cluster starts in a thread while the first inputs are planned (checksums, page counts).
* A document is split into even page ranges sized from its pages and the workers, the job's last
  inputs into ranges that shrink to single pages (``planner.page_ranges``); a finish runs before
  ranges queued earlier, so it overlaps the next document's OCR.
* A worker that dies is replaced by the cluster and its task rescheduled; after
  ``max_attempts`` deaths the document is ``failed`` with that reason and the batch goes on.
* No space left on the device: the documents in flight fail with that reason, nothing more is
  submitted, the run ends (exit 1); a re-run after freeing space resumes.
* The ledger (SQLite) is written here only, so a killed run resumes where it stopped.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from .. import deps
from ..errors import SharedFolderError, UsageError
from ..fsutil import one_line
from ..settings.job import JobSettings, Summary
from ..jobfolder import JobFolder, pages_dir
from ..store.ledger import Ledger
from ..store.memory import MemoryRules
from ..settings.profile import Profile
from .document import DocState
from ..model import Held
from .planner import Planned, Planner, Skipped
from .tasks import NO_SPACE, FinishDone, FinishTask, OcrDone, OcrTask, Task, TaskFailed, run_finish, run_ocr
from .worker import WORKER_ENV, WorkerSetup

log = logging.getLogger("digitize")

# A document's finish runs before page ranges queued earlier: otherwise it waits behind them and
# lands at the end of the run, where it leaves the other workers idle (31 pages on 2 workers: a
# worker stood idle for 6 s at the end).
FINISH_PRIORITY = 10
RESERVE_BYTES = 256 << 10
# ``pool = "auto"``: a job of up to this many pages runs on threads in the client's process. Start-up
# is the point: 2 worker processes and their nannies each import digitize and Dask (and compiled the
# ST.96 XSD, ~3 s of CPU, until validate.py stood in for its MathML part), which on 11 single pages
# was a third of the run's CPU time; one process pays it once. Larger jobs keep processes: a crash
# there costs a worker, not the run.
SMALL_JOB_PAGES = 64
# ... and on up to this many workers: the threads share one GIL for their Python parts (page
# files, proofreading, the finish: ~10 % of a page), which stops paying beyond a few cores.
THREADS_MAX_WORKERS = 4


# Dask's own periodic work, set before the cluster starts (its worker processes get it from their
# nanny). A service pays it every second it waits for documents, a run on every page: the
# statistical profiler sampling each worker's threads every 10 ms, the event-loop tick every
# 20 ms, the system and memory monitors. Idle, the service with 2 worker processes used 0.11 s
# of CPU a second with Dask's defaults, 0.018 s with these (0.037 and 0.006 on threads). The
# dashboard (not started) is what loses the profile; the nanny still restarts a worker over
# its memory limit, looking twice a second instead of ten times.
QUIET_DASK = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "1s",
    "distributed.worker.memory.monitor-interval": "500ms",
}


# The scheduler and every worker start a web server whatever the dashboard (health, metrics, and
# with Bokeh the dashboard: worker folders, logs, call stacks), unauthenticated. Left alone, the
# scheduler's takes port 8787 on the address it listens on (the machine's own address for the
# thread pool, whose in-process address names it; "Port 8787 is already in use" when taken) and a
# worker's a random port there. Both are bound to the loopback interface on a free port, and the
# scheduler's dashboard is not started.
LOOPBACK_HTTP = {
    "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    "worker_dashboard_address": "127.0.0.1:0",
}


@dataclass(frozen=True)
class PostStep:
    """A job-level step run after the documents (the authority file, the report), given by the
    command: the batch does not import what sits above it. A failing step is a warning: the
    documents' results stand."""

    name: str
    run: Callable[[Path, Ledger, Profile], Any]


def choose_pool(job: JobSettings, inputs: Sequence[Path]) -> str:
    """The local cluster's pool, "threads" or "processes" (see ``SMALL_JOB_PAGES``); the pages are
    counted from the files' headers. No inputs yet (``digitize serve``), or more than
    ``THREADS_MAX_WORKERS`` workers: processes."""
    if job.pool != "auto":
        return job.pool
    if not inputs or len(inputs) > SMALL_JOB_PAGES or job.effective_workers() > THREADS_MAX_WORKERS:
        return "processes"
    from ..ingest import page_count

    pages = 0
    for path in inputs:
        try:
            pages += page_count(path)
        except Exception:  # noqa: BLE001  a bad input fails later, with its reason
            pages += 1
        if pages > SMALL_JOB_PAGES:
            return "processes"
    return "threads"


def connect(job: JobSettings, pool: str = "processes"):
    """A client on an existing scheduler, or on a LocalCluster: single-threaded processes, or
    (``pool == "threads"``) one in-process worker with a thread per core."""
    import dask
    from distributed import Client, LocalCluster

    if not log.isEnabledFor(logging.DEBUG):  # distributed sets its own levels when imported
        for name in ("distributed", "distributed.scheduler", "distributed.worker", "distributed.nanny",
                     "distributed.core", "distributed.http.proxy", "distributed.shuffle"):
            logging.getLogger(name).setLevel(logging.ERROR)

    # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which makes glibc hand
    # memory back after every large free: Tesseract and the page arrays allocate and free tens
    # of MB a page, and a page took ~6 % longer (preprocessing ~40 %) with it. glibc's own
    # dynamic threshold keeps a worker's RSS within the same bound (bench/memory.py).
    spawn_env = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
                 if k != "MALLOC_TRIM_THRESHOLD_"}
    dask.config.set({
        "distributed.scheduler.allowed-failures": max(0, job.max_attempts - 1),
        "distributed.worker.daemon": False,
        "distributed.admin.tick.limit": "30s",
        "distributed.nanny.pre-spawn-environ": spawn_env,
        **QUIET_DASK,
    })
    if job.scheduler:
        client = Client(job.scheduler, timeout="20s")
        return client, None
    os.environ.update(WORKER_ENV)  # inherited by the worker processes too
    if pool == "threads":
        cluster = LocalCluster(n_workers=1, threads_per_worker=job.effective_workers(), processes=False,
                               silence_logs=logging.CRITICAL, **LOOPBACK_HTTP)
        return Client(cluster), cluster
    cluster = LocalCluster(
        n_workers=job.effective_workers(), threads_per_worker=1, processes=True, host="127.0.0.1",
        silence_logs=logging.CRITICAL, env=dict(WORKER_ENV), **LOOPBACK_HTTP,
    )
    return Client(cluster), cluster


def set_up_workers(client, profile: Profile, job: JobSettings, marker: tuple[str, str] | None = None) -> None:
    """Register the worker plugin (dependency check, the output folder seen through ``marker``,
    one-core set-up, warm-up); a worker that lacks a dependency or does not see the output
    folder stops the run here, with one line naming it."""
    schemas = str(job.schemas) if job.schemas else None
    try:
        client.register_plugin(WorkerSetup(profile, tuple(job.formats), schemas, marker), name=WorkerSetup.name)
    except (deps.MissingDependency, SharedFolderError):
        raise
    except Exception as exc:  # the plugin did not even unpickle there (digitize itself cannot import)
        text = f"{type(exc).__name__}: {exc}".splitlines()[0]
        if "MissingDependency" in text or "missing on worker" in text:
            raise deps.MissingDependency(str(exc).splitlines()[0]) from None
        raise deps.MissingDependency(f"a worker cannot load digitize: {text}") from None


class Progress:
    """A bar over pages with an ETA on a terminal (its total known once the inputs' pages are
    counted), a log line per document otherwise."""

    def __init__(self, documents: int | None, mode: str):
        self.documents, self.done, self.failed, self.pages = documents, 0, 0, 0
        self.total_pages: int | None = None
        self.start = time.time()
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "log"
        self.mode = mode
        self.bar = None
        if mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(total=None, unit="page", dynamic_ncols=True, file=sys.stderr)
            self._postfix()

    def rate(self) -> float:
        elapsed = time.time() - self.start
        return 60 * self.pages / elapsed if elapsed > 0 else 0.0

    def _postfix(self) -> None:
        of = f"/{self.documents}" if self.documents else ""
        self.bar.set_postfix_str(f"documents {self.done + self.failed}{of}, failed {self.failed}", refresh=False)

    def set_total(self, pages: int) -> None:
        """The pages this run has to recognise (known after counting; lowered for kept pages, skipped
        and failed documents)."""
        self.total_pages = max(pages, self.pages)
        if self.bar is not None:
            self.bar.total = self.total_pages
            self.bar.refresh()

    def recognised(self, pages: int) -> None:
        """Pages recognised (one task's range)."""
        self.pages += pages
        if self.bar is not None and pages:
            self.bar.update(pages)

    def update(self, name: str, state: str, pages: int = 0, reason: str | None = None) -> None:
        """A document ended (``pages``: its page count)."""
        if state == "failed":
            self.failed += 1
        else:
            self.done += 1
        n = self.done + self.failed
        if self.bar is not None:
            self._postfix()
            self.bar.refresh()
        extra = f": {reason}" if reason else f" ({pages} pages)"
        of = f"/{self.documents}" if self.documents else ""
        # on the terminal in log mode; always in the run's log file
        log.info("[%d%s] %s %s%s  %.1f pages/min", n, of, state, one_line(name), one_line(extra), self.rate(),
                 extra={"file_only": self.mode != "log"})

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class BatchRun:
    """One job folder, one client. ``run()`` processes a fixed list of inputs; ``digitize serve``
    drives the same object with ``add()`` and ``poll()`` for as long as it runs."""

    def __init__(self, job: JobSettings, profile: Profile, inputs: Iterable[Path] = (), *,
                 post: Sequence[PostStep] = (), on_recorded: Callable[[str, str, str | None], None] | None = None):
        assert job.out is not None
        self.job, self.profile = job, profile
        self.out = Path(job.out)
        self.folder = JobFolder(self.out).create()
        self.ledger = self.folder.ledger()
        self.planner = Planner(self.ledger, self.folder, profile.name)
        self.summary = Summary(out=self.out)
        self.schemas = str(job.schemas) if job.schemas else None
        self.memory = office_memory(job, profile, self.out)
        self.post = tuple(post)
        self.on_recorded = on_recorded
        self.todo: deque[Path | Held] = deque(inputs)
        self.ledger.adopt_relative((str(p) for p in self.todo), os.getcwd())
        self.planned: deque[Planned | Skipped] = deque()
        self.urgent: deque[tuple[DocState, Task]] = deque()  # ranges and finishes of started documents
        self.running: dict[Any, tuple[DocState, Task]] = {}
        self.stopped: str | None = None  # why nothing more is submitted (no space left)
        self.client = self.cluster = None
        self.nworkers = job.effective_workers()
        self.pool = "scheduler" if job.scheduler else choose_pool(job, list(self.todo))
        self._queue = None
        self.progress = Progress(len(self.todo) or None, job.progress)
        self.reserve = self.folder.work_dir / ".space-reserve"
        self.marker_path = self.folder.work_dir / ".workers-see-this"
        self.run_id: int | None = None
        self.finished_docs = 0
        # the bar's total: the to-do inputs' pages, counted in a thread, less what turns out not
        # to be needed (pages kept from an earlier run, skipped and failed documents)
        self._counts: dict[str, int] | None = None
        self._counting: threading.Thread | None = None
        self._less = 0
        self._skipped_inputs: list[str] = []

    def _reserve(self) -> None:
        """A little room kept aside: when the disk fills up, it is given back so that the ledger
        can still record the documents that failed (SQLite needs a few pages to write)."""
        try:
            if not self.reserve.exists():
                with open(self.reserve, "wb") as f:
                    f.write(b"\0" * RESERVE_BYTES)
        except OSError:
            self.reserve.unlink(missing_ok=True)

    # -- start and stop ------------------------------------------------------------------------
    def start(self) -> None:
        """Connect (the cluster starts in a thread while the first inputs are planned) and set
        the workers up."""
        if self.job.scheduler is None:
            deps.check(self.profile, where="this machine")  # before starting workers that would say the same
        else:
            deps.check(self.profile, where="this machine (the client)", engine=False, modules=deps.CLIENT_MODULES)
        self._reserve()
        interrupted = self.ledger.reset_interrupted()
        if interrupted:
            log.info("resuming: %d input(s) left running by an earlier run", interrupted)
        with ThreadPoolExecutor(1, thread_name_prefix="digitize-connect") as pool:
            connecting = pool.submit(connect, self.job, self.pool)
            window = 2 * self.nworkers + 1
            while not connecting.done() and len(self.planned) < window and self.todo:
                self.planned.append(self.planner.plan(self.todo.popleft()))
            self.client, self.cluster = connecting.result()
        try:
            set_up_workers(self.client, self.profile, self.job, self._marker())
        except BaseException:
            self.close()
            raise
        workers = self.client.scheduler_info().get("workers", {})
        self.nworkers = max(1, sum(w.get("nthreads", 1) for w in workers.values()) or self.nworkers)
        if self.pool != "scheduler":
            log.info("local cluster: %d %s", self.nworkers,
                     "thread(s) in this process" if self.pool == "threads" else "worker process(es)")

    def _marker(self) -> tuple[str, str]:
        """A file in the output folder that every worker must read (kept while the run lasts: a
        worker that joins later checks it too)."""
        token = os.urandom(16).hex()
        self.marker_path.write_text(token, encoding="ascii")
        return os.path.abspath(self.marker_path), token

    def close(self) -> None:
        self.progress.close()
        self.marker_path.unlink(missing_ok=True)
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None
        self.reserve.unlink(missing_ok=True)
        if self._queue is not None:
            self._queue.close()
            self._queue = None

    def run(self) -> Summary:
        """Process the inputs. When every one is done with the same content there is nothing to
        do: no cluster starts and no run is recorded. Otherwise the run gets a ``runs`` row in the
        ledger (its time, the pages it recognised), closed however it ends; the summary's numbers
        are that row's."""
        todo = [p for p in self.todo if not self.planner.done_unchanged(p)]
        if not todo:
            self.summary.skipped = len(self.todo)
            self.todo.clear()
            self.progress.close()
            self.after()
            return self.summary
        self._count_pages(todo)
        self.run_id = self.ledger.start_run()
        outcome = "error"
        try:
            self.start()
            self.summary.started_cluster = True
            self.pump()
            while self.running:
                self.poll(None)
            outcome = "stopped: " + self.stopped if self.stopped else "finished"
        except KeyboardInterrupt:
            outcome = "interrupted"
            raise
        finally:
            self.close()
            run = self._write(lambda: self.ledger.end_run(self.run_id, outcome, self.progress.pages, self.finished_docs),
                              "the run's row")
            if run is None:  # not recorded (a full disk): the same figures, from this process
                run = {"pages": self.progress.pages, "started": self.progress.start, "ended": time.time()}
            self.summary.pages, self.summary.seconds = run["pages"], run["ended"] - run["started"]
        self.after()
        return self.summary

    # -- pages to do ---------------------------------------------------------------------------
    def _count_pages(self, inputs: list[Path]) -> None:
        """Count the to-do inputs' pages from their headers in a thread (the bar's total)."""
        from ..ingest import page_count

        def count() -> None:
            counts = {}
            for path in inputs:
                try:
                    counts[str(path)] = page_count(path)
                except Exception:  # noqa: BLE001  a bad input fails later, with its reason
                    counts[str(path)] = 0
            self._counts = counts

        self._counting = threading.Thread(target=count, name="digitize-count-pages", daemon=True)
        self._counting.start()

    def _refresh_total(self) -> None:
        if self._counts is None:
            return
        skipped = sum(self._counts.get(name, 0) for name in self._skipped_inputs)
        self.progress.set_total(sum(self._counts.values()) - self._less - skipped)

    # -- the loop ------------------------------------------------------------------------------
    def add(self, paths: Iterable[Path | Held]) -> None:
        """More inputs (``digitize serve``: the hot folder's copies, ``model.Held``)."""
        self.todo.extend(paths)

    @property
    def idle(self) -> bool:
        return not (self.running or self.urgent or self.todo or self.planned)

    def _submit(self, doc: DocState, task: Task) -> None:
        if isinstance(task, OcrTask):
            fut = self.client.submit(run_ocr, task, self.profile, key=task.key, pure=False)
        else:
            fut = self.client.submit(run_finish, task, self.profile, tuple(self.job.formats), self.schemas,
                                     self.memory, key=task.key, pure=False, priority=FINISH_PRIORITY)
        self.running[fut] = (doc, task)

    def pump(self) -> None:
        window = 2 * self.nworkers + 1
        while len(self.running) < window:
            if self.urgent:
                doc, task = self.urgent.popleft()
                if doc.failed:
                    continue
                if self.stopped:  # nothing more is written: the document fails with the reason
                    doc.failed = self.stopped
                    self._fail(doc, self.stopped)
                    continue
                self._submit(doc, task)
                continue
            if self.stopped:
                return
            if self.planned:
                plan = self.planned.popleft()
            elif self.todo:
                path = self.todo.popleft()
                plan = self._write(lambda: self.planner.plan(path), str(path))
                if plan is None:  # not recorded: the disk is full; a re-run takes it again
                    return
            else:
                return
            if isinstance(plan, Skipped):
                self._skipped(plan)
                continue
            self._write(lambda: self.ledger.mark_running(plan.input), plan.input)
            doc = DocState(plan, self.job.max_attempts, self.job.pages_per_task, self.nworkers, self._pages_after())
            if self.stopped:  # the disk filled as it was marked running: it fails with the reason
                doc.failed = self.stopped
                self._fail(doc, self.stopped)
                return
            doc.kept = sum(1 for _ in pages_dir(plan.work_dir).glob("[0-9][0-9][0-9][0-9].json"))
            self._less += doc.kept
            self._write(lambda: self.ledger.set_progress(plan.input, plan.page_count, doc.kept), plan.input)
            tasks = doc.start()
            self._submit(doc, tasks[0])
            self.urgent.extend((doc, t) for t in tasks[1:])

    def _pages_after(self) -> int | None:
        """The pages of the inputs queued behind the one being started, when they are all the job
        still holds and their counts are known (its tail: see ``page_ranges``); else None."""
        if self.todo or any(isinstance(p, Planned) and p.page_count is None for p in self.planned):
            return None
        return sum(p.page_count for p in self.planned if isinstance(p, Planned))

    def poll(self, timeout: float | None) -> int:
        """Wait up to ``timeout`` seconds (None: until one task ends) and record what ended."""
        from distributed import wait

        if not self.running:
            return 0
        try:
            done = wait(list(self.running), timeout=timeout, return_when="FIRST_COMPLETED").done
        except TimeoutError:
            return 0
        self._refresh_total()
        for fut in done:
            doc, task = self.running.pop(fut)
            self._handle(doc, task, self._result(fut, task))
        self.pump()
        self._refresh_total()
        return len(done)

    def _result(self, fut, task: Task):
        if fut.status == "finished":
            return fut.result()
        exc = fut.exception()
        if type(exc).__name__ == "KilledWorker":
            what = f"OCR of pages {task.first}-{task.last}" if isinstance(task, OcrTask) else task.describe()
            return TaskFailed(f"worker process died while {what} (crash or out of memory), "
                              f"{self.job.max_attempts} attempt(s)", retry=False)
        return TaskFailed(f"task error: {type(exc).__name__}: {exc}", retry=True)

    def _handle(self, doc: DocState, task: Task, result) -> None:
        if doc.failed:
            return
        if isinstance(result, TaskFailed) and result.reason == NO_SPACE:
            self._stop(NO_SPACE)
        follow = doc.on_result(task, result)
        if isinstance(result, OcrDone):
            self.progress.recognised(result.pages)
            self._write(lambda: self.ledger.set_progress(doc.input, doc.page_count, doc.kept + doc.recognised), doc.input)
        if doc.failed:
            self._fail(doc, doc.failed)
            return
        if isinstance(result, FinishDone):
            self._finished(doc, result)
            return
        for t in follow:  # a finish first: it frees a document's pages and overlaps the next OCR
            if isinstance(t, FinishTask):
                self.urgent.appendleft((doc, t))
            else:
                self.urgent.append((doc, t))

    def _stop(self, reason: str) -> None:
        if not self.stopped:
            self.stopped = reason
            self.reserve.unlink(missing_ok=True)  # room for the ledger to record the failures
            left = len(self.todo) + sum(isinstance(p, Planned) for p in self.planned)
            log.error("%s: no more documents are started (%d input(s) not started); free space and run again",
                      reason, left)

    # -- recording -----------------------------------------------------------------------------
    def _write(self, write: Callable[[], Any], name: str) -> Any:
        """A ledger write; on a full disk, stop the run, give back the reserve and try once more.
        None when it could not be written (the row stays as it was; a re-run takes it again)."""
        for attempt in (1, 2):
            try:
                return write()
            except (sqlite3.OperationalError, OSError) as exc:
                full = "full" in str(exc) if isinstance(exc, sqlite3.OperationalError) else exc.errno == errno.ENOSPC
                if not full:
                    raise
                self._stop(NO_SPACE)
                if attempt == 2:
                    log.error("%s: not recorded in the ledger (%s); a re-run takes it again", name, exc)
        return None

    def note_moved(self, input_path: str, where: str) -> None:
        """The original of a failed input now lies at ``where`` (the service moved it)."""
        self._write(lambda: self.ledger.note_moved(input_path, where), input_path)

    def _record(self, name: str, state: str, pages: int = 0, reason: str | None = None) -> None:
        self.progress.update(Path(name).name, state, pages=pages, reason=reason)
        if self.on_recorded is not None:
            self.on_recorded(name, state, reason)

    def _skipped(self, plan: Skipped) -> None:
        if plan.reason:
            self.summary.failures.append((plan.input, plan.reason))
            self._record(plan.input, "failed", reason=plan.reason)
        else:
            self.summary.skipped += 1
            self._record(plan.input, "skipped")
        self._skipped_inputs.append(plan.input)

    def _fail(self, doc: DocState, reason: str) -> None:
        if doc.page_count:
            self._less += max(0, doc.page_count - doc.kept - doc.recognised)
        else:
            self._skipped_inputs.append(doc.input)  # its pages, as counted
        self._write(lambda: self.ledger.mark_failed(doc.input, reason), doc.input)
        self.summary.failures.append((doc.input, reason))
        self._record(doc.input, "failed", reason=reason)

    def _finished(self, doc: DocState, done: FinishDone) -> None:
        result = done.result
        wanted = result.doc_id
        final = self._write(lambda: self.ledger.allocate_doc_id(doc.input, wanted), doc.input)
        if final is None:
            return
        if final != wanted and doc.forced_id is None:
            # Another input already produced this publication: keep both, say so.
            warning = f"publication {wanted} already produced by another input; written as {final}"
            log.warning("%s: %s", one_line(doc.input), one_line(warning))
            self.urgent.appendleft((doc, doc.rename(final, warning)))
            return
        target = self.folder.document_dir(final)
        _replace_dir(doc.plan.work_dir, target)
        self._write(lambda: self.ledger.mark_finished(
            doc.input, state=result.state, doc_id=final, out_dir=f"documents/{final}", pages=result.pages,
            seconds=doc.ocr_seconds + result.seconds, validated=result.validated, warning=doc.warning,
            recognised=doc.recognised), doc.input)
        if result.candidates:
            self._write(lambda: self._enqueue(final, result.candidates), doc.input)
        self.summary.kept += doc.kept
        self.finished_docs += 1
        self._record(doc.input, result.state, pages=result.pages)

    def _enqueue(self, doc_id: str, candidates: list) -> None:
        if self._queue is None:  # one connection for the run, not one (and a schema check) a document
            self._queue = self.folder.queue()
        self._queue.enqueue(doc_id, candidates)

    def after(self) -> None:
        """Counts, failures, and the command's post-run steps."""
        self.summary.counts = self.ledger.counts()
        for row in self.ledger.rows("failed"):
            if (row["input"], row["reason"]) not in self.summary.failures:
                self.summary.failures.append((row["input"], row["reason"] or ""))
        if self.stopped:
            return  # no authority file or report from a run cut short by a full disk
        self.refresh()

    def refresh(self) -> None:
        """The command's post steps: the derived files (authority file, report) written again from
        the ledger and the documents. ``run`` calls it at its end, ``serve`` whenever it has
        recorded documents and is idle, and when it stops."""
        if self.stopped:
            return
        for step in self.post:
            try:
                step.run(self.out, self.ledger, self.profile)
            except Exception as exc:  # noqa: BLE001  the batch's results stand
                log.warning("%s not written: %s", step.name, exc)


def _replace_dir(src: Path, dst: Path) -> None:
    """Move a finished work folder into place, replacing an older result of the same input."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        trash = dst.parent.parent / "work" / f".old-{dst.name}-{time.time_ns()}"
        os.replace(dst, trash)
        os.replace(src, dst)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(src, dst)


def office_memory(job: JobSettings, profile: Profile, out: Path) -> MemoryRules | None:
    """The office memory's rules for this run (``digitize.memory``), kept in the job folder
    (``memory.json``) for ``apply``; None when no store is named. A store that cannot be read
    is a usage error naming it."""
    from ..store.memory import MemoryError_, OfficeMemory, save_rules, store_path
    from ..settings.profile import or_defaults

    s = or_defaults(profile).proofread
    path = store_path(s.queue_memory, profile.path.parent if getattr(profile, "path", None) else None, job.memory)
    if path is None:
        return None
    office = getattr(profile, "office", None) or profile.name
    try:
        with OfficeMemory(path) as store:
            rules = store.rules(office.upper(), confirmations=s.queue_memory_confirmations,
                                lexicon_after=s.queue_memory_lexicon_after, store=str(path))
    except (sqlite3.Error, OSError, MemoryError_) as exc:
        raise UsageError(f"office memory {path}: {exc}") from None
    save_rules(out, rules)
    log.info("office memory %s: %d correction(s), %d word(s), %d part(y/ies) known", path, len(rules.corrections),
             len(rules.accepted), len(rules.parties))
    return rules


def run_batch(job: JobSettings, profile: Profile, inputs: list[Path], post: Sequence[PostStep] = ()) -> Summary:
    run = BatchRun(job, profile, inputs, post=post)
    try:
        return run.run()
    finally:
        run.ledger.close()  # checkpoints the WAL: the job folder is one ledger.sqlite again
