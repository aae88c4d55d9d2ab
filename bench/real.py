"""Real scans: digitize vs the raw ``tesseract`` CLI, page by page, on scans nobody here made.

Every page is an image file with a ground-truth text. Both tools read the same files:

* digitize as its users run it, ``digitize run FILES --formats '' --workers N`` (ingest,
  preprocessing, OCR, proofreading, structure; no XML), one document per file, timed whole;
* the raw engine, ``tesseract IMAGE OUT -l eng txt`` (default page segmentation,
  ``OMP_THREAD_LIMIT=1``), N processes at a time.

Scores are ``digitize.evaluate``'s order-independent word error (OWE). Printed: every page,
the aggregate ratio, the worst page against raw, blank pages, how often digitize read a page a
second time (the harm guard, from the page JSON), and the whole-command time ratio LAST.

The sets (``--sets``, default every one that is present):

* ``committed``: ``tests/data/real/`` (small pages with a free licence, see its SOURCES.md);
* ``tesseract-test``: ``../shared/data/scans/tesseract-test`` (UNLV/ISRI pages, phototest, eurotext);
* ``ocr-benchmark``: github.com/scribeocr/ocr-benchmark at 818efa7 (court filings, depositions,
  magazines, tables, forms, a slide, a receipt; PNG from scanners, 96-dpi headers, alpha), not
  committed here (no licence for the page images). Put a checkout at
  ``build/real-sets/ocr-benchmark`` (``git clone https://github.com/scribeocr/ocr-benchmark
  build/real-sets/ocr-benchmark``) or pass ``--ocr-benchmark DIR``.

    python bench/real.py [--sets committed,tesseract-test,ocr-benchmark] [--workers N] [--reuse-raw]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

from digitize.evaluate import evaluate, read_truth  # noqa: E402

IMAGE_EXTS = (".png", ".tif", ".tiff", ".jpg", ".jpeg")
SHARED = Path(os.environ.get("DIGITIZE_SHARED_DATA", common.ROOT.parent / "shared" / "data"))


def _pairs_flat(folder: Path) -> list[tuple[Path, Path]]:
    """Images with a truth file of the same stem beside them (``.gt.txt`` or ``.txt``)."""
    out = []
    for img in sorted(folder.iterdir()):
        if img.suffix.lower() not in IMAGE_EXTS:
            continue
        stem = img.name[: -len(img.suffix)]
        for cand in (folder / f"{stem}.gt.txt", folder / f"{stem}.txt"):
            if cand.is_file():
                out.append((img, cand))
                break
    return out


def _pairs_ocr_benchmark(folder: Path) -> list[tuple[Path, Path]]:
    out = []
    for img in sorted((folder / "img").iterdir()):
        stem = img.name[: -len(img.suffix)]
        for cand in (folder / "ground_truth" / f"{stem}.truth.hocr", folder / "ground_truth" / f"{stem}.hocr"):
            if cand.is_file():
                out.append((img, cand))
                break
    return out


def find_sets(names: list[str], ocr_benchmark: Path) -> dict[str, list[tuple[Path, Path]]]:
    found: dict[str, list[tuple[Path, Path]]] = {}
    for name in names:
        if name == "committed":
            folder = common.ROOT / "tests" / "data" / "real"
            pairs = _pairs_flat(folder) if folder.is_dir() else []
        elif name == "tesseract-test":
            folder = SHARED / "scans" / "tesseract-test"
            pairs = _pairs_flat(folder) if folder.is_dir() else []
        elif name == "ocr-benchmark":
            pairs = _pairs_ocr_benchmark(ocr_benchmark) if (ocr_benchmark / "img").is_dir() else []
        else:
            raise SystemExit(f"unknown set {name!r}")
        if pairs:
            found[name] = pairs
        else:
            print(f"  set {name} skipped: not present", flush=True)
    return found


def stage(sets: dict[str, list[tuple[Path, Path]]], work: Path) -> tuple[list[Path], Path]:
    """Links to every page under a unique name ``<set>__<stem>.<ext>`` and its truth as text."""
    pages_dir, truth_dir = common.fresh(work / "pages"), common.fresh(work / "truth")
    pages = []
    for name, pairs in sets.items():
        for img, truth in pairs:
            stem = f"{name}__{img.name[: -len(img.suffix)]}".replace(".", "_")
            target = pages_dir / f"{stem}{img.suffix.lower()}"
            target.symlink_to(img.resolve())
            (truth_dir / f"{stem}.txt").write_text(read_truth(truth), encoding="utf-8")
            pages.append(target)
    return pages, truth_dir


def second_readings(job: Path) -> tuple[int, int, list[str]]:
    """Pages read twice by the harm guard, pages in all, and why (from the page JSON)."""
    twice = total = 0
    notes = []
    for f in sorted(job.glob("documents/*/pages/[0-9][0-9][0-9][0-9].json")):
        total += 1
        data = json.loads(f.read_text(encoding="utf-8"))
        guard = data.get("reading") or {}
        if guard.get("second"):
            twice += 1
            notes.append(f"{f.parent.parent.name}: {guard.get('chosen')} ({guard.get('why')})")
    return twice, total, notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="committed,tesseract-test,ocr-benchmark")
    ap.add_argument("--ocr-benchmark", type=Path, default=common.ROOT / "build" / "real-sets" / "ocr-benchmark")
    ap.add_argument("--workers", type=int, default=common.cores())
    ap.add_argument("--profile", default="generic")
    ap.add_argument("--pages", help="ignored (run_all passes it to every benchmark)")
    ap.add_argument("--work", type=Path, default=common.ROOT / "build" / "bench-work" / "real")
    ap.add_argument("--json", type=Path, help="also write every page's figures to this file")
    ap.add_argument("--reuse-raw", action="store_true",
                    help="reuse the raw CLI outputs of an earlier run in --work (its time is read from there too): "
                         "for before/after runs of the digitize half only")
    args = ap.parse_args(argv)
    sets = find_sets([s for s in args.sets.split(",") if s], args.ocr_benchmark)
    if not sets:
        raise SystemExit("no real set present (see the docstring: tests/data/real, ../shared, ocr-benchmark)")
    if "committed" in sets and "tesseract-test" in sets:  # the committed pages are copies of some of these
        names = {img.name for img, _ in sets["committed"]}
        sets["tesseract-test"] = [p for p in sets["tesseract-test"] if p[0].name not in names]
    pages, truth = stage(sets, args.work)
    print(f"real sets: {', '.join(f'{k} ({len(v)} pages)' for k, v in sets.items())}; "
          f"{args.workers} workers; load average {os.getloadavg()[0]:.1f} (shared machine)", flush=True)

    job = args.work / "digitize"
    r = common.run_digitize(pages, job, args.workers, profile=args.profile, extra=("--formats", ""))
    dig = evaluate(job, truth)
    raw_dir, raw_time = args.work / "tesseract", args.work / "tesseract-seconds.txt"
    if args.reuse_raw and raw_time.is_file() and all((raw_dir / f"{p.name.split('.')[0]}.txt").is_file() for p in pages):
        t_raw = float(raw_time.read_text())
        print(f"raw tesseract outputs reused from {raw_dir} ({t_raw:.1f} s when they were made)", flush=True)
    else:
        t_raw = common.run_tesseract(pages, raw_dir, args.workers)
        raw_time.write_text(f"{t_raw:.3f}\n")
    raw = evaluate(args.work / "tesseract", truth)

    by_raw = {u.name: u for u in raw.units}
    rows = []
    print(f"{'page':<40} {'words':>6} {'digitize':>9} {'raw':>7} {'diff':>7}")
    for u in sorted(dig.units, key=lambda u: u.name):
        v = by_raw.get(u.name)
        if v is None:
            continue
        rows.append((u.name, u.truth_words, u.owe, v.owe, u.blank, v.blank))
        flag = "  BLANK" if u.blank else ""
        print(f"{u.name:<40} {u.truth_words:>6} {u.owe:>9.4f} {v.owe:>7.4f} {u.owe - v.owe:>+7.4f}{flag}")
    for name in dig.unmatched:
        print(f"{name:<40} no digitize output (failed?)")
    d_all, t_all = dig.overall()["owe"], raw.overall()["owe"]
    worst = max(rows, key=lambda x: x[2] - x[3]) if rows else ("-", 0, 0.0, 0.0, False, False)
    twice, total, notes = second_readings(job)
    for n in notes:
        print(f"  second reading: {n}")
    if args.json:
        args.json.write_text(json.dumps({"pages": rows, "digitize": d_all, "tesseract": t_all,
                                         "digitize_seconds": r["seconds"], "tesseract_seconds": t_raw}, indent=1))
    ratio = d_all / t_all if t_all else float("inf") if d_all else 1.0
    blanks = sum(1 for x in rows if x[4])
    print(f"pages {len(rows)}; digitize failed documents {r['failed']}; blank pages digitize {blanks}, "
          f"raw {sum(1 for x in rows if x[5])}; second reading {twice}/{total} pages")
    print(f"accuracy OWE digitize {d_all:.4f} vs raw tesseract {t_all:.4f}: x{ratio:.2f} (target <= 0.90); "
          f"worst page {worst[0]} {worst[2]:.4f} vs {worst[3]:.4f} ({worst[2] - worst[3]:+.4f}, target <= +0.03)")
    print(f"real scans time: digitize {r['seconds']:.1f} s, raw tesseract {t_raw:.1f} s for {len(pages)} pages: "
          f"raw/digitize x{t_raw / r['seconds']:.2f} (target >= 0.90); OWE x{ratio:.2f}, worst {worst[2] - worst[3]:+.4f}, "
          f"blank {blanks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
