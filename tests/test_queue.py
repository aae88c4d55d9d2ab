"""The correction queue on a real SQLite file: ordering, series, leases, concurrent reviewers."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import threading
import time

import pytest

from digitize.model import QueueCandidate
from digitize.store.queue import LeaseError, Queue
from digitize.proofread.decisions import QueueError
from digitize.proofread.series import adapt

from sheets import write_sheet


def word(wid: str, text: str, conf: float, sugg=(), context="") -> QueueCandidate:
    return QueueCandidate(kind="word", page=1, bbox=(10, 20, 60, 40), text=text, confidence=conf,
                          suggestions=list(sugg), context=context or f"a line with {text} in it", word_id=wid)


def field(name: str, text: str, conf: float, mandatory=True) -> QueueCandidate:
    return QueueCandidate(kind="field", page=1, bbox=None, text=text, confidence=conf, suggestions=[],
                          field_name=name, mandatory=mandatory)


@pytest.fixture
def queue(tmp_path):
    return Queue(tmp_path / "ledger.sqlite")


def test_tables_are_prefixed_and_wal(queue):
    con = sqlite3.connect(queue.db_path)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names and all(n.startswith("queue_") for n in names)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_enqueue_is_idempotent(queue):
    cands = [word("p0001_w00001", "tbe", 40, ["the"]), field("publication_date", "2O12-O1-04", 70)]
    assert queue.enqueue("EP1", cands) == 2
    assert queue.enqueue("EP1", cands) == 0
    assert queue.enqueue("EP2", cands[:1]) == 1  # same word id, other document: another item
    assert queue.progress()["total"] == 3
    with pytest.raises(QueueError):
        queue.enqueue("EP1", [QueueCandidate(kind="word", page=1, bbox=None, text="x", confidence=1)])


def test_order_mandatory_fields_then_other_fields_then_lowest_confidence(queue):
    queue.enqueue("EP1", [
        word("p0001_w00001", "wbich", 55, ["which"]),
        word("p0001_w00002", "tlie", 12, ["the"]),
        field("title", "Metbod", 30, mandatory=False),
        field("doc_number", "24OO812", 90),
        word("p0001_w00003", "c1aim", 33, ["claim"]),
    ])
    seen = []
    while (item := queue.next_item("ana")) is not None:
        seen.append(item.text)
        if item.field_name == "doc_number":  # accepting "24OO812" as read is refused (not a number)
            queue.decide(item.id, "ana", "correct", "2400812")
        else:
            queue.decide(item.id, "ana", "accept")
    assert seen == ["24OO812", "Metbod", "tlie", "c1aim", "wbich"]  # issue 29: fields before words


def test_series_groups_the_same_error_across_documents(queue):
    queue.enqueue("EP1", [word("p0001_w00001", "tbe", 20, ["the"]), word("p0001_w00002", "Tbe", 25, ["The"])])
    queue.enqueue("EP2", [word("p0003_w00010", "tbe,", 30, ["the,"]), word("p0003_w00011", "tbe", 35, ["toe"])])
    item = queue.next_item("ana")
    # "Tbe" is the same word of EP1 (one item, issue 29); "tbe"→"toe" is another series
    assert item.text == "tbe" and item.series_size == 2
    assert queue.decide(item.id, "ana", "suggestion", "the", series=True) == 2
    assert queue.decisions("EP1") == {"p0001_w00001": "the", "p0001_w00002": "The"}
    assert queue.decisions("EP2") == {"p0003_w00010": "the,"}
    rest = queue.next_item("ana")
    assert rest.suggestions == ["toe"] and rest.series_size == 1
    audit = queue.audit()
    assert [a["series"] for a in audit] == [False, True]
    assert {a["before"] for a in audit} == {"tbe", "tbe,"}
    assert all(a["reviewer"] == "ana" and a["action"] == "suggestion" for a in audit)


def test_one_item_for_one_word_of_a_document_whatever_the_readings(queue):
    """Issue 29: ``cigueñal``, ``cigiieñal``, ``cigúeñal,`` on three pages of one document are one
    question (grouped by the lexicon form, not the OCR spelling); the decision reaches each
    reading with its own punctuation; another document asks again; enqueueing again adds nothing."""
    readings = [word("p0001_w00004", "cigueñal", 60, ["cigüeñal"]), word("p0002_w00010", "cigiieñal", 40, ["cigüeñal"]),
                word("p0003_w00002", "cigúeñal,", 50, ["cigüeñal,"]), word("p0003_w00009", "motor", 50, ["rotor"])]
    assert queue.enqueue("MX1", readings) == 2
    assert queue.enqueue("MX1", readings) == 0
    assert queue.enqueue("MX2", readings[:1]) == 1
    assert queue.progress()["documents"]["MX1"] == (0, 2)
    item = queue.next_item("ana", doc_id="MX1")
    assert item.text == "cigiieñal"  # the lowest confidence stands for the word
    assert {m["text"] for m in queue.members(item.id)} == {"cigueñal", "cigúeñal,"}
    queue.decide(item.id, "ana", "correct", "cigüeñal")
    assert queue.decisions("MX1") == {"p0002_w00010": "cigüeñal", "p0001_w00004": "cigüeñal",
                                      "p0003_w00002": "cigüeñal,"}
    assert queue.open_count("MX1") == 1 and queue.open_count("MX2") == 1


def test_series_does_not_take_items_leased_by_someone_else(queue):
    queue.enqueue("EP1", [word("p0001_w00001", "tbe", 20, ["the"])])
    queue.enqueue("EP2", [word("p0001_w00002", "tbe", 25, ["the"])])
    mine = queue.next_item("ana")
    theirs = queue.next_item("ben")
    assert mine.id != theirs.id
    assert queue.decide(mine.id, "ana", "suggestion", "the", series=True) == 1
    assert queue.decide(theirs.id, "ben", "correct", "thee") == 1
    assert queue.decisions("EP1") == {"p0001_w00001": "the"} and queue.decisions("EP2") == {"p0001_w00002": "thee"}


def test_actions_and_lease_rules(queue):
    queue.enqueue("EP1", [word(f"p0001_w{i:05d}", f"w{i}", i, [f"x{i}"]) for i in range(1, 5)])
    a = queue.next_item("ana")
    assert queue.next_item("ana").id == a.id  # asking again returns the item already held
    with pytest.raises(LeaseError):
        queue.decide(a.id, "ben", "accept")
    with pytest.raises(QueueError):
        queue.decide(a.id, "ana", "correct", "  ")
    with pytest.raises(QueueError):
        queue.decide(a.id, "ana", "shrug")
    assert queue.decide(a.id, "ana", "illegible") == 1
    with pytest.raises(LeaseError):
        queue.decide(a.id, "ana", "accept")  # already decided
    b = queue.next_item("ana")
    queue.decide(b.id, "ana", "correct", "typed")
    assert queue.decisions("EP1") == {a.word_id: "w1", b.word_id: "typed"}
    assert [x["action"] for x in queue.audit("EP1")] == ["illegible", "correct"]
    assert queue.progress()["documents"] == {"EP1": (2, 4)}


def test_skip_puts_the_item_last_for_that_reviewer_only(queue):
    queue.enqueue("EP1", [word("p0001_w00001", "a1", 10), word("p0001_w00002", "a2", 20)])
    first = queue.next_item("ana")
    queue.skip(first.id, "ana")
    assert queue.next_item("ana").text == "a2"
    assert queue.next_item("ben").text == "a1"  # ben never skipped it
    with pytest.raises(LeaseError):
        queue.skip(first.id, "ana")


def test_expired_lease_frees_the_item(queue):
    queue.enqueue("EP1", [word("p0001_w00001", "x", 10)])
    item = queue.next_item("ana", lease_seconds=0.2)
    assert queue.next_item("ben") is None
    time.sleep(0.3)
    taken = queue.next_item("ben")
    assert taken.id == item.id and taken.lease_owner == "ben"
    with pytest.raises(LeaseError):
        queue.decide(item.id, "ana", "accept")  # ana lost it
    assert queue.decide(item.id, "ben", "accept") == 1


def test_doc_filter(queue):
    queue.enqueue("EP1", [word("p0001_w00001", "x", 10)])
    queue.enqueue("EP2", [word("p0001_w00001", "y", 50)])
    assert queue.next_item("ana", doc_id="EP2").doc_id == "EP2"
    assert queue.next_item("ana", doc_id="EP3") is None


def test_adapt_keeps_case_and_punctuation():
    assert adapt("the", "tbe", "Tbe,") == "The,"
    assert adapt("the", "tbe", "TBE") == "THE"
    assert adapt("(the)", "(tbe)", "tbe.") == "the."  # the item keeps its own punctuation
    assert adapt("the", "tbe,", "tbe.") == "the"  # the reviewer removed it: so does the series


def _reviewer(db, name, n_items, results, errors):
    q = Queue(db)
    got = []
    try:
        while (item := q.next_item(name, lease_seconds=60)) is not None:
            got.append(item.id)
            q.decide(item.id, name, "correct", f"{name}:{item.text}")
            time.sleep(0.002)  # a (very fast) reviewer's think time lets the other one in
    except Exception as exc:  # pragma: no cover - reported by the test
        errors.append(repr(exc))
    results[name] = got


def test_two_threads_never_get_the_same_item(tmp_path):
    db = tmp_path / "ledger.sqlite"
    n = 300
    Queue(db).enqueue("EP1", [word(f"p0001_w{i:05d}", f"t{i}", i % 97) for i in range(n)])
    results, errors = {}, []
    threads = [threading.Thread(target=_reviewer, args=(db, name, n, results, errors)) for name in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    a, b = set(results["ana"]), set(results["ben"])
    assert not a & b and len(a) + len(b) == n and a and b
    _check_all_decided_once(db, n)


def _process_reviewer(db, name, queue_out, go):
    results, errors = {}, []
    Queue(db)  # connect before the start signal so both start hammering together
    go.wait(30)
    _reviewer(db, name, 0, results, errors)
    queue_out.put((name, results[name], errors))


def test_two_processes_never_get_the_same_item(tmp_path):
    db = tmp_path / "ledger.sqlite"
    n = 200
    Queue(db).enqueue("EP1", [word(f"p0001_w{i:05d}", f"t{i}", i % 89) for i in range(n)])
    ctx = mp.get_context("spawn")
    out, go = ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_process_reviewer, args=(str(db), name, out, go)) for name in ("ana", "ben")]
    for p in procs:
        p.start()
    time.sleep(1.0)  # let both interpreters start
    go.set()
    got = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)
    assert all(not errors for _, _, errors in got)
    ids = [set(ids) for _, ids, _ in got]
    assert not ids[0] & ids[1] and len(ids[0]) + len(ids[1]) == n and ids[0] and ids[1]
    _check_all_decided_once(db, n)


def _check_all_decided_once(db, n):
    q = Queue(db)
    audit = q.audit()
    assert len(audit) == n and len({a["item_id"] for a in audit}) == n  # no decision lost or doubled
    assert all(a["after"] == f"{a['reviewer']}:{a['before']}" for a in audit)
    assert q.progress()["decided"] == n and q.next_item("carl") is None


# --------------------------------------------------------------------------- issue 13

def test_mandatory_field_refuses_empty_and_wrong_format_with_the_reason(queue):
    """Defect 4: an empty value for a mandatory field is refused, so is one that does not fit the
    profile's format; the reason names the expected format."""
    from digitize.proofread.decisions import ValueRefused

    queue.enqueue("EP1", [field("publication_date", "", 0), field("doc_number", "", 0), field("office", "", 0)])
    item = queue.next_item("ana")
    assert item.field_name in ("publication_date", "doc_number", "office")
    for action, value in (("accept", None), ("correct", ""), ("correct", "   ")):
        with pytest.raises(ValueRefused, match="mandatory"):
            queue.decide(item.id, "ana", action, value)
    rules = queue.rules_for("EP1")
    assert "2024-03-15" in rules.expected("publication_date") and "[0-9]" in rules.expected("doc_number")
    bad = {"publication_date": "31.02.2024", "doc_number": "24OO812", "office": "E1"}
    good = {"publication_date": ("15/03/2024", "2024-03-15"), "doc_number": ("2 400 812", "2400812"),
            "office": ("ep", "EP")}
    while item is not None:
        with pytest.raises(ValueRefused, match="expected") as exc:
            queue.decide(item.id, "ana", "correct", bad[item.field_name])
        assert bad[item.field_name] in str(exc.value)
        queue.decide(item.id, "ana", "correct", good[item.field_name][0])
        assert queue.get(item.id).value == good[item.field_name][1]  # stored normalised
        item = queue.next_item("ana")


def test_control_characters_and_megabyte_values_are_refused(queue):
    """Defect 7: a NUL or form feed would break the .txt page separator; a huge value is capped."""
    from digitize.proofread.decisions import ValueRefused

    queue.enqueue("EP1", [word("p0001_w00001", "tbe", 20, ["the"])])
    item = queue.next_item("ana")
    for value in ("t\x00he", "the\x0c", "th\te", "the\u2028"):
        with pytest.raises(ValueRefused, match="control character"):
            queue.decide(item.id, "ana", "correct", value)
    with pytest.raises(ValueRefused, match="at most 300"):
        queue.decide(item.id, "ana", "correct", "x" * 1_000_000)
    assert queue.get(item.id).state == "open" and queue.audit() == []
    queue.decide(item.id, "ana", "correct", "the")
    assert queue.get(item.id).value == "the"


def test_undo_reopens_the_last_decision_with_its_series_and_leases_it_back(queue):
    queue.enqueue("EP1", [word("p0001_w00001", "tbe", 20, ["the"]), word("p0001_w00003", "wbich", 30, ["which"])])
    queue.enqueue("EP2", [word("p0001_w00002", "Tbe", 25, ["The"])])
    item = queue.next_item("ana")
    assert queue.decide(item.id, "ana", "suggestion", "the", series=True) == 2
    assert queue.undo("ana") == item.id
    again = queue.get(item.id)
    assert again.state == "open" and again.lease_owner == "ana"
    assert all(i.state == "open" for i in queue.items(None, None))
    assert [a["action"] for a in queue.audit()][-2:] == ["undo", "undo"]
    assert queue.next_item("ana").id == item.id  # the undone item comes back first
    assert queue.undo("ben") is None


def test_not_text_line_reopen_holders_and_series_preview(queue):
    queue.enqueue("EP1", [word("p0001_w00001", "~", 20), word("p0001_w00002", "tbe", 30, ["the"]),
                          word("p0002_w00002", "tbe", 35, ["the"])])
    item = queue.next_item("ana")
    assert item.text == "~"
    assert [m["id"] for m in queue.series_members(queue.next_item("ben").id)] != []
    queue.decide(item.id, "ana", "not-text")
    assert queue.get(item.id).value == "" and queue.get(item.id).action == "not-text"
    holders = queue.holders()
    assert [h["lease_owner"] for h in holders] == ["ben"]
    ben = holders[0]["id"]
    queue.decide(ben, "ben", "line", "a line with the word in it")
    assert queue.get(ben).action == "line"
    assert queue.reopen(ben, "admin") and queue.get(ben).state == "open"
    assert queue.audit()[-1]["action"] == "reopen" and queue.audit()[-1]["reviewer"] == "admin"
    assert queue.release_item(queue.next_item("cy").id, "cy") and queue.holders() == []


def test_csv_export_neutralises_formulas_and_import_restores_them(tmp_path, queue):
    """A cell starting with = + - @ is never a formula in a spreadsheet; the import undoes the
    apostrophe; refused and skipped rows are reported with reasons; a row is never half-applied."""
    import csv

    from digitize.proofread.sheet import export_csv, import_csv

    queue.enqueue("EP1", [word("p0001_w00001", "=cmd|' /C calc'!A0", 20, ["@SUM(1)"]),
                          word("p0001_w00002", "-based", 30), word("p0001_w00003", "tbe", 40, ["the"]),
                          field("kind", "", 0)])
    out = tmp_path / "q.csv"
    assert export_csv(queue, out) == 4
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    cells = [v for r in rows for v in r.values()]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in cells), cells
    by_text = {r["ocr_text"]: r for r in rows}
    by_text["'=cmd|' /C calc'!A0"].update(decision="correct", value="'=x")
    by_text["'-based"].update(decision="accept")
    by_text["tbe"].update(decision="correct", value="th\x00e")
    by_text[""].update(decision="correct", value="A12")
    write_sheet(out, rows)
    report = import_csv(queue, out, "ana")
    assert len(report.applied) == 2 and len(report.refused) == 2, report
    reasons = " ".join(r for _, r in report.refused)
    assert "control character" in reasons and "expected" in reasons
    values = {i.text: i.value for i in queue.items("EP1", None)}
    assert values["=cmd|' /C calc'!A0"] == "=x" and values["-based"] == "-based"
    assert values["tbe"] is None and values[""] is None  # refused rows changed nothing
    assert len(queue.audit()) == 2
    again = import_csv(queue, out, "ana")
    assert not again.applied and len(again.skipped) == 2


def test_suggestions_fit_the_token(queue):
    """No "indoor" for and/or, no "OZ" for the state code CZ; ordinary suggestions stay."""
    queue.enqueue("EP1", [word("p0001_w00001", "and/or", 20, ["indoor", "and/or"]),
                          word("p0001_w00002", "CZ,", 21, ["OZ", "CO"]),
                          word("p0001_w00003", "tbe", 22, ["the", "tube"])])
    got = {i.text: i.suggestions for i in queue.items("EP1")}
    assert got == {"and/or": ["and/or"], "CZ,": [], "tbe": ["the", "tube"]}


def test_reviewer_time_per_item_and_document_from_screen_to_decision(queue):
    """Issue 29: the time an item was on the reviewer's screen is audited with the decision (at
    most MAX_ITEM_SECONDS), summed per reviewer and per document; asking for the held item again
    does not restart its clock; series members and imported decisions carry no time."""
    from digitize.store.queue import MAX_ITEM_SECONDS

    queue.enqueue("EP1", [word("p0001_w00001", "tbe", 20, ["the"])])
    queue.enqueue("EP2", [word("p0001_w00002", "tbe", 30, ["the"]), word("p0001_w00003", "wbich", 40, ["which"])])
    item = queue.next_item("ana")
    con = sqlite3.connect(queue.db_path)
    con.execute("UPDATE queue_items SET taken_at = taken_at - 7 WHERE id = ?", (item.id,))  # 7 s on screen
    con.commit()
    assert queue.next_item("ana").id == item.id  # the same item: its clock goes on
    queue.decide(item.id, "ana", "suggestion", "the", series=True)
    rest = queue.next_item("ben")
    con.execute("UPDATE queue_items SET taken_at = taken_at - 3600 WHERE id = ?", (rest.id,))  # left for lunch
    con.commit()
    queue.decide(rest.id, "ben", "accept")
    timed = [(a["reviewer"], a["series"], a["seconds"]) for a in queue.audit()]
    assert timed[1] == ("ana", True, None) and timed[2] == ("ben", False, MAX_ITEM_SECONDS)
    assert 7 <= timed[0][2] < 60
    spent = queue.time_spent()
    assert spent["reviewers"]["ben"] == {"items": 1, "seconds": MAX_ITEM_SECONDS, "per_item": MAX_ITEM_SECONDS}
    assert spent["documents"]["EP1"]["items"] == 1 and spent["documents"]["EP2"]["seconds"] == MAX_ITEM_SECONDS


def test_a_party_list_keeps_its_line_breaks_and_only_them(queue):
    """A party list shows one party a line: accepting it as read or correcting it with a line
    break is no control character (queue import refused "accept" on such a list); a word still
    refuses one, and so does a list value with a NUL."""
    from digitize.model import QueueCandidate
    from digitize.proofread.decisions import ValueRefused

    text = "GARCÍA LÓPEZ, Juan\nPÉREZ, Ana"
    queue.enqueue("MX1", [QueueCandidate(kind="field", page=1, bbox=None, text=text, confidence=60.0,
                                         suggestions=[], field_name="parties:72")])
    item = queue.next_item("ana")
    queue.decide(item.id, "ana", "accept")
    assert queue.get(item.id).value == text
    queue.enqueue("MX2", [QueueCandidate(kind="field", page=1, bbox=None, text=text, confidence=60.0,
                                         suggestions=[], field_name="parties:72")])
    item = queue.next_item("ana")
    with pytest.raises(ValueRefused, match="control character"):
        queue.decide(item.id, "ana", "correct", "GARCÍA\x00 LÓPEZ, Juan\nPÉREZ, Ana")
    queue.decide(item.id, "ana", "correct", "GARCÍA LÓPEZ, Juan\r\nPÉREZ, Ana María")
    assert queue.get(item.id).value == "GARCÍA LÓPEZ, Juan\nPÉREZ, Ana María"
