"""Celery tasks of the consultation: thin wrappers that take ids and call services."""

from celery import shared_task

from assessments.consultation.services import workflow
from assessments.consultation.services.chasing import chase_reminder_send
from assessments.consultation.services.notifications import (
    notify_assessment_milestone,
    notify_comment_posted,
    notify_comment_resolved,
    notify_consultation_opened,
    send_closing_reminders,
    send_comment_digests,
)
from assessments.core.jobs import OutboxTask


@shared_task(name="assessments.tasks.comment_posted_notify_task", base=OutboxTask)
def comment_posted_notify_task(comment_id: int) -> None:
    notify_comment_posted(comment_id=comment_id)


@shared_task(name="assessments.tasks.comment_resolved_notify_task", base=OutboxTask)
def comment_resolved_notify_task(comment_id: int) -> None:
    notify_comment_resolved(comment_id=comment_id)


@shared_task(name="assessments.tasks.consultation_opened_notify_task", base=OutboxTask)
def consultation_opened_notify_task(assessment_id: int) -> None:
    notify_consultation_opened(assessment_id=assessment_id)


@shared_task(name="assessments.tasks.assessment_milestone_notify_task", base=OutboxTask)
def assessment_milestone_notify_task(assessment_id: int, action: str) -> None:
    notify_assessment_milestone(assessment_id=assessment_id, action=action)


@shared_task(name="assessments.tasks.consultations_close_due_task")
def consultations_close_due_task() -> None:
    workflow.consultations_close_due()


@shared_task(name="assessments.tasks.consultation_reminders_task")
def consultation_reminders_task() -> None:
    send_closing_reminders()


@shared_task(name="assessments.tasks.comment_digests_task")
def comment_digests_task() -> None:
    send_comment_digests()


@shared_task(name="assessments.tasks.chase_reminder_send_task", base=OutboxTask)
def chase_reminder_send_task(reminder_id: int) -> None:
    chase_reminder_send(reminder_id=reminder_id)
