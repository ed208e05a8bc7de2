"""Celery tasks of PDF exports: thin wrappers that take ids and call services."""

from celery import shared_task
from django.conf import settings

from assessments.core.jobs import OutboxTask
from assessments.reporting.exports import report_exports_requeue_stale
from assessments.reporting.rendering import report_export_render

# Routed to the `pdf` queue (CELERY_TASK_ROUTES), one render at a time per worker process. The
# hard time limit kills a render that hangs (a soft limit can be swallowed inside WeasyPrint);
# the row's lease then runs out and report_exports_requeue_stale sends it back to a worker. The
# row's claim (rendering.py) and the outbox (OutboxTask) make a second delivery harmless.


@shared_task(
    name="assessments.tasks.render_report_export_task",
    base=OutboxTask,
    bind=True,
    time_limit=settings.PDF_RENDER_TIME_LIMIT,
    acks_late=True,
    reject_on_worker_lost=True,
)
def render_report_export_task(self, export_id: int) -> None:
    # A message delivered again after its worker process died may take the row over at once.
    worker_lost = bool((self.request.delivery_info or {}).get("redelivered"))
    report_export_render(export_id=export_id, worker_lost=worker_lost)


@shared_task(name="assessments.tasks.requeue_stale_exports_task")
def requeue_stale_exports_task() -> None:
    report_exports_requeue_stale()
