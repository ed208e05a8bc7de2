"""PDF export requests: reuse an identical export or queue a new one, and send again the ones
whose worker was lost or whose message the broker lost. Publishing goes through the outbox
(core/jobs.py), so a request never fails because the broker is down."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from assessments.core.jobs import enqueue, outbox_relay
from assessments.core.models import Assessment, Chapter, OutboxJob, User
from assessments.core.personal_copy import new_copy_id
from assessments.reporting.documents import report_appendices, report_identity
from assessments.reporting.editions import edition_identity, printed_edition
from assessments.reporting.models import Edition, ReportExport
from assessments.reporting.rendering import exports_fail_if_exhausted
from assessments.reporting.selectors import export_of_content

logger = logging.getLogger(__name__)
Status = ReportExport.Status


# Requests ----------------------------------------------------------------------------------


RENDER_TASK = "render_report_export_task"


def _is_stale(export: ReportExport, now) -> bool:
    return export.status == Status.RUNNING and (
        export.lease_expires_at is None or export.lease_expires_at < now
    )


def report_export_request(
    *,
    assessment: Assessment,
    user: User | None,
    variant: str,
    kind: str = ReportExport.Kind.FULL_REPORT,
    chapter: Chapter | None = None,
    edition: Edition | None = None,
) -> ReportExport:
    """Ask for the report (or, with `chapter`, that chapter's preview) as a PDF: reuse an
    identical export, else queue a new one. A restricted report is the user's personal copy.
    `edition`: that edition's print rather than the one the assessment's status gives (the
    public PDF of an earlier edition); `user` None: nobody's request (the public's, the
    system's)."""
    if chapter is not None:
        kind = ReportExport.Kind.CHAPTER_PREVIEW
    appendices = report_appendices(user=user, assessment=assessment, variant=variant)
    recipient = user if variant == ReportExport.Variant.RESTRICTED else None
    edition = edition or printed_edition(assessment, variant, kind)
    if edition is not None:
        identity = edition_identity(
            edition,
            variant=variant,
            audience=[a.pk for a in appendices],
            recipient=recipient,
            kind=kind,
        )
    else:
        identity = report_identity(
            assessment=assessment,
            variant=variant,
            appendices=appendices,
            kind=kind,
            chapter=chapter,
            recipient=recipient,
        )
    now = timezone.now()
    with transaction.atomic():
        # One request at a time per assessment, so two identical requests make one row.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        export = export_of_content(
            assessment_id=assessment.pk,
            kind=kind,
            variant=variant,
            chapter_id=chapter.pk if chapter else None,
            recipient_id=recipient.pk if recipient else None,
            identity=identity,
        )
        if export is None:
            export = ReportExport.objects.create(
                assessment=assessment,
                edition=edition,
                chapter=chapter,
                kind=kind,
                variant=variant,
                audience=identity.audience,
                content_hash=identity.content_hash,
                requested_by=user,
                recipient=recipient,
                copy_id=new_copy_id() if recipient else "",
            )
            enqueue(RENDER_TASK, export.pk)
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
    enqueue(RENDER_TASK, export.pk)


def report_exports_requeue_stale() -> int:
    """Send back to a worker the rows left running past their lease, and the queued rows whose
    render the broker took long ago without a worker finishing it (run periodically by beat).
    A stale row goes back to `queued` with a message, so the next sweep does not send it again
    while it waits for a worker; a queued row's own job is published again, backing off as the
    outbox relay does (core/jobs.py), not doubled with a new one."""
    exports_fail_if_exhausted(ReportExport.objects.all())
    now = timezone.now()
    stale = ReportExport.objects.filter(status=Status.RUNNING, lease_expires_at__lt=now)
    count = 0
    for export_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            # Only if still stale: a worker may have renewed the lease or finished meanwhile.
            if stale.filter(pk=export_id).update(status=Status.QUEUED, lease_expires_at=None):
                enqueue(RENDER_TASK, export_id)
                count += 1
    return count + _republish_waiting_renders()


def _republish_waiting_renders() -> int:
    # A broker that crashed without its data lost the messages of renders still waiting.
    waiting = list(ReportExport.objects.filter(status=Status.QUEUED).values_list("pk", flat=True))
    if not waiting:
        return 0
    # Those never published are the relay's already; this is for what the broker took.
    taken = OutboxJob.objects.filter(published_at__isnull=False)
    return outbox_relay(taken.filter(task=RENDER_TASK, args__0__in=waiting))
