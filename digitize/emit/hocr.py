"""One OCR'd page as hOCR 1.2 (XHTML): the format search engines and PDF tools read.

    page_to_hocr(page, "0001.tif") -> bytes

Layout follows Tesseract's own hOCR: ``ocr_page`` ⊃ ``ocr_carea`` ⊃ ``ocr_par`` ⊃ ``ocr_line`` ⊃
``ocrx_word``, each with its ``bbox`` in the pixels of the image the engine saw (``image``);
words carry ``x_wconf`` (0..100) and keep their stable ids (``p0001_w00042``), so a reviewer's
decision found in the hOCR can be matched back to the page JSON. A word a reviewer marked
illegible keeps its text and gets ``x_confs`` of 0 for every character (the spec's per-character
confidence: nothing of it is sure). Built with lxml: text is
escaped by the serialiser, never by hand.
"""

from __future__ import annotations

from lxml import etree

from .. import __version__
from ..model import BBox, OcrPage
from .xmltext import clean

XHTML = "http://www.w3.org/1999/xhtml"
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocrp_confs"
ISO639_1 = {"eng": "en", "spa": "es", "fra": "fr", "deu": "de", "por": "pt", "ita": "it", "nld": "nl"}
DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')


def _bbox(b: BBox) -> str:
    return "bbox {} {} {} {}".format(*(int(v) for v in b))


def _el(parent, tag: str, cls: str, ident: str, title: str, text: str | None = None):
    el = etree.SubElement(parent, f"{{{XHTML}}}{tag}", {"class": cls, "id": ident, "title": title})
    if text is not None:
        el.text = text
    return el


def page_to_hocr(page: OcrPage, image_name: str) -> bytes:
    """The page as a standalone hOCR document (UTF-8 bytes)."""
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML})
    lang = _lang(page.engine)
    html.set("{http://www.w3.org/XML/1998/namespace}lang", ISO639_1.get(lang, lang))
    html.set("lang", ISO639_1.get(lang, lang))
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}title").text = clean(image_name)
    etree.SubElement(head, f"{{{XHTML}}}meta", {"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"})
    system = f"digitize {__version__}" + (f" ({page.engine})" if page.engine else "")
    etree.SubElement(head, f"{{{XHTML}}}meta", {"name": "ocr-system", "content": clean(system)})
    etree.SubElement(head, f"{{{XHTML}}}meta", {"name": "ocr-capabilities", "content": CAPABILITIES})
    etree.SubElement(head, f"{{{XHTML}}}meta", {"name": "ocr-number-of-pages", "content": "1"})
    body = etree.SubElement(html, f"{{{XHTML}}}body")
    n = page.number
    title = (f'image "{clean(image_name)}"; {_bbox((0, 0, page.width, page.height))}; '
             f"ppageno {n - 1}; scan_res {page.dpi} {page.dpi}")
    div = _el(body, "div", "ocr_page", f"page_{n}", title)
    line_no = 0
    for bi, block in enumerate(page.blocks, 1):
        area = _el(div, "div", "ocr_carea", f"block_{n}_{bi}", _bbox(block.bbox))
        par = _el(area, "p", "ocr_par", f"par_{n}_{bi}", _bbox(block.bbox))
        par.set("lang", lang)
        for line in block.lines:
            if not line.words:
                continue
            line_no += 1
            span = _el(par, "span", "ocr_line", f"line_{n}_{line_no}", _bbox(line.bbox))
            span.text = "\n"
            for i, word in enumerate(line.words):
                title = f"{_bbox(word.bbox)}; x_wconf {int(round(max(0.0, min(100.0, word.conf))))}"
                if word.illegible:
                    title += "; x_confs " + " ".join("0" for _ in clean(word.text) or "?")
                w = _el(span, "span", "ocrx_word", word.id, title, clean(word.text))
                w.tail = " " if i < len(line.words) - 1 else "\n"
            span.tail = "\n"
    body_bytes = etree.tostring(html, encoding="utf-8", xml_declaration=False, pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + DOCTYPE.encode() + b"\n" + body_bytes


def _lang(engine: str) -> str:
    """Tesseract's language names from the engine string (``tesserocr 5.5.4 eng+spa``) as the
    document language: the first one, ISO 639-2 as Tesseract names it, or ``und``."""
    parts = engine.split()
    if len(parts) >= 3 and parts[-1].replace("+", "").isalpha():
        return parts[-1].split("+")[0]
    return "und"
