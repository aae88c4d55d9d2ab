"""A reviewer's value for a front-page list item (``parties:72``, ``states:84``, ``ipc:51``,
``inid:86`` …), read with the structure stage's own parsers: one owner for how a party, a state
code or an IPC symbol is read. A value those parsers do not read whole is refused with the
reason (the item stays in the queue), never half-applied or dropped."""

from __future__ import annotations

import re

from ..model import Bibliographic
from . import normalize as norm
from . import repair
from ..settings.structure import StructureSettings
from ..inid import PARTY_CODES, RELATED, SINGLE_VALUE as SINGLE
from .anchors import FieldText
from .fields import designated_states_from, doc_ref, parse_parties, parse_priorities

LIST_PREFIXES = ("parties:", "states:", "ipc:", "inid:")



class Refused(ValueError):
    """The value does not read as the item's list; the message says why."""


def is_list_item(name: str) -> bool:
    return name.startswith(LIST_PREFIXES)


def single_field(name: str) -> str | None:
    """``inid:24`` → ``rights_effective_date``: the Field an INID item's value sets, if any."""
    return SINGLE.get(name.split(":", 1)[1]) if name.startswith("inid:") else None


def apply_list(b: Bibliographic, name: str, value: str, settings: StructureSettings) -> str | None:
    """Replace the list ``name`` names in ``b`` with the reviewer's ``value``. Returns a note when
    the value has no place in ``b`` (an INID code no output carries), else None. Raises Refused."""
    kind, code = name.split(":", 1)
    if kind == "parties" or (kind == "inid" and code in dict(PARTY_CODES)):
        setattr(b, dict(PARTY_CODES)[code], parties(value, code))
    elif kind == "states" or (kind == "inid" and code == "84"):
        fresh = states(value)
        b.designated_states, b.extension_states, b.validation_states = (
            fresh.designated_states, fresh.extension_states, fresh.validation_states)
    elif kind == "ipc" or (kind == "inid" and code == "51"):
        b.ipc = ipc(value, b.value("publication_date"))
    elif kind == "inid" and code in ("86", "87") + RELATED:
        ref = doc_ref(FieldText(_lines(value), [], 0), code, settings.months)
        if ref is None:
            raise Refused(f"{value!r} does not read as a document number for ({code})")
        ref.confidence = 100.0
        if code == "86":
            b.pct_application = ref
        elif code == "87":
            b.pct_publication = ref
        else:
            b.related_documents = [r for r in b.related_documents if r.relation != code] + [ref]
    elif kind == "inid" and code == "30":
        lines = _lines(value)
        found = parse_priorities(FieldText(lines, [], 0), settings.months)
        if len(found) != len(lines):
            raise Refused(f"{value!r}: one priority a line, as printed: country, number, date")
        for p in found:
            p.confidence = 100.0
        b.priorities = found
    elif kind == "inid":
        return f"({code}) decided by a reviewer: {value} (no bibliographic field carries it)"
    else:
        raise Refused(f"unknown list item {name!r}")
    return None


def check(settings: StructureSettings, name: str, value: str) -> None:
    """Refused when ``value`` would be refused by ``apply_list``: the check the review page and the
    CSV import run when the decision is made (an INID item with a Field of its own is checked by
    the field's format instead)."""
    if is_list_item(name) and not single_field(name):
        apply_list(Bibliographic(), name, value, settings)


def _lines(value: str) -> list[str]:
    return [ln.strip() for ln in value.splitlines() if ln.strip()]


def _parts(value: str) -> list[str]:
    return [p.strip() for ln in value.splitlines() for p in ln.split(";") if p.strip()]


def party_value(p) -> str:
    """A party as a reviewer types it and ``parties`` reads it back: ``Name, Address (CC)``."""
    return p.name + (f", {p.address}" if p.address else "") + (f" ({p.country})" if p.country else "")


def parties(value: str, code: str) -> list:
    """One party per line or per ``;``, as the front page prints it: ``Name, Address (CC)``."""
    out = []
    for part in _parts(value):
        found, issues = parse_parties(FieldText([part], [], 0), repair.st3_codes(), code)
        pieces = part.split(", ")
        at = next((i for i, piece in enumerate(pieces) if i and any(c.isdigit() for c in piece)), None)
        if (issues or len(found) != 1) and at is not None:
            # the reviewer's own form, ``Name, Street 12, City (CC)``: the address begins at the
            # first piece with a digit (as the office memory reads decided names)
            found, issues = parse_parties(FieldText([f"{', '.join(pieces[:at])}; {', '.join(pieces[at:])}"], [], 0),
                                          repair.st3_codes(), code)
        if issues:
            raise Refused(f"{part!r}: {issues[0].reason}")
        if len(found) != 1:
            raise Refused(f"{part!r} does not read as one party (Name, Address (CC))")
        found[0].confidence = 100.0
        out += found
    if not out:
        raise Refused(f"no party in {value!r}: one a line, Name, Address (CC)")
    return out


def states(value: str) -> Bibliographic:
    """ST.3 codes separated by spaces or commas; an "Extension"/"Validation" line starts those."""
    fresh = Bibliographic()
    lines = _lines(value)
    issues = designated_states_from(FieldText(lines, [], 0), fresh, repair.st3_codes())
    if issues:
        raise Refused(issues[0].reason)
    for ln in lines:  # a word the state reader passes over (``France``) is not silently lost
        if re.search(r"extension|validation|designated|designación|estados", ln, re.I):
            continue
        words = [t for t in re.findall(r"[A-Za-z0-9|!]+", ln) if not (t.isupper() or len(t) <= 3)]
        if words:
            raise Refused(f"not ST.3 codes: {' '.join(words)}")
    if not (fresh.designated_states or fresh.extension_states or fresh.validation_states):
        raise Refused(f"no ST.3 code in {value!r}: codes separated by spaces, e.g. DE FR GB")
    return fresh


def ipc(value: str, published: str | None) -> list:
    """IPC symbols separated by ``;`` or lines, each read whole by the IPC pattern."""
    out, seen = [], set()
    for part in _parts(value):
        found, unsettled = norm.parse_ipc_checked(part, published)
        if unsettled:
            raise Refused(f"IPC version not settled: {unsettled[0]}")
        if len(found) != 1 or len(norm.ipc_symbols_read(part)) != 1:
            raise Refused(f"{part!r} is not one IPC symbol, e.g. A61K 31/4439 (2006.01)")
        if found[0].text not in seen:
            seen.add(found[0].text)
            out += found
    if not out:
        raise Refused(f"no IPC symbol in {value!r}: e.g. A61K 31/4439 (2006.01)")
    return out
