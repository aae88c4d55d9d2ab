"""Real scans: digitize vs the raw ``tesseract`` CLI, page by page, on scans nobody here made.

Every page is an image file with a ground-truth text. Both tools read the same files:

* digitize as its users run it, ``digitize run FILES --formats '' --workers N`` (ingest,
  preprocessing, OCR, proofreading, structure; no XML), one document per file, timed whole; one
  run per profile (English sources ``--profile`` (generic), Spanish sources the ``es`` profile);
* the raw engine, ``tesseract IMAGE OUT -l LANG txt`` (default page segmentation,
  ``OMP_THREAD_LIMIT=1``), N processes at a time; ``LANG`` is the source's (``eng``, ``spa``).

Scores are ``digitize.evaluate``'s order-independent word error (OWE). Printed: every page; per
source and per part the pages, OWE of both tools and their ratio, pages worse than raw by more
than 0.03, blank pages; the 5 worst pages against raw of each part; how often digitize read a page
a second time (the harm guard, from the page JSON); and the whole-command time ratio LAST.

The sources are those of ``bench/real_sets.toml`` (repository, commit, licence, kinds, language
and part of each): the committed pages (``tests/data/real``), ``../shared/data/scans/tesseract-test``,
github.com/scribeocr/ocr-benchmark @818efa7 (``<root>/ocr-benchmark`` in its own layout, or
``--ocr-benchmark DIR``) and the flat pairs ``<root>/<source>/NAME.<png|jpg|tif>`` + ``NAME.gt.txt``
that ``bench/collect_real_sets.py`` makes from a fetched repository. ``--root`` defaults to
``$DIGITIZE_REAL_SETS``, else ``build/real-sets``. A source that is not there is skipped.

The sources are split ONCE, by source, into a ``tuning`` part and sealed parts: ``sealed`` (the
first, reported on once at stop 23), ``sealed2`` (new sources of a second round), ``sealed3``
(a third round), ``sealed4`` (a fourth round), ``sealed5`` (a fifth round), ``sealed6`` (a sixth
round), ``sealed7`` (a seventh round), ``sealed8`` (an eighth round) and ``sealed9`` (a ninth round,
for the next accuracy claim). ``--part tuning`` (the default) is what one tunes on; ``--part sealed9``
(or ``sealed8`` ... ``sealed``) is run deliberately, to report a result already chosen, never to
choose between variants; ``--part all`` runs every part.

    python bench/real.py [--part tuning|sealed|sealed2|sealed3|sealed4|sealed5|sealed6|sealed7|sealed8|sealed9|all] [--sets a,b] [--root DIR] [--workers N] [--reuse-raw]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

from digitize.evaluate import Score, evaluate, read_truth, score  # noqa: E402

IMAGE_EXTS = (".png", ".tif", ".tiff", ".jpg", ".jpeg")
SHARED = Path(os.environ.get("DIGITIZE_SHARED_DATA", common.ROOT.parent / "shared" / "data"))
CONFIG = common.ROOT / "bench" / "real_sets.toml"
WORSE = 0.03  # a page worse than raw by more than this is counted (issue 12)
PARTS = ("tuning", "sealed", "sealed2", "sealed3", "sealed4", "sealed5", "sealed6", "sealed7", "sealed8",
         "sealed9")  # bench/real_sets.toml; sealed2 to sealed9: issue 30


def default_root() -> Path:
    return Path(os.environ.get("DIGITIZE_REAL_SETS", common.ROOT / "build" / "real-sets"))


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


@dataclass
class RealSet:
    name: str
    part: str
    lang: str
    profile: str
    pairs: list[tuple[Path, Path]] = field(default_factory=list)
    upper: bool = False  # truth_case = "upper": the truth is in capitals whatever the print


def output_text(u: Score) -> str:
    """The output text a unit was scored on (``Score.output``: a text file, or a document's
    ``pages/`` folder whose page texts were joined)."""
    if not u.output:
        return ""
    p = Path(u.output)
    if p.is_dir():
        return "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in sorted(p.glob("[0-9]*.txt")))
    return p.read_text(encoding="utf-8", errors="replace") if p.is_file() else ""


def case_free(u: Score, truth: Path) -> Score:
    """The unit scored again with both texts in capitals: for a source whose truth was
    transcribed in capitals (the SROIE receipts), where a mixed-case reading is not an error."""
    return score(u.name, read_truth(truth).upper(), output_text(u).upper(), u.output)


def load_sources(config: Path = CONFIG) -> list[dict]:
    with open(config, "rb") as f:
        return tomllib.load(f)["source"]


def locate(entry: dict, root: Path, ocr_benchmark: Path | None) -> list[tuple[Path, Path]]:
    """The page/truth pairs of one source where its ``location`` says, [] when absent."""
    kind, _, where = entry.get("location", f"root:{entry['name']}").partition(":")
    if kind == "ocr-benchmark":
        folder = ocr_benchmark or root / where
        return _pairs_ocr_benchmark(folder) if (folder / "img").is_dir() else []
    folder = {"repo": common.ROOT, "shared": SHARED, "root": root}[kind] / where
    return _pairs_flat(folder) if folder.is_dir() else []


def find_sets(names: list[str], part: str, root: Path, ocr_benchmark: Path | None,
              config: Path = CONFIG, max_pages: int = 0) -> dict[str, RealSet]:
    """Every source of ``part`` read by this benchmark (or the named ones) that is present."""
    entries = [e for e in load_sources(config) if e.get("bench", "real.py") == "real.py"]
    known = {e["name"]: e for e in entries}
    for e in entries:
        if e["part"] not in PARTS:
            raise SystemExit(f"{config}: source {e['name']!r} has part {e['part']!r}, not one of {', '.join(PARTS)}")
    for n in names:
        if n not in known:
            raise SystemExit(f"unknown set {n!r} (bench/real_sets.toml: {', '.join(known)})")
        if part != "all" and known[n]["part"] != part:
            raise SystemExit(f"set {n!r} is in the {known[n]['part']} part: run it with --part "
                             f"{known[n]['part']} (or all), deliberately")
    found: dict[str, RealSet] = {}
    for e in entries:
        if names and e["name"] not in names:
            continue
        if not names and part != "all" and e["part"] != part:
            continue
        pairs = locate(e, root, ocr_benchmark)[: max_pages or None]
        if pairs:
            found[e["name"]] = RealSet(e["name"], e["part"], e.get("lang", common.LANG),
                                       e.get("profile", "generic"), pairs, e.get("truth_case") == "upper")
        else:
            print(f"  set {e['name']} skipped: not present", flush=True)
    return found


def stage(sets: dict[str, RealSet], work: Path, profile: str) -> tuple[dict[str, list[Path]], dict[str, Path],
                                                                       dict[Path, str], dict[str, RealSet]]:
    """Links to every page under a unique name ``<set>__<stem>.<ext>``, grouped by the digitize
    profile that reads it (``generic`` sources take ``profile``), with its truth as text in a
    folder per profile; the raw CLI's language of every page; the set of every page name."""
    pages_dir, truth_root = common.fresh(work / "pages"), common.fresh(work / "truth")
    groups: dict[str, list[Path]] = {}
    truth_dirs: dict[str, Path] = {}
    langs: dict[Path, str] = {}
    owner: dict[str, RealSet] = {}
    for name, rs in sets.items():
        prof = profile if rs.profile == "generic" else rs.profile
        tdir = truth_dirs.setdefault(prof, truth_root / prof)
        tdir.mkdir(exist_ok=True)
        for img, truth in rs.pairs:
            stem = f"{name}__{img.name[: -len(img.suffix)]}".replace(".", "_")
            target = pages_dir / f"{stem}{img.suffix.lower()}"
            target.symlink_to(img.resolve())
            (tdir / f"{stem}.txt").write_text(read_truth(truth), encoding="utf-8")
            groups.setdefault(prof, []).append(target)
            langs[target] = rs.lang
            owner[stem] = rs
    return groups, truth_dirs, langs, owner


def second_readings(job: Path, counts: dict | None = None) -> tuple[int, int, list[str]]:
    """Pages read twice by the harm guard, pages in all, and why (from the page JSON); ``counts``
    (when given) gains the guard's band and whole readings, the engine work it added, which no
    load on the machine changes."""
    twice = total = 0
    notes = []
    counts = {} if counts is None else counts
    for f in sorted(job.glob("documents/*/pages/[0-9][0-9][0-9][0-9].json")):
        total += 1
        data = json.loads(f.read_text(encoding="utf-8"))
        guard = data.get("reading") or {}
        if guard.get("second"):
            twice += 1
            whole = [c["label"] for c in guard.get("checked", []) if "whole" in c]
            banded = [c["label"] for c in guard.get("checked", []) if "band" in c and "whole" not in c]
            counts["band"] = counts.get("band", 0) + sum(1 for c in guard.get("checked", []) if "band" in c)
            counts["whole"] = counts.get("whole", 0) + len(whole)
            notes.append(f"{f.parent.parent.name}: {guard.get('chosen')} (band only: {', '.join(banded) or '-'}; "
                         f"read whole: {', '.join(whole) or '-'}; {guard.get('why')})")
    return twice, total, notes


@dataclass
class Row:
    name: str  # <set>__<stem>
    set: str
    part: str
    dig: Score
    raw: Score

    @property
    def diff(self) -> float:
        return self.dig.owe - self.raw.owe

    @property
    def order_diff(self) -> float:
        """How much more of digitize's word error than of raw's is order alone (WER - OWE)."""
        return order_error(self.dig) - order_error(self.raw)


def order_error(u: Score) -> float:
    """The part of a page's order-sensitive word error that is order alone: WER - OWE."""
    return u.wer - u.owe


def _owe(scores: list[Score]) -> float:
    """Aggregate OWE of a group of pages: their edits over their truth words (as Evaluation.overall)."""
    words = sum(u.truth_words for u in scores)
    return Score._rate(sum(u.owe_edits for u in scores), words)


def _wer(scores: list[Score]) -> float:
    """Aggregate order-sensitive WER of a group of pages (``digitize.evaluate``'s word edits)."""
    words = sum(u.truth_words for u in scores)
    return Score._rate(sum(u.word_edits for u in scores), words)


def _ratio(d: float, t: float) -> float:
    return d / t if t else float("inf") if d else 1.0


def summary(label: str, rows: list[Row]) -> str:
    d, t = _owe([r.dig for r in rows]), _owe([r.raw for r in rows])
    wd, wt = _wer([r.dig for r in rows]), _wer([r.raw for r in rows])
    worse = sum(1 for r in rows if r.diff > WORSE)
    order_worse = sum(1 for r in rows if r.order_diff > WORSE)
    worst = max(rows, key=lambda r: r.diff)
    return (f"{label:<32} {len(rows):>5} {sum(r.dig.truth_words for r in rows):>7} {d:>9.4f} {t:>7.4f} "
            f"x{_ratio(d, t):>5.2f} {worse:>6} {sum(r.dig.blank for r in rows):>4}/{sum(r.raw.blank for r in rows):<4} "
            f"{wd:>7.4f} {wt:>7.4f} x{_ratio(wd, wt):>5.2f} {order_worse:>5} "
            f"{worst.name.split('__', 1)[1][:40]} {worst.diff:+.4f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=PARTS + ("all",), default="tuning",
                    help="which part of the sources (default tuning; sealed, sealed2 to sealed9 only deliberately)")
    ap.add_argument("--sets", default="", help="only these sources (comma-separated names of bench/real_sets.toml)")
    ap.add_argument("--root", type=Path, default=default_root(),
                    help="folder of the real sets (default $DIGITIZE_REAL_SETS, else build/real-sets)")
    ap.add_argument("--ocr-benchmark", type=Path, help="checkout of scribeocr/ocr-benchmark (default ROOT/ocr-benchmark)")
    ap.add_argument("--config", type=Path, default=CONFIG, help=argparse.SUPPRESS)
    ap.add_argument("--max-pages", type=int, default=0, help="only the first N pages of each source (a smoke test)")
    ap.add_argument("--workers", type=int, default=common.cores())
    ap.add_argument("--profile", default="generic", help="digitize profile of the sources whose profile is generic")
    ap.add_argument("--pages", help="ignored (run_all passes it to every benchmark)")
    ap.add_argument("--work", type=Path, default=common.ROOT / "build" / "bench-work" / "real")
    ap.add_argument("--json", type=Path, help="also write every page's figures to this file")
    ap.add_argument("--reuse-raw", action="store_true",
                    help="reuse the raw CLI outputs of an earlier run in --work (its time is read from there too): "
                         "for before/after runs of the digitize half only")
    args = ap.parse_args(argv)
    sets = find_sets([s for s in args.sets.split(",") if s], args.part, args.root, args.ocr_benchmark, args.config,
                     args.max_pages)
    if not sets:
        raise SystemExit(f"no real set of part {args.part} present under {args.root} "
                         "(see the docstring and bench/real_sets.toml)")
    if "committed" in sets and "tesseract-test" in sets:  # the committed pages are copies of some of these
        names = {img.name for img, _ in sets["committed"].pairs}
        sets["tesseract-test"].pairs = [p for p in sets["tesseract-test"].pairs if p[0].name not in names]
    groups, truth_dirs, langs, owner = stage(sets, args.work, args.profile)
    pages = [p for g in groups.values() for p in g]
    print(f"real sets ({args.part}): {', '.join(f'{k} ({len(v.pairs)} pages)' for k, v in sets.items())}; "
          f"{args.workers} workers; load average {os.getloadavg()[0]:.1f} (shared machine)", flush=True)

    dig_units: dict[str, Score] = {}
    unmatched: list[str] = []
    t_dig, failed, jobs = 0.0, 0, []
    for prof, group in groups.items():
        job = args.work / f"digitize-{prof}"
        r = common.run_digitize(group, job, args.workers, profile=prof, extra=("--formats", ""))
        t_dig += r["seconds"]
        failed += r["failed"]
        jobs.append(job)
        ev = evaluate(job, truth_dirs[prof])
        dig_units.update({u.name: case_free(u, truth_dirs[prof] / f"{u.name}.txt") if owner[u.name].upper else u
                          for u in ev.units})
        unmatched += ev.unmatched
    raw_dir, raw_time = args.work / "tesseract", args.work / "tesseract-seconds.txt"
    if args.reuse_raw and raw_time.is_file() and all((raw_dir / f"{p.name.split('.')[0]}.txt").is_file() for p in pages):
        t_raw = float(raw_time.read_text())
        print(f"raw tesseract outputs reused from {raw_dir} ({t_raw:.1f} s when they were made)", flush=True)
    else:
        t_raw = common.run_tesseract(pages, raw_dir, args.workers, lang=langs)
        raw_time.write_text(f"{t_raw:.3f}\n")
    raw_units = {u.name: case_free(u, truth_dirs[prof] / f"{u.name}.txt") if owner[u.name].upper else u
                 for prof in groups for u in evaluate(raw_dir, truth_dirs[prof]).units}

    rows: list[Row] = []
    print(f"{'page':<60} {'words':>6} {'digitize':>9} {'raw':>7} {'diff':>7}  {'WER dig':>7} {'raw':>7}")
    for name in sorted(dig_units):
        u, v = dig_units[name], raw_units.get(name)
        if v is None:
            continue
        rs = owner[name]
        rows.append(Row(name, rs.name, rs.part, u, v))
        flag = "  BLANK" if u.blank else ""
        print(f"{name[:60]:<60} {u.truth_words:>6} {u.owe:>9.4f} {v.owe:>7.4f} {u.owe - v.owe:>+7.4f}  "
              f"{u.wer:>7.4f} {v.wer:>7.4f}{flag}")
    for name in unmatched:
        print(f"{name:<60} no digitize output (failed?)")
    twice = total = 0
    counts: dict = {}
    for job in jobs:
        a, b, notes = second_readings(job, counts)
        twice, total = twice + a, total + b
        for n in notes:
            print(f"  second reading: {n}")

    head = (f"{'source / part':<32} {'pages':>5} {'words':>7} {'digitize':>9} {'raw':>7} {'ratio':>6} "
            f"{'>+' + str(WORSE):>6} {'blank d/r':>9} {'WER dig':>7} {'raw':>7} {'ratio':>6} {'order':>5} worst page vs raw")
    print(f"\nper source (OWE; pages worse than raw by > {WORSE}; blank pages digitize/raw; order-sensitive WER "
          f"beside it, and 'order': pages whose order error (WER - OWE) exceeds raw's by > {WORSE}):")
    print(head)
    for name, rs in sets.items():
        mine = [r for r in rows if r.set == name]
        if mine:
            print(summary(f"{name} [{rs.part}]", mine))
    parts = sorted({r.part for r in rows})
    print("per part:")
    print(head)
    for part in parts:
        print(summary(part, [r for r in rows if r.part == part]))
    for part in parts:
        print(f"5 worst pages against raw, {part}:")
        for r in sorted((r for r in rows if r.part == part), key=lambda r: r.diff, reverse=True)[:5]:
            print(f"  {r.name:<60} {r.dig.owe:.4f} vs {r.raw.owe:.4f} ({r.diff:+.4f})")
    grown = sorted((r for r in rows if r.order_diff > WORSE), key=lambda r: r.order_diff, reverse=True)
    print(f"pages whose order error (WER - OWE) exceeds raw's by > {WORSE}: {len(grown)}")
    for r in grown:
        print(f"  {r.name:<60} WER {r.dig.wer:.4f} vs {r.raw.wer:.4f}, OWE {r.dig.owe:.4f} vs {r.raw.owe:.4f} "
              f"(order {r.order_diff:+.4f})")
    if args.json:
        args.json.write_text(json.dumps({
            "part": args.part,
            "pages": [(r.name, r.dig.truth_words, r.dig.owe, r.raw.owe, r.dig.blank, r.raw.blank, r.set, r.part,
                       r.dig.wer, r.raw.wer) for r in rows],
            "digitize": _owe([r.dig for r in rows]), "tesseract": _owe([r.raw for r in rows]),
            "digitize_wer": _wer([r.dig for r in rows]), "tesseract_wer": _wer([r.raw for r in rows]),
            "digitize_seconds": t_dig, "tesseract_seconds": t_raw}, indent=1))
    d_all, t_all = _owe([r.dig for r in rows]), _owe([r.raw for r in rows])
    ratio = d_all / t_all if t_all else float("inf") if d_all else 1.0
    worst = max(rows, key=lambda r: r.diff)
    blanks = sum(1 for r in rows if r.dig.blank)
    worse = sum(1 for r in rows if r.diff > WORSE)
    print(f"pages {len(rows)}; digitize failed documents {failed}; blank pages digitize {blanks}, "
          f"raw {sum(1 for r in rows if r.raw.blank)}; second reading {twice}/{total} pages "
          f"({counts.get('band', 0)} band readings, {counts.get('whole', 0)} whole readings besides the first)")
    print(f"accuracy OWE digitize {d_all:.4f} vs raw tesseract {t_all:.4f}: x{ratio:.2f} (target <= 0.90); "
          f"worst page {worst.name} {worst.dig.owe:.4f} vs {worst.raw.owe:.4f} ({worst.diff:+.4f}, target <= +{WORSE}); "
          f"{worse} pages worse by > {WORSE}")
    wd, wt = _wer([r.dig for r in rows]), _wer([r.raw for r in rows])
    print(f"order-sensitive WER digitize {wd:.4f} vs raw tesseract {wt:.4f}: x{_ratio(wd, wt):.2f}; "
          f"{sum(1 for r in rows if r.order_diff > WORSE)} pages whose order error exceeds raw's by > {WORSE}")
    print(f"real scans ({args.part}) time: digitize {t_dig:.1f} s, raw tesseract {t_raw:.1f} s for {len(pages)} pages: "
          f"raw/digitize x{t_raw / t_dig:.2f} (target >= 0.90); OWE x{ratio:.2f}, worst {worst.diff:+.4f}, "
          f"worse {worse}, blank {blanks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
