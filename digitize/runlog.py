"""A log file per run in the job folder (``OUT/logs/run-YYYYmmdd-HHMMSS-PID.log``): everything the
run logged, with times, levels and logger names, including the libraries' warnings that the
terminal leaves out and the per-document lines a progress bar stands in for."""

from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def run_log(root: Path, command: str, verbose: int = 0) -> Iterator[Path]:
    """Log to a new file under ``root/logs`` while the block runs; yields its path."""
    logs = Path(root) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"{command}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG if verbose >= 2 else logging.INFO)
    top = logging.getLogger()
    level = top.level
    top.setLevel(min(level or logging.WARNING, handler.level))
    top.addHandler(handler)
    logging.getLogger("digitize").info("digitize %s (pid %d): %s", command, os.getpid(),
                                       " ".join(sys.argv[1:]), extra={"file_only": True})
    try:
        yield path
    finally:
        top.removeHandler(handler)
        top.setLevel(level)
        handler.close()
