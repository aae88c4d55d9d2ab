"""``digitize review DIR``: serve the QA review page for a job folder (127.0.0.1 by default)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
from pathlib import Path

HELP = "serve the QA review web page for a job folder's correction queue"
DESCRIPTION = """Serve the QA review web page: reviewers log in and settle, one at a time, the words
and bibliographic fields the machine was unsure of; admins also see users, progress and the audit
trail. Create accounts first with 'digitize users add DIR NAME --role reviewer|admin', and run
'digitize apply DIR' afterwards to put the decisions into the text and XML.

The server binds to 127.0.0.1 unless --host says otherwise; put it behind an HTTPS proxy before
opening it to a network. Session cookies are marked Secure when the request came over HTTPS: for
a proxy that ends HTTPS, name its address with --forwarded-allow-ips so that its
X-Forwarded-Proto and X-Forwarded-For headers are believed (and no one else's).

example (nginx on the same machine, proxy_set_header X-Forwarded-Proto $scheme;):
  digitize review out/ --forwarded-allow-ips 127.0.0.1"""

log = logging.getLogger(__name__)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("job_dir", metavar="DIR", type=Path, help="job folder (holds ledger.sqlite)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    p.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    p.add_argument("--users-db", type=Path, default=None, metavar="PATH",
                   help="SQLite file with the reviewer accounts (default: DIR/ledger.sqlite)")
    p.add_argument("--forwarded-allow-ips", default=None, metavar="IPS",
                   help="comma-separated proxy addresses whose X-Forwarded-Proto/-For headers are trusted "
                        "(the client address and https; default: none)")
    p.add_argument("--lease-seconds", type=int, default=120, metavar="S",
                   help="how long an item stays reserved for the reviewer who opened it (default: %(default)s)")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str] | None:
    """The Host headers accepted when bound to ``host``: on loopback only loopback names and the
    bound address itself (DNS rebinding), elsewhere any (the proxy decides)."""
    if not _loopback(host):
        return None
    names = ["127.0.0.1", "localhost", "::1", "[::1]", host]
    if ":" in host:  # an IPv6 address as it appears in a Host header
        names.append(f"[{host}]")
    return list(dict.fromkeys(names))


def main(args: argparse.Namespace) -> int:
    from ..errors import UsageError

    from ..jobfolder import LEDGER, JobFolder

    job = args.job_dir
    if not JobFolder(job).exists():
        raise UsageError(f"{job}: not a job folder (no {LEDGER}); run 'digitize run' first")
    if args.users_db is not None and not args.users_db.parent.is_dir():
        raise UsageError(f"--users-db {args.users_db}: folder does not exist")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: expected 1-65535")
    if args.lease_seconds < 30:
        raise UsageError(f"--lease-seconds {args.lease_seconds}: at least 30")
    proxies = [ip.strip() for ip in (args.forwarded_allow_ips or "").split(",") if ip.strip()]
    for ip in proxies:
        try:
            ipaddress.ip_network(ip, strict=False)
        except ValueError:
            raise UsageError(f"--forwarded-allow-ips: {ip!r} is not an IP address or network") from None

    import uvicorn

    from ..review import server
    from ..review.app import create_app
    from ..store.users import UserStore

    users_db = args.users_db or JobFolder(job).ledger_path
    if not UserStore(users_db).list():
        log.warning("no reviewer accounts in %s yet: add one with 'digitize users add %s NAME --role admin'",
                    users_db, job)
    allowed = allowed_hosts(args.host)
    if not _loopback(args.host):
        log.warning("binding %s: anyone who can reach it can try to log in; use HTTPS in front", args.host)
    app = create_app(job, users_db, lease_seconds=args.lease_seconds, allowed_hosts=allowed)
    try:
        sock = server.bind(args.host, args.port)  # a busy port fails here, before the URL is shown
    except OSError as exc:
        raise UsageError(server.bind_error(args.host, args.port, exc)) from None
    except UnicodeError:
        raise UsageError(f"--host {args.host!r}: not a host name or address") from None
    server.install_log_limits()
    config = server.config(app, host=args.host, port=args.port, log_level="warning", server_header=False,
                           proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"review page: http://{shown}:{args.port}/login  (Ctrl+C to stop)", flush=True)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0
