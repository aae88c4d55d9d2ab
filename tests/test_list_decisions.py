"""A reviewer's decision on a front-page list item (``parties:72``, ``states:84``) reaches the
JSON, ST.36 and ST.96 through ``digitize queue import`` and ``digitize apply``; a value the
structure stage's parsers cannot read is refused with its reason and stays in the queue."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sheets import add_reviewer, fill_sheet
from test_apply import _job_from_lines, _run, _state_of, _validate_both

LINES = ["(11) EP 3 441 143 A1", "(43) Date of publication: 13.02.2019", "(21) Application number: 17185386.4",
         "(54) Title: Filter fabric", "(71) Applicant: ACME FILTERS GmbH (DE)", "(72) Inventors:",
         "SMITH, John, Berlin (QQ)", "(84) Designated Contracting States:", "AT BE QQXX",
         "(57) Abstract", "The present invention relates to a woven fabric for filters.",
         "A filter comprising the woven fabric and a frame is described."]
DOC_ID = "EP3441143A1"
INVENTORS = "SMITH, John, Berlin (DE); DOE, Jane, Paris (FR)"
NS = {"pat": "http://www.wipo.int/standards/XMLSchema/ST96/Patent",
      "com": "http://www.wipo.int/standards/XMLSchema/ST96/Common"}


def _decide(job: Path, sheet: Path, values: dict[str, str], refused: int = 0) -> str:
    """Export the queue, decide every row (``values`` by field name: corrected; the rest accepted)
    and import it, as a reviewer with a spreadsheet does; returns the import's report."""
    r = _run("queue", "export", str(job), "--out", str(sheet))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(sheet.read_text(encoding="utf-8-sig").splitlines()))
    fill_sheet(sheet, rows, lambda row: ("correct", values[row["field"]])
                     if row["kind"] == "field" and row["field"] in values else ("accept", None))
    add_reviewer(job, "ana")
    r = _run("queue", "import", str(job), str(sheet), "--reviewer", "ana")
    assert r.returncode == (1 if refused else 0) and f" {refused} refused" in r.stdout, r.stdout + r.stderr
    return r.stdout


def _open_items(job: Path) -> set[str]:
    from digitize.store.queue import Queue

    q = Queue(job / "ledger.sqlite")
    try:
        return {f"field:{i.field_name}" if i.field_name else i.word_id for i in q.items(DOC_ID)}
    finally:
        q.close()


def test_corrected_inventors_and_states_reach_json_st36_st96(tmp_path, schema_dir):
    job, _ = _job_from_lines(tmp_path, LINES, DOC_ID)
    folder = job / "documents" / DOC_ID
    before = json.loads((folder / f"{DOC_ID}.json").read_text(encoding="utf-8"))
    queued = {c["field_name"] for c in before["candidates"] if c["kind"] == "field"}
    assert {"parties:72", "states:84"} <= queued, before["candidates"]

    # a malformed state list in the sheet: refused at import with the reason, the item still open
    out = _decide(job, tmp_path / "q1.csv", {"parties:72": INVENTORS, "states:84": "AT XQ France"}, refused=1)
    assert "states:84: not ST.3 codes: XQ" in out, out
    assert _open_items(job) == {"field:states:84"}

    # one recorded without that check (a queue opened without the profile's rules): refused by
    # apply, the item back in the queue, the reason in the flags, the document not done
    from digitize.store.queue import Queue

    q = Queue(job / "ledger.sqlite")
    item = next(i for i in q.items(DOC_ID) if i.field_name == "states:84")
    q.decide(item.id, "ana", "correct", "AT XQ France", take=True)
    q.close()
    r = _run("apply", str(job), "--schemas", str(schema_dir))
    assert r.returncode == 0, r.stdout + r.stderr
    assert _state_of(job, DOC_ID) == "needs-review"
    assert "field:states:84" in _open_items(job) and "field:parties:72" not in _open_items(job)
    doc = json.loads((folder / f"{DOC_ID}.json").read_text(encoding="utf-8"))
    assert any(f.startswith("review value refused: states:84:") and "XQ" in f for f in doc["flags"]), doc["flags"]
    assert doc["biblio"]["designated_states"] == ["AT", "BE"]  # the read list stays until a value fits
    assert [p["name"] for p in doc["biblio"]["inventors"]] == ["SMITH, John", "DOE, Jane"]

    # the corrected list: applied, the document done
    _decide(job, tmp_path / "q2.csv", {"states:84": "AT, BE, DE FR"})
    r = _run("apply", str(job), "--schemas", str(schema_dir))
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{DOC_ID}: done" in r.stdout, r.stdout
    assert _state_of(job, DOC_ID) == "done" and not _open_items(job)

    doc = json.loads((folder / f"{DOC_ID}.json").read_text(encoding="utf-8"))
    b = doc["biblio"]
    assert [(p["name"], p["address"], p["country"]) for p in b["inventors"]] == [
        ("SMITH, John", "Berlin", "DE"), ("DOE, Jane", "Paris", "FR")]
    assert b["designated_states"] == ["AT", "BE", "DE", "FR"]
    assert not [f for f in doc["flags"]
                if f.startswith(("parties:72", "states:84", "review value refused"))], doc["flags"]

    roots = _validate_both(folder, DOC_ID, schema_dir)
    st36 = roots["st36"]
    assert [(e.findtext("addressbook/name"), e.findtext("addressbook/address/address-1"),
             e.findtext("addressbook/address/country")) for e in st36.iterfind(".//inventors/inventor")] == [
        ("SMITH, John", "Berlin", "DE"), ("DOE, Jane", "Paris", "FR")]
    assert [e.text for e in st36.iterfind(".//designation-of-states/designation-pct/regional/country")] \
        == ["AT", "BE", "DE", "FR"]
    st96 = roots["st96"]
    assert [(e.findtext(".//com:EntityName", namespaces=NS), e.findtext(".//com:AddressLineText", namespaces=NS),
             e.findtext(".//com:CountryCode", namespaces=NS))
            for e in st96.iterfind(".//pat:InventorBag/pat:Inventor", NS)] == [
        ("SMITH, John", "Berlin", "DE"), ("DOE, Jane", "Paris", "FR")]
    assert [e.text for e in st96.iterfind(".//pat:StateDesignation//com:DesignatedCountryCode", NS)] \
        == ["AT", "BE", "DE", "FR"]


def test_list_values_read_by_the_structure_parsers_or_refused():
    """Each kind of list item in ``apply_fields`` (the step ``finish`` runs for decided
    fields): IPC, an INID code with a Field of its own, (86), one with no field, an accepted
    list; every malformed value refused with its reason, the list left as read."""
    from digitize.settings import profile as profiles
    from digitize.apply import decisions_of
    from digitize.pipeline.decide import apply_fields
    from test_frontpage import _doc, _needs_codes

    _needs_codes()
    doc = _doc([(300, "(22) Date of filing: 08.08.2017"), (300, "(84) Designated Contracting States:"),
                (300, "AT BE QQXX")])
    assert doc.biblio.designated_states == ["AT", "BE"] and "states:84: not ST.3 codes: QQXX" in doc.flags
    items = [{"item_key": "field:states:84", "action": "accept", "value": "AT BE QQXX"},
             {"item_key": "field:ipc:51", "action": "correct", "value": "A61K 31/4439 (2006.01); C07D 401/04"},
             {"item_key": "field:inid:24", "action": "correct", "value": "2017-08-09"},
             {"item_key": "field:inid:86", "action": "correct", "value": "PCT/JP2015/079100 (14.10.2015)"},
             {"item_key": "field:inid:99", "action": "correct", "value": "something printed"}]
    decisions = decisions_of(items)
    assert decisions.fields["states:84"] == "" and not decisions.words  # accepted: the read list stays
    refused = apply_fields(doc, profiles.load("ep"), decisions.fields)
    b = doc.biblio
    assert refused == {}
    assert b.designated_states == ["AT", "BE"] and not [f for f in doc.flags if f.startswith("states:84")]
    assert [c.text for c in b.ipc] == ["A61K 31/4439 (2006.01)", "C07D 401/04"]
    assert b.rights_effective_date.value == "2017-08-09"
    assert (b.pct_application.number, b.pct_application.date) == ("PCT/JP2015/079100", "2015-10-14")
    assert any(f.startswith("(99) decided by a reviewer: something printed") for f in doc.flags)

    bad = {"ipc:51": "A61K 31/4439 (2006.01); not a symbol", "parties:71": "ACME GmbH, Berlin (QQ)",
           "states:84": "AT Germany", "inid:24": "31.02.2017", "inid:87": "no number here"}
    refused = apply_fields(doc, profiles.load("ep"), bad)
    assert set(refused) == set(bad), refused
    assert "not one IPC symbol" in refused["ipc:51"] and "(QQ) is not an ST.3 code" in refused["parties:71"]
    assert "Germany" in refused["states:84"] and "not a valid date" in refused["inid:24"]
    assert [c.text for c in b.ipc] == ["A61K 31/4439 (2006.01)", "C07D 401/04"] and b.applicants == []
    assert b.designated_states == ["AT", "BE"] and b.rights_effective_date.value == "2017-08-09"
    assert sum(f.startswith("review value refused") for f in doc.flags) == len(bad)


def test_review_page_and_import_check_list_values_when_decided():
    """The rules the review page and the CSV import use (``profile_rules``) read a list value
    with the structure stage's parsers when it is entered; "accept" keeps the text as read."""
    import pytest

    from digitize.proofread.decisions import ValueRefused, checked_value
    from digitize.review.app import profile_rules
    from test_frontpage import _needs_codes

    _needs_codes()
    rules = profile_rules("ep")
    row = {"kind": "field", "field_name": "ipc:51", "mandatory": 0, "text": "A6IK 3l/44 (2OO6.Ol) B0"}
    assert checked_value(row, "accept", None, rules) == row["text"]
    with pytest.raises(ValueRefused, match="not one IPC symbol"):
        checked_value(row, "correct", "A61K 31/44; B01", rules)
    assert checked_value(row, "correct", "A61K 31/44 (2006.01)", rules) == "A61K 31/44 (2006.01)"
    row = {**row, "field_name": "parties:71"}
    with pytest.raises(ValueRefused, match=r"\(QQ\) is not an ST.3 code"):
        checked_value(row, "correct", "ACME GmbH, Berlin (QQ)", rules)
    assert checked_value(row, "correct", "ACME GmbH, Berlin (DE)", rules) == "ACME GmbH, Berlin (DE)"


def test_a_reviewers_party_with_its_address_after_a_comma():
    """``Name, Street 12, City (CC)`` as a reviewer types it: the address begins at the first
    piece with a digit, whatever the street is called (it was refused as digits inside a name)."""
    from digitize.structure import decided

    got = [(p.name, p.address, p.country) for p in
           decided.parties("HÉCTOR BRAUN, Hauptstraße 12, Stuttgart, Baden-Württemberg (DE)\n"
                           "Juan Pérez, Calle Falsa 123, Córdoba (AR)", "72")]
    assert got == [("HÉCTOR BRAUN", "Hauptstraße 12, Stuttgart, Baden-Württemberg", "DE"),
                   ("Juan Pérez", "Calle Falsa 123, Córdoba", "AR")]
    assert [p.name for p in decided.parties("PÉREZ, Juan, Calle 5 nº 12, Buenos Aires (AR)", "72")] == ["PÉREZ, Juan"]


def test_a_party_shown_to_a_reviewer_reads_back_as_the_same_party():
    """What an item shows of a party (the audit's list, the gazetteer's suggestion) is the form
    ``decided.parties`` reads: taking it as it stands gives the same party, address included (the
    gazetteer's own ``NAME;`` form was refused as digits inside a name)."""
    from digitize.model import Party
    from digitize.structure import decided

    shown = [Party("ACME FILTROS S.A.", "Calle Mayor 12, Madrid", "ES"), Party("WEBER, Anna", None, "DE"),
             Party("Juan Pérez", "Av. Libertador 1200, Buenos Aires", "AR")]
    value = "\n".join(decided.party_value(p) for p in shown)
    assert [(p.name, p.address, p.country) for p in decided.parties(value, "71")] == \
        [(p.name, p.address, p.country) for p in shown]
