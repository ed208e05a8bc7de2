"""Celery tasks of accounts: thin wrappers that take ids and call services."""

from celery import shared_task

from assessments.accounts.services import people
from assessments.core.jobs import OutboxTask


@shared_task(name="assessments.tasks.invitation_send_task", base=OutboxTask)
def invitation_send_task(invitation_id: int) -> None:
    people.invitation_send(invitation_id=invitation_id)
