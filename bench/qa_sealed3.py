"""The THIRD sealed batch of ``bench/qa_effort.py`` (issue 29): ``--batch sealed3``, run only to report.

Built after batches A, B, held-out, ``sealed`` and ``sealed2`` were seen, by someone who never ran
digitize on it. It imports none of their builders (``qa_sealed.py``, ``qa_sealed2.py``) and prints
none of their text, names or numbers:

* ``es-office``: 12 documents ``V8MX01`` … ``V8MX12``. Page 1: an MX front page of
  ``bench/frontpage_sealed8.py`` (SVG rasterised by ``rsvg-convert``; its office-level scan; its
  field truth mapped to what ``digitize.synth_frontpages.score`` reads, every value printed on the
  page), never one of its REGRESSION documents. Pages 2-3: two Spanish prose pages of
  ``bench/sealed_es7.py`` (Pango typesetting, its own office scanner, its Spanish patent prose in
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es7_*.txt``): pages 25-48 of its stream composed
  48 pages long (its own part, ``spanish.py --part sealed7 --pages 24``, composes and reads 24), two a
  document in order, each scanned by ``sealed_es7.scan_office`` with the seed its ``pages()`` gives
  that page; truth: the page's text as printed (``sealed_es7``'s own truth of the page). Its stream
  is short and comes back page after page, so these pages reprint paragraphs of its own part in
  other layouts and line breaks.
* ``en-office``: 12 documents ``V8PH01`` … ``V8PH12``. Page 1: a PH front page of
  ``frontpage_sealed8`` (as above). Pages 2-3: two consecutive pages of the ENGLISH description of
  one of six EP publications in the test data of github.com/max-planck-innovation-competition/go-epo-eps
  (``SOURCES``; Apache-2.0 repository; the EPO's publication data) — none of them in ``../shared``,
  in A/B/held-out, ``sealed``, ``sealed2`` or the table sets' lists — typeset with ``sealed_es7``'s
  Pango typesetting (``sealed_es7.compose_page``: every block laid out by ``pango-view``, placed in
  columns, cut between its lines at a column's foot) in four layouts of this module (``EN_LAYOUTS``:
  two justified Linux Libertine columns on A4, one justified Charis SIL column on A4, two justified
  Open Sans columns on Letter, one ragged Linux Biolinum column on Letter), the office's own
  ``[0001]`` paragraph numbers in bold, its headings in bold, a running head (the publication
  number, ``Page n of m``, ``Sheet n`` …) over a rule and a page number at the foot, no hyphenation
  (Pango breaks at spaces and after a word's own hyphen); page 2 goes on where page 1 stopped, inside
  a paragraph from the next word; scanned by ``sealed_es7.scan_office`` (this module's seeds).
  Truth: the lines Pango set, as ``compose_page`` returns them. The text is not committed: it lives in ``$DIGITIZE_REAL_SETS/qa-sealed3/`` (``--text``
  makes ``qa_sealed3_en.json`` and ``SOURCES.json`` from the bare mirror at ``COMMIT``); without it
  the batch stops with one line.

Deterministic from ``SEED`` (and the generators' own seeds and fonts). One folder of pages per
document (G4 TIFF, 300 dpi), as the other batches.

    python bench/qa_sealed3.py --text                          # the English text from the mirror
    python bench/qa_effort.py --batch sealed3 --build-only DIR  # the documents, as qa_effort builds them
    python bench/qa_sealed3.py --check-built DIR               # raw tesseract CLI on them (never digitize)
    python bench/qa_sealed3.py --out DIR [--check]             # the same build, from this module

``--check-built`` runs only the raw ``tesseract`` CLI: each prose page's order-free word error
against its truth (``-l spa`` / ``-l eng``), and for each front page the share of its field truth's
words the CLI read. NEVER run digitize on these documents except the one reporting run of the lead.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SEED = 3_0829_1155
REAL = Path(os.environ.get("DIGITIZE_REAL_SETS", "/work/real-sets"))
STORE = REAL / "qa-sealed3"
EN_JSON = STORE / "qa_sealed3_en.json"
MIRROR = Path(os.environ.get("QA_SEALED3_MIRROR", "/work/.mirror/max-planck-innovation-competition+go-epo-eps/repo"))
REPO = "max-planck-innovation-competition/go-epo-eps"
COMMIT = "717241d51951996aeab58cc105fb0104329915f1"
LICENCE = "Apache-2.0 (repository); EPO publication data (European patent full text, freely reusable)"
DATA = "pkg/eps/test-data/"
# publication as printed -> its path in the repository
SOURCES = {
    "EP 3 889 521 A1": DATA + "application/v1-5-1-A1-2.xml",
    "EP 0 546 210 B2": DATA + "grant/v1-1-B2.xml",
    "EP 1 497 510 B2": DATA + "grant/v1-3-B2.xml",
    "EP 1 654 642 B1": DATA + "grant/v1-3-B1.xml",
    "EP 1 442 058 B1": DATA + "grant/v1-0-B1.xml",
    "EP 1 019 261 B1": DATA + "grant/v1-1-B1.xml",
}
DOCS_PER_PUBLICATION = 2  # 6 x 2 = the 12 English documents
# what a page prints as it is (anything else: the paragraph is left out)
ALLOWED = set(map(chr, range(32, 127))) - set("\\`^~|{}<>") | set("\u2018\u2019\u201c\u201d\u2013\u00b0")


def stop(why: str) -> SystemExit:
    return SystemExit(f"qa_effort sealed3 batch skipped: {why}")


# ----------------------------------------------------------------------------- the English text

_SKIP = re.compile(r"<(?:maths|math|chemistry|tables|table|img|figref-skip|sub|sup|ul|ol|dl|br)\b", re.I)


def _printed(fragment: str) -> str | None:
    """The words of an XML fragment as a page prints them, or None when a character would not print plainly."""
    text = re.sub(r"<!--.*?-->", " ", fragment, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    text = re.sub(r" ([,.;:)\]])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    return text if text and set(text) <= ALLOWED else None


def description(xml: str) -> list[list[str]]:
    """The English description as ``["h", heading]`` and ``["p", "0001", text]`` blocks (the
    office's own paragraph numbers; paragraphs with formulas, tables, lists or sub/superscripts,
    or with a character the page cannot print, are left out; so is a heading left alone)."""
    m = re.search(r'<description\b[^>]*lang="en"[^>]*>(.*?)</description>', xml, re.S)
    if not m:
        return []
    out: list[list[str]] = []
    for g in re.finditer(r"<heading\b[^>]*>(.*?)</heading>|<p\b[^>]*num=\"(\d+)\"[^>]*>(.*?)</p>", m.group(1), re.S):
        if g.group(1) is not None:
            t = _printed(g.group(1))
            if t and len(t) <= 70:
                out.append(["h", t])
            continue
        if _SKIP.search(g.group(3)):
            continue
        t = _printed(g.group(3))
        if t and len(t.split()) >= 8:
            out.append(["p", g.group(2), t])
    return [b for k, b in enumerate(out) if b[0] == "p" or (k + 1 < len(out) and out[k + 1][0] == "p")]


def _title(xml: str) -> str:
    m = re.search(r"<B541>en</B541>\s*<B542>(.*?)</B542>", xml, re.S)
    return (_printed(m.group(1)) or "") if m else ""


def write_text() -> Path:
    """``EN_JSON`` and ``SOURCES.json`` from the bare mirror at ``COMMIT`` (``fetch`` github:REPO)."""
    if not (MIRROR / "HEAD").is_file():
        raise stop(f"no bare mirror of {REPO} at {MIRROR} (fetch it; or set QA_SEALED3_MIRROR)")
    pubs, prov = {}, {}
    for pub, path in SOURCES.items():
        raw = subprocess.run(["git", "--git-dir", str(MIRROR), "show", f"{COMMIT}:{path}"], check=True,
                             capture_output=True).stdout
        xml = raw.decode("utf-8", "replace")
        blocks = description(xml)
        pubs[pub] = {"title": _title(xml), "blocks": blocks}
        prov[pub] = {"repository": f"github.com/{REPO}", "commit": COMMIT, "path": path, "licence": LICENCE,
                     "sha256": hashlib.sha256(raw).hexdigest(), "title": pubs[pub]["title"],
                     "paragraphs": sum(b[0] == "p" for b in blocks), "words": sum(len(b[-1].split()) for b in blocks)}
    STORE.mkdir(parents=True, exist_ok=True)
    EN_JSON.write_text(json.dumps({"about": f"English description text of qa_effort's sealed3 batch "
                                            f"(bench/qa_sealed3.py); github.com/{REPO} at {COMMIT}; {LICENCE}",
                                   "publications": pubs}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    (STORE / "SOURCES.json").write_text(json.dumps(prov, indent=1) + "\n", encoding="utf-8")
    return EN_JSON


def english() -> dict[str, dict]:
    if not EN_JSON.is_file():
        raise stop(f"{EN_JSON} is missing (python bench/qa_sealed3.py --text makes it from the {REPO} mirror)")
    return json.loads(EN_JSON.read_text(encoding="utf-8"))["publications"]




# ----------------------------------------------------------------------------- English pages (sealed_es7's Pango typesetting)

ES_PAGES = 48  # sealed_es7's stream composed 48 pages long; its own part reads pages 1-24, this batch 25-48
ES_FIRST = 24  # 0-based: Spanish document d (1-12) prints pages ES_FIRST + 2(d-1) and the next
BUILD = HERE.parent / "build" / "qa-sealed3"
A4, LETTER = (595.0, 842.0), (612.0, 792.0)
# layout -> (paper, body face, sizes, columns, justified, heading alignment, head style)
# (faces: sealed_es7's FAMILIES keys; an English page sets no soft hyphens: Pango breaks at spaces
# and after a word's own hyphen only)
EN_LAYOUTS = {
    "libertine-two-columns": (A4, "libertine", (9.5, 10.0), 2, True, "center", "office"),
    "charis-one-column": (A4, "charis", (10.5, 11.0), 1, True, "left", "pages"),
    "opensans-two-columns": (LETTER, "opensans", (9.0, 9.5), 2, True, "left", "copy"),
    "biolinum-one-column-ragged": (LETTER, "biolinum", (11.0, 11.5, 12.0), 1, False, "center", "copy"),
}


def _es7():
    os.environ.setdefault("DIGITIZE_REAL_SETS", str(REAL))  # its text where this batch's is
    import sealed_es7

    return sealed_es7


def en_documents(pubs: dict[str, dict]) -> list[tuple[str, int]]:
    """(publication, first block) of the 12 English documents in the batch's order: each
    publication gives two, starting at the paragraph a fifth and three fifths into its
    description, or earlier so that 2,400 words follow (a heading just before it is taken with it)."""
    docs = []
    for pub in SOURCES:
        blocks = pubs[pub]["blocks"]
        for frac in (0.2, 0.6):
            k = int(frac * len(blocks))
            while k > 0 and sum(len(b[-1].split()) for b in blocks[k:]) < 2400:
                k -= 1
            while k < len(blocks) and blocks[k][0] != "p":
                k += 1
            if k and blocks[k - 1][0] == "h":
                k -= 1
            docs.append((pub, k))
    random.Random(SEED).shuffle(docs)
    return docs


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def en_spec(d: int, pub: str, page_no: int, total: int, r: random.Random) -> dict:
    """A page spec as ``sealed_es7.compose_page`` takes it, without its jobs."""
    kind = r.choice(sorted(EN_LAYOUTS))
    paper, face, sizes, cols, justify, head_align, head = EN_LAYOUTS[kind]
    w, h = paper
    size = r.choice(sizes)
    left = r.uniform(62, 78) if cols == 1 else r.uniform(50, 60)
    right = r.uniform(56, 72) if cols == 1 else left + r.uniform(-3, 3)
    gutter = r.uniform(15, 21)
    spec = {"name": "", "kind": kind, "width": w, "height": h, "left": left, "right": right,
            "top": r.uniform(84, 98), "bottom": r.uniform(58, 74), "gutter": gutter, "cols": cols,
            "col_w": (w - left - right - gutter * (cols - 1)) / cols,
            "rule": {"y": r.uniform(56, 62), "weight": r.uniform(0.4, 0.9)}, "head_y": r.uniform(40, 46),
            "foot_y": h - r.uniform(36, 44), "line_gap": r.uniform(0.6, 2.2), "face": face, "size": size,
            "justify": justify, "head_align": head_align, "lead": r.uniform(2.0, 5.0), "head_style": head}
    return dress(spec, d, pub, page_no, total)


def dress(spec: dict, d: int, pub: str, page_no: int, total: int) -> dict:
    """The spec with its name, running head (publication number, page) and foot for page ``page_no``."""
    other = "biolinum" if spec["face"] != "biolinum" else "libertine"
    if spec["head_style"] == "office":
        heads, foot = [(f"<b>{pub}</b>", "left"), (str(page_no), "right")], f"{page_no}"
    elif spec["head_style"] == "pages":
        heads, foot = [(f"<b>{pub}</b>", "left"), (f"Page {page_no} of {total}", "right")], f"- {page_no} -"
    else:
        heads, foot = [(f"Description of {pub}", "left"), (f"<b>Sheet {page_no}</b>", "right")], f"{page_no}/{total}"
    return dict(spec, name=f"V8PH{d:02d}-{page_no}",
                head=[{"markup": m, "font": other, "size": 9.0, "align": a, "y": spec["head_y"]} for m, a in heads],
                foot={"markup": _esc(foot), "font": spec["face"], "size": 9.0, "y": spec["foot_y"]})


def en_jobs(spec: dict, blocks: list[list[str]], start: int, rest: str | None) -> list[dict]:
    """The text jobs of a page from block ``start`` on (``rest``: the end of a paragraph the page
    before broke off, set first, with no number and no indent). Headings bold, alone on their
    lines; paragraphs with the office's ``[0001]`` number in bold."""
    face, size, lead = spec["face"], spec["size"], spec["lead"]
    jobs = []

    def job(markup: str, **kw) -> None:
        jobs.append({"markup": markup, "font": face, "size": size, "width": spec["col_w"],
                     "justify": spec["justify"], "align": "left", "before": lead, **kw})

    if rest:
        job(_esc(rest), before=0.0)
    for b in blocks[start:start + 60]:
        if b[0] == "h":
            job(f"<b>{_esc(b[1])}</b>", justify=False, align=spec["head_align"], before=lead + size * 0.5, keep=True)
        else:
            job(f"<b>[{b[1]}]</b> {_esc(b[2])}")
    for n, j in enumerate(jobs):
        j["id"] = f"b{n:03d}"
    return jobs


def _visible(text: str) -> int:
    return sum(not c.isspace() for c in text)


def _markup_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _compose(spec: dict) -> tuple["np.ndarray", str, int, int]:
    """``sealed_es7.compose_page`` on one spec: (grey page, truth as typeset, the job the page
    stopped in, how many of that job's visible characters it set; -1, 0 when all jobs were set)."""
    import tempfile

    es7 = _es7()
    with tempfile.TemporaryDirectory(prefix="qa8-") as tmp:
        grey, truth = es7.compose_page(spec, Path(tmp))
        done = sorted(int(p.stem.rsplit("_b", 1)[1]) for p in Path(tmp).glob(f"{spec['name']}_b*.json"))
    jobs = spec["jobs"]
    if not done:
        raise SystemExit(f"qa_effort sealed3 batch: {spec['name']}: sealed_es7.compose_page set no text job "
                         "(has its interface changed?)")
    last = done[-1]
    fixed = sum(_visible(_markup_text(x["markup"])) for x in spec["head"]) + _visible(_markup_text(spec["foot"]["markup"]))
    body = _visible(truth) - fixed - sum(_visible(_markup_text(j["markup"])) for j in jobs[:max(0, last)])
    text = _markup_text(jobs[last]["markup"])
    body = min(max(0, body), _visible(text))
    # the page's last body line (before the foot) must end the part of the job counted as set
    lines = [ln for ln in truth.splitlines() if ln.strip()]
    tail = lines[-2].replace(" ", "") if len(lines) >= 2 else ""
    if body and not _squeeze(text)[:body].endswith(tail):
        raise SystemExit(f"qa_effort sealed3 batch: {spec['name']}: where the page stopped is not found "
                         f"({tail!r}; has sealed_es7's composition changed?)")
    if body == _visible(text):
        return grey, truth, (-1 if last + 1 >= len(jobs) else last + 1), 0
    return grey, truth, last, body


def _squeeze(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


def _cut(text: str, chars: int) -> str:
    """What is left of ``text`` after its first ``chars`` visible characters."""
    seen = 0
    for k, c in enumerate(text):
        if seen >= chars:
            return text[k:].strip()
        seen += not c.isspace()
    return ""


def en_pages(wanted: list[tuple[int, str, int]], pubs: dict[str, dict]) -> dict[int, list[tuple]]:
    """Document -> its two English pages as (grey 300-dpi render, truth, layout); page 2 goes on
    where page 1 stopped (inside a paragraph: from the word after the last one set). Kept in
    ``BUILD/en-<hash>/`` by the hash of the specs, the text, sealed_es7's code and Pango's version."""
    import numpy as np
    from PIL import Image

    es7 = _es7()
    version = es7.pango_version()
    out = {}
    for d, pub, start in wanted:
        r = random.Random(SEED * 31 + d)
        page_no = r.randint(2, 9)
        total = page_no + r.randint(5, 16)
        spec = en_spec(d, pub, page_no, total, r)
        blocks = pubs[pub]["blocks"]
        spec["jobs"] = en_jobs(spec, blocks, start, None)
        key = hashlib.sha256(json.dumps([spec, blocks], sort_keys=True).encode() + version.encode()
                             + Path(es7.__file__).read_bytes()).hexdigest()[:16]
        folder = BUILD / f"en-{d:02d}-{key}"
        if not (folder / "done").is_file():
            folder.mkdir(parents=True, exist_ok=True)
            grey1, truth1, stop_at, chars = _compose(spec)
            rest = None
            nxt = len(blocks)
            if stop_at >= 0:
                j = spec["jobs"][stop_at]
                src = start + stop_at  # the jobs map one to one onto blocks from start
                if chars:
                    text = _markup_text(j["markup"])
                    rest, nxt = _cut(text, chars), src + 1
                else:
                    nxt = src
            spec2 = dress(spec, d, pub, page_no + 1, total)
            spec2["jobs"] = en_jobs(spec2, blocks, nxt, rest)
            grey2, truth2, _, _ = _compose(spec2)
            for n, (g, t) in enumerate(((grey1, truth1), (grey2, truth2)), 1):
                Image.fromarray(g).save(folder / f"page{n}.png")
                (folder / f"page{n}.txt").write_text(t, encoding="utf-8")
            (folder / "about.json").write_text(json.dumps({"publication": pub, "first_block": start,
                                                           "layout": spec["kind"], "page2_block": nxt,
                                                           "page2_rest": rest}, ensure_ascii=False) + "\n")
            (folder / "done").write_text("ok\n")
        out[d] = [(np.asarray(Image.open(folder / f"page{n}.png").convert("L")),
                   (folder / f"page{n}.txt").read_text(encoding="utf-8"), spec["kind"]) for n in (1, 2)]
    return out


# ----------------------------------------------------------------------------- the documents


def front_order(office: str) -> list[int]:
    """frontpage_sealed8's documents of ``office`` in this batch's order (never its REGRESSION ones)."""
    import frontpage_sealed8 as s8

    pool = [i for i in range(1, s8.PER_OFFICE + 1) if f"S8-{office}-{i:02d}" not in s8.REGRESSION]
    random.Random(f"qa-sealed3/{SEED}/{office}").shuffle(pool)
    return pool


def field_truth(truth: dict) -> dict:
    """frontpage_sealed8's truth as qa_effort's scorer and reviewer read it (``synth_frontpages``):
    every key one ``QUEUE_NAMES`` knows (checked), parties as [name, address, country], IPC a list."""
    from digitize.synth_frontpages import QUEUE_NAMES

    strange = sorted(set(truth) - set(QUEUE_NAMES))
    if strange:
        raise SystemExit(f"qa_effort sealed3 batch: front-page truth fields the scorer does not know: {strange}")
    out: dict = {}
    for key, value in truth.items():
        if key in ("applicants", "assignees", "inventors", "agents"):
            out[key] = [[name, address, country] for name, address, country in value]
        elif key == "ipc":
            out[key] = [str(v) for v in value]
        else:
            out[key] = value
    return out


def front_pages(office: str, docs: int, first: int) -> list:
    import frontpage_sealed8 as s8

    order = front_order(office)
    if first < 1 or first - 1 + docs > len(order):
        raise SystemExit(f"qa_effort sealed3 batch: {office} has {len(order)} front pages (documents 1-{len(order)})")
    samples = [s8.build(office, i) for i in order[first - 1:first - 1 + docs]]
    for smp in samples:
        missing = s8.printed(smp)
        if missing:
            raise SystemExit(f"qa_effort sealed3 batch: {smp.name}: field truth not printed on its page: {missing}")
    return samples


def write_g4(img, path: Path, dpi: int) -> None:
    """A bilevel page as a CCITT G4 TIFF (thresholded first: no dithering of any grey pixel)."""
    import numpy as np
    from PIL import Image

    Image.fromarray(np.where(np.asarray(img) < 128, 0, 255).astype(np.uint8)).convert("1").save(
        path, compression="group4", dpi=(dpi, dpi))


def build(lang: str, docs: int, first: int, folder: Path) -> list[dict]:
    """Documents ``first`` … ``first + docs - 1`` of the sealed3 ``es-office`` (``lang`` es) or
    ``en-office`` (en) set: a folder of G4 TIFF pages each (front page, two prose pages); returns
    their truth as ``DocTruth`` fields (name, pages: the text as printed per page, fields)."""
    import numpy as np
    from PIL import Image

    if first < 1 or first - 1 + docs > 12:
        raise SystemExit("qa_effort sealed3 batch: documents 1-12 of each set")
    es7 = _es7()
    office = "MX" if lang == "es" else "PH"
    if lang == "es":
        pages_dir = es7.compose(ES_PAGES)  # stops with sealed_es7's one line when its text is absent
    else:
        pubs = english()
        order = en_documents(pubs)
        en = en_pages([(d, *order[d - 1]) for d in range(first, first + docs)], pubs)
    fronts = front_pages(office, docs, first)
    folder.mkdir(parents=True, exist_ok=True)
    truths = []
    for d, smp in zip(range(first, first + docs), fronts):
        name = f"V8{office}{d:02d}"
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        img, dpi = smp.degraded["office"]
        write_g4(img, target / "0001.tif", dpi)
        texts = [" ".join(smp.text).replace("\u00a0", " ")]
        if lang == "es":
            what = []
            for j in (0, 1):
                k = ES_FIRST + 2 * (d - 1) + j
                stem = pages_dir / f"p{k + 1:03d}"
                grey = np.asarray(Image.open(stem.with_suffix(".png")).convert("L"))
                # the office scan sealed_es7.pages() gives page k (its seed and level)
                write_g4(es7.scan_office(grey, np.random.default_rng([es7.SEED, k, 3])), target / f"{j + 2:04d}.tif",
                         es7.DPI)
                texts.append(stem.with_suffix(".txt").read_text(encoding="utf-8"))
                what.append(f"p{k + 1:03d} {es7.layout_for(k)}")
            about = "sealed_es7 " + ", ".join(what)
        else:
            for j, (grey, text, _) in enumerate(en[d]):
                write_g4(es7.scan_office(grey, np.random.default_rng([SEED, d, j + 2])), target / f"{j + 2:04d}.tif",
                         es7.DPI)
                texts.append(text)
            pub, start = order[d - 1]
            about = f"{pub} from block {start}, {en[d][0][2]}"
        truths.append({"name": name, "pages": texts, "fields": field_truth(smp.truth)})
        print(f"  {name}: {smp.name} + {about}", file=sys.stderr, flush=True)
    return truths


# ----------------------------------------------------------------------------- the raw-CLI check (never digitize)


def _tokens(text: str) -> Counter:
    out = Counter()
    for t in text.split():
        t = t.strip(".,;:!?()[]\"'“”‘’")
        if t:
            out[t] += 1
    return out


def order_free_error(truth: str, read: str) -> tuple[int, int]:
    """(errors, truth words): the larger of the truth's words the reading lacks and the reading's
    words the truth lacks (multisets, case kept, edge punctuation stripped)."""
    want, got = _tokens(truth), _tokens(read)
    return max(sum((want - got).values()), sum((got - want).values())), sum(want.values())


def tesseract(image: Path, lang: str) -> str:
    """The raw ``tesseract`` CLI on one page (one thread)."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    return subprocess.run(["nice", "tesseract", str(image), "-", "-l", lang], capture_output=True, text=True,
                          env=env, check=True).stdout


def field_truth_words(fields: dict) -> list[str]:
    """Words of a front page's field truth printed as stored: numbers, title, party names."""
    words = f"{fields.get('doc_number', '')} {fields.get('application_number', '')} {fields.get('title', '')}".split()
    for key in ("applicants", "inventors", "agents", "assignees"):
        words += [w for party in fields.get(key) or [] for w in str(party[0]).split()]
    return [t for t in _tokens(" ".join(words)).elements()]


def check_built(root: Path, sets: list[str]) -> None:
    """Raw-CLI sanity of ``qa_effort.py --batch sealed3 --build-only ROOT``: per prose page its
    order-free word error against the truth, per front page the share of its field words read."""
    for s in sets:
        tfile = root / s / "truth.json"
        if not tfile.is_file():
            print(f"{s}: {tfile} missing (build it first)")
            continue
        lang = "spa" if s.startswith("es") else "eng"
        errs = words = 0
        worst, fronts = 0.0, []
        for doc in json.loads(tfile.read_text(encoding="utf-8")):
            images = sorted(p for p in (root / s / doc["name"]).iterdir() if p.suffix == ".tif")
            read = tesseract(images[0], lang)
            got, squeezed = _tokens(read), _squeeze(read)
            want = Counter(field_truth_words(doc["fields"]))
            # a word counts as read when the CLI gives it as a word, or inside its text (a number
            # printed run together with its office code and kind: MX499988B)
            fronts.append(sum(n if w in squeezed else min(n, got[w]) for w, n in want.items())
                          / max(1, sum(want.values())))
            row = []
            for image, truth in zip(images[1:], doc["pages"][1:]):
                e, n = order_free_error(truth, tesseract(image, lang))
                errs, words, worst = errs + e, words + n, max(worst, e / max(1, n))
                row.append(f"{n} w {e / max(1, n):.3f}")
            print(f"  {doc['name']}: field words read {fronts[-1]:.2f}; prose {', '.join(row)}", flush=True)
        print(f"{s}: tesseract -l {lang}: {words} prose words, order-free word error {errs / max(1, words):.4f} "
              f"(worst page {worst:.4f}); front pages' field words read {sum(fronts) / max(1, len(fronts)):.3f} "
              f"(lowest {min(fronts, default=0):.2f})", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", action="store_true", help=f"write the English text from the bare {REPO} mirror")
    ap.add_argument("--out", type=Path, metavar="DIR", help="build the sets here (DIR/<set>/<doc>/, DIR/<set>/truth.json)")
    ap.add_argument("--sets", default="es-office,en-office")
    ap.add_argument("--docs", type=int, default=12)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--check", action="store_true", help="with --out: the raw tesseract check of what was built")
    ap.add_argument("--check-built", type=Path, metavar="DIR",
                    help="the raw tesseract check of DIR/<set>/ as `qa_effort.py --batch sealed3 --build-only DIR` wrote it")
    args = ap.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    if args.text:
        print(write_text())
    if args.out:
        for s in sets:
            folder = args.out / s
            truths = build("es" if s.startswith("es") else "en", args.docs, args.first, folder)
            (folder / "truth.json").write_text(json.dumps(truths, ensure_ascii=False), encoding="utf-8")
            print(f"{s}: {len(truths)} documents, {sum(len(t['pages']) for t in truths)} pages in {folder}", flush=True)
        if args.check:
            check_built(args.out, sets)
    if args.check_built:
        check_built(args.check_built, sets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
