"""Worker set-up, once per worker process: a Dask ``WorkerPlugin`` registered on the client, so
it runs on the workers of our LocalCluster and on those of an existing cluster (``--scheduler``),
including workers that join later.

The plugin checks the dependencies (the run refuses to start when one is missing, naming the
worker), sets the process up for one core, and loads what every document's finish needs (the
ST.96 XSD, compiled with MathML stood in for (see ``validate``); the DTD; the profile's lexicon:
``warm``) in a background thread, overlapped with the first pages' OCR: tesserocr and OpenCV
release the GIL, and a finish that comes before the load ends waits on the same lock instead of
compiling again. A service also warms each worker thread with a page (``warm(page=True)``).

Only the standard library and ``digitize.deps`` are imported at the top: the plugin must unpickle
on a worker that lacks a dependency, to say which one.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from .. import deps
from ..errors import SharedFolderError
from ..formats import DEFAULT

log = logging.getLogger("digitize")

WORKER_ENV = {"OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

_prepared = False
_missing: str | None = None  # set by the plugin on a worker that lacks a dependency
_blind: str | None = None  # set by the plugin on a worker that does not see the output folder


def prepare_process() -> None:
    """One thread for every library: a worker is given one core, and OpenCV's own thread pool
    would compete with the other workers' engines. And, on a worker that Dask's nanny started
    with ``MALLOC_TRIM_THRESHOLD_`` (any ``dask worker`` of an existing cluster), thresholds that
    let glibc keep page-sized blocks: that variable also freezes the mmap threshold at 128 KiB, so
    every page buffer was mapped and unmapped again (slower preprocessing, undone by these two
    calls; bench/README.md). Idempotent; the tasks call it too, for a worker
    the plugin has not reached."""
    global _prepared
    if _missing is not None:  # a worker that joined after the start-up check
        raise deps.MissingDependency(_missing)
    if _blind is not None:
        raise SharedFolderError(_blind)
    os.environ.update(WORKER_ENV)
    if _prepared:
        return
    _prepared = True
    import cv2

    cv2.setNumThreads(1)
    if "MALLOC_TRIM_THRESHOLD_" in os.environ and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: blocks under 32 MiB come from the heap
            libc.mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD: keep up to 64 MiB of free heap
        except (OSError, AttributeError):
            pass


def warm(profile: Any, formats: tuple[str, ...] = DEFAULT, schema_dir: Path | None = None, *,
         page: bool = False) -> float:
    """The one warm-up of a worker. Load what a process's first finish would: the ST.96 XSD and
    code lists, the DTD, the lexicon (the plugin does this in a thread of every worker). With
    ``page`` (a service, on each worker thread), a synthetic page then goes through OCR and the
    finish in a temporary folder: this thread's engine, the readers, preprocessing,
    proofreading, emitters, validation. Never raises: a missing schema or word list is reported
    by the real finish, with its document; a page that fails is logged. Returns the seconds."""
    start = time.perf_counter()
    try:
        from .. import validate

        base = validate.schema_dir(schema_dir)
        if "st96" in formats:
            validate.st96_codes(base)
            validate.st96_schema(base)
        if "st36" in formats:
            validate.st36_dtd(base)
    except Exception as exc:  # noqa: BLE001
        log.debug("warm-up of the schemas skipped: %s", exc)
    try:
        from ..proofread import lexicon_for

        lexicon_for(profile)
    except Exception as exc:  # noqa: BLE001
        log.debug("warm-up of the lexicon skipped: %s", exc)
    if page:
        _warm_page(profile, formats, schema_dir)
    return time.perf_counter() - start


def _warm_page(profile: Any, formats: tuple[str, ...], schema_dir: Path | None) -> None:
    import shutil
    import tempfile

    from ..pipeline import finish_document, ocr_range
    from ..synth import degrade, render_text_page, write_tiff

    folder = Path(tempfile.mkdtemp(prefix="digitize-warm-up-"))
    try:
        prepare_process()
        img, dpi = degrade(render_text_page(["Warm-up page.", "", "A line of text to read before the first document."]),
                           "clean", 0)
        write_tiff([img], folder / "warm-up.tif", dpi)
        ocr_range(folder / "warm-up.tif", folder / "work", profile)
        finish_document(folder / "work", profile, source="warm-up.tif", doc_id="WARMUP", formats=formats,
                        schema_dir=schema_dir)
    except Exception as exc:  # noqa: BLE001
        log.warning("warm-up of a worker failed (the first document will load what it needs): %s: %s",
                    type(exc).__name__, exc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sees_output(marker: tuple[str, str] | None, where: str) -> str | None:
    """None when this process reads the client's marker file (same path, same content); else
    the one line that stops the run."""
    if marker is None:
        return None
    path, token = marker
    try:
        seen = Path(path).read_text(encoding="ascii") == token
    except (OSError, ValueError):
        seen = False
    if seen:
        return None
    folder = Path(path).parent.parent
    return (f"{where} does not see the output folder {folder} (the marker file the client wrote there is "
            f"missing); inputs and the output folder must be on a filesystem every worker sees, at the same path")


class WorkerSetup(WorkerPlugin):
    """Registered once per run (same name: a later run on the same cluster replaces it)."""

    name = "digitize-setup"

    def __init__(self, profile: Any, formats: tuple[str, ...], schemas: str | None,
                 marker: tuple[str, str] | None = None):
        # The profile travels pickled: unpickling it imports the pipeline's modules, which a
        # worker may lack; the check needs only the engine settings, as plain values.
        e = profile.engine
        self.engine = SimpleNamespace(engine=SimpleNamespace(backend=e.backend, languages=e.languages, tessdata=e.tessdata))
        self.profile_bytes = pickle.dumps(profile)
        self.formats, self.schemas = tuple(formats), schemas
        self.marker = marker  # (absolute path of a file the client wrote in the output folder, its content)

    def setup(self, worker=None) -> None:
        global _missing, _blind
        where = f"worker {getattr(worker, 'address', '?')} (host {socket.gethostname()})"
        try:
            deps.check(self.engine, where=where)
        except deps.MissingDependency as exc:
            _missing = str(exc)
            raise
        _missing = None
        _blind = sees_output(self.marker, where)
        if _blind is not None:
            raise SharedFolderError(_blind)
        prepare_process()
        threading.Thread(target=warm, args=(pickle.loads(self.profile_bytes), self.formats,
                                            Path(self.schemas) if self.schemas else None),
                         name="digitize-warm", daemon=True).start()
