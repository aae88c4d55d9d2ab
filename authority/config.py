"""What the authority build reads of a profile: kind and exception codes, numbers, the schema.

The ``[authority]`` section's model and its keys are in ``digitize/settings/authority.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from digitize.settings.authority import CodeNote

if TYPE_CHECKING:
    from digitize.settings.profile import Profile

__all__ = ["exception_codes", "kind_codes", "profile_for_office", "schema_path", "strip_leading_zeros", "unconfirmed"]


def _desc(value: str | CodeNote) -> str:
    return value.description if isinstance(value, CodeNote) else value


def _kind_table(profile: Profile | None) -> dict[str, str | CodeNote]:
    if profile is None:
        return {}
    own = profile.authority.office_kind_codes
    return {k.code: k for k in own} if own is not None else dict(profile.authority.kind_codes)


def kind_codes(profile: Profile | None) -> dict[str, str]:
    """{kind code: description} the office's profile defines (its own list when it has one)."""
    return {code: _desc(v) for code, v in _kind_table(profile).items()}


def exception_codes(profile: Profile | None) -> dict[str, str]:
    return {code: _desc(v) for code, v in profile.authority.exception_codes.items()} if profile is not None else {}


def unconfirmed(profile: Profile | None) -> dict[tuple[str, str], str]:
    """{("kind"|"exception", code): source note} of the codes marked ``confirmed = false``."""
    if profile is None:
        return {}
    out = {}
    for sort, table in (("kind", _kind_table(profile)), ("exception", profile.authority.exception_codes)):
        for code, v in table.items():
            if isinstance(v, CodeNote) and not v.confirmed:
                out[(sort, code)] = v.source
    return out


def strip_leading_zeros(profile: Profile | None) -> bool:
    return profile.authority.strip_leading_zeros if profile is not None else False


def schema_path(profile: Profile | None) -> Path | None:
    if profile is None or not profile.authority.schema:
        return None
    return Path(profile.authority.schema)


def profile_for_office(office: str, name: str | None = None) -> Profile:
    """The named profile, else the one named after the office (``ep``), else ``generic``."""
    from digitize.settings import profile as profiles

    if name:
        return profiles.load(name)
    cand = office.lower()
    if cand in profiles.available():
        prof = profiles.load(cand)
        if prof.office == office.upper():
            return prof
    return profiles.load("generic")
