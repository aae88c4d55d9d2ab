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


def _bilevel_page(img: np.ndarray, number: int):
    from digitize.model import PageImage

    return PageImage(number, np.where(img < 160, 0, 255).astype(np.uint8), 300, header_dpi=300.0)


def test_a_drawing_sheet_is_read_for_its_labels_only(rendered):
    """Issue 16: EP 3441143 A1 sheet 19 (FIG. 6A and 6B), scanned bilevel at 300 dpi: classed a
    drawing before recognition, its two figures found, and the engine reads the sheet without its
    line art: the figure labels and reference numerals are there, no word lies on a stroke of the
    drawing, no second reading; the stored image is the whole sheet."""
    from digitize.pipeline import ocr_page
    from digitize.structure.figures import labels_only

    n, img, _ = rendered["EP17185386NWA1"][18]
    page = _bilevel_page(img, n)
    result, prepared = ocr_page(page, profiles.load("ep"))
    assert result.kind == "drawing" and len(result.figures) == 2
    assert result.reading["why"].startswith("drawing sheet") and not result.reading["second"]
    text = result.text
    assert "FIG. 6A" in text and "FIG. 6B" in text
    assert {"78", "80", "82", "84", "86", "88"} <= set(text.split())
    # the line art is gone from what the engine read, and only from that
    art = (prepared.image < 128).sum()
    read = (labels_only(prepared.image, prepared.dpi) < 128).sum()
    assert read < 0.5 * art
    assert result.width == prepared.image.shape[1] and result.height == prepared.image.shape[0]


def test_labels_only_keeps_a_text_page_whole(rendered):
    """A text page taken for a drawing would still be read whole: no glyph is line art."""
    from digitize.structure.figures import labels_only

    for name, number in (("EP17185386NWA1", 3), ("EP15906245NWA1", 5)):
        _, img, _ = rendered[name][number - 1]
        kept = labels_only(img, 300)
        lost = np.count_nonzero((img < 128) & (kept >= 128))
        assert lost <= 0.01 * np.count_nonzero(img < 128), (name, number, lost)


def test_an_empty_page_is_not_read(rendered):
    """A blank sheet with a few specks of scanner dust: no engine call, no words, the page
    record says why; a sheet with one short line of text is read."""
    from digitize.pipeline import ocr_page

    n, img, _ = rendered["EP17185386NWA1"][2]
    blank = np.full_like(img, 255)
    rng = np.random.default_rng(5)
    for y, x in zip(rng.integers(200, 3300, 8), rng.integers(200, 2300, 8)):
        blank[y:y + 3, x:x + 3] = 0
    result, _ = ocr_page(_bilevel_page(blank, 1), profiles.load("ep"))
    assert result.words() == [] and result.reading["why"].startswith("empty page")
    line = np.full_like(img, 255)
    line[300:420] = img[300:420]  # the first line(s) of a text page
    result, _ = ocr_page(_bilevel_page(line, 1), profiles.load("ep"))
    assert result.words() and not result.reading["why"].startswith("empty page")
    word = np.full_like(img, 255)
    x0, y0, x1, y1 = next((w.bbox for w in result.words() if len(w.text) >= 4), result.words()[0].bbox)
    word[y0:y1, x0:x1] = line[y0:y1, x0:x1]  # one word alone on the sheet: fewer marks than dust
    result, _ = ocr_page(_bilevel_page(word, 1), profiles.load("ep"))
    assert result.words() and not result.reading["why"].startswith("empty page"), result.reading
