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
* After the documents, the job's products (authority file, report: ``products``).
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import deps
from ..errors import UsageError
from ..fsutil import one_line
from ..jobfolder import DocumentFolder, JobFolder
from ..model import Held
from ..settings.job import JobSettings, Summary
from ..settings.profile import Profile
from ..store.memory import MemoryRules
from .cluster import choose_pool, connect, set_up_workers
from .document import DocState
from .planner import Planned, Planner, Skipped
from .products import write_products
from .progress import Progress
from .tasks import NO_SPACE, FinishDone, FinishTask, OcrDone, OcrTask, Task, TaskFailed, run_finish, run_ocr
from .worker import warm

log = logging.getLogger("digitize")

# A document's finish runs before page ranges queued earlier: otherwise it waits behind them and
# lands at the end of the run, where it leaves the other workers idle.
FINISH_PRIORITY = 10
RESERVE_BYTES = 256 << 10


class BatchRun:
    """One job folder, one client. ``run()`` processes a fixed list of inputs; the service
    (``service.serve``) drives the same object with ``start()``, ``add()``, ``pump()`` and
    ``poll()`` for as long as it runs, and its other public methods.

    ``on_recorded(input, state, reason)`` is called when a document is recorded in the ledger;
    ``on_task_end(future)`` when a submitted task ends (in Dask's thread: it must only wake the
    caller's loop). Public attributes, to read: ``job``, ``profile``, ``out``, ``folder``,
    ``ledger``, ``summary``, ``nworkers`` (known once started) and ``stopped`` (why nothing more
    is submitted: no space left)."""

    def __init__(self, job: JobSettings, profile: Profile, inputs: Iterable[Path] = (), *,
                 on_recorded: Callable[[str, str, str | None], None] | None = None,
                 on_task_end: Callable[[Any], None] | None = None):
        assert job.out is not None
        self.job, self.profile = job, profile
        self.out = Path(job.out)
        self.folder = JobFolder(self.out).create()
        self.ledger = self.folder.ledger()
        self._planner = Planner(self.ledger, self.folder, profile.name)
        self.summary = Summary(out=self.out)
        self._schemas = str(job.schemas) if job.schemas else None
        self._memory = office_memory(job, profile, self.out)
        self._on_recorded = on_recorded
        self._on_task_end = on_task_end
        self._todo: deque[Path | Held] = deque(inputs)
        self.ledger.adopt_relative((str(p) for p in self._todo), os.getcwd())
        self._planned: deque[Planned | Skipped] = deque()
        self._urgent: deque[tuple[DocState, Task]] = deque()  # ranges and finishes of started documents
        self._running: dict[Any, tuple[DocState, Task]] = {}
        self.stopped: str | None = None  # why nothing more is submitted (no space left)
        self._client = self._cluster = None
        self.nworkers = job.effective_workers()
        self._pool = "scheduler" if job.scheduler else choose_pool(job, list(self._todo))
        self._queue = None
        self._progress = Progress(len(self._todo) or None, job.progress)
        self._reserve_path = self.folder.work_dir / ".space-reserve"
        self._marker_path = self.folder.work_dir / ".workers-see-this"
        self._run_id: int | None = None
        self._finished_docs = 0
        # the bar's total: the to-do inputs' pages, counted in a thread, less what turns out not
        # to be needed (pages kept from an earlier run, skipped and failed documents)
        self._counts: dict[str, int] | None = None
        self._counting: threading.Thread | None = None
        self._less = 0
        self._skipped_inputs: list[str] = []

    def _make_reserve(self) -> None:
        """A little room kept aside: when the disk fills up, it is given back so that the ledger
        can still record the documents that failed (SQLite needs a few pages to write)."""
        try:
            if not self._reserve_path.exists():
                with open(self._reserve_path, "wb") as f:
                    f.write(b"\0" * RESERVE_BYTES)
        except OSError:
            self._reserve_path.unlink(missing_ok=True)

    # -- start and stop ------------------------------------------------------------------------
    def start(self) -> None:
        """Connect (the cluster starts in a thread while the first inputs are planned) and set
        the workers up."""
        if self.job.scheduler is None:
            deps.check(self.profile, where="this machine")  # before starting workers that would say the same
        else:
            deps.check(self.profile, where="this machine (the client)", engine=False, modules=deps.CLIENT_MODULES)
        self._make_reserve()
        interrupted = self.ledger.reset_interrupted()
        if interrupted:
            log.info("resuming: %d input(s) left running by an earlier run", interrupted)
        with ThreadPoolExecutor(1, thread_name_prefix="digitize-connect") as pool:
            connecting = pool.submit(connect, self.job, self._pool)
            window = 2 * self.nworkers + 1
            while not connecting.done() and len(self._planned) < window and self._todo:
                self._planned.append(self._planner.plan(self._todo.popleft()))
            self._client, self._cluster = connecting.result()
        try:
            set_up_workers(self._client, self.profile, self.job, self._marker())
        except BaseException:
            self.close()
            raise
        workers = self._client.scheduler_info().get("workers", {})
        self.nworkers = max(1, sum(w.get("nthreads", 1) for w in workers.values()) or self.nworkers)
        if self._pool != "scheduler":
            log.info("local cluster: %d %s", self.nworkers,
                     "thread(s) in this process" if self._pool == "threads" else "worker process(es)")

    def _marker(self) -> tuple[str, str]:
        """A file in the output folder that every worker must read (kept while the run lasts: a
        worker that joins later checks it too)."""
        token = os.urandom(16).hex()
        self._marker_path.write_text(token, encoding="ascii")
        return os.path.abspath(self._marker_path), token

    def close(self) -> None:
        self._progress.close()
        self._marker_path.unlink(missing_ok=True)
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None
        self._reserve_path.unlink(missing_ok=True)
        if self._queue is not None:
            self._queue.close()
            self._queue = None

    # -- a service's needs ---------------------------------------------------------------------
    def warm_up(self, stopped: Callable[[], bool], seconds: float = 120) -> None:
        """A small page through OCR and the finish on each worker thread (``worker.warm``), waited
        for up to ``seconds`` or until ``stopped()``: a service warms its workers before it says
        it is watching, so that the first document dropped is not the one to load the engine and
        the code it runs. A worker that joins later (one replaced after a crash) starts cold."""
        from distributed import wait

        schemas = Path(self._schemas) if self._schemas else None
        futures = []
        for address, info in self._client.scheduler_info().get("workers", {}).items():
            for i in range(info.get("nthreads", 1)):
                futures.append(self._client.submit(warm, self.profile, tuple(self.job.formats), schemas, page=True,
                                                   workers=[address], allow_other_workers=False, pure=False,
                                                   key=f"warm-up-{address}-{i}"))
        deadline = time.monotonic() + seconds
        while futures and not stopped() and time.monotonic() < deadline:
            try:
                wait(futures, timeout=0.2)
                break
            except TimeoutError:
                continue
        self._client.cancel(futures)

    def cancel(self) -> None:
        """Cancel the tasks in flight (a service that stops): their documents stay unfinished in
        the ledger, and the next run resumes them."""
        if self._client is not None and self._running:
            self._client.cancel(list(self._running))

    def task_stream(self) -> list[dict]:
        """Dask's record of the tasks that ran (``Client.get_task_stream``); the first call starts
        the recording. Empty once closed."""
        return self._client.get_task_stream() if self._client is not None else []

    def run(self) -> Summary:
        """Process the inputs. When every one is done with the same content there is nothing to
        do: no cluster starts and no run is recorded. Otherwise the run gets a ``runs`` row in the
        ledger (its time, the pages it recognised), closed however it ends; the summary's numbers
        are that row's."""
        todo = [p for p in self._todo if not self._planner.done_unchanged(p)]
        if not todo:
            self.summary.skipped = len(self._todo)
            self._todo.clear()
            self._progress.close()
            self._after()
            return self.summary
        self._count_pages(todo)
        self._run_id = self.ledger.start_run()
        outcome = "error"
        try:
            self.start()
            self.summary.started_cluster = True
            self.pump()
            while self._running:
                self.poll(None)
            outcome = "stopped: " + self.stopped if self.stopped else "finished"
        except KeyboardInterrupt:
            outcome = "interrupted"
            raise
        finally:
            self.close()
            run = self._write(lambda: self.ledger.end_run(self._run_id, outcome, self._progress.pages, self._finished_docs),
                              "the run's row")
            if run is None:  # not recorded (a full disk): the same figures, from this process
                run = {"pages": self._progress.pages, "started": self._progress.start, "ended": time.time()}
            self.summary.pages, self.summary.seconds = run["pages"], run["ended"] - run["started"]
        self._after()
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
        self._progress.set_total(sum(self._counts.values()) - self._less - skipped)

    # -- the loop ------------------------------------------------------------------------------
    def add(self, paths: Iterable[Path | Held]) -> None:
        """More inputs (``digitize serve``: the hot folder's copies, ``model.Held``)."""
        self._todo.extend(paths)

    @property
    def idle(self) -> bool:
        """Nothing in flight, queued or left to plan."""
        return not (self._running or self._urgent or self._todo or self._planned)

    @property
    def in_flight(self) -> int:
        """Tasks submitted and not yet recorded."""
        return len(self._running)

    def wants_input(self) -> bool:
        """A worker would be idle without a new input: fewer tasks in flight or queued than
        workers. The service holds its inputs back until then, so that a document's finish is
        not queued behind the next document's pages."""
        return len(self._running) + len(self._urgent) < self.nworkers

    def any_ended(self) -> bool:
        """A task in flight has ended (``poll(None)`` then returns at once)."""
        return any(fut.done() for fut in self._running)

    def _submit(self, doc: DocState, task: Task) -> None:
        if isinstance(task, OcrTask):
            fut = self._client.submit(run_ocr, task, self.profile, key=task.key, pure=False)
        else:
            fut = self._client.submit(run_finish, task, self.profile, tuple(self.job.formats), self._schemas,
                                      self._memory, key=task.key, pure=False, priority=FINISH_PRIORITY)
        self._running[fut] = (doc, task)
        if self._on_task_end is not None:
            fut.add_done_callback(self._on_task_end)

    def pump(self) -> None:
        window = 2 * self.nworkers + 1
        while len(self._running) < window:
            if self._urgent:
                doc, task = self._urgent.popleft()
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
            if self._planned:
                plan = self._planned.popleft()
            elif self._todo:
                path = self._todo.popleft()
                plan = self._write(lambda: self._planner.plan(path), str(path))
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
            doc.kept = DocumentFolder(plan.work_dir).pages_recognised()
            self._less += doc.kept
            self._write(lambda: self.ledger.set_progress(plan.input, plan.page_count, doc.kept), plan.input)
            tasks = doc.start()
            self._submit(doc, tasks[0])
            self._urgent.extend((doc, t) for t in tasks[1:])

    def _pages_after(self) -> int | None:
        """The pages of the inputs queued behind the one being started, when they are all the job
        still holds and their counts are known (its tail: see ``page_ranges``); else None."""
        if self._todo or any(isinstance(p, Planned) and p.page_count is None for p in self._planned):
            return None
        return sum(p.page_count for p in self._planned if isinstance(p, Planned))

    def poll(self, timeout: float | None) -> int:
        """Wait up to ``timeout`` seconds (None: until one task ends) and record what ended."""
        from distributed import wait

        if not self._running:
            return 0
        try:
            done = wait(list(self._running), timeout=timeout, return_when="FIRST_COMPLETED").done
        except TimeoutError:
            return 0
        self._refresh_total()
        for fut in done:
            doc, task = self._running.pop(fut)
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
            self._progress.recognised(result.pages)
            self._write(lambda: self.ledger.set_progress(doc.input, doc.page_count, doc.kept + doc.recognised), doc.input)
        if doc.failed:
            self._fail(doc, doc.failed)
            return
        if isinstance(result, FinishDone):
            self._finished(doc, result)
            return
        for t in follow:  # a finish first: it frees a document's pages and overlaps the next OCR
            if isinstance(t, FinishTask):
                self._urgent.appendleft((doc, t))
            else:
                self._urgent.append((doc, t))

    def _stop(self, reason: str) -> None:
        if not self.stopped:
            self.stopped = reason
            self._reserve_path.unlink(missing_ok=True)  # room for the ledger to record the failures
            left = len(self._todo) + sum(isinstance(p, Planned) for p in self._planned)
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
        self._progress.update(Path(name).name, state, pages=pages, reason=reason)
        if self._on_recorded is not None:
            self._on_recorded(name, state, reason)

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
            self._urgent.appendleft((doc, doc.rename(final, warning)))
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
        self._finished_docs += 1
        self._record(doc.input, result.state, pages=result.pages)

    def _enqueue(self, doc_id: str, candidates: list) -> None:
        if self._queue is None:  # one connection for the run, not one (and a schema check) a document
            self._queue = self.folder.queue()
        self._queue.enqueue(doc_id, candidates)

    def _after(self) -> None:
        """Counts, failures, and the job's products."""
        self.summary.counts = self.ledger.counts()
        for row in self.ledger.rows("failed"):
            if (row["input"], row["reason"]) not in self.summary.failures:
                self.summary.failures.append((row["input"], row["reason"] or ""))
        if self.stopped:
            return  # no authority file or report from a run cut short by a full disk
        self.refresh()

    def refresh(self) -> None:
        """The job's products (authority file, report: ``products``) written again from the ledger
        and the documents. ``run`` calls it at its end, the service whenever it has recorded
        documents and is idle, and when it stops. Not after the disk filled up."""
        if self.stopped:
            return
        write_products(self.job, self.out, self.ledger, self.profile)


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
    log.info("office memory %s: %d correction(s), %d target(s), %d word(s), %d part(y/ies) known", path,
             len(rules.corrections), len(rules.targets), len(rules.accepted), len(rules.parties))
    return rules


def run_batch(job: JobSettings, profile: Profile, inputs: list[Path]) -> Summary:
    """Process ``inputs`` into the job folder ``job.out``, then write the job's products that
    ``job`` asks for (``authority``, ``report``). The summary says what was done."""
    run = BatchRun(job, profile, inputs)
    try:
        return run.run()
    finally:
        run.ledger.close()  # checkpoints the WAL: the job folder is one ledger.sqlite again
