"""A run's progress: a bar over pages with an ETA on a terminal, a log line per document
otherwise (and always in the run's log file)."""

from __future__ import annotations

import logging
import sys
import time

from ..fsutil import one_line

log = logging.getLogger("digitize")


class Progress:
    """A bar over pages with an ETA on a terminal (its total known once the inputs' pages are
    counted), a log line per document otherwise."""

    def __init__(self, documents: int | None, mode: str):
        self.documents, self.done, self.failed, self.pages = documents, 0, 0, 0
        self.total_pages: int | None = None
        self.start = time.time()
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "log"
        self.mode = mode
        self.bar = None
        if mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(total=None, unit="page", dynamic_ncols=True, file=sys.stderr)
            self._postfix()

    def rate(self) -> float:
        elapsed = time.time() - self.start
        return 60 * self.pages / elapsed if elapsed > 0 else 0.0

    def _postfix(self) -> None:
        of = f"/{self.documents}" if self.documents else ""
        self.bar.set_postfix_str(f"documents {self.done + self.failed}{of}, failed {self.failed}", refresh=False)

    def set_total(self, pages: int) -> None:
        """The pages this run has to recognise (known after counting; lowered for kept pages, skipped
        and failed documents)."""
        self.total_pages = max(pages, self.pages)
        if self.bar is not None:
            self.bar.total = self.total_pages
            self.bar.refresh()

    def recognised(self, pages: int) -> None:
        """Pages recognised (one task's range)."""
        self.pages += pages
        if self.bar is not None and pages:
            self.bar.update(pages)

    def update(self, name: str, state: str, pages: int = 0, reason: str | None = None) -> None:
        """A document ended (``pages``: its page count)."""
        if state == "failed":
            self.failed += 1
        else:
            self.done += 1
        n = self.done + self.failed
        if self.bar is not None:
            self._postfix()
            self.bar.refresh()
        extra = f": {reason}" if reason else f" ({pages} pages)"
        of = f"/{self.documents}" if self.documents else ""
        # on the terminal in log mode; always in the run's log file
        log.info("[%d%s] %s %s%s  %.1f pages/min", n, of, state, one_line(name), one_line(extra), self.rate(),
                 extra={"file_only": self.mode != "log"})

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
