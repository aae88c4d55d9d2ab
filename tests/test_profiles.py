"""Profiles and job files: found, merged and validated with messages that name file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from digitize import profiles
from digitize.job import JobError, load_job
from digitize.profiles import ProfileError


def test_every_shipped_profile_loads():
    names = profiles.available()
    assert {"generic", "ph", "ar", "mx", "ep"} <= set(names)
    for name in names:
        p = profiles.load(name)
        assert p.name == name and len(p.lang) == 2


def test_office_profiles_extend_and_override():
    mx = profiles.load("mx")
    assert mx.office == "MX" and mx.lang == "es"
    assert "spa" in mx.engine.languages.split("+")
    assert mx.preprocess == profiles.load("generic").preprocess  # inherited unchanged
    ph = profiles.load("ph")
    assert ph.office == "PH" and ph.engine.languages == "eng"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "custom.toml"
    p.write_text(text)
    return p


@pytest.mark.parametrize("text,message", [
    ('[engine]\nlanguagez = "eng"\n', "[engine] unknown key 'languagez'"),
    ('[preprocess]\ndeskew = "yes"\n', "[preprocess] deskew must be bool"),
    ('[preprocess]\nbinarize = "magic"\n', "binarize must be one of"),
    ('[preprocess]\ntarget_dpi = 5000\n', "target_dpi must be between"),
    ('colour = 1\n', "unknown key(s) colour"),
    ('extends = "nosuch"\n', "unknown profile 'nosuch'"),
    ('lang = "eng"\n', "ISO 639-1"),
    ('[engine\n', "not valid TOML"),
])
def test_profile_errors_name_file_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as err:
        profiles.load(str(path))
    assert message in str(err.value)
    assert str(path) in str(err.value) or "unknown profile" in str(err.value)


def test_profile_from_a_path_extends_a_shipped_one(tmp_path):
    path = write(tmp_path, 'extends = "mx"\noffice = "AR"\n[preprocess]\nbinarize = "otsu"\n')
    p = profiles.load(str(path))
    assert p.office == "AR" and p.preprocess.binarize == "otsu" and p.lang == "es"


def test_job_file_paths_are_relative_to_the_file(tmp_path):
    job = tmp_path / "jobs" / "j.toml"
    job.parent.mkdir()
    job.write_text('inputs = ["../scans"]\nout = "../out"\nprofile = "ph"\nworkers = 3\n')
    j = load_job(job)
    assert j.inputs == (tmp_path / "scans",) and j.out == tmp_path / "out"
    assert j.workers == 3 and j.profile == "ph"


@pytest.mark.parametrize("text,message", [
    ('workers = "two"\n', "workers must be int"),
    ('document_unit = "page"\n', "document_unit must be"),
    ('formats = ["st99"]\n', "unknown: st99"),
])
def test_job_errors(tmp_path, text, message):
    job = tmp_path / "j.toml"
    job.write_text(text)
    with pytest.raises(JobError, match=message.replace("[", r"\[")):
        load_job(job)
