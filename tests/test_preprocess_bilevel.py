"""A clean bilevel scan at the engine's scale keeps its pixels (``preprocess.sharp_bilevel``); a
bilevel scan that is scaled, or whose letters are far from that scale, gets the whole chain."""

from __future__ import annotations

import numpy as np
import pytest

from digitize import preprocess as pp
from digitize.model import PageImage
from digitize.settings.engine import PreprocessSettings
from digitize.synth import render_text_page

LINES = [f"Reivindicación {i}: el dispositivo según la cláusula {i}, con un desagüe lateral." for i in range(24)]
DEFAULT = PreprocessSettings()


def _bilevel(dpi: int, font_pt: float = 11.0) -> np.ndarray:
    return np.where(render_text_page(LINES, dpi=dpi, font_pt=font_pt) < 128, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def office() -> np.ndarray:
    """A G4-like office page: 300 dpi, bilevel, body text of 11 pt."""
    return _bilevel(300)


def test_clean_bilevel_page_keeps_its_pixels(office):
    page = PageImage(1, office, 300)
    basis = pp.page_basis(page, DEFAULT)
    assert basis.bilevel_scan and pp.sharp_bilevel(basis)
    prepared = pp.preprocess(page, DEFAULT, basis=basis)
    assert prepared.steps == ["plain"] and prepared.skew == 0
    assert np.array_equal(prepared.image, office)  # no blur, no threshold, no grey ink
    assert np.array_equal(pp.bilevel(prepared.image, prepared.ink_level), office)  # what is stored as G4
    assert abs(prepared.ink_ratio - (office[::2, ::2] < 128).mean()) < 1e-9


def test_skewed_clean_bilevel_page_is_only_straightened(office):
    skewed = np.where(pp.rotate(office, 1.2) < 128, 0, 255).astype(np.uint8)
    prepared = pp.preprocess(PageImage(1, skewed, 300), DEFAULT)
    assert [s.split()[0] for s in prepared.steps] == ["deskew", "plain"]
    assert abs(prepared.skew + 1.2) <= 0.1
    straight = pp.rotate(skewed, prepared.skew) < 128
    ink = pp.bilevel(prepared.image, prepared.ink_level) == 0
    assert (ink & straight).sum() / (ink | straight).sum() > 0.9


def test_the_chain_is_still_there_when_asked(office):
    """The harm guard's other candidate for such a page: the whole chain (blur, threshold)."""
    prepared = pp.preprocess(PageImage(1, office, 300), DEFAULT, mode="full")
    assert prepared.steps[0] == "smooth blur" and "binarize threshold" in prepared.steps


def test_scaled_bilevel_page_keeps_the_chain():
    """A 200-dpi bilevel scan is scaled to 300: its jagged strokes grow, and the blur smooths them."""
    page = PageImage(1, _bilevel(200), 200)
    basis = pp.page_basis(page, DEFAULT)
    assert basis.scale["dpi"] != basis.scale["source_dpi"] and not pp.sharp_bilevel(basis)
    assert pp.preprocess(page, DEFAULT, basis=basis).steps[0] == "smooth blur"


def test_large_print_bilevel_page_keeps_the_chain():
    """Letters far above the engine's scale (a 300-dpi page of 18-pt print): not read plain."""
    page = PageImage(1, _bilevel(300, font_pt=18.0), 300)
    basis = pp.page_basis(page, DEFAULT)
    assert basis.scale["x_height"] > pp.SHARP_XHEIGHT[1] and not pp.sharp_bilevel(basis)
    assert pp.preprocess(page, DEFAULT, basis=basis).steps[0] == "smooth blur"


def test_grey_page_is_not_a_sharp_bilevel_page():
    grey = render_text_page(LINES)
    basis = pp.page_basis(PageImage(1, grey, 300), DEFAULT)
    assert not basis.bilevel_scan and not pp.sharp_bilevel(basis)


def test_clean_bilevel_page_is_read_with_its_accents(office):
    """Real Tesseract on the kept pixels (a regression check; the figures are on real scans): the
    first reading is plain, and the marked words are read."""
    from digitize.api import load_profile, recognise

    profile = load_profile("es")
    result = recognise(PageImage(1, office, 300), profile)
    assert result.reading["first"] == "plain"
    text = result.text
    for word in ("Reivindicación", "según", "cláusula"):
        assert text.count(word) >= 20, word
