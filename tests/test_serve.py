"""`digitize serve` as a user runs it: a real subprocess on a hot folder, real files dropped in,
SIGINT to stop it, and a restart that resumes a document left half-done."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from digitize.synth import degrade, render_text_page, write_tiff

BIN = Path(sys.executable).parent / "digitize"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}


def rows(out: Path) -> dict[str, dict]:
    if not (out / "ledger.sqlite").exists():
        return {}
    try:
        conn = sqlite3.connect(out / "ledger.sqlite", timeout=5)
        conn.row_factory = sqlite3.Row
        try:
            return {Path(r["input"]).name: dict(r) for r in conn.execute("SELECT * FROM documents")}
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return {}


def wait_for(predicate, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            raise AssertionError(f"serve exited {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}")
        time.sleep(0.2)
    raise AssertionError("timed out")


def page(text: str, seed: int):
    lines = [text, "", "Rice paddies terraced along the mountain slopes", "are irrigated by water from the forest."]
    return degrade(render_text_page(lines), "clean", seed)


def serve(inbox: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([str(BIN), "serve", "--watch", str(inbox), "--out", str(out), "--profile", "generic",
                             "--workers", "1", "--formats", "", "--poll", "0.3", *extra],
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)



@contextmanager
def killed_on_failure(proc: subprocess.Popen):
    """A failed wait kills the service, so the test's error is not followed by a hung process."""
    try:
        yield
    except BaseException:
        proc.kill()
        raise

def stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output
    return output


def drop(img_dpi, target: Path) -> None:
    """Written as NAME.part, then renamed: the convention the help text gives."""
    part = target.with_name(target.name + ".part")
    write_tiff([i for i, _ in img_dpi], part, img_dpi[0][1])
    os.replace(part, target)


def test_serve_processes_dropped_files_stops_on_sigint_and_resumes(tmp_path):
    inbox, out = tmp_path / "in", tmp_path / "out"
    proc = serve(inbox, out)
    with killed_on_failure(proc):
        wait_for(lambda: (inbox / "done").is_dir(), 120, proc)
        drop([page("First dropped page.", 1)], inbox / "first.tif")
        # the second is written slowly in place (no .part): taken only once it stops changing
        second = inbox / "second.tif"
        write_tiff([page("Second dropped page.", 2)[0]], tmp_path / "second.tif", 300)
        data = (tmp_path / "second.tif").read_bytes()
        with open(second, "wb") as f:
            for i in range(0, len(data), len(data) // 4 + 1):
                f.write(data[i:i + len(data) // 4 + 1])
                f.flush()
                time.sleep(0.15)
        wait_for(lambda: all(rows(out).get(n, {}).get("state") in ("done", "needs-review")
                             for n in ("first.tif", "second.tif")), 240, proc)
        wait_for(lambda: (inbox / "done" / "second.tif").exists(), 30, proc)
    output = stop(proc)
    assert "done first.tif" in output and "done second.tif" in output or "needs-review" in output, output
    r = rows(out)
    for name, word in (("first.tif", "First"), ("second.tif", "Second")):
        assert r[name]["completions"] == 1
        doc = out / r[name]["out_dir"]
        assert word in (doc / f"{doc.name}.txt").read_text()
        assert (inbox / "done" / name).is_file() and not (inbox / name).exists()

    # a four-page document, stopped after its first pages: the restart resumes it
    drop([page(f"Long document page {n}.", 10 + n) for n in range(1, 5)], inbox / "long.tif")
    proc = serve(inbox, out, "--pages-per-task", "1")
    with killed_on_failure(proc):
        work = out / "work"
        wait_for(lambda: any(work.glob("*/pages/0001.json")), 240, proc)
        assert rows(out)["long.tif"]["state"] == "running"
    stop(proc)
    assert rows(out)["long.tif"]["state"] != "done"
    assert (inbox / "long.tif").is_file()  # left for the restart
    recognised = {p.name for p in work.glob("*/pages/*.json")}
    assert recognised
    proc = serve(inbox, out, "--pages-per-task", "1")
    with killed_on_failure(proc):
        wait_for(lambda: rows(out).get("long.tif", {}).get("state") in ("done", "needs-review"), 300, proc)
        wait_for(lambda: (inbox / "done" / "long.tif").exists(), 30, proc)
    output = stop(proc)
    assert "resuming" in output, output
    r = rows(out)["long.tif"]
    assert r["completions"] == 1 and r["pages"] == 4
    text = (out / r["out_dir"] / f"{Path(r['out_dir']).name}.txt").read_text()
    assert all(f"page {n}" in text for n in range(1, 5)), text


def test_serve_moves_a_bad_file_to_failed_with_its_reason(tmp_path):
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    proc = serve(inbox, out)
    with killed_on_failure(proc):
        wait_for(lambda: (inbox / "failed" / "broken.pdf.reason.txt").exists(), 180, proc)
    stop(proc)
    reason = (inbox / "failed" / "broken.pdf.reason.txt").read_text().strip()
    assert reason and reason == rows(out)["broken.pdf"]["reason"]


def test_serve_on_threads_processes_a_dropped_file(tmp_path):
    """``--pool threads``: the service's workers are threads of its own process (one engine each)."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    proc = serve(inbox, out, "--pool", "threads")
    with killed_on_failure(proc):
        wait_for(lambda: (inbox / "done").is_dir(), 120, proc)
        drop([page("Threaded page.", 3)], inbox / "t.tif")
        wait_for(lambda: rows(out).get("t.tif", {}).get("state") in ("done", "needs-review"), 240, proc)
        wait_for(lambda: (inbox / "done" / "t.tif").exists(), 30, proc)
    output = stop(proc)
    assert "1 thread(s) in this process" in output, output
    r = rows(out)["t.tif"]
    assert r["completions"] == 1 and "Threaded" in (out / r["out_dir"] / f"{Path(r['out_dir']).name}.txt").read_text()
