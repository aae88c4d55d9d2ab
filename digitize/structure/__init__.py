"""Structure: OCR pages → a structured ``Document`` (bibliographic data, abstract, description,
claims, drawings), driven by the profile's ``[structure]`` section.

Nothing here raises on bad input: a document with no front page, no claims or garbage OCR still
comes out with what could be found, and what is missing is listed in ``Document.flags`` (and, for
the mandatory bibliographic fields, queued for review).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from .. import inid
from ..diacritics import strip_marks
from ..model import Document, Field, OcrPage, Paragraph, QueueCandidate
from ..settings.profile import or_defaults
from . import accents, audit, gate, marks, repair
from .figures import figure_entries, inside
from .anchors import is_front_page
from .frontpage import read_front_page
from .layout import TextBuilder, TextLine
from .sections import body_lines, is_drawing_page, is_search_report_page, parse_sections
from .tables import number_tables

if TYPE_CHECKING:
    from ..settings.profile import Profile

__all__ = ["build_document", "incomplete", "check_register"]

MANDATORY_LABELS = {"office": "office (19)", "doc_number": "publication number (11)", "kind": "kind code (13)",
                    "publication_date": "publication date (43)/(45)"}
# the completeness gate: without these a document is not ``done`` (queue field name -> label)
COMPLETE_LABELS = {"application_number": "application number (21)", "title": "title (54)",
                   "parties:71": "applicant (71)"}
PLACEHOLDER = re.compile(r"^[\s\W_]*$|^<[^>]*/>$|^(?:N/?A|none|null)$", re.I)


def build_document(pages: list[OcrPage], profile: Profile, *, source: str, doc_id: str,
                   known_words=None, lexicon=None, reread=None, keep=frozenset()) -> Document:
    """``known_words``: the words of the document's language (an object with ``known(word)``,
    the pipeline passes the profile's own-language lexicon) for restoring accents in capitals;
    ``lexicon``: every word list of the profile (its language's and English), for the title's
    words that are no word at all (default: ``known_words``); ``reread(page, bbox)``: the words
    of that box of the page read a second time by a model that sees the names' marks
    (``pipeline.reread``), or None (``structure/marks.py``); ``keep``: ids of words a reviewer
    decided, which the second reading leaves alone."""
    settings = or_defaults(profile).structure
    lang = getattr(profile, "lang", "en") or "en"
    doc = Document(doc_id=doc_id, source=source, profile=getattr(profile, "name", "generic"), lang=lang)
    front = next((p for p in pages[:3] if is_front_page(p)), None)
    abstract_field = None
    if front is not None:
        fp = read_front_page(front, settings, repair.st3_codes())
        settled: set[str] = set()
        if reread is not None:
            fp = _reread_marks(fp, front, reread, lang, settings, doc, settled, keep)
        own = accents.own_words(pages)
        _rejoin_title(fp, known_words or _NoWords(), own)
        if lang != "en":
            fp.issues += _restore_accents(fp, accents.Evidence(known_words or _NoWords(), own,
                                                           caps=accents.own_capitals(pages)),
                                          settled)
        fp.issues += _title_words(fp, lexicon or known_words or _NoWords(), own)
        fp.issues += _office_of_profile(fp, getattr(profile, "office", None))
        langs = accents.name_langs(lang, settings.name_langs)
        fp.issues += _doubtful_name_words(fp, settings.name_word_threshold, settled, lang, langs)
        _swap_marks(fp)
        fp.issues += _usually_marked_names(fp, langs, accents.NAME_LANGS.get(lang, ()))
        doc.biblio, abstract_field = fp.biblio, fp.abstract
        if doc.biblio.title is not None:
            doc.biblio.title_lang = lang
        issues = audit.audit(fp, settings.field_threshold, tuple(settings.publication_date_inids))
        for issue in issues:
            fld = getattr(doc.biblio, issue.field, None)
            if fld is not None and hasattr(fld, "flagged"):
                fld.flagged = True
        doc.flags += [f"{i.field}: {i.reason}" for i in issues]
        found = audit.candidates(issues, front.number, doc.biblio)
        audit.field_sources(doc.biblio, found)
        doc.candidates += found
    else:
        doc.flags.append("no front page with INID codes found")
        for name, why in gate.no_front_page(pages[:3], settings.inid_labels):
            doc.candidates.append(QueueCandidate(kind="field", page=1, bbox=None, text="", confidence=0.0,
                                                 field_name=name, context=why))

    figured = []  # pages whose figures become figures: drawing sheets, and text pages with a figure
    body = []
    for p in pages:
        if p is not front and is_search_report_page(p):
            p.image_only = True
            doc.image_pages.append(p.number)
        elif p is not front and (p.kind == "drawing" or is_drawing_page(p, settings)):
            p.image_only = True
            if p.kind != "drawing":  # read as a drawing from its words only: the whole sheet is the figure
                p.figures = []
            p.kind = "drawing"
            figured.append(p)
        else:
            if p is not front:
                body.append(p)
            if p.figures:
                figured.append(p)
    doc.figures = figure_entries(figured)

    own = {doc.biblio.value("doc_number") or ""} - {""}
    sections = parse_sections(body_lines(body, own), settings, lang)
    doc.description = sections.description
    number_tables(doc.description)
    doc.claims = sections.claims
    if abstract_field is not None and abstract_field.words:
        tb = TextBuilder()
        words = [w for w in abstract_field.words if not inside(w.bbox, front.figures)]  # not the figure's labels
        for line in _column_lines(words, abstract_field.page, front.width if front else 0):
            tb.add_line(line)
        text = tb.text
        for lab in settings.inid_labels.get("57", []):
            if text.lower().startswith(lab.lower()):
                text = text[len(lab):].lstrip(" :.")
        doc.abstract = [Paragraph(text=text.strip(" |"), sources=tb.sources(), doubts=[])] if text.strip(" |") else []
    if not doc.abstract and sections.abstract:
        doc.abstract = [p for p in sections.abstract if p.kind == "p"]
    if not doc.description:
        doc.flags.append("no description found")
    if not doc.claims:
        doc.flags.append("no claims found")
    _check_mandatory(doc, settings.field_threshold)
    _check_complete(doc)
    pid = doc.publication_id
    if pid and not any(getattr(doc.biblio, n) is not None and getattr(doc.biblio, n).flagged for n in ("office", "doc_number", "kind")):
        doc.doc_id = pid
    return doc


def _reread_marks(fp, front: OcrPage, reread, lang: str, settings, doc: Document, settled: set[str],
                  keep=frozenset()):
    """The name and title lines read a second time (``structure/marks.py``): the marks it sees
    given to the page's words (each change a correction of the document), the front page read
    again when one was; its questions are issues of their fields, and the words it decided
    without one are ``settled`` (no lost-mark question about them)."""
    from ..model import Correction
    from .fields import Issue

    langs = tuple(dict.fromkeys([lang] + [e.partition(":")[0] for e in accents.name_langs(lang, settings.name_langs)]))
    found = marks.reread_fields(fp.fields, front, reread, lang, langs, keep=keep)
    asked = {strip_marks(why.split(" ", 1)[0]).upper() for _, why in found.questions}
    for w, old, new, conf in found.changed:
        if w.ocr_text is None:
            w.ocr_text = old
        w.text = new
        doc.corrections.append(Correction(word_id=w.id, page=front.number, old=old, new=new, rule="reread-marks",
                                          confidence=round(conf, 2)))
        was = _WORD_ANY.findall(strip_marks(old))
        settled.update(k.upper() for k, a, b in zip(was, _WORD_ANY.findall(old), _WORD_ANY.findall(new))
                       if a != b and k.upper() not in asked)
    if found.changed:
        fp = read_front_page(front, settings, repair.st3_codes())
    b = fp.biblio
    for code, why in found.questions:
        if code == "54":
            fp.issues.append(Issue("title", b.title.value if b.title else "", why, fp.fields.get(code)))
        else:
            names = "; ".join(p.name for p in getattr(b, dict(inid.PARTY_CODES)[code]))
            fp.issues.append(Issue(f"parties:{code}", names, why, fp.fields.get(code)))
    return fp


def _column_lines(words: list, page: int, width: int) -> list[TextLine]:
    """A field's words as lines, left column before right, ending at the first wide gap (a drawing
    printed below the abstract is not part of it)."""
    mid = width / 2 if width else 0
    left = [w for w in words if w.bbox[0] < mid] if mid else words
    right = [w for w in words if w.bbox[0] >= mid] if mid else []
    if len(left) < 0.15 * len(words) or len(right) < 0.15 * len(words):
        left, right = words, []
    out: list[TextLine] = []
    for col in (left, right):
        rows: list[list] = []
        for w in sorted(col, key=lambda w: (w.bbox[1], w.bbox[0])):
            if rows and w.bbox[1] < (rows[-1][0].bbox[1] + rows[-1][0].bbox[3]) / 2:
                rows[-1].append(w)
            else:
                rows.append([w])
        height = sorted(w.bbox[3] - w.bbox[1] for w in col)[len(col) // 2] if col else 0
        prev_bottom = None
        for row in rows:
            top = min(w.bbox[1] for w in row)
            if prev_bottom is not None and top - prev_bottom > 2.5 * height:
                break
            prev_bottom = max(w.bbox[3] for w in row)
            out.append(TextLine(page=page, words=sorted(row, key=lambda w: w.bbox[0])))
    return out


def _check_mandatory(doc: Document, threshold: float) -> None:
    for name in ("office", "doc_number", "kind", "publication_date"):
        f: Field | None = getattr(doc.biblio, name)
        if f is None:
            doc.flags.append(f"missing {MANDATORY_LABELS[name]}")
            doc.candidates.append(QueueCandidate(kind="field", page=1, bbox=None, text="", confidence=0.0,
                                                 field_name=name, mandatory=True,
                                                 context=f"{MANDATORY_LABELS[name]} not found on the front page"))
        elif f.flagged or f.confidence < threshold:
            f.flagged = True
            why = [fl.split(": ", 1)[1] for fl in doc.flags if fl.startswith(f"{name}: ")]  # the checks' reasons
            doc.flags.append(f"low confidence {MANDATORY_LABELS[name]}: {f.value!r} ({f.confidence:.0f})")
            doc.candidates.append(QueueCandidate(
                kind="field", page=f.source.page if f.source else 1, bbox=f.source.bbox if f.source else None,
                text=f.value, confidence=f.confidence, field_name=name, mandatory=True,
                context="; ".join(why + [f.raw or ""]) if why else f.raw or ""))


class _NoWords:
    def known(self, word: str) -> bool:
        return False


def _restore_accents(fp, ev: accents.Evidence, settled: set[str]) -> list:
    """Accents of the title's and the names' capitals, by evidence (``structure/accents.py``);
    an ambiguity is an issue of the field. ``settled`` gets the words the evidence decided."""
    from .fields import Issue

    def run(text: str, name: bool = False) -> tuple[str, list[str]]:
        new, doubts = accents.restore(text, ev, name)
        for a, b in zip(accents.WORD.findall(unicodedata.normalize("NFC", text)), accents.WORD.findall(new)):
            if a != b or ev.is_word(a.lower()):
                settled.add(strip_marks(a).upper())
        return new, doubts

    b, issues = fp.biblio, []
    if b.title is not None:
        new, doubts = run(b.title.value)
        if new != b.title.value:
            b.title.raw, b.title.value = b.title.raw or b.title.value, new
        issues += [Issue("title", b.title.value, f"accent: {d}", fp.fields.get("54")) for d in doubts]
    for code, attr in inid.PARTY_CODES:
        for party in getattr(b, attr):
            new, doubts = run(party.name, name=True)
            party.name = new
            issues += [Issue(f"parties:{code}", party.name, f"accent: {d}", fp.fields.get(code)) for d in doubts]
    return issues


def _doubtful_name_words(fp, threshold: float, settled: set[str], lang: str,
                         langs: tuple[str, ...]) -> list:
    """A word of the title or of a name read below ``threshold`` and not settled by evidence: an
    engine that drops a capital's accent, tilde or umlaut does it with such confidence (issue 24).
    A word read without a mark that is a common word of the page's language and has no spelling
    with a mark in it or the names' languages (``DEVICES``, ``Harold``, ``BOMBA``) has no mark to
    lose: not asked (the review load)."""
    from .fields import Issue

    b, issues = fp.biblio, []
    targets = [("54", "title", [b.title.value] if b.title is not None else [])]
    targets += [(code, f"parties:{code}", [p.name for p in getattr(b, attr)]) for code, attr in inid.PARTY_CODES]
    for code, name, values in targets:
        ft = fp.fields.get(code)
        if ft is None or not values:
            continue
        printed = {strip_marks(t).upper() for v in values for t in accents.WORD.findall(v)}
        low = []
        for w in ft.words:
            for tok in accents.WORD.findall(w.text):
                key = strip_marks(tok).upper()
                if len(tok) >= 3 and w.conf < threshold and key in printed and key not in settled \
                        and not accents.nothing_to_lose(tok, lang, langs):
                    low.append(f"{tok} ({w.conf:.0f})")
        if low:
            issues.append(Issue(name, "; ".join(values), "words read with low confidence (a lost accent, tilde "
                                f"or umlaut?): {', '.join(dict.fromkeys(low))}", ft))
    return issues


# Zipf units by which a marked spelling must outnumber the one read: to ask a reviewer, and to give
# the marked spelling in the meantime (MÜLLER 1.8, GUTIÉRREZ 0.9, JOAQUÍN 0.9, FÁTIMA 0.54, ÁNGEL 0.45,
# DÉBORA 0.26 are given; the question is asked either way, so giving trades no unqueued field).
# Asked also when the marked spelling is nearly as frequent (ARGÜELLO +0.39, BRÜCKNER -0.02, ÓSCAR -0.56):
# two real spellings of a name, and the engine's reading is no evidence between them (issue 24: never a
# guess). Its curve: bench/frontpage_eval.py --ask-margin
ASK_MARGIN, GIVE_MARGIN = -0.6, 0.3


def _usually_marked_names(fp, langs: tuple[str, ...], give: tuple[str, ...] | None = None) -> list:
    """A name word read without a mark whose marked spelling is the usual one (``MULLER`` →
    ``MÜLLER`` on an English page, ``Joaquin`` → ``Joaquín`` on a Spanish one): an engine without
    the letter, or one that dropped the mark with confidence. Always queued for a reviewer; when
    the usual spelling in the ``give`` languages (default: ``langs``) clearly dominates it is given
    meanwhile (the reviewer's value stands). An office's own extra languages (PH: Spanish's ñ) are
    only asked: its pages print both ``NUÑEZ`` and ``NUNEZ``."""
    give = langs if give is None else give
    from .fields import Issue

    issues = []
    for code, attr in inid.PARTY_CODES:
        asked = []
        for party in getattr(fp.biblio, attr):
            def fix(m: re.Match) -> str:
                found = accents.usual_spelling(m[0], langs, gain=ASK_MARGIN)
                if not found or found[1] < ASK_MARGIN:
                    return m[0]
                sure = found if give == langs else accents.usual_spelling(m[0], give, gain=GIVE_MARGIN)
                if sure and sure[1] >= GIVE_MARGIN:
                    asked.append(f"{m[0]} read, given as its usual spelling {sure[0]}")
                    return sure[0]
                asked.append(f"{m[0]} (usually {found[0]})")
                return m[0]
            party.name = accents.WORD.sub(fix, party.name)
        if asked:
            issues.append(Issue(f"parties:{code}", "; ".join(p.name for p in getattr(fp.biblio, attr)),
                                "a name read without a mark it usually has: " + ", ".join(dict.fromkeys(asked)),
                                fp.fields.get(code)))
    return issues


def _rejoin_title(fp, known, own: frozenset[str]) -> None:
    """A title word the engine cut in two, a piece of it read twice (``TROP OPICALES``, the
    word's middle ``OP`` on both pieces) or not (``TROP ICALES``): joined when neither piece is a
    word and the joined word is one the document prints in lower case (``tropicales`` in the
    abstract) or a word of the language."""
    t = fp.biblio.title
    if t is None:
        return

    def word(w: str) -> bool:
        w = w.lower()
        return w in own or bool(known.known(w))

    words = t.value.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        a = words[i]
        b = words[i + 1] if i + 1 < len(words) else None
        joined = None
        if b and a.isalpha() and b.isalpha() and a.isupper() == b.isupper() and not word(a) and not word(b):
            for k in range(min(len(a), len(b)) - 1, -1, -1):  # the longest piece read twice first
                if (k == 0 or a[-k:] == b[:k]) and word(a + b[k:]):
                    joined = a + b[k:]
                    break
        if joined:
            out.append(joined)
            i += 2
        else:
            out.append(a)
            i += 1
    value = " ".join(out)
    if value != t.value:
        t.raw, t.value = t.raw or t.value, value


def _title_words(fp, known, own: frozenset[str]) -> list:
    """Title words that are no word of the language nor of the document (``WOL ND``): asked. A
    run of them between two words the abstract prints with one to three words between them that
    read nearly as the run does (``antimicrobial wound dressing``) is given as the abstract prints
    it, and still asked. Only when the language's words are known (a lexicon)."""
    from rapidfuzz import fuzz

    from .fields import Issue

    t = fp.biblio.title
    if t is None or isinstance(known, _NoWords):
        return []
    words = t.value.split()
    key = [re.sub(r"^[\W_]+|[\W_]+$", "", w) for w in words]

    from wordfreq import zipf_frequency

    def used(w: str) -> bool:  # a word English or Spanish writers use (wordfreq Zipf >= 2)
        return max(zipf_frequency(w, lg) for lg in ("en", "es")) >= 2.0

    def unknown(k: str) -> bool:  # a word no list has, nor the document, nor the languages' usage (``EXCHANGER``)
        return bool(re.fullmatch(r"[^\W\d_]{2,}", k)) and not known.known(k.lower()) and k.lower() not in own \
            and (len(k) < 5 or not used(k.lower()))

    flags = [unknown(k) for k in key]
    if not any(flags):
        return []
    for i, k in enumerate(key):  # a piece of two letters beside such a word is its piece (``WOL ND``)
        near = (i > 0 and unknown(key[i - 1])) or (i + 1 < len(key) and unknown(key[i + 1]))
        if near and re.fullmatch(r"[^\W\d_]{1,2}", k) and k.lower() not in gate.CONNECTORS:
            flags[i] = True
    abstract = [w.lower() for w in accents.WORD.findall(fp.abstract.text)] if fp.abstract is not None else []
    out, notes, i = list(words), [], 0
    while i < len(words):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(words) and flags[j]:
            j += 1
        run = "".join(key[i:j]).lower()
        left = key[i - 1].lower() if i > 0 else None
        right = key[j].lower() if j < len(words) else None
        found: dict[str, float] = {}
        if j - i <= 3 and (left or right):
            for k in range(len(abstract) + 1):  # k: where the words between the two neighbours start
                if left is not None and (k == 0 or abstract[k - 1] != left):
                    continue
                for m in (1, 2, 3):
                    if k + m > len(abstract) or (right is not None and (k + m >= len(abstract)
                                                                         or abstract[k + m] != right)):
                        continue
                    x = abstract[k:k + m]
                    score = fuzz.ratio(run, "".join(x))
                    if all(known.known(w) or used(w) for w in x) and score >= 70:  # a word, not the abstract's misreading
                        found[" ".join(x)] = max(score, found.get(" ".join(x), 0))
        best = sorted(found.items(), key=lambda kv: -kv[1])
        found = {best[0][0]} if best and (len(best) == 1 or best[1][1] < best[0][1]) else set()
        if len(found) == 1:
            x = found.pop()
            new = x.upper() if all(k.isupper() for k in key[i:j]) else x
            if strip_marks(new).upper() != strip_marks(" ".join(key[i:j])).upper():  # a mark alone: the document's word
                notes.append(f"title words '{' '.join(words[i:j])}' read, given as the abstract prints them: '{new}'")
            out[i:j] = [new] + [""] * (j - i - 1)
        else:
            notes.append(f"title words that are no word of the language nor of the document: "
                         f"{', '.join(words[i:j])}")
        i = j
    value = " ".join(w for w in out if w)
    if value != t.value:
        t.raw, t.value = t.raw or t.value, value
    return [Issue("title", t.value, why, fp.fields.get("54")) for why in notes]


def _office_of_profile(fp, office: str | None) -> list:
    """The office read (``PI`` of ``PI 1-2024-765277 B1``) is not the profile's: asked. One that is
    no ST.3 code at all is an engine's misreading of the profile's office, which is given meanwhile."""
    from .fields import Issue

    b = fp.biblio
    if not office or office == "XX" or b.office is None or b.office.value == office:
        return []
    read, codes = b.office.value, repair.st3_codes()
    if read not in codes:
        b.office.raw, b.office.value = b.office.raw or read, office
        why = f"office '{read}' read, no ST.3 code: given as the profile's {office}"
    else:
        why = f"office '{read}' read on a page of the profile of {office}"
    return [Issue("office", b.office.value, why, fp.fields.get("11") or fp.fields.get("19"))]


def _swap_marks(fp) -> None:
    """A name word read with the wrong mark (``Lumiére`` for ``Lumière``, ``Séren`` for
    ``Sören``): given the one spelling the evidence leaves (``accents.swapped_mark``)."""
    def fix(m: re.Match) -> str:
        return accents.swapped_mark(m[0]) or m[0]

    for _code, attr in inid.PARTY_CODES:
        for party in getattr(fp.biblio, attr):
            party.name = _WORD_ANY.sub(fix, party.name)


_WORD_ANY = re.compile(r"[^\W\d_][^\W_]*")  # a word in any script's letters (ö, è, å), a digit read inside it


def _check_complete(doc: Document) -> None:
    """The completeness gate: an application number, a title and an applicant, each present and
    not a placeholder, else a mandatory queue item (the document cannot become ``done``)."""
    b = doc.biblio
    have = {"application_number": b.value("application_number"), "title": b.value("title"),
            "parties:71": next((p.name for p in b.applicants if not PLACEHOLDER.match(p.name or "")), None)}
    queued = {c.field_name for c in doc.candidates}
    for name, value in have.items():
        if value and not PLACEHOLDER.match(value):
            continue
        label = COMPLETE_LABELS[name]
        doc.flags.append(f"missing {label}")
        fld = getattr(b, name, None) if ":" not in name else None
        src = getattr(fld, "source", None)
        for c in doc.candidates:
            if c.field_name == name:
                c.mandatory = True
        if name not in queued:
            doc.candidates.append(QueueCandidate(
                kind="field", page=src.page if src else 1, bbox=src.bbox if src else None, text=value or "",
                confidence=0.0, field_name=name, mandatory=True, context=f"{label} empty or not found on the front page"))


def incomplete(b) -> list[str]:
    """The mandatory fields of ``b`` that are empty or a placeholder (``<text/>``, ``XX``, ``-``):
    while any is, a document is not ``done`` and is not delivered."""
    out = []
    for name in ("office", "doc_number", "kind", "publication_date", "application_number", "title"):
        v = b.value(name)
        if not v or PLACEHOLDER.match(v):
            out.append(MANDATORY_LABELS.get(name) or COMPLETE_LABELS[name])
    if not any(p.name and not PLACEHOLDER.match(p.name) for p in b.applicants):
        out.append(COMPLETE_LABELS["parties:71"])
    return out


def check_register(doc: Document, reg, decided: set[str] = frozenset()) -> None:
    """The office's register (``structure/register.py``) against the document: each disagreement
    a field item with its reason (joined to the field's item when it has one already). A field a
    reviewer decided is not asked again: their value stands."""
    from . import register

    by_name = {c.field_name: c for c in doc.candidates if c.kind == "field"}
    for name, value, reason in register.check(doc.biblio, reg):
        if name in decided:
            continue
        doc.flags.append(f"register: {reason}")
        fld = getattr(doc.biblio, name, None)
        if fld is not None and hasattr(fld, "flagged"):
            fld.flagged = True
        c = by_name.get(name)
        if c is not None:
            c.context = f"{c.context}; {reason}" if c.context else reason
            continue
        src = getattr(fld, "source", None)
        c = QueueCandidate(kind="field", page=src.page if src else 1, bbox=src.bbox if src else None, text=value,
                           confidence=getattr(fld, "confidence", 0.0) or 0.0, field_name=name,
                           mandatory=name in MANDATORY_LABELS, context=reason)
        doc.candidates.append(c)
        by_name[name] = c
