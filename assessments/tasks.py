"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task
from django.conf import settings

from .services import heartbeat, reports


@shared_task
def record_heartbeat_task(queue: str = "default") -> None:
    heartbeat.heartbeat_record(queue=queue)


# --- Report exports (PDF) ---
# Routed to the `pdf` queue (CELERY_TASK_ROUTES), one render at a time per worker process. The
# hard time limit kills a render that hangs (a soft limit can be swallowed inside WeasyPrint);
# the row's lease then runs out and report_exports_requeue_stale sends it back to a worker.


@shared_task(
    time_limit=settings.PDF_RENDER_TIME_LIMIT,
    acks_late=True,
    reject_on_worker_lost=True,
)
def render_report_export_task(export_id: int) -> None:
    reports.report_export_render(export_id=export_id)


@shared_task
def requeue_stale_exports_task() -> None:
    reports.report_exports_requeue_stale()
