"""Corrections that respect the document: its own words, domain vocabulary, names and the page's
language are not "corrected" (issue 12). Sentences from real technical texts, as Tesseract read them."""

from __future__ import annotations

import pytest

from digitize.settings import profile as profiles
from digitize.model import Block, Line, OcrPage, Word
from digitize.proofread import auto_correct, rules
from digitize.settings.profile import or_defaults


@pytest.fixture(scope="module")
def generic():
    return profiles.load("generic")


@pytest.fixture(scope="module")
def lexicon(generic, english_lexicon):
    return english_lexicon(generic)


def _page(lines: list[str], conf: float = 93.0, number: int = 1) -> OcrPage:
    out, y, n = [], 10, 0
    for text in lines:
        words = []
        for x, t in enumerate(text.split()):
            n += 1
            words.append(Word(id=f"p{number:04d}_w{n:05d}", text=t, bbox=(10 + 60 * x, y, 60 + 60 * x, y + 20), conf=conf))
        out.append(Line(bbox=(10, y, 60 + 60 * len(words), y + 20), words=words))
        y += 30
    return OcrPage(number=number, width=2000, height=3000, dpi=300, blocks=[Block(bbox=(10, 10, 2000, y), lines=out)])


def _text(pages: list[OcrPage]) -> str:
    return " ".join(w.text for p in pages for w in p.words() if w.text)


def test_compounds_and_names_are_not_split(generic, lexicon):
    pages = [_page([
        "The switchgear cabinet houses the breaker; each switchgear bay is earthed.",
        "Fluid is pumped down the wellbore and the proppant holds the fracture open.",
        "As reported by Hoffmann et al., the wellbore pressure drops.",
    ])]
    fixed, corrections, _ = auto_correct(pages, generic, lexicon)
    text = _text(fixed)
    for word in ("switchgear", "wellbore", "proppant", "Hoffmann"):
        assert word in text, (word, [(c.old, c.new) for c in corrections])
    assert not [c for c in corrections if c.rule == "split-joined"]


def test_a_word_used_twice_in_the_document_is_its_own(generic, lexicon):
    """A coined term outside every vocabulary: once it would be split, used twice it is kept."""
    once = [_page(["The gearbell is mounted on the frame."], conf=70)]
    twice = [_page(["The gearbell is mounted on the frame."], conf=70),
             _page(["A second gearbell turns."], conf=70, number=2)]
    ctx_once = auto_correct(once, generic, lexicon)[0]
    ctx_twice = auto_correct(twice, generic, lexicon)[0]
    assert "gearbell" in _text(ctx_twice)
    # the rule itself: owned words are never split or respelled
    ctx = rules.RuleContext(or_defaults(generic).proofread, lexicon, doc_counts={"gearbell": 2})
    assert rules.split_joined("gearbell", ctx, 60) is None and rules.lexicon_fix("gearbell", ctx, 60) is None
    assert ctx_once  # (once: whatever the rules decide, it runs)


def test_run_together_function_words_are_still_split(generic, lexicon):
    pages = [_page(["The valve is opened atleast once and canbe closed ofa sudden."], conf=80)]
    text = _text(auto_correct(pages, generic, lexicon)[0])
    assert "at least" in text and "can be" in text


def test_english_pages_never_gain_accents(generic, lexicon):
    pages = [_page(["The bracket attaches to the housing and the clip attaches to the rail."], conf=70)]
    fixed, corrections, _ = auto_correct(pages, generic, lexicon)
    assert "attachés" not in _text(fixed) and "attaches" in _text(fixed)
    ctx = rules.RuleContext(or_defaults(generic).proofread, lexicon, accents=False)
    assert rules.lexicon_fix("attaches", ctx, 60) is None
    assert rules.adds_accents("attaches", "attachés") and not rules.adds_accents("procéssing", "processing")
    # a misread accent is still removed on an English page
    assert rules.lexicon_fix("procéssing", ctx, 90).new == "processing"


def test_spanish_pages_may_gain_accents():
    page = _page(["La invención se refiere a un método de la técnica para el tratamiento de los datos"])
    from digitize.proofread import writes_accents
    assert writes_accents(page, "es") and not writes_accents(page, "en")
    english = _page(["The invention relates to a method of treating the data and the"])
    assert not writes_accents(english, "es")


def test_domain_vocabulary_is_protected(generic, lexicon):
    from digitize.proofread.lexicon import protected
    assert {"switchgear", "wellbore", "proppant"} <= protected()
    ctx = rules.RuleContext(or_defaults(generic).proofread, lexicon, protected=protected())
    assert rules.split_joined("Switchgear", ctx, 50) is None


def test_a_repeated_run_together_of_function_words_is_still_split(generic, lexicon):
    """'atleast' seven times in one EP publication (tight spacing in one font): owned words are
    kept, but a split into function words only is the same misreading again."""
    ctx = rules.RuleContext(or_defaults(generic).proofread, lexicon, doc_counts={"atleast": 7, "switchgear": 3})
    assert rules.split_joined("atleast", ctx, 90).new == "at least"
    assert rules.split_joined("switchgear", ctx, 90) is None


def test_office_memory_corrects_in_the_words_own_case_and_its_known_words_are_not_asked(generic, lexicon):
    """Issue 29: a confirmed correction (stored folded) is applied as ``auto-memory`` in the case
    and punctuation of each reading (``FO2B`` → ``F02B``, ``(fo2b,`` → ``(f02b,``); a word the
    office accepted is no longer a queue candidate; without the memory both are as before."""
    from digitize.store.memory import AUTO, MemoryRules

    memory = MemoryRules(office="XX", corrections={"fo2b": "f02b"}, accepted=frozenset({"glorbix"}))
    # (no IPC group after the subclass: "FO2B 75/32" is the ipc-subclass rule's, memory or not)
    page = _page(["Int. Cl. FO2B and (fo2b, in the glorbix housing"], conf=40.0)
    pages, corrections, candidates = auto_correct([page], generic, lexicon, memory=memory)
    made = [(c.old, c.new) for c in corrections if c.rule == AUTO]
    assert made == [("FO2B", "F02B"), ("(fo2b,", "(f02b,")]
    assert "F02B and (f02b," in _text(pages)
    assert "glorbix" not in [c.text for c in candidates]
    _, corrections, candidates = auto_correct([page], generic, lexicon)
    assert not [c for c in corrections if c.rule == AUTO] and "glorbix" in [c.text for c in candidates]
