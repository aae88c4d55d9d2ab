"""Schema lookup and validation of ST.36 / ST.96 / ST.37 files, with messages a user can act on.

The schemas are not part of the product: they are found in a schema directory (``--schemas DIR``,
else ``$DIGITIZE_SCHEMAS``, else ``../shared/standards`` beside the checkout). Each validator is
built once per process and reused: the ST.96 XSD takes about two seconds to compile, the EP DTD a
few milliseconds. A missing schema is reported once in the log and the caller is told
"not-validated: ..."; nothing is ever called valid without being checked.

ST.36 has one model for every office (``xx-patent-document``); the DTD we have is the EPO's v1.5
of it, so an office's document (``ph-patent-document``) is checked by validating a copy whose
root is renamed ``ep-patent-document``.

Every file is read through ``digitize.xmlsafe``: no DTD loaded, no entity resolved, no network,
and a file whose DOCTYPE declares an entity is invalid (XXE-safe); the DTD and XSD are loaded
only from the schema directory.
"""

from __future__ import annotations

import copy
import re
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from lxml import etree

from . import xmlsafe
from .xmlsafe import parser as safe_parser

log = logging.getLogger(__name__)

ST36_DTD = Path("st36") / "ep-patent-document-v1-5.dtd"
# the dtd-version values the v1-5 DTD checks (the EPO's v1-x documents; v1-0 examples are valid against it)
_ST36_VERSIONS = re.compile(r"(?:[a-z]{2}-patent-document-)?v?1[-.]\d+(?:[-.]\d+)?", re.I)
ST96_XSD = Path("st96-v6_0") / "PatentPublication_V6_0.xsd"
ST96_COMMON = Path("st96-v6_0") / "PatentPublication_V6_0_Common.xsd"
PAT_NS = "http://www.wipo.int/standards/XMLSchema/ST96/Patent"
COM_NS = "http://www.wipo.int/standards/XMLSchema/ST96/Common"
MAX_ERRORS = 10
CHECKED_AGAINST = {"ST.36": f"{ST36_DTD} (root renamed ep-patent-document)", "ST.96": str(ST96_XSD),
                   "ST.37": "the authority checker", "toc": "its internal DTD (WIPO Application-body)",
                   "manifest": "the files it lists (SHA-256 and size)"}

_lock = threading.RLock()
_dtds: dict[Path, etree.DTD] = {}
_schemas: dict[tuple[Path, bool], etree.XMLSchema] = {}
_codes: dict[Path, dict[str, frozenset[str]]] = {}
_warned: set[str] = set()


class SchemaMissing(Exception):
    """The schema file is not in the schema directory; the message says where it was looked for."""


def schema_dir(explicit: Path | str | None = None) -> Path | None:
    """``explicit`` (``--schemas``), else ``$DIGITIZE_SCHEMAS``, else ``../shared/standards``."""
    if explicit:
        return Path(explicit)
    from .resources import default_schema_dir

    return default_schema_dir()


def _locate(base: Path | None, rel: Path) -> Path:
    if base is None:
        raise SchemaMissing(f"no schema directory (set DIGITIZE_SCHEMAS or --schemas) for {rel}")
    path = Path(base) / rel
    if not path.is_file():
        raise SchemaMissing(f"schema {path} not found")
    return path


def warn_once(message: str) -> None:
    with _lock:
        if message in _warned:
            return
        _warned.add(message)
    log.warning("%s", message)


def st36_dtd(base: Path | None) -> etree.DTD:
    """The EP v1.5 DTD (the ST.36 model), loaded once per process."""
    path = _locate(base, ST36_DTD).resolve()
    with _lock:
        dtd = _dtds.get(path)
        if dtd is None:
            dtd = _dtds[path] = etree.DTD(str(path))
        return dtd


MATHML_NS = "http://www.w3.org/1998/Math/MathML3"
ST96_MATHML = "FlattenedMathML3.xsd"
# The MathML 3 schema the ST.96 Common schema imports for its one ``<xsd:element ref="mathml:math"/>``
# is ~99 % of the schema's compile time (libxml2: 3.3 s of 3.3 s, and every Dask worker process
# compiles its own). A document with no element or attribute in the MathML namespace never
# reaches a MathML declaration, so it gets the same verdict from the schema compiled with this
# one-element stand-in in MathML's place (0.03 s); a document that has MathML is checked against
# the full schema (check_st96 chooses). The standard's files are read as they are: only the
# import is answered differently, by an lxml resolver.
_MATH_STAND_IN = (f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{MATHML_NS}" '
                  'elementFormDefault="qualified"><xsd:element name="math"/></xsd:schema>').encode()


class _MathStandIn(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url and url.replace("\\", "/").rsplit("/", 1)[-1] == ST96_MATHML:
            return self.resolve_string(_MATH_STAND_IN, context)
        return None


def st96_schema(base: Path | None, *, mathml: bool = False) -> etree.XMLSchema:
    """``pat:PatentPublication`` V6_0, compiled once per process; with ``mathml=False`` MathML's
    schema is replaced by a stand-in (see ``_MATH_STAND_IN``: for documents without MathML)."""
    path = _locate(base, ST96_XSD).resolve()
    with _lock:
        schema = _schemas.get((path, mathml))
        if schema is None:
            parser = etree.XMLParser(no_network=True, resolve_entities=False)
            if not mathml:
                parser.resolvers.add(_MathStandIn())
            schema = _schemas[(path, mathml)] = etree.XMLSchema(etree.parse(str(path), parser))
        return schema


def uses_mathml(root: etree._Element) -> bool:
    """Whether any element or attribute of ``root``'s tree is in the MathML namespace."""
    return bool(root.xpath("boolean(//*[namespace-uri()=$ns] | //@*[namespace-uri()=$ns])", ns=MATHML_NS))


def st96_codes(base: Path | None) -> dict[str, frozenset[str]] | None:
    """Code lists the ST.96 schema enumerates (ST.3 offices, ISO countries, ISO languages), read
    from the Common XSD so that a value the schema would refuse is left out, not emitted."""
    try:
        path = _locate(base, ST96_COMMON).resolve()
    except SchemaMissing:
        return None
    with _lock:
        if path not in _codes:
            xs = "{http://www.w3.org/2001/XMLSchema}"
            wanted = {
                "st3": ("WIPOST3CodeType", "WIPOFormerST3CodeType"),
                "country": ("ISOCountryCodeType", "ISOFormerCountryCodeType"),
                "lang": ("ISOLanguageCodeType", "ISOFormerLanguageCodeType"),
            }
            root = etree.parse(str(path), safe_parser()).getroot()
            types = {el.get("name"): el for el in root if el.tag == f"{xs}simpleType"}
            _codes[path] = {
                key: frozenset(e.get("value") for name in names if name in types
                               for e in types[name].iter(f"{xs}enumeration"))
                for key, names in wanted.items()
            }
        return _codes[path]


def _messages(log_entries, limit: int = MAX_ERRORS) -> list[str]:
    out = []
    for e in list(log_entries)[:limit]:
        out.append(f"line {e.line}: {e.message}" if e.line else e.message)
    return out


def check_st36(root: etree._Element, base: Path | None, *, in_place: bool = False) -> list[str]:
    """Errors of an ``xx-patent-document`` against the ST.36 model ([] when valid)."""
    dtd = st36_dtd(base)
    target = root if in_place else copy.deepcopy(root)
    target.tag = "ep-patent-document"
    with _lock:
        ok = dtd.validate(target)
        errors = [] if ok else _messages(dtd.error_log.filter_from_errors())
    if not ok and not errors:
        errors = ["invalid against the ST.36 DTD (no message)"]
    return errors


def check_st96(root: etree._Element, base: Path | None) -> list[str]:
    """Errors of a ``pat:PatentPublication`` against the V6_0 schema ([] when valid)."""
    schema = st96_schema(base, mathml=uses_mathml(root))
    with _lock:
        ok = schema.validate(root)
        errors = [] if ok else _messages(schema.error_log)
    if not ok and not errors:
        errors = ["invalid against the ST.96 schema (no message)"]
    return errors


# --------------------------------------------------------------------------- files


@dataclass
class FileVerdict:
    path: str
    kind: str  # "ST.36" | "ST.96" | "ST.37" | "USPTO" | "unknown"
    status: str  # "valid" | "invalid" | "not checked: <why>"
    errors: list[str] = field(default_factory=list)
    schema_missing: bool = False  # not checked because a schema file was not found

    @property
    def checked(self) -> bool:
        return not self.status.startswith("not checked")

    @property
    def invalid(self) -> bool:
        return self.status == "invalid"

    def lines(self) -> list[str]:
        """``FILE: valid`` / ``FILE: invalid`` then the first errors, indented."""
        out = [f"{self.path}: {self.status}"]
        if self.invalid and self.kind in CHECKED_AGAINST:
            out.append(f"  checked as {self.kind} against {CHECKED_AGAINST[self.kind]}")
        return out + [f"  {e}" for e in self.errors]


def local_name(root: etree._Element) -> str:
    return etree.QName(root.tag).localname if isinstance(root.tag, str) else ""


def detect(root: etree._Element) -> str:
    tag = root.tag if isinstance(root.tag, str) else ""
    qname = etree.QName(tag) if tag else None
    local = qname.localname if qname else ""
    if qname and qname.namespace == PAT_NS and local == "PatentPublication":
        return "ST.96"
    if qname and qname.namespace is None and (local.startswith("us-patent-")
                                              or local == "patent-application-publication"):
        return "USPTO"
    if qname and qname.namespace is None and local.endswith("-patent-document"):
        return "ST.36"
    if local == "authority-file":
        return "ST.37"
    if qname and qname.namespace is None and local == "Application-body":
        return "toc"
    if qname and qname.namespace is None and local == "delivery":
        return "manifest"
    return "unknown"


def _root_tag(path: Path) -> str | None:
    """The root element's name, read up to the root only (an ST.37 file is streamed, not parsed whole)."""
    try:
        for _, el in xmlsafe.iterparse(path, events=("start",)):
            return el.tag if isinstance(el.tag, str) else None
    except Exception:  # not XML, unsafe, unreadable: the full parse below reports it
        return None
    return None


def validate_file(path: Path | str, base: Path | None = None, *,
                  st37: Callable[[Path], Any] | None = None) -> FileVerdict:
    """Detect the kind of ``path`` and check it; never raises for a bad file. ST.37 files go to
    ``st37`` (the authority checker, a layer above this one: ``digitize validate`` passes it)."""
    path = Path(path)
    name = str(path)
    if path.suffix.lower() == ".csv" or _root_tag(path) == "authority-file":
        return _check_st37(path, st37)  # the ST.37 text form, or ST.37 XML streamed (a national file is big)
    try:
        tree = xmlsafe.parse(path)
    except xmlsafe.UnsafeXML as exc:
        return FileVerdict(name, "unknown", "invalid", [str(exc)])
    except (OSError, etree.XMLSyntaxError) as exc:
        return FileVerdict(name, "unknown", "invalid", [f"not well-formed XML: {exc}"])
    root = tree.getroot()
    kind = detect(root)
    try:
        if kind == "ST.36":
            version = root.get("dtd-version")
            if version is not None and not _ST36_VERSIONS.fullmatch(version.strip()):
                return FileVerdict(name, kind, f"not checked: its dtd-version {version[:60]!r} is not a version of "
                                   f"{ST36_DTD.name} (the ST.36 model here): nothing said about it")
            errors = check_st36(root, base, in_place=True)
        elif kind == "ST.96":
            errors = check_st96(root, base)
        elif kind == "USPTO":
            if local_name(root) == "patent-application-publication":
                return FileVerdict(name, kind, "not checked: a legacy USPTO pap document (2001-2004; its SGML-derived "
                                   "DTD is not here; 'authority build' reads it)")
            return FileVerdict(name, kind, "not checked: USPTO DTD needs MathML (USPTO ST.36-derived, reference only)")
        elif kind == "ST.37":
            return _check_st37(path, st37)
        elif kind == "toc":
            dtd = tree.docinfo.internalDTD
            if dtd is None:
                return FileVerdict(name, kind, "not checked: toc.xml without its internal DTD")
            errors = [] if dtd.validate(root) else _messages(dtd.error_log.filter_from_errors())
        elif kind == "manifest":
            errors = _check_manifest(path, root)
        else:
            return FileVerdict(name, kind, "invalid", [
                f"root element <{root.tag}> is not ST.36 (*-patent-document), ST.96 (pat:PatentPublication) "
                "or ST.37 (authority-file)"])
    except SchemaMissing as exc:
        return FileVerdict(name, kind, f"not checked: {exc}", schema_missing=True)
    return FileVerdict(name, kind, "invalid" if errors else "valid", errors)


def _check_manifest(path: Path, root: etree._Element) -> list[str]:
    """A ``digitize package`` manifest: every listed file present with its size and SHA-256."""
    import hashlib

    errors = []
    base = path.parent.resolve()
    for f in root.iter("file"):
        name = f.get("name") or ""
        target = (base / name).resolve()
        if base not in target.parents:
            errors.append(f"line {f.sourceline}: {name}: outside the package")
        elif not target.is_file():
            errors.append(f"line {f.sourceline}: {name}: missing")
        else:
            data = target.read_bytes()
            if str(len(data)) != f.get("bytes") or hashlib.sha256(data).hexdigest() != f.get("sha256"):
                errors.append(f"line {f.sourceline}: {name}: size or SHA-256 differs from the manifest")
        if len(errors) >= MAX_ERRORS:
            break
    return errors


def _check_st37(path: Path, check_file: Callable[[Path], Any] | None) -> FileVerdict:
    if check_file is None:
        return FileVerdict(str(path), "ST.37", "not checked: ST.37 checker not available")
    result = check_file(path)
    # Accept the shapes a checker may reasonably return: a list of problems, an object with
    # ``errors``/``problems``, or a bool.
    if isinstance(result, bool):
        problems: list[str] = [] if result else ["invalid ST.37 authority file"]
    elif isinstance(result, (list, tuple)):
        problems = [str(p) for p in result]
    else:
        problems = [str(p) for p in (getattr(result, "errors", None) or getattr(result, "problems", None) or [])]
        if getattr(result, "ok", getattr(result, "valid", True)) is False and not problems:
            problems = ["invalid ST.37 authority file"]
    return FileVerdict(str(path), "ST.37", "invalid" if problems else "valid", problems[:MAX_ERRORS])
