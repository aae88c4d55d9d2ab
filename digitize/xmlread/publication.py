"""What a patent XML file says about the publication it is, whatever its format: the identifying
numbers and dates exactly as written (nothing validated, nothing filled in), the priority claims,
and in which languages the description, claims and abstract are present."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .elements import has_text, lang_code, local_name


class PriorityClaim(NamedTuple):
    country: str | None
    number: str | None
    date: str | None  # as written
    kind: str | None  # national / regional / international as the file states it (ST.36 ``kind``, ST.96 category), else None
    sequence: str | None  # as the file numbers it, else the claim's position


@dataclass
class Publication:
    format: str  # "st36", "st96" or "pap": which reader read it
    country: str | None = None
    number: str | None = None
    kind: str | None = None
    date: str | None = None
    app_country: str | None = None
    app_number: str | None = None
    filing_date: str | None = None
    priorities: list[PriorityClaim] = field(default_factory=list)
    # "description" / "claims" / "abstract" -> languages of those parts holding text (empty: none does)
    languages: dict[str, tuple[str, ...]] = field(default_factory=dict)


def languages(root: Any, names: dict[str, str], default_lang: str | None, lang_attr: str) -> dict[str, tuple[str, ...]]:
    """Languages of the text parts present (``names``: local name -> part), each part's own
    ``lang_attr`` else ``default_lang``, in document order."""
    found: dict[str, list[str]] = {f: [] for f in names.values()}
    for el in root.iter():
        part = names.get(local_name(el))
        if part is None or not has_text(el):
            continue
        lang = lang_code(el.get(lang_attr)) or default_lang
        if lang and lang not in found[part]:
            found[part].append(lang)
    return {f: tuple(v) for f, v in found.items()}
