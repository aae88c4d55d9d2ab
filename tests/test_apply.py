"""``digitize apply`` on a job folder built from a real OCR'd page: decisions reach the text,
JSON and XML; running it again changes nothing; the ledger state follows the queue."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from digitize.settings import profile as profiles
from digitize.store.ledger import Ledger
from digitize.model import Prepared, QueueCandidate
from digitize.apply import apply_job
from digitize.store.queue import Queue

from sheets import add_reviewer, fill_sheet

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LINES = [  # a front page whose mandatory fields the structure stage finds, then the text under review
    "(11) XX 0000001 A1",
    "(43) Date of publication: 15.03.2024",
    "(21) Application number: 24150123.4",  # with title and applicant: what issue 24's gate needs for done
    "(22) Date of filing: 10.01.2024",  # a front page without filing date or IPC is asked about (the trust gate)
    "(51) IPC: D03D 15/00 (2006.01)",
    "(54) Title: Filter fabric",
    "(71) Applicant: ACME FILTERS GmbH (DE)",
    "(72) Inventor: WEBER, Anna (DE)",  # a front page without inventors is asked about (issue 24)
    "(57) Abstract",
    "The present invention relates to a woven fabric for filters.",
    "A filter comprising tbe woven fabric and a frame is described.",
    "The frame holds the fabric under tension in every direction.",
]
DOC_ID = "XX0000001A1"


def _needs_pipeline():
    for mod in ("digitize.emit.alto", "digitize.emit.hocr"):
        assert importlib.util.find_spec(mod) is not None, f"{mod} is missing: finish_document cannot write pages"


@pytest.fixture
def job(tmp_path) -> tuple[Path, dict]:
    """A job folder as ``digitize run`` leaves it: ledger row, page image and OCR JSON."""
    _needs_pipeline()
    from digitize.ocr import get_engine
    from digitize.pipeline import finish_document, save_page
    from digitize.synth import degrade, render_text_page

    profile = profiles.load("generic")
    image, dpi = degrade(render_text_page(LINES, dpi=300, font_pt=12), "clean", 3)
    page = get_engine(profile.engine).recognize(Prepared(image=image, dpi=dpi), 1)
    work = tmp_path / "job" / "documents" / DOC_ID
    save_page(work, page, Prepared(image=image, dpi=dpi))
    finish_document(work, profile, source="scan.tif", doc_id=DOC_ID, force_doc_id=True)
    ledger = Ledger(tmp_path / "job" / "ledger.sqlite")
    ledger.register("scan.tif", 1, 1, "abc", "generic")
    ledger.mark_finished("scan.tif", state="needs-review", doc_id=DOC_ID, out_dir=f"documents/{DOC_ID}", pages=1,
                         seconds=1.0, validated="not-validated")
    ledger.close()
    words = {w.text.strip(".,"): w for w in page.words()}
    assert "tbe" in words and "woven" in words, page.text
    cands = [
        QueueCandidate(kind="word", page=1, bbox=words[t].bbox, text=words[t].text, confidence=12.0,
                       suggestions=s, context="", word_id=words[t].id)
        for t, s in (("tbe", ["the"]), ("woven", ["wove"]))
    ]
    Queue(tmp_path / "job" / "ledger.sqlite").enqueue(DOC_ID, cands)
    return tmp_path / "job", {c.text: c.word_id for c in cands}


def _state(job: Path) -> str:
    led = Ledger(job / "ledger.sqlite")
    try:
        return led.by_doc_id(DOC_ID)["state"]
    finally:
        led.close()


def _outputs(job: Path) -> dict[str, bytes]:
    folder = job / "documents" / DOC_ID
    return {p.name: p.read_bytes() for p in sorted(folder.glob(f"{DOC_ID}.*"))}


def test_apply_decisions_idempotent_and_state(job):
    job_dir, ids = job
    q = Queue(job_dir / "ledger.sqlite")

    # nothing decided yet: nothing to rebuild, the document stays in review
    (r,) = apply_job(job_dir)
    assert r.skipped and r.state == "needs-review" and _state(job_dir) == "needs-review"

    item = q.next_item("ana")
    assert item.word_id in ids.values()
    while item.text != "tbe":  # take the "tbe" item whatever the order
        q.skip(item.id, "ana")
        item = q.next_item("ana")
    q.decide(item.id, "ana", "suggestion", "the")
    (r,) = apply_job(job_dir)
    assert not r.error and not r.skipped and r.decisions == 1 and r.state == "needs-review"
    folder = job_dir / "documents" / DOC_ID
    text = (folder / f"{DOC_ID}.txt").read_text(encoding="utf-8")
    assert "comprising the woven" in text and "tbe" not in text.split()
    doc = json.loads((folder / f"{DOC_ID}.json").read_text(encoding="utf-8"))
    reviews = [c for c in doc["corrections"] if c["rule"] == "review:ana"]
    assert reviews == [{"word_id": ids["tbe"], "page": 1, "old": "tbe", "new": "the", "rule": "review:ana",
                        "confidence": 100.0}]
    page_json = json.loads((folder / "pages" / "0001.json").read_text(encoding="utf-8"))
    assert "tbe" in json.dumps(page_json)  # the page file keeps the engine's text
    for xml in folder.glob(f"{DOC_ID}.st*.xml"):
        body = xml.read_text(encoding="utf-8")
        if "woven" in body:  # the structure stage put the text into the XML
            assert "the woven" in body and "tbe woven" not in body, xml.name
    first = _outputs(job_dir)

    # again: nothing new, nothing rewritten; forced: byte-identical outputs
    (r,) = apply_job(job_dir)
    assert r.skipped and _outputs(job_dir) == first
    (r,) = apply_job(job_dir, force=True)
    assert not r.skipped and _outputs(job_dir) == first
    assert len(json.loads((folder / f"{DOC_ID}.json").read_text())["corrections"]) == len(doc["corrections"])

    # the last item decided (kept as read): the document is done
    item = q.next_item("ana")
    assert item.text == "woven"
    q.decide(item.id, "ana", "accept")
    (r,) = apply_job(job_dir)
    assert r.state == "done" and _state(job_dir) == "done"
    assert "woven" in (folder / f"{DOC_ID}.txt").read_text(encoding="utf-8")


def test_apply_command(job):
    job_dir, _ = job
    q = Queue(job_dir / "ledger.sqlite")
    while (item := q.next_item("ben")) is not None:
        q.decide(item.id, "ben", "correct", "THE" if item.text == "tbe" else item.text)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cmd = [str(Path(sys.executable).parent / "digitize"), "apply", str(job_dir)]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"{DOC_ID}: done" in r.stdout
    assert "comprising THE woven" in (job_dir / "documents" / DOC_ID / f"{DOC_ID}.txt").read_text()
    r = subprocess.run([cmd[0], "apply", str(job_dir / "nope")],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 2 and "not a job folder" in r.stderr


# --------------------------------------------------------------------------- issue 13: decisions reach every output

FRONTLESS = [  # a page with no front page: no (11), (43), (19), (13) anywhere
    "The present invention relates to a woven fabric for filters and to a method",
    "of making the fabric. A filter comprising the woven fabric and a frame is",
    "described. The frame holds the fabric under tension in every direction so",
    "that the filter keeps its shape when water flows through it at high speed.",
    "The fabric is made of polyester yarn which is resistant to heat and acids.",
]
FRONTLESS_ID = "scan"


def _run(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run([str(Path(sys.executable).parent / "digitize"), *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def _job_from_lines(root: Path, lines: list[str], doc_id: str, *, dpi_level: str = "clean") -> tuple[Path, object]:
    """A job folder as ``digitize run`` leaves it (ledger row, page image, OCR JSON, outputs, queue)."""
    _needs_pipeline()
    from digitize.ocr import get_engine
    from digitize.pipeline import finish_document, save_page
    from digitize.synth import degrade, render_text_page

    profile = profiles.load("generic")
    image, dpi = degrade(render_text_page(lines, dpi=300, font_pt=12), dpi_level, 3)
    page = get_engine(profile.engine).recognize(Prepared(image=image, dpi=dpi), 1)
    work = root / "job" / "documents" / doc_id
    save_page(work, page, Prepared(image=image, dpi=dpi))
    result = finish_document(work, profile, source=f"{doc_id}.tif", doc_id=doc_id, force_doc_id=True)
    ledger = Ledger(root / "job" / "ledger.sqlite")
    ledger.register(f"{doc_id}.tif", 1, 1, "abc", "generic")
    ledger.mark_finished(f"{doc_id}.tif", state=result.state, doc_id=doc_id, out_dir=f"documents/{doc_id}", pages=1,
                         seconds=1.0, validated=result.validated)
    ledger.close()
    Queue(root / "job" / "ledger.sqlite").enqueue(doc_id, result.candidates)
    return root / "job", page


def _validate_both(folder: Path, doc_id: str, schema_dir: Path):
    from lxml import etree

    from digitize.validate import check_st36, check_st96, safe_parser

    roots = {}
    for fmt, check in (("st36", check_st36), ("st96", check_st96)):
        root = etree.parse(str(folder / f"{doc_id}.{fmt}.xml"), safe_parser()).getroot()
        assert check(root, schema_dir) == [], fmt
        roots[fmt] = root
    return roots


def test_done_when_csv_round_trip_fills_missing_fields_and_flags_illegible(tmp_path, schema_dir):
    """Issue 13 "done when" (defects 1 and 2): a page without front page; the queue exported to
    CSV, the four mandatory fields filled in and a word marked illegible, imported, applied: the
    values are in JSON, ST.36 and ST.96 (valid), the word is flagged in hOCR, ALTO and JSON, and
    the document is done."""
    import csv

    job_dir, page = _job_from_lines(tmp_path, FRONTLESS, FRONTLESS_ID)
    folder = job_dir / "documents" / FRONTLESS_ID
    before = json.loads((folder / f"{FRONTLESS_ID}.json").read_text(encoding="utf-8"))
    assert before["biblio"]["doc_number"] is None and before["biblio"]["office"] is None
    polyester = next(w for w in page.words() if w.text.startswith("polyester"))
    Queue(job_dir / "ledger.sqlite").enqueue(FRONTLESS_ID, [QueueCandidate(
        kind="word", page=1, bbox=polyester.bbox, text=polyester.text, confidence=20.0, suggestions=["polyesters"],
        context="The fabric is made of polyester yarn", word_id=polyester.id)])

    sheet = tmp_path / "queue.csv"
    r = _run("queue", "export", str(job_dir), "--out", str(sheet))
    assert r.returncode == 0, r.stderr
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: spreadsheets read it as UTF-8
    rows = list(csv.DictReader(sheet.read_text(encoding="utf-8-sig").splitlines()))
    assert {"item_id", "document", "kind", "field", "page", "ocr_text", "context", "suggestions", "decision",
            "value"} <= set(rows[0])
    fields = {r["field"]: r for r in rows if r["kind"] == "field"}
    assert {"office", "doc_number", "kind", "publication_date"} <= set(fields)
    # the completeness gate (issue 24): no done document without application number, title, applicant
    assert {"application_number", "title", "parties:71"} <= set(fields)
    assert "date" in fields["publication_date"]["expected"]
    values = {"office": "ep", "doc_number": "2400812", "kind": "A1", "publication_date": "15.03.2024",
              "application_number": "24150123.4", "title": "Filter frame", "parties:71": "ACME FILTERS GmbH (DE)"}

    def decide(row: dict) -> tuple[str, str | None]:
        if row["kind"] == "field" and row["field"] in values:
            return "correct", values[row["field"]]
        if row["kind"] == "word" and row["ocr_text"] == polyester.text:
            return "illegible", None
        return "accept", None

    fill_sheet(sheet, rows, decide)

    add_reviewer(job_dir, "ana")
    r = _run("queue", "import", str(job_dir), str(sheet), "--reviewer", "ana")
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{len(rows)} applied, 0 skipped, 0 refused" in r.stdout
    r = _run("queue", "import", str(job_dir), str(sheet), "--reviewer", "ana")  # idempotent
    assert r.returncode == 0 and f"0 applied, {len(rows)} skipped, 0 refused" in r.stdout, r.stdout
    r = _run("apply", str(job_dir), "--schemas", str(schema_dir))
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{FRONTLESS_ID}: done" in r.stdout and "XML yes" in r.stdout, r.stdout
    assert _state_of(job_dir, FRONTLESS_ID) == "done"

    doc = json.loads((folder / f"{FRONTLESS_ID}.json").read_text(encoding="utf-8"))
    b = doc["biblio"]
    assert (b["office"]["value"], b["doc_number"]["value"], b["kind"]["value"], b["publication_date"]["value"]) \
        == ("EP", "2400812", "A1", "2024-03-15")
    assert not any(f.startswith("missing ") for f in doc["flags"]), doc["flags"]
    assert doc["illegible"] == [{"word_id": polyester.id, "page": 1, "text": polyester.text,
                                 "bbox": list(polyester.bbox), "reviewer": "ana"}]
    roots = _validate_both(folder, FRONTLESS_ID, schema_dir)
    st36 = roots["st36"]
    assert st36.get("doc-number") == "2400812" and st36.get("kind") == "A1" and st36.get("country") == "EP"
    assert st36.get("date-publ") == "20240315"
    ns = {"pat": "http://www.wipo.int/standards/XMLSchema/ST96/Patent",
          "com": "http://www.wipo.int/standards/XMLSchema/ST96/Common"}
    st96 = roots["st96"]
    pub = st96.find(".//pat:PatentPublicationIdentification", ns)
    assert pub.findtext("com:IPOfficeCode", namespaces=ns) == "EP"
    assert pub.findtext("pat:PublicationNumber", namespaces=ns) == "2400812"
    assert pub.findtext("com:PatentDocumentKindCode", namespaces=ns) == "A1"
    assert pub.findtext("com:PublicationDate", namespaces=ns) == "2024-03-15"
    marked = [e.text for e in st96.iter("{%s}OCRConfidenceData" % ns["com"])]
    assert polyester.text in marked  # ST.96: the illegible word wrapped in OCRConfidenceData

    hocr = (folder / "pages" / "0001.hocr").read_text(encoding="utf-8")
    assert f'id="{polyester.id}"' in hocr and "x_confs 0" in hocr
    alto = (folder / "pages" / "0001.alto.xml").read_text(encoding="utf-8")
    assert 'TAGREFS="illegible"' in alto and 'OtherTag ID="illegible"' in alto
    page_json = json.loads((folder / "pages" / "0001.json").read_text(encoding="utf-8"))
    flagged = [w for b_ in page_json["blocks"] for ln in b_["lines"] for w in ln["words"] if w.get("illegible")]
    assert [w["id"] for w in flagged] == [polyester.id] and flagged[0]["text"] == polyester.text
    assert polyester.text in (folder / f"{FRONTLESS_ID}.txt").read_text(encoding="utf-8")  # the text stays as read


def _state_of(job: Path, doc_id: str) -> str:
    led = Ledger(job / "ledger.sqlite")
    try:
        return led.by_doc_id(doc_id)["state"]
    finally:
        led.close()


def _garbage_job(root: Path) -> Path:
    """A 51-dpi scan of a text page: Tesseract reads it with mean confidence ~55."""
    import cv2
    import numpy as np

    from digitize.ocr import get_engine
    from digitize.pipeline import finish_document, save_page
    from digitize.synth import render_text_page

    profile = profiles.load("generic")
    img = render_text_page(FRONTLESS * 2, dpi=300, font_pt=12)
    small = cv2.resize(img, None, fx=0.17, fy=0.17, interpolation=cv2.INTER_AREA)
    prepared = Prepared(image=np.where(small < 160, 0, 255).astype(np.uint8), dpi=51)
    page = get_engine(profile.engine).recognize(prepared, 1)
    work = root / "job" / "documents" / "garbage"
    save_page(work, page, prepared)
    result = finish_document(work, profile, source="garbage.tif", doc_id="garbage", force_doc_id=True)
    assert result.state == "needs-review" and "mean word confidence" in (result.quality or ""), result.quality
    ledger = Ledger(root / "job" / "ledger.sqlite")
    ledger.register("garbage.tif", 1, 1, "abc", "generic")
    ledger.mark_finished("garbage.tif", state=result.state, doc_id="garbage", out_dir="documents/garbage", pages=1,
                         seconds=1.0, validated=result.validated)
    ledger.close()
    Queue(root / "job" / "ledger.sqlite").enqueue("garbage", result.candidates)
    return root / "job"


def test_quality_gate_keeps_a_garbage_document_in_review(tmp_path):
    """Defect 8: once its few queued items are decided a garbage document still is not done; the
    reason is in the document JSON, the ledger and ``digitize status``."""
    job_dir = _garbage_job(tmp_path)
    q = Queue(job_dir / "ledger.sqlite")
    while (item := q.next_item("ana")) is not None:
        if item.kind == "field":
            q.decide(item.id, "ana", "correct", {"office": "EP", "doc_number": "1", "kind": "A1",
                                                 "publication_date": "2024-01-01", "application_number": "24150123.4",
                                                 "title": "Filter", "parties:71": "ACME FILTERS GmbH (DE)"
                                                 }.get(item.field_name, "x"))
        else:
            q.decide(item.id, "ana", "accept")
    (r,) = apply_job(job_dir)
    assert not r.error and r.state == "needs-review" and "mean word confidence" in r.quality
    assert _state_of(job_dir, "garbage") == "needs-review"
    led = Ledger(job_dir / "ledger.sqlite", readonly=True)
    row = led.by_doc_id("garbage")
    led.close()
    assert row["quality"] == r.quality and row["reason"] is None  # the gate's reason in its own field
    doc = json.loads((job_dir / "documents" / "garbage" / "garbage.json").read_text(encoding="utf-8"))
    assert doc["quality"]["mean_confidence"] < 80 and "reason" in doc["quality"]
    assert any(f.startswith("quality: ") for f in doc["flags"])
    r = _run("status", str(job_dir))
    assert r.returncode == 0 and "held by the quality gate: garbage: mean word confidence" in r.stdout, r.stdout


def test_line_correction_and_not_text_reach_the_text(tmp_path, schema_dir):
    """A whole-line correction (split/joined words) and a "not text" word, through apply."""
    job_dir, page = _job_from_lines(tmp_path, FRONTLESS, FRONTLESS_ID)
    words = page.words()
    speed = next(w for w in words if w.text.startswith("speed"))
    line = next(ln for ln in page.lines() if speed in ln.words)
    yarn = next(w for w in words if w.text == "yarn")
    q = Queue(job_dir / "ledger.sqlite")
    q.enqueue(FRONTLESS_ID, [
        QueueCandidate(kind="word", page=1, bbox=speed.bbox, text=speed.text, confidence=5, word_id=speed.id),
        QueueCandidate(kind="word", page=1, bbox=yarn.bbox, text=yarn.text, confidence=6, word_id=yarn.id)])
    new_line = "that the filter keeps its shape when the water flows through it at highspeed."
    values = {"office": "EP", "doc_number": "2400812", "kind": "A1", "publication_date": "2024-03-15",
              "application_number": "24150123.4", "title": "Filter frame", "parties:71": "ACME FILTERS GmbH (DE)"}
    while (item := q.next_item("ana")) is not None:
        if item.kind == "field":
            q.decide(item.id, "ana", "correct", values[item.field_name])
        elif item.word_id == speed.id:
            q.decide(item.id, "ana", "line", new_line)
        elif item.word_id == yarn.id:
            q.decide(item.id, "ana", "not-text")
        else:
            q.decide(item.id, "ana", "accept")
    assert line.text != new_line
    (r,) = apply_job(job_dir, schema_dir=schema_dir)
    assert r.state == "done" and r.validated == "yes", r
    text = (job_dir / "documents" / FRONTLESS_ID / f"{FRONTLESS_ID}.txt").read_text(encoding="utf-8")
    assert new_line in text and "polyester yarn" not in text and "polyester which" in text
    doc = json.loads((job_dir / "documents" / FRONTLESS_ID / f"{FRONTLESS_ID}.json").read_text(encoding="utf-8"))
    rules = {c["rule"] for c in doc["corrections"]}
    assert {"review:ana:line", "review:ana:not-text"} <= rules


def test_party_addresses_reach_st36_and_st96(schema_dir):
    """Defect 3: the ST.96 writer dropped applicant and agent addresses; both formats carry them
    (ST.96 com:Contact with a postal address) and both stay valid."""
    from lxml import etree

    from digitize.emit import render_document
    from digitize.model import Bibliographic, Document, Field, Paragraph, Party
    from digitize.validate import check_st36, check_st96, safe_parser

    b = Bibliographic(office=Field("EP"), doc_number=Field("2400812"), kind=Field("A1"),
                      publication_date=Field("2024-03-15"), title=Field("Filter"),
                      applicants=[Party("Acme GmbH", address="Hauptstrasse 1, 80331 Munich", country="DE")],
                      agents=[Party("Smith, John", address="1 Law Street, London")],
                      inventors=[Party("Doe, Jane", country="FR")])
    doc = Document(doc_id="EP2400812A1", source="x.tif", profile="generic", lang="en", biblio=b,
                   description=[Paragraph(text="A filter.", num="0001")])
    out, validated = render_document(doc, profiles.load("generic"), formats=("st36", "st96"), schema_dir=schema_dir)
    assert validated == "yes"
    for fmt, check in (("st36", check_st36), ("st96", check_st96)):
        root = etree.fromstring(out[fmt], safe_parser())
        assert check(root, schema_dir) == []
        body = out[fmt].decode()
        assert "Hauptstrasse 1, 80331 Munich" in body and "1 Law Street, London" in body, fmt
    st96 = out["st96"].decode()
    assert "<com:AddressLineText com:sequenceNumber=\"1\">Hauptstrasse 1, 80331 Munich</com:AddressLineText>" in st96
    assert "<com:PostalAddressText com:sequenceNumber=\"1\">1 Law Street, London</com:PostalAddressText>" in st96


def test_apply_rebuilds_the_documents_facsimile_pdf(job):
    """A run with `--formats pdf` left <DOCID>.pdf in the job folder: apply rebuilds it with the
    reviewer's word, as it rebuilds the text and XML (it stayed as read before)."""
    import shutil

    from digitize.pipeline import finish_document

    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is not installed")
    job_dir, ids = job
    folder = job_dir / "documents" / DOC_ID
    finish_document(folder, profiles.load("generic"), source="scan.tif", doc_id=DOC_ID, force_doc_id=True,
                    formats=("st36", "st96", "pdf"))
    pdf = folder / f"{DOC_ID}.pdf"

    def pdf_words() -> list[str]:
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return [w.strip(".,") for w in out.split()]

    assert "tbe" in pdf_words()
    q = Queue(job_dir / "ledger.sqlite")
    item = q.next_item("ana")
    while item.text != "tbe":
        q.skip(item.id, "ana")
        item = q.next_item("ana")
    q.decide(item.id, "ana", "suggestion", "the")
    q.close()
    (r,) = apply_job(job_dir)
    assert not r.error and f"{DOC_ID}.pdf" in r.files
    words = pdf_words()
    assert "tbe" not in words and "the" in words
    text = (folder / f"{DOC_ID}.txt").read_text(encoding="utf-8")
    assert "comprising the woven" in text


def test_not_a_publication_leaves_delivery_and_authority_file_and_is_reported(job, tmp_path):
    """Issue 29: a reviewer marks the document as no publication with a reason instead of inventing
    its number; apply leaves it done with that reason; package and the authority build leave it
    out and say so; the report lists it. A reason is required."""
    from digitize.store.ledger import not_a_publication
    from digitize.proofread.decisions import ValueRefused
    from digitize.report import gather

    job_dir, _ = job
    q = Queue(job_dir / "ledger.sqlite")
    with pytest.raises(ValueRefused):
        q.not_a_publication(DOC_ID, "ana", "  ")
    assert q.not_a_publication(DOC_ID, "ana", "a cover letter") == 2
    assert q.open_count(DOC_ID) == 0
    assert [a["action"] for a in q.audit(DOC_ID)] == ["not-publication", "not-publication"]
    (r,) = apply_job(job_dir)
    assert r.error is None and r.state == "not-publication"
    led = Ledger(job_dir / "ledger.sqlite")
    try:
        row = led.by_doc_id(DOC_ID)
    finally:
        led.close()
    assert row["state"] == "done" and not_a_publication(row) == "a cover letter"
    assert gather(job_dir).not_publications == [(DOC_ID, "a cover letter")]
    pkg = subprocess.run([sys.executable, "-m", "digitize", "package", str(job_dir), "--dest", str(tmp_path / "pkg")],
                         capture_output=True, text=True, timeout=300)
    assert pkg.returncode == 1 and "nothing to deliver" in pkg.stderr  # its only document is no publication
    af = subprocess.run([sys.executable, "-m", "digitize", "authority", "build", str(job_dir), "--office", "XX",
                         "--out", str(tmp_path / "XX_AF.xml")], capture_output=True, text=True, timeout=300)
    assert "not a publication" in af.stdout + af.stderr
    assert not (tmp_path / "XX_AF.xml").exists() or "0000001" not in (tmp_path / "XX_AF.xml").read_text()
