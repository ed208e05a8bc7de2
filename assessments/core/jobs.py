"""Background work, found by task name.

Each package's `tasks.py` imports the services that its tasks run, so a service that starts
background work asks for the task by its registered name rather than importing it (an import back
would be a cycle). The names are the stable dotted names `assessments.tasks.*` that queued
messages and the beat schedule (settings.CELERY_BEAT_SCHEDULE) also use.
"""

from celery import current_app


def task(name: str):
    """The registered Celery task called `assessments.tasks.<name>`."""
    return current_app.tasks[f"assessments.tasks.{name}"]
