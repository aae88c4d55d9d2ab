"""What a reviewer's hour buys: the correction queue measured against the truth (issue 29).

A batch with truth is run (``digitize run``), then a simulated reviewer answers every queue item
from the truth, in the order the queue serves them (``Queue.next_item``), ``digitize apply``
puts the decisions into the outputs, and the script reports per set:

* ``items/1k``: items a person had to answer per 1,000 words read (``auto-memory`` items, decided
  by the office memory, are not counted: nobody looked at them);
* ``precision``: items whose text as shown was really wrong (the truth differs) / items;
* ``recall``: words wrong as read (or made wrong by an automatic fix) that were queued, or that
  an automatic fix made right / all such words;
* ``wer before`` / ``wer after``: word error rate of the documents' text before review and after
  ``apply`` (``digitize.evaluate``, pages against their truth);
* ``fields wrong``: front-page fields not exactly the truth after review
  (``digitize.synth_frontpages.score``);
* ``minutes``: the simulated reviewer's time, at the costs below (a person's seconds per item type,
  stated here, not measured);
* after the bar, the same order-free: precision and recall over words the page prints nowhere
  (``order_free_right``: a right word the engine put in another place, a column read in another
  order, is no misreading), the order-independent word error (OWE) before and after review, and
  the errors each definition counts.

Sets (``--sets``):

* ``es-office``, ``es-poor``, ``en-office``, ``en-poor``: documents as an office prints them, made by
  the team's generators: a front page (``digitize.synth_frontpages.build``, MX for Spanish, PH for
  English, with its bibliographic truth) and two pages of prose typeset as ``bench/spanish.py``
  does (Spanish: Debian's Spanish manual pages, section 1, the ``tuning`` text of
  ``bench/spanish.py``; English: description paragraphs of the EP/US publications in
  ``../shared/data/patent-xml``), degraded ``office`` (G4 TIFF, 300 dpi) or ``poor`` (JPEG, 200 dpi)
  by ``digitize.synth.degrade``; one folder of pages per document (``--document-unit folder``);
* ``real-es``: real pages with truth of the ``tuning`` part of ``bench/real_sets.toml``
  (``fondue-es-print-19-a``: 19th-century Spanish print), one page per document; never the
  ``sealed`` parts.

Named batches (``--batch``): ``A`` is documents 1-8 of a set and ``B`` documents 9-16 (the two
batches of ``--two-batches --docs 8``: both developed on); ``held-out`` is documents 18-29 of
``es-office`` and ``en-office`` (front pages of other seeds, prose paragraphs 126-216 of each
language, which A and B never print), defined before the third stop's work and run once, at its
end, to report whether the figures developed on A and B hold. ``--first N`` starts any run at
document N.

``sealed`` (``--batch sealed``: 12 documents of ``es-office`` and ``en-office``) is made by other
code, names and text (``bench/qa_sealed.py``: ``bench/frontpage_sealed6.py`` MX/PH front pages, then
``bench/sealed_es5.py`` Spanish pages or English US description pages typeset with its machinery),
run once, by the lead, to report. ``sealed2`` (``--batch sealed2``: 12 documents of ``es-office``
and ``en-office``, made after ``sealed`` was seen) is ``bench/qa_sealed2.py``'s:
``bench/frontpage_sealed7.py`` MX/PH front pages, then ``bench/sealed_es6.py`` Spanish pages or
English US description pages (go-uspto test data) typeset with its machinery; run once, by the
lead, to report. ``sealed3`` (``--batch sealed3``: 12 documents of ``es-office`` and ``en-office``,
made after ``sealed2`` was seen) is ``bench/qa_sealed3.py``'s: ``bench/frontpage_sealed8.py`` MX/PH
front pages, then ``bench/sealed_es7.py`` Spanish pages or English EP description pages (go-epo-eps
test data) typeset with its Pango machinery; run once, by the lead, to report.
``sealed4`` (``--batch sealed4``: 12 documents of ``es-office`` and ``en-office``, made after ``sealed3``
was seen) is ``bench/qa_sealed4.py``'s: ``bench/frontpage_sealed9.py`` MX/PH front pages, then
``bench/sealed_es8.py`` Spanish pages or English US description pages (PatentsView-DB test fixtures)
typeset with its PostScript machinery; run once, by the lead, to report.
``--build-only DIR`` writes a batch's documents and truth to DIR/<set>/ without running digitize
(how a sealed batch is checked).

``--two-batches`` runs the office's memory figure: batch A and then batch B of the same office
(different documents: other front pages and other paragraphs) share one office memory store
(a fresh store, or ``--memory FILE``: the `digitize run --memory` of a batch); B's items per
1,000 words against A's, and B's word error and fields wrong after review against A's.

    python bench/qa_effort.py [--sets es-office,en-office] [--docs 4] [--first 1] [--batch A|B|held-out|sealed|sealed2|sealed3|sealed4]
                              [--two-batches] [--json F] [--build-only DIR]

OCR is cached: a set's job folder is kept under ``build/qa-effort/<set>/ocr`` (per document
content) and copied for each measurement, so queue and review changes are re-measured without
reading the pages again (``--fresh`` reads them again).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from digitize.evaluate import score as eval_score  # noqa: E402

# a person's seconds per decision (what an office's QA staff report for keyboard-first review:
# reading a word in its line and pressing Enter, typing a word, typing a field against the page)
SECONDS = {
    ("word", "accept"): 3.0, ("word", "correct"): 7.0, ("word", "not-text"): 3.0, ("word", "illegible"): 4.0,
    ("field", "accept"): 5.0, ("field", "correct"): 15.0, ("list", "accept"): 6.0, ("list", "correct"): 30.0,
    ("document", "not-publication"): 10.0,
}
SERIES_GLANCE = 1.0  # --series: a person's seconds per other reading of a series, checked in its line
REVIEWER = "sim-reviewer"
WORK = Path(os.environ.get("QA_EFFORT_WORK", ROOT / "build" / "qa-effort"))  # another checkout may share the OCR
TAG = os.environ.get("QA_EFFORT_TAG", "")  # its review folders apart
SHARED = Path(os.environ.get("DIGITIZE_SHARED_DATA", ROOT.parent / "shared" / "data"))
REAL = Path(os.environ.get("DIGITIZE_REAL_SETS", "/work/real-sets"))
WRAP, LINES_PER_PAGE = 72, 40
SHOW = False
SERIES = False  # --series: the reviewer settles a series at once when its every reading takes the same answer


# --------------------------------------------------------------------------- the sets


def english_paragraphs() -> list[str]:
    out = []
    for xml in sorted((SHARED / "patent-xml").glob("*.xml")):
        if xml.name.startswith("ES"):
            continue
        text = xml.read_text(encoding="utf-8", errors="replace")
        for p in re.findall(r"<p\b[^>]*>(.*?)</p>", text, re.S):
            p = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", p)).strip()
            if len(p) > 200 and not re.search(r"[<>=&]|\d{4,}", p):
                out.append(p)
    return out


def prose_pages(lang: str, start: int, n: int) -> list[tuple[list[str], str]]:
    """``n`` pages of prose from paragraph ``start`` on: (lines as typeset, their text)."""
    import textwrap

    if lang == "es":
        import common

        paras = common.man_paragraphs(("man1",))
    else:
        paras = english_paragraphs()
    pages, lines = [], []
    k = start % max(1, len(paras))
    while len(pages) < n:
        para = paras[k % len(paras)]
        k += 1
        block = textwrap.wrap(para, WRAP) + [""]
        if len(lines) + len(block) > LINES_PER_PAGE:
            if lines:
                pages.append((lines, " ".join(ln for ln in lines if ln)))
            lines = []
        lines += block
    return pages


@dataclass
class DocTruth:
    name: str
    pages: list[str]  # per page, the text as printed
    fields: dict = field(default_factory=dict)  # synth_frontpages truth of the front page


def build_set(lang: str, level: str, docs: int, first: int, folder: Path) -> list[DocTruth]:
    """Documents ``first`` … ``first + docs - 1`` of an office: folders of page images, truth."""
    from digitize import synth, synth_frontpages

    office = "MX" if lang == "es" else "PH"
    truths = []
    for d in range(first, first + docs):
        name = f"{office}{d:03d}"
        sample = synth_frontpages.build(9100 + d, office)
        images = [sample.image] + list(sample.body)
        texts = [" ".join(sample.text)]
        if sample.body:
            texts.append(synth_frontpages.DESCRIPTION_ES)
        for lines, text in prose_pages(lang, 7 * d, 2):
            images.append(synth.render_text_page(lines, font_pt=10.5))
            texts.append(text)
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        for k, img in enumerate(images, 1):
            deg, dpi = synth.degrade(img, level, 5000 + 31 * d + k)
            if level == "office":
                synth.write_tiff([deg], target / f"{k:04d}.tif", dpi)
            else:
                from PIL import Image

                Image.fromarray(deg).save(target / f"{k:04d}.jpg", quality=90, dpi=(dpi, dpi))
        truths.append(DocTruth(name, texts, sample.truth))
    return truths


def real_set(name: str, n: int, folder: Path) -> list[DocTruth]:
    """Real pages with truth of a ``tuning`` source: one folder (one page) per document."""
    import tomllib

    parts = {s["name"]: s["part"] for s in tomllib.loads((ROOT / "bench" / "real_sets.toml").read_text())["source"]}
    if parts.get(name) != "tuning":
        raise SystemExit(f"{name}: only tuning sources are measured here (bench/real_sets.toml)")
    src = REAL / name
    pairs = []
    for gt in sorted(src.glob("*.gt.txt")):
        stem = gt.name[: -len(".gt.txt")]
        img = next((p for p in src.glob(stem + ".*") if p.suffix.lower() in (".jpg", ".png", ".tif", ".jpeg")), None)
        if img:
            pairs.append((img, gt))
    truths = []
    for k, (img, gt) in enumerate(pairs[:n], 1):
        target = folder / f"R{k:03d}"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(img, target / f"0001{img.suffix.lower()}")
        truths.append(DocTruth(target.name, [gt.read_text(encoding="utf-8")]))
    return truths


# --------------------------------------------------------------------------- running


def run_job(inputs: Path, out: Path, profile: str, env: dict) -> None:
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "digitize", "run", str(inputs), "--profile", profile, "--out", str(out),
           "--workers", "1", "--document-unit", "folder", "--progress", "none", "--no-authority", "--no-report",
           "--formats", "st36"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"digitize run failed ({proc.returncode}): {proc.stderr[-2000:]}")


def ledger_docs(out: Path) -> dict[str, tuple[str, str]]:
    """input folder name → (doc_id, out_dir)."""
    con = sqlite3.connect(out / "ledger.sqlite")
    try:
        return {Path(r[0]).name: (r[1], r[2]) for r in
                con.execute("SELECT input, doc_id, out_dir FROM documents WHERE doc_id IS NOT NULL")}
    finally:
        con.close()


# --------------------------------------------------------------------------- truth of each word

_EDGE = re.compile(r"^\W+|\W+$")


def core(text: str) -> str:
    return _EDGE.sub("", unicodedata.normalize("NFC", text or ""))


def bare(text: str) -> str:
    """``core`` without case and marks: a field item may show a name with the accent the page
    lost (``SCHÄFER`` for the page's ``SCHAFER``), and the word is still before the reviewer."""
    return "".join(c for c in unicodedata.normalize("NFD", core(text)) if not unicodedata.combining(c)).casefold()


def align_page(words: list[tuple[str, str]], truth: str) -> dict[str, str | None]:
    """word id → the truth token the engine's word stands for (None: nothing printed there).
    Tokens are aligned in order (difflib on their letters, case-folded); words left over are
    matched to unused truth tokens of the same letters (a column read in another order)."""
    from digitize.evaluate import normalise

    ttoks = normalise(truth.translate(HYPHENS)).split()
    tkeys = [core(t).casefold() for t in ttoks]
    okeys = [core(t).casefold() for _, t in words]
    out: dict[str, str | None] = {wid: None for wid, _ in words}
    used = set()
    sm = difflib.SequenceMatcher(None, okeys, tkeys, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for a, b in zip(range(i1, i2), range(j1, j2)):
                out[words[a][0]] = ttoks[b]
                used.add(b)
        elif tag == "replace":  # uneven: pair by similarity, in order
            for a in range(i1, i2):
                best = max(range(j1, j2), key=lambda b: difflib.SequenceMatcher(None, okeys[a], tkeys[b]).ratio())
                if difflib.SequenceMatcher(None, okeys[a], tkeys[best]).ratio() >= 0.5 and best not in used:
                    out[words[a][0]] = ttoks[best]
                    used.add(best)
    free: dict[str, list[int]] = {}
    for b, k in enumerate(tkeys):
        if b not in used:
            free.setdefault(k, []).append(b)
    for a, (wid, _) in enumerate(words):
        if out[wid] is None and free.get(okeys[a]):
            b = free[okeys[a]].pop(0)
            out[wid] = ttoks[b]
            used.add(b)
    # last, a word still alone takes the most similar unused token (a misread word of a column read
    # in another order: ``HO4W`` is the ``H04W`` of the other column)
    left = [b for b in range(len(ttoks)) if b not in used]
    for a, (wid, _) in enumerate(words):
        if out[wid] is None and left and len(okeys[a]) >= 2:
            best = max(left, key=lambda b: difflib.SequenceMatcher(None, okeys[a], tkeys[b]).ratio())
            if difflib.SequenceMatcher(None, okeys[a], tkeys[best]).ratio() >= 0.6:
                out[wid] = ttoks[best]
                left.remove(best)
    return out


HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})  # the manual pages' own hyphen (``reatau‐ rando``) as the engine reads it


def page_units(words: list[tuple[str, str]], texts: dict[str, str] | None = None) -> list[tuple[tuple[str, ...], str]]:
    """The page's words as ``digitize.evaluate.normalise`` counts them, which the truth is
    aligned as: a word ending in a hyphen and the next beginning in lower case are one
    (``non-`` ``aqueous``: ``nonaqueous``, the line end the page broke the word at). Each unit:
    its word ids and its text (``texts``: the words' texts to join instead of the engine's,
    e.g. after the automatic fixes; an emptied word adds nothing)."""
    from digitize.evaluate import normalise

    units: list[tuple[list[str], list[str]]] = []
    for wid, text in words:
        text = text.translate(HYPHENS)
        prev = units[-1][1][-1] if units else ""
        if units and len(prev) > 1 and prev.endswith("-") and prev[-2].isalpha() and text[:1].islower():
            units[-1][0].append(wid)
            units[-1][1].append(text)
        else:
            units.append(([wid], [text]))
    return [(tuple(ids), normalise(" ".join(t for t in ((texts or {}).get(i, raw) for i, raw in zip(ids, raw_texts)) if t)))
            for ids, raw_texts in units]


def same(text: str, truth: str | None) -> bool:
    if truth is None:
        return not any(c.isalnum() for c in text)
    return core(text) == core(truth)


def order_free_right(texts: list[str], found: list[str | None], truth: str) -> list[bool]:
    """Per unit: its text is printed on the page, wherever the engine put it (the order-free
    definition of a right word). The words right in the alignment take their truth token first;
    a word left over is right when the page prints it (exactly, case and marks included) and no
    word already took that token: a column read in another order, a line read across the gutter
    word by word, is not a misreading (``digitize.evaluate``'s OWE counts the page the same way)."""
    from collections import Counter

    from digitize.evaluate import normalise

    bag = Counter(core(t) for t in normalise(truth.translate(HYPHENS)).split())
    right = [same(t, f) for t, f in zip(texts, found)]
    for k, t in enumerate(texts):
        if right[k] and found[k] is not None:
            bag[core(found[k])] -= 1
    for k, t in enumerate(texts):
        if not right[k] and bag[core(t)] > 0:
            bag[core(t)] -= 1
            right[k] = True
    return right


# --------------------------------------------------------------------------- measuring one batch


@dataclass
class Figures:
    name: str
    docs: int = 0
    words: int = 0
    items: int = 0  # answered by the simulated reviewer
    auto_memory: int = 0  # decided by the office memory
    useful: int = 0  # items whose shown text was wrong
    errors: int = 0  # words wrong as read or after the automatic fixes
    covered: int = 0  # of those: queued, or made right automatically
    # the same, order-free (``order_free_right``): a right word the engine put elsewhere is no error
    useful_of: int = 0
    errors_of: int = 0
    covered_of: int = 0
    wer_before: float = 0.0
    wer_after: float = 0.0
    owe_before: float = 0.0  # digitize.evaluate's order-independent word error
    owe_after: float = 0.0
    fields: int = 0
    fields_wrong_before: int = 0
    fields_wrong_after: int = 0
    seconds: float = 0.0
    unanswered: int = 0  # items the truth gave no acceptable value for (left open)
    decisions: dict = field(default_factory=dict)

    @property
    def per_1k(self) -> float:
        return 1000 * self.items / max(1, self.words)

    @property
    def precision(self) -> float:
        return self.useful / self.items if self.items else 1.0

    @property
    def recall(self) -> float:
        return self.covered / self.errors if self.errors else 1.0

    @property
    def precision_of(self) -> float:
        return self.useful_of / self.items if self.items else 1.0

    @property
    def recall_of(self) -> float:
        return self.covered_of / self.errors_of if self.errors_of else 1.0

    def row(self) -> str:
        return (f"{self.name:16} {self.docs:3} {self.words:6} {self.items:5} {self.per_1k:7.1f} {self.auto_memory:5}"
                f" {self.precision:6.1%} {self.recall:6.1%} {self.wer_before:6.2%} {self.wer_after:6.2%}"
                f" {self.fields_wrong_before:3}->{self.fields_wrong_after:<3}/{self.fields:<3} {self.seconds / 60:6.1f}"
                f" | {self.precision_of:6.1%} {self.recall_of:6.1%} {self.owe_before:6.2%} {self.owe_after:6.2%}"
                f" {self.errors:5} {self.errors_of:5}")

    def to_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items()}
        d.update(per_1k=round(self.per_1k, 2), precision=round(self.precision, 4), recall=round(self.recall, 4),
                 precision_of=round(self.precision_of, 4), recall_of=round(self.recall_of, 4))
        return d


# after the bar, the order-free definitions: precision and recall over words the page does not
# print anywhere (``order_free_right``), the order-independent word error; then the errors each counts
HEADER = ("set              docs  words items   /1k w  auto  prec.  recall  WER bef WER aft fields wrong  minutes"
          " |  prec.  recall  OWE bef OWE aft   err err-of")


def page_words(work_dir: Path) -> list[list[tuple[str, str]]]:
    from digitize.pipeline import load_pages

    return [[(w.id, w.text) for w in p.words() if w.text] for p in load_pages(work_dir)]


def auto_texts(work_dir: Path, profile_name: str) -> dict[str, str]:
    """word id → its text after the automatic fixes (what the run put in the outputs)."""
    from digitize.settings import profile as profiles
    from digitize.pipeline import load_pages
    from digitize.proofread import auto_correct

    kw = {}
    try:
        from digitize.store.memory import load_rules

        kw["memory"] = load_rules(work_dir.parent.parent)  # the rules the batch ran with
    except ImportError:  # the code before issue 29
        pass
    pages, _, _ = auto_correct(load_pages(work_dir), profiles.load(profile_name), in_place=True, **kw)
    return {w.id: w.text for p in pages for w in p.words()}


def doc_text_pages(work_dir: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((work_dir / "pages").glob("[0-9][0-9][0-9][0-9].txt"))]


def wer(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """Word error of (truth, text) pages, totals: in order, and order-independent (OWE); each page
    scored once for both."""
    edits = free = words = 0
    for truth, text in pairs:
        s = eval_score("p", truth, text)
        edits += s.word_edits
        free += s.owe_edits
        words += s.truth_words
    return edits / max(1, words), free / max(1, words)


def fields_wrong(work_dir: Path, doc_id: str, truth: dict) -> tuple[int, int]:
    from digitize.model import Document
    from digitize.synth_frontpages import score

    data = json.loads((work_dir / f"{doc_id}.json").read_text(encoding="utf-8"))
    doc = Document.from_dict(data)
    rows = score(doc, truth)
    return sum(not ok for _, ok, _ in rows), len(rows)


def field_right(work_dir: Path, doc_id: str, name: str, truth: dict) -> bool:
    """The field this item names reads as the truth already (the reviewer accepts)."""
    from digitize.model import Document
    from digitize.synth_frontpages import QUEUE_NAMES, expected_value, read_value

    key = next((k for k, names in QUEUE_NAMES.items() if name in names), None)
    if key is None or key not in truth:
        return False
    doc = Document.from_dict(json.loads((work_dir / f"{doc_id}.json").read_text(encoding="utf-8")))
    return read_value(doc.biblio, key) == expected_value(truth, key)


def truth_value(name: str, truth: dict) -> str | None:
    """A field item's value from the front page's truth, as a reviewer types it."""
    from digitize.synth_frontpages import QUEUE_NAMES

    for key, names in QUEUE_NAMES.items():
        if name in names and key in truth:
            v = truth[key]
            if key in ("applicants", "inventors", "agents", "assignees"):
                # one party a line, as the review page takes it: Name, Address (CC)
                return "\n".join(n + (f", {a}" if a else "") + (f" ({c})" if c else "") for n, a, c in v)
            if key == "ipc":
                return "\n".join(v)
            return str(v)
    return None


def review(out: Path, truths: dict[str, DocTruth], fig: Figures, profile_name: str,
           wrong_of: set[tuple[str, str]] | None = None) -> None:
    """Answer every open item from the truth, in the queue's own order (``wrong_of``: the words
    shown as no word their page prints, which an order-free useful item asks about)."""
    from digitize.jobfolder import JobFolder
    from digitize.store.queue import LeaseError
    from digitize.proofread.decisions import QueueError, ValueRefused

    job = JobFolder(out)
    queue = job.queue()
    by_doc = {d: name for name, (d, _) in ledger_docs(out).items()}
    dirs = {d: job.out_dir(o) for d, o in ledger_docs(out).values()}
    align: dict[str, dict[str, str | None]] = {}
    shown: dict[str, dict[str, str]] = {}

    def truth_of(doc_id: str) -> dict[str, str | None]:
        if doc_id not in align:
            t = truths[by_doc[doc_id]]
            shown[doc_id] = auto_texts(dirs[doc_id], profile_name)
            m: dict[str, str | None] = {}
            for k, words in enumerate(page_words(dirs[doc_id])):
                if k >= len(t.pages):
                    continue
                units = page_units(words)
                found = align_page([(ids[0], text) for ids, text in units], t.pages[k])
                shown_units = dict(page_units(words, shown[doc_id]))
                for ids, _ in units:
                    want = found[ids[0]]
                    if len(ids) > 1 and same(shown_units[ids], want):
                        m.update((i, shown[doc_id].get(i) or None) for i in ids)  # right as shown: accepted
                    else:  # the whole word on its first half, the rest deleted
                        m.update((i, want if i == ids[0] else None) for i in ids)
            align[doc_id] = m
        return align[doc_id]

    def page_tokens(doc_id: str, page: int) -> set[str]:
        pages = truths[by_doc[doc_id]].pages
        return {core(x) for x in pages[page - 1].split()} if 0 < page <= len(pages) else set()

    def word_answer(item) -> tuple[str, str | None, bool]:
        t = truth_of(item.doc_id)
        members = [item.word_id] + [m["word_id"] for m in queue.members(item.id)] if hasattr(queue, "members") \
            else [item.word_id]
        known = [w for w in (t.get(w) for w in members) if w is not None]
        if not known and core(item.text) and core(item.text) in page_tokens(item.doc_id, item.page):
            # the alignment (on the engine's reading, BOIL) found no token, but what the item shows
            # (the rules' B01L) is printed on its page: a reviewer accepts it, never deletes it
            action, value = "accept", None
        elif not known:
            action, value = "not-text", None
        else:
            # the shown word's own truth (a reviewer corrects what they see: ``NUNEZ;`` to
            # ``NÚÑEZ;``, the other readings adapted to their punctuation by the queue), else
            # the members' commonest, ties in reading order (never hash order: runs must agree)
            own = t.get(item.word_id)
            want = own if own is not None else max(dict.fromkeys(known), key=known.count)
            action, value = ("accept", None) if same(item.text, want) else ("correct", want)
        return action, value, any(not same(shown[item.doc_id].get(w, item.text), t.get(w)) for w in members)

    def useful_of(item) -> bool:
        if item.kind != "word":
            return True  # a field's value: no reading order in it (counted as ``useful``)
        members = [item.word_id] + [m["word_id"] for m in queue.members(item.id)] if hasattr(queue, "members") \
            else [item.word_id]
        return any((item.doc_id, w) in (wrong_of or set()) for w in members)

    def count(kind: str, action: str, useful: bool, item=None) -> None:
        fig.items += 1
        fig.useful += useful
        fig.useful_of += useful and (item is None or useful_of(item))
        fig.seconds += SECONDS[(kind, "correct" if action == "correct" else action)]
        fig.decisions[f"{kind}:{action}"] = fig.decisions.get(f"{kind}:{action}", 0) + 1

    rules_cache = {}
    skipped: set[int] = set()
    while True:
        item = queue.next_item(REVIEWER, lease_seconds=600)
        if item is None or item.id in skipped:
            break  # only items the reviewer could not answer are left
        rules = rules_cache.setdefault(item.doc_id, queue.rules_for(item.doc_id))
        series = False
        if item.kind == "word":
            action, value, useful = word_answer(item)
            kind = "word"
            if SERIES and item.series_size > 1:
                # the review page lists the series' other readings in their lines: one decision
                # when the truth gives each of them the same answer, else this reading alone
                others = [o for o in (queue.get(m["id"]) for m in queue.series_members(item.id) if m["id"] != item.id) if o]
                answers = [word_answer(o) for o in others]
                from digitize.proofread.series import adapt

                series = bool(others) and all(
                    a == action and (a != "correct" or adapt(value or "", item.text, o.text) == v)
                    for o, (a, v, _) in zip(others, answers))
                if series:
                    useful = useful or any(u for _, _, u in answers)
                    fig.seconds += SERIES_GLANCE * len(others)
        elif not truths[by_doc[item.doc_id]].fields and hasattr(queue, "not_a_publication"):
            # a page of text with no front page: the reviewer reads its words, then says once
            # that the document is no publication (its empty mandatory fields are not invented)
            for w in queue.items(item.doc_id):
                if w.kind == "word":
                    a, v, u = word_answer(w)
                    try:
                        queue.decide(w.id, REVIEWER, a, v, rules=rules, take=True)
                        count("word", a, u, w)
                    except (ValueRefused, LeaseError, QueueError):
                        pass
            queue.not_a_publication(item.doc_id, REVIEWER, "a page of text, no front page")
            fig.items += 1
            fig.seconds += SECONDS[("document", "not-publication")]
            fig.decisions["document:not-publication"] = fig.decisions.get("document:not-publication", 0) + 1
            continue
        else:
            ftruth = truths[by_doc[item.doc_id]].fields
            want = truth_value(item.field_name or "", ftruth)
            kind = "list" if ":" in (item.field_name or "") else "field"
            if field_right(dirs[item.doc_id], item.doc_id, item.field_name or "", ftruth):
                action, value, useful = "accept", None, False
            elif want is None or want == item.text:
                action, value, useful = "accept", None, False
            else:
                action, value, useful = "correct", want, True
        try:
            queue.decide(item.id, REVIEWER, action, value, series=series, rules=rules)
        except (ValueRefused, LeaseError, QueueError):
            # the truth as typed does not fit the item: left open (never a wrong value accepted,
            # which the office memory would learn); the time is spent all the same
            queue.skip(item.id, REVIEWER)
            skipped.add(item.id)
            fig.unanswered += 1
            fig.items += 1
            fig.seconds += SECONDS[(kind, "correct")]
            if SHOW:
                print(f"  unanswered {item.doc_id} {item.field_name} {item.text!r} truth {value!r}")
            continue
        count(kind, action, useful, item)
        if SHOW:
            print(f"  item {item.doc_id} {item.kind} {item.field_name or item.word_id} {item.text!r} c={item.confidence:.0f} -> {action}"
                  f" {value!r} useful={useful} sugg={item.suggestions[:3]}")
    queue.close()


def measure(name: str, out: Path, truths: list[DocTruth], profile_name: str) -> Figures:
    """Everything of one batch already run in ``out``: review, apply, figures."""
    from digitize.apply import apply_job
    from digitize.jobfolder import JobFolder

    fig = Figures(name)
    by_name = {t.name: t for t in truths}
    docs = ledger_docs(out)
    job = JobFolder(out)
    queue = job.queue()
    queued: dict[str, set[str]] = {}
    in_fields: dict[str, set[str]] = {}  # the letters of the doc's queued fields: a word there is before the reviewer
    for it in queue.items(state=None):
        if it.kind == "field":
            in_fields.setdefault(it.doc_id, set()).update(bare(t) for t in it.text.split())
        if it.kind == "word":
            ids = {it.word_id} | ({m["word_id"] for m in queue.members(it.id)} if hasattr(queue, "members") else set())
            queued.setdefault(it.doc_id, set()).update(ids)
    queue.close()
    before, after = [], []
    wrong_of: set[tuple[str, str]] = set()  # (doc, word id) shown as no word the page prints
    for nm, (doc_id, out_dir) in docs.items():
        t = by_name[nm]
        work_dir = job.out_dir(out_dir)
        fig.docs += 1
        texts = auto_texts(work_dir, profile_name)
        from digitize.pipeline import load_pages

        doc_json = json.loads((work_dir / f"{doc_id}.json").read_text(encoding="utf-8"))
        fig.auto_memory += sum(c.get("rule") == "auto-memory" for c in doc_json.get("corrections") or [])

        confs = {w.id: w.conf for p in load_pages(work_dir) for w in p.words()}
        for k, words in enumerate(page_words(work_dir)):
            if k >= len(t.pages):
                continue
            fig.words += len(words)
            units = page_units(words)
            shown_units = dict(page_units(words, texts))
            found = align_page([(ids[0], text) for ids, text in units], t.pages[k])
            aligned = [found[ids[0]] for ids, _ in units]
            raw_of = order_free_right([raw for _, raw in units], aligned, t.pages[k])
            shown_of = order_free_right([shown_units[ids] for ids, _ in units], aligned, t.pages[k])
            for n, (ids, raw) in enumerate(units):
                wid, truth, shown = ids[0], found[ids[0]], shown_units[ids]
                if not shown_of[n]:
                    wrong_of.update((doc_id, i) for i in ids)
                queued_here = any(i in queued.get(doc_id, set()) for i in ids)
                in_field = bare(shown) in in_fields.get(doc_id, set()) and wid.startswith("p0001_")
                if not (raw_of[n] and shown_of[n]):
                    fig.errors_of += 1
                    fig.covered_of += queued_here or shown_of[n] or in_field
                if same(raw, truth) and same(shown, truth):
                    continue
                fig.errors += 1
                hit = queued_here or same(shown, truth) or in_field
                fig.covered += hit
                if SHOW and not hit:
                    # ``(order)``: the page prints the word elsewhere: no misreading (order-free right)
                    print(f"  missed {doc_id} {wid}: read {raw!r} shown {shown!r} truth {truth!r} c={confs.get(wid, 0):.0f}"
                          + ("" if not (raw_of[n] and shown_of[n]) else " (order)"))
        before += list(zip(t.pages, doc_text_pages(work_dir)))
        if t.fields:
            w, n = fields_wrong(work_dir, doc_id, t.fields)
            fig.fields_wrong_before += w
            fig.fields += n
    fig.wer_before, fig.owe_before = wer(before)
    review(out, by_name, fig, profile_name, wrong_of)
    for r in apply_job(out):
        if r.error:
            print(f"  apply {r.doc_id}: {r.error}", file=sys.stderr)
    for nm, (doc_id, out_dir) in docs.items():
        t = by_name[nm]
        work_dir = job.out_dir(out_dir)
        after += list(zip(t.pages, doc_text_pages(work_dir)))
        if t.fields:
            fig.fields_wrong_after += fields_wrong(work_dir, doc_id, t.fields)[0]
            if SHOW:
                from digitize.model import Document
                from digitize.synth_frontpages import wrong

                doc = Document.from_dict(json.loads((work_dir / f"{doc_id}.json").read_text(encoding="utf-8")))
                for name, got, want, _ in wrong(doc, t.fields):
                    print(f"  wrong after review {doc_id} {name}: {got!r} for {want!r}")
    fig.wer_after, fig.owe_after = wer(after)
    return fig


# named batches: (first document, documents, sets); held-out is run only to report
BATCHES = {"A": (1, 8, None), "B": (9, 8, None), "held-out": (18, 12, "es-office,en-office")}
BATCHES["sealed"] = (1, 12, "es-office,en-office")  # bench/qa_sealed.py's documents: run only to report
SEALED = False  # --batch sealed: the documents are bench/qa_sealed.py's
BATCHES["sealed2"] = (1, 12, "es-office,en-office")  # bench/qa_sealed2.py's documents: run only to report
SEALED2 = False  # --batch sealed2: the documents are bench/qa_sealed2.py's (its own OCR cache folder)
BATCHES["sealed3"] = (1, 12, "es-office,en-office")  # bench/qa_sealed3.py's documents: run only to report
SEALED3 = False  # --batch sealed3: the documents are bench/qa_sealed3.py's (its own OCR cache folder)
BATCHES["sealed4"] = (1, 12, "es-office,en-office")  # bench/qa_sealed4.py's documents: run only to report
SEALED4 = False  # --batch sealed4: the documents are bench/qa_sealed4.py's (its own OCR cache folder)

SETS = {"es-office": ("es", "office", "mx"), "es-poor": ("es", "poor", "mx"), "en-office": ("en", "office", "ph"),
        "en-poor": ("en", "poor", "ph"), "real-es": ("es", "real", "es")}


OVERRIDES: dict[str, str] = {}  # profile name → a profile file extending it with --queue settings


def override_profile(name: str, settings: list[str]) -> str:
    """A profile file extending ``name`` with ``[queue]`` settings (``KEY=VALUE``, VALUE as TOML)."""
    lines = [f'extends = "{name}"', f'name = "{name}"', "[queue]"]
    for kv in settings:
        key, _, value = kv.partition("=")
        lines.append(f"{key.strip()} = {value.strip()}")
    text = "\n".join(lines) + "\n"
    path = WORK / "profiles" / f"{name}-{zlib.crc32(text.encode()):08x}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def prepare(set_name: str, docs: int, first: int, fresh: bool, env: dict) -> tuple[Path, list[DocTruth], str]:
    """The set's documents and an OCR'd job folder of them (cached; OCR with the set's own
    profile, the queue measured with ``--queue`` settings when given)."""
    lang, level, profile = SETS[set_name]
    base = WORK / f"{set_name}{'-sealed' if SEALED else ''}-{first}-{docs}"
    if SEALED2:
        base = WORK / f"{set_name}-sealed2-{first}-{docs}"
    if SEALED3:
        base = WORK / f"{set_name}-sealed3-{first}-{docs}"
    if SEALED4:
        base = WORK / f"{set_name}-sealed4-{first}-{docs}"
    inputs, ocr = base / "inputs", base / "ocr"
    truth_file = base / "truth.json"
    if fresh or not truth_file.is_file() or not (ocr / "ledger.sqlite").is_file():
        if inputs.exists():
            shutil.rmtree(inputs)
        inputs.mkdir(parents=True)
        if level == "real":
            truths = real_set("fondue-es-print-19-a", docs, inputs)
        elif SEALED4:
            import qa_sealed4

            truths = [DocTruth(**d) for d in qa_sealed4.build(lang, docs, first, inputs)]
        elif SEALED3:
            import qa_sealed3

            truths = [DocTruth(**d) for d in qa_sealed3.build(lang, docs, first, inputs)]
        elif SEALED2:
            import qa_sealed2

            truths = [DocTruth(**d) for d in qa_sealed2.build(lang, docs, first, inputs)]
        elif SEALED:
            import qa_sealed

            truths = [DocTruth(**d) for d in qa_sealed.build(lang, docs, first, inputs)]
        else:
            truths = build_set(lang, level, docs, first, inputs)
        run_job(inputs, ocr, profile, env)
        truth_file.write_text(json.dumps([t.__dict__ for t in truths], ensure_ascii=False))
    truths = [DocTruth(**d) for d in json.loads(truth_file.read_text(encoding="utf-8"))]
    if SEALED3:
        truths = with_abstracts(truths, "MX" if lang == "es" else "PH")
    return ocr, truths, OVERRIDES.get(profile, profile)


def with_abstracts(truths: list[DocTruth], office: str) -> list[DocTruth]:
    """sealed3's front pages with their abstract in the page's truth: ``frontpage_sealed8`` prints
    the abstract but keeps its lines out of ``Sample.text`` (``record=False``: its print check looks
    at the fields), so ``qa_sealed3``'s page truth stopped at ``(57) Abstract`` and every abstract
    word counted as a word printed nowhere (en: 589 of 801 misses). The text is the page's own
    (``content``'s tail, the same seeds); added once, to a truth that does not end with it."""
    import frontpage_sealed8 as s8
    import qa_sealed3

    order = qa_sealed3.front_order(office)
    for t in truths:
        d = int(re.sub(r"\D", "", t.name[-2:]))
        abstract = s8._doc(office, order[d - 1])[1]["tail"]["text"].replace("\u00a0", " ")
        if t.pages and not t.pages[0].endswith(abstract):
            t.pages[0] = f"{t.pages[0]} {abstract}"
    return truths


def replay(ocr: Path, out: Path, profile: str, memory: Path | None = None) -> None:
    """A fresh job folder from the cached OCR: the pages kept, the document half run again as
    the batch runs it (``finish_document`` with the office memory's rules, then ``enqueue``), so
    queue and review changes are measured without reading the pages again."""
    from digitize.settings import profile as profiles
    from digitize.jobfolder import JobFolder
    from digitize.pipeline import finish_document

    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ocr, out)
    con = sqlite3.connect(out / "ledger.sqlite")
    try:
        for t in [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name LIKE 'queue%'")]:
            con.execute(f"DROP TABLE {t}")
        con.commit()
    finally:
        con.close()
    (out / "memory.json").unlink(missing_ok=True)
    prof = profiles.load(profile)
    kw = {}
    try:
        from digitize.batch.run import office_memory
        from digitize.settings.job import JobSettings

        kw["memory"] = office_memory(JobSettings(out=out, profile=profile, memory=memory), prof, out)
    except ImportError:  # the code before issue 29: no office memory
        pass
    job = JobFolder(out)
    queue = job.queue()
    for name, (doc_id, out_dir) in ledger_docs(out).items():
        r = finish_document(job.out_dir(out_dir), prof, source=name, doc_id=doc_id, force_doc_id=True,
                            formats=("st36",), **kw)
        if r.candidates:
            queue.enqueue(doc_id, r.candidates)
    queue.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="es-office,en-office,es-poor,en-poor,real-es")
    ap.add_argument("--docs", type=int, default=4, help="documents per set (default 4: 16 pages)")
    ap.add_argument("--first", type=int, default=1, help="the first document of each set (default 1)")
    ap.add_argument("--batch", choices=sorted(BATCHES), help="a named batch: its first document, documents"
                    " and sets (held-out: run only to report)")
    ap.add_argument("--two-batches", action="store_true", help="also batch A then B of one office with memory")
    ap.add_argument("--office-set", default="es-office")
    ap.add_argument("--docs-a", type=int, default=0, help="documents of batch A (default: --docs)")
    ap.add_argument("--memory", type=Path, help="office memory store for --two-batches (default: a fresh one)")
    ap.add_argument("--fresh", action="store_true", help="read the pages again (no OCR cache)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--show", action="store_true", help="every item and every missed error")
    ap.add_argument("--series", action="store_true", help="the reviewer settles a series (the same reading and"
                    " suggestion across the batch's documents) with one decision when every reading takes the same"
                    " answer (as the review page offers), at SERIES_GLANCE seconds per other reading")
    ap.add_argument("--queue", action="append", default=[], metavar="KEY=VALUE",
                    help="a [queue] setting for this measurement (repeatable: --queue confirm_below=0"
                         " --queue accent_margin=0): the office's curve of items against recall")
    ap.add_argument("--build-only", type=Path, metavar="DIR", help="write the documents and truth to DIR/<set>/"
                    " and stop: digitize is not run (how a sealed batch is checked)")
    args = ap.parse_args(argv)
    if args.batch:
        args.first, args.docs, sets = BATCHES[args.batch]
        args.sets = sets or args.sets
    global SEALED
    SEALED = args.batch == "sealed"
    global SEALED2
    SEALED2 = args.batch == "sealed2"
    global SEALED3
    SEALED3 = args.batch == "sealed3"
    global SEALED4
    SEALED4 = args.batch == "sealed4"
    if args.build_only:
        for s in [x for x in args.sets.split(",") if x]:
            lang, level, _ = SETS[s]
            folder = args.build_only / s
            if SEALED4:
                import qa_sealed4

                truths = [DocTruth(**d) for d in qa_sealed4.build(lang, args.docs, args.first, folder)]
            elif SEALED3:
                import qa_sealed3

                truths = [DocTruth(**d) for d in qa_sealed3.build(lang, args.docs, args.first, folder)]
            elif SEALED2:
                import qa_sealed2

                truths = [DocTruth(**d) for d in qa_sealed2.build(lang, args.docs, args.first, folder)]
            elif SEALED:
                import qa_sealed

                truths = [DocTruth(**d) for d in qa_sealed.build(lang, args.docs, args.first, folder)]
            else:
                truths = (real_set("fondue-es-print-19-a", args.docs, folder) if level == "real"
                          else build_set(lang, level, args.docs, args.first, folder))
            (folder / "truth.json").write_text(json.dumps([t.__dict__ for t in truths], ensure_ascii=False))
            print(f"{s}: {len(truths)} documents, {sum(len(t.pages) for t in truths)} pages in {folder}", flush=True)
        return 0
    if args.queue:
        for name in {v[2] for v in SETS.values()}:
            OVERRIDES[name] = override_profile(name, args.queue)
    global SHOW, SERIES
    SHOW = args.show
    SERIES = args.series
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=str(ROOT))
    env.pop("DIGITIZE_MEMORY", None)
    record = {}
    print(HEADER)
    for s in [x for x in args.sets.split(",") if x]:
        ocr, truths, profile = prepare(s, args.docs, args.first, args.fresh, env)
        out = ocr.parent / f"review{TAG}"
        replay(ocr, out, profile)
        fig = measure(s, out, truths, profile)
        print(fig.row(), flush=True)
        record[s] = fig.to_dict()
    if args.two_batches:
        memory = args.memory or (WORK / "office-memory.sqlite")
        if not args.memory and memory.exists():
            memory.unlink()
        figs = []
        for label, first, n in (("A", 1, args.docs_a or args.docs), ("B", 1 + (args.docs_a or args.docs), args.docs)):
            ocr, truths, profile = prepare(args.office_set, n, first, args.fresh, env)
            out = ocr.parent / f"review-memory{TAG}"
            replay(ocr, out, profile, memory)
            fig = measure(f"{args.office_set}:{label}", out, truths, profile)
            # the decisions go into the office memory when applied (apply_job did it)
            print(fig.row(), flush=True)
            figs.append(fig)
            record[f"two-batches:{label}"] = fig.to_dict()
        a, b = figs
        # the control: batch B without the office memory (what B's own documents ask)
        ocr, truths, profile = prepare(args.office_set, args.docs, 1 + (args.docs_a or args.docs), args.fresh, env)
        out = ocr.parent / f"review-nomemory{TAG}"
        replay(ocr, out, profile)
        control = measure(f"{args.office_set}:B-none", out, truths, profile)
        print(control.row(), flush=True)
        record["two-batches:B-without-memory"] = control.to_dict()
        ratio = b.per_1k / a.per_1k if a.per_1k else 0.0
        ok = ratio <= 0.5 and b.wer_after <= a.wer_after + 1e-9 and \
            b.fields_wrong_after / max(1, b.fields) <= a.fields_wrong_after / max(1, a.fields) + 1e-9
        print(f"two batches: B needs {ratio:.0%} of A's items per 1,000 words; WER after {a.wer_after:.2%} -> "
              f"{b.wer_after:.2%}; fields wrong after {a.fields_wrong_after}/{a.fields} -> "
              f"{b.fields_wrong_after}/{b.fields}: {'PASS' if ok else 'FAIL'}; without the memory B needs "
              f"{control.per_1k / a.per_1k if a.per_1k else 0:.0%}")
        record["two-batches"] = {"ratio": round(ratio, 3), "pass": ok}
    if args.json:
        args.json.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
