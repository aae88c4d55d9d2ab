"""Warm-up of a worker: what the first finish would load is loaded ahead, and nothing raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from digitize import profiles, validate
from digitize.pipeline import warm

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "standards"


@pytest.mark.skipif(not (SCHEMAS / "st96-v6_0").is_dir(), reason="needs ../shared/standards (the WIPO schemas)")
def test_warm_compiles_the_schemas_once():
    profile = profiles.load("ph")
    warm(profile, ("st36", "st96"), SCHEMAS)
    xsd = (SCHEMAS / validate.ST96_XSD).resolve()
    assert xsd in validate._schemas and (SCHEMAS / validate.ST36_DTD).resolve() in validate._dtds
    compiled = validate._schemas[xsd]
    assert warm(profile, ("st36", "st96"), SCHEMAS) < 0.5  # cached: the second call loads nothing
    assert validate.st96_schema(SCHEMAS) is compiled


def test_warm_without_schemas_does_not_raise(tmp_path):
    assert warm(profiles.load("generic"), ("st36", "st96"), tmp_path / "nowhere") >= 0
