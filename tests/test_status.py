"""`digitize status` lines: a long DOCID never runs into its count."""

from __future__ import annotations

from digitize.cli import main
from digitize.jobfolder import JobFolder
from digitize.model import QueueCandidate


def test_a_long_docid_does_not_run_into_its_count(tmp_path, capsys):
    folder = JobFolder(tmp_path / "job").create()
    folder.ledger().close()
    long_id, short_id = "PH12023050777A1_drawing_p14", "PH1A1"
    queue = folder.queue()
    try:
        for doc_id in (long_id, short_id):
            queue.enqueue(doc_id, [QueueCandidate(kind="word", page=1, bbox=None, text=f"w{i}", confidence=40,
                                                  word_id=f"p0001_w{i:05d}") for i in range(3)])
    finally:
        queue.close()
    assert main(["status", str(folder.root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    for doc_id in (long_id, short_id):
        line = next(line for line in lines if doc_id in line)
        assert line.split()[0] == f"{doc_id}:" and line.split()[1] == "3", line
    # the counts line up in one column
    cols = {line.index(" 3 open") for line in lines if "open item" in line}
    assert len(cols) == 1
