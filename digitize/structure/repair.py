"""Field repair by pattern, never by guess.

OCR confuses ``I``/``l``/``1``, drops a digit of an IPC version and runs state codes together
(``SISK``). A value is repaired only when its pattern and a code list leave exactly one reading;
every other value is returned unsettled, and the caller queues it for a reviewer.

- country and state codes: the ST.3 list enumerated by the ST.96 Common XSD (``WIPOST3CodeType``);
- IPC versions: the IPC editions (``(2006.01)`` …), one missing or misread digit repaired when a
  single edition fits (or, among several, the one printed intact elsewhere in the same field).
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from pathlib import Path

from .. import validate
from ..resources import default_schema_dir

_LETTER_FIX = str.maketrans({"l": "I", "1": "I", "|": "I", "!": "I", "0": "O", "5": "S", "8": "B", "2": "Z"})

# IPC editions (ST.8 version indicators): the dates an IPC version came into force.
IPC_EDITIONS = frozenset(
    ["2006.01", "2007.01", "2007.10", "2008.01", "2008.04", "2009.01"]
    + [f"{y}.01" for y in range(2010, 2031)] + ["2019.08"]
)

# German address words OCR reads without their umlaut (or ``ü`` as ``ii``): a whole word is
# repaired only when it matches one of these once umlauts are folded.
UMLAUT_WORDS = (
    "München", "Düsseldorf", "Köln", "Nürnberg", "Fürth", "Würzburg", "Göttingen", "Tübingen", "Lübeck",
    "Zürich", "Lörrach", "Mülheim", "Österreich", "Rechtsanwälte", "Patentanwälte", "Rechtsanwalt",
    "Gräfelfing", "Höchst", "Jülich", "Büro", "Anwaltssozietät", "Partnerschaft",
)  # not Spanish surnames: "Nunez" is how many print the name; accents come by evidence (structure/accents.py)


ST3_LIST = Path(__file__).with_name("data") / "st3-codes.txt"  # the schema's list, for runs without it


@lru_cache(maxsize=1)
def st3_codes() -> frozenset[str]:
    """The ST.3 office and ISO country codes the ST.96 schema accepts: read from the schema when
    it is installed, else from the copy digitize ships (``ST3_LIST``), so that an office or country
    code is repaired and checked the same way with or without ``../shared``."""
    codes = validate.st96_codes(default_schema_dir())
    return codes["st3"] | codes["country"] if codes else shipped_st3_codes()


def shipped_st3_codes() -> frozenset[str]:
    """The codes of ``ST3_LIST`` (lines of codes; ``#`` starts a comment line)."""
    return frozenset(c for line in ST3_LIST.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("#") for c in line.split())


def country(token: str, codes: frozenset[str] | None = None) -> str | None:
    """``FI`` → FI, ``Fl`` → FI (only when the repaired code is on the list); None otherwise."""
    codes = st3_codes() if codes is None else codes
    t = token.strip()
    if len(t) != 2:
        return None
    if t.isupper() and t.isalpha():
        return t if t in codes else None
    fixed = t[0].upper().translate(_LETTER_FIX) + t[1].translate(_LETTER_FIX).upper()
    if not (fixed.isalpha() and fixed in codes):
        return None
    return fixed


def states(text: str, codes: frozenset[str] | None = None) -> tuple[list[str], list[str]]:
    """The state codes of an (84) line and the tokens that could not be settled. ``SISK`` → SI SK
    only when every two-letter piece is a code; a token of odd length is never split."""
    codes = st3_codes() if codes is None else codes
    found, unsettled = [], []
    for tok in re.findall(r"[A-Za-z0-9|!]+", text):
        if len(tok) == 2:
            c = country(tok, codes)
            (found.append(c) if c else unsettled.append(tok))
        elif len(tok) % 2 == 0 and len(tok) <= 12 and tok.isupper() and tok.isalpha():
            parts = [tok[i:i + 2] for i in range(0, len(tok), 2)]
            if all(p in codes for p in parts):
                found += parts
            else:
                unsettled.append(tok)
        elif tok.isupper() or len(tok) <= 3:
            unsettled.append(tok)
    return found, unsettled


def ipc_version(year: str, month: str, others: set[str] = frozenset(), published: str | None = None) -> str | None:
    """An IPC version as read (``206``/``01``, ``2006``/``1``) → ``2006.01`` when one edition fits."""
    y = year.translate(str.maketrans("OoIl", "0011"))
    m = month.translate(str.maketrans("OoIl", "0011"))
    if f"{y}.{m}" in IPC_EDITIONS:
        return f"{y}.{m}"
    limit = int(published[:4]) if published and published[:4].isdigit() else _dt.date.today().year
    cands = {v for v in IPC_EDITIONS if int(v[:4]) <= limit and _one_edit(f"{y}.{m}", v)}
    if len(cands) == 1:
        return cands.pop()
    agreed = cands & set(others)
    return agreed.pop() if len(agreed) == 1 else None


def _one_edit(read: str, version: str) -> bool:
    """``read`` is ``version`` with one character dropped or misread (never a guess at two)."""
    if len(read) == len(version):
        return sum(a != b for a, b in zip(read, version)) == 1
    if len(read) + 1 == len(version):
        return any(version[:i] + version[i + 1:] == read for i in range(len(version)))
    return False


# how OCR reads an umlaut or ß (seen on the EP front pages: "Miinchen", "Minchen", "Rechtsanwadlte")
_READS = {"ü": ("u", "ii", "i", "ti"), "ä": ("a", "ad", "d"), "ö": ("o",), "Ö": ("O",), "ß": ("ss", "B", "R"),
          "ñ": ("n",), "á": ("a",), "é": ("e",), "í": ("i",), "ó": ("o",), "ú": ("u",)}


def _variants(word: str) -> set[str]:
    out = {""}
    for ch in word:
        out = {v + r for v in out for r in _READS.get(ch, (ch,))}
    return out


@lru_cache(maxsize=1)
def _umlaut_index() -> dict[str, str]:
    """OCR reading (lower case) → the word; a reading two words share is left out (ambiguous)."""
    index: dict[str, str] = {}
    clash: set[str] = set()
    for w in UMLAUT_WORDS:
        for v in _variants(w):
            key = v.lower()
            if key in index and index[key] != w:
                clash.add(key)
            index[key] = w
    return {k: v for k, v in index.items() if k not in clash}


_STRASSE = re.compile(r"(?<=[a-zäöü])stra[BR8fkS&]e\b")  # ß read as B, R, 8, f, k, S or &


def umlauts(text: str) -> str:
    """``Miinchen`` → ``München``, ``Rechtsanwadlte`` → ``Rechtsanwälte`` (whole words of the
    list), ``ArabellastraRe`` → ``Arabellastraße`` (the street suffix)."""
    index = _umlaut_index()

    def fix(m: re.Match) -> str:
        w = m[0]
        hit = index.get(w.lower())
        if hit is None or hit == w:
            return w
        return hit.upper() if w.isupper() else hit

    return _STRASSE.sub("straße", re.sub(r"[A-Za-zÀ-ÿ]{4,}", fix, text))
