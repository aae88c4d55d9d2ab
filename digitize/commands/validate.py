"""``digitize validate FILE...``: is this ST.36, ST.96 or ST.37 file valid?"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import NotChecked, SchemasMissing, UsageError

HELP = "check ST.36 / ST.96 / ST.37 files against their schemas (exit 1 if any is invalid)"
DESCRIPTION = """\
Check XML files against the WIPO models: ST.36 (any *-patent-document root, checked against the
EP v1.5 DTD with the root renamed), ST.96 (pat:PatentPublication, V6_0 XSD), ST.37 (authority-file,
with the authority checker). Prints 'FILE: valid' or 'FILE: invalid' and the first errors with
their line numbers. Files are read without loading DTDs, resolving entities or using the network.

Exit status: 0 all valid; 1 any invalid, or any not checked (a dtd-version the DTD here is not, a
USPTO DTD: said so, never a pass); 2 usage error; 3 the schemas are not found (said so)."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="XML files (folders: every *.xml in them)")
    p.add_argument("--schemas", type=Path, metavar="DIR",
                   help="schema directory (default: $DIGITIZE_SCHEMAS, else ../shared/standards)")


def _expand(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.rglob("*.xml") if q.is_file())
        else:
            out.append(p)
    return out


def main(args: argparse.Namespace) -> int:
    from authority.check import check_file

    from ..validate import schema_dir, validate_file

    base = schema_dir(args.schemas)
    if args.schemas and not args.schemas.is_dir():
        raise UsageError(f"--schemas {args.schemas}: not a folder")
    invalid, unchecked, missing = 0, 0, []
    files = _expand(args.files)
    if not files:
        raise UsageError("no XML files found")
    for path in files:
        if not path.exists():
            print(f"{path}: invalid\n  file not found")
            invalid += 1
            continue
        report = validate_file(path, base, st37=check_file)
        print("\n".join(report.lines()), flush=True)
        invalid += report.invalid
        unchecked += not report.checked  # a file nobody checked is no pass
        if report.schema_missing:
            missing.append(report.status.removeprefix("not checked: "))
    if missing:
        raise SchemasMissing(f"{len(missing)} file(s) not checked: {missing[0]}")
    if unchecked:
        raise NotChecked(f"{unchecked} file(s) not checked" + (f", {invalid} invalid" if invalid else ""))
    return 1 if invalid else 0
