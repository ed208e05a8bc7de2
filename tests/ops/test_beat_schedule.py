"""Celery beat's schedule: every periodic job the app relies on is there and names a real task."""

from django.conf import settings

from safermk.celery import app

EXPECTED = {
    "assessments.tasks.record_heartbeat_task",  # /healthz knows the workers are alive
    "assessments.tasks.requeue_stale_exports_task",  # PDF renders whose worker died
    "assessments.tasks.consultations_close_due_task",
    "assessments.tasks.consultation_reminders_task",
    "assessments.tasks.comment_digests_task",
    "assessments.tasks.housekeeping_task",  # exports, uploads and audit records past retention
}


def test_every_periodic_job_is_scheduled_and_names_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled >= EXPECTED
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


def test_each_queue_gets_its_own_heartbeat():
    queues = {
        entry["options"]["queue"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].endswith("record_heartbeat_task")
    }
    assert queues == {"default", "pdf"}
