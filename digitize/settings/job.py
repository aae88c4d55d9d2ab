"""Job settings: what ``digitize run`` does, from a ``jobs/*.toml`` file and/or the command line.

A job file holds the same settings as the command line (the command line wins), so a batch can
be re-run exactly. Paths in a job file are relative to the job file's folder.

``JobSettings`` is the one model of both (a frozen dataclass checked by pydantic, see
``settings/base.py``): to add a setting, add one field line with its type, default and range,
and (if the command line sets it too) an argument in ``commands/run.py``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError

from .base import Tuple, describe, read_toml, section
from ..errors import ConfigError
from ..formats import DEFAULT, NAMES


class JobError(ConfigError):
    """A job that cannot run as configured; the message names the file and the key."""


def _path(value: Any) -> Any:
    return Path(value) if isinstance(value, str) else value


AnyPath = Annotated[Path, BeforeValidator(_path)]


@section
class JobSettings:
    inputs: Annotated[tuple[AnyPath, ...], Tuple] = ()
    profile: str = "generic"
    out: AnyPath | None = None
    scheduler: str | None = None  # address of an existing Dask scheduler; None: a LocalCluster
    workers: Annotated[int, Field(ge=0, description="0 = one per core")] = 0  # LocalCluster workers
    # how the local cluster runs its workers: "threads" (one process, one engine a thread: quick to
    # start, for small jobs; a crash ends the run, a re-run resumes), "processes" (a crashed worker
    # is replaced and the run goes on), "auto" (threads up to 64 pages on up to 4 workers, else processes)
    pool: Literal["auto", "processes", "threads"] = "auto"
    document_unit: Literal["file", "folder"] = "file"
    # large documents are split into page ranges of this size
    pages_per_task: Annotated[int, Field(ge=1)] = 8
    # a document whose task fails or kills its worker this often is failed
    max_attempts: Annotated[int, Field(ge=1)] = 2
    formats: Annotated[tuple[Literal[NAMES], ...], Tuple] = DEFAULT  # digitize/formats.py: "pdf" on request
    schemas: AnyPath | None = None  # schema directory; default: ../shared/standards when present
    authority: bool = True  # build DIR/authority/ at the end
    report: bool = True  # write DIR/report.html at the end
    progress: Literal["auto", "bar", "log", "none"] = "auto"
    description: str = ""  # what the job is, for the people who run it
    memory: AnyPath | None = None  # the office memory (digitize/memory.py); default: the profile's [queue] memory
    # the office's register of numbers (the CSV ``authority build --register`` reads): each
    # document's number, kind and dates are checked against it (digitize/structure/register.py)
    register: AnyPath | None = None

    def effective_workers(self) -> int:
        return self.workers or max(1, os.cpu_count() or 1)


def _build(values: dict[str, Any], where: str) -> JobSettings:
    try:
        return JobSettings(**values)
    except ValidationError as exc:
        raise JobError(describe(exc, JobSettings, where)) from None


def load_job(path: Path) -> JobSettings:
    path = Path(path)
    if not path.is_file():
        raise JobError(f"job file {path} does not exist")
    data = read_toml(path, JobError)
    base = path.resolve().parent

    def resolve(value: Any) -> Any:
        return Path(os.path.normpath(base / value)) if isinstance(value, str) else value

    values = dict(data)
    if isinstance(values.get("inputs"), list):
        values["inputs"] = [resolve(v) for v in values["inputs"]]
    for key in ("out", "schemas", "memory", "register"):
        if key in values:
            values[key] = resolve(values[key])
    return _build(values, f"{path}:")


def merge(job: JobSettings, *, formats: tuple[str, ...] | None = None, **overrides: Any) -> JobSettings:
    """Command-line values (not None, not empty) override the job file's; ``formats`` may be
    empty (``--formats ''``: no XML)."""
    names = {f.name for f in fields(JobSettings)}
    values = {k: v for k, v in overrides.items() if k in names and v not in (None, (), [])}
    if formats is not None:
        values["formats"] = formats
    return _build({**{f.name: getattr(job, f.name) for f in fields(JobSettings)}, **values}, "command line:")


def validate(job: JobSettings, where: str = "command line") -> JobSettings:
    """The job checked again (after ``dataclasses.replace``), errors naming ``where``."""
    return _build({f.name: getattr(job, f.name) for f in fields(JobSettings)}, f"{where}:")


@dataclass
class Summary:
    """What one run did. ``pages`` are the pages this run recognised and ``seconds`` its own time
    (the ledger's ``runs`` row, which the report reads too); ``kept`` the pages of the documents
    it finished that an earlier, interrupted run had recognised (not counted in the rate)."""

    counts: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    kept: int = 0
    started_cluster: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)
    out: Path | None = None

    @property
    def pages_per_minute(self) -> float:
        return 60.0 * self.pages / self.seconds if self.seconds > 0 else 0.0
