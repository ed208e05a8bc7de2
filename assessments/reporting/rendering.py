"""The PDF rendering job: claim the export, build its HTML, render it and store the file."""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from assessments.appendices.models import Appendix
from assessments.core.personal_copy import personal_copy
from assessments.core.storage import StorageFault, field_file_save
from assessments.reporting.documents import (
    DOCUMENTS,
    HTML_BYTES_PER_PAGE,
    render_pdf,
    report_identity,
)
from assessments.reporting.editions import edition_html, edition_identity
from assessments.reporting.models import ReportExport
from assessments.reporting.selectors import export_of_content

logger = logging.getLogger(__name__)
Status = ReportExport.Status
MAX_ATTEMPTS = 3
PROGRESS_INTERVAL = 0.25


def lease() -> timedelta:
    """How long a render may go without reporting progress before it counts as lost (renewed on
    every progress update: a live render never loses it, a dead one frees the row soon)."""
    return timedelta(seconds=settings.EXPORT_LEASE_SECONDS)


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
        progressed_at=now,
        lease_expires_at=now + lease(),
        attempts=F("attempts") + 1,
        error="",
    )
    if not claimed:
        exports_fail_if_exhausted(ReportExport.objects.filter(pk=export_id))
        return None
    return ReportExport.objects.select_related(
        "assessment__partnership", "recipient__organisation", "edition"
    ).get(pk=export_id)


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
        now = timezone.now()
        ReportExport.objects.filter(pk=self.export_id, status=Status.RUNNING).update(
            progress=min(percent, 99), progressed_at=now, lease_expires_at=now + lease()
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
    """A personal copy's file name says whose copy it is: recipient and copy id."""
    assessment = export.assessment
    name = f"{assessment.partnership.slug}-{assessment.year}-{export.kind}-{export.variant}"
    if export.recipient is not None:
        name += f"-{export.recipient.get_username()}-{export.copy_id}"
    return f"{name}.pdf"


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
        identity = _identity(export)
        twin = _identify(export, identity)
        if twin is not None:
            _finish(export, status=Status.DONE, **_file_fields(twin), progress=100)
            logger.info(
                "Export %s: the same content as export %s, not rendered", export.pk, twin.pk
            )
            return export
        html = _html(export)
        rendered = render_pdf(
            html,
            on_progress=_ProgressWriter(export.pk),
            expected_pages=_expected_pages(export, html),
        )
        _store(export, rendered.content)
    except StorageFault as fault:
        # A full or read-only store stays so on a retry: fail now, with what happened.
        logger.error("Export %s could not be saved: %s", export.pk, fault)
        _finish(export, status=Status.FAILED, error=f"The PDF could not be saved: {fault}.")
        return export
    except Exception as error:
        logger.exception("Export %s failed", export.pk)
        _finish(export, status=Status.FAILED, error=f"{type(error).__name__}: {error}")
        return export
    _finish(
        export,
        status=Status.DONE,
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


def _copy(export: ReportExport):
    if export.recipient is None:
        return None
    return personal_copy(
        export.recipient,
        copy_id=export.copy_id,
        issued_at=export.requested_at,
        marking=export.assessment.partnership.restricted_marking,
    )


def _identity(export: ReportExport):
    """The content about to be rendered: an edition's, or the working copy's as it stands."""
    if export.edition is not None:
        return edition_identity(
            export.edition,
            kind=export.kind,
            variant=export.variant,
            audience=export.audience,
            recipient=export.recipient,
        )
    return report_identity(**_document(export), kind=export.kind, recipient=export.recipient)


def _html(export: ReportExport) -> str:
    if export.edition is not None:
        build = _edition_builds().get(export.kind, edition_html)
        return build(
            edition=export.edition,
            variant=export.variant,
            appendix_ids=export.audience,
            copy=_copy(export),
        )
    document = _document(export)
    if export.recipient is not None:
        document["copy"] = _copy(export)
    return DOCUMENTS[export.kind].build(**document)


def _edition_builds() -> dict:
    """How each kind prints an edition: the report's own HTML, or a higher layer's document."""
    return {kind: doc.build_edition for kind, doc in DOCUMENTS.items() if doc.build_edition}


def _document(export: ReportExport) -> dict:
    """The arguments that build the export's document."""
    appendices = list(
        Appendix.objects.filter(assessment=export.assessment_id, pk__in=export.audience)
    )
    document = {
        "assessment": export.assessment,
        "variant": export.variant,
        "appendices": appendices,
    }
    if export.chapter_id is not None:
        document["chapter"] = export.chapter
    return document


def _identify(export: ReportExport, identity) -> ReportExport | None:
    """Describe the row by the content about to be rendered, which may have changed since the
    request: an identical request then reuses this row. Return a finished export of exactly
    this content, if another request already rendered it, so that it is not rendered twice."""
    if (export.content_hash, export.audience) != (identity.content_hash, identity.audience):
        export.content_hash, export.audience = identity.content_hash, identity.audience
        export.save(update_fields=["content_hash", "audience"])
    return export_of_content(
        assessment_id=export.assessment_id,
        kind=export.kind,
        variant=export.variant,
        chapter_id=export.chapter_id,
        recipient_id=export.recipient_id,
        identity=identity,
        done_only=True,
        other_than=export.pk,
    )


def _file_fields(twin: ReportExport) -> dict:
    return {
        "file": twin.file.name,
        "pages": twin.pages,
        "size": twin.size,
        "checksum": twin.checksum,
    }


def _store(export: ReportExport, content: bytes) -> None:
    """Save the PDF under its name; on a failed write remove what was written and raise
    StorageFault saying what happened."""
    field_file_save(export.file, export_file_name(export), ContentFile(content))


def _finish(export: ReportExport, **fields) -> None:
    fields |= {"finished_at": timezone.now(), "lease_expires_at": None}
    for name, value in fields.items():
        setattr(export, name, value)
    export.save(update_fields=[*fields, "file"])


def export_is_stalled(export: ReportExport) -> bool:
    """Sent back to a worker after an attempt was lost, or running with its lease run out (no
    progress reported for EXPORT_LEASE_SECONDS), which the sweep sends back to a worker."""
    if export.status == Status.QUEUED:
        return export.attempts > 0
    lease_expires_at = export.lease_expires_at
    return (
        export.status == Status.RUNNING
        and lease_expires_at is not None
        and lease_expires_at < timezone.now()
    )


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
