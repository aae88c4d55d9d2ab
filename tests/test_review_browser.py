"""Browser test of the review page: Debian's headless Chromium driven by Playwright.

A one-page publication is scanned (rendered and degraded), run through ``digitize run``, a word of
its abstract is put in the queue, a reviewer logs in and corrects it with the keyboard only, and
``digitize apply`` must put the correction into ``<DOCID>.txt`` and the ST.36/ST.96 XML.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from digitize.model import OcrPage
from digitize.store.queue import Queue

from test_review import DIGITIZE, PASSWORD, Server, add_user, build_job, candidate

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = Path("/tmp/review.png")
WORD, CORRECTION = "woven", "braided"
# what ``digitize apply`` needs to rebuild text and XML (pipeline.finish_document)
REBUILD_MODULES = ("digitize.apply", "digitize.emit.hocr", "digitize.emit.alto")

pytestmark = pytest.mark.browser


def _command_exists(name: str) -> bool:
    return importlib.util.find_spec(f"digitize.commands.{name}") is not None


def _run_scan(root: Path, lines: list[str], name: str, profile: str) -> Path:
    """``lines`` rendered and lightly degraded as a 300-dpi scan ``root/name``, then ``digitize
    run`` on it (one worker) into ``root/job``; returns the job folder."""
    from digitize.synth import degrade, render_text_page, write_tiff

    img, dpi = degrade(render_text_page(lines, dpi=300, font_pt=12), "clean", 5)
    scan = root / name
    write_tiff([img], scan, dpi)
    job = root / "job"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    r = subprocess.run([DIGITIZE, "run", str(scan), "--profile", profile, "--out", str(job), "--workers", "1",
                        "--no-authority", "--no-report", "--progress", "none"],
                       capture_output=True, text=True, timeout=240, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    return job


def scanned_job(root: Path) -> tuple[Path, str, str]:
    """``digitize run`` on a generated one-page scan; falls back to a hand-built job folder (same
    layout) while the ingest stage is not there. Returns (job, doc_id, how)."""
    if importlib.util.find_spec("digitize.ingest") is None or not _command_exists("run"):
        job, _ = build_job(root)
        return job, "PH12023050123A1", "hand-built (ingest stage not available)"
    from digitize.demo import RICE_BOX

    job = _run_scan(root, RICE_BOX.front_lines(), f"{RICE_BOX.doc_id}.tif", "ph")
    with sqlite3.connect(job / "ledger.sqlite") as con:
        doc_id, out_dir = con.execute("SELECT doc_id, out_dir FROM documents").fetchone()
    pages = job / out_dir / "pages"
    page = OcrPage.from_json((pages / "0001.json").read_text(encoding="utf-8"))
    target = next((w for w in page.words() if w.text == WORD), None)
    assert target is not None, f"OCR did not read {WORD!r}: {page.text[:300]}"
    Queue(job / "ledger.sqlite").enqueue(doc_id, [candidate(page, WORD, ["wove", "woken"], conf=12.0)])
    return job, doc_id, "digitize run"


def decide_by_key(page, key: str) -> str:
    """Press ``key`` and wait for the page it submits to load; returns the new URL's message key."""
    with page.expect_navigation():
        page.keyboard.press(key)
    return page.url.rsplit("msg=", 1)[-1] if "msg=" in page.url else ""


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def test_correct_a_word_by_keyboard_then_apply(tmp_path, browser):
    job, doc_id, how = scanned_job(tmp_path)
    if how.startswith("hand-built"):  # the hand-built page has no abstract: correct "tbe" instead
        word, correction = "tbe", "thee"
    else:
        word, correction = WORD, CORRECTION
    add_user(job, "rita", "reviewer")
    with Server(job) as server:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server.url + "/queue")
        page.set_default_timeout(10_000)
        assert page.url.endswith("/login")
        page.focus("#username")
        page.keyboard.type("rita")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/queue")

        # Items the pipeline queued may come first: skip them (Esc) until our word shows.
        for _ in range(30):
            if page.inner_text("#ocr-text") == word:
                break
            assert decide_by_key(page, "Escape") == "skipped"
        assert page.inner_text("#ocr-text") == word
        assert page.inner_text("#context mark") == word
        assert page.locator("#word-image").evaluate("img => img.complete && img.naturalWidth > 0")
        assert page.locator("#line-image").evaluate("img => img.complete && img.naturalWidth > 0")
        assert "Ctrl+I" in page.inner_text(".keys") and "Esc" in page.inner_text(".keys")
        page.screenshot(path=str(SCREENSHOT), full_page=True)

        # keyboard only: typing a letter starts the correction, Enter saves it
        page.keyboard.type(correction)
        assert page.input_value("#correction") == correction
        assert decide_by_key(page, "Enter") == "saved"
        assert "Saved." in page.inner_text(".message")
        assert not errors, errors

    q = Queue(job / "ledger.sqlite")
    decided = [a for a in q.audit() if a["before"] == word]
    assert decided and decided[-1]["after"] == correction and decided[-1]["reviewer"] == "rita"
    assert decided[-1]["action"] == "correct"

    assert _command_exists("apply")
    assert not [m for m in REBUILD_MODULES if importlib.util.find_spec(m) is None]
    r = subprocess.run([DIGITIZE, "apply", str(job)], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    assert r.returncode == 0, r.stderr[-2000:]
    with sqlite3.connect(job / "ledger.sqlite") as con:
        doc_id, out_dir = con.execute("SELECT doc_id, out_dir FROM documents").fetchone()
    folder = job / out_dir
    text = (folder / f"{doc_id}.txt").read_text(encoding="utf-8")
    assert correction in text.split() or f" {correction} " in f" {text} "
    xml = [folder / f"{doc_id}.st36.xml", folder / f"{doc_id}.st96.xml"]
    assert all(p.exists() for p in xml), xml
    for path in xml:
        assert correction in path.read_text(encoding="utf-8"), path.name


def test_keyboard_map_series_skip_illegible_suggestion_and_digits(tmp_path, browser):
    """Every key of the map on a hand-built job (no OCR): Ctrl+S + Down + Enter settles a series of
    two, Esc skips, Ctrl+I marks illegible, a digit typed first starts the correction with that
    digit (defect 5: "12023050999" lost its first "1"), and the queue ends empty."""
    job, page_data = build_job(tmp_path)
    rice = [w for w in page_data.words() if w.text.strip(".").lower() == "rice"]
    assert len(rice) == 2
    q = Queue(job / "ledger.sqlite")
    q.enqueue("PH12023050123A1", [candidate(page_data, w.text, ["grain"], conf=20.0 + i) for i, w in enumerate(rice)])
    # the two readings are one item of their document (issue 29); the same word of another
    # document makes the series of two
    q.enqueue("PH12023050124A1", [candidate(page_data, rice[1].text, ["grain"], conf=22.0)])
    add_user(job, "rita", "reviewer")
    with Server(job) as server:
        page = browser.new_page()
        page.set_default_timeout(10_000)
        page.goto(server.url + "/login")
        page.fill("#username", "rita")
        page.fill("#password", PASSWORD)
        page.press("#password", "Enter")
        page.wait_for_url("**/queue")

        assert page.inner_text("#ocr-text") == "RICE"
        assert "whole series (2)" in page.inner_text("label.series")
        page.keyboard.press("Control+s")
        assert page.is_checked("#series")
        assert page.locator("#series-preview li").count() == 2  # what the series holds, before applying
        page.keyboard.press("ArrowDown")
        assert decide_by_key(page, "Enter") == "series"

        assert page.inner_text("#ocr-text") == "tbe"
        assert decide_by_key(page, "Escape") == "skipped"
        assert page.inner_text("#ocr-text") == "containers"
        assert decide_by_key(page, "Control+i") == "saved"
        assert page.inner_text("#ocr-text") == "tbe"
        page.keyboard.type("12023050999")
        assert page.input_value("#correction") == "12023050999"
        assert decide_by_key(page, "Enter") == "saved"
        assert page.locator("#empty").is_visible()

    decisions = q.decisions("PH12023050123A1")
    by_text = {w.text: decisions.get(w.id) for w in page_data.words() if w.id in decisions}
    assert by_text == {"RICE": "grain", "rice": "grain", "tbe": "12023050999", "containers": "containers"}
    assert q.decisions("PH12023050124A1") == {rice[1].id: "grain"}
    actions = {a["before"]: a["action"] for a in q.audit()}
    assert actions == {"RICE": "suggestion", "rice": "suggestion", "tbe": "correct", "containers": "illegible"}


# --------------------------------------------------------------------------- the whole journey (issue 13)

FRONTLESS = [
    "The present invention relates to a woven fabric for filters and to a method",
    "of making the fabric. A filter comprising the woven fabric and a frame is",
    "described. The frame holds the fabric under tension in every direction so",
    "that the filter keeps its shape when water flows through it at high speed.",
    "The fabric is made of polyester yarn which is resistant to heat and acids.",
]
FIELD_VALUES = {"office": "EP", "doc_number": "2400812", "kind": "A1", "publication_date": "15.03.2024",
                # the completeness gate (issue 24): no done document without these either
                "application_number": "24150123.4", "title": "Filter fabric", "parties:71": "ACME FILTERS GmbH (DE)"}
GATE_FIELDS = ("application_number", "title", "parties:71")
NEW_LINE = "that the filter keeps its shape when the water flows through it at highspeed."


def _login(page, url: str, name: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url("**/queue**")


def _frontless_job(root: Path) -> tuple[Path, str, dict]:
    """``digitize run`` on a scan with no front page; three of its words put in the queue."""
    job = _run_scan(root, FRONTLESS, "frontless.tif", "generic")
    with sqlite3.connect(job / "ledger.sqlite") as con:
        doc_id, out_dir, state = con.execute("SELECT doc_id, out_dir, state FROM documents").fetchone()
    assert state == "needs-review"
    page = OcrPage.from_json((job / out_dir / "pages" / "0001.json").read_text(encoding="utf-8"))
    words = {w.text: w for w in page.words()}
    assert {"polyester", "speed.", "heat"} <= set(words), page.text
    Queue(job / "ledger.sqlite").enqueue(doc_id, [
        candidate(page, "polyester", [], conf=3.0), candidate(page, "speed.", [], conf=4.0),
        candidate(page, "heat", ["beat"], conf=5.0)])
    return job, doc_id, {t: words[t].id for t in ("polyester", "speed.", "heat")}


def test_whole_journey_two_reviewers_fields_illegible_line_undo_then_apply(tmp_path, browser, schema_dir):
    """Issue 13: two reviewers; values for fields the OCR never found (an empty Enter and a bad date
    refused with the reason); a word marked illegible; a line corrected; a decision undone; a page
    left (its item given back); then ``digitize apply``: every output carries the decisions."""
    from lxml import etree

    from digitize.validate import check_st36, check_st96, safe_parser

    job, doc_id, ids = _frontless_job(tmp_path)
    add_user(job, "rita", "reviewer")
    add_user(job, "otto", "reviewer")
    q = Queue(job / "ledger.sqlite")
    errors: list[str] = []
    with Server(job) as server:
        otto = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        rita = browser.new_context(viewport={"width": 1500, "height": 950}).new_page()
        for p in (otto, rita):
            p.set_default_timeout(15_000)
            p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        _login(otto, server.url, "otto")
        _login(rita, server.url, "rita")

        # otto is shown a mandatory field, fills it in; then his next item is given back when he leaves
        name = otto.inner_text(".field-name")
        assert name in FIELD_VALUES and otto.locator("#expected").is_visible()
        otto.keyboard.type(FIELD_VALUES[name])
        assert decide_by_key(otto, "Enter") == "saved"
        held = otto.locator("input[name=item_id]").get_attribute("value")
        assert any(h["lease_owner"] == "otto" for h in q.holders())
        otto.goto(server.url + "/login")  # leaves the page: pagehide → sendBeacon → released
        for _ in range(50):
            if not any(h["lease_owner"] == "otto" for h in q.holders()):
                break
            time.sleep(0.1)
        assert not any(h["lease_owner"] == "otto" for h in q.holders()), q.holders()
        assert q.get(int(held)).state == "open"

        screenshot_taken = False
        for _ in range(40):
            if rita.locator("#empty").count():
                break
            item_id = rita.locator("input[name=item_id]").get_attribute("value")
            item = q.get(int(item_id))
            assert rita.locator("#page-image").evaluate("img => img.complete && img.naturalWidth > 0")
            if item.kind == "field" and item.field_name in GATE_FIELDS:
                rita.fill("#correction", FIELD_VALUES[item.field_name])
                assert decide_by_key(rita, "Enter") == "saved"
            elif item.kind == "field":
                assert rita.locator("#expected").is_visible()
                url = rita.url
                rita.keyboard.press("Enter")  # empty mandatory field: refused on the page itself
                assert rita.url == url and "error" in (rita.get_attribute("#expected", "class") or "")
                if item.field_name == "publication_date":
                    rita.keyboard.type("32.13.2024")
                    rita.keyboard.press("Enter")
                    rita.wait_for_selector("#error")
                    assert "not a valid date" in rita.inner_text("#error")
                    assert "15.03.2024" in rita.inner_text("#expected")
                    rita.fill("#correction", "")
                    rita.focus("body")
                rita.keyboard.type(FIELD_VALUES[item.field_name])
                assert rita.input_value("#correction") == FIELD_VALUES[item.field_name]
                assert decide_by_key(rita, "Enter") == "saved"
            elif item.word_id == ids["polyester"]:
                if not screenshot_taken:
                    rita.screenshot(path=str(SCREENSHOT), full_page=False)
                    screenshot_taken = True
                assert decide_by_key(rita, "Control+i") == "saved"
            elif item.word_id == ids["speed."]:
                rita.keyboard.press("Control+e")
                assert rita.evaluate("document.activeElement.id") == "line"
                rita.fill("#line", NEW_LINE)
                assert decide_by_key(rita, "Enter") == "saved"
            elif item.word_id == ids["heat"]:
                rita.keyboard.type("hat")
                assert decide_by_key(rita, "Enter") == "saved"
                with rita.expect_navigation():
                    rita.keyboard.press("Control+z")  # undo: the item is back, decided again
                rita.wait_for_load_state()
                assert "undone" in rita.inner_text(".message") and rita.inner_text("#ocr-text") == "heat"
                assert decide_by_key(rita, "Enter") == "saved"
            else:
                assert decide_by_key(rita, "Enter") == "saved"
        assert rita.locator("#empty").is_visible() and screenshot_taken
        assert [e for e in errors if "status of 422" not in e] == [], errors  # 422: the refused date, on purpose

    audit = q.audit()
    assert {a["reviewer"] for a in audit} == {"rita", "otto"}
    assert [a["action"] for a in audit if a["word_id"] == ids["heat"]] == ["correct", "undo", "accept"]
    r = subprocess.run([DIGITIZE, "apply", str(job), "--schemas", str(schema_dir)], capture_output=True, text=True,
                       timeout=180, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{doc_id}: done" in r.stdout and "XML yes" in r.stdout, r.stdout
    with sqlite3.connect(job / "ledger.sqlite") as con:
        out_dir, state = con.execute("SELECT out_dir, state FROM documents").fetchone()
    assert state == "done"
    folder = job / out_dir
    doc = json.loads((folder / f"{doc_id}.json").read_text(encoding="utf-8"))
    b = doc["biblio"]
    assert [b[n]["value"] for n in ("office", "doc_number", "kind", "publication_date")] == \
        ["EP", "2400812", "A1", "2024-03-15"]
    assert [i["word_id"] for i in doc["illegible"]] == [ids["polyester"]]
    text = (folder / f"{doc_id}.txt").read_text(encoding="utf-8")
    assert NEW_LINE in text and " heat " in text and " hat " not in text
    for fmt, check in (("st36", check_st36), ("st96", check_st96)):
        root = etree.parse(str(folder / f"{doc_id}.{fmt}.xml"), safe_parser()).getroot()
        assert check(root, schema_dir) == [], fmt
        body = etree.tostring(root, encoding="unicode")
        assert "2400812" in body and "highspeed" in body, fmt
    assert "OCRConfidenceData" in (folder / f"{doc_id}.st96.xml").read_text(encoding="utf-8")
    assert "x_confs 0" in (folder / "pages" / "0001.hocr").read_text(encoding="utf-8")
    assert 'TAGREFS="illegible"' in (folder / "pages" / "0001.alto.xml").read_text(encoding="utf-8")


def test_not_a_publication_from_the_review_page(tmp_path, browser):
    """Issue 29: a reviewer opens "This document is not a publication", types the reason (the
    keys go to the reason, not to a correction), submits: the document's items are closed with
    it, and apply takes the document out of the delivery (ledger: done, "not a publication: …")."""
    from digitize.apply import apply_job
    from digitize.store.ledger import Ledger, not_a_publication

    job, page_data = build_job(tmp_path)
    add_user(job, "rita", "reviewer")
    q = Queue(job / "ledger.sqlite")
    doc_id = q.documents()[0]
    with Server(job) as server:
        page = browser.new_page()
        page.set_default_timeout(10_000)
        _login(page, server.url, "rita")
        shown = page.inner_text("#ocr-text")
        page.click("details.not-publication summary")
        page.fill("#not-publication input[name=reason]", "")
        page.click("#not-publication input[name=reason]")
        page.keyboard.type("a cover letter")
        assert page.input_value("#correction") == ""  # typing went to the reason
        with page.expect_navigation():
            page.click("#not-publication button")
        assert "not-publication" in page.url
    assert q.open_count(doc_id) == 0 and shown
    assert {a["action"] for a in q.audit(doc_id)} == {"not-publication"}
    apply_job(job)
    led = Ledger(job / "ledger.sqlite")
    try:
        row = led.by_doc_id(doc_id)
    finally:
        led.close()
    assert row["state"] == "done" and not_a_publication(row) == "a cover letter"
