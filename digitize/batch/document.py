"""One document's progress through the batch: it says which tasks come next.

The run loop submits what a ``DocState`` returns and hands each result back to it; the state
decides retries, the page ranges still to do, when the finish may start and when the document
has failed. No Dask and no ledger here, so the rules can be read (and tested) on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .planner import Planned, page_ranges
from .tasks import FinishDone, FinishTask, OcrDone, OcrTask, Task, TaskFailed


@dataclass
class DocState:
    plan: Planned
    max_attempts: int
    pages_per_task: int
    workers: int
    after: int | None = None  # pages queued behind this document, when they are the job's last
    page_count: int | None = None
    outstanding: set[int] = field(default_factory=set)  # first pages of ranges not yet recognised
    attempts: dict[str, int] = field(default_factory=dict)  # task identity -> attempts so far
    ocr_seconds: float = 0.0
    failed: str | None = None  # the reason, once failed
    forced_id: str | None = None  # identifier given after a collision; the finish is re-run with it
    warning: str | None = None
    kept: int = 0  # pages an earlier run recognised into the work folder (not recognised again)
    recognised: int = 0  # pages recognised by this run

    @property
    def input(self) -> str:
        return self.plan.input

    def _attempt(self, ident: str) -> int:
        self.attempts[ident] = self.attempts.get(ident, 0) + 1
        return self.attempts[ident]

    def _ocr(self, first: int, last: int) -> OcrTask:
        self.outstanding.add(first)
        return OcrTask(str(self.plan.path), str(self.plan.work_dir), first, last, self._attempt(f"ocr-{first}-{last}"))

    def _finish(self) -> FinishTask:
        return FinishTask(self.input, str(self.plan.work_dir), self.forced_id or self.plan.stem,
                          self.forced_id is not None, self._attempt("finish"))

    def start(self) -> list[Task]:
        """The first tasks: every range when the page count is known, else the first range."""
        self.page_count = self.plan.page_count
        if self.page_count:
            return [self._ocr(a, b) for a, b in page_ranges(self.page_count, self.workers, self.pages_per_task, self.after)]
        return [self._ocr(1, self.pages_per_task)]

    def on_result(self, task: Task, result: OcrDone | FinishDone | TaskFailed) -> list[Task]:
        """The tasks that follow ``result``; sets ``failed`` when the document cannot go on. A
        ``FinishDone`` ends the state's work: the run loop records it (or renames, see
        ``rename``)."""
        if self.failed:
            return []
        if isinstance(result, TaskFailed):
            ident = f"ocr-{task.first}-{task.last}" if isinstance(task, OcrTask) else "finish"
            if result.retry and self.attempts.get(ident, 0) < self.max_attempts:
                if isinstance(task, OcrTask):
                    self.outstanding.discard(task.first)
                    return [self._ocr(task.first, task.last)]
                return [self._finish()]
            self.failed = result.reason
            return []
        if isinstance(result, FinishDone):
            return []
        assert isinstance(task, OcrTask) and isinstance(result, OcrDone)
        self.ocr_seconds += result.seconds
        self.recognised += result.pages
        self.outstanding.discard(task.first)
        follow: list[Task] = []
        if self.page_count is None:  # the first range tells how many pages there are
            self.page_count = result.page_count
            if self.page_count == 0:
                self.failed = "the document has no pages"
                return []
            step = self.pages_per_task
            follow = [self._ocr(a, min(a + step - 1, self.page_count))
                      for a in range(task.last + 1, self.page_count + 1, step)]
        if not self.outstanding:
            follow.append(self._finish())
        return follow

    def rename(self, doc_id: str, warning: str) -> FinishTask:
        """Another input already produced this publication: the files name the identifier, so a
        worker writes them again under ``doc_id``."""
        self.forced_id, self.warning = doc_id, warning
        return self._finish()
