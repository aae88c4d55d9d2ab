"""Build the synthetic benchmark sets ``clean``, ``office`` and ``poor`` with exact per-page truth.

The typeset EP publications in ``../shared/data/patent-pdf/`` are rendered at 300 dpi and
degraded with ``digitize.synth.degrade`` (fixed seed per page). Each level gets::

    <out>/<selection>/<level>/pdf/<STEM>.pdf          image-only PDF of the selected pages (the images below,
                                          embedded losslessly with img2pdf when available)
    <out>/<selection>/<level>/pages/<STEM>-NNNN.<ext> one image per page: clean PNG (bilevel), office TIFF
                                          (CCITT G4), poor JPEG (200 dpi)
    <out>/<selection>/<level>/truth/<STEM>-NNNN.txt   the PDF text layer of that page (line-end hyphens
                                          as printed)
    <out>/<selection>/<level>/manifest.json           which original page each NNNN is

NNNN numbers the pages of the set's PDF (1..k), so ``digitize eval`` matches truth to
``documents/<DOCID>/pages/NNNN.txt`` through the ledger (input stem ``<STEM>``). A set is
rebuilt only when its manifest differs from what is asked.

    python bench/synth_sets.py [--out build/bench-sets] [--pages sample|text|all|1,2,16] [--levels clean,office,poor]
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitize import synth  # noqa: E402
from digitize.resources import shared_data_dir  # noqa: E402

SEED = 20240611
EXT = {"clean": "png", "office": "tif", "poor": "jpg"}
LEVELS = ("clean", "office", "poor")


def source_pdfs() -> list[Path]:
    data = shared_data_dir()
    pdfs = sorted((data / "patent-pdf").glob("*.pdf")) if data else []
    if not pdfs:
        raise SystemExit("no typeset PDFs: ../shared/data/patent-pdf/*.pdf not found (set DIGITIZE_SHARED_DATA)")
    return pdfs


def select_pages(pdf: Path, how: str) -> list[int]:
    """``sample``: pages 1, 2 and the last page with >= 100 words (a page with a large empty
    area, where binarisation fails first); ``text``: every page with >= 50 words; ``all``;
    or a comma-separated list."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        words = []
        for i in range(len(doc)):
            tp = doc[i].get_textpage()
            words.append(len(tp.get_text_range().split()))
            tp.close()
    finally:
        doc.close()
    n = len(words)
    if how == "all":
        return list(range(1, n + 1))
    if how == "text":
        return [i + 1 for i, w in enumerate(words) if w >= 50]
    if how == "sample":
        last = max((i + 1 for i, w in enumerate(words) if w >= 100), default=n)
        return sorted({1, min(2, n), last})
    return [int(x) for x in how.split(",") if x.strip() and int(x) <= n]


def printed(text: str) -> str:
    """The text layer as printed: pdfium marks a word broken at a line end with U+FFFE."""
    return text.replace("\ufffe", "-\n").replace("\x02", "-\n")


def _save(image: np.ndarray, path: Path, dpi: int, level: str) -> None:
    pil = Image.fromarray(image)
    if level == "clean":
        pil.convert("1").save(path, dpi=(dpi, dpi), optimize=True)
    elif level == "office":
        pil.convert("1").save(path, compression="group4", dpi=(dpi, dpi))
    else:  # the pixels already carry the JPEG q55 artefacts of degrade(); keep them as they are
        pil.save(path, quality=92, dpi=(dpi, dpi))


def _pdf(pages: list[Path], path: Path, dpi: int) -> None:
    try:
        import img2pdf
    except ImportError:
        synth.write_pdf([np.array(Image.open(p).convert("L")) for p in pages], path, dpi)
        return
    path.write_bytes(img2pdf.convert([str(p) for p in pages]))


def build_level(level: str, pdfs: list[Path], pages_how: str, out: Path) -> Path:
    # One folder per page selection: benchmarks with different selections never rebuild (and
    # pull the files from under) each other's sets.
    folder = out / pages_how.replace(",", "_") / level
    wanted = {"seed": SEED, "pages": pages_how, "sources": [p.name for p in pdfs], "version": 3}
    manifest = folder / "manifest.json"
    if manifest.is_file():
        old = json.loads(manifest.read_text())
        if {k: old.get(k) for k in wanted} == wanted:
            return folder
    for sub in ("pdf", "pages", "truth"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for f in (folder / sub).iterdir():
            f.unlink()
    record = dict(wanted, documents={})
    for pdf in pdfs:
        stem = pdf.stem
        chosen = select_pages(pdf, pages_how)
        files = []
        for n, (orig, image, text) in enumerate(synth.render_pdf(pdf, dpi=300, pages=chosen), 1):
            seed = SEED + zlib.crc32(f"{stem}:{orig}:{level}".encode())
            degraded, dpi = synth.degrade(image, level, seed=seed, dpi=300)
            name = f"{stem}-{n:04d}"
            page_file = folder / "pages" / f"{name}.{EXT[level]}"
            _save(degraded, page_file, dpi, level)
            (folder / "truth" / f"{name}.txt").write_text(printed(text), encoding="utf-8")
            files.append(page_file)
        _pdf(files, folder / "pdf" / f"{stem}.pdf", dpi)
        record["documents"][stem] = {"pages": chosen}
    manifest.write_text(json.dumps(record, indent=1))
    return folder


def build(out: Path, pages_how: str = "sample", levels=LEVELS) -> dict[str, Path]:
    pdfs = source_pdfs()
    return {level: build_level(level, pdfs, pages_how, out) for level in levels}


def set_files(folder: Path) -> tuple[list[Path], list[Path], Path]:
    """(PDFs, page images, truth folder) of one built level."""
    return sorted((folder / "pdf").glob("*.pdf")), sorted((folder / "pages").iterdir()), folder / "truth"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "bench-sets")
    ap.add_argument("--pages", default="sample", help="sample (default), text, all, or a list like 1,2,16")
    ap.add_argument("--levels", default=",".join(LEVELS))
    args = ap.parse_args(argv)
    levels = [lv for lv in args.levels.split(",") if lv]
    for level, folder in build(args.out, args.pages, levels).items():
        pdfs, pages, _ = set_files(folder)
        print(f"{level}: {len(pdfs)} PDF(s), {len(pages)} page(s) in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
