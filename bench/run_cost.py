"""Where the whole ``digitize run`` spends its CPU on real pages, stage by stage, beside the raw CLI.

``page_cost.py`` times a page's steps in a warm process by the wall clock; this runs the command
itself (``digitize run PAGES --formats '' --workers 1 --pool threads``: ingest, preprocessing, the
first reading, the harm guard, tables, page files, the finish, the batch layer and start-up) in
this process, and counts **CPU seconds of the thread that ran each step** (``time.thread_time``,
inclusive), which the load of a shared machine changes far less than wall seconds. Then the raw
``tesseract IMAGE OUT -l LANG txt`` on the same files, one process after another, its CPU from
the children's resource usage. Printed: seconds per step, the process's CPU and wall, the raw
CLI's CPU, and the CPU ratio raw/digitize last (at two cores and two workers the whole command's
wall ratio at idle is about this ratio).

Steps (nested: a step's seconds include those listed under it):

    ocr_range            the OCR task: decoding, ocr_timed, save_page
      ocr_timed          a page's path: page_basis, preprocess, marks, the first reading, the guard, tables
        recognize        the engine's first reading (recognize@guard: whole readings of the guard's candidates)
        choose           the harm guard: candidates' preparations (preprocess@guard, with OSD), their band
                         readings (band_reading), whole readings, the letter marks (text_marks)
        read_tables      tables: rule masks, skew, find_tables, cells read (recognize_region)
    finish_document      the finish: auto_correct (queue_candidates within), structure, page files

    python bench/run_cost.py PAGES_DIR [--sample N] [--sets a,b] [--json out.json] [--no-raw]
    python bench/run_cost.py IMAGE...

Pages whose name starts with a Spanish source of ``bench/real_sets.toml`` are left out (one run,
the ``generic`` profile, ``-l eng``); a real.py ``pages/`` folder of a seen part is the input.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import real  # noqa: E402

# (module, attribute, key, context): a step timed where the pipeline looks it up; a context names
# the engine calls and preparations made inside it (recognize@guard, preprocess@guard, ...)
STEPS = (
    ("digitize.pipeline", "ocr_range", None, None),
    ("digitize.pipeline", "finish_document", None, None),
    ("digitize.pipeline", "ocr_timed", None, None),
    ("digitize.pipeline", "save_page", None, None),
    ("digitize.pipeline", "load_pages", None, None),
    ("digitize.pipeline", "write_texts", None, None),
    ("digitize.pipeline", "write_outputs", None, None),
    ("digitize.pipeline", "crop_figures", None, None),
    ("digitize.pipeline", "crop_tables", None, None),
    ("digitize.preprocess", "page_basis", None, None),
    ("digitize.preprocess", "preprocess", None, None),
    ("digitize.pipeline.recognise", "analyse_marks", None, None),
    ("digitize.pipeline.recognise", "analyse_figures", None, None),
    ("digitize.pipeline.recognise", "read_tables", None, "tables"),
    ("digitize.readings", "choose", None, "guard"),
    ("digitize.readings", "band_reading", None, "band"),
    ("digitize.readings", "text_marks", None, None),
    ("digitize.readings", "evidence", None, None),
    ("digitize.ocr", "Engine.recognize", "recognize", None),
    ("digitize.ocr", "Engine.detect_orientation", "detect_orientation", None),
    ("digitize.ocr", "Engine.recognize_region", "recognize_region", None),
    ("digitize.pipeline.document", "auto_correct", None, None),
    ("digitize.proofread", "queue_candidates", None, None),
    ("digitize.pipeline.document", "document_with_pages", None, None),
)
PER_CONTEXT = ("recognize", "preprocess", "detect_orientation")  # split by the step they are called in


class StageClock:
    """Inclusive CPU seconds (of the calling thread) and calls per step, while installed."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._local = threading.local()
        self._undo: list[tuple[object, str, object]] = []

    def install(self) -> None:
        import importlib

        for module, attr, key, ctx in STEPS:
            owner = importlib.import_module(module)
            name = attr
            if "." in attr:
                cls, name = attr.split(".")
                owner = getattr(owner, cls)
            real_fn = getattr(owner, name)
            self._undo.append((owner, name, real_fn))
            setattr(owner, name, self._timed(real_fn, key or name, ctx))

    def uninstall(self) -> None:
        for owner, name, real_fn in reversed(self._undo):
            setattr(owner, name, real_fn)
        self._undo.clear()

    def _timed(self, fn, key: str, ctx: str | None):
        local = self._local

        def timed(*a, **k):
            outer = getattr(local, "ctx", None)
            if ctx is not None:
                local.ctx = ctx
            t = time.thread_time()
            try:
                return fn(*a, **k)
            finally:
                spent = time.thread_time() - t
                local.ctx = outer
                name = f"{key}@{outer}" if key in PER_CONTEXT and outer else key
                self.seconds[name] += spent
                self.calls[name] += 1

        return timed


def pick(inputs: list[Path], sample: int, sets: set[str]) -> list[Path]:
    spanish = {e["name"] for e in real.load_sources() if e.get("lang") == "spa"}
    images: list[Path] = []
    for p in inputs:
        if not p.is_dir():
            images.append(p)
            continue
        by: dict[str, list[Path]] = defaultdict(list)
        for f in sorted(p.iterdir()):
            if f.suffix.lower() in real.IMAGE_EXTS:
                by[f.name.split("__")[0]].append(f)
        for src, files in by.items():
            if src in spanish or (sets and src not in sets):
                continue
            step = max(1, len(files) // sample) if sample else 1
            images += files[::step][: sample or None]
    return images


def raw_cpu(images: list[Path]) -> tuple[float, float]:
    """CPU and wall seconds of the raw CLI on every image, one process after another."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for img in images:
            subprocess.run(["tesseract", str(img), str(Path(tmp) / "o"), "-l", "eng", "txt"], env=common.ENV,
                           capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", type=Path, help="page images, or a folder of them (real.py's pages/)")
    ap.add_argument("--sample", type=int, default=0, help="from a folder: about this many pages a source")
    ap.add_argument("--sets", default="", help="from a folder: only these sources")
    ap.add_argument("--work", type=Path, help="the job folder (default: a temporary one, removed)")
    ap.add_argument("--no-raw", action="store_true", help="do not run the raw CLI")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--raw-first", action="store_true",
                    help="the profile's [preprocess] raw_first on: the page as it came read first")
    args = ap.parse_args(argv)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if args.raw_first:  # every profile the run loads, with [preprocess] raw_first on
        import dataclasses

        from digitize.settings import profile as profiles

        own = profiles.load

        def load(name):
            p = own(name)
            return dataclasses.replace(p, preprocess=dataclasses.replace(p.preprocess, raw_first=True))
        profiles.load = load
    images = pick(args.inputs, args.sample, {s for s in args.sets.split(",") if s})
    if not images:
        raise SystemExit("no page images")
    clock = StageClock()
    from digitize import cli

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp) / "job"
        if work.exists():
            raise SystemExit(f"{work} exists: a job folder resumes, so the run would not be timed")
        staged = Path(tmp) / "pages"
        staged.mkdir()
        for img in images:  # one folder of links: the run's inputs are these pages only
            (staged / img.name).symlink_to(img.resolve())
        clock.install()
        t, c = time.perf_counter(), time.process_time()
        try:
            cli.main(["run", str(staged), "--out", str(work), "--workers", "1", "--pool", "threads",
                      "--progress", "none", "--no-authority", "--no-report", "--formats", ""])
        except SystemExit:
            pass
        finally:
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            clock.uninstall()
    raw, raw_wall = (0.0, 0.0) if args.no_raw else raw_cpu(images)
    print(f"\n{len(images)} pages; load average {os.getloadavg()[0]:.1f}")
    print(f"{'step':<28} {'CPU s':>8} {'calls':>6} {'s/page':>7}")
    for k in sorted(clock.seconds, key=lambda k: -clock.seconds[k]):
        print(f"{k:<28} {clock.seconds[k]:>8.2f} {clock.calls[k]:>6} {clock.seconds[k] / len(images):>7.3f}")
    print(f"{'digitize process':<28} {cpu:>8.2f} {'':>6} {cpu / len(images):>7.3f}  (wall {wall:.1f} s)")
    if raw:
        print(f"{'raw CLI':<28} {raw:>8.2f} {'':>6} {raw / len(images):>7.3f}  (wall {raw_wall:.1f} s)")
        print(f"CPU raw/digitize x{raw / cpu:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"pages": [str(p) for p in images], "cpu": cpu, "wall": wall, "raw_cpu": raw,
                                         "steps": dict(clock.seconds), "calls": dict(clock.calls)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
