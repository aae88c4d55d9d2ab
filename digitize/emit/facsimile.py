"""The facsimile: one searchable PDF of a document's scanned pages, as an office publishes it.

    data = facsimile_pdf(Path("documents/EP3441143A1"))      # bytes of a PDF/A-2b file

Each page is the page image exactly as stored (``pages/NNNN.tif`` CCITT G4, or ``NNNN.jpg``):
img2pdf copies a single-strip G4 stream into the PDF as ``CCITTFaxDecode`` and a JPEG as
``DCTDecode``, byte for byte, never re-encoding. (A G4 TIFF of several strips cannot be one PDF
image stream; img2pdf then decodes and re-encodes it as G4: the pixels stay identical, the bytes
do not. ``digitize run`` writes its page TIFFs as one strip.)

Over each image lies an invisible text layer (text render mode 3) made from the page's hOCR, which
``finish_document`` rewrites from the final words after every ``apply``: OCRmyPDF's hOCR parser
and fpdf2 renderer place the words, pikepdf lays that page over the image page. No PDF operator is
written here.

PDF/A-2b as far as these tools allow: an sRGB output intent (OCRmyPDF's ICC profile), XMP with
``pdfaid:part=2``/``conformance=B`` kept in step with the document information, every font
embedded (the renderer's glyphless font), a trailer ID, no encryption. Dates come from ``epoch``
so the same pages give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import logging
import re
import tempfile
from pathlib import Path

from .. import dates
from ..jobfolder import DocumentFolder
from ..fsutil import atomic_write

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".tif", ".tiff", ".jpg", ".jpeg")
_PAGE = re.compile(r"^(\d{4})\.(tif|tiff|jpg|jpeg)$", re.IGNORECASE)


class FacsimileError(Exception):
    """The facsimile cannot be made (no pages, unreadable image, missing library); one line."""


def page_images(doc_folder: Path) -> list[tuple[Path, Path | None]]:
    """[(page image, its hOCR or None)] in page order."""
    pages_dir = DocumentFolder(doc_folder).pages_dir
    found: dict[str, Path] = {}
    for p in sorted(pages_dir.iterdir()) if pages_dir.is_dir() else []:
        m = _PAGE.match(p.name)
        if m and p.is_file():
            found.setdefault(m.group(1), p)
    out = []
    for num in sorted(found):
        hocr = pages_dir / f"{num}.hocr"
        out.append((found[num], hocr if hocr.is_file() else None))
    return out


def _text_layer(hocr_files: list[Path]) -> bytes:
    """A PDF with one page per hOCR file holding only invisible text (OCRmyPDF's renderer)."""
    from ocrmypdf.font import MultiFontManager
    from ocrmypdf.fpdf_renderer import Fpdf2MultiPageRenderer
    from ocrmypdf.hocrtransform.hocr_parser import HocrParser

    import ocrmypdf

    pages = []
    for i, path in enumerate(hocr_files):
        page = HocrParser(path).parse()
        pages.append((i, page, page.dpi or 300))
    fonts = MultiFontManager(Path(ocrmypdf.__file__).parent / "data")
    with tempfile.TemporaryDirectory(prefix="digitize-facsimile-") as tmp:
        out = Path(tmp) / "text.pdf"
        Fpdf2MultiPageRenderer(pages, fonts, invisible_text=True).render(out)
        return out.read_bytes()


def _pdf_date(when: _dt.datetime) -> str:
    return "D:" + when.strftime("%Y%m%d%H%M%S") + "Z"


def facsimile_pdf(doc_folder: Path, *, title: str = "", lang: str | None = None, epoch: int = dates.FIXED_EPOCH) -> bytes:
    """The document's facsimile PDF (bytes); raises ``FacsimileError`` with the reason."""
    try:
        import img2pdf
        import pikepdf
        import ocrmypdf
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise FacsimileError(f"missing library {exc.name} (pip install ocrmypdf)") from None

    pages = page_images(Path(doc_folder))
    if not pages:
        raise FacsimileError(f"no page images in {Path(doc_folder) / 'pages'}")
    try:
        image_pdf = img2pdf.convert([p.read_bytes() for p, _ in pages], nodate=True)
    except Exception as exc:  # img2pdf raises several types for unreadable images
        raise FacsimileError(f"page images: {exc}") from None
    with_text = [(i, h) for i, (_, h) in enumerate(pages) if h is not None]
    pdf = pikepdf.open(io.BytesIO(image_pdf))
    text_pdf = None
    if with_text:
        try:
            text_pdf = pikepdf.open(io.BytesIO(_text_layer([h for _, h in with_text])))
        except Exception as exc:  # a damaged hOCR: the document cannot be searched, say so
            raise FacsimileError(f"text layer: {exc}") from None
        for j, (i, _) in enumerate(with_text):
            # Page.add_overlay, with a fixed resource name instead of a random one (same bytes twice)
            page = pdf.pages[i]
            formx = pdf.copy_foreign(text_pdf.pages[j].as_form_xobject())
            name = page.add_resource(formx, pikepdf.Name.XObject, pikepdf.Name(f"/OCR{j}"))
            page.contents_add(page.calc_form_xobject_placement(formx, name, pikepdf.Rectangle(page.trimbox)))
            page.contents_coalesce()
    _pdfa(pdf, pikepdf, Path(ocrmypdf.__file__).parent / "data" / "sRGB.icc", title=title, lang=lang,
          when=_dt.datetime.fromtimestamp(epoch, tz=_dt.timezone.utc))
    if "/ID" in pdf.trailer:  # img2pdf's is random: let pikepdf derive both halves from the content
        del pdf.trailer.ID
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True, fix_metadata_version=False, compress_streams=True, min_version="1.7",
             object_stream_mode=pikepdf.ObjectStreamMode.disable)
    pdf.close()
    if text_pdf is not None:
        text_pdf.close()
    return buf.getvalue()


def _pdfa(pdf, pikepdf, icc: Path, *, title: str, lang: str | None, when: _dt.datetime) -> None:
    """PDF/A-2b identification: output intent, XMP and document information in step."""
    icc_stream = pikepdf.Stream(pdf, icc.read_bytes())
    icc_stream[pikepdf.Name.N] = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"), Info=pikepdf.String("sRGB IEC61966-2.1"),
        RegistryName=pikepdf.String("http://www.color.org"), DestOutputProfile=icc_stream)
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    if lang:
        pdf.Root.Lang = pikepdf.String(lang)
    pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary())
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        if title:
            meta["dc:title"] = title
        meta["xmp:CreateDate"] = stamp
        meta["xmp:ModifyDate"] = stamp
        meta["xmp:MetadataDate"] = stamp
        meta["xmp:CreatorTool"] = "digitize"
        meta["pdf:Producer"] = f"digitize (img2pdf, OCRmyPDF hOCR renderer, pikepdf {pikepdf.__version__})"


def write_facsimile(doc_folder: Path, doc_id: str, *, lang: str | None = None) -> Path:
    """``digitize run --formats ...,pdf``: write ``<DOCID>.pdf`` beside the XML (atomically)."""
    path = DocumentFolder(doc_folder).pdf(doc_id)
    atomic_write(path, facsimile_pdf(Path(doc_folder), title=doc_id, lang=lang, epoch=dates.fixed_epoch()))
    return path
