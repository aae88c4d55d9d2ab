"""What a front page's fields say: parties, priorities, related documents, states, IPC, numbers,
dates, and the issues (checks) a reviewer must settle when a field does not add up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .. import dates, inid
from ..model import Bibliographic, DocRef, Field, OcrPage, Party, Priority, Word
from . import normalize as norm
from . import parties as parties_mod
from . import repair
from ..settings.structure import StructureSettings
from .anchors import DESIGNATED, PARTY_START, FieldText


@dataclass
class Issue:
    """Something read on the front page that could not be placed with confidence: one queue item."""

    field: str  # queue field name, e.g. "filing_date", "parties:72", "states:84", "inid:86"
    text: str  # what was read
    reason: str
    ft: FieldText | None = None


def _codes_line(line: str, codes) -> list[str] | None:
    """The state codes of a line that holds nothing else ("DE - ;", "AL AT BE …"), else None."""
    tokens = re.findall(r"[A-Za-z0-9|!]+", line)
    if not tokens or any(t.islower() or (len(t) > 2 and not t.isupper()) for t in tokens):
        return None
    found, unsettled = repair.states(line, codes)
    return found if found and not unsettled else None


def _clean_name(text: str) -> str:
    """A stray ``|`` (a rule or column edge read as a character) is never part of a name, nor a
    speck read as ``-`` or ``.`` after it; a full stop that ends an abbreviation stays (``INC.``,
    ``S.A.``, ``J.``)."""
    text = re.sub(r"(?:(?<=\s)|^)[|!](?=\s|$)", " ", text)
    text = " ".join(repair.umlauts(text).split()).strip(" ,;|")
    text = re.sub(r"^[.,;:'‘’`´\"“”~_-]+\s*", "", text)  # a speck before the name (".BAUTISTA", "‘ITZEL")
    # a speck read as a lone lower-case letter before or after a name in capitals ("o CEMENTOS …", "… CALIFORNIA a")
    text = re.sub(r"^[a-df-xz]\s+(?=[A-ZÁÉÍÓÚÑÜ]{2,}[\s,])", "", text)
    text = re.sub(r"(?<=[A-ZÁÉÍÓÚÑÜ.]{2})\s+[a-df-xz]$", "", text)
    text = re.sub(r"^(?:and|y|e|und)\s+(?=[A-ZÁÉÍÓÚÑÜ])", "", text)  # a separator left at a wrapped line's start
    text = re.sub(r"(?<=[a-záéíóúñü])\s+(?:and|y|und)$", "", text)  # … or at its end
    text = re.sub(r"\s+[-–—~_'’`.:;]+$", "", text).rstrip(" :;")
    # ``SURNAME. Given`` / ``SURNAME,.Given``: the comma of ``SURNAME, Given`` read as a full stop, or a speck after it
    text = re.sub(r"^((?:[A-ZÁÉÍÓÚÑÜÖÄÅ'’-]{2,} ){0,3}[A-ZÁÉÍÓÚÑÜÖÄÅ'’-]{3,})(?:\.|,\s*[.·'’`])\s*"
                  r"(?=[A-ZÁÉÍÓÚÑÜÖÄÅ][a-záéíóúñüöäåßèéêëïîç]+(?:[\s-]|$))",
                  lambda m: m[0] if parties_mod.COMPANY_FORM.fullmatch(m[1].rsplit(" ", 1)[-1] + ".") else m[1] + ", ",
                  text)
    # ``S.A. DE CV.``: the only thing a Mexican company form there can be is ``DE C.V.``
    text = re.sub(r"(S\.\s?A\.(?:\s?P\.\s?I\.)?)\s?DE\s?C\.?\s?V\.?(?!\w)", lambda m: f"{m[1]} DE C.V.", text)
    # a dotted company form whose last full stop the engine lost (``S.R.L`` for ``S.R.L.``)
    text = re.sub(r"(?<![\w.])((?:S\.\s?A(?:\.\s?DE\s?C\.\s?V)?|S\.\s?R\.\s?L|S\.\s?A\.\s?S|S\.\s?L|B\.\s?V|N\.\s?V|"
                  r"K\.\s?K|S\.\s?C|L\.\s?L\.\s?C|S\.\s?A\.\s?P\.\s?I\.\s?DE\s?C\.\s?V))$", r"\1.", text)
    if text.endswith(")") and text.count(")") > text.count("("):  # what is left of a country "(AR)"
        text = text[:-1].rstrip(" ,;")
    last = text.rsplit(" ", 1)[-1]
    if last.endswith(".") and not (parties_mod.COMPANY_FORM.fullmatch(last) or "." in last[:-1] or len(last) <= 3):
        text = text[:-1]
    return text


def _bullet(line: str) -> bool:
    """The line starts a party with a bullet (EP); a speck read as ``-`` before an address line
    (``- 3100 Hanover Street, …``) is no bullet."""
    t = line.strip()
    return t[:1] in PARTY_START and not parties_mod.is_address(t.lstrip(PARTY_START + " "))


def parse_parties(ft: FieldText, codes=None, code: str = "") -> tuple[list[Party], list[Issue]]:
    """Parties of one INID field, read by structure (``structure/parties.py``): wrapped lines
    joined, parties cut at line breaks, bullets and the separators offices print, addresses by
    their shape; a "Designated Contracting States" line and the code lines after it belong to
    the party above."""
    issues: list[Issue] = []
    designations: dict[int, list[str]] = {}
    found: list[parties_mod.Printed] = []
    chunk: list[tuple[str, list[Word] | None]] = []
    line_words = ft.line_words if len(ft.line_words) == len(ft.lines) else [None] * len(ft.lines)

    def flush() -> None:
        while chunk:  # a bullet starts a party: never joined to the line before
            cut = next((k for k in range(1, len(chunk)) if _bullet(chunk[k][0])), len(chunk))
            part, chunk[:] = chunk[:cut], chunk[cut:]
            texts = [t.lstrip(PARTY_START + " ").strip() for t, _ in part]
            words = [w for _, w in part]
            if bulleted and len(texts) > 1 and _bullet(part[0][0]):
                end = next((k for k, t in enumerate(texts) if parties_mod.BRACKET_CC.search(t)), len(texts) - 1)
                found.append(parties_mod.bulleted(texts[:end + 1], codes))  # EP: a party, its address lines under it
                texts, words = texts[end + 1:], words[end + 1:]
                if not texts:
                    continue
            found.extend(parties_mod.parse(texts, codes, words if all(w is not None for w in words) else None, ft.edge,
                                           indent=not bulleted))

    bulleted = any(_bullet(ln) for ln in ft.lines)
    designating = False
    for ln, ws in zip(ft.lines, line_words):
        if DESIGNATED.search(ln):
            flush()
            designating = True
            continue
        if designating:
            states = _codes_line(ln, codes)
            if states is not None:
                if found:
                    designations.setdefault(len(found) - 1, []).extend(states)
                continue
        designating = False
        chunk.append((ln, ws))
    flush()
    parties = []
    conf = round(ft.conf, 1)
    for i, p in enumerate(found):
        country = None
        if p.country:
            country = repair.country(p.country, codes)
            if country is None:
                issues.append(Issue(f"parties:{code}", p.name, f"country ({p.country}) is not an ST.3 code", ft))
        name, why = parties_mod.company_form(_clean_name(p.name))
        if why:
            issues.append(Issue(f"parties:{code}", name, why, ft))
        slashed = parties_mod.o_slash(name)
        if slashed != name:  # ``TROMS@``, ``GR@NBECH``: ``@`` is no letter of a name; engines read Ø so
            issues.append(Issue(f"parties:{code}", slashed, f"'{name}' read: the '@' given as Ø, which the "
                                "page's engine has no letter for", ft))
            name = slashed
        if name and not re.search(r"[^\W\d_]", name) and not p.address and not p.country:
            continue  # no letter: an INID code (``72``) or a speck read as a line of its own, never a party
        address = ", ".join(_clean_name(e) for e in p.address if _clean_name(e)) or None
        if country is None and p.address and not p.country and re.search(r"\)[\s.,;:'’`]*$", p.address[-1]):
            issues.append(Issue(f"parties:{code}", p.name, f"the country after '{p.address[-1]}' is not read", ft))
        if re.search(r"\w[|!]\w|[|!]\w|\w[|!]", p.name):
            issues.append(Issue(f"parties:{code}", p.name, "a '|' inside a name", ft))
        for why in parties_mod.problems(name):
            issues.append(Issue(f"parties:{code}", name, why, ft))
        if name:
            parties.append(Party(name=name, address=address, country=country, confidence=conf, source=ft.source(),
                                 designation=sorted(set(designations.get(i, [])), key=designations.get(i, []).index)))
    return parties, issues


_COUNTRY_READ = re.compile(r"\(([A-Za-z0-9|!]{2})\)[\s.,:;'’`]*$")  # "(PH):" a speck after it


def printed_party_count(ft: FieldText) -> int:
    """How many parties the field shows, counted apart from the parser: bullets, countries in
    brackets, and the name-shaped pieces between line breaks, ``;`` and `` - ``."""
    lines = [ln for ln in ft.lines if not DESIGNATED.search(ln) and _codes_line(ln, None) is None]
    bullets = sum(1 for ln in lines if _bullet(ln))
    countries = sum(1 for ln in lines for _ in re.finditer(r"[(\[][A-Z]{2}[A-Z]?[)\]]", ln))  # ``(COQ)``: (CO) and a speck
    names = 0
    for ln in parties_mod.logical_lines(lines):
        for seg in ln.split(";"):
            if seg.strip() and not parties_mod.is_address(seg):
                names += len(re.split(r"\s[-–—]\s", seg))
    if countries and not any(";" in ln or re.search(r"\s[-–—]\s", ln) for ln in lines):
        names = 0  # EP: a party's lines end at its country; its address lines are no names
    # lines that start with a person's name ``SURNAME, Given`` (a bullet or speck before it aside)
    persons = sum(1 for ln in parties_mod.logical_lines(lines)
                  if re.match(r"[A-ZÁÉÍÓÚÑÜ'-]{2,}(?:\s[A-ZÁÉÍÓÚÑÜ'-]+){0,3},\s[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]",
                              re.sub(r"^[\W_]+", "", ln)))
    return max(bullets, countries, names, persons, 1 if lines else 0)


def parse_priorities(ft: FieldText, months: dict[str, int]) -> list[Priority]:
    out = []
    for line in ft.lines:
        iso = norm.parse_date(line, months)
        if not iso:
            continue
        rest = re.sub(r"\d{1,2}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{4}", " ", line)
        cc = re.search(r"\b([A-Z]{2})\b", rest)
        num = re.search(r"([A-Z]{0,3}\s?[\d][\d\s/,.\-]*[\dA-Z]?)", rest[cc.end():] if cc else rest)
        if cc and num:
            out.append(Priority(country=cc[1], number=norm.clean_number(num[1]).replace(",", ""), date=iso,
                                confidence=round(ft.conf, 1)))
    return out


def office_from_names(text: str, settings: StructureSettings) -> str | None:
    best, score = None, 0.0
    for name, code in settings.office_names.items():
        s = fuzz.partial_ratio(name.lower(), text.lower())
        if s > score:
            best, score = code, s
    return best if score >= 85 else None


# --------------------------------------------------------------------------- the fields


def publication_fields(f: dict[str, FieldText], page: OcrPage, b: Bibliographic, offices, th: float) -> None:
    """(11)/(10) publication number, else the number printed anywhere on the page; (13); (19)."""
    pub = None
    for code in inid.PUBLICATION_NUMBER:
        if code in f and pub is None:
            pub = norm.parse_publication_number(f[code].text.replace("\n", " "), offices, slashed=True)
            if pub is None:  # as the engine read it: a correction may have made the kind digits (``B1`` → ``81``)
                engine = " ".join(w.ocr_text or w.text for ws in f[code].line_words for w in ws)
                pub = norm.parse_publication_number(engine, offices, slashed=True)
            if pub:
                b.doc_number = f[code].field(pub[1], threshold=th)
                b.kind = f[code].field(pub[2], threshold=th)
                b.office = f[code].field(pub[0], threshold=th)
    if pub is None:
        for line in page.lines():
            found = norm.parse_publication_number(line.text, offices)
            if found:
                ft = FieldText([line.text], line.words, page.number)
                b.office, b.doc_number, b.kind = (ft.field(v, threshold=th) for v in found)
                b.doc_number.confidence = b.kind.confidence = min(b.kind.confidence, 70.0)  # not under its INID code
                break


# a date is as sure as the word that prints it: a field's mean (a bulletin number beside the date
# lifts it) hides a date word read at 65 with a digit changed
DATE_WORD_THRESHOLD = 75.0
_DATE_WORD = re.compile(r"\d{1,2}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}|\b(?:19|20)\d\d\b")


def _date_field(ft: FieldText, iso: str, th: float) -> Field:
    fld = ft.field(iso, threshold=th, digits=True)
    confs = [w.conf for w in ft.words if _DATE_WORD.search(w.text)]
    if confs and min(confs) < min(DATE_WORD_THRESHOLD, fld.confidence):
        fld.confidence = round(min(confs), 1)
        fld.flagged = True
    return fld


def date_fields(f: dict[str, FieldText], b: Bibliographic, settings: StructureSettings) -> None:
    months, th = settings.months, settings.field_threshold
    for code in settings.publication_date_inids:
        if code in f and b.publication_date is None:
            iso = norm.parse_date(f[code].text, months)
            if iso:
                b.publication_date = _date_field(f[code], iso, th)
    for code in inid.DATES:
        if code in f and code not in settings.publication_date_inids:
            iso = norm.parse_date(f[code].text, months)
            if iso:
                setattr(b, inid.FIELD[code], _date_field(f[code], iso, th))


_DOC_NUMBER = re.compile(r"(PCT\s?/\s?[A-Z]{2}\s?\d[\d\s]{1,5}\s?/\s?\d[\d\s]{2,7}\d|WO\s?\d{2,4}\s?/\s?\d{3,6}(?:\s?A\d)?|"
                         r"[A-Z]{2}\s?[\d][\d\s./-]{3,16}\d(?:\s?[ABCU]\d?)?)")


def doc_ref(ft: FieldText, relation: str, months: dict[str, int]) -> DocRef | None:
    """(86) ``PCT/JP2015/079100`` (date); (87) ``WO 2017/064781 (20.04.2017 Gazette 2017/16)``;
    (62) ``17185386.4 / 3 441 143``: the first document number and the first date."""
    text = ft.text.replace("\n", " ")
    m = _DOC_NUMBER.search(text) or re.search(r"(\d[\d./-]{4,18}\d)", text)
    if not m:
        return None
    raw = re.sub(r"\s+", "", m[1])
    country = "WO" if raw.startswith(("PCT", "WO")) else (raw[:2] if raw[:2].isalpha() else None)
    kind = None
    if raw.startswith("WO"):
        km = re.search(r"(A\d)$", raw)
        kind = km[1] if km else None
        raw = raw[2:-len(kind)] if kind else raw[2:]
    rest = text[m.end():] if relation in ("86", "87") else text
    return DocRef(number=raw, country=country, kind=kind, date=norm.parse_date(rest, months), relation=relation,
                  confidence=round(ft.conf, 1), source=ft.source())


def designated_states_from(ft: FieldText, b: Bibliographic, codes) -> list[Issue]:
    """(84) designated states, then the EP extension and validation states printed under it."""
    target = b.designated_states
    issues = []
    for line in ft.lines:
        if re.search(r"extension", line, re.I):
            target = b.extension_states
            continue
        if re.search(r"validation", line, re.I):
            target = b.validation_states
            continue
        if DESIGNATED.search(line):
            continue
        found, unsettled = repair.states(line, codes)
        target += [c for c in found if c not in target]
        if unsettled:
            issues.append(Issue("states:84", line, f"not ST.3 codes: {' '.join(unsettled)}", ft))
    return issues


def ipc_field(ft: FieldText, b: Bibliographic, version_threshold: float = 93.0) -> list[Issue]:
    text, subclass = norm.ipc_subclass_digits(ft.text.replace("\n", " "))
    b.ipc, unsettled = norm.parse_ipc_checked(text, b.value("publication_date"))
    issues = [Issue("ipc:51", u, "IPC version not settled by the pattern", ft) for u in unsettled]
    issues += [Issue("ipc:51", text, f"IPC subclass letter read as a digit: {r}", ft) for r in subclass]
    read = len(norm.ipc_symbols_read(text))
    versions = norm.ipc_versions_read(text)
    if max(read, versions) > len(b.ipc):
        issues.append(Issue("ipc:51", text, f"{max(read, versions)} IPC symbols printed, {len(b.ipc)} read", ft))
    elif versions > sum(1 for c in b.ipc if c.version):
        issues.append(Issue("ipc:51", text, f"{versions} IPC versions printed, "
                            f"{sum(1 for c in b.ipc if c.version)} read with their symbols", ft))
    intact = set(re.findall(r"\((?:19|20)\d\d\.\d\d\)", text))
    for c in b.ipc:  # a version must be printed on the page as shipped (or beside it), read with confidence
        if not c.version:
            continue
        if c.version not in text and f"({c.version})" not in intact:
            issues.append(Issue("ipc:51", text, f"IPC version ({c.version}) of {c.text} is not printed on the page "
                                "as such (repaired from what was read)", ft))
            continue
        year = c.version[:4]
        confs = [w.conf for w in ft.words if year in w.text]
        if confs and min(confs) < version_threshold:
            issues.append(Issue("ipc:51", text, f"IPC version ({c.version}) read with confidence {min(confs):.0f}", ft))
    return issues




def _number(fld: Field | None, pattern: str, name: str) -> list[Issue]:
    """A number in the office's format; OCR letter-for-digit errors inside its digit runs are
    repaired only when that makes it match."""
    if fld is None or not pattern:
        return []
    if re.fullmatch(pattern, fld.value):
        return []
    bare = "".join(t for t in fld.value.split() if any(c.isalnum() for c in t))  # without specks ("©")
    fixed = norm.repair_digits(bare)
    for candidate in (fixed, re.sub(r"^[A-Za-z]{2}(?=/)", lambda m: m[0].upper(), fixed)):  # "Mx/a/…"
        if re.fullmatch(pattern, candidate):
            fld.raw, fld.value = fld.raw or fld.value, candidate
            return []
    return [Issue(name, fld.value, f"not in the office's format {pattern}")]


def check_numbers(b: Bibliographic, settings: StructureSettings) -> list[Issue]:
    issues = _number(b.application_number, settings.application_number_pattern, "application_number")
    app = b.value("application_number")
    if app is not None and not re.search(r"\d", app):
        issues.append(Issue("application_number", app, "no digit in the application number"))
    elif app and not issues and re.search(r"[^\w/.\- ]|^\W|[-/.]$", app):  # a mark no number prints, or cut short
        issues.append(Issue("application_number", app, "a mark inside the application number, or a number cut short"))
    issues += _number(b.doc_number, settings.publication_number_pattern, "doc_number")
    pct = b.pct_application
    if pct is not None and pct.number.startswith("PCT") and not re.fullmatch(r"PCT/[A-Z]{2}\d{4}/\d{6}", pct.number):
        issues.append(Issue("inid:86", pct.number, "not a PCT application number PCT/CCYYYY/NNNNNN"))
    if settings.kind_codes and b.kind is not None and b.kind.value not in settings.kind_codes:
        issues.append(Issue("kind", b.kind.value, f"not one of the office's kind codes {' '.join(settings.kind_codes)}"))
    return issues


_FUNCTION_WORD_MARK = re.compile(r"\b(de|del|la|las|el|los|y|o|en|con|para|por|of|the|and|or|for|in|with|to|a)[.;](?= [a-záéíóúñ])")


def check_title(b: Bibliographic) -> list[Issue]:
    """A mark inside a title before a lower-case word ("de. origen") is a speck: removed after a
    function word (never abbreviated, never followed by punctuation in a title); anywhere else the
    pattern cannot tell a speck from a real comma or abbreviation, so a reviewer does."""
    if b.title is None:
        return []
    fixed = _FUNCTION_WORD_MARK.sub(r"\1", b.title.value)
    fixed = re.sub(r"\s+[-–—~_'’`.,:;|]+$", "", fixed)  # a speck after the last word: a title never ends so
    fixed = re.sub(r"^[|!¦_~'’`.,:;]+\s+", "", fixed)  # … nor starts so (a rule or speck before the first word)
    # a title starts with a capital: a first letter whose capital has its shape (``pedal-operated``) was
    # read small by its size alone; any other lower-case start is the gate's question
    fixed = re.sub(r"^[cosuvwxzp](?=[a-z])", lambda m: m[0].upper(), fixed)
    if fixed != b.title.value:
        b.title.raw, b.title.value = b.title.raw or b.title.value, fixed
    t = b.title.value
    issues = []
    if re.search(r"[a-záéíóúñ][.;] [a-záéíóúñ]", t):
        issues.append(Issue("title", t, "a stray mark inside the title"))
    m = re.search(r"\((\d{2})\)", t)
    if m and m[1] in inid.KNOWN:
        issues.append(Issue("title", t, f"an INID code ({m[1]}) inside the title: another field may be in it"))
    return issues


def check_dates(b: Bibliographic) -> list[Issue]:
    """Plausible dates, and priority ≤ filing ≤ publication; a date out of order is queued, not changed."""
    issues = []
    for name in ("publication_date", "filing_date"):
        fld = getattr(b, name)
        if fld is not None and not dates.plausible(fld.value):
            issues.append(Issue(name, fld.value, "not a plausible date"))
    pub, fil = b.value("publication_date"), b.value("filing_date")
    if pub and fil and fil > pub:
        issues.append(Issue("filing_date", fil, f"filing date after the publication date {pub}"))
    for pr in b.priorities:
        if fil and pr.date > fil:
            issues.append(Issue("filing_date", fil, f"priority date {pr.date} after the filing date"))
    return issues
