"""The FOURTH sealed batch of ``bench/qa_effort.py`` (issue 29): ``--batch sealed4``, run only to report.

Built after batches A, B, held-out, ``sealed``, ``sealed2`` and ``sealed3`` were seen, by someone who
never ran digitize on it. It imports none of their builders (``qa_sealed.py``, ``qa_sealed2.py``,
``qa_sealed3.py``) and prints none of their text, names or numbers:

* ``es-office``: 12 documents ``N9MX01`` … ``N9MX12``. Page 1: an MX front page of
  ``bench/frontpage_sealed9.py`` (a LibreOffice Writer document converted by ``soffice`` and
  rasterised by ``pdftoppm``; its office-level scan; its field truth mapped to what
  ``digitize.synth_frontpages.score`` reads, every value printed on the page: a page whose truth
  ``frontpage_sealed9.unprinted`` or this module's word check does not find on it is passed over,
  with one line, for the next), never one of its REGRESSION documents. Pages 2-3: two Spanish
  prose pages of ``bench/sealed_es8.py`` (hand-made PostScript rasterised by Ghostscript, its own
  office scanner, its Spanish patent prose in
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es8_patentes.txt``): pages 25-48 of its set
  composed 48 pages long (its own part, ``spanish.py --part sealed8 --pages 24``, reads pages 1-24),
  two a document in order, each scanned by ``sealed_es8.scan_office`` with the seed its ``pages()``
  gives that page at the ``office`` level; truth: the page's lines as typeset (``sealed_es8``'s own
  truth). Its text is short, so these pages reprint paragraphs of its own part in other layouts and
  line breaks.
* ``en-office``: 12 documents ``N9PH01`` … ``N9PH12``. Page 1: a PH front page of
  ``frontpage_sealed9`` (as above). Pages 2-3: two consecutive pages of the ENGLISH description of
  one of twelve US patents (one a document) in the test fixtures of
  github.com/PatentsView/PatentsView-DB (``SOURCES``: USPTO weekly grant full text of 2005-2013; the
  repository's MIT licence, the USPTO's public-domain data) — none of them in ``../shared``, A/B/held-out,
  ``sealed`` to ``sealed3`` or the table sets' lists — typeset with ``sealed_es8``'s PostScript
  machinery (its font metrics, first-fit filling and justification ``fill``, its ``widthshow`` /
  word-by-word / ``ashow`` line printing ``page_ps``, its Latin-1 prologue and Fontmap, one
  Ghostscript call for the whole set at 300 dpi) in four layouts of this module (``EN_LAYOUTS``: a
  grant's two EB Garamond columns with column numbers over them, an application's one justified Lato
  column with bold ``[0012]`` numbers, a ragged URW Gothic column with indented paragraphs, two EB
  Garamond columns under the title in spaced capitals). Headings in capitals; words broken at line
  ends (with a hyphen) at ``sealed_es8``'s syllable boundaries on the layouts that hyphenate; a
  running head (the patent number, ``Page n``, ``Sheet n of m`` …) over a rule and a folio at the
  foot. Page 2 goes on where page 1 stopped, inside a paragraph from the next line. Scanned by
  ``sealed_es8.scan_office`` (this module's seeds). Truth: the lines as typeset, in reading order
  (head, column numbers, title, left column, right column, foot). The text is not committed: it
  lives in ``$DIGITIZE_REAL_SETS/qa-sealed4/`` (``--text`` makes ``qa_sealed4_en.json`` and
  ``SOURCES.json`` from the bare mirror at ``COMMIT``); without it the batch stops with one line.

Deterministic from ``SEED`` (and the generators' own seeds and fonts). One folder of pages per
document (G4 TIFF, 300 dpi), as the other batches.

    python bench/qa_sealed4.py --text                          # the English text from the mirror
    python bench/qa_effort.py --batch sealed4 --build-only DIR  # the documents, as qa_effort builds them
    python bench/qa_sealed4.py --check-built DIR               # raw tesseract CLI on them (never digitize)
    python bench/qa_sealed4.py --out DIR [--check]             # the same build, from this module

``--check-built`` runs only the raw ``tesseract`` CLI: each prose page's order-free word error
against its truth (``-l spa`` / ``-l eng``), and for each front page the share of its field truth's
words the CLI read. NEVER run digitize on these documents except the one reporting run of the lead.
"""

from __future__ import annotations

import argparse
import dataclasses
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

SEED = 4_1208_0329
REAL = Path(os.environ.get("DIGITIZE_REAL_SETS", "/work/real-sets"))
STORE = REAL / "qa-sealed4"
EN_JSON = STORE / "qa_sealed4_en.json"
MIRROR = Path(os.environ.get("QA_SEALED4_MIRROR", "/work/.mirror/PatentsView+PatentsView-DB/repo"))
REPO = "PatentsView/PatentsView-DB"
# the repository's last commit with its test fixtures (removed by the next, 86c68e1d)
COMMIT = "a84abd411bfc157ed64e7bdf981bee9421ca9be3"
LICENCE = ("MIT (the repository's LICENSE, added 2025-08-28); the fixtures are USPTO weekly full-text "
           "grant data (bulkdata.uspto.gov), public domain")
FIX = "Assignee_Lawyer_Disambiguation/test/fixtures/ipgxml/"
# patent as printed -> (its weekly file in the repository, its doc-number there)
SOURCES = {
    "US 6,837,463 B2": (FIX + "ipg050104.small.xml", "06837463"),
    "US 6,982,378 B2": (FIX + "ipg060103.small.xml", "06982378"),
    "US 7,157,821 B2": (FIX + "ipg070102.small.xml", "07157821"),
    "US 7,315,006 B2": (FIX + "ipg080101.small.xml", "07315006"),
    "US 7,314,891 B2": (FIX + "ipg080101.small.xml", "07314891"),
    "US 7,473,188 B2": (FIX + "ipg090106.small.xml", "07473188"),
    "US 7,641,424 B1": (FIX + "ipg100105.small.xml", "07641424"),
    "US 7,643,860 B2": (FIX + "ipg100105.small.xml", "07643860"),
    "US 7,861,705 B2": (FIX + "ipg110104.small.xml", "07861705"),
    "US 8,087,986 B2": (FIX + "ipg120103.small.xml", "08087986"),
    "US 8,420,021 B2": (FIX + "ipg130416.small.xml", "08420021"),
    "US 8,418,590 B2": (FIX + "ipg130416.small.xml", "08418590"),
}
# what the pages print: printable ASCII and the Latin-1 signs the faces have (anything else: the
# paragraph is left out); curly quotes and dashes are printed straight
PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                       "\u00a0": " ", "\u2009": " ", "\u2032": "'", "\u2033": '"'})
ALLOWED = set(map(chr, range(32, 127))) - set("\\`^~|{}<>") | set("°±×µ")


def stop(why: str) -> SystemExit:
    return SystemExit(f"qa_effort sealed4 batch skipped: {why}")


# ----------------------------------------------------------------------------- the English text

_SKIP = re.compile(r"<(?:maths|math|chemistry|tables|table|img|sub|sup|ul|ol|dl|br|in-line-formulae)\b", re.I)


def _printed(fragment: str) -> str | None:
    """The words of an XML fragment as a page prints them, or None when a character would not print plainly."""
    text = re.sub(r"<\?.*?\?>|<!--.*?-->", " ", fragment, flags=re.S)
    # inline marks join what they mark to its neighbours (``15<i>b</i>``: ``15b``)
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).translate(PLAIN)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" ([,.;:)\]])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    return text if text and set(text) <= ALLOWED else None


def patent(xml: str, number: str) -> str:
    """The one ``<us-patent-grant>`` of a weekly file whose doc-number is ``number``."""
    for part in re.split(r"(?=<\?xml )", xml):
        m = re.search(r"<publication-reference>.*?<doc-number>(.*?)</doc-number>", part, re.S)
        if m and m.group(1) == number:
            return part
    raise SystemExit(f"qa_effort sealed4 batch: {number} is not in its weekly file")


def description(xml: str) -> list[list[str]]:
    """The description as ``["h", heading]`` and ``["p", "0001", text]`` blocks (the XML's own
    paragraph numbers; paragraphs with formulas, tables, lists or sub/superscripts, or with a
    character the page cannot print, are left out; so is a heading left alone)."""
    m = re.search(r"<description\b[^>]*>(.*?)</description>", xml, re.S)
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
    m = re.search(r"<invention-title\b[^>]*>(.*?)</invention-title>", xml, re.S)
    return (_printed(m.group(1)) or "") if m else ""


def write_text() -> Path:
    """``EN_JSON`` and ``SOURCES.json`` from the bare mirror at ``COMMIT`` (``fetch`` github:REPO)."""
    if not (MIRROR / "HEAD").is_file():
        raise stop(f"no bare mirror of {REPO} at {MIRROR} (fetch it; or set QA_SEALED4_MIRROR)")
    pubs, prov, files = {}, {}, {}
    for pub, (path, number) in SOURCES.items():
        if path not in files:
            files[path] = subprocess.run(["git", "--git-dir", str(MIRROR), "show", f"{COMMIT}:{path}"], check=True,
                                         capture_output=True).stdout
        raw = files[path]
        xml = patent(raw.decode("utf-8", "replace"), number)
        blocks = description(xml)
        pubs[pub] = {"title": _title(xml), "blocks": blocks}
        prov[pub] = {"repository": f"github.com/{REPO}", "commit": COMMIT, "path": path, "doc_number": number,
                     "licence": LICENCE, "file_sha256": hashlib.sha256(raw).hexdigest(),
                     "patent_sha256": hashlib.sha256(xml.encode("utf-8")).hexdigest(), "title": pubs[pub]["title"],
                     "paragraphs": sum(b[0] == "p" for b in blocks), "words": sum(len(b[-1].split()) for b in blocks)}
    STORE.mkdir(parents=True, exist_ok=True)
    EN_JSON.write_text(json.dumps({"about": f"English description text of qa_effort's sealed4 batch "
                                            f"(bench/qa_sealed4.py); github.com/{REPO} at {COMMIT}; {LICENCE}",
                                   "publications": pubs}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    (STORE / "SOURCES.json").write_text(json.dumps(prov, indent=1) + "\n", encoding="utf-8")
    return EN_JSON


def english() -> dict[str, dict]:
    if not EN_JSON.is_file():
        raise stop(f"{EN_JSON} is missing (python bench/qa_sealed4.py --text makes it from the {REPO} mirror)")
    return json.loads(EN_JSON.read_text(encoding="utf-8"))["publications"]


# ------------------------------------------------------------ English pages (sealed_es8's PostScript typesetting)

ES_PAGES = 48  # sealed_es8's set composed 48 pages long; its own part reads pages 1-24, this batch 25-48
ES_FIRST = 24  # 0-based: Spanish document d (1-12) prints pages ES_FIRST + 2(d-1) and the next
BUILD = HERE.parent / "build" / "qa-sealed4"
A4, LETTER = (595.28, 841.89), (612.0, 792.0)
# layout -> paper, body face, bold face (headings, [0012] numbers, head), sizes, columns, justified,
# [0012] numbers printed, first-line indent (in ems), words broken at line ends, head style, headings
# centred, the title in spaced capitals over the columns, column numbers over the columns
# (faces: sealed_es8's FONTS keys)
EN_LAYOUTS = {
    "grant-two-columns": dict(paper=LETTER, body="ES8Garamond", bold="ES8LatoBold", sizes=(10.0, 10.5), cols=2,
                              justify=True, numbers=False, indent=1.2, hyphen=True, head="grant", centre=True,
                              title=False, colnums=True),
    "application-one-column": dict(paper=A4, body="ES8Lato", bold="ES8LatoBold", sizes=(10.0, 10.5), cols=1,
                                   justify=True, numbers=True, indent=0.0, hyphen=True, head="pages", centre=False,
                                   title=False, colnums=False),
    "gothic-one-column-ragged": dict(paper=LETTER, body="ES8Gothic", bold="ES8GothicDemi", sizes=(10.5, 11.0),
                                     cols=1, justify=False, numbers=False, indent=2.0, hyphen=False, head="sheet",
                                     centre=True, title=False, colnums=False),
    "title-two-columns": dict(paper=A4, body="ES8Garamond", bold="ES8GothicDemi", sizes=(9.5, 10.0), cols=2,
                              justify=True, numbers=True, indent=0.0, hyphen=False, head="pages", centre=False,
                              title=True, colnums=False),
}


def _es8():
    os.environ.setdefault("DIGITIZE_REAL_SETS", str(REAL))  # its text where this batch's is
    import sealed_es8

    return sealed_es8


def en_documents(pubs: dict[str, dict]) -> list[tuple[str, int, str]]:
    """(patent, first block, layout) of the 12 English documents in the batch's order: one a
    patent, starting at a paragraph (or the heading just before it) drawn between a sixth and a
    half into its description, or earlier so that 2,000 words follow; each layout three times."""
    r = random.Random(SEED)
    layouts = sorted(EN_LAYOUTS) * 3
    r.shuffle(layouts)
    docs = []
    for pub, layout in zip(SOURCES, layouts):
        blocks = pubs[pub]["blocks"]
        k = int(r.uniform(1 / 6, 1 / 2) * len(blocks))
        while k > 0 and sum(len(b[-1].split()) for b in blocks[k:]) < 2000:
            k -= 1
        while k < len(blocks) and blocks[k][0] != "p":
            k += 1
        if k and blocks[k - 1][0] == "h":
            k -= 1
        docs.append((pub, k, layout))
    r.shuffle(docs)
    return docs


@dataclasses.dataclass
class Geometry:
    layout: str
    paper: tuple[float, float]
    size: float
    lead: float
    left: float
    right: float
    top: float
    bottom: float
    gutter: float
    col_w: float
    head_y: float
    rule_w: float
    hyphen_room: float
    page_no: int
    total: int
    foot: str


def geometry(d: int, layout: str) -> Geometry:
    """The page geometry of document ``d`` (both its pages), from the seed."""
    r = random.Random(f"{SEED}/geometry/{d}")
    lay = EN_LAYOUTS[layout]
    w, h = lay["paper"]
    cols = lay["cols"]
    size = r.choice(lay["sizes"])
    left = r.uniform(64, 80) if cols == 1 else r.uniform(48, 58)
    right = r.uniform(58, 72) if cols == 1 else left + r.uniform(-2, 2)
    gutter = r.uniform(16, 24)
    page_no = r.randint(3, 11)
    return Geometry(layout, (w, h), size, size * r.uniform(1.2, 1.36), left, right,
                    h - (r.uniform(104, 112) if lay["colnums"] else r.uniform(82, 96)), r.uniform(60, 76), gutter,
                    (w - left - right - gutter * (cols - 1)) / cols, h - r.uniform(44, 50), r.uniform(0.4, 0.9),
                    r.uniform(0.8, 2.2) if lay["hyphen"] else 99.0, page_no, page_no + r.randint(6, 19),
                    r.choice(("plain", "dashes", "of")))


def en_blocks(blocks: list[list[str]], start: int, geo: Geometry, met) -> list[tuple[list, float, bool]]:
    """The blocks from ``start`` on as ``sealed_es8`` lines filled to the column: (lines, space
    before, kept with the next); headings in capitals, bold, never broken; paragraphs with their
    bold ``[0012]`` number where the layout prints it, or a first-line indent."""
    es8 = _es8()
    lay = EN_LAYOUTS[geo.layout]
    body, bold, size, lead = lay["body"], lay["bold"], geo.size, geo.lead
    r = random.Random(f"{SEED}/blocks/{geo.layout}/{start}")
    out = []
    for b in blocks[start:start + 70]:
        if b[0] == "h":
            lines = es8.fill([es8.Word(t, bold) for t in b[1].upper().split()], size, geo.col_w, 0.0, met, 99.0, False)
            if lay["centre"]:
                for ln in lines:
                    ln.x = (geo.col_w - met.width(bold, " ".join(x.text for x in ln.words), size)) / 2
            out.append((lines, lead * 0.9, True))
            continue
        words = [es8.Word(t, body) for t in b[2].split()]
        if lay["numbers"]:
            words = [es8.Word(f"[{b[1]}]", bold)] + words
        lines = es8.fill(words, size, geo.col_w, size * lay["indent"], met, geo.hyphen_room, lay["justify"])
        out.append((lines, 0.0 if lay["indent"] else lead * r.uniform(0.35, 0.75), False))
    return out


def place(blocks: list[tuple[list, float, bool]], at: tuple[int, int], geo: Geometry) -> tuple[list, tuple[int, int]]:
    """Lines of ``blocks`` from ``at`` (block, line) placed in the page's columns, top to bottom
    (a heading is never the last thing in a column); the placed copies and where the next page goes on."""
    cols = EN_LAYOUTS[geo.layout]["cols"]
    b, i = at
    placed = []
    for col in range(cols):
        y = geo.top
        while b < len(blocks):
            lines, before, keep = blocks[b]
            if i == 0 and y < geo.top:
                y -= before
            nxt = blocks[b + 1][0] if b + 1 < len(blocks) else []
            if keep and i == 0 and y - (len(lines) + min(2, len(nxt))) * geo.lead < geo.bottom:
                break
            while i < len(lines) and y - geo.lead >= geo.bottom:
                ln = lines[i]
                placed.append(dataclasses.replace(ln, x=ln.x + geo.left + col * (geo.col_w + geo.gutter),
                                                  y=y - geo.size))
                y -= geo.lead
                i += 1
            if i < len(lines):
                break
            b, i = b + 1, 0
    return placed, (b, i)


def en_page(d: int, pub: str, title: str, geo: Geometry, blocks, at: tuple[int, int], second: bool, met):
    """One English page (a ``sealed_es8.Page``): running head over a rule, column numbers or the
    spaced title, the body from ``at``, the folio; and where the next page goes on."""
    import numpy as np

    es8 = _es8()
    lay = EN_LAYOUTS[geo.layout]
    w, h = geo.paper
    n = geo.page_no + second
    page = es8.Page(n, geo.layout, geo.paper)
    r = random.Random(f"{SEED}/page/{d}/{int(second)}")
    if lay["head"] == "grant":
        left_t, right_t = pub, f"Page {n}"
    elif lay["head"] == "pages":
        left_t, right_t = pub, f"Page {n} of {geo.total}"
    else:
        left_t, right_t = f"Description - {pub}", f"Sheet {n}"
    hl = es8.Line([es8.Word(t, "ES8LatoBold") for t in left_t.split()], geo.left, 0, False, "ES8LatoBold", 9.0,
                  geo.head_y)
    rw = es8.Line([es8.Word(t, "ES8Lato") for t in right_t.split()], 0, 0, False, "ES8Lato", 8.5, geo.head_y)
    rw.x = w - geo.right - met.width("ES8Lato", right_t, 8.5)
    page.lines += [hl, rw]
    page.truth.append(f"{left_t} {right_t}")
    page.rules.append((geo.left, geo.head_y - 7.0, w - geo.right, geo.rule_w))
    top = geo.top
    if lay["colnums"]:
        nums = (str(2 * n - 1), str(2 * n))
        y = geo.head_y - 30.0
        for c, t in enumerate(nums):
            x = geo.left + c * (geo.col_w + geo.gutter) + (geo.col_w - met.width(lay["body"], t, 10.0)) / 2
            page.lines.append(es8.Line([es8.Word(t, lay["body"])], x, 0, False, lay["body"], 10.0, y))
        page.truth.append(" ".join(nums))
    if lay["title"] and not second:
        bold, tsize = lay["bold"], geo.size * 1.3
        spacing = r.uniform(0.5, 1.3)
        tlines = es8.fill([es8.Word(t, bold) for t in title.upper().split()], tsize, w - geo.left - geo.right - 60,
                          0.0, met, 99.0, justify=False)
        y = top
        for ln in tlines:
            text = " ".join(x.text for x in ln.words)
            natural = met.width(bold, text, tsize)
            ln.x = geo.left + (w - geo.left - geo.right - natural - spacing * len(text)) / 2
            ln.y = y - tsize
            ln.width = -spacing  # sealed_es8's mark of a spaced (ashow) line
            page.lines.append(ln)
            page.truth.append(text)
            y -= tsize * 1.35
        top = y - geo.size * 1.4
    placed, nxt = place(blocks, at, dataclasses.replace(geo, top=top))
    page.lines += placed
    page.truth += [" ".join(x.text for x in ln.words) for ln in placed]
    foot = {"plain": str(n), "dashes": f"- {n} -", "of": f"{n}/{geo.total}"}[geo.foot]
    fw = met.width(lay["body"], foot, 9.0)
    page.lines.append(es8.Line([es8.Word(t, lay["body"]) for t in foot.split()], (w - fw) / 2, fw, False,
                               lay["body"], 9.0, float(np.float32(38.0 + r.uniform(-3, 3)))))
    page.truth.append(foot)
    if not placed:
        raise SystemExit(f"qa_effort sealed4 batch: N9PH{d:02d} page {n}: no body line placed")
    return page, nxt


def en_program(wanted: list[int], pubs: dict[str, dict], order: list[tuple[str, int, str]]) -> tuple[list, list, list, str]:
    """The English pages of documents ``wanted`` (two each, in order): pages, their truths, their
    layouts and the one PostScript program that prints them."""
    es8 = _es8()
    met = es8.Metrics()
    pages, truths, kinds = [], [], []
    for d in wanted:
        pub, start, layout = order[d - 1]
        geo = geometry(d, layout)
        blocks = en_blocks(pubs[pub]["blocks"], start, geo, met)
        at = (0, 0)
        for second in (False, True):
            page, at = en_page(d, pub, pubs[pub]["title"], geo, blocks, at, second, met)
            page.number = len(pages) + 1
            pages.append(page)
            truths.append("\n".join(page.truth) + "\n")
            kinds.append(layout)
    return pages, truths, kinds, es8.prologue() + "\n".join(es8.page_ps(p, met) for p in pages) + "\n%%EOF\n"


def verify(out: Path) -> int:
    """No OCR: the characters Ghostscript draws on each English page (``-sDEVICE=txtwrite``)
    against the page's truth, whitespace aside (as ``sealed_es8 --verify`` does for its own)."""
    es8 = _es8()
    pubs = english()
    pages, truths, _, ps = en_program(list(range(1, 13)), pubs, en_documents(pubs))
    out.mkdir(parents=True, exist_ok=True)
    (out / "pages.ps").write_bytes(ps.encode("latin-1"))
    (out / "Fontmap").write_text(es8.fontmap())
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", f"-sFONTMAP={(out / 'Fontmap').resolve()}",
                    "-sDEVICE=txtwrite", f"-sOutputFile={out.resolve() / 'drawn%03d.txt'}",
                    str((out / "pages.ps").resolve())], check=True, capture_output=True)
    bad = 0
    for k, truth in enumerate(truths, start=1):
        drawn = Counter("".join((out / f"drawn{k:03d}.txt").read_text(encoding="utf-8").split()))
        want = Counter("".join(truth.split()))
        if drawn != want:
            bad += 1
            print(f"page {k}: drawn, not in the truth {list((drawn - want).items())[:8]}; "
                  f"in the truth, not drawn {list((want - drawn).items())[:8]}")
    print(f"sealed4 English pages: {len(truths)} pages, {len(truths) - bad} draw exactly their truth's characters")
    return 1 if bad else 0


def en_pages(wanted: list[int], pubs: dict[str, dict], order: list[tuple[str, int, str]]) -> dict[int, list[tuple]]:
    """Document -> its two English pages as (grey 300-dpi render, truth, layout); one PostScript
    program for all of them, rasterised by one Ghostscript call as ``sealed_es8.render`` does,
    kept in ``BUILD/en-<hash>/`` by the hash of the program, the Fontmap and ``gs --version``."""
    import numpy as np
    from PIL import Image

    es8 = _es8()
    pages, truths, kinds, ps = en_program(wanted, pubs, order)
    key = hashlib.sha256(ps.encode("latin-1") + es8.fontmap().encode() + es8.gs_version().encode()).hexdigest()[:16]
    folder = BUILD / f"en-{key}"
    if not (folder / "done").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pages.ps").write_bytes(ps.encode("latin-1"))
        (folder / "Fontmap").write_text(es8.fontmap())
        cmd = ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", f"-sFONTMAP={folder / 'Fontmap'}", "-sDEVICE=pnggray",
               "-r300", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-sOutputFile={folder / 'p%03d.png'}",
               str(folder / "pages.ps")]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode or len(list(folder.glob("p*.png"))) != len(pages):
            raise SystemExit(f"qa_effort sealed4 batch: gs failed ({proc.returncode}): {proc.stderr[-800:]}")
        for k, t in enumerate(truths, 1):
            (folder / f"p{k:03d}.txt").write_text(t, encoding="utf-8")
        (folder / "done").write_text("ok\n")
    out: dict[int, list[tuple]] = {}
    for n, d in enumerate(wanted):
        out[d] = [(np.asarray(Image.open(folder / f"p{2 * n + j + 1:03d}.png").convert("L")), truths[2 * n + j],
                   kinds[2 * n + j]) for j in (0, 1)]
    return out


def es_page(es8, folder: Path, k: int):
    """``sealed_es8``'s page ``k`` (0-based) of its set composed ``ES_PAGES`` long, scanned at the
    ``office`` level with the seed its ``pages()`` gives that page."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(folder / f"p{k + 1:03d}.png").convert("L"))
    return es8.scan_office(grey, np.random.default_rng([es8.SEED, k, 11]))


# ----------------------------------------------------------------------------- the front pages


def _fp9():
    import frontpage_sealed9

    return frontpage_sealed9


def front_order(office: str) -> list[int]:
    """frontpage_sealed9's documents of ``office`` in this batch's order (never its REGRESSION ones)."""
    s9 = _fp9()
    pool = [i for i in range(1, s9.PER_OFFICE + 1) if s9._name(office, i) not in set(s9.REGRESSION)]
    random.Random(f"qa-sealed4/{SEED}/{office}").shuffle(pool)
    return pool


def field_truth(truth: dict) -> dict:
    """frontpage_sealed9's truth as qa_effort's scorer and reviewer read it (``synth_frontpages``):
    every key one ``QUEUE_NAMES`` knows (checked), parties as [name, address, country], IPC a list."""
    from digitize.synth_frontpages import QUEUE_NAMES

    strange = sorted(set(truth) - set(QUEUE_NAMES))
    if strange:
        raise SystemExit(f"qa_effort sealed4 batch: front-page truth fields the scorer does not know: {strange}")
    out: dict = {}
    for key, value in truth.items():
        if key in ("applicants", "assignees", "inventors", "agents"):
            out[key] = [[name, address, country] for name, address, country in value]
        elif key == "ipc":
            out[key] = [str(v) for v in value]
        else:
            out[key] = value
    return out


def _words(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,;:()]+", text) if t]


def not_printed(sample) -> list[str]:
    """Field truth values whose words are not all among the page's typeset text (``sample.text``)."""
    typeset = " ".join(sample.text).replace("\u00a0", " ")
    have = set(_words(typeset))
    squeezed = re.sub(r"\s+", "", typeset)
    missing = []
    for key, value in field_truth(sample.truth).items():
        if key in ("applicants", "assignees", "inventors", "agents"):
            vals = [p[0] for p in value] + [p[2] for p in value if p[2]]
        elif key == "ipc":
            vals = value
        else:
            vals = [str(value)]
        for v in vals:
            if key.endswith("date"):
                continue  # printed in the office's own form (the scorer's truth is ISO)
            if key == "doc_number":  # digits only in the truth, printed with the office's separators
                if v not in re.sub(r"\D", "", typeset):
                    missing.append(f"{key}: {v}")
                continue
            if not all(w in have or w in squeezed for w in _words(v)):
                missing.append(f"{key}: {v}")
    return missing


def front_pages(office: str, docs: int, first: int) -> list:
    """The batch's front pages of ``office``: ``front_order``'s documents in turn, a page whose
    field truth is not all printed on it (``frontpage_sealed9.unprinted``, the PDF's own text, and
    ``not_printed``, this module's word check) passed over with one line (the next one taken);
    documents ``first`` … ``first + docs - 1`` of what is kept."""
    s9 = _fp9()
    order = front_order(office)
    kept: list = []
    k = 0
    while len(kept) < first - 1 + docs and k < len(order):
        batch = order[k:k + first - 1 + docs - len(kept)]
        k += len(batch)
        for smp in s9.build_all([(office, i) for i in batch]):  # one soffice call for the pages not yet converted
            missing = s9.unprinted(smp) + not_printed(smp)
            if missing:
                print(f"  {smp.name} passed over: field truth not printed on its page: {missing}", file=sys.stderr)
                continue
            kept.append(smp)
    if first < 1 or first - 1 + docs > len(kept):
        raise SystemExit(f"qa_effort sealed4 batch: {office} has {len(kept)} usable front pages (documents 1-{len(kept)})")
    return kept[first - 1:first - 1 + docs]


# ----------------------------------------------------------------------------- the documents


def write_g4(img, path: Path, dpi: int) -> None:
    """A bilevel page as a CCITT G4 TIFF (thresholded first: no dithering of any grey pixel)."""
    import numpy as np
    from PIL import Image

    Image.fromarray(np.where(np.asarray(img) < 128, 0, 255).astype(np.uint8)).convert("1").save(
        path, compression="group4", dpi=(dpi, dpi))


OFFICE = {"es": "MX", "en": "PH"}


def build(lang: str, docs: int, first: int, folder: Path) -> list[dict]:
    """Documents ``first`` … ``first + docs - 1`` of the sealed4 ``es-office`` (``lang`` es) or
    ``en-office`` (en) set: a folder of G4 TIFF pages each (front page, two prose pages); returns
    their truth as ``DocTruth`` fields (name, pages: the text as printed per page, fields)."""
    import numpy as np

    if first < 1 or first - 1 + docs > 12:
        raise SystemExit("qa_effort sealed4 batch: documents 1-12 of each set")
    es8 = _es8()
    office = OFFICE[lang]
    wanted = list(range(first, first + docs))
    if lang == "es":
        es_folder, es_truths = es8.render(ES_PAGES, "office")  # stops with sealed_es8's one line when its text is absent
    else:
        pubs = english()
        order = en_documents(pubs)
        en = en_pages(wanted, pubs, order)
    fronts = front_pages(office, docs, first)
    folder.mkdir(parents=True, exist_ok=True)
    truths = []
    for d, smp in zip(wanted, fronts):
        name = f"N9{office}{d:02d}"
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        img, dpi = smp.degraded["office"]
        write_g4(img, target / "0001.tif", dpi)
        texts = [" ".join(smp.text).replace("\u00a0", " ")]
        if lang == "es":
            what = []
            for j in (0, 1):
                k = ES_FIRST + 2 * (d - 1) + j
                write_g4(es_page(es8, es_folder, k), target / f"{j + 2:04d}.tif", es8.LEVEL_DPI["office"])
                texts.append(es_truths[k])
                what.append(f"p{k + 1:03d} {es8.layout_of(k)}")
            about = "sealed_es8 " + ", ".join(what)
        else:
            for j, (grey, text, _) in enumerate(en[d]):
                write_g4(es8.scan_office(grey, np.random.default_rng([SEED, d, j + 2])), target / f"{j + 2:04d}.tif", 300)
                texts.append(text)
            pub, start, layout = order[d - 1]
            about = f"{pub} from block {start}, {layout}"
        truths.append({"name": name, "pages": texts, "fields": field_truth(smp.truth)})
        print(f"  {name}: {smp.name} + {about}", file=sys.stderr, flush=True)
    return truths


# ----------------------------------------------------------------------------- the raw-CLI check (never digitize)


def _tokens(text: str) -> Counter:
    """Words with their edge punctuation stripped; a word broken at a line end (``mova-`` ``ble``)
    joined, as ``digitize.evaluate`` joins it."""
    joined: list[str] = []
    for t in text.split():
        prev = joined[-1] if joined else ""
        if len(prev) > 2 and prev.endswith("-") and prev[-2].isalpha() and t[:1].islower():
            joined[-1] = prev[:-1] + t
        else:
            joined.append(t)
    out: Counter = Counter()
    for t in joined:
        t = t.strip(".,;:!?()[]\"'")
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


def _squeeze(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


def check_built(root: Path, sets: list[str]) -> None:
    """Raw-CLI sanity of ``qa_effort.py --batch sealed4 --build-only ROOT``: per prose page its
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
            # printed run together with its office code and kind)
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


def seed_check() -> None:
    """This module's office scan of ``sealed_es8``'s first page is the one its ``pages()`` gives
    (the seed and level its generator uses), else stop."""
    import numpy as np

    es8 = _es8()
    img, _, _ = next(es8.pages(ES_PAGES, "office"))
    folder, _ = es8.render(ES_PAGES, "office")
    if not np.array_equal(img, es_page(es8, folder, 0)):
        raise SystemExit("qa_effort sealed4 batch: sealed_es8's office scan is not the one this module makes "
                         "(has its seed changed?)")
    print("sealed_es8 office scan: this module's scan of its page 1 is its own", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", action="store_true", help=f"write the English text from the bare {REPO} mirror")
    ap.add_argument("--out", type=Path, metavar="DIR", help="build the sets here (DIR/<set>/<doc>/, DIR/<set>/truth.json)")
    ap.add_argument("--sets", default="es-office,en-office")
    ap.add_argument("--docs", type=int, default=12)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--check", action="store_true", help="with --out: the raw tesseract check of what was built")
    ap.add_argument("--verify", type=Path, metavar="DIR", help="no OCR: the characters gs draws on the English"
                    " pages (txtwrite, files in DIR) against their truth")
    ap.add_argument("--check-built", type=Path, metavar="DIR",
                    help="the raw tesseract check of DIR/<set>/ as `qa_effort.py --batch sealed4 --build-only DIR` wrote it")
    args = ap.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    if args.text:
        print(write_text())
    if args.verify and verify(args.verify):
        return 1
    if args.out:
        for s in sets:
            folder = args.out / s
            truths = build("es" if s.startswith("es") else "en", args.docs, args.first, folder)
            (folder / "truth.json").write_text(json.dumps(truths, ensure_ascii=False), encoding="utf-8")
            print(f"{s}: {len(truths)} documents, {sum(len(t['pages']) for t in truths)} pages in {folder}", flush=True)
        if args.check:
            seed_check()
            check_built(args.out, sets)
    if args.check_built:
        seed_check()
        check_built(args.check_built, sets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
