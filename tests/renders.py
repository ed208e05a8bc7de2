"""The same document rendered once per test process, for the modules that only read it.

Several tests of a module publish the demo and read its PDF: the same HTML each time, to the
byte, and so the same PDF (WeasyPrint's output is a function of its input:
tests/reporting/test_pdf_document.py renders the demo twice and compares the bytes). In a module
marked `reuses_renders`, HTML this process has rendered before gets the PDF it got then, and the
render's progress callback hears the same steps again; any other HTML is rendered. The modules
that test rendering itself (the collector, progress, faults, the bytes) are not marked."""

from __future__ import annotations

import hashlib
import threading

from assessments.reporting import pdf

_render = pdf.render_pdf
_rendered: dict[str, tuple[pdf.RenderedPdf, list[int]]] = {}
_lock = threading.Lock()


def render_pdf_reusing(html: str, *, on_progress=None, expected_pages: int = 20):
    key = hashlib.sha256(f"{expected_pages}\n{html}".encode()).hexdigest()
    with _lock:
        earlier = _rendered.get(key)
    if earlier is None:
        steps: list[int] = []

        def heard(percent: int) -> None:
            steps.append(percent)
            if on_progress is not None:
                on_progress(percent)

        rendered = _render(html, on_progress=heard, expected_pages=expected_pages)
        with _lock:
            _rendered[key] = (rendered, steps)
        return rendered
    rendered, steps = earlier
    for percent in steps:
        if on_progress is not None:
            on_progress(percent)
    return rendered
