"""Selectors: reads that span rows, with their prefetching. Nothing here writes."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from . import permissions
from .models import (
    Assessment,
    Chapter,
    Geography,
    Indicator,
    IndicatorSelection,
    Observation,
    Recommendation,
    ReportExport,
)
from .periods import Period, PeriodType


def assessment_by_url(slug: str, year: int) -> Assessment | None:
    return (
        Assessment.objects.select_related("partnership")
        .filter(partnership__slug=slug, year=year)
        .first()
    )


def assessments_for_home(user) -> QuerySet[Assessment]:
    return permissions.assessments_visible_to(user).select_related("partnership")


def chapters_for_contents(assessment: Assessment) -> QuerySet[Chapter]:
    return assessment.chapters.select_related("lead_organisation").order_by("order")


def _chapters_with_content(assessment: Assessment) -> QuerySet[Chapter]:
    """Chapters with their recommendations and indicator selections prefetched."""
    return assessment.chapters.select_related("lead_organisation", "theme").prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("order", "pk")),
        Prefetch(
            "selections",
            queryset=IndicatorSelection.objects.select_related("indicator", "share_of"),
        ),
    )


def chapter_for_page(assessment: Assessment, slug: str) -> Chapter | None:
    return _chapters_with_content(assessment).filter(slug=slug).first()


def partnership_area(partnership_id: int) -> Geography | None:
    return Geography.objects.filter(
        partnership_id=partnership_id, level=Geography.Level.AREA
    ).first()


# Roll-ups: a period's value is read as stored when it is, or summed from its months; a count
# sums, a rate is recomputed from its numerator and denominator, never added up.


def _observations(indicator: Indicator, geography: Geography, period: Period):
    stored = Observation.objects.filter(
        indicator=indicator,
        geography=geography,
        period_type=period.type,
        period_start=period.start,
    )
    if stored.exists():
        return stored
    return Observation.objects.filter(
        indicator=indicator,
        geography=geography,
        period_type=PeriodType.MONTH,
        period_start__gte=period.start,
        period_start__lt=period.end,
    )


def indicator_value(indicator: Indicator, geography: Geography, period: Period) -> Decimal | None:
    """The indicator's value for one place and period, or None when there is no data."""
    rows = _observations(indicator, geography, period)
    if indicator.aggregation == Indicator.Aggregation.RATIO:
        totals = rows.aggregate(num=Sum("numerator"), den=Sum("denominator"))
        if not totals["den"]:
            return None
        return totals["num"] / totals["den"] * 100
    if indicator.aggregation == Indicator.Aggregation.NONE:
        values = list(rows.values_list("value", flat=True)[:2])
        return values[0] if len(values) == 1 else None
    return rows.aggregate(total=Sum("value"))["total"]


# --- Report exports ---


def chapters_for_report(assessment: Assessment) -> QuerySet[Chapter]:
    """Every chapter with what the PDF shows of it, in a fixed number of queries."""
    return _chapters_with_content(assessment).order_by("order")


def export_by_url(slug: str, year: int, pk: int) -> ReportExport | None:
    return (
        ReportExport.objects.select_related("assessment__partnership", "requested_by")
        .filter(pk=pk, assessment__partnership__slug=slug, assessment__year=year)
        .first()
    )
