"""Dates: how a typed or stored date is read, which years are believable, and the fixed clock.

Three readers, each for one kind of input: ``ymd`` for a date a file stores (``YYYYMMDD`` or
``YYYY-MM-DD``: registers, authority files), written back as ISO (``iso``) or compact
(``compact``, ST.37); ``written`` for a date a person typed or a template takes, in given formats
and between ``YEARS``; ``plausible`` for a date read from a printed page. Dates in free OCR
text are found by ``structure.normalize.parse_date`` (it repairs OCR's letter-for-digit errors).

``SOURCE_DATE_EPOCH`` (reproducible builds) is read here only: every output that carries a
production date or a file time takes it from ``source_date_epoch``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re

YEARS = (1800, 2200)  # the years a typed date or a template's date may carry
PLAUSIBLE_FROM = _dt.date(1900, 1, 1)  # the earliest date a printed front page is believed to carry
AHEAD = _dt.timedelta(days=366)  # a publication may be dated up to a year ahead of today
# the forms a reviewer may type a date in
TYPED_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d", "%Y.%m.%d")
FIXED_EPOCH = 946684800  # 2000-01-01T00:00:00Z: file times when SOURCE_DATE_EPOCH is not set

_YMD = re.compile(r"(\d{4})(-?)(\d{2})\2(\d{2})")


def ymd(value: str | None) -> _dt.date | None:
    """A real calendar date given as ``YYYYMMDD`` or ``YYYY-MM-DD`` (surrounding spaces aside);
    None for anything else (``20231399``, ``2023-02-30``, empty): callers report, never guess."""
    m = _YMD.fullmatch((value or "").strip())
    if not m:
        return None
    try:
        return _dt.date(int(m[1]), int(m[3]), int(m[4]))
    except ValueError:
        return None


def iso(value: str | None) -> str | None:
    """``ymd``'s date as ``YYYY-MM-DD`` (the documents' form), else None."""
    d = ymd(value)
    return d.isoformat() if d else None


@functools.lru_cache(maxsize=1 << 16)
def compact(value: str | None) -> str | None:
    """``ymd``'s date as ``YYYYMMDD`` (ST.36 and ST.37's form), else None."""
    d = ymd(value)
    return f"{d.year:04d}{d.month:02d}{d.day:02d}" if d else None


def written(value: str | None, formats: tuple[str, ...]) -> _dt.date | None:
    """The date ``value`` is in the first of ``formats`` (``strptime``) that reads it with a year
    in ``YEARS``; None when none does."""
    v = (value or "").strip()
    for fmt in formats:
        try:
            d = _dt.datetime.strptime(v, fmt).date()
        except ValueError:
            continue
        if YEARS[0] <= d.year <= YEARS[1]:
            return d
    return None


def plausible(value: str | None, today: _dt.date | None = None) -> bool:
    """An ISO date a printed page may carry: from ``PLAUSIBLE_FROM`` to a year after today."""
    try:
        d = _dt.date.fromisoformat(value or "")
    except ValueError:
        return False
    today = today or _dt.date.today()
    return PLAUSIBLE_FROM <= d <= today + AHEAD


def source_date_epoch() -> int | None:
    """``$SOURCE_DATE_EPOCH`` (seconds since 1970, UTC), or None when it is not set to a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def fixed_epoch() -> int:
    """File times of reproducible outputs: ``$SOURCE_DATE_EPOCH``, else ``FIXED_EPOCH``."""
    epoch = source_date_epoch()
    return FIXED_EPOCH if epoch is None else epoch


def utc_day(epoch: int) -> _dt.date:
    return _dt.datetime.fromtimestamp(epoch, tz=_dt.timezone.utc).date()


def today_utc() -> _dt.date:
    """Today (UTC), or ``$SOURCE_DATE_EPOCH``'s day when it is set."""
    epoch = source_date_epoch()
    return _dt.datetime.now(_dt.timezone.utc).date() if epoch is None else utc_day(epoch)
