"""One OCR'd page as ALTO v4 XML: the format libraries and archives load into their viewers.

    page_to_alto(page, "0001.tif") -> bytes

Coordinates are pixels of the image the engine saw (``MeasurementUnit`` pixel, named in
``sourceImageInformation``). Tesseract's paragraph blocks become ``TextBlock``s, its lines
``TextLine``s; each word is a ``String`` with ``WC`` (confidence 0..1) and its stable id, with
``SP`` between words. Elements follow the order of the ALTO 4.2 schema. A word a
reviewer marked illegible keeps its ``CONTENT`` as read, with ``WC="0"``, ``CC`` of 9 (unsure) per
character and ``TAGREFS`` to an ``OtherTag`` "illegible" declared in ``Tags``. The figure regions
of the page are ``Illustration``s after the text blocks; the numbers and unsure readings the engine
made inside them (``labels``: the ids the pipeline gets from ``structure.figures.label_ids``, not in
the page's ``.txt``) keep their ``String`` with ``TAGREFS`` to the ``LayoutTag`` "figure_label".
"""

from __future__ import annotations

from .. import __version__
from ..model import BBox, OcrPage
from .xmltext import clean, escape_attr, text

ALTO = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{ALTO} http://www.loc.gov/alto/v4/alto-4-2.xsd"
ILLEGIBLE_TAG = "illegible"
FIGURE_LABEL_TAG = "figure_label"


def _box(b: BBox) -> str:
    x0, y0, x1, y1 = map(int, b)
    return f'HPOS="{x0}" VPOS="{y0}" WIDTH="{max(0, x1 - x0)}" HEIGHT="{max(0, y1 - y0)}"'


def page_to_alto(page: OcrPage, image_name: str, labels: set[str] | frozenset[str] = frozenset()) -> bytes:
    """The page as a standalone ALTO v4 document (UTF-8 bytes); ``labels``: ids of the words that
    are figure labels (tagged ``figure_label``).

    Written directly as the text lxml serialises (``pretty_print``: two spaces a level, values
    escaped as libxml2 escapes them): one lxml ``SubElement`` per element cost 16 ms for a dense
    page of 1000 words, this a fifth of it. ``tests/test_hocr_alto.py`` checks the bytes against
    an element-by-element lxml build on awkward pages."""
    out = ["<?xml version='1.0' encoding='utf-8'?>",
           f'<alto xmlns="{ALTO}" xmlns:xsi="{XSI}" xsi:schemaLocation="{SCHEMA_LOCATION}">',
           "  <Description>",
           "    <MeasurementUnit>pixel</MeasurementUnit>",
           "    <sourceImageInformation>",
           f"      <fileName>{text(image_name)}</fileName>",
           "    </sourceImageInformation>",
           '    <Processing ID="OCR_0">',
           "      <processingCategory>contentGeneration</processingCategory>"]
    steps = [f"resolution {page.dpi} dpi"]
    if page.rotation:
        steps.append(f"rotated {page.rotation} degrees clockwise")
    if page.skew:
        steps.append(f"deskewed {page.skew:+.2f} degrees")
    out += [f"      <processingStepDescription>{text('; '.join(steps))}</processingStepDescription>",
            "      <processingSoftware>",
            "        <softwareName>digitize</softwareName>",
            f"        <softwareVersion>{text(__version__)}</softwareVersion>"]
    if page.engine:
        out.append(f"        <applicationDescription>{text(page.engine)}</applicationDescription>")
    out += ["      </processingSoftware>", "    </Processing>", "  </Description>"]
    words = page.words()
    illegible = any(w.illegible for w in words)
    if labels or illegible:
        out.append("  <Tags>")
        if labels:
            out.append(f'    <LayoutTag ID="{FIGURE_LABEL_TAG}" LABEL="figure label" '
                       'DESCRIPTION="a number or an unsure reading inside a figure (Illustration): not running text"/>')
        if illegible:
            out.append(f'    <OtherTag ID="{ILLEGIBLE_TAG}" LABEL="illegible" '
                       'DESCRIPTION="marked illegible by a reviewer: the text is as the engine read it"/>')
        out.append("  </Tags>")
    n = page.number
    pc = f' PC="{sum(w.conf for w in words) / len(words) / 100:.4f}"' if words else ""
    out += ["  <Layout>",
            f'    <Page ID="page_{n}" PHYSICAL_IMG_NR="{n}" WIDTH="{int(page.width)}" HEIGHT="{int(page.height)}"{pc}>']
    space = f"      <PrintSpace {_box((0, 0, page.width, page.height))}"
    figures = [f'        <Illustration ID="figure_{n}_{k}" {_box(r)}/>' for k, r in enumerate(page.figures, 1)]
    if not page.blocks and not figures:
        out.append(space + "/>")
    else:
        out.append(space + ">")
        line_no = 0
        for bi, block in enumerate(page.blocks, 1):
            tb = f'        <TextBlock ID="block_{n}_{bi}" {_box(block.bbox)}'
            if not any(line.words for line in block.lines):
                out.append(tb + "/>")
                continue
            out.append(tb + ">")
            for line in block.lines:
                if not line.words:
                    continue  # ALTO: a TextLine holds at least one String
                line_no += 1
                out.append(f'          <TextLine ID="line_{n}_{line_no}" {_box(line.bbox)}>')
                top = int(line.bbox[1])
                right = None
                for word in line.words:
                    x0, y0, x1, y1 = map(int, word.bbox)
                    if right is not None:
                        out.append(f'            <SP WIDTH="{max(0, x0 - right)}" HPOS="{right}" VPOS="{top}"/>')
                    right = x1
                    content = clean(word.text)
                    tags = " ".join(t for t, on in ((ILLEGIBLE_TAG, word.illegible),
                                                     (FIGURE_LABEL_TAG, word.id in labels)) if on)
                    if word.illegible:
                        wc = f' TAGREFS="{tags}" WC="0.00" CC="{" ".join("9" for _ in content) or "9"}"'
                    else:
                        wc = (f' TAGREFS="{tags}"' if tags else "") + f' WC="{max(0.0, min(100.0, word.conf)) / 100:.2f}"'
                    out.append(f'            <String ID="{escape_attr(word.id)}" CONTENT="{escape_attr(content)}" '
                               f'HPOS="{x0}" VPOS="{y0}" WIDTH="{max(0, x1 - x0)}" HEIGHT="{max(0, y1 - y0)}"{wc}/>')
                out.append("          </TextLine>")
            out.append("        </TextBlock>")
        out += figures  # the figure regions; their labels are the Strings tagged figure_label
        out.append("      </PrintSpace>")
    out += ["    </Page>", "  </Layout>", "</alto>", ""]
    return "\n".join(out).encode("utf-8")
