"""XML input that can never reach the file system or the network.

Patent XML arrives from outside. The parser never loads a DTD, never resolves an entity and never
opens a network connection; on top of that, a file whose DOCTYPE declares any ``<!ENTITY`` (the
vehicle of XXE and of billion-laughs expansion) is refused *before* the parser sees it, by
scanning the prolog as text. Real patent XML only references its DTD by SYSTEM/PUBLIC identifier
(which is not loaded), so nothing legitimate is lost.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from lxml import etree

MAX_PROLOG = 1 << 20  # a prolog (declaration, comments, DOCTYPE) larger than this is refused


class UnsafeXML(ValueError):
    """The file declares entities (or its prolog is abnormal): refused, nothing read from it."""


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _prolog(path: Path) -> str:
    """Everything before the root element's start tag, decoded enough to find markup."""
    with open(path, "rb") as fh:
        head = fh.read(4)
        fh.seek(0)
        enc = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "latin-1"
        data = b""
        text = ""
        while True:
            chunk = fh.read(65536)
            data += chunk
            text = data.decode(enc, errors="replace")
            end = _root_start(text)
            if end is not None:
                return text[:end]
            if not chunk:
                return text
            if len(data) > MAX_PROLOG:
                raise UnsafeXML(f"prolog larger than {MAX_PROLOG} bytes before the root element")


def _root_start(text: str) -> int | None:
    """Index of the root element's ``<`` once the prolog is complete, else None (read more)."""
    i, n = 0, len(text)
    while i < n:
        j = text.find("<", i)
        if j < 0 or j + 1 >= n:
            return None
        if text.startswith("<?", j):
            k = text.find("?>", j)
        elif text.startswith("<!--", j):
            k = text.find("-->", j)
        elif text.startswith("<!DOCTYPE", j) or text.startswith("<!doctype", j):
            k = _doctype_end(text, j)
        elif text.startswith("<!", j):
            k = text.find(">", j)
        else:
            return j
        if k is None or k < 0:
            return None
        i = k + 1
    return None


def _doctype_end(text: str, start: int) -> int | None:
    """End of a DOCTYPE, honouring quotes and the ``[ ... ]`` internal subset."""
    depth, quote = 0, ""
    for k in range(start + 9, len(text)):
        ch = text[k]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == ">" and depth <= 0:
            return k
    return None


_ENTITY = re.compile(r"<!\s*ENTITY", re.IGNORECASE)


def assert_safe(path: Path | str) -> None:
    """Raise ``UnsafeXML`` when the DOCTYPE declares entities (external or internal)."""
    prolog = _prolog(Path(path))
    m = _ENTITY.search(prolog)
    if m:
        decl = prolog[m.start(): m.start() + 120].split(">")[0]
        kind = "external entity" if re.search(r"\b(SYSTEM|PUBLIC)\b", decl) else "entity declaration"
        raise UnsafeXML(f"refused: DOCTYPE declares an {kind} ({' '.join(decl.split())[:80]}…); not parsed")


def _check_tree(tree: Any) -> None:
    """Second line of defence: nothing that the scan missed may carry entity declarations."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXML("refused: DOCTYPE declares entities")


def parse(path: Path | str) -> Any:
    """A parsed tree, or ``UnsafeXML`` / ``etree.XMLSyntaxError``."""
    assert_safe(path)
    tree = etree.parse(str(path), parser())
    _check_tree(tree)
    return tree


def iterparse(path: Path | str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
    """``etree.iterparse`` with the same guarantees, for files too large to hold."""
    assert_safe(path)
    return etree.iterparse(
        str(path), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, **kwargs
    )
