"""The third sealed Spanish page set (bench/sealed_es3.py) builds what it says: Spanish syllable
breaks, capitals with and without accents, the same pixels and text for the same seed, bilevel office
pages at 300 dpi and grey poor pages at 200 dpi. Nothing here reads the pages with digitize."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from digitize.evaluate import normalise

_BENCH = Path(__file__).resolve().parents[1] / "bench"
_spec = importlib.util.spec_from_file_location("bench_sealed_es3", _BENCH / "sealed_es3.py")
sealed_es3 = importlib.util.module_from_spec(_spec)
sys.modules["bench_sealed_es3"] = sealed_es3
_spec.loader.exec_module(sealed_es3)

_missing = [str(p) for p in sealed_es3.FACES.values() if not p.exists()]
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"fonts missing (make bench installs them): {_missing}")


def _syllables(word: str) -> str:
    b = sealed_es3._breaks(word)
    return "-".join(word[i:j] for i, j in zip([0] + b, b + [len(word)]))


def test_words_break_between_spanish_syllables_only():
    assert _syllables("cigüeñal") == "ci-güe-ñal"
    assert _syllables("portafusiles") == "por-ta-fu-si-les"
    assert _syllables("hidrogenado") == "hi-dro-ge-nado"  # 'dr' stays together, three letters after a break
    assert _syllables("constituyéndose") == "cons-ti-tu-yén-dose"
    assert _syllables("esencialmente") == "esen-cial-mente"
    assert sealed_es3._split("Madrid", lambda head: True) is None  # names are not broken


def test_headings_in_capitals_keep_the_enye_when_accents_are_dropped():
    caps = sealed_es3._caps("Descripción de la pestaña y el desagüe", False)
    assert caps == "DESCRIPCION DE LA PESTAÑA Y EL DESAGUE"
    assert sealed_es3._caps("Descripción", True) == "DESCRIPCIÓN"


@pytest.mark.slow
@pytest.mark.skipif(not sealed_es3.DATA.exists(), reason="uncommitted real set absent: the sealed Spanish patent text (bench/sealed_es3.py DATA)")
def test_pages_are_deterministic_and_their_truth_is_spanish_patent_text():
    office = list(sealed_es3.pages(4, "office"))
    again = list(sealed_es3.pages(4, "office"))
    poor = list(sealed_es3.pages(4, "poor"))
    for (a, dpi, text), (b, _, text2), (p, pdpi, ptext) in zip(office, again, poor):
        assert dpi == 300 and pdpi == 200
        assert np.array_equal(a, b) and text == text2 == ptext
        assert set(np.unique(a).tolist()) <= {0, 255} and a.shape[0] > a.shape[1]
        assert p.dtype == np.uint8 and len(np.unique(p)) > 2
        assert "#" not in text and "\n= " not in text
    words = normalise("\n".join(t for _, _, t in office)).split()
    assert len(words) > 1200
    assert any(w.startswith("(") and w.rstrip(",.;)").strip("(").isdigit() for w in words)  # reference numerals
    assert any("ü" in w for w in words) and any("ñ" in w for w in words)
