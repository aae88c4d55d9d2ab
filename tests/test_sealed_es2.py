"""The sealed2 Spanish page set (``bench/sealed_es2.py``): deterministic, and its truth is what
it typeset. No OCR here: the pages are never read by digitize outside the one reported run."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from digitize.evaluate import normalise

# loaded from its file: bench/ is not put on sys.path (its module names, common, real, would shadow)
_spec = importlib.util.spec_from_file_location("bench_sealed_es2",
                                               Path(__file__).resolve().parents[1] / "bench" / "sealed_es2.py")
sealed_es2 = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = sealed_es2  # its dataclasses look their module up
_spec.loader.exec_module(sealed_es2)

_missing = [f for _, _, f in sealed_es2.FONTS.values() if not Path(f).exists()]
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"fonts missing (make bench installs them): {_missing}")


class _Lines(HTMLParser):
    """The text of each ``div.t`` of each ``div.p``, in document order."""

    def __init__(self):
        super().__init__()
        self.pages: list[list[str]] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class")
        if tag == "div" and cls == "p":
            self.pages.append([])
        elif tag == "div" and cls == "t":
            self._in = True
            self.pages[-1].append("")

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, data):
        if self._in:
            self.pages[-1][-1] += data


def test_layout_is_deterministic_and_seeded():
    a, b = sealed_es2.typeset(8), sealed_es2.typeset(8)
    assert [p.truth for p in a] == [p.truth for p in b]
    assert sealed_es2.html(a) == sealed_es2.html(b)
    other = sealed_es2.typeset(8, seed=sealed_es2.SEED + 1)
    assert [p.truth for p in other] != [p.truth for p in a]
    assert set(p.style for p in a) == set(sealed_es2.STYLES)  # every layout is used


def test_html_text_is_the_truth():
    pages = sealed_es2.typeset(12)
    parser = _Lines()
    parser.feed(sealed_es2.html(pages))
    assert len(parser.pages) == 12
    for page, lines in zip(pages, parser.pages):
        assert "\n".join(lines) == page.truth
        assert all(ln.strip() == ln and ln for ln in lines)


def test_body_text_is_the_source_text_in_order():
    """Every page's body lines, line-end hyphens joined and the paragraph labels ([0001], 1.)
    taken off, are the source paragraphs word for word, in order, nothing dropped or invented."""
    pages = sealed_es2.typeset(12)
    body = "\n".join(ln.text for p in pages for ln in p.lines if ln.kind == "body")
    words = [w for w in normalise(body).split() if not re.fullmatch(r"\[\d{4}\]|\d{1,2}\.", w)]
    source = " ".join(sealed_es2.source_paragraphs()).split()
    source = [w for w in source if not re.fullmatch(r"\d{1,2}\.", w)]
    assert len(words) > 4000
    if words[-1].endswith("-"):  # the last page ends in the first half of a word
        assert source[len(words) - 1].startswith(words.pop()[:-1])
    assert words == source[:len(words)]
    hyphenated = [ln.text for p in pages for ln in p.lines if ln.kind == "body" and ln.text.endswith("-")]
    assert len(hyphenated) > 20  # hyphenation as printed is exercised


def test_spanish_hyphenation():
    hp = sealed_es2.hyphen_points
    cut = lambda w: "-".join(w[i:j] for i, j in zip([0] + hp(w), hp(w) + [len(w)]))  # noqa: E731
    assert cut("presentación") == "pre-sen-ta-ción"
    assert cut("reivindicaciones") == "rei-vin-di-ca-cio-nes"
    assert cut("instrucción") == "ins-truc-ción"
    assert cut("construcción") == "cons-truc-ción"
    assert cut("descripción") == "des-crip-ción"
    assert cut("caracterizado") == "ca-rac-te-ri-zado"  # 3 letters at least after a break
    assert hp("Oficina") == [] and hp("kV") == [] and hp("sobre") == []


def test_text_source_is_recorded():
    head = sealed_es2.TEXT.read_text(encoding="utf-8").splitlines()[:12]
    assert any("legalize-dev/legalize-es" in ln for ln in head)
    assert any("BOE-A-2015-8328" in ln and "57496def" in ln for ln in head)
    docs = sealed_es2.documents()
    assert len(docs) == 3 and all(len(ps) >= 10 for _, ps in docs)


@pytest.mark.skipif(shutil.which("pdftoppm") is None or not Path("/usr/bin/chromium").exists(),
                    reason="needs chromium and poppler-utils")
def test_printed_pdf_holds_the_truth_and_scans_are_deterministic(tmp_path):
    """Chromium prints exactly the words of the truth (pdftotext), and both scanner models give
    the same pixels for the same seed (2 pages, no OCR)."""
    pages = sealed_es2.typeset(2)
    pdf = sealed_es2.print_pdf(sealed_es2.html(pages), tmp_path / "p.pdf")
    for page, words in zip(pages, sealed_es2.pdf_words(pdf)):
        assert Counter(words) == Counter(page.truth.split())
    grey = sealed_es2.rasterise(pdf, 100)
    assert len(grey) == 2
    for scan in (sealed_es2.scan_office, sealed_es2.scan_poor):
        a = scan(grey[0], np.random.default_rng(7))
        b = scan(grey[0], np.random.default_rng(7))
        assert a.dtype == np.uint8 and np.array_equal(a, b)
    office = sealed_es2.scan_office(grey[0], np.random.default_rng(7))
    assert set(np.unique(office).tolist()) <= {0, 255}
