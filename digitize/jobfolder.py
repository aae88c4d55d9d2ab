"""The job folder (``--out``): the one owner of its layout, its run lock and its databases.

Like OCR-D's ``Workspace``: every other module asks a ``JobFolder`` for a path or a store instead
of joining names itself, so the layout is written down once::

    OUT/ledger.sqlite               the ledger (documents), the correction queue, the reviewers
    OUT/run.lock                    held by the one ``digitize run`` working on the folder
    OUT/work/<input key>/           a document's files while it is being processed
    OUT/work/.inbox/                ``digitize serve``: copies of the files taken from the hot folder
    OUT/documents/<DOCID>/          a finished document (a ``DocumentFolder``); its pages in pages/NNNN.*
    OUT/authority/                  the batch's ST.37 authority file
    OUT/report.html                 the batch report

The run lock is an advisory ``flock`` on ``run.lock``: the kernel releases it when the process
ends, however it ends (kill -9 included), so a crashed run never leaves the folder locked. Only
``digitize run`` takes it; ``status``, ``review`` and ``report`` read while a run writes (SQLite in
WAL mode), and read-only callers open the ledger with ``mode=ro``.
"""

from __future__ import annotations

import errno
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import LockedError, NotAJobFolder
from .formats import SUFFIXES, file_name
from .store.ledger import Ledger
from .store.queue import Queue
from .store.users import UserStore

LEDGER = "ledger.sqlite"
LOCK = "run.lock"
PAGES = "pages"


def page_name(number: int) -> str:
    """``0001``: the stem of every file of page ``number`` (1-based)."""
    return f"{number:04d}"


def page_file(number: int, suffix: str) -> str:
    """A page file relative to its document folder: ``pages/0001.tif``."""
    return f"{PAGES}/{page_name(number)}{suffix}"


def page_path(doc_dir: Path | str, number: int, suffix: str) -> Path:
    """``doc_dir/pages/0001<suffix>``."""
    return Path(doc_dir) / PAGES / f"{page_name(number)}{suffix}"


REGISTER = "register.csv"  # the job's register of numbers, copied in by ``digitize run`` (job key ``register``)


def register_for(doc_dir: Path | str) -> Path | None:
    """The register copy of the job folder a document folder (``OUT/work/KEY``,
    ``OUT/documents/DOCID``) belongs to, when the job named one."""
    root = Path(doc_dir).parent.parent
    path = root / REGISTER
    return path if is_job_folder(root) and path.is_file() else None


# the outputs named after the document's identifier, in the order a finish writes them
DOCUMENT_SUFFIXES = (".txt", ".json", *SUFFIXES)
PAGE_JSON = "[0-9][0-9][0-9][0-9].json"  # a recognised page's file (pages/0001.json)


class DocumentFolder:
    """One document's folder: ``OUT/work/<input key>`` while it is processed,
    ``OUT/documents/<DOCID>`` once finished, or any folder ``digitize.api.process_file`` writes.
    The one owner of its file names::

        pages/NNNN.tif, .json           the page image the word boxes refer to, its OCR result
        pages/NNNN.txt, .hocr, .alto.xml  each page's text outputs
        <DOCID>.txt, .json              the document's text (pages split by form feeds), its structure
        <DOCID>.st36.xml, .st96.xml     the full-text XML
        <DOCID>.pdf                     the searchable facsimile, when asked for
    """

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.pages_dir = self.root / PAGES  # the folder page_path names files in

    def __repr__(self) -> str:
        return f"DocumentFolder({str(self.root)!r})"

    def page(self, number: int, suffix: str) -> Path:
        """``pages/0001<suffix>``: ``.tif``, ``.json``, ``.txt``, ``.hocr``, ``.alto.xml``."""
        return page_path(self.root, number, suffix)

    def page_jsons(self) -> list[Path]:
        """The recognised pages' files, in page order."""
        return sorted(self.pages_dir.glob(PAGE_JSON))

    def pages_recognised(self) -> int:
        """How many pages are recognised (their JSON written: a page is complete)."""
        return sum(1 for _ in self.pages_dir.glob(PAGE_JSON))

    def text(self, doc_id: str) -> Path:
        return self.root / f"{doc_id}.txt"

    def json(self, doc_id: str) -> Path:
        return self.root / f"{doc_id}.json"

    def output(self, doc_id: str, fmt: str) -> Path:
        """The file of an output format (``digitize/formats.py``): ``<DOCID>.st36.xml`` for ``st36``."""
        return self.root / file_name(doc_id, fmt)

    def xml(self, doc_id: str, fmt: str) -> Path:
        return self.output(doc_id, fmt)

    def pdf(self, doc_id: str) -> Path:
        return self.output(doc_id, "pdf")

    def stale(self, doc_id: str) -> list[Path]:
        """Outputs named after another DOCID than ``doc_id`` (an earlier one of the same input,
        before structure knew the publication's number)."""
        out = []
        for suffix in DOCUMENT_SUFFIXES:
            for f in self.root.glob(f"*{suffix}"):
                stem = f.name[: -len(suffix)]
                if stem != doc_id and "." not in stem:
                    out.append(f)
        return out


def is_job_folder(path: Path | str) -> bool:
    """A folder holding a ledger (an output folder of ``digitize run``)."""
    return (Path(path) / LEDGER).is_file()


class JobFolder:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.ledger_path = self.root / LEDGER
        self.lock_path = self.root / LOCK
        self.documents_dir = self.root / "documents"
        self.work_dir = self.root / "work"
        self.held_dir = self.work_dir / ".inbox"
        self.authority_dir = self.root / "authority"
        self.report_path = self.root / "report.html"
        self.register_path = self.root / REGISTER

    def __repr__(self) -> str:
        return f"JobFolder({str(self.root)!r})"

    # -- paths -------------------------------------------------------------------------------
    def document_dir(self, doc_id: str) -> Path:
        return self.documents_dir / doc_id

    def document(self, rel: str) -> DocumentFolder:
        """A document folder as the ledger records it (``out_dir``, relative to the job folder)."""
        return DocumentFolder(self.root / rel)

    def out_dir(self, rel: str) -> Path:
        """A document folder as the ledger records it (``out_dir``, relative to the job folder)."""
        return self.root / rel

    def exists(self) -> bool:
        return is_job_folder(self.root)

    def require(self, hint: str = "") -> "JobFolder":
        """This folder, or ``NotAJobFolder`` (exit 2) when it holds no ledger."""
        if not self.exists():
            raise NotAJobFolder(f"{self.root} is not a job folder (no {LEDGER}){hint}")
        return self

    def create(self) -> "JobFolder":
        for d in (self.root, self.work_dir, self.documents_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self

    # -- the run lock ------------------------------------------------------------------------
    @contextmanager
    def run_lock(self) -> Iterator[None]:
        """Hold the folder for one run; ``LockedError`` at once when another process holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                who = f" (pid {holder})" if holder.isdigit() else ""
                raise LockedError(f"{self.root} is in use by another 'digitize run'{who}; "
                                  "wait for it to finish (status, review and report work meanwhile)") from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def run_held(self) -> bool:
        """Whether a ``digitize run`` or ``serve`` holds the folder now (its lock is taken)."""
        try:
            fd = os.open(self.lock_path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)  # closing the descriptor releases a lock it took
        return False

    # -- stores ------------------------------------------------------------------------------
    def ledger(self, *, readonly: bool = False) -> Ledger:
        """The ledger; ``readonly`` for callers that only read (the file must exist)."""
        return Ledger(self.ledger_path, readonly=readonly)

    def queue(self, profile_rules: Callable[[str], Any] | None = None) -> Queue:
        """The correction queue; with ``profile_rules`` (profile name → its decision rules, from
        the layer that loads profiles) a decision is checked by its document's profile."""
        return Queue(self.ledger_path, profile_rules=profile_rules, profile_of=self._profile_of)

    def _profile_of(self, doc_id: str) -> str | None:
        ledger = Ledger(self.ledger_path, readonly=True)
        try:
            return ledger.profile_of(doc_id)
        finally:
            ledger.close()

    def users(self, users_db: Path | str | None = None) -> UserStore:
        """Reviewer accounts: in the ledger unless ``users_db`` names a shared file."""
        return UserStore(users_db or self.ledger_path)
