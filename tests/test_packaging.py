"""The wheel carries the profiles and templates: an installed digitize finds them without the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_finds_profiles_and_templates_without_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("digitize-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "authority" / "check.py").is_file()
    code = (
        "import sys; sys.path = [p for p in sys.path if 'work' not in p or 'site-packages' in p];"
        f"sys.path.insert(0, {str(site)!r});"
        "import digitize, digitize.resources as r, digitize.settings.profile as p;"
        f"assert digitize.__file__.startswith({str(site)!r}), digitize.__file__;"
        "print(r.profiles_dir()); print(r.templates_dir()); print(','.join(p.available()));"
        "p.load('mx')"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    profiles_dir, templates_dir, names = out.split()
    assert profiles_dir.startswith(str(site)) and templates_dir.startswith(str(site))
    assert {"generic", "ph", "ar", "mx", "ep"} <= set(names.split(","))
    assert (Path(templates_dir) / "default").is_dir()


def test_the_program_returns_mains_status_and_leaves_the_last_collections_out(tmp_path):
    """The console script and ``python -m digitize`` run ``cli.program``: the command's own exit
    status, then the collector frozen (no finalisation passes over the run's objects)."""
    entry = (ROOT / "pyproject.toml").read_text()
    assert 'digitize = "digitize.cli:program"' in entry
    code = (
        "import gc, sys; from digitize.cli import main, program;"
        f"a = main(['status', {str(tmp_path / 'none')!r}]); assert gc.get_freeze_count() == 0;"
        f"b = program(['status', {str(tmp_path / 'none')!r}]); print(a, b, gc.get_freeze_count() > 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    a, b, frozen = out.split()
    assert a == b != "0" and frozen == "True"
    proc = subprocess.run([sys.executable, "-m", "digitize", "status", str(tmp_path / "none")], cwd=ROOT,
                          capture_output=True, text=True)
    assert str(proc.returncode) == a and "error" in proc.stderr
