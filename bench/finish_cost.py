"""The finish stage's CPU per document, per step, and the hashes of everything it writes.

    python bench/finish_cost.py DOCDIR... [--manifest OUT.json] [--repeat 3] [--reviewed]

Each DOCDIR is a document work folder of an earlier run (``pages/NNNN.json`` + ``.tif``); it is
copied to a scratch folder, reduced to what the OCR leaves (``pages/NNNN.json`` and ``.tif``;
``--refinish`` keeps the earlier outputs, as ``digitize apply`` finds them), and
``pipeline.finish_document`` runs on the copy: once to warm the
process (lexicon, XSD), then ``--repeat`` times measured (process CPU seconds, best run; per-step
CPU from wrappers around the pipeline's steps, ``STEPS``: each wrapped where it is called). ``--reviewed`` also passes reviewer decisions
(an override, a deleted word, an illegible word, a corrected line, picked from the pages
deterministically) so the review paths are exercised too.

``--manifest`` writes the SHA-256 of every file the finish left in each copy; two manifests
from two checkouts (``PYTHONPATH=OLD`` / ``PYTHONPATH=NEW``) compared with ``--compare A B``
prove the outputs byte-identical. This is how issue 16's finish-stage work was checked.

    python bench/finish_cost.py --tree OUT --manifest M.json

hashes every file a whole run (``digitize run``, ``bench/throughput.py``) left under ``OUT``
instead, leaving out what differs from run to run whatever the code (the ledger, logs, locks,
reports with timings); ``--compare`` then checks two runs on the same inputs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

# (module, name): each step wrapped in the module that calls it
STEPS = (("digitize.pipeline", "load_pages"), ("digitize.pipeline", "flag_illegible"),
         ("digitize.pipeline.document", "auto_correct"), ("digitize.pipeline.document", "gate"),
         ("digitize.pipeline.document", "document_with_pages"), ("digitize.pipeline", "crop_figures"),
         ("digitize.pipeline", "write_texts"), ("digitize.pipeline", "emit_document"),
         ("digitize.pipeline", "remove_stale"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def _instrument(totals: dict[str, float]) -> None:
    import importlib

    for module, name in STEPS:
        try:
            where = importlib.import_module(module)
        except ImportError:  # an older checkout (compared with --compare)
            continue
        fn = getattr(where, name, None)
        if fn is None:
            continue

        def wrapped(*a, __fn=fn, __name=name, **k):
            t = time.process_time()
            try:
                return __fn(*a, **k)
            finally:
                totals[__name] = totals.get(__name, 0.0) + time.process_time() - t

        setattr(where, name, wrapped)


def _decisions(folder: Path) -> dict:
    """Reviewer decisions on words of the first text page: fixed picks, so both checkouts get the
    same (as ``decisions=Decisions(...)``, or the three dicts an older checkout takes)."""
    for f in sorted((folder / "pages").glob("[0-9][0-9][0-9][0-9].json")):
        page = json.loads(f.read_text(encoding="utf-8"))
        lines = [ln for b in page.get("blocks", []) for ln in b.get("lines", []) if len(ln.get("words", [])) >= 3]
        if len(lines) >= 4:
            w = [ln["words"] for ln in lines]
            kw = {"words": {w[0][0]["id"]: "Corrected", w[1][1]["id"]: ""},
                  "illegible": {w[2][0]["id"]: "alice"},
                  "lines": {w[3][0]["id"]: "a whole new line of words here"}}
            try:
                from digitize.model import Decisions
            except ImportError:
                return {"overrides": kw["words"], "illegible": kw["illegible"], "lines": kw["lines"]}
            return {"decisions": Decisions(**kw)}
    return {}


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(folders: list[Path], repeat: int, reviewed: bool, schema: Path, refinish: bool = False) -> dict:
    from digitize import pipeline
    from digitize.settings.profile import load as load_profile

    profile = load_profile("ep")
    totals: dict[str, float] = {}
    _instrument(totals)
    out = {}
    scratch = Path(tempfile.mkdtemp(prefix="finish-cost-"))
    try:
        for folder in folders:
            kw = _decisions(folder) if reviewed else {}
            runs = []
            for i in range(repeat + 1):
                work = scratch / folder.name
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(folder, work)
                if not refinish:  # the folder as the OCR left it: page JSON and images only
                    for f in list(work.iterdir()) + list((work / "pages").iterdir()):
                        if f.is_file() and not (f.parent.name == "pages" and f.suffix in (".json", ".tif")):
                            f.unlink()
                    shutil.rmtree(work / "figures", ignore_errors=True)
                totals.clear()
                t = time.process_time()
                pipeline.finish_document(work, profile, source=f"{folder.name}.pdf", doc_id=folder.name,
                                         schema_dir=schema, **kw)
                runs.append((time.process_time() - t, dict(totals)))
            best = min(runs[1:], key=lambda r: r[0])  # the first run warms the process
            out[folder.name] = {"first": round(runs[0][0], 3), "cpu": round(best[0], 3),
                                "steps": {k: round(v, 3) for k, v in best[1].items()}, "files": _hashes(work)}
            steps = " ".join(f"{k}={v:.3f}" for k, v in best[1].items())
            print(f"{folder.name}: first {runs[0][0]:.2f} s, warm {best[0]:.3f} s CPU  [{steps}]", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out


VOLATILE = (".sqlite", ".sqlite-wal", ".sqlite-shm", ".log", ".lock", "report.json", "report.html", "report.txt",
            "summary.json", ".csv")


def tree(out: Path) -> dict:
    """One manifest entry per run output folder: every file's hash but the volatile ones."""
    files = {name: digest for name, digest in _hashes(out).items()
             if not name.endswith(VOLATILE) and "/." not in f"/{name}"}
    return {str(out): {"files": files}}


def compare(a: Path, b: Path) -> int:
    """Every file of every document in both manifests with the same hash; prints the differences."""
    ma, mb = json.loads(a.read_text()), json.loads(b.read_text())
    bad = 0
    for doc in sorted(set(ma) | set(mb)):
        fa, fb = ma.get(doc, {}).get("files", {}), mb.get(doc, {}).get("files", {})
        for name in sorted(set(fa) | set(fb)):
            if fa.get(name) != fb.get(name):
                bad += 1
                print(f"DIFFERENT {doc}/{name}")
        print(f"{doc}: {len(fa)} files compared")
    return common.compare_verdict(bad, "files")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reviewed", action="store_true")
    ap.add_argument("--refinish", action="store_true",
                    help="keep the earlier run's outputs in the copy (digitize apply's case); default: "
                         "the folder as the OCR left it (pages/*.json and .tif only)")
    ap.add_argument("--schemas", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "standards")
    ap.add_argument("--manifest", type=Path)
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    ap.add_argument("--tree", type=Path, help="hash a whole run's output folder instead")
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if args.tree:
        args.manifest.write_text(json.dumps({"run": tree(args.tree)[str(args.tree)]}, indent=1))
        return 0
    result = run(args.folders, args.repeat, args.reviewed, args.schemas, args.refinish)
    if args.manifest:
        args.manifest.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
