"""ST.37 authority files: build from real XML and from a job folder, check every rule, diff and
incremental round trip, and hostile XML (XXE, billion laughs) refused without reading anything."""

from __future__ import annotations

import datetime

import http.server
import shutil
import threading
from pathlib import Path

import pytest
from lxml import etree

from authority.build import build, build_entries, build_from_job
from authority.check import check_file
from digitize.settings.authority import from_profile
from authority.diff import apply_incremental, diff_files
from authority.model import Entry, Priority
from authority.reader import read_all
from authority.findings import Findings
from authority.writer import CSV_HEADER
from digitize.settings import profile as profiles
from digitize import xmlsafe as safexml
from digitize.cli import main as cli
from digitize.settings.profile import ProfileError

# --------------------------------------------------------------------------- helpers


def st36(path: Path, number: str | None, kind: str = "A1", date: str = "20230105", country: str = "PH",
         app: str | None = "1-2022-000001", filing: str = "20220110", lang: str = "en", text: bool = True) -> Path:
    """A small ST.36 ``xx-patent-document`` written through lxml."""
    root = etree.Element("ph-patent-document", lang=lang, country=country)
    bib = etree.SubElement(root, "bibliographic-data")
    did = etree.SubElement(etree.SubElement(bib, "publication-reference"), "document-id")
    for tag, v in (("country", country), ("doc-number", number), ("kind", kind), ("date", date)):
        if v is not None:
            etree.SubElement(did, tag).text = v
    if app:
        ad = etree.SubElement(etree.SubElement(bib, "application-reference"), "document-id")
        etree.SubElement(ad, "country").text = country
        etree.SubElement(ad, "doc-number").text = app
        etree.SubElement(ad, "date").text = filing
    if text:
        etree.SubElement(etree.SubElement(root, "abstract"), "p").text = "An abstract."
        etree.SubElement(etree.SubElement(root, "description"), "p").text = "A description."
        etree.SubElement(etree.SubElement(etree.SubElement(root, "claims"), "claim"), "claim-text").text = "A claim."
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


def make_entries(n: int = 12, office: str = "PH") -> list[Entry]:
    out = []
    for i in range(n):
        num = str(1000 + i)
        kind = "A1" if i % 3 else "B1"
        date = f"2023{1 + i % 12:02d}{1 + i:02d}"
        if i == 5:
            out.append(Entry(office, num, "A1", date, exception="N", description=(), claims=(), abstract=()))
            continue
        prios = (Priority("US", f"63/{i:06d}", "20220101", "national", "1"),) if i % 4 == 0 else ()
        out.append(Entry(office, num, kind, date, office, f"1-2022-{i:06d}", "20220301", prios, None,
                         ("en",), ("en",), ("en",) if i % 2 else ()))
    return out[::-1]  # unsorted on purpose


def valid_file(tmp_path: Path, entries: list[Entry] | None = None, name: str = "valid.xml") -> Path:
    res = build_entries(entries if entries is not None else make_entries(), "PH", [(tmp_path / name, "xml")],
                        profiles.load("ph"), date_produced="20240101")
    assert res.ok, res.report.lines
    return res.paths[0]


def rewrite(path: Path, out: Path, edit) -> Path:
    """Apply ``edit(root)`` to a small authority file and write it back with its DOCTYPE."""
    tree = etree.parse(str(path), safexml.parser())
    edit(tree.getroot())
    out.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8", doctype=tree.docinfo.doctype))
    return out


def entry_el(root, number: str):
    return next(e for e in root.iter("authority-file-entry")
                if e.findtext("publication-reference/document-id/doc-number") == number)


# --------------------------------------------------------------------------- real XML

EXPECTED = {
    "EP": {("1599469", "B1", "20060607"), ("1667425", "A1", "20060607"), ("3439706", "A1", "20190213"),
           ("3439766", "A1", "20190213"), ("3441143", "A1", "20190213"), ("3441903", "A1", "20190213")},
    # US numbers as the USPTO prints them: no leading zero (its bulk XML has 08926509)
    "US": {("8926509", "B2", "20150106"), ("8930553", "B2", "20150106"), ("11646472", "B2", "20230509"),
           ("20210045410", "A1", "20210218"), ("8936998", "B2", "20150120")},
    "ES": {("2993312", "T1", "20241227")},
}


def _real_sources(shared_data: Path, schema_dir: Path) -> list[Path]:
    return [shared_data / "patent-xml", shared_data / "patent-pdf", schema_dir / "st36" / "examples",
            schema_dir / "st96-v6_0" / "PatentPublication_Example_V6_0.xml"]


@pytest.mark.parametrize("office", sorted(EXPECTED))
def test_build_from_real_xml(tmp_path, shared_data, schema_dir, office):
    sources = _real_sources(shared_data, schema_dir)
    out = tmp_path / f"{office}.xml"
    res = build(sources, office, out)
    assert res.ok, res.report.lines
    definition, entries = read_all(out)
    assert {(e.number, e.kind, e.date) for e in entries} == EXPECTED[office]
    assert all(e.country == office for e in entries)
    assert check_file(out) == []
    assert definition.kind_counts == {k: sum(1 for e in entries if e.kind == k) for k in {e.kind for e in entries}}
    # the toc.xml files are not publications: reported, not turned into entries
    assert any("toc.xml" in line and "not a patent publication" in line for line in res.report.lines)
    csv_out = tmp_path / f"{office}.csv"
    assert cli(["authority", "build", *map(str, sources), "--office", office, "--out", str(csv_out), "-q"]) == 0
    assert csv_out.read_text().splitlines()[0] == ";".join(CSV_HEADER)
    assert check_file(csv_out) == []
    assert {(e.number, e.kind, e.date) for e in read_all(csv_out)[1]} == EXPECTED[office]


def test_real_xml_bibliographic_details(tmp_path, shared_data, schema_dir):
    """Each file's own bibliographic data, read independently, is what the entry says."""
    out = tmp_path / "EP.xml"
    assert build(_real_sources(shared_data, schema_dir), "EP", out).ok
    by_number = {e.number: e for e in read_all(out)[1]}
    for f in sorted((shared_data / "patent-xml").glob("EP*.xml")) + sorted((shared_data / "patent-pdf").glob("*.xml")):
        root = etree.parse(str(f), safexml.parser()).getroot()
        e = by_number[root.get("doc-number")]
        assert (e.country, e.kind, e.date) == (root.get("country"), root.get("kind"), root.get("date-publ"))
        assert e.app_number == root.findtext("SDOBI/B200/B210")
        assert e.filing_date == root.findtext("SDOBI/B200/B220/date")
    a1 = by_number["1667425"]
    assert a1.priorities == (Priority("JP", "2004351438", "20041203", "national", "1"),)
    assert by_number["1599469"].claims == ("en", "de", "fr")  # B1: claims in three languages
    assert by_number["1599469"].abstract == ()  # a B1 has no abstract
    assert by_number["3439706"].description == ()  # bibliographic-only document
    us = tmp_path / "US.xml"
    assert build(_real_sources(shared_data, schema_dir), "US", us).ok
    st96 = {e.number: e for e in read_all(us)[1]}["8936998"]
    assert (st96.app_number, st96.filing_date) == ("13797521", "20130312")
    assert st96.priorities[0][:3] == ("JP", "2007-290922", "20071108")


# --------------------------------------------------------------------------- bad input


def test_bad_inputs_reported_rest_goes_on(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    st36(src / "good1.xml", "1001")
    st36(src / "good2.xml", "1002", kind="B1", date="20230301")
    (src / "broken.xml").write_text("<ph-patent-document><bibliographic-data>")
    st36(src / "nonumber.xml", None)
    st36(src / "baddate.xml", "1003", date="20231399")
    st36(src / "dup_a.xml", "1004", date="20230201")
    st36(src / "dup_b.xml", "1004", date="20230202")  # same number and kind, another date
    st36(src / "same_a.xml", "1005", date="20230203", text=False)
    st36(src / "same_b.xml", "1005", date="20230203")  # identical duplicate: merged
    st36(src / "badfiling.xml", "1006", filing="2022-02-30")
    out = tmp_path / "PH.xml"
    res = build([src], "PH", out)
    lines = "\n".join(res.report.lines)
    assert "broken.xml: malformed XML" in lines
    assert "nonumber.xml: no publication number found" in lines
    assert "invalid publication date '20231399'" in lines
    assert "PH 1004 A1" in lines and "conflicting duplicate" in lines
    assert "invalid filing date '2022-02-30' left out" in lines
    assert not res.ok and res.paths == [out]  # errors reported, the file still written
    entries = {e.number: e for e in read_all(out)[1]}
    assert sorted(entries) == ["1001", "1002", "1005", "1006"]
    assert entries["1005"].description == ("en",)  # merged with the copy that has text
    assert entries["1006"].filing_date is None
    assert check_file(out) == []


def test_code_without_description_stops_the_build(tmp_path):
    st36(tmp_path / "a.xml", "1001", kind="Q7")
    res = build([tmp_path / "a.xml"], "PH", tmp_path / "PH.xml")
    assert res.paths == [] and not (tmp_path / "PH.xml").exists()
    assert any("kind code Q7" in line and "[authority.kind_codes]" in line for line in res.report.lines)


def test_profile_section_validation():
    with pytest.raises(ProfileError, match=r"kind_codes.A1: the description"):
        from_profile({"kind_codes": {"A1": ""}}, "x.toml: [authority]")
    with pytest.raises(ProfileError, match="unknown key"):
        from_profile({"kinds": {}}, "x.toml: [authority]")
    with pytest.raises(ProfileError, match="not a valid code"):
        from_profile({"exception_codes": {"not-a-code": "x"}}, "x.toml: [authority]")
    gen = profiles.load("generic").section("authority")
    assert gen["exception_codes"]["N"] == "Not used publication number"
    assert {"A1", "A2", "A3", "B1", "B2", "C", "U", "Y", "S", "T"} <= set(gen["kind_codes"])


# --------------------------------------------------------------------------- hostile XML


class _Hits(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Hits.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"LEAKED")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    _Hits.hits = []
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Hits)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


BODY = ("<ph-patent-document><bibliographic-data><publication-reference><document-id><country>PH</country>"
        "<doc-number>&x;</doc-number><kind>A1</kind><date>20230101</date></document-id></publication-reference>"
        "</bibliographic-data></ph-patent-document>")
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
          + "]>")


def test_xxe_and_billion_laughs_refused(tmp_path, http_server):
    """The guarantee, not a library's wording: each hostile file stops with an error naming it, no
    entity is expanded, nothing of /etc/passwd or of the server reaches any output, nothing is
    fetched. Which words say so depends on libxml2 (2.14 stops the billion laughs itself at its
    amplification limit, "malformed XML"; earlier ones leave it to our DOCTYPE check, "refused")."""
    files = {
        "file.xml": f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n{BODY}',
        "http.xml": f'<!DOCTYPE d [<!ENTITY x SYSTEM "{http_server}/xxe">]>{BODY}',
        "param.xml": f'<!DOCTYPE d [<!ENTITY % p SYSTEM "{http_server}/dtd"> %p;]>{BODY.replace("&x;", "1")}',
        "laughs.xml": LAUGHS + BODY.replace("&x;", "&lol9;"),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    out = tmp_path / "out" / "PH.xml"
    res = build(sorted(tmp_path.glob("*.xml")), "PH", out)
    assert res.entries == 0 and res.paths == [] and not out.exists()
    report = "\n".join(res.report.lines)
    for name in files:  # each file stopped, by name
        assert [line for line in res.report.lines if line.startswith("error:") and name in line], report
    assert "root:" not in report and "LEAKED" not in report and "lollol" not in report
    for name in files:
        with pytest.raises((safexml.UnsafeXML, etree.XMLSyntaxError)):
            safexml.parse(tmp_path / name)
    # an authority file carrying an external entity is refused by check as well
    af = tmp_path / "af.xml"
    af.write_text(f'<!DOCTYPE authority-file [<!ENTITY x SYSTEM "{http_server}/af">]><authority-file country="PH">&x;</authority-file>')
    problems = check_file(af)
    assert len(problems) == 1 and problems[0].startswith("readable:") and "refused" in problems[0]
    assert _Hits.hits == []  # nothing was fetched


# --------------------------------------------------------------------------- check rules


def test_generated_file_is_valid_and_sorted(tmp_path):
    path = valid_file(tmp_path)
    definition, entries = read_all(path)
    assert [e.number for e in entries] == [str(1000 + i) for i in range(12)]
    assert definition.exception_codes == {"N": "Not used publication number"}
    assert definition.exception_counts == {"N": 1}
    assert definition.most_recent == ("1011", "20231212")
    assert definition.date_range == ("20230101", "20231212")
    assert definition.number_range == ("1000", "1011")
    text = path.read_text()
    assert '<!DOCTYPE authority-file SYSTEM "ST37AuthorityFile_V2-2.dtd">' in text.splitlines()[1]
    assert check_file(path) == []


def _swap(root):
    a, b = entry_el(root, "1003"), entry_el(root, "1004")
    root.remove(b)
    a.addprevious(b)  # 1004 now comes before 1003


def _set(number: str, path: str, value: str | None):
    def edit(root):
        el = entry_el(root, number).find(path)
        if value is None:
            el.getparent().remove(el)
        else:
            el.text = value
    return edit


def _def(path: str, attr: str | None, value: str | None):
    def edit(root):
        el = root.find("authority-file-definition/" + path if path else "authority-file-definition")
        if value is None:
            el.getparent().remove(el)
        elif attr:
            el.set(attr, value)
        else:
            el.text = value
    return edit


def _dup(root):
    import copy

    e = entry_el(root, "1007")
    e.addnext(copy.deepcopy(e))


def _exc_undefined(root):
    lst = root.find("authority-file-definition/exception-code-list")
    lst.getparent().remove(lst)


def _move_after_entries(root):
    d = root.find("authority-file-definition")
    root.remove(d)
    root.append(d)


BROKEN = {
    "mandatory-fields": (_set("1004", "publication-reference/document-id/kind", None), "entry PH 1004 ? 20230505"),
    "valid-date": (_set("1004", "publication-reference/document-id/date", "20231399"), "entry PH 1004 A1 20231399"),
    "office-code": (_set("1004", "publication-reference/document-id/country", "US"), "entry US 1004 A1"),
    "kind-code-defined": (_set("1004", "publication-reference/document-id/kind", "A2"), "entry PH 1004 A2"),
    "exception-code-defined": (_exc_undefined, "entry PH 1005 A1"),
    "kind-coverage": (_def("data-coverage/kind-code-coverage/document-total-quantity", None, "99"), "kind A1"),
    "exception-coverage": (_def("data-coverage/exception-code-coverage/document-total-quantity", None, "2"),
                           "exception code N"),
    "date-range": (_def("data-coverage/publication-date-range", "end-date", "20991231"), "authority-file-definition"),
    "number-range": (_def("data-coverage/publication-number-range", "begin-range-number", "999"),
                     "authority-file-definition"),
    "most-recent-document": (_def("most-recent-document", "publication-number", "1003"), "authority-file-definition"),
    "no-duplicate": (_dup, "entry PH 1007 A1"),
    "sorted": (_swap, "entry PH 1003"),
    "definition": (_def("", "update-af-category", "weekly"), "authority-file-definition"),
}


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_check_names_rule_and_entry(tmp_path, rule):
    edit, where = BROKEN[rule]
    bad = rewrite(valid_file(tmp_path), tmp_path / f"{rule}.xml", edit)
    problems = check_file(bad)
    assert problems, f"{rule}: no problem found"
    hits = [p for p in problems if p.startswith(f"{rule}: ")]
    assert hits, problems
    assert any(where in p for p in hits), (where, hits)
    assert cli(["authority", "check", str(bad)]) == 1


def test_check_other_failures(tmp_path, capsys):
    good = valid_file(tmp_path)
    malformed = tmp_path / "malformed.xml"
    malformed.write_text(good.read_text()[:-200])
    assert check_file(malformed)[0].startswith("readable:")
    late = rewrite(good, tmp_path / "late.xml", _move_after_entries)
    assert any(p.startswith("definition: entry PH 1000") for p in check_file(late))
    dtd = tmp_path / "other.dtd"
    dtd.write_text("<!ELEMENT authority-file (something-else)>")
    problems = check_file(good, dtd=dtd)
    assert problems and all(p.startswith("schema:") for p in problems)
    assert cli(["authority", "check", str(good)]) == 0
    assert "valid" in capsys.readouterr().out
    # CSV: codes checked against the office profile
    csv = tmp_path / "bad.csv"
    csv.write_text(";".join(CSV_HEADER) + "\nPH;1;Q7;20230101;;;;;;;;\nPH;2;A1;20230230;;;;;;;;\n")
    problems = check_file(csv)
    assert any(p.startswith("kind-code-defined: entry PH 1 Q7") for p in problems)
    assert any(p.startswith("valid-date: entry PH 2 A1 20230230") for p in problems)


# --------------------------------------------------------------------------- diff / incremental


@pytest.mark.parametrize("fmt", ["xml", "csv"])
def test_diff_incremental_round_trip(tmp_path, fmt):
    old_entries = make_entries(12)
    new_entries = [e for e in old_entries if e.number != "1002"]  # removed
    new_entries = [e._replace(date="20231231") if e.number == "1007" else e for e in new_entries]  # changed date
    new_entries = [e._replace(abstract=("en",)) if e.number == "1004" else e for e in new_entries]  # changed text
    new_entries.append(Entry("PH", "1012", "U1", "20240105", description=(), claims=(), abstract=()))  # added
    old = build_entries(old_entries, "PH", [(tmp_path / f"old.{fmt}", fmt)], profiles.load("ph"), date_produced="20240101").paths[0]
    new = build_entries(new_entries, "PH", [(tmp_path / f"new.{fmt}", fmt)], profiles.load("ph"), date_produced="20240201").paths[0]
    inc = tmp_path / f"inc.{fmt}"
    # by default the incremental holds only what ST.37 can say: no update-action="delete"
    res = diff_files(old, new, inc)
    assert res.counts == {"added": 1, "removed": 1, "changed": 2, "same": 9}
    assert [e.number for e in res.added] == ["1012"] and [e.number for e in res.removed] == ["1002"]
    assert check_file(inc) == []
    assert len(read_all(inc)[1]) == 3 and b"delete" not in inc.read_bytes().replace(b"update_action", b"")
    # asked for: the removals too, and OLD + incremental == NEW
    res = diff_files(old, new, inc, with_deletions=True)
    assert check_file(inc) == []
    inc_entries = read_all(inc)[1]
    assert len(inc_entries) == 4 and [e.number for e in inc_entries if e.deleted] == ["1002"]
    if fmt == "xml":
        d = read_all(inc)[0]
        assert d.update_category == "incremental"
        assert d.kind_counts == {"A1": 2, "U1": 1}  # deletions are not counted
        assert d.exception_codes == {"N": "Not used publication number"}  # used by not-searchable-code: defined
    assert apply_incremental(old, inc) == read_all(new)[1]
    assert cli(["authority", "diff", str(old), str(new)]) == 0


# --------------------------------------------------------------------------- register


def test_register_unused_numbers_become_exception_entries(tmp_path):
    st36(tmp_path / "a.xml", "2001")
    st36(tmp_path / "b.xml", "2003", kind="B1", date="20230110")
    reg = tmp_path / "register.csv"
    reg.write_text("publication_number;kind;publication_date;exception_code\n"
                   "2001;A1;20230105;\n2002;A1;20230106;\n2003;B1;20230110;\n2004;A1;;\n")
    out = tmp_path / "PH.xml"
    rc = cli(["authority", "build", str(tmp_path / "a.xml"), str(tmp_path / "b.xml"), "--office", "PH",
              "--out", str(out), "--register", str(reg)])
    assert rc == 1  # 2004: no date in the register, so no entry can be made: reported
    definition, entries = read_all(out)
    assert [(e.number, e.exception) for e in entries] == [("2001", None), ("2002", "N"), ("2003", None)]
    assert definition.exception_codes == {"N": "Not used publication number"}
    assert check_file(out) == []


# --------------------------------------------------------------------------- job folder


def _job(tmp_path: Path) -> Path:
    from digitize.store.ledger import connect, SCHEMA
    from digitize.model import (Bibliographic, Claim, ClaimSet, ClaimText, Document, Field, PageInfo,
                                Paragraph, Priority as P)

    job = tmp_path / "job"
    job.mkdir()
    conn = connect(job / "ledger.sqlite")
    conn.executescript(SCHEMA)

    def doc(doc_id, number, date, *, kind="A1", text=True, flagged=False, image_only=False):
        b = Bibliographic(office=Field("PH"), doc_number=Field(number) if number else None, kind=Field(kind),
                          publication_date=Field(date, flagged=flagged), application_number=Field("1-2021-000123"),
                          filing_date=Field("2021-03-04"), priorities=[P("US", "63/123456", "2020-03-05")])
        d = Document(doc_id=doc_id, source=f"{doc_id}.pdf", profile="ph", lang="en", biblio=b,
                     pages=[PageInfo(1, 2480, 3508, 300, 90.0, 0 if image_only else 300, image_only=image_only)])
        if text:
            d.abstract = [Paragraph("An abstract.")]
            d.description = [Paragraph("Field", kind="heading"), Paragraph("A description.")]
            d.claims = [ClaimSet("en", [Claim(1, ClaimText("A claim."))])]
        folder = job / "documents" / doc_id
        folder.mkdir(parents=True)
        (folder / f"{doc_id}.json").write_text(d.to_json())
        return f"documents/{doc_id}"

    rows = [
        ("a.pdf", "done", None, "PH12023000001A1", doc("PH12023000001A1", "12023000001", "2023-05-02")),
        ("b.pdf", "done", None, "PH12023000002A1", doc("PH12023000002A1", "12023000002", "2023-05-09", text=False, image_only=True)),
        ("c.pdf", "failed", "emit: invalid XML", "PH12023000003Y1", doc("PH12023000003Y1", "12023000003", "2023-05-16", kind="Y1")),
        ("d.pdf", "failed", "truncated PDF", "d", None),
        ("e.pdf", "pending", None, None, None),
        ("f.pdf", "needs-review", None, "f", doc("f", "12023000004", "2023-05-23", flagged=True)),
        ("g.pdf", "done", None, "g", doc("g", "12023000005", "2023-13-99")),
        ("h.pdf", "done", None, "h", doc("h", None, "2023-05-30")),
    ]
    for i, (inp, state, reason, doc_id, out_dir) in enumerate(rows, 1):
        conn.execute("INSERT INTO documents (id, input, state, reason, doc_id, out_dir) VALUES (?,?,?,?,?,?)",
                     (i, inp, state, reason, doc_id, out_dir))
    conn.close()
    return job


def test_build_from_job_folder(tmp_path):
    job = _job(tmp_path)
    report = Findings()
    paths = build_from_job(job, "PH", profiles.load("ph"), report=report)
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d")
    assert [p.name for p in paths] == [f"PH_AF_{today}.xml", f"PH_AF_{today}.csv"]  # made today, dated today
    for p in paths:
        assert check_file(p) == [], p
    entries = {e.number: e for e in read_all(paths[0])[1]}
    assert sorted(entries) == ["12023000001", "12023000002", "12023000003", "12023000004"]
    ok = entries["12023000001"]
    assert (ok.kind, ok.date, ok.app_number, ok.filing_date) == ("A1", "20230502", "1-2021-000123", "20210304")
    assert (ok.description, ok.claims, ok.abstract) == (("en",), ("en",), ("en",))
    assert ok.priorities[0][:3] == ("US", "63/123456", "20200305")
    assert (entries["12023000002"].description, entries["12023000002"].claims) == ((), ())  # image only
    assert entries["12023000003"].abstract == ()  # failed with a recognised number: not searchable
    lines = "\n".join(report.lines)
    assert "d.pdf: failed (truncated PDF) and no publication number was recognised" in lines
    assert "e.pdf: not finished" in lines
    assert "f.pdf: mandatory field(s) still flagged for review: publication_date" in lines
    assert "g.pdf: invalid publication date '2023-13-99'" in lines
    assert "h.pdf: no publication number found" in lines
    assert (job / "authority" / "build-report.txt").read_text().count("\n") == len(report.lines)
    first = paths[0].read_bytes()
    again = build_from_job(job, "PH", profiles.load("ph"), date="20240101")
    assert [p.name for p in again] == ["PH_AF_20240101.xml", "PH_AF_20240101.csv"]
    assert again[0].read_bytes().replace(b"20240101", today.encode()) == first  # deterministic; the older build is gone
    assert sorted(p.name for p in (job / "authority").glob("PH_AF_*")) == ["PH_AF_20240101.csv", "PH_AF_20240101.xml"]
    shutil.rmtree(job / "authority")
