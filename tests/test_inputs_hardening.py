"""Issue 15, items 4-6: inputs that used to be read twice or vanish, and a disk that fills up.

Real runs of the CLI on real files; the full disk is a real 3 MB tmpfs (needs root to mount:
skipped otherwise, with that reason)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from digitize.synth import degrade, render_text_page, write_tiff

BIN = Path(sys.executable).parent / "digitize"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}


def digitize(*args: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=timeout, env=ENV, **kw)


def ledger(out: Path) -> dict[str, dict]:
    conn = sqlite3.connect(out / "ledger.sqlite")
    conn.row_factory = sqlite3.Row
    try:
        return {Path(r["input"]).name: dict(r) for r in conn.execute("SELECT * FROM documents")}
    finally:
        conn.close()


def scan(path: Path, text: str, seed: int = 1) -> Path:
    img, dpi = degrade(render_text_page([text, "", "Terraced rice paddies on the mountain slopes."]), "clean", seed)
    write_tiff([img], path, dpi)
    return path


def test_output_folder_inside_the_input_folder_is_not_read_back(tmp_path):
    inbox = tmp_path / "scans"
    inbox.mkdir()
    scan(inbox / "one.tif", "The only document.")
    out = inbox / "out"
    other_job = inbox / "older-job"  # any job folder (it holds a ledger) is left alone too
    other_job.mkdir()
    (other_job / "ledger.sqlite").write_bytes(b"")
    scan(other_job / "page.tif", "A page of an older job's output.")
    for _ in range(2):
        proc = digitize("run", str(inbox), "--profile", "generic", "--out", str(out), "--workers", "1",
                        "--progress", "none", "--formats", "", "--no-authority", "--no-report")
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(ledger(out)) == ["one.tif"]
    assert sorted(p.name for p in (out / "documents").iterdir()) == ["one"]
    assert "1 already done" in proc.stdout


def test_dangling_and_looping_symlinks_get_a_ledger_row_with_the_reason(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    scan(inbox / "good.tif", "The good document.")
    (inbox / "dangling.tif").symlink_to(tmp_path / "gone.tif")
    (inbox / "loop-a.pdf").symlink_to(inbox / "loop-b.pdf")
    (inbox / "loop-b.pdf").symlink_to(inbox / "loop-a.pdf")
    (inbox / "linked-folder").symlink_to(tmp_path, target_is_directory=True)
    out = tmp_path / "out"
    proc = digitize("run", str(inbox), "--profile", "generic", "--out", str(out), "--workers", "1",
                    "--progress", "none", "--formats", "", "--no-authority", "--no-report")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    rows = ledger(out)
    assert rows["good.tif"]["state"] in ("done", "needs-review")
    assert rows["dangling.tif"]["state"] == "failed" and "No such file" in rows["dangling.tif"]["reason"]
    for name in ("loop-a.pdf", "loop-b.pdf"):
        assert rows[name]["state"] == "failed" and "symbolic links" in rows[name]["reason"], rows[name]
    assert "1 symbolic link(s) to folders not followed" in proc.stderr


def test_a_folder_that_cannot_be_listed_gets_a_ledger_row(tmp_path):
    """Root reads every folder: as root, the run is made without the capabilities that let it
    ignore permissions (setpriv), so a mode-000 folder is unreadable as it is for a user."""
    inbox = tmp_path / "in"
    (inbox / "locked").mkdir(parents=True)
    scan(inbox / "good.tif", "The readable document.")
    scan(inbox / "locked" / "hidden.tif", "A document nobody can list.")
    os.chmod(inbox / "locked", 0o000)
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: every folder is readable")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    out = tmp_path / "out"
    try:
        proc = subprocess.run([*prefix, str(BIN), "run", str(inbox), "--profile", "generic", "--out", str(out),
                               "--workers", "1", "--progress", "none", "--formats", "", "--no-authority",
                               "--no-report"], capture_output=True, text=True, timeout=300, env=ENV)
    finally:
        os.chmod(inbox / "locked", 0o755)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    rows = ledger(out)
    assert rows["good.tif"]["state"] in ("done", "needs-review"), rows
    assert rows["locked"]["state"] == "failed" and "Permission denied" in rows["locked"]["reason"], rows


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_fails_documents_with_the_reason_and_a_rerun_finishes(small_disk, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    names = [scan(inbox / f"doc{n:02d}.tif", f"Document number {n} of the batch.", seed=n).name for n in range(1, 13)]
    out = small_disk / "out"
    filler = small_disk / "filler"
    # leave room for the ledger and a few documents, not for twelve
    args = ("run", str(inbox), "--profile", "generic", "--out", str(out), "--workers", "1", "--progress", "log",
            "--no-authority", "--no-report")
    filler.write_bytes(b"\0" * (2300 << 10))
    proc = digitize(*args)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 1, text
    assert "Traceback" not in text, text
    assert "no space left on device" in text
    rows = ledger(out)
    assert not [r for r in rows.values() if r["state"] == "running"], (text, rows)
    failed = [r for r in rows.values() if r["state"] == "failed"]
    assert failed and all(r["reason"].startswith("no space left on device") for r in failed), failed
    assert len(rows) < len(names)  # it stopped submitting
    filler.unlink()  # space freed: a re-run finishes everything
    proc = digitize(*args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = ledger(out)
    assert sorted(rows) == names and all(r["state"] in ("done", "needs-review") for r in rows.values()), rows
