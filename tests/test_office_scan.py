"""A real office publication (issue 12): on G4 300-dpi pages of a typeset specification,
digitize reads no worse than the raw ``tesseract`` CLI, scored against the office's own text.

Five pages of CA 2944968 A1 as the EPO's OPS service serves them (one CCITT G4 image a PDF, see
tests/data/real/SOURCES.md): description pages 2 and 4, whose office text is cut at the running
header the office keeps at each page's start, and claims pages 22-24, scored together against
the office's whole claims text (the claims carry no header to cut at). The office's text is its
own OCR of these pages; both tools are scored against it alike. ``bench/office.py`` runs all 29
pages through ``digitize run``.

digitize: the in-process pipeline (ingest, preprocessing with the harm guard, OCR) and the
automatic corrections over the five pages as one document. Raw: ``tesseract PAGE - -l eng`` on
each page's G4 image written as a 300-dpi TIFF, as the office's image is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from digitize import ingest
from digitize.settings import profile as profiles
from digitize.evaluate import score
from digitize.pipeline import ocr_page
from digitize.proofread import auto_correct

OFFICE = Path(__file__).parent / "data" / "real" / "CA2944968A1"
DESCRIPTION = (2, 4)
CLAIMS = (22, 23, 24)
MARGIN = 0.03  # a page, as tests/test_real_scans.py
CLAIMS_MARGIN = 0.005  # the claims as one part: ~4 words of 746


def _pdf(k: int) -> Path:
    return OFFICE / f"page-{k:06d}.pdf"


def _raw_text(pdf: Path, tmp: Path) -> str:
    """The raw CLI on the page's own G4 image (TIFF, 300 dpi from the page size), not a rendering."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        page = doc.pages[0]
        (_, obj), = page.get_images().items()
        image = pikepdf.PdfImage(obj).as_pil_image()
        dpi = round(image.width / (float(page.mediabox[2] - page.mediabox[0]) / 72))
    tif = tmp / f"{pdf.stem}.tif"
    image.convert("1").save(tif, compression="group4", dpi=(dpi, dpi))
    out = subprocess.run(["tesseract", str(tif), "-", "-l", "eng"], capture_output=True, text=True,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True)
    return out.stdout


@pytest.fixture(scope="module")
def readings(tmp_path_factory) -> dict[int, tuple[str, str]]:
    """Page number -> (digitize text, raw CLI text)."""
    if not shutil.which("tesseract"):
        pytest.skip("the tesseract CLI is not installed")
    profile = profiles.load("generic")
    s = profile.preprocess
    tmp = tmp_path_factory.mktemp("office")
    numbers = DESCRIPTION + CLAIMS
    pages = []
    for k in numbers:
        (page,) = list(ingest.iter_pages(_pdf(k), max_pixels=s.max_pixels, default_dpi=s.default_dpi))
        assert page.dpi == 300
        result, _ = ocr_page(replace(page, number=k), profile)  # its number in the publication
        pages.append(result)
    fixed, _, _ = auto_correct(pages, profile)
    return {k: (p.text, _raw_text(_pdf(k), tmp)) for k, p in zip(numbers, fixed)}


@pytest.mark.parametrize("k", DESCRIPTION)
def test_a_description_page_reads_no_worse_than_the_raw_engine(k, readings):
    truth = (OFFICE / f"page-{k:06d}.txt").read_text(encoding="utf-8")
    ours, raw = (score(str(k), truth, text) for text in readings[k])
    assert not ours.blank and ours.truth_words > 100
    assert ours.owe <= raw.owe + MARGIN, (k, ours.owe, raw.owe)


def test_the_claims_read_no_worse_than_the_raw_engine(readings):
    truth = (OFFICE / "claims.txt").read_text(encoding="utf-8")
    ours = score("claims", truth, "\n".join(readings[k][0] for k in CLAIMS))
    raw = score("claims", truth, "\n".join(readings[k][1] for k in CLAIMS))
    assert not ours.blank and ours.truth_words > 700
    assert ours.owe <= raw.owe + CLAIMS_MARGIN, (ours.owe, raw.owe, ours.missing, ours.extra)


def test_a_hatched_drawing_keeps_its_measured_resolution():
    """Page 28, a figure with hatched walls (G4, 300 dpi): the hatching is not taken for 8-px
    text that would make the page "114 dpi" and have it blown up 2.75x (66 Mpx, read as ~210
    words of noise; the raw CLI reads 15 words at the page's 300 dpi)."""
    profile = profiles.load("generic")
    s = profile.preprocess
    (page,) = list(ingest.iter_pages(_pdf(28), max_pixels=s.max_pixels, default_dpi=s.default_dpi))
    result, prepared = ocr_page(replace(page, number=28), profile)
    assert prepared.dpi == 300, result.resolution
    assert len(result.text.split()) <= 40
