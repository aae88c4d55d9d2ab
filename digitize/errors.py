"""Every error digitize reports to a user, with the exit status it ends the command with.

Modelled on OCRmyPDF's ``exceptions.py``: the class says how bad it is, ``digitize.cli`` has the
one handler that prints ``digitize COMMAND: error: MESSAGE`` and returns ``exit_code``. This
module imports nothing of the project, so every layer (stages, pipeline, batch, commands) can
raise these without importing what sits above it.

Exit status: 0 nothing failed · 1 some documents failed, or an operation failed on its input ·
2 a usage error (command line, job or profile file, a folder that is not a job folder, a folder
another run holds) · 3 a missing dependency · 130 interrupted.
"""

from __future__ import annotations


class DigitizeError(Exception):
    """Base class: a message a user can act on, printed in one line."""

    exit_code = 1


class UsageError(DigitizeError):
    """A mistake in the command line or a configuration file: reported in one line, exit 2."""

    exit_code = 2


class ConfigError(UsageError, ValueError):
    """A job or profile file that cannot be used (base of ``JobError`` and ``ProfileError``)."""


class LockedError(UsageError):
    """The job folder is held by another ``digitize run`` (its lock file is locked)."""


class NotAJobFolder(UsageError):
    """The folder given holds no ledger: it is not the output folder of a run."""


class SharedFolderError(UsageError):
    """A worker does not see the job's output folder at the path the client gave (inputs and
    the output folder must be on a filesystem every worker sees, at the same path)."""


class MissingDependency(DigitizeError):
    """A library or program digitize needs is not installed (here or on a worker)."""

    exit_code = 3


class SchemasMissing(MissingDependency):
    """The WIPO schemas a check needs are not found (no schema folder, or a file missing from
    it): what needs them was not checked, and the command says so (exit 3)."""


class NotChecked(DigitizeError):
    """A file that could not be checked at all (a model version the schemas here are not, a
    USPTO DTD, an ST.37 file without its checker): never a pass (exit 1)."""


class StoreError(DigitizeError):
    """A job's SQLite file (ledger, queue, accounts) that cannot be used: damaged, on a full
    disk, in a folder that cannot be written. Reported in one line, exit 1."""


class InputError(DigitizeError):
    """One document cannot be processed; the message is its complete reason in the ledger (no
    retry will change it). Base of ``IngestError``, ``EngineError``, ``DocumentError`` and
    ``EmitError``; the batch records it and goes on, so the run exits 1."""
