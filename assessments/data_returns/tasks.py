"""Celery tasks of data returns: thin wrappers that take ids and call services."""

from celery import shared_task

from assessments.core.jobs import OutboxTask
from assessments.data_returns.services import (
    notify_data_request,
    notify_stale_headlines,
    send_data_return_reminders,
)


@shared_task(name="assessments.tasks.data_request_email_task", base=OutboxTask)
def data_request_email_task(request_id: int, kind: str = "request") -> None:
    notify_data_request(request_id=request_id, kind=kind)


@shared_task(name="assessments.tasks.data_return_reminders_task")
def data_return_reminders_task() -> None:
    send_data_return_reminders()


@shared_task(name="assessments.tasks.stale_headlines_notify_task", base=OutboxTask)
def stale_headlines_notify_task(assessment_id: int, headline_ids: list[int]) -> None:
    notify_stale_headlines(assessment_id=assessment_id, headline_ids=headline_ids)
