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
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image

from .emit import emit_document
from .errors import InputError
from .fsutil import atomic_write
from .jobfolder import page_name, page_path, register_for
from .store.memory import MemoryRules
from .jobfolder import pages_dir as pages_folder
from .model import XML_FORMATS, Document, OcrPage, PageImage, PageInfo, Prepared
from . import readings
from .ocr import get_engine
from .settings.profile import Profile, or_defaults
from .proofread import auto_correct
from .structure import build_document, check_register, incomplete
from .structure.frontpage import PARTY_CODES
from .structure.figures import analyse_marks, labels_only
from .structure.figures import analyse as analyse_figures
from .structure.figures import crop as crop_figures
from .structure.figures import label_ids, outside_figures
from .structure.tables import crop as crop_tables
from .structure.tables import page_text
from .table_ocr import read_tables

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
    quality: str | None = None  # why the document-level quality gate keeps it needs-review
    incomplete: list[str] = field(default_factory=list)  # mandatory fields empty or placeholders: not done
    refused: dict[str, str] = field(default_factory=dict)  # item key → why a reviewer's value was not used


# --------------------------------------------------------------------------- OCR half


def ocr_page(page: PageImage, profile: Profile) -> tuple[OcrPage, Prepared]:
    """One page image → its OCR result and the preprocessed image the engine saw."""
    result, prepared, _ = _ocr_timed(page, profile)
    return result, prepared


def _ocr_timed(page: PageImage, profile: Profile) -> tuple[OcrPage, Prepared, tuple[float, float]]:
    """Preprocess and recognise a page, with the harm guard (``readings``): a first reading of low
    confidence is checked against the page read other ways, and the most confident is kept. The
    page JSON says which reading won and why (``reading``)."""
    from . import preprocess as pre

    engine = get_engine(profile.engine)
    detector = engine.detect_orientation if profile.preprocess.orientation else None
    t0 = time.perf_counter()
    prepared = pre.preprocess(page, profile.preprocess, detect_orientation=detector)
    marks = analyse_marks(prepared.image, prepared.dpi)  # before recognition: see structure/figures.py
    kind, regions = marks.kind, marks.regions
    first = "plain" if "plain" in prepared.steps else "full"
    first_image = prepared.image
    # A page the chain left empty whose own pixels showed letters (the x-height count, taken
    # before any cleaning) was wiped by the chain (faint thermal print): it is read, and the harm
    # guard finds the reading that keeps the text (SROIE receipt 516 came out blank).
    wiped = marks.empty and prepared.resolution.get("letters", 0) >= pre.MIN_LETTERS
    if marks.sheet or (marks.empty and not wiped):
        return _read_sparse(engine, page, prepared, marks, first, t0)
    t1 = time.perf_counter()
    result = engine.recognize(prepared, page.number)
    t_pre, t_ocr = t1 - t0, time.perf_counter() - t1
    if readings.wants_check(result, prepared):
        result, prepared, reading, extra = readings.choose(engine, page, prepared, result, first,
                                                           profile.preprocess, detector)
        t_ocr += extra
    else:
        reading = {"first": first, "chosen": first, "second": False, "why": "first reading good"}
    reading["evidence"] = readings.evidence(result, _lexicon(profile))
    if prepared.image is not first_image:  # the figure regions of the preparation that was read
        kind, regions = analyse_figures(prepared.image, prepared.dpi)
    result.kind, result.figures = kind, regions
    result.resolution = dict(prepared.resolution)
    result.reading = reading
    t5 = time.perf_counter()
    read_tables(engine, prepared, result)  # each table's cells read on their own crops (digitize/table_ocr.py)
    t_ocr += time.perf_counter() - t5
    return result, prepared, (t_pre, t_ocr)


def _read_sparse(engine, page: PageImage, prepared: Prepared, marks, first: str,
                 t0: float) -> tuple[OcrPage, Prepared, tuple[float, float]]:
    """What is not a page of text is not read as one. A drawing sheet: the engine reads the sheet
    without its line art (``labels_only``: labels, numerals, "FIG. n"; the structure stage knows
    the sheet and its figures from the components already); no second reading. An empty page
    (fewer than ``EMPTY_MARKS`` ink components, none letter-sized: dust): no engine call, no words. A page classed a
    drawing that holds many word-like runs (a ruled table) is read as a page of text. The stored image is
    the whole page either way."""
    if marks.sheet:
        labels = replace(prepared, image=labels_only(prepared.image, prepared.dpi))
        t1 = time.perf_counter()
        result = engine.recognize(labels, page.number)
        why = "drawing sheet: its labels read without the line art"
    else:
        t1 = time.perf_counter()
        h, w = prepared.image.shape[:2]
        result = OcrPage(number=page.number, width=w, height=h, dpi=int(prepared.dpi), rotation=prepared.rotation,
                         skew=round(prepared.skew, 3), engine=engine.name, ink_ratio=round(prepared.ink_ratio, 5))
        why = f"empty page ({marks.marks} ink marks): not read"
    result.kind, result.figures = marks.kind, marks.regions
    result.resolution = dict(prepared.resolution)
    result.reading = {"first": first, "chosen": first, "second": False, "why": why}
    return result, prepared, (t1 - t0, time.perf_counter() - t1)


def _lexicon(profile: Profile):
    try:
        from .proofread import lexicon_for
        return lexicon_for(profile)
    except Exception:  # no lexicon configured or readable: the guard judges by confidence only
        return None


def save_page(work_dir: Path, page: OcrPage, prepared: Prepared) -> None:
    """The page's image as CCITT G4 (the ink of the pixels the word boxes refer to) and its OCR
    result. The JSON is written last: its presence means the page is complete."""
    from .preprocess import bilevel

    pages_dir = pages_folder(work_dir)
    pages_dir.mkdir(parents=True, exist_ok=True)
    name = page_name(page.number)
    # no dithering: the pixels are 0/255 already (PIL's default Floyd-Steinberg cost 45 ms a page)
    image = Image.fromarray(bilevel(prepared.image, prepared.ink_level)).convert("1", dither=Image.Dither.NONE)
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


def _apply_lines(pages: list[OcrPage], lines: dict[str, str]) -> None:
    """A reviewer's whole-line correction (``word_id`` → the line as it should read): the new
    tokens take the line's word boxes in order; surplus boxes empty (dropped), surplus tokens
    join the last word. Split and joined words are fixed this way."""
    for page in pages:
        for line in page.lines():
            hit = next((w for w in line.words if w.id in lines), None)
            if hit is None or not line.words:
                continue
            tokens = lines[hit.id].split()
            n = len(line.words)
            texts = tokens[: n - 1] + [" ".join(tokens[n - 1:])] if len(tokens) >= n else tokens + [""] * (n - len(tokens))
            for word, text in zip(line.words, texts):
                if word.text != text:
                    if word.ocr_text is None:
                        word.ocr_text = word.text
                    word.text = text


def _drop_empty_words(pages: list[OcrPage]) -> None:
    """A word a reviewer deleted (empty correction, "not text") disappears from the text."""
    for page in pages:
        for block in page.blocks:
            for line in block.lines:
                line.words = [w for w in line.words if w.text.strip()]
            block.lines = [ln for ln in block.lines if ln.words]
        page.blocks = [b for b in page.blocks if b.lines]


def own_language_words(profile: Profile):
    """The profile's lexicons of its own language (an ``es`` profile also loads English ones, in
    which ``camara`` or ``combustion`` are words): the evidence for accents in capitals. None for
    English profiles (no accents are added on English pages)."""
    from .settings.proofread import DEFAULT_LEXICONS

    if (getattr(profile, "lang", "en") or "en") == "en":
        return None
    own = tuple(n for n in or_defaults(profile).proofread.lexicons if n not in DEFAULT_LEXICONS["en"])
    if not own:
        return None
    base = str(profile.path.parent) if getattr(profile, "path", None) else None
    from .proofread.lexicon import load

    return load(own, base)


def document_with_pages(pages: list[OcrPage], profile: Profile, *, source: str, doc_id: str) -> Document:
    """The structure stage's document plus a ``PageInfo`` per page (what the JSON and report show)."""
    doc = build_document(pages, profile, source=source, doc_id=doc_id, known_words=own_language_words(profile))
    doc.pages = [
        PageInfo(number=p.number, width=p.width, height=p.height, dpi=p.dpi, mean_conf=round(p.mean_conf, 2),
                 words=len(p.words()), image_only=p.image_only, rotation=p.rotation, skew=p.skew)
        for p in pages
    ]
    return doc


def finish_document(work_dir: Path, profile: Profile, *, source: str, doc_id: str, force_doc_id: bool = False,
                    overrides: dict[str, str] | None = None, formats: tuple[str, ...] = XML_FORMATS,
                    schema_dir: Path | None = None, illegible: dict[str, str] | None = None,
                    lines: dict[str, str] | None = None, memory: MemoryRules | None = None) -> DocResult:
    """Proofread, structure and emit the OCR'd pages in ``work_dir``; write text, JSON and XML.

    ``doc_id`` is the fallback identifier (the input's stem); the structure stage replaces it with
    office+number+kind when it finds them, unless ``force_doc_id`` (a re-run after a collision,
    or ``digitize apply`` on an existing document).

    Reviewers' decisions: ``overrides`` (word id or ``field:<name>`` → text; "" removes a word),
    ``illegible`` (word id → reviewer: the word stays as read, flagged in every output) and
    ``lines`` (word id → the word's whole line as corrected). A field value for a field the OCR
    never found creates the field, once it fits the profile's format. ``memory``: the office
    memory's rules (``digitize.memory``): its confirmed corrections are applied (``auto-memory``),
    its known words not queued, and a party name one edit from a known one gets it suggested."""
    start = time.perf_counter()
    pages = load_pages(work_dir)
    if not pages:
        raise DocumentError("no pages were recognised")
    illegible = dict(illegible or {})
    _flag_page_files(work_dir, pages, set(illegible))
    pages, corrections, candidates = auto_correct(pages, profile, in_place=True, memory=memory)
    decided_words = set(overrides or {}) | set(illegible) | set(lines or {})
    if overrides:
        _apply_overrides(pages, overrides)
    if lines:
        _apply_lines(pages, lines)
    candidates = [c for c in candidates if c.word_id not in decided_words]
    _drop_empty_words(pages)
    quality = _quality(pages, profile, decided_words)

    # an illegible word becomes a doubt of confidence 0 in the structured text (ST.96 marks it)
    saved = {}
    for page in pages:
        for word in page.words():
            if word.id in illegible:
                word.illegible = True
                saved[word.id] = word.conf
                word.conf = 0.0
    doc = document_with_pages(pages, profile, source=source, doc_id=doc_id)
    for page in pages:
        for word in page.words():
            if word.id in saved:
                word.conf = saved[word.id]
    if illegible:
        _mark_illegible(doc, pages, illegible)
    crop_figures(work_dir, doc)
    crop_tables(work_dir, doc)
    candidates = outside_figures(candidates, pages)
    if force_doc_id:
        doc.doc_id = doc_id
    refused: dict[str, str] = {}
    if overrides:
        decided_fields = {k.split(":", 1)[1] for k in overrides if k.startswith("field:")}
        refused = _apply_fields(doc, profile, {n: overrides[f"field:{n}"] for n in decided_fields})
        done_fields = decided_fields - {k.split(":", 1)[1] for k in refused}
        doc.candidates = [c for c in doc.candidates if c.field_name not in done_fields]
    if memory is not None and memory.parties:
        doc.candidates = known_parties_settled(doc, memory.parties)
        doc.candidates = gazetteer(doc, memory.parties) + doc.candidates
    reg_path = register_for(work_dir)
    if reg_path is not None:  # the office's register of numbers, when the job named one
        reg = _register(reg_path)
        if isinstance(reg, str):
            doc.flags.append(f"register not checked: {reg}")
        else:
            decided = {k.split(":", 1)[1] for k in (overrides or {}) if k.startswith("field:")}
            check_register(doc, reg, decided)
    doc.corrections = corrections + doc.corrections
    doc.candidates = candidates + doc.candidates
    doc.quality = quality
    if quality.get("reason"):
        doc.flags.append(f"quality: {quality['reason']}")
    missing = incomplete(doc.biblio)  # the completeness gate, after the reviewers' values
    doc.flags = [f for f in doc.flags if not (f.startswith("missing ") and f[len("missing "):] not in missing)]

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
        state="needs-review" if doc.candidates or quality.get("reason") or missing else "done",
        seconds=time.perf_counter() - start, emit_seconds=emit_seconds, flags=list(doc.flags),
        candidates=list(doc.candidates), corrections=len(doc.corrections), files=files,
        quality=quality.get("reason"), refused=refused, incomplete=missing,
    )


def _party_line(p) -> str:
    if p.address:
        return f"{p.name};\n{p.address}" + (f", {p.country}" if p.country else "")
    return p.name + (f" ({p.country})" if p.country else "")


def known_parties_settled(doc: Document, known: tuple[str, ...]) -> list:
    """The document's queue candidates less the party lists whose every name read is, letter for
    letter, a party reviewers confirmed before (the office memory's gazetteer) and whose item
    shows exactly those names: nothing left to ask about them."""
    names = set(known)
    out = []
    for c in doc.candidates:
        code = (c.field_name or "").removeprefix("parties:")
        attr = dict(PARTY_CODES).get(code) if c.kind == "field" and (c.field_name or "").startswith("parties:") else None
        parties = list(getattr(doc.biblio, attr, []) or []) if attr else []
        if parties and all(p.name in names for p in parties) and all(p.name in c.text for p in parties) \
                and len(c.text.replace(";", "\n").split("\n")) >= len(parties):
            continue
        out.append(c)
    return out


def gazetteer(doc: Document, known: tuple[str, ...]) -> list:
    """Names on the front page one OCR edit from a party the office knows (two on long names):
    the known name is suggested on the list's queue item, never put in silently (issue 29)."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from .model import QueueCandidate

    names = set(known)
    out = []
    existing = {c.field_name: c for c in doc.candidates if c.kind == "field"}
    for code, attr in PARTY_CODES:
        parties = list(getattr(doc.biblio, attr, []) or [])
        fixed, changed = [], False
        for p in parties:
            hit = None
            if p.name and p.name not in names:
                hit = process.extractOne(p.name, list(names), scorer=Levenshtein.distance,
                                         score_cutoff=2 if len(p.name) > 15 else 1)
            fixed.append(replace(p, name=hit[0]) if hit else p)
            changed = changed or bool(hit)
        if not changed:
            continue
        suggestion = "\n".join(_party_line(p) for p in fixed)
        name = f"parties:{code}"
        if name in existing:
            existing[name].suggestions = [suggestion] + [x for x in existing[name].suggestions if x != suggestion]
        else:
            out.append(QueueCandidate(kind="field", page=1, bbox=None, text="\n".join(_party_line(p) for p in parties),
                                      confidence=min(p.confidence for p in parties), suggestions=[suggestion],
                                      field_name=name))
    return out
_REGISTERS: dict[tuple[str, int, int], object] = {}


def _register(path: Path):
    """The register parsed once per file version (a worker finishes many documents), or the
    reason it cannot be read (the run checked it at start; a later change must not crash a batch)."""
    from .structure.register import RegisterError, parse

    try:
        st = path.stat()
        k = (str(path), st.st_mtime_ns, st.st_size)
        if k not in _REGISTERS:
            _REGISTERS.clear()
            _REGISTERS[k] = parse(path.read_text(encoding="utf-8"), path.name)
        return _REGISTERS[k]
    except (OSError, UnicodeDecodeError, RegisterError) as exc:
        return " ".join(str(exc).split())


def _flag_page_files(work_dir: Path, pages: list[OcrPage], illegible: set[str]) -> None:
    """Record the illegible marks in ``pages/NNNN.json`` itself (the text stays the engine's), and
    take back marks no longer decided (a reopened item); a file is rewritten only on change."""
    import json

    for page in pages:
        ids = {w.id: w for w in page.words()}
        if not any(w.illegible for w in ids.values()) and not illegible & ids.keys():
            continue
        path = page_path(work_dir, page.number, ".json")
        data = json.loads(path.read_text(encoding="utf-8"))
        changed = False
        for block in data.get("blocks", []):
            for line in block.get("lines", []):
                for w in line.get("words", []):
                    flag = w.get("id") in illegible
                    if bool(w.get("illegible")) != flag:
                        w["illegible"] = flag
                        changed = True
        for w in ids.values():
            w.illegible = w.id in illegible
        if changed:
            atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _mark_illegible(doc: Document, pages: list[OcrPage], illegible: dict[str, str]) -> None:
    """The document JSON lists the illegible words, and their doubts in the text say so."""
    from .model import Illegible

    def mark(doubts) -> None:
        for d in doubts:
            if d.word_id in illegible:
                d.illegible, d.confidence = True, 0.0

    def tree(ct) -> None:
        mark(ct.doubts)
        for ch in ct.children:
            tree(ch)

    for p in doc.abstract + doc.description:
        mark(p.doubts)
    for cs in doc.claims:
        for c in cs.claims:
            tree(c.body)
    doc.illegible = [Illegible(word_id=w.id, page=page.number, text=w.text, bbox=w.bbox, reviewer=illegible[w.id] or None)
                     for page in pages for w in page.words() if w.id in illegible]


def _apply_fields(doc: Document, profile: Profile, values: dict[str, str]) -> dict[str, str]:
    """Reviewers' values for bibliographic fields: checked against the profile's format, then
    set, creating a field the OCR never found. Returns ``field:<name>`` → reason for values that
    do not fit (they stay in the queue)."""
    from .model import Field
    from .proofread.decisions import DecisionRules, QueueError, check_field
    from .structure import MANDATORY_LABELS, decided

    rules = DecisionRules.from_profile(profile)
    refused = {}
    for name, value in values.items():
        key, item = f"field:{name}", name
        if decided.is_list_item(name) and decided.single_field(name) and value.strip():
            name = decided.single_field(name)  # inid:24 read but not placed: its Field, checked as one
        elif decided.is_list_item(name):  # parties:72, states:84, ipc:51, inid:86 …: a list item
            if value.strip():  # "" = accepted as read: the extracted list stays
                try:
                    note = decided.apply_list(doc.biblio, name, value.strip(), or_defaults(profile).structure)
                except decided.Refused as exc:
                    refused[key] = str(exc)
                    doc.flags.append(f"review value refused: {name}: {exc}")
                    continue
                if note:
                    doc.flags.append(note)
            doc.flags = [f for f in doc.flags if not f.startswith(f"{name}: ")]
            continue
        if not hasattr(doc.biblio, name) or name == "MANDATORY":
            refused[key] = f"unknown field {name!r}"
            continue
        if not isinstance(getattr(doc.biblio, name, None), (Field, type(None))):
            refused[key] = f"{name} is not a single-value field"
            continue
        try:
            value = check_field(name, value.strip(), rules, mandatory=name in doc.biblio.MANDATORY)
        except QueueError as exc:
            refused[key] = str(exc)
            doc.flags.append(f"review value refused: {exc}")
            continue
        fld = getattr(doc.biblio, name)
        if fld is None:
            setattr(doc.biblio, name, Field(value=value, confidence=100.0, flagged=False))
        else:
            fld.value, fld.flagged, fld.confidence = value, False, 100.0
        label = MANDATORY_LABELS.get(name, name)
        doc.flags = [f for f in doc.flags
                     if f != f"missing {label}" and not f.startswith((f"low confidence {label}:", f"{item}: "))]
    return refused


def _quality(pages: list[OcrPage], profile: Profile, reviewed: set[str]) -> dict:
    """The document-level quality gate (``[queue] min_mean_confidence``, ``min_lexicon_share``):
    a garbage scan (60 dpi, mean confidence 74, words the lexicon does not know) must not become
    ``done`` just because its few queued words were decided. Reviewed words count as sure."""
    from .proofread import vocabulary_for

    s = or_defaults(profile).proofread
    words = [w for p in pages if not p.image_only for w in p.words() if w.text.strip()]
    if not words:
        return {"words": 0}
    mean = sum(100.0 if w.id in reviewed else w.conf for w in words) / len(words)
    alpha = [w for w in words if len(w.text) >= 3 and sum(c.isalpha() for c in w.text) >= 3]
    share = None
    if alpha:
        lexicon = vocabulary_for(profile, s)
        seen: dict[str, bool] = {}  # text -> known: a document repeats most of its words
        known = 0
        for w in alpha:
            if w.id in reviewed:
                known += 1
                continue
            ok = seen.get(w.text)
            if ok is None:
                ok = seen[w.text] = _known(lexicon, w.text)
            known += ok
        share = known / len(alpha)
    out: dict = {"words": len(words), "mean_confidence": round(mean, 1),
                 "lexicon_share": round(share, 3) if share is not None else None}
    if len(words) >= s.queue_quality_min_words:
        reasons = []
        if mean < s.queue_min_mean_confidence:
            reasons.append(f"mean word confidence {mean:.0f} is below {s.queue_min_mean_confidence:g}")
        if share is not None and len(alpha) >= s.queue_quality_min_words // 2 and share < s.queue_min_lexicon_share:
            reasons.append(f"only {share:.0%} of the words are in the lexicon (at least {s.queue_min_lexicon_share:.0%})")
        if reasons:
            out["reason"] = "; ".join(reasons)
    return out


def _known(lexicon, text: str) -> bool:
    core = "".join(c for c in text if c.isalpha() or c in "-'")
    return bool(core) and (lexicon.known(core) or any(lexicon.known(part) for part in core.split("-") if part))


def _write_texts(work_dir: Path, doc: Document, pages: list[OcrPage]) -> list[str]:
    from .emit.alto import page_to_alto
    from .emit.hocr import page_to_hocr

    pages_dir = pages_folder(work_dir)
    texts = []
    for page in pages:
        name = page_name(page.number)
        labels = label_ids(page)  # figure labels stay in the JSON/hOCR/ALTO only
        texts.append(page_text(page, labels) + "\n")  # running_text, tables row by row (tab-separated cells)
        _write_if_changed(pages_dir / f"{name}.txt", texts[-1].encode("utf-8"))
        _write_if_changed(pages_dir / f"{name}.hocr", page_to_hocr(page, f"{name}.tif"))
        _write_if_changed(pages_dir / f"{name}.alto.xml", page_to_alto(page, f"{name}.tif", labels))
    # the document's text: pages separated by form feeds, as pdftotext does
    atomic_write(work_dir / f"{doc.doc_id}.txt", "\f".join(texts))
    atomic_write(work_dir / f"{doc.doc_id}.json", doc.to_json())
    return [f"{doc.doc_id}.txt", f"{doc.doc_id}.json"]


def _write_if_changed(path: Path, data: bytes) -> None:
    """``atomic_write`` unless the file already holds exactly ``data``: a re-finish (``digitize
    apply``, a resumed run) changes a few pages, and each atomic write costs an fsync (4-8 ms
    of wall time here; 87 page files for 29 pages). Only the document JSON's mtime says when
    outputs changed (``package._newest_input``), and it is always written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write(path, data)


def _remove_stale(work_dir: Path, doc_id: str) -> None:
    """Outputs named after an earlier DOCID of the same input (e.g. before structure knew it)."""
    for suffix in (".txt", ".json", ".st36.xml", ".st96.xml", ".pdf"):
        for f in work_dir.glob(f"*{suffix}"):
            stem = f.name[: -len(suffix)]
            if stem != doc_id and "." not in stem:
                f.unlink()
