"""Issue 15, hostile and careless input: each test replays the attack that used to work.

Review-page attacks run against the real application: the real ``digitize review`` command in a
subprocess (for process memory, ``--host`` and ``--forwarded-allow-ips``) or uvicorn in a thread
(``test_review.Server``). File-mode and file-name cases run the real ``digitize run`` (Tesseract,
Dask on 127.0.0.1) and the real authority builder.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import httpx
import pytest

from digitize.fsutil import atomic_write, current_umask, one_line
from digitize.store.queue import Queue
from digitize.review.auth import COOKIE_NAME, MAX_BODY, LoginThrottle
from test_review import (DIGITIZE, PASSWORD, Server, add_user, build_job, candidate, csrf_of, free_port,
                         login)

ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}


class ReviewCommand:
    """``digitize review JOB …`` as a subprocess on a free loopback port."""

    def __init__(self, job: Path, *args: str, host: str = "127.0.0.1"):
        self.port = free_port()
        self.url = f"http://{host}:{self.port}"
        self.proc = subprocess.Popen([DIGITIZE, "review", str(job), "--host", host, "--port", str(self.port), *args],
                                     env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def __enter__(self) -> "ReviewCommand":
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"digitize review exited {self.proc.returncode}: {self.proc.stderr.read()}")
            try:
                httpx.get(self.url + "/favicon.ico", timeout=2)
                return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("digitize review did not start")

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def job(tmp_path):
    job, _ = build_job(tmp_path)
    add_user(job, "rita", "reviewer")
    return job


# --------------------------------------------------------------------------- 1: memory of login spam


def test_login_spam_with_huge_names_does_not_grow_the_server(job):
    """Before: 300 POSTs with distinct 1 MB user names took the server from 59 to 349 MiB, for good
    (every name kept by the throttle)."""
    with ReviewCommand(job) as server, httpx.Client(base_url=server.url, timeout=30) as c:
        token = csrf_of(c.get("/login").text)
        before = server.rss_kib()
        codes = []
        for i in range(300):
            name = f"{i:06d}" + "a" * 999_994  # under the form parser's own 1 MiB limit per field
            try:
                codes.append(c.post("/login", data={"username": name, "password": "x" * 8, "csrf": token}).status_code)
            except httpx.TransportError:  # the server may close the connection before the body is sent
                codes.append(None)
        grown = (server.rss_kib() - before) / 1024
        assert codes.count(413) >= 290, codes
        assert grown < 20, f"review server grew {grown:.0f} MiB after 300 x 1 MiB logins"
        # a chunked body (no Content-Length) over the limit is cut off while it streams
        chunks = (b"username=" + b"b" * 4096 for _ in range(MAX_BODY // 4096 + 4))
        r = httpx.post(server.url + "/login", content=chunks, cookies=c.cookies,
                       headers={"content-type": "application/x-www-form-urlencoded"}, timeout=30)
        assert r.status_code == 413
        assert login(c, "rita").status_code == 303  # the server still serves the right login


def test_login_throttle_memory_is_bounded(caplog):
    """20 000 distinct names from 20 000 addresses: the counters stay at ``max_keys`` per kind."""
    caplog.set_level(logging.CRITICAL, logger="digitize.review.auth")  # its warnings are kept by caplog
    throttle = LoginThrottle(max_keys=1000)
    tracemalloc.start()
    try:
        for i in range(2000):  # fill to the bound
            throttle.reserve(f"user{i:060d}", f"10.0.{i // 256}.{i % 256}")
        base, _ = tracemalloc.get_traced_memory()
        for i in range(2000, 20_000):
            throttle.reserve(f"user{i:060d}", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")
            throttle.reserve("x" * 100_000 + str(i), f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")  # no user name
        grown, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(throttle.names) == 1000 and len(throttle.clients) == 1000
    assert grown - base < 256 * 1024, f"throttle grew {(grown - base) / 1024:.0f} KiB after filling"
    assert throttle.names.get("x" * 100_000 + "19999", 0) is None


# --------------------------------------------------------------------------- 3: sessions die with the account


def test_removed_user_recreated_does_not_revive_the_old_cookie(job):
    """Before: remove 'temp' (a reviewer), create 'temp' again as admin: the old cookie was an admin."""
    run = lambda *a: subprocess.run([DIGITIZE, "users", *a], capture_output=True, text=True, timeout=60)  # noqa: E731
    add_user(job, "temp", "reviewer")
    with Server(job) as server:
        with httpx.Client(base_url=server.url, timeout=20) as c:
            assert login(c, "temp").status_code == 303
            old = c.cookies[COOKIE_NAME]
            assert c.get("/queue").status_code == 200
        assert run("remove", str(job), "temp").returncode == 0
        add_user(job, "temp", "admin")
        with httpx.Client(base_url=server.url, timeout=20, cookies={COOKIE_NAME: old}) as thief:
            assert thief.get("/admin").status_code == 303  # to /login
            assert thief.get("/queue").status_code == 303
            assert thief.get("/item/1/word.png").status_code == 401
        with httpx.Client(base_url=server.url, timeout=20) as c:  # the new account works
            assert login(c, "temp").status_code == 303 and c.get("/admin").status_code == 200
            new = c.cookies[COOKIE_NAME]
        run("remove", str(job), "temp")  # and the cookie of the second account dies with it too
        add_user(job, "temp", "admin")
        with httpx.Client(base_url=server.url, timeout=20, cookies={COOKIE_NAME: new}) as thief:
            assert thief.get("/admin").status_code == 303


def test_session_keys_are_random_and_replaced(tmp_path):
    from digitize.store.users import UserStore

    store = UserStore(tmp_path / "users.sqlite")
    a = store.add("ann", "admin", PASSWORD)
    store.remove("ann")
    b = store.add("ann", "admin", PASSWORD)
    assert len(a.epoch) >= 20 and a.epoch != b.epoch
    store.end_sessions("ann")
    assert store.get("ann").epoch not in (a.epoch, b.epoch)
    c = store.add("ann", "reviewer", PASSWORD + "2", replace=True)  # a password change ends them too
    assert c.epoch != store.get("ann").epoch or c.epoch not in (a.epoch, b.epoch)


def test_old_users_table_is_migrated(tmp_path):
    """A table of the name + epoch version gets random keys; its old cookies (int epoch) stop."""
    from digitize.store.users import UserStore, hash_password

    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE review_users (name TEXT PRIMARY KEY, role TEXT NOT NULL, pw_hash TEXT NOT NULL,"
                    " created REAL NOT NULL, updated REAL NOT NULL, epoch INTEGER NOT NULL DEFAULT 0)")
        con.execute("INSERT INTO review_users VALUES ('old', 'admin', ?, 0, 0, 0)", (hash_password(PASSWORD),))
    store = UserStore(db)
    assert len(store.get("old").epoch) >= 20
    assert store.authenticate("old", PASSWORD).role == "admin"
    store.add("new", "reviewer", PASSWORD)


# --------------------------------------------------------------------------- 14: growing delays, no lock-out


def test_throttle_delays_grow_are_capped_and_never_lock_out():
    now = [1000.0]
    t = LoginThrottle(free_per_name=3, free_per_client=10, base=1.0, cap=30.0, clock=lambda: now[0])
    waits = []
    for _ in range(12):  # one guesser, one attempt at a time, each as early as allowed
        w = t.reserve("rita", "10.0.0.1")
        waits.append(w)
        now[0] += w + 0.1
        t.failed("rita", "10.0.0.1")
    assert waits[:3] == [0, 0, 0]
    assert [round(w) for w in waits[3:8]] == [1, 2, 4, 8, 16]
    assert max(waits) <= 30 and round(waits[-1]) == 30
    # the owner with the right password: waited at most `cap`, never refused
    w = t.reserve("rita", "10.0.0.2")
    assert w is not None and w <= 30
    now[0] += w
    t.succeeded("rita", "10.0.0.2")
    assert t.reserve("rita", "10.0.0.2") == 0  # the right password cleared the name
    # many at once: queued up to `cap`, the rest refused without a password check
    burst = [t.reserve("bob", "10.0.0.3") for _ in range(20)]
    assert burst[:3] == [0, 0, 0] and None in burst
    assert all(w is None or w <= 30 for w in burst)
    # everyone behind one address (a proxy): slowed, never locked
    now[0] += 10_000  # a quiet quarter of an hour forgets all
    for i in range(40):
        w = t.reserve(f"guess{i}", "10.9.9.9")
        assert w is not None
        now[0] += w + 0.1
    w = t.reserve("rita", "10.9.9.9")
    assert w is not None and w <= 30


def test_right_password_after_failures_gets_in_after_a_delay(job):
    """Before: after 5 wrong passwords the right one got 429 for five minutes."""
    with Server(job) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        codes = [login(c, "rita", f"guess number {i}").status_code for i in range(5)]
        assert codes == [401] * 5
        start = time.monotonic()
        assert login(c, "rita").status_code == 303
        assert time.monotonic() - start >= 1.5  # it was slowed down (4 s after the 5th failure)


# --------------------------------------------------------------------------- 15: Secure cookies behind a proxy


def _secure(response: httpx.Response) -> bool:
    cookie = response.headers["set-cookie"]
    return "secure" in [f.strip().lower() for f in cookie.split(";")]


def test_cookie_is_secure_over_https_through_an_allowed_proxy(job):
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    with ReviewCommand(job, "--forwarded-allow-ips", "127.0.0.1") as server:
        assert _secure(httpx.get(server.url + "/login", headers=https))
        assert not _secure(httpx.get(server.url + "/login"))  # plain HTTP: no Secure (it would be dropped)
        page = httpx.get(server.url + "/login", headers=https)
        # as the proxy would pass it on (httpx itself keeps a Secure cookie for https URLs only)
        cookie = {"Cookie": f"{COOKIE_NAME}={page.cookies[COOKIE_NAME]}"}
        r = httpx.post(server.url + "/login", headers={**https, **cookie},
                       data={"username": "rita", "password": PASSWORD, "csrf": csrf_of(page.text)})
        assert r.status_code == 303 and _secure(r)
    with ReviewCommand(job) as server:  # no proxy named: the header is anyone's and is ignored
        assert not _secure(httpx.get(server.url + "/login", headers=https))
    bad = subprocess.run([DIGITIZE, "review", str(job), "--forwarded-allow-ips", "proxy.example"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "not an IP address" in bad.stderr


# --------------------------------------------------------------------------- 16: leases, suggestions, --host


def test_one_lease_per_reviewer_through_doc(tmp_path):
    job, page = build_job(tmp_path)
    Queue(job / "ledger.sqlite").enqueue("OTHER", [candidate(page, "warm,", ["warm"], conf=20.0)])
    add_user(job, "rita", "reviewer")

    def leased() -> list[tuple[str, str]]:
        with sqlite3.connect(job / "ledger.sqlite") as con:
            return con.execute("SELECT doc_id, item_key FROM queue_items WHERE lease_owner = 'rita'").fetchall()

    with Server(job) as server, httpx.Client(base_url=server.url, timeout=20) as c:
        login(c, "rita")
        c.get("/queue?doc=OTHER")
        c.get("/queue")
        c.get("/queue?doc=PH12023050123A1")
        held = leased()
        assert len(held) == 1 and held[0][0] == "PH12023050123A1", held
        c.get("/queue?doc=OTHER")
        assert [d for d, _ in leased()] == ["OTHER"]


def test_suggestion_number_must_be_in_range(job):
    with Server(job) as server, httpx.Client(base_url=server.url, timeout=20) as c:
        login(c, "rita")
        html = c.get("/queue").text
        item_id = int(html.split('name="item_id" value="')[1].split('"')[0])
        for action in ("suggestion-0", "suggestion--1", "suggestion--2", "suggestion-3", "suggestion- 1",
                       "suggestion-+1", "suggestion-\u0661", "suggestion-" + "9" * 5000, "suggestion-"):
            r = c.post("/queue", data={"item_id": str(item_id), "action": action, "csrf": csrf_of(html)})
            assert r.status_code == 303 and "msg=invalid" in r.headers["location"], action
        assert Queue(job / "ledger.sqlite").decided_items("PH12023050123A1") == []
        r = c.post("/queue", data={"item_id": str(item_id), "action": "suggestion-2", "csrf": csrf_of(html)})
        assert "msg=saved" in r.headers["location"]
        assert [d["value"] for d in Queue(job / "ledger.sqlite").decided_items("PH12023050123A1")] == ["tube"]


def test_review_on_another_loopback_address_serves_it(job):
    """Before: ``--host 127.0.0.2`` answered 400 to every request (its own Host header refused)."""
    with ReviewCommand(job, host="127.0.0.2") as server:
        assert httpx.get(server.url + "/login").status_code == 200
        assert httpx.get(server.url + "/login", headers={"Host": "evil.example"}).status_code == 400


# --------------------------------------------------------------------------- 17 and 18: modes and names


@pytest.mark.parametrize("umask", [0o002, 0o022, 0o077])
def test_atomic_writes_follow_the_umask(tmp_path, umask):
    from authority.writer import atomic_output

    old = os.umask(umask)
    try:
        a = atomic_write(tmp_path / "a.json", "{}")
        with atomic_output(tmp_path / "b.xml") as fh:
            fh.write(b"<x/>")
        assert current_umask() == umask and os.umask(umask) == umask  # read, not changed
    finally:
        os.umask(old)
    for p in (a, tmp_path / "b.xml"):
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask, (p, oct(p.stat().st_mode))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.xml"]  # no temporary left


def _page(path: Path, lines: list[str]) -> None:
    from digitize.synth import render_text_page, write_tiff

    write_tiff([render_text_page(lines)], path, dpi=300)


@pytest.mark.parametrize("umask", [0o002, 0o077])
def test_run_outputs_follow_the_umask_and_names_stay_on_one_line(tmp_path, umask):
    """Before: JSON, text and XML written 0600 whatever the umask, TIFFs and the report 0644; a
    file name with a newline split the progress log and authority/build-report.txt."""
    inp = tmp_path / "in"
    inp.mkdir()
    _page(inp / "evil\nname.tif", ["A page whose file name holds a newline."])
    out = tmp_path / "out"
    proc = subprocess.run(
        [DIGITIZE, "run", str(inp), "--profile", "generic", "--out", str(out), "--workers", "1",
         "--progress", "log"],
        capture_output=True, text=True, timeout=600, env=ENV, preexec_fn=lambda: os.umask(umask))
    assert proc.returncode in (0, 1), proc.stderr
    want = 0o666 & ~umask
    files = [p for p in out.rglob("*") if p.is_file()]  # the ledger too: not SQLite's fixed 0644
    assert {".tif", ".json", ".txt", ".xml", ".html", ".sqlite"} <= {p.suffix for p in files}
    wrong = {str(p.relative_to(out)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files
             if stat.S_IMODE(p.stat().st_mode) != want}
    assert not wrong, f"umask {umask:03o}: expected {want:o} for {wrong}"
    # the progress log: the name escaped, every line a log line
    lines = [ln for ln in proc.stderr.splitlines() if "evil" in ln or ln.startswith("name.tif")]
    assert lines and all("evil\\nname.tif" in ln for ln in lines), proc.stderr
    assert not any(ln.startswith("name.tif") for ln in (proc.stderr + proc.stdout).splitlines())
    report = out / "authority" / "build-report.txt"
    if report.exists():
        for ln in report.read_text().splitlines():
            assert re.match(r"^(error|warning|info): ", ln), ln


def test_build_report_keeps_one_line_per_problem(tmp_path):
    from authority.build import build

    src = tmp_path / "xml"
    src.mkdir()
    (src / "broken\nfile\r.xml").write_text("<not-closed>")
    (src / "esc\x1b[31mred.xml").write_text("<also-broken")
    res = build([src], "PH", tmp_path / "out" / "PH_AF.xml")
    assert len(res.report.lines) >= 2
    text = "\n".join(res.report.lines)
    assert "broken\\nfile\\r.xml" in text and "esc\\x1b[31mred.xml" in text
    for ln in text.splitlines():
        assert re.match(r"^(error|warning|info): ", ln), ln


def test_one_line_escapes_only_what_breaks_a_line():
    assert one_line("Überprüfung 特許.tif") == "Überprüfung 特許.tif"
    assert one_line(Path("a\nb")) == "a\\nb"
    assert one_line("x\u2028y\x85z\x00") == "x\\u2028y\\x85z\\x00"
    assert one_line(os.fsdecode(b"bad\xffname")) == "bad\\udcffname"
