"""``digitize queue``: the correction queue as a CSV file, for spreadsheets and other sites."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError
from ..jobfolder import JobFolder

HELP = "export the correction queue to CSV, or import decisions filled in there"
DESCRIPTION = """\
Work on the correction queue outside the browser.

  export: one row per item (UTF-8 CSV with a header): item_id, document, kind (word|field), field,
          page, ocr_text, context, suggestions, expected (a field's format), confidence, state,
          decided_by, decision, value. Fill in 'decision' (accept, correct, illegible, not-text,
          skip; 'line' corrects the word's whole line) and 'value' (for correct and line).
  import: applies the filled-in rows as one reviewer's decisions, with the same checks and audit
          as the review page; a row is applied whole or not at all; importing twice is harmless.

Text cells starting with = + - @ are written with a leading apostrophe (never a formula); the
import takes it off. Run 'digitize apply DIR' afterwards to put the decisions into the outputs.

examples:
  digitize queue export jobs/out --out queue.csv
  digitize queue export jobs/out --out ep.csv --doc EP3441143A1 --state all
  digitize queue import jobs/out queue.csv --reviewer ana
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ex = sub.add_parser("export", help="write the queue to a CSV file")
    ex.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of a run")
    ex.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    ex.add_argument("--doc", metavar="ID", help="only this document")
    ex.add_argument("--state", choices=("open", "all"), default="open", help="open items (default) or all")
    im = sub.add_parser("import", help="apply the decisions of a filled-in CSV file")
    im.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of a run")
    im.add_argument("file", type=Path, metavar="FILE.csv")
    im.add_argument("--reviewer", required=True, metavar="NAME",
                    help="whose decisions these are (audit trail): a reviewer account ('digitize users add')")
    im.add_argument("--users-db", type=Path, default=None, metavar="PATH",
                    help="SQLite file with the reviewer accounts (default: DIR/ledger.sqlite)")


def main(args: argparse.Namespace) -> int:
    from ..proofread.decisions import QueueError
    from ..proofread.sheet import export_csv, import_csv

    from ..fsutil import one_line
    from ..review.app import profile_rules
    from ..store.users import UserStore

    queue = JobFolder(args.dir).require().queue(profile_rules)
    try:
        if args.action == "export":
            n = export_csv(queue, args.out, doc_id=args.doc, state=args.state)
            print(f"{args.out}: {n} item(s)")
            return 0
        name = args.reviewer.strip()
        if not name or any(not c.isprintable() for c in name):
            raise UsageError("--reviewer must be a printable name")
        users_db = args.users_db or JobFolder(args.dir).ledger_path
        if not users_db.is_file() or UserStore(users_db).get(name) is None:
            raise UsageError(f"--reviewer {one_line(name[:64])!r}: no such reviewer account in {users_db}; "
                             f"add it with 'digitize users add {args.dir} NAME --role reviewer'")
        if not args.file.is_file():
            raise UsageError(f"{args.file}: no such file")
        try:
            report = import_csv(queue, args.file, name)
        except (QueueError, UnicodeDecodeError) as exc:
            raise UsageError(one_line(str(exc))) from None
    finally:
        queue.close()
    for line, why in report.refused:
        print(f"line {line}: refused: {one_line(why)}")
    for line, why in report.skipped:
        if why != "no decision":
            print(f"line {line}: skipped: {one_line(why)}")
    counts = report.counts
    for kind in ("refused", "skipped"):
        if counts[kind] > len(getattr(report, kind)):
            print(f"... {counts[kind] - len(getattr(report, kind))} more {kind} row(s) not listed")
    print(f"{args.file}: {counts['applied']} applied, {counts['skipped']} skipped, {counts['refused']} refused")
    if counts["applied"]:
        print(f"run 'digitize apply {args.dir}' to put them into the outputs")
    return 1 if counts["refused"] else 0
