"""The ``[proofread]`` and ``[queue]`` profile sections: defaults, types, one-line errors.

Everything a correction rule decides on is here, so an office tunes its confusions, number
patterns and queue threshold in its profile instead of in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from ..profiles import Profile, ProfileError

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
    ("application_number", r"[0-9A-Za-z][0-9A-Za-z./ -]{2,29}"),
)


@dataclass(frozen=True)
class ProofreadSettings:
    enabled: bool = True
    lexicons: tuple[str, ...] = ()  # names (american-english, spanish, patent-en, patent-es) or paths
    confusions: tuple[tuple[str, str], ...] = (("O", "0"), ("o", "0"), ("D", "0"), ("l", "1"), ("I", "1"),
                                               ("i", "1"), ("|", "1"), ("S", "5"), ("B", "8"), ("Z", "2"))
    number_patterns: tuple[str, ...] = DEFAULT_NUMBER_PATTERNS
    paragraph_numbers: bool = True  # [O0l2] → [0012]
    dehyphenate: bool = True
    split_joined: bool = True  # "atleast" → "at least"
    join_broken: bool = True  # "speci fic" → "specific" (a broken ligature)
    remove_noise: bool = True  # isolated low-confidence specks ("~", "_")
    noise_confidence: float = 45.0
    lexicon_fix: bool = True  # unknown word with one cheap, clear suggestion
    lexicon_max_cost: float = 0.6
    lexicon_margin: float = 0.3  # the runner-up must cost this much more
    lexicon_below_confidence: float = 97.0
    step_references: bool = True  # "$720" → "S720" when the document has S-numbered steps
    # [queue]
    queue_threshold: float = 75.0
    queue_suggestions: int = 5
    queue_numbers_below: float = 30.0  # tokens with digits are queued only under this confidence
    queue_field_formats: tuple[tuple[str, str], ...] = DEFAULT_FIELD_FORMATS
    queue_max_length: int = 300  # characters of one correction (a line, at most)
    # the document-level quality gate: a document below either figure stays needs-review
    queue_min_mean_confidence: float = 80.0  # mean word confidence (Tesseract 0..100)
    queue_min_lexicon_share: float = 0.5  # share of alphabetic words (3+ letters) the lexicon knows
    queue_quality_min_words: int = 30  # documents with fewer words are not judged


_PROOFREAD_KEYS: dict[str, type | tuple[type, ...]] = {
    "enabled": bool, "lexicons": list, "confusions": list, "number_patterns": list, "paragraph_numbers": bool,
    "dehyphenate": bool, "split_joined": bool, "join_broken": bool, "remove_noise": bool,
    "noise_confidence": (int, float), "lexicon_fix": bool, "lexicon_max_cost": (int, float),
    "lexicon_margin": (int, float), "lexicon_below_confidence": (int, float), "step_references": bool,
}
_QUEUE_KEYS: dict[str, type | tuple[type, ...]] = {
    "threshold": (int, float), "suggestions": int, "numbers_below": (int, float),
    "field_formats": dict, "max_length": int, "min_mean_confidence": (int, float),
    "min_lexicon_share": (int, float), "quality_min_words": int,
}


def _check(section: dict[str, Any], where: str, keys: dict[str, Any]) -> None:
    from ..profiles import check_table

    check_table(section, where, keys)


def validate(section: dict[str, Any], where: str) -> None:
    """``[proofread]``: raise ProfileError naming the file and key."""
    _check(section, where, _PROOFREAD_KEYS)
    for name in section.get("lexicons", []):
        if not isinstance(name, str) or not name:
            raise ProfileError(f"{where} lexicons must be a list of names or paths, got {name!r}")
    for pair in section.get("confusions", []):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(c, str) and len(c) == 1 for c in pair)
                and pair[1].isdigit() and not pair[0].isdigit()):
            raise ProfileError(f"{where} confusions must be [letter, digit] pairs such as [\"O\", \"0\"], got {pair!r}")
    for pattern in section.get("number_patterns", []):
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise ProfileError(f"{where} number_patterns: {pattern!r} is not a regular expression: {exc}") from None
    for key in ("noise_confidence", "lexicon_below_confidence"):
        if key in section and not 0 <= section[key] <= 100:
            raise ProfileError(f"{where} {key} must be between 0 and 100")


def validate_queue(section: dict[str, Any], where: str) -> None:
    """``[queue]``."""
    _check(section, where, _QUEUE_KEYS)
    if "threshold" in section and not 0 <= section["threshold"] <= 100:
        raise ProfileError(f"{where} threshold must be between 0 and 100 (Tesseract confidence)")
    if "suggestions" in section and not 0 <= section["suggestions"] <= 20:
        raise ProfileError(f"{where} suggestions must be between 0 and 20")
    for name, pattern in section.get("field_formats", {}).items():
        if not isinstance(pattern, str):
            raise ProfileError(f"{where} field_formats.{name} must be a regular expression or \"date\"")
        if pattern != "date":
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ProfileError(f"{where} field_formats.{name}: {pattern!r} is not a regular expression: {exc}") from None
    if "max_length" in section and not 1 <= section["max_length"] <= 10000:
        raise ProfileError(f"{where} max_length must be between 1 and 10000")
    if "min_mean_confidence" in section and not 0 <= section["min_mean_confidence"] <= 100:
        raise ProfileError(f"{where} min_mean_confidence must be between 0 and 100")
    if "min_lexicon_share" in section and not 0 <= section["min_lexicon_share"] <= 1:
        raise ProfileError(f"{where} min_lexicon_share must be between 0 and 1")


def settings(profile: Profile) -> ProofreadSettings:
    """The profile's proofreading settings (validated again here: ``[queue]`` has no core hook)."""
    where = str(profile.path or profile.name)
    pr, qu = profile.section("proofread"), profile.section("queue")
    validate(pr, f"{where}: [proofread]")
    validate_queue(qu, f"{where}: [queue]")
    values: dict[str, Any] = {}
    names = {f.name for f in fields(ProofreadSettings)}
    for key, value in pr.items():
        if key in names:
            values[key] = value
    if "lexicons" in values:
        values["lexicons"] = tuple(values["lexicons"])
    else:
        values["lexicons"] = DEFAULT_LEXICONS.get(profile.lang, DEFAULT_LEXICONS["en"])
    if "confusions" in values:
        values["confusions"] = tuple(tuple(p) for p in values["confusions"])
    if "number_patterns" in values:
        values["number_patterns"] = tuple(values["number_patterns"])
    for key, value in qu.items():
        values[f"queue_{key}"] = value
    if "queue_field_formats" in values:  # the profile's formats replace the defaults field by field
        values["queue_field_formats"] = tuple({**dict(DEFAULT_FIELD_FORMATS), **values["queue_field_formats"]}.items())
    return ProofreadSettings(**values)
