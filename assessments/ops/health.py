"""Health of the parts the site needs: database, broker, file storage and a live worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from assessments.core.storage import StorageFault, storage_problem
from assessments.ops.models import WorkerHeartbeat
from safermk.celery import app


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _broker() -> str:
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
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


CHECKS = {"database": _database, "broker": _broker, "storage": _storage, "worker": _worker}


def health_checks() -> list[Check]:
    """Run every check; a failing one is reported, never raised."""
    results = []
    for name, check in CHECKS.items():
        try:
            results.append(Check(name, True, check()))
        except Exception as error:  # any failure is reported as unhealthy
            results.append(Check(name, False, f"{type(error).__name__}: {error}"))
    return results
