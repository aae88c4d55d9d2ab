"""Lexicons: which words are known, how common they are, and what an unknown word may have been.

A lexicon merges general word lists (Debian ``wamerican``/``wspanish``) with a patent vocabulary
counted from real patent XML (``digitize lexicon build``), because patents are full of words no
dictionary has ("pipetting", "nonvolatile") and because counts let the word splitter and the
suggestions prefer the common reading. Lexicons are loaded once per process.

Suggestions come from rapidfuzz (Levenshtein over the words of similar length) re-ranked by OCR
confusion costs on rapidfuzz's edit operations: ``c1aim``→``claim`` (1/l) costs less than
``clair``→``claim``, and multi-character confusions (``rn``/``m``, a lost ``fi`` ligature) are
tried explicitly.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..diacritics import strip_marks

DATA_DIR = Path(__file__).resolve().parent / "data"
WORDLISTS = {
    "american-english": Path("/usr/share/dict/american-english"),
    "british-english": Path("/usr/share/dict/british-english"),
    "spanish": Path("/usr/share/dict/spanish"),
}
PATENT_VOCABULARIES = {
    # counted from USPTO full-text grants, plus a short hand-kept list of patent words
    "patent-en": (DATA_DIR / "patent-en.tsv.gz", DATA_DIR / "patent-terms-en.txt"),
    "patent-es": (DATA_DIR / "patent-es.tsv.gz",),  # counted from an OEPM/EPO Spanish full text
}

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# Cheap single-character OCR confusions (either direction), cost < 1 (a plain edit costs 1).
CONFUSION_COST: dict[tuple[str, str], float] = {}
for _a, _b, _c in [
    ("l", "1", 0.3), ("I", "1", 0.3), ("l", "I", 0.3), ("i", "l", 0.4), ("i", "1", 0.4), ("l", "!", 0.3),
    ("I", "!", 0.3), ("i", "!", 0.4), ("O", "0", 0.3), ("o", "0", 0.3), ("o", "O", 0.4), ("S", "5", 0.4),
    ("s", "5", 0.5), ("B", "8", 0.4), ("Z", "2", 0.5), ("z", "2", 0.5), ("G", "6", 0.5), ("g", "9", 0.5),
    ("q", "9", 0.5), ("e", "c", 0.5), ("e", "o", 0.6), ("a", "o", 0.6), ("a", "e", 0.6), ("n", "u", 0.6),
    ("h", "b", 0.5), ("t", "f", 0.5), ("f", "t", 0.5), ("r", "t", 0.6), ("c", "o", 0.6), ("u", "v", 0.6),
    ("y", "v", 0.6), ("j", "i", 0.5), ("t", "l", 0.5), ("S", "$", 0.3), ("s", "$", 0.5), ("l", "|", 0.3), ("I", "|", 0.3),
    ("é", "e", 0.3), ("è", "e", 0.4), ("á", "a", 0.4), ("í", "i", 0.4), ("ó", "o", 0.4), ("ú", "u", 0.4),
    ("ñ", "n", 0.4), ("ó", "6", 0.3), ("ó", "0", 0.3), ("a", "@", 0.3), ("c", "¢", 0.4), ("e", "€", 0.4),
]:
    CONFUSION_COST[(_a, _b)] = CONFUSION_COST[(_b, _a)] = _c
CASE_COST = 0.2
PROPER_COST = 0.3  # a name or acronym suggested for a lowercase word
COMMON_BONUS, COMMON_BONUS_MAX = 0.08, 0.3  # same letter, other case
INSERT_DELETE_COST = {".": 0.5, ",": 0.5, "'": 0.5, "i": 0.6, "l": 0.7, "-": 0.6}
PLAIN_EDIT_COST = 1.0  # any other substitution, insertion or deletion
# digits and symbols the engine reads for letters: undone everywhere at once (``_multi_variants``)
READ_AS_LETTER = {"1": "l", "0": "o", "5": "s", "6": "ó", "8": "b", "!": "l", "|": "l", "$": "s", "@": "a"}

# Multi-character confusions (OCR text → intended text), tried before generic edits.
MULTI_CONFUSIONS = [
    ("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("vv", "w"), ("w", "vv"), ("li", "h"), ("h", "li"),
    ("ii", "u"), ("nn", "m"), ("ri", "n"), ("n", "ri"), ("m", "in"), ("fl", "fi"), ("fi", "fl"), ("f", "fi"), ("f", "fl"), ("tl", "ti"),
    ("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬀ", "ff"), ("ﬃ", "ffi"), ("ﬄ", "ffl"), ("rnm", "mm"), ("iii", "m"),
]
MULTI_COST = 0.4
LIGATURE_COST = 0.3  # a lost fi/fl ligature ("fle" for "file") is the commonest of them


def fold(word: str) -> str:
    """Lookup form: NFKC (splits ligatures), case-folded, curly apostrophe straightened."""
    return unicodedata.normalize("NFKC", word).replace("’", "'").casefold()


@dataclass
class Lexicon:
    """Known words (folded) with counts; ``total`` is the sum of counts for probabilities."""

    counts: dict[str, int] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    proper: frozenset[str] = frozenset()  # listed only capitalised (names, acronyms)

    def __post_init__(self) -> None:
        self.total = sum(self.counts.values()) or 1
        self._by_length: dict[int, list[str]] = {}
        for word in self.counts:
            self._by_length.setdefault(len(word), []).append(word)
        self._masks: dict[int, np.ndarray] = {}  # length -> each word's letter mask (``_letter_mask``)
        self._near: dict[str, list[tuple[str, float]]] = {}  # folded word -> its nearest words (``_nearest``)
        self._ranked: dict[tuple[str, int, float], list[tuple[str, float, float]]] = {}

    def __len__(self) -> int:
        return len(self.counts)

    def __contains__(self, word: str) -> bool:
        return self.known(word)

    def known(self, word: str) -> bool:
        """True for a listed word, also capitalised, possessive (``device's``) or plural ``-s``."""
        w = fold(word)
        if not w:
            return False
        if w in self.counts:
            return True
        if w.endswith("'s") and w[:-2] in self.counts:
            return True
        if len(w) > 4 and w.endswith("es") and w[:-2] in self.counts and w[-3] in "hsxz" and w[:-2].isascii():
            return True  # attaches, boxes: English inflections word lists leave out
        if "-" in w:
            parts = [p for p in w.split("-") if p]
            return bool(parts) and all(p in self.counts for p in parts)
        return False

    def count(self, word: str) -> int:
        return self.counts.get(fold(word), 0)

    def suggest(self, word: str, limit: int = 5, max_cost: float = 2.0) -> list[tuple[str, float]]:
        """Ranked ``(suggestion, cost)`` for an unknown letter word, cheapest first, in the case
        pattern of ``word``. Cost sums OCR confusion costs; ties go to the more common word."""
        return [(match_case(w, word), c) for w, c, _ in self.ranked(word, limit, max_cost)]

    def ranked(self, word: str, limit: int = 5, max_cost: float = 2.0) -> list[tuple[str, float, float]]:
        """``(folded suggestion, ranking score, raw confusion cost)``, best first. Remembered per
        word: a document repeats its unknown words (names, terms), and a search costs ~6 ms."""
        if not word:
            return []
        key = (word, limit, max_cost)
        hit = self._ranked.get(key)
        if hit is None:
            if len(self._ranked) >= 20000:
                self._ranked.clear()
            hit = self._ranked[key] = self._rank(word, limit, max_cost)
        return list(hit)

    def _rank(self, word: str, limit: int, max_cost: float) -> list[tuple[str, float, float]]:
        found: dict[str, float] = {}
        for variant, cost in _multi_variants(word):
            if self.known(variant):
                found[fold(variant)] = min(found.get(fold(variant), 9.0), cost)
        target = fold(word)
        for cand, dist in self._nearest(target):
            cost = confusion_cost(word, cand)
            if cost <= max_cost:
                found[cand] = min(found.get(cand, 9.0), cost)
        found.pop(target, None)
        lower = word[:1].islower()
        scored = [(w, round(c + (PROPER_COST if lower and w in self.proper else 0.0) - self._common(w), 3), c)
                  for w, c in found.items()]
        scored.sort(key=lambda t: (t[1], -self.counts.get(t[0], 0), t[0]))
        return [t for t in scored if t[1] <= max_cost][:limit]

    def _nearest(self, target: str) -> list[tuple[str, float]]:
        """The 60 words nearest ``target`` by Levenshtein distance (at most 2; 1 for a word of three
        letters or fewer) among the words of its length +-2, in the order of ``_by_length``:
        the same for every ``ranked`` call of one word, so worked out once per word. Only the words
        whose letters could be within that distance are compared (``_letter_mask``): a word
        differs from a word ``k`` edits away in at most ``k`` kinds of letter each way, so the
        filter drops no word the full comparison would keep, and keeps the order (its ties)."""
        hit = self._near.get(target)
        if hit is not None:
            return hit
        if len(self._near) >= 20000:
            self._near.clear()
        cutoff = 2 if len(target) > 3 else 1
        mine = np.uint64(_letter_mask(target))
        pool: list[str] = []
        for n in range(max(1, len(target) - 2), len(target) + 3):
            words = self._by_length.get(n)
            if not words:
                continue
            masks = self._masks.get(n)
            if masks is None:
                masks = self._masks[n] = np.fromiter((_letter_mask(w) for w in words), dtype=np.uint64,
                                                     count=len(words))
            near = (np.bitwise_count(masks & ~mine) <= cutoff) & (np.bitwise_count(mine & ~masks) <= cutoff)
            pool += [words[i] for i in np.flatnonzero(near)]
        hit = self._near[target] = [(cand, dist) for cand, dist, _ in process.extract(
            target, pool, scorer=Levenshtein.distance, score_cutoff=cutoff, limit=60)]
        return hit

    def _common(self, word: str) -> float:
        """A small bonus for words the patent vocabulary has seen often (``the`` over ``tba``)."""
        return min(COMMON_BONUS_MAX, COMMON_BONUS * math.log10(1 + self.counts.get(word, 0) - 1)) if self.counts.get(word, 0) > 1 else 0.0


def _letter_mask(word: str) -> int:
    """The kinds of letter in ``word`` as bits of 64 (two letters may share a bit: the mask then
    tells fewer kinds apart, never more, so a comparison of masks only ever keeps too much)."""
    mask = 0
    for c in word:
        mask |= 1 << (ord(c) & 63)
    return mask


def confusion_cost(ocr: str, intended: str) -> float:
    """Edit cost from ``ocr`` to ``intended`` (case-insensitive letters), weighting each of
    rapidfuzz's edit operations by how often OCR makes that confusion."""
    a, b = unicodedata.normalize("NFC", ocr), unicodedata.normalize("NFC", intended)
    total = 0.0
    for op in Levenshtein.editops(a.lower(), b.lower()):
        if op.tag == "replace":
            x, y = a[op.src_pos], b[op.dest_pos]
            total += _sub_cost(x, y)
        elif op.tag == "delete":
            total += INSERT_DELETE_COST.get(a[op.src_pos], PLAIN_EDIT_COST)
        else:
            total += INSERT_DELETE_COST.get(b[op.dest_pos], PLAIN_EDIT_COST)
    return total


def _sub_cost(x: str, y: str) -> float:
    if x.lower() == y.lower():
        return CASE_COST
    return min(CONFUSION_COST.get((x, y), PLAIN_EDIT_COST), CONFUSION_COST.get((x.lower(), y.lower()), PLAIN_EDIT_COST))


def _multi_variants(word: str) -> Iterable[tuple[str, float]]:
    """Variants of ``word`` with one multi-character confusion undone, and single-character
    confusions (digits and symbols standing for letters) undone everywhere at once."""
    for wrong, right in MULTI_CONFUSIONS:
        start = word.find(wrong)
        while start != -1:
            yield word[:start] + right + word[start + len(wrong):], LIGATURE_COST if wrong == "f" else MULTI_COST
            start = word.find(wrong, start + 1)
    table = READ_AS_LETTER
    if any(c in table for c in word):
        letters = "".join(table.get(c, c) for c in word)
        yield letters, 0.3 * sum(c in table for c in word)
        yield letters.replace("l", "i"), 0.4 * sum(c in table for c in word) + 0.2
    plain = strip_marks(word)
    if plain != word:
        yield plain, 0.3


def match_case(suggestion: str, like: str) -> str:
    """``the`` in the case pattern of ``Tbe``/``TBE``/``tbe``."""
    letters = [c for c in like if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return suggestion.upper()
    if letters and letters[0].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


# --------------------------------------------------------------------------- loading


def read_wordlist(path: Path) -> tuple[Counter, set[str]]:
    """One word a line (Debian word lists); each counts once. Also returns the words listed only
    capitalised (``Conroe``, ``TBA``): poor suggestions for a lowercase word."""
    counts: Counter = Counter()
    lower: set[str] = set()
    capital: set[str] = set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            raw = line.strip()
            w = fold(raw)
            if w:
                counts[w] = 1
                (capital if raw[:1].isupper() else lower).add(w)
    return counts, capital - lower


def read_vocabulary(path: Path) -> Counter:
    """``word<TAB>count`` lines, optionally gzipped (what ``digitize lexicon build`` writes)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    counts: Counter = Counter()
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        for line in fh:
            word, _, n = line.rstrip("\n").partition("\t")
            if word and not word.startswith("#"):
                counts[fold(word)] += int(n or 1)
    return counts


def resolve(name: str, base: Path | None = None) -> list[Path]:
    """A lexicon name (``american-english``, ``spanish``, ``patent-en``, ``patent-es``) or a file path."""
    if name in WORDLISTS:
        return [WORDLISTS[name]]
    if name in PATENT_VOCABULARIES:
        return list(PATENT_VOCABULARIES[name])
    path = Path(name).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return [path]


DOMAIN_TERMS = DATA_DIR / "domain-terms-en.txt"


@lru_cache(maxsize=1)
def protected(path: Path = DOMAIN_TERMS) -> frozenset[str]:
    """Folded domain vocabulary no correction may change (a word per line, ``#`` comments):
    coined technical terms a general dictionary lacks and whose parts it knows (switchgear)."""
    if not path.is_file():
        return frozenset()
    words = (ln.split("#", 1)[0].strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return frozenset(fold(w) for w in words if w)


@lru_cache(maxsize=8)
def load(names: tuple[str, ...], base: str | None = None) -> Lexicon:
    """The merged lexicon for these names, once per process. Missing word lists are skipped
    (a machine without ``wamerican`` still works, with more words queued)."""
    counts: Counter = Counter()
    proper: set[str] = set()
    vocabulary: set[str] = set()
    used = []
    for name in names:
        for path in resolve(name, Path(base) if base else None):
            if not path.is_file():
                continue
            if path.name.endswith((".tsv", ".tsv.gz")):
                part = read_vocabulary(path)
                vocabulary.update(part)
            else:
                part, capital = read_wordlist(path)
                proper.update(capital)
            counts.update(part)
            if name not in used:
                used.append(name)
    return Lexicon(dict(counts), tuple(used), frozenset(proper - vocabulary))


# --------------------------------------------------------------------------- building


def count_xml_words(paths: Iterable[Path]) -> Counter:
    """Word counts over the text of patent XML files (any schema: all text nodes), parsed
    through ``xmlsafe`` (leniently: ``recover``). A file that declares entities is refused:
    ``UnsafeXML`` naming it, nothing counted."""
    from .. import xmlsafe

    counts: Counter = Counter()
    for path in paths:
        try:
            tree = xmlsafe.parse(path, recover=True, huge_tree=True)
        except xmlsafe.UnsafeXML as exc:
            raise xmlsafe.UnsafeXML(f"{path}: {exc}") from None
        for text in tree.getroot().itertext():
            for m in WORD_RE.finditer(text):
                w = fold(m.group())
                if len(w) > 1 or w in ("a", "y", "o", "e", "i"):
                    counts[w] += 1
    return counts


def write_vocabulary(counts: Counter, out: Path, min_count: int = 1, sources: Iterable[str] = ()) -> int:
    """Write ``word<TAB>count`` sorted by count (gzip when ``out`` ends in .gz), atomically."""
    from ..fsutil import atomic_write

    lines = [f"# patent vocabulary built by 'digitize lexicon build' from: {', '.join(sources)}"]
    kept = [(w, n) for w, n in counts.items() if n >= min_count]
    kept.sort(key=lambda kv: (-kv[1], kv[0]))
    lines += [f"{w}\t{n}" for w, n in kept]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if str(out).endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    atomic_write(out, data)
    return len(kept)
