"""Beat's own heartbeat: /healthz names beat when it stops (issue 31, finding 5).

Workers' heartbeats are tasks that beat schedules, so with beat stopped they stop too and
/healthz blamed the workers. Beat's scheduler writes a heartbeat of its own as it ticks
(settings.CELERY_BEAT_SCHEDULER).
"""

from __future__ import annotations

import logging
import time

from celery.beat import PersistentScheduler
from django.db import DatabaseError, connection

from assessments.ops.heartbeat import BEAT, heartbeat_record

logger = logging.getLogger(__name__)
HEARTBEAT_EVERY = 30.0  # seconds; /healthz allows HEALTH_BEAT_STALE_SECONDS (180)


class HeartbeatScheduler(PersistentScheduler):
    """Celery's default scheduler, writing beat's heartbeat every HEARTBEAT_EVERY seconds."""

    heartbeat_due = float("-inf")

    def tick(self, *args, **kwargs) -> float:
        now = time.monotonic()
        if now >= self.heartbeat_due:
            self.heartbeat_due = now + HEARTBEAT_EVERY
            try:
                heartbeat_record(queue=BEAT)
            except DatabaseError as error:  # beat keeps scheduling; /healthz will say so
                logger.warning("Beat could not write its heartbeat: %s", error)
            finally:
                connection.close()  # not held between heartbeats (nor across a restart)
        return min(super().tick(*args, **kwargs), HEARTBEAT_EVERY)
