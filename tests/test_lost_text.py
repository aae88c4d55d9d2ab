"""The harm guard's text-ink measure (``readings.text_marks``, ``marks_in_frame``, ``ink_read``) on
a real page read by the real engine: the share of the page's letter marks the words hold."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitize import api, preprocess as pre, readings
from digitize.model import PageImage
from digitize.ocr import get_engine

PHOTOTEST = Path(__file__).parent / "data" / "real" / "phototest.tif"


@pytest.fixture(scope="module")
def profile():
    return api.load_profile("generic")


@pytest.fixture(scope="module")
def upright():
    with Image.open(PHOTOTEST) as im:
        return np.asarray(im.convert("L")).copy()


def _read(image, profile, detector=True):
    engine = get_engine(profile.engine)
    page = PageImage(number=1, image=image, dpi=300)
    prepared = pre.preprocess(page, profile.preprocess,
                              detect_orientation=engine.detect_orientation if detector else None)
    return page, prepared, engine.recognize(prepared, 1)


def test_marks_are_the_letters_and_a_reading_holds_them(profile, upright):
    marks = readings.text_marks(upright)
    assert len(marks) > 100  # phototest: ~100 words, 640 x 480
    page, prepared, reading = _read(upright, profile)
    share = readings.ink_read(reading, readings.marks_in_frame(marks, upright.shape, prepared))
    assert share >= 0.95


def test_a_reading_without_half_its_lines_holds_about_half_the_marks(profile, upright):
    page, prepared, reading = _read(upright, profile)
    marks = readings.marks_in_frame(readings.text_marks(upright), upright.shape, prepared)
    whole = readings.ink_read(reading, marks)
    lines = [ln for b in reading.blocks for ln in b.lines]
    for ln in lines[: len(lines) // 2]:
        ln.words = []
    half = readings.ink_read(reading, marks)
    assert 0.3 <= half <= whole - 0.3


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_marks_follow_a_page_osd_turned(profile, upright, turn):
    """A page stored a quarter-turn off and turned upright by OSD: the marks of the stored image,
    mapped into the turned and deskewed frame, fall in the words' boxes as on the upright page."""
    stored = np.ascontiguousarray(np.rot90(upright, k=turn // 90))  # counter-clockwise by ``turn``
    page, prepared, reading = _read(stored, profile)
    assert prepared.rotation == turn
    share = readings.ink_read(reading, readings.marks_in_frame(readings.text_marks(stored), stored.shape, prepared))
    assert share >= 0.95


def test_marks_follow_a_rescale_and_a_deskew(profile, upright):
    """The page skewed 2 degrees at 150 dpi: preprocessing scales it up and straightens it; the
    marks still land in the boxes."""
    small = pre.rescale(upright, 0.5)
    skewed = pre.rotate(small, 2.0)
    engine = get_engine(profile.engine)
    page = PageImage(number=1, image=skewed, dpi=150)
    prepared = pre.preprocess(page, profile.preprocess, detect_orientation=engine.detect_orientation)
    reading = engine.recognize(prepared, 1)
    assert prepared.skew != 0 and prepared.image.shape != skewed.shape
    share = readings.ink_read(reading, readings.marks_in_frame(readings.text_marks(skewed), skewed.shape, prepared))
    assert share >= 0.9


def test_the_guard_records_the_text_ink_of_every_reading_it_compares(profile, upright):
    """A page read poorly (uneven light, heavy noise) is checked against other readings; the
    record has the first reading's share of the page's letter marks and every whole reading's,
    and the reading kept holds no less of them than INK_LOST below the first."""
    from digitize.pipeline import ocr_page

    from digitize import ingest

    s = profile.preprocess
    (page,) = list(ingest.iter_pages(PHOTOTEST, max_pixels=s.max_pixels, default_dpi=s.default_dpi))
    grey = page.image.astype(np.float32)
    h, w = grey.shape
    light = np.linspace(1.0, 0.3, w, dtype=np.float32)[None, :]
    grey = grey * light + 40 * (1 - light) + np.random.default_rng(5).normal(0, 40, grey.shape)
    page = PageImage(1, np.clip(grey, 0, 255).astype(np.uint8), page.dpi, header_dpi=page.header_dpi)
    result, prepared = ocr_page(page, profile)
    reading = result.reading
    assert reading["second"] and 0.0 <= reading["first_ink_read"] <= 1.0 and reading["text_marks"] > 0
    kept = [c["whole"] for c in reading["checked"] if c["label"] == reading["chosen"] and "whole" in c]
    for ev in kept:
        assert ev["ink_read"] >= reading["first_ink_read"] - readings.INK_LOST
