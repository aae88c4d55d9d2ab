"""Automatic correction on real OCR of rendered EP publications, measured against the PDF text
layer: it must lower the word error on degraded renders and never raise it on clean ones."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import jiwer
import pytest

from digitize.settings import profile as profiles
from digitize.model import OcrPage, PageImage, Prepared
from digitize.proofread import auto_correct

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# three text pages (description, dense paragraphs with step numbers S710 …) per level
PAGES = {"EP17185386NWA1": [3, 5], "EP15906245NWA1": [6]}
SEED = 1234
ROOT = Path(__file__).resolve().parents[1]


def _ocr(pdf: Path, number: int, level: str, profile) -> OcrPage:
    from digitize.ocr import get_engine
    from digitize.synth import degrade, render_pdf

    (_, image, _), = render_pdf(pdf, dpi=300, pages=[number])
    img, dpi = degrade(image, level, SEED + number)
    if importlib.util.find_spec("digitize.preprocess") is not None:
        from digitize.pipeline import ocr_page

        return ocr_page(PageImage(number=number, image=img, dpi=dpi), profile)[0]
    return get_engine(profile.engine).recognize(Prepared(image=img, dpi=dpi), number)  # engine's own binarisation


@pytest.fixture(scope="module")
def renders(request, shared_data, ocr_code):
    """{level: [(page, truth)]}, OCR cached in pytest's cache keyed by the code that makes it."""
    profile = profiles.load("ep")
    cache = Path(request.config.cache.mkdir("digitize-proofread-ocr"))
    import pypdfium2 as pdfium

    out: dict[str, list[tuple[OcrPage, str]]] = {}
    for level in ("clean", "office", "poor"):
        for name, numbers in PAGES.items():
            pdf = shared_data / "patent-pdf" / f"{name}.pdf"
            doc = pdfium.PdfDocument(str(pdf))
            for n in numbers:
                truth = doc[n - 1].get_textpage().get_text_range()
                f = cache / f"{name}-{n}-{level}-{ocr_code}.json"
                if f.exists():
                    page = OcrPage.from_dict(json.loads(f.read_text()))
                else:
                    page = _ocr(pdf, n, level, profile)
                    f.write_text(page.to_json())
                out.setdefault(level, []).append((page, truth))
            doc.close()
    return out


def errors(truth: str, page: OcrPage) -> tuple[int, int]:
    """(word errors, reference words); the text layer marks line-break hyphens with U+FFFE."""
    ref = " ".join(truth.replace("\ufffe", "").split())
    hyp = " ".join(" ".join(w.text for w in page.words() if w.text).split())
    m = jiwer.process_words(ref, hyp)
    return m.substitutions + m.deletions + m.insertions, len(ref.split())


@pytest.mark.parametrize("level", ["clean", "office", "poor"])
def test_auto_correction_lowers_word_error(renders, level):
    profile = profiles.load("ep")
    before = after = words = queued = ocr_words = 0
    for page, truth in renders[level]:
        fixed, corrections, candidates = auto_correct([page], profile)
        b, n = errors(truth, page)
        a, _ = errors(truth, fixed[0])
        if level == "clean":
            assert a <= b, f"page {page.number}: {b} → {a} word errors on a clean render"
        before, after, words = before + b, after + a, words + n
        queued += len(candidates)
        ocr_words += len(page.words())
    print(f"\n{level}: WER {before / words:.4f} -> {after / words:.4f}; "
          f"queued {queued}/{ocr_words} words ({queued / max(ocr_words, 1):.2%})")
    assert after < before
    assert queued / ocr_words < 0.10  # the queue is for the few words in real doubt
