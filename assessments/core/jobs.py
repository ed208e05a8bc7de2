"""Background work: the outbox that records it, the relay that publishes it, and the task class
that runs it once.

A transactional outbox (as django-celery-outbox and the "transactional outbox" pattern do it):
`enqueue` writes an `OutboxJob` row in the transaction of the change that needs the work, so the
work exists exactly when the change does. After the commit it is published at once, or, in a
request, once the response has gone (`OutboxMiddleware`), so that a slow or frozen broker never
holds up an answer; every call to the broker has time-outs (CELERY_BROKER_SOCKET_TIMEOUT). When
the broker is down the request still succeeds, and `outbox_relay` (run by beat and by a thread
of every worker: ops/relay.py) publishes it again, backing off, until the broker takes it. Taken
is not done: a broker that crashes without its data loses the messages it held, so a job still
unfinished OUTBOX_REPUBLISH_SECONDS (later, as long again as since it was first) after it was
handed over is published again, unless a worker holds it (its lease). Workers run the job
through `OutboxTask`, which skips a job already done or running elsewhere (a lease), and records
each email as it is sent (core/emails.py), so a message delivered twice (Celery's late
acknowledgement redelivers after a lost worker; the relay publishes a job again whose message
was only slow) sends nobody a second email.

Each package's `tasks.py` imports the services that its tasks run, so a service names its task
rather than importing it (an import back would be a cycle): `enqueue("invitation_send_task",
invitation.pk)` publishes `assessments.tasks.invitation_send_task`, the stable names that queued
messages and the beat schedule (settings.CELERY_BEAT_SCHEDULE) also use.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from celery import current_app
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from assessments.core.models import OutboxJob

logger = logging.getLogger(__name__)
# What publishing raises when the broker is down (kombu wraps connection errors in the first).
BROKER_ERRORS = (BrokerOperationalError, OSError)
# The wait before publishing again doubles from the first to the longest.
FIRST_RETRY = timedelta(seconds=5)
LONGEST_RETRY = timedelta(minutes=1)
# The longest wait before a job taken by the broker and still unfinished is published again.
LONGEST_REPUBLISH = timedelta(hours=1)
TASK_ID_PREFIX = "outbox-"
# One more try, on a fresh connection (a pooled one to a broker that restarted fails once), and
# no more: each try may wait CELERY_BROKER_SOCKET_TIMEOUT, and the relay is the retry.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}
# After the broker failed, a process leaves what its requests ask for to the relay this long.
REST = 5.0


def task(name: str):
    """The registered Celery task called `assessments.tasks.<name>`."""
    return current_app.tasks[f"assessments.tasks.{name}"]


def enqueue(name: str, *args, **kwargs) -> OutboxJob:
    """Record the task `name` to run with these arguments once the current transaction commits,
    and publish it then. Never raises for a broker that is down."""
    task(name)  # an unknown name fails here, in the request that asks, not in a worker
    job = OutboxJob.objects.create(task=name, args=list(args), kwargs=kwargs)

    def publish_outbox_job() -> None:  # a named function: on_commit's error log reads its name
        after_response = _after_response.get()
        if after_response is None:
            outbox_publish(job.pk)
        else:
            after_response.append(job.pk)

    transaction.on_commit(publish_outbox_job, robust=True)
    return job


# Publishing after the response -----------------------------------------------------------------

# The jobs a request has committed, to publish once its response has gone (None outside one).
_after_response: ContextVar[list[int] | None] = ContextVar("outbox_after_response", default=None)
_broker_lock = threading.Lock()
_broker_failed_at = {"monotonic": float("-inf")}


@contextmanager
def _publishing_after_response() -> Iterator[list[int]]:
    pending: list[int] = []
    token = _after_response.set(pending)
    try:
        yield pending
    finally:
        _after_response.reset(token)


def _broker_resting() -> bool:
    with _broker_lock:
        return time.monotonic() - _broker_failed_at["monotonic"] < REST


def _publish_after_response(job_ids: list[int]) -> None:
    """Publish a request's jobs; after a failure (and for REST seconds after one, so that a
    frozen broker costs a web process one time-out now and then, not one per request) leave
    them to the relay, which publishes every job not yet published."""
    try:
        for job_id in job_ids:
            if _broker_resting():
                logger.info("The broker failed moments ago: outbox %s waits for the relay", job_id)
                continue
            if outbox_publish(job_id) is False:
                with _broker_lock:
                    _broker_failed_at["monotonic"] = time.monotonic()
    except Exception:  # the response has gone: log it; the job waits for the relay
        logger.exception("Could not publish outbox jobs %s after the response", job_ids)


class OutboxMiddleware:
    """Publishes the background work a request asked for once its response has gone: the
    request writes the job rows and answers, whatever state the broker is in (issue 31, finding
    3). Django calls a response's closers from HttpResponse.close(), which the WSGI server calls
    after sending the response (as FileResponse closes its file there); Django's test client
    calls it too, before `client.post` returns."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with _publishing_after_response() as pending:
            response = self.get_response(request)
        if pending:

            def publish_after_response() -> None:
                _publish_after_response(pending)

            response._resource_closers.append(publish_after_response)
        return response


def _retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _republish_delay(job: OutboxJob, now) -> timedelta:
    """How long after handing a job to the broker to publish it again if it is not finished:
    as long again as since it was first handed over, at least OUTBOX_REPUBLISH_SECONDS, at most
    an hour. A message that was only waiting its turn (a PDF behind others) then gets a few
    copies at most, each of which does nothing once the job is done or while it runs."""
    least = timedelta(seconds=settings.OUTBOX_REPUBLISH_SECONDS)
    return min(max(now - (job.published_at or now), least), LONGEST_REPUBLISH)


def _due(jobs: QuerySet, now) -> QuerySet:
    """The jobs to publish now: unfinished, their wait over, and not held by a worker (a live
    render holds its job's lease, so a copy of it is not published while it runs)."""
    free = Q(lease_expires_at=None) | Q(lease_expires_at__lt=now)
    return jobs.filter(free, done_at=None, next_attempt_at__lte=now)


def outbox_publish(job_id: int) -> bool | None:
    """Hand one job to the broker if it is due (never published, or published long ago and not
    finished) and set when to publish it again should it not be finished by then; when the
    broker is down, count the attempt and back off. True when published, False when the broker
    refused it, None when it was not due (or another relay has it)."""
    with transaction.atomic():
        # Locked, skipping a row another relay holds, so that a job is published once a turn.
        job = (
            _due(OutboxJob.objects.select_for_update(skip_locked=True), timezone.now())
            .filter(pk=job_id)
            .first()
        )
        if job is None:
            return None
        try:
            task(job.task).apply_async(
                job.args,
                job.kwargs,
                task_id=f"{TASK_ID_PREFIX}{job.pk}",
                retry_policy=PUBLISH_RETRY,
            )
        except BROKER_ERRORS as error:
            attempts = job.publish_attempts + 1
            OutboxJob.objects.filter(pk=job.pk).update(
                publish_attempts=attempts,
                next_attempt_at=timezone.now() + _retry_delay(attempts),
                last_error=f"Broker unreachable: {error}",
            )
            logger.warning("Broker unreachable: %s waits in the outbox (%s)", job, error)
            return False
        now = timezone.now()
        if job.published_at is not None:
            logger.warning("%s was not finished: published again", job)
        OutboxJob.objects.filter(pk=job.pk).update(
            published_at=Coalesce("published_at", now),
            publish_attempts=F("publish_attempts") + 1,
            next_attempt_at=now + _republish_delay(job, now),
        )
    return True


def outbox_relay(jobs: QuerySet | None = None) -> int:
    """Publish the due jobs (all, or those of `jobs`), oldest first: those the broker could not
    take, and those it took long ago that are still unfinished (it may have lost them); stop at
    the first it refuses (it is down for all of them). How many were published."""
    due = _due(OutboxJob.objects.all() if jobs is None else jobs, timezone.now())
    published = 0
    for job_id in due.order_by("pk").values_list("pk", flat=True):
        result = outbox_publish(job_id)
        if result is False:
            break
        published += bool(result)  # None: published meanwhile by another relay
    return published


# The PostgreSQL advisory lock that one relay holds at a time (any number of our own).
RELAY_LOCK = 310_005


def outbox_relay_once() -> int | None:
    """The relay, unless another process is running it now: beat and every worker run it
    (so that it keeps running without beat), one at a time under a database lock. None when
    another had the lock. (SQLite has no such lock; its writes are one at a time anyway, and
    each job is published once a turn whoever runs the relay.)"""
    if connection.vendor != "postgresql":
        return outbox_relay()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RELAY_LOCK])
        if not cursor.fetchone()[0]:
            return None
    try:
        return outbox_relay()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RELAY_LOCK])


def _job_id(task_id: str | None) -> int | None:
    if task_id and task_id.startswith(TASK_ID_PREFIX):
        return int(task_id.removeprefix(TASK_ID_PREFIX))
    return None


_running_job: ContextVar[int | None] = ContextVar("running_outbox_job", default=None)


def running_job() -> int | None:
    """The outbox job this worker is running now, if any (core/emails.py records each email
    it sends under it)."""
    return _running_job.get()


class OutboxTask(DjangoTask):
    """Runs a job published from the outbox at most once to completion: a delivery of a job
    already done does nothing, and one that arrives while another copy holds the job's lease
    does nothing either (a copy the broker hands out again because its worker died takes the
    lease over at once). A job that fails keeps its error and is not marked done (the relay
    publishes it again later); the emails it sent before failing are recorded, and a later
    delivery sends only the others. A job whose subject is gone (a comment deleted before its
    email went) is done: no later delivery could do it, and left unfinished it would be
    published again for ever and keep /healthz failing."""

    def __call__(self, *args, **kwargs):
        job_id = _job_id(self.request.id)
        if job_id is None:  # called directly, or by beat: not an outbox job
            return super().__call__(*args, **kwargs)
        if not self._claim(job_id):
            return None
        running = _running_job.set(job_id)
        try:
            result = super().__call__(*args, **kwargs)
        except ObjectDoesNotExist as error:
            logger.warning("Outbox job %s has nothing left to do: %s", job_id, error)
            OutboxJob.objects.filter(pk=job_id).update(
                done_at=timezone.now(), last_error=f"Nothing to do: {error}", lease_expires_at=None
            )
            return None
        except Exception as error:
            OutboxJob.objects.filter(pk=job_id).update(
                last_error=f"{type(error).__name__}: {error}", lease_expires_at=None
            )
            raise
        finally:
            _running_job.reset(running)
        OutboxJob.objects.filter(pk=job_id).update(
            done_at=timezone.now(), last_error="", lease_expires_at=None
        )
        return result

    def _claim(self, job_id: int) -> bool:
        now = timezone.now()
        free = Q(lease_expires_at=None) | Q(lease_expires_at__lt=now)
        if (self.request.delivery_info or {}).get("redelivered"):
            free |= Q(lease_expires_at__isnull=False)  # its worker died holding the lease
        claimed = OutboxJob.objects.filter(free, pk=job_id, done_at=None).update(
            runs=F("runs") + 1,
            lease_expires_at=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
        )
        if not claimed:
            done = OutboxJob.objects.filter(pk=job_id, done_at__isnull=False).exists()
            logger.info(
                "Outbox job %s is %s; this delivery does nothing",
                job_id,
                "already done" if done else "running elsewhere (its lease holds)",
            )
        return bool(claimed)
