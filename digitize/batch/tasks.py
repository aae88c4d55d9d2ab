"""What travels between the client and the workers: typed tasks, typed results, and the two
functions a worker runs. Small values only (paths, page numbers, the profile): pages stay on the
shared filesystem."""

from __future__ import annotations

import errno
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from ..errors import InputError
from ..settings.profile import Profile, ProfileError

log = logging.getLogger("digitize")


@dataclass(frozen=True)
class OcrTask:
    """Recognise pages ``first``..``last`` of one input into its work folder."""

    input: str  # the file read (a hot-folder input's private copy: ``planner.Held``)
    work_dir: str
    first: int
    last: int
    attempt: int = 1

    @property
    def key(self) -> str:
        return f"ocr-{Path(self.work_dir).name}-{self.first}-{self.attempt}"

    def describe(self) -> str:
        return f"OCR of pages {self.first}-{self.last}"


@dataclass(frozen=True)
class FinishTask:
    """Proofread, structure, emit and validate a document whose pages are all recognised."""

    input: str
    work_dir: str
    doc_id: str  # the fallback identifier, or the one given after a collision
    force_doc_id: bool = False
    attempt: int = 1

    @property
    def key(self) -> str:
        return f"finish-{Path(self.work_dir).name}-{self.attempt}" + (f"-as-{self.doc_id}" if self.force_doc_id else "")

    def describe(self) -> str:
        return "assembling the document"


Task = Union[OcrTask, FinishTask]


@dataclass(frozen=True)
class OcrDone:
    page_count: int
    pages: int
    seconds: float


@dataclass(frozen=True)
class FinishDone:
    result: Any  # pipeline.DocResult


@dataclass(frozen=True)
class TaskFailed:
    reason: str  # one line, for the ledger
    retry: bool  # False: no attempt will change it (a damaged file, a missing language)


Result = Union[OcrDone, FinishDone, TaskFailed]

NO_SPACE = "no space left on device"


def user_errors() -> tuple[type[BaseException], ...]:
    """Errors whose message is a complete reason for the ledger: no retry will change them
    (``InputError``: the ingest, engine, document and emit errors)."""
    return (InputError, ProfileError, FileNotFoundError)


def disk_full(folder: str | Path) -> bool:
    """Under 1 MiB free where the document is written. Libraries do not all say ENOSPC: Pillow's
    libtiff encoder reports "tiff codec initialization failed" on a full disk."""
    try:
        st = os.statvfs(Path(folder).parent if not Path(folder).exists() else folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < (1 << 20)


def failure(exc: BaseException, work_dir: str | Path | None = None) -> TaskFailed:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or (work_dir is not None and disk_full(work_dir)):
        return TaskFailed(NO_SPACE, retry=False)  # the run stops submitting (see run.py)
    if isinstance(exc, user_errors()):
        return TaskFailed(str(exc) or type(exc).__name__, retry=False)
    if isinstance(exc, MemoryError):
        return TaskFailed("out of memory while processing the document", retry=False)
    log.exception("unexpected error")
    return TaskFailed(f"internal error: {type(exc).__name__}: {exc}", retry=True)


def run_ocr(task: OcrTask, profile: Profile) -> OcrDone | TaskFailed:
    """Worker side. Never raises: the client records the reason."""
    from ..pipeline import ocr_range
    from .worker import prepare_process

    prepare_process()
    try:
        r = ocr_range(Path(task.input), Path(task.work_dir), profile, task.first, task.last)
    except Exception as exc:
        return failure(exc, task.work_dir)
    return OcrDone(page_count=r.page_count, pages=len(r.pages), seconds=r.seconds)


def run_finish(task: FinishTask, profile: Profile, formats: tuple[str, ...], schemas: str | None,
               memory=None) -> FinishDone | TaskFailed:
    from ..pipeline import finish_document
    from .worker import prepare_process

    prepare_process()
    try:
        r = finish_document(Path(task.work_dir), profile, source=task.input, doc_id=task.doc_id,
                            force_doc_id=task.force_doc_id, formats=formats,
                            schema_dir=Path(schemas) if schemas else None, memory=memory)
    except Exception as exc:
        return failure(exc, task.work_dir)
    return FinishDone(r)
