"""One OCR'd page as ALTO v4 XML: the format libraries and archives load into their viewers.

    page_to_alto(page, "0001.tif") -> bytes

Coordinates are pixels of the image the engine saw (``MeasurementUnit`` pixel, named in
``sourceImageInformation``). Tesseract's paragraph blocks become ``TextBlock``s, its lines
``TextLine``s; each word is a ``String`` with ``WC`` (confidence 0..1) and its stable id, with
``SP`` between words. Elements follow the order of the ALTO 4.2 schema; built with lxml. A word a
reviewer marked illegible keeps its ``CONTENT`` as read, with ``WC="0"``, ``CC`` of 9 (unsure) per
character and ``TAGREFS`` to an ``OtherTag`` "illegible" declared in ``Tags``.
"""

from __future__ import annotations

from lxml import etree

from .. import __version__
from ..model import BBox, OcrPage
from .xmltext import clean

ALTO = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{ALTO} http://www.loc.gov/alto/v4/alto-4-2.xsd"
ILLEGIBLE_TAG = "illegible"


def _q(tag: str) -> str:
    return f"{{{ALTO}}}{tag}"


def _box(el, b: BBox) -> None:
    x0, y0, x1, y1 = (int(v) for v in b)
    el.set("HPOS", str(x0))
    el.set("VPOS", str(y0))
    el.set("WIDTH", str(max(0, x1 - x0)))
    el.set("HEIGHT", str(max(0, y1 - y0)))


def page_to_alto(page: OcrPage, image_name: str) -> bytes:
    """The page as a standalone ALTO v4 document (UTF-8 bytes)."""
    root = etree.Element(_q("alto"), nsmap={None: ALTO, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    desc = etree.SubElement(root, _q("Description"))
    etree.SubElement(desc, _q("MeasurementUnit")).text = "pixel"
    src = etree.SubElement(desc, _q("sourceImageInformation"))
    etree.SubElement(src, _q("fileName")).text = clean(image_name)
    proc = etree.SubElement(desc, _q("Processing"), ID="OCR_0")
    etree.SubElement(proc, _q("processingCategory")).text = "contentGeneration"
    steps = [f"resolution {page.dpi} dpi"]
    if page.rotation:
        steps.append(f"rotated {page.rotation} degrees clockwise")
    if page.skew:
        steps.append(f"deskewed {page.skew:+.2f} degrees")
    etree.SubElement(proc, _q("processingStepDescription")).text = "; ".join(steps)
    software = etree.SubElement(proc, _q("processingSoftware"))
    etree.SubElement(software, _q("softwareName")).text = "digitize"
    etree.SubElement(software, _q("softwareVersion")).text = __version__
    if page.engine:
        etree.SubElement(software, _q("applicationDescription")).text = clean(page.engine)

    if any(w.illegible for w in page.words()):
        tags = etree.SubElement(root, _q("Tags"))
        etree.SubElement(tags, _q("OtherTag"), ID=ILLEGIBLE_TAG, LABEL="illegible",
                         DESCRIPTION="marked illegible by a reviewer: the text is as the engine read it")
    layout = etree.SubElement(root, _q("Layout"))
    n = page.number
    pg = etree.SubElement(layout, _q("Page"), ID=f"page_{n}", PHYSICAL_IMG_NR=str(n),
                          WIDTH=str(int(page.width)), HEIGHT=str(int(page.height)))
    words = page.words()
    if words:
        pg.set("PC", f"{sum(w.conf for w in words) / len(words) / 100:.4f}")
    space = etree.SubElement(pg, _q("PrintSpace"))
    _box(space, (0, 0, page.width, page.height))
    line_no = 0
    for bi, block in enumerate(page.blocks, 1):
        tb = etree.SubElement(space, _q("TextBlock"), ID=f"block_{n}_{bi}")
        _box(tb, block.bbox)
        for line in block.lines:
            if not line.words:
                continue  # ALTO: a TextLine holds at least one String
            line_no += 1
            tl = etree.SubElement(tb, _q("TextLine"), ID=f"line_{n}_{line_no}")
            _box(tl, line.bbox)
            for i, word in enumerate(line.words):
                if i:
                    prev = line.words[i - 1]
                    sp = etree.SubElement(tl, _q("SP"))
                    sp.set("WIDTH", str(max(0, int(word.bbox[0]) - int(prev.bbox[2]))))
                    sp.set("HPOS", str(int(prev.bbox[2])))
                    sp.set("VPOS", str(int(line.bbox[1])))
                s = etree.SubElement(tl, _q("String"), ID=word.id)
                s.set("CONTENT", clean(word.text))
                _box(s, word.bbox)
                if word.illegible:
                    s.set("TAGREFS", ILLEGIBLE_TAG)
                    s.set("WC", "0.00")
                    s.set("CC", " ".join("9" for _ in clean(word.text)) or "9")
                else:
                    s.set("WC", f"{max(0.0, min(100.0, word.conf)) / 100:.2f}")
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
