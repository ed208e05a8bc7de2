"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task
from django.conf import settings

from .services import (
    data_returns,
    heartbeat,
    housekeeping,
    notifications,
    people,
    reports,
    workflow,
)


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


# --- Report exports (PDF) ---
# Routed to the `pdf` queue (CELERY_TASK_ROUTES), one render at a time per worker process. The
# hard time limit kills a render that hangs (a soft limit can be swallowed inside WeasyPrint);
# the row's lease then runs out and report_exports_requeue_stale sends it back to a worker.


@shared_task(
    bind=True,
    time_limit=settings.PDF_RENDER_TIME_LIMIT,
    acks_late=True,
    reject_on_worker_lost=True,
)
def render_report_export_task(self, export_id: int) -> None:
    # A message delivered again after its worker process died may take the row over at once.
    worker_lost = bool((self.request.delivery_info or {}).get("redelivered"))
    reports.report_export_render(export_id=export_id, worker_lost=worker_lost)


@shared_task
def requeue_stale_exports_task() -> None:
    reports.report_exports_publish_waiting()
    reports.report_exports_requeue_stale()


# --- Partner data returns ---


@shared_task
def data_request_email_task(request_id: int, kind: str = "request") -> None:
    data_returns.notify_data_request(request_id=request_id, kind=kind)


@shared_task
def data_return_reminders_task() -> None:
    data_returns.send_data_return_reminders()


# --- Production readiness ---


@shared_task
def housekeeping_task() -> None:
    housekeeping.housekeeping_run()
