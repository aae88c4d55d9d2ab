"""Running the review application: uvicorn with bounds on what a visitor can make it hold.

Idle or half-sent connections must not use up the process's file descriptors (uvicorn's h11
protocol has no timeout before a request's headers), so:

* every request must arrive whole (request line, headers and body) within ``HEADER_TIMEOUT``
  seconds of its first byte, or of the connection's opening: else the connection is closed
  (``GuardedH11Protocol``; a keep-alive connection idle between requests is closed after
  ``KEEP_ALIVE`` seconds, by uvicorn);
* at most ``max_connections`` connections are open at once, well under the descriptor limit
  (raised to its hard limit at start); a connection over the bound closes the one that has waited
  longest without a whole request (an idle or half-sent one), or is itself closed when none
  waits; a request being answered is never cut;
* at most ``LIMIT_CONCURRENCY`` requests are answered at once, 503 beyond (``ConcurrencyLimit``;
  uvicorn's own ``limit_concurrency`` counts idle connections too, so it is set to the connection
  bound as a backstop only: idle connections must not turn reviewers away);
* the warnings such floods cause are rate-limited (``RateLimitedLog``): a few per minute and
  message, then one line saying how many were left out.

``bind`` opens the listening socket before anything is printed, so a busy port is reported as a
usage error in one line (exit 2), not after the URL was shown as if the server were running.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import resource
import socket
import time
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0  # seconds for a whole request, from its first byte (or the connection's opening)
KEEP_ALIVE = 5  # seconds a keep-alive connection may stay idle between requests
LIMIT_CONCURRENCY = 256  # requests answered at once; 503 beyond
BACKLOG = 1024  # connections the kernel queues before they are accepted
FD_RESERVE = 256  # descriptors kept for SQLite, page images, templates and the log
MAX_CONNECTIONS = 8192  # never more open connections than this, whatever the descriptor limit

log = logging.getLogger("digitize.review")


def raise_fd_limit() -> int:
    """Raise the soft descriptor limit to the hard one; returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else max(soft, 65536),
                                                        hard))
        except (ValueError, OSError):
            pass
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return soft


def connection_bound(fd_limit: int) -> int:
    """How many connections may be open at once under this descriptor limit."""
    return max(16, min(MAX_CONNECTIONS, fd_limit - FD_RESERVE))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each whole request and a bound on connections
    (``max_connections``, set by ``guarded_protocol``)."""

    max_connections = MAX_CONNECTIONS
    header_timeout = HEADER_TIMEOUT
    stats: dict[str, int] = {}  # "timed_out", "evicted", "refused": counts, for the logs and tests

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_since = time.monotonic()
        super().connection_made(transport)
        if len(self.connections) > self.max_connections and not self._evict_one():
            self._count("refused")
            transport.abort()
            return
        self._arm()

    def _evict_one(self) -> bool:
        """Close the connection that has waited longest for a whole request (not this one)."""
        oldest, since = None, None
        for conn in self.connections:
            if conn is self or not isinstance(conn, GuardedH11Protocol) or conn._deadline is None:
                continue
            if since is None or conn._waiting_since < since:
                oldest, since = conn, conn._waiting_since
        if oldest is None:
            return False
        self._count("evicted")
        oldest._close()
        return True

    def _arm(self) -> None:
        if self._deadline is None:
            self._waiting_since = time.monotonic()
            self._deadline = self.loop.call_later(self.header_timeout, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _receiving(self) -> bool:
        """A request has begun (or the connection is new) and has not arrived whole."""
        return self.conn.their_state in (h11.IDLE, h11.SEND_BODY)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.transport.is_closing():
            self._disarm()
        elif self._receiving():
            self._arm()  # not re-armed by later bytes: a trickle does not extend it
        else:
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # uvicorn's keep-alive timer now watches the idle connection

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or not self._receiving():
            return
        self._count("timed_out")
        self._close()

    def _close(self) -> None:
        self._disarm()
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True  # the application's receive() gets http.disconnect
            self.cycle.message_event.set()
        self.transport.abort()  # no lingering in FIN_WAIT: the descriptor is free at once

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    @classmethod
    def _count(cls, what: str) -> None:
        cls.stats[what] = cls.stats.get(what, 0) + 1
        log.warning("review: connection %s (%d so far): %s", what.replace("_", " "), cls.stats[what],
                    {"timed_out": f"no whole request within {cls.header_timeout:g} s",
                     "evicted": f"the oldest one waiting for a request made room (bound {cls.max_connections})",
                     "refused": f"{cls.max_connections} connections open, all answering"}[what])


def guarded_protocol(max_connections: int, header_timeout: float = HEADER_TIMEOUT) -> type[GuardedH11Protocol]:
    """A protocol class with its own bound and counters (one per server)."""
    return type("GuardedH11", (GuardedH11Protocol,), {"max_connections": max_connections,
                                                       "header_timeout": header_timeout, "stats": {}})


class RateLimitedLog(logging.Filter):
    """Lets through at most ``burst`` records per logger and message in each ``window`` seconds;
    the first record after a window in which some were held back says how many."""

    def __init__(self, burst: int = 5, window: float = 60.0, max_keys: int = 1000):
        super().__init__()
        self.burst, self.window, self.max_keys = burst, window, max_keys
        self._seen: dict[tuple[str, str], list[float | int]] = {}  # key → [window start, passed, dropped]

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg)[:200])
        now = time.monotonic()
        entry = self._seen.get(key)
        if entry is None or now - entry[0] >= self.window:
            dropped = int(entry[2]) if entry else 0
            if len(self._seen) >= self.max_keys:
                self._seen.clear()
            self._seen[key] = [now, 1, 0]
            if dropped:
                record.msg = f"{record.msg} [{dropped} more like this in the last {self.window:g} s not logged]"
            return True
        if entry[1] < self.burst:
            entry[1] += 1
            return True
        entry[2] += 1
        return False


class ConcurrencyLimit:
    """ASGI middleware: at most ``limit`` requests in the application at once; 503 beyond. A
    request counts once its body has arrived (bodies are small: ``auth.MAX_BODY``), so
    half-sent bodies wait outside the bound, for their header timeout, and take no one's place."""

    def __init__(self, app: Any, limit: int = LIMIT_CONCURRENCY):
        self.app, self.limit, self.active = app, limit, 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        parts, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before its request was whole
            parts.append(message.get("body", b""))
            more = message.get("more_body", False)
        if self.active >= self.limit:
            logging.getLogger("digitize.review").warning("review: %d requests in progress: 503", self.active)
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"text/plain"), (b"connection", b"close"),
                                    (b"retry-after", b"1")]})
            await send({"type": "http.response.body", "body": b"busy; try again\n"})
            return
        body: list[bytes] | None = [b"".join(parts)]

        async def replay() -> Any:
            nonlocal body
            if body is not None:
                whole, body = body[0], None
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        self.active += 1
        try:
            await self.app(scope, replay, send)
        finally:
            self.active -= 1


LOGGERS = ("asyncio", "uvicorn.error", "digitize.review", "digitize.review.auth")


def install_log_limits(burst: int = 5, window: float = 60.0) -> RateLimitedLog:
    """One filter on the loggers an attack can make talk (the accept loop's "Too many open
    files", uvicorn's "Invalid HTTP request", the connection bounds, failed logins)."""
    limit = RateLimitedLog(burst, window)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RateLimitedLog) for f in logger.filters):
            logger.addFilter(limit)
    return limit


def bind(host: str, port: int, backlog: int = BACKLOG) -> socket.socket:
    """The listening socket, bound now: a busy port is an OSError here, before anything is shown."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # not SO_REUSEPORT: a second server fails
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def bind_error(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"{host}:{port} is already in use (another server?); choose another --port"
    if exc.errno == errno.EACCES:
        return f"{host}:{port}: permission denied (ports under 1024 need privileges); choose another --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"--host {host}: not an address of this machine"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def config(app: Any, *, max_connections: int | None = None, header_timeout: float = HEADER_TIMEOUT,
           **kw: Any):
    """A uvicorn Config with the bounds above (``kw``: host, port, proxy settings …)."""
    import uvicorn

    bound = max_connections or connection_bound(raise_fd_limit())
    return uvicorn.Config(app, http=guarded_protocol(bound, header_timeout), loop="asyncio",
                          limit_concurrency=bound + 1, timeout_keep_alive=KEEP_ALIVE,
                          backlog=BACKLOG, h11_max_incomplete_event_size=16 * 1024, **kw)
