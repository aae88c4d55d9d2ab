"""Preprocessing on generated pages whose geometry and ink are known, and on the real scans."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from digitize import preprocess as pp
from digitize.labelling import label
from digitize.preprocess import arrays, cleaning, geometry, tone
from digitize.model import PageImage
from digitize.settings.engine import PreprocessSettings
from digitize.synth import render_text_page

LINES = [f"Line {i}: the quick brown fox jumps over the lazy dog, claim {i}." for i in range(30)]
DEFAULT = PreprocessSettings()


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """An A4 300-dpi page of text (grey, anti-aliased)."""
    return render_text_page(LINES)


def _line_bands(clean: np.ndarray) -> list[tuple[int, int]]:
    rows = (clean < 128).any(axis=1)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rows.astype(np.int8), [0]))))
    return list(zip(edges[::2], edges[1::2]))


# --------------------------------------------------------------------------- geometry


@pytest.mark.parametrize("angle", [0.0, 0.35, -1.5, 3.2, -9.0, 14.0])
def test_deskew_estimate_is_accurate(page, angle):
    skewed = pp.rotate(page, -angle)
    assert abs(pp.estimate_skew(skewed, 300) - angle) <= 0.1


def test_preprocess_straightens_and_keeps_the_page_size(page):
    skewed = pp.rotate(page, 2.4)
    prepared = pp.preprocess(PageImage(1, skewed, 300), DEFAULT)
    assert prepared.image.shape == page.shape and prepared.dpi == 300
    assert abs(prepared.skew + 2.4) <= 0.1
    assert abs(pp.estimate_skew(prepared.image, 300)) <= 0.1  # residual
    # clean white paper: read as it is (only straightened), the engine binarises it itself
    assert prepared.steps[-1] == "plain" and prepared.resolution["kind"] == "clean-grey"
    # the whole chain: paper pure white, ink keeps its grey level (at most 200) for the engine
    prepared = pp.preprocess(PageImage(1, skewed, 300), DEFAULT, mode="full")
    values = np.unique(prepared.image)
    assert values.max() == 255 and values[values < 255].max() <= 200 and values.min() < 50
    assert any(s.startswith("deskew") for s in prepared.steps)
    # a bilevel scan: straightened too, paper white, ink where the scan's ink was
    bilevel = np.where(skewed < 128, 0, 255).astype(np.uint8)
    prepared = pp.preprocess(PageImage(1, bilevel, 300), DEFAULT)
    assert abs(prepared.skew + 2.4) <= 0.1
    assert abs(pp.estimate_skew(prepared.image, 300)) <= 0.1
    straight = pp.rotate(bilevel, prepared.skew) < 128
    ink = pp.bilevel(prepared.image) == 0
    iou = (ink & straight).sum() / (ink | straight).sum()
    assert iou > 0.7, iou
    assert abs(ink.mean() - prepared.ink_ratio) < 0.002
    # with the switch off, a bilevel scan stays bilevel
    saved = pp.BILEVEL_SMOOTH
    try:
        pp.BILEVEL_SMOOTH = "none"
        prepared = pp.preprocess(PageImage(1, bilevel, 300), DEFAULT)
    finally:
        pp.BILEVEL_SMOOTH = saved
    assert set(np.unique(prepared.image)) <= {0, 255}


def test_blank_page_has_no_skew_and_no_ink():
    blank = np.full((3508, 2480), 250, np.uint8)
    prepared = pp.preprocess(PageImage(1, blank, 300), DEFAULT)
    assert prepared.skew == 0.0 and prepared.ink_ratio == 0.0


def test_rescale_low_and_very_high_resolutions(page):
    low = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    prepared = pp.preprocess(PageImage(1, low, 150), DEFAULT)
    assert prepared.dpi == 300 and abs(prepared.image.shape[0] - page.shape[0]) <= 1
    high = cv2.resize(page, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    prepared = pp.preprocess(PageImage(1, high, 600), DEFAULT)
    assert prepared.dpi == 300 and abs(prepared.image.shape[1] - page.shape[1]) <= 1
    # in range: left alone
    assert pp.preprocess(PageImage(1, page, 400), DEFAULT).dpi == 400


def test_orientation_uses_the_detector_only_when_needed(page):
    calls = []

    def detector(image):
        calls.append(image.shape)
        return 90, 12.0

    upright = pp.preprocess(PageImage(1, page, 300), DEFAULT, detect_orientation=detector)
    assert upright.rotation == 0 and calls == []  # line profiles show upright text: no OSD call
    sideways = np.ascontiguousarray(np.rot90(page, 1))  # turned counter-clockwise
    prepared = pp.preprocess(PageImage(1, sideways, 300), DEFAULT, detect_orientation=detector)
    assert calls and prepared.rotation == 90 and prepared.image.shape == page.shape
    # a low-confidence answer is not acted on, and orientation can be switched off
    weak = pp.preprocess(PageImage(1, sideways, 300), DEFAULT, detect_orientation=lambda im: (90, 0.5))
    assert weak.rotation == 0
    off = dataclasses.replace(DEFAULT, orientation=False)
    calls.clear()
    assert pp.preprocess(PageImage(1, sideways, 300), off, detect_orientation=detector).rotation == 0 and not calls


def test_line_analysis_tells_upright_from_turned_pages(page):
    assert pp.analyse_lines(page, 300).upright
    for k in (1, 2, 3):
        turned = pp.analyse_lines(np.ascontiguousarray(np.rot90(page, k)), 300)
        assert not turned.upright, k
    assert pp.analyse_lines(np.ascontiguousarray(np.rot90(page, 1)), 300).sideways


# --------------------------------------------------------------------------- tone


def _uneven(page: np.ndarray) -> np.ndarray:
    """Lamp fall-off from 100 % to 35 % across the page, plus a grey veil: Otsu fails here."""
    h, w = page.shape
    light = np.linspace(1.0, 0.35, w, dtype=np.float32)[None, :] * np.ones((h, 1), np.float32)
    out = page.astype(np.float32) * light + 20 * (1 - light)
    rng = np.random.default_rng(3)
    out += rng.normal(0, 6, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def test_sauvola_survives_uneven_lighting(page):
    dark = _uneven(page)
    clean_ink = page < 128
    prepared = pp.preprocess(PageImage(1, dark, 300), DEFAULT)
    ink = prepared.image < 128
    w = page.shape[1]
    for band in (slice(0, w // 3), slice(2 * w // 3, w)):  # bright side and dark side
        for top, bottom in _line_bands(page)[:10]:
            want = clean_ink[top:bottom, band].mean()
            if want < 0.02:
                continue
            got = ink[top:bottom, band].mean()
            assert 0.6 * want <= got <= 1.8 * want, (band, top, want, got)
        # paper between the lines stays white
        gaps = np.ones(page.shape[0], bool)
        for top, bottom in _line_bands(page):
            gaps[max(0, top - 5):bottom + 5] = False
        assert ink[gaps][:, band].mean() < 0.002
    # the test can fail: a global threshold without background division loses the dark side
    otsu = pp.binarize(dark, 300, "otsu") < 128
    assert otsu[:, 2 * w // 3:].mean() > 3 * clean_ink[:, 2 * w // 3:].mean()


def test_noisy_page_with_large_empty_area_keeps_text_and_no_blobs():
    """A few lines at the top, then a large empty noisy area (JPEG-compressed scanner noise)."""
    img = render_text_page(LINES[:4])
    rng = np.random.default_rng(7)
    noisy = np.clip(img.astype(np.float32) * 0.85 + 20 + rng.normal(0, 18, img.shape), 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, 55])
    noisy = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    for method in ("sauvola", "adaptive", "otsu"):
        settings = dataclasses.replace(DEFAULT, binarize=method)
        prepared = pp.preprocess(PageImage(1, noisy, 300), settings)
        ink = prepared.image < 128
        text_rows = slice(250, 600)
        empty = ink[900:]
        assert ink[text_rows].mean() > 0.5 * (img[text_rows] < 128).mean(), method
        assert empty.mean() < 0.0005, (method, empty.mean())
        n, _, stats, _ = cv2.connectedComponentsWithStats(empty.astype(np.uint8))
        assert n == 1 or stats[1:, cv2.CC_STAT_AREA].max() < 50, method


def test_sauvola_matches_the_formula_on_a_small_image():
    rng = np.random.default_rng(1)
    img = rng.integers(0, 256, (64, 64)).astype(np.uint8)
    img = cv2.GaussianBlur(img, (0, 0), 3)
    out = pp.sauvola(img, window=15, k=0.3)
    # the reference on the same half-resolution grid, computed directly
    half = cv2.resize(img, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float64)
    pad = np.pad(half, 3, mode="symmetric")
    ref_t = np.empty_like(half)
    for y in range(32):
        for x in range(32):
            win = pad[y:y + 7, x:x + 7]
            ref_t[y, x] = win.mean() * (1 + 0.3 * (win.std() / 128 - 1))
    ref = img > cv2.resize(ref_t.astype(np.float32), (64, 64), interpolation=cv2.INTER_LINEAR)
    assert (ref == (out == 255)).mean() > 0.97


# --------------------------------------------------------------------------- cleaning


def test_black_borders_and_speckles_are_removed_text_stays(page):
    bw = np.where(page < 128, 0, 255).astype(np.uint8)
    dirty = bw.copy()
    dirty[:, :60] = 0  # a scanner border down the left edge
    dirty[:40, :] = 0  # and along the top
    rng = np.random.default_rng(5)
    h, w = dirty.shape
    specks = 0
    for _ in range(300):  # isolated specks in the margins
        y, x = int(rng.integers(100, h - 10)), int(rng.integers(80, w - 10))
        if (bw[max(0, y - 60):y + 60, max(0, x - 60):x + 60] == 0).any():  # 0.2 in clear of text
            continue
        cv2.circle(dirty, (x, y), 1, 0, -1)
        specks += 1
    assert specks > 50
    kept = dirty.copy()
    cleaned = pp.remove_speckles(pp.remove_borders(dirty), 300)
    assert np.array_equal(dirty, kept)  # the public helpers leave their input alone ...
    both = pp.clean(kept, 300, in_place=True)
    assert both is kept and np.array_equal(both, pp.clean(dirty, 300))  # ... preprocess's own mask is cleaned in place
    assert (cleaned[:, :60] == 255).all() and (cleaned[:40] == 255).all()
    # everything left is the text, and all of the text is left (i-dots and full stops included)
    assert np.array_equal(cleaned < 128, bw < 128)


def test_fast_paths_give_what_the_plain_formulas_give(page):
    """16-bit labels, cv2 in place of numpy (keep_grey_ink, bilevel, the ink points): the same
    arrays as the formulas they replaced, on a page and on noise with more than 65,535 marks
    (where 16-bit labels do not fit and the 32-bit ones are used)."""
    rng = np.random.default_rng(11)
    noise = np.where(rng.random((1400, 1400)) < 0.08, 1, 0).astype(np.uint8)
    text = (page < 128).view(np.uint8)
    for bw in (text, noise):
        ref = cv2.connectedComponentsWithStats(bw, connectivity=8, ltype=cv2.CV_32S)
        got = label(bw)
        assert got[0] == ref[0] and np.array_equal(got[1], ref[1])
        assert np.array_equal(got[2], ref[2]) and np.array_equal(got[3], ref[3])
    assert label(noise)[0] > 65_536 and label(noise)[1].dtype == np.int32
    assert label(text)[1].dtype == np.uint16
    grey = pp.smooth_bilevel(np.where(page < 128, 0, 255).astype(np.uint8), 300, "blur")
    bw = pp.threshold_smoothed(grey)
    assert np.array_equal(pp.keep_grey_ink(grey, bw), np.where(bw == 0, np.minimum(grey, 200), 255).astype(np.uint8))
    for level in (1, 130, 200, 255):
        assert np.array_equal(pp.bilevel(grey, level), np.where(grey < level, 0, 255).astype(np.uint8))
    # the ink points: (x, y) of letter-sized marks in row order, as np.nonzero gives them
    small = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, inv = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(inv, connectivity=8)
    keep = (stats[:, 2] < 75) & (stats[:, 3] < 75) & (stats[:, 4] >= 2)
    keep[0] = False
    ys, xs = np.nonzero(keep[labels])
    points, mask = geometry._ink_points(grey, 300, 150, with_mask=True)
    assert np.array_equal(points, np.stack([xs, ys], axis=1).astype(np.float32))
    assert np.array_equal(mask, keep[labels].astype(np.uint8) * 255)
    assert geometry._ink_points(np.full((400, 400), 255, np.uint8), 300, 150).shape == (0, 2)


def _sauvola_whole(image, window, k=tone.SAUVOLA_K, r=tone.SAUVOLA_R):
    """Sauvola as it was written before issue 26 item 10: full-size float copies."""
    h, w = image.shape
    half = cv2.resize(image, ((w + 1) // 2, (h + 1) // 2), interpolation=cv2.INTER_AREA).astype(np.float32)
    win = max(3, window // 2) | 1
    mean = cv2.boxFilter(half, cv2.CV_32F, (win, win), borderType=cv2.BORDER_REFLECT)
    sq = cv2.sqrBoxFilter(half, cv2.CV_32F, (win, win), borderType=cv2.BORDER_REFLECT)
    std = cv2.sqrt(cv2.max(sq - mean * mean, 0))
    threshold = mean * (1.0 + k * (std * (1.0 / r) - 1.0))
    threshold = cv2.resize(threshold, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.compare(image.astype(np.float32), threshold, cv2.CMP_GT)


def test_work_in_bands_gives_the_pixels_of_the_whole_page(page):
    """Issue 26 item 10: Sauvola's surface enlarged and compared a band of rows (or columns) at
    a time, the components' lookups and the ink kept in bands, the mask labelled inverted in
    place: the same pixels as the whole-page formulas, on every parity of the page's sides (a
    band is exact only when a side is even: both odd is done whole; the page is 3507 x 2481)."""
    rng = np.random.default_rng(26)
    w = page.shape[1]
    uneven = page.astype(np.int16) - np.linspace(0, 60, w)[None, :].astype(np.int16) - rng.integers(0, 25, page.shape)
    uneven = np.clip(uneven, 0, 255).astype(np.uint8)
    for img in (uneven, uneven[:-1], uneven[:, :-1], uneven[:-1, :-1], uneven[:301, :77]):
        window = arrays.odd(300 * tone.SAUVOLA_WINDOW_IN)
        assert np.array_equal(pp.sauvola(img, window), _sauvola_whole(img, window)), img.shape
        half = cv2.resize(img, ((img.shape[1] + 1) // 2, (img.shape[0] + 1) // 2)).astype(np.float32)
        whole = tone._enlarge_compare(img, half, whole_up_to=img.size)
        assert np.array_equal(tone._enlarge_compare(img, half), whole), img.shape
    # cleaning: the inverted in-place labelling, the banded lookups and margin counts
    dirty = np.where(page < 128, 0, 255).astype(np.uint8)
    dirty[:, :60] = 0  # an L of scanner border: the margin count decides
    dirty[:40, :] = 0
    grid = dirty[::8, ::8]  # a view: thousands of specks, the lookup path
    grid[(rng.integers(0, 4, grid.shape) == 0) & (grid == 255)] = 0
    n, labels, stats, centroids = cv2.connectedComponentsWithStats((dirty < 128).view(np.uint8), connectivity=8)
    drop = cleaning._border_components(labels, stats, dirty.shape)
    drop |= cleaning._speckle_components(stats, centroids, 300, dirty.shape) & ~drop
    drop[0] = False
    assert drop.sum() > 2000
    ref = dirty.copy()
    ref[drop[labels]] = 255
    assert np.array_equal(pp.clean(dirty, 300), ref)
    mine = dirty.copy()
    assert pp.clean(mine, 300, in_place=True) is mine and np.array_equal(mine, ref)
    grey = pp.smooth_bilevel(dirty, 300, "blur")
    bw = pp.threshold_smoothed(grey)
    expected = pp.keep_grey_ink(grey, bw)
    assert pp.keep_grey_ink(grey, bw, in_place=True) is bw and np.array_equal(bw, expected)
    assert np.array_equal(arrays.lookup(drop, labels), drop[labels])


def test_ink_ratio_and_timing_figures(page):
    prepared = pp.preprocess(PageImage(1, page, 300), DEFAULT)
    assert abs(prepared.ink_ratio - (page < 128).mean()) < 0.01
    assert prepared.steps == ["plain"]  # clean white paper: read as it is
    prepared = pp.preprocess(PageImage(1, page, 300), DEFAULT, mode="full")
    assert abs(prepared.ink_ratio - (page < 128).mean()) < 0.01
    assert prepared.steps[0] == "background"


# --------------------------------------------------------------------------- real scans


def test_skew_pdf_is_deskewed(shared_data):
    from digitize import ingest

    for name in ("skew.pdf", "rotated_skew.pdf"):
        (page,) = ingest.iter_pages(shared_data / "scans" / "ocrmypdf" / name, max_pixels=10**8, default_dpi=300)
        before = pp.estimate_skew(page.image, page.dpi)
        prepared = pp.preprocess(page, DEFAULT)
        assert abs(before) > 1.0, (name, before)  # the scan is skewed
        assert abs(pp.estimate_skew(prepared.image, prepared.dpi)) < 0.3, name


def test_cardinal_pages_come_out_upright(shared_data):
    """cardinal.pdf shows one scan at 0, 90, 180 and 270°: with Tesseract's OSD the four
    prepared pages are the same upright page."""
    try:
        from digitize.tessdata import EngineError
        from digitize.ocr import get_engine
        from digitize.settings.engine import EngineSettings

        engine = get_engine(EngineSettings())
    except (ImportError, EngineError) as exc:
        pytest.skip(f"no OCR engine: {exc}")
    from digitize import ingest

    cardinal = shared_data / "scans" / "ocrmypdf" / "cardinal.pdf"
    pages = list(ingest.iter_pages(cardinal, max_pixels=10**8, default_dpi=300))
    prepared = [pp.preprocess(p, DEFAULT, detect_orientation=engine.detect_orientation) for p in pages]
    first = prepared[0].image
    assert prepared[0].rotation == 0
    for p in prepared[1:]:
        assert p.image.shape == first.shape, p.rotation
        agree = (p.image == first).mean()
        assert agree > 0.97, (p.rotation, agree)
    assert sorted(p.rotation for p in prepared) == [0, 90, 180, 270]
