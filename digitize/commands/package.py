"""``digitize package DIR --dest PKG``: the PATENTSCOPE delivery of a job folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..jobfolder import JobFolder

HELP = "pack the done documents of a job folder for PATENTSCOPE (ST.36, ST.96, facsimile PDF, TIFFs, toc.xml)"
DESCRIPTION = """\
Pack one copy of every publication in state 'done' of the job folder DIR into PKG, one folder per
document as in WIPO's ST.36 examples: DOC00001.xml (ST.36), DOC00001.st96.xml (ST.96),
DOC00001.pdf (facsimile: the scanned page images as they are, G4/JPEG not re-encoded, with an
invisible text layer of the final corrected words; PDF/A-2b), the page images (TIFF G4), the
figure images the structure stage cut out (figures/), and a toc.xml listing them; at the top
manifest.xml and manifest.sha256 (SHA-256 of every file) and the batch's ST.37 authority file(s)
from DIR/authority/. PKG ending in .zip writes a zip file. Packaging twice gives the same bytes
(fixed times: SOURCE_DATE_EPOCH or 2000-01-01).

One copy per publication: a publication scanned several times (the ledger names the copies
DOCID_2, DOCID_3) is delivered once, the best copy (state, then mean OCR confidence, then the
newest); the others are listed in manifest.xml as <withheld> with the reason. That is not a
partial delivery.

Held back: a publication whose best copy is not 'done' (needs-review, failed, ...) or could not
be packed is listed (with its state) on stderr and in manifest.xml as <held-back>.

Derived files: the authority file and report.html are rebuilt first when a document changed
after them (e.g. by 'digitize apply').

Exit status: 0 every publication delivered; 1 something held back (0 with --allow-partial) or
nothing to deliver (no package written); 2 usage error."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of a run")
    p.add_argument("--dest", type=Path, metavar="PKG", required=True, help="package folder (or PKG.zip)")
    p.add_argument("--allow-partial", action="store_true",
                   help="exit 0 although documents were held back (they are still listed)")
    p.add_argument("--no-facsimile", action="store_true", help="leave out the facsimile PDFs")


def derived_builders() -> dict:
    """The builders of a job folder's derived files, for ``package.refresh_derived`` (the package
    and authority components may not import each other; the commands pass them in)."""
    from authority.build import build_from_job
    from authority.config import profile_for_office

    from ..report import write_report

    def authority(job_dir: Path, office: str, profile) -> None:
        build_from_job(job_dir, office, profile or profile_for_office(office))

    return {"authority": authority, "report": write_report}


def main(args: argparse.Namespace) -> int:
    from ..package import PackageError, build

    JobFolder(args.dir).require()
    try:
        result = build(args.dir, args.dest, facsimile=not args.no_facsimile, refresh=derived_builders())
    except PackageError as exc:
        if str(exc).startswith("nothing to deliver"):
            print(f"{args.dest}: {exc}; no package written", file=sys.stderr)
            return 1
        raise UsageError(str(exc)) from None
    for what in result.refreshed:
        print(f"  rebuilt {what} (older than the documents)")
    print(f"{result.dest}: {len(result.documents)} document(s), {result.files} file(s)")
    for doc_id, kept, why in result.withheld:
        print(f"warning: withheld {doc_id}: {why}; delivered {kept}", file=sys.stderr)
    for s in result.skipped:
        print(f"  skipped {s}")
    for doc_id, why in result.not_publications:
        print(f"  not delivered: {doc_id} is not a publication ({why})")
    others = [(d, st, why) for d, st, why in result.held_back if not why.startswith("not packed")]
    for doc_id, state, why in others:
        print(f"held back: {doc_id} ({state})" + (f": {why}" if why else ""), file=sys.stderr)
    if result.held_back:
        print(f"{len(result.held_back)} document(s) held back" + ("; --allow-partial: exit 0" if args.allow_partial else ""),
              file=sys.stderr)
        return 0 if args.allow_partial else 1
    return 0
