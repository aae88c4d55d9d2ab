"""The one way digitize and authority read XML that comes from outside.

The parser never loads a DTD, never resolves an entity and never opens a network connection;
on top of that, a file whose DOCTYPE declares any entity (general or parameter, internal or
external: the vehicle of XXE and of billion-laughs expansion) is refused, except unparsed entities
(``NDATA``: names of image files, never opened); so is a reference to an undeclared entity (kept
by a parser that does not load the named DTD, and dropped from the text), an XInclude element
and an element with more than ``MAX_ATTRIBUTES`` attributes. The declarations are
found by parsing (lxml's view of the internal subset), not by scanning text: a comment holding
``]>`` inside the DOCTYPE cannot hide one, and a reference such as ``120&x;`` is never read
as ``120``. Real patent XML only names its DTD by SYSTEM/PUBLIC identifier (not loaded), so
nothing legitimate is refused.

One exception to the undeclared reference: USPTO's SGML-derived DTDs (pap 2001-2004, the ST.32
grant DTD) bring in the ISO 8879 character entity sets, and their documents use them
(``&lsqb;0001&rsqb;``, ``Zeocin&trade;``, ``200 &mgr;l``). In a document naming one of those
DTDs, a reference to a name of those sets is read as its one character (a fixed table: nothing
is loaded, fetched or expanded); any other reference is refused as above.
"""

from __future__ import annotations

import io
from html.entities import html5
from pathlib import Path
from typing import Any, Iterator

from lxml import etree


class UnsafeXML(ValueError):
    """The DOCTYPE declares entities: refused, nothing of the file is used."""


def parser(**kw: Any) -> etree.XMLParser:
    """No DTD, no entities, no network (``huge_tree`` and the like may be added by the caller)."""
    kw.setdefault("huge_tree", False)
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, **kw)


XINCLUDE = "{http://www.w3.org/2001/XInclude}"
MAX_ATTRIBUTES = 256  # per element; real patent XML has a handful


def unparsed(decl: Any) -> bool:
    """An unparsed entity (``<!ENTITY name SYSTEM "x.TIF" NDATA TIF>``): legacy USPTO XML names
    its page images so. Such an entity is never fetched nor expanded: it is only a name that
    ENTITY attributes refer to (lxml shows its notation as the content)."""
    return bool(decl.system_url) and decl.orig is None and bool(decl.content)


def check_doctype(docinfo: Any) -> None:
    """Raise ``UnsafeXML`` when the document's internal DTD declares an entity (other than an
    unparsed one, which is read as what it is: a name for a file that is never opened)."""
    dtd = docinfo.internalDTD
    if dtd is None:
        return
    for decl in dtd.iterentities():
        if unparsed(decl):
            continue
        kind = "an external entity" if decl.system_url else "an entity"
        raise UnsafeXML(f"refused: the DOCTYPE declares {kind} ({decl.name}); not read")


def check_elements(elements: Any) -> None:
    """Raise ``UnsafeXML`` for what a parser without a DTD keeps but must not be read as data:
    a reference to an entity nobody declared (``123&evil;`` read as ``123``), an XInclude
    element, an element with more than ``MAX_ATTRIBUTES`` attributes."""
    for el in elements:
        if el.tag is etree.Entity:
            raise UnsafeXML(f"refused: a reference to an undeclared entity ({el.text}); not read")
        if not isinstance(el.tag, str):
            continue
        if el.tag.startswith(XINCLUDE):
            raise UnsafeXML("refused: an XInclude element (xi:include); not read")
        if len(el.attrib) > MAX_ATTRIBUTES:
            raise UnsafeXML(f"refused: an element <{el.tag[:60]}> with {len(el.attrib)} attributes; not read")


# USPTO's SGML-derived DTDs, which include the ISO 8879 character entity sets
ISO_ENTITY_DTDS = ("pap-v15-2001-01-31.dtd", "pap-v16-2002-01-01.dtd", "ST32-US-Grant-025xml.dtd")
# ISOgrk1 (Greek letters; ISOlat1, ISOnum, ISOpub, ISOdia, ISOtech names are HTML's, ``html5``)
_ISOGRK1 = dict(zip(
    "agr bgr ggr dgr egr zgr eegr thgr igr kgr lgr mgr ngr xgr ogr pgr rgr sgr sfgr tgr ugr phgr khgr psgr ohgr "
    "Agr Bgr Ggr Dgr Egr Zgr EEgr THgr Igr Kgr Lgr Mgr Ngr Xgr Ogr Pgr Rgr Sgr Tgr Ugr PHgr KHgr PSgr OHgr".split(),
    "αβγδεζηθικλμνξοπρσςτυφχψω" "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"))


def iso_character(name: str) -> str | None:
    """The character an ISO 8879 entity name stands for, or None."""
    return _ISOGRK1.get(name) or html5.get(name + ";")


def read_characters(tree: Any) -> None:
    """In a document naming one of ``ISO_ENTITY_DTDS``, each reference to an ISO character
    entity becomes its character in the text (other references stay, for ``check_elements``).
    Each element's text is rebuilt once: a million references in one paragraph cost a million
    steps, not a million copies of the paragraph."""
    system = (tree.docinfo.system_url or "").rsplit("/", 1)[-1]
    if system not in ISO_ENTITY_DTDS:
        return
    parents = dict.fromkeys(ref.getparent() for ref in tree.getroot().iter(etree.Entity)
                            if iso_character(ref.name) is not None)
    for parent in parents:
        kept, pieces = None, [parent.text or ""]  # the text after ``kept`` (the parent's own before any child)
        for child in list(parent):
            char = iso_character(child.name) if child.tag is etree.Entity else None
            if char is None:
                _put(parent, kept, pieces)
                kept, pieces = child, [child.tail or ""]
                continue
            pieces += (char, child.tail or "")
            parent.remove(child)
        _put(parent, kept, pieces)


def _put(parent: Any, kept: Any, pieces: list[str]) -> None:
    text = "".join(pieces) or None
    if kept is None:
        parent.text = text
    else:
        kept.tail = text


def parse(source: Path | str, **kw: Any) -> Any:
    """A parsed tree (``etree._ElementTree``), or ``UnsafeXML`` / ``etree.XMLSyntaxError``."""
    try:
        tree = etree.parse(str(source), parser(**kw))
    except etree.XMLSyntaxError:
        assert_safe(source)  # libxml2 may stop at an entity first (amplification): say why
        raise
    check_doctype(tree.docinfo)
    read_characters(tree)
    check_elements(tree.iter())
    return tree


def fromstring(data: bytes, **kw: Any) -> Any:
    """The root element of ``data`` with the same guarantees."""
    try:
        root = etree.fromstring(data, parser(**kw))
    except etree.XMLSyntaxError:
        assert_safe(io.BytesIO(data))
        raise
    check_doctype(root.getroottree().docinfo)
    read_characters(root.getroottree())
    check_elements(root.iter())
    return root


def iterparse(path: Path | str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
    """``etree.iterparse`` with the same guarantees, for files too large to hold: the DOCTYPE is
    checked before the first event is given out (and at the end when no event matched)."""
    events = etree.iterparse(path if hasattr(path, "read") else str(path), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             **kwargs)
    checked = False
    filtered = "tag" in kwargs  # events for some elements only: each one's whole subtree is checked
    for event, el in events:
        if not checked:
            check_doctype(el.getroottree().docinfo)
            checked = True
        if event == "start":
            check_elements((el,))
        elif event == "end":  # its subtree is whole now; without a filter, every element ends: its children do
            check_elements(el.iter() if filtered else (el, *el))
        yield event, el
    if not checked and events.root is not None:
        check_doctype(events.root.getroottree().docinfo)


def assert_safe(path: Path | str | io.BytesIO) -> None:
    """Raise ``UnsafeXML`` when the DOCTYPE declares entities. Reads up to the root's start tag;
    a file that is not well-formed before that is left to the caller's parse to report."""
    try:
        for _ in iterparse(path, events=("start",)):
            return
    except etree.XMLSyntaxError as exc:
        if "amplification" in str(exc):  # libxml2 stopped an entity expansion before the root
            raise UnsafeXML("refused: the DOCTYPE declares entities that expand without bound; not read") from None
        return
