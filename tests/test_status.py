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


def _old_ledger(path) -> None:
    """A ledger as written before the ``quality`` column: the gate's reason behind a prefix."""
    import sqlite3

    from digitize.store.ledger import SCHEMA

    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.executemany("INSERT INTO documents (input, state, reason, doc_id, out_dir) VALUES (?, ?, ?, ?, ?)",
                    [("a.tif", "needs-review", "quality: mean word confidence 55 is below 80", "A1", "documents/A1"),
                     ("b.tif", "needs-review", "incomplete: title", "B1", "documents/B1")])
    con.commit()
    con.close()


def test_quality_column_read_from_an_old_ledger_and_migrated(tmp_path, capsys):
    """The quality gate's reason is the ledger's ``quality`` field: an older ledger's prefixed
    reasons are read as it read-only (``status`` on a copy), and move to the column when a
    writer opens it; ``status`` shows the same either way."""
    import json

    folder = JobFolder(tmp_path / "job").create()
    _old_ledger(folder.ledger_path)

    def shown() -> tuple[str, list[dict]]:
        assert main(["status", str(folder.root)]) == 0
        text = capsys.readouterr().out
        assert main(["status", str(folder.root), "--json"]) == 0
        return text, [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    ro = folder.ledger(readonly=True)
    rows = {r["doc_id"]: r for r in ro.rows()}
    ro.close()
    assert rows["A1"]["quality"] == "mean word confidence 55 is below 80" and rows["A1"]["reason"] is None
    assert rows["B1"]["quality"] is None and rows["B1"]["reason"] == "incomplete: title"
    before = shown()
    assert "held by the quality gate: A1: mean word confidence 55 is below 80" in before[0], before[0]

    folder.ledger().close()  # a writer migrates
    import sqlite3

    con = sqlite3.connect(folder.ledger_path)
    stored = {d: (r, q) for d, r, q in con.execute("SELECT doc_id, reason, quality FROM documents")}
    con.close()
    assert stored["A1"] == (None, "mean word confidence 55 is below 80")
    assert stored["B1"] == ("incomplete: title", None)
    assert shown() == before
    a1 = next(r for r in before[1] if r["doc_id"] == "A1")
    assert a1["quality"] == "mean word confidence 55 is below 80"
    assert a1["reason"] == "quality: mean word confidence 55 is below 80"  # as status --json showed it before
