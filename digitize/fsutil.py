"""Atomic writes, checksums and paths in messages: a killed run must never leave a half-written
output behind, and a file name must never break a log line."""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from pathlib import Path


def new_temp(folder: Path | str, name: str) -> tuple[int, str]:
    """A new, empty temporary file ``folder/.NAME.<random>.tmp`` open for writing: ``(fd, path)``.

    Unlike ``tempfile.mkstemp`` (always 0600) it is created with mode 0666 and the kernel applies
    the process's umask, exactly as ``open()`` would: outputs renamed from it get the same
    permissions as every other file the job writes (0644 under umask 022, 0600 under 077).
    """
    short = _short_name(name, 200)  # ``.NAME.<12 hex>.tmp`` within a file name's 255 bytes
    for _ in range(100):
        tmp = os.path.join(os.fspath(folder), f".{short}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: no free temporary name for {name}")


def _short_name(name: str, limit: int) -> str:
    """``name`` cut to at most ``limit`` bytes in the file system's encoding (whole characters)."""
    raw = os.fsencode(name)
    if len(raw) <= limit:
        return name
    cut = raw[:limit]
    while cut:
        try:
            return os.fsdecode(cut.decode("utf-8").encode("utf-8"))
        except UnicodeDecodeError:
            cut = cut[:-1]
    return "tmp"


def current_umask() -> int:
    """The process's umask, read without changing it (``os.umask`` sets it, racing with threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: the only other way
    os.umask(mask)
    return mask


def create_following_umask(path: Path | str) -> None:
    """Create ``path`` empty unless it exists, mode 0666 minus the umask. For SQLite files: SQLite
    makes a new database 0644 whatever the umask (and its -wal and -shm files copy that mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except FileExistsError:
        pass


def atomic_write(path: Path | str, data: bytes | str) -> Path:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``.
    The file's mode follows the umask (see ``new_temp``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = new_temp(path.parent, path.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def sha256_file(path: Path | str, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def sha256_tree(folder: Path | str) -> str:
    """Checksum of a folder of page images (``document_unit = "folder"``): names and contents."""
    h = hashlib.sha256()
    for p in sorted(Path(folder).iterdir()):
        if p.is_file() and not p.name.startswith("."):
            h.update(p.name.encode())
            h.update(sha256_file(p).encode())
    return h.hexdigest()


# Characters that end or garble a line on a terminal or in a log file: C0/C1 controls (newline,
# carriage return, escape…), lone surrogates (undecodable bytes of a file name) and the Unicode
# line and paragraph separators.
_BREAKING = {"Cc", "Cs", "Zl", "Zp"}
# bidirectional controls (U+202E turns "gpj.exe" into "exe.jpg" on screen) and other invisible
# formatting: shown escaped as well (category Cf; the zero-width joiner of emoji and scripts stays)
_INVISIBLE = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0x200B,
                               0xFEFF, 0x00AD)}


def one_line(text: object) -> str:
    """``text`` (a path, a name or a message) fit for one line of a log or report: control
    characters are shown escaped as ``repr`` would (``\\n``, ``\\t``, ``\\x1b``, ``\\udcff``
    for an undecodable byte); everything else, accents included, is left as it is."""
    s = os.fspath(text) if isinstance(text, os.PathLike) else str(text)
    if isinstance(s, bytes):
        s = s.decode("utf-8", "surrogateescape")
    def hidden(c: str) -> bool:
        return c in _INVISIBLE or unicodedata.category(c) in _BREAKING

    if not any(hidden(c) for c in s):
        return s
    return "".join((repr(c)[1:-1] if c not in _INVISIBLE else f"\\u{ord(c):04x}") if hidden(c) else c for c in s)
