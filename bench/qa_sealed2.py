"""The SECOND sealed batch of ``bench/qa_effort.py`` (issue 29): ``--batch sealed2``, run only to report.

Built after batches A, B, held-out and ``sealed`` (``bench/qa_sealed.py``) were seen, by someone who
never ran digitize on it. It imports none of their code and prints none of their text, names or
numbers:

* ``es-office``: 12 documents ``K7MX01`` … ``K7MX12``. Page 1: an MX front page of
  ``bench/frontpage_sealed7.py`` (its office-level scan; its field truth checked against what
  ``digitize.synth_frontpages.score`` reads: every key one ``QUEUE_NAMES`` knows, every value printed
  on the page), never one of its REGRESSION documents. Pages 2-3: two Spanish prose pages of
  ``bench/sealed_es6.py`` (its Java 2D typesetter, its own office scanner, its Spanish patent prose
  in ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es6_*.txt``), pages its own sealed part does
  not read; truth: the page's text as printed (``sealed_es6``'s own truth of the page).
* ``en-office``: 12 documents ``K7PH01`` … ``K7PH12``. Page 1: a PH front page of
  ``frontpage_sealed7`` (as above). Pages 2-3: two consecutive pages of the ENGLISH description of
  one of six US publications in the test data of github.com/max-planck-innovation-competition/go-uspto
  (``SOURCES``; Apache-2.0 repository, USPTO publication data in the public domain; none of them in
  ``../shared``, in A/B/held-out, in ``sealed``'s six, or in the table sets' lists), typeset with
  ``sealed_es6``'s typesetter and scanned by its office scanner. The text is not committed: it lives in
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
                        r"tables?|TABLE|img|EMI|in-line-formula|ul|ol|dl|CUSTOM-CHARACTER|CUSTOM-CHARACTER)\b", re.I)


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
    tag = re.compile(r"<(heading|H)\b[^>]*>(.*?)</\1>|<(p|paragraph|PARA)\b([^>]*)>(.*?)</\3>", re.S)
    for g in tag.finditer(m.group(2)):
        if g.group(1):
            t = _plain(g.group(2))
            if t and len(t) <= 80:
                blocks.append(["h", t])
            continue
        attrs, body = g.group(4), g.group(5)
        if _NOT_PROSE.search(body):
            continue
        num = ""
        lead = re.match(r"\s*<number>\s*(\d+)\.?\s*</number>", body)
        if lead:
            num, body = f"[{int(lead.group(1)):04d}]", body[lead.end():]
        elif re.search(r'\bnum="(\d+)"', attrs):
            num = "[%04d]" % int(re.search(r'\bnum="(\d+)"', attrs).group(1))
        t = _plain(body)
        if not t or len(t.split()) < 12:
            continue  # a sub-title as a paragraph ("1. Field of the Invention"), a lone line
        blocks.append(["p", num if numbered else "", t])
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


# ----------------------------------------------------------------------------- raw-CLI check helpers


def bag_error(truth: str, read: str) -> float:
    """Order-free word error: words of the truth not matched in the reading (multiset), plus the
    reading's extra words, over the truth's words (case kept, edge punctuation dropped)."""
    def bag(text: str) -> Counter:
        return Counter(w for w in (re.sub(r"^[^\w]+|[^\w]+$", "", t) for t in text.split()) if w)

    t, r = bag(truth), bag(read)
    n = sum(t.values())
    return max(sum((t - r).values()), sum((r - t).values())) / max(1, n)
