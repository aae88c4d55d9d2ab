"""``digitize authority check``: the st37 README's rules, streamed over any size of file.

Every problem line names the rule first, then the entry (``entry EP 3439706 A1 20190213``) or the
part of the definition, then what is wrong. Rules:

- ``readable``: the file can be read (not empty; XML: well-formed, no entity declarations, root
  ``authority-file``; CSV: a header with ``publication_number``, no field over 128 KiB);
- ``definition``: an XML file has one ``authority-file-definition`` before its entries, with
  ``update-af-category`` in full/incremental/differential and ``grouped-af-indicator`` yes/no;
- ``mandatory-fields``: office, publication number, kind code and publication date in every entry;
- ``valid-number``: a publication number is letters, digits and ``/ . - space``: no line break,
  no ``;``, nothing a spreadsheet would run as a formula (``=…``, ``@…``, ``+…``, ``-…``);
- ``number-format``: no leading zeros for an office whose profile says ``strip_leading_zeros`` (US);
- ``office-code``: ST.3 (two capital letters), the same as the file's ``country``;
- ``valid-date``: publication, filing and priority dates and the definition's dates are real
  ``YYYYMMDD`` dates;
- ``kind-code-defined`` / ``exception-code-defined``: every code used has a description in the
  definition part (CSV: in the office profile), including the code of ``not-searchable-code``;
- ``kind-coverage`` / ``exception-coverage``: the coverage counts equal the entries (entries an
  incremental file deletes are not counted);
- ``date-range`` / ``number-range`` / ``most-recent-document``: consistent with the entries;
- ``no-duplicate``: one entry per publication (number and kind);
- ``sorted``: entries ordered by publication number, kind, date;
- ``schema``: when an official DTD/XSD is given (``--dtd`` or ``[authority] schema``), the file is
  valid against it (this loads the whole file; the other rules stream).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from digitize import xmlsafe as safexml
from digitize.dates import compact
from digitize.numbers import order_key

from . import config
from .model import UPDATE_CATEGORIES, Coverage, Definition, Entry, number_problem
from .reader import AuthorityFile

if TYPE_CHECKING:
    from digitize.settings.profile import Profile

MAX_PER_RULE = 50
# Validation against a DTD/XSD needs the whole tree in memory (lxml: ~10x the file size); the other
# rules stream in constant memory. Over this size the schema step is refused with the reason.
SCHEMA_MAX_BYTES = 64 * 1024 * 1024


class Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.counts: dict[str, int] = {}

    def add(self, rule: str, where: str, message: str) -> None:
        n = self.counts.get(rule, 0) + 1
        self.counts[rule] = n
        if n <= MAX_PER_RULE:
            self.lines.append(f"{rule}: {where}: {message}")

    def result(self) -> list[str]:
        out = list(self.lines)
        for rule, n in self.counts.items():
            if n > MAX_PER_RULE:
                out.append(f"{rule}: {n - MAX_PER_RULE} more problems of this rule not listed ({n} in all)")
        return out


def _entry_label(e: Entry) -> str:
    return f"entry {e.label}"


class _Label:
    """Formats ``entry EP 1 A1 20200101`` only when a problem is actually reported."""

    __slots__ = ("e",)

    def __init__(self, e: Entry):
        self.e = e

    def __str__(self) -> str:
        return _entry_label(self.e)


def check_file(path: Path | str, dtd: Path | str | None = None, profile: Profile | None = None) -> list[str]:
    """Problems of an authority file (XML or CSV); an empty list means valid."""
    import csv

    path = Path(path)
    p = Problems()
    try:
        if not path.read_bytes()[:4096].strip(b"\xef\xbb\xbf \t\r\n") and path.stat().st_size < 4096:
            return [f"readable: {path}: empty file: not an authority file"]
        af = AuthorityFile(path)
    except OSError as exc:
        return [f"readable: {path}: {exc.strerror or exc}"]
    try:
        _check_entries(af, p, profile)
    except safexml.UnsafeXML as exc:
        return [f"readable: {path}: {exc}"]
    except etree.XMLSyntaxError as exc:
        p.add("readable", str(path), f"malformed XML: {' '.join(str(exc).split())[:200]}")
    except csv.Error as exc:
        p.add("readable", str(path), f"CSV: {exc} (a field over {csv.field_size_limit() // 1024} KiB is not an entry)")
    except (ValueError, UnicodeDecodeError) as exc:
        p.add("readable", str(path), ' '.join(str(exc).split())[:200])
    for problem in af.structure_problems:
        p.add("structure", str(path), problem)
    if af.format == "xml" and "readable" not in p.counts:
        schema = Path(dtd) if dtd else config.schema_path(profile)
        if schema is not None:
            _check_schema(path, schema, p)
    return p.result()


def not_st37_schema(schema: Path | str) -> str | None:
    """Why ``schema`` cannot be ST.37's DTD/XSD (it declares no ``authority-file`` element, or
    cannot be loaded), or None."""
    schema = Path(schema)
    try:
        if schema.suffix.lower() == ".xsd":
            tree = etree.parse(str(schema), safexml.parser())
            names = {el.get("name") for el in tree.iter("{http://www.w3.org/2001/XMLSchema}element")}
        else:
            names = {el.name for el in etree.DTD(str(schema)).iterelements()}
    except (OSError, etree.LxmlError) as exc:
        return f"{schema}: cannot be loaded as a DTD/XSD: {' '.join(str(exc).split())[:160]}"
    if "authority-file" not in names:
        return f"{schema} is not an ST.37 DTD/XSD: it declares no authority-file element (an ST.37 file cannot be checked against it)"
    return None


def _check_schema(path: Path, schema: Path, p: Problems) -> None:
    why = not_st37_schema(schema)
    if why:
        p.add("schema", str(schema), why)
        return
    size = path.stat().st_size
    if size > SCHEMA_MAX_BYTES:
        p.add("schema", str(path), f"not validated against {schema.name}: the file is {size // (1 << 20)} MiB and DTD/XSD "
              f"validation holds the whole file in memory (about 10x); limit {SCHEMA_MAX_BYTES >> 20} MiB. "
              "The streamed rules above were checked; validate it on a machine with the memory, or split it")
        return
    try:
        if schema.suffix.lower() == ".xsd":
            validator: Any = etree.XMLSchema(etree.parse(str(schema), safexml.parser()))
        else:
            validator = etree.DTD(str(schema))
    except (OSError, etree.LxmlError) as exc:
        p.add("schema", str(schema), f"cannot load: {exc}")
        return
    tree = safexml.parse(path)
    if not validator.validate(tree):
        for err in list(validator.error_log)[:MAX_PER_RULE]:
            p.add("schema", f"line {err.line}", err.message)
    del tree


_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is a formula in a spreadsheet


def _check_entries(af: AuthorityFile, p: Problems, profile: Profile | None) -> None:
    cov = Coverage()
    prev: Entry | None = None
    prev_key: tuple[str, str, str] | None = None
    seen: set[int] = set()
    kinds_used: dict[str, str] = {}
    exceptions_used: dict[str, str] = {}
    country: str | None = None
    mr_found = False
    strip_zeros: bool | None = None
    first_entry_before_definition = False
    for e in af.entries():
        lab = _Label(e)
        if af.format == "xml":
            country = af.root_attrs.get("country")
            if af.definition is None and not first_entry_before_definition:
                first_entry_before_definition = True
                p.add("definition", lab, "entry before the authority-file-definition (or no definition at all)")
        elif country is None:
            country = e.country
        missing = [n for n, v in (("office", e.country), ("publication number", e.number),
                                  ("kind code", e.kind), ("publication date", e.date)) if not v]
        if missing:
            p.add("mandatory-fields", lab, f"missing {', '.join(missing)}")
        problem = number_problem(e.number)
        if problem:
            p.add("valid-number", f"entry {e.country or '?'} {e.kind or '?'} {e.date or '?'}", f"publication number {problem}")
        elif strip_zeros is None and (country or e.country):
            strip_zeros = config.strip_leading_zeros(profile if profile is not None
                                                     else _office_profile(country or e.country))
        if strip_zeros and e.number and e.number.isdigit() and e.number.startswith("0"):
            p.add("number-format", lab, f"leading zero: office {e.country} publishes {e.number.lstrip('0') or '0'}")
        for what, value in (("application number", e.app_number),
                            *(("priority number", pr.number) for pr in e.priorities)):
            if value and (value.startswith(_FORMULA) or any(not c.isprintable() for c in value)):
                p.add("valid-number", lab, f"{what} {value[:40]!r} starts a spreadsheet formula or holds a control"
                                          " character (not an application number)")
        if e.country and (len(e.country) != 2 or not e.country.isalpha() or not e.country.isupper()):
            p.add("office-code", lab, f"{e.country!r} is not an ST.3 code")
        elif e.country and country and e.country != country:
            p.add("office-code", lab, f"office {e.country} in a file of office {country}")
        if e.date and compact(e.date) != e.date:
            p.add("valid-date", lab, f"publication date {e.date!r} is not a valid YYYYMMDD date")
        if e.filing_date and compact(e.filing_date) != e.filing_date:
            p.add("valid-date", lab, f"filing date {e.filing_date!r} is not a valid YYYYMMDD date")
        for pr in e.priorities:
            if pr.date and compact(pr.date) != pr.date:
                p.add("valid-date", lab, f"priority date {pr.date!r} is not a valid YYYYMMDD date")
        if e.kind and e.kind not in kinds_used:
            kinds_used[e.kind] = str(lab)
        if e.exception and e.exception not in exceptions_used:
            exceptions_used[e.exception] = str(lab)
        nk = order_key(e.number)
        key = (nk, e.kind or "", e.date or "")
        if prev_key is not None and key < prev_key:
            p.add("sorted", lab, f"comes after {_entry_label(prev)} (order: number, kind, date)")  # type: ignore[arg-type]
        ident = hash((nk, e.kind or ""))
        if (prev_key is not None and prev_key[:2] == key[:2]) or ident in seen:
            p.add("no-duplicate", lab, "publication (number and kind) listed more than once")
        seen.add(ident)
        prev, prev_key = e, key
        if not e.deleted and e.date:
            cov.add(e)
            d = af.definition
            if d is not None and d.most_recent and (e.number, e.date) == d.most_recent:
                mr_found = True
    if af.format == "xml":
        for code in sorted(af.not_searchable_codes):
            exceptions_used.setdefault(code, f"not-searchable-code code={code!r}")
        _check_definition(af.definition, cov, kinds_used, exceptions_used, mr_found, p)
    else:
        _check_codes_with_profile(country, profile, kinds_used, exceptions_used, p)


def _office_profile(country: str) -> Any:
    try:
        return config.profile_for_office(country)
    except Exception:  # an unreadable profile is the profile check's business, not this file's
        return None


def _check_definition(d: Definition | None, cov: Coverage, kinds_used: dict[str, str],
                      exceptions_used: dict[str, str], mr_found: bool, p: Problems) -> None:
    if d is None:
        p.add("definition", "authority-file", "no authority-file-definition")
        return
    where = "authority-file-definition"
    if d.update_category not in UPDATE_CATEGORIES:
        p.add("definition", where, f"update-af-category {d.update_category!r} is not one of {', '.join(UPDATE_CATEGORIES)}")
    if d.grouped not in ("yes", "no"):
        p.add("definition", where, f"grouped-af-indicator {d.grouped!r} is not yes or no")
    if compact(d.date_produced) != d.date_produced:
        p.add("valid-date", "authority-file", f"date-produced {d.date_produced!r} is not a valid YYYYMMDD date")
    for code, lab in sorted(kinds_used.items()):
        if not d.kind_codes.get(code):
            p.add("kind-code-defined", lab, f"kind code {code} has no document-kind-code-definition with a description")
    for code, desc in d.kind_codes.items():
        if not desc:
            p.add("kind-code-defined", f"kind {code}", "definition without a description")
    for code, lab in sorted(exceptions_used.items()):
        if not d.exception_codes.get(code):
            p.add("exception-code-defined", lab, f"exception code {code} has no exception-code-definition with a description")
    for code, desc in d.exception_codes.items():
        if not desc:
            p.add("exception-code-defined", f"exception code {code}", "definition without a description")
    for code in sorted(set(cov.kind_counts) | set(d.kind_counts)):
        want, have = cov.kind_counts.get(code, 0), d.kind_counts.get(code)
        if have != want:
            p.add("kind-coverage", f"kind {code}", f"kind-code-coverage says {have if have is not None else 'nothing'}, "
                  f"the file has {want} entries")
    for code in sorted(set(cov.exception_counts) | set(d.exception_counts)):
        want, have = cov.exception_counts.get(code, 0), d.exception_counts.get(code)
        if have != want:
            p.add("exception-coverage", f"exception code {code}", f"exception-code-coverage says "
                  f"{have if have is not None else 'nothing'}, the file has {want} entries")
    if cov.total == 0:
        for name, v in (("date-range", d.date_range), ("number-range", d.number_range), ("most-recent-document", d.most_recent)):
            if v:
                p.add(name, where, "given but the file has no entries")
        return
    if d.date_range is None:
        p.add("date-range", where, "no publication-date-range")
    else:
        for label, v in (("start-date", d.date_range[0]), ("end-date", d.date_range[1])):
            if compact(v) != v:
                p.add("valid-date", f"publication-date-range {label}", f"{v!r} is not a valid YYYYMMDD date")
        if d.date_range != (cov.min_date, cov.max_date):
            p.add("date-range", where, f"publication-date-range {d.date_range[0]}-{d.date_range[1]} but the entries "
                  f"span {cov.min_date}-{cov.max_date}")
    want_nr = (cov.first_number, cov.last_number)
    if d.number_range is None:
        p.add("number-range", where, "no publication-number-range")
    elif d.number_range != want_nr:
        p.add("number-range", where, f"publication-number-range {d.number_range[0]}-{d.number_range[1]} but the "
              f"entries run from {want_nr[0]} to {want_nr[1]}")
    if d.most_recent is None:
        p.add("most-recent-document", where, "no most-recent-document")
    elif d.most_recent[1] != cov.max_date or not mr_found:
        p.add("most-recent-document", where, f"most-recent-document {d.most_recent[0]} of {d.most_recent[1]} is not an "
              f"entry with the latest publication date ({cov.max_date}, e.g. {cov.most_recent[0]})")  # type: ignore[index]


def _check_codes_with_profile(country: str | None, profile: Profile | None, kinds_used: dict[str, str],
                              exceptions_used: dict[str, str], p: Problems) -> None:
    """A CSV file has no definition part: its codes must be described in the office profile."""
    if profile is None:
        if not country:
            return
        profile = config.profile_for_office(country)
    kinds, excs = config.kind_codes(profile), config.exception_codes(profile)
    for code, lab in sorted(kinds_used.items()):
        if code not in kinds:
            p.add("kind-code-defined", lab, f"kind code {code} is not described in profile {profile.name!r}")
    for code, lab in sorted(exceptions_used.items()):
        if code not in excs:
            p.add("exception-code-defined", lab, f"exception code {code} is not described in profile {profile.name!r}")
