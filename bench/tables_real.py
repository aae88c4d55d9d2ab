"""Issue 27: word error on real scanned table pages, digitize against the raw engine, page by page.

    PYTHONPATH=. OMP_THREAD_LIMIT=1 .venv/bin/python bench/tables_real.py [--root DIR] [--json OUT]

The table pages of github.com/scribeocr/ocr-benchmark @818efa7 (``img/table_*`` with their gold
hOCR ``ground_truth/*.truth.hocr``; a tuning source of ``bench/real_sets.toml``), found under
``--root`` (default ``$DIGITIZE_REAL_SETS/ocr-benchmark``, else ``/work/real-sets/ocr-benchmark``).
Each page is read in process as ``digitize run`` reads it (``ingest.iter_pages``, the profile's
preprocessing and engine, ``pipeline.ocr_page`` with its harm guard and the tables step), and its
text is what the page's ``.txt`` holds (``structure.tables.page_text``: tables row by row, cells
tab-separated); the raw engine is ``tesseract IMAGE - -l eng`` (default segmentation). Scores:
``digitize.evaluate``'s order-independent word error (OWE). Printed per page: words, digitize,
raw, tables found (ruling, rows x columns).

``--part sealed`` (issue 27's sealed part; run once, to report, never to tune): the real table pages
of ``bench/table_pages.toml`` (Distributed Proofreaders books, built by
``bench/collect_table_pages.py``) under ``$DIGITIZE_REAL_SETS/tables-real-sealed/<book>/``
(``NAME.png`` + text truth ``NAME.gt.txt``), scored the same way; pages named ``<book>/NAME``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digitize import ingest  # noqa: E402
from digitize.evaluate import read_truth, score  # noqa: E402
from digitize.pipeline import ocr_page  # noqa: E402
from digitize.settings.profile import load
try:
    from digitize.structure.tables import page_text  # noqa: E402
except ImportError:  # a checkout before tables (the baseline): the page's running text
    from digitize.structure.figures import running_text as page_text  # noqa: E402


def default_root() -> Path:
    env = os.environ.get("DIGITIZE_REAL_SETS")
    return Path(env) / "ocr-benchmark" if env else Path("/work/real-sets/ocr-benchmark")


def sealed_pages() -> list[tuple[Path, Path, str]]:
    """(image, text truth, name) of every page of the sealed part (``--part sealed``)."""
    root = Path(os.environ.get("DIGITIZE_REAL_SETS", "/work/real-sets")) / "tables-real-sealed"
    return [(img, img.with_suffix(".gt.txt"), f"{img.parent.name}/{img.stem}") for img in sorted(root.glob("*/*.png"))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=default_root())
    ap.add_argument("--pattern", default="table_*")
    ap.add_argument("--profile", default="generic")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--part", choices=["tuning", "sealed"], default="tuning",
                    help="tuning: the ocr-benchmark pages (--root); sealed: tables-real-sealed (run once, to report)")
    a = ap.parse_args(argv)
    profile = load(a.profile)
    s = profile.preprocess
    rows = []
    pages = ([(img, a.root / "ground_truth" / f"{img.stem}.truth.hocr", img.stem)
              for img in sorted((a.root / "img").glob(a.pattern))] if a.part == "tuning" else sealed_pages())
    for img, truth, name in pages:
        if not truth.is_file():
            continue
        gold = read_truth(truth)
        page = next(ingest.iter_pages(img, max_pixels=s.max_pixels, default_dpi=s.default_dpi))
        result, _ = ocr_page(page, profile)
        ours = score(name, gold, page_text(result))
        raw = subprocess.run(["tesseract", str(img), "-", "-l", "eng"], capture_output=True, text=True,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
        theirs = score(name, gold, raw)
        found = ", ".join(f"{t.ruling} {t.rows}x{t.cols}" for t in getattr(result, "tables", [])) or "-"
        rows.append({"page": name, "words": ours.truth_words, "digitize": round(ours.owe, 4),
                     "raw": round(theirs.owe, 4), "tables": found,
                     "edits": ours.owe_edits, "raw_edits": theirs.owe_edits})
        print(f"{name:<12} {ours.truth_words:>6} {ours.owe:>8.4f} {theirs.owe:>8.4f}  {found}", flush=True)
    words = sum(r["words"] for r in rows) or 1
    d = sum(r["edits"] for r in rows) / words
    t = sum(r["raw_edits"] for r in rows) / words
    worse = [r["page"] for r in rows if r["digitize"] > r["raw"]]
    print(f"table pages {len(rows)}: OWE digitize {d:.4f} vs raw {t:.4f} (x{d / t if t else 0:.2f}); "
          f"pages worse than raw: {', '.join(worse) or 'none'}")
    if a.json:
        a.json.write_text(json.dumps({"pages": rows, "digitize": d, "raw": t}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
