"""The ``digitize`` command.

Each sub-command lives in ``digitize/commands/<name>.py`` and exposes ``HELP`` (one line),
``add_arguments(parser)`` and ``main(args) -> int``. This file only assembles them, so a command
is added without touching the others.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sqlite3
import sys

from .commands import apply, authority, eval, lexicon, memory, package, queue, report, review, run, serve, status, users, validate
from .errors import DigitizeError, StoreError
from .store.sqlite import DatabaseUnusable, store_problem

# Tesseract's OpenMP threads make a page ~8x slower on a busy machine: one thread per engine.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

COMMANDS = {m.__name__.rsplit(".", 1)[1]: m for m in (  # in the order --help lists them
    run, serve, status, validate, package, authority, report, eval, review, users, apply, lexicon, queue, memory,
)}


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="digitize",
        description="Turn scanned patent publications into WIPO ST.36/ST.96 full text and ST.37 authority files.",
        epilog="Run 'digitize COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"digitize {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        p = sub.add_parser(
            name, help=module.HELP, description=getattr(module, "DESCRIPTION", module.HELP),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(p)
        p.set_defaults(_main=module.main)
    return parser


OWN_LOGGERS = ("digitize", "authority")
# Libraries that log what a user of digitize need not read: their records below WARNING are
# dropped everywhere (fontTools logs ~35 lines per PDF it subsets at INFO), and the terminal
# shows only digitize's own records and errors (``TerminalFilter``); the job folder's log file
# (``logs/``) keeps the warnings.
NOISY = ("distributed", "bokeh", "pikepdf", "tornado", "asyncio", "PIL", "matplotlib", "urllib3", "fontTools",
         "ocrmypdf", "img2pdf", "pdfminer")


class TerminalFilter(logging.Filter):
    """What reaches the terminal: digitize's own records (not those marked ``file_only``, the
    per-document lines under a progress bar) and any library's errors; with ``-v`` everything."""

    def __init__(self, verbose: int = 0):
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "file_only", False):
            return False
        return bool(self.verbose) or record.name.split(".")[0] in OWN_LOGGERS or record.levelno >= logging.ERROR


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    root = logging.getLogger()
    before = set(root.handlers)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2) if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s" if args.verbose else "%(message)s",
        datefmt="%H:%M:%S",
    )
    for handler in set(root.handlers) - before:  # the terminal's (a caller's own handlers are left alone)
        handler.addFilter(TerminalFilter(args.verbose))
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING if args.verbose < 2 else logging.DEBUG)
    if not getattr(args, "_main", None):
        parser.print_help()
        return 2
    try:
        return int(args._main(args) or 0)
    except DigitizeError as exc:  # the one handler: every error class carries its exit status
        print(f"digitize {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.DatabaseError as exc:  # a damaged file, or a full disk met after opening: one line
        what = str(exc) if isinstance(exc, DatabaseUnusable) else f"job database: {store_problem('ledger.sqlite', exc)}"
        print(f"digitize {args.command}: error: {what}", file=sys.stderr)
        return StoreError.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def program(argv: list[str] | None = None) -> int:
    """The ``digitize`` program (the console script and ``python -m digitize``): ``main``, then
    an exit without the interpreter's last collections over the many objects a run leaves
    (Dask, lxml, the lexicon; bench/README.md has the cost). One collection first finalises what
    the command left in reference cycles (an SQLite connection not closed would leave its
    ``-wal`` file beside the ledger), then ``gc.freeze`` takes the rest out of the collector's
    sight; objects are still released by reference counting. Tests call ``main``, which leaves
    the collector alone."""
    try:
        status = main(argv)
        sys.stdout.flush()
    except BrokenPipeError:  # ``digitize status DIR | head -1``: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush must not fail again
        status = 141 if os.name == "posix" else 1  # as a shell reports a command ended by SIGPIPE
    gc.collect()
    gc.freeze()
    return status


if __name__ == "__main__":  # pragma: no cover
    # Run the imported module's program, so the handler and the commands share one digitize.errors.
    from digitize.cli import program as _program

    sys.exit(_program())
