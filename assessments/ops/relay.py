"""The outbox relay in every worker, so that work the broker could not take, or lost, is
published again whether or not beat runs (issue 31, finding 5).

A thread of each worker's main process runs the relay every OUTBOX_RELAY_SECONDS, as beat's
schedule also does; a database lock lets one run at a time (core/jobs.py: outbox_relay_once).
The thread holds a database connection only during a run, so the pool processes a worker forks
meanwhile inherit none in use.
"""

from __future__ import annotations

import logging
import threading

from celery import signals
from django.conf import settings
from django.db import connection

from assessments.core.jobs import outbox_relay_once

logger = logging.getLogger(__name__)
_stop = threading.Event()


def relay_run() -> None:
    """One run of the relay that never raises: a failure (the database away) waits for the next."""
    try:
        published = outbox_relay_once()
        if published:
            logger.info("The worker's relay published %s outbox jobs", published)
    except Exception:
        logger.exception("The worker's outbox relay failed; it runs again shortly")
    finally:
        connection.close()


def _relay_loop() -> None:
    while not _stop.is_set():
        relay_run()
        _stop.wait(settings.OUTBOX_RELAY_SECONDS)


@signals.worker_ready.connect
def _start_relay(**_) -> None:
    _stop.clear()
    threading.Thread(target=_relay_loop, name="outbox-relay", daemon=True).start()


@signals.worker_shutdown.connect
def _stop_relay(**_) -> None:
    _stop.set()
