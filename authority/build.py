"""Build an authority file: sources -> entries -> sorted, de-duplicated -> definition -> writers.

Two streamed passes over a temporary SQLite store: the first computes the data coverage (the
definition part precedes the entries in the file) and reports duplicates, the second writes.
Kind and exception codes get their descriptions from the office profile; a code without one
stops the build with the code, how many entries use it and an example, instead of a blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from digitize import dates

from . import config
from .model import NOT_SEARCHABLE_CODE, Coverage, Definition, Entry, normalise_number, number_problem
from .register import apply_register
from .findings import Findings
from .store import Store
from .writer import write_file

if TYPE_CHECKING:
    from digitize.settings.profile import Profile


@dataclass
class BuildResult:
    paths: list[Path] = field(default_factory=list)
    entries: int = 0
    report: Findings = field(default_factory=Findings)
    definition: Definition | None = None

    @property
    def ok(self) -> bool:
        return bool(self.paths) and self.report.errors == 0


def today() -> str:
    """The default date-produced: today (UTC), or ``$SOURCE_DATE_EPOCH``'s day for reproducible builds."""
    return f"{dates.today_utc():%Y%m%d}"


def fill_store(store: Store, entries: Iterable[Entry], office: str, report: Findings, profile: Any = None) -> None:
    """Keep the office's entries with a valid publication number, written as the office writes it
    (``strip_leading_zeros``); others are noted and skipped."""
    other: dict[str, int] = {}
    strip = config.strip_leading_zeros(profile)
    for e in entries:
        problem = number_problem(e.number)
        if problem:
            report.error(f"{e.country or '?'} {e.kind or '?'} {e.date or '?'}",
                         f"publication number {problem}; not an entry")
            continue
        if strip and e.number.isdigit() and e.number != normalise_number(e.number, True):
            e = e._replace(number=normalise_number(e.number, True))
        if e.country != office:
            if other.get(e.country, 0) < 20:
                report.info(e.label, f"belongs to office {e.country or '?'}, not {office}; skipped")
            other[e.country] = other.get(e.country, 0) + 1
            continue
        store.add(e)
    store.flush()
    for country, n in sorted(other.items()):
        if n > 20:
            report.info(f"office {country or '?'}", f"{n} entries of another office skipped in all")


def definition_for(store: Store, office: str, profile: Profile | None, date_produced: str | None, report: Findings,
                   update_category: str = "full") -> Definition | None:
    """Pass 1: coverage and code descriptions; None when a used code has no description."""
    cov = Coverage()
    examples: dict[tuple[str, str], str] = {}
    for number, kind, date, exception in store.light(report):
        cov.add_fields(number, kind, date, exception)
        if ("kind", kind) not in examples:
            examples[("kind", kind)] = f"{office} {number} {kind} {date}"
        if exception and ("exception", exception) not in examples:
            examples[("exception", exception)] = f"{office} {number} {kind} {date}"
    kinds_known, exc_known = config.kind_codes(profile), config.exception_codes(profile)
    name = getattr(profile, "name", "?")
    missing = False
    for code in sorted(cov.kind_counts):
        if code not in kinds_known:
            missing = True
            report.error(f"kind code {code}", f"used by {cov.kind_counts[code]} entries (e.g. {examples[('kind', code)]}) "
                         f"but profile {name!r} has no description: add it to [authority.kind_codes]")
    for code in sorted(cov.exception_counts):
        if code not in exc_known:
            missing = True
            report.error(f"exception code {code}", f"used by {cov.exception_counts[code]} entries (e.g. "
                         f"{examples[('exception', code)]}) but profile {name!r} has no description: add it to "
                         "[authority.exception_codes]")
    if missing:
        return None
    exceptions = {k: exc_known[k] for k in cov.exception_counts}
    if store.not_searchable and NOT_SEARCHABLE_CODE not in exceptions:
        # <not-searchable-code code="N"/> (st37 README): the code is defined like every code used
        if NOT_SEARCHABLE_CODE not in exc_known:
            report.error(f"exception code {NOT_SEARCHABLE_CODE}", f"used by not-searchable-code but profile {name!r} "
                         "has no description: add it to [authority.exception_codes]")
            return None
        exceptions[NOT_SEARCHABLE_CODE] = exc_known[NOT_SEARCHABLE_CODE]
    notes = config.unconfirmed(profile)
    for code in sorted(cov.kind_counts):
        if ("kind", code) in notes:
            report.warning(f"kind code {code}", f"description {kinds_known[code]!r} published for "
                           f"{cov.kind_counts[code]} entries is not confirmed (profile {name!r}: confirmed = false); "
                           "check it against the office's own publications")
    for code in sorted(exceptions):
        if ("exception", code) in notes:
            n = cov.exception_counts.get(code, 0)
            report.warning(f"exception code {code}", f"the letter and description {exceptions[code]!r} "
                           f"({n} entries) are not confirmed against ST.37 (profile {name!r}: confirmed = false)")
    d = Definition(
        country=office,
        date_produced=date_produced or today(),
        update_category=update_category,
        kind_codes={k: kinds_known[k] for k in cov.kind_counts},
        exception_codes=exceptions,
    )
    return cov.fill(d)


def build_entries(entries: Iterable[Entry], office: str, outputs: list[tuple[Path, str]], profile: Profile | None, *,
                  date_produced: str | None = None, register: Path | None = None,
                  report: Findings | None = None, tmp_dir: Path | None = None) -> BuildResult:
    """The core of ``build``: ``outputs`` is ``[(path, "xml"|"csv"), ...]``; a ``{date}`` in a
    path is replaced by the file's date-produced."""
    office = office.upper()
    result = BuildResult(report=report or Findings())
    rep = result.report
    with Store(tmp_dir) as store:
        fill_store(store, entries, office, rep, profile)
        if register is not None:
            added, _ = apply_register(Path(register), office, store, rep)
            if added:
                rep.info(register, f"{added} registered numbers without a document listed with an exception code")
        d = definition_for(store, office, profile, date_produced, rep)
        if d is None:
            return result
        result.definition = d
        if not d.kind_counts:
            rep.error(office, "no entries: nothing to write")
            return result
        for path, fmt in outputs:
            path = Path(str(path).replace("{date}", d.date_produced))
            result.entries = write_file(path, fmt, d, store.resolved())
            result.paths.append(path)
    return result


def build(sources: list[Path], office: str, out: Path, *, fmt: str = "xml", profile: Profile | None = None,
          register: Path | None = None, date_produced: str | None = None) -> BuildResult:
    """``digitize authority build``: entries from job folders, XML files/folders and authority
    files, one file written to ``out``."""
    from .sources import iter_sources

    office = office.upper()
    profile = profile if profile is not None else config.profile_for_office(office)
    report = Findings()
    return build_entries(iter_sources([Path(s) for s in sources], report, office), office, [(Path(out), fmt)],
                         profile, date_produced=date_produced, register=register, report=report,
                         tmp_dir=Path(out).parent if Path(out).parent.is_dir() else None)


def build_from_job(job_dir: Path, office: str, profile: Profile | None, date: str | None = None,
                   report: Findings | None = None) -> list[Path]:
    """Called by ``digitize run`` at the end of a job and after ``digitize apply``: writes
    ``DIR/authority/<CC>_AF_<date>.xml`` and ``.csv``. ``date`` (YYYYMMDD, the file's
    date-produced) defaults to today (UTC); the files of an earlier build of this office are
    removed, so the folder holds one current authority file. Problems go to ``report`` (and to
    ``DIR/authority/build-report.txt``); returns the files written ([] when none)."""
    from .sources.job import entries_from_job

    job_dir = Path(job_dir)
    office = office.upper()
    out = job_dir / "authority"
    out.mkdir(parents=True, exist_ok=True)
    report = report if report is not None else Findings()
    result = build_entries(
        entries_from_job(job_dir, report, office), office,
        [(out / f"{office}_AF_{{date}}.xml", "xml"), (out / f"{office}_AF_{{date}}.csv", "csv")],
        profile, date_produced=date or today(), report=report, tmp_dir=out,
    )
    if result.paths:
        for old in list(out.glob(f"{office}_AF_*.xml")) + list(out.glob(f"{office}_AF_*.csv")):
            if old not in result.paths:
                old.unlink(missing_ok=True)
    from digitize.fsutil import atomic_write

    atomic_write(out / "build-report.txt", "\n".join(report.lines) + ("\n" if report.lines else ""))
    return result.paths
