"""ST.37 authority files against careless and hostile input (issue 15 items 11-13) and the
defaults an office can publish (issue 17): each test reproduces the report and checks the fix."""

from __future__ import annotations

import csv
import datetime
import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lxml import etree

from authority.build import build, build_entries
from authority.check import check_file
from authority.model import Entry
from authority.reader import read_all
from digitize.settings import profile as profiles
from digitize.cli import main as cli

from test_authority import make_entries, st36

TODAY = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d")


def _built(tmp_path: Path, name: str, entries: list[Entry], fmt: str = "xml", date: str = "20240101") -> Path:
    res = build_entries(entries, "PH", [(tmp_path / f"{name}.{fmt}", fmt)], profiles.load("ph"), date_produced=date)
    assert res.paths, res.report.lines
    return res.paths[0]


# --------------------------------------------------------------------------- item 11


def test_empty_file_is_not_an_authority_file(tmp_path, capsys):
    old = _built(tmp_path, "old", make_entries(6))
    for name in ("empty.xml", "empty.csv", "blank.xml"):
        f = tmp_path / name
        f.write_text("" if name.startswith("empty") else "\n  \n", encoding="utf-8")
        assert check_file(f) and check_file(f)[0].startswith("readable:") and "empty file" in check_file(f)[0]
        assert cli(["authority", "check", str(f)]) == 1
    # before: diff against an empty NEW wrote an incremental deleting every entry, exit 0
    inc = tmp_path / "inc.xml"
    rc = cli(["authority", "diff", str(old), str(tmp_path / "empty.xml"), "--incremental", str(inc), "--with-deletions"])
    err = capsys.readouterr().err
    assert rc == 1 and "NEW" in err and "empty file" in err and not inc.exists()


def test_diff_truncated_xml_and_huge_csv_field_one_line_no_traceback(tmp_path):
    old = _built(tmp_path, "old", make_entries(12))
    trunc = tmp_path / "trunc.xml"
    trunc.write_bytes(old.read_bytes()[: old.stat().st_size // 2])
    huge = tmp_path / "huge.csv"
    with huge.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["office", "publication_number", "kind", "publication_date", "application_number"])
        w.writerow(["PH", "1000", "B1", "20230101", "x" * (200 * 1024)])
    exe = [sys.executable, "-m", "digitize"]
    for bad in (trunc, huge):
        assert check_file(bad)[0].startswith("readable:")
        for args in (["diff", str(old), str(bad)], ["diff", str(bad), str(old)], ["check", str(bad)]):
            r = subprocess.run([*exe, "authority", *args, "--incremental", str(tmp_path / "i.xml")] if args[0] == "diff"
                               else [*exe, "authority", *args], capture_output=True, text=True, timeout=120,
                               env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
            assert r.returncode == 1, (args, r.stdout, r.stderr)
            assert "Traceback" not in r.stderr + r.stdout
            if args[0] == "diff":
                assert len(r.stderr.strip().splitlines()) == 1, r.stderr
                assert not (tmp_path / "i.xml").exists()
    assert "128 KiB" in check_file(huge)[0]


def test_diff_refuses_invalid_entries(tmp_path, capsys):
    """before: diff wrote incrementals with bad dates and no number, exit 0"""
    old = _built(tmp_path, "old", make_entries(6), fmt="csv")
    new = tmp_path / "new.csv"
    rows = old.read_text(encoding="utf-8").splitlines()
    rows.append("PH;;A1;20231399;;;;en;en;en;;")  # no number, impossible date
    new.write_text("\n".join(rows) + "\n", encoding="utf-8")
    inc = tmp_path / "inc.csv"
    assert cli(["authority", "diff", str(old), str(new), "--incremental", str(inc)]) == 1
    err = capsys.readouterr().err
    assert "NEW" in err and ("mandatory-fields" in err or "valid-date" in err) and not inc.exists()


# --------------------------------------------------------------------------- item 12

HOSTILE = ["=HYPERLINK(\"http://evil/\",\"x\")", "@SUM(1+1)", "+1234", "-1234", "12\n34", "1234;5678"]


def test_hostile_publication_numbers_refused_by_build_and_check(tmp_path):
    src = tmp_path / "src.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["office", "publication_number", "kind", "publication_date", "application_number"])
        w.writerow(["PH", "2001", "A1", "20230105", "=cmd|' /C calc'!A0"])
        for i, n in enumerate(HOSTILE):
            w.writerow(["PH", n, "A1", f"202301{10 + i}", ""])
    out = tmp_path / "out.csv"
    res = build([src], "PH", out, fmt="csv", profile=profiles.load("ph"))
    assert not res.ok  # reported as errors, one per number
    errors = [line for line in res.report.lines if line.startswith("error") and "publication number" in line]
    assert len(errors) == len(HOSTILE), res.report.lines
    entries = read_all(out)[1]
    assert [e.number for e in entries] == ["2001"]
    text = out.read_text(encoding="utf-8")
    assert ";'=cmd|" in text  # the application number cannot start a formula in a spreadsheet
    for line in text.splitlines():
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in line.split(";"))
    # check: a file someone else wrote with such numbers is invalid, rule valid-number
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["office", "publication_number", "kind", "publication_date"])
        for i, n in enumerate(HOSTILE):
            w.writerow(["PH", n, "A1", f"202301{10 + i}"])
    problems = check_file(bad, profile=profiles.load("ph"))
    assert sum(p.startswith("valid-number:") for p in problems) == len(HOSTILE), problems


# --------------------------------------------------------------------------- item 13


def test_check_build_validate_stream_in_bounded_memory(tmp_path):
    """before: 786 MB peak for a 24 MB file (the whole tree in memory). A ~25 MB file is generated;
    each command runs in a child process whose peak RSS must stay under a bound far below what a
    whole-tree parse takes (~10x the file)."""
    big = tmp_path / "big.xml"
    gen = textwrap.dedent(f"""
        from pathlib import Path
        from authority.build import build_entries
        from authority.model import Entry, Priority
        from digitize.settings import profile as profiles
        def gen():
            for i in range(24000):
                yield Entry("PH", str(10_000_000 + i), "A1" if i % 3 else "B1", f"2023{{1 + i % 12:02d}}{{1 + i % 28:02d}}",
                            "PH", f"1-2022-{{i:06d}}", "20220301",
                            (Priority("US", f"63/{{i:06d}}", "20220101", "national", "1"),), None, ("en",), ("en",), ("en",))
        build_entries(gen(), "PH", [(Path({str(big)!r}), "xml")], profiles.load("ph"), date_produced="20240101")
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    subprocess.run([sys.executable, "-c", gen], check=True, env=env, timeout=300)
    size_mb = big.stat().st_size / 2**20
    assert size_mb > 20
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
             "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)")
    for args in (["authority", "check", str(big)], ["validate", str(big)],
                 ["authority", "build", str(big), "--office", "PH", "--out", str(tmp_path / "b.xml"), "-q"]):
        out = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "digitize", *args],
                             capture_output=True, text=True, env=env, timeout=600, check=True).stdout.split()
        rc, peak_mb = int(out[0]), int(out[1])
        assert rc == 0, args
        print(args[:2], f"{size_mb:.0f} MB file: peak {peak_mb} MB")
        assert peak_mb < 140, (args, peak_mb, size_mb)  # a whole-tree parse of this file peaks near 250 MB


# --------------------------------------------------------------------------- issue 17: ST.37 defaults


def test_built_today_office_kind_codes_and_warnings(tmp_path, capsys):
    st36(tmp_path / "a.xml", "2001")
    st36(tmp_path / "b.xml", "2002", kind="B1", date="20230110", text=False)
    out = tmp_path / "PH_AF_{date}.xml"
    rc = cli(["authority", "build", str(tmp_path / "a.xml"), str(tmp_path / "b.xml"), "--office", "PH", "--out", str(out)])
    cap = capsys.readouterr()
    assert rc == 0, cap
    path = tmp_path / f"PH_AF_{TODAY}.xml"  # made today: dated and named today (was: the latest publication date)
    definition, entries = read_all(path)
    assert definition.date_produced == TODAY
    ph = {k["code"]: k["description"] for k in profiles.load("ph").section("authority")["office_kind_codes"]}
    assert definition.kind_codes == {"A1": ph["A1"], "B1": ph["B1"]}  # IPOPHL's, not the generic EP-style text
    assert "Patent application published with search report" not in path.read_text(encoding="utf-8")
    assert "warning: kind code A1: description" in cap.err and "not confirmed" in cap.err
    assert "()" not in cap.err
    # not-searchable-code code="N" (as the st37 README shows it), and N is defined
    root = etree.parse(str(path)).getroot()
    assert root.find(".//not-searchable-code").get("code") == "N"
    assert definition.exception_codes == {"N": "Not used publication number"}
    assert check_file(path) == []
    # an unconfirmed exception letter (D) is published with the warning the profile promises
    entries = make_entries(4) + [Entry("PH", "1099", "A1", "20230301", exception="D")]
    res = build_entries(entries, "PH", [(tmp_path / "d.xml", "xml")], profiles.load("ph"), date_produced="20240101")
    assert any(line.startswith("warning: exception code D:") and "not confirmed" in line for line in res.report.lines)
    # --date still overrides, and the name follows it
    assert cli(["authority", "build", str(tmp_path / "a.xml"), "--office", "PH", "--out", str(out), "--date", "20240102"]) == 0
    assert (tmp_path / "PH_AF_20240102.xml").is_file()
    capsys.readouterr()


@pytest.mark.parametrize("office,codes", [("AR", {"A1", "A2", "B1"}), ("MX", {"A", "B", "U", "Y", "S"})])
def test_ar_mx_kind_codes_come_from_their_profiles(office, codes):
    from authority import config

    prof = profiles.load(office.lower())
    assert set(config.kind_codes(prof)) == codes  # the office's own list replaces generic's
    assert all(("kind", c) in config.unconfirmed(prof) for c in codes)


def test_us_numbers_lose_leading_zeros(tmp_path):
    entries = [Entry("US", "08926509", "B2", "20150106"), Entry("US", "11646472", "B2", "20230509")]
    res = build_entries(entries, "US", [(tmp_path / "us.xml", "xml")], profiles.load("us"), date_produced="20240101")
    assert [e.number for e in read_all(res.paths[0])[1]] == ["8926509", "11646472"]
    padded = tmp_path / "padded.csv"
    padded.write_text("office;publication_number;kind;publication_date\nUS;08926509;B2;20150106\n", encoding="utf-8")
    assert any(p.startswith("number-format:") for p in check_file(padded))


def test_usage_errors_and_help(tmp_path, capsys):
    ok = _built(tmp_path, "ok", make_entries(4))
    # a DTD that is not ST.37's: one line, usage error (was: 50 "No declaration" lines)
    dtd = tmp_path / "other.dtd"
    dtd.write_text("<!ELEMENT ep-patent-document ANY>\n", encoding="utf-8")
    assert cli(["authority", "check", str(ok), "--dtd", str(dtd)]) == 2
    err = capsys.readouterr().err
    assert "not an ST.37 DTD" in err and len(err.strip().splitlines()) == 1
    # missing files are usage errors (exit 2), not "invalid"
    assert cli(["authority", "check", str(tmp_path / "nope.xml")]) == 2
    assert cli(["authority", "diff", str(ok), str(tmp_path / "nope.xml")]) == 2
    assert cli(["authority", "build", str(tmp_path / "nope"), "--office", "PH", "--out", str(tmp_path / "x.xml")]) == 2
    capsys.readouterr()
    # the CSV and register columns, and the rules, are in --help
    for sub in ("build", "check", "diff"):
        with pytest.raises(SystemExit):
            cli(["authority", sub, "--help"])
        text = capsys.readouterr().out
        if sub == "build":
            assert "searchable_description" in text and "Register CSV" in text and "today" in text
        else:
            assert "valid-number" in text and "readable" in text
