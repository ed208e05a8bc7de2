"""PDF exports when things fail: a full or read-only file store, a stalled worker, content that
changes while a request waits, and the sweep that sends stale renders back to a worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.core.models import OutboxJob
from assessments.reporting import pdf
from assessments.reporting.documents import report_identity
from assessments.reporting.exports import report_export_request, report_exports_requeue_stale
from assessments.reporting.models import ReportExport
from assessments.reporting.rendering import report_export_render

from ..factories import ChapterFactory

pytestmark = pytest.mark.django_db
Status = ReportExport.Status


@pytest.fixture
def chapter(assessment):
    return ChapterFactory(assessment=assessment, title="Antisocial behaviour")


def _stored_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def _use_storage(settings, backend: str) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}


@pytest.mark.parametrize(
    ("backend", "message"),
    [
        ("tests.storage_faults.FullStorage", "the file store is full"),
        ("tests.storage_faults.ReadOnlyStorage", "the file store is read-only"),
    ],
)
def test_a_file_store_that_cannot_be_written_fails_the_export_at_once(
    analyst, chapter, settings, jobs, backend, message
):
    _use_storage(settings, backend)
    with jobs():
        export = report_export_request(
            assessment=chapter.assessment, user=analyst, variant="public"
        )
    export.refresh_from_db()
    assert (export.status, export.attempts) == (Status.FAILED, 1)
    assert message in export.error
    assert not export.file
    assert _stored_files(settings) == []  # the partial file is gone
    assert report_exports_requeue_stale() == 0  # nothing left for the sweep to retry


def _stale(assessment, **fields) -> ReportExport:
    identity = report_identity(assessment=assessment, variant="public", appendices=[])
    past = timezone.now() - dt.timedelta(minutes=5)
    return ReportExport.objects.create(
        assessment=assessment,
        content_hash=identity.content_hash,
        status=Status.RUNNING,
        lease_expires_at=past,
        attempts=1,
        **fields,
    )


def test_the_sweep_sends_a_stale_render_once_not_every_time_it_runs(chapter, monkeypatch, jobs):
    from celery.app.task import Task

    sent = []
    monkeypatch.setattr(Task, "apply_async", lambda self, *a, **k: sent.append(self.name))
    _stale(chapter.assessment)
    for _ in range(3):  # beat runs the sweep every minute while no PDF worker takes it
        with jobs():
            report_exports_requeue_stale()
    assert sent.count("assessments.tasks.render_report_export_task") == 1


def test_content_changed_while_a_request_waited_is_rendered_once(analyst, chapter, monkeypatch):
    renders = []
    real_render = pdf.render_pdf

    def counting_render(*args, **kwargs):
        renders.append(1)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counting_render)
    assessment = chapter.assessment
    first = report_export_request(assessment=assessment, user=analyst, variant="public")
    chapter.narrative = "Rewritten while the first request waited for a worker."
    chapter.save()
    second = report_export_request(assessment=assessment, user=analyst, variant="public")
    assert second.pk != first.pk
    report_export_render(export_id=first.pk)
    report_export_render(export_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.DONE, Status.DONE)
    assert first.content_hash == second.content_hash
    assert len(renders) == 1
    assert first.file.name == second.file.name


def _status_page(client, export) -> str:
    return " ".join(client.get(export.get_absolute_url()).content.decode().split())


def test_the_status_page_says_when_the_render_last_reported_progress(analyst_client, chapter):
    export = _stale(chapter.assessment, progress=52)
    export.progressed_at = timezone.now()
    export.lease_expires_at = timezone.now() + dt.timedelta(minutes=2)
    export.save()
    page = _status_page(analyst_client, export)
    assert "52% done" in page
    assert "Last progress reported at" in page
    assert "being retried" not in page


def test_a_render_silent_past_its_lease_is_shown_as_being_retried(analyst_client, chapter):
    export = _stale(chapter.assessment, progress=52)
    export.progressed_at = timezone.now() - dt.timedelta(minutes=5)
    export.save()
    page = _status_page(analyst_client, export)
    assert "The worker preparing it stopped responding; the job is being retried" in page


def test_an_export_is_refused_with_a_message_while_storage_is_unavailable(
    analyst_client, chapter, settings
):
    settings.STORAGE_FREE_FLOOR_MB = 10**9  # more than any disk has free
    url = reverse(
        "export_request", args=[chapter.assessment.partnership.slug, chapter.assessment.year]
    )
    response = analyst_client.post(url, {"variant": "public"}, follow=True)
    page = " ".join(response.content.decode().split())
    assert "PDFs cannot be prepared just now: the file store is full" in page
    assert not ReportExport.objects.exists()


def test_a_last_attempt_that_stalls_does_not_promise_another(analyst_client, chapter):
    export = _stale(chapter.assessment, progress=80)
    export.attempts = 3
    export.save()
    page = _status_page(analyst_client, export)
    assert "stopped responding on the last of 3 attempts; the job will be marked as failed" in page
    assert "attempt 4" not in page


def test_the_sweep_publishes_again_a_queued_render_the_broker_took_and_lost(
    analyst, chapter, monkeypatch, jobs, settings
):
    from celery.app.task import Task

    sent = []
    monkeypatch.setattr(Task, "apply_async", lambda self, *a, **k: sent.append(k["task_id"]))
    with jobs():
        export = report_export_request(
            assessment=chapter.assessment, user=analyst, variant="public"
        )
    [job] = OutboxJob.objects.all()
    assert sent == [f"outbox-{job.pk}"]  # taken by the broker; no worker has it yet
    assert report_exports_requeue_stale() == 0  # not long ago: it may still be queued

    # The broker crashed and lost it: a republish wait later, the sweep sends the same job again.
    OutboxJob.objects.update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1),
        published_at=timezone.now() - dt.timedelta(seconds=settings.OUTBOX_REPUBLISH_SECONDS),
    )
    assert report_exports_requeue_stale() == 1
    assert sent == [f"outbox-{job.pk}"] * 2
    export.refresh_from_db()
    assert (export.status, OutboxJob.objects.count()) == (Status.QUEUED, 1)
