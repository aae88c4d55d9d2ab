"""Which files are inputs: the documents among files and folders, and what a search skips.

A document is a PDF or image file, or (``unit="folder"``) a folder of page images. Hidden files,
sidecars beside scans (ground truth, zone files, our outputs), job folders and symbolic links to
folders are skipped, so a re-run never reads its own outputs back; a named file is always kept,
so that a file that cannot be read gets a ledger row with the reason instead of vanishing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

PDF_EXTS = {".pdf"}
IMAGE_EXTS = {".tif", ".tiff", ".png", ".jpg", ".jpeg"}
SUPPORTED = PDF_EXTS | IMAGE_EXTS
# Files that sit beside scans but are never scans (ground truth, zone files, notes, our outputs):
# skipped when a folder is searched, instead of failing as "unsupported".
SIDECAR_EXTS = {".txt", ".uzn", ".xml", ".json", ".hocr", ".md", ".toml", ".csv", ".log", ".html",
                ".sqlite", ".sqlite-wal", ".sqlite-shm", ".db", ".ini", ".yaml", ".yml"}
SIDECAR_NAMES = {"thumbs.db", "desktop.ini"}


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(".") or path.name.startswith("~$")


def _is_sidecar(path: Path) -> bool:
    return path.suffix.lower() in SIDECAR_EXTS or path.name.lower() in SIDECAR_NAMES


def not_input(path: Path) -> bool:
    """A file no search takes as an input: hidden (``.name``, ``~$name``) or an obvious sidecar
    (``.txt`` truth, ``.xml``, ...). ``discover`` and the hot folder skip these alike."""
    return _is_hidden(path) or _is_sidecar(path)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED


def folder_pages(folder: Path) -> list[Path]:
    """The page images directly in ``folder`` (a folder document), in name order. PDFs beside
    them are documents of their own (``discover`` lists them separately)."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not _is_hidden(p) and p.suffix.lower() in IMAGE_EXTS)


def discover(inputs: list[Path], unit: str = "file", exclude: list[Path] | tuple = (),
             skip: Callable[[Path], bool] | None = None) -> list[Path]:
    """The documents among ``inputs`` (files and folders, searched recursively), sorted.

    ``unit="file"``: each PDF or image file is a document. ``unit="folder"``: each folder that
    directly holds page images is one document (returned as the folder); PDFs stay documents of
    their own. Unsupported files are returned too, so that they fail with a reason instead of
    vanishing; hidden files and obvious sidecars (``.txt`` truth, ``.xml``, …) are skipped.

    Folders in ``exclude`` (the run's output folder) and those ``skip`` says (the commands pass
    ``jobfolder.is_job_folder``: any job folder) are not searched, so an output folder inside the
    input folder is not read back as input on a re-run. Dangling and looping symbolic links and
    folders that cannot be listed are returned as they are, so that each gets a ledger row with
    the reason it cannot be read; symbolic links to folders are not followed (a warning gives
    their count)."""
    if unit not in ("file", "folder"):
        raise ValueError(f"unit must be 'file' or 'folder', got {unit!r}")
    skipped = {os.path.realpath(p) for p in exclude}
    found: set[Path] = set()
    linked_dirs = 0

    def excluded(folder: str) -> bool:
        return _left_out(Path(folder), skipped, skip) == "excluded"

    def unreadable(err: OSError) -> None:
        if err.filename:
            found.add(Path(err.filename))  # a folder that cannot be listed: its row says why

    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"input not found: {path}")
        if path.is_file():
            found.add(path)  # named explicitly: kept whatever it is, it fails with a reason
            continue
        if excluded(str(path)):
            continue
        for dirpath, dirnames, filenames in os.walk(path, onerror=unreadable):
            here = Path(dirpath)
            kept = []
            for d in sorted(dirnames):
                why = _left_out(here / d, skipped, skip)
                linked_dirs += why == "link"
                if why is None:
                    kept.append(d)
            dirnames[:] = kept
            files = [here / f for f in filenames]
            files = [f for f in files if not not_input(f)]
            broken = [f for f in files if f.is_symlink() and not _resolves(f)]
            files = [f for f in files if f.is_file()]
            found.update(broken)  # dangling or looping: recorded as failed with the reason
            if unit == "folder":
                images = [f for f in files if f.suffix.lower() in IMAGE_EXTS]
                if images:
                    found.add(here)
                found.update(f for f in files if f.suffix.lower() not in IMAGE_EXTS)
            else:
                found.update(files)
    if linked_dirs:
        import logging

        logging.getLogger("digitize").warning("%d symbolic link(s) to folders not followed (name the folders "
                                              "themselves to include them)", linked_dirs)
    return sorted(found)


def _left_out(folder: Path, skipped: set[str], skip: Callable[[Path], bool] | None) -> str | None:
    """Why a sub-folder is not searched ("excluded", "hidden", "link"), or None. An input folder
    named on the command line is searched unless excluded."""
    if os.path.realpath(folder) in skipped:
        return "excluded"
    try:
        if skip is not None and skip(folder):
            return "excluded"
    except OSError:  # a folder that cannot be read: walked, and recorded by ``unreadable``
        pass
    if folder.name.startswith("."):
        return "hidden"
    return "link" if os.path.islink(folder) else None


def searched(folder: Path, exclude: list[Path] | tuple = (), skip: Callable[[Path], bool] | None = None) -> bool:
    """Whether ``discover`` searches this sub-folder of an input folder: not hidden, not in
    ``exclude``, not one ``skip`` names, not a symbolic link. The hot folder watches the folders
    it will list by this same rule."""
    return _left_out(folder, {os.path.realpath(p) for p in exclude}, skip) is None


def _resolves(path: Path) -> bool:
    try:
        path.stat()
    except OSError:
        return False
    return True
