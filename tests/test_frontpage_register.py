"""Issue 24: the office's register of numbers checked against each document's front page.

The register is the CSV ``digitize authority build --register`` reads; a job names it
(``register`` in the job file, ``digitize run --register``). A number the register does not hold,
or a kind or date that differs from it, is a field item with its reason; a reviewer's decision on
that field stands. The job's setting is checked at the edge (file and key named). End to end
through ``digitize run`` and ``apply`` on a rendered MX front page read by the real engine.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from digitize.model import Bibliographic, Field
from digitize.structure import register

from sheets import add_reviewer, write_sheet

ROOT = Path(__file__).resolve().parents[1]


def _biblio(**values) -> Bibliographic:
    b = Bibliographic()
    for k, v in values.items():
        setattr(b, k, Field(value=v, confidence=96.0))
    return b


REG = ("publication_number;kind;publication_date;office;application_number;filing_date\n"
       "2023018293;A;20230623;MX;MX/a/2022/010395;2022-12-19\n"
       "0004512345;A1;2024-05-15;EP;;\n"
       ";A;20230101;MX;;\n"
       "2023018299;A;2023-02-30;MX;;\n")


def test_register_parse_and_check_each_field():
    reg = register.parse(REG, "mx-register.csv")
    assert reg.problems == ["mx-register.csv:4: no publication number; row skipped",
                            "mx-register.csv:5: date '2023-02-30' is not a date (YYYYMMDD or YYYY-MM-DD); not checked"]
    ok = _biblio(office="MX", doc_number="2023018293", kind="A", publication_date="2023-06-23",
                 filing_date="2022-12-19", application_number="MX/a/2022/010395")
    assert register.check(ok, reg) == []
    # a number printed with spaces or leading zeros is the same number
    assert register.check(_biblio(office="EP", doc_number="4 512 345", kind="A1", publication_date="2024-05-15"), reg) == []
    absent = _biblio(office="MX", doc_number="2023018294", kind="A", publication_date="2023-06-23")
    (name, value, reason), = register.check(absent, reg)
    assert (name, value) == ("doc_number", "2023018294") and "not in the office's register" in reason
    kind = _biblio(office="MX", doc_number="2023018293", kind="B", publication_date="2023-06-23")
    assert [r[0] for r in register.check(kind, reg)] == ["kind"]
    dates = _biblio(office="MX", doc_number="2023018293", kind="A", publication_date="2023-06-28",
                    filing_date="2022-12-19", application_number="MX/a/2022/010396")
    got = register.check(dates, reg)
    assert [r[0] for r in got] == ["publication_date", "application_number"]
    assert "2023-06-23" in got[0][2] and "2023-06-28" in got[0][2]
    # another office's row is not this document's
    assert [r[0] for r in register.check(_biblio(office="AR", doc_number="2023018293", kind="A"), reg)] == ["doc_number"]


def test_register_without_number_column_is_refused():
    with pytest.raises(register.RegisterError, match="publication_number"):
        register.parse("kind;date\nA;20230101\n", "r.csv")
    with pytest.raises(register.RegisterError, match="empty"):
        register.parse("", "r.csv")


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"}
    return subprocess.run([sys.executable, "-m", "digitize", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=600)


@pytest.mark.parametrize("content, says", [
    (None, "no such file"),
    (b"kind;date\nA;20230101\n", "no publication_number column"),
    (b"publication_number;kind\n\xff\xfe;A\n", "not UTF-8"),
])
def test_job_register_checked_at_the_edge(tmp_path, content, says):
    """A job file naming a register that is missing, has no number column or is not UTF-8 stops
    the run before anything starts: exit 2, one line naming the job file and the key."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.png").write_bytes(b"")
    if content is not None:
        (tmp_path / "reg.csv").write_bytes(content)
    job = tmp_path / "job.toml"
    job.write_text('inputs = ["in"]\nprofile = "mx"\nout = "out"\nregister = "reg.csv"\n')
    r = _cli("run", "--job", str(job), "--progress", "none")
    assert r.returncode == 2, r.stdout + r.stderr
    line = r.stderr.strip().splitlines()[-1]
    assert str(job) in line and "register" in line and says in line, line
    assert not (tmp_path / "out").exists()


def _mx_scan(path: Path) -> dict:
    from digitize.synth import degrade, write_tiff
    from digitize.synth_frontpages import build

    s = build(704, "MX")  # a tuning-set page: number, kind and dates read right at office quality
    img, dpi = degrade(s.image, "office", 7)
    write_tiff([img], path, dpi)
    return s.truth


def _fields(out: Path, tmp_path: Path) -> dict[str, dict]:
    sheet = tmp_path / "q.csv"
    r = _cli("queue", "export", str(out), "--out", str(sheet))
    assert r.returncode == 0, r.stderr
    with open(sheet, encoding="utf-8", newline="") as fh:
        return {row["field"]: row for row in csv.DictReader(fh) if row["kind"] == "field"}


def test_register_through_run_and_apply(tmp_path, schema_dir):
    """``run --register``: the register gives the number another kind code, so ``kind`` is a field
    item saying so and the document is not done. A reviewer accepts the kind as read: ``apply``
    keeps that decision (no new item for it), and the register copy in the job folder is what
    ``apply`` checked against. A second run with a register that lacks the number asks for it."""
    (tmp_path / "in").mkdir()
    truth = _mx_scan(tmp_path / "in" / "mx.tif")
    reg = tmp_path / "impi.csv"
    reg.write_text(f"publication_number;kind;publication_date;office\n{truth['doc_number']};B;"
                   f"{truth['publication_date'].replace('-', '')};MX\n", encoding="utf-8")
    out = tmp_path / "out"
    r = _cli("run", str(tmp_path / "in"), "--profile", "mx", "--out", str(out), "--register", str(reg),
             "--workers", "1", "--progress", "none", "--schemas", str(schema_dir))
    assert r.returncode in (0, 1), r.stdout + r.stderr
    assert (out / "register.csv").read_bytes() == reg.read_bytes()
    items = _fields(out, tmp_path)
    assert "kind" in items, items.keys()
    assert "register" in items["kind"]["context"] and "B" in items["kind"]["context"], items["kind"]
    assert "doc_number" not in items and "publication_date" not in items, items.keys()

    # the reviewer decides: the page prints A, the register is out of date -> accept what was read
    sheet = tmp_path / "decide.csv"
    r = _cli("queue", "export", str(out), "--out", str(sheet))
    rows = [row for row in csv.DictReader(open(sheet, encoding="utf-8", newline="")) if row["field"] == "kind"]
    rows[0]["decision"], rows[0]["value"] = "accept", rows[0]["ocr_text"]
    write_sheet(sheet, rows)
    add_reviewer(out, "ana")
    r = _cli("queue", "import", str(out), str(sheet), "--reviewer", "ana")
    assert r.returncode == 0, r.stdout + r.stderr
    r = _cli("apply", str(out), "--schemas", str(schema_dir))
    assert r.returncode in (0, 1), r.stdout + r.stderr
    sheet2 = tmp_path / "open.csv"
    r = _cli("queue", "export", str(out), "--out", str(sheet2), "--state", "open")
    still = [row["field"] for row in csv.DictReader(open(sheet2, encoding="utf-8", newline=""))]
    assert "kind" not in still, still  # the decision stands: the register does not ask again
    assert items.keys() - {"kind"} <= set(still)  # the other items are still open, none dropped

    # a register without the number: the number is asked about, with the reason
    reg.write_text("publication_number;kind;publication_date;office\n2099000001;A;20990101;MX\n", encoding="utf-8")
    out2 = tmp_path / "out2"
    r = _cli("run", str(tmp_path / "in"), "--profile", "mx", "--out", str(out2), "--register", str(reg),
             "--workers", "1", "--progress", "none", "--formats", "")
    assert r.returncode in (0, 1), r.stdout + r.stderr
    items = _fields(out2, tmp_path)
    assert "not in the office's register" in items["doc_number"]["context"], items.get("doc_number")
