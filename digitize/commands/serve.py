"""``digitize serve``: a warm service on a hot folder (arguments and help; the service itself is
``batch.service``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

HELP = "watch a folder and OCR every document dropped into it, with warm workers"
DESCRIPTION = """\
Keep a Dask cluster and its workers warm (engine loaded, schemas compiled) and process every
document dropped into IN, as 'digitize run IN --out OUT' would: the same ledger, layout and
resume. Progress is logged per document.

A dropped file is taken once it is completely written. Its format tells: a PDF ends with
%%EOF after its cross-reference, a PNG with IEND, a JPEG with its EOI marker, a TIFF's pages and
strips lie inside the file; such a file is taken once it has not changed for 0.2 s, or at once
when it was renamed into IN. A file whose format shows it unfinished waits until it has not
changed for 30 s (it is then damaged, and fails with its reason); one whose format cannot tell,
until its size and modification time have not changed for --poll seconds. On Linux, IN is
watched with inotify, so a file is looked at the moment its writer closes it; IN is also listed
every --poll seconds (writers on other machines of a network share, other systems). A writer
that can should write NAME.part and rename it to NAME when done (a writer that appends the pages
of a TIFF one at a time, closing it in between, must): .part files and hidden files are never
taken. After its document is recorded, the original moves to IN/done/ (done or needs-review, or
already done before), or to IN/failed/ with NAME.reason.txt beside it.

Ctrl-C (SIGINT) or SIGTERM stops cleanly: nothing more is taken, the tasks in flight are
cancelled, the cluster is closed, exit 0. Documents left unfinished stay in IN; the next
'digitize serve' takes them again and resumes them (pages already recognised are kept).

Like 'digitize run', the service writes OUT/report.html and the authority file in OUT/authority/
(the same steps): each time it has recorded documents and nothing is left to do, and when it
stops. --no-authority and --no-report leave them out. Its log is in OUT/logs/.

examples:
  digitize serve --watch inbox/ --out out/ --profile ph
  digitize serve --watch inbox/ --out out/ --profile ep --scheduler tcp://10.0.0.5:8786

exit status: 0 stopped by a signal, 1 the disk filled up, 2 usage error, 3 a missing dependency.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--watch", type=Path, required=True, metavar="IN", help="the hot folder (created)")
    p.add_argument("--out", type=Path, required=True, help="output folder (created)")
    p.add_argument("--profile", default="generic", help="OCR profile name or path (default generic)")
    p.add_argument("--scheduler", help="address of an existing Dask scheduler (default: a local cluster)")
    p.add_argument("--pool", choices=("processes", "threads"),
                   help="the local cluster's workers: processes (default: a crashed worker is replaced and the "
                   "service goes on) or threads in this process (a crash stops the service; a restart resumes)")
    p.add_argument("--workers", type=int, help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--pages-per-task", type=int, help="page ranges of at most this size (default 8)")
    p.add_argument("--formats", help="comma-separated XML outputs: st36,st96 (default both; '' for none)")
    p.add_argument("--no-authority", action="store_true", help="do not build OUT/authority/")
    p.add_argument("--no-report", action="store_true", help="do not write OUT/report.html")
    p.add_argument("--schemas", type=Path, help="WIPO schema folder (default $DIGITIZE_SCHEMAS or ../shared/standards)")
    p.add_argument("--poll", type=float, default=1.0,
                   help="seconds between two listings of IN, and how long a file whose format cannot tell that it "
                   "is complete must stay unchanged (default 1)")


def main(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from ..batch.service import serve
    from ..jobfolder import JobFolder
    from ..runlog import run_log
    from ..settings import profile as profiles
    from ..settings.job import JobError, JobSettings, merge, validate

    if args.poll <= 0:
        raise UsageError("--poll must be > 0 seconds")
    try:
        job = merge(JobSettings(), profile=args.profile, out=args.out, scheduler=args.scheduler,
                    workers=args.workers, pool=args.pool, pages_per_task=args.pages_per_task, schemas=args.schemas, progress="log")
        if args.formats is not None:
            job = replace(job, formats=tuple(f for f in args.formats.split(",") if f.strip()))
        job = validate(replace(job, authority=not args.no_authority, report=not args.no_report))
        profile = profiles.load(job.profile)
    except (JobError, profiles.ProfileError) as exc:
        raise UsageError(str(exc)) from None
    watch, out = args.watch.resolve(), args.out.resolve()
    if watch == out:
        raise UsageError("--watch and --out must be different folders")
    job = replace(job, out=out)  # absolute: a worker resolves a relative path against its own folder
    watch.mkdir(parents=True, exist_ok=True)
    with JobFolder(out).run_lock(), run_log(out, "serve", getattr(args, "verbose", 0)):
        # one run or service per output folder (exit 2 otherwise); the hot folder's copies are
        # the job folder's, so it starts under the lock
        return serve(job, profile, watch, args.poll)
