"""Publication and the yearly cycle: the public chapter page as an anonymous reader, the cover
paper as HTML and PDF, and the roll-over to next year, with time and queries.

Runs against the development database inside a transaction that is rolled back.
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ._timing import timed

RUNS = 5


class _RollBack(Exception):
    pass


def _rows(assessment) -> list[tuple[str, float, int]]:
    from assessments.core.models import Assessment
    from assessments.publication.services.cover_paper import cover_paper_html
    from assessments.publication.services.rollover import assessment_start_next
    from assessments.reporting import pdf

    Assessment.objects.filter(pk=assessment.pk).update(status="published")
    client = Client()
    chapter_url = assessment.chapters.get(slug="violence").get_absolute_url()
    client.get(chapter_url)  # warm up templates

    def chapter_page():
        assert client.get(chapter_url).status_code == 200

    def cover_html():
        cover_paper_html(assessment=assessment, variant="public", appendices=[])

    def cover_pdf():
        pdf.render_pdf(cover_paper_html(assessment=assessment, variant="public", appendices=[]))

    rows = [
        ("public chapter page (anonymous)", *timed(chapter_page, RUNS)),
        ("cover paper HTML", *timed(cover_html, RUNS)),
        ("cover paper PDF (3 pages)", *timed(cover_pdf, RUNS)),
    ]
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        assessment_start_next(source=assessment)
        rows.append(("roll-over 2017 → 2018 (first run)", (time.perf_counter() - started) * 1000,
                     len(queries)))  # fmt: skip
    rows.append(("roll-over again (finds 2018)", *timed(lambda: assessment_start_next(
        source=assessment), RUNS)))  # fmt: skip
    return rows


def main() -> None:
    from assessments.demo.load import demo_load

    print("## Publication and the yearly cycle")  # noqa: T201
    print("| what | median ms | queries |")  # noqa: T201
    print("|---|---|---|")  # noqa: T201
    try:
        with transaction.atomic():
            for name, ms, queries in _rows(demo_load()):
                print(f"| {name} | {ms:.0f} | {queries} |")  # noqa: T201
            raise _RollBack
    except _RollBack:
        pass
