"""The PDF rendering job: claim the export, build its HTML, render it and store the file."""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from assessments.appendices.models import Appendix
from assessments.reporting.documents import (
    DOCUMENTS,
    HTML_BYTES_PER_PAGE,
    render_pdf,
    report_identity,
)
from assessments.reporting.models import ReportExport

logger = logging.getLogger(__name__)
Status = ReportExport.Status
# Renewed on every progress update: a live render never loses it, a dead one frees the row soon.
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 3
PROGRESS_INTERVAL = 0.25


# The job -----------------------------------------------------------------------------------


def _claim(export_id: int, *, worker_lost: bool) -> ReportExport | None:
    """Take the row for this worker: queued, or left running by a worker whose lease ran out,
    or at once when the broker says the worker that had it died (`worker_lost`)."""
    now = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, lease_expires_at__lt=now)
    if worker_lost:
        claimable |= Q(status=Status.RUNNING)
    claimed = ReportExport.objects.filter(
        claimable, pk=export_id, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=Status.RUNNING,
        progress=0,
        started_at=now,
        finished_at=None,
        lease_expires_at=now + LEASE,
        attempts=F("attempts") + 1,
        error="",
    )
    if not claimed:
        exports_fail_if_exhausted(ReportExport.objects.filter(pk=export_id))
        return None
    return ReportExport.objects.select_related("assessment__partnership").get(pk=export_id)


class _ProgressWriter:
    """Writes the per cent done, renewing the lease, at most every PROGRESS_INTERVAL seconds:
    each write is a commit, and a page takes a few milliseconds to lay out."""

    def __init__(self, export_id: int):
        self.export_id = export_id
        self.last_write = 0.0

    def __call__(self, percent: int) -> None:
        now = time.monotonic()
        if now - self.last_write < PROGRESS_INTERVAL:
            return
        self.last_write = now
        ReportExport.objects.filter(pk=self.export_id, status=Status.RUNNING).update(
            progress=min(percent, 99), lease_expires_at=timezone.now() + LEASE
        )


def _expected_pages(export: ReportExport, html: str) -> int:
    previous = (
        ReportExport.objects.filter(
            assessment=export.assessment_id,
            kind=export.kind,
            variant=export.variant,
            status=Status.DONE,
        )
        .exclude(pages=None)
        .values_list("pages", flat=True)
        .first()
    )
    return previous or max(len(html) // HTML_BYTES_PER_PAGE, 1)


def export_file_name(export: ReportExport) -> str:
    assessment = export.assessment
    return f"{assessment.partnership.slug}-{assessment.year}-{export.kind}-{export.variant}.pdf"


def report_export_render(*, export_id: int, worker_lost: bool = False) -> ReportExport | None:
    """Render a queued export and store its file. Safe to run twice: a finished or a live
    running export is left alone.

    `worker_lost`: the broker delivers this message again because the process rendering it died
    (Redis requeues a message only then, or after CELERY_VISIBILITY_TIMEOUT, which is longer than
    PDF_RENDER_TIME_LIMIT), so the row may be taken over without waiting for its lease."""
    export = _claim(export_id, worker_lost=worker_lost)
    if export is None:
        logger.info("Export %s is not waiting to be rendered; nothing to do", export_id)
        return None
    started = timezone.now()
    try:
        appendices = list(
            Appendix.objects.filter(assessment=export.assessment_id, pk__in=export.audience)
        )
        # Identified before it is built: if the content changes meanwhile, the row describes
        # older content than the file holds, and the next request renders again.
        document = {
            "assessment": export.assessment,
            "variant": export.variant,
            "appendices": appendices,
        }
        if export.chapter_id is not None:
            document["chapter"] = export.chapter
        identity = report_identity(**document, kind=export.kind)
        html = DOCUMENTS[export.kind].build(**document)
        rendered = render_pdf(
            html,
            on_progress=_ProgressWriter(export.pk),
            expected_pages=_expected_pages(export, html),
        )
    except Exception as error:
        logger.exception("Export %s failed", export.pk)
        _finish(export, status=Status.FAILED, error=f"{type(error).__name__}: {error}")
        return export
    export.file.save(export_file_name(export), ContentFile(rendered.content), save=False)
    _finish(
        export,
        status=Status.DONE,
        # The content may have changed since the request: the row describes what was rendered.
        content_hash=identity.content_hash,
        audience=identity.audience,
        pages=rendered.pages,
        size=len(rendered.content),
        checksum=hashlib.sha256(rendered.content).hexdigest(),
        progress=100,
    )
    logger.info(
        "Export %s: %s pages in %.1f s",
        export.pk,
        rendered.pages,
        (timezone.now() - started).total_seconds(),
    )
    return export


def _finish(export: ReportExport, **fields) -> None:
    fields |= {"finished_at": timezone.now(), "lease_expires_at": None}
    for name, value in fields.items():
        setattr(export, name, value)
    export.save(update_fields=[*fields, "file"])


def exports_fail_if_exhausted(exports) -> int:
    """A row whose every attempt died (killed at the time limit, worker lost) is failed."""
    return exports.filter(
        status=Status.RUNNING, lease_expires_at__lt=timezone.now(), attempts__gte=MAX_ATTEMPTS
    ).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        lease_expires_at=None,
        error=f"The render did not finish after {MAX_ATTEMPTS} attempts.",
    )
