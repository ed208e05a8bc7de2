"""Reads of PDF exports."""

from __future__ import annotations

import uuid

from assessments.core.models import Assessment
from assessments.reporting.documents import report_identity
from assessments.reporting.models import ReportExport


def export_by_url(slug: str, year: int, token: uuid.UUID) -> ReportExport | None:
    return (
        ReportExport.objects.select_related("assessment__partnership", "requested_by")
        .filter(token=token, assessment__partnership__slug=slug, assessment__year=year)
        .first()
    )


def latest_exports(assessment: Assessment, limit: int = 5) -> list[ReportExport]:
    return list(assessment.exports.select_related("chapter").order_by("-requested_at")[:limit])


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
