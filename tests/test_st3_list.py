"""The ST.3 list digitize ships is the schema's, so office and country codes are repaired and
checked the same way with or without ../shared/standards."""

from __future__ import annotations

from digitize import validate
from digitize.structure import repair


def test_the_shipped_list_is_the_schemas(schema_dir):
    codes = validate.st96_codes(schema_dir)
    assert repair.shipped_st3_codes() == codes["st3"] | codes["country"]


def test_codes_are_repaired_against_a_list_whatever_is_installed():
    """``Fl`` is FI, ``EP`` (an office, no country) is kept, ``PJ`` (no code) is not one."""
    assert repair.st3_codes() and repair.country("Fl") == "FI" and repair.country("EP") == "EP"
    assert repair.country("PJ") is None and repair.states("SISK") == (["SI", "SK"], [])
