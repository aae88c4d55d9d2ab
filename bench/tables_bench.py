"""Issue 27: tables read from rendered EP table pages, scored with TEDS against the XML's own table.

    PYTHONPATH=. OMP_THREAD_LIMIT=1 .venv/bin/python bench/tables_bench.py --part tuning
    PYTHONPATH=. OMP_THREAD_LIMIT=1 .venv/bin/python bench/tables_bench.py --part sealed   # report only
    DIGITIZE_REAL_SETS=/work/real-sets PYTHONPATH=. OMP_THREAD_LIMIT=1 .venv/bin/python bench/tables_bench.py \
        --part sealed2 --rulings ruled,partly,unruled   # report only, once
    DIGITIZE_REAL_SETS=/work/real-sets PYTHONPATH=. OMP_THREAD_LIMIT=1 .venv/bin/python bench/tables_bench.py \
        --part sealed3 --rulings ruled,partly,unruled   # report only, once
    DIGITIZE_REAL_SETS=/work/real-sets PYTHONPATH=. OMP_THREAD_LIMIT=1 .venv/bin/python bench/tables_bench.py \
        --part sealed4 --rulings ruled,partly,unruled   # report only, once
    DIGITIZE_REAL_SETS=/work/real-sets PYTHONPATH=. OMP_THREAD_LIMIT=1 .venv/bin/python bench/tables_bench.py \
        --part sealed5 --rulings ruled,partly,unruled   # report only, once

Two sets, by document and by generator (made once; tune on ``tuning`` only):

* tuning: EP 3 351 249 A1 (``EP18151178NWA1.xml``, 4 tables; github.com/wzyjerry/EPO-patent-process
  @49cde91f ``resources/``, MIT) typeset by ``digitize/synth_tables.py`` (PIL);
* sealed: EP16898049NWA1 (``EP16898049NWA1.xml``, 1 table, same repository) and EP 1 599 469 B1
  (WIPO's ST.36 example, ``../shared/standards/st36/examples/ep-B1-EP1599469``, 3 tables) typeset
  by ``bench/tables_sealed_render.py`` (HTML in headless Chromium).

sealed2 (fresh after ``sealed`` was seen; see ``bench/tables_sealed2_render.py``): 19 table pages
from seven US publications (USPTO/PatentPublicData, DS4SD/docling, patent-dev/uspto-odp at pinned
commits; US public-domain data), restated as one-group CALS tables in
``$DIGITIZE_REAL_SETS/tables-sealed2`` (``python bench/tables_sealed2_render.py build``), typeset
by fpdf2's table API, rasterised by PDFium and degraded by that file's own scanner model (not
``synth.degrade``); a third ruling, ``unruled``; the page's words are its own
(``tables_sealed2_render.page_truth_text``).

sealed3 (fresh after ``sealed2``; see ``bench/tables_sealed3_render.py``): 19 tables of five US
publications (mcs07/ChemDataExtractor, max-planck-innovation-competition/go-uspto at pinned
commits), restated in ``$DIGITIZE_REAL_SETS/tables-sealed3`` (``python bench/tables_sealed3_render.py
build``), typeset by groff's ``tbl`` (Palatino, Bookman, New Century Schoolbook), rasterised by
Ghostscript, degraded by that file's own copier and camera models; page words its own
(``tables_sealed3_render.page_truth_text``).

sealed4 (fresh after ``sealed3``; see ``bench/tables_sealed4_render.py``): 23 tables of seven EP
publications (max-planck-innovation-competition/go-epo-eps at pinned commits), restated in
``$DIGITIZE_REAL_SETS/tables-sealed4`` (``python bench/tables_sealed4_render.py build``), typeset by
its own Java 2D program (Charis SIL, Linux Libertine O, Linux Biolinum O), degraded by that file's
own sheet-feeder and copy-of-a-copy models; page words its own (``tables_sealed4_render.page_truth_text``).

sealed5 (fresh after ``sealed4``; see ``bench/tables_sealed5_render.py``): 22 tables of seven EP
publications (max-planck-innovation-competition/go-epo-eps at pinned commits, none of sealed4's),
restated in ``$DIGITIZE_REAL_SETS/tables-sealed5`` (``python bench/tables_sealed5_render.py build``),
typeset with matplotlib's Agg renderer (Noto Serif, Caladea, Carlito, Open Sans), scanned by that
file's own copier (300 dpi) and fax (200 dpi) models; page words its own
(``tables_sealed5_render.page_truth_text``).

The two EP files are fetched once into ``build/table-sources`` (``--sources``)::

    git clone --bare https://github.com/wzyjerry/EPO-patent-process /tmp/epo && for d in EP18151178NWA1 EP16898049NWA1; do
      git --git-dir /tmp/epo show 49cde91f:resources/$d.xml > build/table-sources/$d.xml; done

Each table is printed ``ruled`` (every rule the CALS attributes give, as EP prints) and
``partly`` (rules above and under the head and under the table only), or, asked for
(``--rulings``), ``unruled`` (no rule at all: columns set apart by space alone), then degraded to
``office`` and ``poor`` with ``digitize.synth.degrade``. A page is read by the pipeline's
``ocr_page`` (the ``ep`` profile); the table it finds (the largest, when several) is scored with
TEDS (content) and TEDS-S (structure only) against the truth grid; a page where no table is
found scores 0. Word error (order-free, ``digitize.evaluate``) of the page's text as the
product writes it (``.txt``: cells tab-separated) and of the raw ``tesseract`` CLI on the same
image, against the page's printed words.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from digitize.evaluate import score  # noqa: E402
from digitize.model import PageImage  # noqa: E402
from digitize.pipeline import ocr_page  # noqa: E402
from digitize.settings.profile import load
from digitize.structure.tables import page_text  # noqa: E402
from digitize.synth import degrade  # noqa: E402
from digitize.synth_tables import grouped_head, page_truth_text, read_tables, render_page  # noqa: E402
from digitize.teds import rows_of, teds  # noqa: E402
from tables_sealed2_render import page_truth_text as sealed2_truth, scan as sealed2_scan, sources as sealed2_sources  # noqa: E402
from tables_sealed3_render import page_truth_text as sealed3_truth, scan as sealed3_scan, sources as sealed3_sources  # noqa: E402
from tables_sealed4_render import page_truth_text as sealed4_truth, scan as sealed4_scan, sources as sealed4_sources  # noqa: E402
from tables_sealed5_render import page_truth_text as sealed5_truth, scan as sealed5_scan, sources as sealed5_sources  # noqa: E402

SHARED = ROOT.parent / "shared"
SOURCES = ROOT / "build" / "table-sources"  # the fetched XML (see --sources and the docstring)


def sets(sources: Path) -> dict[str, list[Path]]:
    return {
        "tuning": [sources / "EP18151178NWA1.xml"],
        "sealed": [sources / "EP16898049NWA1.xml", SHARED / "standards/st36/examples/ep-B1-EP1599469/DOC00001.xml"],
        "sealed2": sealed2_sources(),  # $DIGITIZE_REAL_SETS/tables-sealed2 (tables_sealed2_render.py build)
        "sealed3": sealed3_sources(),  # $DIGITIZE_REAL_SETS/tables-sealed3 (tables_sealed3_render.py build)
        "sealed4": sealed4_sources(),  # $DIGITIZE_REAL_SETS/tables-sealed4 (tables_sealed4_render.py build)
        "sealed5": sealed5_sources(),  # $DIGITIZE_REAL_SETS/tables-sealed5 (tables_sealed5_render.py build)
    }


def raw_text(image: np.ndarray, dpi: int) -> str:
    from PIL import Image

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "page.png"
        Image.fromarray(image).save(p, dpi=(dpi, dpi))
        return subprocess.run(["tesseract", str(p), "-", "-l", "eng"], capture_output=True, text=True,
                              env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}).stdout


def render(part: str, table, ruling: str) -> np.ndarray:
    if part == "sealed5":  # matplotlib Agg pages: each level scans them (tables_sealed5_render.scan)
        from tables_sealed5_render import render as render_agg

        return render_agg(table, ruling=ruling)
    if part == "sealed4":  # Java 2D pages, drawn once for the set: each level scans them (tables_sealed4_render.scan)
        from tables_sealed4_render import render as render_java

        return render_java(table, ruling=ruling)
    if part == "sealed3":  # PostScript from groff tbl: each level scans it (tables_sealed3_render.scan)
        from tables_sealed3_render import render as render_ps

        return render_ps(table, ruling=ruling)
    if part == "sealed2":  # a PDF: each level scans it (tables_sealed2_render.scan)
        from tables_sealed2_render import render_pdf

        return render_pdf(table, ruling=ruling)
    if part == "sealed":
        from tables_sealed_render import render_html  # bench/ is on sys.path when run as a script

        return render_html(table, ruling=ruling)
    return render_page(table, ruling=ruling)


def read_page(img: np.ndarray, dpi: int, name: str, profile, reuse: Path | None, key: str):
    """The page read by ``ocr_page``; with ``reuse``, the reading before the tables step is kept
    there (or taken from there) and only the tables step (``table_ocr.read_tables``) runs on it."""
    import copy
    import hashlib
    import pickle

    import digitize.pipeline.recognise as recognise
    from digitize.ocr import get_engine
    from digitize.table_ocr import read_tables as tables_step

    page_image = PageImage(number=1, image=img, dpi=dpi, source=name)
    if reuse is None:
        return ocr_page(page_image, profile)[0]
    reuse.mkdir(parents=True, exist_ok=True)
    f = reuse / (hashlib.sha1(key.encode()).hexdigest()[:16] + ".pkl")
    if f.exists():
        page, prepared = pickle.loads(f.read_bytes())
    else:
        kept = recognise.read_tables
        recognise.read_tables = lambda engine, prepared, page: []
        try:
            page, prepared = ocr_page(page_image, profile)
        finally:
            recognise.read_tables = kept
        f.write_bytes(pickle.dumps((page, prepared)))
    page = copy.deepcopy(page)
    tables_step(get_engine(profile.engine), prepared, page)
    return page


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=("tuning", "sealed", "sealed2", "sealed3", "sealed4", "sealed5"),
                    default="tuning")
    ap.add_argument("--sources", type=Path, default=SOURCES)
    ap.add_argument("--levels", default="office,poor")
    ap.add_argument("--rulings", default="ruled,partly", help="any of ruled, partly, unruled (no rule at all)")
    ap.add_argument("--only", default="", help="substring of the table names to run")
    ap.add_argument("--raw", action="store_true", help="also the raw tesseract CLI's word error")
    ap.add_argument("--heads", choices=("as-printed", "two"), default="as-printed",
                    help="two: each table's last two columns grouped under a head cell (synth_tables.grouped_head)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--reuse", type=Path, help="a folder keeping each page's reading before the tables step "
                    "(pickled): a later run with the same folder runs only the tables step again")
    a = ap.parse_args(argv)
    profile = load("ep")
    results = []
    for xml in sets(a.sources)[a.part]:
        for ti, t in enumerate(read_tables(xml)):
            if a.only and a.only not in t.name:
                continue
            if a.heads == "two":
                t = grouped_head(t)
            for ruling in a.rulings.split(","):
                clean = render(a.part, t, ruling)
                for level in a.levels.split(","):
                    seed = 27 + ti * 7 + {"partly": 1, "unruled": 2}.get(ruling, 0)
                    if a.part == "sealed2":  # its own scanner model
                        img, dpi = sealed2_scan(clean, level, t.name, ruling)
                    elif a.part == "sealed3":  # its own copier and camera models
                        img, dpi = sealed3_scan(clean, level, t.name, ruling)
                    elif a.part == "sealed4":  # its own sheet-feeder and copy-of-a-copy models
                        img, dpi = sealed4_scan(clean, level, t.name, ruling)
                    elif a.part == "sealed5":  # its own copier and fax models
                        img, dpi = sealed5_scan(clean, level, t.name, ruling)
                    else:
                        img, dpi = degrade(clean, level, seed=seed, dpi=300)
                    t0 = time.perf_counter()
                    page = read_page(img, dpi, t.name, profile, a.reuse,
                                     f"{a.part}-{a.heads}-{t.name}-{ruling}-{level}")
                    secs = time.perf_counter() - t0
                    truth_rows = [[(c.text, c.rowspan, c.colspan) for c in row] for row in t.rows]
                    found = sorted(page.tables, key=lambda x: -(x.bbox[2] - x.bbox[0]) * (x.bbox[3] - x.bbox[1]))
                    if found:
                        got = found[0]
                        s = teds(truth_rows, t.header_rows, rows_of(got), got.header_rows)
                        ss = teds(truth_rows, t.header_rows, rows_of(got), got.header_rows, structure_only=True)
                        shape = f"{got.ruling} {got.rows}x{got.cols} head {got.header_rows}"
                    else:
                        s = ss = 0.0
                        shape = "no table"
                    truth_text = sealed2_truth(t) if a.part == "sealed2" else page_truth_text(t)
                    if a.part == "sealed3":
                        truth_text = sealed3_truth(t)
                    if a.part == "sealed4":
                        truth_text = sealed4_truth(t)
                    if a.part == "sealed5":
                        truth_text = sealed5_truth(t)
                    ours = score(t.name, truth_text, page_text(page)).owe
                    rec = {"table": t.name, "ruling": ruling, "level": level, "teds": round(s, 3),
                           "teds_s": round(ss, 3), "found": shape,
                           "truth": f"{len(t.rows)}x{t.cols} head {t.header_rows}", "owe": round(ours, 3),
                           "seconds": round(secs, 1)}
                    if a.raw:
                        raw_file = a.reuse / f"{a.part}-{a.heads}-{t.name}-{ruling}-{level}.raw.txt".replace("/", "_") if a.reuse else None
                        if raw_file is not None and raw_file.exists():
                            raw = raw_file.read_text()
                        else:
                            raw = raw_text(img, dpi)
                            if raw_file is not None:
                                raw_file.write_text(raw)
                        rec["owe_raw"] = round(score(t.name, truth_text, raw).owe, 3)
                    results.append(rec)
                    print(json.dumps(rec), flush=True)
    for level in a.levels.split(","):
        for ruling in a.rulings.split(","):
            rs = [r for r in results if r["level"] == level and r["ruling"] == ruling]
            if rs:
                print(f"{a.part} {level} {ruling}: TEDS {sum(r['teds'] for r in rs) / len(rs):.3f}  TEDS-S "
                      f"{sum(r['teds_s'] for r in rs) / len(rs):.3f}  tables {len(rs)}, found "
                      f"{sum(1 for r in rs if r['found'] != 'no table')}")
    for level in a.levels.split(","):
        rs = [r for r in results if r["level"] == level]
        if rs:
            print(f"{a.part} {level}, all: TEDS {sum(r['teds'] for r in rs) / len(rs):.3f}  TEDS-S "
                  f"{sum(r['teds_s'] for r in rs) / len(rs):.3f}  word error {sum(r['owe'] for r in rs) / len(rs):.3f}"
                  + (f" (raw {sum(r['owe_raw'] for r in rs) / len(rs):.3f})" if a.raw else "") + f"  pages {len(rs)}")
    if a.json:
        a.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
