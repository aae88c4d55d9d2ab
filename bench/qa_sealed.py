"""The SEALED batch of ``bench/qa_effort.py`` (issue 29): ``--batch sealed``, run only to report.

Built after batches A, B and held-out were seen, by someone who never ran digitize on it. Its
documents share no generator code, no names and no text with them (those are
``digitize/synth_frontpages.py`` front pages, pages typeset by ``digitize.synth.render_text_page``,
Debian manual pages and the patent XML of ``../shared``):

* ``es-office``: 12 documents ``Q6MX01`` … ``Q6MX12``. Page 1: an MX front page of
  ``bench/frontpage_sealed6.py`` (Java 2D, its own office scanner, bilevel 300 dpi), 12 of the 18
  MX documents that are not its REGRESSION ones, drawn with ``SEED``; its field truth is
  ``synth_frontpages.score``'s format already (checked: every value printed, the keys known to
  ``QUEUE_NAMES``). Pages 2-3: pages 25-48 of ``bench/sealed_es5.py``'s stream (its ImageMagick
  typesetter, its layouts, its own office scanner; the Spanish patent prose of
  ``$DIGITIZE_REAL_SETS/spanish-patent-text/sealed_es5_patentes.txt``); the 24 pages its own
  ``--part sealed5`` reads are pages 1-24, so no page image is shared with it; truth: the lines
  as typeset.
* ``en-office``: 12 documents ``Q6PH01`` … ``Q6PH12``. Page 1: a PH front page of
  ``frontpage_sealed6`` (as above). Pages 2-3: two consecutive pages of ENGLISH description text
  of six US publications in github.com/USPTO/PatentPublicData (sample XML; CC0, US public-domain
  data; none of them in ``../shared``, in A/B/held-out or in ``bench/tables_sealed2_render.py``),
  typeset with ``sealed_es5``'s machinery (ImageMagick word metrics, greedy lines, ``-draw text``
  per word, its ``render`` and office scanner) in four layouts of this module (one column Noto
  Serif or C059; two columns DejaVu Sans Condensed or Noto Sans), justified without hyphenation,
  the publication's headings centred in bold and, for applications, the ``[0012]`` paragraph
  numbers in bold as printed. The text lives in ``$DIGITIZE_REAL_SETS/qa-sealed/qa_sealed_en.txt``
  (made by ``--text`` from the repository at the pinned commit; never committed).

Deterministic from ``SEED`` (and the JDK / ImageMagick builds). Pages are G4 TIFF, one folder
of pages per document, as the other batches.

    python bench/qa_sealed.py --text                      # the English text from the mirror
    python bench/qa_sealed.py --out DIR [--check]         # build both sets (+ raw tesseract check)
    python bench/qa_effort.py --batch sealed --build-only DIR   # the same documents, as qa_effort builds them
    python bench/qa_sealed.py --check-built DIR            # raw tesseract on them

``--check`` runs only the raw ``tesseract`` CLI: the prose pages' order-free word error against
their truth (``-l spa`` / ``-l eng``) and the share of the front pages' truth words found.
NEVER run digitize on these documents except the one reporting run of the lead.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SEED = 29_612_207
REAL = Path(os.environ.get("DIGITIZE_REAL_SETS", "/work/real-sets"))
QA = REAL / "qa-sealed"
EN_TEXT = QA / "qa_sealed_en.txt"
MIRROR = Path(os.environ.get("QA_SEALED_MIRROR", "/work/.mirror/USPTO+PatentPublicData/repo"))
REPO, COMMIT = "USPTO/PatentPublicData", "82d6220d054246265fb14892f45320600288949a"
LICENCE = "CC0-1.0 (repository); USPTO publication data, public domain"
SAMPLES = "PatentDocument/resources/samples/"
# publication -> (path in the repository, documents of en-office it gives, paragraph numbers printed)
SOURCES = {
    "US20010009014A1": (SAMPLES + "pap/US20010009014A1.xml", 3, True),
    "US06970935B1": (SAMPLES + "xml2004/US06970935.xml", 2, False),
    "US07272630B2": (SAMPLES + "xml2006/US07272630B2.xml", 2, False),
    "US06859910B2": (SAMPLES + "xml2004/US06859910.xml", 2, False),
    "US20010000044A1": (SAMPLES + "pap/US20010000044A1.xml", 2, True),
    "US20050004437A1": (SAMPLES + "xmlApp2004/US20050004437A1.xml", 1, True),
}
ES_FIRST_PAGE = 24  # sealed_es5 pages 0-23 are its own --part sealed5; these documents use 24 on
SAFE = set(chr(c) for c in range(32, 127)) | set("\u201c\u201d\u2018\u2019\u2014\u2013\u00b0")


def skip(msg: str) -> SystemExit:
    return SystemExit(f"qa sealed batch skipped: {msg}")


# ----------------------------------------------------------------------------- the English text


def _clean(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", "", fragment)
    text = html.unescape(text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def extract(xml: str, numbered: bool) -> list[tuple[str, str]]:
    """The description's headings and paragraphs in order: ("~", heading) or (number or "", text).
    Paragraphs with tables, formulas, lists, sub- or superscripts or characters outside ``SAFE``
    are left out (their printed form is not plain text)."""
    m = re.search(r"<(subdoc-description|description)\b[^>]*>(.*?)</\1>", xml, re.S)
    if not m:
        return []
    out = []
    pat = r"<(heading)\b[^>]*>(.*?)</heading>|<(?:paragraph|p)\b([^>]*)>(.*?)</(?:paragraph|p)>"
    for h, head, attrs, para in re.findall(pat, m.group(2), re.S):
        body = head if h else para
        if h:
            t = _clean(body)
            if t and set(t) <= SAFE and len(t) < 90:
                out.append(("~", t.upper() if t.isupper() else t))
            continue
        if re.search(r"<(table|maths?|chemistry|ul|ol|dl|sub|sup|subscript|superscript|img|in-line-formula)\b", body):
            continue
        num = ""
        nm = re.match(r"\s*<number>(.*?)</number>", body, re.S)
        if nm:
            num, body = _clean(nm.group(1)), body[nm.end():]
        elif re.search(r'num="(\d{4})"', attrs):
            num = "[" + re.search(r'num="(\d{4})"', attrs).group(1) + "]"
        t = _clean(body)
        if not numbered:
            num = ""
        if len(t) < 60 or not set(t) <= SAFE or not set(num) <= SAFE:
            continue
        out.append((num, t))
    return out


def write_text() -> Path:
    """``EN_TEXT`` from the bare mirror at ``COMMIT`` (``fetch`` github:USPTO/PatentPublicData)."""
    if not (MIRROR / "HEAD").is_file():
        raise skip(f"no mirror of {REPO} at {MIRROR} (set QA_SEALED_MIRROR)")
    lines = [f"# English description text of the qa_effort sealed batch (bench/qa_sealed.py). "
             f"Source: github.com/{REPO} at {COMMIT}; {LICENCE}.",
             "# == publication | title | path; ~ heading; NUMBER<TAB>paragraph ('-' when no number is printed)"]
    prov = {}
    for pub, (path, _, numbered) in SOURCES.items():
        xml = subprocess.run(["git", "--git-dir", str(MIRROR), "show", f"{COMMIT}:{path}"], check=True,
                             capture_output=True).stdout.decode("utf-8", "replace")
        tm = re.search(r"<(?:invention-title|title-of-invention)\b[^>]*>(.*?)</", xml, re.S)
        title = _clean(tm.group(1)) if tm else ""
        lines.append(f"== {pub} | {title} | {path}")
        for num, text in extract(xml, numbered):
            lines.append(f"~ {text}" if num == "~" else f"{num or '-'}\t{text}")
        lines.append("")
        prov[pub] = {"repository": f"github.com/{REPO}", "commit": COMMIT, "path": path, "licence": LICENCE,
                     "title": title}
    QA.mkdir(parents=True, exist_ok=True)
    EN_TEXT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (QA / "SOURCES.json").write_text(json.dumps(prov, indent=1) + "\n", encoding="utf-8")
    return EN_TEXT


def read_text() -> dict[str, list[tuple[str, str]]]:
    if not EN_TEXT.is_file():
        raise skip(f"{EN_TEXT} is missing (python bench/qa_sealed.py --text makes it from the {REPO} mirror)")
    pubs: dict[str, list[tuple[str, str]]] = {}
    cur = None
    for line in EN_TEXT.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("== "):
            cur = pubs.setdefault(line[3:].split(" | ")[0].strip(), [])
        elif line.startswith("~ "):
            cur.append(("~", line[2:].strip()))
        else:
            num, _, text = line.partition("\t")
            cur.append(("" if num == "-" else num, text.strip()))
    return pubs


# ----------------------------------------------------------------------------- English pages (sealed_es5's typesetter)


def _es5():
    os.environ.setdefault("DIGITIZE_REAL_SETS", str(REAL))  # its text where this batch's is (qa_effort's default)
    import sealed_es5

    return sealed_es5


def _metrics():
    es5 = _es5()

    class Metrics(es5.Metrics):  # this batch's own cache of ImageMagick's advances (es5's stays as it is)
        def _file(self, font: str) -> Path:
            folder = HERE.parent / "build" / "qa-sealed-metrics"
            folder.mkdir(parents=True, exist_ok=True)
            return folder / f"{font}.json"

    return Metrics()


def en_style(r: random.Random, first_page: int, total: int):
    """One of four layouts of this module for a document's description pages (es5's ``Style``)."""
    es5 = _es5()
    kind = r.choice(["one-serif", "two-cond", "one-c059", "two-sans"])
    font, bold, size, cols = {
        "one-serif": ("noto-serif", "noto-serif-bold", r.choice([10.5, 11.0, 11.5]), 1),
        "two-cond": ("dejavu-cond", "dejavu-cond-bold", r.choice([8.5, 9.0, 9.5]), 2),
        "one-c059": ("c059", "c059-bold", r.choice([10.0, 10.5, 11.0]), 1),
        "two-sans": ("noto-sans", "noto-sans-bold", r.choice([9.0, 9.5]), 2)}[kind]
    lead = size * (r.uniform(1.36, 1.52) if cols == 1 else r.uniform(1.24, 1.36))
    width = r.uniform(428, 452) if cols == 1 else r.uniform(468, 488)
    left = (es5.PAGE_W - width) / 2 + r.uniform(-6, 6)
    head, head_right, foot, rule = {
        "one-serif": ("SPECIFICATION", "", "- {n} -", True),
        "two-cond": ("DESCRIPTION", "Sheet {n} of {t}", "", False),
        "one-c059": ("Description", "Page {n}", "", r.random() < 0.5),
        "two-sans": ("DESCRIPTION OF THE INVENTION", "", "{n}", True)}[kind]
    return es5.Style(kind, font, bold, size, lead, cols, left, width, r.uniform(16, 24) if cols == 2 else 0.0,
                     r.uniform(94, 102), es5.PAGE_H - r.uniform(68, 78), head, head_right, foot, rule), \
        first_page, total


def en_tokens(items: list[tuple[str, str]], style) -> dict[str, set[str]]:
    plain, bold = {"n n", "nn"}, {"n n", "nn"}
    for num, text in items:
        (bold if num == "~" else plain).update(text.split())
        if num and num != "~":
            bold.add(num)
    for n in range(1, 40):
        plain.update(style.head_right.format(n=n, t=n + 9).split() + style.foot.format(n=n).split())
        for t in range(n, n + 16):
            plain.update(style.head_right.format(n=n, t=t).split())
    bold.update(style.head.split())
    return {style.font: plain, style.bold: bold}


def en_compose(items: list[tuple[str, str]], start: int, style_info, pages: int, m) -> list:
    """``pages`` consecutive pages of the description from item ``start`` on: lines filled down
    the columns and on to the next page (a paragraph may run over), headings kept with the text
    after them; the page after the last item starts the description again."""
    import dataclasses

    es5 = _es5()
    style, first_page, total = style_info
    colw = (style.width - style.gutter) / 2 if style.columns == 2 else style.width
    i, pending, out = start, [], []

    def block(num: str, text: str) -> tuple[list, float, int]:
        if num == "~":
            lines = es5.break_paragraph(m, [(w, style.bold) for w in text.split()], style.size, 0.0, colw, ragged=True)
            for ln in lines:
                ln.center = True
            return lines, style.lead * 0.8, len(lines) + 2
        words = [(w, style.font) for w in text.split()]
        if num:
            words.insert(0, (num, style.bold))
        lines = es5.break_paragraph(m, words, style.size, 0.0, colw, ragged=True,
                                    first_indent=0.0 if num else style.size * 1.5)
        for ln in lines[:-1]:
            ln.justify = True  # justified, never hyphenated (the breaker's hyphenation is Spanish)
        return lines, style.lead * 0.4, 2

    for p in range(pages):
        n = first_page + p
        st = dataclasses.replace(style, head_right=style.head_right.format(n=n, t=total),
                                 foot=style.foot.format(n=n))
        columns = [[] for _ in range(st.columns)]
        col, y = 0, st.top
        while col < st.columns:
            if not pending:
                if i >= len(items):
                    if any(columns):
                        break  # the description ends on this page
                    i = 0
                lines, gap, keep = block(*items[i])
                i += 1
                if columns[col] or col:
                    y += gap
                if y + st.lead * (min(keep, len(lines)) - 1) > st.bottom and columns[col]:
                    col, y = col + 1, st.top
                pending = lines
                continue
            if y > st.bottom:
                col, y = col + 1, st.top
                continue
            ln = pending.pop(0)
            ln.x = st.left + col * (colw + st.gutter) + (ln.x if not ln.center else 0.0)
            es5.place(m, ln)
            columns[col].append((y, ln))
            y += st.lead
        head = [es5.Line([(w, st.bold) for w in st.head.split()], st.left, st.width, st.size * 0.92, False)]
        if st.head_right:
            hw = sum(m.width(st.font, w, st.size * 0.92) for w in st.head_right.split()) + \
                m.space(st.font, st.size * 0.92) * (len(st.head_right.split()) - 1)
            head.append(es5.Line([(w, st.font) for w in st.head_right.split()], st.left + st.width - hw, hw,
                                 st.size * 0.92, False))
        foot = []
        if st.foot:
            foot = [es5.Line([(w, st.font) for w in st.foot.split()], st.left, st.width, st.size, False, center=True)]
        for ln in head + foot:
            es5.place(m, ln)
        out.append(es5.Page(st, head, [], columns, foot, 62.0, es5.PAGE_H - 44, 70.0))
    return out


def en_documents() -> list[tuple[str, int]]:
    """(publication, first item) of every English document, in the batch's order (``SEED``)."""
    items = read_text()
    docs = []
    for pub, (_, count, _) in SOURCES.items():
        n = len(items[pub])
        docs += [(pub, j * n // count) for j in range(count)]
    random.Random(SEED).shuffle(docs)
    return docs


# ----------------------------------------------------------------------------- the documents


def front_order(office: str) -> list[int]:
    """The sealed6 documents of ``office`` this batch prints, in its order (never REGRESSION)."""
    import frontpage_sealed6 as s6

    pool = [i for i in range(1, s6.PER_OFFICE + 1) if f"S6-{office}-{i:02d}" not in s6.REGRESSION]
    return random.Random(SEED + (1 if office == "MX" else 2)).sample(pool, len(pool))


def front_pages(office: str, docs: int, first: int) -> list:
    import frontpage_sealed6 as s6
    from digitize.synth_frontpages import QUEUE_NAMES

    order = front_order(office)
    if first - 1 + docs > len(order):
        raise SystemExit(f"qa sealed batch: {office} has {len(order)} front pages (documents 1-{len(order)})")
    samples = s6.build_all([(office, i) for i in order[first - 1:first - 1 + docs]])
    for s in samples:
        missing = s6.printed(s)
        unknown = set(s.truth) - set(QUEUE_NAMES)
        if missing or unknown:
            raise SystemExit(f"qa sealed batch: {s.name}: truth not printed {missing} / fields unknown {unknown}")
    return samples


def save_tiff(img: np.ndarray, path: Path, dpi: int) -> None:
    Image.fromarray(img).convert("1").save(path, compression="group4", dpi=(dpi, dpi))


def build(lang: str, docs: int, first: int, folder: Path) -> list[dict]:
    """Documents ``first`` … ``first + docs - 1`` of the sealed ``es-office`` (``lang`` es) or
    ``en-office`` (en) set: a folder of G4 TIFF pages each; returns their truth as ``DocTruth``
    fields (name, pages: the text as printed per page, fields: the front page's truth)."""
    es5 = _es5()
    office = "MX" if lang == "es" else "PH"
    cmd = es5.convert_cmd()
    blocks = es5.read_stream() if lang == "es" else None  # the text first: one line and out when absent
    items = read_text() if lang == "en" else None
    fronts = front_pages(office, docs, first)
    truths = []
    with tempfile.TemporaryDirectory(prefix="qa-sealed-") as tmp:
        if lang == "es":
            m = es5.Metrics()
            need = es5.tokens_for(blocks)
            for font in es5.FONTS:
                m.ensure(font, need["bold" if font.endswith("bold") else "plain"])
        else:
            en_docs = en_documents()
            m = _metrics()
        for d, sample in zip(range(first, first + docs), fronts):
            name = f"Q6{office}{d:02d}"
            target = folder / name
            target.mkdir(parents=True, exist_ok=True)
            im, dpi = sample.degraded["office"]
            save_tiff(im, target / "0001.tif", dpi)
            texts = [" ".join(sample.text).replace("\u00a0", " ")]
            if lang == "es":
                for j in (0, 1):
                    k = ES_FIRST_PAGE + 2 * (d - 1) + j
                    page = es5.compose(k, blocks, m)
                    img = es5.render(page, Path(tmp), cmd)
                    save_tiff(es5.scan_office(img, np.random.default_rng([es5.SEED, k, 1])), target / f"{j + 2:04d}.tif",
                              es5.DPI)
                    texts.append(es5.truth_of(page))
            else:
                pub, start = en_docs[(d - 1) % len(en_docs)]
                r = random.Random(SEED * 31 + d)
                first_page = r.randint(2, 9)
                info = en_style(r, first_page, first_page + r.randint(3, 14))
                for font, toks in en_tokens(items[pub], info[0]).items():
                    m.ensure(font, toks)
                for j, page in enumerate(en_compose(items[pub], start, info, 2, m)):
                    img = es5.render(page, Path(tmp), cmd)
                    save_tiff(es5.scan_office(img, np.random.default_rng([SEED, d, j + 2])), target / f"{j + 2:04d}.tif",
                              es5.DPI)
                    texts.append(es5.truth_of(page))
            truths.append({"name": name, "pages": texts, "fields": sample.truth})
            print(f"  {name}: {sample.name} + " + ("sealed_es5 pages %d-%d" % (ES_FIRST_PAGE + 2 * d - 1, ES_FIRST_PAGE + 2 * d)
                                                  if lang == "es" else f"{pub} from item {start}, {info[0].kind}"),
                  file=sys.stderr, flush=True)
    return truths


# ----------------------------------------------------------------------------- raw-CLI check


def tesseract(path: Path, lang: str) -> str:
    return subprocess.run(["tesseract", str(path), "-", "-l", lang, "--dpi", "300"], capture_output=True, text=True,
                          check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout


def front_found(truth: dict, read: str) -> float:
    """The share of the front page's truth words (number, title, party names) the raw CLI read."""
    got = set(read.replace(",", " ").replace(";", " ").split())
    words = [truth["doc_number"]] + truth["title"].split()
    for key in ("applicants", "assignees", "inventors", "agents"):
        for nm, _, _ in truth.get(key, []):
            words += nm.replace(",", " ").split()
    return sum(w in got for w in words) / len(words)


def check(folder: Path, truths: list[dict], lang: str) -> None:
    es5 = _es5()
    tl = "spa" if lang == "es" else "eng"
    errs, found = [], []
    for t in truths:
        doc = folder / t["name"]
        f = front_found(t["fields"], tesseract(doc / "0001.tif", tl))
        found.append(f)
        line = [f"{t['name']}: front {f:.2f}"]
        for k, text in enumerate(t["pages"][1:], 2):
            e = es5.word_error(text, tesseract(doc / f"{k:04d}.tif", tl))
            errs.append((e, len(text.split())))
            line.append(f"p{k} {len(text.split())} w err {e:.3f}")
        print("  " + ", ".join(line), flush=True)
    words = sum(n for _, n in errs)
    print(f"raw tesseract -l {tl}: prose pages {len(errs)}, {words} words, order-free word error "
          f"{sum(e * n for e, n in errs) / words:.4f} (word-weighted), worst {max(e for e, _ in errs):.4f}; "
          f"front pages {len(found)}: truth words found {sum(found) / len(found):.3f}, lowest {min(found):.2f}")


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", action="store_true", help="write the English text from the USPTO/PatentPublicData mirror")
    ap.add_argument("--out", type=Path, help="build es-office and en-office here (DIR/<set>/<doc>/, DIR/<set>/truth.json)")
    ap.add_argument("--sets", default="es-office,en-office")
    ap.add_argument("--docs", type=int, default=12)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--check", action="store_true", help="raw tesseract CLI on what was built (never digitize)")
    ap.add_argument("--check-built", type=Path, metavar="DIR",
                    help="the raw tesseract check of DIR/<set>/ as `qa_effort.py --batch sealed --build-only DIR` wrote it")
    args = ap.parse_args(argv)
    if args.text:
        print(write_text())
    if args.check_built:
        for s in [x for x in args.sets.split(",") if x]:
            folder = args.check_built / s
            check(folder, json.loads((folder / "truth.json").read_text(encoding="utf-8")), s.split("-")[0])
    if args.out:
        for s in [x for x in args.sets.split(",") if x]:
            lang = s.split("-")[0]
            folder = args.out / s
            truths = build(lang, args.docs, args.first, folder)
            (folder / "truth.json").write_text(json.dumps(truths, ensure_ascii=False), encoding="utf-8")
            print(f"{s}: {len(truths)} documents, {sum(len(t['pages']) for t in truths)} pages in {folder}", flush=True)
            if args.check:
                check(folder, truths, lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
