"""Sections of the body: description paragraphs and headings, claims (per language), drawings.

The body is read as one stream of lines in reading order, page after page, without running
headers, footers, page numbers and the margin line numbers (5, 10, 15 …) of two-column pages.
Paragraphs start at their printed numbers (``[0012]``, ``[012]``, ``(0012)`` and OCR variants
such as ``{0012]``), or at layout blocks when a publication does not number them. Claims start at
a claims heading and at each expected claim number ("1.", "2." …): a number out of sequence is
text, not a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Claim, ClaimSet, ClaimText, Doubt, OcrPage, Paragraph
from .. import claimrefs
from . import normalize as norm
from ..settings.structure import StructureSettings
from .figures import inside
from .layout import BULLETS, TextBuilder, TextLine, ordered_blocks

PARA_NUM = re.compile(r"^[\(\[{|]{0,2}\s*([0-9OolI]{3,5})\s*[\]\)}|1l]\s*")
CLAIM_NUM = re.compile(r"^([0-9lIO]{1,3})\s*[.,)]\s*")
MARGIN = re.compile(r"^(5|[1-9][05])$")
HEADER_LINE = re.compile(r"^[\d\s]*[A-Z]{2}\s?[\d\s]{5,14}[A-Z]\s?[\dlI]?[\d\s]*$")
BRACKET_HEADING = re.compile(r"^[’'`‘]?\s*[\[{(][A-Za-zÁÉÍÓÚáéíóúñÑ ,]{3,60}[\]})]$")
NUMBER_ONLY = re.compile(r"^[\dlIO]{1,3}\s*[.,)]?$")
SEARCH_REPORT = re.compile(r"SEARCH\s+REPORT|CLASSIFICATION OF SUBJECT MATTER|INFORME\s+SOBRE\s+EL\s+ESTADO\s+DE\s+LA\s+T[EÉ]CNICA|"
                           r"RECHERCHENBERICHT|RAPPORT DE RECHERCHE")
FIG = re.compile(r"\bFIG(?:URE)?\.?\s*\d|\bFig\.?\s*\d|\bFIGURA\s*\d", re.I)


def _key(text: str) -> str:
    return re.sub(r"[^a-záéíóúñüäöß]", "", text.lower())


def is_search_report_page(page: OcrPage) -> bool:
    """Search report pages (EP/WO A1): kept as page images, not read as description or claims."""
    head = " ".join(w.text for w in page.words()[:400]).upper()
    return bool(SEARCH_REPORT.search(head))


def _prose(words) -> bool:
    """A line of running text: five words or more, nearly all of them real words."""
    if len(words) < 5:
        return False
    real = sum(1 for w in words if len(w.text.strip(".,;:()")) >= 2 and w.text.strip(".,;:()").isalpha())
    return real / len(words) >= 0.7


PROSE_LINES = 4  # lines of running text that make a page text, whatever else is on it
PROSE_SHARE = 0.75  # or: two such lines or more holding this share of the page's words


def is_running_text(page: OcrPage) -> bool:
    """A page of running text, however short: several lines of prose, or two or more that hold
    nearly all its words (a description's last lines, a one-paragraph notice): a drawing sheet's
    words are labels and reference numerals."""
    words = [w for w in page.words() if w.text.strip()]
    prose = [ln for ln in page.lines() if _prose(ln.words)]
    if len(prose) >= PROSE_LINES:
        return True
    in_prose = sum(1 for ln in prose for w in ln.words if w.text.strip())
    return len(prose) >= 2 and in_prose >= PROSE_SHARE * len(words)


def is_drawing_page(page: OcrPage, settings: StructureSettings) -> bool:
    """A page read as a drawing sheet from its words: few words, mostly short, or a "FIG. n";
    never a page of running text (``is_running_text``)."""
    words = [w for w in page.words() if w.text.strip()]
    if not words:
        return page.ink_ratio > 0.002  # a blank page is not a drawing unless it has ink
    if len(words) >= settings.drawing_max_words or is_running_text(page):
        return False
    text = " ".join(w.text for w in words)
    long_words = [w for w in words if sum(c.isalpha() for c in w.text) >= 4]
    return bool(FIG.search(text)) or len(long_words) / len(words) < 0.5 or len(words) < 25


def _own_header(text: str, y1: int, h: int, numbers: set[str]) -> bool:
    """The publication's own number ("EP 3 441 143 A1") in the top sixth of a page: a running
    header however far down the scan shifted it."""
    if not numbers or y1 > h / 6 or not HEADER_LINE.match(text):
        return False
    digits = re.sub(r"\D", "", text)
    return any(n and n in digits for n in numbers)


def body_lines(pages: list[OcrPage], header_numbers: set[str] | None = None) -> list[TextLine]:
    """Lines in reading order without running headers, footers, page and margin line numbers.
    ``header_numbers``: the publication's own number, dropped wherever it heads a page."""
    out: list[TextLine] = []
    for page in pages:
        h = page.height or 1
        w = page.width or 1
        owner = {wid: t for t in page.tables for wid in t.word_ids()}
        for block in ordered_blocks(page):
            words = [wd for ln in block.lines for wd in ln.words]
            table = owner.get(words[0].id) if words else None
            if table is not None and all(owner.get(wd.id) is table for wd in words):
                out.append(TextLine(page=page.number, words=words, block_start=True, table=table))
                continue
            if words and all(MARGIN.match(wd.text) for wd in words):
                continue  # margin line numbers of two-column publications
            first = True
            for line in block.lines:
                ws = [wd for wd in line.words if wd.text.strip() and not (page.figures and inside(wd.bbox, page.figures))]
                if not ws:
                    continue  # (or the labels and reference numerals of a figure printed on a text page)
                text = " ".join(wd.text for wd in ws)
                y0, y1 = min(wd.bbox[1] for wd in ws), max(wd.bbox[3] for wd in ws)
                if y1 < 0.085 * h and (HEADER_LINE.match(text) or re.fullmatch(r"[\d\s\-–]+", text)):
                    continue  # running header: "3 EP 3 441 143 A1 4"
                if _own_header(text, y1, h, header_numbers or set()):
                    continue
                if y0 > 0.93 * h and (re.fullmatch(r"[\d\s\-–]+", text) or HEADER_LINE.match(text) or len(ws) <= 3):
                    continue  # page number or footer
                cx = (min(wd.bbox[0] for wd in ws) + max(wd.bbox[2] for wd in ws)) / 2
                if len(ws) == 1 and MARGIN.match(text) and abs(cx - w / 2) < 0.06 * w:
                    continue
                ws = [wd for wd in ws if not (MARGIN.match(wd.text) and abs((wd.bbox[0] + wd.bbox[2]) / 2 - w / 2) < 0.03 * w)]
                if ws:
                    out.append(TextLine(page=page.number, words=ws, block_start=first))
                    first = False
    return out


@dataclass
class _Claim:
    num: int
    builder: TextBuilder = field(default_factory=TextBuilder)
    element_lines: list[tuple[int, int]] = field(default_factory=list)  # char offsets where elements start


LEAD_JUNK = ".,;:'‘’`·•*¢«~\"_-— "


def _para_num(text: str) -> int | None:
    m = PARA_NUM.match(text.lstrip(LEAD_JUNK))
    if not m:
        return None
    digits = m[1].translate(norm.DIGIT_FIX)
    return int(digits) if digits.isdigit() else None


def _claim_num(text: str) -> int | None:
    m = CLAIM_NUM.match(text)
    if not m:
        return None
    digits = m[1].translate(norm.DIGIT_FIX)
    return int(digits) if digits.isdigit() else None


def _words_after(line: TextLine, prefix_chars: int) -> int:
    """How many leading words make up the first ``prefix_chars`` characters of the line."""
    n, used = 0, 0
    for w in line.words:
        if used >= prefix_chars:
            break
        used += len(w.text) + 1
        n += 1
    return n


def _claim_body(c: _Claim, words: list[str]) -> ClaimText:
    """A claim's text, split into its elements (nested claim-text) where element lines started;
    each part keeps its own doubtful words, with offsets into its own text."""
    text = c.builder.text.strip()
    doubts = c.builder.doubts
    starts = sorted(s for s, _ in c.element_lines if 0 < s < len(text))
    if not starts:
        return ClaimText(text=text, refs=claimrefs.numbers(text, words), doubts=doubts)
    head = text[: starts[0]].strip()
    children = []
    for a, b in zip(starts, starts[1:] + [len(text)]):
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip(BULLETS + " \n"))
        piece = seg[lead:].rstrip()
        if piece:
            at, to = a + lead, a + lead + len(piece)
            ds = [Doubt(start=d.start - at, end=min(d.end, to) - at, confidence=d.confidence, word_id=d.word_id)
                  for d in doubts if at <= d.start < to]
            children.append(ClaimText(text=piece, refs=claimrefs.numbers(piece, words), doubts=ds))
    return ClaimText(text=head, children=children, refs=claimrefs.numbers(head, words),
                     doubts=[d for d in doubts if d.end <= starts[0]])


@dataclass
class Sections:
    description: list[Paragraph] = field(default_factory=list)
    claims: list[ClaimSet] = field(default_factory=list)
    abstract: list[Paragraph] = field(default_factory=list)


class _Parser:
    """Reads the body line by line: description (and an abstract printed in the body) until a
    claims heading, then claims until an end heading. One method per kind of line."""

    def __init__(self, lines: list[TextLine], settings: StructureSettings, lang: str):
        self.settings, self.lang = settings, lang
        self.out = Sections()
        self.desc_keys = {_key(h) for h in settings.description_headings}
        self.abstract_keys = {_key(h) for h in settings.abstract_headings}
        self.claims_keys = {_key(h): (hl or "") for h, hl in settings.claims_headings.items()}
        self.heading_keys = {_key(h) for h in settings.headings}
        self.end_keys = {_key(h) for h in settings.end_headings}
        self.numbered = sum(1 for ln in lines if _para_num(ln.text) is not None) >= 3
        self.state = "description"  # "description" | "abstract" | "claims" | "end"
        self.current: TextBuilder | None = None  # the paragraph being read
        self.current_num: str | None = None
        self.current_tables: list = []  # tables printed after the current paragraph's text
        self.last_num = 0
        self.claims: list[_Claim] = []  # of the claim set being read
        self.sets: list[tuple[ClaimSet, list[_Claim]]] = []
        self.announced = False  # a lone claim number was seen: the next capitalised block starts that claim

    # -- the stream
    def feed(self, line: TextLine) -> None:
        if line.table is not None:
            self.table(line)
            return
        text = line.text.strip()
        key = _key(text.rstrip(":"))
        if key in self.claims_keys and len(text) < 40:
            self.close_paragraph()
            self.claims = []
            self.sets.append((ClaimSet(lang=self.claims_keys[key] or self.lang), self.claims))
            self.state = "claims"
        elif key in self.end_keys and len(text) < 60:
            self.close_paragraph()
            self.state = "end"
        elif self.state in ("description", "abstract"):
            self.description_line(line, text, key)
        elif self.state == "claims":
            self.claim_line(line, text)

    def finish(self) -> Sections:
        self.close_paragraph()
        for cs, cl in self.sets:
            cs.claims = [Claim(num=c.num, body=_claim_body(c, self.settings.claim_reference_words), sources=c.builder.sources())
                         for c in cl]
            if cs.claims:
                self.out.claims.append(cs)
        return self.out

    # -- tables
    def table(self, line: TextLine) -> None:
        """A table in the description belongs to the paragraph before it (EP prints
        ``<p>…text<tables>…</tables></p>``) and ends it; in the claims its words are text, row by row."""
        if self.state == "claims":
            if self.claims:
                self.claims[-1].builder.add_line(TextLine(page=line.page, words=line.words))
            return
        if self.state == "end":
            return
        if self.current is None:
            self.current = TextBuilder()
            self.current.boxes.setdefault(line.page, []).append(line.bbox)
        self.current_tables.append(line.table)
        self.close_paragraph()

    # -- description
    def close_paragraph(self) -> None:
        if self.current is not None and (self.current.text.strip() or self.current_tables):
            target = self.out.abstract if self.state == "abstract" else self.out.description
            target.append(Paragraph(text=self.current.text.strip(), num=self.current_num, sources=self.current.sources(),
                                    doubts=self.current.doubts, tables=list(self.current_tables)))
        self.current, self.current_num = None, None
        self.current_tables = []

    def description_line(self, line: TextLine, text: str, key: str) -> None:
        if key in self.desc_keys and len(text) < 40:
            self.close_paragraph()
            self.state = "description"
        elif key in self.abstract_keys and len(text) < 30:
            self.close_paragraph()
            self.state = "abstract"
        elif not self.numbered_paragraph(line, text) and not self.heading(line, text, key):
            if self.current is None or (not self.numbered and line.block_start):
                self.close_paragraph()
                self.current = TextBuilder()
            self.current.add_line(line)

    def numbered_paragraph(self, line: TextLine, text: str) -> bool:
        """A line starting with the next printed paragraph number ("[0012]") opens a paragraph."""
        num = _para_num(text) if self.numbered else None
        if num is None or not (num > self.last_num and num - self.last_num <= 30):
            return False
        self.close_paragraph()
        bare = text.lstrip(LEAD_JUNK)
        m = PARA_NUM.match(bare)
        self.current = TextBuilder()
        self.current_num = f"{num:04d}"
        self.last_num = num
        self.current.add_line(line, skip=_words_after(line, m.end() + len(text) - len(bare)) if m else 0)
        return True

    def heading(self, line: TextLine, text: str, key: str) -> bool:
        words_n = len(line.words)
        is_heading = (
            key in self.heading_keys
            or (BRACKET_HEADING.match(text) is not None and words_n <= 8)
            or (text.isupper() and 1 <= words_n <= 8 and not text.endswith((".", ",", ";")) and sum(c.isalpha() for c in text) >= 4)
        )
        if not is_heading or not (self.current is None or line.block_start or self.current.text.endswith((".", ":"))):
            return False
        self.close_paragraph()
        hb = TextBuilder()
        hb.add_line(line)
        title = hb.text.strip().strip("[]{}()’'`‘ ").strip()
        target = self.out.abstract if self.state == "abstract" else self.out.description
        target.append(Paragraph(text=title, kind="heading", level=1, sources=hb.sources()))
        return True

    # -- claims
    def claim_line(self, line: TextLine, text: str) -> None:
        bare = text.lstrip(LEAD_JUNK)
        num = _claim_num(bare)
        expected = (self.claims[-1].num + 1) if self.claims else 1
        if num is not None and expected <= num <= expected + 2 and len(bare) > 4:
            m = CLAIM_NUM.match(bare)
            self.announced = False
            c = _Claim(num=num)
            c.builder.add_line(line, skip=_words_after(line, m.end() + len(text) - len(bare)) if m else 0)
            self.claims.append(c)
            return
        if not self.claims:
            return
        c = self.claims[-1]
        if NUMBER_ONLY.match(text) or (line.block_start and len(text) <= 4 and " " not in text):
            # a claim number printed apart from its text (placed anywhere by the layout analysis)
            marker = _claim_num(text.rstrip(".,) ") + ".")
            self.announced = self.announced or marker == expected
            return
        ended = c.builder.text.rstrip(" ,;:-_'\"‘’`~").endswith(".")
        if line.block_start and text[:1].isupper() and (ended or self.announced):
            # the printed number was lost (OCR dropped it): claims are sequential, so this is the next one
            self.announced = False
            c = _Claim(num=expected)
            c.builder.add_line(line)
            self.claims.append(c)
            return
        if text[:1] in BULLETS or re.match(r"^\(?[a-z]\)\s", text):
            c.element_lines.append((len(c.builder.text) + 1, 0))
        c.builder.add_line(line)


def parse_sections(lines: list[TextLine], settings: StructureSettings, lang: str) -> Sections:
    """Description paragraphs and headings, an abstract printed in the body, claim sets."""
    parser = _Parser(lines, settings, lang)
    for line in lines:
        parser.feed(line)
    return parser.finish()
