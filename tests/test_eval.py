"""``digitize eval`` on small generated folders whose errors are known exactly."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from digitize.cli import main
from digitize.evaluate import EvalError, evaluate, normalise, score


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_scores_are_exact_edit_counts():
    s = score("p", "the quick  brown\nfox", "the quikc brown fox jumps")
    # normalised: "the quick brown fox" (19 chars, 4 words) vs "the quikc brown fox jumps"
    assert (s.truth_chars, s.truth_words, s.output_words) == (19, 4, 5)
    assert s.char_edits == 2 + 6  # "ck"->"kc" (2 substitutions) and " jumps" inserted
    assert s.cer == pytest.approx(8 / 19)
    assert s.word_edits == 2 and s.wer == pytest.approx(0.5)  # quick->quikc, +jumps
    assert (s.missing, s.extra) == (1, 2)  # {quick} missing, {quikc, jumps} extra
    assert s.owe == pytest.approx(2 / 4)  # one substitution + one insertion
    assert not s.blank


def test_order_independent_error_ignores_column_order():
    left, right = "alpha beta gamma delta", "one two three four"
    s = score("two-columns", f"{left}\n{right}", f"{right}\n{left}")
    assert s.wer == pytest.approx(1.0)  # read in the other order: every word misplaced
    assert s.owe == 0.0 and s.missing == 0 and s.extra == 0


def test_blank_page_and_caps():
    s = score("blank", "some words here", "  \n\f ")
    assert s.blank and s.cer == 1.0 and s.wer == 1.0 and s.owe == 1.0 and s.missing == 3
    noisy = score("noise", "a", "x y z w v")  # far more output than truth: capped at 1
    assert noisy.owe == 1.0 and noisy.wer == 1.0 and not noisy.blank
    empty = score("empty", "", "")
    assert empty.cer == 0.0 and empty.owe == 0.0 and not empty.blank


def test_normalise_ligatures_whitespace_and_line_end_hyphens():
    assert normalise("  e\ufb03cient\t\n ﬁle \f") == "efficient file"
    # as printed (OCR), as a PDF text layer marks it (U+FFFE), and with a soft hyphen
    assert normalise("au-\ntomated pre- and post-Analysis") == "automated preand post-Analysis"
    assert normalise("au\ufffetomated") == normalise("au\u00adtomated") == "automated"
    assert normalise("- x 3- y") == "- x 3- y"  # a dash or a number is not a broken word


def test_job_folder_pages_documents_and_ledger_names(tmp_path):
    job = tmp_path / "job"
    doc = job / "documents" / "EP1234567A1"
    write(doc / "pages" / "0001.txt", "Title of the invention\n")
    write(doc / "pages" / "0002.txt", "\n")  # blank output page
    write(doc / "EP1234567A1.txt", "Title of the invention\n\f\n")
    conn = sqlite3.connect(job / "ledger.sqlite")
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, input TEXT UNIQUE, state TEXT, doc_id TEXT, out_dir TEXT)")
    conn.execute("INSERT INTO documents (input, state, doc_id, out_dir) VALUES "
                 "('/scans/scan017.pdf', 'done', 'EP1234567A1', 'documents/EP1234567A1')")
    conn.commit()
    conn.close()
    truth = tmp_path / "truth"
    write(truth / "scan017-0001.txt", "Title of the invention")  # page, named after the input stem
    write(truth / "scan017_p0002.gt.txt", "Claims follow")  # page 2, other convention
    write(truth / "scan017_p0002.txt", "ignored: the .gt.txt wins")
    write(truth / "EP1234567A1.txt", "Title of teh invention")  # whole document by DOCID
    write(truth / "other.txt", "no such output")

    report = evaluate(job, truth)
    by = {u.name: u for u in report.units}
    assert set(by) == {"scan017-0001", "scan017_p0002", "EP1234567A1", "other"}
    assert by["scan017-0001"].cer == 0.0 and by["scan017-0001"].output.endswith("pages/0001.txt")
    assert by["scan017_p0002"].blank and by["scan017_p0002"].truth_words == 2
    assert by["EP1234567A1"].word_edits == 1 and by["EP1234567A1"].owe == pytest.approx(1 / 4)
    assert report.unmatched == ["other"]
    o = report.overall()
    # truth words 4 + 2 + 4 + 3 = 13; word edits 0 + 2 + 1 + 3 = 6; blank: page 2 and "other"
    assert o["truth_words"] == 13 and o["wer"] == pytest.approx(round(6 / 13, 4))
    assert o["owe"] == pytest.approx(round(6 / 13, 4)) and o["blank_pages"] == 2 and o["unmatched"] == 1


HOCR = """<html xmlns="http://www.w3.org/1999/xhtml"><body><div class="ocr_page">
<span class="ocr_line"><span class="ocrx_word">Hello</span> <span class="ocrx_word">world</span></span>
<span class="ocr_line"><span class="ocrx_word">again</span></span></div></body></html>"""
ALTO = """<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace><TextBlock>
<TextLine><String CONTENT="Hello"/><SP/><String CONTENT="world"/></TextLine>
<TextLine><String CONTENT="again"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>"""
PAGE = """<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Page>
<TextRegion id="r1"><TextLine id="l1"><TextEquiv><Unicode>ignored line</Unicode></TextEquiv></TextLine>
<TextEquiv><Unicode>Hello world
again</Unicode></TextEquiv></TextRegion></Page></PcGts>"""


@pytest.mark.parametrize("name,content", [("a.hocr", HOCR), ("a.alto.xml", ALTO), ("a.xml", PAGE)])
def test_hocr_alto_page_truth(tmp_path, name, content):
    write(tmp_path / "truth" / name, content)
    write(tmp_path / "out" / "a.txt", "Hello wor1d again")
    report = evaluate(tmp_path / "out", tmp_path / "truth")
    (u,) = report.units
    assert (u.truth_words, u.char_edits, u.word_edits) == (3, 1, 1)


def test_cli_table_and_json(tmp_path, capsys):
    write(tmp_path / "truth" / "d-0001.txt", "one two three four")
    write(tmp_path / "out" / "d-0001.txt", "one two tree four")
    assert main(["eval", str(tmp_path / "out"), "--truth", str(tmp_path / "truth")]) == 0
    table = capsys.readouterr().out
    assert "d-0001" in table and "25.00%" in table and "overall" in table
    assert main(["eval", str(tmp_path / "out"), "--truth", str(tmp_path / "truth"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["wer"] == 0.25 and data["overall"]["cer"] == pytest.approx(round(1 / 18, 4))
    assert data["units"][0]["owe"] == 0.25


def test_bad_folders_are_one_line_errors(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    with pytest.raises(EvalError, match="no truth files"):
        evaluate(tmp_path, tmp_path / "empty")
    assert main(["eval", str(tmp_path / "nope"), "--truth", str(tmp_path / "empty")]) == 2
    assert "error:" in capsys.readouterr().err


def test_truth_declaring_an_entity_is_refused(tmp_path, capsys):
    """ALTO/PAGE truth is parsed through ``xmlsafe``: a DOCTYPE declaring an entity is refused in
    one line (the text is never read with the reference dropped); one naming its DTD is read."""
    doctype = '<!DOCTYPE PcGts [\n<!-- ]> -->\n<!ENTITY x SYSTEM "file:///etc/hostname">\n]>\n'
    write(tmp_path / "truth" / "a.xml", doctype + PAGE.replace("Hello world", "Hello &x; world"))
    write(tmp_path / "out" / "a.txt", "Hello world again")
    with pytest.raises(EvalError, match=r"a\.xml: refused: the DOCTYPE declares an external entity \(x\)"):
        evaluate(tmp_path / "out", tmp_path / "truth")
    assert main(["eval", str(tmp_path / "out"), "--truth", str(tmp_path / "truth")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "refused" in err, err
    write(tmp_path / "truth" / "a.xml", '<!DOCTYPE PcGts SYSTEM "pagecontent.dtd">\n' + PAGE)
    (u,) = evaluate(tmp_path / "out", tmp_path / "truth").units
    assert (u.truth_words, u.word_edits) == (3, 0)
