"""Word forms of a language: is this inflected word a word, and how common is it?

Debian's word lists hold lemmas (``lateral``, ``montar``), not the forms a text uses
(``laterales``, ``montarse``, ``colocada``), so a proofreader that knows only them splits and
"corrects" valid words. This module answers with two kinds of evidence:

* a full-form frequency list (``wordfreq``'s large list, from subtitles, Wikipedia, books and the
  web): every form of the language that is commonly written, with its Zipf frequency;
* inflection rules over the lexicon's lemmas, for forms too rare for that list (``alambrarse`` =
  ``alambrar`` + ``se``; ``-es``/``-s`` plurals; ``-ed``/``-ing``).

The full-form list also holds common misspellings (``tambien``, ``camara``: accents dropped on the
web), so a form never blocks a fix that only restores diacritics to a much more common spelling
(``dominant_accented``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..diacritics import MARKS, strip_marks

if TYPE_CHECKING:
    from .lexicon import Lexicon

MIN_ZIPF = 1.5  # rarer entries of the list are mostly noise (typos, foreign words, names)
ACCENT_MARGIN = 1.0  # an accented spelling this much more common (Zipf: 10x) is the right one; closer
# pairs are two real words (afectaran/afectarán 0.5, término 0.6, cálculo 0.8, más 0.8)

_UNMARKED = {m: base for base, marked in MARKS.items() for m in marked}  # á -> a, ü -> u, ñ -> n
ES_CLITICS = ("selas", "selos", "sela", "selo", "nos", "los", "las", "les", "se", "lo", "la", "le", "me", "te")


class Table:
    """Words with a small number each, packed by length into one sorted string (and the numbers
    into bytes), a fraction of a dict's memory (a thread pool's process holds one); a lookup is a binary search over fixed-width slices."""

    def __init__(self, items: dict[str, int] | None = None) -> None:
        by_len: dict[int, list[tuple[str, int]]] = {}
        for word, value in sorted((items or {}).items()):
            by_len.setdefault(len(word), []).append((word, value))
        self._rows = {n: ("".join(w for w, _ in rows), bytes(v for _, v in rows)) for n, rows in by_len.items()}
        self._len = sum(len(rows) for rows in by_len.values())

    def __len__(self) -> int:
        return self._len

    def get(self, word: str, default: int = 0) -> int:
        row = self._rows.get(len(word))
        if row is None:
            return default
        text, values = row
        n = len(word)
        lo, hi = 0, len(values)
        while lo < hi:
            mid = (lo + hi) // 2
            cur = text[mid * n:(mid + 1) * n]
            if cur < word:
                lo = mid + 1
            elif cur > word:
                hi = mid
            else:
                return values[mid]
        return default

    def __contains__(self, word: str) -> bool:
        return self.get(word, -1) >= 0


@dataclass(frozen=True)
class Forms:
    """Folded forms of one language with their Zipf frequency x10."""

    lang: str = ""
    zipf10: Table = field(default_factory=Table)
    _dominant: dict = field(default_factory=dict, repr=False, compare=False)  # dominant_accented's answers

    def zipf(self, word: str) -> float:
        return self.zipf10.get(word.casefold(), 0) / 10

    def listed(self, word: str) -> bool:
        return word.casefold() in self.zipf10

    def is_word(self, word: str, lexicon: Lexicon | None = None) -> bool:
        """A form of the language: listed, known to the lexicon, or an inflection of a lemma."""
        w = word.casefold()
        if not w or not w.isalpha():
            return False
        if w in self.zipf10 or (lexicon is not None and lexicon.known(w)):
            return True
        return lexicon is not None and any(lexicon.known(stem) or stem in self.zipf10 for stem in _lemmas(w, self.lang))

    def dominant_accented(self, word: str) -> str | None:
        """The spelling with diacritics that is far more common than ``word`` as written
        (``tambien`` → ``también``, ``desagúe`` → ``desagüe``), else None."""
        w = word.casefold()
        if w in self._dominant:
            return self._dominant[w]
        if len(self._dominant) > 50_000:
            self._dominant.clear()
        answer = self._dominant[w] = self._dominant_accented(w)
        return answer

    def likelier_accented(self, word: str, margin: float) -> str | None:
        """The spelling with diacritics more common than ``word`` by ``margin`` (Zipf) and than
        every other such spelling: what a question may offer (``titulo`` → ``título``, 0.9 apart),
        where ``dominant_accented`` (10x) is what a fix may write."""
        return self._dominant_accented(word.casefold(), margin)

    def _dominant_accented(self, w: str, margin: float = ACCENT_MARGIN) -> str | None:
        here = self.zipf10.get(w, 0)
        best, best_z, second = None, 0, 0
        marks = _marks(w)
        for cand in accent_variants(w, limit=1):  # one mark lost or misread (ñ with an accent: rare)
            if _marks(cand) <= marks:
                continue  # only diacritics added: éste stays éste, creó stays creó
            z = self.zipf10.get(cand, 0)
            if z > best_z:
                best, best_z, second = cand, z, best_z
            elif z > second:
                second = z
        if best is None or best_z < here + margin * 10 or best_z < second + margin * 10:
            return None
        return best


@dataclass(frozen=True)
class Vocabulary:
    """The words of a profile's language: its lexicon (lemmas, patent vocabulary) and the forms
    of the language. What the quality gate counts as "known" (the harm guard keeps to the lexicon:
    forms would count a German page's words known to an English profile)."""

    lexicon: Lexicon
    forms: Forms

    def known(self, word: str) -> bool:
        return self.lexicon.known(word) or self.forms.is_word(word, self.lexicon)


def _marks(word: str) -> int:
    return sum(c != b for c, b in zip(word, strip_marks(word)))


def _lemmas(w: str, lang: str) -> list[str]:
    """Stems an inflected form may come from (the caller checks them against a lexicon)."""
    out: list[str] = []
    if lang == "es":
        for clitic in ES_CLITICS:
            if w.endswith(clitic) and len(w) > len(clitic) + 3:
                base = strip_marks(w[: -len(clitic)])
                if base.endswith(("ar", "er", "ir", "ando", "iendo", "ad", "id")):
                    out.append(base)
        if w.endswith("es") and len(w) > 4:
            stem = w[:-2]
            out += [stem, _accent_last_vowel(stem)]
        if w.endswith("s") and len(w) > 3:
            out.append(w[:-1])
        for ending, verb in (("ados", "ar"), ("adas", "ar"), ("ado", "ar"), ("ada", "ar"), ("idos", "er"),
                             ("idas", "er"), ("ido", "er"), ("ida", "er")):
            if w.endswith(ending) and len(w) > len(ending) + 2:
                out.append(w[: -len(ending)] + verb)
                if verb == "er":
                    out.append(w[: -len(ending)] + "ir")
                break
    elif lang == "en":
        for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                             ("ing", ""), ("ing", "e"), ("ers", ""), ("er", ""), ("ly", "")):
            if w.endswith(suffix) and len(w) > len(suffix) + 2:
                stem = w[: -len(suffix)] + repl
                out.append(stem)
                if suffix in ("ed", "ing") and len(stem) > 3 and stem[-1] == stem[-2]:
                    out.append(stem[:-1])  # stopped, running
    return out


def _accent_last_vowel(stem: str) -> str:
    """``camion`` → ``camión`` (camiones → camión: the plural drops the written accent)."""
    for k in range(len(stem) - 1, -1, -1):
        if stem[k] in "aeiou":
            return stem[:k] + MARKS[stem[k]][0] + stem[k + 1:]
    return stem


# letter groups an engine reads for a Spanish marked letter: ü as ``ii``, ``ti`` or (after g) ``i``,
# ñ as ``fi`` or ``f`` (a mark lost, ``u`` for ü, ``n`` for ñ, is ``accent_variants``)
MARKED_READINGS = (("ii", "ü"), ("ti", "ü"), ("gi", "gü"), ("fi", "ñ"), ("f", "ñ"))


def marked_letter_variants(word: str, limit: int = 2) -> set[str]:
    """Spellings of ``word`` with up to ``limit`` of its letter groups read back as the marked
    letter they stand for (``cigiiefal`` → ``cigüeñal``, ``desagiie`` → ``desagüe``)."""
    out: set[str] = set()
    frontier = {word}
    for _ in range(limit):
        found = set()
        for w in frontier:
            for wrong, right in MARKED_READINGS:
                i = w.find(wrong)
                while i != -1:
                    found.add(w[:i] + right + w[i + len(wrong):])
                    i = w.find(wrong, i + 1)
        out |= found
        frontier = found
    return out


def accent_variants(word: str, limit: int = 2) -> set[str]:
    """Spellings of ``word`` with up to ``limit`` vowels (and n) given or relieved of their
    diacritics: the confusions an engine makes on Spanish (``desagúe``/``desagüe``, ``nino``/``niño``)."""
    options = []
    for c in word:
        base = _UNMARKED.get(c, c)
        alts = {base, *MARKS[base]} if base in MARKS else {c}
        options.append(sorted(alts - {c}))
    out: set[str] = set()

    def walk(i: int, chars: list[str], changed: int) -> None:
        if i == len(word):
            if changed:
                out.add("".join(chars))
            return
        walk(i + 1, chars + [word[i]], changed)
        if changed < limit:
            for alt in options[i]:
                walk(i + 1, chars + [alt], changed + 1)

    if len(word) <= 24:
        walk(0, [], 0)
    return out


@lru_cache(maxsize=4)
def load(lang: str) -> Forms:
    """The forms of ``lang`` (``es``, ``en``), once per process; empty for other languages. Read
    straight from the package's data file (``wordfreq``'s own loader keeps the whole list, every
    rare entry included, cached for the life of the process: +70 MB)."""
    if lang not in ("es", "en"):
        return Forms(lang)
    return _read(lang)


@lru_cache(maxsize=2)
def spellings(lang: str) -> Forms:
    """The full-form list of any language ``wordfreq`` has (``de``: how a German address is
    spelt), read only when asked; ``load`` keeps a profile's forms to the languages whose
    inflection rules are here. Empty when the list is missing."""
    from importlib.resources import files

    if lang in ("es", "en"):
        return load(lang)
    if not (files("wordfreq") / "data" / f"large_{lang}.msgpack.gz").is_file():
        return Forms(lang)
    return _read(lang)


def _read(lang: str) -> Forms:
    import gzip
    from importlib.resources import files

    import msgpack

    path = files("wordfreq") / "data" / f"large_{lang}.msgpack.gz"
    table: dict[str, int] = {}
    with gzip.open(str(path), "rb") as fh:  # streamed: the rare tail is never held
        unpacker = msgpack.Unpacker(fh, raw=False)
        buckets = unpacker.read_array_header() - 1
        unpacker.skip()  # the header: {"format": "cB", "version": 1}
        for k in range(buckets):  # bucket k: frequency 10 ** (-k / 100), i.e. Zipf 9 - k / 100
            z = 9 - k / 100
            if z < MIN_ZIPF:
                break
            value = int(round(z * 10))
            for word in unpacker.unpack():
                if word.isalpha():
                    table[unicodedata.normalize("NFC", word)] = value
    return Forms(lang, Table(table))
