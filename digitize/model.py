"""Plain data passed from stage to stage.

Every stage is a function of these classes, so a page or a document can be processed with plain
calls (tests, ``digitize apply``) and Dask only ever moves small results. Everything round-trips
through JSON (``to_dict``/``from_dict``) because the page and document files on disk are the
hand-off between the OCR run, the review queue and re-emission.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

BBox = tuple[int, int, int, int]  # x0, y0, x1, y1 in page pixels (of the OCR'd image)


def _from(tp: Any, value: Any) -> Any:
    """Rebuild a value of annotated type ``tp`` from its JSON form."""
    if value is None:
        return None
    conv = _converter(tp)
    return value if conv is None else conv(value)


@lru_cache(maxsize=None)
def _converter(tp: Any):
    """The function that rebuilds a non-None JSON value of type ``tp`` (None: the value as is).
    Worked out once per type: a dense page holds a thousand words, and asking ``typing`` about
    every field of every word cost more than parsing the JSON."""
    origin = get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return tp.from_dict
    if origin in (list,):
        (item,) = get_args(tp)
        conv = _converter(item)
        if conv is None:
            return lambda value: [v for v in value]
        return lambda value: [None if v is None else conv(v) for v in value]
    if origin is tuple:
        return tuple
    if origin is dict:
        _, vt = get_args(tp)
        conv = _converter(vt)
        if conv is None:
            return lambda value: {k: v for k, v in value.items()}
        return lambda value: {k: None if v is None else conv(v) for k, v in value.items()}
    args = [a for a in get_args(tp) if a is not type(None)]
    if args and origin is not None:  # Optional[X] / X | None
        return _converter(args[0])
    return None


@lru_cache(maxsize=None)
def _fields_from(cls: type) -> tuple[frozenset[str], tuple[tuple[str, Any], ...]]:
    """A Record class's field names, and (name, converter) of the fields whose JSON form must be
    rebuilt (the rest, strings and numbers, are taken as they are: a Word has only its bbox)."""
    hints = _hints(cls)
    convs = ((name, _converter(tp)) for name, tp in hints.items())
    return frozenset(hints), tuple((name, conv) for name, conv in convs if conv is not None)


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    """Field name → type of a dataclass; resolving annotations is slow, and pages hold thousands
    of words, so it is done once per class."""
    hints = get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}  # type: ignore[arg-type]


@lru_cache(maxsize=None)
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` without its deep copies (a dense page holds thousands of values)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        omit = getattr(value, "OMIT_EMPTY", ())
        return {name: _plain(getattr(value, name)) for name in _names(type(value))
                if not (name in omit and not getattr(value, name))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value] if isinstance(value, list) else tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Record:
    """Mixin: JSON round trip for nested dataclasses."""

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names, convs = _fields_from(cls)
        kwargs = data if data.keys() <= names else {k: v for k, v in data.items() if k in names}
        rebuilt = {name: conv(kwargs[name]) for name, conv in convs if kwargs.get(name) is not None}
        if rebuilt:
            kwargs = kwargs | rebuilt
        return cls(**kwargs)

    def to_json(self, compact: bool = False) -> str:
        """Indented for files people read; ``compact`` for machine hand-offs such as page files
        (json's C encoder serves only unindented output, several times faster)."""
        if compact:
            return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=False)

    @classmethod
    def from_json(cls, text: str):
        return cls.from_dict(json.loads(text))


# --------------------------------------------------------------------------- image level


@dataclass(frozen=True)
class Held:
    """An input read from a private copy: the hot folder's file, copied from the one descriptor
    it checked (``hotfolder.HotFolder.hold``) into ``JobFolder.held_dir``. ``input`` is where it
    was dropped (its name in the ledger, its work folder and DOCID stem), ``path`` the copy the
    workers read, ``size`` and ``mtime_ns`` the dropped file's as checked."""

    input: Path
    path: Path
    size: int
    mtime_ns: int

    def __str__(self) -> str:
        return str(self.input)


@dataclass
class PageImage:
    """One page as pixels, between ingest, preprocess and OCR. Never serialised: a page image
    lives only inside one worker task (one page in memory at a time)."""

    number: int  # 1-based page number in the document
    image: Any  # numpy uint8 array, 2-D grey (0 black .. 255 white)
    dpi: int  # horizontal resolution; ingest makes pixels square
    source: str = ""  # e.g. "file.pdf#3"
    dpi_known: bool = True  # False when the file did not say and ``dpi`` is a default
    header_dpi: float = 0.0  # what the file's header said (0: nothing), kept for the page record
    exif_orientation: int = 0  # the EXIF Orientation tag ingest applied to the pixels (0/1: none)


@dataclass
class Prepared:
    """The output of preprocessing: the image handed to the engine and what was done to it."""

    image: Any  # numpy uint8 2-D: white paper (255) and ink, grey or black, as the engine reads best
    dpi: int
    rotation: int = 0  # degrees clockwise applied to make the page upright
    skew: float = 0.0  # degrees of deskew applied
    ink_ratio: float = 0.0  # share of black pixels after binarisation
    steps: list[str] = field(default_factory=list)  # what ran, for the log
    resolution: dict = field(default_factory=dict)  # header / ink-estimated dpi, x-height, decision
    ink_level: int = 255  # pixels below this are ink (255: paper is exactly white; lower for plain grey)
    engine_dpi: int = 0  # resolution told to the engine when not ``dpi`` (0: ``dpi``); see preprocess.decide_scale


# --------------------------------------------------------------------------- OCR level


@dataclass
class Word(Record):
    """One recognised word. ``id`` is stable (``p0001_w00042``) so that review decisions made
    on the word survive re-running structure and emission."""

    id: str
    text: str
    bbox: BBox
    conf: float  # 0..100 as Tesseract reports it
    ocr_text: str | None = None  # the engine's text when a correction changed ``text``
    illegible: bool = False  # a reviewer could not read it either: the text stays as read, flagged


@dataclass
class Line(Record):
    bbox: BBox
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Block(Record):
    """A Tesseract block (paragraph-level layout unit)."""

    bbox: BBox
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class TableCell(Record):
    """One cell of a table: its place in the grid (0-based row and column, spans), its box on
    the page, and the words read on its own crop (ids continue the page's numbering)."""

    row: int
    col: int
    bbox: BBox
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # in the table's head rows (ST.36 ``thead``, ST.96 ``com:TableHead``)
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words if w.text)

    @property
    def conf(self) -> float:
        return min((w.conf for w in self.words), default=100.0)


@dataclass
class Table(Record):
    """A table region of a page and its cell structure (``structure/tables.py``). ``ruling`` says
    how it was found: ``ruled`` (a grid of lines), ``partly`` (horizontal rules only, columns from
    the words' alignment), ``unruled`` (no rules: rows and columns from the words' alignment alone)."""

    page: int
    bbox: BBox
    rows: int
    cols: int
    cells: list[TableCell] = field(default_factory=list)
    ruling: str = "ruled"
    header_rows: int = 0
    col_widths: list[int] = field(default_factory=list)  # pixels, for ``colspec/@colwidth``
    id: str = ""  # "tabl0001": the key of the table's image and XML element, numbered per document
    file: str = ""  # the table's image, relative to the document folder (``tables/NNNN-k.tif``)

    def grid(self) -> list[list[str]]:
        """Rows of cell texts, a spanned cell's text in its first row and column only."""
        out = [["" for _ in range(self.cols)] for _ in range(self.rows)]
        for c in self.cells:
            if 0 <= c.row < self.rows and 0 <= c.col < self.cols:
                out[c.row][c.col] = c.text
        return out

    @property
    def text(self) -> str:
        """Row by row, cells separated by tabs (the page's ``.txt``)."""
        return "\n".join("\t".join(row) for row in self.grid())

    def word_ids(self) -> set[str]:
        return {w.id for c in self.cells for w in c.words}


@dataclass
class OcrPage(Record):
    """The OCR result of one page: the unit the OCR stage produces and review edits."""

    number: int  # 1-based page number in the document
    width: int
    height: int
    dpi: int
    blocks: list[Block] = field(default_factory=list)
    rotation: int = 0  # degrees applied to make the page upright (0/90/180/270)
    skew: float = 0.0  # degrees of deskew applied
    engine: str = ""  # e.g. "tesserocr 5.5.4 eng"
    image_only: bool = False  # e.g. a drawing page: kept as image, no text
    ink_ratio: float = 0.0  # share of dark pixels after binarisation (drawings detection)
    kind: str = ""  # "text" | "drawing" | "blank" from the page's ink before recognition ("" = not looked at)
    figures: list[BBox] = field(default_factory=list)  # figure regions (structure/figures.py)
    resolution: dict[str, Any] = field(default_factory=dict)  # header/estimated dpi and the decision
    reading: dict[str, Any] = field(default_factory=dict)  # which preparation was read, second reading, why
    tables: list[Table] = field(default_factory=list)  # table regions and cells; their words are in ``blocks`` too

    OMIT_EMPTY = ("tables",)  # a page without tables: the same JSON as before tables were read

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        page = super().from_dict(data)
        if page.tables:  # a cell holds the page's own words (a correction of one is the cell's too)
            by_id = {w.id: w for w in page.words()}
            for t in page.tables:
                for c in t.cells:
                    c.words = [by_id.get(w.id, w) for w in c.words]
        return page

    def words(self) -> list[Word]:
        return [w for b in self.blocks for ln in b.lines for w in ln.words]

    def lines(self) -> list[Line]:
        return [ln for b in self.blocks for ln in b.lines]

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.lines)

    def text_without(self, ids: set[str] | frozenset[str]) -> str:
        """``text`` without the words whose ids are in ``ids``: a line they leave empty goes, and a
        block left without lines (the page's ``.txt`` without its figure labels)."""
        if not ids:
            return self.text
        blocks = []
        for b in self.blocks:
            lines = [" ".join(w.text for w in ln.words if w.id not in ids) for ln in b.lines
                     if not ln.words or any(w.id not in ids for w in ln.words)]
            if lines:
                blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    @property
    def mean_conf(self) -> float:
        ws = self.words()
        return sum(w.conf for w in ws) / len(ws) if ws else 0.0


# --------------------------------------------------------------------------- structure level


@dataclass
class Source(Record):
    """Where a piece of text came from, for reviewers and for ``<!-- <DP n=..> -->``."""

    page: int
    bbox: BBox


@dataclass
class Field(Record):
    """A bibliographic value with its evidence. ``flagged`` means a reviewer must look at it."""

    value: str
    confidence: float = 100.0  # 0..100
    source: Source | None = None
    raw: str | None = None  # as printed, before normalisation
    flagged: bool = False


@dataclass
class Party(Record):
    name: str
    address: str | None = None
    country: str | None = None  # ST.3, when printed
    confidence: float = 100.0
    source: Source | None = None
    designation: list[str] = field(default_factory=list)  # states this party applies for; [] = all


@dataclass
class DocRef(Record):
    """A document named on the front page: (86)/(87) the PCT application and publication, (62)/(60)
    related applications. ``date`` is ISO; ``relation`` says which INID code named it."""

    number: str
    country: str | None = None
    kind: str | None = None
    date: str | None = None
    relation: str = ""  # "86" | "87" | "62" | "60" …
    confidence: float = 100.0
    source: Source | None = None


@dataclass
class Priority(Record):
    country: str
    number: str
    date: str  # ISO YYYY-MM-DD
    confidence: float = 100.0


@dataclass
class Classification(Record):
    """IPC symbol split as ST.8: ``A61K 31/4439 (2006.01)``."""

    text: str
    section: str = ""
    cls: str = ""
    subclass: str = ""
    main_group: str = ""
    subgroup: str = ""
    version: str | None = None  # e.g. "2006.01"


@dataclass
class Bibliographic(Record):
    office: Field | None = None  # (19) ST.3 code
    doc_number: Field | None = None  # (11) digits only, e.g. "2400812"
    kind: Field | None = None  # (13) ST.16 e.g. "A1"
    publication_date: Field | None = None  # (43)/(45) ISO date
    document_type: Field | None = None  # (12) words as printed
    application_number: Field | None = None  # (21)
    filing_date: Field | None = None  # (22) ISO date
    title: Field | None = None  # (54)
    title_lang: str | None = None
    priorities: list[Priority] = field(default_factory=list)  # (30)
    ipc: list[Classification] = field(default_factory=list)  # (51)
    applicants: list[Party] = field(default_factory=list)  # (71)
    inventors: list[Party] = field(default_factory=list)  # (72)
    assignees: list[Party] = field(default_factory=list)  # (73)
    agents: list[Party] = field(default_factory=list)  # (74)
    designated_states: list[str] = field(default_factory=list)  # (84)
    extension_states: list[str] = field(default_factory=list)  # (84) "Designated Extension States" (EP)
    validation_states: list[str] = field(default_factory=list)  # (84) "Designated Validation States" (EP)
    pct_application: DocRef | None = None  # (86)
    pct_publication: DocRef | None = None  # (87)
    related_documents: list[DocRef] = field(default_factory=list)  # (62) division of, (60) related
    rights_effective_date: Field | None = None  # (24) ISO date
    unexamined_available_date: Field | None = None  # (41) made available, unexamined, not printed
    granted_available_date: Field | None = None  # (47) made available with grant, not printed

    MANDATORY = ("office", "doc_number", "kind", "publication_date")

    def value(self, name: str) -> str | None:
        f = getattr(self, name)
        return f.value if f is not None else None


@dataclass
class Doubt(Record):
    """A span of ``text`` (character offsets) whose words are still in doubt after proofreading;
    ST.96 may wrap it in ``com:OCRConfidenceData``."""

    start: int
    end: int
    confidence: float
    word_id: str | None = None
    illegible: bool = False  # a reviewer marked the word illegible (not merely low confidence)


@dataclass
class Paragraph(Record):
    """A description/abstract paragraph or a heading (``kind == "heading"``)."""

    text: str
    num: str | None = None  # printed number normalised to 4 digits, e.g. "0012"
    kind: str = "p"  # "p" | "heading"
    level: int = 1  # heading level
    sources: list[Source] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # tables printed after the paragraph's text (ST.36 p/tables)

    OMIT_EMPTY = ("tables",)


@dataclass
class ClaimText(Record):
    """A claim's text or one of its elements (nested ``claim-text``)."""

    text: str
    children: list[ClaimText] = field(default_factory=list)
    refs: list[int] = field(default_factory=list)  # claim numbers referred to in ``text``
    doubts: list[Doubt] = field(default_factory=list)


@dataclass
class Claim(Record):
    num: int
    body: ClaimText
    sources: list[Source] = field(default_factory=list)


@dataclass
class ClaimSet(Record):
    """The claims in one language (EP B1 documents carry three)."""

    lang: str
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Figure(Record):
    """A drawing page or region kept as an image; ``file`` is relative to the document folder."""

    page: int
    file: str
    bbox: BBox | None = None
    num: int | None = None
    id: str = ""  # "fig0001": the key the delivery package lists the file under


@dataclass
class Correction(Record):
    """One change to a word: automatic (``rule``) or a reviewer's (``rule == "review:<user>"``)."""

    word_id: str
    page: int
    old: str
    new: str
    rule: str
    confidence: float


@dataclass
class QueueCandidate(Record):
    """A word or bibliographic field in doubt, for the correction queue."""

    kind: str  # "word" | "field"
    page: int
    bbox: BBox | None
    text: str
    confidence: float
    suggestions: list[str] = field(default_factory=list)
    context: str = ""  # the line around the word
    word_id: str | None = None
    field_name: str | None = None  # for kind == "field", e.g. "publication_date"
    mandatory: bool = False


@dataclass
class Illegible(Record):
    """A word a reviewer marked illegible: it stays in the text as read and is flagged in every
    output (page JSON, hOCR ``x_confs``, ALTO ``WC``/``TAGREFS``, ST.96 ``OCRConfidenceData``)."""

    word_id: str
    page: int
    text: str
    bbox: BBox | None = None
    reviewer: str | None = None


@dataclass
class PageInfo(Record):
    number: int
    width: int
    height: int
    dpi: int
    mean_conf: float
    words: int
    image_only: bool = False
    rotation: int = 0
    skew: float = 0.0


@dataclass
class Document(Record):
    """The structured publication: what ``<DOCID>.json`` holds and what the emitters read."""

    doc_id: str
    source: str  # input path as given
    profile: str
    lang: str  # ISO 639-1 of the publication
    biblio: Bibliographic = field(default_factory=Bibliographic)
    abstract: list[Paragraph] = field(default_factory=list)
    description: list[Paragraph] = field(default_factory=list)
    claims: list[ClaimSet] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    image_pages: list[int] = field(default_factory=list)  # pages kept as doc-page images
    pages: list[PageInfo] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # human-readable problems, e.g. "no claims found"
    corrections: list[Correction] = field(default_factory=list)
    candidates: list[QueueCandidate] = field(default_factory=list)
    illegible: list[Illegible] = field(default_factory=list)
    quality: dict[str, Any] = field(default_factory=dict)  # the document-level gate: figures and reason

    @property
    def publication_id(self) -> str | None:
        """office+number+kind (``EP2400812A1``) when all three are known."""
        b = self.biblio
        parts = [b.value("office"), b.value("doc_number"), b.value("kind")]
        return "".join(parts) if all(parts) else None  # type: ignore[arg-type]


# --------------------------------------------------------------------------- reviewers' decisions

# A queue item's key: a word's id, or ``field:<name>`` for a bibliographic field (``publication_date``,
# ``parties:72``). The queue stores it; these two say how it is built and read.
FIELD_KEY = "field:"


def field_key(name: str) -> str:
    """The queue item key of the field ``name``."""
    return f"{FIELD_KEY}{name}"


def field_of(key: str) -> str | None:
    """The field name a queue item key stands for; None for a word's key (its id)."""
    return key[len(FIELD_KEY):] if key.startswith(FIELD_KEY) else None


@dataclass
class Decisions:
    """Reviewers' decisions on one document, as the finish stage applies them.

    ``words``: word id → its text ("" removes the word: not text); ``fields``: field name →
    value (a list item's "" keeps the list as read); ``lines``: word id → the word's whole line as
    corrected; ``illegible``: word id → the reviewer (the word stays as read, flagged in every
    output)."""

    words: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)
    illegible: dict[str, str] = field(default_factory=dict)
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)  # table cell key → (action, value): structure.table_review

    def __bool__(self) -> bool:
        return bool(self.words or self.fields or self.lines or self.illegible or self.cells)

    @property
    def decided_words(self) -> set[str]:
        """The ids of the words a reviewer decided (their queue items are settled; they count as sure)."""
        return set(self.words) | set(self.illegible) | set(self.lines)
