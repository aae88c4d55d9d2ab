"""What the harm guard reads: a candidate the engine would be given exactly as an earlier one is
not read again (``readings.engine_input``)."""

from __future__ import annotations

import numpy as np

from digitize import readings
from digitize.api import load_profile
from digitize.model import Block, Line, OcrPage, PageImage, Prepared, Word


def _reading(conf: float, lines: int = 10) -> OcrPage:
    out = []
    for i in range(lines):
        y = 20 + 50 * i
        words = [Word(id=f"w{i}_{j}", text="word", bbox=(20 + 60 * j, y, 70 + 60 * j, y + 40), conf=conf)
                 for j in range(5)]
        out.append(Line(bbox=(20, y, 320, y + 40), words=words))
    return OcrPage(number=1, width=400, height=40 + 50 * lines, dpi=300,
                   blocks=[Block(bbox=(20, 20, 320, 520), lines=out)])


def _prepared(steps: list[str], dpi: int = 300) -> Prepared:
    return Prepared(image=np.full((540, 400), 255, np.uint8), dpi=dpi, ink_ratio=0.05, steps=steps)


def _page(header: float = 300.0, known: bool = True) -> PageImage:
    return PageImage(number=1, image=np.full((540, 400), 255, np.uint8), dpi=300, dpi_known=known, header_dpi=header)


def test_a_candidate_the_engine_would_read_as_another_is_not_read_again():
    """The plain chain of an upright page told its header's resolution is the page as read: the
    same pixels and the same dpi, so the guard reads only one of them (``engine_input``)."""
    import cv2

    from digitize import preprocess as pre

    s = load_profile("generic").preprocess
    image = np.full((1800, 1400), 255, np.uint8)  # level lines of print at 300 dpi, the header saying so
    for i in range(30):
        cv2.putText(image, "the quick brown fox jumps over a lazy dog", (80, 100 + 52 * i),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 2, cv2.LINE_AA)
    page = PageImage(number=1, image=image, dpi=300, header_dpi=300.0)
    plain, raw = pre.preprocess(page, s, mode="plain"), pre.preprocess(page, s, mode="raw")
    assert plain.steps == ["plain"] and page.dpi_known, plain.steps  # nothing turned, straightened or scaled
    assert readings.engine_input(plain) == readings.engine_input(raw)
    told = Prepared(image=raw.image, dpi=raw.dpi, engine_dpi=(raw.engine_dpi or raw.dpi) + 100)
    assert readings.engine_input(told) != readings.engine_input(raw)  # told another resolution: another reading
    full = pre.preprocess(page, s, mode="full")
    assert readings.engine_input(full) != readings.engine_input(raw)
