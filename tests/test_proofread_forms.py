"""A proofreader that knows inflection: valid Spanish and English forms are words, diacritic
misreadings are fixed only when one spelling is clearly right (issue 30: the words are those the
proofreader split or changed on unseen MX and AR publications)."""

from __future__ import annotations

import pytest

from digitize.settings import profile as profiles
from digitize.proofread import auto_correct, forms, rules
from digitize.settings.profile import or_defaults
from digitize.proofread.lexicon import load

from test_proofread_rules import page_of


@pytest.fixture(scope="module")
def es():
    mx = profiles.load("mx")
    lx = load(tuple(or_defaults(mx).proofread.lexicons), None)
    if not lx.known("reivindicación"):
        pytest.skip("the Debian Spanish word list (wspanish) is not installed")
    ctx = rules.RuleContext(or_defaults(mx).proofread, lx, lang="es", forms=forms.load("es"), accents=True)
    return mx, lx, ctx


@pytest.fixture(scope="module")
def en():
    ep = profiles.load("ep")
    lx = load(tuple(or_defaults(ep).proofread.lexicons), None)
    return rules.RuleContext(or_defaults(ep).proofread, lx, lang="en", forms=forms.load("en"))


SPANISH_WORDS = ["laterales", "paredes", "móviles", "interiores", "listones", "cabezales", "comunidades",
                 "sectores", "montarse", "sustituirse", "alambrarse", "colocada", "suelen", "delimita", "alarga",
                 "evacua", "fabrica", "varía", "expansiones", "hexadecimales", "ejecutarlo", "admitirla",
                 "separada", "operadores", "mayores"]


@pytest.mark.parametrize("word", SPANISH_WORDS)
def test_spanish_forms_are_not_split_or_changed(es, word):
    _, _, ctx = es
    assert rules.split_joined(word, ctx, 80) is None
    assert rules.lexicon_fix(word, ctx, 50) is None
    assert rules.diacritics(word, ctx) is None


def test_forms_the_word_list_lacks_come_from_inflection(es):
    _, lx, ctx = es
    assert not ctx.forms.listed("alambrarse") and lx.known("alambrar")
    assert ctx.forms.is_word("alambrarse", lx)
    assert not ctx.forms.is_word("alambrarxe", lx)


@pytest.mark.parametrize("ocr, fixed", [
    ("desagúe", "desagüe"), ("lengúeta", "lengüeta"), ("antigúedad,", "antigüedad,"), ("tambien", "también"),
    ("Numero", "Número"), ("podria", "podría"),
])
def test_diacritic_misreadings_fixed(es, ocr, fixed):
    _, _, ctx = es
    fix = rules.diacritics(ocr, ctx)
    assert fix is not None and fix.new == fixed


@pytest.mark.parametrize("word", ["afectaran", "éste", "creó", "esta", "continua", "termino", "VALVULA"])
def test_two_real_words_are_not_guessed_between(es, word):
    """A spelling that is a word itself is left (a reviewer's call), and capitals are the front
    page's business (structure decides with the document's evidence)."""
    _, _, ctx = es
    assert rules.diacritics(word, ctx) is None


def test_run_together_function_words_still_split(es, en):
    _, _, ctx = es
    assert rules.split_joined("dela", ctx, 80).new == "de la"
    assert rules.split_joined("atleast", en, 80).new == "at least"
    assert rules.split_joined("ofthe", en, 80).new == "of the"


@pytest.mark.parametrize("word", ["embodiments", "configured", "rotating", "switchgears", "wherein"])
def test_english_forms_are_not_split(en, word):
    assert rules.split_joined(word, en, 80) is None


def test_english_pages_never_gain_accents(en):
    assert rules.diacritics("tambien", en) is None


def test_a_whole_spanish_line(es):
    mx, lx, _ = es
    ocr = [("Las", 95), ("paredes", 91), ("laterales", 90), ("del", 95), ("desagúe", 70), ("suelen", 88),
           ("montarse", 85), ("y", 96), ("varía", 84)]
    pages, corrections, candidates = auto_correct([page_of([ocr])], mx, lx)
    assert " ".join(w.text for w in pages[0].words()) == \
        "Las paredes laterales del desagüe suelen montarse y varía"
    assert [(c.old, c.new, c.rule) for c in corrections] == [("desagúe", "desagüe", "diacritic")]
    assert not any(c.text in {"paredes", "laterales", "suelen", "montarse", "varía"} for c in candidates)


def test_line_end_hyphen_joins_inflected_forms(es, en):
    _, _, ctx = es
    assert rules.dehyphenate("poda-", "mos,", ctx) == ("podamos,", "")
    assert rules.dehyphenate("late-", "rales", ctx) == ("laterales", "")
    for a, b, joined in [("man-", "agement", "management"), ("data-", "driven", "data-driven"),
                         ("sub-com-", "bination", "sub-combination"), ("pipet-", "ting", "pipetting")]:
        assert rules.dehyphenate(a, b, en) == (joined, "")


def test_a_document_that_writes_without_accents_keeps_its_spelling(es):
    """An old print spells "despues", "habia": the document's convention, not a misreading."""
    _, _, ctx = es
    f = ctx.forms
    old = {"despues": 3, "habia": 2, "ocasion": 1, "excepcion": 1, "ademas": 1, "tambien": 1}
    modern = {"después": 3, "había": 2, "ocasión": 1, "excepción": 1, "además": 1, "tambien": 1}
    assert not rules.accent_convention(old, f)
    assert rules.accent_convention(modern, f)
    assert rules.accent_convention({"tambien": 1}, f)  # too few words to tell
    # an 1879 print: accents where today's spelling has none, none where it has them
    assert not rules.accent_convention({"jóven": 2, "quedáron": 1, "perístilo": 1, "estacion": 1, "marmol": 1,
                                        "perfección": 1}, f)


def test_a_page_in_another_language_is_not_corrected_with_this_ones_lexicon(en):
    """A French page in an English batch: 'passait' is not 'pass a it', 'démon' keeps its accent."""
    from digitize.proofread import page_language

    ep = profiles.load("ep")
    text = ("Il passait dans la rue et regarda le démon qui allait vers elle , mais elle ne "
            "demanda rien de plus à ce moment pour les enfants").split()
    page = page_of([[(w, 85) for w in text]])
    assert page_language(page, "en") == "fr"
    pages, corrections, _ = auto_correct([page], ep, en.lexicon)
    assert [c for c in corrections if c.rule in ("split-joined", "lexicon", "diacritic")] == []
    english = page_of([[(w, 85) for w in "The invention relates to a method of treating the data and the fluid".split()]])
    assert page_language(english, "en") == "en" and page_language(english, "es") == "es"  # too few to tell
