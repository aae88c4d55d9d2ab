"""``digitize apply``: put the review decisions into the documents' text and XML."""

from __future__ import annotations

import argparse
from pathlib import Path


HELP = "apply review decisions: rebuild text, JSON and XML of the documents concerned"
DESCRIPTION = """\
Apply the correction queue's decisions to the documents of a job folder: the words and fields
reviewers decided are replaced, then text, JSON and ST.36/ST.96 XML are rebuilt from the page
files (no OCR). Safe to run again at any time. A document whose queue is fully decided becomes
'done' in the ledger; one with undecided items stays 'needs-review'.

examples:
  digitize apply jobs/out
  digitize apply jobs/out --doc EP3441143A1 --force
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of a run")
    p.add_argument("--doc", action="append", metavar="DOCID", help="only this document (repeatable)")
    p.add_argument("--force", action="store_true", help="rebuild even documents with nothing new to apply")
    p.add_argument("--schemas", type=Path, metavar="DIR", help="WIPO schema folder for validation")


def main(args: argparse.Namespace) -> int:
    from ..apply import apply_job
    from ..jobfolder import JobFolder

    JobFolder(args.dir).require()
    results = apply_job(args.dir, args.doc, force=args.force, schema_dir=args.schemas)
    from ..package import refresh_derived  # the authority file and report.html follow the documents
    from .package import derived_builders

    for what in refresh_derived(args.dir, only_stale=not results, **derived_builders()):
        print(f"rebuilt {what}")
    if not results:
        print(f"{args.dir}: nothing in the correction queue")
        return 0
    failed = 0
    for r in results:
        if r.error:
            failed += 1
            print(f"{r.doc_id}: failed: {r.error}")
        elif r.skipped:
            print(f"{r.doc_id}: {r.state} (nothing new; {r.decisions} decision(s) already applied)")
        else:
            print(f"{r.doc_id}: {r.state}, {r.decisions} decision(s) applied, XML {r.validated}")
    done = sum(r.state == "done" for r in results)
    print(f"{len(results)} document(s): {done} done, {len(results) - done - failed} need review, {failed} failed")
    return 1 if failed else 0
