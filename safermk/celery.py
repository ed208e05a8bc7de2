"""The Celery app. Task bodies live in the feature packages' tasks.py, which assessments/tasks.py
imports for autodiscovery, and call services."""

import functools
import logging
import os

from celery import Celery, signals
from celery.contrib.django.task import DjangoTask
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")


class Task(DjangoTask):
    """DjangoTask's delay_on_commit, so that a job is only published once the row it reads has
    been committed; robust, so that a broker outage does not turn a request whose writes are
    already committed into an error page (the failure is logged; PDF exports keep their own
    record and are published again, see reporting/exports.py)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        _robust_on_commit(functools.partial(self.delay, *args, **kwargs))

    def apply_async_on_commit(self, *args, **kwargs) -> None:
        _robust_on_commit(functools.partial(self.apply_async, *args, **kwargs))


def _robust_on_commit(publish) -> None:
    transaction.on_commit(publish, robust=True)


app = Celery("safermk", task_cls=Task)
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
