"""One page image → its OCR result: preprocess, the engine, the harm guard, the tables.

The page's marks are analysed before recognition: a drawing sheet is read for its labels only and
an empty page is not read (``_read_sparse``). With ``[preprocess] raw_first`` the page is read as
it came first and that reading kept when confident and whole (``digitize.readings.raw_enough``),
except on a front page, whose fields read better from the prepared page. A first reading of low confidence is checked against
the page read other ways (``digitize.readings``) and the most confident is kept; the page JSON
says which reading won and why (``reading``). A reading whose lines run across a two-column page's
gutter is read column by column (``digitize.readings.column_order``, recorded as ``columns``).
Tables found on the page have their cells read on their own crops (``digitize.table_ocr``).
"""

from __future__ import annotations

import time
from dataclasses import replace

from .. import readings
from ..model import OcrPage, PageImage, Prepared
from ..ocr import get_engine
from ..settings.profile import Profile
from ..structure.anchors import prints_bibliography
from ..structure.figures import analyse as analyse_figures
from ..structure.figures import analyse_marks, labels_only
from ..table_ocr import read_tables


def ocr_page(page: PageImage, profile: Profile) -> tuple[OcrPage, Prepared]:
    """One page image → its OCR result and the preprocessed image the engine saw."""
    result, prepared, _ = ocr_timed(page, profile)
    return result, prepared


def ocr_timed(page: PageImage, profile: Profile) -> tuple[OcrPage, Prepared, tuple[float, float]]:
    """Preprocess and recognise a page, with the harm guard (``readings``): a first reading of low
    confidence is checked against the page read other ways, and the most confident is kept. The
    page JSON says which reading won and why (``reading``)."""
    from .. import preprocess as pre

    engine = get_engine(profile.engine)
    detector = engine.detect_orientation if profile.preprocess.orientation else None
    t0 = time.perf_counter()
    basis = pre.page_basis(page, profile.preprocess)  # shared by every preparation of the page (the guard's too)
    prepared = pre.preprocess(page, profile.preprocess, detect_orientation=detector, basis=basis)
    marks = analyse_marks(prepared.image, prepared.dpi)  # before recognition: see structure/figures.py
    kind, regions = marks.kind, marks.regions
    first = "plain" if "plain" in prepared.steps else "full"
    first_image = prepared.image
    # A page the chain left empty whose own pixels showed letters (the x-height count, taken
    # before any cleaning) was wiped by the chain (faint thermal print): it is read, and the harm
    # guard finds the reading that keeps the text (SROIE receipt 516 came out blank).
    wiped = marks.empty and prepared.resolution.get("letters", 0) >= pre.MIN_LETTERS
    t_labels = 0.0
    if marks.sheet or (marks.empty and not wiped):
        t_sheet = time.perf_counter()
        sparse = _read_sparse(engine, page, prepared, marks, first, t0)
        if sparse is not None:
            return sparse
        t_labels = time.perf_counter() - t_sheet  # a "sheet" whose labels are running text: read as a page of text
        marks = replace(marks, kind="text", regions=[])
        kind, regions = marks.kind, marks.regions
    t1 = time.perf_counter()
    raw = _raw_first(page, profile, prepared)
    raw_reading = engine.recognize(raw, page.number) if raw is not None else None
    if raw_reading is not None and prints_bibliography(raw_reading):
        raw = None  # a front page's fields read better from the prepared page: read as without raw_first
    if raw is not None:  # the page as it came, read first ([preprocess] raw_first)
        points = readings.text_marks(page.image)
        raw_ev = {**readings.measured(raw_reading, points, page.image.shape[:2], raw),
                  "cut_lines": readings.cut_lines(raw_reading)}
        if readings.raw_enough(raw_ev):
            result, prepared = raw_reading, raw
            reading = {"first": "as read", "chosen": "as read", "second": False, "raw_first": raw_ev,
                       "why": f"the page as it came reads with mean confidence {raw_ev['mean_conf']}, "
                              f"{raw_ev['ink_read']} of its letter marks, {raw_ev['cut_lines']} lines cut in two: not prepared"}
        else:
            result = engine.recognize(prepared, page.number)
            result, prepared, reading, _ = readings.choose(
                engine, page, prepared, result, first, profile.preprocess, detector, basis,
                known={"as read": (raw_reading, raw)}, others=readings.wants_check(result, prepared), marks=points)
            reading["raw_first"] = raw_ev
        t_pre, t_ocr = t1 - t0 - t_labels, time.perf_counter() - t1 + t_labels
    else:
        result = engine.recognize(prepared, page.number)
        t_pre, t_ocr = t1 - t0 - t_labels, time.perf_counter() - t1 + t_labels
        if readings.wants_check(result, prepared):
            result, prepared, reading, extra = readings.choose(engine, page, prepared, result, first,
                                                               profile.preprocess, detector, basis)
            t_ocr += extra
        else:
            reading = {"first": first, "chosen": first, "second": False, "why": "first reading good"}
        if raw_reading is not None:
            reading["raw_first"] = "a front page (its INID codes as it came): read prepared"
    # lines the engine ran across a gutter: read column by column (a front page's INID fields are
    # placed by the structure stage from the engine's own layout: left as read)
    columns = None if prints_bibliography(result) else readings.column_order(result)  # ids renumbered
    if columns is not None:
        result, reading["columns"] = columns
    reading["evidence"] = readings.evidence(result, _lexicon(profile))
    if prepared.image is not first_image and not t_labels:  # the figure regions of the preparation that was read
        kind, regions = analyse_figures(prepared.image, prepared.dpi)
    if t_labels:
        reading["why"] = f"classed a drawing sheet, but its labels are running text: read as text; {reading['why']}"
    result.kind, result.figures = kind, regions
    result.resolution = dict(prepared.resolution)
    result.reading = reading
    t5 = time.perf_counter()
    read_tables(engine, prepared, result)  # each table's cells read on their own crops (digitize/table_ocr.py)
    t_ocr += time.perf_counter() - t5
    return result, prepared, (t_pre, t_ocr)


# A page classed a drawing sheet whose labels read as this many confident words of 3+ letters is
# running text (receipts, typescripts with a stamp or logo; seen pages: 34-36) and is read as a
# page of text; a drawing sheet's labels are numerals and "FIG. n" (EP sheets: at most 3 such words).
SHEET_TEXT_WORDS = 20
SHEET_TEXT_CONF = 80.0


def _read_sparse(engine, page: PageImage, prepared: Prepared, marks, first: str,
                 t0: float) -> tuple[OcrPage, Prepared, tuple[float, float]] | None:
    """What is not a page of text is not read as one. A drawing sheet: the engine reads the sheet
    without its line art (``labels_only``: labels, numerals, "FIG. n"; the structure stage knows
    the sheet and its figures from the components already); no second reading. An empty page
    (fewer than ``EMPTY_MARKS`` ink components, none letter-sized: dust): no engine call, no words. A page classed a
    drawing that holds many word-like runs (a ruled table) is read as a page of text, and so is a
    sheet whose labels read as running text (``SHEET_TEXT_WORDS``: None is returned). The stored
    image is the whole page either way."""
    if marks.sheet:
        labels = replace(prepared, image=labels_only(prepared.image, prepared.dpi))
        t1 = time.perf_counter()
        result = engine.recognize(labels, page.number)
        why = "drawing sheet: its labels read without the line art"
        text_words = sum(1 for w in result.words()
                         if w.conf >= SHEET_TEXT_CONF and sum(c.isalpha() for c in w.text) >= 3)
        if text_words >= SHEET_TEXT_WORDS:
            return None
    else:
        t1 = time.perf_counter()
        h, w = prepared.image.shape[:2]
        result = OcrPage(number=page.number, width=w, height=h, dpi=int(prepared.dpi), rotation=prepared.rotation,
                         skew=round(prepared.skew, 3), engine=engine.name, ink_ratio=round(prepared.ink_ratio, 5))
        why = f"empty page ({marks.marks} ink marks): not read"
    result.kind, result.figures = marks.kind, marks.regions
    result.resolution = dict(prepared.resolution)
    result.reading = {"first": first, "chosen": first, "second": False, "why": why}
    return result, prepared, (t1 - t0, time.perf_counter() - t1)


def _raw_first(page: PageImage, profile: Profile, prepared: Prepared) -> Prepared | None:
    """The page as it came (``preprocess`` mode ``raw``) when it is to be read before the prepared
    page: the profile's ``[preprocess] raw_first`` is on, the page was not turned a quarter (its raw
    reading would be of a page on its side) and the engine would not be given the same pixels at
    the same resolution anyway."""
    from .. import preprocess as pre

    if not profile.preprocess.raw_first or prepared.rotation:
        return None
    raw = pre.preprocess(page, profile.preprocess, mode="raw")
    return None if readings.engine_input(raw) == readings.engine_input(prepared) else raw


def _lexicon(profile: Profile):
    """The profile's lexicon for the page record's evidence; None when none can be loaded."""
    try:
        from ..proofread import lexicon_for
        return lexicon_for(profile)
    except Exception:  # no lexicon configured or readable: the guard judges by confidence only
        return None
