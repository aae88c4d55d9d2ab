"""``digitize status``: what a job folder holds, from its ledger."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..fsutil import one_line

HELP = "show counts per state, the failed documents and the open review items of a job folder"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of a run")
    p.add_argument("--json", action="store_true", help="one JSON record per input")


def main(args: argparse.Namespace) -> int:
    from ..jobfolder import JobFolder
    from ..store.ledger import shown_reason

    folder = JobFolder(args.dir).require()
    ledger = folder.ledger(readonly=True)
    rows = ledger.rows()
    last = ledger.last_run()
    held = folder.run_held()
    # rows left 'running' while no run holds the folder: the run that had them was interrupted
    interrupted = not held and (any(r["state"] == "running" for r in rows)
                                or bool(last and last["outcome"] == "interrupted"))
    for r in rows:
        if r["state"] == "running":
            r["pages_done"] = max(r.get("pages_done") or 0, _pages_on_disk(folder, r))
    if args.json:
        for r in rows:
            out_dir = str(args.dir / r["out_dir"]) if r["out_dir"] else None
            print(json.dumps({"input": r["input"], "state": r["state"], "reason": shown_reason(r),
                              "quality": r["quality"], "output": out_dir,
                              "doc_id": r["doc_id"], "pages": r["pages"], "page_count": r.get("page_count"),
                              "pages_done": r.get("pages_done"), "interrupted": r["state"] == "running" and not held,
                              "attempts": r["attempts"], "validated": r["validated"], "warning": r["warning"]},
                             ensure_ascii=False))
        return 0
    counts = ledger.counts()
    if interrupted and counts.get("running"):
        counts["interrupted"] = counts.pop("running")
    print(f"{one_line(args.dir)}: {len(rows)} input(s)")
    for state, n in counts.items():
        print(f"  {state:<13}{n}")
    running = [r for r in rows if r["state"] == "running"]
    if running:
        print("interrupted:" if interrupted else "running:")
        for r in running:
            done, total = r.get("pages_done"), r.get("page_count")
            pages = f"{done or 0}/{total} pages" if total else f"{done or 0} page(s)"
            print(f"  {r['input']}: {pages}" + (" recognised, kept for the re-run" if interrupted else ""))
    if interrupted:
        print("the last run was interrupted: run the same command again to resume "
              "(pages already recognised are kept)")
    failed = [r for r in rows if r["state"] == "failed"]
    if failed:
        print("failed:")
        for r in failed:
            print(f"  {one_line(r['input'])}: {one_line(r['reason'])}")
    warned = [r for r in rows if r["warning"]]
    for r in warned:
        print(f"warning: {one_line(r['input'])}: {one_line(r['warning'])}")
    _review(args.dir, folder.ledger_path, rows)
    return 0


def _pages_on_disk(folder, row: dict) -> int:
    """The pages of a running (or interrupted) input recognised into its work folder: a page a
    worker wrote just before an interrupt is kept even if the run had not recorded it yet."""
    from ..batch.planner import input_key
    from ..jobfolder import DocumentFolder

    if not row.get("checksum") or not row.get("profile"):
        return 0
    work = folder.work_dir / input_key(Path(row["input"]), row["checksum"], row["profile"])
    return DocumentFolder(work).pages_recognised()


def _review(job: Path, db: Path, rows: list[dict]) -> None:
    """Open queue items and series per document, and documents held back by the quality gate."""
    from ..store.queue import Queue

    queue = Queue(db, readonly=True)  # status only reads: it works on a read-only copy of a job
    try:
        docs = queue.progress().get("documents", {})
        lines = []
        width = max((len(d) for d in docs), default=0) + 2  # a long DOCID never runs into its count
        for doc_id, (decided, total) in docs.items():
            open_items = int(total or 0) - int(decided or 0)
            if open_items:
                lines.append(f"  {one_line(doc_id) + ':':<{width}}{open_items} open item(s) in {queue.open_series(doc_id)} series"
                             f" ({int(decided or 0)} of {int(total or 0)} decided)")
    finally:
        queue.close()
    gated = [r for r in rows if r["state"] == "needs-review" and r["quality"]]
    if lines:
        print("review queue:")
        print("\n".join(lines))
    for r in gated:
        print(f"held by the quality gate: {one_line(r['doc_id'])}: {one_line(r['quality'])}")
