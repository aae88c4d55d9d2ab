"""Where a page's time goes in digitize, beside the raw ``tesseract`` CLI on the same image.

For each page (an image file; a page of ``bench/real.py``'s staged ``pages/`` folder), in one warm
process, the steps of ``pipeline.recognise.ocr_timed`` timed one by one (wall seconds, one
OpenMP thread): decoding (``api.read_pages``), preprocessing (with OSD), the page's marks
(``analyse_marks``), the first reading, and the harm guard split into its parts: the page's
letter marks (``readings.text_marks``), the candidates' preparations, their band readings and
their whole readings; then the page record's evidence (lexicon), the tables, and the finish stage
(proofreading, structure, page texts; no XML) with the correction queue's items (``queue``:
``proofread.queue_candidates``, suggestions ranked from the lexicon) apart. The raw CLI
(``tesseract IMAGE OUT -l LANG txt``, a process per page, as ``real.py`` runs it) is timed on the
same file. Totals per step last, and the ratio raw/digitize of the page path (the whole command
adds start-up and the batch layer).

    python bench/page_cost.py PAGES_DIR --sample 8 [--sets a,b] [--json out.json]
    python bench/page_cost.py IMAGE...

Pages whose name starts with a Spanish source of ``bench/real_sets.toml`` are read with its
profile (``es``) and ``-l spa``, the rest with ``generic`` and ``-l eng``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import real  # noqa: E402

from digitize import api, readings  # noqa: E402
from digitize import preprocess as pre  # noqa: E402
from digitize.ocr import get_engine  # noqa: E402

STEPS = ("decode", "prep", "marks", "first", "g_marks", "g_prep", "g_band", "g_whole", "evidence", "tables",
         "finish", "queue", "raw")


class TimedEngine:
    """The worker's engine, its whole-page recognitions timed (band readings are timed around
    ``readings.band_reading``, which calls this too: those calls are left out here)."""

    def __init__(self, engine, acc: dict):
        self._e, self._acc = engine, acc

    def recognize(self, prepared, number):
        t = time.perf_counter()
        out = self._e.recognize(prepared, number)
        if not self._acc["_in_band"]:
            self._acc["g_whole"] += time.perf_counter() - t
            self._acc["n_whole"] += 1
        return out

    def __getattr__(self, name):
        return getattr(self._e, name)


def cost(img: Path, profile, lang: str) -> dict:
    from digitize.pipeline.document import finish
    from digitize.structure.figures import analyse_marks
    from digitize.table_ocr import read_tables
    from digitize.pipeline.recognise import _lexicon

    acc: dict = defaultdict(float)
    engine = get_engine(profile.engine)
    detector = engine.detect_orientation if profile.preprocess.orientation else None
    t = time.perf_counter()
    (page,) = list(api.read_pages(img, profile))[:1]
    acc["decode"] = time.perf_counter() - t
    t = time.perf_counter()
    basis = pre.page_basis(page, profile.preprocess)
    prepared = pre.preprocess(page, profile.preprocess, detect_orientation=detector, basis=basis)
    acc["prep"] = time.perf_counter() - t
    t = time.perf_counter()
    analyse_marks(prepared.image, prepared.dpi)
    acc["marks"] = time.perf_counter() - t
    first = "plain" if "plain" in prepared.steps else "full"
    t = time.perf_counter()
    result = engine.recognize(prepared, page.number)
    acc["first"] = time.perf_counter() - t
    out = {"page": img.name, "steps": prepared.steps, "dpi": prepared.engine_dpi or prepared.dpi,
           "size": list(prepared.image.shape[:2]), "source_size": list(page.image.shape[:2]),
           "mean_conf": readings.mean_conf(result.words())}
    if readings.wants_check(result, prepared):
        t = time.perf_counter()
        readings.text_marks(page.image)
        acc["g_marks"] = time.perf_counter() - t
        real_prep = pre.preprocess

        def timed_prep(*a, **k):
            t1 = time.perf_counter()
            try:
                return real_prep(*a, **k)
            finally:
                acc["g_prep"] += time.perf_counter() - t1

        real_band = readings.band_reading

        def timed_band(*a, **k):
            t1 = time.perf_counter()
            acc["_in_band"] = 1
            try:
                return real_band(*a, **k)
            finally:
                acc["_in_band"] = 0
                acc["g_band"] += time.perf_counter() - t1
                acc["n_band"] += 1

        pre.preprocess, readings.band_reading = timed_prep, timed_band
        try:
            timed = TimedEngine(engine, acc)
            t = time.perf_counter()
            result, prepared, record, _ = readings.choose(timed, page, prepared, result, first,
                                                          profile.preprocess, detector, basis)
            total = time.perf_counter() - t
        finally:
            pre.preprocess, readings.band_reading = real_prep, real_band
        acc["g_marks"] += max(0.0, total - acc["g_prep"] - acc["g_band"] - acc["g_whole"])  # the marks again, inside
        out["chosen"] = record["chosen"]
        out["checked"] = [(c["label"], "whole" if "whole" in c else "band") for c in record["checked"]]
    t = time.perf_counter()
    result.reading = {"evidence": readings.evidence(result, _lexicon(profile))}
    result.kind = "text"
    acc["evidence"] = time.perf_counter() - t
    t = time.perf_counter()
    read_tables(engine, prepared, result)
    acc["tables"] = time.perf_counter() - t
    import digitize.proofread as proofread

    t = time.perf_counter()
    with common.timed_calls(proofread, "queue_candidates", acc, "queue"):
        finish([result], profile, None, source=img.name, doc_id=img.stem)
    acc["finish"] = time.perf_counter() - t - acc["queue"]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["tesseract", str(img), str(Path(tmp) / "o"), "-l", lang, "txt"]
        t = time.perf_counter()
        subprocess.run(cmd, env=common.ENV, capture_output=True, check=True)
        acc["raw"] = time.perf_counter() - t
    out.update({k: round(v, 3) for k, v in acc.items() if not k.startswith("_")})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", type=Path, help="page images, or a folder of them (real.py's pages/)")
    ap.add_argument("--sample", type=int, default=0, help="from a folder: every k-th page of each source, k chosen "
                                                           "to give about this many a source")
    ap.add_argument("--sets", default="", help="from a folder: only these sources")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    spanish = {e["name"] for e in real.load_sources() if e.get("lang") == "spa"}
    images: list[Path] = []
    for p in args.inputs:
        if p.is_dir():
            by: dict[str, list[Path]] = defaultdict(list)
            for f in sorted(p.iterdir()):
                if f.suffix.lower() in real.IMAGE_EXTS:
                    by[f.name.split("__")[0]].append(f)
            want = {s for s in args.sets.split(",") if s}
            for src, files in by.items():
                if want and src not in want:
                    continue
                step = max(1, len(files) // args.sample) if args.sample else 1
                images += files[::step][: args.sample or None]
        else:
            images.append(p)
    profiles = {n: api.load_profile(n) for n in ("generic", "es")}
    rows = []
    for img in images:
        src = img.name.split("__")[0]
        es = src in spanish
        row = cost(img, profiles["es" if es else "generic"], "spa" if es else "eng")
        row["source"] = src
        rows.append(row)
        dig = sum(row.get(k, 0) for k in STEPS if k != "raw")
        print(f"{img.name[:50]:<50} " + " ".join(f"{k}={row.get(k, 0):.2f}" for k in STEPS)
              + f" digitize={dig:.2f} {row.get('chosen', '-')} {row['steps']}", flush=True)
    print("\ntotal seconds per step (all pages):")
    for src in sorted({r["source"] for r in rows}) + ["ALL"]:
        mine = [r for r in rows if src in ("ALL", r["source"])]
        tot = {k: sum(r.get(k, 0) for r in mine) for k in STEPS}
        dig = sum(v for k, v in tot.items() if k != "raw")
        print(f"{src:<28} pages {len(mine):>3} checked {sum(1 for r in mine if 'chosen' in r):>3} "
              + " ".join(f"{k} {v:.1f}" for k, v in tot.items())
              + f" | digitize {dig:.1f}, raw/digitize x{tot['raw'] / dig:.2f}, raw/first-reading x{tot['raw'] / max(1e-9, tot['first']):.2f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
