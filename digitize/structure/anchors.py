"""Where each INID field is on a front page: anchors, columns, and each field's words and text.

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

from .. import inid
from ..model import Field, OcrPage, Source, Word
from ..settings.structure import StructureSettings
from .layout import BULLETS, union

INID = re.compile(r"^[_.,'‘’`~-]*[\(\[{|]\s*([1-9][0-9])\s*[\)\]}|]$|^([1-9][0-9])[\)\]}|]$")
INID_HALF_OPEN = re.compile(r"^[\(\[{]([1-9])$")
INID_HALF_CLOSE = re.compile(r"^([0-9])[\)\]}]$")
INID_PUNCT = re.compile(r"^[\(\[{|]\s*([1-9][0-9])\s*[\)\]}|][,.:;]$")  # "(57)," : an anchor when its label follows
SPANNING = {"12", "54"}  # printed across the columns
HEADING = {"19", "12"}  # the office and the kind of document: printed above the fields (ST.9)
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


BARE = re.compile(r"^([1-9][0-9])$")  # a code printed without brackets (``21 Número de solicitud``, a margin column)
RULE = re.compile(r"^[|¦!\[\]]+$")  # a table's rule read as a mark between a code and its label (``21 | Expediente:``)


def past_rules(words: list[Word]) -> list[Word]:
    """The words from the first that is not a rule read as a mark (a code | label | value grid)."""
    k = 0
    while k < len(words) and RULE.match(words[k].text):
        k += 1
    return words[k:]


def starts_field(ws: list[Word], i: int) -> bool:
    """Word ``i`` of a line begins a field: it starts the line, follows a gap wider than a word
    space (a column gutter) or a rule read as a mark (the rule between two columns, when the
    engine reads a line across both: ``22 Date of filing 15.07.2017 | 73 Proprietors …``)."""
    h = max(1, ws[i].bbox[3] - ws[i].bbox[1])
    return i == 0 or ws[i].bbox[0] - ws[i - 1].bbox[2] > 2.5 * h or bool(RULE.match(ws[i - 1].text))


def label_table(labels: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """The profile's labels per code, then the offices' (``inid.LABELS``) it does not repeat."""
    out: dict[str, list[str]] = {c: [lab for lab in labs if lab] for c, labs in (labels or {}).items()}
    for code, labs in inid.LABELS.items():
        have = out.setdefault(code, [])
        have += [lab for lab in labs if lab not in have]
    return out


def label_starts(code: str, words: list[Word], table: dict[str, list[str]]) -> bool:
    """The words begin with one of ``code``'s labels (whole, not a part of a longer phrase's
    middle): what confirms a bare number as that code."""
    if not words:
        return False
    head = " ".join(w.text for w in words[:7]).lower()
    for lab in table.get(code, []):
        lab = lab.lower().rstrip(":. ")
        if len(lab) >= 4 and fuzz.ratio(lab, head[:len(lab)]) >= 85:
            return True
        if len(lab) == 3 and re.match(re.escape(lab) + r"\s?:", head):  # a short label, whole, and its colon (``IPC:``)
            return True
    return False


def find_anchors(page: OcrPage, labels: dict[str, list[str]] | None = None,
                 table: dict[str, list[str]] | None = None) -> tuple[list[Anchor], set[str]]:
    """Every INID code on the page; a code read with a mark after it (``(57),``) only when its own
    label follows (``labels``: code -> labels) or it is alone on its line (a column of codes). A
    code printed bare (``21``) is a code only when two signals agree: its own label follows it on
    the line, or it stands in a column of bare codes, alone on their lines, most of them with their
    label beside them on the same row. ``table``: ``label_table(labels)`` when the caller has it
    (built once per page)."""
    table = label_table(labels) if table is None else table
    anchors, used = [], set()
    alone: list[Word] = []  # bare codes alone on their lines: a margin column?
    leading: list[Word] = []  # bare codes starting a line, their label not beside them: in such a column?
    labelled: list[Word] = []  # bare codes their label confirmed
    misread: list[tuple[str, Word]] = []  # bare numbers starting a line whose label is another code's
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
                mb = BARE.match(w.text)
                if mb and mb[1] in inid.KNOWN:
                    if len(ws) == 1:
                        alone.append(w)
                    elif starts_field(ws, i) and label_starts(mb[1], past_rules(ws[i + 1:]), table):
                        code = mb[1]
                        labelled.append(w)
                    elif i == 0:
                        leading.append(w)
                if mb and code is None and i == 0 and len(ws) > 1:  # a code misread (``34`` for 54): its label says which
                    hits = [c for c in table if c in inid.KNOWN and label_starts(c, past_rules(ws[1:]), table)]
                    if len(hits) == 1:
                        misread.append((hits[0], w))
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
    present = {a.code for a in anchors}
    for code, w in misread:  # taken when no code of the page is that code already
        if code not in present and sum(c == code for c, _ in misread) == 1:
            anchors.append(Anchor(code, w.bbox))
            used.add(w.id)
            labelled.append(w)
    leading = [w for w in leading if w.id not in used]
    scale = page.width / 2480 if page.width else 1.0
    columns = []
    while True:  # one column of codes per column of fields (EP: the left one, and the right one)
        col = _code_column(page, alone, table)
        if not col:
            break
        columns.append(min(w.bbox[0] for w in col))
        for w in col:
            anchors.append(Anchor(w.text, w.bbox))
            used.add(w.id)
        alone = [w for w in alone if w.id not in used]
    for w in labelled:  # three different bare codes, each with its label, starting lines at one left edge
        col = {x.text for x in labelled if abs(x.bbox[0] - w.bbox[0]) <= 40 * scale}
        if len(col) >= 3:
            columns.append(w.bbox[0])
    for w in leading:  # a code of such a column with its field's text beside it (``54 METHOD FOR …``)
        if any(abs(w.bbox[0] - x) <= 40 * scale for x in columns):
            anchors.append(Anchor(w.text, w.bbox))
            used.add(w.id)
    return anchors, used


def _code_column(page: OcrPage, alone: list[Word], table: dict[str, list[str]]) -> list[Word]:
    """Bare codes alone on their lines that form a margin column: three or more different codes
    whose left edges align, at least two (and half) of them with their own label beside them on
    the same row. A column of numbers in a table has no such labels."""
    if len(alone) < 3:
        return []
    scale = page.width / 2480 if page.width else 1.0
    words = page.words()
    best: list[Word] = []
    for w in alone:
        col = [x for x in alone if abs(x.bbox[0] - w.bbox[0]) <= 40 * scale]
        if len({x.text for x in col}) > len({x.text for x in best}):
            best = col
    if len({x.text for x in best}) < 3:
        return []
    confirmed = 0
    for c in best:
        h = max(1, c.bbox[3] - c.bbox[1])
        row = sorted((x for x in words if x is not c and c.bbox[2] < x.bbox[0] < c.bbox[2] + 400 * scale
                      and abs(x.bbox[1] - c.bbox[1]) < 0.8 * h), key=lambda x: x.bbox[0])
        confirmed += label_starts(c.text, row, table)
    return best if confirmed >= max(2, len(best) // 2) else []


_LABEL_SPECK = re.compile(r"^[\W_]+|[\W_]+$")


def label_anchors(page: OcrPage, anchors: list[Anchor], used: set[str],
                  table: dict[str, list[str]]) -> list[Anchor]:
    """Fields whose code the engine lost but whose label it read (``Inventors:`` without ``(72)``):
    a label ending in a colon, at the start of a line or after a gap wider than a column gutter,
    that names a code not on the page, is that code's anchor. It stands where the label is,
    moved left to the codes' column when the page's codes stand just left of their labels (the
    same column). ``table``: the page's labels (``label_table``). Returns the new anchors (their
    words added to ``used``)."""
    present = {a.code for a in anchors}
    table = {c: [lab.lower() for lab in labs] for c, labs in table.items() if c in inid.KNOWN}
    scale = page.width / 2480 if page.width else 1.0
    code_xs = [a.bbox[0] for a in anchors]
    out: list[Anchor] = []
    for line in page.lines():
        ws = line.words
        i = 0
        while i < len(ws):
            w = ws[i]
            hit = None
            if starts_field(ws, i) and w.id not in used:
                for k in range(1, 6):
                    if i + k > len(ws) or any(x.id in used for x in ws[i:i + k]):
                        break
                    text = " ".join(x.text for x in ws[i:i + k]).rstrip(" .;|")
                    if not text.endswith(":"):
                        continue
                    head = _LABEL_SPECK.sub("", text[:-1]).lower()
                    head = re.sub(r"[^\w()/°º ]+$", "", head)
                    if len(head) < 4:
                        continue
                    scores = sorted(((max(fuzz.ratio(head, lab) for lab in labs), c) for c, labs in table.items()
                                     if labs), reverse=True)
                    top = [c for sc, c in scores if sc >= 80]
                    if scores and scores[0][0] >= 88 and len(top) == 1 and top[0] not in present \
                            and not _beside_code(w, anchors, scale):
                        hit = (top[0], k)
                    break  # the first colon ends the candidate label
            if hit is None:
                i += 1
                continue
            code, k = hit
            x0 = w.bbox[0]
            left = [x for x in code_xs if 60 * scale <= x0 - x <= 260 * scale]
            if left:
                x0 = max(left)
            bbox = union([x.bbox for x in ws[i:i + k]])
            out.append(Anchor(code, (x0, bbox[1], bbox[2], bbox[3])))
            used.update(x.id for x in ws[i:i + k])
            present.add(code)
            i += k
    return out


def _beside_code(w: Word, anchors: list[Anchor], scale: float) -> bool:
    """A code printed just left of the word on its row: the label is that code's."""
    h = w.bbox[3] - w.bbox[1]
    return any(abs(a.bbox[1] - w.bbox[1]) < h and a.bbox[0] < w.bbox[0] and w.bbox[0] - a.bbox[2] < 300 * scale
               for a in anchors)


def is_front_page(page: OcrPage) -> bool:
    anchors, _ = find_anchors(page)
    return len({a.code for a in anchors}) >= 3


FILING_CODES = frozenset({"21", "22", "30", "43", "45", "51"})  # filing, priority, publication, classification
NAMING_CODES = frozenset({"54", "57", "71", "72", "73", "74"})  # title, abstract, parties


def prints_bibliography(page: OcrPage) -> bool:
    """A front page told by its codes' kinds, not their number: three codes or more, among them
    a filing, priority, publication or classification code and a title, abstract or party code,
    each printed about once. Reference numerals in parentheses (``(11)``, ``(12)`` in a
    description) pass ``is_front_page``; they repeat, and seldom fall in both groups."""
    anchors, _ = find_anchors(page)
    codes = [a.code for a in anchors]
    distinct = set(codes)
    return (len(distinct) >= 3 and bool(distinct & FILING_CODES) and bool(distinct & NAMING_CODES)
            and len(codes) - len(distinct) <= 2)


def assign(page: OcrPage, anchors: list[Anchor], used: set[str]) -> None:
    """Give every word to the nearest anchor above it in its column (see the module docstring).
    The page's heading (``heading``: the codes printed above the first row of its fields, ``(19)
    REPUBLICA ARGENTINA``, ``(12) PATENTE CONCEDIDA`` centred, EP's ``(11)`` top right) is read
    apart: a word under the fields' first row goes to a field's code, never to a heading's (the
    values printed in the label column's right-hand half are beside their labels, not under the
    heading that happens to stand above them), and the heading starts no column for them."""
    if not anchors:
        return
    height = max(1, min(a.bbox[3] - a.bbox[1] for a in anchors))
    head, top = heading(anchors)
    fields = [a for a in anchors if all(a is not h for h in head)]
    columns = column_starts(anchors)
    field_columns = column_starts(fields)

    def at(cols: list[int], x: float) -> int:
        idx = 0
        for i, cx in enumerate(cols):
            if cx <= x + 40:
                idx = i
        return idx

    def column(x: float) -> int:
        return at(columns, x)

    by_col: dict[int, list[Anchor]] = {}
    for a in anchors:
        by_col.setdefault(column(a.bbox[0]), []).append(a)
    field_by_col: dict[int, list[Anchor]] = {}
    for a in fields:
        field_by_col.setdefault(at(field_columns, a.bbox[0]), []).append(a)
    last_bottom: dict[int, int] = {id(a): a.bbox[3] for a in anchors}
    words = [(li, w) for li, line in enumerate(page.lines()) for w in line.words if w.id not in used]
    for li, w in sorted(words, key=lambda t: (t[1].bbox[1], t[1].bbox[0])):
        if w.bbox[1] > 0.95 * page.height or w.bbox[2] < columns[0] - 20:
            continue  # the printer's footer; the number printed sideways in the margin
        yc = (w.bbox[1] + w.bbox[3]) / 2
        if head and yc > top:  # under the heading: the fields' own columns
            cols, col = field_by_col, at(field_columns, w.bbox[0])
        else:
            cols, col = by_col, column(w.bbox[0])
        best = None
        for c in range(col, -1, -1):  # own column first, then the ones to its left
            above = [a for a in cols.get(c, []) if a.bbox[1] <= yc + height * 0.3]
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
    _keep_lines_whole(page, anchors, used, column)


def heading(anchors: list[Anchor]) -> tuple[list[Anchor], float]:
    """The codes printed above the page's fields, and where the fields begin: the fields' first
    row is the top of the column holding the most codes (anchors within 150 px share a column),
    not counting the codes of a heading by their nature (``HEADING``: the office, the kind of
    document); a code whose box ends above it is the heading's. ``([], 0)`` when no column holds
    two codes."""
    main = max(column_groups(anchors), key=len)
    rows = [a for a in main if a.code not in HEADING]
    if len(main) < 2 or not rows:
        return [], 0.0
    top = min(a.bbox[1] for a in rows)
    return [a for a in anchors if a.bbox[3] <= top], float(top)


def column_groups(anchors: list[Anchor]) -> list[list[Anchor]]:
    """The anchors by the column they stand in, left to right: an anchor within 150 px of a
    column's first (leftmost) anchor is in that column."""
    groups: list[list[Anchor]] = []
    for a in sorted(anchors, key=lambda a: a.bbox[0]):
        if groups and a.bbox[0] - groups[-1][0].bbox[0] <= 150:
            groups[-1].append(a)
        else:
            groups.append([a])
    return groups


def column_starts(anchors: list[Anchor]) -> list[int]:
    """The left edges of the columns the anchors stand in (``column_groups``)."""
    return [g[0].bbox[0] for g in column_groups(anchors)]


def _keep_lines_whole(page: OcrPage, anchors: list[Anchor], used: set[str], column) -> None:
    """A line printed across the column boundary (a full-width abstract under a two-column
    front page) is one field's: a word that follows the word before it at a word space, not a
    gutter, stays with that word's field, not with the field above it in the next column."""
    owner = {w.id: a for a in anchors for w in a.words}
    for line in page.lines():
        prev = None
        for w in sorted(line.words, key=lambda x: x.bbox[0]):
            a = owner.get(w.id)
            if prev is not None and a is not None and w.id not in used:
                p = owner.get(prev.id)
                h = max(1, prev.bbox[3] - prev.bbox[1])
                if p is not None and p is not a and w.bbox[0] - prev.bbox[2] < 1.2 * h \
                        and column(a.bbox[0]) > column(p.bbox[0]):
                    a.words.remove(w)
                    li = a.line_of.pop(w.id)
                    p.words.append(w)
                    p.line_of[w.id] = li
                    owner[w.id] = a = p
            prev = w


PARTY_START = BULLETS + "+°"  # "°": a bullet "•" as the engine often reads it


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
            if not first or first[0].text[:1] not in PARTY_START:
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

    out = [sorted(ws, key=lambda w: w.bbox[0]) for _, ws in sorted(lines.items(), key=order)]
    # two lines of one row read apart (the label in one block, its value in the next: ``Patent No.:``
    # beside ``PH 12021964430 A1``, the value a few pixels higher) are read left to right
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if _same_row(a, b) and b[0].bbox[0] < a[0].bbox[0] and b[-1].bbox[2] <= a[0].bbox[0]:
            out[i], out[i + 1] = b, a
    return out


def _same_row(a: list[Word], b: list[Word]) -> bool:
    """Two lines whose boxes overlap by more than half the shorter one's height."""
    at, ab = min(w.bbox[1] for w in a), max(w.bbox[3] for w in a)
    bt, bb = min(w.bbox[1] for w in b), max(w.bbox[3] for w in b)
    return min(ab, bb) - max(at, bt) > 0.5 * min(ab - at, bb - bt)


def _compact(text: str) -> str:
    return re.sub(r"[\s.:]+", "", text.lower())


# what is left of a label's plural or gender ending once its word is taken off (``Inventor(s)`` read
# ``Inventor (s)``, ``Titular/es``)
_LABEL_ENDING = re.compile(r"^(?:\((?:s|es|as|os|e)\)|/(?:s|es|as|os))(?=[\s:.\-–—]|$)", re.I)


def strip_label(text: str, labels: list[str]) -> str:
    """A field's first line without its printed label: up to a colon, or the label's words (read
    fuzzily, with or without the spaces the engine gives) followed by nothing or a mark (``-``)."""
    return split_label(text, labels)[0]


def split_label(text: str, labels: list[str]) -> tuple[str, list[str]]:
    """``strip_label``, and the words of the label printed on the field's next line: a label
    wrapped in its narrow cell (``Título de la`` / ``Invención:`` beside ``PUERTA …``) is read on
    the first line as far as it goes; the rest of its words are returned to be taken off the next
    lines (``[]`` when the whole label was read)."""
    words = text.strip().split()
    while words and RULE.match(words[0]):
        words = words[1:]
    t = " ".join(words)
    rest, left = _strip_whole(t, labels), []
    cut = (0, 0, [])  # (prefix length, words read, the label's words left)
    for lab in labels:
        lw = lab.split()
        for p in range(len(lw) - 1, 1, -1):  # a prefix of two words or more, the longest first
            key = _compact(" ".join(lw[:p]))
            if len(key) < 8 or len(key) <= cut[0]:
                continue
            if p < len(words) and all(fuzz.ratio(_compact(a), _compact(b)) >= 80 for a, b in zip(words[:p], lw[:p])):
                cut = (len(key), p, lw[p:])  # word by word: ``Fecha de publicación 7`` is no ``… de``
    if cut[1]:
        longer = len(_compact(t)) - len(_compact(rest))  # what the whole-label match took
        if cut[0] > longer + 2:
            rest = " ".join(words[cut[1]:]).lstrip(" :.-–—;,|")
            left = cut[2]
    return rest, left


def _strip_whole(text: str, labels: list[str]) -> str:
    t = text.strip()
    head, sep, rest = t.partition(":")
    if sep and len(head) <= 60:
        if any(fuzz.ratio(head.lower().strip(" .|"), lab.lower().rstrip(":")) >= 75 for lab in labels) or not re.search(r"\d", head):
            return _LABEL_ENDING.sub("", rest.strip()).strip()
    words = t.split()
    best = (0, 0.0, 0)  # (label length, how well, words): the longest label read, then its best reading
    for lab in labels:
        key = _compact(lab)
        if len(key) < 3:
            continue
        n = len(lab.split())
        for k in range(max(1, n - 1), min(len(words), n + 1) + 1):
            score = fuzz.ratio(_compact(" ".join(words[:k])), key)
            if "/" in words[k - 1][1:]:  # the label and an alternative wording after a slash (``Agent/Attorney``)
                score = max(score, fuzz.ratio(_compact(" ".join(words[:k - 1] + [words[k - 1].split("/")[0]])), key))
            # a longer label read wins over a shorter one it starts with (``Título de la invención``
            # read ``Titulo de la invención``, not ``Titulo`` and a title starting ``de la invención``)
            if score >= 88 and (len(key), score, k) > best:
                best = (len(key), score, k)
    if best[2]:
        rest = " ".join(words[best[2]:]).lstrip(" :.-–—;,")
        return _LABEL_ENDING.sub("", rest).lstrip(" :.-–—").strip()
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
    if best and best[0][0] >= 88 and (len(best) == 1 or best[1][0] < 75 or best[0][0] - best[1][0] >= 15):
        return best[0][1]
    return None


def read_fields(page: OcrPage, settings: StructureSettings,
                table: dict[str, list[str]] | None = None) -> dict[str, FieldText]:
    """The page's INID fields by code. ``table``: the page's labels (``label_table`` of the
    profile's), built once per page by the caller and shared with the gate."""
    table = label_table(settings.inid_labels) if table is None else table
    anchors, used = find_anchors(page, settings.inid_labels, table)
    if len({a.code for a in anchors}) >= 3:  # a front page: codes lost by the engine, found by their labels
        anchors += label_anchors(page, anchors, used, table)
    assign(page, anchors, used)
    present = {a.code for a in anchors}
    for a in anchors:
        fixed = _code_by_label(a, present, table)
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
            texts[0], left = split_label(texts[0], table.get(a.code, []))
            for n in range(1, min(3, len(texts))):  # the label's last words, wrapped in its cell
                got = texts[n].split()
                if left and len(got) >= len(left) and all(
                        fuzz.ratio(g.lower().rstrip(":.;| "), w.lower().rstrip(":.")) >= 80
                        for g, w in zip(got, left)):
                    rest = [g for g in got[len(left):] if not re.fullmatch(r"[\W_]+", g)]
                    lines[n] = [w for w in lines[n] if w.text in rest]
                    texts[n] = " ".join(rest)
                    break
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
    starts = column_starts(anchors)
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
