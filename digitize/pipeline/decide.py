"""Reviewers' decisions (``model.Decisions``) put into a document's words and fields.

Words and lines change the pages' words (the page files keep the engine's text: a decision is
applied again on every finish); an illegible word stays as read and is flagged; a field value is
checked against the profile's format (a list item is read by the structure stage's parsers,
``structure.decided``) and set, or refused with the reason (its item goes back to the queue).
"""

from __future__ import annotations

from ..model import Document, OcrPage
from ..settings.profile import Profile, or_defaults


def apply_words(pages: list[OcrPage], words: dict[str, str]) -> None:
    """A reviewer's text for a word (word id → text; "" empties it: see ``drop_empty_words``);
    the engine's text is kept in ``ocr_text``."""
    for page in pages:
        for word in page.words():
            if word.id in words:
                if word.ocr_text is None:
                    word.ocr_text = word.text
                word.text = words[word.id]


def apply_lines(pages: list[OcrPage], lines: dict[str, str]) -> None:
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


def drop_empty_words(pages: list[OcrPage]) -> None:
    """A word a reviewer deleted (empty correction, "not text") disappears from the text."""
    for page in pages:
        for block in page.blocks:
            for line in block.lines:
                line.words = [w for w in line.words if w.text.strip()]
            block.lines = [ln for ln in block.lines if ln.words]
        page.blocks = [b for b in page.blocks if b.lines]

def mark_illegible(doc: Document, pages: list[OcrPage], illegible: dict[str, str]) -> None:
    """The document JSON lists the illegible words, and their doubts in the text say so."""
    from ..model import Illegible

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


def apply_fields(doc: Document, profile: Profile, values: dict[str, str]) -> dict[str, str]:
    """Reviewers' values for bibliographic fields: checked against the profile's format, then
    set, creating a field the OCR never found. Returns field name → reason for values that do
    not fit (they stay in the queue)."""
    from ..model import Field
    from ..proofread.decisions import DecisionRules, QueueError, check_field
    from ..structure import MANDATORY_LABELS, decided

    rules = DecisionRules.from_profile(profile)
    refused = {}
    for name, value in values.items():
        key = item = name
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
