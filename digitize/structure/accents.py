"""Accents restored by evidence in capitalised titles and names (``VALVULA`` → ``VÁLVULA``).

Engines often lose the accent, tilde or diaeresis of a capital (``CIGUENAL``, ``DESAGUE``). A word
in capitals is given its accented form only when the evidence leaves one answer: its form as read
is not a word of the document's language (the profile's own-language lexicons, not the English
ones an ``es`` profile also loads) nor of the document's own lower-case text, and exactly one
accented form is (``válvula`` in the description settles ``VALVULA`` in the title). Two real words
(``PENA``/``PEÑA``, ``ESTA``/``ESTÁ``) are never chosen between: when the document's own text uses
the accented one, the word is reported as ambiguous for a reviewer. English pages are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations

from ..diacritics import LANG_MARKS, MARKS, strip_marks

WORD = re.compile(r"[A-ZÁÉÍÓÚÜÑa-záéíóúüñ]+")


# Spanish surnames with ñ or an accent whose bare form is no Spanish word or name (a word list has
# no surnames): evidence on Spanish pages only ("Nunez" is how many English pages print the name)
NAMES_ES = frozenset({
    "muñoz", "ibáñez", "núñez", "yáñez", "ordóñez", "castañeda", "acuña", "bolaños", "montaño", "treviño",
    "patiño", "zúñiga", "peñaloza", "cañizares", "saldaña", "villaseñor",
})


@dataclass
class Evidence:
    """What a document's words may be checked against."""

    known: object  # a Lexicon, or any object with ``known(word)``
    own: frozenset[str]  # the document's own words in lower case, as printed (accents kept)
    names: frozenset[str] = NAMES_ES
    caps: frozenset[str] = frozenset()  # marked capitals the document prints (``own_capitals``)

    def lexical(self, w: str) -> bool:
        return bool(self.known.known(w)) or w in self.names

    def is_word(self, w: str) -> bool:
        """A word of the language, or a word with a mark the document itself prints (its own
        unmarked lower-case words may be the same engine's losses, so they are not evidence)."""
        return self.lexical(w) or (w in self.own and strip_marks(w) != w)


def variants(word: str, limit: int = 2) -> set[str]:
    """``camara`` → {``cámara``, ``camára``, …}: up to ``limit`` letters given a mark."""
    spots = [i for i, c in enumerate(word) if c in MARKS]
    out = set()
    for k in range(1, limit + 1):
        for idx in combinations(spots, k):
            forms = [""]
            for i, c in enumerate(word):
                opts = MARKS[c] if i in idx else c
                forms = [f + o for f in forms for o in opts]
            out.update(forms)
    return out


_GUE = re.compile(r"(?<=[Gg])([Úú])(?=[EIeiÉÍéí])")  # "güe", "güi": an acute on that u is never Spanish


def _case_as(new: str, old: str) -> str:
    if old.isupper():
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def restore_word(word: str, ev: Evidence, name: bool = False) -> tuple[str, str | None]:
    """(the word to print, a reason to ask a reviewer or None). Whole words of three letters or
    more in capitals (``CAMARA``) or capitalised (``Maria``); a word read with a wrong mark that
    is no word (``DESAGÚE``, ``CIGÚEÑAL``) is re-marked by the same evidence."""
    if len(word) < 3 or not word[:1].isupper() or not (word.isupper() or word[1:].islower()):
        return word, None
    fixed = _GUE.sub(lambda m: "Ü" if m[1] == "Ú" else "ü", word)
    if strip_marks(word) != word:
        if ev.is_word(fixed.lower()):
            return fixed, None
        base = strip_marks(word)
        hits = [v for v in variants(base.lower()) if ev.is_word(v)]
        if not ev.is_word(word.lower()) and not ev.is_word(base.lower()) and len(hits) == 1:
            return _case_as(hits[0], word), None
        return fixed, None
    low = word.lower()
    marked = variants(low)
    lex = sorted(v for v in marked if ev.lexical(v))
    own = sorted(v for v in marked if (v in ev.own or v in ev.caps) and not _GUE.search(v))
    if ev.lexical(low):
        if own:
            return word, f"{word}: '{low}' and '{own[0]}' are both words (the document writes '{own[0]}')"
        if name and lex and len(word) >= 4:  # a name: PENA or PEÑA, LUCIA or LUCÍA, the page decides
            return word, f"{word}: '{low}' and '{lex[0]}' are both words"
        return word, None
    if len(lex) == 1:
        return _case_as(lex[0], word), None
    if len(lex) > 1:
        both = [v for v in lex if v in own]
        if len(both) == 1:
            return _case_as(both[0], word), None
        return word, f"{word}: {', '.join(v.upper() for v in lex)} are all words"
    if len(own) == 1:  # no word of the language: the document's own spelling (a name it prints)
        return _case_as(own[0], word), None
    if name and len(low) >= 5 and low.endswith("ez") and re.search(r"[aeiou][^aeiou]*[aeiou][^aeiou]*ez$", low):
        # Spanish spelling: a surname in -ez is stressed on the syllable before it (RAMÍREZ, PÉREZ),
        # and such a word ending in z is written with an accent; which vowel, no rule says
        return word, f"{word}: a Spanish surname in -EZ is written with an accent (not read)"
    return word, None


def restore(text: str, ev: Evidence, name: bool = False) -> tuple[str, list[str]]:
    """The text with its capitalised words restored, and the ambiguities found (in a ``name``,
    also a word that is a word both with and without a mark)."""
    doubts: list[str] = []
    text = unicodedata.normalize("NFC", text)  # engines may give "U" + a combining accent

    def fix(m: re.Match) -> str:
        new, why = restore_word(m[0], ev, name)
        if why:
            doubts.append(why)
        return new

    return WORD.sub(fix, text), doubts


def own_words(pages) -> frozenset[str]:
    """The document's own lower-case words (``válvula`` in the description), as printed."""
    out = set()
    for p in pages:
        for w in p.words():
            for tok in WORD.findall(w.text):
                if len(tok) >= 3 and tok.islower():
                    out.add(tok)
    return frozenset(out)


def own_capitals(pages) -> frozenset[str]:
    """Words in capitals the document prints with a mark (``CÁRDENAS``), in lower case: evidence
    for the same word read elsewhere without it, never for the word itself (an engine's wrong
    mark, ``SCHÁFER``, is not its own proof)."""
    out = set()
    for p in pages:
        for w in p.words():
            for tok in WORD.findall(w.text):
                if len(tok) >= 3 and tok.isupper() and strip_marks(tok) != tok:
                    out.add(tok.lower())
    return frozenset(out)


# the languages whose names a page's engine may have read without their marks: an English page
# (PH, EP) prints Spanish names without accents by convention, but a German umlaut it prints
# French marks: English words (MEDICAL) would be asked; but not its î, which no English word takes (Benoît)
# (an office whose names keep some marks its page's language does not write names them in its
# profile: ``[structure] name_langs``)
NAME_LANGS = {"es": ("es", "de"), "en": ("de", "sv", "fr:î")}


def name_langs(lang: str, configured: list[str] | None = None) -> tuple[str, ...]:
    """The languages (``lang`` or ``lang:letters``) whose marks a page's names may have lost: the
    profile's ``name_langs``, else those of the page's language."""
    return tuple(configured) if configured else NAME_LANGS.get(lang, ())


def _marks(entry: str) -> tuple[str, dict[str, str]]:
    """``es:ñ`` → (``es``, {``n``: ``ñ``}); ``de`` → (``de``, all of German's marks)."""
    lang, _, only = entry.partition(":")
    marks = LANG_MARKS.get(lang, {})
    if only:
        marks = {c: "".join(m for m in ms if m in only) for c, ms in marks.items()}
    return lang, {c: ms for c, ms in marks.items() if ms}


def usually_marked(word: str, langs: tuple[str, ...], margin: float = 0.4, floor: float = 2.0) -> str | None:
    """A name word read without marks (``MULLER``, ``Joaquin``), or with a mark no language of
    ``langs`` writes it with (``SCHÁFER``), whose spelling with one mark is clearly the usual one
    in one of ``langs`` (word frequencies: ``müller`` in German, ``joaquín`` in Spanish): that
    spelling, for a reviewer to confirm."""
    found = usual_spelling(word, langs, floor)
    return found[0] if found and found[1] >= margin else None


def usual_spelling(word: str, langs: tuple[str, ...], floor: float = 2.0, gain: float = 0.0) -> tuple[str, float] | None:
    """The most frequent spelling of ``word`` with one mark in ``langs`` that is more frequent
    than the word as read by more than ``gain`` (a negative ``gain``: nearly as frequent, both
    spellings real), and by how much (Zipf units); None when there is none."""
    read = word.lower()
    low = strip_marks(read)
    if len(low) < 4 or not low.isalpha():
        return None
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a locked dependency
        return None
    if read != low and max(zipf_frequency(read, _marks(lang)[0]) for lang in langs) >= floor:
        return None  # read with a mark that is a usual spelling
    best = None
    for entry in langs:
        lang, marks = _marks(entry)
        base = zipf_frequency(low, lang)
        for i, c in enumerate(low):
            for m in marks.get(c, ""):
                v = low[:i] + m + low[i + 1:]
                f = zipf_frequency(v, lang)
                if v != read and f >= floor and f - base > gain and (best is None or f - base > best[0]):
                    best = (f - base, v)
    return (_case_as(best[1], word), round(best[0], 2)) if best else None


def nothing_to_lose(word: str, lang: str, langs: tuple[str, ...], common: float = 2.5) -> bool:
    """``word`` read without a mark is a common word of ``lang`` (Zipf ≥ ``common``) and no
    spelling of it with one mark is a word of ``lang`` or ``langs`` at all: a low confidence on it
    is no lost accent, tilde or umlaut."""
    if not lang or strip_marks(word) != word or len(word) < 3:
        return False
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover
        return False
    low = word.lower()
    if zipf_frequency(low, lang) < common:
        return False
    for entry in dict.fromkeys((lang, *langs)):
        lg, marks = _marks(entry)
        for i, c in enumerate(low):
            for m in marks.get(c, ""):
                if zipf_frequency(low[:i] + m + low[i + 1:], lg) >= 1.5:
                    return False
    return True


SWAP_LANGS = ("fr", "de", "es", "sv")
_UMLAUT_READ = re.compile(r"(?<=[a-z])(?:ii|li|il)(?=[a-z])")  # ``Jiirgen``: an ü read as two narrow letters


def swapped_mark(word: str, gain: float = 2.0, floor: float = 3.0) -> str | None:
    """A word read with a mark that makes it no word (``Lumiére``, ``Férderung``) whose one
    marked letter, read as another marked letter, makes a common word of one of the names'
    languages (``Lumière``, ``Förderung``; Zipf ≥ ``floor`` and ``gain`` above the word as read):
    the engine saw a mark and chose the wrong one. So too an umlaut read as two narrow letters or
    a digit (``Jiirgen``, ``S6ren``, ``Foérdertechnik``). None when no such word, or when two are
    (``Séren``: ``Sören`` or ``såren``; never a guess)."""
    low = word.lower()
    misread = [(m.start(), m.end(), "ü") for m in _UMLAUT_READ.finditer(low)]
    misread += [(m.start(), m.end(), "ö") for m in re.finditer(r"(?<=[a-zäöüéè])6(?=[a-zäöüéè])|oé", low)]
    if len(low) < 4 or not (strip_marks(low) != low or misread) or not low.replace("6", "").isalpha():
        return None
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover
        return None
    read = max(zipf_frequency(low, lg) for lg in SWAP_LANGS)
    marked = sorted({m for lg in SWAP_LANGS for ms in LANG_MARKS[lg].values() for m in ms})
    found: dict[str, float] = {}
    edits = [(i, i + 1, m) for i, c in enumerate(low) if strip_marks(c) != c for m in marked if m != c] + misread
    for a, b, m in edits:
        v = low[:a] + m + low[b:]
        f = max(zipf_frequency(v, lg) for lg in SWAP_LANGS)
        if f >= floor and f - read >= gain:
            found[v] = f
    if not found:
        return None
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - 1.0:
        return None
    return _case_as(ranked[0][0], word)
