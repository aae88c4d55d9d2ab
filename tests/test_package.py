"""``digitize package``: a job folder built here from Documents (real emission, real SQLite, real
G4 TIFFs) → a delivery whose bytes do not change when packaged again."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from pathlib import Path

import numpy as np
import pytest
from lxml import etree
from PIL import Image

from digitize import cli, validate
from digitize.settings import profile as profiles
from digitize.emit import emit_document
from digitize.model import (Bibliographic, Claim, ClaimSet, ClaimText, Document, Field, Figure, PageInfo, Paragraph,
                            Party)

LEDGER = """CREATE TABLE documents (id INTEGER PRIMARY KEY, input TEXT UNIQUE, checksum TEXT, size INT,
mtime_ns INT, state TEXT, attempts INT, reason TEXT, doc_id TEXT, out_dir TEXT, pages INT, seconds REAL,
validated TEXT, profile TEXT, started REAL, finished REAL, updated REAL)"""


def _doc(number: str, figure_file: str = "pages/0003.tif") -> Document:
    b = Bibliographic(office=Field("PH"), doc_number=Field(number), kind=Field("A1"),
                      publication_date=Field("2021-07-01"), application_number=Field(f"1-2020-{number[-4:]}"),
                      title=Field(f"Widget {number}"), applicants=[Party("ACME Corp", country="PH")])
    return Document(
        doc_id=f"PH{number}A1", source=f"{number}.pdf", profile="ph", lang="en", biblio=b,
        abstract=[Paragraph("A widget.")],
        description=[Paragraph("FIELD", kind="heading"), Paragraph("The widget is good.", num="0001")],
        claims=[ClaimSet("en", [Claim(1, ClaimText("A widget."))])],
        figures=[Figure(page=3, file=figure_file, num=1)],
        pages=[PageInfo(n, 200, 280, 100, 90.0, 10) for n in (1, 2, 3)],
    )


def _page(path: Path, seed: int, compression: str = "group4") -> None:
    rng = np.random.default_rng(seed)
    img = np.where(rng.random((280, 200)) > 0.9, 0, 255).astype(np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(img).convert("1").save(path, format="TIFF", compression=compression, dpi=(100, 100))


@pytest.fixture()
def job(tmp_path) -> Path:
    job = tmp_path / "job"
    prof = profiles.load("ph")
    rows = []
    for i, (number, state) in enumerate([("2020000111", "done"), ("2020000222", "done"), ("2020000333", "failed"),
                                         ("2020000444", "done")], 1):
        doc = _doc(number, figure_file="pages/0009.tif" if number.endswith("444") else "pages/0003.tif")
        folder = job / "documents" / doc.doc_id
        emit_document(doc, folder, prof)
        for n in (1, 2, 3):
            # one page stored LZW: the package must turn it into G4
            _page(folder / "pages" / f"{n:04d}.tif", seed=n + 10 * i, compression="tiff_lzw" if (i, n) == (2, 2) else "group4")
        rows.append((f"/in/{number}.pdf", state, doc.doc_id, f"documents/{doc.doc_id}", "yes"))
    job.mkdir(exist_ok=True)
    conn = sqlite3.connect(job / "ledger.sqlite")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(LEDGER)
    conn.executemany("INSERT INTO documents (input, state, doc_id, out_dir, validated, attempts) VALUES (?,?,?,?,?,1)", rows)
    conn.commit()
    conn.close()
    (job / "authority").mkdir()
    (job / "authority" / "PH-authority.xml").write_text('<?xml version="1.0"?>\n<authority-file/>\n', encoding="utf-8")
    (job / "authority" / "build-report.txt").write_text("notes\n", encoding="utf-8")
    return job


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_package_layout_checksums_and_determinism(job, tmp_path, capsys):
    pkg = tmp_path / "pkg"
    rc = cli.main(["package", str(job), "--dest", str(pkg)])
    cap = capsys.readouterr()
    out = cap.out
    assert rc == 1, out  # PH2020000444A1 references a missing figure: skipped, said so
    assert "held back: PH2020000333A1 (failed)" in cap.err
    assert "2 document(s)" in out and "skipped PH2020000444A1" in out and "pages/0009.tif" in out
    files = _tree(pkg)
    doc = "PH2020000111A1"
    assert {f"{doc}/DOC00001.xml", f"{doc}/DOC00001.st96.xml", f"{doc}/toc.xml", f"{doc}/pages/0001.tif",
            f"{doc}/pages/0003.tif", "manifest.xml", "manifest.sha256", "authority/PH-authority.xml"} <= set(files)
    assert not any(name.startswith("PH2020000333A1") for name in files)  # failed: not delivered
    assert "authority/build-report.txt" not in files
    # every file is in the checksum list with its real SHA-256
    sums = dict(line.split("  ", 1)[::-1] for line in files["manifest.sha256"].decode().splitlines())
    assert set(sums) == set(files) - {"manifest.sha256"}
    assert all(hashlib.sha256(files[n]).hexdigest() == h for n, h in sums.items())
    manifest = etree.fromstring(files["manifest.xml"])
    assert [d.get("folder") for d in manifest.findall("document")] == ["PH2020000111A1", "PH2020000222A1"]
    assert manifest.find("file[@role='st37']").get("name") == "authority/PH-authority.xml"
    # toc.xml as in WIPO's examples
    toc = etree.fromstring(files[f"{doc}/toc.xml"])
    assert toc.tag == "Application-body" and toc.get("country") == "PH" and toc.get("pubdate") == "2021/07/01"
    assert [e.get("FileName") for e in toc.iter("ExtRef")] == ["DOC00001.xml", "DOC00001.pdf", "DOC00001.st96.xml",
                                                               "pages/0001.tif", "pages/0002.tif", "pages/0003.tif"]
    assert manifest.find("document/file[@role='facsimile']").get("name") == f"{doc}/DOC00001.pdf"
    # held back documents are listed with their state, in the manifest and on stderr
    held = {h.get("doc-id"): h.get("state") for h in manifest.findall("held-back")}
    assert held == {"PH2020000333A1": "failed", "PH2020000444A1": "done"}
    # images are CCITT G4, including the page that was stored LZW
    for name, data in files.items():
        if name.endswith(".tif"):
            path = pkg / name
            with Image.open(path) as im:
                assert im.info.get("compression") == "group4", name
    # the delivered ST.36 is the emitted file, unchanged
    assert files[f"{doc}/DOC00001.xml"] == (job / "documents" / doc / f"{doc}.st36.xml").read_bytes()

    # again, into another folder and over the first one: the same bytes
    pkg2 = tmp_path / "pkg2"
    assert cli.main(["package", str(job), "--dest", str(pkg2)]) == 1
    assert _tree(pkg2) == files
    assert cli.main(["package", str(job), "--dest", str(pkg)]) == 1
    assert _tree(pkg) == files
    assert {p.stat().st_mtime for p in pkg.rglob("*")} == {946684800}
    capsys.readouterr()


def test_zip_is_byte_identical(job, tmp_path, capsys):
    import os

    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    old = os.umask(0o022)
    try:
        cli.main(["package", str(job), "--dest", str(a)])
        cli.main(["package", str(job), "--dest", str(tmp_path / "dir")])
    finally:
        os.umask(old)
    assert a.stat().st_mode & 0o777 == 0o644 and (tmp_path / "dir").stat().st_mode & 0o777 == 0o755  # the umask's
    cli.main(["package", str(job), "--dest", str(b)])
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        names = zf.namelist()
        assert names[-2:] == ["manifest.xml", "manifest.sha256"] and len(names) == len(set(names))
        assert {i.date_time for i in zf.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    capsys.readouterr()


def test_refuses_foreign_destination_and_non_job(job, tmp_path, capsys):
    dest = tmp_path / "precious"
    dest.mkdir()
    (dest / "thesis.docx").write_text("do not delete", encoding="utf-8")
    assert cli.main(["package", str(job), "--dest", str(dest)]) == 2
    assert (dest / "thesis.docx").read_text(encoding="utf-8") == "do not delete"
    assert cli.main(["package", str(tmp_path), "--dest", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "not an earlier package" in err and "no ledger.sqlite" in err


def test_packaged_xml_is_valid(job, tmp_path, capsys):
    base = validate.schema_dir()
    if base is None or not (base / validate.ST36_DTD).is_file():
        pytest.skip("no ST.36/ST.96 schemas (../shared/standards or DIGITIZE_SCHEMAS)")
    pkg = tmp_path / "pkg"
    cli.main(["package", str(job), "--dest", str(pkg)])
    capsys.readouterr()
    rc = cli.main(["validate", str(pkg / "PH2020000111A1" / "DOC00001.xml"), str(pkg / "PH2020000111A1" / "DOC00001.st96.xml")])
    out = capsys.readouterr().out
    assert rc == 0 and out.count(": valid") == 2, out
    # the whole package: ST.36, ST.96, toc.xml (its DTD), manifest.xml (the checksums)
    rc = cli.main(["validate", str(pkg / "PH2020000111A1"), str(pkg / "PH2020000222A1"), str(pkg / "manifest.xml")])
    out = capsys.readouterr().out
    assert rc == 0 and out.count(": valid") >= 7, out
    tif = pkg / "PH2020000222A1" / "pages" / "0002.tif"
    tif.write_bytes(tif.read_bytes() + b"x")
    rc = cli.main(["validate", str(pkg / "manifest.xml")])
    out = capsys.readouterr().out
    assert rc == 1 and "PH2020000222A1/pages/0002.tif: size or SHA-256 differs" in out


def _ledger(job: Path, rows: list[tuple]) -> None:
    """rows: (input, state, doc_id, finished)"""
    from digitize.store.ledger import SCHEMA

    job.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(job / "ledger.sqlite")
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO documents (input, state, doc_id, out_dir, validated, attempts, finished) "
                     "VALUES (?,?,?,'documents/' || ?,'yes',1,?)", [(i, s, d, d, f) for i, s, d, f in rows])
    conn.commit()
    conn.close()


def _emit(job: Path, doc_id: str, number: str, conf: float, figures: bool = False) -> None:
    import json

    doc = _doc(number)
    doc.doc_id = doc_id
    doc.pages = [PageInfo(n, 200, 280, 100, conf, 10) for n in (1, 2, 3)]
    folder = job / "documents" / doc_id
    if figures:
        doc.figures = [Figure(page=2, file="figures/0002-1.tif", num=1)]
    emit_document(doc, folder, profiles.load("ph"))
    (folder / f"{doc_id}.json").write_text(doc.to_json(), encoding="utf-8")
    for n in (1, 2, 3):
        _page(folder / "pages" / f"{n:04d}.tif", seed=n)
    if figures:
        _page(folder / "figures" / "0002-1.tif", seed=99, compression="tiff_lzw")
        data = json.loads((folder / f"{doc_id}.json").read_text(encoding="utf-8"))
        data["figures"] = [{"id": "fig1", "page": 2, "bbox": [0, 0, 100, 100], "file": "figures/0002-1.tif"}]
        (folder / f"{doc_id}.json").write_text(json.dumps(data), encoding="utf-8")


def test_one_copy_per_publication_withheld_listed(tmp_path, capsys):
    """The same publication scanned three times is delivered once: the done copy with the best
    confidence; the two others are withheld (listed with the reason), which is not a failure."""
    job = tmp_path / "job"
    _emit(job, "PH2020000111A1", "2020000111", 80.0)
    _emit(job, "PH2020000111A1_2", "2020000111", 93.5, figures=True)
    _emit(job, "PH2020000111A1_3", "2020000111", 99.0)
    _emit(job, "PH2020000222A1", "2020000222", 90.0)
    _ledger(job, [("/in/a.pdf", "done", "PH2020000111A1", 3.0), ("/in/b.pdf", "done", "PH2020000111A1_2", 1.0),
                  ("/in/c.pdf", "needs-review", "PH2020000111A1_3", 5.0), ("/in/d.pdf", "done", "PH2020000222A1", 1.0)])
    pkg = tmp_path / "pkg"
    rc = cli.main(["package", str(job), "--dest", str(pkg), "--no-facsimile"])
    cap = capsys.readouterr()
    assert rc == 0, cap
    assert "2 document(s)" in cap.out
    assert "withheld PH2020000111A1: another scan of PH2020000111A1: lower mean confidence 80.0 < 93.5" in cap.err
    assert "withheld PH2020000111A1_3" in cap.err and "state needs-review" in cap.err
    manifest = etree.fromstring((pkg / "manifest.xml").read_bytes())
    # the best copy (the ledger's PH2020000111A1_2) is delivered under the publication's name (issue 26 item 19)
    assert [d.get("doc-id") for d in manifest.findall("document")] == ["PH2020000111A1", "PH2020000222A1"]
    assert manifest.find("document").get("scan") == "PH2020000111A1_2"
    withheld = {w.get("doc-id"): w.get("delivered-as") for w in manifest.findall("withheld")}
    assert withheld == {"PH2020000111A1": "PH2020000111A1", "PH2020000111A1_3": "PH2020000111A1"}
    assert not manifest.findall("held-back")
    assert b"PH2020000111A1_2" not in b"".join(p.read_bytes() for p in (pkg / "PH2020000111A1").rglob("*.xml"))
    assert not [p for p in pkg.rglob("*") if "_2" in p.name]  # no file or folder under the internal name
    assert not [p for p in (pkg / "PH2020000111A1").rglob("*") if p.is_file() and b"PH2020000111A1_2" in p.read_bytes()]
    # the figure the document JSON lists is in the package, byte for byte, and in toc.xml
    src = job / "documents" / "PH2020000111A1_2" / "figures" / "0002-1.tif"
    assert (pkg / "PH2020000111A1" / "figures" / "0002-1.tif").read_bytes() == src.read_bytes()
    toc = etree.fromstring((pkg / "PH2020000111A1" / "toc.xml").read_bytes())
    assert "figures/0002-1.tif" in [e.get("FileName") for e in toc.iter("ExtRef")]
    assert manifest.find("document/file[@role='figure']").get("name") == "PH2020000111A1/figures/0002-1.tif"


def test_held_back_exit_status_and_nothing_to_deliver(tmp_path, capsys):
    job = tmp_path / "job"
    _emit(job, "PH2020000111A1", "2020000111", 90.0)
    _emit(job, "PH2020000222A1", "2020000222", 90.0)
    _ledger(job, [("/in/a.pdf", "done", "PH2020000111A1", 1.0), ("/in/b.pdf", "needs-review", "PH2020000222A1", 1.0)])
    assert cli.main(["package", str(job), "--dest", str(tmp_path / "p1"), "--no-facsimile"]) == 1
    err = capsys.readouterr().err
    assert "held back: PH2020000222A1 (needs-review)" in err and "1 document(s) held back" in err
    assert cli.main(["package", str(job), "--dest", str(tmp_path / "p2"), "--no-facsimile", "--allow-partial"]) == 0
    assert "held back: PH2020000222A1 (needs-review)" in capsys.readouterr().err
    manifest = etree.fromstring((tmp_path / "p2" / "manifest.xml").read_bytes())
    assert manifest.find("held-back").attrib["state"] == "needs-review"
    # nothing done: no package, exit 1, the held-back documents named
    job2 = tmp_path / "job2"
    _emit(job2, "PH2020000333A1", "2020000333", 90.0)
    _ledger(job2, [("/in/c.pdf", "failed", "PH2020000333A1", 1.0)])
    assert cli.main(["package", str(job2), "--dest", str(tmp_path / "p3"), "--allow-partial"]) == 1
    err = capsys.readouterr().err
    assert "nothing to deliver" in err and "PH2020000333A1 (failed)" in err
    assert not (tmp_path / "p3").exists()


def test_derived_files_follow_the_documents(tmp_path, capsys):
    """After a document changed (``apply`` rewrites its JSON), the authority file and the report
    are rebuilt: by ``apply`` itself and, if still stale, by ``package`` before packing."""
    import os

    from authority.build import build_from_job
    from digitize.report import write_report

    job = tmp_path / "job"
    _emit(job, "PH2020000111A1", "2020000111", 90.0)
    _ledger(job, [("/in/a.pdf", "done", "PH2020000111A1", 1.0)])
    (old,) = [p for p in build_from_job(job, "PH", profiles.load("ph"), date="20200101") if p.suffix == ".xml"]
    write_report(job)
    past = 1_000_000_000
    for p in [old, old.with_suffix(".csv"), job / "report.html"]:
        os.utime(p, (past, past))
    from digitize.commands.package import derived_builders
    from digitize.package import build

    result = build(job, tmp_path / "pkg", facsimile=False, refresh=derived_builders())
    assert set(result.refreshed) == {"authority", "report"}
    assert not old.exists()  # replaced by today's file, not left beside it
    (new,) = (job / "authority").glob("PH_AF_*.xml")
    assert new.stat().st_mtime > past and (job / "report.html").stat().st_mtime > past
    assert sorted(p.name for p in (tmp_path / "pkg" / "authority").iterdir()) == [new.with_suffix(".csv").name, new.name]
    # apply (nothing queued) rebuilds what is stale, and only that
    os.utime(job / "report.html", (past, past))
    assert cli.main(["apply", str(job)]) == 0
    out = capsys.readouterr().out
    assert "rebuilt report" in out and "rebuilt authority" not in out
    assert (job / "report.html").stat().st_mtime > past
