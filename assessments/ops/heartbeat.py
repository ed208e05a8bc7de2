"""Heartbeats: a row written by a Celery worker proves the queue is consumed; one written by
beat (queue "beat", ops/beat.py) proves beat runs."""

import datetime as dt
import socket

from django.utils import timezone

from assessments.core.jobs import task
from assessments.ops.models import WorkerHeartbeat

BEAT = "beat"  # the `queue` of beat's own heartbeats


def heartbeat_request(*, queue: str = "default") -> None:
    """Ask a worker to write a heartbeat, once the current transaction commits."""

    task("record_heartbeat_task").apply_async_on_commit(kwargs={"queue": queue}, queue=queue)


def heartbeat_record(*, queue: str) -> WorkerHeartbeat:
    """Write this worker's (or beat's) heartbeat and forget those older than a day."""
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
    return WorkerHeartbeat.objects.create(hostname=socket.gethostname(), queue=queue)
