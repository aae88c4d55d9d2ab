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
        from digitize.tessdata import EngineError
        from digitize.ocr import get_engine
        from digitize.settings.engine import EngineSettings

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


# --------------------------------------------------------------------------- same bytes as lxml's element-by-element build


def _reference_alto(page: OcrPage, image_name: str) -> bytes:
    """``page_to_alto`` as it was built before (one ``SubElement`` per element): the bytes to match."""
    from digitize import __version__
    from digitize.emit.alto import ALTO, ILLEGIBLE_TAG, SCHEMA_LOCATION, XSI
    from digitize.emit.xmltext import clean

    def q(tag):
        return f"{{{ALTO}}}{tag}"

    def box(el, b):
        x0, y0, x1, y1 = (int(v) for v in b)
        for k, v in (("HPOS", x0), ("VPOS", y0), ("WIDTH", max(0, x1 - x0)), ("HEIGHT", max(0, y1 - y0))):
            el.set(k, str(v))

    sub = etree.SubElement
    root = etree.Element(q("alto"), nsmap={None: ALTO, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    desc = sub(root, q("Description"))
    sub(desc, q("MeasurementUnit")).text = "pixel"
    sub(sub(desc, q("sourceImageInformation")), q("fileName")).text = clean(image_name)
    proc = sub(desc, q("Processing"), ID="OCR_0")
    sub(proc, q("processingCategory")).text = "contentGeneration"
    steps = [f"resolution {page.dpi} dpi"]
    if page.rotation:
        steps.append(f"rotated {page.rotation} degrees clockwise")
    if page.skew:
        steps.append(f"deskewed {page.skew:+.2f} degrees")
    sub(proc, q("processingStepDescription")).text = "; ".join(steps)
    software = sub(proc, q("processingSoftware"))
    sub(software, q("softwareName")).text = "digitize"
    sub(software, q("softwareVersion")).text = __version__
    if page.engine:
        sub(software, q("applicationDescription")).text = clean(page.engine)
    if any(w.illegible for w in page.words()):
        sub(sub(root, q("Tags")), q("OtherTag"), ID=ILLEGIBLE_TAG, LABEL="illegible",
            DESCRIPTION="marked illegible by a reviewer: the text is as the engine read it")
    n = page.number
    pg = sub(sub(root, q("Layout")), q("Page"), ID=f"page_{n}", PHYSICAL_IMG_NR=str(n),
             WIDTH=str(int(page.width)), HEIGHT=str(int(page.height)))
    words = page.words()
    if words:
        pg.set("PC", f"{sum(w.conf for w in words) / len(words) / 100:.4f}")
    space = sub(pg, q("PrintSpace"))
    box(space, (0, 0, page.width, page.height))
    line_no = 0
    for bi, block in enumerate(page.blocks, 1):
        tb = sub(space, q("TextBlock"), ID=f"block_{n}_{bi}")
        box(tb, block.bbox)
        for line in block.lines:
            if not line.words:
                continue
            line_no += 1
            tl = sub(tb, q("TextLine"), ID=f"line_{n}_{line_no}")
            box(tl, line.bbox)
            for i, word in enumerate(line.words):
                if i:
                    prev = line.words[i - 1]
                    sp = sub(tl, q("SP"))
                    sp.set("WIDTH", str(max(0, int(word.bbox[0]) - int(prev.bbox[2]))))
                    sp.set("HPOS", str(int(prev.bbox[2])))
                    sp.set("VPOS", str(int(line.bbox[1])))
                s = sub(tl, q("String"), ID=word.id)
                s.set("CONTENT", clean(word.text))
                box(s, word.bbox)
                if word.illegible:
                    s.set("TAGREFS", ILLEGIBLE_TAG)
                    s.set("WC", "0.00")
                    s.set("CC", " ".join("9" for _ in clean(word.text)) or "9")
                else:
                    s.set("WC", f"{max(0.0, min(100.0, word.conf)) / 100:.2f}")
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


def _reference_hocr(page: OcrPage, image_name: str) -> bytes:
    """``page_to_hocr`` as it was built before (one ``SubElement`` per element): the bytes to match."""
    from digitize import __version__
    from digitize.emit.hocr import CAPABILITIES, DOCTYPE, ISO639_1, _lang
    from digitize.emit.xmltext import clean

    def bbox(b):
        return "bbox {} {} {} {}".format(*(int(v) for v in b))

    def el(parent, tag, cls, ident, title, text=None):
        e = etree.SubElement(parent, f"{XHTML}{tag}", {"class": cls, "id": ident, "title": title})
        if text is not None:
            e.text = text
        return e

    html = etree.Element(f"{XHTML}html", nsmap={None: XHTML[1:-1]})
    lang = _lang(page.engine)
    html.set("{http://www.w3.org/XML/1998/namespace}lang", ISO639_1.get(lang, lang))
    html.set("lang", ISO639_1.get(lang, lang))
    head = etree.SubElement(html, f"{XHTML}head")
    etree.SubElement(head, f"{XHTML}title").text = clean(image_name)
    etree.SubElement(head, f"{XHTML}meta", {"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"})
    system = f"digitize {__version__}" + (f" ({page.engine})" if page.engine else "")
    etree.SubElement(head, f"{XHTML}meta", {"name": "ocr-system", "content": clean(system)})
    etree.SubElement(head, f"{XHTML}meta", {"name": "ocr-capabilities", "content": CAPABILITIES})
    etree.SubElement(head, f"{XHTML}meta", {"name": "ocr-number-of-pages", "content": "1"})
    body = etree.SubElement(html, f"{XHTML}body")
    n = page.number
    div = el(body, "div", "ocr_page", f"page_{n}", f'image "{clean(image_name)}"; {bbox((0, 0, page.width, page.height))}; '
             f"ppageno {n - 1}; scan_res {page.dpi} {page.dpi}")
    line_no = 0
    for bi, block in enumerate(page.blocks, 1):
        area = el(div, "div", "ocr_carea", f"block_{n}_{bi}", bbox(block.bbox))
        par = el(area, "p", "ocr_par", f"par_{n}_{bi}", bbox(block.bbox))
        par.set("lang", lang)
        for line in block.lines:
            if not line.words:
                continue
            line_no += 1
            span = el(par, "span", "ocr_line", f"line_{n}_{line_no}", bbox(line.bbox))
            span.text = "\n"
            for i, word in enumerate(line.words):
                title = f"{bbox(word.bbox)}; x_wconf {int(round(max(0.0, min(100.0, word.conf))))}"
                if word.illegible:
                    title += "; x_confs " + " ".join("0" for _ in clean(word.text) or "?")
                w = el(span, "span", "ocrx_word", word.id, title, clean(word.text))
                w.tail = " " if i < len(line.words) - 1 else "\n"
            span.tail = "\n"
    body_bytes = etree.tostring(html, encoding="utf-8", xml_declaration=False, pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + DOCTYPE.encode() + b"\n" + body_bytes


def _awkward_pages() -> list[tuple[OcrPage, str]]:
    """Text XML escapes or drops, whitespace the parser would normalise, words that clean to
    nothing, illegible words, float boxes, odd engines and image names."""
    texts = ['<1>&"x"', "a\tb", "c\nd", "e\rf", "]]>", "'q'", "é€😀", "\x0b", "\x00\x01", "bad\x0bchar", "&amp;",
             " lead", "x" * 300, "\ufffe", "", "\u00a0nbsp"]
    words = [Word(f"p0002_w{i:05d}", t, (10 * i, 20, 10 * i + 8.7, 31.2), 100.0 * i / len(texts), illegible=i % 3 == 0)
             for i, t in enumerate(texts)]
    lines = [Line((0, 20, 170, 31), words[:5]), Line((0, 40, 170, 51), words[5:11]), Line((0, 0, 0, 0), []),
             Line((5, 60, 1, 50), words[11:])]
    page = OcrPage(number=2, width=800, height=1000, dpi=150, rotation=270, skew=0.5, engine="tesserocr 5 <&> spa+eng",
                   blocks=[Block((0, 20, 170, 51), lines[:3]), Block((5, 60, 1, 50), lines[3:]), Block((0, 0, 1, 1), [])])
    bare = OcrPage(number=9, width=10, height=10, dpi=72, engine="\x0b",
                   blocks=[Block((0, 0, 5, 5), [Line((0, 0, 5, 5), [Word("p0009_w00001", "\x0c", (0, 0, 5, 5), 50.0)])])])
    return [(sample_page(), "0003.tif"), (page, 'we"ird & <name>\t.tif'), (bare, "\x0b"), (page, ""),
            (OcrPage(number=1, width=100, height=200, dpi=200), "0001.tif")]


def test_page_files_are_the_bytes_of_an_element_by_element_build():
    """The page files are written as markup and parsed once (issue 16: a fraction of the CPU);
    the bytes must be exactly those lxml serialises from a tree built element by element."""
    for page, name in _awkward_pages():
        assert page_to_alto(page, name) == _reference_alto(page, name), name
        assert page_to_hocr(page, name) == _reference_hocr(page, name), name
