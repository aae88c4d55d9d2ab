"""``digitize memory``: the office memory between machines (CSV), and what it has learnt."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from ..errors import UsageError

HELP = "the office memory: export its decisions to CSV, import them on another machine, show what it learnt"
DESCRIPTION = """\
The office memory (digitize/memory.py) keeps every decision reviewers made and 'digitize apply'
put into a document, with who and when, across jobs. Name it in the profile ([queue] memory), the
job file (memory = "…"), with 'digitize run --memory FILE' or $DIGITIZE_MEMORY.

  export: every decision (of one office with --office) as UTF-8 CSV: office, kind, name, before,
          after, action, reviewer, decided_at (seconds since 1970, UTC), job, doc_id, item_key;
  import: the rows of such a file into a memory file (made when missing); importing twice adds
          nothing;
  show:   what the next job of an office would use: corrections applied as auto-memory (a
          target "~word -> word" also takes other misreadings one OCR edit from it), words
          known, parties of the gazetteer.

examples:
  digitize memory export /srv/qa/mx-memory.sqlite --out mx.csv
  digitize memory import /srv/qa/mx-memory.sqlite mx.csv
  digitize memory show /srv/qa/mx-memory.sqlite --office MX --confirmations 3
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ex = sub.add_parser("export", help="write the decisions to a CSV file")
    ex.add_argument("store", type=Path, metavar="MEMORY.sqlite")
    ex.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    ex.add_argument("--office", help="only this office (ST.3 code)")
    im = sub.add_parser("import", help="add the decisions of an exported CSV file")
    im.add_argument("store", type=Path, metavar="MEMORY.sqlite")
    im.add_argument("file", type=Path, metavar="FILE.csv")
    sh = sub.add_parser("show", help="what the memory would apply in the office's next job")
    sh.add_argument("store", type=Path, metavar="MEMORY.sqlite")
    sh.add_argument("--office", required=True, help="ST.3 code")
    sh.add_argument("--confirmations", type=int, default=3, help="documents that confirm a correction (3)")
    sh.add_argument("--lexicon-after", type=int, default=3, help="documents that accept a word (3)")


def main(args: argparse.Namespace) -> int:
    from ..store.memory import MemoryError_, OfficeMemory

    try:
        if args.action == "export":
            with OfficeMemory(args.store, readonly=True) as store:
                n = store.export_csv(args.out, args.office.upper() if args.office else None)
            print(f"{args.out}: {n} decision(s)")
            return 0
        if args.action == "import":
            if not args.file.is_file():
                raise UsageError(f"{args.file}: no such file")
            with OfficeMemory(args.store) as store:
                added, problems = store.import_csv(args.file)
            for p in problems:
                print(f"{args.file}: {p}")
            print(f"{args.store}: {added} new decision(s) from {args.file}" +
                  (f", {len(problems)} row(s) refused" if problems else ""))
            return 1 if problems else 0
        with OfficeMemory(args.store, readonly=True) as store:
            rules = store.rules(args.office.upper(), confirmations=max(1, args.confirmations),
                                lexicon_after=max(1, args.lexicon_after))
        for k, v in sorted(rules.corrections.items()):
            print(f"auto-memory  {k} -> {v}")
        for k, v in sorted(rules.targets.items()):
            print(f"auto-memory  ~{k} -> {v}")
        for w in sorted(rules.accepted):
            print(f"known word   {w}")
        for name in rules.parties:
            print(f"party        {name}")
        return 0
    except (MemoryError_, sqlite3.Error, UnicodeDecodeError) as exc:
        raise UsageError(f"{args.store}: {exc}") from None
