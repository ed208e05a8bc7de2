"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task

from .services import heartbeat


@shared_task
def record_heartbeat_task(queue: str = "default") -> None:
    heartbeat.heartbeat_record(queue=queue)
