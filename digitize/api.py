"""digitize as a library: a scanned publication → its structured document and XML, in memory.

    import digitize

    profile = digitize.load_profile("generic")
    pages = [digitize.recognise(page, profile) for page in digitize.read_pages("scan.tif", profile)]
    doc = digitize.finish(pages, profile)
    xml = digitize.render(doc, "st36", profile)    # bytes, valid ST.36 (EmitError otherwise)

The same steps ``digitize run`` takes on each document, without a job folder, a ledger or Dask:
``read_pages`` decodes the input (PDF, TIFF, PNG, JPEG; one page in memory at a time),
``recognise`` prepares and reads a page with the harm guard, ``finish`` proofreads and
structures the pages with the quality and completeness gates (and reviewers' ``Decisions``),
``render`` gives ST.36/ST.96 (validated) and ``render_page`` a page's hOCR, ALTO or text.
``process_file`` does it all into a document folder, with the files ``digitize run`` writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .formats import DEFAULT as DEFAULT_FORMATS
from .model import Decisions, Document, OcrPage, PageImage

if TYPE_CHECKING:
    from .pipeline import DocResult
    from .settings.profile import Profile
    from .store.memory import MemoryRules

__all__ = ["Decisions", "Document", "OcrPage", "PageImage", "document_text", "finish", "load_profile",
           "process_file", "read_pages", "recognise", "render", "render_page"]


def load_profile(name: str | Path = "generic") -> Profile:
    """A profile by name (``generic``, ``ep``, ``mx`` …) or by the path of its TOML file."""
    from .settings.profile import load

    return load(str(name))


def read_pages(path: str | Path, profile: Profile) -> Iterator[PageImage]:
    """The pages of an input file (or a folder of page images), one at a time, as grey pixels at
    the resolution the file gives (the profile's ``default_dpi`` when it says none), pixels
    capped by the profile's ``max_pixels``. Raises ``digitize.errors.InputError`` on a file that
    cannot be read."""
    from . import ingest

    settings = profile.preprocess
    yield from ingest.iter_pages(Path(path), max_pixels=settings.max_pixels, default_dpi=settings.default_dpi)


def recognise(page: PageImage, profile: Profile) -> OcrPage:
    """One page read: preprocessed (orientation, deskew, binarisation as the page calls for),
    recognised by the profile's engine, a first reading of low confidence checked against the
    page prepared other ways (the most confident is kept), tables read cell by cell. The
    preprocessing is part of reading: the engine turns the page upright, and the harm guard
    prepares it again from the page as read."""
    from .pipeline.recognise import ocr_page

    return ocr_page(page, profile)[0]


def finish(pages: list[OcrPage], profile: Profile, decisions: Decisions | None = None, *, doc_id: str = "document",
           source: str = "", memory: MemoryRules | None = None, images=None) -> Document:
    """The structured document of the recognised ``pages`` (in page order): proofread, structured,
    reviewers' ``decisions`` applied, the quality gate's figures in ``quality`` and its reason in
    ``flags``, queue items in ``candidates``. ``doc_id`` is kept when the front page does not
    give office, number and kind. The pages are corrected in place: their words are then the
    document's (what ``render_page`` shows). ``memory``: an office memory's rules
    (``digitize.store.memory.load_rules``). ``images``: page number → the page image the words'
    boxes refer to (a dict, or a function of the page number), for the front page's name lines read a second time (``pipeline.reread``)."""
    from .pipeline.document import finish as finish_pages

    return finish_pages(pages, profile, decisions, source=source, doc_id=doc_id, memory=memory,
                        images=images.get if isinstance(images, dict) else images).document


def render(doc: Document, fmt: str, profile: Profile, *, schema_dir: Path | None = None) -> bytes:
    """The document as ``st36`` or ``st96`` XML, validated against the WIPO schemas when they are
    found (``schema_dir``, ``$DIGITIZE_SCHEMAS``, ``../shared/standards``); raises
    ``digitize.emit.EmitError`` when it is invalid."""
    from .emit import render_document

    data, _ = render_document(doc, profile, formats=(fmt,), schema_dir=schema_dir)
    return data[fmt]


def render_page(page: OcrPage, fmt: str) -> str | bytes:
    """A finished page as ``text`` (str: running text, tables row by row), ``hocr`` or ``alto``
    (bytes; the image is named ``NNNN.tif``, as in a document folder's ``pages/``)."""
    from .pipeline.pagefiles import page_output

    return page_output(page, fmt)


def document_text(pages: list[OcrPage]) -> str:
    """The document's text, pages separated by form feeds (``<DOCID>.txt``)."""
    from .pipeline.pagefiles import document_text as joined

    return joined([render_page(p, "text") for p in pages])  # type: ignore[misc]


def process_file(path: str | Path, out: str | Path, profile: Profile | str = "generic",
                 formats: tuple[str, ...] = DEFAULT_FORMATS, *, schema_dir: Path | None = None) -> DocResult:
    """One input into the document folder ``out``: ``pages/NNNN.*``, ``<DOCID>.txt``, ``.json``,
    the XML ``formats`` (``pdf`` adds the searchable facsimile), as ``digitize run`` writes
    them. Pages already recognised in ``out`` are kept. Returns the DOCID, the state
    (``done`` | ``needs-review``), the files written and the queue items."""
    from .pipeline import finish_document, ocr_range

    prof = load_profile(profile) if isinstance(profile, (str, Path)) else profile
    path, out = Path(path), Path(out)
    ocr_range(path, out, prof)
    return finish_document(out, prof, source=str(path), doc_id=path.stem, formats=tuple(formats),
                           schema_dir=schema_dir)
