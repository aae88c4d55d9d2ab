"""What a run says about itself is true: after Ctrl-C, `status` says interrupted and how to resume,
with the pages done per document; the resumed run's rate counts only the pages it recognised over
its own time, and the CLI and report.html print the same numbers; a re-run with nothing to do
starts no cluster."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digitize.synth import degrade, render_text_page, write_tiff

BIN = Path(sys.executable).parent / "digitize"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}
PAGES = 6

pytestmark = pytest.mark.slow


def _doc(path: Path, pages: int) -> None:
    images = []
    for p in range(pages):
        img, dpi = degrade(render_text_page([f"Page {p + 1} of the long one.", "", "Rice paddies terraced along the slopes",
                                             "are irrigated by water from the forest."]), "clean", p)
        images.append(img)
    write_tiff(images, path, dpi)


def _digitize(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=300, env=ENV)


def _runs(out: Path) -> list[dict]:
    conn = sqlite3.connect(out / "ledger.sqlite")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM runs ORDER BY id")]
    finally:
        conn.close()


def test_interrupt_status_resume_and_true_throughput(tmp_path):
    (tmp_path / "in").mkdir()
    _doc(tmp_path / "in" / "long.tif", PAGES)
    out = tmp_path / "out"
    args = ["run", str(tmp_path / "in"), "--profile", "generic", "--out", str(out), "--workers", "1",
            "--pages-per-task", "1", "--pool", "threads", "--progress", "log", "--formats", "", "--no-authority"]
    # Ctrl-C as a terminal sends it: a test runner started in the background of a shell has SIGINT
    # ignored, and the run would inherit that (it then finished every page and exited 0)
    run = subprocess.Popen([str(BIN), *args], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 180
    while time.time() < deadline and run.poll() is None and not list(out.glob("work/*/pages/0001.json")):
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before it could be interrupted"
    run.send_signal(signal.SIGINT)  # Ctrl-C
    text = run.communicate(timeout=120)[0]
    assert run.returncode == 130, text

    # status: interrupted, how to resume, the pages done so far
    st = _digitize("status", str(out))
    assert st.returncode == 0, st.stderr
    assert "interrupted" in st.stdout and "run the same command again to resume" in st.stdout, st.stdout
    assert re.search(rf"long\.tif: \d+/{PAGES} pages", st.stdout), st.stdout
    row = json.loads(_digitize("status", str(out), "--json").stdout.splitlines()[0])
    assert row["state"] == "running" and row["interrupted"] is True
    assert row["page_count"] == PAGES and 1 <= row["pages_done"] < PAGES, row
    kept = len(list(out.glob("work/*/pages/[0-9]*.json")))
    assert runs_outcomes(out) == ["interrupted"]

    # a dry run: what the re-run would do, nothing written
    dry = _digitize(*args, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert f"1 to run ({PAGES - kept} page(s) to recognise, {kept} kept from an interrupted run)" in dry.stdout, dry.stdout
    assert re.search(r"^estimate: [\d.]+ min at [\d.]+ pages/min", dry.stdout, re.M), dry.stdout
    assert f"long.tif: {PAGES - kept} of {PAGES} page(s), {kept} kept" in dry.stdout
    assert runs_outcomes(out) == ["interrupted"] and len(list(out.glob("work/*/pages/[0-9]*.json"))) == kept

    # the resumed run: its own pages over its own time, the CLI and the report agree
    proc = _digitize(*args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = re.search(r"^(\d+) page\(s\) recognised in ([\d.]+) s: ([\d.]+) pages/min$", proc.stdout, re.M)
    assert m, proc.stdout
    assert int(m.group(1)) == PAGES - kept
    assert f"{kept} page(s) recognised by an earlier run kept" in proc.stdout
    last = _runs(out)[-1]
    assert last["outcome"] == "finished" and last["pages"] == PAGES - kept and last["documents"] == 1
    seconds = last["ended"] - last["started"]
    assert m.group(3) == f"{60 * last['pages'] / seconds:.1f}"
    report = (out / "report.html").read_text()
    shown = re.search(r'<span id="throughput">(\d+) page\(s\) recognised in [\d.]+ min, ([\d.]+) pages/min</span>', report)
    assert shown and shown.group(1) == m.group(1) and shown.group(2) == m.group(3), shown
    st = _digitize("status", str(out))
    assert "was interrupted" not in st.stdout and "run the same command again" not in st.stdout, st.stdout

    dry = _digitize(*args, "--dry-run")
    assert "0 to run" in dry.stdout and "1 skipped (done)" in dry.stdout and "skip     " in dry.stdout, dry.stdout
    assert "estimate: " in _digitize(*args[:-1], "--dry-run", "--out", str(tmp_path / "fresh")).stdout
    assert not (tmp_path / "fresh").exists()

    # nothing left to do: no cluster, no run recorded
    again = _digitize(*args)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "nothing to do" in again.stdout and "local cluster:" not in again.stdout + again.stderr
    assert len(_runs(out)) == 2


def runs_outcomes(out: Path) -> list[str]:
    return [r["outcome"] for r in _runs(out)]


def test_library_logs_stay_out_of_the_terminal_and_the_run_has_a_log_file(tmp_path):
    """A bar over pages. `--formats pdf` on the thread pool: fontTools' subsetting lines (~35 per PDF) and
    OCRmyPDF's messages stay off the terminal; the job folder's logs/ has the run's log file with
    the per-document line even under a progress bar."""
    (tmp_path / "in").mkdir()
    _doc(tmp_path / "in" / "a.tif", 2)
    out = tmp_path / "out"
    proc = _digitize("run", str(tmp_path / "in"), "--profile", "generic", "--out", str(out), "--workers", "1",
                     "--pool", "threads", "--formats", "pdf", "--no-authority", "--progress", "bar", "--pages-per-task", "1")
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    for noise in ("pruned", "subsett", "Glyph", "fontTools", "ocrmypdf", "8787"):
        assert noise not in text, text
    assert (out / "documents" / "a" / "a.pdf").is_file()
    # the bar counts pages, not documents: 1/2 then 2/2 pages, the document count beside
    bar = proc.stderr.replace("\r", "\n")
    assert re.search(r"\b1/2 \[.*page", bar) and re.search(r"\b2/2 \[.*page.*documents 1/1", bar), bar
    logs = list((out / "logs").glob("run-*.log"))
    assert len(logs) == 1 and f"log:     {logs[0]}" in proc.stdout
    logged = logs[0].read_text()
    assert "digitize run" in logged and "[1/1]" in logged and "a.tif" in logged
