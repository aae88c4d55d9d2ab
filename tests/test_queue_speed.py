"""The correction queue decides without a lexicon search when no lexicon word is near enough
(``proofread._may_be_near``), and that changes no question: the same items, the same suggestions
in the same order as when every confident unknown word is searched (issue 30, its speed part)."""

from __future__ import annotations

import pytest

import digitize.proofread as proofread
from digitize.model import Block, Line, OcrPage, Word
from digitize.proofread import auto_correct, forms, lexicon_for, rules
from digitize.proofread.lexicon import CONFUSION_COST
from digitize.settings import profile as profiles
from digitize.settings.profile import or_defaults


@pytest.fixture(scope="module", params=["generic", "es"])
def setting(request):
    profile = profiles.load(request.param)
    lang = getattr(profile, "lang", "en")
    ctx = rules.RuleContext(or_defaults(profile).proofread, lexicon_for(profile), lang=lang, forms=forms.load(lang))
    return profile, ctx


def _readings(ctx) -> list[str]:
    """Lexicon words as an engine misreads them (a cheap confusion, a letter lost, one added, a
    plain substitution, two edits), besides words far from any: every kind of answer."""
    words = sorted(w for w in ctx.lexicon.counts if w.isalpha() and 5 <= len(w) <= 11)
    picked = words[:: max(1, len(words) // 14)][:14]
    cheap = {x: y for (x, y), c in CONFUSION_COST.items() if c <= 0.6 and x.isalpha() and y.islower()}
    out = []
    for k, w in enumerate(picked):
        i = 1 + k % (len(w) - 2)
        swap = next((j for j, c in enumerate(w) if c in cheap), None)
        if swap is not None:
            out.append(w[:swap] + cheap[w[swap]] + w[swap + 1:])
        out.append(w[:i] + w[i + 1:])  # a letter lost
        out.append(w[:i] + "i" + w[i:])  # an i added
        out.append(w[:i] + ("q" if w[i] != "q" else "x") + w[i + 1:])  # a plain substitution
        out.append(w[:i] + "ii" + w[i + 2:])  # two edits
    out += ["xqzvbnk", "qqwrtzpl", "zzyxwq", "mmnbvcxz"]
    return out


def _misread_searched(core: str, ctx) -> bool:
    """``_misread``'s answer from the lexicon's search itself, for every word."""
    limit = proofread.CHEAP_MISREADING_CAPITALS if core.isupper() else proofread.CHEAP_MISREADING
    best = ctx.lexicon.ranked(core.casefold(), 1, max_cost=limit)
    return bool(best) and best[0][2] <= limit


def test_no_search_only_where_the_search_finds_nothing(setting):
    _, ctx = setting
    spared = 0
    for word in _readings(ctx):
        for core in (word, word.upper()):
            limit = proofread.CHEAP_MISREADING_CAPITALS if core.isupper() else proofread.CHEAP_MISREADING
            if not proofread._may_be_near(core.casefold(), limit, ctx):
                spared += 1
                assert not _misread_searched(core, ctx), core
    assert spared >= 10  # the check does spare searches


def test_a_near_word_is_searched(setting):
    _, ctx = setting
    word = next(w for w in sorted(ctx.lexicon.counts) if w.isalpha() and len(w) == 7 and "o" in w)
    misread = word.replace("o", "c", 1)  # o read as c: a cheap confusion (0.6)
    assert proofread._may_be_near(misread, proofread.CHEAP_MISREADING, ctx)


def _page(lines: list[str], conf: float) -> OcrPage:
    out, y, n = [], 10, 0
    for text in lines:
        words = []
        for x, t in enumerate(text.split()):
            n += 1
            words.append(Word(id=f"p0001_w{n:05d}", text=t, bbox=(10 + 90 * x, y, 90 + 90 * x, y + 20), conf=conf))
        out.append(Line(bbox=(10, y, 90 + 90 * len(words), y + 20), words=words))
        y += 30
    return OcrPage(number=1, width=2000, height=3000, dpi=300, blocks=[Block(bbox=(10, 10, 2000, y), lines=out)])


def test_the_queue_is_the_same_with_every_word_searched(setting, monkeypatch):
    profile, ctx = setting
    readings = _readings(ctx)
    lines = [" ".join(readings[k:k + 6]) for k in range(0, len(readings), 6)]
    lines += ["The memary of the clairn is stored", "La rnemoria del dispositlvo es TAMBIEN MEMORlA"]
    lines += [" ".join(w.upper() for w in readings[k:k + 6]) for k in range(0, 24, 6)]

    def queue(conf):
        return [(c.word_id, c.text, c.suggestions, c.context)
                for c in auto_correct([_page(lines, conf)], profile)[2]]

    ours = {conf: queue(conf) for conf in (93.0, 60.0)}
    monkeypatch.setattr(proofread, "_may_be_near", lambda low, limit, ctx: True)
    searched = {conf: queue(conf) for conf in (93.0, 60.0)}
    assert ours == searched
    assert ours[93.0] and ours[60.0]
