"""``digitize authority build|check|diff``: ST.37 authority files."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..errors import UsageError

HELP = "build, check and compare ST.37 authority files"
CSV_COLUMNS = """\
CSV authority files (';' separated, UTF-8, one header row, one row per entry), columns in order:
  office                  ST.3 code of the office (PH)
  publication_number      as the office prints it (US: no leading zeros)
  kind                    ST.16 kind code (A1)
  publication_date        YYYYMMDD
  application_number      optional
  filing_date             optional, YYYYMMDD
  exception_code          optional: N = not used publication number, other codes from the profile
  searchable_description  ISO 639-1 codes joined by ',' (en,de); '-' = not searchable; empty = not stated
  searchable_claims       the same
  searchable_abstract     the same
  priority_claims         claims joined by '|', each country:number:date:kind:sequence
  update_action           'delete' in an incremental file written with --with-deletions, else empty
A text cell that would start with = + - @ is written with a leading ' so no spreadsheet runs it."""

REGISTER_COLUMNS = """\
Register CSV (--register; ';' or ',' separated, header row required, names case-insensitive):
  publication_number      (or number, doc_number) required
  kind                    (or kind_code) required for a number with no document
  publication_date        (or date; YYYYMMDD or YYYY-MM-DD) required for a number with no document
  exception_code          (or exception) default N (not used publication number)
  office                  (or country) optional; rows of another office are skipped
Every registered number without a document becomes an entry with its exception code."""

CHECK_RULES = """\
Rules checked (each problem line names its rule first):
  readable            not empty; XML well-formed, no entity declarations, root authority-file;
                      CSV with a publication_number header, no field over 128 KiB
  definition          one authority-file-definition before the entries, valid categories
  mandatory-fields    office, publication number, kind code, publication date in every entry
  valid-number        letters, digits and / . - space only: no line break, ';' or formula start
  number-format       no leading zeros where the office prints none (profile strip_leading_zeros)
  office-code         ST.3 code, the same as the file's country
  valid-date          every date a real YYYYMMDD date
  kind-code-defined, exception-code-defined
                      every code used (also in not-searchable-code) described in the definition
                      part (CSV: in the office profile)
  kind-coverage, exception-coverage, date-range, number-range, most-recent-document
                      the definition part's figures equal the entries
  no-duplicate        one entry per publication (number and kind)
  sorted              entries ordered by number, kind, date
  schema              valid against the official ST.37 DTD/XSD when one is given"""

DESCRIPTION = f"""\
ST.37 authority files: the list of every publication number an office assigned.

  digitize authority build SOURCE... --office CC --out FILE [--format xml|csv] [--register CSV]
      SOURCE: a digitize job folder (ledger.sqlite + documents/), a patent XML file or a folder
      of them (ST.36, EPO, USPTO, ST.96, EPO full text), or an existing authority file.
  digitize authority check FILE [--dtd PATH]
      the ST.37 rules below; exit 1 with the offending entries, each line naming the rule.
  digitize authority diff OLD NEW [--incremental OUT] [--with-deletions]
      checks OLD and NEW with the same rules, lists added, removed and changed entries; OUT
      (checked too before it is written) holds the added and changed entries.

Exit status: 0 done / valid; 1 problems (listed); 2 usage error (a file that does not exist,
a DTD that is not ST.37's, a bad option).

{CSV_COLUMNS}

{REGISTER_COLUMNS}

{CHECK_RULES}
"""


def _wrap(text: str) -> str:
    import textwrap

    return textwrap.fill(text, 92)


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="authority_command", metavar="ACTION")
    b = sub.add_parser("build", help="build an authority file from job folders and XML collections",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description=_wrap("Build an ST.37 authority file. Problems are listed one per line; the rest goes on. "
                       "Kind and exception codes get their descriptions from the office profile's [authority] "
                       "section; a description marked confirmed = false is published with a warning."),
                       epilog=f"{CSV_COLUMNS}\n\n{REGISTER_COLUMNS}")
    b.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    b.add_argument("--office", required=True, help="ST.3 code of the office, e.g. PH")
    b.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help="output file; {date} in the name becomes the date-produced (PH_AF_{date}.xml)")
    b.add_argument("--format", choices=("xml", "csv"), help="default: from the --out suffix (.csv -> csv), else xml")
    b.add_argument("--register", type=Path, metavar="CSV",
                   help="register of assigned numbers: numbers without a document get exception entries (columns below)")
    b.add_argument("--profile", metavar="NAME", help="profile with the kind/exception code descriptions "
                   "(default: the office's profile, else generic)")
    b.add_argument("--date", metavar="YYYYMMDD", help="date-produced (default: today, UTC)")
    b.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    c = sub.add_parser("check", help="check an authority file (XML or CSV) against the ST.37 rules",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description=_wrap("Check an ST.37 authority file, streamed (any size): the rules below. "
                                         "Exit 0 valid, 1 problems listed, 2 usage error."), epilog=CHECK_RULES)
    c.add_argument("file", type=Path, metavar="FILE")
    c.add_argument("--dtd", type=Path, metavar="PATH",
                   help="official ST37AuthorityFile DTD (or XSD) to validate against too; refused if it is not ST.37's")
    c.add_argument("--profile", metavar="NAME", help="profile for CSV files' code descriptions and its [authority] schema")
    d = sub.add_parser("diff", help="check two authority files, compare them, write an incremental update",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description=_wrap("Check OLD and NEW with the rules of 'authority check' (an empty, truncated or "
                       "invalid file is refused), then list the added, removed and changed publications "
                       "(number and kind). --incremental writes the added and changed entries "
                       "(update-af-category=incremental), checked with the same rules before it is put in place. "
                       "ST.37 has no element for a removal: removed entries are only listed, unless "
                       "--with-deletions writes them with update-action=\"delete\" (this product's extension). "
                       "Exit 0 compared, 1 an input or the incremental breaks the rules (nothing written), "
                       "2 usage error."), epilog=CHECK_RULES)
    d.add_argument("old", type=Path, metavar="OLD")
    d.add_argument("new", type=Path, metavar="NEW")
    d.add_argument("--incremental", type=Path, metavar="OUT", help="write the incremental file that turns OLD into NEW")
    d.add_argument("--with-deletions", action="store_true",
                   help="also write removed entries, marked update-action=\"delete\" (not ST.37: only for readers that know it)")
    d.add_argument("--profile", metavar="NAME", help="profile for code descriptions missing from both files")
    d.add_argument("--date", metavar="YYYYMMDD", help="date-produced of the incremental file (default: today)")
    p.set_defaults(_parser=p)


def _profile(name: str | None, office: str | None = None):
    from ..settings.profile import ProfileError

    from authority.config import profile_for_office

    try:
        if name:
            return profile_for_office(office or "XX", name)
        return profile_for_office(office) if office else None
    except ProfileError as exc:
        raise UsageError(str(exc)) from None


def _date(value: str | None) -> str | None:
    from ..dates import compact

    if value is None:
        return None
    d = compact(value)
    if d is None:
        raise UsageError(f"--date {value!r} is not a valid date (YYYYMMDD)")
    return d


def main(args: argparse.Namespace) -> int:
    action = getattr(args, "authority_command", None)
    if action == "build":
        return _build(args)
    if action == "check":
        return _check(args)
    if action == "diff":
        return _diff(args)
    args._parser.print_help()
    return 2


def _build(args: argparse.Namespace) -> int:
    from authority.build import build

    office = args.office.upper()
    if not re.fullmatch(r"[A-Z]{2}", office):
        raise UsageError(f"--office must be an ST.3 code of two letters, got {args.office!r}")
    for s in args.sources:
        if not s.exists():
            raise UsageError(f"no such file or folder: {s}")
    if args.register is not None and not args.register.is_file():
        raise UsageError(f"no such register file: {args.register}")
    if not args.out.parent.is_dir() and str(args.out.parent) not in ("", "."):
        raise UsageError(f"no such folder for --out: {args.out.parent}")
    fmt = args.format or ("csv" if args.out.suffix.lower() == ".csv" else "xml")
    profile = _profile(args.profile, office)
    result = build(args.sources, office, args.out, fmt=fmt, profile=profile, register=args.register,
                   date_produced=_date(args.date))
    for line in result.report.lines:
        if not args.quiet or line.startswith("error"):
            print(line, file=sys.stderr)
    if result.paths:
        print(f"{result.paths[0]}: {result.entries} entries ({fmt}), "
              f"{result.report.errors} error(s), {result.report.warnings} warning(s)")
    else:
        print(f"no authority file written: {result.report.errors} error(s)", file=sys.stderr)
    return 0 if result.ok else 1


def _check(args: argparse.Namespace) -> int:
    from authority.check import check_file

    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    if args.dtd is not None:
        from authority.check import not_st37_schema

        if not args.dtd.is_file():
            raise UsageError(f"no such DTD/XSD: {args.dtd}")
        why = not_st37_schema(args.dtd)
        if why:
            raise UsageError(why)
    problems = check_file(args.file, dtd=args.dtd, profile=_profile(args.profile))
    for line in problems:
        print(line)
    if problems:
        print(f"{args.file}: INVALID ({len(problems)} problem line(s))", file=sys.stderr)
        return 1
    print(f"{args.file}: valid")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from authority.diff import DiffError, diff_files

    for f in (args.old, args.new):
        if not f.is_file():
            raise UsageError(f"no such file: {f}")
    try:
        res = diff_files(args.old, args.new, args.incremental, profile=_profile(args.profile),
                         date_produced=_date(args.date), with_deletions=args.with_deletions)
    except DiffError as exc:
        print(f"digitize authority diff: {exc}", file=sys.stderr)
        return 1
    for e in res.added:
        print(f"added: {e.label}")
    for e in res.removed:
        print(f"removed: {e.label}")
    for a, b in res.changed:
        fields = [f for f in a._fields if f != "deleted" and getattr(a, f) != getattr(b, f)]
        print(f"changed: {b.label}: {', '.join(fields)}")
    c = res.counts
    print(f"{c['added']} added, {c['removed']} removed, {c['changed']} changed, {c['same']} unchanged"
          + (f"; incremental file: {args.incremental}" if args.incremental else ""))
    if args.incremental and c["removed"] and not args.with_deletions:
        print(f"warning: {c['removed']} removed entries are not in {args.incremental}: ST.37 has no element for a "
              "removal (--with-deletions writes them with update-action=\"delete\")", file=sys.stderr)
    return 0
