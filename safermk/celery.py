"""The Celery app. Task bodies live in the feature packages' tasks.py, which assessments/tasks.py
imports for autodiscovery, and call services."""

import logging
import os

from celery import Celery, signals
from celery.contrib.django.task import DjangoTask
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")

# Task start, finish and failure, with ids, in the same structured log as requests; and jobs
# that could not be published.
task_logger = logging.getLogger("safermk.tasks")


class Task(DjangoTask):
    """DjangoTask, whose *_on_commit publish once the row a job reads has been committed.

    The app's own work goes through the outbox (assessments/core/jobs.py: `enqueue`), which keeps
    a job while the broker is down. These remain for work that may be lost (a heartbeat): they
    catch a publishing error themselves and log it with the task's name. They never hand
    on_commit(robust=True) a functools.partial: Django's error log reads the callback's
    __qualname__, which a partial lacks, and the AttributeError turned a saved comment into a
    500."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        self.apply_async_on_commit(args, kwargs)

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        def publish_after_commit() -> None:
            try:
                self.apply_async(args, kwargs, **options)
            except Exception:  # the change is committed: log the lost job, never fail the request
                task_logger.exception("Could not publish %s after the commit: lost", self.name)

        transaction.on_commit(publish_after_commit)


app = Celery("safermk", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
