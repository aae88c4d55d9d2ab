"""Series: one key for the same OCR error wherever it occurs, and a decision carried to its members.

``tbe`` on page 3 and ``tbe,`` on page 9 share a ``series_key``, so a reviewer settles them with
one decision; ``adapt`` gives each member the decided value in its own case and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from ..model import QueueCandidate, field_key
from .decisions import QueueError



def _core(text: str) -> tuple[str, str, str]:
    """Split leading/trailing punctuation off a token: ``'(tbe,'`` → ``('(', 'tbe', ',')``."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    if start == end:  # all punctuation: keep it whole
        return "", text, ""
    return text[:start], text[start:end], text[end:]


def normalise(text: str) -> str:
    """The form series are grouped on: NFKC, case-folded, without surrounding punctuation."""
    return _core(unicodedata.normalize("NFKC", text))[1].casefold()


def series_key(candidate: QueueCandidate, doc_id: str) -> str:
    """Words: normalised OCR text + top suggestion; fields are never grouped across items."""
    if candidate.kind == "field":
        return f"field\x1f{doc_id}\x1f{candidate.field_name}"
    top = normalise(candidate.suggestions[0]) if candidate.suggestions else ""
    return f"word\x1f{normalise(candidate.text)}\x1f{top}"


def plausible_suggestions(text: str, suggestions: Iterable[str]) -> list[str]:
    """Suggestions a reviewer should see: none for a code (``CZ`` is a state code, not a typo of
    ``OZ``), none that drop the inner punctuation of a compound (``and/or`` is not ``indoor``)."""
    core = _core(text)[1]
    if re.fullmatch(r"[A-Z]{2,3}", core):
        return []
    inner = [c for c in core if not c.isalnum() and c not in "'’"]
    out = []
    for s in suggestions:
        if inner and [c for c in _core(s)[1] if not c.isalnum() and c not in "'’"] != inner:
            continue
        out.append(s)
    return out


def word_group(candidate: QueueCandidate) -> str:
    """The word a word candidate stands for, whatever the engine made of it: its lexicon form (the
    top suggestion) when there is one, else its own normalised text. Readings of one document
    with the same group are one item."""
    return normalise(candidate.suggestions[0]) if candidate.suggestions else normalise(candidate.text)


def item_key(candidate: QueueCandidate) -> str:
    if candidate.kind == "field":
        if not candidate.field_name:
            raise QueueError("a field candidate needs field_name")
        return field_key(candidate.field_name)
    if not candidate.word_id:
        raise QueueError("a word candidate needs word_id")
    return candidate.word_id


def _match_case(value: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return value.upper()
    if like[:1].isupper() and not value[:1].isupper():
        return value[:1].upper() + value[1:]
    if like.islower() and value[:1].isupper() and value[1:].islower():
        return value.lower()
    return value


def adapt(value: str, model_text: str, item_text: str) -> str:
    """Carry a series decision made on ``model_text`` over to ``item_text``: same surrounding
    punctuation and capitalisation as the item (``tbe``→``the`` makes ``Tbe,`` → ``The,``)."""
    if model_text == item_text:
        return value
    mpre, mcore, msuf = _core(model_text)
    ipre, icore, isuf = _core(item_text)
    vpre, vcore, vsuf = _core(value)
    pre = ipre if vpre == mpre else vpre
    suf = isuf if vsuf == msuf else vsuf
    return pre + _match_case(vcore, icore) + suf


