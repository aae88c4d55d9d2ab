"""Emission: a ``Document`` → its files in the formats of ``digitize/formats.py``, each bound to
its writer here (this package does not load if a registered format has none).

    result = write_outputs(doc, out_dir, profile, formats=("st36", "st96", "pdf"))
    result.validated                                    # "yes" | "not-validated: <why>"

One view of the document (``view.build``) feeds the ST.36 and ST.96 templates, so both carry the
same data; each is validated (EP v1.5 DTD, ST.96 V6_0 XSD) and if any is invalid ``EmitError``
is raised and *nothing* is written. The facsimile PDF is made from the folder's page images
(``facsimile.py``). The production date is written only when given or when ``SOURCE_DATE_EPOCH``
is set, so reruns are byte-identical.
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import dates, validate
from ..errors import InputError
from ..formats import DEFAULT, NAMES, XML, file_name
from ..fsutil import atomic_write
from ..jobfolder import DocumentFolder
from ..model import Document
from ..settings.profile import or_defaults
from . import facsimile, st36, st96, view
from .templates import TemplateError, serialize

if TYPE_CHECKING:
    from ..settings.profile import Profile

__all__ = ["EmitError", "EmitResult", "emit_document", "render_document", "write_outputs"]

# the writer of every registered format: the XML ones are rendered from the document's view and
# written together once all are valid; the others are made from the document folder's files
XML_BUILDERS = {"st36": st36, "st96": st96}
FILE_WRITERS = {"pdf": facsimile.write_facsimile}
_BOUND = (*XML_BUILDERS, *FILE_WRITERS)
if sorted(_BOUND) != sorted(NAMES) or set(XML_BUILDERS) != set(XML):
    raise RuntimeError(f"every output format needs one writer: registered {NAMES}, bound {_BOUND}")


class EmitError(InputError):
    """A result that failed validation (or a broken template); one validator message per line."""


@dataclass
class EmitResult:
    files: list[Path] = field(default_factory=list)
    validated: str = "yes"  # "yes" | "not-validated: <why>"
    seconds: float = 0.0  # render + validate + write


def produced_date(explicit: _dt.date | None = None) -> _dt.date | None:
    """The production date to write: ``explicit``, else ``$SOURCE_DATE_EPOCH`` (UTC), else None."""
    if explicit is not None:
        return explicit
    epoch = dates.source_date_epoch()
    return None if epoch is None else dates.utc_day(epoch)


def _office(profile: Profile) -> str:
    return str(getattr(profile, "office", "XX") or "XX").upper()


def render_document(doc: Document, profile: Profile, *, formats: tuple[str, ...] | None = None,
                    schema_dir: Path | None = None, produced: _dt.date | None = None) -> tuple[dict[str, bytes], str]:
    """Render and validate without writing: ({format: bytes}, validated). Raises ``EmitError``."""
    settings = or_defaults(profile).emit
    fmts = tuple(formats) if formats is not None else DEFAULT
    unknown = [f for f in fmts if f not in XML_BUILDERS]
    if unknown:
        raise EmitError(f"unknown output format(s) {unknown}; known: {', '.join(XML_BUILDERS)}")
    base = validate.schema_dir(schema_dir)
    codes = validate.st96_codes(base)
    context = view.build(doc, profile_office=_office(profile), profile_lang=str(getattr(profile, "lang", "") or ""),
                         settings=settings, codes=codes, produced=produced_date(produced))
    template_set = settings.template_set or _office(profile).lower()
    out: dict[str, bytes] = {}
    notes: list[str] = []
    for fmt in fmts:
        builder = XML_BUILDERS[fmt]
        try:
            root = builder.build(context, template_set, settings.templates)
        except TemplateError as exc:
            raise EmitError(str(exc)) from None
        try:
            errors = builder.check(root, base)
        except validate.SchemaMissing as exc:
            validate.warn_once(f"{fmt.upper()} output is not validated: {exc}")
            notes.append(f"{fmt}: {exc}")
            errors = []
        if errors:
            raise EmitError("\n".join([f"{file_name(doc.doc_id, fmt)} is invalid:"] + errors[:5]))
        out[fmt] = serialize(root)
    if not fmts:
        notes.append("no output format requested")
    return out, ("yes" if not notes else "not-validated: " + "; ".join(notes))


def emit_document(doc: Document, out_dir: Path, profile: Profile, *, formats: tuple[str, ...] | None = None,
                  schema_dir: Path | None = None, produced: _dt.date | None = None) -> EmitResult:
    """Write ``<DOCID>.st36.xml`` / ``<DOCID>.st96.xml`` into ``out_dir`` once all are valid.

    ``formats`` (XML ones only) defaults to both."""
    start = time.perf_counter()
    data, validated = render_document(doc, profile, formats=formats, schema_dir=schema_dir, produced=produced)
    files = []
    folder = DocumentFolder(out_dir)
    for fmt, payload in data.items():
        path = folder.output(doc.doc_id, fmt)
        atomic_write(path, payload)
        files.append(path)
    return EmitResult(files=files, validated=validated, seconds=time.perf_counter() - start)


def write_outputs(doc: Document, out_dir: Path, profile: Profile, *, formats: tuple[str, ...] = DEFAULT,
                  schema_dir: Path | None = None) -> EmitResult:
    """Write the document's files in ``formats`` into its folder ``out_dir``: the XML ones once
    all are valid (``emit_document``), then the facsimile from the folder's page images and hOCR."""
    start = time.perf_counter()
    result = EmitResult(validated="not-validated: no XML format requested")
    xml_formats = tuple(f for f in formats if f not in FILE_WRITERS)
    if xml_formats:
        result = emit_document(doc, out_dir, profile, formats=xml_formats, schema_dir=schema_dir)
    for name, write in FILE_WRITERS.items():
        if name in formats:
            result.files.append(write(Path(out_dir), doc.doc_id, lang=doc.lang))
    result.seconds = time.perf_counter() - start
    return result
