"""Fault tolerance on the production services (PostgreSQL, Redis, real workers):

- the worker's pool process is killed in the middle of a PDF render: its status page says it is
  being retried, and the export completes, as one row with one file;
- the broker is down when someone asks for an export: the request succeeds, the job waits in
  the outbox, and the relay hands it to the broker once it is back;
- the database connection dies in the middle of an import: nothing of it is saved.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.core.jobs import outbox_relay
from assessments.core.models import OutboxJob
from assessments.indicators import police_uk
from assessments.indicators.models import Geography, ImportBatch, Indicator, Observation
from assessments.reporting.exports import report_export_request, report_exports_requeue_stale
from assessments.reporting.models import ReportExport

from ..broker import private_broker
from ..db_faults import connection_lost_at_insert
from ..factories import ChapterFactory, GeographyFactory, IndicatorFactory
from ..indicators.test_table_import import OBSERVATION_HEADER, confirm, upload
from ..police_uk_files import police_uk_csv, random_month
from ..worker import celery_worker, wait_for

logger = logging.getLogger(__name__)
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = ReportExport.Status


# The worker's pool process dies mid-render ---------------------------------------------------


@pytest.fixture
def long_chapter(assessment):
    """A chapter long enough (about 50 pages) that a render is caught in the middle."""
    paragraph = (
        "Repeat victimisation of anti-social behaviour on the estates, with the partnership's "
        "response and what the figures say about it. "
    ) * 4
    narrative = "\n\n".join(f"Paragraph {n}. {paragraph}" for n in range(400))
    return ChapterFactory(assessment=assessment, title="Long nights", narrative=narrative)


def _stored_files(settings) -> list:
    return [path for path in (settings.MEDIA_ROOT / "exports").rglob("*") if path.is_file()]


def _rendering(export_id: int) -> bool:
    row = ReportExport.objects.values_list("status", "progress").get(pk=export_id)
    return row[0] == Status.RUNNING and row[1] >= 5


def _status_text(client, export) -> str:
    return " ".join(client.get(export.get_absolute_url()).content.decode().split())


@pytest.mark.slow(reason="kills a real worker's pool process mid-render and waits for the retry")
@pytest.mark.redis
@pytest.mark.worker
def test_a_render_whose_pool_process_is_killed_completes_on_retry(
    analyst, analyst_client, long_chapter, settings
):
    with celery_worker("pdf", pool="prefork") as worker:
        export = report_export_request(
            assessment=long_chapter.assessment, user=analyst, variant="public"
        )
        wait_for(lambda: _rendering(export.pk), timeout=120, interval=0.05)
        [child] = worker.pool_children()
        os.kill(child, signal.SIGKILL)
        killed = time.monotonic()
        wait_for(
            lambda: "the job is being retried" in _status_text(analyst_client, export),
            timeout=settings.EXPORT_LEASE_SECONDS,
            interval=0.2,
        )
        logger.info(
            "Render killed to 'being retried' on its page: %.1f s", time.monotonic() - killed
        )
        wait_for(
            lambda: ReportExport.objects.filter(pk=export.pk, status__in=["done", "failed"]),
            timeout=180,
        )
        logger.info("Render killed to PDF ready: %.1f s", time.monotonic() - killed)
    log = "".join(worker)
    assert "WorkerLostError" in log or "signal 9" in log, log[-3000:]

    export.refresh_from_db()
    assert (export.status, export.attempts, export.error) == (Status.DONE, 2, "")
    assert ReportExport.objects.count() == 1
    [stored] = _stored_files(settings)
    assert stored.name == export.file.name.rsplit("/", 1)[1]
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(stored.read_bytes())).pages
    )
    assert "Long nights" in text and "Paragraph 399." in text


@pytest.mark.slow(reason="kills a whole real worker mid-render, then a second renders it")
@pytest.mark.redis
@pytest.mark.worker
def test_a_render_whose_whole_worker_is_lost_is_shown_as_retried_and_swept_back(
    analyst, analyst_client, long_chapter, settings
):
    settings.EXPORT_LEASE_SECONDS = 3
    lease = {"EXPORT_LEASE_SECONDS": "3"}
    with celery_worker("pdf", pool="prefork", environment=lease) as worker:
        export = report_export_request(
            assessment=long_chapter.assessment, user=analyst, variant="public"
        )
        wait_for(lambda: _rendering(export.pk), timeout=120, interval=0.05)
        os.killpg(worker.process.pid, signal.SIGKILL)  # the machine is gone: no one rejects it
        worker.process.wait(timeout=10)
    killed = time.monotonic()
    assert "the job is being retried" not in _status_text(analyst_client, export)
    wait_for(
        lambda: (
            "stopped responding; the job is being retried" in _status_text(analyst_client, export)
        ),
        timeout=settings.EXPORT_LEASE_SECONDS + 2,
        interval=0.2,
    )
    logger.info("Worker lost to 'being retried' on its page: %.1f s", time.monotonic() - killed)
    with celery_worker("pdf", environment=lease):
        assert report_exports_requeue_stale() == 1  # what beat runs every EXPORT_SWEEP_SECONDS
        assert report_exports_requeue_stale() == 0  # queued again: not sent a second time
        wait_for(lambda: ReportExport.objects.filter(pk=export.pk, status=Status.DONE), timeout=180)
    export.refresh_from_db()
    assert export.attempts == 2
    assert len(_stored_files(settings)) == 1


# The broker is down when an export is asked for ----------------------------------------------


def _relayed() -> bool:
    outbox_relay()  # what beat runs every OUTBOX_RELAY_SECONDS
    return not OutboxJob.objects.filter(published_at=None).exists()


@pytest.mark.slow(reason="a private Redis stopped and started, and a real worker renders")
@pytest.mark.redis
@pytest.mark.worker
def test_an_export_asked_for_while_the_broker_is_down_is_sent_once_it_is_back(
    analyst_client, analyst, assessment, settings
):
    ChapterFactory(assessment=assessment, title="Burglary")
    with private_broker(settings) as broker:
        broker.stop()
        response = analyst_client.post(
            reverse("export_request", args=[assessment.partnership.slug, assessment.year]),
            {"variant": "public"},
        )
        assert response.status_code == 302  # to the export's progress page
        export = ReportExport.objects.get()
        [job] = OutboxJob.objects.all()
        assert (export.status, job.args, job.published_at) == (Status.QUEUED, [export.pk], None)
        assert analyst_client.get(response.url).status_code == 200

        OutboxJob.objects.update(next_attempt_at=timezone.now())
        assert outbox_relay() == 0  # beat's relay while the broker is still down
        job.refresh_from_db()
        assert (job.published_at, job.publish_attempts) == (None, 2)

        broker.start()
        back = time.monotonic()
        with celery_worker("pdf"):
            wait_for(_relayed, timeout=60, interval=0.5)
            wait_for(lambda: ReportExport.objects.filter(pk=export.pk, status=Status.DONE))
        logger.info("Broker back to PDF ready: %.1f s", time.monotonic() - back)
    export.refresh_from_db()
    assert export.attempts == 1
    assert b"Burglary" in b"".join(
        page.extract_text().encode() for page in PdfReader(export.file.open("rb")).pages
    )


# The database goes away during an import -----------------------------------------------------


def _saved() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (ImportBatch, Observation, Indicator, Geography)
    )


def test_a_police_uk_import_that_loses_the_database_saves_nothing(partnership, tmp_path):
    GeographyFactory(partnership=partnership, code="E06000099", name="Testville")
    files = [
        (f"{month}.csv", io.BytesIO(police_uk_csv(random_month(month, 200, seed=n))))
        for n, month in enumerate(["2019-01", "2019-02", "2019-03"])
    ]
    before = _saved()
    # Past the indicators, the first month's batch and its observations: into the second month.
    with pytest.raises(DatabaseError), connection_lost_at_insert(6):
        police_uk.police_uk_import(partnership=partnership, files=files)
    assert _saved() == before


def test_a_table_import_that_loses_the_database_saves_nothing(analyst_client, partnership):
    GeographyFactory(partnership=partnership, code="E06000099", name="Testville")
    IndicatorFactory(partnership=partnership, code="burglary", name="Burglary")
    rows = "".join(f"testmk,burglary,E06000099,m,2019-{m:02d}-01,{m}\n" for m in range(1, 13))
    preview = upload(analyst_client, "observation", "obs.csv", (OBSERVATION_HEADER + rows).encode())
    before = _saved()
    # The batch, then the observations row by row: the connection dies at the fourth row.
    with connection_lost_at_insert(5):
        response = confirm(analyst_client, "observation", preview)
    assert _saved() == before
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The import failed and nothing was saved (OperationalError). Upload the file again."
    ]
    assert not LogEntry.objects.exists()  # no "added" entries for rows that are not there
