"""Speed changes that must leave every output as it was (issue 30, branch spd2): each cut is
checked against the computation it replaces."""

from __future__ import annotations

import numpy as np
import pytest

from digitize.preprocess import bilevel


@pytest.mark.parametrize("level", [0, 1, 2, 127, 128, 200, 254, 255, 256])
def test_table_ink_is_the_page_below_its_ink_level(level):
    """``read_tables`` takes a prepared page's ink with ``bilevel`` (one threshold) instead of a
    whole-page ``np.where``: the same pixels, ink 0 where the page is below the level, 255 else."""
    rng = np.random.default_rng(level)
    page = rng.integers(0, 256, (97, 131), dtype=np.uint8)
    page[:5] = 255  # paper
    page[-5:] = 0  # ink
    got = bilevel(page, level)
    assert got.dtype == np.uint8
    assert np.array_equal(got, np.where(page < level, 0, 255).astype(np.uint8))
