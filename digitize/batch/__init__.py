"""The batch layer: the only package that knows Dask.

* ``tasks``: the typed tasks and results that travel to and from workers, and the two worker
  functions (``run_ocr``, ``run_finish``);
* ``planner``: which inputs need work (checksums, skip and resume) and their page ranges;
* ``document``: one document's state, which yields its next tasks;
* ``worker``: the ``WorkerPlugin`` that checks dependencies and sets each worker up;
* ``run``: the client's loop (``BatchRun``), used by ``digitize run`` and ``digitize serve``.
"""

from .run import BatchRun, PostStep, connect, run_batch

__all__ = ["BatchRun", "PostStep", "connect", "run_batch"]
