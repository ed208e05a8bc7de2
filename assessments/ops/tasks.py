"""Celery tasks of operations: heartbeats, housekeeping and the outbox relay (which also runs
in a thread of every worker: relay.py, loaded here so that workers start it)."""

from celery import shared_task

from assessments.core.jobs import outbox_relay_once
from assessments.ops import heartbeat, housekeeping, relay  # noqa: F401 (relay: workers start it)


@shared_task(name="assessments.tasks.record_heartbeat_task")
def record_heartbeat_task(queue: str = "default") -> None:
    heartbeat.heartbeat_record(queue=queue)


@shared_task(name="assessments.tasks.housekeeping_task")
def housekeeping_task() -> None:
    housekeeping.housekeeping_run()


@shared_task(name="assessments.tasks.outbox_relay_task")
def outbox_relay_task() -> None:
    outbox_relay_once()
