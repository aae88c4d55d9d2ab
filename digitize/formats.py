"""The output formats a document can be written as: name, file suffix and kind, in one registry.

The job setting ``formats``, ``digitize run --formats``, the emit stage, re-application after
review and the warm-up all take their names from here; ``emit`` binds each name to its writer
(and refuses to load if a registered name has none). Data only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # as a job and the command line name it
    suffix: str  # the document's file is ``<DOCID><suffix>``
    kind: str  # "xml": rendered from the document and validated; "pdf": the page images with their text


# in the order they are written
REGISTRY = (
    Format("st36", ".st36.xml", "xml"),  # WIPO ST.36 full text
    Format("st96", ".st96.xml", "xml"),  # WIPO ST.96 full text
    Format("pdf", ".pdf", "pdf"),  # the searchable facsimile (PDF/A-2b)
)
BY_NAME = {f.name: f for f in REGISTRY}
NAMES = tuple(BY_NAME)  # every format
XML = tuple(f.name for f in REGISTRY if f.kind == "xml")
DEFAULT = XML  # a job writes the XML; the facsimile on request
SUFFIXES = tuple(f.suffix for f in REGISTRY)


def file_name(doc_id: str, name: str) -> str:
    """``EP2400812A1`` and ``st36`` → ``EP2400812A1.st36.xml``."""
    return doc_id + BY_NAME[name].suffix

