"""``digitize status``: what a job folder holds, from its ledger."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import UsageError
from ..fsutil import one_line

HELP = "show counts per state, the failed documents and the open review items of a job folder"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of a run")
    p.add_argument("--json", action="store_true", help="one JSON record per input")


def main(args: argparse.Namespace) -> int:
    from ..jobfolder import JobFolder

    ledger = JobFolder(args.dir).require().ledger(readonly=True)
    rows = ledger.rows()
    if args.json:
        for r in rows:
            out_dir = str(args.dir / r["out_dir"]) if r["out_dir"] else None
            print(json.dumps({"input": r["input"], "state": r["state"], "reason": r["reason"], "output": out_dir,
                              "doc_id": r["doc_id"], "pages": r["pages"], "attempts": r["attempts"],
                              "validated": r["validated"], "warning": r["warning"]}, ensure_ascii=False))
        return 0
    counts = ledger.counts()
    print(f"{one_line(args.dir)}: {len(rows)} input(s)")
    for state, n in counts.items():
        print(f"  {state:<13}{n}")
    failed = [r for r in rows if r["state"] == "failed"]
    if failed:
        print("failed:")
        for r in failed:
            print(f"  {one_line(r['input'])}: {one_line(r['reason'])}")
    warned = [r for r in rows if r["warning"]]
    for r in warned:
        print(f"warning: {one_line(r['input'])}: {one_line(r['warning'])}")
    _review(args.dir, JobFolder(args.dir).ledger_path, rows)
    return 0


def _review(job: Path, db: Path, rows: list[dict]) -> None:
    """Open queue items and series per document, and documents held back by the quality gate."""
    from ..proofread.queue import Queue

    queue = Queue(db, readonly=True)  # status only reads: it works on a read-only copy of a job
    try:
        docs = queue.progress().get("documents", {})
        lines = []
        for doc_id, (decided, total) in docs.items():
            open_items = int(total or 0) - int(decided or 0)
            if open_items:
                lines.append(f"  {one_line(doc_id):<24}{open_items} open item(s) in {queue.open_series(doc_id)} series"
                             f" ({int(decided or 0)} of {int(total or 0)} decided)")
    finally:
        queue.close()
    gated = [r for r in rows if r["state"] == "needs-review" and (r["reason"] or "").startswith("quality: ")]
    if lines:
        print("review queue:")
        print("\n".join(lines))
    for r in gated:
        print(f"held by the quality gate: {one_line(r['doc_id'])}: {one_line(r['reason'][len('quality: '):])}")
