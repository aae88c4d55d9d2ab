"""What every benchmark shares: running digitize, raw Tesseract and OCRmyPDF on the same inputs.

Each tool is run the way its users run it, as a separate command, timed by the wall clock:

* digitize: ``digitize run PDF... --profile ep --out DIR --workers N`` (OCR, proofreading,
  structure, ST.36 and ST.96 with schema validation; the job-level authority file and report are
  left out because they are not per-page work);
* raw Tesseract: the ``tesseract`` CLI, one process per page, N at a time, ``OMP_THREAD_LIMIT=1``;
* OCRmyPDF: ``ocrmypdf --jobs N --output-type pdf --sidecar`` per PDF, plain or with
  ``--deskew --clean`` (``--clean`` needs the Debian package ``unpaper``).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}
PROFILE = "ep"
LANG = "eng"


@contextmanager
def patched(module, **values) -> Iterator[None]:
    """Module attributes set to other values for the block's time (a constant, a step of the
    preparation), and put back afterwards."""
    saved = {k: getattr(module, k) for k in values}
    for k, v in values.items():
        setattr(module, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(module, k, v)


def cores() -> int:
    return max(1, os.cpu_count() or 1)


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def _check(cmd: list[str], proc: subprocess.CompletedProcess) -> None:
    if proc.returncode not in (0,):
        tail = (proc.stderr or proc.stdout or "")[-800:]
        raise RuntimeError(f"{' '.join(map(str, cmd[:4]))} … exited {proc.returncode}: {tail}")


SCHEDULER: str | None = None  # set by --scheduler: use a running cluster instead of digitize's own


@contextmanager
def external_cluster(workers: int) -> Iterator[str]:
    """A Dask cluster of ``workers`` single-threaded processes started here, for ``--scheduler``
    (``digitize run`` then skips starting its own: cluster start-up is not timed)."""
    from distributed import LocalCluster

    os.environ["OMP_THREAD_LIMIT"] = "1"
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           host="127.0.0.1", env={"OMP_THREAD_LIMIT": "1"})
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def run_digitize(inputs: list[Path], out: Path, workers: int, profile: str = PROFILE,
                 extra: tuple[str, ...] = ()) -> dict:
    """Run one job in a fresh folder; wall seconds and the ledger's own processing span."""
    fresh(out)
    if SCHEDULER:
        where = ["--scheduler", SCHEDULER]
    else:
        where = ["--workers", str(workers)]
    cmd = [sys.executable, "-m", "digitize", "run", *map(str, inputs), "--profile", profile, "--out", str(out),
           *where, "--progress", "none", "--no-authority", "--no-report", *extra]
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=ENV, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        _check(cmd, proc)
    conn = sqlite3.connect(out / "ledger.sqlite")
    try:
        pages, t0, t1, failed = conn.execute(
            "SELECT SUM(pages), MIN(started), MAX(finished), SUM(state = 'failed') FROM documents").fetchone()
    finally:
        conn.close()
    return {"seconds": wall, "pages": pages or 0, "span": (t1 - t0) if t0 and t1 else wall, "failed": failed or 0}


def repeat(pdfs: list[Path], pages: list[Path], folder: Path, n: int) -> tuple[list[Path], list[Path]]:
    """``--repeat N``: the PDFs N times under other names (more documents, same pages) and the
    page images N times over for the raw engine."""
    if n <= 1:
        return pdfs, pages
    return copies(pdfs, folder, n), pages * n


def copies(files: list[Path], folder: Path, n: int) -> list[Path]:
    """``n`` hard links (or copies) of every file under other names: more documents, same pages."""
    fresh(folder)
    out = []
    for k in range(1, n + 1):
        for f in files:
            target = folder / f"{f.stem}-{k}{f.suffix}"
            try:
                os.link(f, target)
            except OSError:
                shutil.copyfile(f, target)
            out.append(target)
    return out


def run_tesseract(pages: list[Path], out: Path, jobs: int, lang: str | dict[Path, str] = LANG) -> float:
    """Raw engine: one ``tesseract IMAGE OUT -l eng txt`` per page, ``jobs`` processes at a time
    (``lang``: one language for every page, or one per page)."""
    fresh(out)

    def one(page: Path) -> None:
        name = page.name.split(".")[0]
        cmd = ["tesseract", str(page), str(out / name), "-l", lang if isinstance(lang, str) else lang[page], "txt"]
        _check(cmd, subprocess.run(cmd, env=ENV, capture_output=True, text=True))

    t = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, pages))
    return time.perf_counter() - t


def run_tesseract_arrivals(pages: list[Path], out: Path, jobs: int, interval: float) -> float:
    """Raw engine fed like a hot folder (what a watch script does): page ``i`` is available at
    ``i * interval`` seconds, at most ``jobs`` CLI processes at once; seconds from the first
    arrival to the last page done."""
    import threading

    fresh(out)
    slots = threading.Semaphore(jobs)
    t0 = time.perf_counter()

    def one(i: int, page: Path) -> None:
        with slots:
            cmd = ["tesseract", str(page), str(out / page.name.split(".")[0]), "-l", LANG, "txt"]
            _check(cmd, subprocess.run(cmd, env=ENV, capture_output=True, text=True))

    threads = []
    for i, page in enumerate(pages):
        time.sleep(max(0.0, t0 + i * interval - time.perf_counter()))
        threads.append(threading.Thread(target=one, args=(i, page)))
        threads[-1].start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def ocrmypdf_available() -> str | None:
    """None when OCRmyPDF can run, else why not."""
    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).with_name("ocrmypdf"))
    if not Path(exe).exists():
        return "ocrmypdf is not installed (pip install -e '.[bench]')"
    return None


def run_ocrmypdf(pdfs: list[Path], out: Path, jobs: int, clean: bool) -> float:
    """OCRmyPDF per PDF; the sidecar text is split at form feeds into ``<stem>-NNNN.txt``."""
    fresh(out)
    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).with_name("ocrmypdf"))
    t = time.perf_counter()
    for pdf in pdfs:
        sidecar = out / f"{pdf.stem}.sidecar.txt"
        cmd = [exe, "--jobs", str(jobs), "--output-type", "pdf", "--sidecar", str(sidecar), "-l", LANG, "--quiet"]
        if clean:
            cmd += ["--deskew", "--clean"]
        cmd += [str(pdf), str(out / f"{pdf.stem}.pdf")]
        _check(cmd, subprocess.run(cmd, env=ENV, capture_output=True, text=True))
    seconds = time.perf_counter() - t
    for pdf in pdfs:
        parts = (out / f"{pdf.stem}.sidecar.txt").read_text(encoding="utf-8", errors="replace").split("\f")
        for n in range(1, page_count(pdf) + 1):
            (out / f"{pdf.stem}-{n:04d}.txt").write_text(parts[n - 1] if n <= len(parts) else "", encoding="utf-8")
    return seconds


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def children_cpu() -> float:
    """User+sys CPU seconds of every child process reaped so far (a command's whole tree: its
    own reaped children count too). Differences bracket one command; less load-dependent than
    the wall clock."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def load() -> str:
    """The 1-minute load average, to print beside a wall-clock figure."""
    return f"{os.getloadavg()[0]:.1f}"


def ppm(pages: int, seconds: float) -> float:
    return 60 * pages / seconds if seconds > 0 else 0.0


def compare_verdict(bad: int, what: str) -> int:
    """The last line of a ``--compare`` (``identical`` or how many ``what`` differ) and its exit code."""
    print("identical" if not bad else f"{bad} {what} differ")
    return 1 if bad else 0


MAN_ES = Path("/usr/share/man/es")


def man_paragraphs(sections: tuple[str, ...], limit: int = 400) -> list[str]:
    """Prose paragraphs with accents from Debian's Spanish manual pages (``manpages-es``) of these
    sections, in a fixed order: technical Spanish for the Spanish page sets."""
    if not MAN_ES.is_dir():
        raise SystemExit("Spanish page sets: Debian's manpages-es is not installed (apt-get install manpages-es)")
    out: list[str] = []
    for section in sections:
        for page in sorted((MAN_ES / section).glob("*.gz")):
            src = gzip.decompress(page.read_bytes())
            proc = subprocess.run(["groff", "-k", "-man", "-Tutf8", "-P-cbou", "-rLL=300n"], input=src,
                                  capture_output=True)
            text = proc.stdout.decode("utf-8", "replace")
            for block in re.split(r"\n\s*\n", text):
                lines = [ln.strip() for ln in block.splitlines()]
                if not lines or any(ln.startswith(("-", "*", "•")) for ln in lines):
                    continue
                para = re.sub(r"\s+", " ", " ".join(lines)).strip()
                words = para.split()
                if len(words) < 25 or len(para) > 900:
                    continue
                letters = sum(c.isalpha() for c in para)
                if letters < 0.78 * len(para.replace(" ", "")) or re.search(r"[/\\{}<>=_|$#@]|\w\(\d\)", para):
                    continue
                if not re.search(r"[áéíóúñ]", para):
                    continue
                out.append(para)
                if len(out) >= limit:
                    return out
    return out


@contextmanager
def timed_calls(module, name: str, acc: dict, key: str):
    """Every call of ``module.name`` while the block runs adds its seconds to ``acc[key]`` (the
    cost of one step inside a larger one, measured in place)."""
    real = getattr(module, name)

    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            acc[key] += time.perf_counter() - t

    setattr(module, name, timed)
    try:
        yield
    finally:
        setattr(module, name, real)
