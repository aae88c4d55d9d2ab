"""Review web page: accounts, sessions, CSRF, roles and image confinement, over real HTTP.

The server runs for real (uvicorn on 127.0.0.1, a free port, in a thread) over a job folder built
here: a ledger row, a G4 page image with known words, its ``pages/0001.json`` and queue items
enqueued with the real ``Queue``. Requests go through httpx like a browser's would.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageDraw, ImageFont

from digitize.store.ledger import Ledger
from digitize.model import Block, Line, OcrPage, QueueCandidate, Word
from digitize.store.queue import Queue
from digitize.review.auth import COOKIE_NAME, SECRET_FILE
from digitize.store.users import UserStore, hash_password, verify_password

DOC_ID = "PH12023050123A1"
LINES = [
    "(54) INSULATED CONTAINER FOR COOKED RICE",
    "The present invention relates to containers that keep",
    "cooked food warm, and in particular to tbe rice box.",
]
PASSWORD = "correct horse battery"
DIGITIZE = str(Path(sys.executable).with_name("digitize"))  # the installed command
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


# --------------------------------------------------------------------------- fixtures (shared with the browser test)


def render_page(lines: list[str], size: int = 42) -> tuple[Image.Image, OcrPage]:
    """A 300 dpi page with ``lines`` typeset and the OcrPage a perfect engine would return."""
    font = ImageFont.truetype(FONT, size) if Path(FONT).exists() else ImageFont.load_default(size)
    width, height = 2480, 200 + len(lines) * int(size * 1.8)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    ocr_lines, n, y = [], 0, 120
    for text in lines:
        x, words = 150, []
        for token in text.split(" "):
            x0, y0, x1, y1 = draw.textbbox((x, y), token, font=font)
            draw.text((x, y), token, font=font, fill=0)
            n += 1
            words.append(Word(id=f"p0001_w{n:05d}", text=token, bbox=(x0, y0, x1, y1), conf=96.0))
            x += int(draw.textlength(token + " ", font=font))
        box = (min(w.bbox[0] for w in words), min(w.bbox[1] for w in words),
               max(w.bbox[2] for w in words), max(w.bbox[3] for w in words))
        ocr_lines.append(Line(bbox=box, words=words))
        y += int(size * 1.8)
    block = Block(bbox=(150, 120, width - 150, y), lines=ocr_lines)
    page = OcrPage(number=1, width=width, height=height, dpi=300, blocks=[block], engine="test")
    return img, page


def word(page: OcrPage, text: str) -> Word:
    return next(w for w in page.words() if w.text == text)


def candidate(page: OcrPage, text: str, suggestions: list[str], conf: float = 40.0) -> QueueCandidate:
    w = word(page, text)
    line = next(ln for ln in page.lines() if w in ln.words)
    return QueueCandidate(kind="word", page=1, bbox=w.bbox, text=w.text, confidence=conf,
                          suggestions=suggestions, context=line.text, word_id=w.id)


def build_job(root: Path, doc_id: str = DOC_ID, out_dir: str | None = None) -> tuple[Path, OcrPage]:
    """A job folder as ``digitize run`` leaves it for one one-page document, plus queue items."""
    job = root / "job"
    doc_dir = job / "documents" / doc_id
    (doc_dir / "pages").mkdir(parents=True)
    img, page = render_page(LINES)
    img.convert("1").save(doc_dir / "pages" / "0001.tif", compression="group4", dpi=(300, 300))
    (doc_dir / "pages" / "0001.json").write_text(page.to_json(), encoding="utf-8")
    ledger = Ledger(job / "ledger.sqlite")
    src = str(root / f"{doc_id}.tif")
    ledger.register(src, 1, 1, "0" * 64, "ph")
    ledger.mark_finished(src, state="needs-review", doc_id=doc_id, out_dir=out_dir or f"documents/{doc_id}",
                         pages=1, seconds=1.0, validated="not-validated: test")
    ledger.close()
    Queue(job / "ledger.sqlite").enqueue(doc_id, [
        candidate(page, "tbe", ["the", "tube"], conf=31.0),
        candidate(page, "containers", ["container"], conf=55.0),
    ])
    return job, page


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn serving ``create_app(job)`` in a thread on a free loopback port."""

    def __init__(self, job: Path, users_db: Path | None = None):
        import uvicorn

        from digitize.review.app import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(job, users_db, allowed_hosts=["127.0.0.1", "localhost"])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("review server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def add_user(job: Path, name: str, role: str, password: str = PASSWORD, users_db: Path | None = None) -> None:
    """Through the real command line, password on stdin."""
    cmd = [DIGITIZE, "users", "add", str(job), name, "--role", role, "--password-stdin"]
    if users_db:
        cmd += ["--users-db", str(users_db)]
    r = subprocess.run(cmd, input=password + "\n", capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def csrf_of(html: str) -> str:
    marker = 'name="csrf" value="'
    i = html.index(marker) + len(marker)
    return html[i:html.index('"', i)]


def login(client: httpx.Client, name: str, password: str = PASSWORD) -> httpx.Response:
    page = client.get("/login")
    return client.post("/login", data={"username": name, "password": password, "csrf": csrf_of(page.text)})


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    job, page = build_job(root)
    add_user(job, "rita", "reviewer")
    add_user(job, "adam", "admin")
    with Server(job) as server:
        yield server, job, page


@pytest.fixture
def client(served):
    server, _, _ = served
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=20) as c:
        yield c


# --------------------------------------------------------------------------- accounts


def test_password_hash_is_salted_slow_and_checked():
    a, b = hash_password("secret pass 1"), hash_password("secret pass 1")
    assert a != b and a.startswith("scrypt$32768$8$1$")
    assert verify_password("secret pass 1", a)
    assert not verify_password("secret pass 2", a)
    assert not verify_password("secret pass 1", "pbkdf2$garbage")


def test_users_cli_add_list_remove_and_shared_db(tmp_path):
    job = tmp_path / "job"
    job.mkdir()
    add_user(job, "alice", "admin")
    shared = tmp_path / "users.sqlite"
    add_user(job, "bob", "reviewer", users_db=shared)
    run = lambda *a: subprocess.run([DIGITIZE, "users", *a],  # noqa: E731
                                    capture_output=True, text=True, timeout=60, input="")
    assert run("list", str(job)).stdout.split() == ["alice", "admin"]
    assert run("list", str(job), "--users-db", str(shared)).stdout.split() == ["bob", "reviewer"]
    dup = run("add", str(job), "alice", "--role", "reviewer", "--password-stdin")
    assert dup.returncode == 2 and "already exists" in dup.stderr
    short = subprocess.run([DIGITIZE, "users", "add", str(job), "carol", "--role",
                            "reviewer", "--password-stdin"], input="short\n", capture_output=True, text=True)
    assert short.returncode == 2 and "too short" in short.stderr
    assert run("remove", str(job), "alice").returncode == 0
    assert run("list", str(job)).stdout == ""
    with sqlite3.connect(job / "ledger.sqlite") as con:  # stored hash only
        assert con.execute("SELECT COUNT(*) FROM review_users").fetchone()[0] == 0
    assert UserStore(shared).authenticate("bob", PASSWORD).role == "reviewer"


def test_secret_key_is_private_and_stable(served):
    _, job, _ = served
    path = job / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    from digitize.review.auth import load_or_create_secret
    assert load_or_create_secret(job) == load_or_create_secret(job)


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("path", ["/", "/queue", "/admin"])
def test_pages_without_session_redirect_to_login(client, path):
    r = client.get(path)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_images_and_posts_without_session_are_refused(client):
    assert client.get("/item/1/word.png").status_code == 401
    assert client.get("/item/1/line.png").status_code == 401
    page = client.get("/login")  # an anonymous session with a valid CSRF token is not a login
    token = csrf_of(page.text)
    for path, data in [("/queue", {"item_id": "1", "action": "accept"}), ("/admin/users/add",
                       {"username": "eve", "role": "admin", "password": PASSWORD}), ("/logout", {})]:
        r = client.post(path, data={**data, "csrf": token})
        assert r.status_code in (401, 403), path
    assert client.post("/queue", data={"item_id": "1", "action": "accept"}).status_code in (401, 403)


def test_wrong_password_refused(client):
    r = login(client, "rita", "not the password")
    assert r.status_code == 401 and "Wrong user name or password" in r.text
    assert login(client, "nobody", PASSWORD).status_code == 401
    assert client.get("/queue").status_code == 303


def test_login_without_csrf_refused(client):
    client.get("/login")
    assert client.post("/login", data={"username": "rita", "password": PASSWORD}).status_code == 403
    assert client.post("/login", data={"username": "rita", "password": PASSWORD, "csrf": "forged"}).status_code == 403


def test_session_cookie_flags_and_security_headers(client):
    r = login(client, "rita")
    assert r.status_code == 303 and r.headers["location"] == "/queue"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(COOKIE_NAME + "=")
    flags = [f.strip().lower() for f in cookie.split(";")]
    assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags
    page = client.get("/queue")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    assert 'src="http' not in page.text and 'href="http' not in page.text  # everything served locally
    for asset in ("/static/review.js", "/static/review.css"):
        assert client.get(asset).status_code == 200


def test_tampered_session_cookie_is_ignored(client):
    login(client, "rita")
    value = client.cookies[COOKIE_NAME]
    client.cookies.set(COOKIE_NAME, value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
    assert client.get("/queue").status_code == 303


def test_post_without_csrf_token_refused(served, client):
    _, job, _ = served
    login(client, "rita")
    html = client.get("/queue").text
    item_id = html.split('name="item_id" value="')[1].split('"')[0]
    assert client.post("/queue", data={"item_id": item_id, "action": "accept"}).status_code == 403
    assert client.post("/queue", data={"item_id": item_id, "action": "accept", "csrf": "x" * 43}).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    assert not [a for a in Queue(job / "ledger.sqlite").audit() if a["item_id"] == int(item_id)]
    assert client.get("/queue").status_code == 200  # still logged in


def test_reviewer_cannot_reach_admin(client):
    login(client, "rita")
    assert client.get("/admin").status_code == 403
    token = csrf_of(client.get("/queue").text)
    r = client.post("/admin/users/add", data={"username": "eve", "role": "admin", "password": PASSWORD, "csrf": token})
    assert r.status_code == 403
    r = client.post("/admin/users/remove", data={"username": "adam", "csrf": token})
    assert r.status_code == 403


def test_admin_sees_users_statistics_and_can_add_a_user(served, client):
    server, job, _ = served
    login(client, "adam")
    page = client.get("/admin")
    assert page.status_code == 200
    for text in ("rita", "reviewer", DOC_ID, "Audit trail", "Decisions per reviewer"):
        assert text in page.text
    r = client.post("/admin/users/add", data={"username": "vera", "role": "reviewer", "password": PASSWORD,
                                              "csrf": csrf_of(page.text)})
    assert r.status_code == 303 and "user-added" in r.headers["location"]
    with httpx.Client(base_url=server.url, timeout=20) as other:
        assert login(other, "vera").status_code == 303
    r = client.post("/admin/users/remove", data={"username": "vera", "csrf": csrf_of(page.text)})
    assert r.status_code == 303
    assert UserStore(job / "ledger.sqlite").get("vera") is None


def test_removed_user_is_logged_out_at_once(served):
    server, job, _ = served
    add_user(job, "temp", "reviewer")
    with httpx.Client(base_url=server.url, timeout=20) as c:
        login(c, "temp")
        assert c.get("/queue", follow_redirects=False).status_code == 200
        UserStore(job / "ledger.sqlite").remove("temp")
        assert c.get("/queue", follow_redirects=False).status_code == 303


def test_host_header_is_checked(client):
    r = client.get("/login", headers={"Host": "evil.example"})
    assert r.status_code == 400


# --------------------------------------------------------------------------- the queue over HTTP


def test_decision_flow_and_images(served, client):
    server, job, page = served
    login(client, "rita")
    html = client.get("/queue").text
    assert "<mark>tbe</mark>" in html and 'value="suggestion-1"' in html and 'id="series"' not in html
    item_id = int(html.split('name="item_id" value="')[1].split('"')[0])
    img = client.get(f"/item/{item_id}/word.png")
    assert img.status_code == 200 and img.headers["content-type"] == "image/png"
    import io
    crop = Image.open(io.BytesIO(img.content))
    x0, y0, x1, y1 = word(page, "tbe").bbox
    assert x1 - x0 < crop.width < x1 - x0 + 200 and crop.height > y1 - y0
    line = client.get(f"/item/{item_id}/line.png")
    assert line.status_code == 200 and Image.open(io.BytesIO(line.content)).width > crop.width * 3
    # another reviewer cannot fetch the image of an item leased to rita
    add_user(job, "otto", "reviewer")
    with httpx.Client(base_url=server.url, timeout=20) as other:
        login(other, "otto")
        assert other.get(f"/item/{item_id}/word.png").status_code == 403
        other_html = other.get("/queue").text  # otto gets the other item, never rita's
        assert f'name="item_id" value="{item_id}"' not in other_html
    # a suggestion by number
    r = client.post("/queue", data={"item_id": str(item_id), "action": "suggestion-1", "csrf": csrf_of(html)})
    assert r.status_code == 303 and "msg=saved" in r.headers["location"]
    q = Queue(job / "ledger.sqlite")
    assert q.decisions(DOC_ID)[word(page, "tbe").id] == "the"
    assert q.audit()[-1]["reviewer"] == "rita"
    # the decided item's image is no longer rita's to see; deciding it again is refused softly
    assert client.get(f"/item/{item_id}/word.png").status_code == 403
    r = client.post("/queue", data={"item_id": str(item_id), "action": "accept", "csrf": csrf_of(html)})
    assert "msg=expired" in r.headers["location"]


# --------------------------------------------------------------------------- image confinement


def test_image_route_cannot_escape_the_job_folder(tmp_path):
    root = tmp_path / "a" / "b"
    root.mkdir(parents=True)
    job, page = build_job(root, out_dir="../../etc")
    # a page image outside the job folder that the crafted out_dir would reach
    (tmp_path / "a" / "etc" / "pages").mkdir(parents=True)
    (job / "documents" / DOC_ID / "pages" / "0001.tif").rename(tmp_path / "a" / "etc" / "pages" / "0001.tif")
    add_user(job, "adam", "admin")
    with Server(job) as server, httpx.Client(base_url=server.url, timeout=20) as c:
        login(c, "adam")
        html = c.get("/queue").text
        item_id = html.split('name="item_id" value="')[1].split('"')[0]
        assert c.get(f"/item/{item_id}/word.png").status_code == 404
        # a symlinked page folder pointing outside is refused as well
        with sqlite3.connect(job / "ledger.sqlite") as con:
            con.execute("UPDATE documents SET out_dir = ?", (f"documents/{DOC_ID}",))
        pages = job / "documents" / DOC_ID / "pages"
        for f in pages.iterdir():
            f.unlink()
        pages.rmdir()
        os.symlink(tmp_path / "a" / "etc" / "pages", pages)
        assert c.get(f"/item/{item_id}/word.png").status_code == 404
        # an absolute out_dir too
        with sqlite3.connect(job / "ledger.sqlite") as con:
            con.execute("UPDATE documents SET out_dir = ?", (str(tmp_path / "a" / "etc"),))
        assert c.get(f"/item/{item_id}/word.png").status_code == 404
        # no route takes a path
        for probe in ("/item/..%2F..%2Fetc/word.png", "/item/1%2F..%2F..%2Fledger.sqlite/word.png",
                      "/static/..%2F..%2F..%2Fledger.sqlite", "/static/../app.py"):
            assert c.get(probe).status_code in (404, 422), probe


# --------------------------------------------------------------------------- fields (throttling: test_security.py)


def test_mandatory_field_item_comes_first_and_shows_its_name(tmp_path):
    job, page = build_job(tmp_path)
    w = word(page, "(54)")
    Queue(job / "ledger.sqlite").enqueue(DOC_ID, [
        QueueCandidate(kind="field", page=1, bbox=w.bbox, text="15.O3.2024", confidence=70.0,
                       suggestions=["2024-03-15"], context="(43) Date of publication: 15.O3.2024",
                       field_name="publication_date", mandatory=True),
        QueueCandidate(kind="field", page=None, bbox=None, text="<B65D>", confidence=10.0,
                       field_name="ipc", context=""),
    ])
    add_user(job, "rita", "reviewer")
    with Server(job) as server, httpx.Client(base_url=server.url, timeout=20) as c:
        login(c, "rita")
        html = c.get("/queue").text
        assert 'class="field-name">publication_date<' in html and "mandatory" in html and "Value read" in html
        assert "2024-03-15" in html and "/word.png" in html
        token, item_id = csrf_of(html), html.split('name="item_id" value="')[1].split('"')[0]
        assert c.get(f"/item/{item_id}/word.png").status_code == 200
        c.post("/queue", data={"item_id": item_id, "action": "suggestion-1", "csrf": token})
        assert Queue(job / "ledger.sqlite").decisions(DOC_ID) == {"field:publication_date": "2024-03-15"}
        html = c.get("/queue").text  # a field without a box: no image, text escaped
        assert "No image region" in html and "&lt;B65D&gt;" in html and "<B65D>" not in html
        item_id = html.split('name="item_id" value="')[1].split('"')[0]
        assert c.get(f"/item/{item_id}/word.png").status_code == 404


def test_logout_ends_the_session_even_for_a_copied_cookie(served):
    server, _, _ = served
    with httpx.Client(base_url=server.url, timeout=20) as c:
        login(c, "adam")
        stolen = c.cookies[COOKIE_NAME]
        html = c.get("/admin").text
        r = c.post("/logout", data={"csrf": csrf_of(html)}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        assert c.get("/admin", follow_redirects=False).status_code == 303
    with httpx.Client(base_url=server.url, timeout=20, cookies={COOKIE_NAME: stolen}) as thief:
        assert thief.get("/admin", follow_redirects=False).status_code == 303


# --------------------------------------------------------------------------- issue 13


def _item_id(html: str) -> str:
    return html.split('name="item_id" value="')[1].split('"')[0]


def test_mandatory_field_refuses_empty_and_bad_values_with_the_expected_format(tmp_path):
    """Defect 4 (web): the page shows the expected format; Accept of a mandatory field found
    empty, an empty correction and a value that does not fit are refused with the reason."""
    job, page = build_job(tmp_path)
    q = Queue(job / "ledger.sqlite")
    q.enqueue(DOC_ID, [QueueCandidate(kind="field", page=1, bbox=None, text="", confidence=0.0,
                                      field_name="publication_date", mandatory=True,
                                      context="date of publication (43) not found on the front page")])
    add_user(job, "rita", "reviewer")
    with Server(job) as server, httpx.Client(base_url=server.url, timeout=20) as c:
        login(c, "rita")
        html = c.get("/queue").text
        assert "publication_date" in html and 'id="expected"' in html and "2024-03-15 or 15.03.2024" in html
        item_id, token = _item_id(html), csrf_of(html)
        r = c.post("/queue", data={"item_id": item_id, "action": "accept", "csrf": token})
        assert r.status_code == 422 and "mandatory" in r.text and 'id="error"' in r.text
        r = c.post("/queue", data={"item_id": item_id, "action": "correct", "correction": " ", "csrf": token})
        assert r.status_code == 422 and "mandatory" in r.text
        r = c.post("/queue", data={"item_id": item_id, "action": "correct", "correction": "32.13.2024", "csrf": token})
        assert r.status_code == 422 and "not a valid date" in r.text and 'value="32.13.2024"' in r.text
        assert q.get(int(item_id)).state == "open" and q.audit() == []
        # the whole front page is shown for a field the OCR did not find
        img = c.get(f"/item/{item_id}/page.png")
        assert img.status_code == 200 and img.headers["content-type"] == "image/png"
        r = c.post("/queue", data={"item_id": item_id, "action": "correct", "correction": "15.03.2024", "csrf": token})
        assert r.status_code == 303 and "msg=saved" in r.headers["location"]
        assert q.decisions(DOC_ID) == {"field:publication_date": "2024-03-15"}


def test_control_characters_and_huge_values_are_refused_on_the_page(tmp_path):
    """Defect 7 (web): a NUL, a form feed or a megabyte value is refused with the reason."""
    job, page = build_job(tmp_path)
    add_user(job, "rita", "reviewer")
    with Server(job) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        login(c, "rita")
        html = c.get("/queue").text
        item_id, token = _item_id(html), csrf_of(html)
        for value, reason in (("th\x00e", "control character"), ("the\x0c", "control character"),
                              ("x" * 10_000, "at most 300")):  # over 64 KiB: 413 (test_security)
            r = c.post("/queue", data={"item_id": item_id, "action": "correct", "correction": value, "csrf": token})
            assert r.status_code == 422 and reason in r.text, reason
            r = c.post("/queue", data={"item_id": item_id, "action": "line", "line": value, "csrf": token})
            assert r.status_code == 422 and reason in r.text, reason
        assert Queue(job / "ledger.sqlite").audit() == []


def test_leases_only_for_shown_items_released_on_leave_and_shown_to_the_admin(tmp_path):
    """Defect 6: the admin page reserves nothing; an item is reserved when a reviewer is shown it,
    given back when the page is left (the beacon's request) and the admin sees who holds what."""
    job, page = build_job(tmp_path)
    add_user(job, "rita", "reviewer")
    add_user(job, "otto", "reviewer")
    add_user(job, "adam", "admin")
    q = Queue(job / "ledger.sqlite")
    with Server(job) as server, httpx.Client(base_url=server.url, timeout=20) as a, \
            httpx.Client(base_url=server.url, timeout=20) as r1, httpx.Client(base_url=server.url, timeout=20) as r2:
        login(a, "adam")
        for _ in range(3):
            assert a.get("/admin").status_code == 200
        assert q.holders() == []
        login(r1, "rita")
        html = r1.get("/queue").text
        rita_item, token = _item_id(html), csrf_of(html)
        assert [h["lease_owner"] for h in q.holders()] == ["rita"]
        admin_html = a.get("/admin").text
        assert 'id="holders"' in admin_html and "rita" in admin_html.split('id="holders"')[1].split("</table>")[0]
        assert f"{DOC_ID} · page 1 · word" in admin_html  # readable item names
        login(r2, "otto")
        otto_html = r2.get("/queue").text
        otto_item = _item_id(otto_html)
        assert otto_item != rita_item
        # rita's page is left: the beacon gives the item back, otto can have it at once
        assert r1.post("/queue/release", data={"csrf": token, "item_id": rita_item}).status_code == 204
        assert [h["lease_owner"] for h in q.holders()] == ["otto"]
        assert r2.post("/queue/renew", data={"csrf": csrf_of(otto_html), "item_id": otto_item}).status_code == 204
        r2.post("/queue", data={"item_id": otto_item, "action": "accept", "csrf": csrf_of(otto_html)})
        assert _item_id(r2.get("/queue").text) == rita_item
        # without a CSRF token the beacon endpoints do nothing
        assert r1.post("/queue/release", data={"item_id": rita_item}).status_code == 403
        # nothing left for rita while otto looks at the last item: she is told why
        empty = r1.get("/queue").text
        assert "Nothing left" in empty and "on other reviewers' screens" in empty


def test_undo_reopen_audit_csv_and_times_with_zone(tmp_path):
    job, page = build_job(tmp_path)
    add_user(job, "rita", "reviewer")
    add_user(job, "adam", "admin")
    q = Queue(job / "ledger.sqlite")
    with Server(job) as server, httpx.Client(base_url=server.url, timeout=20) as c, \
            httpx.Client(base_url=server.url, timeout=20) as a:
        login(c, "rita")
        html = c.get("/queue").text
        first = _item_id(html)
        c.post("/queue", data={"item_id": first, "action": "correct", "correction": "=cmd()", "csrf": csrf_of(html)})
        assert q.get(int(first)).state == "decided"
        r = c.post("/queue/undo", data={"csrf": csrf_of(html)})
        assert r.status_code == 303 and "msg=undone" in r.headers["location"]
        again = c.get(r.headers["location"]).text
        assert _item_id(again) == first and "undone" in again and q.get(int(first)).state == "open"
        c.post("/queue", data={"item_id": first, "action": "not-text", "csrf": csrf_of(again)})
        assert q.get(int(first)).action == "not-text"
        login(a, "adam")
        admin_html = a.get("/admin").text
        assert "(UTC" in admin_html and 'class="reopen"' in admin_html
        filtered = a.get("/admin", params={"action": "undo"}).text
        audit_rows = filtered.split('id="audit"')[1].split("</table>")[0]
        assert "undo" in audit_rows and "not-text" not in audit_rows
        csv_text = a.get("/admin/audit.csv").text
        assert csv_text.startswith("\ufefftime,reviewer,document,item_id,item,action,before,after,series")
        assert "'=cmd()" in csv_text and ",=cmd()" not in csv_text  # never a formula
        assert c.get("/admin/audit.csv").status_code == 403
        r = a.post("/admin/reopen", data={"item_id": first, "csrf": csrf_of(admin_html)})
        assert r.status_code == 303 and q.get(int(first)).state == "open"
        assert q.audit()[-1]["action"] == "reopen" and q.audit()[-1]["reviewer"] == "adam"


def test_a_finished_document_goes_on_to_the_next(tmp_path):
    job, page = build_job(tmp_path)
    q = Queue(job / "ledger.sqlite")
    q.enqueue("XX0000002A1", [QueueCandidate(kind="word", page=1, bbox=None, text="wbich", confidence=9,
                                             suggestions=["which"], context="wbich", word_id="p0001_w00001")])
    add_user(job, "rita", "reviewer")
    with Server(job) as server, httpx.Client(base_url=server.url, timeout=20) as c:
        login(c, "rita")
        html = c.get("/queue", params={"doc": DOC_ID}).text
        assert 'id="next-doc"' in html and "XX0000002A1" in html.split('id="next-doc"')[0].rsplit("<a", 1)[1]
        for _ in range(2):
            c.post("/queue", data={"item_id": _item_id(html), "action": "accept", "csrf": csrf_of(html),
                                   "doc": DOC_ID})
            html = c.get("/queue", params={"doc": DOC_ID}).text
        assert 'id="notice"' in html and "XX0000002A1" in html and ">wbich<" in html
