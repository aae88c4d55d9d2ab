"""What the queue missed on Spanish prose pages of the third sealed queue batch's kind (Pango
pages whose font the engine reads without the í now and then): a word read without its mark whose
plain spelling is no word of the spelling dictionary (``asi``, ``ahi``, ``liquida``), asked with
the dictionary's marked word; and the order-free measurement of ``bench/qa_effort.py``. The
strings are what Tesseract read there."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from digitize.proofread import auto_correct
from digitize.proofread.lexicon import load
from digitize.settings import profile as profiles

from test_proofread_rules import page_of

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

FILLER = [("la", 96), ("válvula", 96), ("está", 96), ("dispuesta", 96), ("en", 96), ("el", 96), ("cuerpo", 96),
          ("según", 96), ("la", 96), ("invención", 96)]


def _asked(words: list[tuple[str, float]]) -> dict[str, list[str]]:
    if not load(("spanish",)).known("así"):
        pytest.skip("the Debian Spanish word list (wspanish) is not installed")
    pages = [page_of([[("Título", 96)]], number=1), page_of([words, FILLER, FILLER], number=2)]
    _, _, candidates = auto_correct(pages, profiles.load("mx"))
    return {c.text: c.suggestions for c in candidates}


def test_a_word_read_without_its_mark_that_the_dictionary_lacks_is_asked():
    """``asi``, ``ahi``, ``liquida,`` read with confidence, the document reading no ``así``: asked
    with the marked word first. Not: ``periodo`` and ``video`` (the language writes both
    spellings), ``esta``, ``mas``, ``hacia`` (words of the dictionary)."""
    asked = _asked([("asi", 95), ("como", 96), ("ahi", 95), ("una", 96), ("mezcla", 96), ("liquida,", 95),
                    ("periodo", 96), ("video", 96), ("esta", 96), ("mas", 96), ("hacia", 96), ("Asi", 95)])
    assert asked.get("asi", [None])[0] == "así" and asked.get("ahi", [None])[0] == "ahí"
    assert asked.get("liquida,", [None])[0] == "líquida," and asked.get("Asi", [None])[0] == "Así"
    assert not {"periodo", "video", "esta", "mas", "hacia"} & set(asked)


def test_an_english_page_is_not_asked_about_spanish_marks():
    pages = [page_of([[("Title", 96)]], number=1),
             page_of([[("the", 96), ("asi", 95), ("valve", 96), ("is", 96), ("shown", 96)]], number=2)]
    _, _, candidates = auto_correct(pages, profiles.load("ph"))
    assert all(c.suggestions[:1] != ["así"] for c in candidates)


def test_a_right_word_read_elsewhere_on_the_page_is_no_misreading():
    """Order-free: ``B A`` read for the page's ``A B`` (a column in another order) has no wrong
    word; ``A C`` has one (``C`` is printed nowhere); a word the page prints once, read twice,
    is right where the alignment puts it and wrong at the other place."""
    from qa_effort import order_free_right

    assert order_free_right(["beta", "alpha"], ["alpha", "beta"], "alpha beta") == [True, True]
    assert order_free_right(["alpha", "gamma"], ["alpha", "beta"], "alpha beta") == [True, False]
    assert order_free_right(["beta", "beta"], ["alpha", "beta"], "alpha beta") == [False, True]
    assert order_free_right(["Beta"], ["beta"], "beta") == [False]  # case is the page's: a misreading


def test_a_no_word_asked_once_brings_its_surer_readings_along(tmp_path):
    """``appheation`` asked where it was read at 47, read again at 88 and 91 (passed as a term
    there): those readings come along with the same suggestions, and the queue files them as
    readings of the one item (no item more); a right word read surely elsewhere never does."""
    from digitize.store.queue import Queue

    en = [("the", 96), ("appheation", 47), ("is", 96), ("shown", 96), ("in", 96), ("the", 96), ("figure", 96)]
    sure = [("this", 96), ("appheation", 88), ("and", 96), ("that", 96), ("appheation", 91), ("work", 96)]
    pages = [page_of([[("Title", 96)]], number=1), page_of([en, sure, sure[:3]], number=2)]
    _, _, candidates = auto_correct(pages, profiles.load("ph"))
    readings = [c for c in candidates if c.text == "appheation"]
    assert len(readings) == 4 and len({tuple(c.suggestions) for c in readings}) == 1
    assert not [c for c in candidates if c.text in ("this", "work", "figure")]
    queue = Queue(tmp_path / "queue.sqlite")
    queue.enqueue("D1", candidates)
    items = [it for it in queue.items("D1") if it.text == "appheation"]
    assert len(items) == 1 and len(queue.members(items[0].id)) == 3
    queue.close()


def test_a_figures_letter_and_money_are_no_reference_numerals():
    """``FIG. 2I`` is figure 2I (a series 2A-2I), ``£2 million`` money: neither is asked as the
    numeral ``21`` / ``12``; ``member 2I is`` and ``seat £2 in`` still are."""
    asked = {}
    for line in ([("shown", 96), ("in", 96), ("FIG.", 96), ("2I", 90), ("and", 96)],
                 [("costs", 96), ("about", 96), ("£2", 90), ("million", 96), ("today", 96)],
                 [("the", 96), ("member", 96), ("2I", 90), ("is", 96), ("shown", 96)],
                 [("the", 96), ("seat", 96), ("£2", 90), ("in", 96), ("place", 96)]):
        pages = [page_of([[("Title", 96)]], number=1), page_of([line, line], number=2)]
        _, _, candidates = auto_correct(pages, profiles.load("ph"))
        asked.update({(line[1][0], c.text): c.suggestions for c in candidates})
    assert ("in", "2I") not in asked and ("about", "£2") not in asked
    assert asked.get(("member", "2I"), [None])[0] == "21" and asked.get(("seat", "£2"), [None])[0] == "12"


def test_a_line_end_break_whose_hyphen_was_lost_is_asked_as_the_whole_word():
    """``recorrerlo me`` / ``diante una``, ``se cal:`` / ``cula un``: the line end's hyphen lost
    (or read as a colon); the first piece asked with the whole word, the second with nothing (its
    letters are the first's); a sentence's first word too (``Tra`` / ``dicionalmente``). Not:
    ``minera`` / ``les`` (two words)."""
    if not load(("spanish",)).known("así"):
        pytest.skip("the Debian Spanish word list (wspanish) is not installed")
    lines = [[("el", 96), ("recorrerlo", 96), ("me", 97)], [("diante", 95), ("una", 96), ("ventana", 96), ("se", 96),
             ("cal:", 90)], [("cula", 93), ("un", 96), ("metal", 96), ("minera", 96)],
             [("les", 96), ("del", 96), ("suelo.", 96), ("Tra", 96)], [("dicionalmente", 96), ("es", 96), ("así", 96)]]
    pages = [page_of([[("Título", 96)]], number=1), page_of(lines + [FILLER, FILLER], number=2)]
    _, _, candidates = auto_correct(pages, profiles.load("mx"))
    asked = {c.text: c.suggestions for c in candidates}
    assert asked.get("me") == ["mediante"] and asked.get("diante") == []
    assert asked.get("cal:") == ["calcula"] and asked.get("cula") == []
    assert "minera" not in asked and "les" not in asked
    assert asked.get("Tra") == ["Tradicionalmente"] and asked.get("dicionalmente") == []


def test_a_verb_form_patent_text_writes_is_not_asked_for_its_adjective():
    """``especifica`` (it specifies: the patent vocabulary writes it) is no ``específica``."""
    asked = _asked([("se", 96), ("especifica", 95), ("el", 96), ("valor", 96), ("asi", 95)])
    assert "especifica" not in asked and asked.get("asi", [None])[0] == "así"


def test_a_piece_of_a_broken_word_is_asked_for_its_own_place_only(tmp_path):
    """The second piece of a word a line end broke (``Tra`` / ``dicionalmente``, hyphen lost) is
    asked there; its answer ("these letters belong to the word before") must not reach the same
    piece read elsewhere (``se usa tra dicionalmente``) as a reading of the same item."""
    from test_proofread_rules import page_of

    from digitize.proofread import auto_correct
    from digitize.settings import profile as profiles
    from digitize.store.queue import Queue

    lines2 = [[("del", 96), ("suelo.", 96), ("Tra", 96)], [("dicionalmente", 96), ("es", 96), ("así", 96)]]
    lines3 = [[("se", 96), ("usa", 96), ("tra", 96), ("dicionalmente", 96), ("el", 96), ("acero", 96)]]
    pages = [page_of([[("Título", 96)]], number=1), page_of(lines2 + [FILLER, FILLER], number=2),
             page_of(lines3 + [FILLER, FILLER], number=3)]
    _, _, cands = auto_correct(pages, profiles.load("mx"))
    asked = {c.word_id for c in cands if c.text == "dicionalmente"}
    assert asked == {"p0002_w00004"}, asked  # page 3's reading is no member of page 2's item
    q = Queue(tmp_path / "q.sqlite")
    try:
        q.enqueue("D1", cands)
        members = [m for it in q.items("D1") for m in q.members(it.id)]
        assert not any(str(m).startswith("p0003") for m in members), members
    finally:
        q.close()
