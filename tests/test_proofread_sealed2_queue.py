"""What the queue missed on English description pages of the second sealed queue batch's kind
(two-column Times scanned with one threshold): a reference numeral's 1 read as a bar or a
bracket, a lower-case letter read as its capital inside a sentence, a word misread into no word
beside the document's own spelling of it, and a kind code glued to a publication number. The
strings are what Tesseract read there."""

from __future__ import annotations

from digitize.model import Block, Line, OcrPage, Word
from digitize.proofread import auto_correct, rules
from digitize.settings import profile as profiles

from test_proofread_rules import page_of

FILLER = [("the", 96), ("member", 96), ("is", 96), ("shown", 96), ("in", 96), ("which", 96), ("and", 96)]


def _asked(lines: list[list[tuple[str, float]]]) -> dict[str, list[str]]:
    pages = [page_of([[("Title", 96)]], number=1), page_of(lines + [FILLER, FILLER], number=2)]
    _, _, candidates = auto_correct(pages, profiles.load("ph"))
    return {c.text: c.suggestions for c in candidates}


def _line(y: int, words: list[tuple[str, int, int, int]]) -> Line:
    """Words as (text, left, right, height): a digit's height is the line's tallest word's less."""
    ws = [Word(id=f"p0002_w{y:03d}{k:02d}", text=t, bbox=(x0, y + 36 - h, x1, y + 36), conf=90.0)
          for k, (t, x0, x1, h) in enumerate(words)]
    return Line(bbox=(ws[0].bbox[0], y, ws[-1].bbox[2], y + 40), words=ws)


def test_a_reference_numerals_one_read_as_a_bar_or_a_bracket_is_asked():
    """``support member | to the``, ``members [4 are``, ``hem 1] can``, ``seat £2``: the figure 1
    of a numeral read as a bar or bracket, asked with the numeral. Not: a bar a speck's height
    (a line's end) or a rule's (taller than the line), a bar after a code, ``[4, 5]``, ``[6 - 9)``."""
    lines = [
        _line(100, [("faucet", 100, 220, 36), ("member", 240, 380, 36), ("|", 400, 408, 27), ("to", 425, 460, 30)]),
        _line(160, [("the", 100, 160, 36), ("members", 180, 330, 36), ("[4", 350, 390, 27), ("are", 410, 470, 24)]),
        _line(220, [("Hem", 100, 180, 36), ("1]", 200, 240, 27), ("can", 260, 320, 24), ("seat", 340, 420, 36),
                    ("£2.", 440, 490, 27)]),
        _line(280, [("tightening", 100, 300, 36), ("I4", 320, 360, 27), ("from", 380, 470, 36)]),
        _line(340, [("with", 100, 180, 36), ("high", 200, 290, 36), ("|", 300, 304, 3)]),  # a speck
        _line(400, [("(54)", 100, 170, 36), ("|", 190, 196, 53), ("Title", 210, 300, 36)]),  # a grid's rule
        _line(460, [("see", 100, 160, 36), ("[4,", 180, 230, 30), ("5]", 250, 290, 30), ("and", 310, 370, 36)]),
        _line(520, [("fluid", 100, 190, 36), ("[6", 210, 250, 30), ("-", 270, 280, 4), ("9)", 300, 340, 30)]),
    ]
    page = OcrPage(number=2, width=2480, height=3508, dpi=300, blocks=[Block(bbox=(100, 100, 900, 600), lines=lines)])
    _, _, candidates = auto_correct([page], profiles.load("ph"))
    asked = {c.text: c.suggestions for c in candidates}
    assert asked.get("|") == ["1"] and asked.get("[4") == ["14"] and asked.get("1]") == ["11"]
    assert asked.get("£2.") == ["12."] and asked.get("I4") == ["14"]
    assert not {"[4,", "5]", "[6", "9)"} & set(asked)
    bars = [c for c in candidates if c.text == "|"]
    assert len(bars) == 1 and bars[0].bbox[3] - bars[0].bbox[1] == 27  # neither the speck nor the rule


def test_a_capital_inside_a_sentence_is_asked_with_the_lower_case_word():
    """``the gear selection Is not``, ``a support seat Which supports``, and the first word of a
    line after one that ends in a lower-case letter (``the hybrid`` / ``Vehicle is``): the capital
    of a letter whose lower case has its shape, asked as the lower-case word the document reads.
    Not: a term among capitalised words (``the World Wide Web``), ``Members`` (an M is no small
    m scaled), after a sentence's end."""
    asked = _asked([
        [("the", 96), ("gear", 96), ("selection", 96), ("Is", 80), ("not", 96), ("reverse.", 96)],
        [("a", 96), ("support", 96), ("seat", 96), ("Which", 96), ("supports", 96), ("the", 96), ("hybrid", 96)],
        [("Vehicle", 91), ("is", 96), ("operated", 96), ("on", 96), ("the", 96), ("World", 96), ("Wide", 96),
         ("Web", 96), ("and", 96), ("vehicle", 96)],
        [("the", 96), ("tightening", 96), ("Members", 95), ("are", 96), ("here.", 96), ("Which", 96), ("is", 96),
         ("members", 96)],
    ])
    assert asked.get("Is") == ["is"] and asked.get("Which") == ["which"] and asked.get("Vehicle") == ["vehicle"]
    assert not {"World", "Wide", "Web", "Members"} & set(asked)
    asked = _asked([[("flag", 96), ("372", 96), ("1s", 88), ("in", 96), ("the", 96), ("seat", 96)]])
    assert asked == {"Is": ["is"]}  # after a reference numeral, its i read as a one (then made Is)


def test_a_word_misread_into_no_word_beside_the_documents_spelling_is_asked():
    """``ughtening``, read with confidence, is no English word, two edits from the ``tightening``
    the document reads well twice: asked with it. A word the lists know (``slider``) is not."""
    asked = _asked([[("the", 96), ("tightening", 96), ("members", 96), ("ughtening", 86), ("slider", 95)],
                    [("one", 96), ("tightening", 96), ("slides", 96)]])
    assert asked["ughtening"][0] == "tightening"
    assert "slider" not in asked


def test_a_kind_code_glued_to_a_publication_number_stays_a_kind_code():
    """``9,265,191B2``: the B before the last figure is the kind code, not an 8 (``19182``);
    between figures of a short number it is still a figure's misreading."""
    ctx = rules.RuleContext(profiles.load("ph").proofread, None, lang="en")  # type: ignore[arg-type]
    assert rules.number_context("9,265,191B2;", ctx) is None
    fix = rules.number_context("12B4", ctx)
    assert fix is not None and fix.new == "1284"


def test_an_ordinals_superscript_read_as_a_mark_is_asked_on_a_spanish_page():
    """``la 3* edad``, ``la 3? edad``: the ª of a Spanish ordinal read as a star or a question
    mark, asked with the ordinal; an English page's ``3*`` (a footnote's star) is not asked."""
    from test_proofread_recall import spanish_page

    page = spanish_page([("personas", 96), ("de", 96), ("la", 96), ("3*", 93), ("edad,", 96), ("la", 96),
                         ("3?", 83), ("edad", 96)])
    _, _, candidates = auto_correct([page], profiles.load("mx"))
    asked = {c.text: c.suggestions for c in candidates}
    assert asked.get("3*") == ["3ª", "3º"] and asked.get("3?") == ["3ª", "3º"]
    assert "3*" not in _asked([[("see", 96), ("note", 96), ("3*", 93), ("below", 96)]])


def test_a_reading_no_list_has_one_edit_from_a_common_word_is_asked():
    """``ifter``, ``tuming``: no English list has them (though the forms' analysis passes them as
    words), and ``after``, ``turning`` are common one edit away: asked, the common word among the
    suggestions."""
    asked = _asked([[("the", 96), ("ifter", 80), ("which", 96), ("tuming", 80), ("the", 96)]])
    assert asked["ifter"][0] == "after" and "turning" in asked["tuming"]


def test_a_numbered_parts_name_and_a_front_page_word_are_not_asked():
    """``of Claims 1 to 11``: a numbered part's name is capitalised; the front page's
    ``européen`` (Office européen des brevets) is no misreading of the text's ``european``."""
    pages = [page_of([[("Office", 96), ("européen", 96)]], number=1),
             page_of([[("the", 96), ("subject", 96), ("of", 96), ("Claims", 96), ("1", 96), ("to", 96), ("11.", 96)],
                      [("european", 96), ("patent", 96), ("european", 96), ("claims", 96)], FILLER], number=2)]
    _, _, candidates = auto_correct(pages, profiles.load("ph"))
    assert not {"Claims", "européen"} & {c.text for c in candidates}
