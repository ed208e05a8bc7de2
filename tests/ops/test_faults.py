"""Fault tolerance on the production services (PostgreSQL, Redis, real workers):

- the worker's pool process is killed in the middle of a PDF render: the export still
  completes, retried, as one row with one file;
- the broker is down when someone asks for an export: the request succeeds, the row waits,
  and the periodic sweep hands it to the broker once it is back;
- the database connection dies in the middle of an import: nothing of it is saved.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
from contextlib import contextmanager

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db import DatabaseError, connection
from django.urls import reverse
from pypdf import PdfReader

from assessments.indicators import police_uk
from assessments.indicators.models import Geography, ImportBatch, Indicator, Observation
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import ReportExport
from assessments.reporting.tasks import requeue_stale_exports_task
from safermk.celery import app as celery_app

from ..factories import ChapterFactory, GeographyFactory, IndicatorFactory
from ..indicators.test_table_import import OBSERVATION_HEADER, confirm, upload
from ..police_uk_files import police_uk_csv, random_month
from ..worker import celery_worker, wait_for

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


@pytest.mark.redis
@pytest.mark.worker
def test_a_render_whose_pool_process_is_killed_completes_on_retry(analyst, long_chapter, settings):
    with celery_worker("pdf", pool="prefork") as worker:
        export = report_export_request(
            assessment=long_chapter.assessment, user=analyst, variant="public"
        )
        wait_for(lambda: _rendering(export.pk), timeout=120, interval=0.05)
        [child] = worker.pool_children()
        os.kill(child, signal.SIGKILL)
        wait_for(
            lambda: ReportExport.objects.filter(pk=export.pk, status__in=["done", "failed"]),
            timeout=180,
        )
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


# The broker is down when an export is asked for ----------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, to stop and start (never the machine's shared one)."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._answers, timeout=10, interval=0.05)

    def _answers(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
        except OSError:
            return False
        return True

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _use_broker(url: str, environment: str | None) -> None:
    """Point this process's Celery app at another broker and drop its pooled connections.
    Celery prefers the CELERY_BROKER_URL environment variable to its configuration."""
    if environment is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = environment
    celery_app.conf.broker_url = url
    celery_app._after_fork()  # forgets the connection and producer pools, as after a fork


@contextmanager
def _private_broker(settings):
    broker = PrivateRedis()
    broker.start()
    previous = celery_app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    settings.CELERY_BROKER_URL = broker.url  # for the worker process
    _use_broker(broker.url, broker.url)
    try:
        yield broker
    finally:
        _use_broker(*previous)
        if broker.process.poll() is None:
            broker.stop()


@pytest.mark.redis
@pytest.mark.worker
def test_an_export_asked_for_while_the_broker_is_down_is_sent_once_it_is_back(
    analyst_client, analyst, assessment, settings
):
    ChapterFactory(assessment=assessment, title="Burglary")
    with _private_broker(settings) as broker:
        broker.stop()
        response = analyst_client.post(
            reverse("export_request", args=[assessment.partnership.slug, assessment.year]),
            {"variant": "public"},
        )
        assert response.status_code == 302  # to the export's progress page
        export = ReportExport.objects.get()
        assert (export.status, export.awaiting_broker) == (Status.QUEUED, True)
        assert analyst_client.get(response.url).status_code == 200

        requeue_stale_exports_task.apply()  # beat's sweep while the broker is still down
        export.refresh_from_db()
        assert (export.status, export.awaiting_broker) == (Status.QUEUED, True)

        broker.start()
        with celery_worker("pdf"):
            requeue_stale_exports_task.apply()  # what beat runs every minute
            wait_for(lambda: ReportExport.objects.filter(pk=export.pk, status=Status.DONE))
    export.refresh_from_db()
    assert (export.awaiting_broker, export.attempts) == (False, 1)
    assert b"Burglary" in b"".join(
        page.extract_text().encode() for page in PdfReader(export.file.open("rb")).pages
    )


# The database goes away during an import -----------------------------------------------------


@contextmanager
def _connection_dies_at_insert(number: int):
    """Kill this connection's PostgreSQL backend at the given INSERT statement."""
    inserts = 0

    def wrapper(execute, sql, params, many, context):
        nonlocal inserts
        if sql.lstrip().upper().startswith("INSERT"):
            inserts += 1
            if inserts == number:
                execute("SELECT pg_terminate_backend(pg_backend_pid())", None, False, context)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
    connection.close()  # the next query reconnects


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
    with pytest.raises(DatabaseError), _connection_dies_at_insert(6):
        police_uk.police_uk_import(partnership=partnership, files=files)
    assert _saved() == before


def test_a_table_import_that_loses_the_database_saves_nothing(analyst_client, partnership):
    GeographyFactory(partnership=partnership, code="E06000099", name="Testville")
    IndicatorFactory(partnership=partnership, code="burglary", name="Burglary")
    rows = "".join(f"testmk,burglary,E06000099,m,2019-{m:02d}-01,{m}\n" for m in range(1, 13))
    preview = upload(analyst_client, "observation", "obs.csv", (OBSERVATION_HEADER + rows).encode())
    before = _saved()
    # The batch, then the observations row by row: the connection dies at the fourth row.
    with _connection_dies_at_insert(5):
        response = confirm(analyst_client, "observation", preview)
    assert _saved() == before
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The import failed and nothing was saved (OperationalError). Upload the file again."
    ]
    assert not LogEntry.objects.exists()  # no "added" entries for rows that are not there
