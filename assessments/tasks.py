"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task

from .services import heartbeat, notifications, people, workflow


@shared_task
def record_heartbeat_task(queue: str = "default") -> None:
    heartbeat.heartbeat_record(queue=queue)


# --- Partner consultation ---


@shared_task
def comment_posted_notify_task(comment_id: int) -> None:
    notifications.notify_comment_posted(comment_id=comment_id)


@shared_task
def comment_resolved_notify_task(comment_id: int) -> None:
    notifications.notify_comment_resolved(comment_id=comment_id)


@shared_task
def consultation_opened_notify_task(assessment_id: int) -> None:
    notifications.notify_consultation_opened(assessment_id=assessment_id)


@shared_task
def consultations_close_due_task() -> None:
    workflow.consultations_close_due()


@shared_task
def consultation_reminders_task() -> None:
    notifications.send_closing_reminders()


@shared_task
def comment_digests_task() -> None:
    notifications.send_comment_digests()


@shared_task
def invitation_send_task(invitation_id: int) -> None:
    people.invitation_send(invitation_id=invitation_id)
