"""Job settings: what ``digitize run`` does, from a ``jobs/*.toml`` file and/or the command line.

A job file holds the same settings as the command line (the command line wins), so a batch can
be re-run exactly. Paths in a job file are relative to the job file's folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import XML_FORMATS


class JobError(ConfigError):
    """A job that cannot run as configured; the message names the file and the key."""


FORMATS = (*XML_FORMATS, "pdf")  # pdf: the searchable facsimile (digitize/facsimile.py)


@dataclass(frozen=True)
class JobSettings:
    inputs: tuple[Path, ...] = ()
    profile: str = "generic"
    out: Path | None = None
    scheduler: str | None = None  # address of an existing Dask scheduler; None: a LocalCluster
    workers: int = 0  # LocalCluster worker processes; 0 = one per core
    document_unit: str = "file"  # file | folder
    pages_per_task: int = 8  # large documents are split into page ranges of this size
    max_attempts: int = 2  # a document whose task fails or kills its worker this often is failed
    formats: tuple[str, ...] = XML_FORMATS  # "pdf" on request
    schemas: Path | None = None  # schema directory; default: ../shared/standards when present
    authority: bool = True  # build DIR/authority/ at the end
    report: bool = True  # write DIR/report.html at the end
    progress: str = "auto"  # auto | bar | log | none

    def effective_workers(self) -> int:
        return self.workers or max(1, os.cpu_count() or 1)


_TYPES: dict[str, Any] = {
    "inputs": list, "profile": str, "out": str, "scheduler": str, "workers": int, "document_unit": str,
    "pages_per_task": int, "max_attempts": int, "formats": list, "schemas": str, "authority": bool,
    "report": bool, "progress": str, "description": str,
}


def load_job(path: Path) -> JobSettings:
    path = Path(path)
    if not path.is_file():
        raise JobError(f"job file {path} does not exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise JobError(f"{path}: not valid TOML: {exc}") from None
    base = path.resolve().parent
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _TYPES:
            raise JobError(f"{path}: unknown key {key!r}; allowed: {', '.join(sorted(_TYPES))}")
        want = _TYPES[key]
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise JobError(f"{path}: {key} must be {want.__name__}, got {value!r}")
        if key == "description":
            continue
        if key == "inputs":
            value = tuple(Path(os.path.normpath(base / str(v))) for v in value)
        elif key in ("out", "schemas"):
            value = Path(os.path.normpath(base / value))
        elif key == "formats":
            value = tuple(value)
        values[key] = value
    return validate(JobSettings(**values), where=str(path))


def merge(job: JobSettings, **overrides: Any) -> JobSettings:
    """Command-line values (not None, not empty) override the job file's."""
    names = {f.name for f in fields(JobSettings)}
    return replace(job, **{k: v for k, v in overrides.items() if k in names and v not in (None, (), [])})


def validate(job: JobSettings, where: str = "command line") -> JobSettings:
    if job.document_unit not in ("file", "folder"):
        raise JobError(f"{where}: document_unit must be 'file' or 'folder', got {job.document_unit!r}")
    bad = [f for f in job.formats if f not in FORMATS]
    if bad:
        raise JobError(f"{where}: formats may hold {', '.join(FORMATS)}; unknown: {', '.join(bad)}")
    if job.pages_per_task < 1 or job.max_attempts < 1 or job.workers < 0:
        raise JobError(f"{where}: pages_per_task and max_attempts must be >= 1, workers >= 0")
    if job.progress not in ("auto", "bar", "log", "none"):
        raise JobError(f"{where}: progress must be auto, bar, log or none")
    return job


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    out: Path | None = None

    @property
    def pages_per_minute(self) -> float:
        return 60.0 * self.pages / self.seconds if self.seconds > 0 else 0.0
