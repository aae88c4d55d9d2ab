"""Proofreading: automatic corrections on the OCR words, and what is left for reviewers.

``auto_correct`` runs on the recognised pages *before* structure, so paragraph numbers, dates and
application numbers are parsed from corrected words. Every change is a ``Correction`` (old, new,
rule, confidence) and the word keeps its engine text in ``ocr_text``; ``undo`` reverts them.
Words still in doubt (low confidence, not in the lexicon) become ``QueueCandidate``s with ranked
suggestions and their line as context, for the correction queue (``queue.py``).
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from ..model import Correction, OcrPage, QueueCandidate, Word
from . import rules
from .config import ProofreadSettings, settings as read_settings
from .lexicon import Lexicon, load as load_lexicon

if TYPE_CHECKING:
    from ..profiles import Profile

__all__ = ["auto_correct", "undo", "lexicon_for", "queue_candidates"]

STEP_TOKEN = re.compile(r"\(?S\d{2,4}[a-z]?\W*")
PARAGRAPH = re.compile(r"\[\d{4}\][.,:;]?")


def lexicon_for(profile: Profile, proof: ProofreadSettings | None = None) -> Lexicon:
    """The profile's merged lexicon (cached per process)."""
    proof = proof or read_settings(profile)
    base = str(profile.path.parent) if getattr(profile, "path", None) else None
    return load_lexicon(tuple(proof.lexicons), base)


def auto_correct(pages: list[OcrPage], profile: Profile, lexicon: Lexicon | None = None, *, in_place: bool = False
                 ) -> tuple[list[OcrPage], list[Correction], list[QueueCandidate]]:
    """Apply the profile's confident fixes to copies of ``pages`` (to ``pages`` themselves with
    ``in_place``: the pipeline's freshly loaded pages, where a copy cost 30 ms a page); return the
    corrected pages, the corrections made and the words left for review. Words emptied by a fix
    (the second half of a hyphenated word, a speck) keep their id with empty text; the pipeline
    drops them."""
    proof = read_settings(profile)
    if not in_place:
        pages = copy.deepcopy(pages)
    if not proof.enabled:
        return pages, [], []
    lexicon = lexicon if lexicon is not None else lexicon_for(profile, proof)
    ctx = rules.RuleContext(proof, lexicon, lang=getattr(profile, "lang", "en"),
                            step_references=_has_step_references(pages))
    corrections: list[Correction] = []
    candidates: list[QueueCandidate] = []
    for page in pages:
        if page.image_only:
            continue
        corrections += _correct_page(page, ctx)
        candidates += queue_candidates(page, ctx)
    return pages, corrections, candidates


def _has_step_references(pages: list[OcrPage]) -> bool:
    return sum(bool(STEP_TOKEN.fullmatch(w.text)) for p in pages for w in p.words()) >= 2


def _change(word: Word, page: int, new: str, rule: str, confidence: float) -> Correction:
    if word.ocr_text is None:
        word.ocr_text = word.text
    c = Correction(word_id=word.id, page=page, old=word.text, new=new, rule=rule, confidence=confidence)
    word.text = new
    return c


def _correct_page(page: OcrPage, ctx: rules.RuleContext) -> list[Correction]:
    out: list[Correction] = []
    n = page.number
    lines = page.lines()
    # specks first, so that "pro- ©" still ends with the hyphen
    for word in page.words():
        if word.text and rules.is_noise(word.text, word.conf, ctx):
            out.append(_change(word, n, "", "noise", 80.0))
    # then neighbour rules: they need the fragments as the engine read them
    for i, line in enumerate(lines):
        words = [w for w in line.words if w.text]
        for a, b in zip(words, words[1:]):
            if a.text and b.text:
                joined = rules.join_broken(a.text, b.text, ctx)
                if joined:
                    out.append(_change(a, n, joined[0], "ligature-split", 85.0))
                    out.append(_change(b, n, joined[1], "ligature-split", 85.0))
        following = [w for w in lines[i + 1].words if w.text] if i + 1 < len(lines) else []
        if words and following:
            last, first = words[-1], following[0]
            if _same_column(line, lines[i + 1]):
                joined = rules.dehyphenate(last.text, first.text, ctx)
                if joined:
                    out.append(_change(last, n, joined[0], "hyphenation", 90.0))
                    out.append(_change(first, n, joined[1], "hyphenation", 90.0))
    for word in page.words():
        if not word.text:
            continue
        for rule in rules.WORD_RULES:
            fix = rule(word.text, ctx)
            if fix and fix.new != word.text:
                out.append(_change(word, n, fix.new, fix.rule, fix.confidence))
        for rule2 in (rules.split_joined, rules.lexicon_fix):
            fix = rule2(word.text, ctx, word.conf)
            if fix and fix.new != word.text:
                out.append(_change(word, n, fix.new, fix.rule, fix.confidence))
                break
    return out


def _same_column(line, following) -> bool:
    """The next line continues this one: just below it, overlapping it horizontally."""
    (x0, y0, x1, y1), (u0, v0, u1, v1) = line.bbox, following.bbox
    height = max(1, y1 - y0)
    return y0 < v0 <= y1 + 1.5 * height and u0 < x1 and u1 > x0


def queue_candidates(page: OcrPage, ctx: rules.RuleContext) -> list[QueueCandidate]:
    """Words the reviewer should see: below the ``[queue] threshold`` and not a known word
    (numbers only when far below it), with ranked suggestions and the line as context."""
    s = ctx.settings
    out = []
    for line in page.lines():
        context = " ".join(w.text for w in line.words if w.text)
        for word in line.words:
            if not word.text or word.conf >= s.queue_threshold:
                continue
            pre, core, suf = rules.split_token(word.text)
            if not core or not any(c.isalnum() for c in core):
                continue  # a stray bar or dot from the page edge: nothing a reviewer could restore
            if any(c.isdigit() for c in core):
                if word.conf >= s.queue_numbers_below or core.isdigit() and len(core) <= 3:
                    continue  # margin line numbers and reference signs
                if PARAGRAPH.fullmatch(word.text):
                    continue  # a well-formed paragraph number
                suggestions: list[str] = []
            else:
                parts = [rules.split_token(p)[1] for p in word.text.split()]
                if all(ctx.lexicon.known(p) for p in parts if p):
                    continue
                suggestions = [pre + w + suf for w, _ in ctx.lexicon.suggest(core, limit=s.queue_suggestions)]
            out.append(QueueCandidate(
                kind="word", page=page.number, bbox=tuple(word.bbox), text=word.text,  # type: ignore[arg-type]
                confidence=float(word.conf), suggestions=suggestions, context=context, word_id=word.id,
            ))
    return out


def undo(pages: list[OcrPage], corrections: list[Correction]) -> list[OcrPage]:
    """Revert ``corrections`` (newest first) on copies of ``pages``; a word whose every change is
    undone gets its engine text back and ``ocr_text`` cleared."""
    pages = copy.deepcopy(pages)
    words = {(p.number, w.id): w for p in pages for w in p.words()}
    for c in reversed(corrections):
        word = words.get((c.page, c.word_id))
        if word is None or word.text != c.new:
            continue  # changed again since (e.g. by a reviewer): leave it
        word.text = c.old
        if word.ocr_text is not None and word.text == word.ocr_text:
            word.ocr_text = None
    return pages
