"""The facsimile PDF of a document OCR'd here for real: its text layer (read back by poppler's
``pdftotext``) is the document's text, its images are the stored page images byte for byte
(``pdfimages``), and it identifies itself as PDF/A-2b with every font embedded (``pdffonts``)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from digitize.settings import profile as profiles
from digitize.evaluate import score
from digitize.model import Prepared

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LINES = [
    "(11) XX 0000001 A1",
    "(43) Date of publication: 15.03.2024",
    "(57) Abstract",
    "The present invention relates to a woven fabric for filters.",
    "A filter comprising the woven fabric and a frame is described.",
    "The frame holds the fabric under tension in every direction.",
    "Claims 1. A filter comprising a woven fabric and a frame.",
    "2. The filter of claim 1, wherein the frame is made of steel.",
]
DOC_ID = "XX0000001A1"

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftotext", "pdfimages", "pdffonts")),
                                reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def doc_folder(tmp_path_factory) -> Path:
    from digitize.ocr import get_engine
    from digitize.pipeline import finish_document, save_page
    from digitize.synth import degrade, render_text_page

    profile = profiles.load("generic")
    work = tmp_path_factory.mktemp("fax") / "documents" / DOC_ID
    for n, lines in enumerate((LINES[:5], LINES[5:]), 1):
        image, dpi = degrade(render_text_page(lines, dpi=300, font_pt=12), "clean", n)
        page = get_engine(profile.engine).recognize(Prepared(image=image, dpi=dpi), n)
        save_page(work, page, Prepared(image=image, dpi=dpi))
    result = finish_document(work, profile, source="scan.tif", doc_id=DOC_ID, force_doc_id=True, formats=("pdf",))
    assert f"{DOC_ID}.pdf" in result.files
    return work


def test_pdf_is_a_run_output_format():
    from digitize.settings.job import JobError, JobSettings, merge, validate

    assert validate(JobSettings(formats=("st36", "pdf"))).formats == ("st36", "pdf")
    assert "pdf" not in JobSettings().formats  # on request only
    with pytest.raises(JobError):
        merge(JobSettings(), formats=("docx",))


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def test_text_layer_matches_the_document_text(doc_folder):
    pdf = doc_folder / f"{DOC_ID}.pdf"
    text = _run("pdftotext", str(pdf), "-")
    s = score(DOC_ID, (doc_folder / f"{DOC_ID}.txt").read_text(encoding="utf-8"), text)
    assert s.truth_words > 60
    assert s.owe < 0.01, (s.missing, s.extra, text)


def test_images_are_the_stored_streams(doc_folder, tmp_path):
    pdf = doc_folder / f"{DOC_ID}.pdf"
    listing = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert [line.split()[8] for line in listing] == ["ccitt", "ccitt"]  # the enc column
    _run("pdfimages", "-ccitt", str(pdf), str(tmp_path / "img"))
    for n in (1, 2):
        with Image.open(doc_folder / "pages" / f"{n:04d}.tif") as im:
            (offset,), (length,) = im.tag_v2[273], im.tag_v2[279]
        raw = (doc_folder / "pages" / f"{n:04d}.tif").read_bytes()[offset:offset + length]
        assert (tmp_path / f"img-{n - 1:03d}.ccitt").read_bytes() == raw


def test_jpeg_page_is_embedded_as_is(doc_folder, tmp_path):
    from digitize.emit.facsimile import facsimile_pdf

    folder = tmp_path / "doc"
    (folder / "pages").mkdir(parents=True)
    with Image.open(doc_folder / "pages" / "0001.tif") as im:
        buf = io.BytesIO()
        im.convert("L").save(buf, format="JPEG", quality=80, dpi=(300, 300))
    (folder / "pages" / "0001.jpg").write_bytes(buf.getvalue())
    shutil.copy(doc_folder / "pages" / "0001.hocr", folder / "pages" / "0001.hocr")
    (tmp_path / "f.pdf").write_bytes(facsimile_pdf(folder))
    assert "jpeg" in _run("pdfimages", "-list", str(tmp_path / "f.pdf"))
    _run("pdfimages", "-j", str(tmp_path / "f.pdf"), str(tmp_path / "img"))
    assert (tmp_path / "img-000.jpg").read_bytes() == buf.getvalue()
    assert "woven" in _run("pdftotext", str(tmp_path / "f.pdf"), "-")


def test_pdfa_identification_and_fonts(doc_folder):
    pdf_path = doc_folder / f"{DOC_ID}.pdf"
    fonts = _run("pdffonts", str(pdf_path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the emb column
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == DOC_ID
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and len(intent.DestOutputProfile.read_bytes()) > 1000
        assert "/Encrypt" not in pdf.trailer and len(pdf.trailer.ID) == 2
    # the same pages give the same bytes
    from digitize.emit.facsimile import facsimile_pdf

    assert facsimile_pdf(doc_folder, title=DOC_ID, lang="en") == facsimile_pdf(doc_folder, title=DOC_ID, lang="en")
