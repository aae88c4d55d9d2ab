"""Where entries come from: a digitize job folder, patent XML collections, an existing authority
file. Each source yields ``Entry`` values and writes report lines; nothing is guessed."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from digitize.jobfolder import is_job_folder

from ..model import Entry
from ..findings import Findings


def iter_sources(sources: list[Path], report: Findings, office: str | None = None) -> Iterator[Entry]:
    """Entries of every source, in the order given (folders: sorted, recursive)."""
    from .job import entries_from_job
    from .xmlfiles import entries_from_xml

    for src in sources:
        src = Path(src)
        if src.is_dir() and is_job_folder(src):
            yield from entries_from_job(src, report, office)
        elif src.is_dir():
            files = sorted(p for p in src.rglob("*") if p.is_file() and p.suffix.lower() == ".xml")
            if not files:
                report.warning(src, "no .xml files found")
            for f in files:
                yield from entries_from_xml(f, report)
        elif src.is_file() and src.suffix.lower() == ".csv":
            from ..reader import read_entries

            yield from read_entries(src)
        elif src.is_file():
            yield from entries_from_xml(src, report)
        else:
            report.error(src, "no such file or folder")
