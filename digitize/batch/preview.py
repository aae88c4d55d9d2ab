"""What a run would do with its inputs (``digitize run --dry-run``), read from the files' headers
and the job folder's ledger (opened read-only): nothing is recognised or written and no cluster
starts. The time is estimated from the job folder's last run, else from a measured rate per
worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import one_line
from ..jobfolder import DocumentFolder, JobFolder
from ..settings.job import JobSettings
from ..settings.profile import Profile
from .planner import Planner, input_key

# Without a run measured in the job folder: what bench/throughput.py measured per worker on this
# project's 2-core machine (office-quality text pages).
PAGES_PER_MINUTE_PER_WORKER = 20.0


@dataclass
class Preview:
    """``items``: one (action, input, detail) per input, action "skip", "fail", "run" or
    "resume"; ``rate``: the pages per minute the estimate assumes, ``source`` where it comes from."""

    items: list[tuple[str, str, str]] = field(default_factory=list)
    todo_docs: int = 0
    todo_pages: int = 0
    kept_pages: int = 0
    skipped: int = 0
    bad: int = 0
    rate: float = 0.0
    source: str = ""

    @property
    def minutes(self) -> float:
        return self.todo_pages / self.rate


def preview(job: JobSettings, profile: Profile, inputs: list[Path]) -> Preview:
    """What ``run_batch(job, profile, inputs)`` would do."""
    from ..ingest import page_count

    folder = JobFolder(job.out)
    ledger = folder.ledger(readonly=True) if folder.exists() else None
    planner = Planner(ledger, folder, profile.name) if ledger else None
    p = Preview()
    try:
        for path in inputs:
            name = one_line(str(path))
            if planner and planner.done_unchanged(path):
                p.skipped += 1
                p.items.append(("skip", name, "done already, same content"))
                continue
            try:
                pages = page_count(path)
            except Exception as exc:  # noqa: BLE001  the run would fail it with this reason
                p.bad += 1
                p.items.append(("fail", name, one_line(str(exc))))
                continue
            kept = 0
            row = ledger.get(str(path)) if ledger else None
            if row and row["checksum"] and row["state"] not in ("done", "needs-review"):
                work = folder.work_dir / input_key(path, row["checksum"], profile.name)
                kept = min(pages, DocumentFolder(work).pages_recognised())
            p.todo_docs += 1
            p.todo_pages += pages - kept
            p.kept_pages += kept
            what = f"{pages - kept} of {pages} page(s), {kept} kept from an interrupted run" if kept else f"{pages} page(s)"
            p.items.append(("resume" if kept else "run", name, what))
        last = ledger.last_run() if ledger else None
    finally:
        if ledger:
            ledger.close()
    if last and last.get("ended") and last["pages"] and last["ended"] > last["started"]:
        p.rate = 60 * last["pages"] / (last["ended"] - last["started"])
        p.source = "the rate of this job folder's last run"
    else:
        p.rate = PAGES_PER_MINUTE_PER_WORKER * job.effective_workers()
        p.source = f"{PAGES_PER_MINUTE_PER_WORKER:g} pages/min per worker as measured on a 2-core machine, bench/README.md"
    return p
