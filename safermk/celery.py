"""The Celery app. Task bodies live in assessments/tasks.py and call services."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")

# DjangoTask gives every task delay_on_commit, so a job is only published once the row it
# reads has been committed.
app = Celery("safermk", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
