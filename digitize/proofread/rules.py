"""Automatic correction rules: the OCR errors a machine can fix without a reviewer.

Each rule looks at one word (or a pair of neighbouring words) and returns a fix only when the
evidence is strong: a paragraph number must look like one, a date must match the profile's
pattern once its confusions are undone, a word is replaced only by the single cheap lexicon
reading. Everything else is left for the correction queue. Rules are pure functions of text,
the profile settings and the lexicon, so they are unit-tested on real OCR confusions.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Callable

from ..diacritics import strip_marks
from ..settings.proofread import ProofreadSettings
from .forms import Forms, accent_variants
from .lexicon import Lexicon, fold, match_case

LIGATURES = {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
HYPHENS = "-‐‑¬\u00ad"
OPEN, CLOSE = "[({", "])}"

# Short words the word splitter may produce ("atleast" → "at least"); longer parts must be known.
FUNCTION_WORDS = {
    "en": {"a", "an", "as", "at", "be", "by", "do", "if", "in", "is", "it", "no", "of", "on", "or",
           "to", "up", "we", "the", "and", "are", "can", "for", "has", "its", "may", "not", "one", "two", "was",
           "via", "all", "any", "but", "use", "set", "end", "each", "from", "this", "that", "with", "such",
           "which", "when", "into", "than", "then", "also", "more", "said", "least", "been", "have", "will"},
    "es": {"a", "y", "o", "e", "u", "de", "la", "el", "en", "se", "un", "al", "lo", "no", "es", "su", "las", "los",
           "del", "por", "con", "una", "que", "para", "como", "sus", "más", "entre", "sobre", "cada"},
}
# Prefixes that make one word with what follows ("non volatile" is not a split to make).
PREFIXES = {"non", "sub", "pre", "re", "un", "co", "bi", "tri", "multi", "inter", "intra", "micro", "nano", "semi",
            "anti", "auto", "poly", "mono", "super", "dis", "mis"}

DIGIT_AS_LETTER = {"1": "lI", "0": "oOó", "5": "sS", "6": "óbG", "8": "B", "!": "lI", "|": "lI", "$": "sS", "@": "a"}
CODE_RE = re.compile(r"[A-Z]{1,4}\d+[A-Za-z]{0,2}\d*|\d+[A-Za-z]{1,3}")  # S710, H04L, A61K31, 3D, 2nd, 10mm
KIND_SHAPE = re.compile(r"[A-Z][1-9]")
STRONG = set("OolI|")  # letters OCR gives for 0 and 1 so often that two digits around them suffice


@dataclass(frozen=True)
class Fix:
    new: str
    rule: str
    confidence: float  # 0..100: how sure the rule is


@dataclass
class RuleContext:
    settings: ProofreadSettings
    lexicon: Lexicon
    lang: str = "en"
    step_references: bool = False  # the document numbers its steps S710, S720 …
    # What the document itself says: folded word -> how often the engine read it in this
    # document. A word used twice or more is the document's own word (a coined term, a name).
    doc_counts: dict[str, int] = field(default_factory=dict)
    protected: frozenset[str] = frozenset()  # folded words never changed (domain vocabulary, names)
    accents: bool = False  # the page's language writes diacritics (else a fix may not add any)
    forms: Forms = field(default_factory=Forms)  # the language's inflected forms (forms.py)
    # the document writes the diacritics its words take (accent_convention): a word read without
    # them may be given them; an old print that spells "despues", "habia" keeps its spelling
    restore_accents: bool = True
    foreign: bool = False  # the page is in another language than the profile's (page_language)
    # what the word rules made of each distinct text in this document (they depend on the text and
    # the document-wide fields above only): a word repeated 50 times is worked out once
    memo: dict[str, dict] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._patterns = [re.compile(p) for p in self.settings.number_patterns]
        self.letter_to_digit = {a: d for a, d in self.settings.confusions}

    def matches_number(self, text: str) -> bool:
        return any(p.fullmatch(text) for p in self._patterns)

    def owned(self, core: str) -> bool:
        """A word the document stands by: used elsewhere in it, or protected vocabulary."""
        key = fold(core)
        return self.doc_counts.get(key, 0) >= 2 or key in self.protected


def adds_accents(old: str, new: str) -> bool:
    """``attaches`` -> ``attachés``: the new form has diacritics the old one lacks."""
    return sum(c != b for c, b in zip(new, strip_marks(new))) > sum(c != b for c, b in zip(old, strip_marks(old))) \
        or len(unicodedata.normalize("NFD", new)) - len(new) > len(unicodedata.normalize("NFD", old)) - len(old)


@lru_cache(maxsize=1 << 16)
def split_token(text: str) -> tuple[str, str, str]:
    """``'(c1aim,'`` → ``('(', 'c1aim', ',')``: punctuation around the alphanumeric core.
    Cached: every rule asks it of every word (29 pages: 167 000 calls on 4 000 distinct words)."""
    start, end = 0, len(text)
    while start < end and not _wordish(text[start]):
        start += 1
    while end > start and not _wordish(text[end - 1]):
        end -= 1
    return text[:start], text[start:end], text[end:]


def _wordish(c: str) -> bool:
    return c.isalnum() or c in "!|$@"


# --------------------------------------------------------------------------- word rules


def ligatures(text: str, ctx: RuleContext) -> Fix | None:
    if any(c in LIGATURES for c in text):
        return Fix("".join(LIGATURES.get(c, c) for c in text), "ligature", 99.0)
    return None


PARA_RE = re.compile(r"([\[({|Il1]?)([0-9OoDIlSB|]{4})([\])}|Il1]?)([.,:;]?)")


def paragraph_number(text: str, ctx: RuleContext) -> Fix | None:
    """``[O0l2]``, ``{0002]``, ``[0016}`` → ``[0012]`` … (EP-style four-digit paragraph numbers)."""
    if not ctx.settings.paragraph_numbers:
        return None
    m = PARA_RE.fullmatch(text)
    if not m:
        return None
    left, body, right, tail = m.groups()
    if not (left in OPEN or right in CLOSE):
        return None
    if "[" not in left + right and body[0] not in "0Oo":
        return None  # (2019) is a year, [2019] a paragraph
    if body[0] in "SB" or (not left or not right) and (body[0] not in "0Oo" or right != "]"):
        return None
    if sum(c.isdigit() for c in body) < 2:
        return None
    digits = "".join(c if c.isdigit() else ctx.letter_to_digit.get(c, _DIGIT_FALLBACK.get(c, c)) for c in body)
    new = f"[{digits}]{tail}"
    return Fix(new, "paragraph-number", 95.0) if new != text and digits.isdigit() else None


_DIGIT_FALLBACK = {"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8"}


def number_context(text: str, ctx: RuleContext) -> Fix | None:
    """Letters standing for digits inside numbers: ``2O12`` → ``2012``, ``l4.O2.2019`` →
    ``14.02.2019`` (when the result matches a profile number pattern)."""
    pre, core, suf = split_token(text)
    if not core or not any(c.isdigit() for c in core) or not any(c in ctx.letter_to_digit for c in core):
        return None
    converted = "".join(ctx.letter_to_digit.get(c, c) for c in core)
    if ctx.matches_number(converted) and not ctx.matches_number(core) and not CODE_RE.fullmatch(core):
        return Fix(pre + converted + suf, "number-pattern", 90.0)
    if formula_elements(core) and not (ctx.step_references and STEP_CORE.fullmatch(core)):
        return None  # H2S04, H2O2, Al2O3: every letter of a formula is an atom, not a digit
    # letters between digits only (reference signs such as S710 or H04L keep their letters)
    out = list(core)
    i, changed = 0, False
    while i < len(core):
        if core[i] in ctx.letter_to_digit:
            j = i
            while j < len(core) and core[j] in ctx.letter_to_digit:
                j += 1
            if i > 0 and j < len(core) and _digitish(core[i - 1]) and _digitish(core[j]) and j - i <= 2:
                left_digits = _digit_run(core, i - 1, -1)
                right_digits = _digit_run(core, j, 1)
                if j - i == 1 and j == len(core) - 1 and KIND_SHAPE.fullmatch(core[i:]) and left_digits >= KIND_AFTER:
                    i = j  # ``9,265,191B2``: a publication number's kind code glued to it, not ``19182``
                    continue
                strong = all(core[k] in STRONG for k in range(i, j))
                if left_digits + right_digits >= (2 if strong else 3):
                    for k in range(i, j):
                        out[k] = ctx.letter_to_digit[core[k]]
                    changed = True
            i = j
        else:
            i += 1
    if changed:
        return Fix(pre + "".join(out) + suf, "number-context", 85.0)
    return None


ELEMENTS = frozenset("""H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se
    Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu
    Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr""".split())
FORMULA_RE = re.compile(r"(?:[A-Z][a-z]?\d{0,2})+")


def formula_elements(core: str) -> frozenset[int]:
    """Where the letters of a chemical formula's element symbols stand in ``core`` (``H2S04`` →
    {0, 2}), empty when it is not one. A formula: element symbols with counts from 2 to 99 (a
    formula never writes a 1: ``S1O2`` is step S102), at least two symbols and a count, starting
    with a symbol (``2O12`` is a year, ``US5O12345`` a number); a 0 may be an O misread (``H2S04``
    is H2SO4)."""
    return frozenset(k for k in formula_symbols(core) if core[k].isalpha())


def formula_symbols(core: str) -> frozenset[int]:
    """Where the element symbols of the chemical formula ``core`` stand, a zero read for an O
    among them (``H2S04`` → {0, 2, 3}: H, S and the O read as 0; ``Zr2012`` → Zr, O); empty
    when it is not one (``formula_elements``' rules). The one parse of a formula: the queue asks
    the zeros it places as oxygen."""
    if not any(c.isdigit() for c in core) or not FORMULA_RE.fullmatch(core.replace("0", "O")):
        return frozenset()
    found = _parse_formula(core, 0, 0)
    return found if found is not None else frozenset()


def _parse_formula(core: str, i: int, symbols: int) -> frozenset[int] | None:
    if i == len(core):
        return frozenset() if symbols >= 2 else None
    for size in (2, 1):  # Cl before C
        sym = core[i:i + size]
        if len(sym) < size or (size == 2 and not sym[1].islower()) or sym.replace("0", "O") not in ELEMENTS:
            continue
        for count in (2, 1, 0):
            digits = core[i + size:i + size + count]
            if len(digits) < count or count and (not digits.isdigit() or digits[0] == "0" or digits == "1"):
                continue
            rest = _parse_formula(core, i + size + count, symbols + 1)
            if rest is not None:
                return rest | set(range(i, i + size))
    return None


KIND_AFTER = 6  # figures of a publication number before a glued kind code (B2, A1)


def _digitish(c: str) -> bool:
    return c.isdigit()


def _digit_run(s: str, start: int, step: int) -> int:
    n, i = 0, start
    while 0 <= i < len(s) and (s[i].isdigit() or s[i] in ".,/-"):
        n += s[i].isdigit()
        i += step
    return n


STEP_CORE = re.compile(r"S[\dOo]{3,4}[a-z]?")  # S7O5 in a document that numbers its steps S705
STEP_RE = re.compile(r"(\(?)\$(\d{2,4}[a-z]?)(\W*)")


def step_reference(text: str, ctx: RuleContext) -> Fix | None:
    """``$720`` → ``S720`` in a document whose steps are numbered S710, S720 …"""
    if not (ctx.settings.step_references and ctx.step_references):
        return None
    m = STEP_RE.fullmatch(text)
    return Fix(f"{m.group(1)}S{m.group(2)}{m.group(3)}", "step-reference", 90.0) if m else None


def letters_in_word(text: str, ctx: RuleContext) -> Fix | None:
    """Digits and symbols standing for letters inside a word: ``c1aim`` → ``claim``,
    ``contro!`` → ``control``, ``AP!`` → ``API``; only when exactly one reading is a word."""
    pre, core, suf = split_token(text)
    if ctx.owned(core) or re.search(r"\d\d", core):
        return None  # the document's own token (US$ eight times) or a real number (Oct-18)
    # a capital I inside a lowercase word is an l (eI → el, anaIysis → analysis)
    inner_i = [k for k, c in enumerate(core) if c == "I" and k > 0 and core[k - 1].islower()]
    if len(core) < 2 or not (inner_i or any(c in DIGIT_AS_LETTER for c in core)) or sum(c.isalpha() for c in core) < 1:
        return None
    if inner_i and not any(c in DIGIT_AS_LETTER for c in core):
        if ctx.lexicon.known(core):
            return None
        fixed = "".join("l" if k in inner_i else c for k, c in enumerate(core))
        return Fix(pre + fixed + suf, "letters-in-word", 88.0) if ctx.lexicon.known(fixed) else None
    if sum(c in DIGIT_AS_LETTER for c in core) > 2 or sum(c.isdigit() for c in core) * 2 > len(core):
        return None
    stem = core.rstrip("!")
    if core[-1] == "!" and len(core) > 2 and ctx.lexicon.known(stem) and not stem.isupper():
        return None  # an exclamation mark after a word
    if KIND_SHAPE.fullmatch(core):
        # A1, B2: a kind code (or a grid reference) as printed; "Al" read as "A1" is rarer than the
        # code, and the kind-code rule has just made it from "Al" after a publication number
        return None
    options = [DIGIT_AS_LETTER.get(c, c) for c in core]
    readings = {"".join(p) for p in product(*options)}
    if CODE_RE.fullmatch(core):  # 3D, 5G, 2nd are codes; 0f, 1n, 1S are "of", "in", "IS"
        short = FUNCTION_WORDS.get(ctx.lang, FUNCTION_WORDS["en"])
        readings = {r for r in readings if r.lower() in short}
    known = {}
    for r in readings:
        if ctx.lexicon.known(r):
            known.setdefault(fold(r), []).append(r)
    if len(known) != 1:
        return None
    (forms,) = known.values()
    upper = sum(c.isupper() for c in core if c.isalpha()) > sum(c.islower() for c in core if c.isalpha())
    forms.sort(key=lambda r: sum((ch.isupper() != upper) for ch, o in zip(r, core) if o in DIGIT_AS_LETTER))
    return Fix(pre + forms[0] + suf, "letters-in-word", 88.0)


# Spanish verb endings (present, imperfect, preterite, future, conditional, subjunctive, gerund,
# participle) and derivations (-able/-ible, feminine and plural adjectives) → the lemma endings they
# may come from: ``refunden`` → refundir, ``entrecomilla`` → entrecomillar, ``escamoteable`` →
# escamotear, ``booleana`` → booleano. Word lists hold lemmas; a form too rare for the frequency
# list is still a word when its lemma is one.
_AR = ("ar",)
_ER_IR = ("er", "ir")
_ENDING_GROUPS = (
    (_AR, ("o", "as", "a", "amos", "áis", "an", "aba", "abas", "ábamos", "abais", "aban", "é", "aste",
             "ó", "asteis", "aron", "aré", "arás", "ará", "aremos", "aréis", "arán", "aría", "arías",
             "aríamos", "aríais", "arían", "e", "es", "emos", "éis", "en", "ara", "aras", "áramos",
             "arais", "aran", "ase", "ases", "ásemos", "asen", "ando", "ado", "ada", "ados", "adas",
             "able", "ables", "ación", "aciones", "amiento", "amientos", "ador", "adora", "adores",
             "adoras")),
    (_ER_IR, ("ía", "ías", "íamos", "íais", "ían", "í", "iste", "ió", "isteis", "ieron", "iera",
                "ieras", "iéramos", "ieran", "iese", "iesen", "iendo", "ido", "ida", "idos", "idas",
                "ible", "ibles", "imiento", "imientos", "e", "es", "en", "o", "a", "as", "an", "amos")),
    (("er",), ("emos", "éis", "erá", "erán", "ería", "erían", "eremos")),
    (("ir",), ("imos", "ís", "irá", "irán", "iría", "irían", "iremos")),
)


def _endings(groups) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each ending with every infinitive ending it may come from, longest ending first (an ending
    several conjugations share, ``a`` or ``en``, keeps all of them)."""
    out: dict[str, tuple[str, ...]] = {}
    for infinitives, endings in groups:
        for e in endings:
            out[e] = tuple(dict.fromkeys(out.get(e, ()) + infinitives))
    return tuple(sorted(out.items(), key=lambda kv: -len(kv[0])))


ES_ENDINGS = _endings(_ENDING_GROUPS)
ES_ADJECTIVE = (("as", "o"), ("os", "o"), ("a", "o"))
TYPO_COST, TYPO_ZIPF = 1.0, 1.5


def is_form(word: str, ctx: RuleContext) -> bool:
    """A word of the page's language: listed, known, an inflection ``forms`` knows, or (Spanish) a
    verb form, an -able/-ible derivation or an adjective's gender and number of a known lemma."""
    if ctx.forms.is_word(word, ctx.lexicon):
        return True
    return ctx.lang == "es" and _spanish_form(word.casefold(), ctx)


def _spanish_form(w: str, ctx: RuleContext) -> bool:
    if len(w) < 5 or not w.isalpha():
        return False

    def known(lemma: str) -> bool:
        if ctx.lexicon.known(lemma):
            return True
        # a lemma only the web's list has may be its typo (utlizar, 1.7): not when a cheap
        # misreading away from a word far more common (utilizar, 4.6)
        return ctx.forms.listed(lemma) and not any(
            raw <= TYPO_COST and ctx.forms.zipf(word) >= ctx.forms.zipf(lemma) + TYPO_ZIPF
            for word, _, raw in ctx.lexicon.ranked(lemma, limit=3, max_cost=TYPO_COST))

    if w.endswith("mente") and len(w) - len("mente") >= 4 and known(w[: -len("mente")]):
        return True  # an adverb of an adjective's feminine form (axialmente, comercialmente)
    # the first-person and -as/-an/-en/-es/... endings overlap; any lemma that fits will do
    for ending, infinitives in ES_ENDINGS:
        stem = w[: -len(ending)]
        if w.endswith(ending) and len(stem) >= 3 and any(known(stem + inf) for inf in infinitives):
            return True
    return any(w.endswith(ending) and len(w) - len(ending) >= 3 and known(w[: -len(ending)] + lemma)
               for ending, lemma in ES_ADJECTIVE)


def lexicon_fix(text: str, ctx: RuleContext, conf: float) -> Fix | None:
    """An unknown word with one clearly cheapest reading (``anaiytical`` → ``analytical``)."""
    s = ctx.settings
    if not s.lexicon_fix or conf >= s.lexicon_below_confidence:
        return None
    pre, core, suf = split_token(text)
    if len(core) < 3 or not all(c.isalpha() or c in "'’-" for c in core) or ctx.lexicon.known(core):
        return None
    if core.isupper():
        return None  # acronyms and names in capitals: left to the reviewer
    if ctx.owned(core):
        return None  # the document's own word (used elsewhere in it) or protected vocabulary
    if core[0].isupper() and conf >= 80:
        return None  # a confidently read capitalised word is a name until a reviewer says otherwise
    if not ctx.accents and any(not c.isascii() for c in core) and not ctx.lexicon.known(strip_marks(core)):
        return None  # a word of another language than the page's (procéssing is a misread; café is not)
    if "-" in suf or "-" in core:
        return None  # half of a hyphenated word
    if is_form(core, ctx):
        return None  # an inflected form of the language (varía, laterales): a word, not a misreading
    ranked = ctx.lexicon.ranked(core, limit=2, max_cost=s.lexicon_max_cost + s.lexicon_margin + 1)
    if not ranked:
        return None
    word, score, raw = ranked[0]
    if not ctx.accents and adds_accents(core, word):
        return None  # English pages never gain Spanish or French accents (attaches -> attachés)
    # a cheap confusion (i/l, 1/l, é/e) at any confidence; a dearer one (a/o) only on a doubtful word
    if raw > s.lexicon_max_cost or raw > s.lexicon_max_cost * 0.75 and conf >= 75:
        return None
    if len(ranked) > 1 and ranked[1][1] - score < s.lexicon_margin:
        return None
    return Fix(pre + match_case(word, core) + suf, "lexicon", round(100 - 60 * max(raw, 0), 1))


def split_joined(text: str, ctx: RuleContext, conf: float) -> Fix | None:
    """Words run together by tight spacing: ``atleast`` → ``at least``, ``ofa`` → ``of a``."""
    if not ctx.settings.split_joined:
        return None
    pre, core, suf = split_token(text)
    if len(core) < 3 or not core.isalpha() or ctx.lexicon.known(core):
        return None
    if any(c.isupper() for c in core[1:]):
        return None  # CamelCase names (SetClipboardData) are not run-together words
    parts = _segment(core, ctx)
    if not parts or len(parts) < 2:
        return None
    short = FUNCTION_WORDS.get(ctx.lang, FUNCTION_WORDS["en"])
    if all(p.lower() in short for p in parts):
        # function words run together are a misreading the web makes too (atleast, dela): the
        # list is evidence only when the joined form is common (suelen, not "su el en")
        if ctx.forms.zipf(core) >= FUNCTION_RUN_ZIPF or ctx.forms.is_word(core, ctx.lexicon) and not ctx.forms.listed(core):
            return None
    elif is_form(core, ctx):
        return None  # the joined form is a word of the language (laterales, montarse, colocada,
        # escamoteable, refunden)
    if ctx.owned(core) and not all(p.lower() in short for p in parts):
        return None  # the document uses this word elsewhere (switchgear 33 times): it is a word;
        # function words only (atleast, seven times in one EP text) are the same misreading again
    # Tight spacing runs a short function word into its neighbour (atleast, ofthe, inthe). Short
    # content words together are far more often a compound or a term the lexicon lacks
    # (switchgear, wellbore, proppant, Hoffmann): split only into long, common words
    # (managementsystem).
    if not any(p.lower() in short for p in parts) and \
            not all(len(p) >= 5 and ctx.lexicon.count(p) >= 10 for p in parts):
        return None
    if core[0].isupper() and parts[0].lower() not in short:
        return None  # a capitalised word splits only after a leading function word (Theinvention)
    if any(p.lower() not in short and ctx.lexicon.count(p) < 2 and len(p) < 6 for p in parts):
        return None  # a rare short word split off (amort. -> a mort.): not clearly better
    return Fix(pre + " ".join(parts) + suf, "split-joined", 80.0)


FUNCTION_RUN_ZIPF = 4.0  # "suelen" 4.6 is a word; "atleast" 3.5, "ofthe" 3.3, "dela" 3.4 are run together


def diacritics(text: str, ctx: RuleContext) -> Fix | None:
    """A diacritic misread on a page in a language that writes them: ``desagúe`` → ``desagüe``,
    ``antigúedad`` → ``antigüedad``, ``tambien`` → ``también``. Only when exactly one spelling
    with other diacritics is in the lexicon (and the word as read is not), or one is far more
    common than the word as read and every other spelling (``forms.dominant_accented``)."""
    if not ctx.accents:
        return None
    pre, core, suf = split_token(text)
    if len(core) < 3 or not core.isalpha() or core.isupper():
        return None  # capitals (titles, names) are settled with the document's evidence (structure)
    if suf[:1] and suf[0] in HYPHENS:
        return None  # a word's first half at a line end (``obten-`` of obtención): not a word
    if ctx.lexicon.known(core):
        return None  # (also an English word the text quotes: ``(extrusion blowmolding)``)
    low = core.lower()
    mine = _document_marked(core, ctx)
    written = ctx.forms.is_word(low, ctx.lexicon)
    if mine:  # a spelling some text writes (a manual page's ``opcion``) may be the print's own: still asked
        return Fix(pre + _same_case(mine, core) + suf, "diacritic", LISTED_FORM_ACCENT if written else DOCUMENT_ACCENT)
    if written:
        if not ctx.restore_accents or ctx.owned(core):
            return None  # the document's own spelling (an old print's "despues", used five times)
        best = ctx.forms.dominant_accented(low)  # varía stays (varia is rarer); tambien does not
        # the spelling read is itself written (the web's "caracter", an old or plain-ASCII text's
        # "opcion"): less sure than a spelling no text writes, so the fix is also asked
        return Fix(pre + _same_case(best, core) + suf, "diacritic", LISTED_FORM_ACCENT) if best else None
    known = {v for v in accent_variants(low) if ctx.lexicon.known(v)}
    if len(known) == 1:
        return Fix(pre + _same_case((known.pop()), core) + suf, "diacritic", 90.0)
    if known:
        return None  # two real words: a reviewer's call
    best = ctx.forms.dominant_accented(low) or (
        _accented_tail(low, ctx) if core.islower() and ctx.restore_accents else None)
    return Fix(pre + _same_case(best, core) + suf, "diacritic", 85.0) if best else None


DOCUMENT_ACCENT = 85.0  # a fix's confidence when the document itself reads the word with its mark
DOCUMENT_ACCENT_ZIPF = 0.5  # ... on a capital: the language writes that spelling this much more often (3x)


def _document_marked(core: str, ctx: RuleContext) -> str | None:
    """The spelling with one mark more that the document itself reads at least as often as
    ``core``: a font whose accents the engine loses now and then reads ``sección`` six times and
    ``seccion`` twice, which alone would make ``seccion`` the document's own spelling
    (``ctx.owned``). Taken when the language writes it far more often (``dominant_accented``),
    or, for a mark on a capital the engine dropped (``Embolo``: ``émbolo`` is only 3x ``embolo``
    on the web), when it is likelier by ``DOCUMENT_ACCENT_ZIPF``; not so for a lower-case word,
    which the source itself may spell both ways (a manual page's ``ordenes`` beside its
    ``órdenes``). Never in a document that does not write today's accents (an old print's
    ``despues``), and only when exactly one such spelling is read."""
    if not ctx.restore_accents or not ctx.forms.lang:
        return None
    low = core.lower()
    here = ctx.doc_counts.get(low, 0)
    hits = [v for v in accent_variants(low, limit=1)
            if ctx.doc_counts.get(v, 0) >= max(1, here) and adds_accents(low, v)]
    if len(hits) != 1:
        return None
    (word,) = hits
    if ctx.forms.dominant_accented(low) == word:
        return word
    capital = core[0].isupper() and word[0] != low[0]
    return word if capital and ctx.forms.zipf(word) >= ctx.forms.zipf(low) + DOCUMENT_ACCENT_ZIPF else None


MIN_TAIL = 6  # letters of a compound's last word that carry its accent (oxígeno in peroxígeno)


def _accented_tail(low: str, ctx: RuleContext) -> str | None:
    """A word no list knows whose last word does, with a mark: ``peroxigeno`` → ``peroxígeno``
    (oxígeno), ``cinematicamente`` → ``cinemáticamente`` (cinemática + -mente). A prefix does not
    move a Spanish word's stress, so the tail keeps its accent in the compound. Only when exactly
    one marked spelling of the tail is a word and the tail as read is not (``indices``, ``seria``
    are words: no evidence), the longest such tail; lower case only (``Sumillon`` is a name, not
    a compound of ``millón``), and only in a document that writes today's accents."""
    if ctx.lang != "es":
        return None
    if low.endswith("mente") and len(low) - 5 >= MIN_TAIL:
        stem = low[:-5]
        fixed = _marked_word(stem, ctx) if not ctx.lexicon.known(stem) else None
        return fixed + "mente" if fixed else None
    for k in range(2, len(low) - MIN_TAIL + 1):
        fixed = _marked_word(low[k:], ctx)
        if fixed:
            if low[:k] not in COMPOUND_PREFIXES and _plain_inner_tail(low[k + 1:], ctx):
                return None  # isopropil|amina, not isopropi|lámina: two readings, no evidence
            return low[:k] + fixed
        if ctx.lexicon.known(low[k:]) or _spanish_form(low[k:], ctx):
            return None  # the longest known tail has no mark to give (encargan: cargan, not argán)
    return None


# Spanish prefixes (and ``PREFIXES``) before a compound's last word: a tail after one of them is
# the word (micro|cámara, nano|partícula), whatever shorter word ends it (amara, articula)
COMPOUND_PREFIXES = frozenset(PREFIXES | {"macro", "termo", "electro", "foto", "hidro", "radio", "bio", "geo", "poli",
                                          "iso", "ultra", "hiper", "hipo", "infra", "contra", "neo", "pseudo", "mini",
                                          "tele", "aero", "extra", "peri", "endo", "exo", "meta", "mega"})
INNER_TAIL = 5  # letters of a shorter last word inside a marked tail that make the split a guess
INNER_TAIL_ZIPF = 2.5  # ... and how common it must be (amina 2.8; geno, xigeno are not such words)


def _plain_inner_tail(rest: str, ctx: RuleContext) -> bool:
    """Whether a shorter word without marks ends the word inside the marked tail: ``amina``
    inside ``lamina`` (isopropilamina), so the compound may as well end in the plain word."""
    for k in range(0, len(rest) - INNER_TAIL + 1):
        tail = rest[k:]
        if tail == strip_marks(tail) and (ctx.lexicon.known(tail) or ctx.forms.zipf(tail) >= INNER_TAIL_ZIPF):
            return True
    return False


def _marked_word(tail: str, ctx: RuleContext) -> str | None:
    if ctx.lexicon.known(tail):
        return None
    marked = {v for v in accent_variants(tail, limit=1) if ctx.lexicon.known(v)}
    if len(marked) != 1:
        return None
    (word,) = marked
    return word if ctx.forms.zipf(word) > ctx.forms.zipf(tail) and adds_accents(tail, word) else None


LISTED_FORM_ACCENT = 80.0  # a fix's confidence when the unmarked spelling read is a written form too
ACCENT_CONVENTION = 0.6  # share of the words that take diacritics read with them
ACCENT_EVIDENCE = 5  # ... judged from this many such words on


def accent_convention(counts: dict[str, int], forms: Forms, evidence: bool = False) -> bool:
    """Whether a document writes today's diacritics: of its words that take them (read with them,
    or whose accented spelling is far more common), at least ACCENT_CONVENTION are read with them
    as today's spelling writes them. A document with too few such words to tell follows the
    language's convention, unless ``evidence`` is asked for (then it does not)."""
    marked = unmarked = 0
    for word, n in counts.items():
        if not word.isalpha() or len(word) < 3:
            continue
        plain = strip_marks(word)
        if word != plain:
            # a mark today's spelling does not write (an 1879 print's "jóven", "perístilo") is
            # another convention, not evidence that this one is followed
            modern = not (forms.listed(plain) and forms.zipf10.get(plain) >= forms.zipf10.get(word) + 10)
            if modern:
                marked += n
            else:
                unmarked += n
        elif forms.dominant_accented(word):
            unmarked += n
    if marked + unmarked < ACCENT_EVIDENCE:
        return not evidence  # too few words to tell: the language's own convention
    return marked >= ACCENT_CONVENTION * (marked + unmarked)


def _same_case(word: str, like: str) -> str:
    return "".join(c.upper() if o.isupper() else c for c, o in zip(word, like)) if len(word) == len(like) else word


def _segment(word: str, ctx: RuleContext) -> list[str] | None:
    """Fewest parts, then the most common reading (dynamic programming over split points)."""
    short = FUNCTION_WORDS.get(ctx.lang, FUNCTION_WORDS["en"])
    low = word.lower()
    n = len(low)
    best: list[tuple[int, float, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, [])
    for end in range(1, n + 1):
        for start in range(max(0, end - 24), end):
            prev = best[start]
            if prev is None or prev[0] >= 5:
                continue
            part = low[start:end]
            if len(part) <= 3 and part not in short:
                continue
            if len(part) > 3 and not (part in short or ctx.lexicon.known(part)):
                continue
            if part in PREFIXES and end < n:
                continue
            score = prev[1] + math.log10(1 + ctx.lexicon.counts.get(part, 0))
            cand = (prev[0] + 1, score, prev[2] + [word[start:end]])
            cur = best[end]
            if cur is None or (cand[0], -cand[1]) < (cur[0], -cur[1]):
                best[end] = cand
    final = best[n]
    return final[2] if final else None


STRAY_STOP = re.compile(r"([^\W\d_]+)([,;:]?)[.·]([^\W\d_A-Z][^\W\d_]*)(\W*)")


def stray_stop(text: str, ctx: RuleContext) -> Fix | None:
    """A speck read as a full stop between two words: ``that.causes`` → ``that causes``,
    ``storing,.and`` → ``storing, and`` (not ``e.g``, not ``file.docx``)."""
    m = STRAY_STOP.fullmatch(text)
    if not m:
        return None
    whole = m.group(1) + m.group(3)
    if not m.group(2) and len(whole) >= 5 and _known(whole, ctx) and not (
            ctx.lexicon.known(m.group(1)) and ctx.lexicon.known(m.group(3))):
        return Fix(f"{whole}{m.group(4)}", "stray-stop", 75.0)  # a speck inside a word: caball.os
    if not (_known(m.group(1), ctx) and _known(m.group(3), ctx)):
        return None
    short = FUNCTION_WORDS.get(ctx.lang, FUNCTION_WORDS["en"])
    if min(len(m.group(1)), len(m.group(3))) == 1 and (
            (m.group(1) if len(m.group(1)) == 1 else m.group(3)) not in short or max(len(m.group(1)), len(m.group(3))) < 3):
        return None  # one letter on a side: an article or a preposition (``a.sensor``, ``exportar.a``),
        # not ``e.g``, ``i.e``
    return Fix(f"{m.group(1)}{m.group(2)} {m.group(3)}{m.group(4)}", "stray-stop", 75.0)


def _known(word: str, ctx: RuleContext) -> bool:
    # especificó: a form of the language; a short one is no evidence (caball.os is caballos)
    return ctx.lexicon.known(word) or len(word) >= 4 and ctx.forms.is_word(word, ctx.lexicon)


WordRule = Callable[[str, RuleContext], "Fix | None"]
WORD_RULES: tuple[WordRule, ...] = (ligatures, paragraph_number, number_context, step_reference, letters_in_word,
                                    stray_stop)


# --------------------------------------------------------------------------- neighbour rules


SECOND_HALF = re.compile(r"([^\W\d_A-Z][^\W\d_]*)((?:\(s\))?[^\w(]*)")  # "agement", "bodiment(s)", "tion."


def dehyphenate(first: str, second: str, ctx: RuleContext) -> tuple[str, str] | None:
    """``man-`` at a line end + ``agement`` → ``management`` (the hyphen kept when both halves
    are words and the joined form is not: ``non-`` + ``volatile`` → ``non-volatile``)."""
    if not ctx.settings.dehyphenate or len(first) < 2 or first[-1] not in HYPHENS:
        return None
    stem = first[:-1]
    m = SECOND_HALF.fullmatch(second)
    if not stem or not stem[-1].isalpha() or not m:
        return None
    second_core, suf = m.groups()
    head, sep, last = stem.rpartition("-")
    if len(last) < 2:
        return None
    joined = last + second_core
    if ctx.lexicon.known(joined) or is_form(joined, ctx):
        word = head + sep + joined  # podamos, not poda-mos; axialmente, not axial-mente
    elif ctx.lexicon.known(last) and ctx.lexicon.known(second_core) and len(last) > 2:
        # two words: a compound's own hyphen, unless Spanish (the typesetter's: anti- + corrosivo)
        word = head + sep + joined if _syllable_break(last, second_core, ctx) else stem + "-" + second_core
    elif ctx.lexicon.known(second_core) and len(second_core) >= 6:
        return None  # a whole word after a fragment: probably not this line's continuation
    else:
        word = head + sep + joined
    return word + suf, ""


def _syllable_break(last: str, second: str, ctx: RuleContext) -> bool:
    """A Spanish line-end hyphen between two words is a syllable break (``auto-`` + ``inyectores``,
    ``anti-`` + ``fúngico``): Spanish spelling repeats a compound's own hyphen at the head of
    the next line (RAE, Ortografía de la lengua española, 2010), so a hyphen at a line end alone
    is the typesetter's, unless the document writes the compound with its hyphen inside a line."""
    return ctx.lang == "es" and not ctx.doc_counts.get(fold(f"{last}-{second}"), 0)


def join_broken(first: str, second: str, ctx: RuleContext) -> tuple[str, str] | None:
    """A ligature split by OCR: ``speci fic`` → ``specific``, ``of fice`` → ``office``."""
    if not ctx.settings.join_broken:
        return None
    a_pre, a, a_suf = split_token(first)
    b_pre, b, b_suf = split_token(second)
    if a_suf or b_pre or not a.isalpha() or not b.isalpha() or not b[:1].islower():
        return None
    if not (a.endswith("f") or b.startswith(("fi", "fl", "ff"))):
        return None
    if ctx.lexicon.known(a) and ctx.lexicon.known(b):
        return None
    if not ctx.lexicon.known(a + b):
        return None
    return a_pre + a + b + b_suf, ""


KIND_MISREAD = re.compile(r"([A-Z])([lI|iZ])([.,;:)]?)")  # Al, BI, A| (A1, B1), AZ (A2)
KIND_DIGIT = {"l": "1", "I": "1", "|": "1", "i": "1", "Z": "2"}
PUBLICATION_NUMBER = re.compile(r"[\dOo]{6,}[.,]?|\d{1,4}(?:[-/]\d{2,8}){1,3}")  # 12020053559, 1-2020-053559


def kind_code(number: str, code: str, ctx: RuleContext) -> str | None:
    """The kind code printed after a publication number read with its digit as a letter:
    ``PH 12020053559 Al`` → ``A1``, ``EP 1234567 BI`` → ``B1``. Only right after a number of six
    digits or more (a sentence's ``5 Al`` stays aluminium); ``number`` may be a number printed in
    groups, joined (``grouped_number``)."""
    if not PUBLICATION_NUMBER.fullmatch(number) or sum(c.isdigit() for c in number) < 6:
        return None
    m = KIND_MISREAD.fullmatch(code)
    if not m or m.group(1) not in "ABCTUWYEFGHKLPS":
        return None
    return m.group(1) + KIND_DIGIT[m.group(2)] + m.group(3)


NUMBER_GROUP = re.compile(r"\d{1,3}")  # ES 2 395 032: a number printed in groups of three
OFFICE_CODE = re.compile(r"[A-Z]{2}")


def grouped_number(words: list[str]) -> str | None:
    """The publication number that the tokens ``words`` end with when it is printed in groups of
    up to three digits after its office's code (``ES 2 395 032``, the Spanish office's own
    layout): its digits joined (``2395032``), else None."""
    k = len(words)
    while k and NUMBER_GROUP.fullmatch(words[k - 1]):
        k -= 1
    if k == len(words) or k == 0 or not OFFICE_CODE.fullmatch(words[k - 1]) or len(words) - k < 2:
        return None
    return "".join(words[k:])


IPC_SUBCLASS = re.compile(r"([A-H])([0-9OoDIl|LSZB]{2})([A-Z])([.,;:]?)")  # B01L, read BOLL, BO1L
IPC_GROUP = re.compile(r"\d{1,4}/\d{2,6}[.,;:]?")  # 9/00, 31/519
IPC_DIGIT = {"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "L": "1", "S": "5", "Z": "2", "B": "8"}


def ipc_subclass(code: str, group: str, ctx: RuleContext) -> str | None:
    """An IPC subclass before its group read with letters for its two digits: ``BOLL 9/00`` →
    ``B01L``, ``HO4W 72/04`` → ``H04W`` (only before a main group/subgroup: ``BOLD 9/00`` is
    no subclass either, ``BOLD`` alone a word)."""
    if not IPC_GROUP.fullmatch(group):
        return None
    m = IPC_SUBCLASS.fullmatch(code)
    if not m:
        return None
    digits = "".join(IPC_DIGIT.get(c, c) for c in m.group(2))
    new = m.group(1) + digits + m.group(3) + m.group(4)
    return new if new != code and digits.isdigit() else None


LONE_O = re.compile(r"([(\[]?)([O0])")
SENTENCE_END = ".:;!?"


def conjunction_o(before: str, word: str, after: str, ctx: RuleContext) -> str | None:
    """The Spanish conjunction ``o`` read as a capital or a zero between two lower-case words:
    ``maneja O manipula``, ``pieza O tapa``, ``cementoso 0 mineral``. Spanish writes a lone capital O
    at a sentence's head and a zero among numbers; a technical text also writes a zero between words
    (``entre 0 y``, ``el 0 que``, ``argumento 0 se``) and a capital O as a name (``y O es``, ``tipo O de``), so only between two content
    words, a zero between two of four letters or more. A neighbour rule: the caller gives the
    words before and after (``proofread._correct_page``)."""
    if ctx.lang != "es" or ctx.foreign:
        return None
    m = LONE_O.fullmatch(word)
    if not m:
        return None
    _, left, left_suf = split_token(before)
    right_pre, right, _ = split_token(after)
    short = FUNCTION_WORDS["es"]
    if not (left.isalpha() and left[-1:].islower() and len(left) >= 3 and left.casefold() not in short) or \
            any(c in SENTENCE_END for c in left_suf) or right_pre or not (right.isalpha() and right[:1].islower()):
        return None
    if right.casefold() in short or m.group(2) == "0" and (len(right) < 4 or len(left) < 4):
        return None  # (``tipo O de``: a blood group)
    return m.group(1) + "o"


COMMA_NEXT_ZIPF = 3.0  # a word after the stop this common in the language: running text, not a command
# the preposition and the conjunctions as Spanish wrote them until 1952 (``á``, ``ó``, ``é``): a
# document that writes them is nineteenth-century print, which may go on in lower case after a stop
OLD_ORTHOGRAPHY = ("á", "ó", "é")


def stop_for_comma(word: str, following: str, ctx: RuleContext) -> str | None:
    """A comma read as a full stop: ``los brazos. que``, ``capilar. y``. A Spanish sentence begins
    with a capital, so a stop after a word of the language followed by a common lower-case word
    of it was a comma. Only in a document that shows today's spelling (``_modern_spelling``:
    nineteenth-century print goes on in lower case after a stop, ``envio. es un``), never after
    an abbreviation or a short word (``etc.``, ``mm.``) or before a word the language seldom
    writes (a manual page's ``batch``, ``getopts``). A neighbour rule: the caller gives the word
    after it on its line (``proofread._correct_page``), never the first word of the next line: a
    stop that ends a line may end a paragraph or an item, which a manual page begins in lower
    case (``verdadera.`` / ``while``, ``derecha.`` / ``la``)."""
    if ctx.lang != "es" or ctx.foreign or not ctx.restore_accents:
        return None
    pre, core, suf = split_token(word)
    next_pre, next_core, _ = split_token(following)
    if suf != "." or len(core) < 4 or not core.isalpha() or not core.islower() or not is_form(core, ctx):
        return None
    if next_pre or not next_core.isalpha() or not next_core.islower() or ctx.forms.zipf(next_core) < COMMA_NEXT_ZIPF:
        return None
    return pre + core + "," if _modern_spelling(ctx) else None


def _modern_spelling(ctx: RuleContext) -> bool:
    """The document shows today's spelling: enough words with today's accents (not a short page
    that cannot tell: a 1600s page of 118 words, ``llaneza. o``) and none of the old lone
    ``á``/``ó``/``é``. Worked out once per document."""
    cache = ctx.memo.setdefault("cache", {})
    if "modern" not in cache:
        cache["modern"] = not any(ctx.doc_counts.get(w, 0) for w in OLD_ORTHOGRAPHY) and \
            accent_convention(ctx.doc_counts, ctx.forms, evidence=True)
    return cache["modern"]


def is_noise(text: str, conf: float, ctx: RuleContext) -> bool:
    """An isolated speck read as ``~``, ``_`` or ``©`` with a low confidence."""
    return (ctx.settings.remove_noise and conf < ctx.settings.noise_confidence and len(text) <= 2
            and not any(c.isalnum() for c in text))


def normalise_unicode(text: str) -> str:
    return unicodedata.normalize("NFC", text)
