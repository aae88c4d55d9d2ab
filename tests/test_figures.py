"""Drawings and figure regions on the real EP publications (rendered from their PDFs).

A text page must never be taken for a drawing: that would drop its text. Every page of both EP
PDFs whose text layer holds more than the six words of a drawing sheet's header is checked.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from digitize import profiles
from digitize.model import OcrPage, QueueCandidate
from digitize.structure import build_document
from digitize.structure.figures import analyse, crop, inside, outside_figures

EP = ("EP15906245NWA1", "EP17185386NWA1")


@pytest.fixture(scope="module")
def rendered(shared_data):
    """{name: [(page number, grey image at 300 dpi, words in the PDF's text layer)]}"""
    import pypdfium2 as pdfium

    out = {}
    for name in EP:
        pdf = pdfium.PdfDocument(str(shared_data / "patent-pdf" / f"{name}.pdf"))
        out[name] = [(i + 1, np.asarray(pdf[i].render(scale=300 / 72, grayscale=True).to_pil().convert("L")),
                      len(pdf[i].get_textpage().get_text_range().split())) for i in range(len(pdf))]
        pdf.close()
    return out


def test_text_pages_never_drawings(rendered):
    checked = 0
    for name, pages in rendered.items():
        for n, img, words in pages:
            if words > 6:  # not a drawing sheet (those carry only the running header and page number)
                kind, regions = analyse(img, 300)
                assert kind == "text", (name, n, kind)
                checked += 1
                if n > 1:  # no figure on a page of running text
                    assert regions == [], (name, n, regions)
    assert checked >= 35  # 16 + 13 pages of text, 6 search-report pages


def test_drawing_sheets_and_their_figures(rendered):
    """EP 3441143 A1: sheets 14-19 are drawings with their figures found; EP 3441903 A1: the two
    sheets of line art are drawings (its flowchart sheets, full of boxed text, are read as text
    pages and left to the word-count test after recognition)."""
    kinds = {(name, n): analyse(img, 300) for name, pages in rendered.items() for n, img, words in pages if words <= 6}
    assert all(kinds[("EP17185386NWA1", n)][0] == "drawing" for n in range(14, 20))
    assert kinds[("EP15906245NWA1", 17)][0] == kinds[("EP15906245NWA1", 18)][0] == "drawing"
    assert len(kinds[("EP17185386NWA1", 15)][1]) == 3  # FIG. 2, 3 and 4 on one sheet
    for (name, n), (kind, regions) in kinds.items():
        if kind == "drawing":
            assert regions and all(r[2] - r[0] > 150 and r[3] - r[1] > 150 for r in regions), (name, n)


def test_front_page_figure_cropped_and_emitted(rendered, ep_ocr_pages, tmp_path, schema_dir):
    """The figure under the abstract of EP 3441903 A1: one region in the lower half, cropped to
    figures/0001-1.tif (G4), listed in the document, emitted in ST.36 and ST.96; its labels
    ("FILE SHARING SERVER", "110") are neither abstract text nor queue items."""
    from digitize.emit import emit_document

    n, img, _ = rendered["EP15906245NWA1"][0]
    kind, regions = analyse(img, 300)
    assert kind == "text" and len(regions) == 1 and regions[0][1] > img.shape[0] / 2
    page = OcrPage.from_dict(ep_ocr_pages["EP15906245NWA1"][0].to_dict())
    page.kind, page.figures = kind, regions
    (tmp_path / "pages").mkdir()
    Image.fromarray(img).convert("1").save(tmp_path / "pages" / "0001.tif", compression="group4", dpi=(300, 300))
    profile = profiles.load("ep")
    doc = build_document([page], profile, source="x", doc_id="x")
    assert [(f.id, f.page, f.file) for f in doc.figures] == [("fig0001", 1, "figures/0001-1.tif")]
    assert doc.figures[0].bbox == tuple(regions[0])
    assert "SHARING" not in doc.abstract[0].text and "110" not in doc.abstract[0].text.split()
    assert crop(tmp_path, doc) == ["figures/0001-1.tif"]
    with Image.open(tmp_path / "figures" / "0001-1.tif") as im:
        assert im.info.get("compression") == "group4"
        assert im.size == (regions[0][2] - regions[0][0], regions[0][3] - regions[0][1])
    labels = [w for w in page.words() if inside(w.bbox, regions)]
    assert labels
    queue = [QueueCandidate(kind="word", page=1, bbox=w.bbox, text=w.text, confidence=40.0, word_id=w.id) for w in labels]
    assert outside_figures(queue, [page]) == []
    result = emit_document(doc, tmp_path, profile, schema_dir=schema_dir)
    assert result.validated == "yes"
    st36 = (tmp_path / f"{doc.doc_id}.st36.xml").read_text(encoding="utf-8")
    st96 = (tmp_path / f"{doc.doc_id}.st96.xml").read_text(encoding="utf-8")
    assert 'file="figures/0001-1.tif"' in st36 and "<com:FileName>figures/0001-1.tif</com:FileName>" in st96
