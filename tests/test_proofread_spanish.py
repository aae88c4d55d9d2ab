"""Spanish inflection, derivation and compound accents in the proofreader, and the kind code kept
(issue 30, stop 34: the words are those the proofreader lost on the seen Spanish parts, sealed3
office pages and sealed/sealed2 manual pages, against ``tesseract -l spa`` on the same images)."""

from __future__ import annotations

import pytest

from digitize.proofread import auto_correct, rules

from test_proofread_forms import en, es  # noqa: F401  (the Spanish and English rule contexts)
from test_proofread_rules import page_of


# forms no frequency list holds, words through their lemma: escamotear, refundir, booleano
@pytest.mark.parametrize("word", ["escamoteable", "refunden", "booleana"])
def test_verb_forms_and_derivations_are_words(es, word):
    _, lx, ctx = es
    assert not ctx.forms.is_word(word, lx)
    assert rules.is_form(word, ctx)
    assert rules.split_joined(word, ctx, 80) is None
    assert rules.lexicon_fix(word, ctx, 50) is None


# present and subjunctive forms of -ar verbs share their endings with -er/-ir verbs (a, an, en,
# amos): every conjugation that has the ending is tried
@pytest.mark.parametrize("word", ["remachan", "atornillamos", "desatornillan"])
def test_ar_verb_forms_whose_endings_other_conjugations_share(es, word):
    _, lx, ctx = es
    assert not ctx.forms.is_word(word, lx)
    assert rules.is_form(word, ctx)


def test_run_together_words_still_split(es):
    _, _, ctx = es
    for ocr, split in [("dela", "de la"), ("porla", "por la"), ("sobrela", "sobre la"), ("ellado", "el lado")]:
        assert rules.split_joined(ocr, ctx, 80).new == split
    assert not rules.is_form("escamotexble", ctx)


@pytest.mark.parametrize("ocr, fixed", [
    ("peroxigeno", "peroxígeno"), ("cinematicamente", "cinemáticamente"), ("termoplastico,", "termoplástico,"),
    ("microcamara", "microcámara"),
])
def test_a_compound_takes_its_last_words_accent(es, ocr, fixed):
    _, _, ctx = es
    fix = rules.diacritics(ocr, ctx)
    assert fix is not None and fix.new == fixed


@pytest.mark.parametrize("word", ["subindicex", "nanotubos", "semiconductor", "autoclave", "Sumillon"])
def test_no_accent_from_a_tail_that_is_no_word_or_a_plain_word(es, word):
    _, _, ctx = es
    assert rules.diacritics(word, ctx) is None


def test_english_pages_get_no_compound_accents(en):
    assert rules.diacritics("peroxigeno", en) is None


def test_the_kind_code_after_a_publication_number_stays(es):
    """``AR 121340 Al`` → ``A1`` (kind-code rule); the letters rule must not read it back as the
    Spanish ``Al``."""
    mx, lx, _ = es
    ocr = [("AR", 95), ("121340", 95), ("Al", 90), ("Al", 96), ("final", 95), ("del", 95), ("tubo", 95)]
    pages, corrections, _ = auto_correct([page_of([ocr])], mx, lx)
    assert " ".join(w.text for w in pages[0].words()) == "AR 121340 A1 Al final del tubo"
    assert rules.letters_in_word("A1", es[2]) is None


@pytest.mark.parametrize("ocr, fixed", [
    ("caractenzado", "caracterizado"), ("honzontal,", "horizontal,"), ("matenal", "material"),
    ("mcluye", "incluye"), ("mvención;", "invención;"),
])
def test_ri_read_as_n_and_in_as_m(es, ocr, fixed):
    """On grey JPEG pages the engine reads ``ri`` as ``n`` and ``in`` as ``m`` (sealed3 poor: 40
    words): one such confusion undone is a cheap reading, as ``rn`` for ``m`` is."""
    _, _, ctx = es
    fix = rules.lexicon_fix(ocr, ctx, 88)
    assert fix is not None and fix.new == fixed


def test_a_lemma_only_the_webs_list_has_may_be_its_typo(es):
    """``utlizar`` is in the frequency list (1.7), a typo of ``utilizar``: ``utlizando`` is no form
    of it, and is corrected."""
    _, _, ctx = es
    assert not rules.is_form("utlizando", ctx)
    assert rules.lexicon_fix("utlizando", ctx, 60).new == "utilizando"


# --------------------------------------------------------------------------- stop 35 (sealed4, seen)
# Words the proofreader left wrong or made wrong on sealed4's office pages (groff, Helvetica and
# Times), against ``tesseract -l spa`` on the same images.


def _doc_ctx(ctx, counts: dict[str, int]):
    """``ctx`` for a document whose engine read these (folded) words so often."""
    from dataclasses import replace

    return replace(ctx, doc_counts=counts, memo={})


def test_the_document_reads_the_word_with_its_mark(es):
    """A font whose accents the engine loses now and then: ``sección`` read six times, ``seccion``
    twice (which alone would make it the document's own spelling); ``émbolo`` is only 3x
    ``embolo`` on the web, the document settles it."""
    _, _, ctx = es
    doc = _doc_ctx(ctx, {"seccion": 2, "sección": 6, "embolo": 1, "émbolo": 4, "esta": 2, "está": 3})
    assert rules.diacritics("seccion", doc).new == "sección"
    assert rules.diacritics("Embolo", doc).new == "Émbolo"  # the capital's mark dropped
    assert rules.diacritics("esta", doc) is None  # two words: esta is the commoner


def test_a_lower_case_spelling_the_source_itself_may_write(es):
    """A manual page writes ``órdenes`` and once ``ordenes`` (4.6 and 3.9 on the web: not 10x);
    ``embolo`` read in lower case likewise stays."""
    _, _, ctx = es
    doc = _doc_ctx(ctx, {"ordenes": 1, "órdenes": 9, "embolo": 1, "émbolo": 4})
    assert rules.diacritics("ordenes", doc) is None
    assert rules.diacritics("embolo.", doc) is None


def test_no_mark_the_document_does_not_read(es):
    """Without the marked spelling in the document, a spelling read twice is still its own, and
    an old print that writes no accents keeps its spelling."""
    _, _, ctx = es
    assert rules.diacritics("seccion", _doc_ctx(ctx, {"seccion": 2})) is None
    assert rules.diacritics("embolo", _doc_ctx(ctx, {"embolo": 1})) is None
    from dataclasses import replace

    old = replace(_doc_ctx(ctx, {"seccion": 2, "sección": 6}), restore_accents=False)
    assert rules.diacritics("seccion", old) is None


def test_an_english_word_the_text_quotes_keeps_its_spelling(es):
    """``moldeo por soplado (extrusion blowmolding)``: the document's ``extrusión`` is no evidence
    about the English word."""
    _, _, ctx = es
    assert rules.diacritics("(extrusion", _doc_ctx(ctx, {"extrusion": 1, "extrusión": 3})) is None


def test_a_line_end_fragment_takes_no_accent(es):
    """``obten-`` is the first half of ``obtención``, not the imperative ``obtén``."""
    _, _, ctx = es
    assert rules.diacritics("obten-", ctx) is None


@pytest.mark.parametrize("a, b, joined", [
    ("axial-", "mente", "axialmente"), ("comercial-", "mente,", "comercialmente,"),
    ("auto-", "inyectores", "autoinyectores"), ("sol-", "gel", "solgel"),
    ("anti-", "corrosivo", "anticorrosivo"),  # two known halves, the second a long word
])
def test_a_spanish_line_end_hyphen_is_a_syllable_break(es, a, b, joined):
    """Spanish repeats a compound's own hyphen at the head of the next line, so a hyphen at a line
    end alone is the typesetter's; an adverb in -mente of a known adjective is a word."""
    _, _, ctx = es
    assert rules.dehyphenate(a, b, ctx) == (joined, "")


def test_a_compound_the_document_writes_with_its_hyphen_keeps_it(es):
    _, _, ctx = es
    assert rules.dehyphenate("sol-", "gel", _doc_ctx(ctx, {"sol-gel": 1})) == ("sol-gel", "")


def test_adverbs_in_mente_are_forms(es):
    _, _, ctx = es
    assert rules.is_form("axialmente", ctx)
    assert not rules.is_form("axtalmente", ctx)


@pytest.mark.parametrize("before, word, after, fixed", [
    ("maneja", "O", "manipula", "o"), ("pieza", "O", "tapa", "o"), ("cementoso", "0", "mineral,", "o"),
    ("agua", "(0", "peroxígeno)", "(o"),
])
def test_the_conjunction_read_as_a_capital_or_a_zero(es, before, word, after, fixed):
    _, _, ctx = es
    assert rules.conjunction_o(before, word, after, ctx) == fixed


@pytest.mark.parametrize("before, word, after", [
    ("entre", "0", "y"), ("el", "0", "que"), ("argumento", "0", "se"), ("fichero", "0", "si"), ("y", "O", "es"),
    ("tipo", "O", "de"), ("final.", "O", "sea"), ("dos", "0", "mas"),
])
def test_a_zero_or_a_capital_o_the_text_writes(es, before, word, after):
    """Manual pages write a zero between words (``entre 0 y``, ``argumento 0 se``), a sentence
    begins with O, a blood group is O."""
    _, _, ctx = es
    assert rules.conjunction_o(before, word, after, ctx) is None


def test_no_conjunction_on_english_pages(en):
    assert rules.conjunction_o("maneja", "O", "manipula", en) is None


# a document that writes today's accents
MODERN = {"sección": 3, "también": 2, "válvula": 2, "brazos": 2, "o": 2}


@pytest.mark.parametrize("word, following, fixed", [
    ("brazos.", "que", "brazos,"), ("capilar.", "y", "capilar,"), ("espaciados.", "de", "espaciados,"),
])
def test_a_comma_read_as_a_stop(es, word, following, fixed):
    """sealed4's office pages read ``brazos,`` as ``brazos.`` where the raw CLI read the comma: a
    Spanish sentence begins with a capital."""
    _, _, ctx = es
    assert rules.stop_for_comma(word, following, _doc_ctx(ctx, MODERN)) == fixed


@pytest.mark.parametrize("word, following", [
    ("etc.", "y"), ("mm.", "de"), ("brazos.", "Que"), ("usuario.", "batch"), ("brazos.", "3"),
    ("Fig.", "que"), ("brazos,", "que"), ("brazos..", "que"),
])
def test_a_stop_that_stays(es, word, following):
    """An abbreviation, a short unit, a capital after the stop, a manual page's command."""
    _, _, ctx = es
    assert rules.stop_for_comma(word, following, _doc_ctx(ctx, MODERN)) is None


def test_an_old_print_may_begin_a_sentence_in_lower_case(es):
    from dataclasses import replace

    _, _, ctx = es
    assert rules.stop_for_comma("derecha.", "la", replace(_doc_ctx(ctx, MODERN), restore_accents=False)) is None
    assert rules.stop_for_comma("brazos.", "que", rules.RuleContext(ctx.settings, ctx.lexicon, lang="en",
                                                                    doc_counts=MODERN)) is None
    # a page too short to show its spelling (a 1600s page of 118 words: ``llaneza. o``)
    assert rules.stop_for_comma("llaneza.", "o", _doc_ctx(ctx, {"llaneza": 1, "o": 2})) is None


def test_nineteenth_century_print_keeps_its_stops(es):
    """A document that writes the preposition and conjunction as ``á``, ``ó`` follows the spelling
    before 1952, and its print goes on in lower case after a stop (``envio. es un``)."""
    _, _, ctx = es
    assert rules.stop_for_comma("envio.", "es", _doc_ctx(ctx, {**MODERN, "ó": 3, "envio": 1})) is None
    assert rules.stop_for_comma("envio.", "es", _doc_ctx(ctx, {**MODERN, "envio": 1})) == "envio,"


def test_the_neighbour_rules_run_in_auto_correct(es):
    """``pieza O tapa`` and ``brazos. que`` inside a line; a stop at a line's end stays."""
    mx, lx, _ = es
    ocr = [[("La", 96), ("sección", 96), ("también", 96), ("válvula", 96), ("sección", 96), ("también", 96)],
           [("la", 96), ("pieza", 96), ("O", 92), ("tapa", 95), ("de", 96), ("los", 96), ("brazos.", 95), ("que", 96),
            ("termina.", 96)],
           [("la", 96), ("sección", 96)]]
    pages, corrections, _ = auto_correct([page_of(ocr)], mx, lx)
    text = " ".join(w.text for w in pages[0].words() if w.text)
    assert "pieza o tapa de los brazos, que termina. la sección" in text
    assert {c.rule for c in corrections} >= {"conjunction", "comma"}
