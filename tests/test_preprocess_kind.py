"""What a page is (``preprocess.kind.page_kind``): a light leaf lying on a black ground is not a
page of light text on a dark ground."""

from __future__ import annotations

import cv2
import numpy as np

from digitize.preprocess.kind import is_bilevel, page_kind


def _text(image: np.ndarray, top: int, colour: int) -> None:
    for i, y in enumerate(range(top + 60, top + 60 + 8 * 70, 70)):
        cv2.putText(image, f"Page {i + 11}, line {i + 25}, for Zenia read Zeruiah", (80, y),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.1, colour, 2)


def test_light_leaf_on_a_black_ground_is_not_inverted():
    """A bilevel scan whose ground around the leaf was thresholded black (62 % of the pixels black,
    as old-books-otsu h011): dark by area, but its text is dark on white."""
    page = np.zeros((2300, 1400), np.uint8)
    page[600:1550, :] = 255
    _text(page, 620, 0)
    page = np.where(page < 128, 0, 255).astype(np.uint8)  # a bilevel scan
    assert (page < 128).mean() > 0.55
    kind, _ = page_kind(page, is_bilevel(page))
    assert kind == "bilevel"


def test_light_text_on_a_dark_ground_is_inverted():
    """A slide: dark everywhere, the middle too."""
    page = np.full((1400, 2000), 20, np.uint8)
    _text(page, 300, 235)
    kind, _ = page_kind(page, is_bilevel(page))
    assert kind == "inverted"
