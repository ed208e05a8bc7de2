"""The Celery app. Task bodies live in assessments/tasks.py and call services."""

import logging
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")

# DjangoTask gives every task delay_on_commit, so a job is only published once the row it
# reads has been committed.
app = Celery("safermk", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Task start, finish and failure, with ids, in the same structured log as requests.
task_logger = logging.getLogger("safermk.tasks")


@signals.task_prerun.connect
def _log_task_start(task_id=None, task=None, args=None, kwargs=None, **_):
    task_logger.info(
        "task started %s",
        task.name,
        extra={"task": task.name, "task_id": task_id, "task_args": args, "task_kwargs": kwargs},
    )


@signals.task_postrun.connect
def _log_task_finish(task_id=None, task=None, state=None, **_):
    task_logger.info(
        "task finished %s", task.name, extra={"task": task.name, "task_id": task_id, "state": state}
    )


@signals.task_failure.connect
def _log_task_failure(task_id=None, exception=None, sender=None, **_):
    task_logger.error(
        "task failed %s",
        sender.name,
        extra={"task": sender.name, "task_id": task_id, "error": repr(exception)},
    )
