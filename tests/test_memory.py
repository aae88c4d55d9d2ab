"""The office memory (issue 29): decisions kept across jobs and machines; confirmed corrections
applied as ``auto-memory``; an admin's reversal reaching every output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from digitize.store.memory import AUTO, MemoryRules, OfficeMemory, form_of

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
DIGITIZE = [sys.executable, "-m", "digitize"]


def decisions(before: str, after: str, action: str, docs: int, reviewer: str = "ana", start: int = 0) -> list[dict]:
    return [{"item_key": f"p0001_w{k:05d}", "text": before, "value": after, "action": action, "decided_by": reviewer,
             "decided_at": 1_700_000_000.0 + k, "doc_id": f"MX{k}"} for k in range(start, start + docs)]


def test_confirmed_corrections_known_words_contradictions_and_csv_between_machines(tmp_path):
    one = OfficeMemory(tmp_path / "machine1" / "mx.sqlite")
    one.record("MX", decisions("cigiieñal,", "cigüeñal,", "correct", 3))  # three documents agree
    one.record("MX", decisions("tbe", "the", "correct", 2))  # only two
    one.record("MX", decisions("VILLALBA", "VILLALBA", "accept", 3))
    one.record("MX", decisions("rnotor", "motor", "correct", 3) + decisions("rnotor", "rotor", "correct", 1, start=9))
    one.record("MX", decisions("Inventor(es):", "Inventor(es):", "accept", 2))
    one.record("MX", [{"item_key": "field:parties:72", "text": "GARCIA, JUAN", "value": "GARCÍA, JUAN;\nCalle 5, MX",
                       "action": "correct", "decided_by": "ana", "decided_at": 1.0, "doc_id": "MX1"}])
    assert one.record("MX", decisions("tbe", "the", "correct", 2)) == 0  # the same decisions again: nothing new
    one.record("AR", decisions("tbe", "the", "correct", 5))  # another office's decisions are not MX's

    rules = one.rules("MX", confirmations=3, lexicon_after=3)
    assert rules.corrections == {"cigiieñal": "cigüeñal"}  # rnotor: contradicted; tbe: twice only
    assert rules.accepted == frozenset({"villalba"})
    assert rules.parties == ("GARCÍA, JUAN",)
    assert rules.correction("Cigiieñal") == "cigüeñal" and rules.knows("VILLALBA,")
    assert one.rules("MX", confirmations=2).corrections == {"cigiieñal": "cigüeñal", "tbe": "the"}
    assert MemoryRules.from_json(rules.to_json()) == rules

    # a second machine: export, import (twice: nothing new), the same rules
    csv_file = tmp_path / "mx.csv"
    assert one.export_csv(csv_file, "MX") == 3 + 2 + 3 + 4 + 2 + 1  # every MX row, once (not AR's)
    two = OfficeMemory(tmp_path / "machine2" / "mx.sqlite")
    added, problems = two.import_csv(csv_file)
    assert problems == [] and added == one.count("MX")
    assert two.import_csv(csv_file) == (0, [])
    assert two.rules("MX", confirmations=3, lexicon_after=3) == rules
    # who and when survive the trip
    assert {(r["reviewer"], r["decided_at"]) for r in two.rows("MX")} == {(r["reviewer"], r["decided_at"])
                                                                           for r in one.rows("MX")}
    # an admin's reversal contradicts the correction for good
    two.reverse("MX", "cigiieñal", "cigüeñal", "adam")
    assert two.rules("MX", confirmations=3).corrections == {}
    one.close()
    two.close()


def test_a_broken_import_file_is_refused_by_line(tmp_path):
    store = OfficeMemory(tmp_path / "m.sqlite")
    bad = tmp_path / "bad.csv"
    bad.write_text("office,kind,before,after,action,reviewer,decided_at\nMX,word,tbe,the,correct,ana,yesterday\n"
                   "MX,word,tbe,the,correct,,1\nMX,word,tbe,the,correct,ana,2\n", encoding="utf-8")
    added, problems = store.import_csv(bad)
    assert added == 1 and [p.split(":")[0] for p in problems] == ["line 2", "line 3"]
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    r = subprocess.run([*DIGITIZE, "memory", "import", str(tmp_path / "m.sqlite"), str(tmp_path / "other.csv")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "other.csv" in r.stderr


LINES = [
    "(11) XX 0000001 A1",
    "(43) Date of publication: 15.03.2024",
    "(21) Application number: 24150123.4",
    "(54) Title: Filter fabric",
    "(71) Applicant: ACME FILTERS GmbH (DE)",
    "(57) Abstract",
    "The present invention relates to a woven fabric for filters.",
    "A filter comprising the woven fabric and a frame is described.",
    "The frame holds the fabric under tension in every direction.",
]


def run_job(scan: Path, out: Path, memory: Path) -> None:
    r = subprocess.run([*DIGITIZE, "run", str(scan), "--profile", "generic", "--out", str(out), "--workers", "1",
                        "--memory", str(memory), "--progress", "none", "--no-authority", "--no-report"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr


def outputs(out: Path) -> dict[str, str]:
    """Every text file of every document (text, JSON, ST.36, ST.96, page text, hOCR, ALTO)."""
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted((out / "documents").rglob("*"))
            if p.suffix in (".txt", ".json", ".xml", ".hocr")}


def test_memory_across_job_folders_and_machines_and_an_admins_reversal_reaching_every_output(tmp_path):
    from digitize.apply import apply_job
    from digitize.synth import render_text_page, write_tiff
    from test_review import Server, add_user, csrf_of, login

    scan = write_tiff([render_text_page(LINES, dpi=300, font_pt=12)], tmp_path / "scan.tif", 300)
    # machine 1: earlier jobs' reviewers corrected "woven" to "weaved" in three documents
    first = OfficeMemory(tmp_path / "m1" / "memory.sqlite")
    first.record("XX", decisions("woven", "weaved", "correct", 3))
    first.export_csv(tmp_path / "memory.csv")
    first.close()
    r = subprocess.run([*DIGITIZE, "memory", "import", str(tmp_path / "m2" / "memory.sqlite"), str(tmp_path / "memory.csv")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    store = tmp_path / "m2" / "memory.sqlite"  # machine 2: only what the CSV carried

    jobs = []
    for name in ("job1", "job2"):  # two job folders: the memory is the store's, not the folder's
        run_job(scan, tmp_path / name, store)
        jobs.append(tmp_path / name)
        files = outputs(tmp_path / name)
        doc = next(json.loads(t) for k, t in files.items() if k.count("/") == 2 and k.endswith(".json"))
        made = [c for c in doc["corrections"] if c["rule"] == AUTO]
        assert [(c["old"], c["new"]) for c in made] == [("woven", "weaved"), ("woven", "weaved")]
        for kind in (".txt", ".st36.xml", ".st96.xml"):
            text = next(t for k, t in files.items() if k.endswith(kind) and "/pages/" not in k)
            assert "weaved fabric" in text and "woven" not in text, kind

    job = jobs[1]
    add_user(job, "adam", "admin")
    with Server(job) as server, httpx.Client(base_url=server.url, follow_redirects=False, timeout=30) as c:
        assert login(c, "adam").status_code == 303
        page = c.get("/admin")
        assert page.status_code == 200 and "woven" in page.text and "weaved" in page.text
        r = c.post("/admin/auto-memory/reverse", data={"form": form_of("woven"), "csrf": csrf_of(page.text)})
        assert r.status_code == 303 and "reversed" in r.headers["location"]
        audit = c.get("/admin/audit.csv").text
        assert audit.count("reverse-auto-memory") == 2 and "adam" in audit
    results = apply_job(job)
    assert [r.error for r in results] == [None]
    after = outputs(job)
    for name, text in after.items():
        if name.endswith(".json") and "/pages/" not in name:
            text = json.dumps([c for c in json.loads(text).get("corrections", []) if c["rule"] != AUTO] and
                              {k: v for k, v in json.loads(text).items() if k != "corrections"}, ensure_ascii=False)
        assert "weaved" not in text, name
    assert "woven fabric" in next(t for k, t in after.items() if k.endswith(".st96.xml"))
    # the office memory heard it: a third job folder no longer gets the correction
    run_job(scan, tmp_path / "job3", store)
    assert not any("weaved" in t for t in outputs(tmp_path / "job3").values())


def test_a_word_reviewers_corrected_to_in_enough_documents_fixes_its_other_misreadings(tmp_path):
    """``Hauptstraße`` typed in two documents for two readings: a third reading one or two OCR
    edits from it is corrected (``auto-memory``), not a word of the language, not a party's
    name, not a reading an admin took the correction back from."""
    from digitize.proofread import auto_correct
    from digitize.settings import profile as profiles
    from digitize.store.memory import drop_correction, save_rules

    from test_proofread_rules import page_of

    store = OfficeMemory(tmp_path / "mx.sqlite")
    store.record("MX", decisions("Hauptstrafe", "Hauptstraße", "correct", 1) +
                 decisions("Hauptstra&e", "Hauptstraße", "correct", 1, start=1))
    rules = store.rules("MX", confirmations=2, lexicon_after=2)
    assert rules.targets == {"hauptstrasse": "Hauptstraße"} and not rules.corrections
    page = page_of([[("Calle", 95), ("HauptstraBe", 86), ("12,", 95), ("Hauptstraffe", 60), ("Hauptstrasse", 90)],
                    [("(72)", 95), ("Inventor:", 95), ("HAUPTSTRABE;", 90), ("Calle", 95), ("5,", 95), ("DE", 95)]])
    pages, corrections, candidates = auto_correct([page], profiles.load("mx"), memory=rules)
    assert [(c.old, c.new) for c in corrections if c.rule == AUTO] == [("HauptstraBe", "Hauptstraße"),
                                                                        ("Hauptstraffe", "Hauptstraße")]
    assert "HauptstraBe" not in {c.text for c in candidates}
    # an admin takes it back in this job: the job's rules refuse that reading from then on
    save_rules(tmp_path, rules)
    rules = drop_correction(tmp_path, form_of("HauptstraBe"))
    _, corrections, _ = auto_correct([page], profiles.load("mx"), memory=rules)
    assert [c.old for c in corrections if c.rule == AUTO] == ["Hauptstraffe"]
    # and the office memory never learns the target from a reversal's side again
    store.reverse("MX", "HauptstraBe", "Hauptstraße", "admin")
    assert "hauptstrabe" in store.rules("MX", confirmations=2).refused
    store.close()


def test_a_target_decided_on_a_title_in_capitals_takes_the_readings_case(tmp_path):
    from digitize.proofread import auto_correct
    from digitize.settings import profile as profiles

    from test_proofread_rules import page_of

    store = OfficeMemory(tmp_path / "mx.sqlite")
    store.record("MX", decisions("CIGUENAL", "CIGÜEÑAL", "correct", 2))
    rules = store.rules("MX", confirmations=2)
    store.close()
    _, corrections, _ = auto_correct([page_of([[("el", 96), ("cigieñal", 84), ("del", 96)]])], profiles.load("mx"),
                                     memory=rules)
    assert [(c.old, c.new) for c in corrections if c.rule == AUTO] == [("cigieñal", "cigüeñal")]


def test_what_batch_a_settled_is_not_asked_in_batch_b(tmp_path):
    """Two things batch A's reviewers decided that batch B asked again: a reading that differs
    from a word they corrected to only by its marks (``CIGUENAL``: cigüeñal) is
    that word; an accent rule's fix to a spelling they accepted in as many documents
    (``desague`` → ``desagüe``, fixed below the confirm cutoff) is not asked to be confirmed."""
    from digitize.proofread import auto_correct
    from digitize.settings import profile as profiles

    from test_proofread_recall import spanish_page

    store = OfficeMemory(tmp_path / "mx.sqlite")
    store.record("MX", decisions("cigúueñal", "cigüeñal", "correct", 1) +
                 decisions("CIGUEÑAL", "CIGÜEÑAL", "correct", 1, start=1) +
                 decisions("desagüe", "desagüe", "accept", 2, start=2))
    rules = store.rules("MX", confirmations=2, lexicon_after=2)
    store.close()
    assert set(rules.targets) == {"cigüeñal"} and rules.knows("desagüe")
    page = spanish_page([("CIGUENAL", 84), ("desague", 60), ("ciguena", 90)])
    profile = profiles.load("mx")
    pages, corrections, candidates = auto_correct([page], profile, memory=rules)
    assert [(c.old, c.new) for c in corrections if c.rule == AUTO] == [("CIGUENAL", "CIGÜEÑAL")]
    assert "desagüe" in {w.text for w in pages[0].words()}  # the accent rule's fix, kept
    assert {c.text for c in candidates} & {"desagüe", "CIGÜEÑAL"} == set()
    _, _, asked = auto_correct([page], profile)  # without the memory, the fix is asked to be confirmed
    assert "desagüe" in {c.text for c in asked}


def test_one_documents_decision_seconded_by_the_proofreader_settles_a_question(tmp_path):
    """A spelling reviewers corrected to in one document only is no rule by itself; when the
    proofreader's own first suggestion for a reading that is no word is that spelling (the
    German one of an address), the two agree: corrected as ``auto-memory``, not asked. A rule's
    unsure accent fix to a spelling reviewers accepted once is not asked either. A reading an
    admin took back, or one that is a word, is asked as before."""
    from digitize.proofread import auto_correct
    from digitize.settings import profile as profiles

    from test_proofread_recall import spanish_page
    from test_proofread_rules import page_of

    store = OfficeMemory(tmp_path / "mx.sqlite")
    store.record("MX", decisions("Hauptstra&e", "Hauptstraße", "correct", 1) +
                 decisions("desagüe", "desagüe", "accept", 1, start=1))
    rules = store.rules("MX", confirmations=2, lexicon_after=2)
    store.close()
    assert not rules.targets and rules.seen_targets == {"hauptstrasse": "Hauptstraße"}
    assert rules.seen_accepted == {"desagüe"} and MemoryRules.from_json(rules.to_json()) == rules
    profile = profiles.load("mx")
    line = [("ACME", 95), ("INC.;", 95), ("Hauptstrafe", 82), ("12,", 95), ("Kaufbeuren,", 95), ("DE", 95)]
    _, corrections, candidates = auto_correct([page_of([line])], profile, memory=rules)
    assert [(c.old, c.new) for c in corrections if c.rule == AUTO] == [("Hauptstrafe", "Hauptstraße")]
    assert not candidates
    _, _, asked = auto_correct([spanish_page([("desague", 60)])], profile, memory=rules)
    assert not asked
    from dataclasses import replace

    _, corrections, candidates = auto_correct([page_of([line])], profile, memory=replace(rules, refused=frozenset({"hauptstrafe"})))
    assert not [c for c in corrections if c.rule == AUTO] and [c.text for c in candidates] == ["Hauptstrafe"]
