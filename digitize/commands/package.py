"""``digitize package DIR --dest PKG``: the PATENTSCOPE delivery of a job folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

HELP = "pack the done documents of a job folder for PATENTSCOPE (ST.36, ST.96, G4 TIFFs, toc.xml, manifest)"
DESCRIPTION = """\
Pack every document in state 'done' of the job folder DIR into PKG, one folder per document as in
WIPO's ST.36 examples: DOC00001.xml (ST.36), DOC00001.st96.xml (ST.96), the page and figure images
as TIFF G4 and a toc.xml; at the top manifest.xml and manifest.sha256 (SHA-256 of every file) and
the batch's ST.37 authority file(s) from DIR/authority/. PKG ending in .zip writes a zip file.
Packaging twice gives the same bytes (fixed times: SOURCE_DATE_EPOCH or 2000-01-01).

Exit status: 0 all done documents packed, 1 some were skipped (listed), 2 usage error."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of a run")
    p.add_argument("--dest", type=Path, metavar="PKG", required=True, help="package folder (or PKG.zip)")


def main(args: argparse.Namespace) -> int:
    from ..package import PackageError, build

    try:
        result = build(args.dir, args.dest)
    except PackageError as exc:
        raise UsageError(str(exc)) from None
    print(f"{result.dest}: {len(result.documents)} document(s), {result.files} file(s)")
    for s in result.skipped:
        print(f"  skipped {s}")
    return 1 if result.skipped else 0
