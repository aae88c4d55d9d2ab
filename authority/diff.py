"""``digitize authority diff``: what changed between two authority files, and the incremental
file (``update-af-category="incremental"``) that turns the old one into the new one.

A publication is identified by number and kind. The incremental file holds the new version of
every added or changed entry. ST.37's verified structure has no element for a removal, so removed
entries are only listed by default; with ``with_deletions`` they are written as the old entry
marked ``update-action="delete"`` (CSV: ``update_action`` = ``delete``), the product's own
extension, named in the README. ``apply_incremental`` proves the round trip: OLD + incremental
(with deletions) == NEW.

Both inputs are checked with ``authority check``'s rules first, and the incremental file before it
is put in place: an empty, truncated or invalid input, or an incremental that would carry an
invalid entry, is refused (``DiffError``, one line) and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from . import config
from .model import NOT_SEARCHABLE_CODE, Coverage, Definition, Entry, sort_key
from .reader import AuthorityFile
from .findings import Findings
from .store import Store
from .writer import write_file

if TYPE_CHECKING:
    from digitize.settings.profile import Profile


class DiffError(Exception):
    """An input or the incremental file breaks the ST.37 rules; one line per problem."""


@dataclass
class DiffResult:
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, Entry]] = field(default_factory=list)  # (old, new)
    counts: dict[str, int] = field(default_factory=lambda: {"added": 0, "removed": 0, "changed": 0, "same": 0})
    deletions_written: bool = False

    @property
    def empty(self) -> bool:
        return not (self.counts["added"] or self.counts["removed"] or self.counts["changed"])


def _sorted(entries: Iterable[Entry], store: Store, report: Findings | None) -> Iterator[Entry]:
    store.add_all(e for e in entries if not e.deleted)
    return store.resolved(report)


def _join(old: Iterator[Entry], new: Iterator[Entry]) -> Iterator[tuple[Entry | None, Entry | None]]:
    """Merge-join two streams sorted by (number, kind): pairs with the same publication."""
    a, b = next(old, None), next(new, None)
    while a is not None or b is not None:
        ka = a.identity if a is not None else None
        kb = b.identity if b is not None else None
        if kb is None or (ka is not None and ka < kb):
            yield a, None
            a = next(old, None)
        elif ka is None or kb < ka:
            yield None, b
            b = next(new, None)
        else:
            yield a, b
            a, b = next(old, None), next(new, None)


def changes(old: Iterable[Entry], new: Iterable[Entry], report: Findings | None = None) -> Iterator[tuple[str, Entry | None, Entry | None]]:
    """Stream of ("added"|"removed"|"changed"|"same", old, new) in ST.37 order."""
    with Store() as so, Store() as sn:
        for a, b in _join(_sorted(old, so, report), _sorted(new, sn, report)):
            if a is None:
                yield "added", None, b
            elif b is None:
                yield "removed", a, None
            elif a._replace(deleted=False) != b._replace(deleted=False):
                yield "changed", a, b
            else:
                yield "same", a, b


def _checked(path: Path, what: str, profile: Profile | None) -> None:
    from .check import check_file

    problems = check_file(path, profile=profile)
    if problems:
        more = f" (and {len(problems) - 1} more problem line(s); run 'digitize authority check')" if len(problems) > 1 else ""
        raise DiffError(f"{what} {path} is not a valid authority file: {problems[0]}{more}")


def diff_files(old: Path, new: Path, incremental: Path | None = None, *, fmt: str | None = None,
               profile: Profile | None = None, keep: int = 200, date_produced: str | None = None,
               with_deletions: bool = False) -> DiffResult:
    """Compare two files; with ``incremental``, also write the update file. The lists in the
    result keep the first ``keep`` changes of each sort (the counts are complete). Raises
    ``DiffError`` when an input or the incremental file is not valid."""
    _checked(Path(old), "OLD", profile)
    _checked(Path(new), "NEW", profile)
    res = DiffResult(deletions_written=with_deletions)
    af_old, af_new = AuthorityFile(old), AuthorityFile(new)
    with Store() as inc_store:
        for what, a, b in changes(af_old.entries(), af_new.entries()):
            res.counts[what] += 1
            if what == "added":
                if len(res.added) < keep:
                    res.added.append(b)  # type: ignore[arg-type]
                inc_store.add(b)  # type: ignore[arg-type]
            elif what == "removed":
                if len(res.removed) < keep:
                    res.removed.append(a)  # type: ignore[arg-type]
                if with_deletions:
                    inc_store.add(a._replace(deleted=True))  # type: ignore[union-attr]
            elif what == "changed":
                if len(res.changed) < keep:
                    res.changed.append((a, b))  # type: ignore[arg-type]
                inc_store.add(b)  # type: ignore[arg-type]
        inc_store.flush()
        if incremental is not None:
            d = _incremental_definition(inc_store, af_old.definition, af_new.definition, profile,
                                        (af_new.definition.country if af_new.definition else None)
                                        or _first_country(inc_store), date_produced)
            out_fmt = fmt or ("csv" if Path(incremental).suffix.lower() == ".csv" else "xml")
            incremental = Path(incremental)
            tmp = incremental.with_name(f".{incremental.name}.check{incremental.suffix}")
            try:
                write_file(tmp, out_fmt, d, inc_store.resolved())
                _checked_incremental(tmp, incremental, profile)
                import os

                os.replace(tmp, incremental)
            finally:
                tmp.unlink(missing_ok=True)
    return res


def _checked_incremental(tmp: Path, final: Path, profile: Any) -> None:
    from .check import check_file

    problems = check_file(tmp, profile=profile)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DiffError(f"incremental file {final} not written: it would break the ST.37 rules: "
                        f"{problems[0].replace(str(tmp), str(final))}{more}")


def _first_country(store: Store) -> str:
    for e in store.resolved():
        return e.country
    return "XX"


def _incremental_definition(store: Store, old_d: Definition | None, new_d: Definition | None, profile: Profile | None,
                            country: str, date_produced: str | None) -> Definition:
    cov = Coverage()
    kinds: set[str] = set()
    excs: set[str] = set()
    for e in store.resolved():
        cov.add(e)
        kinds.add(e.kind)
        if e.exception:
            excs.add(e.exception)
    if profile is None:
        profile = config.profile_for_office(country)
    if store.not_searchable:
        excs.add(NOT_SEARCHABLE_CODE)  # <not-searchable-code code="N"/>: defined like every code used
    kdesc = {**config.kind_codes(profile), **(old_d.kind_codes if old_d else {}), **(new_d.kind_codes if new_d else {})}
    edesc = {**config.exception_codes(profile), **(old_d.exception_codes if old_d else {}),
             **(new_d.exception_codes if new_d else {})}
    from .build import today

    d = Definition(
        country=country,
        date_produced=date_produced or (new_d.date_produced if new_d else None) or today(),
        update_category="incremental",
        kind_codes={k: kdesc.get(k, "") for k in sorted(kinds)},
        exception_codes={k: edesc.get(k, "") for k in sorted(excs)},
    )
    return cov.fill(d)


def apply_incremental(old: Iterable[Entry] | Path | str, inc: Iterable[Entry] | Path | str) -> list[Entry]:
    """OLD + incremental -> the entries of NEW, sorted (an in-memory proof of the round trip)."""
    if isinstance(old, (str, Path)):
        old = AuthorityFile(old).entries()
    if isinstance(inc, (str, Path)):
        inc = AuthorityFile(inc).entries()
    by_id = {e.identity: e for e in old}
    for e in inc:
        if e.deleted:
            by_id.pop(e.identity, None)
        else:
            by_id[e.identity] = e
    return sorted(by_id.values(), key=sort_key)
