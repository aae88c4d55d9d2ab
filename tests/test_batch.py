"""The batch end to end, through the real CLI, a real Dask cluster and the SQLite ledger.

Inputs are generated here (digitize.demo), so these tests run without ../shared.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from digitize.demo import RICE_BOX, SOLAR_DRYER, write_demo
from digitize.synth import degrade, render_text_page, write_pdf, write_tiff

BIN = Path(sys.executable).parent / "digitize"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}


def _stop(procs: list[subprocess.Popen]) -> None:
    """Stop the scheduler and worker process groups a test started: TERM, then KILL after 20 s."""
    for p in procs:
        os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def digitize(*args: str, timeout: float = 300, check: bool = False) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=timeout, env=ENV)
    if check and proc.returncode != 0:
        raise AssertionError(f"digitize {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def status(out: Path) -> dict[str, dict]:
    proc = digitize("status", str(out), "--json", check=True)
    return {Path(r["input"]).name: r for r in map(json.loads, proc.stdout.splitlines())}


def ledger_rows(out: Path) -> list[dict]:
    conn = sqlite3.connect(out / "ledger.sqlite")
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM documents")]
    conn.close()
    return rows


def words(text: str) -> set[str]:
    return {w.strip(".,;:()[]").lower() for w in text.split()}


@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo"))[0].parent


def test_end_to_end_cli(demo_inputs, tmp_path):
    out = tmp_path / "out"
    proc = digitize("run", str(demo_inputs), "--profile", "ph", "--out", str(out), "--workers", "2",
                    "--pages-per-task", "2", "--progress", "log", check=True)
    assert "pages/min" in proc.stdout
    # the ledger is closed (its WAL checkpointed) before the program exits: one file to copy
    assert (out / "ledger.sqlite").is_file() and not (out / "ledger.sqlite-wal").exists()
    st = status(out)
    assert {r["state"] for r in st.values()} <= {"done", "needs-review"}, st
    for name, pub in (("PH12023050123A1.tif", RICE_BOX), ("PH12023050777A1.pdf", SOLAR_DRYER)):
        doc_dir = Path(st[name]["output"])
        doc_id = doc_dir.name
        text = (doc_dir / f"{doc_id}.txt").read_text()
        expected = words(pub.text())
        found = words(text)
        recall = len(expected & found) / len(expected)
        assert recall > 0.9, (name, recall, sorted(expected - found)[:30])
        for n in range(1, 4):
            for suffix in (".txt", ".hocr", ".alto.xml", ".json", ".tif"):
                assert (doc_dir / "pages" / f"{n:04d}{suffix}").is_file(), (doc_dir, n, suffix)
        from PIL import Image

        with Image.open(doc_dir / "pages" / "0001.tif") as tif:
            assert tif.info.get("compression") == "group4" and tif.mode == "1"
    # a re-run skips everything and changes nothing
    before = {r["input"]: r["finished"] for r in ledger_rows(out)}
    proc = digitize("run", str(demo_inputs), "--profile", "ph", "--out", str(out), "--workers", "1", check=True)
    assert "3 already done" in proc.stdout
    assert {r["input"]: r["finished"] for r in ledger_rows(out)} == before


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Bad files mixed with one good one; value = a word the failure reason must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "random.pdf").write_bytes(os.urandom(4096))
    good_pdf = folder / "source.pdf.tmp"
    write_pdf([render_text_page(["A page that will be cut in half."])], good_pdf, 300)
    data = good_pdf.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    with pikepdf.open(good_pdf) as pdf:
        pdf.save(folder / "encrypted.pdf", encryption=pikepdf.Encryption(owner="o", user="secret", R=4))
    good_pdf.unlink()
    # a PNG whose header declares 50,000 x 50,000 pixels
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 50000, 50000, 8, 0, 0, 0, 0)
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)  # noqa: E731
    (folder / "huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b""))
    (folder / "letter.docx").write_bytes(b"PK\x03\x04 not a scan")
    img, dpi = degrade(render_text_page(["The good document survives its neighbours."]), "clean", 1)
    write_tiff([img], folder / "good.tif", dpi)
    return {"empty.pdf": "empty", "random.pdf": "pdf", "truncated.pdf": "", "encrypted.pdf": "encrypt",
            "huge.png": "pixels", "letter.docx": "unsupported"}


def test_bad_inputs_fail_alone(tmp_path):
    expected = _bad_inputs(tmp_path / "in")
    out = tmp_path / "out"
    proc = digitize("run", str(tmp_path / "in"), "--profile", "generic", "--out", str(out), "--workers", "2",
                    "--progress", "log")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    st = status(out)
    assert st["good.tif"]["state"] in ("done", "needs-review")
    text = Path(st["good.tif"]["output"], "good.txt").read_text()
    assert "survives" in text
    for name, word in expected.items():
        row = st[name]
        assert row["state"] == "failed", (name, row)
        reason = row["reason"]
        assert reason and "\n" not in reason and len(reason) < 300, (name, reason)
        assert word.lower() in reason.lower(), (name, reason)
    # the summary names every failure on its own line
    for name in expected:
        assert name in proc.stdout


def test_same_publication_twice_keeps_both(tmp_path):
    """Three scans of one publication in one batch: one keeps its DOCID, the others are written
    as DOCID_2 and DOCID_3 by a worker (files named after their own identifier), with a warning."""
    from digitize.demo import page_images

    images, dpi = page_images(RICE_BOX, "clean", seed=5)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("first", "second", "third"):
        write_tiff(images[:1], folder / f"{name}.tif", dpi)
    out = tmp_path / "out"
    digitize("run", str(folder), "--profile", "ph", "--out", str(out), "--workers", "2", "--progress", "none",
             "--no-authority", "--no-report", check=True)
    rows = ledger_rows(out)
    doc_id = RICE_BOX.doc_id
    assert sorted(r["doc_id"] for r in rows) == [doc_id, f"{doc_id}_2", f"{doc_id}_3"], rows
    for r in rows:
        assert r["state"] in ("done", "needs-review") and r["completions"] == 1, r
        folder_out = out / r["out_dir"]
        assert folder_out.name == r["doc_id"]
        names = sorted(p.name for p in folder_out.iterdir() if p.is_file())
        assert all(n.startswith(r["doc_id"] + ".") for n in names), names
        assert (folder_out / f"{r['doc_id']}.st36.xml").is_file()
        if r["doc_id"] == doc_id:
            assert r["warning"] is None
        else:
            assert f"{doc_id} already produced by another input" in r["warning"]
    assert sorted(p.name for p in (out / "documents").iterdir()) == sorted(r["doc_id"] for r in rows)


def test_missing_input_is_an_upfront_error(tmp_path):
    proc = digitize("run", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "input not found" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_profile_and_job_are_clear(tmp_path):
    proc = digitize("run", str(tmp_path), "--profile", "nosuch", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "unknown profile 'nosuch'" in proc.stderr
    job = tmp_path / "job.toml"
    job.write_text('inputs = ["x"]\nworkerz = 3\n')
    proc = digitize("run", "--job", str(job))
    assert proc.returncode == 2 and "unknown key 'workerz'" in proc.stderr


def test_a_page_over_the_engine_timeout_fails_its_document(tmp_path):
    """An engine stuck on a page does not hold its worker: past ``[engine] timeout`` the document
    fails with a one-line reason and the batch ends; a negative timeout is refused up front."""
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [f"Line {i} of a dense page that the engine needs well over a tenth of a second for." for i in range(45)]
    write_tiff([render_text_page(lines)], folder / "dense.tif", 300)
    profile = tmp_path / "hasty.toml"
    profile.write_text('extends = "generic"\nname = "hasty"\n\n[engine]\ntimeout = 0.05\n')
    out = tmp_path / "out"
    proc = digitize("run", str(folder), "--profile", str(profile), "--out", str(out), "--workers", "1",
                    "--progress", "none")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    row = status(out)["dense.tif"]
    assert row["state"] == "failed"
    assert row["reason"] == "page 1: OCR did not finish within 0.05 s ([engine] timeout)", row
    profile.write_text('extends = "generic"\nname = "hasty"\n\n[engine]\ntimeout = -1\n')
    proc = digitize("run", str(folder), "--profile", str(profile), "--out", str(tmp_path / "o2"))
    assert proc.returncode == 2 and "timeout must be >= 0" in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- real cluster


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster(tmp_path):
    """A real `dask scheduler` and two `dask worker` processes on 127.0.0.1."""
    port = _free_port()
    dask_bin = str(Path(sys.executable).parent / "dask")
    procs = [subprocess.Popen([dask_bin, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"],
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    address = f"tcp://127.0.0.1:{port}"
    for _ in range(2):
        procs.append(subprocess.Popen([dask_bin, "worker", address, "--nthreads", "1", "--nworkers", "1",
                                       "--host", "127.0.0.1", "--no-dashboard"],
                                      env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      start_new_session=True, cwd=tmp_path))
    from distributed import Client

    client = Client(address, timeout="30s")
    client.wait_for_workers(2, timeout=60)
    yield address, client
    client.close()
    _stop(procs)


def _pages_docs(folder: Path, n_docs: int, pages: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for d in range(n_docs):
        images = []
        for p in range(pages):
            lines = [f"Document {d + 1} page {p + 1}.", "", "Rice paddies terraced along the mountain slopes",
                     "are irrigated by water from the forest above them."]
            img, dpi = degrade(render_text_page(lines), "clean", d * 10 + p)
            images.append(img)
        write_tiff(images, folder / f"doc{d + 1}.tif", dpi)
        names.append(f"doc{d + 1}.tif")
    return names


def test_external_scheduler_with_a_worker_killed(cluster, tmp_path):
    address, client = cluster
    names = _pages_docs(tmp_path / "in", n_docs=4, pages=3)
    out = tmp_path / "out"
    run = subprocess.Popen([str(BIN), "run", str(tmp_path / "in"), "--profile", "generic", "--out", str(out),
                            "--scheduler", address, "--pages-per-task", "1", "--progress", "log",
                            "--formats", ""], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # kill one worker process while it is busy with a task
    killed = None
    deadline = time.time() + 120
    while killed is None and time.time() < deadline and run.poll() is None:
        busy = [w for w, tasks in client.processing().items() if any("ocr-" in str(t) for t in tasks)]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            time.sleep(0.5)  # let the engine start on the page
            os.kill(pid, signal.SIGKILL)
            killed = pid
        time.sleep(0.1)
    output, _ = run.communicate(timeout=300)
    assert killed is not None, "no worker was ever busy"
    assert run.returncode == 0, output
    st = status(out)
    assert sorted(st) == names
    for name in names:
        assert st[name]["state"] in ("done", "needs-review"), st[name]
        doc_dir = Path(st[name]["output"])
        assert len(list((doc_dir / "pages").glob("*.json"))) == 3
        assert "terraced" in (doc_dir / f"{doc_dir.name}.txt").read_text()


@pytest.mark.parametrize("pool", ["processes", "threads"])
def test_killed_run_resumes_and_finishes_each_document_once(tmp_path, pool):
    """Killed with SIGKILL mid-run (in thread mode, what any crash of an engine does: the run's
    one process dies): the re-run resumes and finishes every document exactly once."""
    names = _pages_docs(tmp_path / "in", n_docs=12, pages=2)
    out = tmp_path / "out"
    args = [str(BIN), "run", str(tmp_path / "in"), "--profile", "generic", "--out", str(out), "--workers", "1",
            "--pages-per-task", "1", "--progress", "log", "--formats", "", "--pool", pool]
    run = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 180
    done = 0
    while time.time() < deadline and run.poll() is None:
        if (out / "ledger.sqlite").exists():
            try:
                done = sum(r["state"] in ("done", "needs-review") for r in ledger_rows(out))
            except sqlite3.OperationalError:
                done = 0
            if done >= 1:
                break
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)  # the client and its local cluster, all at once
    run.wait()
    assert done < len(names)
    proc = subprocess.run(args, env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = ledger_rows(out)
    assert sorted(Path(r["input"]).name for r in rows) == sorted(names)
    for r in rows:
        assert r["state"] in ("done", "needs-review"), r
        assert r["completions"] == 1, r  # finished exactly once, across both runs
    folders = sorted(p.name for p in (out / "documents").iterdir())
    assert folders == sorted(Path(n).stem for n in names)  # one folder each, no duplicates
    # pages recognised before the kill were not recognised again: the resumed run says so
    assert "resuming" in proc.stdout + proc.stderr


def test_a_worker_missing_a_dependency_stops_the_run_at_start(tmp_path):
    """An external `dask worker` whose environment cannot import rapidfuzz: the run refuses to
    start, with one line naming the module and the worker, exit 3, and records nothing as done."""
    shim = tmp_path / "shim" / "rapidfuzz"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("rapidfuzz is not installed on this worker")\n')
    port = _free_port()
    dask_bin = str(Path(sys.executable).parent / "dask")
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([dask_bin, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"],
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    worker_env = {**ENV, "PYTHONPATH": os.pathsep.join([str(shim.parent), ENV.get("PYTHONPATH", "")])}
    procs.append(subprocess.Popen([dask_bin, "worker", address, "--nthreads", "1", "--nworkers", "1",
                                   "--host", "127.0.0.1", "--no-dashboard"],
                                  env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True, cwd=tmp_path))
    try:
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        names = _pages_docs(tmp_path / "in", n_docs=1, pages=1)
        out = tmp_path / "out"
        proc = digitize("run", str(tmp_path / "in"), "--profile", "generic", "--out", str(out),
                        "--scheduler", address, "--progress", "log", timeout=120)
        assert proc.returncode == 3, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        lines = [ln for ln in proc.stderr.splitlines() if "error" in ln]
        assert len(lines) == 1, proc.stderr
        assert "rapidfuzz" in lines[0] and "worker tcp://127.0.0.1:" in lines[0], lines
        rows = ledger_rows(out) if (out / "ledger.sqlite").exists() else []
        assert not any(r["state"] in ("done", "needs-review") for r in rows), rows
        assert names  # the input was there: only the worker's environment stopped the run
    finally:
        _stop(procs)


def test_page_ranges_are_even_and_fill_the_workers():
    from digitize.batch.planner import page_ranges

    sizes = lambda r: [b - a + 1 for a, b in r]  # noqa: E731
    assert sizes(page_ranges(29, 2, 8)) == [8, 7, 7, 7]
    assert sizes(page_ranges(31, 2, 8)) == [8, 8, 8, 7]
    assert sizes(page_ranges(3, 2, 8)) == [2, 1]
    assert sizes(page_ranges(1, 2, 8)) == [1]
    assert sizes(page_ranges(12, 1, 8)) == [6, 6]
    for pages in range(1, 60):
        r = page_ranges(pages, 2, 8)
        assert r[0][0] == 1 and r[-1][1] == pages and all(b + 1 == c for (_, b), (c, _) in zip(r, r[1:]))
        assert max(sizes(r)) <= 8 and max(sizes(r)) - min(sizes(r)) <= 1


def test_the_last_documents_of_a_job_end_in_single_pages():
    """Guided self-scheduling for the job's tail: each range of the last inputs is 1/(2 workers)
    of the pages left from its start (those queued behind included), so no core waits long for
    another's last range; a job whose end is unknown keeps even ranges."""
    from digitize.batch.planner import page_ranges

    sizes = lambda r: [b - a + 1 for a, b in r]  # noqa: E731
    assert sizes(page_ranges(14, 2, 8, after=0)) == [4, 3, 2, 2, 1, 1, 1]
    assert sizes(page_ranges(17, 2, 8, after=14)) == [8, 6, 3]  # 14 pages of another input follow
    assert sizes(page_ranges(14, 2, 8, after=None)) == [7, 7]
    assert sizes(page_ranges(12, 1, 8, after=0)) == [6, 6]  # one worker: nothing to balance
    for workers in (2, 3, 4):
        for pages in range(1, 80):
            for after in (0, 5, 40):
                r = page_ranges(pages, workers, 8, after)
                assert r[0][0] == 1 and r[-1][1] == pages and all(b + 1 == c for (_, b), (c, _) in zip(r, r[1:]))
                assert max(sizes(r)) <= 8 and sizes(r) == sorted(sizes(r), reverse=True)
                if after == 0 and pages >= 2 * workers:
                    assert sizes(r)[-workers:] == [1] * workers


def test_a_small_job_runs_on_threads_and_a_large_one_on_processes(tmp_path):
    """``pool = "auto"``: threads in the client's process up to SMALL_JOB_PAGES pages (counted
    from the headers), processes above and for ``serve`` (no inputs known); a real job on
    threads writes the same documents and ledger rows as on processes."""
    from digitize.batch.cluster import SMALL_JOB_PAGES, choose_pool
    from digitize.settings.job import JobSettings

    names = _pages_docs(tmp_path / "in", n_docs=3, pages=2)
    inputs = [tmp_path / "in" / n for n in names]
    auto = JobSettings()
    assert choose_pool(auto, inputs) == "threads"
    assert choose_pool(auto, []) == "processes"
    assert choose_pool(auto, inputs * (SMALL_JOB_PAGES // 6 + 1)) == "processes"  # > SMALL_JOB_PAGES pages
    assert choose_pool(JobSettings(workers=8), inputs) == "processes"  # > THREADS_MAX_WORKERS: one GIL
    assert choose_pool(JobSettings(pool="processes"), inputs) == "processes"
    assert choose_pool(JobSettings(pool="threads"), inputs * 100) == "threads"

    texts = {}
    for pool in ("auto", "processes"):
        out = tmp_path / f"out-{pool}"
        proc = digitize("run", str(tmp_path / "in"), "--profile", "generic", "--out", str(out), "--workers", "2",
                        "--pages-per-task", "1", "--progress", "log", "--no-authority", "--no-report", "--pool", pool)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        expected = "2 thread(s) in this process" if pool == "auto" else "2 worker process(es)"
        assert expected in proc.stderr, proc.stderr
        rows = ledger_rows(out)
        assert sorted(Path(r["input"]).name for r in rows) == sorted(names)
        assert all(r["state"] in ("done", "needs-review") and r["pages"] == 2 for r in rows), rows
        texts[pool] = {p.relative_to(out): p.read_text() for p in (out / "documents").rglob("*.txt")}
    assert texts["auto"] == texts["processes"] and len(texts["auto"]) == 3 * 3  # a document's text + 2 pages


@pytest.mark.slow
def test_run_batch_as_a_library_writes_the_products_the_job_asks_for(tmp_path):
    """``run_batch`` called as a library (no command): the documents, then the report and the
    authority file, as the job says; a second job folder asks for neither and gets neither."""
    from digitize.batch import run_batch
    from digitize.demo import page_images
    from digitize.settings import profile as profiles
    from digitize.settings.job import JobSettings

    images, dpi = page_images(RICE_BOX, "clean", seed=5)
    write_tiff(images[:1], tmp_path / "rice.tif", dpi)
    profile = profiles.load("ph")
    for out, wanted in ((tmp_path / "with", True), (tmp_path / "without", False)):
        job = JobSettings(out=out, profile="ph", workers=1, pool="threads", progress="none", formats=("st36",),
                          authority=wanted, report=wanted)
        summary = run_batch(job, profile, [tmp_path / "rice.tif"])
        assert summary.counts.get("failed", 0) == 0 and not summary.failures, summary
        assert (out / "documents" / RICE_BOX.doc_id / f"{RICE_BOX.doc_id}.st36.xml").is_file()
        assert (out / "report.html").is_file() is wanted
        assert any((out / "authority").glob("PH_AF_*.xml")) is wanted
