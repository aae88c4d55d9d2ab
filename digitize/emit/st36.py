"""ST.36 full text (``xx-patent-document``) from the ``st36.xml.j2`` template, checked against the
ST.36 model (the EP v1.5 DTD, validated on a copy whose root is ``ep-patent-document``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from .. import validate
from .templates import render

TEMPLATE = "st36.xml.j2"


def build(context: dict[str, Any], template_set: str, extra_root: str | None = None) -> etree._Element:
    return render(TEMPLATE, template_set, context, extra_root=extra_root)


def check(root: etree._Element, schema_dir: Path | None) -> list[str]:
    """Validator messages ([] when valid); raises ``validate.SchemaMissing``."""
    return validate.check_st36(root, schema_dir)
