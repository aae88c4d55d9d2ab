"""requirements.lock is what is installed: every pin at its version, every requirement of digitize
(with its test extra) locked, and on CI (a fresh clone, a fresh .venv from `make test`) nothing
installed beyond the lock: `pip freeze` equals it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        m = PIN.match(line)
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def test_lock_has_a_hash_for_every_pin():
    text = LOCK.read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    pins = [b for b in blocks if PIN.match(b)]
    assert len(pins) == len(locked()) > 50
    assert all("--hash=sha256:" in b for b in pins)


def test_locked_versions_are_installed():
    wrong = {}
    for name, version in locked().items():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = None
        if have != version:
            wrong[name] = (version, have)
    assert wrong == {}, "locked vs installed; run `make venv` (or `make test`)"


def test_every_requirement_of_digitize_is_locked():
    pins = locked()
    todo = [("digitize", {"test"})]
    seen: set[str] = set()
    missing = []
    while todo:
        name, extras = todo.pop()
        for text in metadata.requires(name) or []:
            req = Requirement(text)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in (extras or {""})):
                continue
            key = canonicalize_name(req.name)
            if key not in pins:
                missing.append(f"{name} -> {text}")
                continue
            assert req.specifier.contains(pins[key], prereleases=True), f"{name} -> {text}: locked {pins[key]}"
            if key not in seen:
                seen.add(key)
                todo.append((key, set(req.extras)))
    assert missing == [], "not in requirements.lock: run `make lock`"


@pytest.mark.skipif(not os.environ.get("CI"), reason="a developer's venv may hold packages installed by hand; CI's is fresh")
def test_pip_freeze_equals_lock():
    out = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True,
                         check=True).stdout
    frozen = {}
    for line in out.splitlines():
        m = PIN.match(line)
        assert m, f"not a pin from the index: {line}"
        frozen[canonicalize_name(m.group(1))] = m.group(2)
    assert frozen == locked()
