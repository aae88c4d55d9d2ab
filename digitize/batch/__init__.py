"""The batch layer: the only package that knows Dask.

* ``tasks``: the typed tasks and results that travel to and from workers, and the two worker
  functions (``run_ocr``, ``run_finish``);
* ``planner``: which inputs need work (checksums, skip and resume) and their page ranges;
* ``preview``: what a run would do (``--dry-run``), nothing written;
* ``document``: one document's state, which yields its next tasks;
* ``worker``: the ``WorkerPlugin`` that checks dependencies and sets each worker up, and the
  one warm-up (``warm``);
* ``cluster``: the client, on an existing scheduler or a local cluster;
* ``progress``: the bar or the log lines of a run;
* ``run``: the client's loop (``BatchRun``, ``run_batch``), used by ``digitize run`` and the service;
* ``products``: the job's products after its documents (authority file, report);
* ``service``: ``digitize serve``'s loop on a hot folder (``serve``).
"""

__all__ = ["BatchRun", "connect", "run_batch", "serve"]


def __getattr__(name: str):
    """Imported on first use: a worker unpickles ``worker.WorkerSetup`` (and so imports this
    package) before it has checked its dependencies, and ``run`` imports Dask and much of digitize."""
    if name in ("BatchRun", "run_batch"):
        from . import run

        return getattr(run, name)
    if name == "connect":
        from .cluster import connect

        return connect
    if name == "serve":
        from .service import serve

        return serve
    raise AttributeError(name)
