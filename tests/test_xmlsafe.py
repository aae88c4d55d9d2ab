"""One safe XML parser for digitize and authority, and every reader going through it.

Entity declarations are found by parsing the DOCTYPE, not by scanning text: a comment holding
``]>`` in the internal subset must not hide a declaration (an ST.37 file would read ``120&x;`` as
``120``), and ``digitize validate`` must call an ST.36 file declaring an external entity invalid.
"""

from __future__ import annotations

import ast
import re
import shutil
import time
from pathlib import Path

import pytest
from lxml import etree

from authority.check import check_file
from authority.reader import read_entries
from digitize import xmlsafe
from digitize.cli import main as cli
from digitize.proofread.lexicon import count_xml_words
from digitize.xmlread import st36
from test_authority import valid_file
from test_validate import _run

HIDDEN = '<!DOCTYPE authority-file [\n<!-- ]><authority-file -->\n<!ENTITY x "9">\n]>\n'


def _with_doctype(text: str, doctype: str) -> str:
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text, count=1)
    i = text.index("<authority-file")
    return text[:i] + doctype + text[i:]


def test_entity_hidden_behind_a_comment_is_refused(tmp_path):
    src = valid_file(tmp_path)
    text = src.read_text(encoding="utf-8")
    number = re.search(r"<doc-number>([^<]+)</doc-number>", text).group(1)
    attack = tmp_path / "attack.xml"
    attack.write_text(_with_doctype(text, HIDDEN).replace(
        f"<doc-number>{number}</doc-number>", f"<doc-number>{number}&x;</doc-number>", 1), encoding="utf-8")
    # the reader refuses the file instead of reading the number as if '&x;' were not there
    with pytest.raises(xmlsafe.UnsafeXML, match="declares an entity"):
        list(read_entries(attack))
    problems = check_file(attack)
    assert len(problems) == 1 and "refused" in problems[0], problems
    # every way in refuses it: tree, stream, prolog check, bytes
    for read in (xmlsafe.parse, lambda p: list(xmlsafe.iterparse(p, events=("end",))), xmlsafe.assert_safe,
                 lambda p: xmlsafe.fromstring(p.read_bytes())):
        with pytest.raises(xmlsafe.UnsafeXML):
            read(attack)
    # the same file without the declaration (a DOCTYPE that only names its DTD) is read
    plain = tmp_path / "plain.xml"
    plain.write_text(_with_doctype(text, '<!DOCTYPE authority-file SYSTEM "ST37.dtd">\n'), encoding="utf-8")
    assert any(e.number == number for e in read_entries(plain))


@pytest.mark.parametrize("decl", [
    '<!ENTITY x SYSTEM "file:///etc/hostname">',
    '<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd">',
    '<!ENTITY a "a"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">',
])
def test_any_declaration_is_refused_fast(tmp_path, decl):
    f = tmp_path / "d.xml"
    body = "<d>1&c;</d>" if "ENTITY c" in decl else "<d>1</d>"
    f.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE d [\n<!-- ]> -->\n{decl}\n]>\n{body}', encoding="utf-8")
    t = time.monotonic()
    with pytest.raises(xmlsafe.UnsafeXML):
        xmlsafe.parse(f)
    assert time.monotonic() - t < 2


def test_validate_calls_an_external_entity_invalid(tmp_path, capsys):
    f = tmp_path / "ext.xml"
    f.write_text('<?xml version="1.0"?>\n<!DOCTYPE ep-patent-document [\n<!ENTITY ext SYSTEM "file:///etc/hostname">\n]>\n'
                 '<ep-patent-document lang="en" country="EP"/>\n', encoding="utf-8")
    rc, out = _run(capsys, str(f))
    assert rc == 1, out
    assert out.splitlines() == [f"{f}: invalid", "  refused: the DOCTYPE declares an external entity (ext); not read"]


def test_validate_real_st36_with_an_entity_added_is_invalid(tmp_path, capsys, schema_dir):
    src = sorted((schema_dir / "st36" / "examples").glob("ep-*/DOC00001.xml"))[0]
    clean = tmp_path / "clean.xml"
    shutil.copy(src, clean)
    rc, out = _run(capsys, "--schemas", str(schema_dir), str(clean))
    assert rc == 0 and ": valid" in out, out  # the example itself is valid
    text = src.read_text(encoding="utf-8")
    doctype = re.search(r"<!DOCTYPE[^>\[]*", text)
    attack = tmp_path / "attack.xml"
    attack.write_text(text[:doctype.end()].rstrip() + ' [\n<!ENTITY ext SYSTEM "file:///etc/hostname">\n]'
                      + text[doctype.end():], encoding="utf-8")
    assert etree.parse(str(attack), xmlsafe.parser()).docinfo.internalDTD is not None
    rc, out = _run(capsys, "--schemas", str(schema_dir), str(attack))
    assert rc == 1 and "invalid" in out and "external entity (ext)" in out, out


def test_lexicon_build_reads_through_xmlsafe(tmp_path, capsys):
    """``digitize lexicon build`` counts only what ``xmlsafe`` reads: a file declaring an entity is
    refused in one line naming it (nothing written, not counted with the reference dropped); a
    USPTO DTD's ISO character entities are read as their characters, not counted as words."""
    clean = tmp_path / "clean.xml"
    clean.write_text('<?xml version="1.0"?>\n<!DOCTYPE PATDOC SYSTEM "ST32-US-Grant-025xml.dtd">\n'
                     "<PATDOC><PARA>&lsqb;0001&rsqb; pipetting 200 &mgr;l</PARA></PATDOC>\n", encoding="utf-8")
    attack = tmp_path / "attack.xml"
    attack.write_text('<?xml version="1.0"?>\n<!DOCTYPE d [\n<!-- ]> -->\n<!ENTITY x SYSTEM "file:///etc/hostname">\n]>\n'
                      "<d>pipetting &x;</d>\n", encoding="utf-8")
    out = tmp_path / "vocab.tsv"
    assert cli(["lexicon", "build", str(clean), str(attack), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and f"{attack}: refused: the DOCTYPE declares an external entity (x)" in err, err
    assert not out.exists()
    counts = count_xml_words([clean])
    assert counts["pipetting"] == 1 and counts["μl"] == 1 and not {"lsqb", "rsqb", "mgr"} & set(counts), counts
    assert cli(["lexicon", "build", str(clean), "--out", str(out)]) == 0
    assert "pipetting\t1" in out.read_text(encoding="utf-8")


def test_patent_xml_readers_parse_only_through_xmlsafe(tmp_path, shared_data):
    """``digitize.xmlread`` and the readers of truth and vocabulary call no lxml parser of their
    own; a real EPO file with an entity declared in its DOCTYPE is refused by the ST.36 reader."""
    root = Path(__file__).resolve().parents[1]
    readers = [*sorted((root / "digitize" / "xmlread").glob("*.py")), *sorted((root / "authority" / "sources").glob("*.py")),
               root / "digitize" / "evaluate.py", root / "digitize" / "proofread" / "lexicon.py"]
    own = [f"{f.relative_to(root)}:{n.lineno}" for f in readers for n in ast.walk(ast.parse(f.read_text(encoding="utf-8")))
           if isinstance(n, ast.Attribute) and n.attr in ("parse", "fromstring", "iterparse", "XML", "XMLParser")
           and isinstance(n.value, ast.Name) and n.value.id == "etree"]
    assert own == [], own
    text = (shared_data / "patent-xml" / "EP17711782NWA1.xml").read_text(encoding="utf-8")
    assert st36.load(shared_data / "patent-xml" / "EP17711782NWA1.xml").publication_id
    doctype = re.search(r"<!DOCTYPE[^>\[]*", text)
    attack = tmp_path / "attack.xml"
    attack.write_text(text[:doctype.end()].rstrip() + ' [\n<!ENTITY ext SYSTEM "file:///etc/hostname">\n]'
                      + text[doctype.end():], encoding="utf-8")
    with pytest.raises(xmlsafe.UnsafeXML, match=r"external entity \(ext\)"):
        st36.load(attack)
