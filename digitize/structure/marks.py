"""Marks a second reading of the front page's name and title lines sees (issue 24).

An engine reads a page with its own language's letters: the English model has no Ó, É, Ç or Ñ, so
``MOREAU-LÉGER`` comes out ``MOREAU-LEGER`` with confidence, and no word list can tell it from a
name printed bare (``Simon``). The Spanish model sees an acute, a tilde or a diaeresis where one is
printed, but writes ö as ó and ä as á. So the lines of each name and title field are read a second
time with it (one engine call a field, on the stored page image: ``pipeline.reread``), and a word
the two readings give with the same letters, the second with a mark the first lacks, is decided
here by evidence:

* which mark: the letters of the mark's family (``Ó``: Ó Ö Ô Ò Õ Ő) are tried, and one spelling
  many times more frequent than the others in the names' languages (word frequencies) is the one
  printed (``HÁKKINEN`` read → ``HÄKKINEN``, ``STEINHÓFEL`` → ``STEINHÖFEL``); with no such
  spelling, the letter the second reading saw;
* whether to ask: never asked when that spelling is a common one, clearly the only one, and the
  second reading saw the mark with confidence (``LÉGER``); asked with the reason otherwise
  (``QUÉMENER``: no word list knows it; which of É È Ê Ë, the page must say).

A word both readings give alike without a mark is no evidence that none was lost: the Spanish
model writes no ä, ö or å and reads some of them bare (``SCHWÄRZLER``), so the question about a
word read with low confidence stays. An English page's title gets no marks; a word whose letters
the two readings give differently is left as read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import product

from ..diacritics import MARKS, strip_marks

# every marked letter of the names' languages, by its bare letter (lower case)
FAMILY = {
    "a": "áàâäåãą", "e": "éèêëěę", "i": "íìîï", "o": "óòôöõőø", "u": "úùûüűů", "n": "ñńň", "c": "çčć",
    "y": "ýÿ", "s": "šś", "z": "žźż", "r": "ř", "l": "ł", "d": "ď", "t": "ť", "g": "ğ",
}
# the languages whose word frequencies decide between the family's letters (wordfreq's lists)
EVIDENCE_LANGS = ("es", "pt", "fr", "de", "sv", "fi", "hu", "it", "nl", "da", "nb", "pl", "cs", "ro", "ca", "tr")
SURE_CONF = 85.0  # the second reading saw the mark at least this surely: not asked when the evidence agrees
MIN_CONF = 50.0  # below this the second reading's mark is not taken at all (a speck read as a mark)
COMMON = 2.0  # Zipf of a spelling that needs no reviewer (the names' languages write it so)
CLEAR = 1.0  # Zipf by which the chosen spelling must outnumber every other spelling of the family
SWITCH = 1.5  # Zipf in the names' languages of a spelling given instead of the letter seen

_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass
class Decision:
    text: str  # the word to print
    why: str | None  # the question for a reviewer, or None


def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word.lower(), lg) for lg in EVIDENCE_LANGS)


def merged(first: str, second: str) -> str | None:
    """``first`` with the marks ``second`` adds on its bare letters (same letters otherwise, in
    the same order; punctuation may differ): ``MOREAU-LEGER,`` + ``MOREAU-LÉGER`` →
    ``MOREAU-LÉGER,``. None when the letters differ or nothing is added."""
    a = unicodedata.normalize("NFC", first)
    b = [c for c in unicodedata.normalize("NFC", second) if c.isalpha()]
    letters = [i for i, c in enumerate(a) if c.isalpha()]
    if len(letters) != len(b) or not letters:
        return None
    out, added = list(a), False
    for i, c in zip(letters, b):
        if strip_marks(c).lower() != strip_marks(a[i]).lower():
            return None
        if strip_marks(a[i]) == a[i] and strip_marks(c) != c:
            out[i] = c.upper() if a[i].isupper() else c.lower()
            added = True
    return "".join(out) if added else None


def decide(first: str, seen: str, conf: float, langs: tuple[str, ...] = (), allowed: str | None = None
           ) -> Decision | None:
    """The word to print for ``first`` when the second reading gives ``seen`` (``merged``) with
    confidence ``conf``, and whether to ask; None when the mark is not taken. ``langs``: the
    names' languages of the page (its own and the profile's ``name_langs``), whose spellings may
    replace the letter seen; ``allowed``: the marked letters (lower case) the field may be given
    (None: any)."""
    if conf < MIN_CONF:
        return None
    first = unicodedata.normalize("NFC", first)
    out, whys = [], []
    pos = 0
    for m in _LETTERS.finditer(seen):
        out.append(seen[pos:m.start()])
        pos = m.end()
        tok, was = m[0], first[m.start():m.end()]
        if tok == was:
            out.append(tok)
            continue
        spots = [i for i, (c, d) in enumerate(zip(tok, was)) if c != d]
        if allowed is not None and any(tok[i].lower() not in allowed for i in spots):
            out.append(was)
            continue
        if len(tok) < 3 or len(spots) > 2:
            out.append(tok)
            whys.append(f"{was} read, {tok} by the second reading (a mark on {len(spots)} letters)")
            continue
        choices = [FAMILY.get(strip_marks(tok[i]).lower(), tok[i].lower()) for i in spots]
        if allowed is not None:
            choices = [("".join(c for c in ch if c in allowed) or tok[i].lower()) for ch, i in zip(choices, spots)]
        forms = []
        for letters in product(*choices):
            w = list(tok)
            for i, c in zip(spots, letters):
                w[i] = c.upper() if tok[i].isupper() else c
            forms.append("".join(w))
        chosen = _usual(tok, forms, langs)
        out.append(chosen)
        anywhere = sorted(((zipf(w), w) for w in forms), reverse=True)
        f = zipf(chosen)
        runner = max((z for z, w in anywhere if w != chosen), default=0.0)
        if not (conf >= SURE_CONF and f >= COMMON and f - runner >= CLEAR):
            others = [w for z, w in anywhere if w != chosen and z > 0][:3]
            why = f"{was} read, a mark seen by the second reading ({tok}, {conf:.0f})"
            if chosen != tok:
                why += f", given as its usual spelling {chosen}"
            whys.append(why + (f"; may be {', '.join(others)}" if others else ""))
    out.append(seen[pos:])
    text = "".join(out)
    if text == first:
        return None
    return Decision(text=text, why="; ".join(whys) or None)


def _usual(seen: str, forms: list[str], langs: tuple[str, ...]) -> str:
    """The spelling of ``forms`` the names' languages ``langs`` write many times more often than
    any other, when the one seen is none of theirs (``HÁKKINEN`` seen, ``HÄKKINEN`` in German
    and Swedish); else the one seen (the page's own letters: ``NÁVAR`` on a Spanish page, though
    Swedish writes ``nävar``)."""
    from wordfreq import zipf_frequency

    if not langs:
        return seen
    ranked = sorted(((max(zipf_frequency(w.lower(), lg) for lg in langs), w) for w in forms), reverse=True)
    f, best = ranked[0]
    runner = ranked[1][0] if len(ranked) > 1 else 0.0
    mine = max(zipf_frequency(seen.lower(), lg) for lg in langs)
    return best if best != seen and f >= SWITCH and f - runner >= CLEAR and mine < SWITCH - CLEAR else seen


@dataclass
class Reread:
    """What the second reading of a front page's fields changed and found."""

    changed: list[tuple[object, str, str, float]]  # (word, text before, text after, second confidence)
    questions: list[tuple[str, str]]  # (field code, why)


SPANISH = "".join(MARKS.values())  # what a Spanish page's title may be given


def reread_fields(fields: dict, page, read, lang: str, langs: tuple[str, ...] = (), keep=frozenset()) -> Reread:
    """Each name field (71-74) and, on a page not in English, the title (54) of ``fields`` (code →
    ``FieldText``) read again by ``read(page, bbox)`` (the words found in that box of the page,
    in page pixels); each word the two readings give with the same letters decided by ``decide``,
    the page's words changed in place. ``langs``: the names' languages (``decide``); ``keep``: ids of
    words a reviewer decided, left as decided."""
    from .. import inid

    out = Reread([], [])
    codes = [c for c, _ in inid.PARTY_CODES] + (["54"] if lang != "en" else [])
    for code in codes:
        ft = fields.get(code)
        if ft is None or not ft.words:
            continue
        box = (min(w.bbox[0] for w in ft.words), min(w.bbox[1] for w in ft.words),
               max(w.bbox[2] for w in ft.words), max(w.bbox[3] for w in ft.words))
        second = read(page, box)
        allowed = SPANISH if code == "54" else None
        for w in ft.words:
            if w.illegible or w.id in keep or (w.ocr_text is not None and w.ocr_text != w.text):
                continue  # a reviewer's word, or one a rule corrected: left as it is
            r = _over(w.bbox, second)
            if r is None:
                continue
            m = merged(w.text, r.text)
            if m is not None:
                d = decide(w.text, m, r.conf, langs, allowed)
                if d is not None:
                    out.changed.append((w, w.text, d.text, r.conf))
                    if d.why:
                        out.questions.append((code, d.why))
    return out


def _over(box, words):
    """The word of ``words`` covering most of ``box`` (half of it at least), or None."""
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    best, most = None, 0.5 * area
    for r in words:
        ix = min(box[2], r.bbox[2]) - max(box[0], r.bbox[0])
        iy = min(box[3], r.bbox[3]) - max(box[1], r.bbox[1])
        if ix > 0 and iy > 0 and ix * iy > most:
            best, most = r, ix * iy
    return best
