"""The review server under load and attack (issue 26, items 3 and 4).

20 reviewers work a queue of 100,000 open items (1,000 documents of 100 words each) through the
real ``digitize review`` command (uvicorn on 127.0.0.1), each in its own thread with its own
client and address (``X-Forwarded-For`` through ``--forwarded-allow-ips 127.0.0.1``): show the
next item (``GET /queue``), decide it (``POST /queue``: accept, or a typed correction), again.
Meanwhile an attacker opens ``--attack`` connections (5,000 by default) at an even rate over the
run: a third idle, a third with headers never finished, a third with a body never finished, each
held open until the server closes it.

Measured: latency of every reviewer request (p50, p95, max), decisions per second, what the
server closed and how long after opening (must be within ``HEADER_TIMEOUT`` + 1 s), the server's
open descriptors and memory, and the queue afterwards: every decision a reviewer was told was
saved is in the queue, decided by that reviewer, once (0 lost), and no item has two decisions
(0 doubled). Exit status 1 if a target is missed (p95 ≤ 0.5 s, ≥ 30 decisions/s, 0 lost or
doubled, every attack connection closed in time, the server answering throughout).

    python bench/review_load.py [--items 100000] [--reviewers 20] [--seconds 60] [--attack 5000]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import selectors
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from digitize.store.ledger import Ledger
from digitize.model import QueueCandidate  # noqa: E402
from digitize.store.queue import Queue
from digitize.review import server as review_server  # noqa: E402
from digitize.store.users import UserStore

PASSWORD = "load test password"
WORDS = [f"w{i:04d}" for i in range(5000)]  # 5,000 distinct texts: series of ~20 items each


def build_job(root: Path, items: int, per_doc: int = 100, reviewers: int = 20) -> Path:
    """A job folder whose ledger holds ``items / per_doc`` documents and their open items."""
    job = root / "job"
    job.mkdir(parents=True)
    ledger = Ledger(job / "ledger.sqlite")
    docs = [f"XX{n:08d}A1" for n in range(max(1, items // per_doc))]
    for doc in docs:
        src = str(root / f"{doc}.tif")
        ledger.register(src, 1, 1, "0" * 64, "generic")
        ledger.mark_finished(src, state="needs-review", doc_id=doc, out_dir=f"documents/{doc}", pages=1,
                             seconds=1.0, validated="not-validated: bench")
    ledger.close()
    q = Queue(job / "ledger.sqlite")
    rng = random.Random(26)
    for doc in docs:
        q.enqueue(doc, [QueueCandidate(kind="word", page=1 + i // 40, bbox=(100, 100 + 50 * (i % 40), 300, 140 + 50 * (i % 40)),
                                       text=rng.choice(WORDS), confidence=rng.uniform(10, 80), suggestions=[],
                                       context="a line of text", word_id=f"p{1 + i // 40:04d}_w{i:05d}")
                        for i in range(per_doc)])
    q.close()
    users = UserStore(job / "ledger.sqlite")
    for r in range(reviewers):
        users.add(f"rev{r:02d}", "reviewer", PASSWORD)
    return job


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Reviewer(threading.Thread):
    def __init__(self, n: int, url: str, until: float):
        super().__init__(daemon=True)
        self.name_, self.url, self.until = f"rev{n:02d}", url, until
        self.address = f"10.26.0.{n + 1}"
        self.latencies: list[float] = []
        self.saved: list[int] = []  # item ids the server said it saved
        self.errors: list[str] = []

    def _timed(self, fn, *a, **kw):
        t = time.perf_counter()
        r = fn(*a, **kw)
        self.latencies.append(time.perf_counter() - t)
        return r

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.url, timeout=30, headers={"X-Forwarded-For": self.address}) as c:
                page = c.get("/login").text
                token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
                r = c.post("/login", data={"username": self.name_, "password": PASSWORD, "csrf": token})
                if r.status_code != 303:
                    self.errors.append(f"login {r.status_code}")
                    return
                n = 0
                while time.monotonic() < self.until:
                    r = self._timed(c.get, "/queue")
                    if r.status_code != 200:
                        self.errors.append(f"GET /queue {r.status_code}")
                        continue
                    m = re.search(r'name="item_id" value="(\d+)"', r.text)
                    if not m:
                        break  # nothing left
                    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
                    item = int(m.group(1))
                    n += 1
                    form = {"csrf": token, "item_id": item, "action": "accept"}
                    if n % 4 == 0:
                        form.update(action="correct", correction=f"fixed{n}")
                    r = self._timed(c.post, "/queue", data=form)
                    where = r.headers.get("location", "")
                    if r.status_code == 303 and "msg=saved" in where:
                        self.saved.append(item)
                    else:
                        self.errors.append(f"POST /queue {r.status_code} {where}")
        except Exception as exc:  # noqa: BLE001 - reported, the bench fails
            self.errors.append(f"{type(exc).__name__}: {exc}")


class Attacker(threading.Thread):
    """Opens ``total`` connections evenly over ``seconds``; records when the server closes each."""

    KINDS = (b"", b"GET /queue HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
             b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
             b"Content-Length: 4000\r\n\r\nusername=")

    def __init__(self, port: int, total: int, seconds: float):
        super().__init__(daemon=True)
        self.port, self.total, self.seconds = port, total, seconds
        self.opened = 0
        self.failed_connects = 0
        self.closed_after: list[float] = []
        self.still_open = 0
        self.max_open = 0

    def run(self) -> None:
        sel = selectors.DefaultSelector()
        start = time.monotonic()
        opened_at: dict[socket.socket, float] = {}
        while self.opened < self.total or opened_at:
            now = time.monotonic()
            due = min(self.total, int((now - start) / self.seconds * self.total) + 1)
            while self.opened < due:
                try:
                    s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                    s.sendall(self.KINDS[self.opened % 3])
                    s.setblocking(False)
                    sel.register(s, selectors.EVENT_READ)
                    opened_at[s] = time.monotonic()
                except OSError:
                    self.failed_connects += 1
                self.opened += 1
            self.max_open = max(self.max_open, len(opened_at))
            for key, _ in sel.select(timeout=0.05):
                s = key.fileobj
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if data and not data.startswith(b"HTTP/"):
                    continue
                self.closed_after.append(time.monotonic() - opened_at.pop(s))
                sel.unregister(s)
                s.close()
            if self.opened >= self.total and opened_at and now - start > self.seconds + review_server.HEADER_TIMEOUT + 20:
                self.still_open = len(opened_at)
                for s in opened_at:
                    s.close()
                break
        sel.close()


def server_stats(pid: int) -> tuple[int, int]:
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmRSS:"))
    return fds, rss // 1024


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(p / 100 * len(v)))] if v else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--reviewers", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--attack", type=int, default=5000)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="review-load-") as tmp:
        t = time.monotonic()
        job = build_job(Path(tmp), args.items, reviewers=args.reviewers)
        print(f"queue of {args.items} open items built in {time.monotonic() - t:.0f} s", flush=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        digitize = Path(sys.executable).with_name("digitize")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"}
        proc = subprocess.Popen([str(digitize), "review", str(job), "--port", str(port), "--forwarded-allow-ips",
                                 "127.0.0.1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(url + "/favicon.ico", timeout=2)
                    break
                except httpx.TransportError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"digitize review did not start: {proc.stderr.read()[-2000:]}")
                    time.sleep(0.2)
            base_fds, base_rss = server_stats(proc.pid)
            start = time.monotonic()
            until = start + args.seconds
            attacker = Attacker(port, args.attack, args.seconds * 0.8)
            reviewers = [Reviewer(n, url, until) for n in range(args.reviewers)]
            attacker.start()
            for r in reviewers:
                r.start()
            peak_fds, peak_rss, probes, probe_fail = base_fds, base_rss, 0, 0
            while any(r.is_alive() for r in reviewers):
                time.sleep(1)
                fds, rss = server_stats(proc.pid)
                peak_fds, peak_rss = max(peak_fds, fds), max(peak_rss, rss)
                try:  # a fresh client: is the server still answering newcomers?
                    probes += 1
                    httpx.get(url + "/login", timeout=10).raise_for_status()
                except httpx.HTTPError:
                    probe_fail += 1
            elapsed = time.monotonic() - start
            attacker.join(review_server.HEADER_TIMEOUT + 60)
            time.sleep(1)
            end_fds, end_rss = server_stats(proc.pid)
        finally:
            proc.terminate()
            try:
                _, stderr = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, stderr = proc.communicate()

        con = sqlite3.connect(job / "ledger.sqlite")
        decided = dict(con.execute("SELECT id, decided_by FROM queue_items WHERE state = 'decided'").fetchall())
        per_item = con.execute("SELECT item_id, COUNT(*) FROM queue_audit WHERE action != 'undo'"
                               " GROUP BY item_id HAVING COUNT(*) > 1").fetchall()
        con.close()

    saved = [(r.name_, i) for r in reviewers for i in r.saved]
    lost = [(who, i) for who, i in saved if decided.get(i) != who]
    doubled = len(saved) - len({i for _, i in saved}) + len(per_item)
    latencies = [x for r in reviewers for x in r.latencies]
    errors = [e for r in reviewers for e in r.errors]
    rate = len(saved) / elapsed
    closed = attacker.closed_after
    limit = review_server.HEADER_TIMEOUT + 1.0
    late = [x for x in closed if x > limit]
    print(f"{args.reviewers} reviewers, {args.items} open items, {elapsed:.0f} s, "
          f"{attacker.opened} attack connections attempted ({attacker.failed_connects} refused at connect)")
    print(f"requests {len(latencies)}: p50 {pct(latencies, 50):.3f} s, p95 {pct(latencies, 95):.3f} s, "
          f"max {max(latencies, default=float('nan')):.3f} s; decisions {len(saved)} = {rate:.1f}/s; "
          f"errors {len(errors)} {errors[:3]}")
    print(f"lost {len(lost)}, doubled {doubled}; decided in the queue {len(decided)}")
    print(f"attack: closed by the server {len(closed)} (max {max(closed, default=0):.1f} s after opening, "
          f"header timeout {review_server.HEADER_TIMEOUT:g} s; {len(late)} later than {limit:g} s), still open at the "
          f"end {attacker.still_open}, most open at once {attacker.max_open}")
    print(f"server: descriptors {base_fds} -> peak {peak_fds} -> {end_fds}; RSS {base_rss} -> peak {peak_rss} -> "
          f"{end_rss} MiB; newcomer probes {probes - probe_fail}/{probes} answered; log {len(stderr.splitlines())} lines")
    ok = (pct(latencies, 95) <= 0.5 and rate >= 30 and not lost and not doubled and not late
          and not attacker.still_open and probe_fail == 0 and len(closed) + attacker.failed_connects == attacker.opened)
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
