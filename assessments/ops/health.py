"""Health of the parts the site needs (database, broker, file storage and a live worker) and of
the one it works without, slower: the cache."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from assessments.core.cache_backend import cache_problem
from assessments.core.storage import StorageFault, storage_problem
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


def _worker() -> str:
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    limit = timezone.now() - dt.timedelta(seconds=settings.HEALTH_WORKER_STALE_SECONDS)
    if latest is None or latest.seen_at < limit:
        raise RuntimeError(f"no heartbeat in the last {settings.HEALTH_WORKER_STALE_SECONDS} s")
    return f"{latest.hostname}, {(timezone.now() - latest.seen_at).seconds} s ago"


def _cache() -> str:
    """A value written to the shared cache comes back (a failing cache answers as a miss)."""
    shared = caches["shared"]
    token = secrets.token_hex(8)
    shared.set(HEALTH_KEY, token, timeout=10)
    if shared.get(HEALTH_KEY) != token:
        raise RuntimeError(cache_problem() or "what was written did not come back")
    return type(shared).__name__


HEALTH_KEY = "healthz-cache"
CHECKS = {"database": _database, "broker": _broker, "storage": _storage, "worker": _worker}
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
