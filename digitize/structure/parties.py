"""Party lists of (71)/(72)/(73)/(74) read by their structure, not by one office's layout.

A field's lines are first joined where the printer wrapped them (the next line's first word would
not have fitted on the line before, or the line before ends on a connector or the next one starts
with a company form), then cut into parties at line breaks and at the separators offices print:
`` - `` (AR Boletín: ``SURNAME, NAMES - SURNAME, NAMES``), ``;``, `` y `` / `` and `` between two
names. A segment shaped like an address (a house number or postcode, a street word, a trailing
``, CC``) is the address of the party before it, never a party or part of a name: MX prints
``NAME; street, city, state, CC``, EP the address on the lines under the name and the country in
brackets. Names are kept as printed (``APELLIDO, NOMBRE`` and ``NOMBRE APELLIDO``), with their
company form (``S.A. DE C.V.``, ``INC.``, ``LTDA.``, ``GmbH``).

``problems(party)`` says what in a read party is not shaped like a name (digits, address words, a
separator left inside), for the queue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

STREET = re.compile(
    r"^(?:av(?:da|enida)?\.?|calle|c/|blvd\.?|bv\.?|boulevard|bulevar|calzada|carrera|cra\.?|paseo|camino|ruta|"
    r"carretera|km\.?|rua|via|piso|col(?:onia)?\.?|street|st\.|road|rd\.|drive|dr\.|avenue|ave\.?|lane|suite|"
    r"p\.?o\.? box|building|bldg\.?|floor|unit)\b", re.I)
STREET_WORD = re.compile(r"\b(?:stra(?:ß|ss)e|str\.|weg|platz|allee|road|street|avenue|drive|boulevard|blvd\.?)\b", re.I)
HOUSE_NUMBER = re.compile(r"(?<![\w.])(?:n[o°º]\.?\s?)?\d{1,6}(?:[-/]\d{1,5})?[a-zA-Z]?(?![\w])")
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}-?)?\d{4,5}\b|\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b")
# ``…, Texas, US``: after a comma (``1095 KR Amsterdam``'s ``KR`` is a postcode's, not a country); a speck before it ("‘MX")
TRAILING_CC = re.compile(r",\s*['‘’`\"·.]?([A-Z]{2})\.?\s*$")
# ``(US)`` or ``[US]`` (some gazettes print square brackets); a speck or a rule's ``|`` after it
BRACKET_CC = re.compile(r"[(\[]([A-Za-z0-9|!]{2})[)\]][\s.,:;'’`|]*$")
COMPANY_FORM = re.compile(
    r"(?:S\.\s?A\.(?:\s?DE\s?C\.\s?V\.)?|S\.\s?A\.\s?S\.|S\.\s?L\.|S\.\s?R\.\s?L\.|S\.\s?A\.\s?C\.\s?I\.|LTDA\.?|INC\.?|"
    r"Inc\.?|LLC|L\.L\.C\.|LLP|L\.L\.P\.|LTD\.?|Ltd\.?|LIMITED|Limited|GmbH|GMBH|AG|CORP(?:ORATION)?\.?|Corp(?:oration)?\.?|"
    r"CO\.|Co\.|K\.K\.|N\.V\.|B\.V\.|PLC|plc|S\.p\.A\.|SPA|S\.C\.)", re.I)
FORM_WORD = re.compile(rf"(?<![\w.])(?:{COMPANY_FORM.pattern})(?!\w)", re.I)  # a form as a word (not ``ag`` in ``Laguna``)
FORM_START = re.compile(r"^(?:S\.\s?A\.|S\.\s?L\.|S\.\s?R\.\s?L\.|DE\s?C\.?\s?V\.|C\.\s?V\.|INC\.?|LTDA\.?|LLC|GmbH|"
                        r"CORP|LTD|LIMITED|Y ASOCIADOS|AG\b|Inc\.?|Ltd\.?)", re.I)
# a company form ending a line (``… CERRADO LTDA.``, ``… S.A. DE C.V.``): the party is whole
FORM_END = re.compile(r"(?:\bS\.\s?A\.|\bS\.\s?R\.\s?L\.|\bLTDA\.|\bINC\.|\bC\.\s?V\.|\bS\.\s?p\.\s?A\.|\bB\.\s?V\.|"
                      r"\bGmbH|\bGMBH|\bLLC|\bLTD\.|\bCORP\.|\bCORPORATION|\bLIMITED)$")
CONNECTOR_END = re.compile(r"(?:\b(?:DE|DEL|LA|LAS|LOS|EL|Y|E|AND|OF|THE|FOR|DA|DO|DOS|VAN|VON|DER)|[,&-])$", re.I)
NAME_SEP = re.compile(r"\s+[-–—]\s+|\s+(?:y|and|e)\s+")


@dataclass
class Printed:
    """One party as printed: its name, address and country (ST.3 as read, unchecked)."""

    name: str
    address: list[str] = field(default_factory=list)
    country: str | None = None
    closed: bool = False  # its country was printed: nothing after it belongs to it


def is_address(text: str) -> bool:
    """Shaped like an address (never like a name): a house number or postcode, a street word, or
    ``city, state, CC``."""
    t = text.strip(" ,;")
    if not t:
        return False
    if HOUSE_NUMBER.search(t) or POSTCODE.search(t) or STREET.match(t) or STREET_WORD.search(t):
        return True
    return t.count(",") >= 2 and TRAILING_CC.search(t) is not None and not COMPANY_FORM.search(t)


def _trailing_country(text: str, codes) -> tuple[str, str | None, bool]:
    """``… (US)`` or ``…, Texas, US`` → the text without it, the code read, and whether one was
    printed (a bracket or a final two-letter code after a comma)."""
    from . import repair

    text = re.sub(r"[\s©®°'’`|~_]+$", "", text)  # a speck after the code
    m = BRACKET_CC.search(text)
    if m:
        return text[: m.start()].strip(" ,"), m[1], True
    m = TRAILING_CC.search(text)
    if m and "," in text and repair.country(m[1], codes) is not None:
        return text[: m.start()].strip(" ,"), m[1], True
    return text, None, False


# two ``SURNAME, Given`` names whose separator the engine lost or misread (``;`` as ``:`` or nothing):
# a capitalised given name, then a surname in capitals with its comma
_LOST_SEP = re.compile(r"(?<=[a-záéíóúñü])\s*[:;]?\s+(?=[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ'-]+(?:\s[A-ZÁÉÍÓÚÑÜ'-]+){0,2},\s[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü])")


_U = "A-ZÁÉÍÓÚÑÜÄÖÅØÇÈÊ"
_L = "a-záéíóúñüäöåøçèêëïîß"
# ``Given Names SURNAMES``: capitalised given names (``del``, ``de la`` between them), then surnames in capitals
_GIVEN_FIRST = rf"[{_U}][{_L}]+(?:[\s-]+(?:(?:de|del|la|las|los|y)\s+)*[{_U}][{_L}]+)*(?:\s+[{_U}][{_U}'’.-]+)+"
_GIVEN_FIRST_NAME = re.compile(_GIVEN_FIRST)
# two such names whose separator was lost: a capitalised word after the first one's surnames starts the next
_GIVEN_AFTER_SURNAME = re.compile(rf"(?<=[{_U}]{{2}})\s+(?=[{_U}][{_L}]+(?:\s+[{_U}][{_L}]+)*\s+[{_U}]{{2}})")


def _split_names(text: str) -> list[str]:
    """``A, B - C, D`` / ``A y B`` → names; a lower-case ``y``/``and`` splits only between two
    names of two words or more (``Smith and Sons`` stays one); ``SURNAME, Given SURNAME, Given``
    (the separator lost) is two names; ``Given SURNAME, Given SURNAME`` (each piece between commas
    a given name and a surname) is a list; companies listed with commas (``… LTDA., OLIVARES DE
    CHILECITO S.A.``: a piece ending in its company form after one) are as many names."""
    pieces = [p.strip() for p in re.split(r"\s+[-–—]\s+", text) if p.strip()]
    out = []
    for p in pieces:
        parts = re.split(r"\s+(?:y|and)\s+", p)
        if len(parts) > 1 and all(len(x.split()) >= 2 or "," in x for x in parts):
            out += [x.strip() for x in parts if x.strip()]
        else:
            out.append(p)
    names = []
    for p in out:
        commas = [c.strip() for c in p.split(",")]
        if len(commas) >= 2 and all(_GIVEN_FIRST_NAME.fullmatch(c) for c in commas):
            names += commas
        elif p.count(",") >= 2 and not _GIVEN_FIRST_NAME.match(p):
            names += _LOST_SEP.split(p)
        elif "," not in p and _GIVEN_FIRST_NAME.match(p):
            names += _GIVEN_AFTER_SURNAME.split(p) if _all_given_first(p) else [p]
        else:
            names += _company_list(p)
    return [q.strip() for q in names if q.strip()]


def _all_given_first(text: str) -> bool:
    """The text is two or more ``Given SURNAME`` names run together (``Jimena GÓMEZ DE LA TORRE
    REQUENA Cristóbal VALLEJO``)."""
    parts = _GIVEN_AFTER_SURNAME.split(text)
    return len(parts) >= 2 and all(_GIVEN_FIRST_NAME.fullmatch(x.strip()) for x in parts)


def _company_list(text: str) -> list[str]:
    """``SEMENTES DO CERRADO LTDA., OLIVARES DE CHILECITO S.A.`` → two companies: a comma after a
    company form, and the piece after it ending in a company form of its own."""
    pieces = re.split(r"(?<=\.)\s*,\s+", text)
    if len(pieces) < 2:
        return [text]
    out = [pieces[0]]
    for q in pieces[1:]:
        if FORM_END.search(out[-1]) and FORM_END.search(q) and not FORM_START.match(q):
            out.append(q)
        else:
            out[-1] = f"{out[-1]}, {q}"
    return out


def _wrapped(prev_words, next_words, edge: float | None) -> bool:
    """The printer wrapped here: the next line's first word would not have fitted after the
    previous line (its right end + a space + the word's width beyond the column's right edge)."""
    if not prev_words or not next_words or not edge:
        return False
    right = max(w.bbox[2] for w in prev_words)
    if right > edge + 5:  # lines continued in another column (EP): that column's edge is not known
        return False
    first = min(next_words, key=lambda w: w.bbox[0])
    heights = sorted(w.bbox[3] - w.bbox[1] for w in prev_words)
    height = heights[len(heights) // 2]
    # ink is narrower than the type's advance: within half a line height of the edge counts as not fitting
    return right + 0.35 * height + (first.bbox[2] - first.bbox[0]) > edge - 0.5 * height


def _terminated(line: str) -> bool:
    """The line ends a party: its country in brackets, or an address after ``;`` ending ``, CC``."""
    if BRACKET_CC.search(line):
        return True
    if ";" not in line and is_address(line) and TRAILING_CC.search(line):  # an address's last line ``City, State, CC``
        return True
    last = line.rsplit(";", 1)
    return len(last) == 2 and is_address(last[1]) and TRAILING_CC.search(last[1]) is not None


def logical_lines(lines: list[str], line_words: list[list] | None = None, edge: float | None = None) -> list[str]:
    """Printed lines joined where they were wrapped."""
    out: list[str] = []
    words_of = line_words if line_words and len(line_words) == len(lines) else [None] * len(lines)
    for i, ln in enumerate(lines):
        ln = ln.strip()
        if not ln:
            continue
        if out:
            prev = out[-1]
            if BRACKET_CC.fullmatch(ln) and not BRACKET_CC.search(prev):
                out[-1] = f"{prev} {ln}"  # a country alone on a line: the line above's
                continue
            terminated = _terminated(prev) or (FORM_END.search(prev) is not None and not FORM_START.match(ln))
            cue = CONNECTOR_END.search(prev) is not None or FORM_START.match(ln) is not None \
                or (ln[:1].islower() and not (is_address(ln) and ";" not in prev)) \
                or (_cut_name(prev) and not is_address(ln)) or _list_wraps(prev, ln)
            geo = words_of[i] is not None and _wrapped(words_of[i - 1], words_of[i], edge) \
                and not (";" not in ln + prev and is_address(ln) and not is_address(prev))  # EP: the town under a name
            if not terminated and (cue or geo):
                out[-1] = f"{prev} {ln}"
                continue
        out.append(ln)
    return out


def _list_wraps(prev: str, line: str) -> bool:
    """A list of names separated by ``;`` (no address among them) whose line ends without one:
    the printer wrapped the last name (``…; GRANITE PEAK`` / ``INSTRUMENTS, INC.``)."""
    pieces = [p.strip() for p in prev.split(";")]
    return len(pieces) >= 2 and all(pieces) and not any(is_address(p) or BRACKET_CC.search(p) for p in pieces) \
        and not is_address(line)


def _cut_name(line: str) -> bool:
    """A list's line ends on a name cut in two by the printer's wrap: after the last separator
    (``;``, `` - ``, `` y ``, `` and ``) one word alone (``…; Shiela`` / ``Mae LAUREL; …``,
    ``REQUENA, Abelardo y PALAFOX`` / ``MÚJICA, Débora y …``): no name of the list is one word."""
    parts = re.split(r";|\s[-–—]\s|\s(?:y|and)\s", line)
    commas = [c.strip() for c in line.split(",")]
    if len(commas) >= 2 and all(_GIVEN_FIRST_NAME.fullmatch(c) for c in commas[:-1]):
        parts = commas  # ``Given SURNAME, Given SURNAME, Erik`` / ``HÄUSSLER and …``
    if len(parts) < 2:
        return False
    last = parts[-1].strip()
    return bool(re.fullmatch(r"[^\W\d_][^\W\d_'’-]+", last)) and not COMPANY_FORM.fullmatch(last)


def entries(lines: list[str], line_words: list[list] | None) -> list[list[str]] | None:
    """A party list printed with a hanging indent: each entry starts at the list's left margin and
    its wrapped lines and address lines are indented under it (by about a line's height). When the
    field's lines stand at both places (the first line at the margin or beside its label), its
    lines grouped by entry: an entry's name lines joined into one line (where the printer wrapped
    it), its address lines into another (an address's lines after a ``;`` stay on the name's line,
    as printed). None when no line is indented: nothing to say, the other signals decide."""
    if not line_words or len(line_words) != len(lines) or len(lines) < 2:
        return None
    xs: list[float | None] = []
    heights = []
    for text, ws in zip(lines, line_words):
        k = len(text.split())  # the value's words (a label beside it on the first line is not the list's)
        ws = [w for w in ws if w.text.strip()]
        value = [w for w in (ws[-k:] if 0 < k <= len(ws) else ws) if any(c.isalnum() for c in w.text)]
        lettered = any(sum(c.isalpha() for c in w.text) >= 3 for w in value)
        xs.append(value[0].bbox[0] if lettered else None)  # a code or specks alone (``72``, ``io``): no place
        heights += [w.bbox[3] - w.bbox[1] for w in value]
    if not heights:
        return None
    lines = list(lines)
    if xs[0] is None and xs[1] is not None and re.search(r"[^\W\d_]", lines[0]):
        lines, xs = [f"{lines[0]} {lines[1]}"] + lines[2:], xs[1:]  # a speck's letters (``o``) before the first name
    if all(x is None for x in xs):
        return None
    h = sorted(heights)[len(heights) // 2]
    margin = min(x for x in xs if x is not None)
    indented = [x is not None and 0.5 * h < x - margin < 2.5 * h for x in xs]
    if indented[0] or not any(indented):
        return None
    groups: list[list[str]] = []
    for i, text in enumerate(lines):
        # indented, a country alone (``(DE)``) or a line without a word (``21100,``) continues the entry;
        # so does an address at the margin (a layout that indents only the name's wrapped lines), and a
        # town under an address line, unless that line ended the entry with its country (``6850
        # Dornbirn (AT)`` / ``Toth, Bjorn``: the next party, its name in small letters)
        t = text.strip()
        if i and (indented[i] or xs[i] is None or BRACKET_CC.fullmatch(t) or _address_line(t)
                  or (len(groups[-1]) > 1 and _address_line(groups[-1][-1]) and ";" not in t and _town_like(t)
                      and not t.isupper() and not _starts_like_name(t)
                      and not BRACKET_CC.search(groups[-1][-1]))):
            groups[-1].append(text.strip())
        else:
            groups.append([text.strip()])
    out = []
    for g in groups:
        name, addr = [g[0]], []
        for t in g[1:]:
            if BRACKET_CC.fullmatch(t) or (any(";" in n for n in name) and not addr):
                (addr or name).append(t)  # ``(MX)`` under its name; an address after ``;`` run on
            elif not addr and ";" in t and not is_address(t.split(";", 1)[0]):
                name.append(t)  # the name's last words, then ``;`` and its address (``DEL VALLE S.A.; 4410 …``)
            elif not addr and not is_address(t) and not (FORM_WORD.search(t) and _person(" ".join(name))) \
                    and (not _town_like(t) or t[:1].islower() or FORM_START.match(t) or CONNECTOR_END.search(name[-1])):
                name.append(t)  # the name wrapped (``… OF SCIENCE`` / ``AND TECHNOLOGY``), or the list went on
            else:
                addr.append(t)
        out.append([_join(name)] + ([_join(addr)] if addr else []))
    return out


def _person(name: str) -> bool:
    """``Hollins, Adrian James``: one person's whole name (a firm on the next line is their address's)."""
    return bool(re.fullmatch(r"[^,;]+,\s*[^,;\d]+", name.strip())) and not FORM_WORD.search(name) \
        and not re.search(r"\s(?:y|and|-)\s", name)


def _address_line(text: str) -> bool:
    """A line that is an address, not a party's line with its address (``NAME; street …``,
    ``SURNAME, Given 80331 Town``)."""
    return is_address(text.split(";", 1)[0]) and not _starts_like_name(text)


def _join(lines: list[str]) -> str:
    """Wrapped lines as one: a word cut at a hyphen (``AGRO-`` / ``INDUSTRIAL``) keeps it."""
    out = ""
    for t in lines:
        out = f"{out}{t}" if out.endswith("-") and not out.endswith(" -") else f"{out} {t}".strip()
    return out


def parse(lines: list[str], codes=None, line_words: list[list] | None = None, edge: float | None = None,
          indent: bool = True) -> list[Printed]:
    """The parties of one field's lines (labels and designations already taken off). A list
    printed with a hanging indent is read entry by entry (``entries``): no party runs from one
    entry into the next. ``indent`` False: a bulleted list, whose bullets start its entries (a
    bullet the engine lost leaves its name where an indented line stands)."""
    grouped = entries(lines, line_words) if indent else None
    if grouped is not None:
        return [p for g in grouped for p in parse(g, codes)]
    parties: list[Printed] = []
    buffer: list[str] = []
    for ln in logical_lines(lines, line_words, edge):
        buffer.append(ln)
        m = BRACKET_CC.search(ln)
        if m and len(buffer) >= 2 and _town_like(ln[: m.start()]) and not any(";" in b for b in buffer) \
                and not is_address(buffer[0]) and len(_split_names(buffer[0])) == 1:
            # EP: the name (a line with a company form after it is the name's too: ``Officine
            # Meccaniche`` / ``Bergamasche S.p.A.``), then its address lines down to "postcode town (CC)"
            # A person's name shaped as the first one among those lines (``Leonila SOLIDUM`` / street /
            # town / ``Lilibeth MANGUBAT`` / … ``(PH)``) starts the next party: the first one printed no country
            while (j := _next_person(buffer)) is not None:
                parties.append(Printed(buffer[0], buffer[1:j], None, True))
                buffer = buffer[j:]
            k = 1
            while k < len(buffer) - 1 and (_form_tail(buffer[k]) or not _town_like(buffer[k])
                                           and COMPANY_FORM.search(buffer[k])) \
                    and "," not in buffer[0] and not FORM_END.search(buffer[0]):  # a person's name, or a whole one
                k += 1
            name = " ".join(buffer[:k])
            rest, cc, _ = _trailing_country(ln, codes)
            if k == len(buffer) - 1 and _form_tail(rest):  # the name's last line, its country after it: no address
                name, rest = f"{name} {rest}", ""
            parties.append(Printed(name, [b for b in buffer[k:-1]] + ([rest] if rest else []), cc, True))
            buffer = []
        elif m or _terminated(ln):
            for b in buffer:
                _one_line(b, parties, codes)
            buffer = []
    for b in buffer:
        _one_line(b, parties, codes)
    return parties


def _form_tail(line: str) -> bool:
    """The line ends with a dotted company form read with a letter engines confuse or other
    dots (``Bergamasche S.rl.``): the name's last line, not its address."""
    toks = line.split()
    return bool(toks) and "." in toks[-1] and bool(_FORM_TOKEN.match(toks[-1])) and _letters(toks[-1]) in _FORM_LETTERS


def _next_person(buffer: list[str]) -> int | None:
    """Where a second ``Given SURNAME`` name starts among a party's address lines, when its first
    line is such a name and an address line stands between them; None when none does."""
    if not _GIVEN_FIRST_NAME.fullmatch(buffer[0].strip()):
        return None
    for j in range(2, len(buffer) - 1):
        if _GIVEN_FIRST_NAME.fullmatch(buffer[j].strip()) and not is_address(buffer[j]):
            return j
    return None


def bulleted(lines: list[str], codes=None) -> Printed:
    """A party that starts with a bullet (EP): its name, then its address lines, the last ending
    with the country."""
    rest, cc, printed = _trailing_country(lines[-1], codes)
    lines = lines[:-1] + ([rest] if rest else [])
    name, k = lines[0], 1
    while k < len(lines) and (not _town_like(lines[k]) or _form_tail(lines[k])):  # a name wrapped (``ARCHIPELAGO
        # FOOD`` / ``TECHNOLOGIES, INC.``; ``Officine Meccaniche`` / ``Bergamasche S.rl.``)
        name, k = f"{name} {lines[k]}", k + 1
    return Printed(name, lines[k:], cc, printed)


def _town_like(text: str) -> bool:
    """``80331 München``, ``Espoo``, ``San Jose, CA 95128``: an address or a town, not a name
    (``JONES, Mary``, ``ACME INC.``)."""
    t = text.strip(" ,")
    if not t:
        return False
    return is_address(t) or not (_starts_like_name(t) or t.isupper() or FORM_WORD.search(t)
                                 or _GIVEN_FIRST_NAME.fullmatch(t))  # ``Jimena CORDÚA``


def _one_line(ln: str, parties: list[Printed], codes) -> None:
    """One printed (logical) line: names cut at the separators, address-shaped pieces given to
    the party before them."""
    head, colon, tail = ln.partition(":")
    if colon and ";" not in ln and is_address(tail) and not is_address(head) and re.search(r"[^\W\d_]{2}", head):
        ln = f"{head};{tail}"  # ``NAME: street …``: the ``;`` before an address read as a colon
    # ``;`` cuts; so does a comma after a country in brackets (``ACME B.V. (US), BETA CORP. (NL)``)
    segments = [s.strip() for s in re.split(r";|(?<=[(\[][A-Z]{2}[)\]])\s*,(?=\s)", ln) if s.strip()]
    for k, seg in enumerate(segments):
        open_party = parties and not parties[-1].closed
        if is_address(seg) and open_party and (k > 0 or not _starts_like_name(seg)):
            rest, cc, printed = _trailing_country(seg, codes)
            if rest:
                parties[-1].address.append(rest)
            if printed:
                parties[-1].country, parties[-1].closed = cc, True
            continue
        for name in _split_names(seg):
            rest, cc, printed = _trailing_country(name, codes) if BRACKET_CC.search(name) else (name, None, False)
            p = Printed(rest, country=cc, closed=printed)
            if printed and ", " in rest:
                p.name, addr = split_name_address(rest)
                if addr:
                    p.address.append(addr)
            parties.append(p)


def _starts_like_name(text: str) -> bool:
    """A line that starts with a name in capitals and a comma (``MÜLLER, Hans 80331 …``) is a
    party even with an address on it."""
    first = text.split(",", 1)[0]
    return "," in text and first.isupper() and not any(c.isdigit() for c in first) and len(first.split()) <= 4


def split_name_address(text: str) -> tuple[str, str]:
    """``GRAIL, LLC, Menlo Park, California`` → the name (up to its company form) and the address;
    ``SURNAME, Given name, Town`` → ``SURNAME, Given name`` and the town; ``SURNAME, Given`` stays
    one name (a given name is not an address)."""
    for m in COMPANY_FORM.finditer(text):
        end = m.end()
        if end < len(text) and text[end] not in ",;":
            continue
        # a form and another after a comma are one (``Co., Ltd.``, ``CO., INC.``): the name's, not an address
        while (nxt := re.match(rf",\s*(?:{COMPANY_FORM.pattern})(?=$|[,;])", text[end:], re.I)) is not None:
            end += nxt.end()
        return text[:end].strip(" ,"), text[end:].strip(" ,;")
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 3 and parts[0].isupper():
        return f"{parts[0]}, {parts[1]}", ", ".join(parts[2:])
    if len(parts) == 2 and is_address(parts[1]):
        given = re.match(r"(?:[A-ZÁÉÍÓÚÑÜ][a-záéíóúñüäöß'-]+\s+)+(?=\S*\d)", parts[1] + " ")
        if parts[0].isupper() and given:  # ``SURNAME, Given Names 8000 Town``: the given names are the name's
            return f"{parts[0]}, {given[0].strip()}", parts[1][given.end():].strip()
        return parts[0], parts[1]
    return text.strip(" ,"), ""


def o_slash(name: str) -> str:
    """A name with ``@`` inside or starting a word of letters (``TROMS@``, ``GR@NBECH``, ``N@RGAARD``):
    engines without Ø (eng, spa) read it so; ``@`` is no letter of any name. Ø in a word of
    capitals, ø beside small letters; an e-mail address is left alone."""
    if re.search(r"@\w+\.\w", name):
        return name

    def one(m: re.Match) -> str:
        k = m[0].index("@")
        near = (m[0][k + 1:k + 2] or m[0][k - 1:k])
        return m[0].replace("@", "ø" if near.islower() else "Ø")
    return re.sub(r"[^\W\d_]*@[^\W\d_@]+|[^\W\d_]+@(?![^\W\d_])", one, name)


def problems(name: str) -> list[str]:
    """What in a name read is not shaped like a name."""
    out = []
    if re.search(r"\d", name):
        out.append("digits inside a name")
    if STREET.match(name) or STREET_WORD.search(name) or re.search(r";\s*\S", name):
        out.append("address words inside a name")
    if re.search(r"\s[-–—]\s", name):
        out.append("a party separator ' - ' inside a name")
    lower = [w for w in re.findall(r"[^\W\d_]+", name) if w.islower() and w not in PARTICLES]
    if lower:  # names print given names capitalised; a lower-case word came from another field
        out.append(f"a lower-case word inside a name: {', '.join(lower)}")
    cc = re.search(r",\s*([A-Z]{2})\.?$", name)
    if cc and not COMPANY_FORM.fullmatch(cc[1]):
        from . import repair

        if repair.country(cc[1], None) == cc[1]:
            out.append(f"a country code ({cc[1]}) ending the name: an address's last line?")
    if name.count("(") != name.count(")"):
        out.append("an unbalanced bracket inside a name (a country code's remains?)")
    if re.search(r"[^\w.)\]]$", name):
        out.append("a name ending in a mark")
    if re.search(r"[A-ZÁÉÍÓÚÑÜ]{2,}\s+[A-Z]$", name) and len(name.split()) >= 3:
        out.append("a lone letter ending the name (a speck?)")  # ``UNIVERSIDAD NACIONAL DE CÓRDOBA A``
    if len(re.findall(r"[^\W\d_]", name)) < 4:
        out.append("too short for a name (a speck or a piece of another line?)")
    elif re.search(r"(?<![\w.])(?:INC|LTDA|CORP|Inc|Ltda|Corp)$|(?<![\w])(?:[A-Z]{1,2}\.\s?)+[A-Z]{1,2}$", name):
        out.append("a company form without its full stop")  # ``INC``, ``DE C.V``, ``S.A``
    return out


# the company forms offices print, as printed (a form read with other letters or spacing is compared
# with these without its spaces)
COMPANY_FORMS = (
    "S.A.", "S.A. DE C.V.", "S.A.P.I. DE C.V.", "S.A.B. DE C.V.", "S. DE R.L.", "S. DE R.L. DE C.V.", "S.C.",
    "S. EN C.", "S.R.L.", "S.A.S.", "S.L.", "S.A.U.", "S.L.U.", "S.A.I.C.", "S.A.C.I.", "S.A.I.C.F.", "S.A.C.",
    "A.C.", "I.A.P.", "LTDA.", "S.P.A.", "S.p.A.", "B.V.", "N.V.", "K.K.", "L.L.C.", "L.L.P.", "INC.",
    "CO.", "LTD.", "CO., LTD.", "P.C.", "A.G.", "E.V.", "S.A.R.L.", "S.N.C.", "S.C.A.", "OY", "A/S", "AB", "AS")
_FORM_KEYS = {re.sub(r"\s+", "", f.upper()): f for f in COMPANY_FORMS}
_FORM_TOKEN = re.compile(r"^[A-Za-z]{1,4}(?:\.[A-Za-z]{1,4})*\.?,?$")
_CONFUSED = str.maketrans({"L": "I", "1": "I", "|": "I", "!": "I", "0": "O"})  # letters engines read for each other


def _letters(form: str) -> str:
    return re.sub(r"[^A-Z]", "", form.upper().translate(_CONFUSED))


_FORM_LETTERS: dict[str, list[str]] = {}
for _f in (f for f in COMPANY_FORMS if "." in f):  # a form read otherwise is looked for among the dotted ones
    _FORM_LETTERS.setdefault(_letters(_f), []).append(_f)
del _f


def company_form(name: str) -> tuple[str, str | None]:
    """A dotted company form ending a name as the offices print it (``S. DE R.L. DE C.V.``, not
    ``S. DER.L. DEC.V.``): spacing read otherwise is given as printed; a form read with a mark or
    a letter engines confuse (``S.A.LC.``, ``S.A.P.L DE C.V.``, ``S.A, DE C.V.``) is given as the one
    form with its letters, and asked (the reason); dotted capitals near no form are asked; initials
    (``J.R.``) are left alone. Returns the name and a reason to ask, or None."""
    toks = name.split()
    k = len(toks)
    while k > 1 and (_FORM_TOKEN.match(toks[k - 1]) and "." in toks[k - 1] or toks[k - 1] in ("DE", "EN")):
        k -= 1
    while k < len(toks) and toks[k] in ("DE", "EN"):
        k += 1
    tail, head = toks[k:], " ".join(toks[:k])
    text = " ".join(tail)
    if not tail or text.count(".") + text.count(",") < 2 or not re.search(r"[A-ZÁÉÍÓÚÑÜ]{3,}", head):
        return name, None  # a company's name in capitals before a form, else no form to check
    key = re.sub(r"\s+", "", text.upper()).rstrip(",")
    if key in _FORM_KEYS:
        form = _FORM_KEYS[key]
        return (name if text == form or text.upper() == form.upper() and not form.isupper() else f"{head} {form}"), None
    if any(key.endswith(k2) and key[:-len(k2)].rstrip(",") in _FORM_KEYS for k2 in _FORM_KEYS):
        return name, None  # two forms (``CO., LTD.``)
    same = _FORM_LETTERS.get(_letters(text), [])
    if len(set(same)) == 1:
        return f"{head} {same[0]}", f"company form read '{text}', given as '{same[0]}'"
    if re.fullmatch(r"(?:[A-Za-z]\.\s?)+", text):
        return name, None  # initials
    from rapidfuzz.distance import Levenshtein

    near = sorted((Levenshtein.distance(_letters(text), lk), fs[0]) for lk, fs in _FORM_LETTERS.items())
    if near[0][0] == 1 and near[1][0] > 1 and len(_letters(text)) >= 3:
        return f"{head} {near[0][1]}", f"company form read '{text}', given as '{near[0][1]}'"
    return name, f"'{text}' is no company form the offices print"


# lower-case words a name may hold (María de los Ángeles, Ludwig van Beethoven, Smith and Sons)
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "di", "du", "van", "von",
                       "der", "den", "ter", "le", "und", "bin", "al", "el", "and", "of", "the", "for", "et", "zu"})
