"""The office memory: reviewers' decisions kept across jobs, in one SQLite file per office.

Every decision a reviewer made and ``digitize apply`` put into a document (accept, correct, not
text, a field's value) is kept with who made it and when, the job folder and the document. What
the next jobs of the office learn from it is a plain, frozen ``MemoryRules``:

* ``corrections``: a word read as X that reviewers corrected to the same Y in ``confirmations``
  documents (profile ``[queue] memory_confirmations``) and never decided otherwise (never
  accepted as read, never corrected to something else, never reversed by an admin): the
  proofreader applies it as ``auto-memory`` (a ``Correction``, listed in the report, reversible);
* ``accepted``: words accepted as read in ``memory_lexicon_after`` documents and never corrected:
  the office's own lexicon (no longer asked about);
* ``parties``: names of applicants, inventors and agents reviewers confirmed or typed: the
  gazetteer a front page's names are matched against (one OCR edit away: suggested, never
  replaced);
* ``seen_targets`` and ``seen_accepted``: spellings reviewers corrected to, and words they
  accepted, in fewer documents than that and never decided otherwise: no rule by themselves, a
  second opinion the proofreader may agree with (its own first suggestion for a reading that is
  no word is such a spelling: corrected as ``auto-memory``; its unsure fix wrote such a word: not
  asked).

The store is a file (portable: copy it, or ``export_csv`` / ``import_csv`` between machines); its
SQL lives here only, through ``digitize.db.connect``. A job records the rules it used in its
folder (``memory.json``), so ``digitize apply`` re-runs a document with the same rules.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .sqlite import connect
from ..errors import UsageError
from ..fsutil import atomic_write
from ..model import field_key, field_of

SNAPSHOT = "memory.json"  # in the job folder: the rules the run used, and the store's path
AUTO = "auto-memory"  # the rule (and reviewer) name of what the memory decided

_SCHEMA = """
CREATE TABLE IF NOT EXISTS memory_decisions (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL,
    kind TEXT NOT NULL,               -- word | field
    name TEXT NOT NULL DEFAULT '',    -- a field's name (parties:71, title …), '' for words
    form TEXT NOT NULL,               -- the word as read, normalised (NFKC, case-folded, no edge punctuation)
    before TEXT NOT NULL,             -- as read
    after TEXT NOT NULL,              -- as decided
    action TEXT NOT NULL,             -- accept | correct | suggestion | not-text | illegible | line | reverse
    reviewer TEXT NOT NULL,
    decided_at REAL NOT NULL,
    job TEXT NOT NULL DEFAULT '',
    doc_id TEXT NOT NULL DEFAULT '',
    item_key TEXT NOT NULL DEFAULT '',
    recorded_at REAL NOT NULL,
    UNIQUE (office, job, doc_id, item_key, action, after, reviewer, decided_at)
);
CREATE INDEX IF NOT EXISTS memory_decisions_form ON memory_decisions (office, kind, form);
"""

CSV_COLUMNS = ("office", "kind", "name", "before", "after", "action", "reviewer", "decided_at", "job", "doc_id",
               "item_key")
CORRECTING = ("correct", "suggestion")


class MemoryError_(UsageError, ValueError):
    """A memory store or file that cannot be used; the message names it and says why (one line,
    exit 2, as every usage error)."""


def _strip_edges(text: str) -> str:
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[start:end]


def form_of(text: str) -> str:
    """What decisions are matched on: NFKC, case-folded, without the punctuation around it."""
    return _strip_edges(unicodedata.normalize("NFKC", text or "")).casefold()


@dataclass(frozen=True)
class MemoryRules:
    """What an office's memory decides for a job (plain data: travels to workers, into JSON)."""

    office: str = ""
    store: str = ""  # the store's path, where apply records the job's decisions
    confirmations: int = 3
    lexicon_after: int = 3
    corrections: dict[str, str] = field(default_factory=dict)  # form as read → form as corrected
    accepted: frozenset[str] = frozenset()
    parties: tuple[str, ...] = ()
    # words reviewers corrected to in ``confirmations`` documents, whatever the reading (form →
    # the spelling decided, ``hauptstrasse`` → ``Hauptstraße``): another misreading of the same
    # word, close to one of them and to no other, is corrected to it (``proofread``)
    targets: dict[str, str] = field(default_factory=dict)
    refused: frozenset[str] = frozenset()  # readings an admin took an automatic correction back from
    # decided in fewer documents than that, never otherwise: a spelling reviewers corrected to
    # (form → spelling) and words accepted as read. Alone no rule; with the proofreader's own
    # suggestion agreeing (``proofread``), a second, independent confirmation
    seen_targets: dict[str, str] = field(default_factory=dict)
    seen_accepted: frozenset[str] = frozenset()

    def to_json(self) -> str:
        d = asdict(self)
        d["accepted"] = sorted(self.accepted)
        d["refused"] = sorted(self.refused)
        d["seen_accepted"] = sorted(self.seen_accepted)
        return json.dumps(d, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "MemoryRules":
        d = json.loads(text)
        d["accepted"] = frozenset(d.get("accepted", ()))
        d["parties"] = tuple(d.get("parties", ()))
        d["corrections"] = dict(d.get("corrections", {}))
        d["targets"] = dict(d.get("targets", {}))
        d["refused"] = frozenset(d.get("refused", ()))
        d["seen_targets"] = dict(d.get("seen_targets", {}))
        d["seen_accepted"] = frozenset(d.get("seen_accepted", ()))
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})

    def correction(self, text: str) -> str | None:
        """The confirmed correction of a word as read, or None."""
        return self.corrections.get(form_of(text))

    def knows(self, text: str) -> bool:
        return form_of(text) in self.accepted


def load_rules(job_dir: Path | str) -> MemoryRules | None:
    """The rules a job ran with (``memory.json`` in its folder), or None."""
    path = Path(job_dir) / SNAPSHOT
    if not path.is_file():
        return None
    try:
        return MemoryRules.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, TypeError, OSError) as exc:
        raise MemoryError_(f"{path}: not a memory snapshot ({exc}); delete it to run without the office memory") \
            from None


def save_rules(job_dir: Path | str, rules: MemoryRules) -> Path:
    path = Path(job_dir) / SNAPSHOT
    atomic_write(path, rules.to_json())
    return path


def automatic_changes(documents: Iterable[tuple[str, Path]]) -> list[dict]:
    """What the office memory changed in these documents (``(doc_id, <DOCID>.json)``): one row
    per word, ``doc_id``, ``word_id``, ``page``, ``old``, ``new``, ``form`` (the form read). A file
    that cannot be read is passed over."""
    out = []
    for doc_id, path in documents:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for c in data.get("corrections") or ():
            if isinstance(c, dict) and c.get("rule") == AUTO:
                out.append({"doc_id": doc_id, "word_id": c.get("word_id"), "page": c.get("page"),
                            "old": c.get("old") or "", "new": c.get("new") or "", "form": form_of(c.get("old") or "")})
    return out


def drop_correction(job_dir: Path | str, form: str) -> MemoryRules | None:
    """The job's rules without the correction of ``form`` (an admin reversed it): ``apply``
    no longer makes it anywhere in the job. Returns the rules as they are now."""
    rules = load_rules(job_dir)
    if rules is None or form in rules.refused:
        return rules
    rest = {k: v for k, v in rules.corrections.items() if k != form}
    from dataclasses import replace

    rules = replace(rules, corrections=rest, refused=rules.refused | {form})  # nor to a target
    save_rules(job_dir, rules)
    return rules


class OfficeMemory:
    """One office memory file (several offices may share one: every row names its office)."""

    def __init__(self, path: Path | str, *, readonly: bool = False):
        self.path = Path(path)
        if readonly and not self.path.is_file():
            raise MemoryError_(f"{self.path}: no office memory there")
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = connect(self.path, readonly=readonly)
        if not readonly:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.con.execute(statement)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "OfficeMemory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing

    def record(self, office: str, decisions: Iterable[dict], *, job: str = "") -> int:
        """Keep decided queue items (``kind``, ``item_key``, ``text``, ``value``, ``action``,
        ``decided_by``, ``decided_at``, ``doc_id``); returns how many were new (recording the
        same decision twice is harmless)."""
        now = time.time()
        added = 0
        self.con.execute("BEGIN IMMEDIATE")
        try:
            for d in decisions:
                key = d.get("item_key") or ""
                kind = "field" if field_of(key) is not None else "word"
                added += self.con.execute(
                    "INSERT OR IGNORE INTO memory_decisions (office, kind, name, form, before, after, action, reviewer,"
                    " decided_at, job, doc_id, item_key, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (office, kind, key[6:] if kind == "field" else "", form_of(d.get("text") or ""),
                     d.get("text") or "", d.get("value") if d.get("value") is not None else "", d.get("action") or "",
                     d.get("decided_by") or "", float(d.get("decided_at") or now), job, d.get("doc_id") or "", key,
                     now),
                ).rowcount
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return added

    def reverse(self, office: str, before: str, after: str, by: str, *, job: str = "", doc_id: str = "",
                item_key: str = "") -> None:
        """An admin took back an automatic correction ``before`` → ``after``: it contradicts the
        memory, which never applies it again."""
        self.record(office, [{"item_key": item_key, "text": before, "value": after, "action": "reverse",
                              "decided_by": by, "decided_at": time.time(), "doc_id": doc_id}], job=job)

    # -- what a job learns

    def rules(self, office: str, *, confirmations: int = 3, lexicon_after: int = 3, store: str = "") -> MemoryRules:
        by_form: dict[str, list[sqlite3.Row]] = {}
        for r in self.con.execute("SELECT form, before, after, action, doc_id, job FROM memory_decisions"
                                  " WHERE office = ? AND kind = 'word' AND form != ''", (office,)):
            by_form.setdefault(r["form"], []).append(r)
        corrections, accepted, refused, seen_accepted = {}, set(), set(), set()
        target_docs: dict[str, set] = {}
        spelling: dict[str, str] = {}
        for form, rows in by_form.items():
            for r in rows:
                target = form_of(r["after"]) if r["action"] in CORRECTING else ""
                if target and target != form and " " not in target:
                    target_docs.setdefault(target, set()).add((r["job"], r["doc_id"]))
                    spelling[target] = _strip_edges(unicodedata.normalize("NFC", r["after"]))
                if r["action"] == "reverse":
                    refused.add(form)
            if any(r["action"] == "reverse" for r in rows):
                continue  # an admin said no: never again
            outcomes = {form_of(r["after"]) if r["action"] in CORRECTING else
                        form if r["action"] in ("accept", "illegible") else
                        "\x00other" for r in rows}
            documents = {(r["job"], r["doc_id"]) for r in rows}
            if len(outcomes) != 1:
                continue  # reviewers decided it differently: keep asking
            outcome = outcomes.pop()
            if outcome == form and len(documents) >= lexicon_after:
                accepted.add(form)
            elif outcome == form:
                seen_accepted.add(form)
            elif outcome not in (form, "\x00other", "") and len(documents) >= confirmations:
                corrections[form] = outcome
        parties = []
        for (value,) in self.con.execute(
                "SELECT DISTINCT after FROM memory_decisions WHERE office = ? AND kind = 'field'"
                " AND name LIKE 'parties:%' AND action IN ('accept', 'correct', 'suggestion') ORDER BY after",
                (office,)):
            for name in party_names(value or ""):
                if name not in parties:
                    parties.append(name)
        # a target is the word itself: never one reviewers corrected away from, nor one an admin's
        # reversal led to
        contradicted = {t for t in target_docs
                        if any(r["action"] in CORRECTING and form_of(r["after"]) != t for r in by_form.get(t, ()))}
        contradicted |= {form_of(r["after"]) for rows in by_form.values() for r in rows if r["action"] == "reverse"}
        targets = {t: spelling[t] for t, docs in sorted(target_docs.items())
                   if len(docs) >= confirmations and t not in contradicted and len(t) >= 6}
        seen_targets = {t: spelling[t] for t in sorted(target_docs)
                        if t not in targets and t not in contradicted and len(t) >= 6}
        return MemoryRules(office=office, store=store, confirmations=confirmations, lexicon_after=lexicon_after,
                           corrections=corrections, accepted=frozenset(accepted), parties=tuple(parties),
                           targets=targets, refused=frozenset(refused), seen_targets=seen_targets,
                           seen_accepted=frozenset(seen_accepted))

    def count(self, office: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM memory_decisions" + (" WHERE office = ?" if office else "")
        return self.con.execute(sql, (office,) if office else ()).fetchone()[0]

    # -- between machines

    def rows(self, office: str | None = None) -> Iterator[dict]:
        sql = "SELECT * FROM memory_decisions" + (" WHERE office = ?" if office else "") + " ORDER BY id"
        for r in self.con.execute(sql, (office,) if office else ()):
            yield {c: r[c] for c in CSV_COLUMNS}

    def export_csv(self, out: Path | str, office: str | None = None) -> int:
        """Every decision (of ``office``) as UTF-8 CSV; returns the rows written. Cells that a
        spreadsheet would take for a formula get a leading apostrophe."""
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        n = 0
        for row in self.rows(office):
            w.writerow({k: _cell(v) for k, v in row.items()})
            n += 1
        atomic_write(Path(out), buf.getvalue())
        return n

    def import_csv(self, path: Path | str) -> tuple[int, list[str]]:
        """Rows of an exported file; returns (new rows, problems with their line). Importing the
        same file twice adds nothing."""
        problems: list[str] = []
        good: dict[str, list[dict]] = {}
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in ("office", "kind", "before", "after", "action", "reviewer", "decided_at")
                       if c not in (reader.fieldnames or ())]
            if missing:
                raise MemoryError_(f"{path}: not an office memory export (no column {', '.join(missing)})")
            for line, row in enumerate(reader, start=2):
                row = {k: _uncell(v or "") for k, v in row.items() if k}
                try:
                    at = float(row["decided_at"])
                except ValueError:
                    problems.append(f"line {line}: decided_at {row['decided_at']!r} is not a time")
                    continue
                if row["kind"] not in ("word", "field") or not row["office"] or not row["reviewer"]:
                    problems.append(f"line {line}: needs office, kind word|field and reviewer")
                    continue
                key = row.get("item_key") or (field_key(row.get("name")) if row["kind"] == "field" else "")
                good.setdefault(row["office"], []).append({
                    "item_key": key, "text": row["before"], "value": row["after"], "action": row["action"],
                    "decided_by": row["reviewer"], "decided_at": at, "doc_id": row.get("doc_id", ""),
                    "_job": row.get("job", "")})
        added = 0
        for office, rows in good.items():
            by_job: dict[str, list[dict]] = {}
            for r in rows:
                by_job.setdefault(r.pop("_job"), []).append(r)
            for job, rs in by_job.items():
                added += self.record(office, rs, job=job)
        return added, problems


def party_names(value: str) -> list[str]:
    """The names in a party list as reviewers decided it: one party a line or ``;`` between
    parties (``A S.A.; B LTDA.``), ``NAME;`` with its address on the next line(s) (MX), ``Name,
    Address (CC)``: what has digits or follows a ``NAME;`` line is an address, not a name."""
    names, address = [], False
    for line in value.splitlines():
        if not address:
            for piece in line.split(";"):
                kept = []
                for part in re.sub(r"\s*\([A-Z]{2}\)$", "", piece.strip()).split(", "):
                    if any(c.isdigit() for c in part):
                        break  # the address begins
                    kept.append(part.strip())
                name = ", ".join(kept).rstrip(",").strip()
                if len(name) >= 5:
                    names.append(name)
        ends = re.search(r"(, [A-Z]{2}|\([A-Z]{2}\))$", line.rstrip())
        address = line.rstrip().endswith(";") or (address and not ends)
    return names


def _cell(v) -> str:
    s = "" if v is None else str(v) if not isinstance(v, float) else repr(v)
    return "'" + s if s[:1] in ("=", "+", "-", "@") else s


def _uncell(s: str) -> str:
    return s[1:] if s[:1] == "'" and s[1:2] in ("=", "+", "-", "@") else s


def store_path(profile_setting: str, profile_dir: Path | None, override: str | os.PathLike | None = None) -> Path | None:
    """Where the office memory is: ``override`` (the job file's ``memory``, ``--memory`` or
    ``DIGITIZE_MEMORY``), else the profile's ``[queue] memory`` (relative to the profile's
    folder); None when neither names one."""
    if override:
        return Path(override).expanduser().absolute()
    env = os.environ.get("DIGITIZE_MEMORY")
    if env:
        return Path(env).expanduser().absolute()
    if profile_setting:
        p = Path(profile_setting).expanduser()
        return p if p.is_absolute() else ((profile_dir or Path.cwd()) / p).absolute()
    return None
