"""Reads of PDF exports."""

from __future__ import annotations

import uuid

from django.db.models import Q

from assessments.core.models import Assessment, User
from assessments.reporting.documents import ReportIdentity
from assessments.reporting.editions import edition_public_pdf
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


def published_report(assessment: Assessment) -> ReportExport | None:
    """The public PDF of the published edition: the one export everyone may download."""
    if assessment.public_edition is None:
        return None
    return edition_public_pdf(assessment.public_edition)


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
