"""The template engine: Jinja2, sandboxed, autoescaped, then parsed by lxml.

Templates live in ``st36_templates/<set>/<name>.xml.j2``; the set is the profile's
``[emit] template_set`` (default: the office code, ``ph``), falling back to ``default/`` file by
file. An extra root (``[emit] templates``) is searched before ``st36_templates/``. Templates get
only the plain view built by ``view.build``: they cannot call Python (sandbox), every ``{{ }}``
is XML-escaped by the engine, and the output is re-parsed by lxml with an XXE-safe parser before
anything is validated or written, so a template can produce invalid XML (caught) but never
smuggle text in as markup.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from ..resources import templates_dir
from ..xmlsafe import parser as safe_parser
from .xmltext import clean


class TemplateError(Exception):
    """A template that is missing, fails to render or does not produce well-formed XML."""


_envs: dict[tuple[str, ...], jinja2.Environment] = {}
_lock = threading.Lock()


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}``: XML-forbidden characters dropped, then escaped; carriage returns as
    character references so that the parser does not turn them into newlines."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return Markup(str(escape(clean(value))).replace("\r", "&#13;"))
    return value


def roots(extra: str | None = None) -> tuple[str, ...]:
    out = []
    if extra:
        out.append(str(Path(extra)))
    out.append(str(templates_dir()))
    return tuple(out)


def environment(search: tuple[str, ...]) -> jinja2.Environment:
    with _lock:
        env = _envs.get(search)
        if env is None:
            env = ImmutableSandboxedEnvironment(
                loader=jinja2.FileSystemLoader(list(search)),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                finalize=_finalize,
            )
            _envs[search] = env
        return env


def render(name: str, template_set: str, context: dict[str, Any], *, extra_root: str | None = None) -> etree._Element:
    """Render ``<set>/<name>`` (else ``default/<name>``) and parse it into an lxml element."""
    env = environment(roots(extra_root))
    candidates = [f"{template_set}/{name}", f"default/{name}"] if template_set != "default" else [f"default/{name}"]
    try:
        template = env.select_template(candidates)
        text = template.render(template_set=template_set, **context)
    except jinja2.TemplateNotFound:
        raise TemplateError(f"template not found: {' or '.join(candidates)} under {', '.join(roots(extra_root))}") from None
    except jinja2.TemplateError as exc:
        where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise TemplateError(f"template {candidates[0]}{where}: {exc}") from None
    try:
        return etree.fromstring(text.lstrip().encode("utf-8"), safe_parser(huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"template {template.name} produced malformed XML: {exc}") from None


def serialize(root: etree._Element) -> bytes:
    """The file bytes: UTF-8, XML declaration, the layout the template wrote, a final newline."""
    body = etree.tostring(root, xml_declaration=False, encoding="UTF-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
