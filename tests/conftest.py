"""Shared fixtures: paths to ../shared, and real OCR of the EP publications, done once.

OCR of the two EP publications (54 pages) is the slowest thing the tests need, so it runs once per
session on both cores and is cached in pytest's cache folder, keyed by the code that produces it
(synth, preprocess, ocr) so that a change to any of them recomputes it.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from digitize.resources import default_schema_dir, shared_data_dir  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EP_DOCS = ("EP17185386NWA1", "EP15906245NWA1")
SEED = 1234


# Skip reasons with this mark name a real set that is cloned, not committed (no licence to copy).
UNCOMMITTED_SET = "uncommitted real set"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On CI (``CI=true``) every component is installed by the set-up, so a test may skip only
    for want of real material the repository cannot carry: ``../shared``, or a real set whose
    licence keeps it out of the repository (``UNCOMMITTED_SET`` in the reason; see
    tests/data/real/SOURCES.md). Any other skip (no engine, no word list, no Chromium) is a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and call.excinfo is not None:
        reason = str(call.excinfo.value)
        if "shared" not in reason and UNCOMMITTED_SET not in reason:
            report.outcome = "failed"
            report.longrepr = f"skipped on CI, where every component must be installed: {reason}"


# The quick tier (`make check`, `pytest -m "not slow"`) leaves out what is marked slow: real OCR of
# many pages, a Dask cluster or a whole `digitize run`/`serve`, a browser. Whole modules by name,
# single tests by id, and every test that needs the EP publications' OCR (54 pages) or Chromium.
SLOW_MODULES = {
    "test_real_scans", "test_office_scan", "test_spanish_set", "test_proofread_wer", "test_review_browser",
    "test_serve", "test_inputs_hardening", "test_frontpage_sealed2",
}
SLOW_TESTS = {
    "test_sealed_es2.py::test_printed_pdf_holds_the_truth_and_scans_are_deterministic",
    "test_memory.py::test_memory_across_job_folders_and_machines_and_an_admins_reversal_reaching_every_output",
    "test_batch.py::test_end_to_end_cli", "test_batch.py::test_bad_inputs_fail_alone",
    "test_batch.py::test_same_publication_twice_keeps_both",
    "test_batch.py::test_a_page_over_the_engine_timeout_fails_its_document",
    "test_batch.py::test_external_scheduler_with_a_worker_killed",
    "test_batch.py::test_killed_run_resumes_and_finishes_each_document_once",
    "test_batch.py::test_a_worker_missing_a_dependency_stops_the_run_at_start",
    "test_batch.py::test_a_small_job_runs_on_threads_and_a_large_one_on_processes",
    "test_jobfolder.py::test_second_run_refuses_and_killed_run_releases",
    "test_security.py::test_run_outputs_follow_the_umask_and_names_stay_on_one_line",
    "test_report.py::test_report_in_chromium",
    # the quick tier's slowest: waits of the login throttle, a memory bound in a subprocess,
    # PDFs decoded on threads at once
    "test_security.py::test_right_password_after_failures_gets_in_after_a_delay",
    "test_authority_hardening.py::test_check_build_validate_stream_in_bounded_memory",
    "test_ingest_threads.py::test_pdfs_decoded_on_threads_at_once_are_the_pages_decoded_alone",
    # whole runs, servers under attack, a real publication through run/apply/package (5-20 s each)
    "test_hardening26.py::test_zero_page_pdf_broken_pipe_and_bidi_names",
    "test_hardening26.py::test_login_flood_never_keeps_the_owner_out",
    "test_hardening26.py::test_idle_and_half_sent_connections_are_closed_and_reviewers_served",
    "test_hardening26.py::test_import_reads_a_big_sheet_row_by_row",
    "test_hardening26.py::test_serve_goes_on_after_a_named_pipe_and_a_link_out_of_the_inbox",
    "test_hardening26.py::test_forty_simultaneous_wrong_logins_keep_memory_bounded",
    "test_hardening26.py::test_a_250_character_file_name_is_processed",
    "test_hardening26.py::test_preprocessing_memory_grows_with_the_page_by_a_few_bytes_a_pixel",
    "test_frontpage_issue24.py::test_ca2944968_never_done_nor_packaged_with_empty_mandatory_fields",
    "test_frontpage_register.py::test_register_through_run_and_apply",
    "test_list_decisions.py::test_corrected_inventors_and_states_reach_json_st36_st96",
    # a scanned table page through OCR (each cell read on its own), finish and both schemas (~8-20 s)
    "test_tables.py::test_scanned_table_page_reads_cell_by_cell_into_valid_xml",
    "test_tables.py::test_a_reviewers_correction_of_a_cell_word_reaches_both_xml_tables",
}
# fixtures that recognise many real pages (module-scoped: paid once by every test that uses them)
SLOW_FIXTURES = {"ep_ocr", "spanish_docs", "rendered"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.path.stem
        test = f"{item.path.name}::{item.originalname}"
        if (module in SLOW_MODULES or test in SLOW_TESTS or item.get_closest_marker("browser")
                or SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    d = shared_data_dir()
    if d is None:
        pytest.skip("../shared/data is not present (real scans and patent XML)")
    return d


@pytest.fixture(scope="session")
def english_lexicon():
    """A loader: profile → the lexicon its ``[proofread] lexicons`` give. Without Debian's English
    word list (wamerican) that is only the project's own lists, too small to judge English text
    by: the test skips, and on CI that skip fails (the set-up installs it)."""
    from digitize.settings.profile import or_defaults
    from digitize.proofread.lexicon import load

    def load_for(profile):
        lx = load(tuple(or_defaults(profile).proofread.lexicons), None)
        if len(lx) < 50_000:
            pytest.skip("the Debian word list (wamerican) is not installed")
        return lx

    return load_for


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    d = default_schema_dir()
    if d is None or not (d / "st96-v6_0").is_dir():
        pytest.skip("../shared/standards is not present (WIPO schemas)")
    return d


def _ocr_pdf_pages(pdf: str, pages: list[int], level: str, profile_name: str) -> list[dict]:
    """Worker: render, degrade, preprocess and OCR some pages of one PDF."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from digitize.settings import profile as profiles
    from digitize.model import PageImage
    from digitize.pipeline import ocr_page
    from digitize.synth import degrade, render_pdf

    profile = profiles.load(profile_name)
    out = []
    for number, image, _text in render_pdf(pdf, dpi=300, pages=pages):
        img, dpi = degrade(image, level, SEED + number)
        page, _ = ocr_page(PageImage(number=number, image=img, dpi=dpi, source=f"{pdf}#{number}"), profile)
        out.append(page.to_dict())
    return out


OCR_CODE = ("synth.py", "preprocess", "ocr.py", "ingest", "readings.py", "settings/engine.py")


def ocr_code_hash(names=OCR_CODE) -> str:
    """A key for cached OCR: the code that renders, prepares and reads a page (files and packages)."""
    h = hashlib.sha256()
    for name in names:
        p = ROOT / "digitize" / name
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.read_bytes() if f.exists() else b"-")
    return h.hexdigest()[:16]


@pytest.fixture(scope="session")
def ocr_code():
    """``ocr_code_hash()`` for tests that cache OCR themselves."""
    return ocr_code_hash()


def ocr_pdf(pdf: Path, level: str, cache_dir: Path, profile: str = "ep", pages: list[int] | None = None):
    """OCR pages of a typeset PDF after degrading them; cached on disk. Returns list[OcrPage]."""
    import pypdfium2 as pdfium

    from digitize.model import OcrPage

    if pages is None:
        doc = pdfium.PdfDocument(str(pdf))
        pages = list(range(1, len(doc) + 1))
        doc.close()
    key = hashlib.sha256(f"{pdf.name}|{level}|{profile}|{pages}|{SEED}|{ocr_code_hash()}".encode()).hexdigest()[:20]
    cached = cache_dir / f"{pdf.stem}-{level}-{key}.json"
    if cached.exists():
        return [OcrPage.from_dict(d) for d in json.loads(cached.read_text())]
    chunks = [pages[i::2] for i in range(2)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(_ocr_pdf_pages, [str(pdf)] * 2, chunks, [level] * 2, [profile] * 2))
    dicts = sorted((d for part in parts for d in part), key=lambda d: d["number"])
    cached.write_text(json.dumps(dicts))
    return [OcrPage.from_dict(d) for d in dicts]


@pytest.fixture(scope="session")
def ep_ocr(request, shared_data):
    """Factory: ``ep_ocr(level)`` → {doc name: list[OcrPage]} for both EP publications."""
    cache_dir = Path(request.config.cache.mkdir("digitize-ep-ocr"))
    memo: dict[str, dict] = {}

    def get(level: str = "office") -> dict:
        if level not in memo:
            memo[level] = {
                name: ocr_pdf(shared_data / "patent-pdf" / f"{name}.pdf", level, cache_dir) for name in EP_DOCS
            }
        return memo[level]

    return get


@pytest.fixture(scope="session")
def ep_ocr_pages(ep_ocr):
    """{"EP17185386NWA1": [...], "EP15906245NWA1": [...]}: OcrPages of "office"-degraded renders."""
    return ep_ocr("office")


@pytest.fixture(scope="session")
def ep_truth_text(shared_data) -> dict:
    """{doc name: {page number: text layer}} of the EP PDFs."""
    import pypdfium2 as pdfium

    out = {}
    for name in EP_DOCS:
        pdf = pdfium.PdfDocument(str(shared_data / "patent-pdf" / f"{name}.pdf"))
        out[name] = {i + 1: pdf[i].get_textpage().get_text_range() for i in range(len(pdf))}
        pdf.close()
    return out
