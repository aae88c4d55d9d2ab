"""Issue 26, third hardening round: each test replays the attack as it was reported.

Hot-folder cases run the real ``HotFolder`` (inotify and listing) and the real ``digitize serve``;
review-server cases run the real ``digitize review`` command (uvicorn on 127.0.0.1) or uvicorn in
a thread over a real SQLite queue. Memory and load figures are in ``bench/`` (ratios, not timings).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from digitize.hotfolder import FAILED, HotFolder
from test_serve import drop, killed_on_failure, page, rows, serve, stop, wait_for


# --------------------------------------------------------------------------- 1, 2: the hot folder


def _scan_in_thread(hot: HotFolder, found: list) -> bool:
    """One scan, in a thread: True when it returned (a FIFO opened for reading would block it)."""
    t = threading.Thread(target=lambda: found.extend(hot.scan()), daemon=True)
    t.start()
    t.join(20)
    return not t.is_alive()


@pytest.mark.parametrize("inotify", [True, False], ids=["inotify", "listing"])
def test_hot_folder_never_opens_a_named_pipe_and_refuses_links(tmp_path, inotify):
    """Before: a FIFO in the inbox blocked ``scan`` for good (``completeness`` opened it), and
    ``inbox/outside.png -> /elsewhere/confidential.png`` was taken and OCR'd."""
    inbox, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    elsewhere.mkdir()
    secret = elsewhere / "confidential.png"
    img, _dpi = page("Confidential text", 3)
    from PIL import Image

    Image.fromarray(img).save(secret)
    hot = HotFolder(inbox, settle=0.2, inotify=inotify)
    try:
        os.mkfifo(inbox / "pipe.tif")
        fd = os.open(inbox / "pipe.tif", os.O_RDWR | os.O_NONBLOCK)  # a writer: a close-write event
        os.close(fd)
        (inbox / "outside.png").symlink_to(secret)
        (inbox / "dangling.png").symlink_to(elsewhere / "nothing.png")
        found: list[Path] = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert _scan_in_thread(hot, found), "scan blocked on the named pipe"
            if not (inbox / "outside.png").is_symlink() and not (inbox / "dangling.png").is_symlink():
                break
            time.sleep(0.1)
        assert found == []
        assert secret.exists() and not (inbox / "outside.png").exists()
        for name in ("outside.png", "dangling.png"):
            moved = inbox / FAILED / name
            assert moved.is_symlink(), name  # the link itself was moved, never followed
            assert "symbolic link" in (inbox / FAILED / f"{name}.reason.txt").read_text()
        if inotify:  # a FIFO is reported by its close event: refused the same way
            assert (inbox / FAILED / "pipe.tif").exists() and not (inbox / "pipe.tif").exists()
            assert "named pipe" in (inbox / FAILED / "pipe.tif.reason.txt").read_text()
        # a real file dropped afterwards is still taken
        Image.fromarray(img).save(inbox / "real.png")
        deadline = time.monotonic() + 20
        while not found and time.monotonic() < deadline:
            assert _scan_in_thread(hot, found)
            time.sleep(0.05)
        assert found == [inbox / "real.png"]
    finally:
        hot.close()


def test_serve_goes_on_after_a_named_pipe_and_a_link_out_of_the_inbox(tmp_path):
    """The real service: a FIFO and a link to a file outside, then a scan: the scan is done, the
    link's target never read (no ledger row, no output)."""
    inbox, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "elsewhere"
    inbox.mkdir()
    elsewhere.mkdir()
    img_dpi = page("Confidential text", 4)
    drop([img_dpi], elsewhere / "confidential.tif")
    os.mkfifo(inbox / "pipe.tif")
    (inbox / "outside.tif").symlink_to(elsewhere / "confidential.tif")
    proc = serve(inbox, out)
    with killed_on_failure(proc):
        wait_for(lambda: (inbox / FAILED / "outside.tif.reason.txt").exists(), 180, proc)
        drop([page("After the pipe", 5)], inbox / "after.tif")
        wait_for(lambda: rows(out).get("after.tif", {}).get("state") in ("done", "needs-review"), 300, proc)
    output = stop(proc)
    assert "outside.tif" not in rows(out) and "pipe.tif" not in rows(out)
    assert "symbolic link" in output
