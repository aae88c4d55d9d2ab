"""``digitize report``: (re)write the HTML report of a job folder."""

from __future__ import annotations

import argparse
from pathlib import Path


HELP = "write DIR/report.html: states, failures, pages/min, confidence, corrections, links"
DESCRIPTION = """\
Write DIR/report.html for a job folder: documents per state, failures with their reasons,
pages per minute over the run, a histogram of OCR confidence, words corrected automatically and
queued for review, and links to every document's text and XML. The page is self-contained (no
network access needed to view it). 'digitize run' writes it at the end of a job; run this to
refresh it, for example after review.

example:
  digitize report out/
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of a run")


def main(args: argparse.Namespace) -> int:
    from ..jobfolder import JobFolder
    from ..report import write_report

    from ..errors import StoreError
    from ..fsutil import one_line

    JobFolder(args.dir).require()
    try:
        path = write_report(args.dir)
    except OSError as exc:  # a read-only or full file system
        raise StoreError(f"{one_line(str(args.dir / 'report.html'))}: not written ({exc.strerror or exc})") from None
    print(path)
    return 0
