"""Health of the parts the site needs (database, broker, file storage, a live worker, beat, and
background work getting done) and of the one it works without, slower: the cache."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from assessments.core.cache_backend import cache_problem
from assessments.core.models import OutboxJob
from assessments.core.storage import StorageFault, storage_problem
from assessments.ops.heartbeat import BEAT
from assessments.ops.models import WorkerHeartbeat
from safermk.celery import app


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    # A part the site works without (the cache): its failure degrades the site, not downs it.
    required: bool = True


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _broker() -> str:
    # One try: connecting asks Redis for an answer, which waits CELERY_BROKER_SOCKET_TIMEOUT at
    # most, so that a frozen broker fails the check rather than /healthz itself.
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0)
        return conn.transport.driver_name


def _storage() -> str:
    problem = storage_problem()
    if problem:
        raise StorageFault(problem)
    return "writable"


def _latest_heartbeat(heartbeats, stale_seconds: int) -> WorkerHeartbeat | None:
    """The latest heartbeat if it is newer than `stale_seconds`."""
    latest = heartbeats.order_by("-seen_at").first()
    limit = timezone.now() - dt.timedelta(seconds=stale_seconds)
    return latest if latest is not None and latest.seen_at >= limit else None


def _ago(heartbeat: WorkerHeartbeat) -> str:
    return f"{heartbeat.hostname}, {(timezone.now() - heartbeat.seen_at).seconds} s ago"


def _worker() -> str:
    stale = settings.HEALTH_WORKER_STALE_SECONDS
    latest = _latest_heartbeat(WorkerHeartbeat.objects.exclude(queue=BEAT), stale)
    if latest is None:
        problem = f"no heartbeat in the last {stale} s"
        if _latest_heartbeat(WorkerHeartbeat.objects.filter(queue=BEAT), stale) is None:
            problem += " (beat, which asks the workers for them, is not running either)"
        raise RuntimeError(problem)
    return _ago(latest)


def _beat() -> str:
    stale = settings.HEALTH_BEAT_STALE_SECONDS
    latest = _latest_heartbeat(WorkerHeartbeat.objects.filter(queue=BEAT), stale)
    if latest is None:
        raise RuntimeError(
            f"no heartbeat from beat in the last {stale} s: the beat process is not running "
            "(scheduled jobs, worker heartbeats and reminders wait for it)"
        )
    return _ago(latest)


def _outbox() -> str:
    """No background job left unfinished for HEALTH_OUTBOX_STALE_SECONDS, other than one a
    worker is running within its lease (a long render)."""
    now = timezone.now()
    stale = settings.HEALTH_OUTBOX_STALE_SECONDS
    unfinished = OutboxJob.objects.filter(done_at=None)
    oldest = (
        unfinished.filter(created_at__lt=now - dt.timedelta(seconds=stale))
        .exclude(lease_expires_at__gt=now)
        .order_by("pk")
        .first()
    )
    if oldest is not None:
        waited = int((now - oldest.created_at).total_seconds())
        state = "never published" if oldest.published_at is None else "published, not done"
        why = f": {oldest.last_error}" if oldest.last_error else ""
        raise RuntimeError(f"{oldest} unfinished after {waited} s ({state}){why}")
    return f"{unfinished.count()} unfinished, none for {stale} s"


def _cache() -> str:
    """A value written to the shared cache comes back (a failing cache answers as a miss)."""
    shared = caches["shared"]
    token = secrets.token_hex(8)
    shared.set(HEALTH_KEY, token, timeout=10)
    if shared.get(HEALTH_KEY) != token:
        raise RuntimeError(cache_problem() or "what was written did not come back")
    return type(shared).__name__


HEALTH_KEY = "healthz-cache"
CHECKS = {
    "database": _database,
    "broker": _broker,
    "storage": _storage,
    "worker": _worker,
    "beat": _beat,
    "outbox": _outbox,
}
OPTIONAL_CHECKS = {"cache": _cache}


def health_checks() -> list[Check]:
    """Run every check; a failing one is reported, never raised."""
    results = []
    for required, checks in ((True, CHECKS), (False, OPTIONAL_CHECKS)):
        for name, check in checks.items():
            try:
                results.append(Check(name, True, check(), required))
            except Exception as error:  # any failure is reported, as unhealthy or degraded
                results.append(Check(name, False, f"{type(error).__name__}: {error}", required))
    return results
