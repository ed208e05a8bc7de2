"""Nightly housekeeping (Celery beat): what is kept only for a while is removed after it.

- Rendered exports: file and row after EXPORT_RETENTION_DAYS (a new request renders again).
- Uploads waiting for confirmation (police.uk previews, admin table imports) after
  UPLOAD_RETENTION_HOURS.
- The appendix access log and django-axes' sign-in records after AUDIT_RETENTION_DAYS.
- Outbox jobs a worker finished, after OUTBOX_RETENTION (kept a while to trace a delivery).
- Forms' idempotency keys, after FORM_SUBMISSION_RETENTION: a form is sent again within
  minutes, not a week later.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import PurePosixPath

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from assessments.appendices.models import AppendixAccess
from assessments.core.models import FormSubmission, OutboxJob
from assessments.data_returns.services import PENDING
from assessments.indicators import police_uk
from assessments.reporting.models import ReportExport

logger = logging.getLogger(__name__)

EXPORTS_FOLDER = "exports"
IMPORT_EXPORT_FOLDER = "django-import-export"
OUTBOX_RETENTION = dt.timedelta(days=7)
FORM_SUBMISSION_RETENTION = dt.timedelta(days=7)


def _days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def exports_remove_old() -> int:
    """Delete finished exports requested before the retention period, with their files, and
    files in the exports folder that no row names (a worker killed while saving). An edition's
    public PDF is kept as long as the edition: a Freedom of Information request comes years
    later, and must get the file the public got."""
    cutoff = _days_ago(settings.EXPORT_RETENTION_DAYS)
    finished = (ReportExport.Status.DONE, ReportExport.Status.FAILED)
    old = ReportExport.objects.filter(requested_at__lt=cutoff, status__in=finished).exclude(
        edition__isnull=False, variant=ReportExport.Variant.PUBLIC, status=ReportExport.Status.DONE
    )
    removed = 0
    for export in old:
        # Two exports of the same content share one file (rendering.py): keep it for the other.
        shared = ReportExport.objects.filter(file=export.file.name).exclude(pk=export.pk)
        if export.file and not shared.exists():
            export.file.delete(save=False)
        export.delete()
        removed += 1
    kept = set(ReportExport.objects.exclude(file="").values_list("file", flat=True))
    for name in _files_older_than(EXPORTS_FOLDER, cutoff):
        if name not in kept:
            default_storage.delete(name)
    return removed


def uploads_remove_stale() -> int:
    """Uploads previewed but never confirmed."""
    cutoff = timezone.now() - dt.timedelta(hours=settings.UPLOAD_RETENTION_HOURS)
    stale_imports = list(_files_older_than(IMPORT_EXPORT_FOLDER, cutoff))
    for name in stale_imports:
        default_storage.delete(name)
    abandoned = sum(
        police_uk.discard_abandoned_uploads(folder) for folder in (police_uk.UPLOADS, PENDING)
    )
    return abandoned + len(stale_imports)


def audit_logs_remove_old() -> int:
    """Appendix accesses and sign-in records (attempts, failures, sign-ins) past retention."""
    cutoff = _days_ago(settings.AUDIT_RETENTION_DAYS)
    removed, _ = AppendixAccess.objects.filter(accessed_at__lt=cutoff).delete()
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        count, _ = model.objects.filter(attempt_time__lt=cutoff).delete()
        removed += count
    return removed


def outbox_remove_done() -> int:
    """Outbox jobs done longer ago than OUTBOX_RETENTION."""
    removed, _ = OutboxJob.objects.filter(done_at__lt=timezone.now() - OUTBOX_RETENTION).delete()
    return removed


def form_submissions_remove_old() -> int:
    """Idempotency keys of forms sent longer ago than FORM_SUBMISSION_RETENTION."""
    cutoff = timezone.now() - FORM_SUBMISSION_RETENTION
    removed, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return removed


def housekeeping_run() -> dict[str, int]:
    done = {
        "exports": exports_remove_old(),
        "uploads": uploads_remove_stale(),
        "audit_records": audit_logs_remove_old(),
        "outbox_jobs": outbox_remove_done(),
        "form_submissions": form_submissions_remove_old(),
    }
    logger.info("Housekeeping removed %s", done, extra={"removed": done})
    return done


def _files_older_than(folder: str, cutoff: dt.datetime):
    """Every file under the storage folder last modified before the cutoff."""
    if not default_storage.exists(folder):
        return
    folders, files = default_storage.listdir(folder)
    for name in files:
        path = str(PurePosixPath(folder, name))
        if default_storage.get_modified_time(path) < cutoff:
            yield path
    for sub in folders:
        yield from _files_older_than(str(PurePosixPath(folder, sub)), cutoff)
