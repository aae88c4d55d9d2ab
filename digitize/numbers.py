"""Publication numbers as keys: when two printings of a number are the same number.

Two keys, for two uses that must not be mixed up:

- ``order_key``: the order and identity of numbers in an ST.37 authority file, where numbers
  are stored as the office writes them: digit-only numbers in numeric order (leading zeros do
  not count), anything else after them as text;
- ``match_key``: matching a number read from a front page against the office's register, where
  the two may print it differently (``MX 2023012345``, ``4 512 345``, ``08926509``): separators,
  an office prefix and leading zeros are dropped.
"""

from __future__ import annotations

import re


def order_key(number: str | None) -> str:
    """Sort and identity key of a stored publication number: numeric order for digit-only
    numbers (``08926509`` == ``8926509`` < ``11646472``), text order after them for anything else."""
    n = (number or "").strip()
    if n.isdigit():
        d = n.lstrip("0") or "0"
        return "0" + d.rjust(30, "0")
    return "1" + n


def match_key(number: str | None) -> str:
    """``MX 2023012345``, ``4 512 345``, ``08926509`` → the digits (and letters) without spaces,
    separators, office prefix or leading zeros, so a register and a front page that print a
    number differently agree."""
    n = re.sub(r"[\s./-]", "", number or "").upper()
    n = re.sub(r"^[A-Z]{2}(?=\d)", "", n)
    return n.lstrip("0") or n
