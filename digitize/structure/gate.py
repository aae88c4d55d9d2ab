"""The front page's trust gate: a field is trusted only when the page's independent signals agree
with it; otherwise it is queued with the reason (issue 24).

The reader (``anchors``, ``fields``, ``parties``) finds each field by one signal, its place under
an INID code or label. Layouts nobody tuned for break that signal without a sound: a title that
runs into the abstract printed across both columns, a title whose last line went elsewhere, a
label read as a party, a field whose code the engine lost. What is checked here does not depend
on where the field was found:

- a title is one piece of one case: it does not end on a connector (``… A BASE DE``), change from
  capitals to lower-case words, repeat its own words, start with a lower-case word (a label's
  remains), hold a full stop after a word inside it (a speck) or run to the length of an abstract;
- an IPC symbol prints its version when its neighbours do;
- a field every front page prints (filing date, IPC) or whose label the page shows (an agent,
  inventors) is not silently empty;
- a party's name is not a label (``Names of Applicants``, ``Attorney/Agent``): such a "party" is
  dropped and the list asked about.

Each finding is an ``Issue``: the field's queue item, with its reason.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from .. import inid
from ..model import OcrPage
from .anchors import find_anchors, label_starts, label_table, past_rules, starts_field
from .fields import Issue

# words a title does not end on: its last line was lost, or is in another field
CONNECTORS = frozenset({
    "a", "al", "an", "and", "by", "con", "de", "del", "e", "el", "en", "for", "from", "in", "la", "las", "los",
    "o", "of", "on", "or", "para", "por", "sin", "sobre", "the", "to", "un", "una", "with", "y"})
LONG_TITLE = 30  # words: a title this long has another field's text in it


def title_issues(title: str) -> list[str]:
    """Why a title read is not one whole title (empty when nothing says so)."""
    words = title.split()
    out = []
    letters = [w for w in words if re.search(r"[^\W\d_]", w)]
    if letters and letters[-1].lower().strip(",.;:") in CONNECTORS:
        out.append(f"the title ends on '{letters[-1]}': its last line may be in another field")
    caps = [bool(re.fullmatch(r"[^\W\d_a-zà-ÿ]{2,}[,.;:]?", w)) for w in letters]
    lower = [bool(re.match(r"[a-zà-ÿ]", w)) and w.lower() not in CONNECTORS for w in letters]
    first_lower = next((i for i, lo in enumerate(lower) if lo), None)
    if first_lower is not None and sum(caps[:first_lower]) >= 2 and sum(lower[first_lower:]) >= 2:
        out.append("capitals, then lower-case words: the abstract's or another field's words in the title?")
    if words and not re.match(r"[^\W\d_]|\d", words[0]):
        out.append(f"the title starts with '{words[0]}': a label's or another field's remains?")
    elif letters and re.match(r"[a-zà-ÿ]", letters[0]):
        out.append(f"the title starts with the lower-case '{letters[0]}': a label's remains, or a capital "
                   "read small?")
    keys = [re.sub(r"\W", "", w.lower()) for w in words]
    for n in (3,):
        seen = set()
        for i in range(len(keys) - n + 1):
            run = tuple(keys[i:i + n])
            if run in seen:
                out.append(f"the title repeats '{' '.join(words[i:i + n])}': other text in it?")
                break
            seen.add(run)
    lone = [w for w in words[1:-1] if re.fullmatch(r"[.,;:·'’`\"|!_~^*-]+", w)]
    if lone:
        out.append(f"a lone '{lone[0]}' inside the title (a speck?)")
    stray = [w for w in words[:-1] if re.fullmatch(r"[^\W\d_]{3,}[.;:]", w)]
    if stray:
        out.append(f"a stray mark after '{stray[0]}' inside the title (a speck?)")
    if len(words) > LONG_TITLE:
        out.append(f"a title of {len(words)} words: other text in it?")
    return out


def _title_vs_abstract(title: str, abstract: str) -> list[str]:
    """The abstract repeats the title's words: a word the title joins with a hyphen that the
    abstract writes as two words (``electric-vehicle`` / ``electric vehicle``), and never joined,
    is a space the engine read as a hyphen, or the other way round."""
    text = " ".join(abstract.split()).lower()
    out = []
    for m in re.finditer(r"([^\W\d_]{2,})-([^\W\d_]{2,})", title):
        a, b = m[1].lower(), m[2].lower()
        if f"{a} {b}" in text and f"{a}-{b}" not in text:
            out.append(f"the title's '{m[0]}' is '{m[1]} {m[2]}' in the abstract")
    return out


def labels_seen(page: OcrPage, table: dict[str, list[str]]) -> set[str]:
    """The codes whose label starts a line of the page, or follows a gutter on it."""
    out = set()
    for line in page.lines():
        ws = line.words
        for i, w in enumerate(ws):
            if not starts_field(ws, i):
                continue
            k = i + 1 if i + 1 < len(ws) and re.fullmatch(r"[(\[{]?\d\d[)\]}.:]?", w.text) else i
            rest = past_rules(ws[k:])
            for code in table:
                if code not in out and label_starts(code, rest, table):
                    out.add(code)
    return out


def _is_label(name: str, table: dict[str, list[str]]) -> bool:
    """A party's label read as a party: the label, or a one-word label after a word that
    qualifies it (``Local Agent``, ``Resident Agent``: no comma, no digit, two or three words)."""
    key = re.sub(r"[\W_]+", "", name.lower())
    if len(key) < 4:
        return False
    labels = [re.sub(r"[\W_]+", "", lab.lower()) for code in inid.PARTIES for lab in table.get(code, ())]
    if any(fuzz.ratio(key, lab) >= 90 for lab in labels):
        return True
    words = name.strip(" .:").split()
    if 2 <= len(words) <= 3 and not re.search(r"[,;\d]", name) and not name.isupper():
        last = re.sub(r"[\W_]+", "", words[-1].lower())
        return len(last) >= 5 and last in {lab for lab in labels if lab.isalpha()} and words[-1][:1].isupper()
    return False


def _labels_inside(title: str, table: dict[str, list[str]]) -> list[str]:
    """Another field's label inside a title (``… SEGURIDAD (11D) Solicitante/s COMPAÑÍA …``): the
    title ran into the next field. The party fields' labels, and the other fields' labels of two
    words or more (a title may hold ``priority``, not ``Filing date``)."""
    words = [re.sub(r"[\W_]+", "", w).lower() for w in title.split()]
    for code, labs in table.items():
        if code in ("54", "57"):
            continue
        for lab in labs:
            lw = [re.sub(r"[\W_]+", "", x).lower() for x in lab.split()]
            key = "".join(lw)
            if len(key) < 8 or (code not in inid.PARTIES and len(lw) < 2):
                continue
            n = len(lw)
            for i in range(1, len(words) - n + 1):
                if fuzz.ratio("".join(words[i:i + n]), key) >= 90:
                    return [f"the label '{lab}' of ({code}) inside the title: another field's text in it?"]
    return []


def check(fp, page: OcrPage, table: dict[str, list[str]] | None) -> list[Issue]:
    """The gate's issues for a front page read (``frontpage.FrontPage``); parties that are labels
    are taken out of their lists. ``table``: the page's labels (``anchors.label_table``, built
    once per page by the reader; None: the offices' own)."""
    b, f = fp.biblio, fp.fields
    table = label_table(None) if table is None else table
    issues: list[Issue] = []
    if b.title is not None:
        issues += [Issue("title", b.title.value, why, f.get("54")) for why in title_issues(b.title.value)]
        if fp.abstract is not None:
            issues += [Issue("title", b.title.value, why, f.get("54")) for why in _title_vs_abstract(
                b.title.value, fp.abstract.text)]
        issues += [Issue("title", b.title.value, why, f.get("54")) for why in _labels_inside(b.title.value, table)]
    for code, attr in inid.PARTY_CODES:
        ps = getattr(b, attr)
        labelled = [p for p in ps if _is_label(p.name, table)]
        if labelled:
            setattr(b, attr, [p for p in ps if p not in labelled])
            issues.append(Issue(f"parties:{code}", "; ".join(p.name for p in ps),
                                f"a label read as a party: {', '.join(repr(p.name) for p in labelled)}", f.get(code)))
    for code, attr in inid.PARTY_CODES:
        ps = getattr(b, attr)
        with_cc = [p for p in ps if p.country]
        if with_cc and len(with_cc) < len(ps) and code != "74":
            issues.append(Issue(f"parties:{code}", "; ".join(p.name for p in ps),
                                f"{len(with_cc)} of {len(ps)} parties with a country: a name over two lines, "
                                "or a country read into the next name?", f.get(code)))
    if b.ipc and any(c.version for c in b.ipc):
        bare = [c.text for c in b.ipc if not c.version]
        if bare:
            issues.append(Issue("ipc:51", f["51"].text if "51" in f else "", f"IPC symbol {', '.join(bare)} without "
                                "the version its neighbours print (lost?)", f.get("51")))
    seen: set[str] | None = None

    def printed(code: str) -> bool:
        nonlocal seen
        if code in f:
            return True
        if seen is None:
            seen = labels_seen(page, table)
        return code in seen

    if b.filing_date is None:
        issues.append(Issue("filing_date", "", "no filing date (22) read on the front page", f.get("22")))
    if not b.ipc:
        issues.append(Issue("ipc:51", f["51"].text if "51" in f else "", "no IPC symbol (51) read on the front page",
                            f.get("51")))
    for code, attr in inid.PARTY_CODES:
        if code in ("71", "72") or getattr(b, attr):
            continue  # applicants: the completeness gate; inventors: the audit
        if printed(code):
            issues.append(Issue(f"parties:{code}", f[code].text if code in f else "",
                                f"({code}) printed on the page, no party read", f.get(code)))
    return issues


def no_front_page(pages: list[OcrPage], labels: dict[str, list[str]] | None) -> list[tuple[str, str]]:
    """The field items a document whose front page was not read gets besides the mandatory ones:
    (queue field name, reason). Only when a page looks like a front page nobody could read (two
    INID codes or front-page labels, ``(12) INVENTION PATENT`` and ``74. Attorney Agent`` on a
    page printed too faint for the rest): a letter or a receipt is asked for no inventor."""
    table = label_table(labels)
    if not any(len({a.code for a in find_anchors(p, labels, table)[0]} | labels_seen(p, table)) >= 2
               for p in pages):
        return []
    why = "a front page whose INID fields were not found: not read"
    return [("filing_date", why), ("ipc:51", why), ("parties:72", why), ("parties:74", why)]

