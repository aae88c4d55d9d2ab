"""The engine on real scans and generated pages: words, boxes, confidences, orientation."""

from __future__ import annotations

import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from digitize.settings import profile as profiles
from digitize.model import PageImage, Prepared
from digitize.tessdata import EngineError, check_languages, find_tessdata
from digitize.ocr import get_engine, parse_tsv, read_blocks
from digitize.synth import render_text_page

LINES = ["Claims", "", "1. A container for cooked rice comprising an inner vessel.",
         "2. The container according to claim 1, wherein the vessel is steel."]


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def engine():
    return get_engine(profiles.load("generic").engine)


def test_words_lines_blocks_with_boxes_and_confidences(engine):
    image = render_text_page(LINES)
    page = engine.recognize(Prepared(image=image, dpi=300), 7)
    assert norm(page.text) == norm(" ".join(LINES))
    words = page.words()
    assert words[0].id == "p0007_w00001" and len({w.id for w in words}) == len(words)
    for w in words:
        x0, y0, x1, y1 = w.bbox
        assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height
        assert 0 <= w.conf <= 100
    assert page.mean_conf > 85
    assert len(page.lines()) == 3
    # the first word's box is where the renderer drew it: one inch from the top left corner
    assert abs(words[0].bbox[0] - 300) < 15 and abs(words[0].bbox[1] - 300) < 40


def test_engine_is_reused_per_process():
    s = profiles.load("generic").engine
    assert get_engine(s) is get_engine(s)


def test_each_thread_has_its_own_engine_and_threads_recognise_at_once(engine):
    """Thread mode (``[job] pool = "threads"``): a Tesseract API is not thread-safe, so each
    thread gets its own; two threads recognising at the same time give the single thread's words."""
    import threading

    settings = profiles.load("generic").engine
    image = render_text_page(LINES)
    alone = engine.recognize(Prepared(image=image, dpi=300), 1).text
    got: dict[int, tuple] = {}

    def work(k: int) -> None:
        e = get_engine(settings)
        got[k] = (id(e), e is get_engine(settings), [e.recognize(Prepared(image=image, dpi=300), 1).text for _ in range(2)])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got[0][0] != got[1][0] and got[0][0] != id(engine)  # one engine per thread
    assert got[0][1] and got[1][1]  # reused within a thread
    assert all(text == alone for k in got for text in got[k][2])


def test_orientation_detection(engine):
    image = render_text_page(LINES * 6)
    for turned_ccw in (0, 90, 180, 270):
        rotated = np.ascontiguousarray(np.rot90(image, k=turned_ccw // 90))
        degrees, conf = engine.detect_orientation(rotated)
        assert degrees == turned_ccw, (turned_ccw, degrees, conf)  # turn back clockwise by as much


def test_pytesseract_backend_gives_the_same_shape():
    settings = profiles.load("generic").engine
    from dataclasses import replace

    cli = get_engine(replace(settings, backend="pytesseract"))
    assert cli.backend == "pytesseract"
    page = cli.recognize(Prepared(image=render_text_page(LINES), dpi=300), 1)
    assert norm(page.text) == norm(" ".join(LINES))


def test_missing_language_is_a_clear_error():
    with pytest.raises(EngineError, match="tesseract-ocr-xyz"):
        check_languages(find_tessdata(), "eng+xyz")


def test_parse_tsv_skips_empty_words():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "3\t1\t1\t1\t0\t0\t10\t10\t100\t20\t-1\t\n"
           "4\t1\t1\t1\t1\t0\t10\t10\t100\t20\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t10\t10\t40\t20\t91.5\tHello\n"
           "5\t1\t1\t1\t1\t2\t60\t10\t40\t20\t95\t \n")
    blocks = parse_tsv(tsv, 3)
    assert [w.text for b in blocks for ln in b.lines for w in ln.words] == ["Hello"]
    assert blocks[0].lines[0].words[0].bbox == (10, 10, 50, 30)


# --------------------------------------------------------------------------- real scans


@pytest.mark.parametrize("name,max_cer", [("phototest", 0.02), ("eurotext", 0.06)])
def test_tesseract_test_pages_reach_their_text(shared_data, name, max_cer):
    """Tesseract's own test pages, through ingest + preprocess + OCR, against their gold text."""
    from digitize import ingest
    from digitize.pipeline import ocr_page

    folder = shared_data / "scans" / "tesseract-test"
    profile = profiles.load("generic")
    (page,) = list(ingest.iter_pages(folder / f"{name}.tif", max_pixels=10**8, default_dpi=300))
    result, _ = ocr_page(page, profile)
    truth = (folder / f"{name}.txt").read_text()
    cer = Levenshtein.normalized_distance(norm(truth), norm(result.text))
    assert cer <= max_cer, (name, cer, result.text[:300])


@pytest.mark.parametrize("name", ["8087_054.3B.tif", "CA2944968A1/page-000002.pdf", "phototest.tif"])
def test_the_result_iterator_reads_what_the_tsv_says(name):
    """``read_blocks`` (tesserocr's result iterator, a word at a time) gives exactly what
    ``parse_tsv`` makes of ``GetTSVText`` for the same recognition: blocks, lines, word ids,
    texts, boxes and confidences. Real pages: an UNLV page, a CA office page, phototest."""
    from pathlib import Path

    from digitize import ingest, preprocess

    profile = profiles.load("ep")
    path = Path(__file__).parent / "data" / "real" / name
    (page,) = list(ingest.iter_pages(path, max_pixels=10**8, default_dpi=300))
    prepared = preprocess.preprocess(page, profile.preprocess)
    image = np.ascontiguousarray(prepared.image)
    api = get_engine(profile.engine)._tesserocr_api()
    api.SetImageBytes(image.tobytes(), image.shape[1], image.shape[0], 1, image.shape[1])
    api.SetSourceResolution(prepared.dpi)
    assert api.Recognize(0)
    tsv = parse_tsv("\n".join(["level"] + api.GetTSVText(0).splitlines()), 2)
    blocks = read_blocks(api, 2)
    api.Clear()
    assert sum(len(ln.words) for b in blocks for ln in b.lines) > 50
    assert blocks == tsv


def test_prepared_page_image_roundtrip(engine):
    page = PageImage(number=1, image=render_text_page(["Short page."]), dpi=300)
    from digitize.pipeline import ocr_page

    result, prepared = ocr_page(page, profiles.load("generic"))
    assert "Short page." in result.text
    assert prepared.image.shape == page.image.shape
