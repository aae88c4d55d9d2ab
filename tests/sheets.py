"""What a reviewer does with an exported queue sheet, for the tests that import one: the account
the decisions are imported as, and the sheet written back with the decisions filled in."""

from __future__ import annotations

import csv
from pathlib import Path


def add_reviewer(job: Path, name: str = "ana") -> None:
    """The account a sheet's decisions are imported as (an unknown name is refused)."""
    from digitize.store.users import UserStore

    UserStore(Path(job) / "ledger.sqlite").add(name, "reviewer", "a password of the test", replace=True)


def write_sheet(sheet: Path, rows: list[dict]) -> None:
    """The rows back into the sheet, with the exported columns (the first row's keys)."""
    with Path(sheet).open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def fill_sheet(sheet: Path, rows: list[dict], decide) -> None:
    """Fill in an exported sheet as a reviewer does: ``decide(row)`` gives the row's
    ``(decision, value)`` (value None: left as exported); the sheet is written back."""
    for row in rows:
        decision, value = decide(row)
        row["decision"] = decision
        if value is not None:
            row["value"] = value
    write_sheet(sheet, rows)
