"""The front page: INID-coded fields (ST.9) → bibliographic data with confidence and provenance.

Front pages are printed in two columns with fields side by side, and Tesseract often reads a
line straight across both ("(43) Date of publication: (51) Int Cl.:"). So fields are found by
layout, not by text order: every INID code ("(21)") is an anchor, and every other word belongs to
the nearest anchor above it in its own column. A field's confidence is its words' mean
confidence; its source is their page and box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .. import dates, inid
from ..model import Bibliographic, DocRef, Field, OcrPage, Party, Priority, Source, Word
from . import normalize as norm
from . import parties as parties_mod
from . import repair
from ..settings.structure import StructureSettings
from .layout import BULLETS, union

INID = re.compile(r"^[_.,'‘’`~-]*[\(\[{|]\s*([1-9][0-9])\s*[\)\]}|]$|^([1-9][0-9])[\)\]}|]$")
INID_HALF_OPEN = re.compile(r"^[\(\[{]([1-9])$")
INID_HALF_CLOSE = re.compile(r"^([0-9])[\)\]}]$")
INID_PUNCT = re.compile(r"^[\(\[{|]\s*([1-9][0-9])\s*[\)\]}|][,.:;]$")  # "(57)," : an anchor when its label follows
SPANNING = {"12", "54"}  # printed across the columns
DESIGNATED = re.compile(r"designated|designación|estados designados", re.I)


@dataclass
class Anchor:
    code: str
    bbox: tuple[int, int, int, int]
    words: list[Word] = field(default_factory=list)  # the field's words, in reading order
    line_of: dict[str, int] = field(default_factory=dict)  # word id -> line index
    continued: set[int] = field(default_factory=set)  # line indices continued from the next column


def _label_follows(code: str, words: list[Word], labels: dict[str, list[str]] | None) -> bool:
    """The words after a code begin with one of that code's labels (``(57), Resumen:``)."""
    if not labels or not words:
        return False
    head = " ".join(w.text for w in words[:6]).lower()
    return any(lab and fuzz.partial_ratio(lab.lower(), head[: len(lab) + 3]) >= 85 for lab in labels.get(code, []))


def find_anchors(page: OcrPage, labels: dict[str, list[str]] | None = None) -> tuple[list[Anchor], set[str]]:
    """Every INID code on the page; a code read with a mark after it (``(57),``) only when its own
    label follows (``labels``: code -> labels) or it is alone on its line (a column of codes)."""
    anchors, used = [], set()
    for line in page.lines():
        ws = line.words
        i = 0
        while i < len(ws):
            w = ws[i]
            m = INID.match(w.text)
            code = (m[1] or m[2]) if m else None
            if code is None:
                mp = INID_PUNCT.match(w.text)
                if mp and (_label_follows(mp[1], ws[i + 1:], labels) or len(ws) == 1):  # or alone on its line
                    code = mp[1]
            elif code not in inid.KNOWN and labels:  # "(61) IPC:": no such code; the label says which
                hits = [c for c in labels if c in inid.KNOWN and _label_follows(c, ws[i + 1:], labels)]
                code = hits[0] if len(hits) == 1 else None
            if code in inid.KNOWN:
                anchors.append(Anchor(code, w.bbox))
                used.add(w.id)
            elif i + 1 < len(ws):
                a, b = INID_HALF_OPEN.match(w.text), INID_HALF_CLOSE.match(ws[i + 1].text)
                if a and b and a[1] + b[1] in inid.KNOWN:
                    anchors.append(Anchor(a[1] + b[1], union([w.bbox, ws[i + 1].bbox])))
                    used.update((w.id, ws[i + 1].id))
                    i += 1
            i += 1
    return anchors, used


def is_front_page(page: OcrPage) -> bool:
    anchors, _ = find_anchors(page)
    return len({a.code for a in anchors}) >= 3


def assign(page: OcrPage, anchors: list[Anchor], used: set[str]) -> None:
    """Give every word to the nearest anchor above it in its column (see the module docstring)."""
    if not anchors:
        return
    height = max(1, min(a.bbox[3] - a.bbox[1] for a in anchors))
    xs = sorted({a.bbox[0] for a in anchors})
    columns: list[int] = []
    for x in xs:  # anchors within 150 px share a column
        if not columns or x - columns[-1] > 150:
            columns.append(x)

    def column(x: float) -> int:
        idx = 0
        for i, cx in enumerate(columns):
            if cx <= x + 40:
                idx = i
        return idx

    by_col: dict[int, list[Anchor]] = {}
    for a in anchors:
        by_col.setdefault(column(a.bbox[0]), []).append(a)
    last_bottom: dict[int, int] = {id(a): a.bbox[3] for a in anchors}
    words = [(li, w) for li, line in enumerate(page.lines()) for w in line.words if w.id not in used]
    for li, w in sorted(words, key=lambda t: (t[1].bbox[1], t[1].bbox[0])):
        if w.bbox[1] > 0.95 * page.height or w.bbox[2] < columns[0] - 20:
            continue  # the printer's footer; the number printed sideways in the margin
        yc = (w.bbox[1] + w.bbox[3]) / 2
        col = column(w.bbox[0])
        best = None
        for c in range(col, -1, -1):  # own column first, then the ones to its left
            above = [a for a in by_col.get(c, []) if a.bbox[1] <= yc + height * 0.3]
            if not above:
                continue
            cand = max(above, key=lambda a: a.bbox[1])
            if best is None:
                best = cand
            elif cand.bbox[1] > best.bbox[1] and (
                (cand.code in SPANNING and abs(cand.bbox[1] - w.bbox[1]) < height * 0.8
                 and not (abs(best.bbox[1] - w.bbox[1]) < height * 0.8 and best.bbox[2] <= w.bbox[0]))
                or w.bbox[1] - last_bottom[id(best)] > 3 * height
            ):
                best = cand  # a field printed across the columns (unless the word follows its own code on
                # the same line: "(54) Title: … (57), Abstract: …"), or continued in the next column
        if best is not None:
            best.words.append(w)
            best.line_of[w.id] = li
            last_bottom[id(best)] = max(last_bottom[id(best)], w.bbox[3])


_PARTY_START = BULLETS + "+"


def _runs(anchor: Anchor, gap: float) -> list[list[int]]:
    """The anchor's line indices in runs separated by a vertical gap wider than ``gap``."""
    lines: dict[int, list[Word]] = {}
    for w in anchor.words:
        lines.setdefault(anchor.line_of[w.id], []).append(w)
    order = sorted(lines, key=lambda li: min(w.bbox[1] for w in lines[li]))
    runs: list[list[int]] = []
    bottom = anchor.bbox[3]
    for li in order:
        top = min(w.bbox[1] for w in lines[li])
        if not runs or top - bottom > gap:
            runs.append([li])
        else:
            runs[-1].append(li)
        bottom = max(bottom, max(w.bbox[3] for w in lines[li]))
    return runs


def continue_columns(anchors: list[Anchor]) -> None:
    """Two-column front pages are read column by column: parties continued at the top of the
    right-hand column (EP: the 2nd and 3rd inventor under (87)) belong to the last party field of
    the left-hand column, not to the field printed above them. A run of lines is moved only when it
    is set apart by a gap and starts like a party entry (a bullet)."""
    if not anchors:
        return
    height = max(1, min(a.bbox[3] - a.bbox[1] for a in anchors))
    left_x = min(a.bbox[0] for a in anchors)
    for a in anchors:
        if a.bbox[0] - left_x < 400 or a.code in inid.PARTIES:
            continue
        left = [b for b in anchors if b.code in inid.PARTIES and b.bbox[0] - left_x < 150]
        if not left:
            continue
        target = max(left, key=lambda b: b.bbox[1])
        runs = _runs(a, 1.5 * height)
        for run in runs[1:]:
            words = [w for w in a.words if a.line_of[w.id] in run]
            first = sorted((w for w in words if a.line_of[w.id] == run[0]), key=lambda w: w.bbox[0])
            if not first or first[0].text[:1] not in _PARTY_START:
                continue
            moved = {w.id for w in words}
            a.words = [w for w in a.words if w.id not in moved]
            for w in words:
                target.words.append(w)
                target.line_of[w.id] = a.line_of.pop(w.id)
            target.continued.update(run)


def field_lines(anchor: Anchor) -> list[list[Word]]:
    lines: dict[int, list[Word]] = {}
    for w in anchor.words:
        lines.setdefault(anchor.line_of[w.id], []).append(w)

    def order(kv):  # lines continued in the next column come after the field's own lines
        return (kv[0] in anchor.continued, min(w.bbox[1] for w in kv[1]))

    return [sorted(ws, key=lambda w: w.bbox[0]) for _, ws in sorted(lines.items(), key=order)]


def strip_label(text: str, labels: list[str]) -> str:
    t = text.strip()
    head, sep, rest = t.partition(":")
    if sep and len(head) <= 60:
        if any(fuzz.ratio(head.lower().strip(" .|"), lab.lower().rstrip(":")) >= 75 for lab in labels) or not re.search(r"\d", head):
            return rest.strip()
    for lab in sorted(labels, key=len, reverse=True):
        if t.lower().startswith(lab.lower()):
            return t[len(lab):].strip(" :.")
    return t


@dataclass
class FieldText:
    lines: list[str]
    words: list[Word]
    page: int
    line_words: list[list[Word]] = field(default_factory=list)  # the words of each line (as ``lines``)
    edge: float | None = None  # the right edge of the field's column on the page (where lines wrap)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0

    def source(self) -> Source | None:
        return Source(page=self.page, bbox=union([w.bbox for w in self.words])) if self.words else None

    @property
    def digits_conf(self) -> float:
        """The confidence of the words that carry digits (a date or number, not its label)."""
        ws = [w for w in self.words if any(c.isdigit() for c in w.text)]
        return sum(w.conf for w in ws) / len(ws) if ws else self.conf

    def field(self, value: str, raw: str | None = None, threshold: float = 0.0, digits: bool = False) -> Field:
        conf = round(self.digits_conf if digits else self.conf, 1)
        return Field(value=value, confidence=conf, source=self.source(), raw=raw if raw is not None else self.text,
                     flagged=conf < threshold)


def _code_by_label(anchor: Anchor, codes: set[str], labels: dict[str, list[str]]) -> str | None:
    """An INID code misread (``(24)`` for ``(74)``, ``(61)`` for ``(51)``) whose printed label is
    another code's and not its own: that other code, when it is not on the page already."""
    first = sorted((w for w in anchor.words if anchor.line_of[w.id] == min(anchor.line_of.values())),
                   key=lambda w: w.bbox[0]) if anchor.words else []
    text = " ".join(w.text for w in first)
    head, sep, _ = text.partition(":")
    if not sep or len(head) > 60 or re.search(r"\d", head):
        return None
    head = head.lower().strip(" .|")

    def score(code: str) -> float:
        return max((fuzz.ratio(head, lab.lower().rstrip(":. ")) for lab in labels.get(code, []) if lab), default=0.0)
    if score(anchor.code) >= 75:
        return None
    best = sorted(((score(c), c) for c in labels if c != anchor.code and c not in codes), reverse=True)
    if best and best[0][0] >= 88 and (len(best) == 1 or best[1][0] < 75):
        return best[0][1]
    return None


def read_fields(page: OcrPage, settings: StructureSettings) -> dict[str, FieldText]:
    anchors, used = find_anchors(page, settings.inid_labels)
    assign(page, anchors, used)
    present = {a.code for a in anchors}
    for a in anchors:
        fixed = _code_by_label(a, present, settings.inid_labels)
        if fixed is not None:
            present.add(fixed)
            a.code = fixed
    continue_columns(anchors)
    edges = column_edges(page, anchors)
    out: dict[str, FieldText] = {}
    for a in anchors:
        lines = field_lines(a)
        lines = [ws for ws in lines if any(c.isalnum() for w in ws for c in w.text)]
        texts = [" ".join(w.text for w in ws) for ws in lines]
        if texts:
            texts[0] = strip_label(texts[0], settings.inid_labels.get(a.code, []))
        kept = [(t, ws) for t, ws in zip(texts, lines) if t.strip()]
        texts, lines = [t for t, _ in kept], [ws for _, ws in kept]
        words = [w for ws in lines for w in ws]
        if a.code in out:  # a code printed twice (e.g. (30) per priority): one field
            out[a.code].lines += texts
            out[a.code].words += words
            out[a.code].line_words += lines
        else:
            out[a.code] = FieldText(texts, words, page.number, lines, edges.get(id(a)))
    return out


def column_edges(page: OcrPage, anchors: list[Anchor]) -> dict[int, float]:
    """The right edge of each anchor's column (where the printer wraps a line): for the last
    column the page's text box, as wide a margin on the right as the INID codes have on the left
    (a field's own longest line is no evidence of the edge); for a column with another to its
    right, the furthest right end of a word that starts in it and does not run into the next."""
    xs = sorted({a.bbox[0] for a in anchors})
    starts: list[int] = []
    for x in xs:
        if not starts or x - starts[-1] > 150:
            starts.append(x)
    words = [w for w in page.words() if w.bbox[1] < 0.95 * page.height]
    out: dict[int, float] = {}
    for a in anchors:
        c = max(i for i, s0 in enumerate(starts) if s0 <= a.bbox[0] + 40) if starts[0] <= a.bbox[0] + 40 else 0
        lo = starts[c] - 40
        hi = starts[c + 1] - 40 if c + 1 < len(starts) else float("inf")
        rights = [w.bbox[2] for w in words if lo <= w.bbox[0] < hi and w.bbox[2] < hi]
        if c + 1 == len(starts) and page.width:
            out[id(a)] = float(max([page.width - starts[0]] + rights))
        elif rights:
            out[id(a)] = float(max(rights))
    return out




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
    text = re.sub(r"^[.,;:'’`~_-]+\s*", "", text)  # a speck before the name (".BAUTISTA")
    text = re.sub(r"^(?:and|y|e|und)\s+(?=[A-ZÁÉÍÓÚÑÜ])", "", text)  # a separator left at a wrapped line's start
    text = re.sub(r"(?<=[a-záéíóúñü])\s+(?:and|y|und)$", "", text)  # … or at its end
    text = re.sub(r"\s+[-–—~_'’`.:;]+$", "", text).rstrip(" :;")
    # a dotted company form whose last full stop the engine lost (``S.R.L`` for ``S.R.L.``)
    text = re.sub(r"(?<![\w.])((?:S\.\s?A(?:\.\s?DE\s?C\.\s?V)?|S\.\s?R\.\s?L|S\.\s?A\.\s?S|S\.\s?L|B\.\s?V|N\.\s?V|"
                  r"K\.\s?K|S\.\s?C|L\.\s?L\.\s?C|S\.\s?A\.\s?P\.\s?I\.\s?DE\s?C\.\s?V))$", r"\1.", text)
    last = text.rsplit(" ", 1)[-1]
    if last.endswith(".") and not (parties_mod.COMPANY_FORM.fullmatch(last) or "." in last[:-1] or len(last) <= 3):
        text = text[:-1]
    return text


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
            cut = next((k for k in range(1, len(chunk)) if chunk[k][0].strip()[:1] in _PARTY_START), len(chunk))
            part, chunk[:] = chunk[:cut], chunk[cut:]
            texts = [t.lstrip(_PARTY_START + " ").strip() for t, _ in part]
            words = [w for _, w in part]
            if bulleted and len(texts) > 1 and part[0][0].strip()[:1] in _PARTY_START:
                end = next((k for k, t in enumerate(texts) if parties_mod.BRACKET_CC.search(t)), len(texts) - 1)
                found.append(parties_mod.bulleted(texts[:end + 1], codes))  # EP: a party, its address lines under it
                texts, words = texts[end + 1:], words[end + 1:]
                if not texts:
                    continue
            found.extend(parties_mod.parse(texts, codes, words if all(w is not None for w in words) else None, ft.edge))

    bulleted = any(ln.strip()[:1] in _PARTY_START for ln in ft.lines)
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
        name = _clean_name(p.name)
        address = ", ".join(_clean_name(e) for e in p.address if _clean_name(e)) or None
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
    bullets = sum(1 for ln in lines if ln.strip()[:1] in _PARTY_START)
    countries = sum(1 for ln in lines for _ in re.finditer(r"\([A-Z]{2}\)", ln))
    names = 0
    for ln in parties_mod.logical_lines(lines):
        for seg in ln.split(";"):
            if seg.strip() and not parties_mod.is_address(seg):
                names += len(re.split(r"\s[-–—]\s", seg))
    if countries and not any(";" in ln or re.search(r"\s[-–—]\s", ln) for ln in lines):
        names = 0  # EP: a party's lines end at its country; its address lines are no names
    return max(bullets, countries, names, 1 if lines else 0)


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


def _publication(f: dict[str, FieldText], page: OcrPage, b: Bibliographic, offices, th: float) -> None:
    """(11)/(10) publication number, else the number printed anywhere on the page; (13); (19)."""
    pub = None
    for code in inid.PUBLICATION_NUMBER:
        if code in f and pub is None:
            pub = norm.parse_publication_number(f[code].text.replace("\n", " "), offices)
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


def _dates(f: dict[str, FieldText], b: Bibliographic, settings: StructureSettings) -> None:
    months, th = settings.months, settings.field_threshold
    for code in settings.publication_date_inids:
        if code in f and b.publication_date is None:
            iso = norm.parse_date(f[code].text, months)
            if iso:
                b.publication_date = f[code].field(iso, threshold=th, digits=True)
    for code in inid.DATES:
        if code in f and code not in settings.publication_date_inids:
            iso = norm.parse_date(f[code].text, months)
            if iso:
                setattr(b, inid.FIELD[code], f[code].field(iso, threshold=th, digits=True))


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


def _ipc(ft: FieldText, b: Bibliographic, version_threshold: float = 93.0) -> list[Issue]:
    text = ft.text.replace("\n", " ")
    b.ipc, unsettled = norm.parse_ipc_checked(text, b.value("publication_date"))
    issues = [Issue("ipc:51", u, "IPC version not settled by the pattern", ft) for u in unsettled]
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


_DIGIT_RUN = re.compile(r"[0-9OolISBZg|]*[0-9][0-9OolISBZg|]*")


def _number(fld: Field | None, pattern: str, name: str) -> list[Issue]:
    """A number in the office's format; OCR letter-for-digit errors inside its digit runs are
    repaired only when that makes it match."""
    if fld is None or not pattern:
        return []
    if re.fullmatch(pattern, fld.value):
        return []
    bare = "".join(t for t in fld.value.split() if any(c.isalnum() for c in t))  # without specks ("©")
    fixed = _DIGIT_RUN.sub(lambda m: m[0].translate(norm.DIGIT_FIX), bare)
    for candidate in (fixed, re.sub(r"^[A-Za-z]{2}(?=/)", lambda m: m[0].upper(), fixed)):  # "Mx/a/…"
        if re.fullmatch(pattern, candidate):
            fld.raw, fld.value = fld.raw or fld.value, candidate
            return []
    return [Issue(name, fld.value, f"not in the office's format {pattern}")]


def _check_numbers(b: Bibliographic, settings: StructureSettings) -> list[Issue]:
    issues = _number(b.application_number, settings.application_number_pattern, "application_number")
    app = b.value("application_number")
    if app and not issues and re.search(r"[^\w/.\- ]|^\W|[-/.]$", app):  # a mark no number prints, or cut short
        issues.append(Issue("application_number", app, "a mark inside the application number, or a number cut short"))
    issues += _number(b.doc_number, settings.publication_number_pattern, "doc_number")
    pct = b.pct_application
    if pct is not None and pct.number.startswith("PCT") and not re.fullmatch(r"PCT/[A-Z]{2}\d{4}/\d{6}", pct.number):
        issues.append(Issue("inid:86", pct.number, "not a PCT application number PCT/CCYYYY/NNNNNN"))
    if settings.kind_codes and b.kind is not None and b.kind.value not in settings.kind_codes:
        issues.append(Issue("kind", b.kind.value, f"not one of the office's kind codes {' '.join(settings.kind_codes)}"))
    return issues


_FUNCTION_WORD_MARK = re.compile(r"\b(de|del|la|las|el|los|y|o|en|con|para|por|of|the|and|or|for|in|with|to|a)[.;](?= [a-záéíóúñ])")


def _check_title(b: Bibliographic) -> list[Issue]:
    """A mark inside a title before a lower-case word ("de. origen") is a speck: removed after a
    function word (never abbreviated, never followed by punctuation in a title); anywhere else the
    pattern cannot tell a speck from a real comma or abbreviation, so a reviewer does."""
    if b.title is None:
        return []
    fixed = _FUNCTION_WORD_MARK.sub(r"\1", b.title.value)
    fixed = re.sub(r"\s+[-–—~_'’`.,:;|]+$", "", fixed)  # a speck after the last word: a title never ends so
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


def _check_dates(b: Bibliographic) -> list[Issue]:
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


@dataclass
class FrontPage:
    biblio: Bibliographic
    fields: dict[str, FieldText]
    issues: list[Issue]
    abstract: FieldText | None = None


def read_front_page(page: OcrPage, settings: StructureSettings, codes=None) -> FrontPage:
    """Every INID field of the page → bibliographic data, and the issues a reviewer must settle."""
    f = read_fields(page, settings)
    b = Bibliographic()
    th = settings.field_threshold
    issues: list[Issue] = []
    _publication(f, page, b, None, th)
    if "13" in f and b.kind is None:
        kind = f["13"].text.strip().split()[0] if f["13"].text.strip() else ""
        if kind:
            b.kind = f["13"].field(norm.KIND_FIX.get(kind, kind), threshold=th)
    if "19" in f:
        code = office_from_names(f["19"].text, settings) or next(iter(re.findall(r"\b([A-Z]{2})\b", f["19"].text)), None)
        if b.office is None and code:
            b.office = f["19"].field(code, threshold=th)
    if "12" in f:
        b.document_type = f["12"].field(" ".join(f["12"].lines[:1]).strip())
    _dates(f, b, settings)
    if "21" in f and f["21"].lines:
        b.application_number = f["21"].field(norm.clean_number(f["21"].lines[0]), threshold=th, digits=True)
    if "30" in f:
        b.priorities = parse_priorities(f["30"], settings.months)
    if "54" in f:
        title = " ".join(f["54"].lines).strip()
        if title:
            b.title = f["54"].field(title)
    for code, attr in inid.PARTY_CODES:
        if code in f:
            parties, found = parse_parties(f[code], codes, code)
            setattr(b, attr, parties)
            issues += found
    if "84" in f:
        issues += designated_states_from(f["84"], b, codes)
    for code in inid.PCT:
        if code in f:
            setattr(b, inid.FIELD[code], doc_ref(f[code], code, settings.months))
    for code in inid.RELATED:
        if code in f:
            ref = doc_ref(f[code], code, settings.months)
            if ref is not None:
                b.related_documents.append(ref)
    if "51" in f:
        issues += _ipc(f["51"], b, settings.name_word_threshold)
    issues += _check_dates(b) + _check_numbers(b, settings) + _check_title(b)
    return FrontPage(b, f, issues, f.get("57"))


def parse_front_page(page: OcrPage, settings: StructureSettings, offices: set[str] | None = None) -> tuple[Bibliographic, str | None, FieldText | None]:
    """Returns the bibliographic data, the abstract text (57) and its field."""
    fp = read_front_page(page, settings)
    return fp.biblio, (fp.abstract.text if fp.abstract else None), fp.abstract
