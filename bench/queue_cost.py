"""The correction queue's cost and output on pages an earlier run left, in one warm process.

    python bench/queue_cost.py RUN_DIR... [--sample N] [--out items.json] [--compare A B]

Each RUN_DIR is a ``real.py`` run folder (``digitize-<profile>/documents/<doc>/pages/NNNN.json``,
the pages as the OCR left them); every document (or every k-th, ``--sample``, per run folder and
profile) is proofread as ``pipeline.finish`` does it (``proofread.auto_correct`` on the loaded
pages, no office memory), with ``proofread.queue_candidates`` timed apart. The lexicon and the word
forms are loaded before the clock. ``--out`` writes every queue item (all its fields) per document;
``--compare A B`` lists the documents whose items differ between two such files (two checkouts:
``PYTHONPATH=OLD`` / ``PYTHONPATH=NEW``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def documents(run: Path, sample: int) -> list[tuple[str, Path]]:
    out = []
    for folder in sorted(run.glob("digitize-*")):
        docs = sorted(p for p in (folder / "documents").iterdir() if (p / "pages").is_dir())
        step = max(1, len(docs) // sample) if sample else 1
        out += [(folder.name[len("digitize-"):], d) for d in docs[::step][: sample or None]]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="*", type=Path)
    ap.add_argument("--sample", type=int, default=0, help="about this many documents per run folder and profile")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", nargs=2, type=Path)
    args = ap.parse_args(argv)
    if args.compare:
        a, b = (json.loads(p.read_text(encoding="utf-8"))["items"] for p in args.compare)
        both = sorted(a.keys() & b.keys())
        diff = [k for k in both if a[k] != b[k]]
        for k in diff:
            print("differs:", k)
        print(f"{len(both)} documents in both, {len(diff)} differ; items {sum(len(a[k]) for k in both)} / "
              f"{sum(len(b[k]) for k in both)}; only in one: {len(a.keys() ^ b.keys())}")
        return 1 if diff else 0

    from digitize import api
    import digitize.proofread as proofread
    from digitize.pipeline.pagefiles import load_pages

    docs = [d for run in args.runs for d in documents(run, args.sample)]
    profiles = {name: api.load_profile(name) for name in sorted({p for p, _ in docs})}
    t = time.perf_counter()
    for profile in profiles.values():
        proofread.vocabulary_for(profile)
    load = time.perf_counter() - t
    spent = {"queue": 0.0}
    items, rows = {}, []
    total_t = total_q = 0.0
    with common.timed_calls(proofread, "queue_candidates", spent, "queue"):
        for name, doc in docs:
            pages = load_pages(doc)
            spent["queue"] = 0.0
            t = time.perf_counter()
            _, _, cands = proofread.auto_correct(pages, profiles[name], in_place=True)
            took = time.perf_counter() - t
            key = f"{doc.parents[1].parent.name}/{name}/{doc.name}"
            items[key] = [dataclasses.asdict(c) for c in cands]
            rows.append((key, took, spent["queue"], len(cands)))
            total_t += took
            total_q += spent["queue"]
            print(f"{key[:70]:<70} proofread {took:6.2f} s  queue {spent['queue']:6.2f} s  items {len(cands)}", flush=True)
    print(f"{len(docs)} documents: proofreading {total_t:.1f} s, of it queue_candidates {total_q:.1f} s; "
          f"items {sum(r[3] for r in rows)}; lexicon and forms loaded in {load:.1f} s")
    if args.out:
        args.out.write_text(json.dumps({"items": items, "times": rows}, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
