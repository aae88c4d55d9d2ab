"""Text on its way into XML: what XML 1.0 forbids is removed, nothing else is touched.

OCR text can hold anything: control characters from a bad scan, lone surrogates from a broken
decoder, U+FFFE. XML 1.0 allows only ``#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
[#x10000-#x10FFFF]``; everything else is dropped here, so the parser never refuses a document
because of one bad character. Markup-significant characters (``<``, ``&``, ``]]>``) are *not*
handled here: escaping is the serialiser's job (Jinja2 autoescape, then lxml).

``segments`` cuts a text into runs for inline markup (claim references, doubtful OCR words) from
character offsets, without ever overlapping two runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot carry (None becomes "")."""
    if not text:
        return ""
    return _FORBIDDEN.sub("", str(text))


def text(value: str | None) -> str:
    """``value`` cleaned and escaped as element content in markup that lxml will parse back to
    exactly ``clean(value)`` (a raw carriage return would be read as a newline)."""
    return escape_text(clean(value))


def attr(value: str | None) -> str:
    """``value`` cleaned and escaped for a double-quoted attribute that parses back to exactly
    ``clean(value)`` (attribute-value normalisation would turn raw tabs and newlines into spaces)."""
    return escape_attr(clean(value))


def escape_text(v: str) -> str:
    """``text`` for a value already cleaned."""
    if "&" in v or "<" in v or ">" in v or "\r" in v:
        v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return v


def escape_attr(v: str) -> str:
    """``attr`` for a value already cleaned."""
    v = escape_text(v)
    if '"' in v or "\n" in v or "\t" in v:
        v = v.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return v


def normalize_space(text: str) -> str:
    """Runs of whitespace to one space, trimmed: how texts are compared after a round trip."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Segment:
    """A run of text; ``ref`` is the XML id of a referenced claim, ``conf`` an OCR confidence
    (0..100) when the run is in doubt. At most one of the two is set."""

    text: str
    ref: str | None = None
    conf: int | None = None


def segments(text: str, refs: list[tuple[int, int, str]], doubts: list[tuple[int, int, float]]) -> list[Segment]:
    """Split ``text`` (already cleaned) into runs. ``refs`` are (start, end, target id), ``doubts``
    (start, end, confidence); offsets are clipped to the text, overlapping spans are dropped
    (claim references win over doubts, earlier spans over later ones). The runs' texts always
    concatenate back to ``text`` exactly."""
    n = len(text)
    spans: list[tuple[int, int, str | None, int | None]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e, _, _ in spans)

    for start, end, target in refs:
        a, b = max(0, int(start)), min(n, int(end))
        if a < b and free(a, b):
            spans.append((a, b, target, None))
    for start, end, conf in doubts:
        a, b = max(0, int(start)), min(n, int(end))
        if a < b and free(a, b):
            spans.append((a, b, None, max(1, min(100, int(round(conf))))))
    spans.sort()
    out: list[Segment] = []
    pos = 0
    for a, b, target, conf in spans:
        if a > pos:
            out.append(Segment(text[pos:a]))
        out.append(Segment(text[a:b], ref=target, conf=conf))
        pos = b
    if pos < n or not out:
        out.append(Segment(text[pos:]))
    return out
