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

from digitize import cli, profiles, validate
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
    out = capsys.readouterr().out
    assert rc == 1, out  # PH2020000444A1 references a missing figure: skipped, said so
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
    assert [e.get("FileName") for e in toc.iter("ExtRef")] == ["DOC00001.xml", "DOC00001.st96.xml", "pages/0001.tif",
                                                               "pages/0002.tif", "pages/0003.tif"]
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
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    cli.main(["package", str(job), "--dest", str(a)])
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
    assert rc == 0 and out.count(": valid") == 7, out
    tif = pkg / "PH2020000222A1" / "pages" / "0002.tif"
    tif.write_bytes(tif.read_bytes() + b"x")
    rc = cli.main(["validate", str(pkg / "manifest.xml")])
    out = capsys.readouterr().out
    assert rc == 1 and "PH2020000222A1/pages/0002.tif: size or SHA-256 differs" in out
