"""The data of an ST.37 authority file: entries and the definition part.

Entries are light ``NamedTuple``s (not dataclasses) because a national file holds millions of
them and they are created, sorted, compared and serialised by the million; everything else in
the package is a function of these two classes.

Searchable-text fields (``description``, ``claims``, ``abstract``) use three states:
``None`` = not stated (the element is left out), ``()`` = no machine-searchable text
(``<not-searchable-code code="N"/>``), ``("en", "de")`` = searchable in these ISO 639-1 languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from digitize.numbers import order_key

NOT_SEARCHABLE_CODE = "N"
UPDATE_CATEGORIES = ("full", "incremental", "differential")


REGIONAL_OFFICES = frozenset({"EP", "EA", "AP", "OA", "GC", "EM", "BX"})  # ST.3 codes of regional offices


def claim_kind_of(country: str | None) -> str:
    """ST.36 ``priority-claim kind`` when the source does not say: an earlier application at a
    regional office (EP, EA, AP, OA, GC …) is ``regional``, a PCT one (WO) ``international``."""
    c = (country or "").strip().upper()
    return "international" if c == "WO" else "regional" if c in REGIONAL_OFFICES else "national"


class Priority(NamedTuple):
    country: str | None
    number: str | None
    date: str | None  # YYYYMMDD
    claim_kind: str = "national"  # priority-claim-kind: national | regional | international
    sequence: str | None = None


class Entry(NamedTuple):
    """One ``authority-file-entry``. The first four fields are the mandatory ones."""

    country: str
    number: str
    kind: str
    date: str  # YYYYMMDD
    app_country: str | None = None
    app_number: str | None = None
    filing_date: str | None = None  # YYYYMMDD
    priorities: tuple[Priority, ...] = ()
    exception: str | None = None
    description: tuple[str, ...] | None = None
    claims: tuple[str, ...] | None = None
    abstract: tuple[str, ...] | None = None
    deleted: bool = False  # only in incremental files: this publication is removed

    @property
    def label(self) -> str:
        """How report lines name an entry: ``EP 3439706 A1 20190213``."""
        return " ".join(x or "?" for x in (self.country, self.number, self.kind, self.date))

    @property
    def identity(self) -> tuple[str, str]:
        """A publication is its number and kind (an A1 and its B1 share a number)."""
        return order_key(self.number), self.kind or ""


_NUMBER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9./ -]{0,48}[A-Za-z0-9])?")


def number_problem(number: str | None) -> str | None:
    """Why ``number`` cannot be a publication number, or None. Letters, digits and the
    separators offices print (``/ . - space``), starting and ending with a letter or digit: no
    line breaks, no ``;`` (the CSV separator), nothing a spreadsheet reads as a formula
    (``=HYPERLINK(…)``, ``@SUM(…)``, ``+1``, ``-1``), at most 50 characters."""
    if not number:
        return None  # "missing" is the mandatory-fields rule's
    if _NUMBER.fullmatch(number):
        return None
    shown = number if len(number) <= 40 else number[:40] + "…"
    if number[:1] in "=+-@":
        return f"{shown!r} starts like a spreadsheet formula"
    if any(c in number for c in "\r\n\t"):
        return f"{shown!r} contains a line break or tab"
    if ";" in number:
        return f"{shown!r} contains ';' (the CSV separator)"
    if len(number) > 50:
        return f"{shown!r} is longer than 50 characters"
    return f"{shown!r} has characters other than letters, digits and / . - space"


def normalise_number(number: str, strip_zeros: bool) -> str:
    """ST.37 wants the number as the office publishes it: for an office that prints none (US),
    a digit-only number loses its leading zeros (``08926509`` -> ``8926509``)."""
    if strip_zeros and number.isdigit():
        return number.lstrip("0") or "0"
    return number


def sort_key(e: Entry) -> tuple[str, str, str]:
    """ST.37 order: publication number, then kind, then date."""
    return order_key(e.number), e.kind or "", e.date or ""


@dataclass
class Definition:
    """``authority-file-definition`` plus the root's attributes."""

    country: str
    date_produced: str
    update_category: str = "full"
    grouped: str = "no"
    kind_codes: dict[str, str] = field(default_factory=dict)  # code -> description, used ones
    exception_codes: dict[str, str] = field(default_factory=dict)
    most_recent: tuple[str, str] | None = None  # (publication number, date)
    date_range: tuple[str, str] | None = None  # (start, end)
    number_range: tuple[str, str] | None = None  # (begin, end)
    kind_counts: dict[str, int] = field(default_factory=dict)
    exception_counts: dict[str, int] = field(default_factory=dict)


class Coverage:
    """Accumulates the data-coverage figures over entries streamed in sorted order."""

    def __init__(self) -> None:
        self.total = 0
        self.kind_counts: dict[str, int] = {}
        self.exception_counts: dict[str, int] = {}
        self.first_number: str | None = None
        self.last_number: str | None = None
        self.min_date: str | None = None
        self.max_date: str | None = None
        self.most_recent: tuple[str, str] | None = None

    def add(self, e: Entry) -> None:
        if not e.deleted:
            self.add_fields(e.number, e.kind, e.date, e.exception)

    def add_fields(self, number: str, kind: str, date: str, exception: str | None) -> None:
        self.total += 1
        self.kind_counts[kind] = self.kind_counts.get(kind, 0) + 1
        if exception:
            self.exception_counts[exception] = self.exception_counts.get(exception, 0) + 1
        if self.first_number is None:
            self.first_number = number
        self.last_number = number
        if self.min_date is None or date < self.min_date:
            self.min_date = date
        if self.max_date is None or date >= self.max_date:  # ties: the later in sort order
            self.max_date = date
            self.most_recent = (number, date)

    def fill(self, d: Definition) -> Definition:
        d.kind_counts = dict(sorted(self.kind_counts.items()))
        d.exception_counts = dict(sorted(self.exception_counts.items()))
        if self.total:
            d.most_recent = self.most_recent
            d.date_range = (self.min_date or "", self.max_date or "")
            d.number_range = (self.first_number or "", self.last_number or "")
        else:
            d.most_recent = d.date_range = d.number_range = None
        return d
