"""`digitize serve` as a user runs it: a real subprocess on a hot folder, real files dropped in,
SIGINT to stop it, and a restart that resumes a document left half-done. And the hot folder's
rule for "completely written", on real files cut short and written in pieces."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from digitize import hotfolder
from digitize.hotfolder import COMPLETE, INCOMPLETE, UNKNOWN, HotFolder, completeness
from digitize.synth import degrade, render_text_page, write_pdf, write_tiff

BIN = Path(sys.executable).parent / "digitize"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}
REAL = Path(__file__).parent / "data" / "real"


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


def write_in_pieces(data: bytes, target: Path, pause: float, check=lambda: True, pieces: int = 4) -> None:
    """Append ``data`` to ``target`` in pieces, each written and closed (an inotify close-write
    event each), ``pause`` seconds apart; ``check()`` must hold all along until the last piece."""
    step = len(data) // pieces + 1
    for i in range(0, len(data), step):
        with open(target, "ab") as f:
            f.write(data[i:i + step])
        end = time.time() + pause
        while i + step < len(data) and time.time() < end:
            assert check(), f"{target.name} taken with {i + step} of {len(data)} bytes written"
            time.sleep(0.05)


def test_serve_processes_dropped_files_stops_on_sigint_and_resumes(tmp_path):
    inbox, out = tmp_path / "in", tmp_path / "out"
    proc = serve(inbox, out)
    with killed_on_failure(proc):
        wait_for(lambda: (inbox / "done").is_dir(), 120, proc)
        drop([page("First dropped page.", 1)], inbox / "first.tif")
        # the second is written slowly in place (no .part), in pieces closed in between, with
        # pauses longer than --poll and the grace: its format shows it unfinished until the end
        second = inbox / "second.tif"
        write_tiff([page("Second dropped page.", 2)[0]], tmp_path / "second.tif", 300)
        write_in_pieces((tmp_path / "second.tif").read_bytes(), second, pause=1.0,
                        check=lambda: "second.tif" not in rows(out))
        wait_for(lambda: all(rows(out).get(n, {}).get("state") in ("done", "needs-review")
                             for n in ("first.tif", "second.tif")), 240, proc)
        wait_for(lambda: (inbox / "done" / "second.tif").exists(), 30, proc)
        # idle with documents recorded: the report (and the authority file) follow, as after a run
        wait_for(lambda: "second.tif" in ((out / "report.html").read_text() if (out / "report.html").exists() else ""),
                 60, proc)
    output = stop(proc)
    assert "first.tif" in (out / "report.html").read_text()
    assert list((out / "logs").glob("serve-*.log"))
    assert "warm-up of a worker failed" not in output, output
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
    recorded = rows(out)["broken.pdf"]["reason"]
    assert reason and recorded.startswith(reason)
    # status names the file where it is now, not where it was dropped (issue 28)
    assert recorded.endswith(f"; the original is now {inbox / 'failed' / 'broken.pdf'}"), recorded
    status = subprocess.run([str(BIN), "status", str(out)], capture_output=True, text=True)
    assert str(inbox / "failed" / "broken.pdf") in status.stdout, status.stdout


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


def sample_files(folder: Path) -> list[Path]:
    """One file of each format digitize reads: a committed real scan (TIFF) and real PDF page, and
    a G4 TIFF of three pages, a PNG, a progressive JPEG and an image PDF made here."""
    from PIL import Image

    img, dpi = page("Completeness of a dropped file.", 5)
    write_tiff([img, img, img], folder / "three.tif", dpi)
    write_pdf([img], folder / "scan.pdf", dpi)
    grey = Image.fromarray(img).convert("L")
    grey.save(folder / "scan.png")
    grey.convert("RGB").save(folder / "scan.jpg", quality=85, progressive=True)
    return [REAL / "8071_093.3B.tif", REAL / "CA2944968A1" / "page-000002.pdf", folder / "three.tif",
            folder / "scan.pdf", folder / "scan.png", folder / "scan.jpg"]


def test_completeness_proves_whole_files_and_no_file_cut_short(tmp_path):
    """Every format digitize reads: the whole file is COMPLETE, and no cut of it is (a cut may
    drop up to 16 trailing bytes that nothing in the file refers to: a PDF's last end-of-line,
    a TIFF's padding)."""
    cut = tmp_path / "cut"
    cut.mkdir()
    for path in sample_files(tmp_path):
        data = path.read_bytes()
        assert completeness(path) == COMPLETE, path.name
        step = max(1, len(data) // 300)
        for n in sorted(set(range(0, len(data) - 16, step)) | set(range(max(0, len(data) - 64), len(data) - 16))):
            part = cut / f"part{path.suffix}"
            part.write_bytes(data[:n])
            assert completeness(part) != COMPLETE, f"{path.name} cut to {n} of {len(data)} bytes taken as complete"
    (tmp_path / "truncated.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "text.pdf").write_bytes(b"not a PDF at all, whatever its name says")
    assert completeness(tmp_path / "truncated.pdf") == INCOMPLETE
    assert completeness(tmp_path / "text.pdf") == UNKNOWN


@pytest.mark.parametrize("inotify", [True, False], ids=["inotify", "listing"])
def test_hot_folder_takes_a_file_written_in_pieces_only_when_complete(tmp_path, inotify):
    """A TIFF appended in pieces, closed after each, with pauses longer than the grace and the
    settle time: never taken half-written; taken once complete. A complete file renamed into
    the folder is taken at the first look (inotify: the event says so at once)."""
    inbox = tmp_path / "in"
    hot = HotFolder(inbox, settle=0.3, inotify=inotify)
    try:
        if inotify and hot.fileno() is None:
            pytest.skip("no inotify here")
        img, dpi = page("Written in pieces.", 6)
        write_tiff([img, img], tmp_path / "slow.tif", dpi)
        taken: list[Path] = []

        def nothing_taken() -> bool:
            taken.extend(hot.scan())
            return not taken

        pause = 2 * max(hotfolder.GRACE, hot.settle) + 0.1
        write_in_pieces((tmp_path / "slow.tif").read_bytes(), inbox / "slow.tif", pause=pause, check=nothing_taken)
        deadline = time.time() + 30
        while not taken and time.time() < deadline:
            taken.extend(hot.scan())
            time.sleep(0.05)
        assert [h.input for h in taken] == [inbox / "slow.tif"]
        assert taken[0].path.read_bytes() == (inbox / "slow.tif").read_bytes()  # the copy the workers read

        write_tiff([img], tmp_path / "renamed.tif.part", dpi)
        os.replace(tmp_path / "renamed.tif.part", inbox / "renamed.tif")
        if inotify:
            assert [h.input for h in hot.scan()] == [inbox / "renamed.tif"]
        else:
            deadline = time.time() + 30
            while not (found := hot.scan()) and time.time() < deadline:
                time.sleep(0.05)
            assert [h.input for h in found] == [inbox / "renamed.tif"]
        assert hot.scan() == []  # each file is returned once

        (inbox / "empty.tif").touch()  # never taken, and no busy loop waiting for it
        hot.scan()
        time.sleep(hot.settle + 0.1)
        assert hot.scan() == [] and hot.next_look() > 0
    finally:
        hot.close()
