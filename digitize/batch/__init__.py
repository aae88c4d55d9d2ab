"""The batch layer: the only package that knows Dask.

* ``tasks``: the typed tasks and results that travel to and from workers, and the two worker
  functions (``run_ocr``, ``run_finish``);
* ``planner``: which inputs need work (checksums, skip and resume) and their page ranges;
* ``document``: one document's state, which yields its next tasks;
* ``worker``: the ``WorkerPlugin`` that checks dependencies and sets each worker up;
* ``run``: the client's loop (``BatchRun``), used by ``digitize run`` and ``digitize serve``.
"""

__all__ = ["BatchRun", "PostStep", "connect", "run_batch"]


def __getattr__(name: str):
    """Imported on first use: a worker unpickles ``worker.WorkerSetup`` (and so imports this
    package) before it has checked its dependencies, and ``run`` imports the whole pipeline."""
    if name in __all__:
        from . import run

        return getattr(run, name)
    raise AttributeError(name)
