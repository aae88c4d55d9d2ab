"""Elements of patent XML read the same way by every format's reader: local names (namespaces
ignored), a child along a path of local names, an element's text, a language code."""

from __future__ import annotations

from typing import Any


def local_name(el: Any) -> str:
    """The tag without its namespace; '' for a comment, processing instruction or entity."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child(el: Any, *names: str) -> Any:
    """The first child along the path of local names (``child(el, "a", "b")``), or None."""
    for name in names:
        if el is None:
            return None
        el = next((c for c in el if local_name(c) == name), None)
    return el


def all_text(el: Any) -> str:
    """Every text node of the element and its descendants, as written ('' for None)."""
    return "" if el is None else "".join(el.itertext())


def text(el: Any) -> str | None:
    """The element's text without surrounding white space, or None when there is none."""
    return all_text(el).strip() or None


def has_text(el: Any) -> bool:
    return any(t.strip() for t in el.itertext())


def lang_code(value: str | None) -> str | None:
    """The ISO 639-1 code a ``lang`` value starts with (``"en"``, ``"EN-us"`` -> ``"en"``), or None."""
    if not value:
        return None
    v = value.strip().lower()[:2]
    return v if len(v) == 2 and v.isalpha() else None
