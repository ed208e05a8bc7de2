"""Worker heartbeats, written by Celery workers so that /healthz knows the queue is consumed."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Written by a Celery task: proof that a worker is consuming the queue."""

    hostname = models.CharField(max_length=200)
    queue = models.CharField(max_length=40, default="default")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%H:%M:%S}"
