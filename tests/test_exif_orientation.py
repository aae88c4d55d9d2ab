"""EXIF Orientation: a photographed page stored sideways reads as the upright page (issue 30).

Phones store the pixels as the sensor lay and say in the EXIF Orientation tag how to turn them.
Ingest applies the tag as PIL's ``ImageOps.exif_transpose`` does; the page record keeps it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from digitize import api
from digitize.evaluate import score
from digitize.ingest import iter_pages

REAL = Path(__file__).parent / "data" / "real"

# the transpose that makes a stored image upright for each tag, and its inverse (upright → stored)
_UNDO = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
         5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
         8: Image.Transpose.ROTATE_270}


def _stored(upright: Image.Image, tag: int) -> Image.Image:
    """The pixels a camera would store for ``upright`` with Orientation ``tag``."""
    return upright if tag == 1 else upright.transpose(_UNDO[tag])


def _with_tag(im: Image.Image, tag: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = tag
    return exif


def _pages(path: Path):
    return list(iter_pages(path, max_pixels=150_000_000, default_dpi=300))


@pytest.mark.parametrize("tag", range(1, 9))
@pytest.mark.parametrize("fmt", ["png", "tiff"])
def test_every_tag_gives_what_pil_exif_transpose_gives(tmp_path, tag, fmt):
    rng = np.random.default_rng(tag)
    upright = Image.fromarray(rng.integers(0, 256, (37, 53), dtype=np.uint8))  # asymmetric, not square
    path = tmp_path / f"t{tag}.{fmt}"
    _stored(upright, tag).save(path, exif=_with_tag(upright, tag), dpi=(200, 200))
    with Image.open(path) as im:
        assert im.getexif().get(0x0112) == tag
        expected = np.asarray(ImageOps.exif_transpose(im).convert("L"))
    (page,) = _pages(path)
    assert np.array_equal(page.image, np.asarray(upright))
    if fmt != "tiff" or tag < 5:  # Pillow 13's TIFF reader scrambles the quarter-turns (images.py)
        assert np.array_equal(page.image, expected)
    assert getattr(page, "exif_orientation", 0) == (tag if tag > 1 else 0)


def test_quarter_turn_swaps_a_non_square_header(tmp_path):
    """A 200 x 100 dpi header stored sideways: upright, x and y swap, and the page comes out square
    at the upright page's horizontal resolution."""
    upright = Image.fromarray(np.full((40, 80), 255, np.uint8))
    path = tmp_path / "fax.tiff"
    _stored(upright, 6).save(path, exif=_with_tag(upright, 6), dpi=(100, 200))  # stored axes: x 100, y 200
    (page,) = _pages(path)
    assert page.dpi == 200 and page.image.shape == (80, 80)  # upright x is 200 dpi, y 100 stretched


@pytest.mark.slow
def test_sideways_phone_jpeg_reads_like_the_upright_page(tmp_path):
    """phototest.tif stored a quarter-turn off with Orientation 6, as a phone writes it: the page
    reads as the upright page does, and its record says the tag was applied. The engine's own
    orientation detection is off, so only the tag can turn it."""
    with Image.open(REAL / "phototest.tif") as im:
        upright = im.convert("L")
    up_path, side_path = tmp_path / "upright.jpg", tmp_path / "sideways.jpg"
    upright.save(up_path, quality=92, dpi=(200, 200))
    _stored(upright, 6).save(side_path, quality=92, dpi=(200, 200), exif=_with_tag(upright, 6))
    profile = api.load_profile("generic")
    profile = replace(profile, preprocess=replace(profile.preprocess, orientation=False))
    truth = (REAL / "phototest.txt").read_text()

    def read(path):
        (page,) = list(api.read_pages(path, profile))
        return api.recognise(page, profile)

    up, side = read(up_path), read(side_path)
    assert side.resolution.get("exif_orientation") == 6 and "exif_orientation" not in up.resolution
    up_text, side_text = api.document_text([up]), api.document_text([side])
    assert score("up", truth, up_text).owe < 0.05
    assert score("side", truth, side_text).owe <= score("up", truth, up_text).owe + 0.01
