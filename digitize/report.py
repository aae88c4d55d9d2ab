"""The batch report: one self-contained HTML page about a job folder (``DIR/report.html``).

Everything comes from what the job left on disk: the ledger (states, reasons, timings), the
``<DOCID>.json`` documents (page confidences, corrections, queue candidates), the ``pages/*.json``
OCR pages (word confidences, sampled for big jobs) and the ``queue_*`` tables when present. The
page has no external resource (inline CSS, plots as inline SVG from matplotlib's Agg backend), so
it can be mailed or archived with the results and opened anywhere.
"""

from __future__ import annotations

import io
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fsutil import atomic_write
from .jobfolder import LEDGER, DocumentFolder, JobFolder
from .store.ledger import NOT_PUBLICATION, shown_reason
from .store.memory import AUTO as AUTO_MEMORY
from .store.queue import state_counts as queue_state_counts

STATE_ORDER = ("done", "needs-review", "failed", "running", "pending")
STATE_COLOURS = {"done": "#2e7d32", "needs-review": "#ef6c00", "failed": "#c62828", "running": "#1565c0",
                 "pending": "#757575"}
MAX_DOC_ROWS = 2000  # documents listed in the table (all are counted)
LAYOUT_RULES = ("hyphenation", "noise")  # joins and removed specks: not word fixes worth listing
MAX_PAGE_FILES = 1500  # pages/*.json read for word confidences (evenly sampled beyond that)
TEMPLATE = Path(__file__).with_name("report_template.html")


@dataclass
class DocRow:
    input: str
    state: str
    reason: str | None
    doc_id: str | None
    pages: int | None
    seconds: float | None
    validated: str | None
    attempts: int
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, relative href)
    mean_conf: float | None = None
    corrected: int = 0
    queued: int = 0
    flags: list[str] = field(default_factory=list)


@dataclass
class JobStats:
    """Plain figures for the page (and for tests)."""

    name: str
    counts: dict[str, int]
    docs: list[DocRow]
    pages: int  # the pages of the finished documents
    span_seconds: float  # the last run's own time
    pages_per_minute: float  # the pages the last run recognised over its own time
    timeline: list[tuple[float, float]]  # (minutes since start, pages/min in that interval)
    word_confs: list[float]
    page_confs: list[float]
    sampled_pages: int
    corrected: int
    queued: int
    corrections: list[tuple[str, str, int]]  # (old, new, count) most frequent first, word fixes only
    rules: list[tuple[str, int]]  # automatic changes per proofreading rule
    queue: dict[str, int]  # open / decided items of the review queue
    run_pages: int = 0  # pages the last run recognised (the ledger's runs row, as the CLI printed)
    run_outcome: str | None = None  # finished, interrupted, …; None: no run recorded (older ledger)
    changes: int = 0  # automatic changes by the proofreading rules: the rules table's total
    not_publications: list[tuple[str, str]] = field(default_factory=list)  # (doc_id or input, reviewer's reason)
    auto_memory: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, read, written) by the office memory


# --------------------------------------------------------------------------- gathering


def _ledger_rows(job: JobFolder) -> list[dict[str, Any]]:
    if not job.exists():
        return []
    ledger = job.ledger(readonly=True)
    try:
        return ledger.rows()
    finally:
        ledger.close()


def _queue_counts(job: JobFolder) -> dict[str, int]:
    if not job.exists():
        return {}
    return queue_state_counts(job.ledger_path)


def _last_run(job: JobFolder) -> dict[str, Any] | None:
    if not job.exists():
        return None
    ledger = job.ledger(readonly=True)
    try:
        return ledger.last_run()
    finally:
        ledger.close()


def _timeline(rows: list[dict[str, Any]], bins: int = 24, key: str = "pages") -> tuple[list[tuple[float, float]], float, int]:
    """Pages/min per interval of the run, each document's pages (``key``) spread over its started..finished."""
    spans = [(r["started"], r["finished"], r.get(key) or 0) for r in rows
             if r.get("started") and r.get("finished") and r["state"] in ("done", "needs-review")]
    if not spans:
        return [], 0.0, 0
    t0 = min(s for s, _, _ in spans)
    t1 = max(f for _, f, _ in spans)
    total = sum(p for _, _, p in spans)
    span = max(t1 - t0, 1e-6)
    width = span / bins
    work = [0.0] * bins
    for s, f, p in spans:
        f = max(f, s + 1e-6)
        for i in range(bins):
            a, b = t0 + i * width, t0 + (i + 1) * width
            overlap = min(b, f) - max(a, s)
            if overlap > 0:
                work[i] += p * overlap / (f - s)
    points = [((i + 0.5) * width / 60, 60 * w / width) for i, w in enumerate(work)]
    return points, span, total


def _page_json_files(docs_dir: Path, rows: list[dict[str, Any]], job: Path) -> list[Path]:
    files: list[Path] = []
    for r in rows:
        if r.get("out_dir"):
            files.extend(sorted((job / r["out_dir"] / "pages").glob("[0-9]*.json")))
    if len(files) > MAX_PAGE_FILES:
        step = len(files) / MAX_PAGE_FILES
        files = [files[int(i * step)] for i in range(MAX_PAGE_FILES)]
    return files


def _word_confs(files: list[Path]) -> list[float]:
    confs: list[float] = []
    for f in files:
        try:
            page = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for block in page.get("blocks") or []:
            for line in block.get("lines") or []:
                confs.extend(float(w.get("conf", 0)) for w in line.get("words") or [] if str(w.get("text", "")).strip())
    return confs


def gather(job_dir: Path) -> JobStats:
    job_folder = JobFolder(job_dir)
    job = job_folder.root
    rows = _ledger_rows(job_folder)
    counts = {s: 0 for s in STATE_ORDER}
    for r in rows:
        counts[r["state"]] = counts.get(r["state"], 0) + 1
    timeline, span, pages = _timeline(rows)
    run = _last_run(job_folder)
    run_pages = None
    if run and run.get("ended"):
        # the last run's own numbers: the pages it recognised over its own time (the CLI's summary);
        # the plot spreads the pages each document recognised in that run over its time
        in_run = [r for r in rows if (r.get("finished") or 0) >= run["started"] and r.get("recognised") is not None]
        timeline, _, _ = _timeline(in_run, key="recognised")
        span, run_pages = run["ended"] - run["started"], run["pages"]
        pages = sum(r.get("pages") or 0 for r in rows if r["state"] in ("done", "needs-review"))
    docs: list[DocRow] = []
    page_confs: list[float] = []
    fixes: Counter[tuple[str, str]] = Counter()
    rules: Counter[str] = Counter()
    corrected = queued = 0
    not_publications: list[tuple[str, str]] = []
    auto_memory: list[tuple[str, str, str]] = []
    for r in rows:
        if r.get("reason", "") and str(r["reason"]).startswith(NOT_PUBLICATION):
            not_publications.append((r.get("doc_id") or r["input"], r["reason"][len(NOT_PUBLICATION):]))
        row = DocRow(input=r["input"], state=r["state"], reason=shown_reason(r), doc_id=r.get("doc_id"),
                     pages=r.get("pages"), seconds=r.get("seconds"), validated=r.get("validated"),
                     attempts=r.get("attempts") or 0)
        if r.get("out_dir") and r.get("doc_id"):
            docf = DocumentFolder(job / r["out_dir"])
            for label, path in (("text", docf.text(r["doc_id"])), ("ST.36", docf.xml(r["doc_id"], "st36")),
                                ("ST.96", docf.xml(r["doc_id"], "st96")), ("JSON", docf.json(r["doc_id"]))):
                if path.is_file():
                    row.links.append((label, f"{r['out_dir']}/{path.name}"))
            doc_json = docf.json(r["doc_id"])
            if doc_json.is_file():
                try:
                    doc = json.loads(doc_json.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    doc = {}
                confs = [p["mean_conf"] for p in doc.get("pages") or [] if p.get("words")]
                page_confs.extend(confs)
                row.mean_conf = sum(confs) / len(confs) if confs else None
                auto = [c for c in doc.get("corrections") or [] if not str(c.get("rule", "")).startswith("review:")]
                auto_memory += [(r["doc_id"], c.get("old", ""), c.get("new", "")) for c in auto
                                if c.get("rule") == AUTO_MEMORY]
                rules.update(str(c.get("rule", "")) for c in auto)
                # a word changed into another counts; a join (hyphenation), a removed speck and the
                # emptied second half of a joined word are changes, not corrections
                changed = [c for c in auto if str(c.get("new", "")).strip() and c.get("rule") not in LAYOUT_RULES]
                row.corrected = len(changed)
                fixes.update((c.get("old", ""), c.get("new", "")) for c in changed)
                row.queued = len(doc.get("candidates") or [])
                row.flags = list(doc.get("flags") or [])
                corrected += row.corrected
                queued += row.queued
        docs.append(row)
    files = _page_json_files(job / "documents", rows, job)
    return JobStats(
        name=job.resolve().name, counts=counts, docs=docs, pages=pages, span_seconds=span,
        pages_per_minute=60 * (pages if run_pages is None else run_pages) / span if span else 0.0,
        run_pages=pages if run_pages is None else run_pages, run_outcome=run.get("outcome") if run else None,
        changes=sum(rules.values()), timeline=timeline, word_confs=_word_confs(files),
        page_confs=page_confs, sampled_pages=len(files), corrected=corrected, queued=queued,
        corrections=[(o, n, k) for (o, n), k in fixes.most_common(15)], queue=_queue_counts(job_folder),
        rules=rules.most_common(), not_publications=not_publications, auto_memory=auto_memory,
    )


# --------------------------------------------------------------------------- plots


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML declaration and DOCTYPE: inline in HTML


def _figure(width: float = 6.4, height: float = 2.6):
    import matplotlib

    matplotlib.use("Agg", force=False)
    matplotlib.rcParams["svg.hashsalt"] = "digitize-report"  # stable ids: same job, same page
    matplotlib.rcParams["svg.fonttype"] = "path"  # no font needed where the page is opened
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def states_plot(stats: JobStats) -> str:
    from matplotlib.ticker import MaxNLocator

    states = [s for s in stats.counts if stats.counts[s]] or ["done"]
    fig, ax = _figure(6.4, 0.7 + 0.32 * len(states))
    values = [stats.counts.get(s, 0) for s in states]
    bars = ax.barh(states[::-1], values[::-1], color=[STATE_COLOURS.get(s, "#555") for s in states[::-1]])
    ax.bar_label(bars, padding=3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("documents")
    return _svg(fig)


def throughput_plot(stats: JobStats) -> str | None:
    if not stats.timeline:
        return None
    fig, ax = _figure()
    xs = [x for x, _ in stats.timeline]
    ys = [y for _, y in stats.timeline]
    ax.fill_between(xs, ys, step="mid", alpha=0.25, color="#1565c0")
    ax.step(xs, ys, where="mid", color="#1565c0")
    ax.axhline(stats.pages_per_minute, color="#555", linestyle="--", linewidth=1)
    ax.text(xs[-1], stats.pages_per_minute, f" mean {stats.pages_per_minute:.1f}", va="bottom", ha="right", fontsize=8)
    ax.set_xlabel("minutes since the first document started")
    ax.set_ylabel("pages/min")
    ax.set_ylim(bottom=0)
    return _svg(fig)


def confidence_plot(stats: JobStats) -> str | None:
    from matplotlib.ticker import MaxNLocator

    values = stats.word_confs or stats.page_confs
    if not values:
        return None
    fig, ax = _figure()
    ax.hist(values, bins=20, range=(0, 100), color="#6a1b9a", alpha=0.8)
    ax.set_xlabel("word confidence" if stats.word_confs else "page mean confidence")
    ax.set_ylabel("words" if stats.word_confs else "pages")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, 100)
    return _svg(fig)


# --------------------------------------------------------------------------- page


def render(stats: JobStats, generated: float | None = None) -> str:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    failed = [d for d in stats.docs if d.state == "failed"]
    shown = stats.docs[:MAX_DOC_ROWS]
    return template.render(
        s=stats, failed=failed, shown=shown, colours=STATE_COLOURS,
        generated=time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(generated or time.time())),
        total=sum(stats.counts.values()),
        plots={k: Markup(v) if v else None for k, v in (("states", states_plot(stats)),
                                                          ("throughput", throughput_plot(stats)),
                                                          ("conf", confidence_plot(stats)))},
    )


def write_report(job_dir: Path) -> Path:
    """Write ``job_dir/report.html`` (atomically) and return its path."""
    folder = JobFolder(job_dir)
    if not folder.exists():
        raise FileNotFoundError(f"{folder.root} is not a job folder (no {LEDGER})")
    return atomic_write(folder.report_path, render(gather(folder.root)))  # mode follows the umask
