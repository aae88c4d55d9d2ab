"""Readers of patent XML that comes from outside, one module per format, every file parsed
through ``digitize.xmlsafe`` (no DTD, no entities, no network):

- ``st36``: ST.36 (EPO, ICE, USPTO, EPO full text) into a ``Document`` (``load``) or a ``Publication``;
- ``st96``: ST.96 ``PatentPublication``; ``pap``: USPTO's legacy application publications;
- ``publication``: the ``Publication`` each reader gives, what a file says the publication is;
- ``elements``: local names, children, text and language codes, read the same way by each.

Here: ``publication_of`` (the reader by the root element) and ``root_name``. The package sits
below the stages, so a stage and ``authority`` read patent XML the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import xmlsafe
from . import pap, st36, st96
from .elements import local_name
from .publication import Publication


def root_name(path: Path | str) -> str:
    """The local name of a file's root element, reading no further than its start tag."""
    for _, el in xmlsafe.iterparse(path, events=("start",)):
        return local_name(el)
    return ""


def publication_of(root: Any) -> Publication | None:
    """What the root of a parsed file says the publication is; None when it is not a patent
    publication of a format read here."""
    name = local_name(root)
    if name == st96.ROOT:
        return st96.publication(root)
    if st36.is_st36(name):
        return st36.publication(root)
    if name == pap.ROOT:
        return pap.publication(root)
    return None
