"""Celery tasks of operations: heartbeats and housekeeping."""

from celery import shared_task

from assessments.ops import heartbeat, housekeeping


@shared_task(name="assessments.tasks.record_heartbeat_task")
def record_heartbeat_task(queue: str = "default") -> None:
    heartbeat.heartbeat_record(queue=queue)


@shared_task(name="assessments.tasks.housekeeping_task")
def housekeeping_task() -> None:
    housekeeping.housekeeping_run()
