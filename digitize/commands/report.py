"""``digitize report``: (re)write the HTML report of a job folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

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

    JobFolder(args.dir).require()
    path = write_report(args.dir)
    print(path)
    return 0
