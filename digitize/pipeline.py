"""The per-document pipeline as plain function calls: no Dask, no database.

    ingest → preprocess → ocr            (``ocr_range``: pages a..b of one input)
    proofread(auto) → structure → emit   (``finish_document``: the whole document)

The batch layer runs these on workers; tests and ``digitize apply`` call them directly. Pages are
handed from the first half to the second through files in the document's work folder
(``pages/NNNN.json`` + ``pages/NNNN.tif``), which makes a killed run resumable page by page and
lets review decisions be applied later without OCR.

Proofreading runs on the words *before* structure: paragraph numbers, dates and application
numbers fixed at word level (``[O0l2]`` → ``[0012]``) are then parsed right.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from .emit import emit_document
from .errors import InputError
from .fsutil import atomic_write
from .jobfolder import page_name, page_path
from .jobfolder import pages_dir as pages_folder
from .model import XML_FORMATS, Document, OcrPage, PageImage, PageInfo, Prepared
from .ocr import get_engine
from .profiles import Profile
from .proofread import auto_correct
from .structure import build_document

log = logging.getLogger(__name__)


class DocumentError(InputError):
    """A document that cannot be processed; the message is the one-line reason for the ledger."""


@dataclass
class RangeResult:
    page_count: int
    pages: list[int]  # pages OCR'd by this call (not those already present)
    seconds: float
    preprocess_seconds: float = 0.0
    ocr_seconds: float = 0.0


@dataclass
class DocResult:
    doc_id: str
    pages: int
    validated: str
    state: str  # "done" | "needs-review"
    seconds: float
    emit_seconds: float = 0.0
    flags: list[str] = field(default_factory=list)
    candidates: list = field(default_factory=list)  # QueueCandidate
    corrections: int = 0
    files: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- OCR half


def ocr_page(page: PageImage, profile: Profile) -> tuple[OcrPage, Prepared]:
    """One page image → its OCR result and the preprocessed image the engine saw."""
    result, prepared, _ = _ocr_timed(page, profile)
    return result, prepared


def _ocr_timed(page: PageImage, profile: Profile) -> tuple[OcrPage, Prepared, tuple[float, float]]:
    from . import preprocess as pre

    engine = get_engine(profile.engine)
    detector = engine.detect_orientation if profile.preprocess.orientation else None
    t0 = time.perf_counter()
    prepared = pre.preprocess(page, profile.preprocess, detect_orientation=detector)
    t1 = time.perf_counter()
    result = engine.recognize(prepared, page.number)
    return result, prepared, (t1 - t0, time.perf_counter() - t1)


def save_page(work_dir: Path, page: OcrPage, prepared: Prepared) -> None:
    """The page's image as CCITT G4 (the ink of the pixels the word boxes refer to) and its OCR
    result. The JSON is written last: its presence means the page is complete."""
    from .preprocess import bilevel

    pages_dir = pages_folder(work_dir)
    pages_dir.mkdir(parents=True, exist_ok=True)
    name = page_name(page.number)
    # no dithering: the pixels are 0/255 already (PIL's default Floyd-Steinberg cost 45 ms a page)
    image = Image.fromarray(bilevel(prepared.image)).convert("1", dither=Image.Dither.NONE)
    tmp = pages_dir / f".{name}.tif.tmp"
    # one strip: the facsimile PDF can then carry the G4 stream itself, byte for byte
    image.save(tmp, format="TIFF", compression="group4", dpi=(prepared.dpi, prepared.dpi), strip_size=1 << 30)
    tmp.replace(pages_dir / f"{name}.tif")
    atomic_write(pages_dir / f"{name}.json", page.to_json(compact=True))


def ocr_range(input_path: Path, work_dir: Path, profile: Profile, first: int = 1, last: int | None = None) -> RangeResult:
    """OCR pages ``first..last`` of an input into ``work_dir``; pages already there are skipped."""
    from . import ingest

    start = time.perf_counter()
    t_pre = t_ocr = 0.0
    settings = profile.preprocess
    total = ingest.page_count(input_path)
    last = min(last or total, total)
    done = []
    todo = [n for n in range(first, last + 1) if not page_path(work_dir, n, ".json").exists()]
    if todo:
        for page in ingest.iter_pages(input_path, max_pixels=settings.max_pixels, default_dpi=settings.default_dpi,
                                      first=todo[0], last=todo[-1]):
            if page.number not in todo:
                continue
            result, prepared, (pre_s, ocr_s) = _ocr_timed(page, profile)
            t_pre += pre_s
            t_ocr += ocr_s
            save_page(work_dir, result, prepared)
            done.append(page.number)
            del page, prepared  # one page in memory at a time
    return RangeResult(page_count=total, pages=done, seconds=time.perf_counter() - start,
                       preprocess_seconds=t_pre, ocr_seconds=t_ocr)


def ocr_file(input_path: Path, profile: Profile) -> list[OcrPage]:
    """All pages of one input, in process (tests, small jobs)."""
    from . import ingest

    s = profile.preprocess
    return [ocr_page(p, profile)[0] for p in ingest.iter_pages(input_path, max_pixels=s.max_pixels, default_dpi=s.default_dpi)]


def load_pages(work_dir: Path) -> list[OcrPage]:
    files = sorted(pages_folder(work_dir).glob("[0-9][0-9][0-9][0-9].json"))
    return [OcrPage.from_json(f.read_text(encoding="utf-8")) for f in files]


# --------------------------------------------------------------------------- document half


def _apply_overrides(pages: list[OcrPage], overrides: dict[str, str]) -> None:
    for page in pages:
        for word in page.words():
            if word.id in overrides:
                if word.ocr_text is None:
                    word.ocr_text = word.text
                word.text = overrides[word.id]


def _drop_empty_words(pages: list[OcrPage]) -> None:
    """A word a reviewer deleted (empty correction) disappears from the text."""
    for page in pages:
        for block in page.blocks:
            for line in block.lines:
                line.words = [w for w in line.words if w.text.strip()]
            block.lines = [ln for ln in block.lines if ln.words]
        page.blocks = [b for b in page.blocks if b.lines]


def whole_text(pages: list[OcrPage]) -> str:
    """The document's text: pages separated by form feeds, as pdftotext does."""
    return "\f".join(p.text + "\n" for p in pages)


def document_with_pages(pages: list[OcrPage], profile: Profile, *, source: str, doc_id: str) -> Document:
    """The structure stage's document plus a ``PageInfo`` per page (what the JSON and report show)."""
    doc = build_document(pages, profile, source=source, doc_id=doc_id)
    doc.pages = [
        PageInfo(number=p.number, width=p.width, height=p.height, dpi=p.dpi, mean_conf=round(p.mean_conf, 2),
                 words=len(p.words()), image_only=p.image_only, rotation=p.rotation, skew=p.skew)
        for p in pages
    ]
    return doc


def finish_document(work_dir: Path, profile: Profile, *, source: str, doc_id: str, force_doc_id: bool = False,
                    overrides: dict[str, str] | None = None, formats: tuple[str, ...] = XML_FORMATS,
                    schema_dir: Path | None = None) -> DocResult:
    """Proofread, structure and emit the OCR'd pages in ``work_dir``; write text, JSON and XML.

    ``doc_id`` is the fallback identifier (the input's stem); the structure stage replaces it with
    office+number+kind when it finds them, unless ``force_doc_id`` (a re-run after a collision,
    or ``digitize apply`` on an existing document)."""
    start = time.perf_counter()
    pages = load_pages(work_dir)
    if not pages:
        raise DocumentError("no pages were recognised")
    pages, corrections, candidates = auto_correct(pages, profile, in_place=True)
    if overrides:
        _apply_overrides(pages, overrides)
        decided = set(overrides)
        candidates = [c for c in candidates if c.word_id not in decided]
    _drop_empty_words(pages)

    doc = document_with_pages(pages, profile, source=source, doc_id=doc_id)
    if force_doc_id:
        doc.doc_id = doc_id
    if overrides:
        decided_fields = {k.split(":", 1)[1] for k in overrides if k.startswith("field:")}
        for name in decided_fields:
            fld = getattr(doc.biblio, name, None)
            if fld is not None:
                fld.value, fld.flagged, fld.confidence = overrides[f"field:{name}"], False, 100.0
        doc.candidates = [c for c in doc.candidates if c.field_name not in decided_fields]
    doc.corrections = corrections + doc.corrections
    doc.candidates = candidates + doc.candidates

    files = _write_texts(work_dir, doc, pages)
    t_emit = time.perf_counter()
    validated = "not-validated: no XML format requested"
    xml_formats = tuple(f for f in formats if f != "pdf")
    if xml_formats:
        result = emit_document(doc, work_dir, profile, formats=xml_formats, schema_dir=schema_dir)
        validated = result.validated
        files += [Path(f).name for f in result.files]
    if "pdf" in formats:  # the searchable facsimile (digitize/facsimile.py)
        from .facsimile import write_facsimile

        files.append(write_facsimile(work_dir, doc.doc_id, lang=doc.lang).name)
    emit_seconds = time.perf_counter() - t_emit
    _remove_stale(work_dir, doc.doc_id)
    return DocResult(
        doc_id=doc.doc_id, pages=len(pages), validated=validated,
        state="needs-review" if doc.candidates else "done",
        seconds=time.perf_counter() - start, emit_seconds=emit_seconds, flags=list(doc.flags),
        candidates=list(doc.candidates), corrections=len(doc.corrections), files=files,
    )


def _write_texts(work_dir: Path, doc: Document, pages: list[OcrPage]) -> list[str]:
    from .emit.alto import page_to_alto
    from .emit.hocr import page_to_hocr

    pages_dir = pages_folder(work_dir)
    for page in pages:
        name = page_name(page.number)
        atomic_write(pages_dir / f"{name}.txt", page.text + "\n")
        atomic_write(pages_dir / f"{name}.hocr", page_to_hocr(page, f"{name}.tif"))
        atomic_write(pages_dir / f"{name}.alto.xml", page_to_alto(page, f"{name}.tif"))
    atomic_write(work_dir / f"{doc.doc_id}.txt", whole_text(pages))
    atomic_write(work_dir / f"{doc.doc_id}.json", doc.to_json())
    return [f"{doc.doc_id}.txt", f"{doc.doc_id}.json"]


def _remove_stale(work_dir: Path, doc_id: str) -> None:
    """Outputs named after an earlier DOCID of the same input (e.g. before structure knew it)."""
    for suffix in (".txt", ".json", ".st36.xml", ".st96.xml", ".pdf"):
        for f in work_dir.glob(f"*{suffix}"):
            stem = f.name[: -len(suffix)]
            if stem != doc_id and "." not in stem:
                f.unlink()
