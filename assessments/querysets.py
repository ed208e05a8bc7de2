"""Selectors: reads that span rows, with their prefetching. Nothing here writes."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, F, Prefetch, Q, QuerySet, Sum, When

from . import permissions
from .models import (
    Appendix,
    Assessment,
    Chapter,
    Geography,
    Indicator,
    IndicatorSelection,
    Observation,
    Recommendation,
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


def appendix_by_url(slug: str, year: int, appendix_slug: str) -> Appendix | None:
    return (
        Appendix.objects.select_related("assessment__partnership")
        .filter(assessment__partnership__slug=slug, assessment__year=year, slug=appendix_slug)
        .first()
    )


def chapters_for_contents(assessment: Assessment) -> QuerySet[Chapter]:
    return assessment.chapters.select_related("lead_organisation").order_by("order")


def chapter_for_page(assessment: Assessment, slug: str) -> Chapter | None:
    return (
        assessment.chapters.select_related("lead_organisation", "theme")
        .prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("order", "pk")),
            Prefetch(
                "selections",
                queryset=IndicatorSelection.objects.select_related("indicator", "share_of"),
            ),
        )
        .filter(slug=slug)
        .first()
    )


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


# Restricted appendices: totals for many places at once.


def totals_by_geography(
    indicators: list[Indicator], period: Period, level: str
) -> dict[tuple[int, int], Decimal]:
    """Each count indicator's total for the period in every place at `level`, in one query.

    Keyed by (indicator id, geography id). An observation counts towards the place it is stored
    at when that place is at `level`, else towards its parent or grandparent at `level` in the
    best-fit lookup (Geography.parent): LSOAs add up to their estate, estates to the area. A
    period stored whole wins over its months, so data loaded both ways never counts twice.
    Indicators must not be stored both at a place and at the LSOAs under it (police.uk crime
    types live at LSOAs under their own codes for that reason).
    """
    counts = [i for i in indicators if i.aggregation == Indicator.Aggregation.SUM]
    place = Case(
        When(geography__level=level, then=F("geography_id")),
        When(geography__parent__level=level, then=F("geography__parent_id")),
        When(geography__parent__parent__level=level, then=F("geography__parent__parent_id")),
    )
    in_period = Q(period_type=period.type, period_start=period.start)
    if period.type != PeriodType.MONTH:
        in_period |= Q(
            period_type=PeriodType.MONTH,
            period_start__gte=period.start,
            period_start__lt=period.end,
        )
    rows = (
        Observation.objects.filter(in_period, indicator__in=counts)
        .annotate(place=place)
        .filter(place__isnull=False)
        .values("indicator_id", "place", "period_type")
        .annotate(total=Sum("value"))
        .order_by()
    )
    whole, from_months = {}, {}
    for row in rows:
        summed_months = row["period_type"] != period.type
        (from_months if summed_months else whole)[row["indicator_id"], row["place"]] = row["total"]
    return from_months | whole


def geographies_at_level(partnership_id: int, level: str) -> list[Geography]:
    return list(Geography.objects.filter(partnership_id=partnership_id, level=level))
