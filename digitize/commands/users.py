"""``digitize users add|list|remove DIR …``: reviewer accounts for the review page."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

HELP = "add, list or remove reviewer accounts of the review page"
DESCRIPTION = """Manage the accounts that may log in to 'digitize review'. Accounts live in the job
folder's ledger.sqlite (table review_users) unless --users-db names a shared SQLite file, so one
list can serve many job folders. Passwords are asked twice at a prompt, or read from the first
line of standard input with --password-stdin; only a slow salted hash (scrypt) is stored.

examples:
  digitize users add out/ alice --role admin
  echo 'long passphrase' | digitize users add out/ bob --role reviewer --password-stdin
  digitize users list out/
  digitize users remove out/ bob"""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("job_dir", metavar="DIR", type=Path, help="job folder")
    p.add_argument("--users-db", type=Path, default=None, metavar="PATH",
                   help="shared SQLite file with the accounts (default: DIR/ledger.sqlite)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="users_command", metavar="ACTION")
    add = sub.add_parser("add", help="add a user (or change one with --replace)")
    _common(add)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("reviewer", "admin"))
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--replace", action="store_true", help="change the role and password of an existing user")
    lst = sub.add_parser("list", help="list users and roles")
    _common(lst)
    rm = sub.add_parser("remove", help="remove a user (their open leases are released)")
    _common(rm)
    rm.add_argument("name", metavar="NAME")


def _store(args: argparse.Namespace):
    from ..errors import UsageError
    from ..jobfolder import JobFolder
    from ..store.users import UserStore

    if not args.job_dir.is_dir():
        raise UsageError(f"{args.job_dir}: no such job folder")
    db = args.users_db or JobFolder(args.job_dir).ledger_path
    if not db.parent.is_dir():
        raise UsageError(f"--users-db {db}: folder does not exist")
    return UserStore(db), db


def _read_password(from_stdin: bool) -> str:
    from ..errors import UsageError

    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError("no terminal for the password prompt: use --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise UsageError("the passwords differ")
    return first


def main(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..store.users import UserError, check_name, check_role

    if not args.users_command:
        raise UsageError("missing ACTION: add, list or remove (see 'digitize users --help')")
    store, db = _store(args)
    try:
        if args.users_command == "add":
            check_name(args.name)
            check_role(args.role)
            if store.get(args.name) and not args.replace:
                raise UserError(f"user {args.name!r} already exists (use --replace to change it)")
            user = store.add(args.name, args.role, _read_password(args.password_stdin), replace=args.replace)
            print(f"{user.name}: {user.role} in {db}")
        elif args.users_command == "list":
            for u in store.list():
                print(f"{u.name}\t{u.role}")
        elif args.users_command == "remove":
            store.remove(args.name)
            _release_leases(args.job_dir, args.name)
            print(f"removed {args.name}")
    except UserError as exc:
        raise UsageError(str(exc)) from None
    return 0


def _release_leases(job_dir: Path, name: str) -> None:
    from ..jobfolder import JobFolder

    job = JobFolder(job_dir)
    if job.exists():
        job.queue().release(name)
