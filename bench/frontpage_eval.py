"""Front-page fields on the tuning set and on the sealed set, per office and level.

    python bench/frontpage_eval.py tuning        # digitize/synth_frontpages.py (developed against)
    python bench/frontpage_eval.py sealed1       # bench/frontpage_sealed.py: reported once, now seen (tuned on)
    python bench/frontpage_eval.py sealed2       # bench/frontpage_sealed2.py (HTML/Chromium): reported once, now seen
    python bench/frontpage_eval.py sealed3       # bench/frontpage_sealed3.py (own PIL builder, G4/JPEG scans): reported once, now seen
    python bench/frontpage_eval.py sealed4       # bench/frontpage_sealed4.py (fpdf2 PDF + pdftoppm, own scans): reported at stop 33, now seen
    python bench/frontpage_eval.py sealed5       # bench/frontpage_sealed5.py (own PostScript + Ghostscript, own scans): reported at stop 34, now seen
    python bench/frontpage_eval.py sealed6       # bench/frontpage_sealed6.py (Java 2D typesetting, own scans): reported at stop 35, now seen
    python bench/frontpage_eval.py sealed7       # bench/frontpage_sealed7.py (groff/tbl typesetting, Ghostscript, own scans): reported at stop 36, now seen
    python bench/frontpage_eval.py sealed8       # bench/frontpage_sealed8.py (own SVG layout, rsvg-convert, own scans): reported at stop 37, now seen
    python bench/frontpage_eval.py sealed9       # bench/frontpage_sealed9.py (LibreOffice Writer documents, soffice + pdftoppm, own scans; only run to report)
    python bench/frontpage_eval.py tuning --show # also every wrong field (every seen set; not sealed9)
    python bench/frontpage_eval.py sealed3 --ask-margin 0.4  # the name-accent question's knob (structure.ASK_MARGIN)
    python bench/frontpage_eval.py sealed2 --ocr-only  # fill the OCR cache, print nothing about fields
    python bench/frontpage_eval.py sealed4 --show --only S4-EP-05,S4-AR-02  # those documents only
    python bench/frontpage_eval.py sealed5 --show --only S5-PH-02  # the same on sealed5
    python bench/frontpage_eval.py sealed6 --show --only S6-EP-03  # and on sealed6 (rendered together)
    python bench/frontpage_eval.py sealed7 --show --only S7-EP-03,S7-MX-10  # and on sealed7
    python bench/frontpage_eval.py sealed8 --show --only S8-PH-02,S8-EP-11  # and on sealed8

``sealed`` is the old name of ``sealed1``. ``sealed2`` leaves out the documents the tests keep
(``frontpage_sealed2.REGRESSION``: no longer sealed); ``--regression`` scores those alone.

Each page is degraded ``office`` (300 dpi G4-like) and ``poor`` (200 dpi, JPEG) with
``digitize.synth.degrade`` (sealed2: its own degradation, ``sample.degraded``), read by the real engine (OCR cached in build/frontpage-ocr/ by name,
level and image hash, so a structure change re-scores in seconds), proofread, structured. A field
counts as queued when it is flagged or a queue item names it (``synth_frontpages.QUEUE_NAMES``).
"""
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PIL import Image

from digitize.settings import profile as profiles
from digitize.model import OcrPage, PageImage  # noqa: E402
from digitize.synth import degrade  # noqa: E402
from digitize.synth_frontpages import score, table, tuning_set, wrong  # noqa: E402

CACHE = Path("build/frontpage-ocr")
LEVELS = ("office", "poor")


def ocr_cached(image, level: int | str, seed: int, profile, number: int, degraded=None):
    """The page's OCR result and the stored image the engine read (``pages/NNNN.tif`` of a run:
    what the structure step re-reads field lines from), cached by the degraded image's hash."""
    from digitize.pipeline import ocr_page
    from digitize.preprocess import bilevel

    d, dpi = degraded if degraded is not None else degrade(image, level, seed)
    key = hashlib.sha1(d.tobytes()).hexdigest()[:16] + f"-{profile.name}-{number}"
    path, stored = CACHE / f"{key}.json", CACHE / f"{key}.png"
    if path.is_file() and stored.is_file():
        return OcrPage.from_dict(json.loads(path.read_text())), stored
    page, prepared = ocr_page(PageImage(number=number, image=d, dpi=dpi), profile)
    CACHE.mkdir(parents=True, exist_ok=True)
    Image.fromarray(bilevel(prepared.image, prepared.ink_level)).save(stored)
    path.write_text(json.dumps(page.to_dict()))
    return page, stored


def read_sample(sample, level: str, seed: int = 4242):
    from digitize.pipeline import document_with_pages
    from digitize.proofread import auto_correct

    prof = profiles.load(sample.office.lower())
    own = getattr(sample, "degraded", None)
    read = [ocr_cached(img, level, seed + n, prof, n, own[level] if own and n == 1 else None)
            for n, img in enumerate([sample.image] + list(sample.body), 1)]
    pages, images = [p for p, _ in read], {p.number: f for p, f in read}
    pages, _, _ = auto_correct(pages, prof)
    return document_with_pages(pages, prof, source=sample.name, doc_id=sample.name, images=images.get)


REREAD = {"calls": 0, "seconds": 0.0, "pages": set()}  # the field lines' second reading, engine time (uncached)


def cached_reader(profile, image_of):
    """``pipeline.reread.field_reader`` with its readings cached beside the OCR (by the stored
    image's name, the box and the model), so that a structure change re-scores in seconds; the
    engine time of the readings not cached is counted (``REREAD``)."""
    import time

    from digitize.model import Word
    from digitize.pipeline import reread

    read = reread.field_reader(profile, image_of)

    def cached(page, bbox):
        key = hashlib.sha1(f"{Path(image_of(page.number)).name}|{tuple(bbox)}|{reread.LANGUAGES}|{reread.PAD}"
                           .encode()).hexdigest()[:20]
        path = CACHE / "reread" / f"{key}.json"
        if path.is_file():
            return [Word.from_dict(w) for w in json.loads(path.read_text())]
        t = time.perf_counter()
        words = read(page, bbox)
        REREAD["seconds"] += time.perf_counter() - t
        REREAD["calls"] += 1
        REREAD["pages"].add(Path(image_of(page.number)).name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([w.to_dict() for w in words]))
        return words

    return cached


QUEUED: dict[str, list[int]] = {}  # level -> field items queued per document (the reviewer's cost)


def evaluate(samples, show: bool = False):
    results = {}
    for s in samples:
        for level in LEVELS:
            doc = read_sample(s, level)
            results.setdefault((s.office, level), []).extend(score(doc, s.truth))
            QUEUED.setdefault(level, []).append(len({c.field_name for c in doc.candidates if c.kind == "field"}))
            if show:
                for name, got, want, q in wrong(doc, s.truth):
                    print(f"{s.name} {level} {name} queued={q}\n   read {got!r}\n   want {want!r}")
    return results


if __name__ == "__main__":
    import digitize.pipeline.document as _document
    _document.field_reader = cached_reader  # the second readings cached like the OCR
    which = sys.argv[1] if len(sys.argv) > 1 else "tuning"
    show = "--show" in sys.argv
    if "--ask-margin" in sys.argv:  # the knob of the name-accent question (structure.ASK_MARGIN): the curve
        import digitize.structure as _structure
        _structure.ASK_MARGIN = float(sys.argv[sys.argv.index("--ask-margin") + 1])
    if which in ("sealed", "sealed1"):
        from frontpage_sealed import sealed_set
        which, samples = "sealed1", sealed_set()
    elif which == "sealed2":
        from frontpage_sealed2 import REGRESSION, sealed2_set
        samples = sealed2_set()  # reported at the second stop: seen since, developed on
        if "--regression" in sys.argv:
            which, samples = "sealed2 regression sample", [s for s in samples if s.name in REGRESSION]
        else:
            samples = [s for s in samples if s.name not in REGRESSION]
    elif which == "sealed3":
        from frontpage_sealed3 import sealed3_set
        samples = sealed3_set()  # reported at the third stop: seen since, developed on
    elif which in ("sealed4", "sealed5", "sealed6", "sealed7", "sealed8"):  # the sets with a regression sample kept apart
        import importlib

        module = importlib.import_module(f"frontpage_{which}")
        if "--regression" in sys.argv:
            which, samples = f"{which} regression sample", module.regression_set()
        elif "--only" in sys.argv:  # built one by one (building the whole set takes minutes)
            names = sys.argv[sys.argv.index("--only") + 1].split(",")
            if which == "sealed6":  # its pages are typeset by one Java run for all the pages asked
                samples = module.build_all([(n.split("-")[1], int(n.split("-")[2])) for n in names])
            else:
                samples = [module.build(n.split("-")[1], int(n.split("-")[2])) for n in names]
        else:
            samples = getattr(module, f"{which}_set")()  # sealed4-8: reported at stops 33-37, seen since
    elif which == "sealed9":  # only run to report: aggregate lines only (--regression: its 6 kept apart)
        import frontpage_sealed9

        if "--regression" in sys.argv:
            which, samples = "sealed9 regression sample", frontpage_sealed9.regression_set()
        else:
            samples = frontpage_sealed9.sealed9_set()
        show = False
    else:
        samples = tuning_set()
    if "--only" in sys.argv:  # a few documents while developing: --only S4-EP-05,S4-AR-02
        names = sys.argv[sys.argv.index("--only") + 1].split(",")
        samples = [s for s in samples if s.name in names]
    if "--ocr-only" in sys.argv:
        for s in samples:
            for level in LEVELS:
                read_sample(s, level)
        print(f"OCR cached for {len(samples)} documents")
        sys.exit(0)
    res = evaluate(samples, show)
    print(f"\n{which} set: {len(samples)} documents x {len(LEVELS)} levels")
    print("\n".join(table(res)))
    allr = [r for rows in res.values() for r in rows]
    off = [r for (o, lv), rows in res.items() if lv == "office" for r in rows]
    print(f"office quality: {sum(r[1] for r in off) / len(off):.1%} exact; wrong and not queued, all levels: "
          f"{sum(1 for r in allr if not r[1] and not r[2])}")
    print("field items queued per document: " + ", ".join(
        f"{lv} {sum(q) / len(q):.2f}" for lv, q in QUEUED.items() if q))
    if REREAD["calls"]:
        print(f"field lines read again (not cached): {REREAD['calls']} engine calls on {len(REREAD['pages'])} front "
              f"pages, {REREAD['seconds']:.1f} s ({REREAD['seconds'] / len(REREAD['pages']):.2f} s a front page)")
