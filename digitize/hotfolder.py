"""A hot folder: which dropped files are completely written, and where originals go afterwards.

When is a dropped file complete? Its format says so, for every format digitize reads: a PDF ends
with ``%%EOF`` after a ``startxref`` that points at its cross-reference (and a linearized one is
as long as it declares), a PNG ends with its ``IEND`` chunk, a JPEG's segments lead to its scan
and it ends with the EOI marker, a TIFF's IFDs, their values and its strips or tiles all lie
inside the file. A file proven complete is taken once it has not changed for ``GRACE`` seconds,
or at once when it was renamed into the folder (the ``NAME.part`` convention below: a rename is
atomic). A file whose format shows it is not complete yet (a writer pausing between pieces) waits
until it has not changed for ``STALE`` seconds: it is then damaged, and fails with its reason. A
file that cannot be checked (another format, content that does not match its name) is taken
once its size and modification time have not changed for ``settle`` seconds (``--poll``).

On Linux the folder is watched with inotify (close-after-write and moved-in events, no new
dependency): a file is looked at the moment its writer closes it. The folder is also listed every
``settle`` seconds, which finds what events cannot report (a writer on another machine of a
network share, an event queue that overflowed), and is all there is elsewhere.

Writers that can should write ``NAME.part`` and rename it to ``NAME`` when complete: ``.part``
files, hidden files, sidecars and the ``done/`` and ``failed/`` folders are never taken. A writer
that pauses longer than ``GRACE`` between the pages of a multi-page TIFF it keeps appending to
and closing (each page makes a complete TIFF) must use the rename: nothing in the file tells
such a pause from the end.

A file is taken by opening it once, without following a link and without blocking on a pipe
(``O_NOFOLLOW | O_NONBLOCK``), checking that descriptor (a regular file, the size and time seen)
and copying the file from it into the job folder (``OUT/work/.inbox/``): the workers read that
copy. Swapping the inbox entry for a link, a pipe or another file after the check changes
nothing that is read (the entry is only renamed afterwards, which never follows a link).

After its document is recorded, its copy is removed and the original is moved to ``IN/done/``
(done, needs-review, or already done before) or ``IN/failed/`` with ``NAME.reason.txt`` beside
it. The ledger keeps its row under the path where it was dropped, so a file dropped again with
the same content is recognised as done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import logging
import os
import re
import shutil
import stat
import struct
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .fsutil import atomic_write, new_temp, one_line
from .ingest import discover, not_input, searched
from .jobfolder import JobFolder, is_job_folder
from .model import Held

log = logging.getLogger("digitize")

PART = ".part"
DONE, FAILED = "done", "failed"
OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC  # never a link's target, never a pipe's wait
GRACE = 0.2  # seconds a file proven complete must stay unchanged (not for a rename into the folder)
STALE = 30.0  # seconds a file shown incomplete must stay unchanged before it is taken (to fail)

COMPLETE, INCOMPLETE, UNKNOWN = "complete", "incomplete", "unknown"


# --------------------------------------------------------------------------- completeness


def completeness(path: Path) -> str:
    """COMPLETE when the file's format proves it completely written, INCOMPLETE when it shows
    that more is to come, UNKNOWN when the format cannot tell (or is not one digitize reads)."""
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError:
        return UNKNOWN
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        return UNKNOWN
    if not stat.S_ISREG(st.st_mode):  # a pipe, socket or device: never read (a FIFO would block)
        os.close(fd)
        return UNKNOWN
    try:
        with os.fdopen(fd, "rb") as f:
            size = st.st_size
            head = f.read(8)
            if head.startswith(b"%PDF-") or path.suffix.lower() == ".pdf" and b"%PDF-" in head + f.read(1016):
                return _pdf(f, size)
            if head == b"\x89PNG\r\n\x1a\n":
                return _png(f, size)
            if head[:3] == b"\xff\xd8\xff":
                return _jpeg(f, size)
            if head[:4] in (b"II*\0", b"MM\0*"):
                return _tiff(f, size, "<" if head[:2] == b"II" else ">")
    except OSError:
        return UNKNOWN
    return UNKNOWN


def _tail(f, size: int, n: int) -> bytes:
    f.seek(max(0, size - n))
    return f.read(n)


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s*%%EOF[\s\x00]*$")
_XREF_AT = re.compile(rb"\s*(xref|\d+\s+\d+\s+obj)")
_LINEARIZED_L = re.compile(rb"/Linearized\b.*?/L\s+(\d+)", re.S)


def _pdf(f, size: int) -> str:
    m = _STARTXREF.search(_tail(f, size, 2048))
    if not m:
        return INCOMPLETE
    offset = int(m.group(1))
    if offset >= size:
        return INCOMPLETE
    f.seek(offset)
    if not _XREF_AT.match(f.read(64)):
        return UNKNOWN  # a damaged or unusual cross-reference: the settle time decides
    f.seek(0)
    lin = _LINEARIZED_L.search(f.read(1024))
    if lin and size < int(lin.group(1)):
        return INCOMPLETE  # a linearized file cut after its first page's trailer
    return COMPLETE


_IEND = b"\0\0\0\0IEND\xaeB`\x82"


def _png(f, size: int) -> str:
    return COMPLETE if size >= 8 + 12 and _tail(f, size, 12) == _IEND else INCOMPLETE


def _jpeg(f, size: int) -> str:
    """The marker segments from SOI to the first SOS must lie inside the file (an EXIF thumbnail
    ends with EOI too, inside APP1), and the file must end with EOI (entropy-coded data cannot
    hold 0xFFD9). Trailing bytes after EOI: UNKNOWN."""
    pos = 2
    while True:
        f.seek(pos)
        marker = f.read(4)
        if len(marker) < 4:
            return INCOMPLETE
        if marker[0] != 0xFF:
            return UNKNOWN
        kind = marker[1]
        if kind == 0xFF:  # fill byte
            pos += 1
            continue
        if kind in (0x01, *range(0xD0, 0xD8)):  # no length
            pos += 2
            continue
        if kind == 0xD9:
            return UNKNOWN  # EOI before any scan
        length = struct.unpack(">H", marker[2:])[0]
        if pos + 2 + length > size:
            return INCOMPLETE
        if kind == 0xDA:  # SOS: the scan follows
            break
        pos += 2 + length
    tail = _tail(f, size, 2)
    if tail == b"\xff\xd9":
        return COMPLETE
    return INCOMPLETE if b"\xff\xd9" not in _tail(f, size, 4096) else UNKNOWN


_TIFF_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_OFFSETS_COUNTS = ((273, 279), (324, 325))  # StripOffsets/StripByteCounts, TileOffsets/TileByteCounts
MAX_IFDS = 100_000


def _tiff(f, size: int, order: str) -> str:
    """Every IFD, every value stored outside its IFD entry, and every strip or tile inside the
    file, and the IFD chain ends (next offset 0). BigTIFF: UNKNOWN."""
    f.seek(4)
    data = f.read(4)
    if len(data) < 4:
        return INCOMPLETE
    ifd, seen = struct.unpack(order + "I", data)[0], set()
    while ifd:
        if ifd in seen or len(seen) >= MAX_IFDS:
            return UNKNOWN
        seen.add(ifd)
        if ifd + 2 > size:
            return INCOMPLETE
        f.seek(ifd)
        n = struct.unpack(order + "H", f.read(2))[0]
        if ifd + 2 + 12 * n + 4 > size:
            return INCOMPLETE
        entries = f.read(12 * n)
        ifd_next = struct.unpack(order + "I", f.read(4))[0]
        values: dict[int, tuple[int, ...]] = {}
        for i in range(n):
            tag, typ, count, raw = struct.unpack_from(order + "HHI4s", entries, 12 * i)
            width = _TIFF_SIZES.get(typ)
            if width is None:
                return UNKNOWN
            nbytes = width * count
            if nbytes > 4:
                offset = struct.unpack(order + "I", raw)[0]
                if offset + nbytes > size:
                    return INCOMPLETE
                if tag in (273, 279, 324, 325) and typ in (3, 4):
                    f.seek(offset)
                    values[tag] = struct.unpack(f"{order}{count}{'H' if typ == 3 else 'I'}", f.read(nbytes))
            elif tag in (273, 279, 324, 325) and typ in (3, 4):
                values[tag] = struct.unpack_from(f"{order}{count}{'H' if typ == 3 else 'I'}", raw)
        for offsets, counts in _OFFSETS_COUNTS:
            if offsets in values:
                if len(values.get(counts, ())) != len(values[offsets]):
                    return UNKNOWN
                if any(o + c > size for o, c in zip(values[offsets], values[counts])):
                    return INCOMPLETE
        ifd = ifd_next
    return COMPLETE if seen else UNKNOWN


# --------------------------------------------------------------------------- inotify


class Inotify:
    """Linux inotify through the C library (no dependency): the names closed after writing or
    moved into the watched folders, and the folders created there."""

    CLOSE_WRITE, MOVED_TO, CREATE, Q_OVERFLOW, IGNORED, ISDIR = 0x8, 0x80, 0x100, 0x4000, 0x8000, 0x40000000
    MASK = CLOSE_WRITE | MOVED_TO | CREATE | 0x01000000  # IN_ONLYDIR
    _EVENT = struct.Struct("iIII")

    def __init__(self):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32)
        fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        self.fd = fd
        self.dirs: dict[int, Path] = {}

    @classmethod
    def open(cls) -> Inotify | None:
        try:
            return cls()
        except (OSError, AttributeError):  # not Linux, or no inotify: the listing alone
            return None

    def watch(self, folder: Path) -> bool:
        wd = self._add(self.fd, os.fsencode(folder), self.MASK)
        if wd < 0:
            code = ctypes.get_errno()
            if code != errno.ENOENT:
                log.warning("%s: not watched (%s); found by listing only", folder, os.strerror(code))
            return False
        self.dirs[wd] = folder
        return True

    def read(self) -> tuple[dict[Path, str], list[Path], bool]:
        """Pending events: ({file: "closed"|"moved"}, folders created or moved in, overflowed)."""
        files: dict[Path, str] = {}
        new_dirs: list[Path] = []
        overflow = False
        while True:
            try:
                buf = os.read(self.fd, 64 * 1024)
            except BlockingIOError:
                break
            if not buf:
                break
            pos = 0
            while pos + self._EVENT.size <= len(buf):
                wd, mask, _cookie, length = self._EVENT.unpack_from(buf, pos)
                name = buf[pos + self._EVENT.size:pos + self._EVENT.size + length].rstrip(b"\0")
                pos += self._EVENT.size + length
                if mask & self.Q_OVERFLOW:
                    overflow = True
                    continue
                if mask & self.IGNORED:
                    self.dirs.pop(wd, None)
                    continue
                folder = self.dirs.get(wd)
                if folder is None or not name:
                    continue
                path = folder / os.fsdecode(name)
                if mask & self.ISDIR:
                    if mask & (self.CREATE | self.MOVED_TO):
                        new_dirs.append(path)
                elif mask & self.MOVED_TO:
                    files[path] = "moved"
                elif mask & self.CLOSE_WRITE:
                    files.setdefault(path, "closed")
        return files, new_dirs, overflow

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


# --------------------------------------------------------------------------- the folder


@dataclass
class _Pending:
    sig: tuple[int, int]  # size, mtime_ns
    since: float  # monotonic time this size and mtime were first seen
    moved: bool = False  # renamed into the folder with this content
    verdict: str | None = None  # completeness of this content, once checked

    def due(self, settle: float) -> float:
        """When the file may be taken, if it does not change before."""
        if self.verdict == COMPLETE:
            return self.since + (0.0 if self.moved else GRACE)
        if self.verdict == INCOMPLETE:
            return self.since + max(STALE, settle)
        if self.verdict == UNKNOWN:
            return self.since + settle
        return self.since  # to be checked


class HotFolder:
    def __init__(self, folder: Path, out: Path | None = None, *, settle: float = 1.0, inotify: bool = True,
                 event: Callable[[str, str], None] | None = None):
        self.folder = Path(folder)
        self.out = out
        self.settle = settle
        self.event = event or (lambda path, name: None)  # (path, "seen"|"taken"|"moved"): the service's trace
        self.pending: dict[str, _Pending] = {}
        self.taken: set[str] = set()
        self.refused: set[str] = set()  # special files that could not be moved away
        self.held: dict[str, Held] = {}
        self.next_listing = 0.0
        for sub in (DONE, FAILED):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        # the copies of the files taken: the job folder's (the service holds its run lock; a
        # copy left by a service killed is removed, its original is still in the inbox)
        if out is not None:
            self.hold_dir = JobFolder(out).held_dir
            shutil.rmtree(self.hold_dir, ignore_errors=True)
            self.hold_dir.mkdir(parents=True, exist_ok=True)
            self._own_hold = False
        else:
            self.hold_dir, self._own_hold = Path(tempfile.mkdtemp(prefix="digitize-inbox-")), True
        self.notify = Inotify.open() if inotify else None
        if self.notify is not None:
            self._watch_tree(self.folder)

    # -- what to look at -----------------------------------------------------------------------
    def _excluded(self) -> list[Path]:
        return [self.folder / DONE, self.folder / FAILED] + ([self.out] if self.out else [])

    def _watch_tree(self, top: Path) -> None:
        exclude = self._excluded()
        if self.notify is None or top != self.folder and not searched(top, exclude, is_job_folder):
            return
        if not self.notify.watch(top):
            return
        for dirpath, dirnames, _files in os.walk(top):
            dirnames[:] = [d for d in dirnames if searched(Path(dirpath) / d, exclude, is_job_folder)]
            for d in dirnames:
                self.notify.watch(Path(dirpath) / d)

    def _candidates(self) -> list[Path]:
        found = discover([self.folder], exclude=self._excluded(), skip=is_job_folder)
        return [p for p in found if self._wanted(p)]

    @staticmethod
    def _wanted(path: Path) -> bool:
        return not (path.name.endswith(PART) or not_input(path))

    def fileno(self) -> int | None:
        """The inotify descriptor to wait on (readable when something was written or moved in)."""
        return self.notify.fd if self.notify is not None else None

    def next_look(self) -> float:
        """Seconds until a look is due: the next listing, or a file's grace or settle time."""
        due = min([self.next_listing] + [p.due(self.settle) for p in self.pending.values()])
        return max(0.0, due - time.monotonic())

    # -- taking --------------------------------------------------------------------------------
    def scan(self) -> list[Held]:
        """Files completely written since the last look, each returned once, as the copy taken
        (``hold``)."""
        now = time.monotonic()
        hints: dict[Path, str] = {}
        listing = now >= self.next_listing
        if self.notify is not None:
            hints, new_dirs, overflow = self.notify.read()
            for d in new_dirs:
                self._watch_tree(d)
            listing = listing or overflow or bool(new_dirs)
        keys: dict[str, Path] = {}
        if listing:
            self.next_listing = now + self.settle
            keys = {str(p): p for p in self._candidates()}
            for gone in set(self.pending) - set(keys):
                del self.pending[gone]
        keys.update((str(p), p) for p in hints if self._wanted(p))
        keys.update((k, Path(k)) for k, p in self.pending.items() if p.due(self.settle) <= now)
        ready = []
        for key, path in sorted(keys.items()):
            if key not in self.taken and key not in self.refused and self._look(key, path, now, hints.get(path) == "moved"):
                held = self.hold(key, path, now)
                if held is not None:
                    ready.append(held)
        return ready

    def _look(self, key: str, path: Path, now: float, moved: bool) -> bool:
        try:
            st = path.lstat()  # the entry itself: a symbolic link is not followed
        except OSError:
            self.pending.pop(key, None)  # gone between the listing and now
            return False
        if not stat.S_ISREG(st.st_mode):
            self._refuse(key, path, st.st_mode)
            return False
        sig = (st.st_size, st.st_mtime_ns)
        p = self.pending.get(key)
        if p is None:
            self.event(key, "seen")
        if p is None or p.sig != sig:
            p = self.pending[key] = _Pending(sig, now)
        p.moved = p.moved or moved
        if p.verdict is None:
            p.verdict = completeness(path)
        if st.st_size == 0:  # just created: looked at again when written, or at the next listing
            p.since = now
            return False
        return p.due(self.settle) <= now

    def hold(self, key: str, path: Path, now: float) -> Held | None:
        """Take a file: open it once (no link followed, no wait on a pipe), check the descriptor
        (a regular file, the size and time its completeness was judged on) and copy the file from
        that descriptor into ``hold_dir``. None when it is not taken now: refused (moved to
        ``failed/``), changed since (looked at again), or the copy could not be written."""
        try:
            fd = os.open(path, OPEN_FLAGS)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # the entry became a link after it was looked at
                self._refuse(key, path, stat.S_IFLNK)
            elif exc.errno == errno.ENOENT:
                self.pending.pop(key, None)  # gone
            else:  # a file the service may not read
                self._refuse(key, path, 0, f"cannot read input: {exc.strerror or exc}")
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                os.close(fd)
                fd = -1
                self._refuse(key, path, st.st_mode)
                return None
            p = self.pending.get(key)
            sig = (st.st_size, st.st_mtime_ns)
            if p is None or p.sig != sig:  # another file, or written since it was judged
                self.pending[key] = _Pending(sig, now)
                return None
            copy = self.hold_dir / (hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]
                                    + path.suffix[:16])
            _copy_from(fd, copy)
            after = os.fstat(fd)
            if (after.st_size, after.st_mtime_ns) != sig:  # written while it was copied
                copy.unlink(missing_ok=True)
                self.pending[key] = _Pending((after.st_size, after.st_mtime_ns), now)
                return None
        except OSError as exc:  # the copy could not be written (a full disk): looked at again later
            log.warning("%s: not taken yet: %s", one_line(str(path)), exc)
            if key in self.pending:
                self.pending[key].since = now
            return None
        finally:
            if fd >= 0:
                os.close(fd)
        del self.pending[key]
        self.taken.add(key)
        self.held[key] = held = Held(path, copy, *sig)
        self.event(key, "taken")
        return held

    def _refuse(self, key: str, path: Path, mode: int, reason: str | None = None) -> None:
        """A symbolic link, named pipe, socket or device dropped in the folder: never opened nor
        followed (a link could point anywhere the service can read; a pipe blocks its reader),
        moved at once to ``failed/`` with its reason (or ``reason``: a file that cannot be read)."""
        what = ("a symbolic link" if stat.S_ISLNK(mode) else "a named pipe" if stat.S_ISFIFO(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "not a regular file")
        reason = reason or f"refused: {what}; the hot folder takes regular files only (copy the file itself in)"
        self.pending.pop(key, None)
        target = _free_name(self.folder / FAILED / path.name)
        try:
            os.replace(path, target)
        except OSError as exc:
            log.warning("%s: %s, and not moved to %s/: %s", one_line(str(path)), reason, FAILED, exc)
            self.refused.add(key)  # not looked at again
            return
        atomic_write(target.with_name(target.name + ".reason.txt"), reason + "\n")
        log.warning("%s: %s; moved to %s/", one_line(str(path)), reason, FAILED)
        self.event(key, "refused")

    def recorded(self, input_path: str, state: str, reason: str | None) -> Path | None:
        """Move the original out of the way once its document is recorded; where it went."""
        if input_path not in self.taken:
            return None
        self.taken.discard(input_path)
        held = self.held.pop(input_path, None)
        if held is not None:
            held.path.unlink(missing_ok=True)
        src = Path(input_path)
        sub = FAILED if state == "failed" else DONE
        target = _free_name(self.folder / sub / src.name)
        try:
            os.replace(src, target)
        except OSError as exc:
            log.warning("%s: not moved to %s/: %s", src, sub, exc)
            return None
        if state == "failed":
            atomic_write(target.with_name(target.name + ".reason.txt"), (reason or "failed") + "\n")
        self.event(input_path, "moved")
        return target

    def close(self) -> None:
        if self.notify is not None:
            self.notify.close()
            self.notify = None
        if self._own_hold:
            shutil.rmtree(self.hold_dir, ignore_errors=True)


def _copy_from(fd: int, target: Path) -> None:
    """Copy an open file from its start into ``target`` (a temporary name renamed into place),
    in the kernel where it can (``copy_file_range``: a reflink on filesystems that share blocks)."""
    out, tmp = new_temp(target.parent, target.name)
    try:
        offset = 0
        try:
            while n := os.copy_file_range(fd, out, 1 << 30, offset, offset):
                offset += n
        except OSError as exc:  # another filesystem on an old kernel, or no copy_file_range
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
            while block := os.pread(fd, 1 << 20, offset):
                view = memoryview(block)
                while view:  # a full disk raises ENOSPC
                    n = os.pwrite(out, view, offset)
                    view, offset = view[n:], offset + n
        os.close(out)
        out = -1
        os.replace(tmp, target)
    except BaseException:
        if out >= 0:
            os.close(out)
        Path(tmp).unlink(missing_ok=True)
        raise


def _free_name(path: Path) -> Path:
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}_{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1
