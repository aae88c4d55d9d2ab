"""A hot folder: which dropped files are completely written, and where originals go afterwards.

A file is taken once its size and modification time are the same at two polls in a row (a
scanner or a copy still writing it changes one of them). Writers that can should write
``NAME.part`` and rename it to ``NAME`` when complete (a rename is atomic): ``.part`` files, hidden
files and the ``done/`` and ``failed/`` folders are never taken.

After its document is recorded, an original is moved to ``IN/done/`` (done, needs-review, or
already done before) or ``IN/failed/`` with ``NAME.reason.txt`` beside it. The ledger keeps its
row under the path where it was dropped, so a file dropped again with the same content is
recognised as done.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable

from .fsutil import atomic_write
from .ingest import discover
from .jobfolder import is_job_folder

log = logging.getLogger("digitize")

PART = ".part"
DONE, FAILED = "done", "failed"


class HotFolder:
    def __init__(self, folder: Path, out: Path | None = None,
                 event: Callable[[str, str], None] | None = None):
        self.folder = Path(folder)
        self.out = out
        self.event = event or (lambda path, name: None)  # (path, "seen"|"taken"|"moved"): the service's trace
        self.seen: dict[str, tuple[int, int]] = {}  # path -> (size, mtime_ns) at the last poll
        self.taken: set[str] = set()
        for sub in (DONE, FAILED):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)

    def _candidates(self) -> list[Path]:
        exclude = [self.folder / DONE, self.folder / FAILED] + ([self.out] if self.out else [])
        found = discover([self.folder], exclude=exclude, skip=is_job_folder)
        return [p for p in found if not p.name.endswith(PART)]

    def scan(self) -> list[Path]:
        """Files complete since the last poll (unchanged across two polls), each returned once."""
        ready, now = [], {}
        for path in self._candidates():
            key = str(path)
            if key in self.taken:
                continue
            try:
                st = path.stat()
            except OSError:
                continue  # gone between the listing and now
            sig = (st.st_size, st.st_mtime_ns)
            now[key] = sig
            if key not in self.seen:
                self.event(key, "seen")
            if self.seen.get(key) == sig and st.st_size > 0:
                ready.append(path)
                self.taken.add(key)
                self.event(key, "taken")
        self.seen = now
        return ready

    def recorded(self, input_path: str, state: str, reason: str | None) -> None:
        """Move the original out of the way once its document is recorded."""
        if input_path not in self.taken:
            return
        self.taken.discard(input_path)
        src = Path(input_path)
        sub = FAILED if state == "failed" else DONE
        target = _free_name(self.folder / sub / src.name)
        try:
            os.replace(src, target)
        except OSError as exc:
            log.warning("%s: not moved to %s/: %s", src, sub, exc)
            return
        if state == "failed":
            atomic_write(target.with_name(target.name + ".reason.txt"), (reason or "failed") + "\n")
        self.event(input_path, "moved")

    def forget(self, input_path: str) -> None:
        """Leave a file where it is, to be taken again at a later poll (a run stopped short)."""
        self.taken.discard(input_path)
        self.seen.pop(input_path, None)


def _free_name(path: Path) -> Path:
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}_{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1
