"""The per-document pipeline on a document folder, as plain function calls: no Dask, no database.

    ingest → preprocess → ocr            (``ocr_range``: pages a..b of one input)
    proofread(auto) → structure → emit   (``finish_document``: the whole document)

The batch layer runs these on workers; tests and ``digitize apply`` call them directly. Pages are
handed from the first half to the second through files in the document's folder
(``pages/NNNN.json`` + ``pages/NNNN.tif``, see ``pagefiles``), which makes a killed run
resumable page by page and lets review decisions be applied later without OCR.

The steps, one module each: ``recognise`` (a page image → its OCR result, with the harm guard),
``document`` (``finish``: the document in memory), ``decide`` (reviewers' decisions), ``quality`` (the
document-level gate), ``gazetteer`` (the office memory's parties), ``pagefiles`` (the page
hand-off and the text outputs). ``digitize.api`` offers the same steps without a folder.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..emit import write_outputs
from ..errors import InputError
from ..jobfolder import DocumentFolder, register_for
from ..formats import DEFAULT as DEFAULT_FORMATS
from ..model import Decisions
from ..settings.profile import Profile
from ..store.memory import MemoryRules
from ..structure.figures import crop as crop_figures
from ..structure.tables import crop as crop_tables
from .document import document_with_pages, finish
from .pagefiles import flag_illegible, load_pages, remove_stale, save_page, write_texts
from .recognise import ocr_page, ocr_timed

# the package's face: the two halves on a folder, and the steps callers use on their own
__all__ = ["DocResult", "DocumentError", "RangeResult", "document_with_pages", "finish", "finish_document",
           "load_pages", "ocr_page", "ocr_range", "ocr_timed", "save_page"]


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
    quality: str | None = None  # why the document-level quality gate keeps it needs-review
    incomplete: list[str] = field(default_factory=list)  # mandatory fields empty or placeholders: not done
    refused: dict[str, str] = field(default_factory=dict)  # field name → why a reviewer's value was not used


def ocr_range(input_path: Path, work_dir: Path, profile: Profile, first: int = 1, last: int | None = None) -> RangeResult:
    """OCR pages ``first..last`` of an input into ``work_dir``; pages already there are skipped."""
    from .. import ingest

    start = time.perf_counter()
    t_pre = t_ocr = 0.0
    settings = profile.preprocess
    total = ingest.page_count(input_path)
    last = min(last or total, total)
    done = []
    folder = DocumentFolder(work_dir)
    todo = [n for n in range(first, last + 1) if not folder.page(n, ".json").exists()]
    if todo:
        for page in ingest.iter_pages(input_path, max_pixels=settings.max_pixels, default_dpi=settings.default_dpi,
                                      first=todo[0], last=todo[-1]):
            if page.number not in todo:
                continue
            result, prepared, (pre_s, ocr_s) = ocr_timed(page, profile)
            t_pre += pre_s
            t_ocr += ocr_s
            save_page(work_dir, result, prepared)
            done.append(page.number)
            del page, prepared  # one page in memory at a time
    return RangeResult(page_count=total, pages=done, seconds=time.perf_counter() - start,
                       preprocess_seconds=t_pre, ocr_seconds=t_ocr)


def finish_document(work_dir: Path, profile: Profile, *, source: str, doc_id: str, force_doc_id: bool = False,
                    decisions: Decisions | None = None, formats: tuple[str, ...] = DEFAULT_FORMATS,
                    schema_dir: Path | None = None, memory: MemoryRules | None = None) -> DocResult:
    """``finish`` on the OCR'd pages in ``work_dir``, then its files: figure and table crops,
    text, hOCR, ALTO, JSON, the XML ``formats`` (``pdf``: the searchable facsimile).

    ``doc_id`` is the fallback identifier (the input's stem); the structure stage replaces it with
    office+number+kind when it finds them, unless ``force_doc_id`` (a re-run after a collision,
    or ``digitize apply`` on an existing document). ``decisions``: the reviewers' (illegible marks
    are also recorded in the page files); ``memory``: the office memory's rules. The job's
    register of numbers is checked when the job folder holds one."""
    start = time.perf_counter()
    pages = load_pages(work_dir)
    if not pages:
        raise DocumentError("no pages were recognised")
    decisions = decisions or Decisions()
    flag_illegible(work_dir, pages, set(decisions.illegible))
    reg_path = register_for(work_dir)  # the office's register of numbers, when the job named one
    done = finish(pages, profile, decisions, source=source, doc_id=doc_id, force_doc_id=force_doc_id,
                  memory=memory, register=_register(reg_path) if reg_path is not None else None,
                  images=lambda n: DocumentFolder(work_dir).page(n, ".tif"))
    doc, pages = done.document, done.pages
    crop_figures(work_dir, doc)
    crop_tables(work_dir, doc)

    files = write_texts(work_dir, doc, pages)
    t_emit = time.perf_counter()
    result = write_outputs(doc, work_dir, profile, formats=formats, schema_dir=schema_dir)
    validated = result.validated
    files += [Path(f).name for f in result.files]
    emit_seconds = time.perf_counter() - t_emit
    remove_stale(work_dir, doc.doc_id)
    reason = doc.quality.get("reason")
    return DocResult(
        doc_id=doc.doc_id, pages=len(pages), validated=validated,
        state="needs-review" if doc.candidates or reason or done.incomplete else "done",
        seconds=time.perf_counter() - start, emit_seconds=emit_seconds, flags=list(doc.flags),
        candidates=list(doc.candidates), corrections=len(doc.corrections), files=files,
        quality=reason, refused=dict(done.refused), incomplete=done.incomplete,
    )


_REGISTERS: dict[tuple[str, int, int], object] = {}


def _register(path: Path):
    """The register parsed once per file version (a worker finishes many documents), or the
    reason it cannot be read (the run checked it at start; a later change must not crash a batch)."""
    from ..structure.register import RegisterError, parse

    try:
        st = path.stat()
        k = (str(path), st.st_mtime_ns, st.st_size)
        if k not in _REGISTERS:
            _REGISTERS.clear()
            _REGISTERS[k] = parse(path.read_text(encoding="utf-8"), path.name)
        return _REGISTERS[k]
    except (OSError, UnicodeDecodeError, RegisterError) as exc:
        return " ".join(str(exc).split())
