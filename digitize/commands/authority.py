"""``digitize authority build|check|diff``: ST.37 authority files."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..errors import UsageError

HELP = "build, check and compare ST.37 authority files"
DESCRIPTION = """\
ST.37 authority files: the list of every publication number an office assigned.

  digitize authority build SOURCE... --office CC --out FILE [--format xml|csv] [--register CSV]
      SOURCE: a digitize job folder (ledger.sqlite + documents/), a patent XML file or a folder
      of them (ST.36, EPO, USPTO, ST.96, EPO full text), or an existing authority file.
  digitize authority check FILE [--dtd PATH]
      the ST.37 rules; exit 1 with the offending entries, each line naming the rule.
  digitize authority diff OLD NEW [--incremental OUT]
      added, removed and changed entries; OUT turns OLD into NEW.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="authority_command", metavar="ACTION")
    b = sub.add_parser("build", help="build an authority file from job folders and XML collections",
                       description="Build an ST.37 authority file. Problems are listed one per line; the rest goes on.")
    b.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    b.add_argument("--office", required=True, help="ST.3 code of the office, e.g. PH")
    b.add_argument("--out", required=True, type=Path, metavar="FILE")
    b.add_argument("--format", choices=("xml", "csv"), help="default: from the --out suffix (.csv -> csv), else xml")
    b.add_argument("--register", type=Path, metavar="CSV",
                   help="register of assigned numbers: numbers without a document get exception entries")
    b.add_argument("--profile", metavar="NAME", help="profile with the kind/exception code descriptions "
                   "(default: the office's profile, else generic)")
    b.add_argument("--date", metavar="YYYYMMDD", help="date-produced (default: the most recent publication date)")
    b.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    c = sub.add_parser("check", help="check an authority file against the ST.37 rules")
    c.add_argument("file", type=Path, metavar="FILE")
    c.add_argument("--dtd", type=Path, metavar="PATH", help="official ST37AuthorityFile DTD (or XSD) to validate against too")
    c.add_argument("--profile", metavar="NAME", help="profile for CSV files' code descriptions and its [authority] schema")
    d = sub.add_parser("diff", help="compare two authority files; write an incremental update")
    d.add_argument("old", type=Path, metavar="OLD")
    d.add_argument("new", type=Path, metavar="NEW")
    d.add_argument("--incremental", type=Path, metavar="OUT", help="write the incremental file that turns OLD into NEW")
    d.add_argument("--profile", metavar="NAME", help="profile for code descriptions missing from both files")
    d.add_argument("--date", metavar="YYYYMMDD", help="date-produced of the incremental file")
    p.set_defaults(_parser=p)


def _profile(name: str | None, office: str | None = None):
    from digitize.profiles import ProfileError

    from authority.config import profile_for_office

    try:
        if name:
            return profile_for_office(office or "XX", name)
        return profile_for_office(office) if office else None
    except ProfileError as exc:
        raise UsageError(str(exc)) from None


def _date(value: str | None) -> str | None:
    from authority.model import norm_date

    if value is None:
        return None
    d = norm_date(value)
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
    if args.dtd is not None and not args.dtd.is_file():
        raise UsageError(f"no such DTD/XSD: {args.dtd}")
    problems = check_file(args.file, dtd=args.dtd, profile=_profile(args.profile))
    for line in problems:
        print(line)
    if problems:
        print(f"{args.file}: INVALID ({len(problems)} problem line(s))", file=sys.stderr)
        return 1
    print(f"{args.file}: valid")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from authority.diff import diff_files

    for f in (args.old, args.new):
        if not f.is_file():
            raise UsageError(f"no such file: {f}")
    try:
        res = diff_files(args.old, args.new, args.incremental, profile=_profile(args.profile),
                         date_produced=_date(args.date))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
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
    return 0
