"""One OCR'd page as hOCR 1.2 (XHTML): the format search engines and PDF tools read.

    page_to_hocr(page, "0001.tif") -> bytes

Layout follows Tesseract's own hOCR: ``ocr_page`` ⊃ ``ocr_carea`` ⊃ ``ocr_par`` ⊃ ``ocr_line`` ⊃
``ocrx_word``, each with its ``bbox`` in the pixels of the image the engine saw (``image``);
words carry ``x_wconf`` (0..100) and keep their stable ids (``p0001_w00042``), so a reviewer's
decision found in the hOCR can be matched back to the page JSON. A word a reviewer marked
illegible keeps its text and gets ``x_confs`` of 0 for every character (the spec's per-character
confidence: nothing of it is sure). The page's figure regions follow its text as ``ocr_image``
(the numbers read inside them stay words of the text blocks, and out of the page's ``.txt``).
Written as the text lxml serialises (values escaped by
``xmltext.escape_text``/``escape_attr`` as libxml2 escapes them).
"""

from __future__ import annotations

from .. import __version__
from ..model import BBox, OcrPage
from .xmltext import attr, clean, escape_attr, escape_text

XHTML = "http://www.w3.org/1999/xhtml"
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocrp_confs"
ISO639_1 = {"eng": "en", "spa": "es", "fra": "fr", "deu": "de", "por": "pt", "ita": "it", "nld": "nl"}
DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')


def _bbox(b: BBox) -> str:
    return "bbox {} {} {} {}".format(*map(int, b))


def page_to_hocr(page: OcrPage, image_name: str) -> bytes:
    """The page as a standalone hOCR document (UTF-8 bytes).

    Written directly as the text lxml's ``pretty_print`` made of the element-by-element build
    (indented where an element holds only elements, as is inside a ``ocr_par``), a fifth of its
    cost; ``tests/test_hocr_alto.py`` checks the bytes against that build on awkward pages."""
    lang = _lang(page.engine)
    code = escape_attr(ISO639_1.get(lang, lang))
    system = f"digitize {__version__}" + (f" ({page.engine})" if page.engine else "")
    name = clean(image_name)
    n = page.number
    title = (f'image "{name}"; {_bbox((0, 0, page.width, page.height))}; '
             f"ppageno {n - 1}; scan_res {page.dpi} {page.dpi}")
    out = ['<?xml version="1.0" encoding="UTF-8"?>', DOCTYPE,
           f'<html xmlns="{XHTML}" xml:lang="{code}" lang="{code}">',
           "  <head>",
           f"    <title>{escape_text(name)}</title>",
           '    <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
           f'    <meta name="ocr-system" content="{attr(system)}"/>',
           f'    <meta name="ocr-capabilities" content="{CAPABILITIES}{" ocr_image" if page.figures else ""}"/>',
           '    <meta name="ocr-number-of-pages" content="1"/>',
           "  </head>",
           "  <body>"]
    # the figure regions, as Tesseract writes its image blocks: after the text
    figures = [f'      <div class="ocr_image" id="image_{n}_{k}" title="{_bbox(r)}"/>' for k, r in enumerate(page.figures, 1)]
    div = f'    <div class="ocr_page" id="page_{n}" title="{escape_attr(title)}"'
    if not page.blocks and not figures:
        out.append(div + "/>")
    else:
        out.append(div + ">")
        lang_attr = escape_attr(lang)
        line_no = 0
        for bi, block in enumerate(page.blocks, 1):
            box = _bbox(block.bbox)
            out.append(f'      <div class="ocr_carea" id="block_{n}_{bi}" title="{box}">')
            par = f'        <p class="ocr_par" id="par_{n}_{bi}" title="{box}" lang="{lang_attr}"'
            lines = [line for line in block.lines if line.words]
            if not lines:
                out.append(par + "/>")
            else:
                # the paragraph holds text (the newlines after its lines): no indentation inside it
                parts = [par + ">"]
                for line in lines:
                    line_no += 1
                    parts.append(f'<span class="ocr_line" id="line_{n}_{line_no}" title="{_bbox(line.bbox)}">\n')
                    last = len(line.words) - 1
                    for i, word in enumerate(line.words):
                        text = clean(word.text)
                        x0, y0, x1, y1 = map(int, word.bbox)
                        wtitle = f"bbox {x0} {y0} {x1} {y1}; x_wconf {int(round(max(0.0, min(100.0, word.conf))))}"
                        if word.illegible:
                            wtitle += "; x_confs " + " ".join("0" for _ in text or "?")
                        parts.append(f'<span class="ocrx_word" id="{escape_attr(word.id)}" title="{wtitle}">'
                                     f'{escape_text(text)}</span>{" " if i < last else chr(10)}')
                    parts.append("</span>\n")
                parts.append("</p>")
                out.append("".join(parts))
            out.append("      </div>")
        out += figures
        out.append("    </div>")
    out += ["  </body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


def _lang(engine: str) -> str:
    """Tesseract's language names from the engine string (``tesserocr 5.5.4 eng+spa``) as the
    document language: the first one, ISO 639-2 as Tesseract names it, or ``und``."""
    parts = engine.split()
    if len(parts) >= 3 and parts[-1].replace("+", "").isalpha():
        return parts[-1].split("+")[0]
    return "und"
