"""A render tunes the garbage collector for layout and gives the process its settings back,
also when the render fails, so a long-lived worker or web process is not left changed."""

from __future__ import annotations

import gc
import threading

import pytest

from assessments.reporting import pdf

PAGE = (
    "<html lang='en-GB'><head><title>t</title></head><body><h1>Title</h1><p>Text.</p></body></html>"
)


def test_a_render_collects_young_objects_less_often_and_restores_the_collector():
    before = gc.get_threshold()
    during = []
    pdf.render_pdf(PAGE, on_progress=lambda percent: during.append(gc.get_threshold()))
    assert during and set(during) == {pdf.RENDER_GC_THRESHOLD}
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_failed_render_restores_the_collector(monkeypatch):
    before = gc.get_threshold()

    def broken(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf.HTML, "render", broken)
    with pytest.raises(RuntimeError):
        pdf.render_pdf(PAGE)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_renders_in_two_threads_leave_the_collector_as_they_found_it():
    before = gc.get_threshold()
    threads = [threading.Thread(target=pdf.render_pdf, args=(PAGE,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
