"""Reads of PDF exports."""

from __future__ import annotations

from assessments.core.models import Assessment
from assessments.reporting.models import ReportExport


def export_by_url(slug: str, year: int, pk: int) -> ReportExport | None:
    return (
        ReportExport.objects.select_related("assessment__partnership", "requested_by")
        .filter(pk=pk, assessment__partnership__slug=slug, assessment__year=year)
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
