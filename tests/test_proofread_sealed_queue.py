"""What the queue misses or asks wrongly on pages of a sealed queue batch's kind: a kind
code after a number printed in groups, an amine given ``lámina``'s accent, a title or claim set in
capitals without marks, a paragraph number read as its stop, words a scanner's streak cut in two,
an English ``e-`` prefix and a place name. The strings are what Tesseract read there."""

from __future__ import annotations

import pytest

from digitize.model import Block, Line, OcrPage, Word
from digitize.proofread import auto_correct, rules
from digitize.settings import profile as profiles

from test_proofread_forms import es  # noqa: F401  (the Spanish rule context)
from test_proofread_recall import spanish_page
from test_proofread_rules import page_of


def test_a_kind_code_after_a_number_printed_in_groups():
    """``ES 2 395 032 Al:`` (the Spanish office prints its numbers in groups of three): the
    groups after the office's code are the number; without the code, ``2 395 Al`` stays."""
    page = spanish_page([("ES", 96), ("2", 96), ("395", 96), ("032", 96), ("Al:", 96), ("Extracto", 96)])
    pages, corrections, _ = auto_correct([page], profiles.load("mx"))
    assert [w.text for w in pages[0].words()][-2] == "A1:"
    assert "kind-code" in {c.rule for c in corrections}
    assert rules.grouped_number(["ES", "2", "395", "032"]) == "2395032"
    assert rules.grouped_number(["figura", "2", "395"]) is None
    assert rules.grouped_number(["ES", "2395032"]) is None  # one group: kind_code reads it alone


@pytest.mark.parametrize("word, fixed", [("isopropilamina", None), ("etilamina", None), ("dimetilamina", None),
                                         ("microcamara", "microcámara"), ("nanoparticula", "nanopartícula"),
                                         ("peroxigeno", "peroxígeno"), ("electromagnetico", "electromagnético")])
def test_a_compound_tail_with_a_plain_word_inside_is_no_evidence(es, word, fixed):  # noqa: F811
    """``isopropil|amina``: the marked ``lámina`` ends it only by a split no prefix makes, and the
    plain ``amina`` ends it too; after a prefix (``micro``, ``nano``) the tail is the word."""
    _, _, ctx = es
    fix = rules.diacritics(word, ctx)
    assert (fix.new if fix else None) == fixed


def _capitals(words: list[str], conf: float = 95) -> list[tuple[str, float]]:
    return [(w, conf) for w in words]


CLAIM = ("DISPOSITIVO PERFECCIONADO DE PLANTILLA PARA REPRESENTACION EN PERSPECTIVA PARTICULARMENTE DE UNA "
         "PLANTILLA ESTRUCTURADA DUALMENTE POR SUPERPOSICION DE DOS SUBPLANTILLAS MUTUAMENTE HOMOGENEAS O "
         "COMPATIBLES SOBRE LA LINEA DE HORIZONTE").split()


def test_a_claim_set_in_capitals_without_marks_is_not_asked():
    """A passage in capitals the source wrote without marks (a claim of 28 words, four of which
    take a mark) is the print's own; a title on a page that reads no marked capital is asked."""
    profile = profiles.load("mx")
    page = spanish_page(_capitals(CLAIM))
    _, _, candidates = auto_correct([page], profile)
    assert not {c.text for c in candidates} & {"REPRESENTACION", "SUPERPOSICION", "HOMOGENEAS", "LINEA"}
    title = spanish_page(_capitals("METODO DE OBTENCION DE UNA SENAL UTIL".split()))
    _, _, candidates = auto_correct([title], profile)
    assert {"METODO", "OBTENCION"} <= {c.text for c in candidates}


def test_a_title_without_marks_beside_a_heading_read_with_them_is_not_asked():
    """On a page where the engine reads a heading's marks (``TÉCNICA``), a title of capitals
    without any is printed so, however short."""
    filler = [("de", 96), ("la", 96), ("que", 96), ("el", 96), ("en", 96), ("los", 96), ("por", 96), ("con", 96),
              ("una", 96), ("para", 96)]
    page = page_of([filler, _capitals("ESTADO DE LA TÉCNICA".split()), [("según", 96), ("se", 96), ("describe", 96)],
                    _capitals("SISTEMA DE REPRESENTACION DE LINEAS CON SUPERPOSICION".split())], number=3)
    _, _, candidates = auto_correct([page], profiles.load("mx"))
    assert not {c.text for c in candidates} & {"REPRESENTACION", "LINEAS", "SUPERPOSICION"}


def test_a_paragraph_number_read_as_its_stop_is_asked():
    """``corona.`` / ``. La presente invención``: after a sentence's end, a line that begins with
    a stop alone has lost its number (asked: the stop), and the capital after it is the
    sentence's own (not asked)."""
    page = spanish_page([("a", 96), ("la", 96), ("corona.", 96)])
    page.blocks[0].lines.append(page_of([[(".", 91), ("La", 97), ("presente", 96), ("invención", 96)]],
                                        number=3).blocks[0].lines[0])
    for k, w in enumerate(page.blocks[0].lines[-1].words):
        w.id = f"p0003_w9{k:04d}"
        w.bbox = (w.bbox[0], w.bbox[1] + 100, w.bbox[2], w.bbox[3] + 100)
    _, _, candidates = auto_correct([page], profiles.load("mx"))
    assert [c.text for c in candidates] == ["."]
    heading = page_of([[("ANTECEDENTES", 97), ("DE", 97), ("LA", 97), ("INVENCIÓN", 96)],
                       [(".", 90), ("Los", 97), ("procesos", 97), ("de", 96), ("carga", 97)]], number=3)
    _, _, candidates = auto_correct([heading], profiles.load("mx"))
    assert [c.text for c in candidates] == ["."]  # after a heading too


def _word(k: int, text: str, x0: int, x1: int, y: int) -> Word:
    return Word(id=f"p0002_w{k:05d}", text=text, bbox=(x0, y, x1, y + 34), conf=92.0)


def test_words_a_vertical_line_cut_in_two_are_asked():
    """A scanner's streak through a one-column page: the engine reads the page as two columns cut
    at the streak, so ``dispa`` ends a left line and ``tch`` begins a right one on the same row,
    a few pixels apart. Both pieces are asked (the first with the whole word); two words side by
    side across a real gutter are not, nor two short words a word space apart (``in`` | ``to``)."""
    left = [Line(bbox=(350, 100 + 60 * i, 883, 134 + 60 * i), words=ws) for i, ws in enumerate([
        [_word(1, "the", 350, 413, 100), _word(2, "heartbeat", 430, 624, 100), _word(3, "dispa", 778, 883, 100)],
        [_word(4, "the", 350, 413, 160), _word(5, "main", 430, 520, 160), _word(6, "server", 700, 820, 160)],
        [_word(11, "cover", 350, 460, 220), _word(12, "in", 560, 600, 220)],
    ])]
    right = [Line(bbox=(886, 100 + 60 * i, 2140, 134 + 60 * i), words=ws) for i, ws in enumerate([
        [_word(7, "tch", 886, 944, 100), _word(8, "application", 965, 1186, 100)],
        [_word(9, "runs", 920, 1000, 160), _word(10, "well", 1020, 1100, 160)],
        [_word(13, "to", 609, 650, 220), _word(14, "place", 670, 780, 220)],  # a word space after `in`
    ])]
    page = OcrPage(number=2, width=2480, height=3508, dpi=300,
                   blocks=[Block(bbox=(350, 100, 883, 200), lines=left), Block(bbox=(886, 100, 2140, 200), lines=right)])
    _, _, candidates = auto_correct([page], profiles.load("ph"))
    asked = {c.text: c.suggestions for c in candidates}
    assert asked == {"dispa": ["dispatch"], "tch": []}


def test_an_english_prefix_and_a_place_name_are_not_asked():
    """``e-commerce``, ``de-coupled``: the language's own prefixes, not a speck joined on;
    ``Oro`` (Cagayan de Oro) capitalised inside a line of an English page is a name, not a slip
    for ``or``; at a line's start (``Tue`` for THE) it is still asked."""
    page = page_of([[("via", 96), ("e-commerce", 95), ("and", 96), ("de-coupled", 93), ("in", 96), ("Oro", 96),
                     ("City", 96), ("sensor-bg", 95), ("the", 96)]])
    _, _, candidates = auto_correct([page], profiles.load("ph"))
    assert {c.text for c in candidates} == {"sensor-bg"}  # a speck joined on is still asked
    page = page_of([[("Tue", 96), ("TERRA-COTTA", 95)]])  # a line's first word: THE read as Tue
    _, _, candidates = auto_correct([page], profiles.load("ph"))
    assert {c.text for c in candidates} == {"Tue"}


def test_a_right_term_is_not_asked_for_the_documents_own_misreading_of_it(es, monkeypatch):  # noqa: F811
    """A term no lexicon knows (``tirosol``) and its misreading read with confidence once each
    (``tlrosol``: ``tl`` read for ``ti``): the misreading is asked with the term; the term is not
    asked with the misreading, which is no likelier spelling (no word, read no more often)."""
    _, _, ctx = es
    from digitize.proofread import _document_variant

    monkeypatch.setattr(ctx, "doc_counts", {"tirosol": 1, "tlrosol": 1})
    read_well = {"tirosol": "tirosol", "tlrosol": "tlrosol"}
    assert _document_variant("tlrosol", read_well, ctx)
    assert not _document_variant("tirosol", read_well, ctx)
    monkeypatch.setattr(ctx, "doc_counts", {"tirosol": 1, "tlrosol": 3})  # unless the document reads the other more often
    assert _document_variant("tirosol", read_well, ctx)


def test_a_verb_form_of_a_lexicon_word_is_not_asked_and_a_common_form_near_a_reading_is():
    """``cementa`` (cementar, present) read with confidence is a word the rules leave alone, so it
    is not asked for ``cemento``; ``dlferencias`` (no word; ``diferencias`` is a common form the
    word lists lack, an ``l`` read for its ``i``) is asked with it."""
    profile = profiles.load("mx")
    page = spanish_page([("cementa", 93), ("las", 96), ("dlferencias", 88)])
    _, _, candidates = auto_correct([page], profile)
    assert {c.text: c.suggestions[0] for c in candidates} == {"dlferencias": "diferencias"}


def test_a_common_word_read_without_the_mark_of_another_is_asked_on_evidence():
    """``mas`` in a document that reads ``más`` three times, ``esta`` before a participle
    (``está formado``): asked with the marked word; ``esta invención``, ``esta salida`` (a
    feminine noun: the determiner) and a lone ``mas`` in a document without ``más`` are not."""
    profile = profiles.load("mx")
    page = spanish_page([("más", 96), ("placas", 96), ("más", 96), ("y", 96), ("más", 96), ("mas", 93),
                         ("esta", 93), ("formado", 96), ("por", 96), ("esta", 95), ("invención", 96),
                         ("y", 96), ("esta", 93), ("salida", 96)])
    _, _, candidates = auto_correct([page], profile)
    assert sorted((c.text, c.suggestions[0]) for c in candidates) == [("esta", "está"), ("mas", "más")]
    _, _, candidates = auto_correct([spanish_page([("mas", 93), ("placas", 96)])], profile)
    assert not candidates
