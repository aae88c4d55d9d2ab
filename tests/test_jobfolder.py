"""The job folder: one owner of its layout, and the run lock (issue 15 item 2).

Two ``digitize run`` on one output folder: the second refuses at once with one line and exit 2,
while ``status`` keeps working; a run killed with SIGKILL leaves no lock behind. Real processes,
a real local Dask cluster, real SQLite.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digitize.errors import LockedError, NotAJobFolder
from digitize.jobfolder import DocumentFolder, JobFolder, page_file, page_name, page_path
from digitize.synth import degrade, render_text_page, write_tiff

BIN = Path(sys.executable).parent / "digitize"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}


def test_layout_and_page_names(tmp_path):
    job = JobFolder(tmp_path / "out")
    assert not job.exists()
    with pytest.raises(NotAJobFolder, match=r"is not a job folder \(no ledger.sqlite\)"):
        job.require()
    job.create()
    ledger = job.ledger()
    ledger.close()
    assert job.exists() and job.require() is job
    assert (job.root / "work").is_dir() and (job.root / "documents").is_dir()
    assert page_name(7) == "0007" and page_file(7, ".tif") == "pages/0007.tif"
    assert page_path(job.document_dir("X1"), 12, ".json") == job.root / "documents" / "X1" / "pages" / "0012.json"
    ro = job.ledger(readonly=True)
    try:
        assert ro.rows() == []
        with pytest.raises(Exception, match="readonly"):
            ro.conn.execute("DELETE FROM documents")
    finally:
        ro.close()


def test_document_folder_names_its_files(tmp_path):
    """A document's files named in one place: pages, the outputs after the DOCID, and which of
    those belong to an earlier DOCID (stale) once structure found the publication's number."""
    doc = JobFolder(tmp_path / "out").document("documents/EP1A1")
    assert doc.root == tmp_path / "out" / "documents" / "EP1A1"
    assert doc.page(3, ".alto.xml") == doc.root / "pages" / "0003.alto.xml" == page_path(doc.root, 3, ".alto.xml")
    assert [doc.text("EP1A1").name, doc.json("EP1A1").name, doc.xml("EP1A1", "st36").name,
            doc.xml("EP1A1", "st96").name, doc.pdf("EP1A1").name] == [
        "EP1A1.txt", "EP1A1.json", "EP1A1.st36.xml", "EP1A1.st96.xml", "EP1A1.pdf"]
    doc.pages_dir.mkdir(parents=True)
    for n in (2, 1):
        doc.page(n, ".json").write_text("{}")
    doc.page(1, ".tif").write_bytes(b"")
    (doc.pages_dir / ".0003.json.tmp").write_text("")
    assert doc.page_jsons() == [doc.page(1, ".json"), doc.page(2, ".json")] and doc.pages_recognised() == 2
    for name in ("scan.txt", "scan.json", "scan.st36.xml", "EP1A1.txt", "EP1A1.st96.xml", "notes.v2.txt"):
        (doc.root / name).write_text("")
    assert sorted(p.name for p in doc.stale("EP1A1")) == ["scan.json", "scan.st36.xml", "scan.txt"]
    assert DocumentFolder(doc.root).stale("scan") == [doc.root / "EP1A1.txt", doc.root / "EP1A1.st96.xml"]


def test_lock_is_exclusive_and_released(tmp_path):
    job = JobFolder(tmp_path / "out")
    with job.run_lock():
        with pytest.raises(LockedError, match=rf"in use by another 'digitize run' \(pid {os.getpid()}\)"):
            with JobFolder(tmp_path / "out").run_lock():
                pass
    with job.run_lock():  # released on exit
        pass


def _inputs(folder: Path, n_docs: int = 6, pages: int = 2) -> None:
    folder.mkdir(parents=True)
    for d in range(n_docs):
        images = []
        for p in range(pages):
            img, dpi = degrade(render_text_page([f"Document {d + 1} page {p + 1}.", "",
                                                 "Rice paddies terraced along the mountain slopes"]), "clean", d * 10 + p)
            images.append(img)
        write_tiff(images, folder / f"doc{d + 1}.tif", dpi)


def _wait_locked(out: Path, run: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and run.poll() is None:
        lock = out / "run.lock"
        if lock.is_file() and lock.read_text().strip().isdigit() and (out / "ledger.sqlite").is_file():
            return
        time.sleep(0.05)
    raise AssertionError("the first run never took its lock")


def test_second_run_refuses_and_killed_run_releases(tmp_path):
    _inputs(tmp_path / "in")
    out = tmp_path / "out"
    args = [str(BIN), "run", str(tmp_path / "in"), "--profile", "generic", "--out", str(out), "--workers", "1",
            "--pages-per-task", "1", "--progress", "log", "--formats", ""]
    first = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        _wait_locked(out, first)
        t0 = time.time()
        second = subprocess.run(args, env=ENV, capture_output=True, text=True, timeout=60)
        took = time.time() - t0
        assert second.returncode == 2, second.stdout + second.stderr
        lines = second.stderr.strip().splitlines()
        assert lines == [f"digitize run: error: {out} is in use by another 'digitize run' (pid {first.pid}); "
                         "wait for it to finish (status, review and report work meanwhile)"], second.stderr
        assert took < 15, f"the second run took {took:.1f} s to refuse"
        status = subprocess.run([str(BIN), "status", str(out)], env=ENV, capture_output=True, text=True, timeout=60)
        assert status.returncode == 0 and "input(s)" in status.stdout, status.stdout + status.stderr
        assert first.poll() is None, "the first run ended before it could be killed"
        os.kill(first.pid, signal.SIGKILL)  # the client only: its cluster's processes may linger
        first.wait()
        again = subprocess.run(args, env=ENV, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "in use by another" not in again.stderr, again.stderr
    finally:
        try:
            os.killpg(first.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
