"""Normalisation of printed values: dates to ISO, publication numbers to office+number+kind, IPC.

OCR reads digits as letters and back (``O``/``0``, ``l``/``1``, ``Al`` for ``A1``); every parser
here fixes those confusions only where the format leaves no doubt (inside a number, in a kind
code), never in free text.
"""

from __future__ import annotations

import re
from datetime import date

from ..model import Classification
from . import repair as _repair

DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "i": "1", "|": "1", "!": "1",
                           "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9", "G": "6", "b": "6", "T": "7"})
KIND_FIX = {"Al": "A1", "AI": "A1", "Bl": "B1", "BI": "B1", "A l": "A1", "B l": "B1", "Cl": "C1", "Ul": "U1",
            "Yl": "Y1", "Tl": "T1", "Sl": "S1", "A 1": "A1", "B 1": "B1", "A 2": "A2", "B 2": "B2",
            "At": "A1", "Bt": "B1"}  # a 1 read as t
# a run of digits and the letters the engine reads for them (``2O19``, ``l5``)
DIGIT_RUN = re.compile(r"[0-9OolISBZg|]*[0-9][0-9OolISBZg|]*")


def repair_digits(text: str) -> str:
    """``text`` with the letters OCR reads for digits made digits inside its digit runs
    (``P2O22Ol59197`` → ``P20220159197``); letters outside a run of digits are left."""
    return DIGIT_RUN.sub(lambda m: m[0].translate(DIGIT_FIX), text)


_DATE_NUMERIC = re.compile(r"(?<![\dA-Za-z])([0-3Oo]?[\dOolI])\s?[./-]\s?([01Oo]?[\dOolI])\s?[./-]\s?((?:1[89]|2[0O])[\dOolI]{2})(?![\d])")
_DATE_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)")
_DATE_WORDS = re.compile(r"(?<!\d)(\d{1,2})\.?\s*(?:de\s+)?([A-Za-zÀ-ÿ]{3,12})\.?\s*,?\s*(?:de\s+|del\s+)?((?:19|20)\d{2})", re.I)
_DATE_US = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str, months: dict[str, int]) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``: ``28.12.2011``, ``28/12/2011``,
    ``28 December 2011``, ``December 28, 2011``, ``28 de diciembre de 2011``, ``2011-12-28``."""
    found = []
    m = _DATE_ISO.search(text)
    if m:
        found.append((m.start(), _valid(int(m[1]), int(m[2]), int(m[3]))))
    for m in _DATE_NUMERIC.finditer(text):
        d, mo, y = (int(g.translate(DIGIT_FIX)) for g in m.groups())
        found.append((m.start(), _valid(y, mo, d)))
        break
    for m in _DATE_WORDS.finditer(text):
        month = months.get(m[2].lower().rstrip("."))
        if month:
            found.append((m.start(), _valid(int(m[3]), month, int(m[1]))))
            break
    for m in _DATE_US.finditer(text):
        month = months.get(m[1].lower().rstrip("."))
        if month:
            found.append((m.start(), _valid(int(m[3]), month, int(m[2]))))
            break
    found = [f for f in found if f[1]]
    return min(found)[1] if found else None


_PUBNO = re.compile(
    r"\b([A-Z]{2})\s?((?:[\dOolI][\s.,-]?){4,13}[\dOolI])\s?((?:[ABCUYTS][\s]?[\dlIt]?)|(?:[ABCUYTS]\b))(?![A-Za-z\d])"
)


# under its own code a number may be printed in its application's form, with slashes (``PH
# 2/2019/986545 U1``); elsewhere on the page such a number is another document's (``WO 2017/064781 A1``)
_PUBNO_SLASHED = re.compile(_PUBNO.pattern.replace(r"[\s.,-]", r"[\s.,/-]"))


def parse_publication_number(text: str, offices: set[str] | None = None,
                             slashed: bool = False) -> tuple[str, str, str] | None:
    """``EP 2 400 812 A1`` → ``("EP", "2400812", "A1")``; None when no such number is printed.
    ``slashed``: the text is the publication number's own field, where ``PH 2/2019/986545 U1``
    is one number."""
    for m in (_PUBNO_SLASHED if slashed else _PUBNO).finditer(text):
        office = m[1]
        if offices and office not in offices:
            continue
        number = re.sub(r"[\s.,/-]", "", m[2]).translate(DIGIT_FIX)
        kind = m[3].replace(" ", "")
        kind = KIND_FIX.get(kind, kind)
        kind = kind[0] + kind[1:].translate(DIGIT_FIX) if len(kind) > 1 else kind
        if number.isdigit():
            return office, number, kind
    return None


_IPC = re.compile(
    r"\b([A-H])\s?([\dOolI]{2})\s?([A-Z]),?\s{0,3}([\dOolI]{1,4})\s?/\s?([\dOolI]{2,6})"
    r"(?:\s*[,;]?\s*\(\s*([\dOolI]{2,5})\s?[.,]\s?([\dOolI]{1,3})\s*(?:\)|(?=\s|$))|\s*((?:19|20)[\dO]{2})\s?[.,]\s?([\dO]{2})\b)?"
)
# any letter or digit read for a class digit (``AGIK 36/28`` for A61K): what was printed is counted by its shape
_IPC_SLOPPY = re.compile(r"\b([A-H])\s?([0-9A-Za-z]{2})\s?([A-Z0-9]),?\s{0,3}([\dOolI]{1,4})\s?/\s?([\dOolI]{2,6})")
_INTACT_VERSION = re.compile(r"\(((?:19|20)\d{2}\.\d{2})\)")


def _ipc_text(text: str) -> str:
    text = re.sub(r"\b([BG])O([1I])|\b([BG])OI", lambda m: (m[1] or m[3]) + "01", text)
    # "BOLL 9/00": a class is two digits, so O and L there are 0 and 1 (B01L)
    # ("AQ1D": a Q there is a 0 too)
    return re.sub(r"\b([A-H])[O0oQ][LlI|1]([A-Z])(?=,?\s?[\dOolI]{1,4}\s?/)", r"\g<1>01\2", text)


def parse_ipc_checked(text: str, published: str | None = None) -> tuple[list[Classification], list[str]]:
    """IPC symbols with their version (``B01L 9/00 (2006.01)``), and the versions read that the
    pattern could not settle (the symbol is kept without a version; the caller queues it)."""
    text = _ipc_text(text)
    intact = set(_INTACT_VERSION.findall(text))
    out: list[Classification] = []
    unsettled: list[str] = []
    seen = set()
    for m in _IPC.finditer(text):
        section, cls, sub, group, subgroup = m[1], m[2].translate(DIGIT_FIX), m[3], m[4].translate(DIGIT_FIX), m[5].translate(DIGIT_FIX)
        year, month = (m[6], m[7]) if m[6] else (m[8], m[9])
        version = None
        if year:
            version = _repair.ipc_version(year, month, intact, published)
            if version is None:
                unsettled.append(f"{section}{cls}{sub} {group}/{subgroup} ({year}.{month})")
        symbol = f"{section}{cls}{sub} {group}/{subgroup}"
        if symbol in seen:
            continue
        seen.add(symbol)
        out.append(Classification(text=symbol + (f" ({version})" if version else ""), section=section, cls=cls,
                                  subclass=sub, main_group=group, subgroup=subgroup, version=version))
    return out, unsettled


def parse_ipc(text: str) -> list[Classification]:
    """IPC symbols with their version: ``B01L 9/00 (2006.01)``."""
    return parse_ipc_checked(text)[0]


VERSION_SHAPED = re.compile(r"\(?\s*(?:19|20)[\dOolI]{2}\s?[.,]\s?[\dOolI]{2}\s*\)?")


def ipc_versions_read(text: str) -> int:
    """How many IPC versions (``(2006.01)``) the text shows, however read (to count what was printed)."""
    return len(VERSION_SHAPED.findall(_ipc_text(text)))


# a subclass letter the engine read as a digit (``A2387/02`` for ``A23B 7/02``, ``B65041/04`` for ``B65D 41/04``)
SUBCLASS_FIX = {"8": "B", "0": "D", "5": "S", "2": "Z", "6": "G", "3": "J", "g": "J"}
# a symbol whose subclass letter was read as a digit (``F163``, ``A47g``), or whose class has a
# zero read twice (``E004C``, ``EO04C``): section, class, subclass, group
_SUBCLASS_DIGIT = re.compile(rf"\b([A-H])(\d\d|[0O][0O]\d)([A-Z{''.join(SUBCLASS_FIX)}])\s{{0,2}}(\d{{1,4}}\s?/\s?\d{{2,6}})")


def ipc_subclass_digits(text: str) -> tuple[str, list[str]]:
    """The text with each subclass letter read as a digit given back as the letter that digit is
    read for, and a class's zero read twice read once, and the symbols so repaired (a reviewer
    confirms: ``0`` may have been ``Q``)."""
    fixed: list[str] = []

    def fix(m: re.Match) -> str:
        cls = m[2] if len(m[2]) == 2 else "0" + m[2][2]
        sub = SUBCLASS_FIX.get(m[3], m[3])
        if cls == m[2] and sub == m[3]:
            return m[0]
        sym = f"{m[1]}{cls}{sub} {m[4]}"
        fixed.append(f"{m[0]} → {sym}")
        return sym

    return _SUBCLASS_DIGIT.sub(fix, text), fixed


def ipc_symbols_read(text: str) -> list[str]:
    """Everything shaped like an IPC symbol, however badly read (to count what was printed)."""
    return [m[0] for m in _IPC_SLOPPY.finditer(_ipc_text(text))]


def clean_number(text: str) -> str:
    """An application number as printed, without labels, specks after it (``17779078.0 |``) or
    spaces around separators."""
    text = re.sub(r"(?:\s+[|!©®°'’`~_*]+)+\s*$", "", text)
    text = re.sub(r"\s*([/.-])\s*", r"\1", text.strip(" :;,."))
    return re.sub(r"\s+", " ", text)


COUNTRY = re.compile(r"\(([A-Z]{2})\)\s*$")
