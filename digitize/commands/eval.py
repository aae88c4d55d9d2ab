"""``digitize eval``: how far the OCR output of a job is from ground truth."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import UsageError

HELP = "measure CER, WER and order-independent word error of OCR output against ground truth"
DESCRIPTION = """\
Compare the text of a job folder (or a folder of .txt files) with ground truth and print, per page
or document and overall: CER, WER and OWE, the order-independent word error (fewest word edits
between the two bags of words, over truth words; fair on two-column pages), and blank pages (truth
has words, output has none). Text is compared after NFKC and whitespace normalisation.

Truth files are named after what they describe:
  <DOCID>.txt or <input stem>.txt          a whole document
  <stem>-NNNN.txt or <stem>_pNNNN.txt      page NNNN of a document (also .gt.txt)
  .hocr/.html (hOCR), .xml (ALTO or PAGE)  the same names, other formats

examples:
  digitize eval out/ --truth truth/
  digitize eval out/ --truth truth/ --json > scores.json
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="job folder, document folder or folder of .txt files")
    p.add_argument("--truth", type=Path, required=True, metavar="TRUTH", help="folder of ground-truth files")
    p.add_argument("--json", action="store_true", help="print the scores as one JSON object")


def main(args: argparse.Namespace) -> int:
    from ..evaluate import EvalError, evaluate, format_table

    try:
        report = evaluate(args.dir, args.truth)
    except EvalError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(format_table(report))
    return 0
