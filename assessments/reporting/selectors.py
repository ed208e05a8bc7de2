"""Reads of PDF exports."""

from __future__ import annotations

import uuid

from django.db.models import Q

from assessments.core.models import Assessment, User
from assessments.reporting.documents import ReportIdentity, report_identity
from assessments.reporting.models import ReportExport


def export_by_url(slug: str, year: int, token: uuid.UUID) -> ReportExport | None:
    return (
        ReportExport.objects.select_related("assessment__partnership", "requested_by")
        .filter(token=token, assessment__partnership__slug=slug, assessment__year=year)
        .first()
    )


def latest_exports(assessment: Assessment, viewer: User, limit: int = 5) -> list[ReportExport]:
    """The latest exports the viewer may follow: the documents of the partnership's members,
    and of personal copies only the viewer's own."""
    exports = assessment.exports.filter(Q(recipient=None) | Q(recipient=viewer.pk))
    return list(exports.select_related("chapter").order_by("-requested_at")[:limit])


def latest_public_report(assessment: Assessment, content_hash: str) -> ReportExport | None:
    """The finished public PDF of exactly the current content, if one has been rendered."""
    return (
        ReportExport.objects.filter(
            assessment=assessment,
            kind=ReportExport.Kind.FULL_REPORT,
            variant=ReportExport.Variant.PUBLIC,
            status=ReportExport.Status.DONE,
            content_hash=content_hash,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def published_report(assessment: Assessment) -> ReportExport | None:
    """The public PDF of the assessment as published: the one export everyone may download."""
    if not assessment.is_published:
        return None
    identity = report_identity(
        assessment=assessment, variant=ReportExport.Variant.PUBLIC, appendices=[]
    )
    return latest_public_report(assessment, identity.content_hash)


def export_of_content(
    *,
    assessment_id: int,
    kind: str,
    variant: str,
    chapter_id: int | None,
    recipient_id: int | None,
    identity: ReportIdentity,
    done_only: bool = False,
    other_than: int | None = None,
) -> ReportExport | None:
    """The export of exactly this content and audience (and recipient, for a personal copy),
    finished ones first; a finished one whose file is gone from storage does not count."""
    candidates = ReportExport.objects.filter(
        assessment=assessment_id,
        kind=kind,
        variant=variant,
        chapter=chapter_id,
        recipient=recipient_id,
        content_hash=identity.content_hash,
    ).exclude(pk=other_than)
    if done_only:
        candidates = candidates.filter(status=ReportExport.Status.DONE)
    Status = ReportExport.Status
    by_preference = sorted(candidates, key=lambda e: (e.status != Status.DONE, -e.pk))
    for export in by_preference:
        if sorted(export.audience) != identity.audience:
            continue
        if export.status == Status.DONE and not export.file.storage.exists(export.file.name):
            continue
        return export
    return None
