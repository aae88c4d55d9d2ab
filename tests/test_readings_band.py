"""The harm guard's band (``readings.band``): a third of the first reading's lines from the middle of
the page; and a page whose resolution nothing says is not read told a guessed one
(``preprocess.scale``: the engine estimates it, as the raw CLI does)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from digitize import api, preprocess as pre, readings
from digitize.model import Block, Line, OcrPage, PageImage, Word
from digitize.preprocess.scale import ENGINE_ESTIMATES

PHOTOTEST = Path(__file__).parent / "data" / "real" / "phototest.tif"


def _page(confs: list[float]) -> OcrPage:
    """A reading of one line per confidence, 40 px high, 10 px apart."""
    lines = []
    for i, c in enumerate(confs):
        y = 20 + 50 * i
        words = [Word(id=f"w{i}_{j}", text="word", bbox=(20 + 60 * j, y, 70 + 60 * j, y + 40), conf=c)
                 for j in range(5)]
        lines.append(Line(bbox=(20, y, 320, y + 40), words=words))
    return OcrPage(number=1, width=400, height=20 + 50 * len(confs) + 20, dpi=300,
                   blocks=[Block(bbox=(20, 20, 320, 20 + 50 * len(confs)), lines=lines)])


def test_the_band_is_the_middle_third_of_the_lines():
    top, bottom = readings.band(_page([90.0] * 12))
    assert top >= 20 + 50 * 3 and bottom <= 20 + 50 * 9  # lines 4-7 of 12


def test_a_short_page_has_no_band():
    assert readings.band(_page([80.0] * (readings.BAND_WHOLE_BELOW - 1))) is None


@pytest.fixture(scope="module")
def small_print():
    """phototest at a third of its size: letters too small and too close for letter marks."""
    with Image.open(PHOTOTEST) as im:
        grey = np.asarray(im.convert("L"))
    h, w = grey.shape
    return cv2.resize(grey, (w // 3, h // 3), interpolation=cv2.INTER_AREA)


def test_a_page_of_unknown_resolution_with_nothing_to_measure_lets_the_engine_estimate(small_print):
    profile = api.load_profile("generic")
    page = PageImage(number=1, image=small_print, dpi=300, dpi_known=False)
    scale = pre.decide_scale(small_print, page, profile.preprocess)
    if scale["x_height"]:
        pytest.skip("the letters of this copy can be measured")
    assert scale["engine_dpi"] == ENGINE_ESTIMATES
    prepared = pre.preprocess(page, profile.preprocess, mode="plain")
    assert prepared.engine_dpi == ENGINE_ESTIMATES and prepared.dpi == 300


def test_a_page_whose_file_says_its_resolution_is_told_it(small_print):
    profile = api.load_profile("generic")
    page = PageImage(number=1, image=small_print, dpi=100, dpi_known=True, header_dpi=100.0)
    assert "engine_dpi" not in pre.decide_scale(small_print, page, profile.preprocess)
    assert not pre.preprocess(page, profile.preprocess, mode="plain").engine_dpi
