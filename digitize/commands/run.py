"""``digitize run``: OCR a batch of scanned publications into text, hOCR, ALTO and XML."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from ..errors import UsageError
from ..fsutil import one_line
from ..formats import DEFAULT, NAMES

HELP = "OCR scanned publications (PDF, TIFF, PNG, JPEG) into text, hOCR, ALTO, ST.36 and ST.96"
DESCRIPTION = """\
OCR scanned patent publications on a Dask cluster and write, per document, the text, the hOCR and
ALTO of every page, the structured document (JSON) and its ST.36 and ST.96 XML.

Each PDF or multi-page TIFF is one document (with document_unit = "folder", each folder of page
images is one). Results go to OUT/documents/<DOCID>/; OUT/ledger.sqlite records every input, so
running the same command again skips what is done and resumes the rest.

examples:
  digitize run scans/ --profile ph --out out/
  digitize run --job jobs/demo.toml
  digitize run scans/ --profile mx --out out/ --scheduler tcp://10.0.0.5:8786

Before anything runs, the client and every worker check that digitize's libraries, the engine
and the profile's languages are installed; a missing one stops the run with one line naming it
and the worker (exit 3).

exit status: 0 when no document failed (documents with words for review are 'needs-review'),
1 when some failed (or the disk filled up: the rest is left for a re-run), 2 for a usage error,
3 when a dependency is missing on this machine or on a worker.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", type=Path, metavar="INPUT", help="file or folder (searched recursively)")
    p.add_argument("--job", type=Path, help="a jobs/*.toml file holding these settings")
    p.add_argument("--profile", help="OCR profile name (ocr_profiles/NAME.toml) or path; default generic")
    p.add_argument("--out", type=Path, help="output folder (created)")
    p.add_argument("--scheduler", help="address of an existing Dask scheduler (default: a local cluster)")
    p.add_argument("--workers", type=int, help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--pool", choices=("auto", "processes", "threads"),
                   help="the local cluster's workers: threads in this process (quick start; a crash ends the run, "
                   "a re-run resumes), processes (a crashed worker is replaced), or auto: threads for a job of "
                   "up to 64 pages on up to 4 workers (default auto)")
    p.add_argument("--document-unit", choices=("file", "folder"), help="what one document is (default file)")
    p.add_argument("--pages-per-task", type=int, help="split documents into page ranges of this size (default 8)")
    p.add_argument("--formats", help=f"comma-separated outputs: {','.join(NAMES)} (pdf: searchable facsimile; "
                   f"default {','.join(DEFAULT)}; '' for none)")
    p.add_argument("--memory", type=Path, help="the office memory file (default: the job file's 'memory', "
                   "$DIGITIZE_MEMORY, else the profile's [queue] memory; none: no memory)")
    p.add_argument("--schemas", type=Path, help="WIPO schema folder (default $DIGITIZE_SCHEMAS or ../shared/standards)")
    p.add_argument("--progress", choices=("auto", "bar", "log", "none"), help="progress display (default auto)")
    p.add_argument("--register", type=Path, metavar="CSV",
                   help="the office's register of numbers (the CSV 'authority build --register' reads): number, "
                   "kind and dates of every document are checked against it; a mismatch is a field item")
    p.add_argument("--no-authority", action="store_true", help="do not build OUT/authority/ at the end")
    p.add_argument("--no-report", action="store_true", help="do not write OUT/report.html at the end")
    p.add_argument("--dry-run", action="store_true",
                   help="say what a run would do (documents, pages, an estimate of the time, what is skipped) "
                   "and stop: nothing is recognised or written")


def main(args: argparse.Namespace) -> int:
    from ..settings import profile as profiles
    from ..batch import run_batch
    from ..settings.job import JobError, JobSettings, load_job, merge, validate
    from ..jobfolder import JobFolder, is_job_folder

    log = logging.getLogger("digitize")
    try:
        job = load_job(args.job) if args.job else JobSettings()
        formats = None if args.formats is None else tuple(f for f in args.formats.split(",") if f.strip())
        job = merge(
            job, inputs=tuple(args.inputs), profile=args.profile, out=args.out, scheduler=args.scheduler,
            workers=args.workers, pool=args.pool, document_unit=args.document_unit, pages_per_task=args.pages_per_task,
            schemas=args.schemas, progress=args.progress, formats=formats, memory=getattr(args, "memory", None),
            register=args.register,
        )
        if args.no_authority or args.no_report:
            from dataclasses import replace

            job = replace(job, authority=job.authority and not args.no_authority, report=job.report and not args.no_report)
        job = validate(job)
        register = check_register(job, "command line" if args.register is not None or not args.job else str(args.job))
        profile = profiles.load(job.profile)
    except (JobError, profiles.ProfileError) as exc:
        raise UsageError(str(exc)) from None
    if not job.inputs:
        raise UsageError("no INPUT given (and no inputs in the job file)")
    if job.out is None:
        raise UsageError("--out is required (or 'out' in the job file)")
    missing = [str(p) for p in job.inputs if not p.exists()]
    if missing:
        raise UsageError(f"input not found: {', '.join(missing)}")
    # Absolute before anything is planned or submitted: a worker resolves a relative path against
    # its own working folder (an external `dask worker` started elsewhere).
    from dataclasses import replace as _replace

    job = _replace(job, inputs=tuple(absolute(p) for p in job.inputs), out=absolute(job.out))
    from ..ingest import discover

    if args.dry_run:
        inputs = discover(list(job.inputs), unit=job.document_unit, exclude=[job.out], skip=is_job_folder)
        if not inputs:
            raise UsageError("no documents found in the inputs")
        return dry_run(job, profile, inputs)
    from ..runlog import run_log

    with JobFolder(job.out).run_lock(), run_log(job.out, "run", getattr(args, "verbose", 0)) as log_file:
        # a second run on the folder refuses at once (exit 2)
        inputs = discover(list(job.inputs), unit=job.document_unit, exclude=[job.out], skip=is_job_folder)
        if not inputs:
            raise UsageError("no documents found in the inputs")
        _keep_register(JobFolder(job.out), register)
        log.info("digitize: %d document(s), profile %s, %s", len(inputs), profile.name,
                 f"scheduler {job.scheduler}" if job.scheduler else f"at most {job.effective_workers()} local worker(s)")
        summary = run_batch(job, profile, inputs)  # a missing dependency: exit 3
    print_summary(summary)
    print(f"log:     {log_file}")
    return 1 if summary.counts.get("failed") or summary.failures else 0


def check_register(job, where: str) -> bytes | None:
    """The register the job names, read and checked once at the edge: its bytes (copied into the
    job folder, so workers and ``apply`` check against the same file), or ``JobError`` naming
    ``where`` and the key."""
    if job.register is None:
        return None
    from ..settings.job import JobError
    from ..structure.register import RegisterError, parse

    try:
        data = Path(job.register).read_bytes()
        reg = parse(data.decode("utf-8"), Path(job.register).name)
    except FileNotFoundError:
        raise JobError(f"{where}: register: no such file {job.register}") from None
    except IsADirectoryError:
        raise JobError(f"{where}: register: {job.register} is a folder, not a CSV file") from None
    except OSError as exc:
        raise JobError(f"{where}: register: cannot read {job.register}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise JobError(f"{where}: register: {job.register} is not UTF-8 (byte {exc.start})") from None
    except RegisterError as exc:
        raise JobError(f"{where}: register: {exc}") from None
    if not reg.rows:
        raise JobError(f"{where}: register: {job.register} has no rows")
    return data


def _keep_register(folder, data: bytes | None) -> None:
    """The job's register copied into the job folder (``register.csv``), where the workers and
    ``digitize apply`` read it; a run whose job names none removes an older copy."""
    from ..fsutil import atomic_write

    if data is None:
        folder.register_path.unlink(missing_ok=True)
        return
    folder.root.mkdir(parents=True, exist_ok=True)
    atomic_write(folder.register_path, data)


def absolute(path: Path) -> Path:
    """``path`` made absolute against the current folder, symbolic links left as named."""
    return Path(os.path.abspath(path))


def dry_run(job, profile, inputs: list[Path]) -> int:
    """Print what ``run`` would do with ``inputs`` (``batch.preview``): nothing is recognised or
    written, no cluster starts."""
    from ..batch.preview import preview

    p = preview(job, profile, inputs)
    print(f"dry run: nothing is recognised or written ({job.out})")
    print(f"{len(inputs)} document(s): {p.todo_docs} to run ({p.todo_pages} page(s) to recognise"
          + (f", {p.kept_pages} kept from an interrupted run" if p.kept_pages else "") + f"), {p.skipped} skipped (done), "
          f"{p.bad} would fail")
    if p.todo_pages:
        print(f"estimate: {p.minutes:.1f} min at {p.rate:.1f} pages/min ({p.source})")
    else:
        print("nothing to do: no cluster would start")
    print("\n".join(f"  {what:<9}{name}: {detail}" for what, name, detail in p.items))
    return 0


def print_summary(summary) -> None:
    c = summary.counts
    print(f"\n{sum(c.values())} document(s): {c.get('done', 0)} done, {c.get('needs-review', 0)} needs-review, "
          f"{c.get('failed', 0)} failed ({summary.skipped} already done, skipped)")
    if summary.pages:
        print(f"{summary.pages} page(s) recognised in {summary.seconds:.1f} s: {summary.pages_per_minute:.1f} pages/min")
    if summary.kept:
        print(f"{summary.kept} page(s) recognised by an earlier run kept (not counted in the rate)")
    if not summary.started_cluster and summary.skipped and not summary.failures:
        print("nothing to do: every input is done with the same content (no cluster started)")
    for inp, reason in summary.failures:
        print(f"  failed: {one_line(inp)}: {one_line(reason)}")
    out = summary.out
    print(f"results: {out / 'documents'}")
    for extra in ("report.html", "authority"):
        if (out / extra).exists():
            print(f"{extra.split('.')[0]}: {out / extra}")
    print(f"status:  digitize status {out}")
