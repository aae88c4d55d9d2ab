"""Pairing check of collected real sets: the raw ``tesseract`` CLI only, never digitize.

For every page of the named sources (flat pairs ``<root>/<source>/NAME.<img>`` + ``NAME.gt.txt``
made by ``collect_real_sets.py``), ``tesseract IMAGE OUT -l LANG txt`` (the source's ``lang``,
``OMP_THREAD_LIMIT=1``, one process at a time) and the order-free word error (OWE,
``digitize.evaluate.score``) of its text against the truth. A page above ``--flag`` (0.9) is
listed: its truth most likely does not describe its image (another page's truth, only part of
the page, a rotated scan) or the conversion is wrong. What to do with a flagged page is decided
by the rule written in ``bench/real_sets.toml`` (fix the conversion for the whole source, or name
the page in ``drop_pages`` with why), never by the figure of a page below the flag.

``--cross`` also scores each page's raw reading against every *other* truth of its source and
lists the pages whose reading matches another page's truth better than (or within 0.05 of) its own:
a truth filed under the wrong image shows up there, while a page that is merely hard to read
scores badly against every truth alike.

This runs no digitize code on the pages, so it may be run on a sealed part: it is what the raw
column of ``real.py`` would show, and says nothing about the product.

    python bench/check_pairs.py SOURCE [SOURCE...] [--root DIR] [--flag 0.9] [--cross] [--json FILE]

The CLI's outputs are kept in ``build/bench-work/pairs/<source>/`` and reused when present.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import real  # noqa: E402

from digitize.evaluate import read_truth, score  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def raw_text(img: Path, out: Path, lang: str) -> str:
    txt = out / f"{img.name[: -len(img.suffix)]}.txt"
    if not txt.is_file():
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        r = subprocess.run(["tesseract", str(img), str(txt.with_suffix("")), "-l", lang, "txt"],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"tesseract failed on {img}: {r.stderr.strip()[-300:]}")
    return txt.read_text(encoding="utf-8", errors="replace")


def check(name: str, entry: dict, root: Path, work: Path, flag: float, cross: bool = False) -> list[dict]:
    pairs = real.locate(entry, root, None)
    if not pairs:
        raise SystemExit(f"{name}: no pages under {root / name}")
    out = work / name
    out.mkdir(parents=True, exist_ok=True)
    rows, texts = [], []
    for img, truth in pairs:
        t, o = read_truth(truth), raw_text(img, out, entry.get("lang", "eng"))
        if entry.get("truth_case") == "upper":  # as real.py scores such a source
            t, o = t.upper(), o.upper()
        texts.append((t, o))
        s = score(img.name, t, o)
        rows.append({"source": name, "page": img.name, "words": s.truth_words, "edits": s.owe_edits,
                     "owe": round(s.owe, 4), "flagged": s.owe > flag})
    if cross:  # the raw reading against every other truth of the source: a truth under the wrong image
        for i, (row, (_t, o)) in enumerate(zip(rows, texts)):
            others = [(score(rows[j]["page"], t2, o).owe, rows[j]["page"]) for j, (t2, _o) in enumerate(texts) if j != i]
            best, where = min(others) if others else (1.0, "")
            row["best_other_owe"], row["best_other"] = round(best, 4), where
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", nargs="+")
    ap.add_argument("--root", type=Path, default=real.default_root())
    ap.add_argument("--flag", type=float, default=0.9)
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "bench-work" / "pairs")
    ap.add_argument("--cross", action="store_true",
                    help="also score each raw reading against every other truth of its source")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    entries = {e["name"]: e for e in real.load_sources()}
    rows: list[dict] = []
    for name in args.sources:
        if name not in entries:
            raise SystemExit(f"unknown source {name!r}")
        mine = check(name, entries[name], args.root, args.work, args.flag, args.cross)
        rows += mine
        words = sum(r["words"] for r in mine)
        edits = sum(r["edits"] for r in mine)
        print(f"{name} [{entries[name]['part']}]: {len(mine)} pages, raw tesseract OWE "
              f"{edits / words if words else 0:.4f}, {sum(r['flagged'] for r in mine)} above {args.flag}")
        for r in mine:
            if r["flagged"]:
                print(f"  FLAG {r['page']}: OWE {r['owe']:.3f} ({r['words']} truth words)")
        for r in mine:
            if args.cross and r["best_other_owe"] <= r["owe"] + 0.05:
                print(f"  CROSS {r['page']}: own truth {r['owe']:.3f}, {r['best_other']}'s {r['best_other_owe']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
