"""What a reviewer's decision may be: the actions, and the checks a typed value must pass.

Decision rules are the profile's (field formats, the mandatory fields); the queue store applies
them to every decision, the review page and the sheet import show their reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .. import dates

ACTIONS = ("accept", "suggestion", "correct", "illegible", "not-text", "line")
# ``line``: ``value`` is the whole corrected line the word belongs to (split and joined words);
# ``not-text``: a drawing label, stamp or speck: the word leaves the text and the queue.


class QueueError(Exception):
    """A queue operation that cannot be done (unknown item, bad action)."""


class ValueRefused(QueueError):
    """A decision whose value is not acceptable; the message is the reason shown to the reviewer."""

# --------------------------------------------------------------------------- what a value may be

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_EXAMPLES = {"office": "EP", "doc_number": "2400812", "kind": "A1", "application_number": "17185386.1",
             "date": "2024-03-15 or 15.03.2024"}


@dataclass(frozen=True)
class DecisionRules:
    """What a reviewer's value may be: bibliographic field formats from the profile
    (``[queue] field_formats``) and the longest correction (``[queue] max_length``)."""

    field_formats: tuple[tuple[str, str], ...] = ()
    max_length: int = 300
    # (field name, value) → None or ValueError(reason): a list item's value (parties:72, states:84 …)
    # read by the structure stage's parsers; given by the layer that may import them (review)
    list_check: Callable[[str, str], None] | None = field(default=None, compare=False)

    @classmethod
    def from_profile(cls, profile: Any) -> "DecisionRules":
        from ..settings.profile import or_defaults

        s = or_defaults(profile).proofread
        return cls(field_formats=tuple(s.queue_field_formats), max_length=int(s.queue_max_length))

    @classmethod
    def default(cls) -> "DecisionRules":
        from ..settings.proofread import DEFAULT_FIELD_FORMATS, ProofreadSettings

        return cls(field_formats=DEFAULT_FIELD_FORMATS, max_length=ProofreadSettings.queue_max_length)

    def format_of(self, field_name: str | None) -> str | None:
        return dict(self.field_formats).get(field_name or "")

    def expected(self, field_name: str | None) -> str:
        """The expected format in words, for the review page and refusals."""
        fmt = self.format_of(field_name)
        if fmt is None:
            return ""
        if fmt == "date":
            return f"a date, e.g. {_EXAMPLES['date']}"
        example = _EXAMPLES.get(field_name or "")
        return f"matching {fmt}" + (f", e.g. {example}" if example else "")


def check_text(value: str, rules: DecisionRules, *, lines: bool = False) -> str:
    """Any reviewer text: no control characters (a NUL or form feed would break the ``.txt``
    page separators), at most ``max_length`` characters. Returns it stripped. A list field
    (``lines``: parties, one a line) keeps its line breaks."""
    if lines:
        value = value.replace("\r\n", "\n")
    m = _CONTROL.search(value.replace("\n", " ") if lines else value)
    if m:
        raise ValueRefused(f"the value contains a control character (U+{ord(m.group()):04X}); type plain text only")
    value = value.strip()
    if len(value) > rules.max_length:
        raise ValueRefused(f"the value is {len(value)} characters long; at most {rules.max_length} are allowed")
    return value


def check_field(field_name: str | None, value: str, rules: DecisionRules, *, mandatory: bool) -> str:
    """A bibliographic field's value against the profile's format; returns it normalised (dates
    as ISO, codes in capitals). Raises ValueRefused with the expected format."""
    name = field_name or "field"
    if not value:
        if mandatory:
            raise ValueRefused(f"{name} is mandatory: enter a value ({rules.expected(field_name) or 'any text'})")
        return value
    fmt = rules.format_of(field_name)
    if fmt is None:
        return value
    if fmt == "date":
        typed = dates.written(value, dates.TYPED_FORMATS)
        if typed is None:
            raise ValueRefused(f"{value!r} is not a valid date for {name}: expected {rules.expected(field_name)}")
        return typed.isoformat()
    if field_name in ("office", "kind"):
        value = value.upper()
    if field_name == "doc_number":
        value = re.sub(r"[\s.,]", "", value)
    if not re.fullmatch(fmt, value):
        raise ValueRefused(f"{value!r} does not fit {name}: expected {rules.expected(field_name)}")
    return value


def checked_value(row: Any, action: str, value: str | None, rules: DecisionRules) -> str:
    """The final text of ``row`` (a queue item) under ``action``: every check a decision gets,
    from the web page and the CSV import alike."""
    kind, field_name, mandatory = row["kind"], row["field_name"], bool(row["mandatory"])
    lines = kind == "field" and ":" in (field_name or "")  # a list: one entry a line
    if kind == "field" and action in ("illegible", "not-text", "line"):
        if action == "illegible" and not mandatory:
            return row["text"]
        raise ValueRefused(f"{action} is for words; a field takes a value ({rules.expected(field_name) or 'any text'})")
    if action == "not-text":
        return ""
    if action in ("accept", "illegible"):
        if kind == "field":
            return check_field(field_name, check_text(row["text"] or "", rules, lines=lines), rules,
                               mandatory=mandatory)
        return row["text"]
    text = check_text(value or "", rules, lines=lines)
    if not text:
        if kind == "field":
            check_field(field_name, "", rules, mandatory=True)
        raise ValueRefused(f"action {action!r} needs a non-empty value (use Not text to remove a word)")
    if kind == "field" and rules.list_check is not None and ":" in (field_name or ""):
        try:
            rules.list_check(field_name, text)
        except ValueError as exc:
            raise ValueRefused(f"{field_name}: {exc}") from None
    if kind == "field":
        return check_field(field_name, text, rules, mandatory=mandatory)
    return text


