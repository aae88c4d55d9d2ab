"""Issue 27: table cells in review, end to end.

A scanned table page (EP 3 351 249's Table 2, ``tests/data/tables``, typeset and degraded at poor
quality) goes through ``digitize run``: its cells in doubt are queue items of their own (the cell's
crop with its row and column headers), not loose words. A reviewer's decisions on cells (a text,
a merge with the cell to the right, a split of a spanning cell) reach the ST.36 ``entry``s, the
ST.96 table and the ``.txt`` through ``digitize apply``, are audited, survive applying again, and
a decision that no longer fits goes back to the queue. Real Tesseract, SQLite, schemas, Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from digitize.model import OcrPage, QueueCandidate
from digitize.store.queue import Queue
from digitize.structure.table_review import cell_key, context_of, parse_key

from test_review import DIGITIZE, PASSWORD, Server, add_user

pytestmark = pytest.mark.slow  # every test here runs ``digitize run`` on a scanned table (~10-20 s)

DATA = Path(__file__).parent / "data" / "tables" / "EP18151178NWA1-tables.xml"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
SCREENSHOT = Path("/tmp/review-cell.png")


@pytest.fixture(scope="module")
def table_job(tmp_path_factory) -> Path:
    """``digitize run`` (one worker) on a poor-quality scan of a ruled table with spanning cells."""
    from digitize.synth import degrade, write_tiff
    from digitize.synth_tables import read_tables, render_page

    root = tmp_path_factory.mktemp("cells")
    image, dpi = degrade(render_page(read_tables(DATA)[1], ruling="ruled"), "poor", seed=27)
    write_tiff([image], root / "table.tif", dpi)
    r = subprocess.run([DIGITIZE, "run", str(root / "table.tif"), "--profile", "ep", "--out", str(root / "job"),
                        "--workers", "1", "--no-authority", "--no-report", "--progress", "none"],
                       capture_output=True, text=True, timeout=300, env=ENV)
    assert r.returncode == 0, r.stderr[-2000:]
    return root / "job"


def _copy(table_job: Path, tmp_path: Path) -> tuple[Path, str, Path]:
    job = tmp_path / "job"
    shutil.copytree(table_job, job)
    with sqlite3.connect(job / "ledger.sqlite") as con:
        doc_id, out_dir = con.execute("SELECT doc_id, out_dir FROM documents").fetchone()
    return job, doc_id, job / out_dir


def _page(folder: Path) -> OcrPage:
    return OcrPage.from_json((folder / "pages" / "0001.json").read_text(encoding="utf-8"))


def _apply(job: Path, *args: str) -> None:
    r = subprocess.run([DIGITIZE, "apply", str(job), *args], capture_output=True, text=True, timeout=300, env=ENV)
    assert r.returncode == 0, r.stdout[-1000:] + r.stderr[-2000:]


def _st36_rows(folder: Path, doc_id: str) -> list[list[tuple]]:
    """Body rows of the ST.36 table: (colname or namest, nameend, morerows, text) per entry."""
    x = etree.parse(str(folder / f"{doc_id}.st36.xml"))
    return [[(e.get("namest") or e.get("colname"), e.get("nameend"), e.get("morerows"), "".join(e.itertext()))
             for e in row.findall("entry")] for row in x.findall(".//tables/table/tgroup/tbody/row")]


def _valid(folder: Path, doc_id: str, schema_dir: Path) -> None:
    from digitize.validate import check_st36, check_st96, safe_parser

    st36 = etree.parse(str(folder / f"{doc_id}.st36.xml"), safe_parser())
    st96 = etree.parse(str(folder / f"{doc_id}.st96.xml"), safe_parser())
    assert check_st36(st36.getroot(), schema_dir) == [] and check_st96(st96.getroot(), schema_dir) == []


def test_cells_in_doubt_are_queued_as_cells_with_their_headers(table_job, tmp_path):
    job, doc_id, folder = _copy(table_job, tmp_path)
    page = _page(folder)
    table = page.tables[0]
    items = Queue(job / "ledger.sqlite").items(doc_id)
    cells = [i for i in items if i.kind == "cell"]
    assert cells, [(i.kind, i.text) for i in items]
    # no word of a table is an item of its own: the cell stands for it
    assert not [i for i in items if i.kind == "word" and i.word_id in table.word_ids()]
    for item in cells:
        where = parse_key(item.word_id)
        assert where is not None and where[:2] == (1, 1)
        cell = next(c for c in table.cells if (c.row, c.col) == where[2:])
        assert item.text == cell.text and tuple(item.bbox) == tuple(cell.bbox)
        assert item.context == context_of(table, cell)
        if cell.row >= 1 and cell.col >= 1:  # the table's head is its first row, its keys the first column
            assert "column: " in item.context and "row: " in item.context


def test_cell_text_merge_and_split_reach_st36_st96_and_txt_audited_and_kept(table_job, tmp_path, schema_dir):
    job, doc_id, folder = _copy(table_job, tmp_path)
    table = _page(folder).tables[0]
    q = Queue(job / "ledger.sqlite")
    cells = {i.word_id: i for i in q.items(doc_id) if i.kind == "cell"}
    by_pos = {(c.row, c.col): c for c in table.cells}

    def right_of(c):
        o = by_pos.get((c.row, c.col + c.colspan))
        return o if o is not None and o.rowspan == c.rowspan else None

    # a cell with a neighbour to merge with, another cell to correct, a spanning cell to split
    mergeable = [i for k, i in cells.items() if right_of(by_pos[parse_key(k)[2:]]) is not None]
    both = [i for i in mergeable if cell_key(1, 1, *(lambda c: (c.row, c.col))(right_of(by_pos[parse_key(i.word_id)[2:]])))
            in cells]  # the neighbour in doubt too: its item is settled by the merge
    merge = (both or mergeable)[0]
    mcell = by_pos[parse_key(merge.word_id)[2:]]
    neighbour = right_of(mcell)
    fix = next(i for k, i in cells.items() if i is not merge and parse_key(k)[2:] != (neighbour.row, neighbour.col))
    fcell = by_pos[parse_key(fix.word_id)[2:]]
    span = next(c for c in table.cells if c.rowspan > 1 and c.row > 0 and (c.row, c.col) not in
                {(mcell.row, mcell.col), (fcell.row, fcell.col), (neighbour.row, neighbour.col)}
                and (c.row, c.col + c.colspan) != (mcell.row, mcell.col))
    split_key = cell_key(1, 1, span.row, span.col)
    if split_key not in cells:  # a sure cell is no item of its own: put it there as the pipeline would
        q.enqueue(doc_id, [QueueCandidate(kind="cell", page=1, bbox=span.bbox, text=span.text, confidence=50.0,
                                          context=context_of(table, span), word_id=split_key)])
    split = next(i for i in q.items(doc_id) if i.word_id == split_key)

    assert q.decide(fix.id, "rita", "correct", "Zq 42 mM", take=True) == 1
    assert q.decide(merge.id, "rita", "merge-right", "", take=True) == 1
    assert q.decide(split.id, "rita", "split", "", take=True) == 1
    _apply(job)

    rows = _st36_rows(folder, doc_id)
    head = table.header_rows
    # the corrected cell
    assert any(e[3] == "Zq 42 mM" for e in rows[fcell.row - head])
    txt = (folder / f"{doc_id}.txt").read_text(encoding="utf-8")
    line = next(ln for ln in txt.splitlines() if "Zq 42 mM" in ln)
    assert line.split("\t")[fcell.col] == "Zq 42 mM"
    # the merged cell spans both columns, with the words of both
    merged = next(e for e in rows[mcell.row - head] if e[0] == f"col{mcell.col + 1}")
    assert merged[1] == f"col{mcell.col + mcell.colspan + neighbour.colspan}"
    for w in (mcell.text.split() + neighbour.text.split())[:3]:
        assert w in merged[3]
    # the split cell: a row of its own again below it (no morerows), the second piece empty
    first = next(e for e in rows[span.row - head] if e[0] == f"col{span.col + 1}")
    assert first[2] is None
    assert any(e[0] == f"col{span.col + 1}" for e in rows[span.row + 1 - head])
    st96 = (folder / f"{doc_id}.st96.xml").read_text(encoding="utf-8")
    assert "Zq 42 mM" in st96 and st96.count('namest="col') >= 1
    _valid(folder, doc_id, schema_dir)

    # audited like any decision, recorded in the document JSON
    audit = [(a["action"], a["reviewer"]) for a in q.audit(doc_id)]
    assert {("correct", "rita"), ("merge-right", "rita"), ("split", "rita")} <= set(audit)
    doc = json.loads((folder / f"{doc_id}.json").read_text(encoding="utf-8"))
    rules = {c["word_id"]: c["rule"] for c in doc["corrections"] if c["rule"].startswith("review:")}
    assert rules[merge.word_id] == "review:rita:merge-right" and rules[split.word_id] == "review:rita:split"
    # the neighbour the merge took asks nothing any more
    gone = cell_key(1, 1, neighbour.row, neighbour.col)
    assert all(i.state == "decided" for i in q.items(doc_id, state=None) if i.word_id == gone)
    assert not [i for i in q.items(doc_id) if i.kind == "cell" and i.word_id in (fix.word_id, merge.word_id, split_key)]

    # applying again (forced) gives the same files: nothing lost, nothing doubled
    before = {p.name: p.read_bytes() for p in (folder / f"{doc_id}.st36.xml", folder / f"{doc_id}.txt")}
    _apply(job, "--force")
    assert {p: (folder / p).read_bytes() for p in before} == before

    # an admin takes the merge back: the two cells are two again, the neighbour's question back
    assert q.reopen(merge.id, "admin")
    _apply(job, "--force")  # (a reopened item leaves nothing new to apply: forced, as for words)
    rows = _st36_rows(folder, doc_id)
    assert all(e[1] is None for e in rows[mcell.row - head] if e[0] == f"col{mcell.col + 1}")
    if gone in cells:
        assert q.get(cells[gone].id).state == "open"


def test_a_cell_decision_that_does_not_fit_goes_back_to_the_queue_with_the_reason(table_job, tmp_path):
    job, doc_id, folder = _copy(table_job, tmp_path)
    table = _page(folder).tables[0]
    q = Queue(job / "ledger.sqlite")
    one = next(i for i in q.items(doc_id) if i.kind == "cell"
               and next(c for c in table.cells if (c.row, c.col) == parse_key(i.word_id)[2:]).colspan == 1
               and next(c for c in table.cells if (c.row, c.col) == parse_key(i.word_id)[2:]).rowspan == 1)
    q.decide(one.id, "rita", "split", "", take=True)  # a cell that spans nothing: nothing to split
    _apply(job)
    again = q.get(one.id)
    assert again.state == "open" and again.context.startswith("not applied: ")
    assert [a["action"] for a in q.audit(doc_id) if a["item_id"] == one.id] == ["split", "reopen"]
    st36 = etree.parse(str(folder / f"{doc_id}.st36.xml"))
    assert st36.find(".//tgroup").get("cols") == str(table.cols)


@pytest.mark.browser
def test_a_reviewer_fixes_and_merges_cells_on_the_review_page(table_job, tmp_path, schema_dir):
    from test_review_browser import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    job, doc_id, folder = _copy(table_job, tmp_path)
    table = _page(folder).tables[0]
    add_user(job, "rita", "reviewer")
    errors: list[str] = []
    with sync_api.sync_playwright() as p, Server(job) as server:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.set_default_timeout(15_000)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server.url + "/queue")
        page.fill("#username", "rita")
        page.fill("#password", PASSWORD)
        page.press("#password", "Enter")
        page.wait_for_url("**/queue**")
        done: dict[str, str] = {}
        for _ in range(40):
            if page.locator("#empty").count():
                break
            if not page.locator("#cell-image").count():  # a field of the (missing) front page
                with page.expect_navigation():
                    page.keyboard.press("Escape")
                continue
            assert page.locator("#cell-image").evaluate("img => img.complete && img.naturalWidth > 0")
            assert page.locator("#cell-place").inner_text().startswith("table cell, row ")
            item_id = page.get_attribute("#item", "data-item")
            key = Queue(job / "ledger.sqlite").get(int(item_id)).word_id
            if "fixed" not in done:
                assert page.locator("#cell-column").inner_text()  # the column's head, as read
                page.keyboard.type("7.7 mM")
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                done["fixed"] = key
            elif page.locator("#merge-right").count():
                page.screenshot(path=str(SCREENSHOT), full_page=True)
                with page.expect_navigation():
                    page.click("#merge-right")
                done["merged"] = key
                break
            else:  # no cell right of it over the same rows: the next one
                with page.expect_navigation():
                    page.keyboard.press("Escape")
        browser.close()
    assert set(done) == {"fixed", "merged"}, done
    assert not errors, errors
    _apply(job)
    rows = _st36_rows(folder, doc_id)
    fixed = parse_key(done["fixed"])
    merged = parse_key(done["merged"])
    head = table.header_rows
    assert any(e[3] == "7.7 mM" for e in rows[fixed[2] - head])
    assert any(e[0] == f"col{merged[3] + 1}" and e[1] is not None for e in rows[merged[2] - head])
    assert "7.7 mM" in (folder / f"{doc_id}.txt").read_text(encoding="utf-8")
    _valid(folder, doc_id, schema_dir)
