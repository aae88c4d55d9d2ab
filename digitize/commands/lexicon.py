"""``digitize lexicon build``: count a patent vocabulary from real patent XML."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

HELP = "build a patent vocabulary (word counts) from patent XML files for the proofreader"
DESCRIPTION = """\
Count the words of patent XML files (ST.36, USPTO, EPO full text: every text node) into a
vocabulary file the proofreader loads beside the general word lists. Name the file in a
profile's [proofread] lexicons list (a path, relative to the profile's folder or absolute).

example:
  digitize lexicon build ../shared/data/patent-xml/US*.xml --out my-vocab.tsv.gz
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    b = sub.add_parser("build", help="count words of XML files into a vocabulary file",
                       description="Count the words of patent XML files (folders are searched for *.xml).")
    b.add_argument("xml", nargs="+", type=Path, metavar="XML", help="XML files or folders")
    b.add_argument("--out", type=Path, required=True, help="vocabulary file to write (.tsv or .tsv.gz)")
    b.add_argument("--min-count", type=int, default=1, help="drop words seen fewer times (default 1)")


def main(args: argparse.Namespace) -> int:
    from ..proofread.lexicon import count_xml_words, write_vocabulary
    from ..xmlsafe import UnsafeXML

    files: list[Path] = []
    for path in args.xml:
        if path.is_dir():
            files += sorted(path.rglob("*.xml"))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not files:
        raise UsageError("no XML files found")
    if not str(args.out).endswith((".tsv", ".tsv.gz")):
        raise UsageError(f"{args.out}: the vocabulary file must end in .tsv or .tsv.gz")
    try:
        counts = count_xml_words(files)
    except (OSError, UnsafeXML) as exc:  # a file that cannot be read, or declares entities
        raise UsageError(str(exc)) from None
    n = write_vocabulary(counts, args.out, min_count=args.min_count, sources=[f.name for f in files])
    print(f"{args.out}: {n} words from {len(files)} file(s), {sum(counts.values())} tokens")
    return 0
