"""The batch layer: the only module that knows Dask.

The client plans, submits and records; workers run the pure pipeline functions and write the
document's files themselves (inputs and outputs live on a filesystem every worker sees). The
scheduler only ever holds small task descriptions and results, never images.

* Back-pressure: at most a few tasks per worker are in flight; the next input is read from the
  list only when a slot frees, so a 100,000-document job never creates 100,000 futures.
* Large documents are split into page ranges (``pages_per_task``) that run on any free worker;
  a final task assembles the document. The page count is read when the document is planned
  (when that fails, the first range reports it, or the file's one-line reason). A 300-page
  publication does not hold the batch behind one worker.
* A worker that dies is replaced by the cluster and its task rescheduled; after
  ``max_attempts`` deaths the document is ``failed`` with that reason and the batch goes on.
* The ledger (SQLite) is written here only, so a killed run resumes where it stopped: inputs done
  with the same checksum are skipped, pages already OCR'd are not OCR'd again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .errors import InputError
from .fsutil import sha256_file, sha256_tree
from .job import JobSettings, Summary
from .jobfolder import JobFolder
from .profiles import Profile, ProfileError

log = logging.getLogger("digitize")

# A document's finish runs before page ranges queued earlier: otherwise it waits behind them and
# lands at the end of the run, where it leaves the other workers idle (31 pages on 2 workers: a
# worker stood idle for 6 s at the end).
FINISH_PRIORITY = 10

WORKER_ENV = {"OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# --------------------------------------------------------------------------- worker side


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors whose message is a complete reason for the ledger: no retry will change them
    (``InputError``: the ingest, engine, document and emit errors)."""
    return (InputError, ProfileError, FileNotFoundError)


def _failure(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, _user_errors()):
        return {"ok": False, "retry": False, "reason": str(exc) or type(exc).__name__}
    if isinstance(exc, MemoryError):
        return {"ok": False, "retry": False, "reason": "out of memory while processing the document"}
    log.exception("unexpected error")
    return {"ok": False, "retry": True, "reason": f"internal error: {type(exc).__name__}: {exc}"}


_setup_done = False


def _worker_setup() -> None:
    """Once per worker process. One thread for every library: a worker is given one core, and
    OpenCV's own thread pool would compete with the other workers' engines. And, on a worker that
    Dask's nanny started with ``MALLOC_TRIM_THRESHOLD_`` (any ``dask worker`` of an existing
    cluster), thresholds that let glibc keep page-sized blocks: that variable also freezes the
    mmap threshold at 128 KiB, so every page buffer was mapped and unmapped again (preprocessing
    ~2x slower, a page ~5 %; measured, and undone by these two calls)."""
    global _setup_done
    os.environ.update(WORKER_ENV)
    if _setup_done:
        return
    _setup_done = True
    import cv2

    cv2.setNumThreads(1)
    if "MALLOC_TRIM_THRESHOLD_" in os.environ and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: blocks under 32 MiB come from the heap
            libc.mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD: keep up to 64 MiB of free heap
        except (OSError, AttributeError):
            pass


def task_ocr(input_path: str, work_dir: str, profile: Profile, first: int, last: int | None) -> dict[str, Any]:
    _worker_setup()
    from .pipeline import ocr_range

    try:
        r = ocr_range(Path(input_path), Path(work_dir), profile, first, last)
    except Exception as exc:  # a task never raises: the client records the reason
        return _failure(exc)
    return {"ok": True, "page_count": r.page_count, "pages": r.pages, "seconds": r.seconds,
            "preprocess_seconds": r.preprocess_seconds, "ocr_seconds": r.ocr_seconds}


def task_finish(input_path: str, work_dir: str, profile: Profile, doc_id: str, force: bool,
                formats: tuple[str, ...], schemas: str | None) -> dict[str, Any]:
    _worker_setup()
    from .pipeline import finish_document

    try:
        r = finish_document(Path(work_dir), profile, source=input_path, doc_id=doc_id, force_doc_id=force,
                            formats=formats, schema_dir=Path(schemas) if schemas else None)
    except Exception as exc:
        return _failure(exc)
    return {"ok": True, "result": r}


# --------------------------------------------------------------------------- client side


@dataclass
class DocState:
    input: str
    path: Path
    work_dir: Path
    stem: str
    attempts: int = 0
    page_count: int | None = None
    outstanding: int = 0
    failed: bool = False
    ranges: dict[int, int] = field(default_factory=dict)  # first page -> attempts
    ocr_seconds: float = 0.0
    started: float = field(default_factory=time.time)
    forced_id: str | None = None  # identifier given after a collision; the finish task re-run with it
    warning: str | None = None


def input_key(path: Path, checksum: str, profile: str) -> str:
    h = hashlib.sha1(f"{path.resolve()}|{profile}".encode()).hexdigest()[:12]
    return f"{h}-{checksum[:12]}"


def connect(job: JobSettings):
    """A client on an existing scheduler, or on a LocalCluster of single-threaded processes."""
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
    })
    if job.scheduler:
        client = Client(job.scheduler, timeout="20s")
        return client, None
    os.environ.update(WORKER_ENV)  # inherited by the worker processes too
    cluster = LocalCluster(
        n_workers=job.effective_workers(), threads_per_worker=1, processes=True, dashboard_address=None,
        host="127.0.0.1", silence_logs=logging.ERROR, env=dict(WORKER_ENV),
    )
    return Client(cluster), cluster


class Progress:
    """A bar on a terminal, a log line per document otherwise."""

    def __init__(self, total: int, mode: str):
        self.total, self.done, self.failed, self.pages = total, 0, 0, 0
        self.start = time.time()
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "log"
        self.mode = mode
        self.bar = None
        if mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", dynamic_ncols=True, file=sys.stderr)

    def rate(self) -> float:
        elapsed = time.time() - self.start
        return 60 * self.pages / elapsed if elapsed > 0 else 0.0

    def update(self, name: str, state: str, pages: int = 0, reason: str | None = None) -> None:
        self.pages += pages
        if state == "failed":
            self.failed += 1
        else:
            self.done += 1
        n = self.done + self.failed
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.rate():.1f} pages/min, done {self.done}, failed {self.failed}")
            self.bar.update(1)
        elif self.mode == "log":
            extra = f": {reason}" if reason else f" ({pages} pages)"
            log.info("[%d/%d] %s %s%s  %.1f pages/min", n, self.total, state, name, extra, self.rate())

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# A step after the run (the authority file, the report): given by the run command, so the batch
# does not import the layers that build them. (what is said when it fails, the step)
PostRun = tuple[str, Callable[["BatchRun"], Any]]


class BatchRun:
    def __init__(self, job: JobSettings, profile: Profile, inputs: list[Path], post_run: Sequence[PostRun] = ()):
        assert job.out is not None
        self.job, self.profile, self.inputs, self.post_run = job, profile, inputs, tuple(post_run)
        self.out = Path(job.out)
        self.folder = JobFolder(self.out).create()
        self.ledger = self.folder.ledger()
        self.summary = Summary(out=self.out)
        self.schemas = str(job.schemas) if job.schemas else None
        self._queue = None

    # -- planning ----------------------------------------------------------------------------
    def _plan(self, path: Path) -> DocState | None:
        """Register one input; None when it is already done with the same content."""
        name = str(path)
        try:
            st = path.stat()
        except OSError as exc:
            self.ledger.fail_missing(name, f"cannot read input: {exc.strerror or exc}")
            return None
        row = self.ledger.get(name)
        unchanged = row and row["size"] == st.st_size and row["mtime_ns"] == st.st_mtime_ns
        if unchanged and row["state"] in ("done", "needs-review") and row["profile"] == self.profile.name \
                and row["out_dir"] and (self.out / row["out_dir"]).is_dir():
            self.summary.skipped += 1
            return None
        try:
            checksum = sha256_tree(path) if path.is_dir() else sha256_file(path)
        except OSError as exc:
            self.ledger.fail_missing(name, f"cannot read input: {exc.strerror or exc}")
            return None
        row = self.ledger.register(name, st.st_size, st.st_mtime_ns, checksum, self.profile.name)
        if row["state"] in ("done", "needs-review") and row["out_dir"] and (self.out / row["out_dir"]).is_dir():
            self.summary.skipped += 1
            return None
        key = input_key(path, checksum, self.profile.name)
        return DocState(input=name, path=path, work_dir=self.folder.work_dir / key, stem=_stem(path))

    # -- the loop ----------------------------------------------------------------------------
    def run(self) -> Summary:
        from distributed import as_completed

        start = time.time()
        interrupted = self.ledger.reset_interrupted()
        if interrupted:
            log.info("resuming: %d input(s) left running by an earlier run", interrupted)
        client, cluster = connect(self.job)
        try:
            nworkers = max(1, len(client.scheduler_info().get("workers", {})) or self.job.effective_workers())
            window = 2 * nworkers + 1
            self.progress = Progress(len(self.inputs), self.job.progress)
            todo = iter(self.inputs)
            urgent: deque[tuple[str, DocState, int | None]] = deque()  # ranges and finishes of started docs
            running: dict[Any, tuple[str, DocState, int | None]] = {}
            ac = as_completed()

            def submit(kind: str, doc: DocState, first: int | None) -> None:
                if kind == "ocr":
                    assert first is not None
                    doc.ranges[first] = doc.ranges.get(first, 0) + 1
                    last = first + self.job.pages_per_task - 1  # clamped to the page count by the task
                    fut = client.submit(task_ocr, doc.input, str(doc.work_dir), self.profile, first, last,
                                        key=f"ocr-{doc.work_dir.name}-{first}-{doc.ranges[first]}", pure=False)
                else:
                    as_id = f"-as-{doc.forced_id}" if doc.forced_id else ""
                    fut = client.submit(task_finish, doc.input, str(doc.work_dir), self.profile,
                                        doc.forced_id or doc.stem, doc.forced_id is not None,
                                        tuple(self.job.formats), self.schemas,
                                        key=f"finish-{doc.work_dir.name}-{doc.attempts}{as_id}", pure=False,
                                        priority=FINISH_PRIORITY)
                running[fut] = (kind, doc, first)
                ac.add(fut)

            def pump() -> None:
                while len(running) < window:
                    if urgent:
                        submit(*urgent.popleft())
                        continue
                    path = next(todo, None)
                    if path is None:
                        return
                    doc = self._plan(path)
                    if doc is None:
                        row = self.ledger.get(str(path))
                        state = row["state"] if row else "failed"
                        self.progress.update(path.name, "failed" if state == "failed" else "skipped",
                                             reason=row.get("reason") if row else None)
                        continue
                    self.ledger.mark_running(doc.input)
                    doc.attempts = 1
                    doc.outstanding = 1
                    submit("ocr", doc, 1)
                    doc.page_count = _page_count(doc.path)
                    if doc.page_count:  # known now: the other ranges need not wait for the first
                        self._queue_ranges(doc, urgent)

            pump()
            for fut in ac:
                kind, doc, first = running.pop(fut)
                result = self._result(fut, doc, first)
                if not doc.failed:
                    if kind == "ocr":
                        self._on_ocr(result, doc, first, urgent)
                    else:
                        self._on_finish(result, doc, urgent)
                pump()
            self.progress.close()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
            if self._queue is not None:
                self._queue.close()
        self.summary.seconds = time.time() - start
        self._after()
        return self.summary

    def _result(self, fut, doc: DocState, first: int | None) -> dict[str, Any]:
        if fut.status == "finished":
            return fut.result()
        exc = fut.exception()
        what = f"pages {first}-{first + self.job.pages_per_task - 1}" if first else "assembling the document"
        if type(exc).__name__ == "KilledWorker":
            return {"ok": False, "retry": False,
                    "reason": f"worker process died while {'OCR of ' if first else ''}{what} "
                              f"(crash or out of memory), {self.job.max_attempts} attempt(s)"}
        return {"ok": False, "retry": True, "reason": f"task error: {type(exc).__name__}: {exc}"}

    def _fail(self, doc: DocState, reason: str) -> None:
        doc.failed = True
        self.ledger.mark_failed(doc.input, reason)
        self.summary.failures.append((doc.input, reason))
        self.progress.update(doc.path.name, "failed", reason=reason)

    def _on_ocr(self, r: dict[str, Any], doc: DocState, first: int | None, urgent: deque) -> None:
        assert first is not None
        if not r["ok"]:
            if r["retry"] and doc.ranges.get(first, 0) < self.job.max_attempts:
                urgent.append(("ocr", doc, first))
                return
            self._fail(doc, r["reason"])
            return
        doc.ocr_seconds += r["seconds"]
        doc.outstanding -= 1
        if doc.page_count is None:  # the first range tells how many pages there are
            doc.page_count = r["page_count"]
            if doc.page_count == 0:
                self._fail(doc, "the document has no pages")
                return
            self._queue_ranges(doc, urgent)
        if doc.outstanding == 0:
            urgent.appendleft(("finish", doc, None))

    def _queue_ranges(self, doc: DocState, urgent: deque) -> None:
        """Ranges after the first, for a document whose page count is known."""
        assert doc.page_count is not None
        for start in range(1 + self.job.pages_per_task, doc.page_count + 1, self.job.pages_per_task):
            doc.outstanding += 1
            urgent.append(("ocr", doc, start))

    def _on_finish(self, r: dict[str, Any], doc: DocState, urgent: deque) -> None:
        if not r["ok"]:
            if r["retry"] and doc.attempts < self.job.max_attempts:
                doc.attempts += 1
                urgent.append(("finish", doc, None))
                return
            self._fail(doc, r["reason"])
            return
        result = r["result"]
        wanted = result.doc_id
        final = self.ledger.allocate_doc_id(doc.input, wanted)
        if final != wanted and doc.forced_id is None:
            # Another input already produced this publication: keep both, say so. The files
            # name the identifier, so a worker writes them again under the new one.
            doc.forced_id = final
            doc.warning = f"publication {wanted} already produced by another input; written as {final}"
            log.warning("%s: %s", doc.input, doc.warning)
            urgent.appendleft(("finish", doc, None))
            return
        warning = doc.warning
        target = self.folder.document_dir(final)
        _replace_dir(doc.work_dir, target)
        state = result.state
        self.ledger.mark_finished(doc.input, state=state, doc_id=final, out_dir=f"documents/{final}", pages=result.pages,
                                  seconds=doc.ocr_seconds + result.seconds, validated=result.validated, warning=warning)
        if result.candidates:
            self._enqueue(final, result.candidates)
        self.summary.pages += result.pages
        self.progress.update(doc.path.name, state, pages=result.pages)

    def _enqueue(self, doc_id: str, candidates: list) -> None:
        if self._queue is None:  # one connection for the run, not one (and a schema check) a document
            self._queue = self.folder.queue()
        self._queue.enqueue(doc_id, candidates)

    def office(self) -> str:
        """The profile's office; for a generic profile, the office most documents say they are from."""
        if self.profile.office != "XX":
            return self.profile.office
        import re
        from collections import Counter

        offices = Counter(r["doc_id"][:2] for r in self.ledger.rows() if r["doc_id"] and re.match(r"[A-Z]{2}\d", r["doc_id"]))
        return offices.most_common(1)[0][0] if offices else "XX"

    def _after(self) -> None:
        self.summary.counts = self.ledger.counts()
        for row in self.ledger.rows("failed"):
            if (row["input"], row["reason"]) not in self.summary.failures:
                self.summary.failures.append((row["input"], row["reason"] or ""))
        for failed, step in self.post_run:
            try:
                step(self)
            except Exception as exc:  # the batch's results stand even if the authority file or report cannot be made
                log.warning("%s: %s", failed, exc)


def _page_count(path: Path) -> int | None:
    """The page count when it is cheap and certain to read here; None leaves it to the worker
    (which also reports a damaged file with its reason)."""
    try:
        from .ingest import page_count

        return page_count(path) or None
    except Exception:
        return None


def _stem(path: Path) -> str:
    stem = path.name if path.is_dir() else path.stem
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in stem) or "document"


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


def run_batch(job: JobSettings, profile: Profile, inputs: list[Path], post_run: Sequence[PostRun] = ()) -> Summary:
    return BatchRun(job, profile, inputs, post_run).run()
