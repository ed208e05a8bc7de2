"""PDF export requests: reuse an identical export or queue a new one, and send again the ones
whose worker or broker was lost."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from assessments.core.jobs import task
from assessments.core.models import Assessment, Chapter, User
from assessments.reporting.documents import ReportIdentity, report_appendices, report_identity
from assessments.reporting.models import ReportExport
from assessments.reporting.rendering import exports_fail_if_exhausted

logger = logging.getLogger(__name__)
Status = ReportExport.Status
# What publishing raises when the broker is down (kombu wraps connection errors in this).
BROKER_ERRORS = (BrokerOperationalError, OSError)


# Requests ----------------------------------------------------------------------------------


def _enqueue(export: ReportExport) -> None:
    transaction.on_commit(partial(_publish, export.pk))


def _publish(export_id: int) -> bool:
    """Hand the render to the broker. When the broker is unreachable the request still succeeds:
    the row stays queued, marked, and report_exports_publish_waiting sends it once it is back."""
    try:
        task("render_report_export_task").delay(export_id)
    except BROKER_ERRORS:
        logger.warning("Broker unreachable: export %s waits to be published", export_id)
        ReportExport.objects.filter(pk=export_id).update(awaiting_broker=True)
        return False
    ReportExport.objects.filter(pk=export_id, awaiting_broker=True).update(awaiting_broker=False)
    return True


def _is_stale(export: ReportExport, now) -> bool:
    return export.status == Status.RUNNING and (
        export.lease_expires_at is None or export.lease_expires_at < now
    )


def _reusable_export(
    assessment: Assessment,
    kind: str,
    variant: str,
    identity: ReportIdentity,
    chapter: Chapter | None = None,
) -> ReportExport | None:
    """The export of exactly this content and audience, finished ones first."""
    candidates = ReportExport.objects.filter(
        assessment=assessment,
        kind=kind,
        variant=variant,
        chapter=chapter,
        content_hash=identity.content_hash,
    )
    by_preference = sorted(candidates, key=lambda e: (e.status != Status.DONE, -e.pk))
    for export in by_preference:
        if sorted(export.audience) != identity.audience:
            continue
        if export.status == Status.DONE and not export.file.storage.exists(export.file.name):
            continue
        return export
    return None


def report_export_request(
    *,
    assessment: Assessment,
    user: User,
    variant: str,
    kind: str = ReportExport.Kind.FULL_REPORT,
    chapter: Chapter | None = None,
) -> ReportExport:
    """Ask for the report (or, with `chapter`, that chapter's preview) as a PDF: reuse an
    identical export, else queue a new one."""
    if chapter is not None:
        kind = ReportExport.Kind.CHAPTER_PREVIEW
    appendices = report_appendices(user=user, assessment=assessment, variant=variant)
    identity = report_identity(
        assessment=assessment, variant=variant, appendices=appendices, kind=kind, chapter=chapter
    )
    now = timezone.now()
    with transaction.atomic():
        # One request at a time per assessment, so two identical requests make one row.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        export = _reusable_export(assessment, kind, variant, identity, chapter)
        if export is None:
            export = ReportExport.objects.create(
                assessment=assessment,
                chapter=chapter,
                kind=kind,
                variant=variant,
                audience=identity.audience,
                content_hash=identity.content_hash,
                requested_by=user,
            )
            _enqueue(export)
        elif export.status == Status.FAILED or _is_stale(export, now):
            _requeue(export)
    return export


def _requeue(export: ReportExport) -> None:
    # A failed export gets a fresh set of attempts; a stale one keeps counting its own.
    if export.status == Status.FAILED:
        export.attempts = 0
    export.status = Status.QUEUED
    export.progress = 0
    export.error = ""
    export.lease_expires_at = None
    export.save(update_fields=["status", "progress", "attempts", "error", "lease_expires_at"])
    _enqueue(export)


def report_exports_requeue_stale() -> int:
    """Send rows left running past their lease back to a worker (run periodically by beat)."""
    exports_fail_if_exhausted(ReportExport.objects.all())
    stale = ReportExport.objects.filter(status=Status.RUNNING, lease_expires_at__lt=timezone.now())
    count = 0
    for export in stale:
        _enqueue(export)
        count += 1
    return count


def report_exports_publish_waiting() -> int:
    """Publish the queued rows whose publication failed while the broker was down (run
    periodically by beat, with the stale sweep)."""
    waiting = ReportExport.objects.filter(status=Status.QUEUED, awaiting_broker=True)
    return sum(_publish(pk) for pk in waiting.values_list("pk", flat=True))
