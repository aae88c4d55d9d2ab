"""Drawings and figure regions on the real EP publications (rendered from their PDFs).

A text page must never be taken for a drawing: that would drop its text. Every page of both EP
PDFs whose text layer holds more than the six words of a drawing sheet's header is checked.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from digitize.settings import profile as profiles
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


def _chart_on_text_page(rendered):
    """A real EP text page with its lower text replaced by a share-price chart of the usual
    proportions: a curve 60 x 16 mm, tick values 3 mm left of it, dates 4 mm under it (about
    60 x 24 mm in all, like the chart beside the columns of ocr-benchmark multicol_07)."""
    import cv2

    _, img, _ = rendered["EP17185386NWA1"][2]
    page = img.copy()
    page[2300:3000, 150:2350] = 255
    mm = 300 / 25.4
    x0, y0, hh = int(40 * mm), 2400, 16 * mm
    xs = np.linspace(x0, x0 + 60 * mm, 120)
    ys = y0 + hh * (0.5 + 0.5 * np.sin(np.linspace(0, 9, 120)) * np.linspace(1, 0.3, 120))
    ys[0], ys[60] = y0, y0 + hh
    cv2.polylines(page, [np.stack([xs, ys], 1).astype(np.int32)], False, 0, 6)
    for k, v in enumerate(("60", "40", "20")):  # ~4.6 mm wide, 2 mm high
        cv2.putText(page, v, (int(x0 - 7.6 * mm), int(y0 + k * hh / 2 + 1 * mm)), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    for k, v in enumerate(("2017", "2018", "2019")):
        cv2.putText(page, v, (int(x0 + k * 25 * mm), int(y0 + hh + 6 * mm)), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    return page


def test_a_chart_on_a_text_page_is_a_figure_and_its_labels_leave_the_text(rendered):
    """A chart beside the text (line art with tick labels, ~60 x 25 mm in all) is a figure
    region; the engine reads its tick labels, which the page JSON keeps (with their boxes) and
    the page's running text (.txt) leaves out; every word of the text around it stays."""
    from digitize.pipeline import ocr_page
    from digitize.structure.figures import running_text

    page = _chart_on_text_page(rendered)
    kind, regions = analyse(page, 300)
    assert kind == "text" and len(regions) == 1, regions
    x0, y0, x1, y1 = regions[0]
    assert (x1 - x0) / 300 * 25.4 >= 60 and (y1 - y0) / 300 * 25.4 >= 20
    result, _ = ocr_page(_bilevel_page(page, 3), profiles.load("ep"))
    assert result.figures == regions
    labels = [w for w in result.words() if inside(w.bbox, regions)]
    assert {"2017", "2018", "2019"} <= {w.text for w in labels}, [w.text for w in labels]
    outside = [w.text for w in result.words() if not inside(w.bbox, regions)]
    assert len(outside) > 150 and running_text(result).split() == outside  # the chart's words all left it


def test_figure_labels_are_numbers_and_marks_never_words():
    """Inside a figure region a confidently read word without digits ("Price", a boxed title, a
    dash) stays in the running text; numbers and low-confidence readings of line art leave it.
    Outside the region nothing leaves it; a drawing sheet keeps its whole text."""
    from digitize.model import Block, Line, Word
    from digitize.structure.figures import running_text

    def w(i, text, x, conf=95.0):
        return Word(id=f"p0001_w{i:05d}", text=text, bbox=(x, 100, x + 40, 120), conf=conf)

    words = [w(1, "Sales", 10), w(2, "2019:", 60, conf=40.0), w(3, "Price", 500), w(4, "300.00", 560),
             w(5, "—", 620), w(6, "eee", 680, conf=30.0), w(7, "Oct-18", 740)]
    page = OcrPage(number=1, width=1000, height=500, dpi=300, kind="text", figures=[(480, 50, 900, 400)],
                   blocks=[Block(bbox=(0, 0, 1000, 500), lines=[Line(bbox=(0, 100, 1000, 120), words=words)])])
    assert running_text(page) == "Sales 2019: Price —"
    page.kind = "drawing"
    assert running_text(page) == page.text
    page.kind = "text"
    from lxml import etree

    from digitize.emit.alto import page_to_alto
    from digitize.emit.hocr import page_to_hocr

    from digitize.structure.figures import label_ids

    alto = etree.fromstring(page_to_alto(page, "0001.tif", label_ids(page)))
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    tagged = [s.get("CONTENT") for s in alto.iterfind(".//a:String", ns) if s.get("TAGREFS") == "figure_label"]
    assert tagged == ["300.00", "eee", "Oct-18"]
    assert alto.find(".//a:Tags/a:LayoutTag", ns).get("ID") == "figure_label"
    (ill,) = alto.iterfind(".//a:PrintSpace/a:Illustration", ns)
    assert [ill.get(k) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT")] == ["480", "50", "420", "350"]
    hocr = etree.fromstring(page_to_hocr(page, "0001.tif"))
    x = {"h": "http://www.w3.org/1999/xhtml"}
    (img,) = hocr.xpath("//h:div[@class='ocr_image']", namespaces=x)
    assert img.get("title") == "bbox 480 50 900 400"
    assert len(hocr.xpath("//h:span[@class='ocrx_word']", namespaces=x)) == 7  # the labels stay words
