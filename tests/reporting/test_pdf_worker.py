"""The demo report rendered by a real Celery worker consuming the `pdf` queue: the row goes from
queued through running, with rising progress, to done, and the file is there."""

import io
import time

import pytest
from django.db import transaction
from pypdf import PdfReader

from assessments.core.models import User
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import ReportExport

from ..worker import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("pdf_worker"),  # one process starts the worker they share
]

Status = ReportExport.Status


def _watch(export_id: int, timeout: float = 120) -> list[tuple[str, int]]:
    """Every distinct (status, progress) the row passes through, until it finishes."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = ReportExport.objects.values_list("status", "progress").get(pk=export_id)
        if not seen or seen[-1] != row:
            seen.append(row)
        if row[0] in (Status.DONE, Status.FAILED):
            return seen
        time.sleep(0.05)
    raise AssertionError(f"Export {export_id} did not finish: {seen}")


@pytest.mark.slow(reason="a real worker renders the whole restricted report: 5-8 s")
def test_a_real_worker_renders_the_report_with_progress(demo, real_worker):
    police = User.objects.get(username="police")
    with transaction.atomic():
        export = report_export_request(assessment=demo, user=police, variant="restricted")
    seen = _watch(export.pk)
    assert seen[0] == (Status.QUEUED, 0)
    assert seen[-1] == (Status.DONE, 100)
    running = [progress for status, progress in seen if status == Status.RUNNING]
    assert any(0 < progress < 100 for progress in running)
    assert running == sorted(running)

    export.refresh_from_db()
    assert export.attempts == 1 and export.lease_expires_at is None
    reader = PdfReader(io.BytesIO(export.file.read()))
    assert len(reader.pages) == export.pages
    assert "Appendix B: Crime by estate" in " ".join(p.extract_text() for p in reader.pages)


@pytest.mark.slow(reason="a real worker renders the whole public report: 4-6 s")
def test_an_identical_request_after_the_worker_finished_reuses_its_file(demo, real_worker):
    analyst = User.objects.get(username="analyst")
    first = report_export_request(assessment=demo, user=analyst, variant="public")
    wait_for(lambda: ReportExport.objects.filter(pk=first.pk, status=Status.DONE).exists())
    again = report_export_request(assessment=demo, user=analyst, variant="public")
    assert again.pk == first.pk and again.status == Status.DONE
    assert ReportExport.objects.count() == 1
