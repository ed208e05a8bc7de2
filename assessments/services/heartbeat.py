"""Worker heartbeats: a row written by a Celery worker proves the queue is consumed."""

import socket

from ..models import WorkerHeartbeat


def heartbeat_request(*, queue: str = "default") -> None:
    """Ask a worker to write a heartbeat, once the current transaction commits."""
    from ..tasks import record_heartbeat_task

    record_heartbeat_task.apply_async_on_commit(kwargs={"queue": queue}, queue=queue)


def heartbeat_record(*, queue: str) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(hostname=socket.gethostname(), queue=queue)
