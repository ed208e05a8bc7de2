"""HTML → PDF bytes with WeasyPrint: the only module that imports it.

Rendering is sandboxed by `SafeURLFetcher`: a document may load `data:` URIs and the app's own
static files, nothing else. No network, no `file://` (so an `<img src="file:///etc/passwd">` or an
`<a rel="attachment">` cannot pull a server file into the PDF), no redirects. Callers inline
images from storage as `data:` URIs before they get here.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from assessments.reporting.static_files import BASE_URL, static_file_for

# custom_metadata: a personal copy's <meta name="copy-id"> goes into the PDF's document info.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "custom_metadata": True}
PROGRESS_LOGGER = "weasyprint.progress"

ProgressCallback = Callable[[int], None]


class RefusedURL(ValueError):
    """A URL the renderer may not load. WeasyPrint logs it and leaves the resource out."""


class SafeURLFetcher(URLFetcher):
    """Loads `data:` URIs and the app's static files; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        static_file = static_file_for(url)
        if static_file is None:
            raise RefusedURL(f"Refused to load {url!r}: only data: URIs and static files")
        return URLFetcherResponse(url, static_file.read_bytes())


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


# Progress -----------------------------------------------------------------------------------
# WeasyPrint reports its steps on a logger: parse, style, lay out page by page, write. Laying out
# is most of the time, so it takes 10–90 % in proportion to the pages expected.

_LAYOUT_PAGE = re.compile(r"Step 5 - Creating layout - Page (\d+)")
STEP_PERCENT = {"Step 3": 5, "Step 4": 8, "Step 6": 92, "Step 7": 97}


class _ProgressHandler(logging.Handler):
    def __init__(self, callback: ProgressCallback, expected_pages: int):
        super().__init__(logging.INFO)
        self.callback = callback
        self.expected_pages = max(expected_pages, 1)
        self.thread = threading.get_ident()
        self.last = -1

    def emit(self, record: logging.LogRecord) -> None:
        # The logger is global: only this render's thread counts.
        if record.thread != self.thread:
            return
        percent = self.percent(record.getMessage())
        if percent is not None and percent > self.last:
            self.last = percent
            self.callback(percent)

    def percent(self, message: str) -> int | None:
        if match := _LAYOUT_PAGE.match(message):
            done = min(int(match[1]) / self.expected_pages, 1)
            return 10 + int(done * 80)
        return STEP_PERCENT.get(message[:6])


@contextmanager
def _progress(callback: ProgressCallback | None, expected_pages: int) -> Iterator[None]:
    if callback is None:
        yield
        return
    logger = logging.getLogger(PROGRESS_LOGGER)
    handler = _ProgressHandler(callback, expected_pages)
    previous_level, previous_propagate = logger.level, logger.propagate
    # Hear the per-page messages without passing them on to the site's log.
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
        logger.propagate = previous_propagate


# The garbage collector -------------------------------------------------------------------------
# Laying out allocates millions of short-lived objects, so with Python's default thresholds the
# collector runs over a thousand times for a 150-page report, each time also walking the
# process's long-lived objects (Django, the app): 15 to 20 % of the render's CPU, measured with
# gc.callbacks. During a render the objects that existed before it are frozen out of collection
# and young objects are collected ten times less often (docs/benchmarks.md). The settings are the
# process's, so concurrent renders in threads share one change and the last one out restores it.

RENDER_GC_THRESHOLD = (10_000, 50, 100)
_gc_lock = threading.Lock()
_gc_renders = 0
_gc_threshold: tuple[int, int, int] | None = None


@contextmanager
def _collector_tuned_for_layout() -> Iterator[None]:
    global _gc_renders, _gc_threshold
    with _gc_lock:
        if _gc_renders == 0:
            _gc_threshold = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*RENDER_GC_THRESHOLD)
        _gc_renders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_renders -= 1
            if _gc_renders == 0:
                gc.set_threshold(*_gc_threshold)
                gc.unfreeze()


def render_pdf(
    html: str, *, on_progress: ProgressCallback | None = None, expected_pages: int = 20
) -> RenderedPdf:
    """Tagged PDF/UA-1 bytes of a complete HTML document, reporting per cent done."""
    with _collector_tuned_for_layout(), _progress(on_progress, expected_pages):
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).render(
            **PDF_OPTIONS
        )
        content = document.write_pdf(**PDF_OPTIONS)
    return RenderedPdf(content=content, pages=len(document.pages))
