"""The library API (``digitize.api``): README's example run as written on a real scan through the
real engine, its ST.36 valid; the in-memory finish gives the bytes the document folder gets."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

ROOT = Path(__file__).resolve().parents[1]
SCAN = ROOT / "tests" / "data" / "real" / "phototest.tif"


def readme_example() -> str:
    """The Python block of README's "Use it as a library" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it as a library", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_on_a_real_page(tmp_path, monkeypatch, schema_dir):
    from lxml import etree

    from digitize.validate import check_st36, safe_parser

    code = readme_example()
    assert len(code.strip().splitlines()) <= 6 and "scan.tif" in code, code  # five lines and the import's blank
    (tmp_path / "scan.tif").write_bytes(SCAN.read_bytes())
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # the example as a reader would paste it

    root = etree.parse(str(tmp_path / "scan.st36.xml"), safe_parser()).getroot()
    assert check_st36(root, schema_dir) == []
    body = etree.tostring(root, encoding="unicode")
    assert "quick brown dog" in body and "jumped over the lazy fox" in body  # phototest.tif's text
    assert scope["doc"].doc_id == "scan" and len(scope["pages"]) == 1


def test_in_memory_finish_gives_the_document_folders_bytes(tmp_path, schema_dir):
    """``finish`` + ``render`` / ``render_page`` are what ``process_file`` (the run's own
    ``finish_document``) writes: the same ST.36, ST.96, page text, hOCR and ALTO."""
    import digitize

    profile = digitize.load_profile("generic")
    pages = [digitize.recognise(p, profile) for p in digitize.read_pages(SCAN, profile)]
    doc = digitize.finish(pages, profile, doc_id="phototest", source=str(SCAN))
    result = digitize.process_file(SCAN, tmp_path / "out", profile, ("st36", "st96"), schema_dir=schema_dir)

    out = tmp_path / "out"
    assert result.doc_id == doc.doc_id == "phototest" and result.validated == "yes", result
    for fmt in ("st36", "st96"):
        assert digitize.render(doc, fmt, profile, schema_dir=schema_dir) == (out / f"phototest.{fmt}.xml").read_bytes()
    assert digitize.document_text(pages) == (out / "phototest.txt").read_text(encoding="utf-8")
    assert digitize.render_page(pages[0], "hocr") == (out / "pages" / "0001.hocr").read_bytes()
    assert digitize.render_page(pages[0], "alto") == (out / "pages" / "0001.alto.xml").read_bytes()
    assert doc.to_json() == (out / "phototest.json").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="unknown page format"):
        digitize.render_page(pages[0], "pdf")


def test_decisions_reach_the_text():
    """A reviewer's word, deleted word and illegible mark through ``finish`` in memory."""
    import digitize

    profile = digitize.load_profile("generic")
    pages = [digitize.recognise(p, profile) for p in digitize.read_pages(SCAN, profile)]
    words = pages[0].words()
    before = [w.text for w in words]
    quick = next(w for w in words if w.text == "quick")
    lazy = next(w for w in words if w.text == "lazy")
    brown = next(w for w in words if w.text == "brown")
    decisions = digitize.Decisions(words={quick.id: "slow", lazy.id: ""}, illegible={brown.id: "ana"})
    doc = digitize.finish(pages, profile, decisions, doc_id="phototest")
    after = digitize.document_text(pages).split()
    assert "slow" in after and after.count("quick") == before.count("quick") - 1
    assert after.count("lazy") == before.count("lazy") - 1 and after.count("brown") == before.count("brown")
    assert [(i.word_id, i.reviewer) for i in doc.illegible] == [(brown.id, "ana")]
    assert 'x_confs 0' in digitize.render_page(pages[0], "hocr").decode()
