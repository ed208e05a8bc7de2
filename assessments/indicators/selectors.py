"""Reads of indicator data: roll-ups by period and place, and chapters with their selections."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)

from assessments.core.models import Assessment, Chapter, Recommendation
from assessments.core.periods import Period, PeriodType, add_months
from assessments.indicators.models import (
    Geography,
    GridCount,
    ImportBatch,
    Indicator,
    IndicatorSelection,
    Observation,
)
from assessments.indicators.series import SeriesBook, combine

# Codes of the indicators the police.uk import creates: this prefix, then the crime type's slug.
POLICE_UK_INDICATOR_PREFIX = "police-uk-"


def partnership_area(partnership_id: int) -> Geography | None:
    """The partnership's whole area, with the partnership (whose version keys cached figures)."""
    areas = Geography.objects.filter(partnership_id=partnership_id, level=Geography.Level.AREA)
    return areas.select_related("partnership").first()


# Roll-ups are explained, and done, in series.py.


def indicator_series(
    indicator: Indicator, geography: Geography, periods: list[Period]
) -> list[tuple[Period, Decimal | None]]:
    """The indicator's value for each period at the area or an estate (None where no data).

    For one indicator at a time; a page reads all of its indicators through one SeriesBook."""
    return SeriesBook(geography.partnership, [indicator], periods).series(
        indicator, geography, periods
    )


def indicator_value(indicator: Indicator, geography: Geography, period: Period) -> Decimal | None:
    """The indicator's value for one place and period, or None when there is no data."""
    return indicator_series(indicator, geography, [period])[0][1]


def quarters_of(first: Period, last: Period) -> list[Period]:
    """The quarters from the start of one period to the end of another."""
    quarters, start = [], first.start
    while start < last.end:
        quarters.append(Period(PeriodType.QUARTER, start))
        start = add_months(start, 3)
    return quarters


# Breakdowns by place, for appendices and public tables (one query per source level).


def comparator_places(partnership_id: int) -> QuerySet[Geography]:
    """The places the partnership's figures may be compared with: force, districts, national."""
    places = Geography.objects.filter(
        partnership_id=partnership_id, level__in=Geography.COMPARATOR_LEVELS
    )
    # The force and the national series first, then the districts by name.
    widest = Case(When(level=Geography.Level.DISTRICT, then=Value(1)), default=Value(0))
    return places.order_by(widest, "name")


def geographies_at_level(partnership_id: int, level: str) -> QuerySet[Geography]:
    """The partnership's places at one level (area, estate or lsoa), by name."""
    return Geography.objects.filter(partnership_id=partnership_id, level=level).order_by("name")


def _grouped_totals(rows: QuerySet, place_field: str) -> dict[tuple[int, int], dict]:
    grouped = (
        rows.values("indicator_id", place_field)
        .annotate(
            value=Sum("value"),
            num=Sum("numerator"),
            den=Sum("denominator"),
            rows=Count("id"),
            # Which months a sum of months covers; a row stored for the whole period covers all.
            months=Count("period_start", filter=Q(period_type=PeriodType.MONTH), distinct=True),
            whole=Count("id", filter=~Q(period_type=PeriodType.MONTH)),
        )
        .order_by()
    )
    return {(row["indicator_id"], row[place_field]): row for row in grouped}


def indicator_totals_by_geography(
    indicators: Iterable[Indicator], level: str, period: Period
) -> dict[int, dict[int, Decimal | None]]:
    """{indicator id: {geography id: value}} for every place of a level with data in the period.

    Values stored for the place and period win; otherwise months and LSOAs roll up (an estate
    from the LSOAs its best-fit lookup gives it). Places without data are absent.
    """
    return indicator_totals_and_gaps(indicators, level, period)[0]


def indicator_totals_and_gaps(
    indicators: Iterable[Indicator], level: str, period: Period
) -> tuple[dict[int, dict[int, Decimal | None]], set[tuple[int, int]]]:
    """`indicator_totals_by_geography`, and the (indicator id, geography id) whose value lacks
    some of the period's months: no change is given from or to them (the rule of
    headlines.period_gaps, for the appendices' tables)."""
    indicators = {indicator.pk: indicator for indicator in indicators}
    in_period = Q(period_type=period.type, period_start=period.start) | Q(
        period_type=PeriodType.MONTH, period_start__gte=period.start, period_start__lt=period.end
    )
    rows = Observation.objects.filter(in_period, indicator_id__in=list(indicators))
    exact = Q(period_type=period.type, period_start=period.start)
    sources = []  # finest first, so that a value stored for the place and period wins
    if level == Geography.Level.ESTATE:
        from_lsoas = rows.filter(
            geography__level=Geography.Level.LSOA, geography__parent__isnull=False
        )
        sources.append(_grouped_totals(from_lsoas, "geography__parent_id"))
    elif level == Geography.Level.AREA:
        area_of_lsoas = Geography.objects.filter(
            level=Geography.Level.AREA, partnership_id=OuterRef("geography__partnership_id")
        ).values("pk")[:1]
        from_lsoas = rows.filter(geography__level=Geography.Level.LSOA).annotate(
            area_id=Subquery(area_of_lsoas)
        )
        sources.append(_grouped_totals(from_lsoas, "area_id"))
    at_level = rows.filter(geography__level=level)
    sources.append(_grouped_totals(at_level.exclude(exact), "geography_id"))
    sources.append(_grouped_totals(at_level.filter(exact), "geography_id"))
    merged: dict[tuple[int, int], dict] = {}
    for source in sources:
        merged.update(source)
    result: dict[int, dict[int, Decimal | None]] = {pk: {} for pk in indicators}
    incomplete = set()
    for (indicator_id, geography_id), total in merged.items():
        if geography_id is not None:
            result[indicator_id][geography_id] = combine(indicators[indicator_id], total)
            if not total["whole"] and total["months"] < len(period.months()):
                incomplete.add((indicator_id, geography_id))
    return result, incomplete


# The partnership's own places; a batch's force and district rows are its comparators.
OWN_LEVELS = [level for level, _ in Geography.OWN_LEVELS]


def batch_totals_by_indicator(batch: ImportBatch) -> dict[str, Decimal]:
    """{indicator code: sum of the batch's values at the partnership's own places}: what an
    import actually stored for the area (its comparators' rows are not the area's)."""
    rows = (
        batch.observations.filter(geography__level__in=OWN_LEVELS)
        .values("indicator__code")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return {row["indicator__code"]: row["total"] for row in rows}


def batch_grid_totals(batch: ImportBatch) -> dict | None:
    """The grid as a batch stored it: cell size, rows placed and cells filled (None: no grid)."""
    rows = batch.grid_counts.values("cell_metres").annotate(placed=Sum("count"))
    row = next(iter(rows.order_by()), None)  # one cell size per batch
    if row is None:
        return None
    cells = batch.grid_counts.values("easting", "northing").distinct().order_by().count()
    return {**row, "cells": cells}


@dataclass(frozen=True)
class GridCells:
    """The grid's counts over a span of months: one (easting, northing, count) per cell with any,
    the cell's south-west corner in British National Grid metres."""

    cell_metres: int
    cells: list[tuple[int, int, int]]
    # Months of the span counted on no grid of this size (no import, or another cell size).
    months_missing: list[dt.date]


def grid_cells(
    partnership_id: int, indicator_codes: Iterable[str], first_month: dt.date, last_month: dt.date
) -> GridCells | None:
    """The police.uk rows of the indicators (crime types) placed in each cell of the grid, summed
    over the months from `first_month` to `last_month` inclusive and over the crime types; only
    the area's cells are stored. Months counted on grids of different sizes cannot be added up:
    the size most months have wins (the smaller on a tie). None without any grid count."""
    # Any crime type's counts say the month was imported: a rare one may have no row in it.
    imported = GridCount.objects.filter(
        batch__partnership_id=partnership_id,
        month__gte=first_month.replace(day=1),
        month__lte=last_month.replace(day=1),
    )
    rows = imported.filter(
        indicator__partnership_id=partnership_id, indicator__code__in=list(indicator_codes)
    )
    months_of_size = Counter(
        size for size, _ in rows.values_list("cell_metres", "month").distinct().order_by()
    )
    if not months_of_size:
        return None
    size = min(months_of_size, key=lambda s: (-months_of_size[s], s))
    rows = rows.filter(cell_metres=size)
    counted = set(
        imported.filter(cell_metres=size).values_list("month", flat=True).distinct().order_by()
    )
    summed = (
        rows.values("easting", "northing")
        .annotate(total=Sum("count"))
        .order_by("easting", "northing")
        .values_list("easting", "northing", "total")
    )
    first = first_month.year * 12 + first_month.month - 1
    last = last_month.year * 12 + last_month.month - 1
    months = [dt.date(i // 12, i % 12 + 1, 1) for i in range(first, last + 1)]
    return GridCells(
        cell_metres=size,
        cells=[(e, n, int(total)) for e, n, total in summed if total],
        months_missing=[m for m in months if m not in counted],
    )


def batch_comparator_totals(batch: ImportBatch) -> dict[str, dict[str, dict[str, Decimal]]]:
    """{level: {place name: {indicator code: sum}}} of the batch's force, district and national
    rows, in one query; every comparator level is present, empty when the batch has none."""
    comparator_levels = [level for level in Geography.Level.values if level not in OWN_LEVELS]
    rows = (
        batch.observations.filter(geography__level__in=comparator_levels)
        .values("geography__level", "geography__name", "indicator__code")
        .annotate(total=Sum("value"))
        .order_by("geography__name")
    )
    totals: dict[str, dict[str, dict[str, Decimal]]] = {level: {} for level in comparator_levels}
    for row in rows:
        place = totals[row["geography__level"]].setdefault(row["geography__name"], {})
        place[row["indicator__code"]] = row["total"]
    return totals


def indicators_by_code(partnership_id: int, codes: Iterable[str]) -> dict[str, Indicator]:
    found = Indicator.objects.filter(partnership_id=partnership_id, code__in=list(codes))
    return {indicator.code: indicator for indicator in found}


def has_lsoa_data(indicator: Indicator) -> bool:
    return indicator.observations.filter(geography__level=Geography.Level.LSOA).exists()


def police_uk_indicators_of(partnership_id: int) -> QuerySet[Indicator]:
    """The partnership's police.uk indicators (one per crime type and all crime), by name."""
    return Indicator.objects.filter(
        partnership_id=partnership_id, code__startswith=POLICE_UK_INDICATOR_PREFIX
    ).order_by("name")


def _recommendations() -> Prefetch:
    queryset = Recommendation.objects.select_related("board_outcome", "lead_organisation")
    queryset = queryset.order_by("order", "pk")
    return Prefetch("recommendations", queryset=queryset)


def _selections() -> Prefetch:
    queryset = IndicatorSelection.objects.select_related("indicator", "share_of")
    return Prefetch("selections", queryset=queryset)


def _chapters_with_content(assessment: Assessment) -> QuerySet[Chapter]:
    """Chapters with their recommendations and indicator selections prefetched."""
    return assessment.chapters.select_related("lead_organisation", "theme").prefetch_related(
        _recommendations(), _selections()
    )


def chapter_for_page(assessment: Assessment, slug: str) -> Chapter | None:
    return _chapters_with_content(assessment).filter(slug=slug).first()


def chapter_for_reading(assessment: Assessment, slug: str) -> Chapter | None:
    """The chapter page's chapter with its recommendations; its indicator selections only when
    its figures are not in the cache (`with_selections`)."""
    chapters = assessment.chapters.select_related("lead_organisation")
    return chapters.prefetch_related(_recommendations()).filter(slug=slug).first()


def with_selections(chapter: Chapter) -> Chapter:
    """The chapter with its indicator selections prefetched (one query)."""
    prefetch_related_objects([chapter], _selections())
    return chapter


def chapters_for_report(assessment: Assessment) -> QuerySet[Chapter]:
    """Every chapter with what the PDF shows of it, in a fixed number of queries."""
    return _chapters_with_content(assessment).order_by("order")


# The area profile (issue 32) ------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileFigure:
    """The latest whole-year figure of an indicator that describes the area."""

    indicator: Indicator
    period: Period
    value: Decimal


def area_profile(partnership_id: int) -> list[ProfileFigure]:
    """The population and the indicators the analyst marked as part of the area profile, each
    with its latest financial- or calendar-year figure for the whole area (two queries)."""
    indicators = Indicator.objects.filter(partnership_id=partnership_id).filter(
        Q(is_population=True) | Q(is_profile=True)
    )
    latest = (
        Observation.objects.filter(
            indicator__in=indicators,
            geography__partnership_id=partnership_id,
            geography__level=Geography.Level.AREA,
            batch__superseded_by__isnull=True,
            period_type__in=[PeriodType.FINANCIAL_YEAR, PeriodType.CALENDAR_YEAR],
        )
        .select_related("indicator")
        .order_by("-indicator__is_population", "indicator__name", "indicator_id", "-period_start")
    )
    figures: dict[int, ProfileFigure] = {}
    for row in latest:
        if row.indicator_id not in figures:
            period = Period(PeriodType(row.period_type), row.period_start)
            figures[row.indicator_id] = ProfileFigure(row.indicator, period, row.value)
    return list(figures.values())
