"""CPU per page of the page path before recognition (ingest, preprocess, page analysis, the stored
image), per step, and a manifest of everything it decides, to prove a change leaves it alone.

    python bench/prep_cost.py INPUT... [--manifest OUT.json] [--repeat 2] [--profile generic] [--ocr]
    python bench/prep_cost.py --compare A.json B.json

Each INPUT is a file or folder (``ingest.discover``); every page goes through what
``pipeline.ocr_timed`` does before the engine: ``ingest.iter_pages`` (decoding), ``preprocess``
(mode ``auto``, with the engine's OSD as orientation detector), ``analyse_marks``, ``labels_only``
on a drawing sheet, and what ``save_page`` stores (``bilevel`` + the CCITT G4 encoding). Also,
outside the timed path, the page prepared the other way (``plain`` / ``full``, what the harm
guard's second reading gets) and its ``analyse`` result, so both modes' outputs are checked.
CPU is ``time.process_time`` (user+sys of the process, one OpenCV thread as on a worker), the
best of ``--repeat`` passes; per-step figures come from wrappers around the modules' functions
and are inclusive (``decide_scale`` contains ``estimate_xheight``).

The manifest holds per page the SHA-256 of the prepared image (bytes, shape), of the stored G4
file and of ``labels_only``'s image, and the decisions (dpi, rotation, skew, ink ratio, steps,
resolution, kind, regions, mark counts). ``--ocr`` runs ``pipeline.ocr_timed`` as well (the
engine; slow) and adds the hash of the page JSON with its ``reading``. Two manifests from two
checkouts (``PYTHONPATH=OLD`` / ``PYTHONPATH=NEW``) compared with ``--compare`` list every page
that differs and how.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

PRE_STEPS = ("page_kind", "decide_scale", "estimate_xheight", "noise_level", "smooth_bilevel", "rescale",
             "normalize_background", "analyse_lines", "_ink_points", "_smear_ratio", "rotate90", "rotate",
             "threshold_smoothed", "binarize", "clean", "ink_ratio", "keep_grey_ink", "page_analysis")
FIG_STEPS = ("components", "_classify", "_regions", "text_runs")


def _modules(package) -> list:
    """The package and the modules under it: a step is called through the name in the module that
    defines it and through the names other modules import."""
    import importlib
    import pkgutil

    found = [package]
    for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
        found.append(importlib.import_module(f"{package.__name__}.{info.name}"))
    return found


def _wrap(package, names, totals: dict[str, float], prefix: str = "") -> None:
    modules = _modules(package)
    for name in names:
        fn = next((getattr(m, name) for m in modules if callable(getattr(m, name, None))), None)
        if fn is None or getattr(fn, "_timed", False):
            continue

        def wrapped(*a, __fn=fn, __name=prefix + name, **k):
            t = time.process_time()
            try:
                return __fn(*a, **k)
            finally:
                totals[__name] = totals.get(__name, 0.0) + time.process_time() - t

        wrapped._timed = True
        for m in modules:
            if getattr(m, name, None) is fn:
                setattr(m, name, wrapped)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def _image_hash(a) -> str:
    import numpy as np

    a = np.ascontiguousarray(a)
    return f"{a.shape[1]}x{a.shape[0]}:{_sha(a.tobytes())}"


def _g4(prepared) -> bytes:
    from PIL import Image

    from digitize.preprocess import bilevel

    image = Image.fromarray(bilevel(prepared.image, prepared.ink_level)).convert("1", dither=Image.Dither.NONE)
    buf = io.BytesIO()
    image.save(buf, format="TIFF", compression="group4", dpi=(prepared.dpi, prepared.dpi), strip_size=1 << 30)
    return buf.getvalue()


def _prepared_record(p) -> dict:
    return {"image": _image_hash(p.image), "dpi": p.dpi, "rotation": p.rotation, "skew": p.skew,
            "ink_ratio": round(p.ink_ratio, 9), "ink_level": p.ink_level, "engine_dpi": p.engine_dpi,
            "steps": list(p.steps), "resolution": p.resolution}


def _marks_record(m) -> dict:
    return {"kind": m.kind, "regions": [list(map(int, r)) for r in m.regions], "marks": m.marks, "words": m.words,
            "letter_sized": m.letter_sized, "sheet": m.sheet, "empty": m.empty}


def run(inputs: list[Path], profile_name: str, repeat: int, ocr: bool, limit: int | None) -> dict:
    import cv2

    from digitize import ingest, pipeline
    from digitize import preprocess as pre
    from digitize.ocr import get_engine
    from digitize.settings.profile import load as load_profile
    from digitize.structure import figures

    cv2.setNumThreads(1)
    profile = load_profile(profile_name)
    settings = profile.preprocess
    engine = get_engine(profile.engine)
    totals: dict[str, float] = {}
    _wrap(pre, PRE_STEPS, totals)
    _wrap(figures, FIG_STEPS, totals)

    def osd(image):
        t = time.process_time()
        try:
            return engine.detect_orientation(image)
        finally:
            totals["osd"] = totals.get("osd", 0.0) + time.process_time() - t

    detector = osd if settings.orientation else None
    docs = ingest.discover(inputs)
    if limit:
        docs = docs[:limit]
    pages: dict[str, dict] = {}
    for doc in docs:
        for rep in range(repeat):
            it = ingest.iter_pages(doc, max_pixels=settings.max_pixels, default_dpi=settings.default_dpi)
            while True:
                totals.clear()
                t0 = time.process_time()
                try:
                    page = next(it)
                except StopIteration:
                    break
                t1 = time.process_time()
                prepared = pre.preprocess(page, settings, detect_orientation=detector)
                t2 = time.process_time()
                marks = figures.analyse_marks(prepared.image, prepared.dpi)
                t3 = time.process_time()
                labels = figures.labels_only(prepared.image, prepared.dpi) if marks.sheet else None
                t4 = time.process_time()
                g4 = _g4(prepared)
                t5 = time.process_time()
                cpu = {"ingest": t1 - t0, "preprocess": t2 - t1, "analyse_marks": t3 - t2, "labels_only": t4 - t3,
                       "store": t5 - t4, "total": t5 - t0}
                cpu.update(totals)
                key = f"{doc}#{page.number}"
                rec = pages.get(key)
                if rec is None:
                    first = "plain" if "plain" in prepared.steps else "full"
                    other = pre.preprocess(page, settings, detect_orientation=detector,
                                           mode="full" if first == "plain" else "plain")
                    kind, regions = figures.analyse(other.image, other.dpi)
                    rec = pages[key] = {
                        "page": {"dpi": page.dpi, "dpi_known": page.dpi_known, "header_dpi": page.header_dpi,
                                 "image": _image_hash(page.image)},
                        "prepared": _prepared_record(prepared), "marks": _marks_record(marks),
                        "labels_only": _image_hash(labels) if labels is not None else None, "stored": _sha(g4),
                        "other": dict(_prepared_record(other), kind=kind, regions=[list(map(int, r)) for r in regions]),
                        "cpu": cpu}
                    if ocr:
                        result, final, _ = pipeline.ocr_timed(page, profile)
                        rec["ocr"] = {"json": _sha(result.to_json(compact=True).encode()), "reading": result.reading,
                                      "kind": result.kind, "figures": [list(map(int, r)) for r in result.figures],
                                      "final_image": _image_hash(final.image)}
                elif cpu["total"] < rec["cpu"]["total"]:
                    rec["cpu"] = cpu
                del page, prepared
    return pages


def summary(pages: dict[str, dict], label: str) -> None:
    import collections

    n = len(pages)
    if not n:
        return
    sums: dict[str, float] = collections.defaultdict(float)
    for rec in pages.values():
        for k, v in rec["cpu"].items():
            sums[k] += v
    main = ("total", "ingest", "preprocess", "analyse_marks", "labels_only", "store")
    print(f"{label}: {n} pages, CPU s/page: " + " ".join(f"{k}={sums[k] / n:.4f}" for k in main if k in sums))
    rest = sorted((k for k in sums if k not in main), key=lambda k: -sums[k])
    print("   steps (inclusive): " + " ".join(f"{k}={sums[k] / n:.4f}" for k in rest))


def compare(a: Path, b: Path) -> int:
    ma, mb = json.loads(a.read_text()), json.loads(b.read_text())
    bad = 0
    for key in sorted(set(ma) | set(mb)):
        ra, rb = ma.get(key), mb.get(key)
        if ra is None or rb is None:
            print(f"MISSING {key} in {'A' if ra is None else 'B'}")
            bad += 1
            continue
        diffs = []
        for part in sorted((set(ra) | set(rb)) - {"cpu"}):
            pa, pb = ra.get(part), rb.get(part)
            if pa == pb:
                continue
            if isinstance(pa, dict) and isinstance(pb, dict):
                for f in sorted(set(pa) | set(pb)):
                    if pa.get(f) != pb.get(f):
                        diffs.append(f"{part}.{f}: {pa.get(f)!r} -> {pb.get(f)!r}")
            else:
                diffs.append(f"{part}: {pa!r} -> {pb!r}")
        if diffs:
            bad += 1
            print(f"DIFFERENT {key}")
            for d in diffs:
                print(f"    {d}")
    ca = sum(r["cpu"]["total"] for r in ma.values()) / max(1, len(ma))
    cb = sum(r["cpu"]["total"] for r in mb.values()) / max(1, len(mb))
    print(f"{len(set(ma) | set(mb))} pages compared; CPU s/page before the engine {ca:.4f} -> {cb:.4f}")
    return common.compare_verdict(bad, "pages")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="*", type=Path)
    ap.add_argument("--profile", default="generic")
    ap.add_argument("--repeat", type=int, default=2, help="passes per document; the cheapest per page is kept")
    ap.add_argument("--ocr", action="store_true", help="also run the engine (pipeline.ocr_timed): the page JSON")
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument("--manifest", type=Path)
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if not args.inputs:
        ap.error("no inputs")
    pages = run(args.inputs, args.profile, args.repeat, args.ocr, args.limit)
    summary(pages, " ".join(str(p) for p in args.inputs))
    if args.manifest:
        args.manifest.write_text(json.dumps(pages, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
