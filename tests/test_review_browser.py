"""Browser test of the review page: Debian's headless Chromium driven by Playwright.

A one-page publication is scanned (rendered and degraded), run through ``digitize run``, a word of
its abstract is put in the queue, a reviewer logs in and corrects it with the keyboard only, and
``digitize apply`` must put the correction into ``<DOCID>.txt`` and the ST.36/ST.96 XML.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from digitize.model import OcrPage
from digitize.proofread.queue import Queue

from test_review import DIGITIZE, PASSWORD, Server, add_user, build_job, candidate

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = Path("/tmp/review.png")
WORD, CORRECTION = "woven", "braided"
# what ``digitize apply`` needs to rebuild text and XML (pipeline.finish_document)
REBUILD_MODULES = ("digitize.apply", "digitize.emit.hocr", "digitize.emit.alto")

pytestmark = pytest.mark.browser


def _command_exists(name: str) -> bool:
    return importlib.util.find_spec(f"digitize.commands.{name}") is not None


def scanned_job(root: Path) -> tuple[Path, str, str]:
    """``digitize run`` on a generated one-page scan; falls back to a hand-built job folder (same
    layout) while the ingest stage is not there. Returns (job, doc_id, how)."""
    if importlib.util.find_spec("digitize.ingest") is None or not _command_exists("run"):
        job, _ = build_job(root)
        return job, "PH12023050123A1", "hand-built (ingest stage not available)"
    from digitize.demo import RICE_BOX
    from digitize.synth import degrade, render_text_page, write_tiff

    img, dpi = degrade(render_text_page(RICE_BOX.front_lines(), dpi=300, font_pt=12), "clean", 5)
    scan = root / f"{RICE_BOX.doc_id}.tif"
    write_tiff([img], scan, dpi)
    job = root / "job"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    r = subprocess.run([DIGITIZE, "run", str(scan), "--profile", "ph", "--out", str(job), "--workers", "1",
                        "--no-authority", "--no-report", "--progress", "none"],
                       capture_output=True, text=True, timeout=240, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
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


def test_keyboard_map_series_skip_illegible_and_suggestion(tmp_path, browser):
    """Every key of the map on a hand-built job (no OCR): * + 1 settles a series of two, Esc skips,
    ! marks illegible, 2 takes the second suggestion, and the queue ends empty."""
    job, page_data = build_job(tmp_path)
    rice = [w for w in page_data.words() if w.text.strip(".").lower() == "rice"]
    assert len(rice) == 2
    q = Queue(job / "ledger.sqlite")
    q.enqueue("PH12023050123A1", [candidate(page_data, w.text, ["grain"], conf=20.0 + i) for i, w in enumerate(rice)])
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
        page.keyboard.press("*")
        assert page.is_checked("#series")
        assert decide_by_key(page, "1") == "series"

        assert page.inner_text("#ocr-text") == "tbe"
        assert decide_by_key(page, "Escape") == "skipped"
        assert page.inner_text("#ocr-text") == "containers"
        assert decide_by_key(page, "!") == "saved"
        assert page.inner_text("#ocr-text") == "tbe"
        assert decide_by_key(page, "2") == "saved"
        assert page.locator("#empty").is_visible()

    decisions = q.decisions("PH12023050123A1")
    by_text = {w.text: decisions.get(w.id) for w in page_data.words() if w.id in decisions}
    assert by_text == {"RICE": "grain", "rice": "grain", "tbe": "tube", "containers": "containers"}
    actions = {a["before"]: a["action"] for a in q.audit()}
    assert actions == {"RICE": "suggestion", "rice": "suggestion", "tbe": "suggestion", "containers": "illegible"}
