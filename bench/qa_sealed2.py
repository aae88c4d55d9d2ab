"""The SECOND sealed batch of ``bench/qa_effort.py`` (issue 29): ``--batch sealed2``, run only to report.

Built after batches A, B, held-out and ``sealed`` (``bench/qa_sealed.py``) were seen, by someone who
never ran digitize on it. It imports none of their code and prints none of their text, names or
numbers:

* ``es-office``: 12 documents ``K7MX01`` … ``K7MX12``. Page 1: an MX front page of
  ``bench/frontpage_sealed7.py`` (its office-level scan; its field truth checked against what
  ``digitize.synth_frontpages.score`` reads: every key one ``QUEUE_NAMES`` knows, every value printed
  on the page), never one of its REGRESSION documents. Pages 2-3: two Spanish prose pages of
  ``bench/sealed_es6.py`` (its Java 2D typesetter, its own office scanner, its Spanish patent prose
  in ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es6_*.txt``): pages 25-48 of its stream
  composed 48 pages long (its own part, ``spanish.py --part sealed6``, reads pages 1-24), two a
  document in order; truth: the page's text as printed (``sealed_es6``'s own truth of the page).
* ``en-office``: 12 documents ``K7PH01`` … ``K7PH12``. Page 1: a PH front page of
  ``frontpage_sealed7`` (as above). Pages 2-3: two consecutive pages of the ENGLISH description of
  one of six US publications in the test data of github.com/max-planck-innovation-competition/go-uspto
  (``SOURCES``; Apache-2.0 repository, USPTO publication data in the public domain; none of them in
  ``../shared``, in A/B/held-out, in ``sealed``'s six, or in the table sets' lists), typeset with
  ``sealed_es6``'s typesetter (``Compose.java``, compiled into ``build/qa-sealed2/java``) in four
  layouts of this module (grants: two Nimbus Roman columns, or one ragged Nimbus Sans column;
  applications: one Caladea column, or a two-column Carlito translation; ``[0001]`` numbers in bold
  for applications, headings centred in bold, no hyphenation), page 2 going on from the word where
  page 1 broke off, and scanned by its office scanner (this module's seeds). Truth: the lines
  ``Compose`` set, head and foot included. The text is not committed: it lives in
  ``$DIGITIZE_REAL_SETS/qa-sealed2/qa_sealed2_en.json`` (``--text`` makes it from the bare mirror at
  ``COMMIT``, with ``SOURCES.json`` beside it); without it the batch stops with one line.

Deterministic from ``SEED`` (and the generators' own seeds, JDK and fonts). One folder of pages per
document (G4 TIFF, 300 dpi), as the other batches.

    python bench/qa_sealed2.py --text                          # the English text from the mirror
    python bench/qa_effort.py --batch sealed2 --build-only DIR  # the documents, as qa_effort builds them
    python bench/qa_sealed2.py --check-built DIR               # raw tesseract CLI on them (never digitize)
    python bench/qa_sealed2.py --out DIR [--check]             # the same build, from this module

``--check-built`` runs only the raw ``tesseract`` CLI: each prose page's order-free word error
against its truth (``-l spa`` / ``-l eng``), and for each front page the share of its field truth's
words the CLI read. NEVER run digitize on these documents except the one reporting run of the lead.
"""

from __future__ import annotations

import argparse
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

SEED = 7_2912_0417
REAL = Path(os.environ.get("DIGITIZE_REAL_SETS", "/work/real-sets"))
STORE = REAL / "qa-sealed2"
EN_JSON = STORE / "qa_sealed2_en.json"
MIRROR = Path(os.environ.get("QA_SEALED2_MIRROR", "/work/.mirror/max-planck-innovation-competition+go-uspto/repo"))
REPO = "max-planck-innovation-competition/go-uspto"
COMMIT = "e6bcdf888997a4dfd1c336dcb399db3ac58503cb"
LICENCE = "Apache-2.0 (repository); USPTO publication data, public domain"
DATA = "pkg/uspto/test-data/"
# publication -> (path in the repository, its description paragraphs carry printed numbers [0001])
SOURCES = {
    "US20010000002A1": (DATA + "application/v1-5-A1_2.xml", True),
    "US20210267109A1": (DATA + "application/v4-4-A1.xml", True),
    "US20220159901A1": (DATA + "application/v4-5-A1.xml", True),
    "US06857133B2": (DATA + "grant/v4-0-B2.xml", False),
    "US09358892B1": (DATA + "grant/v4-5-B1.xml", False),
    "US06334226B1": (DATA + "grant/v2-5-B1.xml", False),
}
DOCS_PER_PUBLICATION = 2  # 6 x 2 = the 12 English documents
PRINTABLE = set(map(chr, range(32, 127))) - set("\\`^~|") | set("\u2018\u2019\u201c\u201d\u2013\u2014\u00b0\u00bd\u00bc")


def stop(why: str) -> SystemExit:
    return SystemExit(f"qa_effort sealed2 batch skipped: {why}")


# ----------------------------------------------------------------------------- the English text

# paragraphs holding any of these are not plain prose as printed (formulas, tables, indices)
_NOT_PROSE = re.compile(r"<(?:sub|sup|subscript|superscript|SB|SP|maths?|MATH|math-cwu|chemistry|chem-cwu|CHEMCDX|"
                        r"tables?|TABLE|img|EMI|in-line-formula|ul|ol|dl|CUSTOM-CHARACTER)\b", re.I)


def _plain(fragment: str) -> str | None:
    """A fragment's text as printed, or None when it holds a character a page cannot show plainly."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    text = re.sub(r" ([,.;:)\]])", r"\1", text)  # a tag closed before punctuation left a space
    text = re.sub(r"([(\[]) ", r"\1", text)
    if "&" in text and re.search(r"&\w+;", text):
        return None  # an entity html does not know (&lgr;): a Greek letter, left out
    return text if set(text) <= PRINTABLE else None


def description_blocks(xml: str, numbered: bool) -> list[list[str]]:
    """The description's headings and paragraphs in order, as ``["h", text]`` or
    ``["p", printed number or "", text]``; paragraphs that are not plain prose are left out."""
    m = re.search(r"<(description|subdoc-description|SDODE)\b[^>]*>(.*)</\1>", xml, re.S)
    if not m:
        return []
    blocks: list[list[str]] = []
    kept = 0  # paragraphs kept: an application's printed numbers run on without gaps
    tag = re.compile(r"<(heading|H)\b[^>]*>(.*?)</\1>|<(p|paragraph|PARA)\b([^>]*)>(.*?)</\3>", re.S)
    for g in tag.finditer(m.group(2)):
        if g.group(1):
            t = _plain(g.group(2))
            if t and len(t) <= 80:
                blocks.append(["h", t])
            continue
        body = g.group(5)
        if _NOT_PROSE.search(body):
            continue
        lead = re.match(r"\s*<number>\s*\d+\.?\s*</number>", body)
        if lead:
            body = body[lead.end():]
        t = _plain(body)
        if not t or len(t.split()) < 12:
            continue  # a sub-title as a paragraph ("1. Field of the Invention"), a lone line
        kept += 1
        blocks.append(["p", f"[{kept:04d}]" if numbered else "", t])
    # a heading with no paragraph after it (its section was all tables or formulas) is left out
    return [b for k, b in enumerate(blocks) if b[0] == "p" or (k + 1 < len(blocks) and blocks[k + 1][0] == "p")]


def _title(xml: str) -> str:
    m = re.search(r"<(invention-title|title-of-invention)\b[^>]*>(.*?)</\1>", xml, re.S) or \
        re.search(r"<B540>(.*?)</B540>", xml, re.S)
    return (_plain(m.group(m.lastindex)) or "") if m else ""


def write_text() -> Path:
    """``EN_JSON`` and ``SOURCES.json`` from the bare mirror at ``COMMIT`` (``fetch`` github:REPO)."""
    if not (MIRROR / "HEAD").is_file():
        raise stop(f"no bare mirror of {REPO} at {MIRROR} (fetch it; or set QA_SEALED2_MIRROR)")
    pubs, prov = {}, {}
    for pub, (path, numbered) in SOURCES.items():
        raw = subprocess.run(["git", "--git-dir", str(MIRROR), "show", f"{COMMIT}:{path}"], check=True,
                             capture_output=True).stdout
        xml = raw.decode("utf-8", "replace")
        blocks = description_blocks(xml, numbered)
        pubs[pub] = {"title": _title(xml), "blocks": blocks}
        import hashlib

        prov[pub] = {"repository": f"github.com/{REPO}", "commit": COMMIT, "path": path, "licence": LICENCE,
                     "sha256": hashlib.sha256(raw).hexdigest(), "title": pubs[pub]["title"],
                     "paragraphs": sum(b[0] == "p" for b in blocks),
                     "words": sum(len(b[-1].split()) for b in blocks)}
    STORE.mkdir(parents=True, exist_ok=True)
    EN_JSON.write_text(json.dumps({"about": f"English description text of qa_effort's sealed2 batch "
                                            f"(bench/qa_sealed2.py); github.com/{REPO} at {COMMIT}; {LICENCE}",
                                   "publications": pubs}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    (STORE / "SOURCES.json").write_text(json.dumps(prov, indent=1) + "\n", encoding="utf-8")
    return EN_JSON


def english() -> dict[str, dict]:
    if not EN_JSON.is_file():
        raise stop(f"{EN_JSON} is missing (python bench/qa_sealed2.py --text makes it from the {REPO} mirror)")
    return json.loads(EN_JSON.read_text(encoding="utf-8"))["publications"]


# ----------------------------------------------------------------------------- English pages (sealed_es6's composer)

ES_PAGES = 48  # sealed_es6's stream composed 48 pages long; its own part reads pages 1-24, this batch 25-48
ES_FIRST = 24  # 0-based: document d (1-12) prints pages ES_FIRST + 2(d-1) and the next
BUILD = HERE.parent / "build" / "qa-sealed2"
URW = "/usr/share/fonts/opentype/urw-base35/"
CROS = "/usr/share/fonts/truetype/crosextra/"
EN_FONTS = {  # the faces of this batch's English pages (the Spanish pages keep sealed_es6's own)
    "roman": URW + "NimbusRoman-Regular.otf", "roman-bold": URW + "NimbusRoman-Bold.otf",
    "caladea": CROS + "Caladea-Regular.ttf", "caladea-bold": CROS + "Caladea-Bold.ttf",
    "carlito": CROS + "Carlito-Regular.ttf", "carlito-bold": CROS + "Carlito-Bold.ttf",
    "sans": URW + "NimbusSans-Regular.otf", "sans-bold": URW + "NimbusSans-Bold.otf",
}
# layout -> (page size in points, body face, bold face, type sizes, columns, leading factor range, alignment)
EN_LAYOUTS = {
    "grant-two-columns": ((612.0, 792.0), "roman", "roman-bold", (9.5, 10.0), 2, (1.16, 1.24), "justify"),
    "application-one-column": ((612.0, 792.0), "caladea", "caladea-bold", (11.0, 11.5), 1, (1.32, 1.46), "justify"),
    "translation-two-columns": ((595.28, 841.89), "carlito", "carlito-bold", (10.0, 10.5), 2, (1.2, 1.3), "justify"),
    "sans-one-column-ragged": ((595.28, 841.89), "sans", "sans-bold", (10.0, 10.5), 1, (1.38, 1.55), "left"),
}


def _es6():
    os.environ.setdefault("DIGITIZE_REAL_SETS", str(REAL))  # its text where this batch's is
    import sealed_es6

    return sealed_es6


def printed_number(pub: str) -> str:
    """``US20210267109A1`` as the publication prints it: ``US 2021/0267109 A1``; ``US 6,857,133 B2``."""
    m = re.fullmatch(r"US(\d{4})(\d{7})([AB]\d)", pub)
    if m:
        return f"US {m.group(1)}/{m.group(2)} {m.group(3)}"
    m = re.fullmatch(r"US0*(\d+)([AB]\d)", pub)
    return f"US {int(m.group(1)):,} {m.group(2)}"


def en_documents(pubs: dict[str, dict]) -> list[tuple[str, int]]:
    """(publication, first block) of the 12 English documents, in the batch's order: each
    publication gives two, from its first block and from a paragraph near its middle (a heading
    just before that paragraph is taken with it)."""
    docs = []
    for pub in SOURCES:
        blocks = pubs[pub]["blocks"]
        for j in range(DOCS_PER_PUBLICATION):
            k = j * len(blocks) // DOCS_PER_PUBLICATION
            while k < len(blocks) and blocks[k][0] != "p":
                k += 1
            if k > 0 and blocks[k - 1][0] == "h":
                k -= 1
            docs.append((pub, k))
    random.Random(SEED).shuffle(docs)
    return docs


def en_page(d: int, pub: str, page_no: int, total: int, r: random.Random) -> dict:
    """The spec of one English page (sealed_es6's ``Compose`` format) without its blocks: a
    grant in two Times columns or one ragged sans column, an application in one Caladea column
    or as a two-column Carlito translation."""
    kind = r.choice(["grant-two-columns", "sans-one-column-ragged"] if pub[-2] == "B"
                    else ["application-one-column", "translation-two-columns"])
    (w, h), body, bold, sizes, cols, leads, align = EN_LAYOUTS[kind]
    size = r.choice(sizes)
    lead = size * r.uniform(*leads)
    left = r.uniform(58, 74) if cols == 1 else r.uniform(46, 56)
    spec = {"name": f"K7PH{d:02d}-{page_no}", "width": w, "height": h, "dpi": 300, "columns": cols,
            "left": left, "right": left + r.uniform(-4, 4), "top": r.uniform(88, 100), "bottom": r.uniform(62, 76),
            "gutter": r.uniform(16, 22), "lead": lead, "ink": r.randint(0, 35), "head": [], "rules": [], "foot": [],
            "kind": kind, "body": body, "bold": bold, "size": size, "align": align}
    number = printed_number(pub)
    if kind == "grant-two-columns":
        spec["head"] = [{"text": number, "font": bold, "size": 10.0, "align": "center", "y": 56.0}]
        spec["foot"] = [{"text": str(page_no), "font": body, "size": 9.0, "align": "center", "y": h - 38.0}]
    elif kind == "application-one-column":
        spec["head"] = [{"text": number, "font": bold, "size": 9.5, "align": "left", "y": 54.0},
                        {"text": f"Page {page_no} of {total}", "font": body, "size": 9.0, "align": "right", "y": 54.0}]
        spec["rules"] = [{"y": 61.0, "weight": 0.6}]
    elif kind == "translation-two-columns":
        spec["head"] = [{"text": "English translation of the description", "font": body, "size": 9.0,
                         "align": "left", "y": 52.0},
                        {"text": f"Sheet {page_no}", "font": bold, "size": 9.0, "align": "right", "y": 52.0}]
        spec["rules"] = [{"y": 58.0, "weight": 0.8}]
        spec["foot"] = [{"text": number, "font": body, "size": 8.5, "align": "left", "y": h - 40.0}]
    else:
        spec["foot"] = [{"text": f"- {page_no} -", "font": body, "size": size, "align": "center", "y": h - 42.0}]
    return spec


def en_blocks(spec: dict, blocks: list[list[str]], start: int, rest: list[str] | None) -> list[dict]:
    """The blocks of a page from block ``start`` on (``rest``: the words of a paragraph the last
    page broke off, set first, unindented): headings centred in bold, paragraphs justified or
    ragged as the layout sets them, never hyphenated, an application's ``[0001]`` numbers in bold."""
    size, lead, out = spec["size"], spec["lead"], []
    if rest:
        out.append({"text": " ".join(rest), "font": spec["body"], "size": size, "align": spec["align"],
                    "hyphenate": False, "keep": 1})
    for b in blocks[start:]:
        if b[0] == "h":
            out.append({"text": b[1], "font": spec["bold"], "size": size, "align": "center", "before": lead * 0.8,
                        "keep": 3, "heading": True})
            continue
        blk = {"text": b[2], "font": spec["body"], "size": size, "align": spec["align"], "hyphenate": False,
               "before": lead * 0.45, "keep": 2}
        if b[1]:
            blk.update(prefix=b[1], prefix_font=spec["bold"])
        else:
            blk["first"] = size * 1.6
        out.append(blk)
    return out


def _compose(pages: list[dict], fonts: dict[str, str], tag: str) -> tuple[Path, dict[str, int]]:
    """sealed_es6's ``Compose`` (Java 2D) on these page specs, compiled into this batch's own class
    folder; the result kept by the hash of specs and code. Returns the folder and, per page, the
    blocks it set whole."""
    import hashlib
    import shutil

    es6 = _es6()
    source = (es6.HERE / "Compose.java").read_bytes()
    spec = {"fonts": fonts, "pages": pages}
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode() + source).hexdigest()[:16]
    folder = BUILD / f"{tag}-{digest}"
    if not (folder / "done").is_file():
        javac, java = shutil.which("javac"), shutil.which("java")
        if not javac or not java:
            raise stop("a JDK is needed (javac and java; Debian openjdk-17-jdk-headless)")
        classes = BUILD / "java" / hashlib.sha256(source).hexdigest()[:16]
        if not (classes / "Compose.class").is_file():
            classes.mkdir(parents=True, exist_ok=True)
            subprocess.run([javac, "-encoding", "UTF-8", "-d", str(classes), str(es6.HERE / "Compose.java")], check=True)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "spec.json").write_text(json.dumps(dict(spec, out=str(folder)), ensure_ascii=False), encoding="utf-8")
        res = subprocess.run([java, "-Djava.awt.headless=true", "-Xmx768m", "-XX:ActiveProcessorCount=1", "-cp",
                              str(classes), "Compose", str(folder / "spec.json")], check=True, capture_output=True,
                             text=True)
        (folder / "set.txt").write_text(res.stdout, encoding="utf-8")
        (folder / "done").write_text("ok\n")
    sets = {}
    for line in (folder / "set.txt").read_text(encoding="utf-8").splitlines():
        name, _, blocks_set = line.split()
        sets[name] = int(blocks_set)
    return folder, sets


def _broken_off(truth: str, spec: dict, blocks: list[dict], whole: int) -> int:
    """How many words of block ``whole`` (the one the page broke off) the page set: the words of
    the page's columns (its truth less head and foot) less those of the blocks set whole."""
    body = len(truth.split()) - sum(len(x["text"].split()) for x in spec["head"] + spec["foot"])
    done = sum(len(b["text"].split()) + (1 if b.get("prefix") else 0) for b in blocks[:whole])
    if whole >= len(blocks) or body <= done:
        return 0
    b = blocks[whole]
    return max(0, body - done - (1 if b.get("prefix") else 0))


def en_pages(docs: list[tuple[int, str, int]], pubs: dict[str, dict]) -> dict[int, list[tuple["np.ndarray", str, str]]]:
    """Document number -> its two English pages as (grey 300-dpi render, truth as typeset, layout):
    page 1 of every document composed in one Java call, then page 2 from where each page 1 stopped
    (a paragraph broken off at the foot of page 1 goes on at the head of page 2), in a second."""
    import numpy as np
    from PIL import Image

    firsts, info = [], {}
    for d, pub, start in docs:
        r = random.Random(SEED * 7 + d)
        page_no = r.randint(2, 8)
        total = page_no + r.randint(4, 18)
        spec = en_page(d, pub, page_no, total, r)
        blocks = en_blocks(spec, pubs[pub]["blocks"], start, None)
        info[d] = (r, pub, start, page_no, total, spec, blocks)
        firsts.append(dict(spec, blocks=blocks))
    folder1, set1 = _compose([_java_spec(p) for p in firsts], EN_FONTS, "en-p1")
    seconds = []
    for d, (r, pub, start, page_no, total, spec, blocks) in info.items():
        whole = set1[spec["name"]]
        truth = (folder1 / f"{spec['name']}.txt").read_text(encoding="utf-8")
        cut = _broken_off(truth, spec, blocks, whole)
        src_start = start + whole  # blocks[] maps one to one onto the publication's blocks from start
        rest = None
        if whole < len(blocks) and cut:
            words = blocks[whole]["text"].split()
            rest, src_start = words[cut:], src_start + 1
        spec2 = dict(spec, name=spec["name"][:-2] + f"-{page_no + 1}")
        spec2["head"] = [dict(h, text=h["text"].replace(f"Page {page_no} of", f"Page {page_no + 1} of")
                              .replace(f"Sheet {page_no}", f"Sheet {page_no + 1}")) for h in spec["head"]]
        spec2["foot"] = [dict(f, text=f["text"].replace(str(page_no), str(page_no + 1))) if f["text"].strip("- ")
                         == str(page_no) else f for f in spec["foot"]]
        seconds.append(dict(spec2, blocks=en_blocks(spec2, pubs[pub]["blocks"], src_start, rest)))
    folder2, _ = _compose([_java_spec(p) for p in seconds], EN_FONTS, "en-p2")
    out = {}
    for (d, _, _), p1, p2 in zip(docs, firsts, seconds):
        out[d] = [(np.asarray(Image.open(f / f"{p['name']}.png").convert("L")),
                   (f / f"{p['name']}.txt").read_text(encoding="utf-8"), p["kind"]) for f, p in ((folder1, p1), (folder2, p2))]
    return out


def _java_spec(page: dict) -> dict:
    """A page as Compose reads it (this module's own keys left out)."""
    return {k: v for k, v in page.items() if k not in ("kind", "body", "bold", "size", "align")} | {
        "blocks": [{k: v for k, v in b.items() if k != "heading"} for b in page["blocks"]]}


# ----------------------------------------------------------------------------- the documents


def front_order(office: str) -> list[int]:
    """frontpage_sealed7's documents of ``office`` in this batch's order (never its REGRESSION ones)."""
    import frontpage_sealed7 as s7

    pool = [i for i in range(1, s7.PER_OFFICE + 1) if f"S7-{office}-{i:02d}" not in s7.REGRESSION]
    return random.Random(f"{SEED}/{office}").sample(pool, len(pool))


def field_truth(truth: dict) -> dict:
    """frontpage_sealed7's truth as ``synth_frontpages.score`` and qa_effort's reviewer read it:
    the keys ``QUEUE_NAMES`` knows (all of them, checked), parties as [name, address, country]."""
    from digitize.synth_frontpages import QUEUE_NAMES

    unknown = set(truth) - set(QUEUE_NAMES)
    if unknown:
        raise SystemExit(f"qa_effort sealed2 batch: front-page truth fields the scorer does not know: {unknown}")
    out = {}
    for key, value in truth.items():
        if key in ("applicants", "assignees", "inventors", "agents"):
            value = [[n, a, c] for n, a, c in value]
        elif key == "ipc":
            value = list(value)
        out[key] = value
    return out


def front_pages(office: str, docs: int, first: int) -> list:
    import frontpage_sealed7 as s7

    order = front_order(office)
    if first < 1 or first - 1 + docs > len(order):
        raise SystemExit(f"qa_effort sealed2 batch: {office} has {len(order)} front pages (documents 1-{len(order)})")
    samples = [s7.build(office, i) for i in order[first - 1:first - 1 + docs]]
    for smp in samples:
        missing = s7.printed(smp)
        if missing:
            raise SystemExit(f"qa_effort sealed2 batch: {smp.name}: field truth not printed: {missing}")
    return samples


def save_g4(img, path: Path, dpi: int) -> None:
    from PIL import Image

    Image.fromarray(img).convert("1").save(path, compression="group4", dpi=(dpi, dpi))


def build(lang: str, docs: int, first: int, folder: Path) -> list[dict]:
    """Documents ``first`` … ``first + docs - 1`` of the sealed2 ``es-office`` (``lang`` es) or
    ``en-office`` (en) set: a folder of G4 TIFF pages each (front page, two prose pages); returns
    their truth as ``DocTruth`` fields (name, pages: the text as printed per page, fields)."""
    import numpy as np

    es6 = _es6()
    office = "MX" if lang == "es" else "PH"
    if first < 1 or first - 1 + docs > 12:
        raise SystemExit("qa_effort sealed2 batch: documents 1-12 of each set")
    if lang == "es":
        pages_dir = es6.compose(ES_PAGES)  # stops with sealed_es6's one line when its text is absent
    else:
        pubs = english()
        order = en_documents(pubs)
        wanted = [(d, *order[d - 1]) for d in range(first, first + docs)]
        en = en_pages(wanted, pubs)
    fronts = front_pages(office, docs, first)
    folder.mkdir(parents=True, exist_ok=True)
    truths = []
    for d, smp in zip(range(first, first + docs), fronts):
        name = f"K7{office}{d:02d}"
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        im, dpi = smp.degraded["office"]
        save_g4(im, target / "0001.tif", dpi)
        texts = [" ".join(smp.text).replace("\u00a0", " ")]
        if lang == "es":
            from PIL import Image

            what = []
            for j in (0, 1):
                k = ES_FIRST + 2 * (d - 1) + j
                stem = pages_dir / f"p{k + 1:03d}"
                grey = np.asarray(Image.open(stem.with_suffix(".png")).convert("L"))
                save_g4(es6.scan_office(grey, np.random.default_rng([es6.SEED, k, 1])), target / f"{j + 2:04d}.tif",
                        es6.DPI)
                texts.append(stem.with_suffix(".txt").read_text(encoding="utf-8"))
                what.append(f"p{k + 1:03d} {es6.layout_for(k)}")
            about = "sealed_es6 " + ", ".join(what)
        else:
            for j, (grey, text, kind) in enumerate(en[d]):
                save_g4(es6.scan_office(grey, np.random.default_rng([SEED, d, j + 2])), target / f"{j + 2:04d}.tif", 300)
                texts.append(text)
            pub, start = order[d - 1]
            about = f"{pub} from block {start}, {en[d][0][2]}"
        truths.append({"name": name, "pages": texts, "fields": field_truth(smp.truth)})
        print(f"  {name}: {smp.name} + {about}", file=sys.stderr, flush=True)
    return truths


# ----------------------------------------------------------------------------- raw-CLI check helpers


def bag_error(truth: str, read: str) -> float:
    """Order-free word error: words of the truth not matched in the reading (multiset), plus the
    reading's extra words, over the truth's words (case kept, edge punctuation dropped)."""
    def bag(text: str) -> Counter:
        return Counter(w for w in (re.sub(r"^[^\w]+|[^\w]+$", "", t) for t in text.split()) if w)

    t, r = bag(truth), bag(read)
    n = sum(t.values())
    return max(sum((t - r).values()), sum((r - t).values())) / max(1, n)


def cli_read(image: Path, lang: str) -> str:
    """The raw ``tesseract`` CLI's text of one page (one OpenMP thread; never digitize)."""
    return subprocess.run(["tesseract", str(image), "stdout", "-l", lang], capture_output=True, text=True, check=True,
                          env=dict(os.environ, OMP_THREAD_LIMIT="1")).stdout


def field_words(fields: dict) -> list[str]:
    """The words of a front page's field truth that are printed as they are stored: the number,
    the application number, the title and every party's name (dates are stored as ISO dates)."""
    words = [str(fields.get("doc_number", ""))] + str(fields.get("application_number", "")).split()
    words += str(fields.get("title", "")).split()
    for key in ("applicants", "assignees", "inventors", "agents"):
        for party in fields.get(key) or []:
            words += str(party[0]).split()
    return [w for w in (re.sub(r"^[^\w]+|[^\w]+$", "", w) for w in words) if w]


def check_built(root: Path, sets: list[str]) -> None:
    """The raw-CLI sanity check of a built batch (``DIR/<set>/truth.json`` and its page folders)."""
    for s in sets:
        folder = root / s
        if not (folder / "truth.json").is_file():
            print(f"{s}: no {folder / 'truth.json'} (build it first)")
            continue
        lang = "spa" if s.startswith("es") else "eng"
        docs = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        prose, fronts = [], []
        for d in docs:
            pages = sorted(p for p in (folder / d["name"]).iterdir() if p.suffix in (".tif", ".png", ".jpg"))
            read = [cli_read(p, lang) for p in pages]
            got = Counter(re.sub(r"^[^\w]+|[^\w]+$", "", w) for w in " ".join(read[:1]).split())
            want = field_words(d["fields"])
            found = sum(min(c, got[w]) for w, c in Counter(want).items()) / max(1, len(want))
            fronts.append(found)
            errs = [(bag_error(t, r), len(t.split())) for t, r in zip(d["pages"][1:], read[1:])]
            prose += errs
            print(f"  {d['name']}: front page field words read {found:.2f}; prose "
                  + ", ".join(f"{n} w {e:.3f}" for e, n in errs), flush=True)
        words = sum(n for _, n in prose)
        print(f"{s}: raw tesseract -l {lang}: {len(prose)} prose pages, {words} words, order-free word error "
              f"{sum(e * n for e, n in prose) / max(1, words):.4f} (word-weighted), worst "
              f"{max((e for e, _ in prose), default=0):.4f}; {len(fronts)} front pages, field truth words read "
              f"{sum(fronts) / max(1, len(fronts)):.3f} (lowest {min(fronts, default=0):.2f})", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", action="store_true", help=f"write the English text from the bare {REPO} mirror")
    ap.add_argument("--out", type=Path, metavar="DIR", help="build the sets here (DIR/<set>/<doc>/, DIR/<set>/truth.json)")
    ap.add_argument("--sets", default="es-office,en-office")
    ap.add_argument("--docs", type=int, default=12)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--check", action="store_true", help="with --out: the raw tesseract check of what was built")
    ap.add_argument("--check-built", type=Path, metavar="DIR",
                    help="the raw tesseract check of DIR/<set>/ as `qa_effort.py --batch sealed2 --build-only DIR` wrote it")
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
