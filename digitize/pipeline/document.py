"""A document's second half in memory: recognised pages → the structured ``Document``.

    proofread(auto) → reviewers' decisions → quality gate → structure → fields decided,
    office memory, register → completeness gate

Proofreading runs on the words *before* structure: paragraph numbers, dates and application
numbers fixed at word level (``[O0l2]`` → ``[0012]``) are then parsed right. No file is read or
written here: ``pipeline.finish_document`` is this plus the document folder's files, and
``digitize.api.finish`` is this alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Decisions, Document, OcrPage, PageInfo
from ..proofread import auto_correct
from ..settings.profile import Profile, or_defaults
from ..store.memory import MemoryRules
from ..structure import build_document, check_register, incomplete
from ..structure.figures import outside_figures
from ..structure.table_review import review_cells
from .decide import apply_fields, apply_lines, apply_words, drop_empty_words, mark_illegible
from .gazetteer import gazetteer, known_parties_settled
from .quality import gate
from .reread import field_reader


@dataclass
class Finished:
    document: Document
    pages: list[OcrPage]  # the pages with their final words (what the text, hOCR and ALTO show)
    refused: dict[str, str] = field(default_factory=dict)  # field name → why a reviewer's value was not used
    incomplete: list[str] = field(default_factory=list)  # mandatory fields empty or placeholders: not done


def language_words(profile: Profile):
    """Every lexicon the profile's proofreader reads (its language's and English): what a title's
    word must be, or the document's own word, not to be asked."""
    return _lexicon(profile, tuple(or_defaults(profile).proofread.lexicons))


def own_language_words(profile: Profile):
    """The profile's lexicons of its own language (an ``es`` profile also loads English ones, in
    which ``camara`` or ``combustion`` are words): the evidence for accents in capitals. None for
    English profiles (no accents are added on English pages)."""
    from ..settings.proofread import DEFAULT_LEXICONS

    if (getattr(profile, "lang", "en") or "en") == "en":
        return None
    lexicons = or_defaults(profile).proofread.lexicons
    return _lexicon(profile, tuple(n for n in lexicons if n not in DEFAULT_LEXICONS["en"]))


def _lexicon(profile: Profile, names: tuple[str, ...]):
    """The lexicons ``names`` (paths relative to the profile's folder); None for none."""
    if not names:
        return None
    base = str(profile.path.parent) if getattr(profile, "path", None) else None
    from ..proofread.lexicon import load

    return load(names, base)


def document_with_pages(pages: list[OcrPage], profile: Profile, *, source: str, doc_id: str,
                        images=None, keep=frozenset()) -> Document:
    """The structure stage's document plus a ``PageInfo`` per page (what the JSON and report show).
    ``images``: page number → the stored page image the words' boxes refer to (a path or pixels),
    or None when there is none (then no field line is read again); ``keep``: the ids of words a
    reviewer decided (the second reading leaves them as decided)."""
    reread = field_reader(profile, images) if images is not None else None
    doc = build_document(pages, profile, source=source, doc_id=doc_id, known_words=own_language_words(profile),
                         lexicon=language_words(profile), reread=reread, keep=keep)
    doc.pages = [
        PageInfo(number=p.number, width=p.width, height=p.height, dpi=p.dpi, mean_conf=round(p.mean_conf, 2),
                 words=len(p.words()), image_only=p.image_only, rotation=p.rotation, skew=p.skew)
        for p in pages
    ]
    return doc


def finish(pages: list[OcrPage], profile: Profile, decisions: Decisions | None = None, *, source: str = "",
           doc_id: str = "", force_doc_id: bool = False, memory: MemoryRules | None = None,
           register=None, images=None) -> Finished:
    """Proofread and structure ``pages`` (corrected in place), with reviewers' ``decisions``.

    ``doc_id`` is the fallback identifier; the structure stage replaces it with
    office+number+kind when it finds them, unless ``force_doc_id``. A field value for a field the
    OCR never found creates the field, once it fits the profile's format. ``memory``: the office
    memory's rules (``digitize.store.memory``): its confirmed corrections are applied
    (``auto-memory``), its known words not queued, and a party name one edit from a known one
    gets it suggested. ``register``: the office's register of numbers
    (``structure.register``), or the reason it could not be read (a flag says so). ``images``:
    page number → the stored page image (``pages/NNNN.tif``), for the front page's name and title
    lines read a second time (``pipeline.reread``); None: they are not."""
    decisions = decisions or Decisions()
    illegible = decisions.illegible
    for page in pages:
        for word in page.words():
            word.illegible = word.id in illegible
    pages, corrections, candidates = auto_correct(pages, profile, in_place=True, memory=memory)
    decided_words = decisions.decided_words
    if decisions.words:
        apply_words(pages, decisions.words)
    if decisions.lines:
        apply_lines(pages, decisions.lines)
    candidates = [c for c in candidates if c.word_id not in decided_words]
    candidates = review_cells(pages, decisions, candidates)
    drop_empty_words(pages)
    quality = gate(pages, profile, decided_words)

    # an illegible word becomes a doubt of confidence 0 in the structured text (ST.96 marks it)
    saved = {}
    for page in pages:
        for word in page.words():
            if word.id in illegible:
                saved[word.id] = word.conf
                word.conf = 0.0
    doc = document_with_pages(pages, profile, source=source, doc_id=doc_id, images=images, keep=decided_words)
    for page in pages:
        for word in page.words():
            if word.id in saved:
                word.conf = saved[word.id]
    if illegible:
        mark_illegible(doc, pages, illegible)
    candidates = outside_figures(candidates, pages)
    if force_doc_id:
        doc.doc_id = doc_id
    refused: dict[str, str] = {}
    if decisions.fields:
        refused = apply_fields(doc, profile, decisions.fields)
        done_fields = set(decisions.fields) - set(refused)
        doc.candidates = [c for c in doc.candidates if c.field_name not in done_fields]
    if memory is not None and memory.parties:
        doc.candidates = known_parties_settled(doc, memory.parties)
        doc.candidates = gazetteer(doc, memory.parties) + doc.candidates
    if isinstance(register, str):
        doc.flags.append(f"register not checked: {register}")
    elif register is not None:
        check_register(doc, register, set(decisions.fields))
    doc.corrections = corrections + doc.corrections
    doc.candidates = candidates + doc.candidates
    doc.quality = quality
    if quality.get("reason"):
        doc.flags.append(f"quality: {quality['reason']}")
    missing = incomplete(doc.biblio)  # the completeness gate, after the reviewers' values
    doc.flags = [f for f in doc.flags if not (f.startswith("missing ") and f[len("missing "):] not in missing)]
    return Finished(document=doc, pages=pages, refused=refused, incomplete=missing)
