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
from functools import lru_cache
from typing import TYPE_CHECKING

from ..diacritics import strip_marks
from ..store.memory import AUTO as AUTO_MEMORY, MemoryRules
from ..model import Correction, OcrPage, QueueCandidate, Word
from . import forms as word_forms
from . import rules
from ..settings.profile import or_defaults
from ..settings.proofread import ProofreadSettings
from .lexicon import (CONFUSION_COST, INSERT_DELETE_COST, PLAIN_EDIT_COST, READ_AS_LETTER, Lexicon, load as load_lexicon,
                      match_case)

if TYPE_CHECKING:
    from ..settings.profile import Profile

__all__ = ["auto_correct", "undo", "lexicon_for", "vocabulary_for", "queue_candidates"]

STEP_TOKEN = re.compile(r"\(?S\d{2,4}[a-z]?\W*")
PARAGRAPH = re.compile(r"\[\d{4}\][.,:;]?")


def lexicon_for(profile: Profile, proof: ProofreadSettings | None = None) -> Lexicon:
    """The profile's merged lexicon (cached per process)."""
    proof = proof or or_defaults(profile).proofread
    base = str(profile.path.parent) if getattr(profile, "path", None) else None
    return load_lexicon(tuple(proof.lexicons), base)


def vocabulary_for(profile: Profile, proof: ProofreadSettings | None = None) -> word_forms.Vocabulary:
    """The profile's lexicon with the forms of its language: what counts as a known word."""
    return word_forms.Vocabulary(lexicon_for(profile, proof), word_forms.load(getattr(profile, "lang", "en")))


def auto_correct(pages: list[OcrPage], profile: Profile, lexicon: Lexicon | None = None, *, in_place: bool = False,
                 memory: MemoryRules | None = None) -> tuple[list[OcrPage], list[Correction], list[QueueCandidate]]:
    """Apply the profile's confident fixes to copies of ``pages`` (to ``pages`` themselves with
    ``in_place``: the pipeline's freshly loaded pages, which nobody else holds); return the
    corrected pages, the corrections made and the words left for review. Words emptied by a fix
    (the second half of a hyphenated word, a speck) keep their id with empty text; the pipeline
    drops them."""
    proof = or_defaults(profile).proofread
    if not in_place:
        pages = copy.deepcopy(pages)
    if not proof.enabled:
        return pages, [], []
    lexicon = lexicon if lexicon is not None else lexicon_for(profile, proof)
    lang = getattr(profile, "lang", "en")
    counts = document_counts(pages)
    forms = word_forms.load(lang)
    ctx = rules.RuleContext(proof, lexicon, lang=lang, step_references=_has_step_references(pages),
                            doc_counts=counts, protected=protected_words(), forms=forms,
                            restore_accents=rules.accent_convention(counts, forms))
    corrections: list[Correction] = []
    candidates: list[QueueCandidate] = []
    for page in pages:
        if page.image_only:
            continue
        _for_page(ctx, page, lang)
        corrections += _correct_page(page, ctx)
        if memory is not None:
            corrections += _remembered(page, memory, ctx)
    ctx.memo["vocabulary"] = document_vocabulary(pages)
    # fixes a reviewer confirms: the word as read is the first suggestion
    ctx.memo["confirm"] = {c.word_id: c.old for c in corrections
                           if c.new and c.confidence < proof.queue_confirm_below and c.rule != AUTO_MEMORY}
    ctx.memo["remembered"] = {c.word_id for c in corrections if c.rule == AUTO_MEMORY}  # decided: not asked
    ctx.memo["chemistry"] = _prints_chemistry(pages)
    ctx.memo["read-well"] = document_vocabulary(pages, times=1)
    ctx.memo["numbered"] = _numbered_stems(pages)
    ctx.memo["cased"] = _cased_counts(pages)
    for page in pages:
        if page.image_only:
            continue
        _for_page(ctx, page, lang)
        asked = queue_candidates(page, ctx, memory)
        if memory is not None and (memory.seen_targets or memory.seen_accepted):
            asked, settled = _seconded(page, asked, memory, ctx)
            corrections += settled
        candidates += asked
    candidates += _other_readings(pages, candidates, ctx)
    return pages, corrections, candidates


def _other_readings(pages: list[OcrPage], asked: list[QueueCandidate], ctx: rules.RuleContext) -> list[QueueCandidate]:
    """Every other place the document reads an asked word that is no word, where it was read too
    surely to be asked itself (``appheation`` asked once at confidence 47, read four more times at
    85-91 and passed as a term): candidates with the asked one's suggestions, which the queue
    files as readings of the same item (``word_group``): one question, every place answered, no
    item more. Only a reading of four letters or more that no lexicon or form of the language has;
    never a piece of a word a line end or a rule cut (its answer holds for its own place only)."""
    first: dict[str, QueueCandidate] = {}
    pieces = ctx.memo.get("pieces", {})  # a piece of a cut word: its answer belongs to its place
    for c in asked:
        if c.kind == "word" and c.word_id and c.text not in first and c.word_id not in pieces:
            core = rules.split_token(c.text)[1]
            if len(core) >= 4 and core.isalpha() and not _a_word(core, ctx):
                first[c.text] = c
    if not first:
        return []
    have = {c.word_id for c in asked if c.kind == "word"}
    out: list[QueueCandidate] = []
    for page in pages:
        if page.image_only:
            continue
        for line in page.lines():
            for word in line.words:
                c = first.get(word.text)
                if c is None or word.id in have:
                    continue
                have.add(word.id)
                out.append(_word_item(page.number, word, list(c.suggestions),
                                      " ".join(w.text for w in line.words if w.text)))
    return out


def _seconded(page: OcrPage, asked: list[QueueCandidate], memory: MemoryRules,
              ctx: rules.RuleContext) -> tuple[list[QueueCandidate], list[Correction]]:
    """Questions a reviewer's decision in one earlier document settles now that the proofreader
    agrees with it independently: a word whose first suggestion is a spelling reviewers corrected
    to (``Baden-Wiirttemberg`` → ``Baden-Württemberg``, suggested here by the German spelling) is
    corrected to it as ``auto-memory``; a rule's unsure fix to a spelling reviewers accepted
    (``número``) is not asked. Only a reading that is no word, as close to the spelling as a
    remembered target must be (``_remembered_target``); never a party's name (the gazetteer
    suggests those), a reading reviewers kept as read or an admin took back."""
    from rapidfuzz.distance import Levenshtein

    from ..store.memory import form_of

    words = {w.id: w for w in page.words()}
    names = None
    keep, settled = [], []
    for c in asked:
        word = words.get(c.word_id or "")
        core = rules.split_token(c.text)[1]
        if c.kind != "word" or word is None or not core or word.text != c.text:
            keep.append(c)
            continue
        if word.ocr_text not in (None, word.text) and c.suggestions[:1] == [word.ocr_text]:
            if form_of(core) in memory.seen_accepted:
                continue  # the rule's fix, and a reviewer's acceptance of the same spelling
            keep.append(c)
            continue
        top = c.suggestions[0] if c.suggestions else ""
        target = form_of(top)
        read = form_of(core)
        if target not in memory.seen_targets or target == read or read in memory.refused or \
                read in memory.seen_accepted or read in memory.accepted or _a_word(core, ctx) or \
                strip_marks(read) != strip_marks(target) and \
                Levenshtein.distance(read, target) > (2 if len(target) >= 10 else 1):
            keep.append(c)
            continue
        if names is None:
            lines = page.lines()
            names = _party_words(lines) - set(_address_words(page, every_country=True))
        if word.id in names:
            keep.append(c)
            continue
        settled.append(_change(word, page.number, top, AUTO_MEMORY, 99.0))
    return keep, settled


def _remembered(page: OcrPage, memory: MemoryRules, ctx: rules.RuleContext) -> list[Correction]:
    """The office memory's confirmed corrections (``auto-memory``), on the words as the rules
    left them: what reviewers were shown and corrected the same way, document after document;
    and another misreading of a word reviewers corrected to in as many documents
    (``_remembered_target``)."""
    out = []
    names = None
    for word in page.words():
        if not word.text:
            continue
        fixed = memory.correction(word.text)  # a folded form: the word's own case is put back
        pre, core, suf = rules.split_token(word.text)
        if not fixed and memory.targets and core:
            if names is None:
                lines = page.lines()
                names = _party_words(lines) - set(_address_words(page, every_country=True))
            target = None if word.id in names else _remembered_target(core, memory, ctx)
            if target:
                out.append(_change(word, page.number, pre + target + suf, AUTO_MEMORY, 99.0))
            continue
        if fixed and core and strip_marks(fixed) == strip_marks(core.casefold()) and \
                (word.ocr_text is None or word.ocr_text == word.text):
            continue  # only marks changed (opción → opcion): reviewers undid a rule's accents, and
            # this word the engine read with its own (no rule touched it)
        if fixed and core and fixed != core.casefold():
            out.append(_change(word, page.number, pre + match_case(fixed, core) + suf, AUTO_MEMORY, 99.0))
    return out


TARGET_MIN_LENGTH = 6  # a reading this long or longer may be taken for a remembered word


def _remembered_target(core: str, memory: MemoryRules, ctx: rules.RuleContext) -> str | None:
    """The word reviewers corrected misreadings to in ``confirmations`` documents that ``core``
    is one OCR edit from (two from a word of ten letters or more), when it is no other such word
    as close, ``core`` is no word itself (of the lexicon, the language, the office's accepted
    words) and no admin took this correction back: ``Hauptstrafe``, ``HauptstraBe``,
    ``Hauptstraffe`` → ``Hauptstraße`` once reviewers wrote ``Hauptstraße`` in two documents.
    Never a party's name (the gazetteer suggests those)."""
    from rapidfuzz.distance import Levenshtein

    from ..store.memory import form_of

    form = form_of(core)
    if len(core) < TARGET_MIN_LENGTH or form in memory.refused or form in memory.targets or memory.knows(core):
        return None
    if ctx.lexicon.known(core) or ctx.forms.is_word(core, ctx.lexicon):
        return None
    low = core.lower()
    hits = []
    for spelling in memory.targets.values():
        limit = 2 if len(spelling) >= 10 else 1
        if strip_marks(low) == strip_marks(spelling.lower()):
            hits.append((0, spelling))  # its marks lost or misread only (CIGUENAL: cigüeñal)
            continue
        d = Levenshtein.distance(low, spelling.lower(), score_cutoff=limit)
        if d <= limit:
            hits.append((d, spelling))
    if not hits:
        return None
    hits.sort()
    if len(hits) > 1 and hits[1][0] == hits[0][0]:
        return None  # two remembered words as close: a reviewer's call
    spelling = hits[0][1]
    if spelling.isupper() or spelling.islower():  # decided on a title in capitals: the reading's case
        return match_case(spelling.lower(), core)
    return spelling.upper() if core.isupper() and len(core) > 1 else spelling  # Baden-Württemberg


HYPHEN_KEPT = 80.0  # a line-end hyphen kept between two words: applied and asked
DOCUMENT_WORD_CONFIDENCE = 90.0  # a word the document reads this sure, twice or more, is its own


def document_vocabulary(pages: list[OcrPage], times: int = 2) -> dict[str, str]:
    """The document's own words: read with confidence at least twice (``times``; folded form →
    the spelling read): a suggestion from here comes before the lexicon's."""
    from .lexicon import fold

    seen: dict[str, list] = {}
    for p in pages:
        for w in p.words():
            core = rules.split_token(w.text)[1]
            if len(core) >= 4 and core.isalpha() and w.conf >= DOCUMENT_WORD_CONFIDENCE:
                entry = seen.setdefault(fold(core), [0, core])
                entry[0] += 1
    return {k: v[1] for k, v in seen.items() if v[0] >= times}


_PARTY_LINE = re.compile(r"^[\(\[]?7[1-6][\)\]]$")


def _party_words(lines) -> set[str]:
    """Ids of the words on front-page party lines: an (71)-(76) line, a bulleted entry, a line
    ending in its country "(CH)"."""
    out: set[str] = set()
    for line in lines:
        ws = [w for w in line.words if w.text]
        if ws and (_PARTY_LINE.match(ws[0].text) or ws[0].text[:1] in "•¢*+" or re.fullmatch(r"\([A-Z]{2}\)", ws[-1].text)):
            out.update(w.id for w in ws)
    return out


def document_counts(pages: list[OcrPage]) -> dict[str, int]:
    """How often the engine read each (folded) word in the document, before any correction."""
    from .lexicon import fold

    counts: dict[str, int] = {}
    for p in pages:
        for w in p.words():
            core = rules.split_token(w.text)[1]
            if core:
                key = fold(core)
                counts[key] = counts.get(key, 0) + 1
    return counts


# The commonest short words of each language (words that are the same in two of them, such as
# "de", "a", "en", "la", count for each): enough to tell which language a page of text is in.
FUNCTION_WORDS = {
    "en": {"the", "of", "and", "to", "in", "is", "that", "for", "with", "by", "on", "as", "are", "was", "it",
           "be", "this", "which", "or", "from", "at", "an", "not", "have", "has", "were", "said"},
    "es": {"de", "la", "el", "que", "los", "las", "del", "y", "en", "por", "con", "una", "para", "se", "un", "es",
           "al", "lo", "como", "su", "más", "pero", "sus", "o", "este", "esta"},
    "fr": {"le", "la", "les", "de", "des", "et", "un", "une", "du", "est", "que", "qui", "dans", "pour", "pas",
           "au", "aux", "il", "elle", "sur", "ne", "se", "par", "ce", "avec", "mais", "nous", "vous"},
    "de": {"der", "die", "das", "und", "den", "dem", "des", "ist", "nicht", "ein", "eine", "mit", "sich", "auf",
           "zu", "von", "für", "im", "auch", "wird", "wurde", "sie", "es", "er", "dass", "werden"},
    "it": {"il", "di", "che", "e", "la", "le", "per", "un", "una", "del", "della", "non", "sono", "gli", "con",
           "si", "da", "nel", "alla", "come", "anche", "ma", "più", "lo", "dei"},
    "pt": {"de", "que", "e", "o", "os", "as", "do", "da", "dos", "das", "em", "um", "uma", "para", "com", "não",
           "no", "na", "por", "se", "ao", "mais", "como"},
}
LANGUAGE_EVIDENCE = 8  # function words a page needs before its language is judged


def _for_page(ctx, page, lang: str) -> None:
    """What the rules need to know of the page at hand: whether it writes accents, and whether it
    is in another language than the profile's (a French page in an English batch: the lexicon is
    no evidence about its words, so no word is split, "corrected" or re-accented)."""
    hits = _hits(page)
    ctx.accents = _writes_accents(hits, lang)
    ctx.foreign = _language(hits, lang) != lang


def _hits(page: OcrPage) -> dict[str, int]:
    words = [w.text.lower().strip(".,;:()«»\"'") for w in page.words()]
    return {code: sum(w in table for w in words) for code, table in FUNCTION_WORDS.items()}


def page_language(page: OcrPage, lang: str) -> str:
    """The language a page of text is written in, judged from its function words; ``lang`` (the
    profile's) when it wins or ties, or when the page has too few of them to tell."""
    return _language(_hits(page), lang)


def _language(hits: dict[str, int], lang: str) -> str:
    best = max(hits, key=lambda code: (hits[code], code == lang))
    if hits[best] < LANGUAGE_EVIDENCE or hits.get(lang, 0) >= hits[best]:
        return lang
    return best


def writes_accents(page: OcrPage, lang: str) -> bool:
    """Whether fixes on this page may add diacritics: only on a page in a language that writes
    them (the profile's language is not English and the page is not in English)."""
    return _writes_accents(_hits(page), lang)


def _writes_accents(hits: dict[str, int], lang: str) -> bool:
    return lang != "en" and hits.get(lang, 0) >= hits["en"]


def protected_words() -> frozenset[str]:
    """Domain vocabulary never "corrected" into something else (``data/domain-terms-en.txt``)."""
    from .lexicon import protected

    return protected()


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
        for j, (a, b) in enumerate(zip(words, words[1:])):
            if a.text and b.text:
                joined = rules.join_broken(a.text, b.text, ctx)
                if joined:
                    out.append(_change(a, n, joined[0], "ligature-split", 85.0))
                    out.append(_change(b, n, joined[1], "ligature-split", 85.0))
                kind = rules.kind_code(a.text, b.text, ctx)
                if not kind and a.text.isdigit():
                    grouped = rules.grouped_number([w.text for w in words[max(0, j - 5):j + 1]])
                    kind = rules.kind_code(grouped, b.text, ctx) if grouped else None
                if kind:
                    out.append(_change(b, n, kind, "kind-code", 90.0))
                ipc = rules.ipc_subclass(a.text, b.text, ctx)
                if ipc:
                    out.append(_change(a, n, ipc, "ipc-subclass", 90.0))
                # within the line only: a stop that ends a line may end a paragraph or an item
                comma = rules.stop_for_comma(a.text, b.text, ctx)
                if comma:
                    out.append(_change(a, n, comma, "comma", 85.0))
        following = [w for w in lines[i + 1].words if w.text] if i + 1 < len(lines) else []
        if words and following:
            last, first = words[-1], following[0]
            if _same_column(line, lines[i + 1]):
                joined = rules.dehyphenate(last.text, first.text, ctx)
                if joined:
                    # two words joined with the hyphen kept (``multi-sensor``) or not: a choice
                    # the line end hid, less sure than a word made whole (``management``)
                    sure = HYPHEN_KEPT if rules.split_token(last.text)[1] + "-" in joined[0] else 90.0
                    out.append(_change(last, n, joined[0], "hyphenation", sure))
                    out.append(_change(first, n, joined[1], "hyphenation", sure))
    # the conjunction read as O or 0 between two words, across line ends (on the joined words)
    running = [w for line in lines for w in line.words if w.text]
    for a, b, c in zip(running, running[1:], running[2:]):
        conjunction = rules.conjunction_o(a.text, b.text, c.text, ctx)
        if conjunction:
            out.append(_change(b, n, conjunction, "conjunction", 90.0))
    names = _party_words(lines)
    fixes_of, joined_of = ctx.memo.setdefault("word", {}), ctx.memo.setdefault("split", {})
    for word in page.words():
        text = word.text
        if not text:
            continue
        fixes = fixes_of.get(text)
        if fixes is None:
            fixes = fixes_of[text] = _word_fixes(text, ctx)
        for fix in fixes:
            out.append(_change(word, n, fix.new, fix.rule, fix.confidence))
        if word.id in names or ctx.foreign:
            continue  # a word list is no evidence about a person's or a company's name
        text = word.text
        if text in joined_of:
            joined = joined_of[text]
        else:
            joined = joined_of[text] = rules.split_joined(text, ctx, word.conf)
        fix = joined if joined and joined.new != text else (
            rules.diacritics(text, ctx) or rules.lexicon_fix(text, ctx, word.conf))
        if fix and fix.new != text:
            out.append(_change(word, n, fix.new, fix.rule, fix.confidence))
    return out


def _word_fixes(text: str, ctx: rules.RuleContext) -> tuple[rules.Fix, ...]:
    """The word rules' fixes in order, each applied to the text the previous one left. They read
    the text and document-wide context only, so ``_correct_page`` keeps them per distinct text
    (``RuleContext.memo``); ``split_joined`` too; ``lexicon_fix`` also reads the word's confidence
    and the page's language and runs per word."""
    fixes = []
    for rule in rules.WORD_RULES:
        fix = rule(text, ctx)
        if fix and fix.new != text:
            fixes.append(fix)
            text = fix.new
    return tuple(fixes)


def _same_column(line, following) -> bool:
    """The next line continues this one: just below it, overlapping it horizontally."""
    (x0, y0, x1, y1), (u0, v0, u1, _) = line.bbox, following.bbox
    height = max(1, y1 - y0)
    return y0 < v0 <= y1 + 1.5 * height and u0 < x1 and u1 > x0


def queue_candidates(page: OcrPage, ctx: rules.RuleContext, memory: MemoryRules | None = None) -> list[QueueCandidate]:
    """Words the reviewer should see: below the ``[queue] threshold`` and not a known word
    (numbers only when far below it), or read with confidence but looking misread
    (``_misread``), with ranked suggestions (the document's own spelling of the word first) and
    the line as context. Words the office memory knows (accepted often enough) are not asked."""
    s = ctx.settings
    vocabulary = ctx.memo.get("vocabulary") or {}
    confirm = ctx.memo.get("confirm") or {}
    remembered = ctx.memo.get("remembered") or set()
    short_words = _short_words(ctx)
    addresses = _address_words(page) if s.queue_accent_margin else {}
    # a Spanish address on a page that writes no marks (an English front page); a German one on
    # any page (neither profile's language spells its umlauts and ß)
    spanish_address = {w for w, lang in addresses.items() if lang == "es" and not ctx.accents}
    german_address = {w for w, lang in addresses.items() if lang == "de"}
    bare = _bare_capitals(page, ctx)  # titles printed in capitals without their marks
    cut = _cut_words(page, ctx)  # words a vertical line cut in two (read as two columns)
    cut = {**_lost_hyphens(page, ctx), **cut}  # words a line end broke whose hyphen the engine lost
    ctx.memo.setdefault("pieces", {}).update(dict.fromkeys(cut, True))  # answers that hold for this place only
    out = []
    ended = True  # the line before ended a sentence (or there was none)
    cased = _inner_capitals(page, ctx) if page.number > 1 else {}
    for line in page.lines():
        context = " ".join(w.text for w in line.words if w.text)
        shown = [w for w in line.words if w.text]
        before = {b.id: a for a, b in zip(shown, shown[1:])}
        after = {a.id: b for a, b in zip(shown, shown[1:])}
        lost_number = _lost_number(shown, ended)
        ended = bool(shown) and (shown[-1].text[-1:] in rules.SENTENCE_END or _heading(shown))
        numerals = _numeral_misreads(shown) if page.number > 1 else {}
        for word in line.words:
            if not word.text or word.id in remembered:
                continue
            if word.id in numerals or word.id in cased:
                # ``member |``, ``members [4``: a reference numeral's 1 read as a bar or bracket;
                # ``seat Which supports``: a lower-case letter read as its capital
                out.append(_word_item(page.number, word, [numerals.get(word.id) or cased[word.id]], context))
                continue
            if word.id in cut:
                out.append(_word_item(page.number, word, cut[word.id], context))
                continue
            if lost_number and word is shown[0]:
                # ``. La presente invención``: a paragraph's number read as its stop alone
                out.append(_word_item(page.number, word, [], context))
                continue
            if word.id in confirm and word.text != word.ocr_text:  # fixed, not surely: shown fixed, asked
                if memory is not None and memory.knows(rules.split_token(word.text)[1]):
                    continue  # the spelling the fix wrote, reviewers accepted in as many documents
                out.append(_word_item(page.number, word, [word.ocr_text or confirm[word.id]], context))
                continue
            confident = word.conf >= s.queue_threshold
            pre, core, suf = rules.split_token(word.text)
            if not core or not any(c.isalnum() for c in core):
                continue  # a stray bar or dot from the page edge: nothing a reviewer could restore
            # ``_tarea,``: a speck glued to a word; two words, or a word and a speck, run together
            # through a mark a word does not hold inside (``la'shell``, ``ECG,.SpO2``)
            # (or a line-end hyphen with a speck after it: ``computer-.``)
            odd = bool(_ODD_EDGE.search(pre + suf)) or bool(_HYPHEN_MARK.match(suf)) or _inner_mark(core, ctx)
            formula = _formula_with_o(core, ctx) if any(c.isdigit() for c in core) else None
            if (formula or _o_between_figures(word.text, before.get(word.id), after.get(word.id), ctx)) and not (
                    memory is not None and memory.knows(core)):
                # ``H2S04``: an oxygen read as a zero; ``0 6 1``: the ó Spanish writes between figures
                out.append(_word_item(page.number, word, [pre + formula + suf if formula else "ó"], context))
                continue
            if ORDINAL_MISREAD.fullmatch(word.text) and ctx.lang in ORDINAL_LANGUAGES and not ctx.foreign:
                # ``la 3* edad``: the ordinal's superscript ª or º read as a mark
                out.append(_word_item(page.number, word, [word.text[:-1] + "ª", word.text[:-1] + "º"], context))
                continue
            if any(c.isdigit() for c in core):
                if _LETTER_O_IN_NUMBER.search(core) and not odd and confident and not _oxygen_symbol(core, ctx):
                    pass  # ``HO4W``, ``FO2B``: a letter O read among digits (a code's zero)
                elif odd:
                    pass  # ``_(74)``: a speck glued to a code, whatever the confidence
                elif confident or word.conf >= s.queue_numbers_below or core.isdigit() and len(core) <= 3:
                    continue  # margin line numbers and reference signs
                if PARAGRAPH.fullmatch(word.text):
                    continue  # a well-formed paragraph number
                suggestions: list[str] = []
            else:
                parts = [rules.split_token(p)[1] for p in word.text.split()]
                german = _german_spelling(core) if word.id in german_address else None
                lost_accent = word.id not in bare and _lost_accent(core, ctx, page.number) or \
                    german is not None or \
                    word.id in spanish_address and _spanish_spelling(core, s.queue_accent_margin) is not None
                common = None if lost_accent else _common_word_unmarked(core, after.get(word.id), ctx) or \
                    (_unmarked_no_word(core, ctx) if word.id not in bare else None)
                lost_accent = lost_accent or common is not None
                # a join at a line end read with doubt (``salida-de``); read surer, only one of a
                # function word or of a part that is no word (``Baden-Wurttemberg``): a compound
                # of two words (``micro-controller``) is the text's own
                joined = "-" in core and (not confident or word.conf < JOINED_CONFIDENCE and _odd_join(core, ctx)
                                          or _speck_part(core, ctx) or _article_join(core, ctx))
                # a letter or two read with doubt that the page's language does not write alone
                # (Spanish ``i``, ``fh`` for ``ñ``): no lexicon vouches for a speck's reading
                # (read surer: two letters, neither half of a hyphenated word nor quoted, a term's
                # own spelling: ``ii``, ``fi`` for ``ñ``, not ``in-``, ``“fg``, a variable ``x``)
                stray = len(core) <= 2 and short_words is not None and not core.isupper() and \
                    not suf.startswith(".") and (
                        not confident and (core.casefold() not in short_words or word.conf < s.noise_confidence)
                        or word.conf < STRAY_CONFIDENCE and len(core) == 2 and core.casefold() not in short_words
                        and core.islower() and not (pre + suf).strip(",;:)")
                        and core.casefold() not in _ANY_FUNCTION_WORD)
                doubtful = word.conf < s.queue_known_below  # read so unsure that a known word proves little
                previous = before.get(word.id)
                initial = previous is None or previous.text[-1:] in rules.SENTENCE_END
                slip = suf[:1] not in (".", "-") and _real_word_slip(core, ctx, initial)  # not ``Int.``, ``ne-``
                odd = odd or _inner_capital(core, ctx)  # a capital inside a lower-case word (HauptstraBe)
                capital = _odd_capital(core, before.get(word.id), line, ctx) if not pre and not lost_number else False
                slip = slip or _document_variant(core, ctx.memo.get("read-well") or {}, ctx)  # cominand: command
                # a text page's word that is no word near the document's own or a common one
                # (not a front page's names, not a word's first half at a line end: ``identifi-``)
                prose = page.number > 1 and not suf.startswith("-")
                slip = slip or prose and _near_own(core, vocabulary, ctx)  # ughtening: the document's tightening
                common = None if slip or not prose else _near_common(core, ctx)  # energs: energy
                slip = slip or common is not None
                numbered = _numbered_one(core, ctx)  # sentencial beside the document's sentencia2
                if not (odd or lost_accent or joined or stray or doubtful or slip or capital or numbered) and \
                        all(_a_word(p, ctx, word.id in bare) or (memory is not None and memory.knows(p)) for p in parts if p):
                    continue
                if confident and not (odd or lost_accent or joined or stray or slip or capital or numbered
                                      or _misread(core, ctx, word.id in bare)):
                    continue  # read with confidence and no sign of a misreading: a name, a term
                suggestions = [pre + w + suf for w, _ in ctx.lexicon.suggest(core, limit=s.queue_suggestions)]
                form = _near_form(core, ctx) if confident else None
                if form:
                    form = pre + form + suf
                    suggestions = _first(form, suggestions, s.queue_suggestions)
                if lost_accent:
                    marked = german or common or _marked_spelling(core, ctx) or \
                        (_spanish_spelling(core, s.queue_accent_margin) if word.id in spanish_address else None)
                    if marked:
                        marked = pre + match_case(marked, core) + suf  # core: 3+ letters
                        suggestions = _first(marked, suggestions, s.queue_suggestions)
                if capital:
                    suggestions = [pre + core.lower() + suf] + suggestions[: max(0, s.queue_suggestions - 1)]
                own = _own_spelling(core, vocabulary)
                if own:
                    own = pre + match_case(own, core) + suf
                    suggestions = _first(own, suggestions, s.queue_suggestions)
                if common and not lost_accent:
                    near = pre + match_case(common, core) + suf
                    suggestions = _first(near, suggestions, s.queue_suggestions)
                if numbered:  # before the document's own spelling: the letters are a word as read
                    numbered = pre + numbered + suf
                    suggestions = _first(numbered, suggestions, s.queue_suggestions)
            out.append(_word_item(page.number, word, suggestions, context))
    return out


def _word_item(page: int, word, suggestions: list[str], context: str) -> QueueCandidate:
    """The queue's question about one word where it was read: its text, box, confidence and id,
    the suggestions offered and its line as context."""
    return QueueCandidate(kind="word", page=page, bbox=tuple(word.bbox), text=word.text,  # type: ignore[arg-type]
                          confidence=float(word.conf), suggestions=suggestions, context=context, word_id=word.id)


def _first(choice: str, suggestions: list[str], most: int) -> list[str]:
    """``suggestions`` with ``choice`` first, at most ``most`` in all."""
    return [choice] + [x for x in suggestions if x != choice][: max(0, most - 1)]


_DECIMAL_COUNT = re.compile(r"(?<=[A-Za-z])\d\.(?=\d)")  # Nb1.9, Ta0.45: a count with decimals
_LONG_DIGITS = re.compile(r"\d{6}")  # no formula writes six digits in a row


def _formula_with_o(core: str, ctx: rules.RuleContext) -> str | None:
    """``core`` as the chemical formula it is with an oxygen read as a zero given back
    (``H2S04`` → ``H2SO4``, ``Li7La3Zr2012`` → ``Li7La3Zr2O12``, ``Ta0.45012`` → ``Ta0.45O12``),
    else None. Asked when the token is chemistry by its own shape (a symbol of two letters,
    ``Al203``, ``Si02``; or three symbols or more, one besides the oxygen with a count:
    ``H2S04``), or has one symbol of one letter besides the oxygen (``H202``) in a document that
    prints chemistry elsewhere; never an IPC class (``H04W``: no count), a reference sign
    (``B202`` among a report's labels) or a step label (``S04``, in a document that numbers its
    steps)."""
    if ctx.step_references and rules.STEP_CORE.fullmatch(core):
        return None
    if "0" not in core or _LONG_DIGITS.search(core):  # US2002012: a number
        return None
    found = _formula_parse(core)
    if found is None:
        return None
    oxygen, strong = found
    if not oxygen or not (strong or strong is None and ctx.memo.get("chemistry")):
        return None
    return "".join("O" if i in oxygen else c for i, c in enumerate(core))


def _formula_parse(core: str) -> tuple[frozenset[int], bool | None] | None:
    """Where ``core``, read as a chemical formula (``rules.formula_symbols``, besides counts
    with decimals), has a zero standing for an oxygen, and whether it is chemistry by its own
    shape: True (a two-letter symbol, or three symbols and a count on one not an oxygen), None
    (one one-letter symbol with a count and the oxygen: ``H202``, also a reference sign), False
    (no count but the oxygen's: ``H04W``). None when it is no formula."""
    cuts = list(_DECIMAL_COUNT.finditer(core))
    if len(cuts) > 4:
        return None
    # each decimal count (its integer digit, the stop and one or two decimals) stands for a count
    # of two digits the parser takes whole: ``99``
    for widths in _decimal_widths(len(cuts)):
        pieces, origin, k = [], [], 0
        for m, width in zip(cuts, widths):
            end = m.end() + width
            if end > len(core) or not core[m.end():end].isdigit():
                break
            pieces.append(core[k:m.start()])
            origin += range(k, m.start())
            pieces.append("99")
            origin += [-1, -1]
            k = end
        else:
            pieces.append(core[k:])
            origin += range(k, len(core))
            plain = "".join(pieces)
            symbols = rules.formula_symbols(plain) if "." not in plain else None
            if not symbols or not any(plain[i].isalpha() for i in symbols):
                continue  # (no letter symbol: ``0020`` is no formula of oxygens alone)
            starts = sorted(i for i in symbols if i - 1 not in symbols or plain[i].isupper() or plain[i] == "0")
            ends = {i: i + 1 + plain[i + 1:i + 2].islower() for i in starts}  # where its count would begin
            counted = [i for i, j in ends.items() if plain[i] != "0" and plain[j:j + 1].isdigit() and j not in symbols]
            oxygen = frozenset(origin[i] for i in starts if plain[i] == "0")
            two_letters = any(plain[i].islower() for i in symbols)
            others = [i for i in starts if plain[i] != "0"]
            strong = True if two_letters or len(starts) >= 3 and counted else (None if counted and len(others) == 1 else False)
            return oxygen, strong
    return None


_IPC_SUBCLASS = re.compile(r"[A-H][\dO]{2}[A-Z]")  # F02B read FO2B


def _oxygen_symbol(core: str, ctx: rules.RuleContext) -> bool:
    """A letter O among digits that is an oxygen: the token is a formula (``K2SO3``, ``NaNO2``;
    ``NO2`` in a document that prints chemistry), not an IPC subclass (``FO2B``)."""
    if _IPC_SUBCLASS.fullmatch(core) or "O" not in core:
        return False
    found = _formula_parse(core)
    return found is not None and bool(found[1] or ctx.memo.get("chemistry"))


def _o_between_figures(text: str, previous, following, ctx: rules.RuleContext) -> bool:
    """A lone ``6`` between two figures on a page that writes Spanish's marks (``0 6 1``): the
    ``ó`` the older spelling puts between figures, which the engine reads as a 6 (``lexicon``'s
    confusion table has the same pair), whatever the confidence."""
    if text != "6" or previous is None or following is None or ctx.lang != "es" or not ctx.accents:
        return False
    return all(rules.split_token(w.text)[1].isdigit() for w in (previous, following))


def _prints_chemistry(pages: list[OcrPage]) -> bool:
    """Whether the document prints a chemical formula by its own shape (``H2SO4``, ``Al2O3``,
    ``H2S04``) anywhere: then ``H202`` is hydrogen peroxide, not a reference sign."""
    seen: set[str] = set()
    for p in pages:
        for w in p.words():
            core = rules.split_token(w.text)[1]
            if core in seen or not any(c.isdigit() for c in core) or not any(c.isalpha() for c in core):
                continue
            seen.add(core)
            found = _formula_parse(core)
            if found and found[1]:
                return True
    return False


def _decimal_widths(n: int) -> list[tuple[int, ...]]:
    """How many decimals each of ``n`` decimal counts has (one or two), fewer first."""
    from itertools import product

    return list(product((1, 2), repeat=n))


COMMON_ZIPF = 4.5  # an unmarked spelling this common is a word of its own (esta, solo, martin)
DOCUMENT_MARKED_SHARE = 3  # ... unless the document reads its marked spelling this many times as often
# a masculine or plural participle, or a gerund: no noun follows ``esta`` so (``esta salida``,
# ``esta medida`` are a determiner and its noun)
_PARTICIPLE = re.compile(r"\w{2,}(?:ados?|idos?|adas|idas|ando|iendo)")  # está formado, está dispuestas


def _common_word_unmarked(core: str, following, ctx: rules.RuleContext) -> str | None:
    """A common word read without the mark of another common word (``mas`` for ``más``,
    ``esta`` for ``está``), which no frequency can tell apart: the marked spelling when the
    document reads it ``DOCUMENT_MARKED_SHARE`` times as often as the plain one (three times at
    least: ``más`` x6 beside one ``mas``), or, for ``esta``, when a participle or a gerund
    follows (``está formada``: the verb); else None. Only asked, never fixed."""
    if not ctx.accents or not core.isalpha() or not core.islower() or len(core) < 3:
        return None
    low = core
    if ctx.forms.zipf(low) < COMMON_ZIPF:
        return None  # a rarer word is _lost_accent's
    nxt = rules.split_token(following.text)[1].casefold() if following is not None else ""
    if low == "esta" and _PARTICIPLE.fullmatch(nxt):
        return "está"
    marked = [v for v in word_forms.accent_variants(low, limit=1)
              if rules.adds_accents(low, v) and ctx.forms.zipf(v) >= COMMON_ZIPF]
    if len(marked) != 1:
        return None
    (word,) = marked
    here, there = ctx.doc_counts.get(low, 0), ctx.doc_counts.get(word, 0)
    return word if there >= DOCUMENT_MARKED_SHARE * max(1, here) else None


UNMARKED_MARGIN = 0.3  # Zipf: twice as common (``periodo``/``período``, ``video``/``vídeo``: both the language's)


def _unmarked_no_word(core: str, ctx: rules.RuleContext) -> str | None:
    """A Spanish word read without its mark whose plain spelling the spelling dictionary
    (``/usr/share/dict/spanish``) lacks while it lists exactly one spelling with one mark more,
    that the word list counts ``UNMARKED_MARGIN`` commoner (``asi``, ``ahi``, ``liquida``: así,
    ahí, líquida), else None. The frequency lists cannot tell these from a word: web text writes ``asi`` often, ``así``
    is under ten times commoner and the document may read it nowhere else. The dictionary lists
    lemmas, not inflections, so a verb form whose marked noun is the commoner word is asked too
    (``calculo``: cálculo), unless the profile's lexicon knows it (the patent vocabulary's
    ``especifica``); a word the dictionary lists (``esta``, ``mas``, ``hacia``) never. Only asked."""
    if ctx.lang != "es" or not ctx.accents or len(core) < 3 or not core.isalpha() or not core[1:].islower():
        return None
    low = core.casefold()
    spelling = load_lexicon(("spanish",))
    if not spelling.counts or low in spelling.counts or ctx.lexicon.known(low):
        return None  # a word as read, or a spelling patent text writes (``especifica``: it specifies)
    marked = [v for v in word_forms.accent_variants(low, limit=1)
              if rules.adds_accents(low, v) and v in spelling.counts and v not in spelling.proper]
    if len(marked) != 1 or ctx.forms.zipf(marked[0]) < ctx.forms.zipf(low) + UNMARKED_MARGIN - 1e-9:
        return None
    return marked[0]


def _lost_accent(core: str, ctx: rules.RuleContext, page: int) -> bool:
    """A word read without the diacritics its usual spelling has: on a page that writes them,
    the spellings a fix would write, and those likelier by ``[queue] accent_margin``; on a page
    that writes none (English), one the document reads elsewhere with the mark."""
    low = core.casefold()
    if not core.isalpha() or len(core) < 3:
        return False
    if ctx.accents:
        if ctx.forms.dominant_accented(low) or _marked_adverb(low, ctx):
            return True
        if not ctx.forms.listed(low) and not ctx.lexicon.known(low) and _marked_listed(low, ctx.forms):
            return True  # no word as read, a word with its marks (``CIGUENAL``: cigüeñal)
        margin = ctx.settings.queue_accent_margin
        return bool(margin) and ctx.forms.zipf(low) < COMMON_ZIPF and bool(ctx.forms.likelier_accented(low, margin))
    if not core.isascii():
        return False
    # a page that writes no marks: the document's own evidence only (``Nuevo León`` read on
    # the same front page asks ``Leon``; names an office prints bare are left alone)
    return _marked_in_document(low, ctx) is not None


SPANISH_SPEAKING = frozenset("MX AR ES CO CL PE VE EC UY PY BO CR GT HN NI PA SV DO CU PR".split())
_COUNTRY = re.compile(r"\(?([A-Z]{2})\)?[.,;]?")


GERMAN_SPEAKING = frozenset({"DE", "AT"})


def _address_words(page: OcrPage, every_country: bool = False) -> dict[str, str]:
    """Ids of the words of a party's address → the language its country spells its places in
    (``es``: a Spanish-speaking country, ``de``: Germany, Austria): after the ``;`` that ends the
    party's name, on its line and the lines under it in its column, down to the country code
    (``Blvd. Diaz Ordaz 130, Monterrey, Nuevo Leon, MX``; ``Hauptstrasse 12, Stuttgart,
    Baden-Wurttemberg, DE``); with ``every_country``, other countries' addresses too, as ``""``."""
    out: dict[str, str] = {}
    lines = page.lines()
    for i, line in enumerate(lines):
        words = [w for w in line.words if w.text]
        cut = max((k for k, w in enumerate(words) if w.text.endswith(";")), default=None)
        if cut is None:
            continue
        segment = words[cut + 1:]
        j = i
        while j + 1 < len(lines) and j - i < 2 and not any(_COUNTRY.fullmatch(w.text) for w in segment[-1:]):
            nxt = [w for w in lines[j + 1].words if w.text]
            if not nxt or not _same_column(lines[j], lines[j + 1]) or any(w.text.endswith(";") for w in nxt):
                break
            segment += nxt
            j += 1
        m = _COUNTRY.fullmatch(segment[-1].text) if segment else None
        lang = None if not m else "es" if m.group(1) in SPANISH_SPEAKING else \
            "de" if m.group(1) in GERMAN_SPEAKING else "" if every_country else None
        if lang is not None:
            out.update((w.id, lang) for w in segment[:-1])
    return out


GERMAN_ZIPF_MARGIN = 1.0  # a spelling with umlauts or ß this much commoner (Zipf: 10x) in German
_UMLAUT = {"a": "ä", "o": "ö", "u": "ü", "á": "ä", "ó": "ö", "ú": "ü", "à": "ä", "ò": "ö", "ù": "ü"}


def _german_spelling(core: str) -> str | None:
    """A German place or street spelt with its umlauts and ß, when German writes that spelling
    far more often than the one read: ``Wurttemberg`` and ``Wúrttemberg`` → ``Württemberg``,
    ``Wiirttemberg`` (ü read as two i) → ``Württemberg``, ``HauptstraBe``, ``Hauptstrafe``,
    ``Hauptstraffe``, ``Hauptstra&e`` → ``Hauptstraße``.
    Each part of a hyphenated name on its own; None when no part changes."""
    german = word_forms.spellings("de")
    if not len(german.zipf10):
        return None
    parts = core.split("-")
    changed = False
    for k, part in enumerate(parts):
        if len(part) < 4 or not part.replace("&", "").isalpha():
            continue
        best = _umlaut_variant(part, german)
        if best:
            parts[k], changed = best, True
    return "-".join(parts) if changed else None


def _umlaut_variant(part: str, german: word_forms.Forms) -> str | None:
    here = german.zipf(part)
    options = []
    for i, c in enumerate(part):
        low = c.lower()
        if low in _UMLAUT:
            u = _UMLAUT[low]
            options.append(part[:i] + (u.upper() if c.isupper() else u) + part[i + 1:])
        if part[i:i + 2].lower() == "ii":
            options.append(part[:i] + ("Ü" if c.isupper() else "ü") + part[i + 2:])
        if c in "Bf&" and 0 < i and part[i - 1].islower():
            options.append(part[:i] + "ß" + part[i + 1:])  # ß read as B, f or & (Hauptstrafe)
        if part[i:i + 2] == "ff" and 0 < i and part[i - 1].islower():
            options.append(part[:i] + "ß" + part[i + 2:])  # or as two f (Hauptstraffe)
    scored = [(german.zipf(o), o) for o in options]
    if not scored:
        return None
    z, best = max(scored)
    return best if z >= here + GERMAN_ZIPF_MARGIN else None


def _spanish_spelling(core: str, margin: float) -> str | None:
    """A capitalised word's Spanish spelling with its marks, likelier by ``margin`` (``Diaz``)."""
    low = core.casefold()
    if len(core) < 3 or not core.isalpha() or not core.isascii() or not core[0].isupper():
        return None
    spanish = word_forms.load("es")
    return None if spanish.zipf(low) >= COMMON_ZIPF else spanish.likelier_accented(low, margin)


SLIP_ZIPF = 3.5  # a function word this much commoner (Zipf: 3000x), one edit away: a slip of the engine
EXTRA_MARK_ZIPF = 2.5  # the same letters without marks this much commoner: a speck read as a mark (én)
_INNER_SYMBOL = re.compile(r"[^\W\d_][&#%*@§][^\W\d_]")  # Hauptstra&e (ß)


def _real_word_slip(core: str, ctx: rules.RuleContext, initial: bool = True) -> bool:
    """A real word the engine read with confidence that is still a likely misreading: a rare word
    one edit from a function word thousands of times commoner (``porn`` → ``por``, ``ora`` →
    ``or``, ``lam`` → ``la``), a mark on letters that are a far commoner word without it (``én``),
    a symbol inside a word (``Hauptstra&e``). A capitalised word inside a line of an English page
    (not ``initial``: after a word that ends no sentence) is a name (Cagayan de ``Oro``, ``Ana``)."""
    if _INNER_SYMBOL.search(core):
        return True
    if not core.isalpha() or ctx.foreign or core.isupper():
        return False
    low = core.casefold()
    here = ctx.forms.zipf(low) if ctx.forms.lang else 0.0
    if not ctx.forms.lang or here >= 4.0:
        return False
    plain = strip_marks(low)
    if plain != low and ctx.forms.zipf(plain) >= here + EXTRA_MARK_ZIPF:
        return True  # at any length: ``conocé`` for ``conoce``
    if len(core) > 5 or low in _function_words(ctx) or core.istitle() and not ctx.accents and not initial:
        return False
    from rapidfuzz.distance import Levenshtein

    if len(low) >= 3 and any(Levenshtein.distance(low, f) == 1 and ctx.forms.zipf(f) >= here + SLIP_ZIPF
                             for f in _function_words(ctx) if len(f) >= 2):
        return True
    # one letter group read for another (``uria`` for ``una``: ri for n, ``cl`` for d)
    return any(v in _function_words(ctx) and ctx.forms.zipf(v) >= here + SLIP_ZIPF for v in _group_variants(low))


_NUMBERED = re.compile(r"([^\W\d_]{3,})([2-9])")  # sentencia2, campo3: a term numbered by a figure


def _numbered_stems(pages: list[OcrPage]) -> frozenset[str]:
    """The (folded) stems the document numbers with a figure glued on (``sentencia2`` →
    ``sentencia``)."""
    from .lexicon import fold

    out = set()
    for p in pages:
        for w in p.words():
            m = _NUMBERED.fullmatch(rules.split_token(w.text)[1])
            if m:
                out.add(fold(m.group(1)))
    return frozenset(out)


def _numbered_one(core: str, ctx: rules.RuleContext) -> str | None:
    """``sentencial`` in a document that prints ``sentencia2``: the term numbered 1, its figure
    read as an ``l`` (or ``I``), even where the letters make a word; the numbered spelling, else None."""
    from .lexicon import fold

    stems = ctx.memo.get("numbered")
    if not stems or len(core) < 4 or core[-1] not in "lI" or fold(core[:-1]) not in stems:
        return None
    return core[:-1] + "1"


def _document_variant(core: str, vocabulary: dict[str, str], ctx: rules.RuleContext) -> bool:
    """A reading that is no word, one letter-group confusion either way (``lexicon.MULTI_CONFUSIONS``:
    ``in`` for ``m``, ``rn`` for ``m``) from a word the document itself reads with confidence
    elsewhere (``cominand``, the page's ``command``): its own word misread, whatever the
    confidence, in whatever language the word is. A confusion the table lists one way only
    (``tl`` read for ``ti``, ``ii`` for ``u``) is taken the other way round (``cominand``: ``in``
    for ``m``) only when the document's word is the likelier spelling (a word, or read more often
    than ``core``): a term no lexicon knows (``tirosol``) is not asked because the document once
    misread it confidently (``tlrosol``)."""
    from .lexicon import fold

    low = fold(core)
    if len(low) < 4 or not core.isalpha() or not vocabulary or low in (ctx.memo.get("vocabulary") or ()) or \
            _a_word(core, ctx):  # read as it is twice: the document's own spelling
        return False
    if any(v in vocabulary for v in _group_variants(low)):
        return True
    here = ctx.doc_counts.get(low, 0)
    return any(v in vocabulary and (_a_word(vocabulary[v], ctx) or ctx.doc_counts.get(v, 0) > here)
               for v in _group_variants(low, reverse=True))


def _group_variants(low: str, reverse: bool = False) -> set[str]:
    """``low`` with one of the engine's letter-group confusions undone (``lexicon.MULTI_CONFUSIONS``),
    or with ``reverse``, the spellings the engine would misread ``low`` as (``ti`` → ``tl``)."""
    from .lexicon import MULTI_CONFUSIONS

    out = set()
    pairs = [(b, a) for a, b in MULTI_CONFUSIONS] if reverse else MULTI_CONFUSIONS
    for wrong, right in pairs:
        i = low.find(wrong)
        while i != -1:
            out.add(low[:i] + right + low[i + len(wrong):])
            i = low.find(wrong, i + 1)
    return out


def _function_words(ctx: rules.RuleContext) -> frozenset[str]:
    key = ("function-words", ctx.lang)
    cached = ctx.memo.setdefault("cache", {}).get(key)
    if cached is None:
        cached = ctx.memo["cache"][key] = frozenset(rules.FUNCTION_WORDS.get(ctx.lang, set()) |
                                                    FUNCTION_WORDS.get(ctx.lang, set()))
    return cached


def _odd_join(core: str, ctx: rules.RuleContext) -> bool:
    short = rules.FUNCTION_WORDS.get(ctx.lang, rules.FUNCTION_WORDS["en"])
    parts = [p for p in core.split("-") if p]
    return any(p.casefold() in short or p.isalpha() and not _a_word(p, ctx) for p in parts)


# a word of one language's commonest short words, in a page of another (a name's ``de``, a
# command's ``at``): not a stray reading
_ANY_FUNCTION_WORD = frozenset().union(*FUNCTION_WORDS.values(), *rules.FUNCTION_WORDS.values())
STRAY_CONFIDENCE = 96.0  # a letter or two the language never writes alone, read below this: asked
_INNER_MARK = re.compile(r"[^\W\d_][',.;:’\"“”]+[^\W_]")  # la'shell, ECG,.SpO2, a"ya (not S.A., e.g)


def _inner_mark(core: str, ctx: rules.RuleContext) -> bool:
    """Two words, or a word and a speck, run together through a mark that words do not hold
    inside: an apostrophe on a Spanish page (``la'shell``), or two marks in a row
    (``ECG,.SpO2``). Not an abbreviation's dots (``S.A.``, ``e.g``), a decimal number."""
    m = _INNER_MARK.search(core)
    if not m or ctx.foreign:
        return False
    marks = m.group(0)[1:-1]
    if len(marks) > 1 or marks in ';"“”':
        return True  # two marks in a row; a semicolon or a double quote, which no word holds inside
    # an apostrophe: only where the page's language elides nothing (English contractions and
    # names, O'Brien, and the elisions of a French quotation, l’on, d’un, are the text's own)
    return marks in "'’" and ctx.lang == "es"


_INNER_CAPITAL = re.compile(r"[a-zß-ÿ]{3}[A-Z][a-zß-ÿ]{1,2}$")  # HauptstraBe (not LinnDrum, McDonald, iPhone)


def _inner_capital(core: str, ctx: rules.RuleContext) -> bool:
    """A capital among the last letters of a lower-case word the lexicon does not know: a letter
    misread as another (``HauptstraBe`` for ß). A capital that begins a part of three letters or
    more is CamelCase (``LinnSequencer``, ``FinalCode``), a name's own spelling."""
    if not core.isalpha() or sum(c.isupper() for c in core[1:]) != 1 or not _INNER_CAPITAL.search(core):
        return False
    return not ctx.lexicon.known(core)


CUT_GAP = 0.35  # at most this many line heights between two pieces of one word cut by a vertical line
CUT_TIGHT = 0.2  # ... closer than this, two pieces that are words too are one word cut (dis|patch)
CUT_OVERLAP = 0.6  # ... which stand on the same row (share of the lower one's height)


def _cut_words(page: OcrPage, ctx: rules.RuleContext) -> dict[str, list[str]]:
    """The pieces of words a vertical line through the text cut in two (a scanner's streak or
    scratch, which the engine takes for a column gutter, so the two halves of each line are read
    in two columns: ``dispa`` … ``tch``, ``Jav`` … ``a``): the last word of a line and the first
    word of another line that stand on the same row, closer than a space, whose letters joined are
    a word. Word id → suggestions: the whole word for the first piece, none for the second (its
    letters belong to the first). Left alone, each piece is a wrong word the queue never saw: the
    engine reads both with confidence."""
    lines = [[w for w in line.words if w.text] for line in page.lines()]
    lines = [ws for ws in lines if ws]
    if len(lines) < 2:
        return {}
    starts = sorted(((ws[0].bbox[0], k) for k, ws in enumerate(lines)))
    xs = [x for x, _ in starts]
    from bisect import bisect_left

    out: dict[str, list[str]] = {}
    for k, ws in enumerate(lines):
        last = ws[-1]
        x0, y0, x1, y1 = last.bbox
        height = max(1, y1 - y0, ws[0].bbox[3] - ws[0].bbox[1])  # the line's, not an x-height word's
        for i in range(bisect_left(xs, x1 - 2), len(xs)):
            if xs[i] > x1 + CUT_GAP * height:
                break
            other = lines[starts[i][1]]
            if starts[i][1] == k:
                continue
            first = other[0]
            u0, v0, u1, v1 = first.bbox
            overlap = min(y1, v1) - max(y0, v0)
            if overlap < CUT_OVERLAP * min(y1 - y0, v1 - v0):
                continue
            # the pieces as the engine read them (a rule may have split ``andby`` into ``and by``)
            pre, left, _ = rules.split_token(last.ocr_text or last.text)
            _, right, suf = rules.split_token(first.ocr_text or first.text)
            whole = left + right
            if not left.isalpha() or not right.isalpha() or not right[:1].islower() or len(whole) < 4:
                continue
            if not (ctx.lexicon.known(whole) or ctx.forms.is_word(whole, ctx.lexicon)):
                continue
            if u0 - x1 > CUT_TIGHT * height and ctx.lexicon.known(left) and ctx.lexicon.known(right):
                continue  # two words a space apart (a narrow gutter's pair), not one word cut
            out[last.id] = [pre + whole + suf]
            out[first.id] = []
            break
    return out


LOST_HYPHEN_MARKS = ("", ":", ";")  # what the engine leaves of a line end's hyphen: nothing, or a colon
LOST_HYPHEN_ZIPF = 3.0  # a second piece the web lists count rarer is no word (``diante``, ``cula``: 1.8, 2.2)


def _lost_hyphens(page: OcrPage, ctx: rules.RuleContext) -> dict[str, list[str]]:
    """The two pieces of a word the line end broke whose hyphen the engine lost or read as a colon
    (``me`` / ``diante``, ``cal:`` / ``cula``, ``tra`` / ``dicionalmente``: a thin hyphen of a
    Pango page, the threshold broke it): the last word of a line and the first of the next line
    of its column, letters joined a word (``_sure_word``), the second piece in lower case and no
    word itself: no lexicon's, and rarer than ``LOST_HYPHEN_ZIPF`` in the web lists, which hold
    fragments (``minera`` / ``les`` are two words). Word id → suggestions as ``_cut_words``: the
    whole word for the first piece, none for the second. Only asked (``dehyphenate`` joins the
    pieces whose hyphen was read)."""
    lines = page.lines()
    out: dict[str, list[str]] = {}
    for line, nxt in zip(lines, lines[1:]):
        words = [w for w in line.words if w.text]
        following = [w for w in nxt.words if w.text]
        if not words or not following or not _same_column(line, nxt):
            continue
        last, first = words[-1], following[0]
        pre, left, mark = rules.split_token(last.text)
        _, right, suf = rules.split_token(first.text)
        if mark not in LOST_HYPHEN_MARKS or not left.isalpha() or not right.isalpha() or not right.islower() \
                or len(left + right) < 5 or last.id in out:
            continue
        whole = left + right
        if ctx.lexicon.known(right) or ctx.forms.zipf(right) >= LOST_HYPHEN_ZIPF or not _sure_word(whole, ctx):
            continue
        out[last.id] = [pre + whole + suf]
        out[first.id] = []
    return out


def _sure_word(word: str, ctx: rules.RuleContext) -> bool:
    """A word no fragment or junk of the web lists passes for: a lexicon's, one those lists count
    at ``LOST_HYPHEN_ZIPF`` or more, or a form of a lemma no list holds (``eeeeee`` is listed, 1.5)."""
    return ctx.lexicon.known(word) or ctx.forms.zipf(word) >= LOST_HYPHEN_ZIPF or \
        not ctx.forms.listed(word) and ctx.forms.is_word(word, ctx.lexicon)


def _lost_number(shown: list, ended: bool) -> bool:
    """A line that begins with a full stop alone, then a capital, after a line that ended a
    sentence or a heading: a paragraph or claim number (``3.``) whose figures the engine lost,
    read as the stop. (After a line that runs on, ``. More processing``, the stop is a speck:
    ``_odd_capital``.)"""
    return ended and len(shown) > 1 and shown[0].text == "." and shown[1].text[:1].isupper()


def _heading(shown: list) -> bool:
    """A line of words in capitals (``ANTECEDENTES DE LA INVENCIÓN``): a heading, which ends its line."""
    letters = [rules.split_token(w.text)[1] for w in shown]
    return sum(len(c) for c in letters if c.isalpha() and c.isupper()) >= 6 and \
        all(not c.isalpha() or c.isupper() for c in letters)


CAPITAL_ZIPF = 4.0  # a word this common in lower case, capitalised after a speck's full stop: asked


def _cased_counts(pages: list[OcrPage]) -> dict[str, int]:
    """How often the document reads each word's letters in exactly this case (``Vehicle`` and
    ``vehicle`` apart), its front page left out."""
    counts: dict[str, int] = {}
    for p in pages:
        if p.number == 1:
            continue
        for w in p.words():
            core = rules.split_token(w.text)[1]
            if core.isalpha():
                counts[core] = counts.get(core, 0) + 1
    return counts


def _title_word(text: str) -> bool:
    """``Speech``, ``Wide``: a word capitalised as a name or a term is (not ``OFF``, ``ECU``)."""
    core = rules.split_token(text)[1]
    return len(core) > 1 and core.istitle()


WORD_SPACE = 1.5  # a gap wider than this many heights of the word is no word space
SAME_SHAPE_CAPITALS = frozenset("CIOSVWXZ")  # capitals the engine takes for their lower case scaled (I: i's dot joined)
NUMERAL = re.compile(r"\d{1,4}[a-z]?")  # a reference numeral (``flag 372 Is``, ``FIG. 9 Is``): no sentence's end


def _inner_capitals(page: OcrPage, ctx: rules.RuleContext) -> dict[str, str]:
    """Words read with a capital inside a sentence (``the gear selection Is not``, ``a support
    seat Which supports``, ``… the hybrid`` / ``Vehicle is operated``, after a reference numeral:
    ``flag 372 1s in``, its i read as a one): word id → the word in lower case. The engine reads
    the capital of a letter whose lower case has its shape (``SAME_SHAPE_CAPITALS``); a sentence
    does not capitalise after a word that ends in a lower-case letter, a name or a term does: not
    asked when a word around it in its block is capitalised too, three words either way (``World
    Wide Web``, ``the Speech and Silence``, ``de Centros`` / ``de Conmutación``, ``Variables de la
    Shell``), after a gap wider than a word space, before a number (``of Claims 1 to 11``), when
    the document does not read the word in lower case at least as often as capitalised, or when
    the lower-case word is no word of the language."""
    out: dict[str, str] = {}
    if not ctx.forms.lang or ctx.foreign:
        return out
    counts = ctx.memo.get("cased") or {}
    for block in page.blocks:
        shown = [w for line in block.lines for w in line.words if w.text]
        for i, word in enumerate(shown):
            pre, core, suf = rules.split_token(word.text)
            if core[:1] == "1" and core[1:].isalpha() and core[1:].islower():
                core = "I" + core[1:]  # ``372 1s in``: the i read as a figure one
            if pre or i == 0 or len(core) < 2 or not core.isalpha() or not core.istitle() or \
                    core[0] not in SAME_SHAPE_CAPITALS:
                continue
            previous = shown[i - 1]
            if not (previous.text[-1:].islower() or NUMERAL.fullmatch(previous.text)):
                continue  # a sentence's start, after a stop, a bracket
            if previous.bbox[1] < word.bbox[3] and previous.bbox[3] > word.bbox[1] and \
                    word.bbox[0] - previous.bbox[2] > WORD_SPACE * (word.bbox[3] - word.bbox[1]):
                continue  # ``cadena      Se imprime``: a term and its description, a column apart
            if any(_title_word(w.text) and not shown[j - 1].text[-1:] in rules.SENTENCE_END
                   for j in range(max(1, i - 3), min(len(shown), i + 4)) if j != i for w in (shown[j],)):
                continue
            if i + 1 < len(shown) and NUMERAL.fullmatch(rules.split_token(shown[i + 1].text)[1]):
                continue  # ``of Claims 1 to 11``, ``in Figure 3``: a numbered part's name
            low = core.lower()
            n_low = counts.get(low, 0)
            if n_low < 1 or n_low < counts.get(core, 0) or not ctx.forms.is_word(low, ctx.lexicon):
                continue
            out[word.id] = pre + low + suf
    return out


ORDINAL_MISREAD = re.compile(r"\d{1,3}[*?]")  # 3ª, 1º read 3*, 1? (no figure is starred or asked in running text)
ORDINAL_LANGUAGES = frozenset({"es"})  # languages that print ordinals with a superscript ª/º


_BAR_ONLY = re.compile(r"[\[{]?\|[\]}]?")  # ``|``, ``[|``: a 1 read as a bar (and a bracket)
_NUMERAL_GLUED = re.compile(r"([\[{|£Il]?)(\d{1,3})([\]}|Il]?)")  # ``[4``, ``I4``, ``£2``, ``21]``, ``1}``
_FIGURE_LABEL = re.compile(r"(?i)figs?|figures?|figuras?")  # FIG. 2I, Figs. 3l: a figure's letter
_MAGNITUDES = frozenset({"million", "millions", "billion", "billions", "thousand", "thousands", "m", "bn", "k", "per"})
NUMERAL_HEIGHT = (0.5, 1.05)  # a bar this high against the line's tallest word is a figure's height


def _numeral_misreads(shown: list) -> dict[str, str]:
    """Reference numerals of running text whose figure 1 the engine read as a bar or a bracket
    (``support member | to the``, ``members [4 are``, ``hem 1] can``, ``seat £2``, ``I4``): word
    id → the numeral. A bar is one only when it has a figure's height (not a speck, not a table's
    or a front page's rule) and follows a word; a bracket only when no bracket within three words
    closes or opens it (``[4, 5]`` is a list of citations, ``[6 - 9)`` a range whose bracket was misread)."""
    out: dict[str, str] = {}
    tall = max((w.bbox[3] - w.bbox[1] for w in shown if rules.split_token(w.text)[1].isalpha()), default=0)
    texts = [w.text for w in shown]
    for i, word in enumerate(shown):
        text = word.text
        stop = re.search(r"[.,;:]$", text)
        body, tail = (text[:-1], text[-1]) if stop else (text, "")
        previous = shown[i - 1].text if i else ""
        if _BAR_ONLY.fullmatch(body):
            high = (word.bbox[3] - word.bbox[1]) / tall if tall else 0.0
            if previous[-1:].isalpha() and NUMERAL_HEIGHT[0] <= high <= NUMERAL_HEIGHT[1]:
                out[word.id] = "1" + tail
            continue
        m = _NUMERAL_GLUED.fullmatch(body)
        if not m or not (m.group(1) or m.group(3)) or m.group(1) and m.group(3):
            continue
        if m.group(1) and m.group(1) in "Il" and not previous[-1:].isalpha():
            continue  # ``I4`` after a word; not a code's letter after a figure or a label
        if m.group(3) in ("I", "l") and _FIGURE_LABEL.fullmatch(rules.split_token(previous)[1]):
            continue  # ``FIG. 2I``: figure 2I of a series 2A-2I, not 21
        following = rules.split_token(texts[i + 1])[1].casefold() if i + 1 < len(texts) else ""
        if m.group(1) == "£" and following in _MAGNITUDES:
            continue  # ``£2 million``: money, not the numeral 12
        if m.group(1) and any(c in t for t in texts[i + 1:i + 4] for c in ")]}") or \
                m.group(3) and any(c in t for t in texts[max(0, i - 3):i] for c in "([{"):
            continue  # ``[4, 5]``: a bracketed list; ``[6 - 9)``: a range in brackets
        out[word.id] = ("1" if m.group(1) else "") + m.group(2) + ("1" if m.group(3) else "") + tail
    return out


def _odd_capital(core: str, previous, line, ctx: rules.RuleContext) -> bool:
    """A capital where the sentence has none: a common word after a lone full stop that begins
    its line, a speck (``. More processing``, ``. Memory element``): no sentence begins so. (A
    function word capitalised after a lower-case word, ``y Su primer``, is not asked: run-in
    headings and list items of a text begin so far more often.)"""
    if previous is None or not core.isalpha() or not core.istitle() or len(core) < 2 or ctx.foreign:
        return False
    first = next((w for w in line.words if w.text), None)
    return previous is first and previous.text == "." and bool(ctx.forms.lang) and \
        ctx.forms.zipf(core.lower()) >= CAPITAL_ZIPF


ARTICLES = {"en": frozenset({"the"}), "es": frozenset({"el", "la", "los", "las"})}


def _article_join(core: str, ctx: rules.RuleContext) -> bool:
    """A join that begins or ends with a definite article (``the-mid-dialog``, ``Si-el``): no
    compound does; the space beside the article was read as a hyphen, whatever the confidence."""
    parts = core.split("-")
    articles = ARTICLES.get(ctx.lang, frozenset())
    return len(parts) > 1 and all(parts) and not ctx.foreign and \
        (parts[0].casefold() in articles or parts[-1].casefold() in articles)


def _speck_part(core: str, ctx: rules.RuleContext) -> bool:
    """A join whose one part is a letter or two no word of the language is (``orden-bg``): a
    speck or a stray mark read into the word, whatever the confidence."""
    short = _short_words(ctx)
    if short is None:
        return False
    parts = core.split("-")
    if len(parts) != 2 or not all(p.isalpha() and p.islower() for p in parts):
        return False  # not a key (``M-x``, ``ESC-Control-x``), not ``re-charged``, ``co-pending``
    word, speck = sorted(parts, key=len, reverse=True)
    if speck == parts[0] and speck in HYPHEN_PREFIXES.get(ctx.lang, ()):
        return False  # ``e-commerce``, ``e-mail``, ``de-coupled``: the language's own prefix
    return len(word) >= 4 and len(speck) <= 2 and speck not in short and speck not in rules.PREFIXES


# prefixes of a letter or two a language writes before a hyphen (besides ``rules.PREFIXES``)
HYPHEN_PREFIXES = {"en": frozenset({"e", "de"}), "es": frozenset({"e"})}


def _marked_listed(low: str, forms: word_forms.Forms) -> str | None:
    """The commonest spelling of ``low`` with up to two marks more that the language writes,
    or with up to two marked letters the engine read as other letters (``cigiiefal``: cigüeñal)."""
    hits = [v for v in word_forms.accent_variants(low, limit=2) if forms.listed(v)]
    if not hits and forms.lang == "es":
        hits = [v for v in word_forms.marked_letter_variants(low) if forms.listed(v)]
    return max(hits, key=forms.zipf) if hits else None


def _marked_in_document(low: str, ctx: rules.RuleContext) -> str | None:
    """The spelling of ``low`` with one mark more that the document itself reads, else None."""
    hits = [v for v in word_forms.accent_variants(low, limit=1) if ctx.doc_counts.get(v, 0)]
    return max(hits, key=lambda v: ctx.doc_counts[v]) if hits else None


def _marked_spelling(core: str, ctx: rules.RuleContext) -> str | None:
    low = core.casefold()
    if not ctx.accents:
        return _marked_in_document(low, ctx)
    return ctx.forms.dominant_accented(low) or ctx.forms.likelier_accented(low, ctx.settings.queue_accent_margin or 1.0) \
        or (None if ctx.forms.listed(low) else _marked_listed(low, ctx.forms)) or _marked_adverb(low, ctx)


def _marked_adverb(low: str, ctx: rules.RuleContext) -> str | None:
    """A Spanish adverb in -mente keeps its adjective's accent (``rápidamente``): one read
    without it (``asincronamente``, too rare for the word list) whose adjective is written with
    a mark (``asíncrona``) → the adverb with it, else None."""
    if ctx.lang != "es" or not low.endswith("mente") or len(low) < 10 or ctx.forms.dominant_accented(low):
        return None
    stem = low[: -len("mente")]
    if stem != strip_marks(stem):
        return None  # the adjective has its mark already
    marked = ctx.forms.dominant_accented(stem) or \
        (None if ctx.forms.listed(stem) else _marked_listed(stem, ctx.forms))
    if not marked:
        return None
    adverb = marked + "mente"
    return adverb if not ctx.forms.listed(low) or ctx.forms.zipf(adverb) >= ctx.forms.zipf(low) + 1.0 else None


# words of one or two letters a language writes alone, besides its function words
SHORT_WORDS = {"es": frozenset({"ha", "he", "ya", "mi", "tu", "te", "me", "le", "ni", "si", "sí", "él", "tú", "mí", "ir",
                                "ve", "da", "va", "fe", "km", "cm", "mm", "kg", "mg", "ml", "nº", "no"}),
               "en": frozenset({"he", "me", "my", "so", "us", "go", "i", "km", "cm", "mm", "kg", "mg", "ml", "ii", "vs",
                                "id"})}


def _short_words(ctx: rules.RuleContext) -> frozenset[str] | None:
    """The words of one or two letters the page's language writes alone (None: not judged); built
    once per language, as ``_function_words``."""
    if not ctx.settings.queue_short_words or ctx.foreign:
        return None
    table = rules.FUNCTION_WORDS.get(ctx.lang)
    if table is None:
        return None
    key = ("short-words", ctx.lang)
    cached = ctx.memo.setdefault("cache", {}).get(key)
    if cached is None:
        cached = ctx.memo["cache"][key] = frozenset(
            w for w in table | FUNCTION_WORDS.get(ctx.lang, set()) | SHORT_WORDS.get(ctx.lang, set()) if len(w) <= 2)
    return cached


def _own_spelling(core: str, vocabulary: dict[str, str]) -> str | None:
    """The document's own word one or two edits from ``core`` (``cigiieñal`` → the ``cigüeñal``
    read well on page 3), else None."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from .lexicon import fold

    key = fold(core)
    if len(key) < 4 or not vocabulary or key in vocabulary:
        return None
    hit = process.extractOne(key, list(vocabulary), scorer=Levenshtein.distance, score_cutoff=2 if len(key) > 5 else 1)
    return vocabulary[hit[0]] if hit else None


NEAR_OWN_LANGUAGES = frozenset({"en"})  # languages whose word lists hold their inflected forms (not Spanish's)


def _near_own(core: str, vocabulary: dict[str, str], ctx: rules.RuleContext) -> bool:
    """A reading that is no word, one or two edits (``_own_spelling``) from a word of the language
    the document reads with confidence twice or more (``ughtening``, ``arear`` beside the page's
    ``tightening``, ``rear``): the document's word misread, whatever the confidence. Not a
    reading in capitals (a code, an acronym) nor one the document reads twice itself. Only where
    the word lists tell a word from no word: Spanish forms they lack (``especificad``,
    ``indexan``, ``reejecutada``) would be asked for every one."""
    if ctx.lang not in NEAR_OWN_LANGUAGES or ctx.foreign or not core.isalpha() or core.isupper() or \
            _a_word(core, ctx):
        return False
    own = _own_spelling(core, vocabulary)
    return own is not None and _a_word(own, ctx)


NEAR_COMMON_ZIPF = 4.0  # a word of the language this common one edit from a reading no list has


def _near_common(core: str, ctx: rules.RuleContext) -> str | None:
    """The commonest word of the language one edit (any letter) from a reading in lower case no
    word list has (``ifter``, ``tuming``: after, turning), in the languages whose lists hold
    their forms (``NEAR_OWN_LANGUAGES``); else None."""
    low = core.casefold()
    if ctx.lang not in NEAR_OWN_LANGUAGES or ctx.foreign or core != low or len(low) < 3 or not low.isalpha() or \
            ctx.forms.listed(low) or ctx.lexicon.known(core):
        return None  # (not ``is_word``, which passes ``ifter`` and ``energs``)
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    edits = {low[:i] + c + low[i + 1:] for i in range(len(low)) for c in alphabet} | \
        {low[:i] + c + low[i:] for i in range(len(low) + 1) for c in alphabet} | \
        {low[:i] + low[i + 1:] for i in range(len(low))}
    best = max(((ctx.forms.zipf(e), e) for e in edits if e != low and ctx.forms.listed(e)), default=None)
    return best[1] if best and best[0] >= NEAR_COMMON_ZIPF else None


JOINED_CONFIDENCE = 90.0  # a hyphenated join read below this is asked (``salida-de``)
CHEAP_MISREADING = 0.6  # confusion cost of a lexicon word a confident reading is still asked about
CHEAP_MISREADING_CAPITALS = 1.0  # capitals lose their marks and read alike (CIGUENAL → CIGÜEÑAL)
_LETTER_O_IN_NUMBER = re.compile(r"(?<=[A-Z\d])O(?=\d)|(?<=\d)O(?=[A-Z\d])")  # HO4W, FO2B, 2O19 (not SpO2)
_ODD_EDGE = re.compile(r"[_~|\\]")  # glued to a word, not punctuation of the text (``_tarea,``)
_HYPHEN_MARK = re.compile(r"-[.,;:]")  # a hyphen ends a word part, no stop or comma follows it
_ACUTE = re.compile("[áéíóú]")


BARE_CAPITALS_EVIDENCE = 3  # words in capitals that take marks, read without: the text prints them so
CAPITALS_BODY = 20  # words of a run in capitals that is a passage (a claim, an abstract), not a title
BARE_CAPITALS_SHARE = 4  # ... and at most one in this many read with one (a speck read as a mark)


def _bare_capitals(page: OcrPage, ctx: rules.RuleContext) -> frozenset[str]:
    """Ids of the words of the page's runs of capitals (a title or a heading, over its lines)
    printed without their marks: at least ``BARE_CAPITALS_EVIDENCE`` words of the run take a
    mark and are read without, against at most one in ``BARE_CAPITALS_SHARE`` read with one
    (``DISPOSITIVO … PARA REPRESENTACION … SUPERPOSICION … HOMOGENEAS``, a title as the source
    prints it in capitals), on a page where the engine reads the marks of other capitals
    (``ESTADO DE LA TÉCNICA``): it sees them in this print, so a run without any is the print's
    own; so is a passage set in capitals (``CAPITALS_BODY`` words or more: a claim, an abstract),
    which a source typed in capitals writes without marks. A title on a page with no marked
    capital at all is asked, since the engine may be losing them there (a front page's
    ``METODO DE OBTENCION``); so is a run with too few such words to tell (``MEDIDORES DE GAS
    DOMESTICO``)."""
    if not ctx.accents:
        return frozenset()
    runs: list[tuple[list, int, int]] = []
    run: list = []

    def close() -> None:
        marked = bare = 0
        for w in run:
            core = rules.split_token(w.text)[1]
            if core != strip_marks(core):
                marked += 1
            elif len(core) >= 4 and ctx.forms.dominant_accented(core.casefold()):
                bare += 1
        if run:
            runs.append((list(run), marked, bare))
        run.clear()

    for line in page.lines():
        for w in line.words:
            if not w.text:
                continue
            core = rules.split_token(w.text)[1]
            if core.isalpha() and core.isupper():
                run.append(w)
            elif any(c.islower() for c in core):
                close()  # (a margin's line number or a claim's reference sign does not end the run)
    close()
    out: set[str] = set()
    for k, (words, marked, bare) in enumerate(runs):
        if bare >= BARE_CAPITALS_EVIDENCE and marked * BARE_CAPITALS_SHARE <= bare and \
                (len(words) >= CAPITALS_BODY or any(m for j, (_, m, _) in enumerate(runs) if j != k)):
            out.update(w.id for w in words)
    return frozenset(out)


def _misread(core: str, ctx: rules.RuleContext, bare_capitals: bool = False) -> bool:
    """A word the engine read with confidence that is still worth a question (a reviewer's recall):
    a word of the language that lost its accent (``podria``, ``DESAGUE``), a spelling no word of
    an accent language has (two acute accents, ``alfábéticos``), or an unknown word one cheap OCR
    confusion away from a lexicon word (``memary`` → ``memory``, ``CIGUENAL`` → ``cigüeñal``).
    Not: inner brackets or dots (``Inventor(es)``, ``S.A.``): labels and abbreviations."""
    if any(c in core for c in "().") or len(core) < 3:
        return False
    bare = bare_capitals and core.isupper()  # a title the page prints in capitals without marks
    if bare and _bare_spelling(core, ctx):
        return False
    if ctx.accents and ctx.forms.dominant_accented(core.casefold()):
        return True
    if ctx.accents and len(_ACUTE.findall(core.casefold())) > 1:
        return True
    if ctx.lexicon.known(core) or ctx.forms.is_word(core, ctx.lexicon):
        return False
    if core.islower() and rules.is_form(core, ctx):
        return False  # ``cementa``: a form of a lexicon verb (cementar), which the rules leave too
    limit = CHEAP_MISREADING_CAPITALS if core.isupper() else CHEAP_MISREADING
    if _near_form(core, ctx):
        return True  # ``dlferencias``: a common word of the language one cheap confusion away
    if not _may_be_near(core.casefold(), limit, ctx):
        return False  # no lexicon word within ``limit``: the search below would find none
    best = ctx.lexicon.ranked(core.casefold(), 1, max_cost=limit)
    return bool(best) and best[0][2] <= limit


NEAR_FORM_ZIPF = 3.0  # a word of the language this common one cheap confusion from a reading no list has


def _near_form(core: str, ctx: rules.RuleContext) -> str | None:
    """The commonest word of the language's forms (not only the lexicon's: ``diferencias`` is a
    form the Spanish word lists lack) one cheap confusion (``CHEAP_MISREADING``: ``l`` for ``i``)
    from a reading that is no word at all, in lower case; else None."""
    low = core.casefold()
    if not ctx.forms.lang or ctx.foreign or core != low or len(low) < 5 or not low.isalpha() or \
            ctx.forms.listed(low):
        return None  # (on a page in another language, the forms are no evidence)
    subs, indels = _cheap_edits(CHEAP_MISREADING)
    hits = [(ctx.forms.zipf(v), v) for v, _ in _edited(low, CHEAP_MISREADING, subs, indels)
            if v.isalpha() and ctx.forms.listed(v)]
    best = max(hits, default=None)
    return best[1] if best and best[0] >= NEAR_FORM_ZIPF else None


# characters the lexicon's own variants read as letters, and every digit (a confusion of some letter)
_VARIANT_MARKS = frozenset("0123456789") | frozenset(READ_AS_LETTER)


def _may_be_near(low: str, limit: float, ctx: rules.RuleContext) -> bool:
    """False only when ``Lexicon.ranked(low, 1, max_cost=limit)`` is sure to find nothing, told
    without its search over the words of similar length: no word the lexicon knows is one
    multi-letter confusion or lost mark from ``low`` (``lexicon.MULTI_CONFUSIONS``, ``strip_marks``),
    and no word it lists is one or two edits from ``low`` whose confusion costs
    (``lexicon.CONFUSION_COST``, ``INSERT_DELETE_COST``) sum to ``limit`` or less: the search keeps
    only such words (its candidates are at most two edits away, each edit costs what
    ``confusion_cost`` charges for it). Those words are spelled out and looked up: tens of lookups
    instead of a comparison with the words of the length. True (ask the search) whenever the word
    is outside what this covers: a limit a plain edit (1.0) fits in (any letter for any other: the
    search is cheaper than spelling them all), a digit or symbol the lexicon's variants read as a
    letter, a letter whose case or normal form changes the comparison, a lexicon with capitals."""
    import unicodedata

    from .lexicon import MULTI_CONFUSIONS, fold

    if limit >= PLAIN_EDIT_COST or not low or unicodedata.normalize("NFC", low) != low or low.lower() != low or \
            fold(low) != low or _VARIANT_MARKS.intersection(low):
        return True
    lexicon = ctx.lexicon
    plain = strip_marks(low)
    if plain != low and lexicon.known(plain):
        return True
    for wrong, right in MULTI_CONFUSIONS:
        i = low.find(wrong)
        while i != -1:
            if lexicon.known(low[:i] + right + low[i + len(wrong):]):
                return True
            i = low.find(wrong, i + 1)
    words = _lower_case_words(lexicon)
    if words is None:
        return True
    subs, indels = _cheap_edits(limit)
    first = _edited(low, limit, subs, indels)
    if any(text in words and text != low for text, _ in first):
        return True
    return any(again in words and again != low
               for text, cost in first if cost + MIN_EDIT_COST <= limit + 1e-9
               for again, _ in _edited(text, limit - cost, subs, indels))


# the cheapest edit ``lexicon.confusion_cost`` charges a lower-case word (l/1, o/0, é/e: 0.3)
MIN_EDIT_COST = min(*CONFUSION_COST.values(), *INSERT_DELETE_COST.values())
_LOWER_CASE: dict[int, tuple] = {}


def _lower_case_words(lexicon) -> dict | None:
    """The lexicon's words when every one of them is in lower case (what ``_may_be_near``
    assumes: a capital changes what ``confusion_cost`` charges), else None; judged once per
    lexicon (lexicons are loaded once per process)."""
    hit = _LOWER_CASE.get(id(lexicon))
    if hit is None or hit[0] is not lexicon:
        counts = lexicon.counts
        if len(_LOWER_CASE) > 16:
            _LOWER_CASE.clear()
        hit = _LOWER_CASE[id(lexicon)] = (lexicon, counts if all(w.lower() == w for w in counts) else None)
    return hit[1]


@lru_cache(maxsize=8)
def _cheap_edits(limit: float) -> tuple[dict[str, tuple[tuple[str, float], ...]], tuple[tuple[str, float], ...]]:
    """Substitutions (letter → ((other, cost), ...)) and insertions or deletions ((letter, cost),
    ...) that cost at most ``limit``, read from the lexicon's cost tables once per limit."""

    subs: dict[str, list[tuple[str, float]]] = {}
    for (x, y), c in CONFUSION_COST.items():
        if c <= limit + 1e-9:
            subs.setdefault(x, []).append((y, c))
    indels = tuple((x, c) for x, c in INSERT_DELETE_COST.items() if c <= limit + 1e-9)
    return {x: tuple(v) for x, v in subs.items()}, indels


def _edited(text: str, limit: float, subs, indels) -> list[tuple[str, float]]:
    """Every spelling one cheap edit from ``text`` that costs at most ``limit``, with its cost."""
    out: list[tuple[str, float]] = []
    deletions = dict(indels)
    for i, x in enumerate(text):
        head, tail = text[:i], text[i + 1:]
        out += [(head + y + tail, c) for y, c in subs.get(x, ()) if c <= limit + 1e-9]
        c = deletions.get(x)
        if c is not None and c <= limit + 1e-9:
            out.append((head + tail, c))
    for i in range(len(text) + 1):
        out += [(text[:i] + y + text[i:], c) for y, c in indels if c <= limit + 1e-9]
    return out


def _a_word(core: str, ctx: rules.RuleContext, bare_capitals: bool = False) -> bool:
    """Not worth a reviewer's look: a lexicon word, or a form of the language (``laterales``)
    that no spelling with diacritics outranks (``tambien`` is still asked about; ``TAMBIEN`` not
    on a page that prints its capitals bare, ``bare_capitals``)."""
    if ctx.lexicon.known(core) or bare_capitals and _bare_spelling(core, ctx):
        return True
    return ctx.forms.is_word(core, ctx.lexicon) and not (ctx.accents and ctx.forms.dominant_accented(core))


def _bare_spelling(core: str, ctx: rules.RuleContext) -> bool:
    """``core`` in capitals is a word of the language written without its marks
    (``SUPERPOSICION``: superposición)."""
    low = core.casefold()
    return core.isupper() and bool(ctx.forms.dominant_accented(low) or _marked_listed(low, ctx.forms))


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
