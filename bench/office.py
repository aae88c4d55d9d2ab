"""A real office publication: digitize vs the raw ``tesseract`` CLI on description and claims,
scored against the office's own full text.

The set is CA 2944968 A1 ("Wireline power supply during electric powered fracturing
operations"), as the EPO's OPS service delivers it: 29 single-page PDFs, each one CCITT G4 image
at 300 dpi (2480 x 3507), with the OPS full text (description and claims XML) and the image
inquiry that says where the sections start (abstract 1, description 2, claims 22, drawings 25).
They are test fixtures of github.com/parkerhancock/patent_client @75979b1 (Apache-2.0), not
committed here (1.3 MB); extract them with::

    git clone https://github.com/parkerhancock/patent_client /tmp/pc && \
    mkdir -p build/real-sets/patent_client-CA2944968A1 && \
    git -C /tmp/pc archive 75979b10372904328112325312874040d8fa7891 tests/fixtures/epo | \
    tar -x -C build/real-sets/patent_client-CA2944968A1 --strip-components=3 \
        --wildcards '*publication-CA2944968A1/*' '*CA.2944968*'

(the pages land in its ``publication-CA2944968A1/`` sub-folder; both layouts are read).

The office text is itself the office's OCR of these pages (CIPO full text: "10031" for "[003]",
"tiled" for "filed"), and the description carries each page's running header. Both tools are
scored against it alike, so its own errors raise both figures by the same words.

Both tools read the same pages: digitize as its users run it, the 29 pages joined losslessly into
one PDF (the publication), ``digitize run PDF --profile P --formats ''``; the raw engine on
each page's G4 image written as a G4 TIFF at its own dpi (300; 123 for the last drawing),
``tesseract PAGE OUT -l eng txt`` (``OMP_THREAD_LIMIT=1``, default page segmentation). Each tool's page texts are cut the same
way, by the office's section start pages: description = pages [description, claims), claims =
pages [claims, drawings). Scores are ``digitize.evaluate.score``'s order-independent word error
(OWE) of each part against the office's text of that part. The office's description keeps each
page's running header, so it is also cut there into page truths: every description page is
printed digitize vs raw (the claims carry no header and are scored as one part). Then each part
digitize vs raw and the ratio, and the summary LAST.

    python bench/office.py [--set DIR] [--profile generic] [--workers N]

(``generic``: English, any office; ocr_profiles has no Canadian profile.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

from digitize.evaluate import score  # noqa: E402

DEFAULT_SET = common.ROOT / "build" / "real-sets" / "patent_client-CA2944968A1"
STEM = "CA2944968A1"


def _find(folder: Path, pattern: str) -> list[Path]:
    found = sorted(folder.glob(pattern)) or sorted(folder.glob(f"*/{pattern}"))
    return found


def office_text(xml: Path, tag: str) -> str:
    """Every text of the ``tag`` element (description or claims) of an OPS full-text answer."""
    from lxml import etree

    from digitize.xmlsafe import parser

    root = etree.parse(str(xml), parser()).getroot()
    parts = []
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname == tag:
            parts.append(" ".join(t.strip() for t in el.itertext() if t.strip()))
    return "\n".join(parts)


def sections(xml: Path) -> dict[str, int]:
    """Start page of each section of the full document (OPS image inquiry)."""
    text = xml.read_text(encoding="utf-8")
    full = re.search(r'desc="FullDocument".*?</ops:document-instance>', text, re.S)
    block = full.group(0) if full else text
    out = {m[1].lower(): int(m[2]) for m in re.finditer(r'name="(\w+)" start-page="(\d+)"', block)}
    n = re.search(r'number-of-pages="(\d+)"', block)
    out["pages"] = int(n[1]) if n else 0
    return out


def stage(page_pdfs: list[Path], work: Path) -> tuple[Path, list[Path]]:
    """The pages joined into one PDF (no re-encoding) and each page's image as a G4 TIFF with its dpi."""
    import pikepdf
    folder = common.fresh(work / "pages")
    joined = pikepdf.Pdf.new()
    tiffs = []
    for n, src in enumerate(page_pdfs, 1):
        with pikepdf.open(src) as pdf:
            joined.pages.extend(pdf.pages)
            page = pdf.pages[0]
            (name, raw), = page.get_images().items()
            image = pikepdf.PdfImage(raw).as_pil_image()
            width_in = float(page.mediabox[2] - page.mediabox[0]) / 72
            dpi = round(image.width / width_in)
            if image.mode != "1":
                image = image.convert("1")
            target = folder / f"{STEM}-{n:04d}.tif"
            image.save(target, compression="group4", dpi=(dpi, dpi))
            tiffs.append(target)
    pdf_path = work / f"{STEM}.pdf"
    joined.save(pdf_path)
    return pdf_path, tiffs


def digitize_pages(job: Path) -> dict[int, str]:
    docs = [d for d in sorted((job / "documents").iterdir()) if d.is_dir()]
    if len(docs) != 1:
        raise SystemExit(f"expected one document in {job}/documents, found {len(docs)}")
    return {int(p.stem): p.read_text(encoding="utf-8", errors="replace")
            for p in (docs[0] / "pages").glob("[0-9][0-9][0-9][0-9].txt")}


def raw_pages(folder: Path, n: int) -> dict[int, str]:
    out = {}
    for k in range(1, n + 1):
        f = folder / f"{STEM}-{k:04d}.txt"
        out[k] = f.read_text(encoding="utf-8", errors="replace") if f.is_file() else ""
    return out


HEADER = "CA 02944968 2016-08-12"  # the running header the office's text keeps at each page's start


def page_truths(text: str, pages: range) -> dict[int, str]:
    """The part's office text cut at its running headers, one piece a page, when there is exactly
    one header a page (the description); {} otherwise (the claims carry none)."""
    pieces = text.split(HEADER)[1:]
    if len(pieces) != len(pages):
        return {}
    return {k: HEADER + piece for k, piece in zip(pages, pieces)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="folder of the OPS fixtures (see above)")
    ap.add_argument("--profile", default="generic", help="digitize profile (default generic: English, any office)")
    ap.add_argument("--workers", type=int, default=common.cores())
    ap.add_argument("--pages", help="ignored (run_all passes it to every benchmark)")
    ap.add_argument("--work", type=Path, default=common.ROOT / "build" / "bench-work" / "office")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    args = ap.parse_args(argv)

    page_pdfs = _find(args.set, "page-[0-9]*.pdf")
    desc_xml = _find(args.set, "*CA.2944968.A1_description.xml")
    claims_xml = _find(args.set, "*CA.2944968.A1_claims.xml")
    images_xml = _find(args.set, "*CA.2944968.A1_images.xml")
    if not (page_pdfs and desc_xml and claims_xml and images_xml):
        print(f"office publication: skipped, the set is not in {args.set} (extract command: bench/office.py --help)")
        return 0
    sec = sections(images_xml[0])
    n = len(page_pdfs)
    parts = {
        "description": (range(sec["description"], sec["claims"]), office_text(desc_xml[0], "description")),
        "claims": (range(sec["claims"], sec.get("drawings", n + 1)), office_text(claims_xml[0], "claims")),
    }
    pdf, tiffs = stage(page_pdfs, args.work)
    print(f"office set: {STEM}, {n} pages (G4), description pages {parts['description'][0].start}-"
          f"{parts['description'][0].stop - 1}, claims {parts['claims'][0].start}-{parts['claims'][0].stop - 1}; "
          f"profile {args.profile}; {args.workers} workers; load average {os.getloadavg()[0]:.1f} (shared machine)",
          flush=True)

    job = args.work / "digitize"
    r = common.run_digitize([pdf], job, args.workers, profile=args.profile, extra=("--formats", ""))
    t_raw = common.run_tesseract(tiffs, args.work / "tesseract", args.workers)
    dig, raw = digitize_pages(job), raw_pages(args.work / "tesseract", n)

    results: dict[str, dict] = {}
    print(f"{'page':<6} {'part':<12} {'words':>6} {'digitize':>9} {'raw':>7} {'diff':>7}")
    for part, (pages, truth) in parts.items():
        per_page = page_truths(truth, pages)
        for k, t in per_page.items():
            d, w = score(str(k), t, dig.get(k, "")), score(str(k), t, raw.get(k, ""))
            flag = "  BLANK" if d.blank else ""
            print(f"{k:<6} {part:<12} {d.truth_words:>6} {d.owe:>9.4f} {w.owe:>7.4f} {d.owe - w.owe:>+7.4f}{flag}")
        d = score(part, truth, "\n".join(dig.get(k, "") for k in pages))
        t = score(part, truth, "\n".join(raw.get(k, "") for k in pages))
        results[part] = {"digitize": d.to_dict(), "tesseract": t.to_dict(),
                         "pages": {k: [score(str(k), v, dig.get(k, "")).owe, score(str(k), v, raw.get(k, "")).owe]
                                   for k, v in per_page.items()}}
    if args.json:
        args.json.write_text(json.dumps({**results, "digitize_seconds": r["seconds"], "tesseract_seconds": t_raw},
                                        indent=1))
    print(f"time: digitize {r['seconds']:.1f} s, raw tesseract {t_raw:.1f} s for {n} pages: "
          f"raw/digitize x{t_raw / r['seconds']:.2f} (load average {os.getloadavg()[0]:.1f})")
    line = []
    for part, res in results.items():
        d, t = res["digitize"], res["tesseract"]
        ratio = d["owe"] / t["owe"] if t["owe"] else float("inf") if d["owe"] else 1.0
        print(f"{part:<12} words {d['truth_words']}: OWE digitize {d['owe']:.4f} (missing {d['missing']}, "
              f"extra {d['extra']}) vs raw tesseract {t['owe']:.4f} (missing {t['missing']}, extra {t['extra']}): "
              f"x{ratio:.2f}; WER {d['wer']:.4f} vs {t['wer']:.4f}")
        line.append(f"{part} {d['owe']:.4f} vs {t['owe']:.4f} x{ratio:.2f}")
    met = all(res["digitize"]["owe"] <= res["tesseract"]["owe"] for res in results.values())
    print(f"office publication {STEM} OWE digitize vs raw: {'; '.join(line)} "
          f"(target <= x1.00: {'met' if met else 'NOT met'}); failed documents {r['failed']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
