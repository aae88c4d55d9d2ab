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

from digitize import profiles
from digitize.ledger import Ledger
from digitize.model import Prepared, QueueCandidate
from digitize.apply import apply_job
from digitize.proofread.queue import Queue

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LINES = [  # a front page whose mandatory fields the structure stage finds, then the text under review
    "(11) XX 0000001 A1",
    "(43) Date of publication: 15.03.2024",
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
