"""hOCR 1.2 and ALTO v4 page files: structure checked with lxml, on built and on real OCR pages."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from digitize.emit.alto import page_to_alto
from digitize.emit.hocr import page_to_hocr
from digitize.model import Block, Line, OcrPage, Word

XHTML = "{http://www.w3.org/1999/xhtml}"
ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
A = {"a": ALTO_NS}


def sample_page() -> OcrPage:
    words1 = [Word("p0003_w00001", "Claims", (100, 200, 260, 240), 96.4),
              Word("p0003_w00002", "<1>&\"x\"", (280, 200, 400, 240), 51.0)]
    words2 = [Word("p0003_w00003", "bad\x0bchar", (100, 260, 300, 300), 12.5, ocr_text="bad")]
    words3 = [Word("p0003_w00004", "second", (900, 200, 1100, 240), 100.0)]
    return OcrPage(
        number=3, width=2480, height=3508, dpi=300, rotation=90, skew=-1.25, engine="tesserocr 5.5.4 eng",
        blocks=[Block(bbox=(100, 200, 400, 300), lines=[Line((100, 200, 400, 240), words1),
                                                        Line((100, 260, 300, 300), words2), Line((0, 0, 1, 1), [])]),
                Block(bbox=(900, 200, 1100, 240), lines=[Line((900, 200, 1100, 240), words3)])],
    )


def _bbox(title: str) -> tuple[int, ...]:
    m = re.search(r"bbox (\d+) (\d+) (\d+) (\d+)", title)
    assert m, title
    return tuple(int(v) for v in m.groups())


# --------------------------------------------------------------------------- hOCR


def test_hocr_structure():
    page = sample_page()
    data = page_to_hocr(page, "0003.tif")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html')
    root = etree.fromstring(data)  # well-formed XML (XHTML)
    assert root.tag == f"{XHTML}html"
    metas = {m.get("name"): m.get("content") for m in root.iter(f"{XHTML}meta") if m.get("name")}
    assert metas["ocr-system"].startswith("digitize") and "tesserocr 5.5.4" in metas["ocr-system"]
    for cls in ("ocr_page", "ocr_carea", "ocr_par", "ocr_line", "ocrx_word"):
        assert cls in metas["ocr-capabilities"]

    def by_class(el, cls):
        return [e for e in el.iter() if e.get("class") == cls]

    (pg,) = by_class(root, "ocr_page")
    assert 'image "0003.tif"' in pg.get("title") and _bbox(pg.get("title")) == (0, 0, 2480, 3508)
    assert "ppageno 2" in pg.get("title") and "scan_res 300 300" in pg.get("title")
    areas = by_class(pg, "ocr_carea")
    assert len(areas) == 2
    # hierarchy: carea > par > line > word, boxes as given
    for area, block in zip(areas, page.blocks):
        (par,) = by_class(area, "ocr_par")
        assert par.getparent() is area and _bbox(par.get("title")) == block.bbox
        lines = by_class(par, "ocr_line")
        assert len(lines) == len([ln for ln in block.lines if ln.words])  # empty lines are left out
        for el, line in zip(lines, block.lines):
            assert _bbox(el.get("title")) == line.bbox
            words = by_class(el, "ocrx_word")
            assert [w.getparent() for w in words] == [el] * len(words)
            for w, word in zip(words, line.words):
                assert w.get("id") == word.id
                assert _bbox(w.get("title")) == word.bbox
                assert f"x_wconf {round(word.conf)}" in w.get("title")
    words = by_class(root, "ocrx_word")
    assert [w.text for w in words] == ["Claims", '<1>&"x"', "badchar", "second"]  # escaped, control char dropped
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_hocr_and_alto_of_an_empty_page():
    page = OcrPage(number=1, width=100, height=200, dpi=200)
    hocr = etree.fromstring(page_to_hocr(page, "0001.tif"))
    assert [e.get("class") for e in hocr.iter() if e.get("class")] == ["ocr_page"]
    alto = etree.fromstring(page_to_alto(page, "0001.tif"))
    assert alto.find(".//a:PrintSpace", A) is not None and alto.find(".//a:TextBlock", A) is None
    assert alto.find(".//a:Page", A).get("PC") is None


# --------------------------------------------------------------------------- ALTO


def test_alto_structure():
    page = sample_page()
    data = page_to_alto(page, "0003.tif")
    root = etree.fromstring(data)
    assert root.tag == f"{{{ALTO_NS}}}alto"
    assert ALTO_NS in root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    desc = root.find("a:Description", A)
    # the schema's sequence: MeasurementUnit, sourceImageInformation, (OCR)Processing
    assert [etree.QName(c).localname for c in desc] == ["MeasurementUnit", "sourceImageInformation", "Processing"]
    assert desc.findtext("a:MeasurementUnit", namespaces=A) == "pixel"
    assert desc.findtext("a:sourceImageInformation/a:fileName", namespaces=A) == "0003.tif"
    proc = desc.find("a:Processing", A)
    assert proc.get("ID") and [etree.QName(c).localname for c in proc] == [
        "processingCategory", "processingStepDescription", "processingSoftware"]
    assert "rotated 90" in proc.findtext("a:processingStepDescription", namespaces=A)
    assert proc.findtext("a:processingSoftware/a:softwareName", namespaces=A) == "digitize"
    assert [etree.QName(c).localname for c in root] == ["Description", "Layout"]

    pg = root.find("a:Layout/a:Page", A)
    assert [pg.get(k) for k in ("ID", "PHYSICAL_IMG_NR", "WIDTH", "HEIGHT")] == ["page_3", "3", "2480", "3508"]
    assert 0 <= float(pg.get("PC")) <= 1
    (space,) = pg  # PrintSpace is the page's only child
    assert etree.QName(space).localname == "PrintSpace"
    blocks = space.findall("a:TextBlock", A)
    assert len(blocks) == 2 and all(b.get("ID") for b in blocks)
    first = blocks[0]
    assert [first.get(k) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT")] == ["100", "200", "300", "100"]
    lines = first.findall("a:TextLine", A)
    assert len(lines) == 2  # the empty line is left out: a TextLine must hold a String
    # String and SP alternate, starting and ending with a String
    kinds = [etree.QName(c).localname for c in lines[0]]
    assert kinds == ["String", "SP", "String"]
    s1, sp, s2 = lines[0]
    assert s1.get("CONTENT") == "Claims" and s2.get("CONTENT") == '<1>&"x"'
    assert (s1.get("HPOS"), s1.get("VPOS"), s1.get("WIDTH"), s1.get("HEIGHT")) == ("100", "200", "160", "40")
    assert sp.get("HPOS") == "260" and sp.get("WIDTH") == "20"
    assert s1.get("ID") == "p0003_w00001"
    strings = root.findall(".//a:String", A)
    assert [float(s.get("WC")) for s in strings] == [0.96, 0.51, 0.12, 1.0]
    assert [s.get("CONTENT") for s in strings][2] == "badchar"
    ids = [e.get("ID") for e in root.iter() if e.get("ID")]
    assert len(ids) == len(set(ids))
    for ident in ids:  # xsd:ID values are NCNames
        assert re.fullmatch(r"[A-Za-z_][\w.-]*", ident), ident


# --------------------------------------------------------------------------- real OCR


def test_real_ocr_page_round_trips_through_both(tmp_path):
    """A page recognised by the real engine: both files carry exactly its words and boxes."""
    try:
        from digitize.ocr import EngineError, get_engine
        from digitize.profiles import EngineSettings

        engine = get_engine(EngineSettings())
    except (ImportError, EngineError) as exc:
        pytest.skip(f"no OCR engine: {exc}")
    from digitize.model import Prepared
    from digitize.synth import render_text_page

    img = render_text_page(["Heading of a patent page", "", "Second paragraph with words & symbols < 3."], dpi=200)
    page = engine.recognize(Prepared(image=img[:600], dpi=200), 7)
    assert len(page.words()) >= 8
    hocr = etree.fromstring(page_to_hocr(page, "0007.tif"))
    hwords = [e for e in hocr.iter() if e.get("class") == "ocrx_word"]
    assert [w.text for w in hwords] == [w.text for w in page.words()]
    assert [_bbox(w.get("title")) for w in hwords] == [tuple(w.bbox) for w in page.words()]
    alto = etree.fromstring(page_to_alto(page, "0007.tif"))
    strings = alto.findall(".//a:String", A)
    assert [s.get("CONTENT") for s in strings] == [w.text for w in page.words()]
    assert " ".join(s.get("CONTENT") for s in strings).startswith("Heading of a patent page")
