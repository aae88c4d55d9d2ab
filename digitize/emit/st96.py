"""ST.96 V6_0 full text (``pat:PatentPublication``) from the ``st96.xml.j2`` template, checked
against ``st96-v6_0/PatentPublication_V6_0.xsd`` (compiled once per process)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from .. import validate
from .templates import render

TEMPLATE = "st96.xml.j2"


def build(context: dict[str, Any], template_set: str, extra_root: str | None = None) -> etree._Element:
    return render(TEMPLATE, template_set, context, extra_root=extra_root)


def check(root: etree._Element, schema_dir: Path | None) -> list[str]:
    """Validator messages ([] when valid); raises ``validate.SchemaMissing``."""
    return validate.check_st96(root, schema_dir)
