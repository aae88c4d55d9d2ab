"""The Dask cluster of a run or a service: a client on an existing scheduler or on a local
cluster (threads in this process for a small job, single-threaded worker processes otherwise),
Dask's periodic work quietened, its web servers kept on the loopback interface, and the worker
plugin registered (``worker.WorkerSetup``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Sequence

from .. import deps
from ..errors import SharedFolderError
from ..settings.job import JobSettings
from ..settings.profile import Profile
from .worker import WORKER_ENV, WorkerSetup

log = logging.getLogger("digitize")

# ``pool = "auto"``: a job of up to this many pages runs on threads in the client's process. Start-up
# is the point: every worker process and its nanny import digitize and Dask, which on a small job
# is a large part of the run's CPU time; one process pays it once. Larger jobs keep processes: a
# crash there costs a worker, not the run (bench/README.md has the figures).
SMALL_JOB_PAGES = 64
# ... and on up to this many workers: the threads share one GIL for their Python parts (page
# files, proofreading, the finish: ~10 % of a page), which stops paying beyond a few cores.
THREADS_MAX_WORKERS = 4


# Dask's own periodic work, set before the cluster starts (its worker processes get it from their
# nanny). A service pays it every second it waits for documents, a run on every page: the
# statistical profiler sampling each worker's threads every 10 ms, the event-loop tick every
# 20 ms, the system and memory monitors (bench/README.md has what an idle service pays). The
# dashboard (not started) is what loses the profile; the nanny still restarts a worker over
# its memory limit, looking twice a second instead of ten times.
QUIET_DASK = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "1s",
    "distributed.worker.memory.monitor-interval": "500ms",
}


# The scheduler and every worker start a web server whatever the dashboard (health, metrics, and
# with Bokeh the dashboard: worker folders, logs, call stacks), unauthenticated. Left alone, the
# scheduler's takes port 8787 on the address it listens on (the machine's own address for the
# thread pool, whose in-process address names it; "Port 8787 is already in use" when taken) and a
# worker's a random port there. Both are bound to the loopback interface on a free port, and the
# scheduler's dashboard is not started.
LOOPBACK_HTTP = {
    "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    "worker_dashboard_address": "127.0.0.1:0",
}


def choose_pool(job: JobSettings, inputs: Sequence[Path]) -> str:
    """The local cluster's pool, "threads" or "processes" (see ``SMALL_JOB_PAGES``); the pages are
    counted from the files' headers. No inputs yet (``digitize serve``), or more than
    ``THREADS_MAX_WORKERS`` workers: processes."""
    if job.pool != "auto":
        return job.pool
    if not inputs or len(inputs) > SMALL_JOB_PAGES or job.effective_workers() > THREADS_MAX_WORKERS:
        return "processes"
    from ..ingest import page_count

    pages = 0
    for path in inputs:
        try:
            pages += page_count(path)
        except Exception:  # noqa: BLE001  a bad input fails later, with its reason
            pages += 1
        if pages > SMALL_JOB_PAGES:
            return "processes"
    return "threads"


def connect(job: JobSettings, pool: str = "processes"):
    """A client on an existing scheduler, or on a LocalCluster: single-threaded processes, or
    (``pool == "threads"``) one in-process worker with a thread per core."""
    import dask
    from distributed import Client, LocalCluster

    if not log.isEnabledFor(logging.DEBUG):  # distributed sets its own levels when imported
        for name in ("distributed", "distributed.scheduler", "distributed.worker", "distributed.nanny",
                     "distributed.core", "distributed.http.proxy", "distributed.shuffle"):
            logging.getLogger(name).setLevel(logging.ERROR)

    # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which makes glibc hand
    # memory back after every large free: Tesseract and the page arrays allocate and free tens
    # of MB a page, and a page took ~6 % longer (preprocessing ~40 %) with it. glibc's own
    # dynamic threshold keeps a worker's RSS within the same bound (bench/memory.py).
    spawn_env = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
                 if k != "MALLOC_TRIM_THRESHOLD_"}
    dask.config.set({
        "distributed.scheduler.allowed-failures": max(0, job.max_attempts - 1),
        "distributed.worker.daemon": False,
        "distributed.admin.tick.limit": "30s",
        "distributed.nanny.pre-spawn-environ": spawn_env,
        **QUIET_DASK,
    })
    if job.scheduler:
        client = Client(job.scheduler, timeout="20s")
        return client, None
    os.environ.update(WORKER_ENV)  # inherited by the worker processes too
    if pool == "threads":
        cluster = LocalCluster(n_workers=1, threads_per_worker=job.effective_workers(), processes=False,
                               silence_logs=logging.CRITICAL, **LOOPBACK_HTTP)
        return Client(cluster), cluster
    cluster = LocalCluster(
        n_workers=job.effective_workers(), threads_per_worker=1, processes=True, host="127.0.0.1",
        silence_logs=logging.CRITICAL, env=dict(WORKER_ENV), **LOOPBACK_HTTP,
    )
    return Client(cluster), cluster


def set_up_workers(client, profile: Profile, job: JobSettings, marker: tuple[str, str] | None = None) -> None:
    """Register the worker plugin (dependency check, the output folder seen through ``marker``,
    one-core set-up, warm-up); a worker that lacks a dependency or does not see the output
    folder stops the run here, with one line naming it."""
    schemas = str(job.schemas) if job.schemas else None
    try:
        client.register_plugin(WorkerSetup(profile, tuple(job.formats), schemas, marker), name=WorkerSetup.name)
    except (deps.MissingDependency, SharedFolderError):
        raise
    except Exception as exc:  # the plugin did not even unpickle there (digitize itself cannot import)
        text = f"{type(exc).__name__}: {exc}".splitlines()[0]
        if "MissingDependency" in text or "missing on worker" in text:
            raise deps.MissingDependency(str(exc).splitlines()[0]) from None
        raise deps.MissingDependency(f"a worker cannot load digitize: {text}") from None
