"""The lexicon's candidate search compares only the words whose letters could be near enough
(``Lexicon._nearest``): it must find exactly what comparing every word of the length band finds,
in the same order (issue 30, stop 35: the search was ~0.05 s a doubtful word)."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from digitize.proofread import lexicon as lx
from digitize.proofread.lexicon import Lexicon, fold


def _every_word(lexicon: Lexicon, target: str) -> list[tuple[str, float]]:
    pool = [w for n in range(max(1, len(target) - 2), len(target) + 3) for w in lexicon._by_length.get(n, ())]
    cutoff = 2 if len(target) > 3 else 1
    found = process.extract(target, pool, scorer=Levenshtein.distance, score_cutoff=cutoff, limit=60)
    return [(c, d) for c, d, _ in found]


@pytest.fixture(scope="module")
def spanish():
    lexicon = lx.load(("spanish", "patent-es", "american-english", "patent-en"))
    if len(lexicon) < 1000:
        pytest.skip("the Debian word lists are not installed")
    return lexicon


def test_the_letter_filter_keeps_every_near_word_in_order(spanish):
    rng = random.Random(35)
    words = sorted(spanish.counts)
    targets = ["supenor", "fabncación", "contempia", "moideo", "c1aim", "desagúe", "ia", "ios", "el", "xq",
               "jennguillas", "propilengiicol", "anfifilico"]
    for w in rng.sample(words, 60):  # a letter dropped, doubled or changed, in words of the list
        i = rng.randrange(len(w))
        targets += [w[:i] + w[i + 1:], w[:i] + w[i] + w[i:], w[:i] + "e" + w[i + 1:]]
    for t in targets:
        target = fold(t)
        assert spanish._nearest(target) == _every_word(spanish, target), t


def test_a_small_lexicon_with_shared_bits():
    """Letters 64 code points apart share a bit (``a`` and ``á``): the filter keeps too much, never
    too little."""
    lexicon = Lexicon({"cana": 1, "caña": 1, "cama": 1, "casa": 1, "tapa": 1, "capa": 3, "á": 1})
    for t in ("cana", "cáña", "capas", "ca", "zzzz"):
        assert lexicon._nearest(t) == _every_word(lexicon, t), t
