"""Text lines with their words, page and box: the unit the structure parsers read."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import BBox, Doubt, OcrPage, Source, Table, Word

BULLETS = "•*¢«·●◦▪-–—>»"
DOUBT_CONF = 50.0  # a word below this confidence is marked as doubtful in the text


def union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class TextLine:
    page: int
    words: list[Word]
    block_start: bool = False
    table: Table | None = None  # a whole table (its words row by row): the parsers place it as one

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> BBox:
        return union([w.bbox for w in self.words])

    @property
    def conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0


@dataclass
class TextBuilder:
    """Accumulates words into text, joining line-end hyphenation, tracking doubts and sources."""

    text: str = ""
    doubts: list[Doubt] = field(default_factory=list)
    boxes: dict[int, list[BBox]] = field(default_factory=dict)
    confs: list[float] = field(default_factory=list)

    def add_line(self, line: TextLine, skip: int = 0) -> None:
        words = line.words[skip:]
        if not words:
            return
        for i, w in enumerate(words):
            token = w.text
            if not token:
                continue
            if self.text:
                if i == 0 and self.text.endswith("-") and len(self.text) > 1 and self.text[-2].isalpha() and token[:1].islower():
                    self.text = self.text[:-1]  # line-end hyphenation: "embed-" + "ded"
                else:
                    self.text += " "
            start = len(self.text)
            self.text += token
            if w.conf < DOUBT_CONF:
                self.doubts.append(Doubt(start=start, end=len(self.text), confidence=round(w.conf, 1), word_id=w.id))
            self.confs.append(w.conf)
        self.boxes.setdefault(line.page, []).append(union([w.bbox for w in words]))

    def sources(self) -> list[Source]:
        return [Source(page=p, bbox=union(b)) for p, b in sorted(self.boxes.items())]

    @property
    def conf(self) -> float:
        return sum(self.confs) / len(self.confs) if self.confs else 0.0


def strip_bullet(text: str) -> str:
    return text.lstrip(BULLETS + " ").strip()


def ordered_blocks(page: OcrPage):
    """Blocks in reading order: full-width blocks above the columns, left column, right column, the rest."""
    w = page.width or 1
    blocks = [b for b in page.blocks if b.lines]
    left = [b for b in blocks if b.bbox[2] <= 0.56 * w and (b.bbox[2] - b.bbox[0]) < 0.55 * w]
    right = [b for b in blocks if b.bbox[0] >= 0.44 * w and (b.bbox[2] - b.bbox[0]) < 0.55 * w and b not in left]
    if not left or not right:
        return sorted(blocks, key=lambda b: (b.bbox[1], b.bbox[0])) if len(blocks) > 1 else blocks
    cols = set(map(id, left + right))
    full = [b for b in blocks if id(b) not in cols]
    top = min(b.bbox[1] for b in left + right)
    above = sorted((b for b in full if b.bbox[1] < top), key=lambda b: b.bbox[1])
    below = sorted((b for b in full if b.bbox[1] >= top), key=lambda b: b.bbox[1])
    return above + sorted(left, key=lambda b: b.bbox[1]) + sorted(right, key=lambda b: b.bbox[1]) + below
