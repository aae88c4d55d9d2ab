"""Profiles and job files: found, merged and validated with messages that name file and key."""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from digitize.settings import profile as profiles
from digitize.settings.emit import DEFAULT_CLAIM_REF_WORDS
from digitize.settings.job import JobError, JobSettings, load_job, merge
from digitize.tessdata import find_tessdata
from digitize.settings.profile import ProfileError
from digitize.settings.structure import StructureSettings

DIGITIZE = Path(sys.executable).parent / "digitize"


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


def test_sections_are_typed_frozen_and_travel_to_workers():
    mx = profiles.load("mx")
    with pytest.raises(dataclasses.FrozenInstanceError):
        mx.engine.psm = 6  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(mx)) == mx  # Dask ships the profile to its workers
    # the stage-specific merges with the code defaults: the profile's entries first, then the defaults
    assert mx.structure.abstract_headings[:2] == ["Resumen", "RESUMEN"]
    assert "Abstract" in mx.structure.abstract_headings
    assert mx.structure.inid_labels["54"][0] == "Título" and "Title" in mx.structure.inid_labels["54"]
    assert mx.structure.months == StructureSettings().months
    assert mx.proofread.lexicons[0] == "spanish" and mx.proofread.queue_threshold == 75
    assert mx.emit.claim_ref_words[:len(set(DEFAULT_CLAIM_REF_WORDS))] == tuple(dict.fromkeys(DEFAULT_CLAIM_REF_WORDS))
    assert profiles.load("ep").authority.kind_codes["B1"] == "European patent specification"


def write(tmp_path: Path, text: str | bytes, name: str = "custom.toml") -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


@pytest.mark.parametrize("text,message", [
    ('[engine]\nlanguagez = "eng"\n', "[engine] unknown key 'languagez'; allowed: backend, languages"),
    ('[preprocess]\ndeskew = "yes"\n', "[preprocess] deskew must be bool, got 'yes'"),
    ('[preprocess]\nbinarize = "magic"\n', "[preprocess] binarize must be one of 'sauvola', 'adaptive', 'otsu' or 'none'"),
    ('[preprocess]\ntarget_dpi = 5000\n', "[preprocess] target_dpi must be between 70 and 1200, got 5000"),
    ('colour = 1\n', "unknown key 'colour'"),
    ('extends = "nosuch"\n', "unknown profile 'nosuch'"),
    ('lang = "eng"\n', "lang: must be an ISO 639-1 code such as 'en' or 'es', got 'eng'"),
    ('[engine\n', "not valid TOML"),
    ('engine = 3\n', "[engine] must be a table, got 3"),
    ('[queue]\nthreshhold = 60\n', "[queue] unknown key 'threshhold'; allowed: accent_margin, confirm_below, field_formats, known_below, max_length, memory, memory_confirmations, memory_lexicon_after, min_lexicon_share, min_mean_confidence, numbers_below, quality_min_words, short_words, suggestions, threshold"),
    ('[proofread]\nqueue_threshold = 60\n', "[proofread] unknown key 'queue_threshold'"),
    ('[structure]\nfield_threshold = "high"\n', "[structure] field_threshold must be number, got 'high'"),
    ('[structure]\nname_langs = ["es:x"]\n', "[structure] name_langs: 'es:x' must be a language of"),
    ('[structure.inid_labels]\n"5" = ["x"]\n', "[structure] inid_labels: '5' must be a two-digit INID code"),
    ('[authority.kind_codes]\nA1 = ""\n', "[authority] kind_codes.A1: the description must be a non-empty string"),
    ('[emit]\nformats = ["st36"]\n', "[emit] unknown key 'formats'"),  # a job setting, not a profile one
])
def test_profile_errors_name_file_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as err:
        profiles.load(str(path))
    assert message in str(err.value)
    assert str(path) in str(err.value) or "unknown profile" in str(err.value)
    assert "\n" not in str(err.value)


# --------------------------------------------------------------------------- issue 15 item 8: ranges


@pytest.mark.parametrize("text,message", [
    ('[engine]\npsm = 99\n', "[engine] psm must be between 0 and 13, got 99 (Tesseract's page segmentation mode)"),
    ('[engine]\npsm = 0\n', "[engine] psm: 0 reads no text (0 only detects the orientation"),
    ('[engine]\npsm = true\n', "[engine] psm must be int, got True"),
    ('[engine]\noem = 4\n', "[engine] oem must be between 0 and 3, got 4"),
    ('[engine]\ntimeout = -5\n', "[engine] timeout must be >= 0, got -5 (seconds a page may take; 0 = no limit)"),
    ('[engine]\nbackend = "tesseract"\n', "[engine] backend must be one of 'auto', 'tesserocr' or 'pytesseract'"),
    ('[engine]\nlanguages = "eng+"\n', "[engine] languages: must be Tesseract language names joined by '+'"),
    ('[preprocess]\ndefault_dpi = 0\n', "[preprocess] default_dpi must be between 70 and 1200, got 0"),
    ('[preprocess]\nrescale_below_dpi = -1\n', "[preprocess] rescale_below_dpi must be between 0 and 1200, got -1"),
    ('[preprocess]\nmax_pixels = 0\n',
     "[preprocess] max_pixels must be > 0, got 0 (the largest page accepted, in pixels, a guard against "
     "decompression bombs; 0 would refuse every page)"),
    ('[queue]\nthreshold = 160\n', "[queue] threshold must be between 0 and 100, got 160"),
    ('[queue]\nsuggestions = 50\n', "[queue] suggestions must be between 0 and 20, got 50"),
    ('[proofread]\nnoise_confidence = 101\n', "[proofread] noise_confidence must be between 0 and 100, got 101"),
    ('[proofread]\nlexicon_max_cost = -1\n', "[proofread] lexicon_max_cost must be >= 0, got -1"),
    ('[structure]\nfield_threshold = 150\n', "[structure] field_threshold must be between 0 and 100, got 150"),
    ('[structure.months]\nfoo = 13\n', "[structure] months: foo must map to 1..12"),
])
def test_profile_ranges(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as err:
        profiles.load(str(path))
    assert f"{path}: {message}" in str(err.value)


def test_languages_must_be_installed(tmp_path):
    tessdata = find_tessdata()
    path = write(tmp_path, '[engine]\nlanguages = "eng+spz"\n')
    with pytest.raises(ProfileError) as err:
        profiles.load(str(path))
    assert str(err.value) == (f"{path}: [engine] languages: Tesseract language(s) spz not installed in {tessdata} "
                              "(apt-get install tesseract-ocr-spz)")


def test_tessdata_path_must_hold_language_data(tmp_path):
    empty = tmp_path / "tessdata"
    empty.mkdir()
    for folder in (tmp_path / "nowhere", empty):
        path = write(tmp_path, f'[engine]\ntessdata = "{folder}"\n')
        with pytest.raises(ProfileError, match=rf"\[engine\] tessdata: {folder} is not a folder of Tesseract"):
            profiles.load(str(path))
    # a folder that holds the data is used, and its languages are what is checked
    real = tmp_path / "real"
    real.mkdir()
    (real / "eng.traineddata").symlink_to(find_tessdata() / "eng.traineddata")
    ok = write(tmp_path, f'[engine]\ntessdata = "{real}"\nlanguages = "eng"\n')
    assert profiles.load(str(ok)).engine.tessdata == str(real)
    spa = write(tmp_path, f'[engine]\ntessdata = "{real}"\nlanguages = "spa"\n')
    with pytest.raises(ProfileError, match=rf"spa not installed in {real}"):
        profiles.load(str(spa))


# --------------------------------------------------------------------------- issue 15 item 7: encodings


def test_profile_not_utf8_names_file_and_line(tmp_path):
    path = write(tmp_path, 'name = "x"\ndescription = "Propiedad Industrial, Espa\xf1a"\n'.encode("latin-1"))
    with pytest.raises(ProfileError) as err:
        profiles.load(str(path))
    assert str(err.value) == f"{path}: not UTF-8 text (byte 0xf1 on line 2); save it as UTF-8"


def test_profile_with_bom_and_an_inherited_bad_value(tmp_path):
    path = write(tmp_path, b'\xef\xbb\xbfextends = "mx"\n[engine]\npsm = 6\n')
    assert profiles.load(str(path)).engine.psm == 6  # a UTF-8 BOM (Notepad) is fine


def test_a_mistake_in_the_parent_is_reported_in_the_parent(tmp_path):
    parent = write(tmp_path, '[engine]\noem = 7\n', "base.toml")
    child = write(tmp_path, f'extends = "{parent}"\n[preprocess]\ndeskew = false\n', "office.toml")
    with pytest.raises(ProfileError) as err:
        profiles.load(str(child))
    assert str(err.value).startswith(f"{parent}: [engine] oem must be between 0 and 3, got 7")


def test_profile_from_a_path_extends_a_shipped_one(tmp_path):
    path = write(tmp_path, 'extends = "mx"\noffice = "AR"\n[preprocess]\nbinarize = "otsu"\n')
    p = profiles.load(str(path))
    assert p.office == "AR" and p.preprocess.binarize == "otsu" and p.lang == "es"


# --------------------------------------------------------------------------- job files


def test_job_file_paths_are_relative_to_the_file(tmp_path):
    job = tmp_path / "jobs" / "j.toml"
    job.parent.mkdir()
    job.write_text('inputs = ["../scans"]\nout = "../out"\nprofile = "ph"\nworkers = 3\ndescription = "d"\n')
    j = load_job(job)
    assert j.inputs == (tmp_path / "scans",) and j.out == tmp_path / "out"
    assert j.workers == 3 and j.profile == "ph" and j.description == "d"


def test_shipped_jobs_load():
    for job in sorted(Path(__file__).resolve().parents[1].glob("jobs/*.toml")):
        assert isinstance(load_job(job), JobSettings)


@pytest.mark.parametrize("text,message", [
    ('workers = "two"\n', "workers must be int, got 'two'"),
    ('workers = -1\n', "workers must be >= 0, got -1 (0 = one per core)"),
    ('pages_per_task = 0\n', "pages_per_task must be >= 1, got 0"),
    ('max_attempts = 0\n', "max_attempts must be >= 1, got 0"),
    ('document_unit = "page"\n', "document_unit must be one of 'file' or 'folder', got 'page'"),
    ('formats = ["st99"]\n', "formats.0 must be one of 'st36', 'st96' or 'pdf', got 'st99'"),
    ('progress = "fancy"\n', "progress must be one of 'auto', 'bar', 'log' or 'none'"),
    ('inputs = "scans"\n', "inputs must be list, got 'scans'"),
    ('out = 3\n', "out must be a path, got 3"),
    ('wrokers = 2\n', "unknown key 'wrokers'; allowed: authority, description, document_unit"),
    ('workers = 2\nworkers = 3\n', "not valid TOML: Cannot overwrite a value (at line 2, column 12)"),
    (b'description = "lote de marzo \xf1"\n', "not UTF-8 text (byte 0xf1 on line 1); save it as UTF-8"),
])
def test_job_errors(tmp_path, text, message):
    job = write(tmp_path, text, "j.toml")
    with pytest.raises(JobError) as err:
        load_job(job)
    assert str(err.value) == f"{job}: {message}" or str(err.value).startswith(f"{job}: {message}")


def test_command_line_overrides_are_checked_by_the_same_model(tmp_path):
    job = load_job(write(tmp_path, 'workers = 2\nformats = ["st36"]\n', "j.toml"))
    assert merge(job, workers=None, formats=()).formats == ()  # --formats '' means no XML
    assert merge(job, workers=4).workers == 4 and merge(job, workers=4).formats == ("st36",)
    with pytest.raises(JobError, match=r"^command line: pages_per_task must be >= 1, got 0$"):
        merge(job, pages_per_task=0)
    with pytest.raises(JobError, match=r"^command line: formats.0 must be one of 'st36', 'st96' or 'pdf', got 'st99'$"):
        merge(job, formats=("st99",))


# --------------------------------------------------------------------------- through `digitize run`


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run([str(DIGITIZE), "run", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("what", ["psm", "profile-latin1", "job-latin1", "job-toml", "formats"])
def test_cli_reports_a_bad_configuration_in_one_line_with_exit_2(tmp_path, what):
    (tmp_path / "scans").mkdir()
    args = ["scans", "--out", "out"]
    if what == "psm":
        path = write(tmp_path, 'extends = "mx"\n[engine]\npsm = 99\n', "mx-custom.toml")
        args += ["--profile", str(path)]
        expect = f"{path}: [engine] psm must be between 0 and 13, got 99 (Tesseract's page segmentation mode)"
    elif what == "profile-latin1":
        path = write(tmp_path, 'extends = "mx"\ndescription = "IMPI, M\xe9xico"\n'.encode("latin-1"), "mx-custom.toml")
        args += ["--profile", str(path)]
        expect = f"{path}: not UTF-8 text (byte 0xe9 on line 2); save it as UTF-8"
    elif what == "job-latin1":
        path = write(tmp_path, 'description = "Solicitudes de M\xe9xico"\n'.encode("latin-1"), "job.toml")
        args = ["--job", str(path)]
        expect = f"{path}: not UTF-8 text (byte 0xe9 on line 1); save it as UTF-8"
    elif what == "job-toml":
        path = write(tmp_path, 'inputs = ["scans"]\nworkers = two\n', "job.toml")
        args = ["--job", str(path)]
        expect = f"{path}: not valid TOML: Invalid value (at line 2, column 11)"
    else:
        args += ["--formats", "st36,st99"]
        expect = "command line: formats.1 must be one of 'st36', 'st96' or 'pdf', got 'st99'"
    res = _run(*args, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert res.stderr == f"digitize run: error: {expect}\n"
    assert "Traceback" not in res.stderr and not (tmp_path / "out").exists()
