"""The job's products after its documents: the authority file (ST.37, ``authority.build``) and the
report (``digitize.report``), written again from the ledger and the documents whenever a run ends
(``run``) or a service is idle or stops (``service``). Which ones the job wants is its settings'
(``authority``, ``report``). A product that cannot be written is a warning: the documents'
results stand.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from ..settings.job import JobSettings
from ..settings.profile import Profile
from ..store.ledger import Ledger

log = logging.getLogger("digitize")


def write_products(job: JobSettings, out: Path, ledger: Ledger, profile: Profile) -> None:
    """Write the products the job wants, the authority file first; one that fails is logged and the
    next is written."""
    for name, wanted, write in (("authority file", job.authority, write_authority), ("report", job.report, write_report)):
        if not wanted:
            continue
        try:
            write(out, ledger, profile)
        except Exception as exc:  # noqa: BLE001  the batch's results stand
            log.warning("%s not written: %s", name, exc)


def write_authority(out: Path, ledger: Ledger, profile: Profile) -> None:
    """``OUT/authority/``: the ST.37 authority file of the job's documents."""
    from authority.build import build_from_job

    build_from_job(out, office(ledger, profile), profile)


def write_report(out: Path, ledger: Ledger, profile: Profile) -> None:
    """``OUT/report.html``."""
    from .. import report

    report.write_report(out)


def office(ledger: Ledger, profile: Profile) -> str:
    """The profile's office; for a generic profile, the office most documents say they are from."""
    if profile.office != "XX":
        return profile.office
    offices = Counter(r["doc_id"][:2] for r in ledger.rows() if r["doc_id"] and re.match(r"[A-Z]{2}\d", r["doc_id"]))
    return offices.most_common(1)[0][0] if offices else "XX"
