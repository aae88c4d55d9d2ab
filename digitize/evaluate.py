"""Accuracy of OCR output against ground truth: CER, WER and an order-independent word error.

Truth is a folder of files named after what they describe:

* ``<DOCID>.txt`` (or ``<input stem>.txt``): the whole document;
* ``<stem>-NNNN.txt`` / ``<stem>_pNNNN.txt`` (also ``.gt.txt``): page NNNN of document ``stem``;
* ``.hocr`` / ``.html`` (hOCR), ``.xml`` (ALTO or PAGE, told apart by the root element): the text
  of the recognised words, line by line.

Output is a job folder (``documents/<DOCID>/<DOCID>.txt`` and ``pages/NNNN.txt``; the ledger maps
input stems to DOCIDs, so truth may be named after the input file or after the publication), a
single document folder, or a plain folder of ``.txt`` files named like the truth.

Measures, on normalised text (NFKC, words split by a line-end hyphen joined, every run of
whitespace one space):

* CER: character Levenshtein distance / truth characters;
* WER: word Levenshtein distance / truth words (both with rapidfuzz);
* (hyphenated line breaks are joined first, see ``normalise``)
* OWE, the order-independent word error: the fewest word substitutions, insertions and deletions
  that turn the output's *bag* of words into the truth's, over truth words:
  ``max(|T - O|, |O - T|) / |T|`` with ``T``, ``O`` the word multisets, capped at 1. It never
  exceeds WER and equals it when the reading order is right, so a two-column page read across
  its columns is not punished for the order alone. ``missing = |T - O|`` (truth words not in the
  output) and ``extra = |O - T|`` are reported too.
* blank: the truth has words and the output has none.

Overall figures are totals (sum of edits / sum of truth units), so long pages weigh more.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lxml import html
from rapidfuzz.distance import Levenshtein

from .errors import DigitizeError
from .jobfolder import DocumentFolder, JobFolder
from . import xmlsafe
from .xmlread.elements import local_name

TRUTH_SUFFIXES = (".gt.txt", ".txt", ".hocr", ".html", ".alto.xml", ".page.xml", ".xml")
_PAGE_NAME = re.compile(r"^(?P<stem>.+?)(?:-|_p)(?P<page>\d{1,5})$")


class EvalError(DigitizeError, ValueError):
    """Unusable truth or output folders; the message says which."""


# --------------------------------------------------------------------------- measures


_SOFT_HYPHENS = str.maketrans({"\ufffe": "-\n", "\u00ad": "-\n", "\x02": "-\n"})


def normalise(text: str) -> str:
    """NFKC (ligatures such as 'ﬁ' become 'fi'), words broken by a hyphen at a line end joined
    ('au- tomated' -> 'automated', on both sides alike, so a tool that joins them is not
    punished), every whitespace run one space. PDF text layers mark such breaks with U+FFFE or
    a soft hyphen, taken as '-' plus a line break."""
    words = unicodedata.normalize("NFKC", text.translate(_SOFT_HYPHENS)).split()
    out: list[str] = []
    for w in words:
        if out and len(out[-1]) > 1 and out[-1].endswith("-") and out[-1][-2].isalpha() and w[:1].islower():
            out[-1] = out[-1][:-1] + w
        else:
            out.append(w)
    return " ".join(out)


@dataclass
class Score:
    """Edit counts of one unit (page or document); rates are derived so totals add up."""

    name: str
    output: str | None  # the output file compared ("" when none was found)
    truth_chars: int = 0
    truth_words: int = 0
    output_words: int = 0
    char_edits: int = 0
    word_edits: int = 0
    missing: int = 0  # |T - O|
    extra: int = 0  # |O - T|
    blank: bool = False

    @property
    def owe_edits(self) -> int:
        return min(max(self.missing, self.extra), self.truth_words) if self.truth_words else self.extra

    @staticmethod
    def _rate(edits: int, total: int) -> float:
        if total == 0:
            return 0.0 if edits == 0 else 1.0
        return min(1.0, edits / total)

    @property
    def cer(self) -> float:
        return self._rate(self.char_edits, self.truth_chars)

    @property
    def wer(self) -> float:
        return self._rate(self.word_edits, self.truth_words)

    @property
    def owe(self) -> float:
        return self._rate(self.owe_edits, self.truth_words)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(cer=round(self.cer, 4), wer=round(self.wer, 4), owe=round(self.owe, 4))
        return d


def score(name: str, truth: str, output: str, output_file: str | None = None) -> Score:
    """Compare one unit's texts (any whitespace; normalised here)."""
    t, o = normalise(truth), normalise(output)
    tw, ow = t.split(), o.split()
    tc, oc = Counter(tw), Counter(ow)
    return Score(
        name=name, output=output_file, truth_chars=len(t), truth_words=len(tw), output_words=len(ow),
        char_edits=Levenshtein.distance(t, o), word_edits=Levenshtein.distance(tw, ow),
        missing=sum((tc - oc).values()), extra=sum((oc - tc).values()), blank=bool(tw) and not ow,
    )


@dataclass
class Evaluation:
    units: list[Score] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # truth names without any output

    def total(self) -> Score:
        s = Score(name="overall", output=None)
        for u in self.units:
            for k in ("truth_chars", "truth_words", "output_words", "char_edits", "word_edits", "missing", "extra"):
                setattr(s, k, getattr(s, k) + getattr(u, k))
        return s

    def overall(self) -> dict:
        s = self.total()
        owe_edits = sum(u.owe_edits for u in self.units)
        return {
            "units": len(self.units), "truth_chars": s.truth_chars, "truth_words": s.truth_words,
            "cer": round(s.cer, 4), "wer": round(s.wer, 4),
            # per-unit bag differences added up: a word moved to another page is an error
            "owe": round(Score._rate(owe_edits, s.truth_words), 4),
            "missing": s.missing, "extra": s.extra,
            "blank_pages": sum(1 for u in self.units if u.blank), "unmatched": len(self.unmatched),
        }

    def to_dict(self) -> dict:
        return {"overall": self.overall(), "units": [u.to_dict() for u in self.units], "unmatched": self.unmatched}


# --------------------------------------------------------------------------- truth


def truth_name(path: Path) -> str | None:
    name = path.name
    for suffix in TRUTH_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return None


def _xml_text(path: Path) -> str:
    """Text of an ALTO or PAGE file (PAGE: region TextEquiv, else lines, else words). Parsed
    through ``xmlsafe``: a file declaring entities is refused with an ``EvalError``."""
    try:
        root = xmlsafe.parse(path, huge_tree=True).getroot()
    except xmlsafe.UnsafeXML as exc:
        raise EvalError(f"{path}: {exc}") from None
    kind = local_name(root)
    if kind == "alto":
        lines = []
        for line in root.iter():
            if local_name(line) == "TextLine":
                lines.append(" ".join(s.get("CONTENT", "") for s in line if local_name(s) == "String"))
        return "\n".join(lines)
    if kind == "PcGts":
        for level in ("TextRegion", "TextLine", "Word"):
            parts = []
            for el in root.iter():
                if local_name(el) != level:
                    continue
                for eq in el:
                    if local_name(eq) == "TextEquiv":
                        uni = [u for u in eq if local_name(u) == "Unicode"]
                        if uni and uni[0].text:
                            parts.append(uni[0].text)
                        break
            if parts:
                return "\n".join(parts)
        return ""
    raise EvalError(f"{path}: neither ALTO nor PAGE XML (root element {kind})")


def _hocr_text(path: Path) -> str:
    doc = html.parse(str(path)).getroot()
    lines = []
    for line in doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' ocr_line ')"
                          " or contains(concat(' ', normalize-space(@class), ' '), ' ocrx_line ')]"):
        words = line.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' ocrx_word ')]")
        lines.append(" ".join(w.text_content() for w in words) if words else line.text_content())
    if not lines:
        lines = [w.text_content() for w in doc.xpath("//*[contains(@class, 'ocrx_word')]")]
    return "\n".join(lines)


def read_truth(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".hocr", ".html")):
        return _hocr_text(path)
    if name.endswith(".xml"):
        return _xml_text(path)
    return path.read_text(encoding="utf-8", errors="replace")


def load_truth(folder: Path) -> dict[str, Path]:
    """Truth name -> file; a ``.gt.txt`` wins over a ``.txt`` of the same name."""
    if not folder.is_dir():
        raise EvalError(f"truth folder {folder} does not exist")
    out: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        name = truth_name(p) if p.is_file() and not p.name.startswith(".") else None
        if name is None:
            continue
        if name in out and out[name].name.endswith(".gt.txt"):
            continue
        out[name] = p
    if not out:
        raise EvalError(f"no truth files (.txt, .gt.txt, .hocr, ALTO/PAGE .xml) in {folder}")
    return out


# --------------------------------------------------------------------------- outputs


@dataclass
class OutputDoc:
    folder: Path
    text_file: Path | None
    pages: dict[int, Path]  # page number -> pages/NNNN.txt


def _doc_from_folder(folder: Path, doc_id: str) -> OutputDoc:
    pages = {}
    docf = DocumentFolder(folder)
    pages_dir = docf.pages_dir
    if pages_dir.is_dir():
        for p in pages_dir.glob("*.txt"):
            if p.stem.isdigit():
                pages[int(p.stem)] = p
    text = docf.text(doc_id)
    return OutputDoc(folder, text if text.is_file() else None, pages)


def load_outputs(folder: Path) -> tuple[dict[str, OutputDoc], dict[str, Path]]:
    """Documents by every name they answer to (DOCID, input stem) and plain ``.txt`` files."""
    if not folder.is_dir():
        raise EvalError(f"output folder {folder} does not exist")
    docs: dict[str, OutputDoc] = {}
    docs_dir = folder / "documents"
    if docs_dir.is_dir():
        for d in sorted(docs_dir.iterdir()):
            if d.is_dir():
                docs[d.name] = _doc_from_folder(d, d.name)
        job = JobFolder(folder)
        if job.exists():
            ledger = job.ledger(readonly=True)
            try:
                for row in ledger.rows(order="id"):
                    if row["doc_id"] is None:
                        continue
                    p = Path(row["input"])
                    stem = p.name if p.suffix == "" else p.stem
                    if row["doc_id"] in docs:
                        docs.setdefault(stem, docs[row["doc_id"]])
            finally:
                ledger.close()
    elif (folder / "pages").is_dir():  # one document folder
        docs[folder.name] = _doc_from_folder(folder, folder.name)
    plain = {p.stem: p for p in sorted(folder.glob("*.txt"))}
    if not docs and not plain and not docs_dir.is_dir():
        raise EvalError(f"{folder}: no documents/ folder, no pages/ folder and no .txt files")
    return docs, plain


def _read(p: Path) -> str:
    return p.read_text(encoding="utf-8", errors="replace")


def _find(name: str, docs: dict[str, OutputDoc], plain: dict[str, Path]) -> tuple[str, str] | None:
    """(output text, file shown) for a truth name, or None when nothing matches."""
    if name in plain:
        return _read(plain[name]), str(plain[name])
    m = _PAGE_NAME.match(name)
    if m and m["stem"] in docs:
        doc = docs[m["stem"]]
        page = doc.pages.get(int(m["page"]))
        return (_read(page), str(page)) if page else ("", "")
    if name in docs:
        doc = docs[name]
        if doc.text_file:
            return _read(doc.text_file), str(doc.text_file)
        if doc.pages:
            return "\n".join(_read(doc.pages[n]) for n in sorted(doc.pages)), str(doc.folder / "pages")
        return "", ""
    return None


def evaluate(out_dir: Path, truth_dir: Path) -> Evaluation:
    """Score every truth file against the output of the same name (missing output = blank)."""
    truth = load_truth(Path(truth_dir))
    docs, plain = load_outputs(Path(out_dir))
    report = Evaluation()
    for name, path in truth.items():
        found = _find(name, docs, plain)
        if found is None:
            report.unmatched.append(name)
            found = ("", "")
        text, shown = found
        report.units.append(score(name, read_truth(path), text, shown or None))
    return report


# --------------------------------------------------------------------------- display


def format_table(report: Evaluation) -> str:
    head = f"{'unit':<28} {'words':>6} {'CER':>7} {'WER':>7} {'OWE':>7}  note"
    lines = [head, "-" * len(head)]
    for u in report.units:
        note = "BLANK" if u.blank else ""
        if u.name in report.unmatched:
            note = "no output"
        lines.append(f"{u.name[:28]:<28} {u.truth_words:>6} {u.cer:>7.2%} {u.wer:>7.2%} {u.owe:>7.2%}  {note}")
    o = report.overall()
    lines.append("-" * len(head))
    lines.append(f"{'overall':<28} {o['truth_words']:>6} {o['cer']:>7.2%} {o['wer']:>7.2%} {o['owe']:>7.2%}  "
                 f"{o['blank_pages']} blank, {o['unmatched']} without output")
    return "\n".join(lines)
