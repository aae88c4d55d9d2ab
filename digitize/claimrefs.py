"""Claim references ("according to claim 1", "reivindicaciones 2 a 4"): the one finder.

Structure calls it to record which claims a claim text refers to (``ClaimText.refs``); emit calls
it only to locate, in the same text, the span it renders as ``claim-ref``/``ClaimReference`` for
those numbers. One word list and one pattern, so the two can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Words that introduce a claim reference, in the languages of the profiles we ship; a profile
# adds its own ([structure] claim_reference_words, [emit] claim_ref_words).
WORDS = (
    "claim", "claims", "reivindicación", "reivindicaciones", "reivindicacion", "revendication", "revendications",
    "anspruch", "ansprüche", "ansprüchen", "reivindicação", "reivindicações",
)
# between two numbers of one reference: "1 or 2", "1 to 3", "1-3", "1, 2 y 4", "1 bis 3"
_JOIN = r",|or|and|to|-|–|a|o|y|e|bis|ou|et|oder|und"
_RANGE = ("to", "-", "–", "a", "bis")


@dataclass(frozen=True)
class ClaimRef:
    """One reference: the span of the word and its first number, and every number it names."""

    start: int
    end: int
    numbers: tuple[int, ...]


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    alt = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})[\s,.:]+(\d{{1,3}})\b((?:\s*(?:{_JOIN})\s*\d{{1,3}}\b)*)", re.I)


def find(text: str, words: tuple[str, ...] | list[str] = WORDS) -> list[ClaimRef]:
    """Every claim reference in ``text``, in order; ranges expanded ("1 to 3" → 1, 2, 3)."""
    out = []
    for m in _pattern(tuple(words)).finditer(text or ""):
        nums = [int(m[1])]
        for op, n in re.findall(rf"({_JOIN})\s*(\d{{1,3}})", m[2] or ""):
            n = int(n)
            if op in _RANGE and n > nums[-1] and n - nums[-1] < 50:
                nums += list(range(nums[-1] + 1, n + 1))
            else:
                nums.append(n)
        out.append(ClaimRef(m.start(), m.end(1), tuple(nums)))
    return out


def numbers(text: str, words: tuple[str, ...] | list[str] = WORDS) -> list[int]:
    """The claim numbers ``text`` refers to, each once, in order of appearance."""
    return list(dict.fromkeys(n for ref in find(text, words) for n in ref.numbers))
