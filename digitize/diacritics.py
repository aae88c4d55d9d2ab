"""Diacritics of the languages in scope: one owner for taking marks off a word and for the marks
a Spanish letter may carry. Both the proofreader (``proofread.forms``, ``proofread.rules``) and
the front-page reader (``structure.accents``) need them, and sibling stages may not import each
other, so they live here, below both."""

from __future__ import annotations

import unicodedata

# letter -> the marked letters an engine may have read it for, or lost (Spanish)
MARKS = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "úü", "n": "ñ"}

# letters each language writes with a mark, per bare letter (for names read without one)
LANG_MARKS = {
    "es": {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "úü", "n": "ñ"},
    "de": {"a": "ä", "o": "ö", "u": "ü"},
    "sv": {"a": "åä", "o": "ö"},
    "fr": {"a": "àâ", "e": "éèê", "i": "î", "o": "ô", "u": "ù", "c": "ç"},
}

def strip_marks(word: str) -> str:
    """``cigüeñal`` → ``ciguenal``: every combining mark removed (NFD, then the marks dropped)."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
