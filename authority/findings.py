"""Findings collected while building or diffing: one line per problem, the batch goes
on (written to ``build-report.txt`` and printed by ``digitize authority``).

Levels: ``error`` (data left out or a rule broken: ``build`` exits non-zero), ``warning``
(kept, but someone should look), ``info`` (skipped on purpose, e.g. another office's document).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Findings:
    lines: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0

    def add(self, level: str, where: object, message: str) -> None:
        if level == "error":
            self.errors += 1
        elif level == "warning":
            self.warnings += 1
        self.lines.append(f"{level}: {where}: {message}")

    def error(self, where: object, message: str) -> None:
        self.add("error", where, message)

    def warning(self, where: object, message: str) -> None:
        self.add("warning", where, message)

    def info(self, where: object, message: str) -> None:
        self.add("info", where, message)
