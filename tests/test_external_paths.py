"""On an existing cluster (a real `dask scheduler` and `dask worker`s on 127.0.0.1, started in
another folder than the client's), relative inputs and a relative --out mean what they mean to the
client: the client makes them absolute before anything is submitted. A worker that does not see
the output folder stops the run at start with one line naming it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from digitize.synth import degrade, render_text_page, write_tiff

BIN = Path(sys.executable).parent / "digitize"
DASK = Path(sys.executable).parent / "dask"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _docs(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True)
    for d in range(n):
        images = []
        for p in range(2):
            img, dpi = degrade(render_text_page([f"Document {d + 1} page {p + 1}.", "",
                                                 "Rice paddies terraced along the mountain slopes."]), "clean", d + p)
            images.append(img)
        write_tiff(images, folder / f"doc{d + 1}.tif", dpi)
    return [f"doc{d + 1}.tif" for d in range(n)]


class Cluster:
    """A scheduler and workers, each in its own process group; ``worker_prefix`` wraps a worker's
    command (``unshare`` for one that must not see a folder)."""

    def __init__(self, cwd: Path):
        self.cwd, self.procs = cwd, []
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self._start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address",
                     "127.0.0.1:0", "--no-show"])

    def _start(self, cmd: list[str]) -> None:
        self.procs.append(subprocess.Popen(cmd, env=ENV, cwd=self.cwd, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, start_new_session=True))

    def worker(self, prefix: list[str] | None = None) -> None:
        cmd = [str(DASK), "worker", self.address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
               "--no-dashboard"]
        self._start([*(prefix or []), *cmd])

    def wait(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(n, timeout=90)

    def stop(self) -> None:
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), "run", *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300)


def test_relative_inputs_and_out_on_workers_started_elsewhere(tmp_path):
    client_dir, workers_dir = tmp_path / "client", tmp_path / "workers"
    workers_dir.mkdir()
    names = _docs(client_dir / "in", 2)
    cluster = Cluster(workers_dir)
    try:
        cluster.worker()
        cluster.worker()
        cluster.wait(2)
        args = ("in", "--out", "out", "--scheduler", cluster.address, "--profile", "generic", "--formats", "",
                "--progress", "log", "--no-authority", "--pages-per-task", "1")
        proc = _run(client_dir, *args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        for name in names:
            stem = Path(name).stem
            assert "terraced" in (client_dir / "out" / "documents" / stem / f"{stem}.txt").read_text()
        assert sorted(p.name for p in workers_dir.iterdir()) in ([], ["dask-scratch-space"])  # nothing written there
        again = _run(client_dir, *args)
        assert again.returncode == 0 and "nothing to do" in again.stdout, again.stdout + again.stderr
    finally:
        cluster.stop()


def test_a_worker_that_does_not_see_the_output_folder_stops_the_run_naming_it(tmp_path):
    if not shutil.which("unshare"):
        pytest.fail("unshare (util-linux) is not installed")
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace here: {probe.stderr.decode().strip()}")
    client_dir, workers_dir = tmp_path / "client", tmp_path / "workers"
    workers_dir.mkdir()
    _docs(client_dir / "in", 1)
    cluster = Cluster(workers_dir)
    try:
        # this worker's view of the machine has an empty folder where the client's is
        hide = f"mount -t tmpfs none {client_dir} && exec \"$@\""
        cluster.worker(["unshare", "--mount", "--propagation", "private", "sh", "-c", hide, "sh"])
        cluster.wait(1)
        proc = _run(client_dir, "in", "--out", "out", "--scheduler", cluster.address, "--profile", "generic",
                    "--formats", "", "--progress", "log")
        text = proc.stdout + proc.stderr
        assert proc.returncode == 2, text
        assert "Traceback" not in text
        errors = [line for line in text.splitlines() if line.startswith("digitize run: error:")]
        assert len(errors) == 1, text
        assert "worker tcp://127.0.0.1:" in errors[0] and f"does not see the output folder {client_dir / 'out'}" in errors[0]
        assert not list((client_dir / "out" / "documents").iterdir())
    finally:
        cluster.stop()
