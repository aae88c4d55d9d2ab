"""Turn a fetched public repository into one real evaluation set: flat pairs of a page image and
its ground-truth text, ``OUT/<source>/<NAME>.<png|jpg|tif>`` + ``<NAME>.gt.txt`` (UTF-8).

Every source is described in ``bench/real_sets.toml`` (repository, commit, paths, truth format,
licence, part). This script downloads nothing: it reads a bare git directory that is already on
the machine (a ``git clone --bare`` or a mirror), at the commit the entry names.

    python bench/collect_real_sets.py SOURCE GIT_DIR [--out DIR]   # one source
    python bench/collect_real_sets.py --part PART --mirrors DIR [--out DIR] [--manifest]
                                          # every collectable source of a part, from DIR/<owner>+<name>
    python bench/collect_real_sets.py --manifest [--out DIR]       # OUT/MANIFEST.toml from what is there

``--mirrors DIR`` holds one bare git directory per repository, as ``fetch`` leaves them:
``DIR/<owner>+<name>/repo`` (or ``DIR/<owner>+<name>/repo/.git``, ``DIR/<owner>+<name>`` itself, or
``DIR/<name>.git``).

``--out`` defaults to ``$DIGITIZE_REAL_SETS`` or ``build/real-sets``.

Truth formats (``format`` in the entry):

* ``alto``: ALTO XML (eScriptorium exports), one truth line per ``TextLine`` (its ``String``
  contents joined by spaces, a ``HYP`` kept as ``-``), lines in file order. The image is the
  file named in ``sourceImageInformation/fileName`` beside the XML (else an image of the same stem).
* ``icdar``: ICDAR-2015 line boxes (``x1,y1,...,x4,y4,transcript`` a line, the SROIE receipts'
  ``.csv``), one truth line per box in file order; the image is found by ``image_from``.
* ``page``: PAGE XML, one line per ``TextLine`` (its own ``TextEquiv``, else its words), regions
  in ``ReadingOrder`` when there is one, else in file order; image from ``Page/@imageFilename``.
  ``page_status`` (a list, e.g. ``["GT"]``) keeps only pages whose Transkribus status
  (``TranskribusMetadata/@status``) is listed: a Transkribus export marks which pages were
  finished as ground truth.
* ``funsd``: the FUNSD form annotations (``{"form": [{"text", "box", "words": [{"text", "box"}]}]}``),
  one truth line per entity with text, in file order (an entity may span lines of print; word
  order does not matter to the score); entities without text (logos, boxes) are not text; the
  words' boxes are the transcribed boxes of ``max_outside``. The image is found by ``image_from``.
* ``text``: a plain UTF-8 text, its lines the truth (no boxes: ``max_outside`` is not measured).
  Such a source names its pages in ``pairs`` ([truth path, image path] each; several images may
  share a truth: photographs of one printed sheet), and the pages are named after their images.
  A pair may add a character span, [truth path, image path, start, end] (``end`` -1: to the end):
  the page's truth is that span of the truth file's text (decoded, Unicode NFC), for a source
  whose truth is one text for several consecutive pages (``sealed6``'s GOM manuals: the span of
  each page was placed by looking at where its printed body text begins, never by OCR).
* ``soduco``: the SoDUCo trade-directory benchmark (soduco/paper-ner-bench-das22): one JSON file
  (``paths[0]``, the cleaned human annotation ``10-ref-ocr-ner-json/all.json``) holds every
  directory entry of every page (``book``, ``page``, ``box`` [x, y, w, h], ``valid_box``, the
  human text with its line breaks); the page table (``paths[1]``, ``annotation_table.csv``) gives
  each page's row number ``#``, its entry count and unchecked entries, and the image is
  ``paths[2]`` + the row number on four digits + ``.jpg`` (the deskewed page the annotators saw).
  One truth line per printed line of an entry, entries in file order. A page is left out when an
  entry box is not valid, when the table counts unchecked entries, or when it counts more entries
  than the file holds (partial truth); page headers and running titles are not annotated: their
  ink is outside the transcribed boxes (``max_outside``). Pages are named ``<book>_<page>``.
* ``dp``: a Distributed Proofreaders project text (``paths[0]``, ``projectID<id>.txt``: every page
  of a book after DP's proofreading and formatting rounds, each under a ``-----File: NAME.png---``
  separator) and the folder of its page scans (``paths[1]``, the separators' names). One page per
  separator, made plain by ``dp_lines``: proofreaders' notes (``[**...]``), ``[Blank Page]``, the
  formatting rounds' block markers (``/* */``, ``/# #/``...) and tags (``<i>``, ``<sc>``,
  ``<tb>``...) out; footnotes, sidenotes and illustration captions kept as printed text, footnote
  anchors (``[1]``) and ligatures (``[oe]``) plain, the page-join marks (``-*``, ``*word``)
  resolved, ``--`` (DP's em dash) made an em dash. Running heads and page numbers are not in a DP
  text (its guidelines remove them). No boxes: ``max_outside`` is not measured. Pages are named
  after their scans. ``encoding`` (e.g. ``"latin-1"``: DP hands out ISO-8859-1 texts) decodes the
  project text (default UTF-8); ``text_commit`` reads it at another commit of the same repository
  (one whose post-processor deleted it once the page scans were added); a ``paths[0]`` ending in
  ``.zip`` is DP's download of the project text, read from its ``projectID*.txt`` member. DP's
  superscript marks (``^{os}``, ``^a``) are written plain.

XML is read by ``digitize.xmlsafe`` (no DTD, entity or network; a DOCTYPE declaring entities is
refused and the page left out). ``image_from`` ([regex, replacement] on the truth file's path)
finds images kept in another folder. ``marks_untranscribed = true``: an ALTO (or PAGE) line left
empty whose box is no wider than three times its height (a page number, a printer's signature mark, an
ornament) does not make the page partial; its ink counts as outside the transcribed lines.
``hand_blocks = true`` (ALTO): a line inside a ``TextBlock`` whose tags name it handwritten or a
manuscript addition (``MarginTextZone-ManuscriptAddendum``) counts as a handwritten line, as a line
typed ``Handwritten`` does (``max_handwritten``). ``drop_pages`` (page name -> why) leaves out pages a pairing check (``check_pairs.py``) found
mis-paired, after ``max_pages`` has drawn its sample. ``truth_case = "upper"`` is read by
``real.py``: the source's truth is in capitals whatever the print.

A page is kept only when its truth covers it as far as the file can tell: every text line has a
transcription (a line left empty means the annotators transcribed part of the page), no line is
typed as handwritten (``LABEL`` containing ``Handwritten``: neither tool reads handwriting, and a
page that has it measures nothing about print; ``max_handwritten`` lets a typed page keep that many
such lines, a signature or a note by hand, taken out of the truth), at most ``max_outside``
(default 0.2) of the page's text-sized ink components lie outside every transcribed line box (annotators who left a
letterhead, stamps or a quoted passage out: measured on the image alone, no OCR), the page has at least ``min_words`` words and its
image is in the snapshot (files of 4 MiB and more and LFS content are not). ``replace`` (pairs of
a regex and its replacement, applied to every truth line) undoes a source's transcription marks
(a line-end hyphen written as a not sign, underscores marking underlined words). Word order does not
matter to the score (order-independent word error). ``max_pages`` keeps every k-th kept page in
path order (deterministic) so that one large source does not dominate. What was left out and why
goes to ``OUT/<source>/SOURCE.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path, PurePosixPath

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from digitize import xmlsafe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "bench" / "real_sets.toml"
IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def default_out() -> Path:
    return Path(os.environ.get("DIGITIZE_REAL_SETS", ROOT / "build" / "real-sets"))


def load_config(path: Path = CONFIG) -> list[dict]:
    with open(path, "rb") as f:
        return tomllib.load(f)["source"]


# --------------------------------------------------------------------------- git


class Repo:
    def __init__(self, git_dir: Path, commit: str):
        self.git_dir, self.commit = str(git_dir), commit

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", "--git-dir", self.git_dir, *args], check=True, capture_output=True).stdout

    def files(self, paths: list[str]) -> dict[str, tuple[str, int | None]]:
        """path -> (blob id, size or None when the blob is not in the snapshot)."""
        out = {}
        raw = self._git("ls-tree", "-r", "-l", "-z", self.commit, "--", *paths)
        for rec in raw.split(b"\0"):
            if not rec:
                continue
            meta, path = rec.split(b"\t", 1)
            _mode, kind, blob, size = meta.decode().split()
            if kind != "blob":
                continue
            out[path.decode("utf-8")] = (blob, int(size) if size.isdigit() else None)
        return out

    def has(self, blob: str) -> bool:
        return subprocess.run(["git", "--git-dir", self.git_dir, "cat-file", "-e", blob],
                              capture_output=True).returncode == 0

    def read(self, blob: str) -> bytes:
        return self._git("cat-file", "blob", blob)


# --------------------------------------------------------------------------- truth


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _xml(data: bytes):
    """The root of a truth file, read by the project's one safe parser (no DTD, no entity, no
    network; a DOCTYPE declaring entities is refused). eScriptorium and Transkribus exports of a
    dense page can pass libxml2's default limits, hence ``huge_tree``."""
    return xmlsafe.fromstring(data, huge_tree=True)


def alto_page(data: bytes, hand_blocks: bool = False) -> dict:
    root = _xml(data)
    tags = {}
    image = None
    for el in root.iter():
        name = _local(el.tag)
        if name == "OtherTag":
            tags[el.get("ID")] = el.get("LABEL", "")
        elif name == "fileName" and el.text and image is None:
            image = el.text.strip()
    lines, empty, handwritten, boxes, hand, marks = [], 0, 0, [], [], 0
    size = None
    for el in root.iter():
        if _local(el.tag) == "Page" and el.get("WIDTH") and el.get("HEIGHT"):
            size = (float(el.get("WIDTH")), float(el.get("HEIGHT")))
            break
    for line in root.iter():
        if _local(line.tag) != "TextLine":
            continue
        labels = " ".join(tags.get(t, "") for t in (line.get("TAGREFS") or "").split())
        is_hand = "handwrit" in labels.lower()
        if hand_blocks and line.getparent() is not None:  # the block's type: a manuscript addition
            block = " ".join(tags.get(t, "") for t in (line.getparent().get("TAGREFS") or "").split()).lower()
            is_hand = is_hand or "handwrit" in block or "manuscript" in block
        has_text = any(_local(s.tag) == "String" and (s.get("CONTENT") or "").strip() for s in line)
        box = None
        if line.get("HPOS") is not None and line.get("HEIGHT") is not None:
            x, y, w, h = (float(line.get(k, 0)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
            box = (x, y, x + w, y + h)
            if not has_text and not is_hand and w <= 3 * h:
                marks += 1  # an untranscribed box no wider than three times its height
                continue
        if box and not is_hand:
            boxes.append(box)
        if is_hand:
            handwritten += 1
            hand.append(len(lines))
        parts: list[str] = []
        for s in line:
            n = _local(s.tag)
            if n == "String" and s.get("CONTENT"):
                parts.append(s.get("CONTENT"))
            elif n == "HYP" and parts:
                parts[-1] += "-"
        text = " ".join(parts).strip()
        if not text:
            empty += 1
        lines.append(text)
    return {"image": image, "lines": lines, "empty": empty, "handwritten": handwritten, "boxes": boxes, "size": size,
            "hand": hand, "marks": marks}


def page_page(data: bytes) -> dict:
    root = _xml(data)
    image = None
    regions: dict[str, etree._Element] = {}
    order: list[str] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "Page":
            image = el.get("imageFilename")
        elif name == "TextRegion":
            regions[el.get("id")] = el
        elif name == "RegionRefIndexed":
            order.append((int(el.get("index", "0")), el.get("regionRef")))
    ordered = [regions[r] for _, r in sorted(order) if r in regions] if order else []
    ordered += [r for r in regions.values() if r not in ordered]

    def equiv(el) -> str | None:
        for eq in el:
            if _local(eq.tag) == "TextEquiv":
                for u in eq:
                    if _local(u.tag) == "Unicode":
                        return u.text or ""
        return None

    lines, empty, boxes = [], 0, []
    size = None
    for el in root.iter():
        if _local(el.tag) == "Page" and el.get("imageWidth"):
            size = (float(el.get("imageWidth")), float(el.get("imageHeight")))
            break
    status = next((el.get("status") for el in root.iter() if _local(el.tag) == "TranskribusMetadata"), None)
    marks = 0
    for region in ordered:
        for line in region:
            if _local(line.tag) != "TextLine":
                continue
            box = None
            for co in line:
                if _local(co.tag) == "Coords" and co.get("points"):
                    pts = [tuple(map(float, p.split(","))) for p in co.get("points").split()]
                    box = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
            text = equiv(line)
            if not text:
                words = [equiv(w) or "" for w in line if _local(w.tag) == "Word"]
                text = " ".join(w for w in words if w)
            if not text.strip() and box and box[2] - box[0] <= 3 * (box[3] - box[1]):
                marks += 1  # an untranscribed box no wider than three times its height (as in ALTO)
                continue
            if box:
                boxes.append(box)
            if not text.strip():
                empty += 1
            lines.append(text.strip())
    return {"image": image, "lines": lines, "empty": empty, "handwritten": 0, "boxes": boxes, "size": size,
            "status": status, "marks": marks}


def icdar_page(data: bytes) -> dict:
    """ICDAR-2015-style line boxes as the SROIE receipts ship them: one text line per box,
    ``x1,y1,x2,y2,x3,y3,x4,y4,transcript`` (the transcript may itself hold commas), UTF-8 (a
    byte-order mark and CRLF tolerated), lines in file order. No image name inside: the image is
    found by the entry's ``image_from``."""
    text = data.decode("utf-8-sig", errors="replace")
    lines, boxes, empty = [], [], 0
    for raw in text.splitlines():
        if not raw.strip():
            continue
        parts = raw.split(",", 8)
        try:
            xy = [float(v) for v in parts[:8]]
        except ValueError:
            xy = []
        if len(parts) < 9 or len(xy) != 8:
            raise ValueError(f"not an ICDAR box line: {raw[:60]!r}")
        xs, ys = xy[0::2], xy[1::2]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
        t = parts[8].strip()
        if not t:
            empty += 1
        lines.append(t)
    return {"image": None, "lines": lines, "empty": empty, "handwritten": 0, "boxes": boxes, "size": None}


def funsd_page(data: bytes) -> dict:
    """A FUNSD form annotation (Jaume et al. 2019): one truth line per entity that has text, in
    file order; the boxes of its words (``[x0, y0, x1, y1]`` in image pixels) for ``max_outside``.
    No image name inside: the image is found by the entry's ``image_from``."""
    form = json.loads(data.decode("utf-8-sig")).get("form")
    if not isinstance(form, list):
        raise ValueError("not a FUNSD annotation (no 'form' list)")
    lines, boxes = [], []
    for entity in form:
        text = " ".join((entity.get("text") or "").split())
        if not text:
            continue  # an entity without text (a logo, a box): nothing to read
        lines.append(text)
        for word in entity.get("words") or []:
            box = word.get("box")
            if (word.get("text") or "").strip() and isinstance(box, list) and len(box) == 4:
                boxes.append(tuple(float(v) for v in box))
    return {"image": None, "lines": lines, "empty": 0, "handwritten": 0, "boxes": boxes, "size": None}


def text_page(data: bytes, span: tuple[int, int] | None = None) -> dict:
    """A plain text truth: its non-blank lines; no boxes (``max_outside`` is not measured). With
    ``span`` (start, end; end -1: to the end) only that part of the text (Unicode NFC) is the page's."""
    text = data.decode("utf-8-sig")
    if span is not None:
        start, end = span
        text = unicodedata.normalize("NFC", text)
        text = text[start:] if end < 0 else text[start:end]
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return {"image": None, "lines": [t for t in lines if t], "empty": 0, "handwritten": 0, "boxes": [], "size": None}


def soduco_pages(repo: "Repo", files: dict, entry: dict) -> list[tuple[str, str, str | None, dict | str]]:
    """The pages of the SoDUCo benchmark (format ``soduco``, see the module docstring): one
    (name, truth path, image path, page dict or why it is left out) per page of the table."""
    import csv

    truth_path, table_path, image_dir = entry["paths"][:3]
    entries = json.loads(repo.read(files[truth_path][0]).decode("utf-8"))
    by_page: dict[tuple[str, int], list[dict]] = {}
    for e in entries:
        by_page.setdefault((e["book"], int(e["page"])), []).append(e)
    table = repo.read(files[table_path][0]).decode("utf-8-sig").splitlines()
    out = []
    for row in csv.DictReader(table):
        num = (row.get("#") or "").strip()
        if not num.isdigit() or not (row.get("PDF") or "").strip():
            continue
        book, view = row["PDF"].strip(), int(row["VUE"])
        name, image = f"{book}_{view}", f"{image_dir.rstrip('/')}/{int(num):04d}.jpg"
        ents = by_page.get((book, view), [])
        counted = (row.get("N ENTRÉES") or "").strip()
        unchecked = (row.get("N UNCHECKED") or "").strip()
        if not ents:
            out.append((name, truth_path, image, "no annotated entry in the truth file"))
        elif not all(e.get("valid_box", True) for e in ents):
            out.append((name, truth_path, image, "an entry box marked not valid (partial truth)"))
        elif unchecked not in ("", "0"):
            out.append((name, truth_path, image, f"{unchecked} entries not checked by the annotators"))
        elif counted.isdigit() and int(counted) > len(ents):
            out.append((name, truth_path, image, f"{len(ents)} of {counted} entries in the truth (partial truth)"))
        else:
            lines = [t.strip() for e in ents for t in (e.get("text_ocr") or "").splitlines()]
            boxes = [(float(e["box"][0]), float(e["box"][1]), float(e["box"][0]) + float(e["box"][2]),
                      float(e["box"][1]) + float(e["box"][3])) for e in ents]
            out.append((name, truth_path, image, {"image": None, "lines": [t for t in lines if t], "empty": 0,
                                                 "handwritten": 0, "boxes": boxes, "size": None}))
    return out


_DP_SEPARATOR = re.compile(r"^-----File: ?([^\s-][^\s]*?\.(?:png|jpg|jpeg|tif|tiff))-+.*$", re.M | re.I)
_DP_BLOCK = re.compile(r"^\s*(?:/[*#$pxfrcil]|[*#$pxfrcil]/)\s*(?:\[[^\]]*\])?\s*$")  # /* */ /# #/ ... on a line
_DP_TAGGED = ("Footnote", "Illustration", "Sidenote")


def _dp_tagged(text: str) -> str:
    """[Footnote 1: body], [Illustration: caption], [Illustration], [Sidenote: body] (bracket
    depth counted, a body may span lines): the printed label and body stay, the markup goes."""
    out, i = [], 0
    while True:
        j = min((k for k in (text.find("[" + t, i) for t in _DP_TAGGED) if k >= 0), default=-1)
        if j < 0:
            return "".join(out) + text[i:]
        out.append(text[i:j])
        depth, k = 0, j
        while k < len(text):
            depth += {"[": 1, "]": -1}.get(text[k], 0)
            if depth == 0:
                break
            k += 1
        inner = text[j + 1:k]
        head, _, body = inner.partition(":")
        tag = head.split()[0] if head.split() else ""
        label = head[len(tag):].strip() if tag == "Footnote" else ""
        out.append(" " + (label + " " if label else "") + (body if _ else "") + " ")
        i = k + 1


def dp_lines(chunk: str) -> list[str]:
    """One page of a Distributed Proofreaders text (the proofread rounds' output, as DP hands it
    to the post-processor) made plain: proofreaders' notes ``[**...]``, ``[Blank Page]``, the
    formatting rounds' block markers (``/* */``, ``/# #/``...) and inline tags (``<i>``, ``<sc>``,
    ``<tb>``...) taken out; footnotes, sidenotes and illustration captions kept as printed text;
    footnote anchors ``[1]`` and ligatures ``[oe]`` written plain; the page-join marks ``-*`` and
    ``*word`` resolved; ``--`` (DP's em dash) made '\u2014'. Running heads and page numbers are
    not in a DP text (its guidelines remove them)."""
    text = chunk.replace("\r", "")
    text = re.sub(r"\[\*\*[^\]]*\]", "", text)
    text = text.replace("[Blank Page]", "")
    text = _dp_tagged(text)
    text = re.sub(r"\[(oe|OE|ae|AE)\]", r"\1", text)
    text = re.sub(r"\[(\d+|[A-Za-z]|\*|\u2020|\u2021|\u00a7)\]", r"\1", text)
    text = re.sub(r"</?(?:i|b|sc|f|g|u)>|<tb>", "", text)
    text = re.sub(r"\^\{([^}]*)\}|\^(\w)", lambda m: m.group(2) if m.group(1) is None else m.group(1), text)  # superscripts
    lines = []
    for line in text.split("\n"):
        if _DP_BLOCK.match(line):
            continue
        line = line.replace("-*", "-")
        line = re.sub(r"(^|\s)\*(?=\S)", r"\1", line)
        line = re.sub(r"(?<=\S)\*(?=\s|$)", "", line)
        line = line.replace("--", "\u2014")
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return lines


def dp_pages(repo: "Repo", files: dict, entry: dict) -> list[tuple[str, str, str | None, dict | str]]:
    """The pages of one Distributed Proofreaders text (format ``dp``): ``paths[0]`` is the
    project's text (``projectID<id>.txt``: every page after the proofreading and formatting rounds,
    each under its ``-----File: NAME.png---`` separator), ``paths[1]`` the folder of the page scans
    named in the separators. One (name, truth path, image path, page dict) per separator."""
    text_path, image_dir = entry["paths"][:2]
    if entry.get("text_commit"):  # the project text as it stood at another commit
        at = Repo(Path(repo.git_dir), entry["text_commit"]).files([text_path])
        if text_path not in at:
            raise SystemExit(f"{entry['name']}: {text_path} not at {entry['text_commit']}")
        data = repo.read(at[text_path][0])
    else:
        data = repo.read(files[text_path][0])
    if text_path.lower().endswith(".zip"):  # DP's download: the project text inside
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            member = next(n for n in sorted(z.namelist())
                          if PurePosixPath(n).name.startswith("projectID") and n.endswith(".txt"))
            data = z.read(member)
    encoding = entry.get("encoding", "utf-8-sig")
    raw = data.decode(encoding)
    marks = list(_DP_SEPARATOR.finditer(raw))
    out = []
    for m, nxt in zip(marks, marks[1:] + [None]):
        chunk = raw[m.end():nxt.start() if nxt else len(raw)]
        image = f"{image_dir.rstrip('/')}/{m.group(1)}"
        name = f"{image_dir.rstrip('/')}/{PurePosixPath(m.group(1)).stem}"
        out.append((name, text_path, image, {"image": None, "lines": dp_lines(chunk), "empty": 0, "handwritten": 0,
                                             "boxes": [], "size": None}))
    return out


READERS = {"alto": alto_page, "page": page_page, "icdar": icdar_page, "funsd": funsd_page, "text": text_page,
           "soduco": None, "dp": None}
TRUTH_EXTS = {"alto": (".xml",), "page": (".xml",), "icdar": (".csv", ".txt"), "funsd": (".json",), "text": (".txt",),
              "soduco": (".json",), "dp": (".txt", ".zip")}


def ink_outside(image: bytes, boxes: list[tuple[float, float, float, float]],
                size: tuple[float, float] | None) -> float | None:
    """Share of the text-sized ink components of the page image whose centre lies outside every
    transcribed line box (widened by half a line height): text the annotators did not transcribe
    (a letterhead, a stamp, a quoted passage left out) shows up here. Independent of any OCR.
    None when the file gives no line coordinates (nothing to measure)."""
    import cv2
    import numpy as np

    if not boxes:
        return None
    grey = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        return 1.0
    h, w = grey.shape
    sx, sy = (w / size[0], h / size[1]) if size and size[0] and size[1] else (1.0, 1.0)
    f = min(1.0, 1600 / max(h, w))
    small = cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, 31, 20)
    mask = np.zeros(ink.shape, np.uint8)
    heights = []
    for x0, y0, x1, y1 in boxes:
        x0, x1, y0, y1 = x0 * sx * f, x1 * sx * f, y0 * sy * f, y1 * sy * f
        lh = max(1.0, y1 - y0)
        heights.append(lh)
        cv2.rectangle(mask, (int(x0 - 0.5 * lh), int(y0 - 0.4 * lh)), (int(x1 + 0.5 * lh), int(y1 + 0.4 * lh)), 1, -1)
    lh = float(np.median(heights))
    n, _labels, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    total = outside = 0
    for i in range(1, n):
        cw, ch, area = stats[i, 2], stats[i, 3], stats[i, 4]
        if ch < 0.18 * lh or ch > 1.5 * lh or cw > 3 * lh or area < 6:  # specks, rules, pictures
            continue
        total += 1
        cx, cy = min(int(centres[i, 0]), mask.shape[1] - 1), min(int(centres[i, 1]), mask.shape[0] - 1)
        outside += not mask[cy, cx]
    return outside / total if total else 0.0


# --------------------------------------------------------------------------- collect


def _slug(path: str, strip: str) -> str:
    rel = path[len(strip):] if strip and path.startswith(strip) else path
    stem = str(PurePosixPath(rel).with_suffix(""))
    s = re.sub(r"[^A-Za-z0-9-]+", "_", stem).strip("_")
    if len(s) > 90:  # keep names short; the hash keeps them unique
        s = s[:80] + "-" + hashlib.sha1(stem.encode()).hexdigest()[:8]
    return s


def _apply(line: str, replace: list) -> str:
    for pattern, repl in replace:
        line = pattern.sub(repl, line)
    return line.strip()


def _image_for(xml_path: str, wanted: str | None, files: dict, image_from: tuple | None = None) -> str | None:
    folder = str(PurePosixPath(xml_path).parent)
    cands = []
    if image_from:  # [regex, replacement]: the image's path from the truth file's path
        pattern, repl = image_from
        stem = re.sub(pattern, repl, xml_path)
        cands += [stem] + [stem + e for e in IMAGE_EXTS] + [stem + e.upper() for e in IMAGE_EXTS]
    if wanted:
        cands.append(f"{folder}/{PurePosixPath(wanted).name}")
    stem = str(PurePosixPath(xml_path).with_suffix(""))
    cands += [stem + e for e in IMAGE_EXTS] + [stem + e.upper() for e in IMAGE_EXTS]
    for c in cands:
        if c in files:
            return c
    return None


def _image_info(data: bytes) -> dict:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        dpi = im.info.get("dpi")
        return {"width": im.width, "height": im.height, "mode": im.mode,
                "dpi": [round(float(d)) for d in dpi] if dpi else None}


def collect(entry: dict, git_dir: Path, out: Path) -> dict:
    repo = Repo(git_dir, entry["commit"])
    paths = entry.get("paths", ["."])
    files = repo.files(paths)
    reader = READERS[entry["format"]]
    if entry["format"] == "alto" and entry.get("hand_blocks"):
        reader = lambda data: alto_page(data, hand_blocks=True)  # noqa: E731
    include = [re.compile(p) for p in entry.get("include", [])]
    exclude = [re.compile(p) for p in entry.get("exclude", [])]
    min_words = entry.get("min_words", 20)
    max_outside = entry.get("max_outside", 0.2)
    max_hand = entry.get("max_handwritten", 0)
    strip = entry.get("strip_prefix", "")
    replace = [(re.compile(a), b) for a, b in entry.get("replace", [])]
    image_from = tuple(entry["image_from"]) if entry.get("image_from") else None
    drop_pages = dict(entry.get("drop_pages", {}))
    exts = TRUTH_EXTS[entry["format"]]
    kept, dropped, seen_images = [], [], set()
    # ``pairs`` ([truth, image] each): the pages are named; else every truth file of the paths
    # (a pair may name a character span of its truth: [truth, image, start, end])
    pairs = ([(p[0], p[1], None, tuple(p[2:4]) if len(p) > 2 else None) for p in entry.get("pairs", [])]
             or [(path, None, None, None) for path in sorted(files)])
    if entry["format"] == "soduco":  # one truth file for every page: the pages come from its table
        pairs = [(truth, image, (name, page), None) for name, truth, image, page in soduco_pages(repo, files, entry)]
    if entry["format"] == "dp":  # one text for every page: the pages come from its separators
        pairs = [(truth, image, (name, page), None) for name, truth, image, page in dp_pages(repo, files, entry)]
    for path, named_image, given, span in pairs:
        if given and isinstance(given[1], str):
            dropped.append({"path": given[0], "why": given[1]})
            continue
        if path not in files and not (given and entry.get("text_commit")):
            dropped.append({"path": path, "why": "truth file not in the snapshot at this commit"})
            continue
        if not path.lower().endswith(exts):
            continue
        if include and not any(p.search(path) for p in include):
            continue
        if any(p.search(path) for p in exclude):
            continue
        blob = None if given else files[path][0]
        try:
            page = given[1] if given else (text_page(repo.read(blob), span) if span else reader(repo.read(blob)))
        except (etree.XMLSyntaxError, xmlsafe.UnsafeXML, ValueError) as e:
            dropped.append({"path": path, "why": f"truth not read: {e}"})
            continue
        page["lines"] = [_apply(line, replace) for line in page["lines"]]
        if span:
            page["span"] = list(span)
        if page.get("marks") and not entry.get("marks_untranscribed"):
            page["empty"] += page["marks"]  # as any line without transcription, unless the entry says
        if page["handwritten"] and page["handwritten"] <= max_hand:
            # a signature or a note by hand on a typed page: out of the truth (neither tool reads
            # handwriting); its ink is outside every transcribed box, so max_outside still holds
            gone = set(page.get("hand", []))
            page["empty"] -= sum(1 for i in gone if not page["lines"][i])
            page["lines"] = [t for i, t in enumerate(page["lines"]) if i not in gone]
            page["handwritten"] = 0
        image = named_image if named_image in files else (None if named_image else
                                                          _image_for(path, page["image"], files, image_from))
        # what the page is named after: its image when the entry names pairs, its name in a table
        key = given[0] if given else (named_image or path)
        words = sum(len(line.split()) for line in page["lines"])
        why = None
        if image is None:
            why = "no image beside the XML"
        elif files[image][1] is None or not repo.has(files[image][0]):
            why = "image not in the snapshot (4 MiB or more, or LFS)"
        elif files[image][0] in seen_images:
            why = "same image as an earlier page"
        elif page["empty"]:
            why = f"{page['empty']} of {len(page['lines'])} lines without transcription (partial truth)"
        elif page["handwritten"]:
            why = f"{page['handwritten']} handwritten lines"
        elif words < min_words:
            why = f"{words} words (< {min_words})"
        elif entry.get("page_status") and page.get("status") not in entry["page_status"]:
            why = f"Transkribus status {page.get('status')} (not {' or '.join(entry['page_status'])}: not ground truth)"
        outside = None
        if not why and max_outside < 1:
            outside = ink_outside(repo.read(files[image][0]), page["boxes"], page["size"])
            outside = None if outside is None else round(outside, 3)
            if outside is not None and outside > max_outside:
                why = f"{outside:.0%} of the text-sized ink outside the transcribed lines (partial truth)"
        if why:
            dropped.append({"path": key, "why": why})
            continue
        seen_images.add(files[image][0])
        kept.append((key, path, image, page, words, outside))
    limit = entry.get("max_pages")
    if limit and len(kept) > limit:
        step = len(kept) / limit
        chosen = {int(i * step) for i in range(limit)}
        for i, k in enumerate(kept):
            if i not in chosen:
                dropped.append({"path": k[0], "why": f"not among the {limit} pages taken (max_pages)"})
        kept = [k for i, k in enumerate(kept) if i in chosen]
    # pages the entry names (after the sample is drawn, so that leaving a page out never brings
    # another one in): a pairing check found the truth does not describe the image
    for k in [k for k in kept if _slug(k[0], strip) in drop_pages]:
        dropped.append({"path": k[0], "why": f"left out by the entry (drop_pages): {drop_pages[_slug(k[0], strip)]}"})
    kept = [k for k in kept if _slug(k[0], strip) not in drop_pages]

    folder = out / entry["name"]
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    pages = []
    for key, path, image, page, words, outside in kept:
        name = _slug(key, strip)
        ext = PurePosixPath(image).suffix.lower().replace(".jpeg", ".jpg").replace(".tiff", ".tif")
        data = repo.read(files[image][0])
        (folder / f"{name}{ext}").write_bytes(data)
        (folder / f"{name}.gt.txt").write_text("\n".join(page["lines"]).strip() + "\n", encoding="utf-8")
        pages.append({"name": name, "image": image, "truth": path, "words": words, "ink_outside": outside,
                      **({"span": page["span"], "starts": " ".join(" ".join(page["lines"]).split()[:6])}
                         if page.get("span") else {}),
                      **_image_info(data)})
    info = {"name": entry["name"], "repo": entry["repo"], "commit": entry["commit"], "format": entry["format"],
            "pages": pages, "dropped": dropped}
    (folder / "SOURCE.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return info


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def manifest(entries: list[dict], out: Path) -> Path:
    """``OUT/MANIFEST.toml``: every source of the config, its part and the pages present."""
    lines = ["# Real evaluation sets: written by bench/collect_real_sets.py --manifest from",
             "# bench/real_sets.toml and the pages found here. The split into parts is by source and",
             "# was made once: do not move a source between parts after looking at its figures.", ""]
    totals: dict[str, int] = {}
    for e in entries:
        folder = out / e["name"]
        src = folder / "SOURCE.json"
        pages = json.loads(src.read_text(encoding="utf-8"))["pages"] if src.is_file() else []
        n = len(pages) if pages else e.get("pages")
        if n and e.get("bench", "real.py") == "real.py":
            totals[e["part"]] = totals.get(e["part"], 0) + n
        lines += ["[[source]]", f"name = {_toml_str(e['name'])}", f"part = {_toml_str(e['part'])}",
                  f"repo = {_toml_str(e['repo'])}", f"commit = {_toml_str(e['commit'])}",
                  f"licence = {_toml_str(e['licence'])}", f"lang = {_toml_str(e.get('lang', 'eng'))}",
                  f"kinds = {json.dumps(e.get('kinds', []), ensure_ascii=False)}",
                  f"location = {_toml_str(e.get('location', 'root:' + e['name']))}",
                  f"bench = {_toml_str(e.get('bench', 'real.py'))}"]
        if n is not None:
            lines.append(f"page_count = {n}")
        if pages:
            lines.append("pages = [")
            lines += [f"  {{ name = {_toml_str(p['name'])}, image = {_toml_str(p['image'])}, "
                      f"size = [{p['width']}, {p['height']}], "
                      + (f"dpi = {json.dumps(p['dpi'])}, " if p["dpi"] else "") + f"words = {p['words']} }},"
                      for p in pages]
            lines.append("]")
        lines.append("")
    lines.insert(3, "# pages per part read by bench/real.py: "
                 + ", ".join(f"{k} {v}" for k, v in sorted(totals.items()))
                 + " (tesseract-test: its pages beyond the 4 committed copies, if any)")
    path = out / "MANIFEST.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mirror_dir(mirrors: Path, repo: str) -> Path | None:
    """The bare git directory of ``owner/name`` under ``mirrors``, None when it is not there."""
    owner, _, name = repo.partition("/")
    for cand in (mirrors / f"{owner}+{name}" / "repo", mirrors / f"{owner}+{name}" / "repo" / ".git",
                 mirrors / f"{owner}+{name}", mirrors / f"{name}.git"):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    return None


def _report(entry: dict, info: dict, out: Path) -> None:
    reasons: dict[str, int] = {}
    for d in info["dropped"]:
        key = re.sub(r"\d+", "N", d["why"])
        reasons[key] = reasons.get(key, 0) + 1
    print(f"{entry['name']}: {len(info['pages'])} pages, {sum(p['words'] for p in info['pages'])} words "
          f"-> {out / entry['name']}; left out: {reasons or 'none'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", nargs="?", help="a name from bench/real_sets.toml")
    ap.add_argument("git_dir", nargs="?", type=Path, help="bare git directory of the source's repository")
    ap.add_argument("--out", type=Path, default=default_out())
    ap.add_argument("--config", type=Path, default=CONFIG)
    ap.add_argument("--manifest", action="store_true", help="write OUT/MANIFEST.toml")
    ap.add_argument("--part", help="collect every collectable source of this part (needs --mirrors)")
    ap.add_argument("--mirrors", type=Path, help="folder of bare git dirs, DIR/<owner>+<name>[/repo]")
    args = ap.parse_args(argv)
    entries = load_config(args.config)
    if args.part:
        if args.source or args.mirrors is None:
            ap.error("--part takes --mirrors DIR and no SOURCE")
        chosen = [e for e in entries if e["part"] == args.part and "format" in e]
        if not chosen:
            raise SystemExit(f"no collectable source in part {args.part!r} of {args.config}")
        missing = [e["repo"] for e in chosen if mirror_dir(args.mirrors, e["repo"]) is None]
        if missing:
            raise SystemExit(f"not under {args.mirrors}: {', '.join(sorted(set(missing)))} (fetch them first)")
        for entry in chosen:
            _report(entry, collect(entry, mirror_dir(args.mirrors, entry["repo"]), args.out), args.out)
    if args.source:
        if args.git_dir is None:
            ap.error("give the bare git directory of the source's repository")
        entry = next((e for e in entries if e["name"] == args.source), None)
        if entry is None or "format" not in entry:
            raise SystemExit(f"{args.source!r} is not a collectable source of {args.config}")
        _report(entry, collect(entry, args.git_dir, args.out), args.out)
    if args.manifest:
        print(f"wrote {manifest(entries, args.out)}")
    if not args.source and not args.manifest and not args.part:
        ap.error("nothing to do: give SOURCE GIT_DIR, --part PART --mirrors DIR and/or --manifest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
