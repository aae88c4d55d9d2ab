"""Planning: which inputs need work, under which work folder, in how many page ranges.

An input done with the same content (size and mtime, then the checksum) is skipped; one started
by an earlier run keeps its work folder (named from its path, profile and checksum), so the
pages already recognised there are not recognised again.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import sha256_file, sha256_tree
from ..jobfolder import JobFolder
from ..store.ledger import Ledger
from ..model import Held


@dataclass(frozen=True)
class Planned:
    """An input to process: ``input`` its name in the ledger, ``path`` the file the workers read
    (the same file, or a ``model.Held`` input's copy)."""

    input: str
    path: Path
    work_dir: Path
    stem: str
    page_count: int | None  # None: not cheap or not certain here; the first range tells


@dataclass(frozen=True)
class Skipped:
    """An input not to process: already done, or unreadable (``reason``, recorded as failed)."""

    input: str
    path: Path
    reason: str | None = None


def input_key(path: Path, checksum: str, profile: str) -> str:
    h = hashlib.sha1(f"{path.resolve()}|{profile}".encode()).hexdigest()[:12]
    return f"{h}-{checksum[:12]}"


MAX_STEM_BYTES = 180  # room for "_2", ".st36.xml", ".reason.txt" and a temporary name's suffix within 255


def stem_of(path: Path) -> str:
    """The document's file-name stem (its DOCID when the front page gives none): the input's name
    made safe, and cut with a short hash of the whole when it is too long for a file name."""
    stem = path.name if path.is_dir() else path.stem
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem) or "document"
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        import hashlib

        digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:10]
        cut = stem.encode("utf-8")[: MAX_STEM_BYTES - 11].decode("utf-8", "ignore")
        stem = f"{cut}_{digest}"
    return stem


def page_count(path: Path) -> int | None:
    """The page count when it is cheap and certain to read here; None leaves it to the worker
    (which also reports a damaged file with its reason)."""
    from ..ingest import page_count as count

    try:
        return count(path) or None
    except Exception:  # noqa: BLE001  a damaged file: its first range fails with the reason
        return None


def page_ranges(pages: int, workers: int, max_size: int, after: int | None = None) -> list[tuple[int, int]]:
    """A document's page ranges, at most ``max_size`` pages each.

    ``after`` is the number of pages of the inputs queued behind this one when that is all the
    job holds (its last inputs), else None. Then the ranges shrink towards the end (guided
    self-scheduling): each takes 1/(2·workers) of the pages left from its start, so the job ends
    with single pages and no worker waits long for another's last range (14 pages on 2 workers:
    4-3-2-2-1-1-1, where 7-7 left one core idle for up to a range). Otherwise even ranges, as
    many as a multiple of the workers allows: 29 pages on 2 workers are 8-7-7-7, not 8-8-8-5."""
    if pages <= 0:
        return []
    if after is not None and workers > 1:
        ranges, first = [], 1
        while first <= pages:
            left = pages - first + 1
            size = max(1, min(max_size, left, math.ceil((left + after) / (2 * workers))))
            ranges.append((first, first + size - 1))
            first += size
        return ranges
    n = math.ceil(pages / max(1, max_size))
    if pages >= workers > 1:
        n = min(pages, math.ceil(n / workers) * workers)
    base, extra = divmod(pages, n)
    ranges, first = [], 1
    for i in range(n):
        size = base + (1 if i < extra else 0)
        ranges.append((first, first + size - 1))
        first += size
    return ranges


def _sig(st: os.stat_result) -> tuple[int, int]:
    return st.st_size, st.st_mtime_ns


class Planner:
    def __init__(self, ledger: Ledger, folder: JobFolder, profile_name: str):
        self.ledger, self.folder, self.profile_name = ledger, folder, profile_name

    def _done(self, row) -> bool:
        return bool(row and row["state"] in ("done", "needs-review") and row["out_dir"]
                    and self.folder.out_dir(row["out_dir"]).is_dir())

    def done_unchanged(self, path: Path, sig: tuple[int, int] | None = None) -> bool:
        """Done by an earlier run with the same profile, and the file's size and time (``sig``,
        else read) unchanged: skipped without reading it (the cheap test; ``plan`` then compares
        checksums)."""
        try:
            size, mtime_ns = sig or _sig(path.stat())
        except OSError:
            return False
        row = self.ledger.get(str(path))
        return bool(row and row["size"] == size and row["mtime_ns"] == mtime_ns
                    and row["profile"] == self.profile_name and self._done(row))

    def plan(self, item: Path | Held) -> Planned | Skipped:
        path, read = (item.input, item.path) if isinstance(item, Held) else (item, item)
        name = str(path)
        try:
            sig = (item.size, item.mtime_ns) if isinstance(item, Held) else _sig(path.stat())
        except OSError as exc:
            reason = f"cannot read input: {exc.strerror or exc}"
            self.ledger.fail_missing(name, reason)
            return Skipped(name, path, reason)
        if self.done_unchanged(path, sig):
            return Skipped(name, path)
        try:
            checksum = sha256_tree(read) if read.is_dir() else sha256_file(read)
        except OSError as exc:
            reason = f"cannot read input: {exc.strerror or exc}"
            self.ledger.fail_missing(name, reason)
            return Skipped(name, path, reason)
        row = self.ledger.register(name, *sig, checksum, self.profile_name)
        if self._done(row):
            return Skipped(name, path)
        key = input_key(path, checksum, self.profile_name)
        return Planned(input=name, path=read, work_dir=self.folder.work_dir / key, stem=stem_of(path),
                       page_count=page_count(read))
