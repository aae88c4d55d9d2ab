"""``preprocess.page_basis``: what every chain of a page starts from, measured once and shared by
the harm guard's preparations, gives each mode exactly the preparation it gives alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from digitize import ingest, preprocess as pre
from digitize.api import load_profile
from digitize.model import PageImage

REAL = Path(__file__).parent / "data" / "real"


def _pages():
    s = load_profile("generic").preprocess
    (scan,) = list(ingest.iter_pages(REAL / "phototest.tif", max_pixels=s.max_pixels, default_dpi=s.default_dpi))
    grey = scan.image.astype(np.float32)
    light = np.linspace(1.0, 0.4, grey.shape[1], dtype=np.float32)[None, :]
    uneven = np.clip(grey * light + 50 * (1 - light), 0, 255).astype(np.uint8)
    return {"bilevel": scan,
            "uneven grey": PageImage(1, uneven, scan.dpi, header_dpi=scan.header_dpi),
            "inverted": PageImage(1, (255 - uneven).astype(np.uint8), scan.dpi, header_dpi=scan.header_dpi)}


@pytest.mark.parametrize("kind", ["bilevel", "uneven grey", "inverted"])
def test_a_shared_basis_prepares_each_mode_as_alone(kind):
    s = load_profile("generic").preprocess
    page = _pages()[kind]
    basis = pre.page_basis(page, s)
    before = page.image.copy(), basis.image.copy()
    for mode in ("auto", "plain", "full"):
        alone, shared = pre.preprocess(page, s, mode=mode), pre.preprocess(page, s, mode=mode, basis=basis)
        assert alone.steps == shared.steps and alone.resolution == shared.resolution, (mode, alone.steps, shared.steps)
        assert (alone.dpi, alone.engine_dpi, alone.rotation, alone.skew, alone.ink_ratio, alone.ink_level) == \
            (shared.dpi, shared.engine_dpi, shared.rotation, shared.skew, shared.ink_ratio, shared.ink_level)
        assert np.array_equal(alone.image, shared.image), mode
    # no chain wrote into the shared page (which may be the page's own array)
    assert np.array_equal(page.image, before[0]) and np.array_equal(basis.image, before[1])
