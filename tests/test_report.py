"""The batch report on a small job folder built here (real SQLite ledger, real Document JSON),
looked at in a real headless Chromium."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path

import pytest

from digitize.cli import main
from digitize.model import Block, Correction, Document, Line, OcrPage, PageInfo, QueueCandidate, Word
from digitize.report import gather, write_report

LEDGER = """CREATE TABLE documents (id INTEGER PRIMARY KEY, input TEXT UNIQUE, checksum TEXT, size INT, mtime_ns INT,
state TEXT, attempts INT, reason TEXT, doc_id TEXT, out_dir TEXT, pages INT, seconds REAL, validated TEXT,
profile TEXT, started REAL, finished REAL, updated REAL)"""


def _page(number: int, confs: list[float]) -> OcrPage:
    words = [Word(id=f"p{number:04d}_w{i:05d}", text=f"word{i}", bbox=(10 * i, 10, 10 * i + 8, 20), conf=c)
             for i, c in enumerate(confs)]
    return OcrPage(number=number, width=2480, height=3508, dpi=300,
                   blocks=[Block(bbox=(0, 0, 100, 30), lines=[Line(bbox=(0, 0, 100, 30), words=words)])])


def _document(job: Path, doc_id: str, confs: list[list[float]], corrections: int, queued: int) -> None:
    folder = job / "documents" / doc_id
    (folder / "pages").mkdir(parents=True)
    pages = [_page(n + 1, c) for n, c in enumerate(confs)]
    for p in pages:
        (folder / "pages" / f"{p.number:04d}.json").write_text(p.to_json(), encoding="utf-8")
    doc = Document(
        doc_id=doc_id, source=f"/scans/{doc_id}.pdf", profile="ph", lang="en",
        pages=[PageInfo(number=p.number, width=p.width, height=p.height, dpi=300, mean_conf=p.mean_conf,
                        words=len(p.words())) for p in pages],
        corrections=[Correction(word_id=f"p0001_w{i:05d}", page=1, old="tbe", new="the", rule="confusion", confidence=90)
                     for i in range(corrections)],
        candidates=[QueueCandidate(kind="word", page=1, bbox=None, text="c1aim", confidence=40) for _ in range(queued)],
        flags=["no claims found"] if doc_id.endswith("2") else [],
    )
    (folder / f"{doc_id}.json").write_text(doc.to_json(), encoding="utf-8")
    (folder / f"{doc_id}.txt").write_text("text", encoding="utf-8")
    (folder / f"{doc_id}.st36.xml").write_text("<patent-document/>", encoding="utf-8")


@pytest.fixture
def job(tmp_path: Path) -> Path:
    job = tmp_path / "job"
    job.mkdir()
    t0 = time.time() - 600
    conn = sqlite3.connect(job / "ledger.sqlite")
    conn.execute(LEDGER)
    rows = [
        ("/scans/a.pdf", "done", None, "PH1A1", 4, t0, t0 + 60),
        ("/scans/b.pdf", "needs-review", None, "PH2A2", 2, t0 + 30, t0 + 150),
        ("/scans/c.pdf", "done", None, "PH3A1", 3, t0 + 160, t0 + 300),
        ("/scans/bad.pdf", "failed", "not a PDF: no header found", None, None, t0, t0 + 1),
        ("/scans/zero.pdf", "failed", "empty file (0 bytes)", None, None, t0, t0 + 1),
        ("/scans/later.pdf", "pending", None, None, None, None, None),
    ]
    for inp, state, reason, doc_id, pages, started, finished in rows:
        conn.execute(
            "INSERT INTO documents (input, state, attempts, reason, doc_id, out_dir, pages, seconds, validated, "
            "profile, started, finished, updated) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, 'ph', ?, ?, ?)",
            (inp, state, reason, doc_id, f"documents/{doc_id}" if doc_id else None, pages,
             (finished - started) if finished else None, "yes" if doc_id else None, started, finished, finished),
        )
    conn.execute("CREATE TABLE queue_items (id INTEGER PRIMARY KEY, doc_id TEXT, state TEXT)")
    conn.executemany("INSERT INTO queue_items (doc_id, state) VALUES (?, ?)",
                     [("PH2A2", "open"), ("PH2A2", "open"), ("PH2A2", "decided")])
    conn.commit()
    conn.close()
    _document(job, "PH1A1", [[95, 91, 88], [90, 93], [97], [60, 70]], corrections=3, queued=0)
    _document(job, "PH2A2", [[40, 55, 80], [85]], corrections=1, queued=3)
    _document(job, "PH3A1", [[92, 96], [99], [75]], corrections=0, queued=0)
    return job


def test_gather_figures(job):
    s = gather(job)
    assert s.counts == {"done": 2, "needs-review": 1, "failed": 2, "running": 0, "pending": 1}
    assert s.pages == 9 and s.corrected == 4 and s.queued == 3
    assert s.corrections == [("tbe", "the", 4)] and s.rules == [("confusion", 4)]
    assert s.queue == {"open": 2, "decided": 1}
    assert sorted(s.word_confs) == sorted([95, 91, 88, 90, 93, 97, 60, 70, 40, 55, 80, 85, 92, 96, 99, 75])
    assert s.span_seconds == pytest.approx(300) and s.pages_per_minute == pytest.approx(9 * 60 / 300)
    # the pages spread over the timeline add up to all pages
    width_min = s.span_seconds / 60 / len(s.timeline)
    assert sum(rate * width_min for _, rate in s.timeline) == pytest.approx(9)


def test_report_in_chromium(job, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("no /usr/bin/chromium")
    assert main(["report", str(job)]) == 0
    page_file = job / "report.html"
    text = page_file.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", text), "the report must not load anything from the network"
    assert 'href="documents/PH1A1/PH1A1.st36.xml"' in text and 'href="documents/PH1A1/PH1A1.txt"' in text
    shot = tmp_path / "report.png"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium),
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            assert page.title() == "digitize report: job"
            cards = {c.get_attribute("data-state"): c.inner_text() for c in page.locator(".card[data-state]").all()}
            assert cards["done"].split()[0] == "2" and cards["failed"].split()[0] == "2"
            assert cards["needs-review"].split()[0] == "1" and cards["pending"].split()[0] == "1"
            failures = page.locator("#failures").inner_text()
            assert "not a PDF: no header found" in failures and "empty file (0 bytes)" in failures
            assert page.locator(".plot svg").count() == 3
            box = page.locator(".plot svg").first.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 50
            assert page.locator("#documents a").count() == 9  # text, ST.36, JSON for three documents
            assert all(u.startswith("file://") for u in requests), requests
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    from PIL import Image, ImageStat

    img = Image.open(shot)
    grey = img.convert("L")
    assert img.height > 900
    assert ImageStat.Stat(grey).stddev[0] > 20  # not a blank page
    colours = img.convert("RGB").resize((300, 300)).getcolors(300 * 300)
    assert len(colours) > 20  # header, state colours, plots
    Path("build").mkdir(exist_ok=True)
    img.save("build/test-report-screenshot.png")  # for a human to look at


def test_report_of_an_empty_job(tmp_path):
    job = tmp_path / "empty"
    job.mkdir()
    sqlite3.connect(job / "ledger.sqlite").execute(LEDGER)
    path = write_report(job)
    assert "No document failed." in path.read_text(encoding="utf-8")


def test_report_needs_a_job_folder(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "not a job folder" in capsys.readouterr().err


def test_changes_card_is_the_rules_tables_total(job):
    """The card and the sentence count what the rules table counts (issue 28: "12 words
    auto-corrected" stood beside a table of 43 rule changes); the corrections are the word fixes."""
    import json

    from digitize.report import render

    path = job / "documents" / "PH3A1" / "PH3A1.json"
    doc = json.loads(path.read_text())
    doc["corrections"] = [
        {"word_id": "p0001_w00001", "page": 1, "old": "con-", "new": "connected", "rule": "hyphenation", "confidence": 90},
        {"word_id": "p0001_w00002", "page": 1, "old": "nected", "new": "", "rule": "hyphenation", "confidence": 90},
        {"word_id": "p0001_w00003", "page": 1, "old": ".", "new": "", "rule": "noise", "confidence": 10},
        {"word_id": "p0001_w00004", "page": 1, "old": "c1aim", "new": "claim", "rule": "letters", "confidence": 60},
    ]
    path.write_text(json.dumps(doc))
    s = gather(job)
    assert dict(s.rules) == {"confusion": 4, "hyphenation": 2, "noise": 1, "letters": 1}
    assert s.changes == sum(n for _, n in s.rules) == 8
    assert s.corrected == 5 == sum(n for _, _, n in s.corrections)  # 4 x tbe->the, c1aim->claim
    page = render(s)
    assert '<div class="n" id="changes">8</div>' in page
    assert "<th>total</th><th class=\"num\">8</th>" in page
    assert "8 automatic change(s) by the rules below, 5 of them" in page
