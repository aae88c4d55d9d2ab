"""The THIRD sealed batch of ``bench/qa_effort.py`` (issue 29): ``--batch sealed3``, run only to report.

Built after batches A, B, held-out, ``sealed`` and ``sealed2`` were seen, by someone who never ran
digitize on it. It imports none of their builders (``qa_sealed.py``, ``qa_sealed2.py``) and prints
none of their text, names or numbers:

* ``es-office``: 12 documents ``V8MX01`` … ``V8MX12``. Page 1: an MX front page of
  ``bench/frontpage_sealed8.py`` (SVG rasterised by ``rsvg-convert``; its office-level scan; its
  field truth mapped to what ``digitize.synth_frontpages.score`` reads, every value printed on the
  page), never one of its REGRESSION documents. Pages 2-3: two Spanish prose pages of
  ``bench/sealed_es7.py`` (Pango typesetting, its own office scanner, its Spanish patent prose in
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es7_*.txt``), pages its own part does not read;
  truth: the page's text as printed (``sealed_es7``'s own truth of the page).
* ``en-office``: 12 documents ``V8PH01`` … ``V8PH12``. Page 1: a PH front page of
  ``frontpage_sealed8`` (as above). Pages 2-3: two consecutive pages of the ENGLISH description of
  one of six EP publications in the test data of github.com/max-planck-innovation-competition/go-epo-eps
  (``SOURCES``; Apache-2.0 repository; the EPO's publication data) — none of them in ``../shared``,
  in A/B/held-out, ``sealed``, ``sealed2`` or the table sets' lists — typeset with ``sealed_es7``'s
  Pango typesetting in layouts of this module (EP-style ``[0001]`` paragraph numbers, headings,
  one and two columns, a running head with the publication number), page 2 going on where page 1
  broke off, scanned by ``sealed_es7``'s office scanner (this module's seeds). Truth: the text as
  typeset. The text is not committed: it lives in ``$DIGITIZE_REAL_SETS/qa-sealed3/`` (``--text``
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
    "EP 3 782 854 A1": DATA + "application/v1-5-A1.xml",
    "EP 3 889 521 A1": DATA + "application/v1-5-1-A1-2.xml",
    "EP 0 546 210 B2": DATA + "grant/v1-1-B2.xml",
    "EP 1 497 510 B2": DATA + "grant/v1-3-B2.xml",
    "EP 3 404 678 B1": DATA + "grant/v1-5-B1.xml",
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", action="store_true", help=f"write the English text from the bare {REPO} mirror")
    args = ap.parse_args(argv)
    if args.text:
        print(write_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
