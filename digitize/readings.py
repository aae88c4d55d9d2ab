"""Which reading of a page is kept: the page as it came first, then the harm guard; and the kept
reading's column order (``column_order``, at the end).

With the profile's ``[preprocess] raw_first`` on, a page is read first as it came (``preprocess``
mode ``raw``: the pixels the raw ``tesseract`` CLI reads, told the header's resolution) when the
engine would be given anything else after preparation. That reading is kept, and the prepared
page is not read at all, when it is confident (mean word confidence ``RAW_KEEP_CONF``), its words
hold nearly all of the page's letter marks (``RAW_KEEP_INK``, ``ink_read`` below: a raw engine
that drops lines of a noisy page reads the rest confidently, so confidence alone does not do) and
it does not cut its printed lines in two (``cut_lines``). Such a page reads as the raw engine reads
it (the same engine, in process). Otherwise the page is read prepared as well, and the guard below
weighs that reading against the raw one (already read whole, not read again; judged on the
band from its own words first, as the other candidates are) and, when it is below ``GUARD_CONF``,
against the others. The shipped profiles leave it off: on seen parts it makes fewer pages worse
than the raw engine but some parts worse overall and costs engine readings; a front page is read
prepared even with it on (``pipeline/recognise.py``); measurements in bench/README.md. The reading
order of any kept reading, raw or prepared, is mended by ``column_order``.

The prepared reading: the page prepared the way its kind calls for (``preprocess`` mode ``auto``).
When that reading's mean word confidence is low, the page may read better another way: the other
chain (``plain`` ↔ ``full``), the pixels as they came (``as read``: what the raw ``tesseract`` CLI
sees), unturned when OSD turned it, or told the file header's dpi. Each of those is tried on a
**band** of the first reading's text lines (a third of them, from the middle of the page) and read
whole only when the band reads clearly more confidently; of the whole readings the one with the
highest mean confidence is kept, whole (words, boxes and the stored image of one preparation). A
candidate the engine would be given exactly as an earlier one (the same pixels, told the same
resolution: ``engine_input``) is not read again. Mean confidence is what predicts the better
reading best (measured: bench/README.md); the band keeps the price of asking low. A confidence
cannot see text that is missing, so each whole reading is also measured against the page's own
letter marks (``ink_read``, below): one that holds clearly less of them than the kept reading
(``INK_LOST``) has lost text and is not kept, however confident. The page JSON's ``reading``
records what was tried, the figures, and why the kept reading was kept.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

from .model import OcrPage, PageImage, Prepared

if TYPE_CHECKING:
    import numpy as np

GUARD_CONF = 92.0  # a first reading of lower mean word confidence is checked against the others
GUARD_MARGIN = 1.0  # ... and another reading must beat it by this many points of confidence
GUARD_KEEP_CHARS = 0.8  # ... without losing more than a fifth of the characters read
GUARD_MIN_INK = 0.002  # pages with less ink are empty: nothing to read twice
# A reading that holds clearly less of the page's letter marks than the kept one has lost text
# (a line wiped by a threshold, a column taken for a picture) whatever its confidence: it is not kept.
INK_LOST = 0.1
# ... and one that holds clearly more of them (INK_LOST) at a confidence at most INK_CONF_SLACK
# lower is kept: the more confident reading had left text out. A first reading that holds less than
# INK_LOW of the marks is checked whole, not on a band: the band is cut from the first reading's
# own lines, so the text it left out is in no band.
INK_CONF_SLACK = 5.0
INK_LOW = 0.5
BAND_SHARE = 0.3  # the band: this share of the first reading's lines (at least BAND_MIN_LINES)
BAND_MIN_LINES = 4
BAND_WHOLE_BELOW = 8  # a page of fewer lines is read whole at once
# A page read plain whose file header gave a software default (a PNG's 96 dpi) is recognised at
# the resolution its ink shows; on tables and charts Tesseract's layout analysis (column and table
# finding work in inches) sometimes does better told the header's figure, as the raw CLI is
# (ocr-benchmark table_10), and sometimes far worse (chart_02): the header's dpi is one more
# candidate when the two differ by HEADER_FACTOR.
HEADER_FACTOR = 1.5
# ``[preprocess] raw_first``: the page as it came is read first (what the raw ``tesseract`` CLI
# reads, in process) and kept as it is, unprepared, when that reading is confident (RAW_KEEP_CONF)
# and holds nearly all of the page's letter marks (RAW_KEEP_INK): the prepared page is then not
# read at all. Otherwise the prepared page is read too and the guard weighs the two (and, below
# GUARD_CONF, the others).
RAW_KEEP_CONF = 92.0
RAW_KEEP_INK = 0.95
# ... and when it does not cut its own lines: a thin vertical streak (a scanner's) read as a gutter
# cuts every word it crosses into two "columns" (``obtenibles a part`` | ``ir de dicho``), the two
# pieces of a printed line set as two lines side by side with less than a gutter between them
# (CUT_GAP word spaces). RAW_CUT_LINES such pairs make the raw reading not enough.
RAW_CUT_LINES = 3
CUT_GAP = 1.5


@dataclass
class Candidate:
    """Another way to read the page: its label for the page record, and its preparation."""

    label: str
    prepare: Callable[[], Prepared]
    same_geometry: bool = True  # its image maps onto the first's by scaling alone (no quarter turn)


def mean_conf(words) -> float:
    return round(sum(w.conf for w in words) / len(words), 1) if words else 0.0


def chars(words) -> int:
    return sum(len(w.text) for w in words)


def figures(words) -> dict:
    """What the guard compares: mean confidence and characters read."""
    return {"mean_conf": mean_conf(words), "chars": chars(words)}


def evidence(page: OcrPage, lexicon=None) -> dict:
    """What a reading says about itself: words, characters, mean confidence, the share of letter
    words (3+ letters) the lexicon knows, and ``good_chars``, the characters of words read with
    confidence >= 60 that are known words or numbers (for the page record)."""
    from .proofread.rules import split_token

    words = page.words()
    letters = known = good = 0
    for w in words:
        core = split_token(w.text)[1]
        if not core:
            continue
        ok = lexicon.known(core) if lexicon is not None and core.isalpha() else core.isalpha() or core.isdigit()
        if core.isalpha() and len(core) >= 3:
            letters += 1
            known += ok
        if w.conf >= 60 and (ok or any(c.isdigit() for c in core)):
            good += len(core)
    return {"words": len(words), **figures(words),
            "known_share": round(known / letters, 3) if letters else 0.0, "good_chars": good}


def wants_check(first: OcrPage, prepared: Prepared) -> bool:
    """A first reading worth checking: an inked page read with low confidence, or not at all."""
    if prepared.ink_ratio < GUARD_MIN_INK:
        return False
    words = first.words()
    return not words or mean_conf(words) < GUARD_CONF


def raw_enough(ev: dict) -> bool:
    """The page as it came read well enough to keep: confident, holding its letter marks, its
    printed lines not cut in two."""
    return (ev["mean_conf"] >= RAW_KEEP_CONF and ev["ink_read"] >= RAW_KEEP_INK
            and ev.get("cut_lines", 0) < RAW_CUT_LINES)


def cut_lines(reading: OcrPage) -> int:
    """Pairs of the reading's lines that stand side by side on one row (overlapping by half their
    height) with less than ``CUT_GAP`` of the page's median word space between them: a printed
    line read as two, cut where no gutter is."""
    import statistics

    lines = [ln for ln in reading.lines() if ln.words]
    spaces = []
    for ln in lines:
        ws = sorted(ln.words, key=lambda w: w.bbox[0])
        spaces += [b.bbox[0] - a.bbox[2] for a, b in zip(ws, ws[1:])]
    if not spaces:
        return 0
    limit = CUT_GAP * statistics.median(spaces)
    lines.sort(key=lambda ln: ln.bbox[1])
    n = 0
    for i, a in enumerate(lines):
        for b in lines[i + 1:]:
            if b.bbox[1] >= a.bbox[3]:
                break  # sorted by top: no later line reaches a's row
            ov = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
            if ov < 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1]):
                continue
            left, right = (a, b) if a.bbox[0] <= b.bbox[0] else (b, a)
            if -2 <= right.bbox[0] - left.bbox[2] <= limit:
                n += 1
    return n


def candidates(page: PageImage, prepared: Prepared, first: str, settings, detector, basis=None) -> list[Candidate]:
    """The other ways to read this page (``basis``: the page's ``preprocess.page_basis``, when the
    caller has it: not measured again for each)."""
    from . import preprocess as pre

    upright = prepared.rotation % 180 == 0  # else a candidate's image is not the first's, scaled
    out = []
    other = "full" if first == "plain" else "plain"
    out.append(Candidate(other, lambda: pre.preprocess(page, settings, detect_orientation=detector, mode=other,
                                                       basis=basis), same_geometry=upright))
    if prepared.rotation:
        # OSD turned the page (digits-only tables fool it): the same chain, as the page came
        out.append(Candidate(f"{first}, not turned",
                             lambda: pre.preprocess(page, settings, detect_orientation=None, mode=first, basis=basis),
                             same_geometry=upright))
    if not (first == "plain" and prepared.steps == ["plain"]):  # else it is the page as read already
        out.append(Candidate("as read", lambda: pre.preprocess(page, settings, mode="raw"),
                             same_geometry=upright))
    header = page.header_dpi or 0.0
    told = prepared.engine_dpi or prepared.dpi
    if first == "plain" and not page.dpi_known and header >= 70 and \
            not any(s.startswith("rescale") for s in prepared.steps) and \
            not 1 / HEADER_FACTOR < header / told < HEADER_FACTOR:
        out.append(Candidate(f"{first}, told the header's {int(round(header))} dpi",
                             lambda: replace(prepared, engine_dpi=int(round(header)))))
    return out


def band(first: OcrPage) -> tuple[int, int] | None:
    """Rows (top, bottom) of the first reading's image holding a third of its text lines from
    the middle of the page, cut half-way between lines; None when the page is read whole."""
    lines = sorted((ln for ln in first.lines() if ln.words), key=lambda ln: (ln.bbox[1] + ln.bbox[3]) / 2)
    n = len(lines)
    if n < BAND_WHOLE_BELOW:
        return None
    k = max(BAND_MIN_LINES, math.ceil(BAND_SHARE * n))
    s = (n - k) // 2
    top = lines[s].bbox[1] if s == 0 else (lines[s - 1].bbox[3] + lines[s].bbox[1]) // 2
    e = s + k - 1
    bottom = lines[e].bbox[3] if e == n - 1 else (lines[e].bbox[3] + lines[e + 1].bbox[1]) // 2
    if bottom - top >= 0.8 * first.height:
        return None
    return max(0, top), min(first.height, max(bottom, top + 1))


def _inside(words, top: float, bottom: float):
    return [w for w in words if top <= (w.bbox[1] + w.bbox[3]) / 2 < bottom]


def band_reading(engine, prepared2: Prepared, first: OcrPage, rows: tuple[int, int], number: int) -> dict:
    """The candidate read on the band alone (its rows scaled to the candidate's image), and the
    first reading's words in the same band: the two mean confidences and character counts."""
    h2 = prepared2.image.shape[0]
    ratio = h2 / max(1, first.height)
    top, bottom = rows[0] * ratio, rows[1] * ratio
    line = max(1, (bottom - top) / 8)
    y0, y1 = max(0, int(top - line)), min(h2, int(math.ceil(bottom + line)))
    crop = replace(prepared2, image=prepared2.image[y0:y1])
    got = engine.recognize(crop, number).words()
    theirs = figures(_inside(got, top - y0, bottom - y0))
    ours = figures(_inside(first.words(), rows[0], rows[1]))
    return {"rows": [y0, y1], **theirs, "first_mean_conf": ours["mean_conf"], "first_chars": ours["chars"]}


def known_band(whole: OcrPage, prepared2: Prepared, first: OcrPage, rows: tuple[int, int]) -> dict:
    """``band_reading``'s figures for a candidate read whole already: its own words in the band's
    rows (scaled to its image), beside the first reading's words there."""
    ratio = prepared2.image.shape[0] / max(1, first.height)
    theirs = figures(_inside(whole.words(), rows[0] * ratio, rows[1] * ratio))
    ours = figures(_inside(first.words(), rows[0], rows[1]))
    return {"rows": [int(rows[0] * ratio), int(rows[1] * ratio)], **theirs, "first_mean_conf": ours["mean_conf"],
            "first_chars": ours["chars"], "from_whole": True}


def measured(reading: OcrPage, marks, shape: tuple[int, int], prepared: Prepared) -> dict:
    """A whole reading's figures (``figures``) and the share of the page's letter marks its words
    hold (``ink_read``; ``marks``: ``text_marks`` of the page image of ``shape``, ``prepared``: the
    preparation the reading was made of)."""
    return {**figures(reading.words()), "ink_read": ink_read(reading, marks_in_frame(marks, shape, prepared))}


def engine_input(prepared: Prepared) -> tuple:
    """What the engine reads: the pixels (a digest) and the resolution it is told. Two
    preparations alike (the plain chain of a page that needed no turn, straightening or scaling
    is the page as read) read alike."""
    import hashlib

    image = prepared.image
    return image.shape, prepared.engine_dpi or prepared.dpi, hashlib.blake2b(image.tobytes(), digest_size=16).digest()


def beats(mine: dict, theirs_conf: float, theirs_chars: int) -> bool:
    """Clearly more confident, without losing much of the text."""
    return theirs_conf > mine["mean_conf"] + GUARD_MARGIN and theirs_chars >= GUARD_KEEP_CHARS * mine["chars"]


def choose(engine, page: PageImage, prepared: Prepared, first_reading: OcrPage, first: str,
           settings, detector, basis=None, known: dict | None = None, others: bool = True,
           marks=None) -> tuple[OcrPage, Prepared, dict, float]:
    """The harm guard: returns the reading kept, its preparation, the ``reading`` record and the
    seconds spent on the extra readings (preparation and engine). ``known``: label -> (reading,
    its preparation) of candidates read whole already (the page as it came, read first): judged
    as whole readings, not read again. ``others``: False when only the known readings are to be
    weighed against the first (no other candidate is prepared or read). ``marks``: the page's
    ``text_marks`` when the caller has them."""
    t0 = time.perf_counter()
    marks = text_marks(page.image) if marks is None else marks
    shape = page.image.shape[:2]
    known = known or {}
    mine = measured(first_reading, marks, shape, prepared)
    record = {"first": first, "chosen": first, "second": True, "checked": [], "first_ink_read": mine["ink_read"],
              "text_marks": int(len(marks))}
    best, best_prep, best_ev, best_label = first_reading, prepared, mine, first
    rows = band(first_reading) if mine["ink_read"] >= INK_LOW else None
    tried = {engine_input(prepared): first}  # what the engine was given, and which reading that was
    todo = [Candidate(label, lambda p=p: p) for label, (_, p) in known.items()]
    if others:
        todo += [c for c in candidates(page, prepared, first, settings, detector, basis) if c.label not in known]
    for cand in todo:
        prep2 = cand.prepare()
        seen = {"label": cand.label}
        key = engine_input(prep2)
        if key in tried:  # the engine would read it exactly as that one: nothing to learn
            seen["same_as"] = tried[key]
            record["checked"].append(seen)
            continue
        tried[key] = cand.label
        if cand.label in known:
            seen["read_first"] = True  # read whole before the page was prepared: no band read
            if rows is not None and cand.same_geometry:
                # ... but judged on the band first like the others, from its own words there (no
                # engine call): a reading more confident over the whole page but not on the band
                # is not kept (a page read as it came chosen at 82 against 80 read 0.37 against 0.25)
                b = known_band(known[cand.label][0], prep2, first_reading, rows)
                seen["band"] = b
                if not beats({"mean_conf": b["first_mean_conf"], "chars": b["first_chars"]}, b["mean_conf"], b["chars"]):
                    record["checked"].append(seen)
                    continue
        elif rows is not None and cand.same_geometry:
            b = band_reading(engine, prep2, first_reading, rows, page.number)
            seen["band"] = b
            if not beats({"mean_conf": b["first_mean_conf"], "chars": b["first_chars"]}, b["mean_conf"], b["chars"]):
                record["checked"].append(seen)
                continue
        whole = known[cand.label][0] if cand.label in known else engine.recognize(prep2, page.number)
        ev = measured(whole, marks, shape, prep2)
        seen["whole"] = ev
        record["checked"].append(seen)
        if beats(best_ev, ev["mean_conf"], ev["chars"]):
            if ev["ink_read"] < best_ev["ink_read"] - INK_LOST:
                seen["lost_text"] = True  # more confident, but on less of the page's text
                continue
            best, best_prep, best_ev, best_label = whole, prep2, ev, cand.label
        elif ev["ink_read"] >= best_ev["ink_read"] + INK_LOST and ev["mean_conf"] >= best_ev["mean_conf"] - INK_CONF_SLACK:
            seen["more_text"] = True  # the kept reading had left text out
            best, best_prep, best_ev, best_label = whole, prep2, ev, cand.label
    record["chosen"] = best_label
    lost = [c["label"] for c in record["checked"] if c.get("lost_text")]
    if lost:
        record["lost_text"] = lost
    if best_label != first and any(c.get("more_text") and c["label"] == best_label for c in record["checked"]):
        record["why"] = (f"{best_label} holds more of the page's text ({best_ev['ink_read']} of its letter marks "
                         f"against {mine['ink_read']}) at mean confidence {best_ev['mean_conf']} against {mine['mean_conf']}")
    elif best_label != first:
        record["why"] = (f"{best_label} reads with mean confidence {best_ev['mean_conf']} against "
                         f"{mine['mean_conf']} ({best_ev['chars']} characters against {mine['chars']})")
    else:
        record["why"] = f"{first} reading kept (mean confidence {mine['mean_conf']}): no other reads clearly better"
    return best, best_prep, record, time.perf_counter() - t0


# --------------------------------------------------------------------------- text ink read
# A confidence cannot see text that is missing: a preparation that wiped a faint line, or an
# engine that took a column for a picture, reads the rest as confidently as before. The page's
# own letters can: letter-sized marks of the page as it came (a local threshold, as the x-height
# estimate counts them), and the share of them a reading's word boxes hold.


def text_marks(image) -> "np.ndarray":
    """Centres (x, y) of the letter-like marks of a page as it came (float32, N x 2), the marks the
    x-height estimate counts (``preprocess.scale.letter_marks``)."""
    import numpy as np

    from .preprocess.scale import letter_marks

    return letter_marks(image)[2].astype(np.float32)


def marks_in_frame(marks, source_shape: tuple[int, int], prepared: Prepared) -> "np.ndarray":
    """The marks' centres in the coordinates of ``prepared.image`` (the reading's word boxes): the
    page scaled, turned a quarter as OSD turned it, and deskewed as preprocessing did."""
    import numpy as np

    from .preprocess.geometry import rotation_matrix

    h0, w0 = source_shape
    hp, wp = prepared.image.shape[:2]
    turn = prepared.rotation % 360
    pts = marks.astype(np.float64)
    x, y = pts[:, 0], pts[:, 1]
    if turn == 90:
        x, y, w0, h0 = h0 - 1 - y, x, h0, w0
    elif turn == 180:
        x, y = w0 - 1 - x, h0 - 1 - y
    elif turn == 270:
        x, y, w0, h0 = y, w0 - 1 - x, h0, w0
    x, y = x * (wp / max(1, w0)), y * (hp / max(1, h0))
    if prepared.skew:
        m = rotation_matrix((hp, wp), prepared.skew)
        x, y = m[0, 0] * x + m[0, 1] * y + m[0, 2], m[1, 0] * x + m[1, 1] * y + m[1, 2]
    return np.stack([x, y], axis=1)


def ink_read(reading: OcrPage, points) -> float:
    """The share of the page's letter marks (in the reading's frame) inside one of its word boxes,
    each box grown by a fifth of its height (a box fits the letters tightly)."""
    import numpy as np

    if len(points) == 0:
        return 1.0
    words = reading.words()
    if not words:
        return 0.0
    boxes = np.array([w.bbox for w in words], dtype=np.float64)
    pad = (boxes[:, 3] - boxes[:, 1]) * 0.2
    x0, y0, x1, y1 = boxes[:, 0] - pad, boxes[:, 1] - pad, boxes[:, 2] + pad, boxes[:, 3] + pad
    # marks sorted by y; each box counts the marks in its rows (boxes are few hundred, marks thousands)
    order = np.argsort(points[:, 1])
    px, py = points[order, 0], points[order, 1]
    hit = np.zeros(len(px), dtype=bool)
    lo, hi = np.searchsorted(py, y0), np.searchsorted(py, y1)
    for a, b, l, r in zip(lo, hi, x0, x1):
        if b > a:
            seg = px[a:b]
            hit[a:b] |= (seg >= l) & (seg <= r)
    return round(float(hit.mean()), 4)


# --------------------------------------------------------------------------- column order
# Tesseract's page layout analysis does not always find the gutter of a two-column page: a page
# read as it came, or prepared, sometimes comes back with lines that run across both columns
# ("estos datos. La invención es ... | 1. Tensor de correa ..."), and its text then reads the
# columns interleaved line by line, which no order-free measure sees. The reading's own word boxes
# show the gutter: a vertical strip near the middle of the text that (nearly) no line's words cover.
# Where the engine ran lines across it, each such line is cut at the gutter and the page is read
# column by column inside each stretch between full-width lines (titles, headers); no engine call.
COLUMN_ZONE = (0.3, 0.7)  # the gutter's centre lies in this share of the text's width
COLUMN_GAP = 1.0  # ... is at least this many median word heights wide
COLUMN_COVERED = 0.15  # ... and at most this share of the lines have a word across it
COLUMN_SLACK = 0.05  # ... the strip: where at most this share of the lines more than the least cover it
COLUMN_MIN_LINES = 4  # a stretch is two columns when each side holds this many line pieces
COLUMN_MIN_WORDS = 3  # ... of this many words each (median): prose, not a table's cells
COLUMN_MERGED = 2  # the page is re-ordered only when this many lines of such stretches ran across the gutter
COLUMN_MIN_WORDS_PAGE = 40


def _numeral(text: str) -> bool:
    """A margin line number or a page number: digits only, at most three."""
    t = text.strip(".,:;")
    return t.isdigit() and len(t) <= 3


def _spans(text: str) -> bool:
    """A word that can run across a gutter (a title's, a header's): two letters or digits, not a
    margin numeral; a dash or a speck read in the gutter cannot."""
    return sum(c.isalnum() for c in text) >= 2 and not _numeral(text)


def _runs(words, height: float) -> list[tuple[float, float, list]]:
    """A line's runs of words, left to right, as (left, right, words): words less than
    ``COLUMN_GAP`` word heights apart run on, beside a numeral less than half that (the word
    spacing of a header's ``EP 3 441 143 A1``, not a margin numeral's gutter)."""
    out: list[tuple[float, float, list]] = []
    for w in sorted(words, key=lambda w: w.bbox[0]):
        if out:
            a, b, run = out[-1]
            limit = COLUMN_GAP * height * (1.0 if _spans(w.text) and _spans(run[-1].text) else 0.5)
            if w.bbox[0] - b < limit:
                out[-1] = (a, max(b, w.bbox[2]), run + [w])
                continue
        out.append((w.bbox[0], w.bbox[2], [w]))
    return out


def gutter(page: OcrPage) -> tuple[float, float] | None:
    """The x-range (left, right) of the page's column gutter as its reading's word boxes show it,
    None when the reading shows none (``COLUMN_ZONE``, ``COLUMN_GAP``, ``COLUMN_COVERED``). Margin
    numerals (``5``, ``10`` printed in the gutter) do not count as covering it."""
    found = _gutter(page)
    return None if found is None else found[:2]


def _gutter(page: OcrPage) -> tuple[float, float, float] | None:
    """``gutter``'s x-range and the median height of the words it was found from."""
    import statistics

    import numpy as np

    lines = [[w for w in ln.words if _spans(w.text)] for ln in page.lines()]
    lines = [ws for ws in lines if ws]
    words = [w for ws in lines for w in ws]
    if len(words) < COLUMN_MIN_WORDS_PAGE or len(lines) < 2 * COLUMN_MIN_LINES:
        return None
    x0, x1 = min(w.bbox[0] for w in words), max(w.bbox[2] for w in words)
    if x1 - x0 < 10:
        return None
    height = statistics.median(w.bbox[3] - w.bbox[1] for w in words)
    cov = np.zeros(x1 - x0 + 1, dtype=np.int32)
    for ws in lines:  # lines, not words: a line covers an x once, and the spaces between its words
        mask = np.zeros(x1 - x0 + 1, dtype=bool)  # narrower than a gutter can be
        for a, b, _ in _runs(ws, height):
            mask[max(0, a - x0):max(0, b - x0) + 1] = True
        cov += mask
    lo, hi = int(COLUMN_ZONE[0] * (x1 - x0)), int(COLUMN_ZONE[1] * (x1 - x0))
    zone = cov[lo:hi + 1]
    if zone.min() > COLUMN_COVERED * len(lines):
        return None
    # the widest run at about the least cover (a title across the gutter, a word's box a little wide)
    m = min(COLUMN_COVERED * len(lines), zone.min() + max(1.0, COLUMN_SLACK * len(lines)))
    best, start = None, None
    for i, c in enumerate(list(zone) + [m + 1]):
        if c <= m and start is None:
            start = i
        elif c > m and start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    a, b = best
    # the run may reach beyond the zone: the gutter is the whole strip of that cover
    while lo + a > 0 and cov[lo + a - 1] <= m:
        a -= 1
    while lo + b < len(cov) and cov[lo + b] <= m:
        b += 1
    if b - a < COLUMN_GAP * height:
        return None
    return float(x0 + lo + a), float(x0 + lo + b), float(height)


def _across(words, gx: float, height: float) -> bool:
    """Whether a line runs across the gutter's centre ``gx``: one of its runs of words
    (``_runs``) covers ``gx`` and holds a word of two letters or digits. A centred heading whose
    space falls on ``gx`` runs across."""
    return any(a < gx < b and any(_spans(w.text) for w in run) for a, b, run in _runs(words, height))


def column_order(page: OcrPage) -> tuple[OcrPage, dict] | None:
    """The reading re-ordered column by column when the engine ran its lines across a gutter the
    word boxes show (``gutter``), with what was done; None when there is nothing to re-order.

    The page is cut into stretches by its full-width lines (a word across the gutter: titles,
    headers); in a stretch whose two sides each hold ``COLUMN_MIN_LINES`` line pieces of prose, the
    left pieces are read top to bottom, then the right ones, then what was read inside the gutter
    (margin numerals, specks: one block). Other stretches keep the engine's order. A line's pieces keep
    their words and boxes; a block of the engine's stays one block on each side, so its paragraph
    breaks stay; the words are numbered again in the new order (nothing is stored yet)."""
    import statistics

    from .model import Block, Line
    from .structure.layout import union

    g = _gutter(page)
    if g is None:
        return None
    g0, g1, height = g
    gx = (g0 + g1) / 2
    # every line: its block, its words by side
    items = []  # (block index, line index, line, left, right, numerals, full)
    for bi, block in enumerate(page.blocks):
        for li, ln in enumerate(block.lines):
            ws = list(ln.words)
            if not ws:
                continue
            full = _across(ws, gx, height)
            nums = [w for w in ws if g0 <= (w.bbox[0] + w.bbox[2]) / 2 <= g1 and not _spans(w.text)]
            rest = [w for w in ws if w not in nums]
            left = [w for w in rest if (w.bbox[0] + w.bbox[2]) / 2 < gx]
            right = [w for w in rest if (w.bbox[0] + w.bbox[2]) / 2 >= gx]
            items.append((bi, li, ln, left, right, nums, full))
    fulls = sorted((it for it in items if it[6]), key=lambda it: it[2].bbox[1])
    # stretches: the rows between full-width lines
    cuts = [(it[2].bbox[1] + it[2].bbox[3]) / 2 for it in fulls]

    def stretch(it) -> int:
        y = (it[2].bbox[1] + it[2].bbox[3]) / 2
        return sum(1 for c in cuts if c < y) * 2  # even: between full lines; odd: a full line itself

    groups: dict[int, list] = {}
    for it in items:
        groups.setdefault(stretch(it) + (1 if it[6] else 0), []).append(it)
    out: list[tuple[tuple, list]] = []  # (key for grouping into blocks, words)
    merged = 0
    columns = 0
    for key in sorted(groups):
        its = sorted(groups[key], key=lambda it: (it[0], it[1]))  # the engine's order
        lefts = [it for it in its if not it[6] and it[3]]
        rights = [it for it in its if not it[6] and it[4]]
        two = (not key % 2 and len(lefts) >= COLUMN_MIN_LINES and len(rights) >= COLUMN_MIN_LINES
               and statistics.median(len(it[3]) for it in lefts) >= COLUMN_MIN_WORDS
               and statistics.median(len(it[4]) for it in rights) >= COLUMN_MIN_WORDS)
        if not two:
            out += [((it[0], "whole"), it[2].words) for it in its]
            continue
        columns += 1
        merged += sum(1 for it in its if it[3] and it[4])
        top = lambda ws: min(w.bbox[1] for w in ws)  # noqa: E731
        out += [((it[0], "left"), it[3]) for it in sorted(lefts, key=lambda it: top(it[3]))]
        out += [((it[0], "right"), it[4]) for it in sorted(rights, key=lambda it: top(it[4]))]
        nums = sorted((w for it in its for w in it[5]), key=lambda w: w.bbox[1])
        out += [((-1, "gutter"), [w]) for w in nums]
        out += [((it[0], "whole"), it[2].words) for it in its if not it[3] and not it[4] and not it[5]]
    if merged < COLUMN_MERGED:
        return None
    blocks: list[Block] = []
    last = None
    for key, ws in out:
        line = Line(bbox=union([w.bbox for w in ws]), words=list(ws))
        if key == last and blocks:
            blocks[-1].lines.append(line)
            blocks[-1].bbox = union([blocks[-1].bbox, line.bbox])
        else:
            blocks.append(Block(bbox=line.bbox, lines=[line]))
        last = key
    n = 0
    for b in blocks:
        for ln in b.lines:
            for w in ln.words:
                n += 1
                w.id = f"p{page.number:04d}_w{n:05d}"
    return replace(page, blocks=blocks), {"gutter": [int(g0), int(g1)], "stretches": columns, "lines_cut": merged}
