"""``digitize validate``: real ST.36/ST.96 examples are valid; broken copies are invalid with a
message naming the line and the problem; nothing is fetched or expanded (XXE)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digitize import cli, validate
from digitize.resources import default_schema_dir


@pytest.fixture(scope="module")
def schemas() -> Path:
    base = default_schema_dir()
    if base is None or not (base / validate.ST96_XSD).is_file() or not (base / validate.ST36_DTD).is_file():
        pytest.skip("no ST.36/ST.96 schemas (../shared/standards or DIGITIZE_SCHEMAS)")
    return base


def _run(capsys, *argv: str) -> tuple[int, str]:
    rc = cli.main(["validate", *argv])
    return rc, capsys.readouterr().out


def test_real_examples_are_valid(capsys, schemas):
    files = sorted((schemas / "st36" / "examples").glob("ep-*/DOC00001.xml"))
    files.append(schemas / "st96-v6_0" / "PatentPublication_Example_V6_0.xml")
    rc, out = _run(capsys, "--schemas", str(schemas), *map(str, files))
    assert rc == 0, out
    assert out.count(": valid") == len(files) == 3
    us = sorted((schemas / "st36" / "examples").glob("US*.xml"))
    if us:
        rc, out = _run(capsys, "--schemas", str(schemas), str(us[0]))
        assert rc == 1 and "not checked" in out and "USPTO" in out  # never a pass (issue 26 item 19)


def test_broken_copies_are_invalid_with_line_numbers(tmp_path, capsys, schemas):
    src36 = schemas / "st36" / "examples" / "ep-A1-EP1667425" / "DOC00001.xml"
    text = src36.read_text(encoding="utf-8")
    assert '<claim id="c-en-0001" num="0001">' in text
    broken36 = tmp_path / "broken36.xml"
    broken36.write_text(text.replace('<claim id="c-en-0001" num="0001">', '<claim id="c-en-0001">', 1), encoding="utf-8")
    line = next(i for i, ln in enumerate(broken36.read_text(encoding="utf-8").splitlines(), 1) if '<claim id="c-en-0001">' in ln)

    src96 = schemas / "st96-v6_0" / "PatentPublication_Example_V6_0.xml"
    t96 = src96.read_text(encoding="utf-8")
    broken96 = tmp_path / "broken96.xml"
    broken96.write_text(t96.replace("<pat:ClaimNumber>2</pat:ClaimNumber>", "<pat:ClaimNumbr>2</pat:ClaimNumbr>", 1),
                        encoding="utf-8")
    malformed = tmp_path / "malformed.xml"
    malformed.write_text("<ep-patent-document lang='en' country='EP'><p>", encoding="utf-8")
    other = tmp_path / "other.xml"
    other.write_text("<html/>", encoding="utf-8")
    ok = tmp_path / "ok.xml"
    shutil.copy(src36, ok)

    rc, out = _run(capsys, "--schemas", str(schemas), str(ok), str(broken36), str(broken96), str(malformed), str(other))
    assert rc == 1
    assert f"{ok}: valid" in out
    assert f"{broken36}: invalid" in out and f"line {line}:" in out and "num" in out
    assert f"{broken96}: invalid" in out and "ClaimNumbr" in out
    assert f"{malformed}: invalid" in out and "not well-formed" in out
    assert f"{other}: invalid" in out and "not ST.36" in out


def test_office_root_is_checked_as_st36(tmp_path, capsys, schemas):
    src = (schemas / "st36" / "examples" / "ep-A1-EP1667425" / "DOC00001.xml").read_text(encoding="utf-8")
    ph = tmp_path / "ph.xml"
    body = src.split("\n", 2)[2]  # drop the declaration and the EP DOCTYPE
    ph.write_text(body.replace("<ep-patent-document", "<ph-patent-document", 1)
                  .replace("</ep-patent-document>", "</ph-patent-document>"), encoding="utf-8")
    rc, out = _run(capsys, "--schemas", str(schemas), str(ph))
    assert rc == 0 and f"{ph}: valid" in out


def test_no_entity_expansion_or_external_fetch(tmp_path, capsys, schemas):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE ep-patent-document [\n<!ENTITY x SYSTEM "file://{secret}">\n'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n'
        ']>\n<ep-patent-document lang="en" country="EP"><doc-page file="&x;&c;" wi="1" he="1" type="tif"/></ep-patent-document>\n',
        encoding="utf-8")
    rc, out = _run(capsys, "--schemas", str(schemas), str(xxe))
    assert "TOP-SECRET-CONTENT" not in out and "aaaaaaaaaaaaaaaaaaaa" not in out


def test_missing_schema_says_so(tmp_path, capsys, schemas):
    """Issue 26 item 19: without the schemas a file is not checked, and that is no pass (was exit 0)."""
    empty = tmp_path / "none"
    empty.mkdir()
    example = str(schemas / "st96-v6_0" / "PatentPublication_Example_V6_0.xml")
    rc, out = _run(capsys, "--schemas", str(empty), example)
    assert rc == 3 and "not checked" in out and "not found" in out
    rc, out = _run(capsys, "--schemas", str(schemas), example)
    assert rc == 0 and ": valid" in out


def test_st37_files_go_to_the_authority_checker(tmp_path, capsys):
    f = tmp_path / "auth.xml"
    f.write_text('<authority-file office="PH"></authority-file>', encoding="utf-8")
    rc, out = _run(capsys, str(f))
    try:
        import authority.check  # noqa: F401
    except ImportError:
        assert rc == 1 and "ST.37 checker not available" in out
    else:
        assert rc in (0, 1) and (": valid" in out or "checked as ST.37" in out)


def test_mathml_is_checked_against_the_full_schema(schemas):
    """Documents without MathML are checked with MathML's schema stood in for (its compile is
    nearly all of the schema's); one with MathML must still meet the full MathML schema."""
    from lxml import etree

    src = schemas / "st96-v6_0" / "PatentPublication_Example_V6_0.xml"
    root = etree.parse(str(src)).getroot()
    assert validate.uses_mathml(root)
    assert validate.check_st96(root, schemas) == []
    math = next(root.iter(f"{{{validate.MATHML_NS}}}math"))
    etree.SubElement(math, f"{{{validate.MATHML_NS}}}notAMathMLElement")
    errors = validate.check_st96(root, schemas)
    assert errors and "notAMathMLElement" in errors[0]
    # the stand-in alone would have let that through: the check above needed the full schema
    assert validate.st96_schema(schemas).validate(root)

    for m in list(root.iter(f"{{{validate.MATHML_NS}}}math")):  # without MathML: the fast schema,
        m.getparent().remove(m)  # the same verdicts as the full one on valid and broken documents
    assert not validate.uses_mathml(root)
    full = validate.st96_schema(schemas, mathml=True)
    assert full.validate(root) == validate.st96_schema(schemas).validate(root)
    claim = next(root.iter(f"{{{validate.PAT_NS}}}ClaimNumber"))
    claim.tag = f"{{{validate.PAT_NS}}}ClaimNumbr"
    assert not full.validate(root) and not validate.st96_schema(schemas).validate(root)
    assert validate.check_st96(root, schemas)
