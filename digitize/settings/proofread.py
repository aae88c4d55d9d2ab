"""The ``[proofread]`` and ``[queue]`` profile sections: one model, ``ProofreadSettings``.

Everything a correction rule decides on is here, so an office tunes its confusions, number
patterns and queue threshold in its profile instead of in code. A ``[queue]`` key ``k`` is the
field ``queue_k`` (the stage reads ``settings.queue_threshold``): to add one, add a ``queue_``
field line below.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from .base import Percent, ProfileError, Tuple, short, build, section

DEFAULT_LEXICONS = {
    "en": ("american-english", "patent-en"),
    "es": ("spanish", "patent-es", "american-english", "patent-en"),
}

# Dates and application numbers as printed on patent front pages; a token that matches one of
# these once its letter/digit confusions are undone is corrected (``l4.O2.2019`` → ``14.02.2019``).
DEFAULT_NUMBER_PATTERNS = (
    r"\d{2}\.\d{2}\.\d{4}",  # 14.02.2019 (EP)
    r"\d{1,2}/\d{1,2}/\d{4}",  # 14/02/2019
    r"\d{4}-\d{2}-\d{2}",  # 2019-02-14
    r"\d{4}\.\d{2}\.\d{2}",  # 2019.02.14
    r"\d{8}\.\d",  # 17185386.1 (EP application)
    r"\d{1,2}-\d{4}-\d{6}",  # 1-2019-000123 (PH)
    r"[A-Z]{2}/[a-z]/\d{4}/\d{6}",  # MX/a/2019/001234
    r"\d{4,}",  # a long plain number
)


# What a reviewer may enter for a bibliographic field (``[queue] field_formats``): a regular
# expression the whole value must match, or "date" (any date the structure stage can read; stored
# as ISO). The description is what the review page and the CSV import show when a value is refused.
DEFAULT_FIELD_FORMATS = (
    ("office", r"[A-Z]{2}"),
    ("doc_number", r"[0-9]{1,12}"),
    ("kind", r"[A-Z][0-9]?"),
    ("publication_date", "date"),
    ("filing_date", "date"),
    ("rights_effective_date", "date"),  # (24), (41), (47): dates too, ISO in every output
    ("unexamined_available_date", "date"),
    ("granted_available_date", "date"),
    ("application_number", r"[0-9A-Za-z][0-9A-Za-z./ -]{2,29}"),
)


def _field_formats(value: Any) -> tuple[tuple[str, str], ...]:
    """A profile's ``field_formats`` table replaces the defaults field by field."""
    if isinstance(value, dict):
        for name, pattern in value.items():
            if not isinstance(pattern, str):
                raise ValueError(f"{name} must be a regular expression or \"date\", got {pattern!r}")
            if pattern != "date":
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"{name}: {pattern!r} is not a regular expression: {exc}") from None
        return tuple({**dict(DEFAULT_FIELD_FORMATS), **value}.items())
    return tuple(tuple(pair) for pair in value)


def _names(value: tuple[str, ...]) -> tuple[str, ...]:
    if not all(value):
        raise ValueError(f"must be a list of names or paths, got {list(value)!r}")
    return value


def _confusions(value: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    for pair in value:
        if not (all(len(c) == 1 for c in pair) and pair[1].isdigit() and not pair[0].isdigit()):
            raise ValueError(f"must be [letter, digit] pairs such as [\"O\", \"0\"], got {list(pair)!r}")
    return value


def _patterns(value: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
    return value


Cost = Annotated[float, Field(ge=0, description="an edit cost, 0 or more")]


@section
class ProofreadSettings:
    enabled: bool = True
    # names (american-english, spanish, patent-en, patent-es) or paths; unset: by the profile's lang
    lexicons: Annotated[tuple[str, ...], Tuple, AfterValidator(_names)] = ()
    confusions: Annotated[tuple[Annotated[tuple[str, str], Tuple], ...], Tuple, AfterValidator(_confusions)] = (
        ("O", "0"), ("o", "0"), ("D", "0"), ("l", "1"), ("I", "1"), ("i", "1"), ("|", "1"), ("S", "5"), ("B", "8"),
        ("Z", "2"))
    number_patterns: Annotated[tuple[str, ...], Tuple, AfterValidator(_patterns)] = DEFAULT_NUMBER_PATTERNS
    paragraph_numbers: bool = True  # [O0l2] → [0012]
    dehyphenate: bool = True
    split_joined: bool = True  # "atleast" → "at least"
    join_broken: bool = True  # "speci fic" → "specific" (a broken ligature)
    remove_noise: bool = True  # isolated low-confidence specks ("~", "_")
    noise_confidence: Percent = 45.0
    lexicon_fix: bool = True  # unknown word with one cheap, clear suggestion
    lexicon_max_cost: Cost = 0.6
    lexicon_margin: Cost = 0.3  # the runner-up must cost this much more
    lexicon_below_confidence: Percent = 97.0
    step_references: bool = True  # "$720" → "S720" when the document has S-numbered steps
    # [queue]
    queue_threshold: Annotated[float, Field(ge=0, le=100, description="a Tesseract confidence")] = 75.0
    queue_suggestions: Annotated[int, Field(ge=0, le=20)] = 5
    queue_numbers_below: Percent = 50.0  # tokens with digits are queued only under this confidence
    # an automatic fix its rule is less sure of than this (a listed spelling given its accents,
    # a split, a stray stop, a dear lexicon reading) is applied and asked as well; 0: never asked
    queue_confirm_below: Percent = 82.0
    # a word of one or two letters read under the threshold that is no function word of the
    # page's language (Spanish "i", "fh" for ñ) is asked; False: only unknown words are
    queue_short_words: bool = True
    # a word read below this confidence is asked even when it is a word (``BOLL`` for ``B01L``)
    queue_known_below: Percent = 0.0
    # a word read without diacritics whose marked spelling is this much more common (Zipf; 1.0 is
    # 10x) is asked (``Titulo``, ``AGUERO``), the word itself not a common one (``esta``/``está``:
    # two words); 0: only the spellings a fix would write are asked
    queue_accent_margin: Annotated[float, Field(ge=0, le=5)] = 0.5
    queue_field_formats: Annotated[tuple[tuple[str, str], ...], BeforeValidator(_field_formats)] = DEFAULT_FIELD_FORMATS
    queue_max_length: Annotated[int, Field(ge=1, le=10000)] = 300  # characters of one correction (a line)
    # the document-level quality gate: a document below either figure stays needs-review
    queue_min_mean_confidence: Percent = 80.0  # mean word confidence (Tesseract 0..100)
    queue_min_lexicon_share: Annotated[float, Field(ge=0, le=1)] = 0.5  # alphabetic words (3+ letters) known
    queue_quality_min_words: Annotated[int, Field(ge=0)] = 30  # documents with fewer words are not judged
    # the office memory (digitize/memory.py): its file (relative to the profile's folder; "" none),
    # how many documents confirm a correction before it is applied as auto-memory, and how many
    # accept a word before it is a word of the office's lexicon
    queue_memory: str = ""
    queue_memory_confirmations: Annotated[int, Field(ge=1, le=1000)] = 2
    queue_memory_lexicon_after: Annotated[int, Field(ge=1, le=1000)] = 2


QUEUE = "queue_"


def _keys(queue: bool) -> list[str]:
    return [f.name.removeprefix(QUEUE) for f in dataclasses.fields(ProofreadSettings) if f.name.startswith(QUEUE) == queue]


def from_profile(proofread: Any, queue: Any, where: str, *, lang: str = "en") -> ProofreadSettings:
    """``[proofread]`` and ``[queue]`` of the profile file ``where`` (``file:``); lexicons by ``lang``
    when the profile names none."""
    for name, table in (("proofread", proofread), ("queue", queue)):
        if not isinstance(table, dict):
            raise ProfileError(f"{where} [{name}] must be a table, got {short(table)}")
    for key in proofread:
        if key.startswith(QUEUE):  # a [queue] key spelled into [proofread]
            raise ProfileError(f"{where} [proofread] unknown key {key!r}; allowed: {', '.join(sorted(_keys(False)))}")
    values = {**proofread, **{QUEUE + k: v for k, v in queue.items()}}

    def rename(field: str) -> tuple[str, str]:
        if field.startswith(QUEUE):
            return f"{where} [queue]", field.removeprefix(QUEUE)
        return f"{where} [proofread]", field

    s = build(ProofreadSettings, values, f"{where} [proofread]", rename=rename)
    if "lexicons" not in proofread:
        s = dataclasses.replace(s, lexicons=DEFAULT_LEXICONS.get(lang, DEFAULT_LEXICONS["en"]))
    return s
