"""Where crime is: the partnership's LSOAs ranked by their police.uk counts over a span of months.

The one reading behind `manage.py hotspots` and, later, the maps and the hotspot analysis: every
LSOA of the partnership is listed, those without a crime of the chosen types too (count 0), so a
map can colour every area and a ranking says where nothing was recorded. Counts are the monthly
LSOA observations the police.uk import stored, summed over the months given, inclusive.

A rate per 1,000 residents needs the LSOA's population: the mid-year estimate of the first
month's year where one was imported (an indicator marked as population estimates), otherwise the
population recorded on the LSOA itself; without either the rate is None, never a guess.

Counts the demo loaded (a batch of source "demo") are made up: `demo_counts_in` tells a map
drawing them to say so, in the words of DEMO_COUNTS_NOTE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from assessments.core.numbers import one_place, ranks
from assessments.core.periods import PeriodType
from assessments.indicators.models import Geography, ImportBatch, Observation
from assessments.indicators.police_uk import CRIME_TYPES, INDICATOR_PREFIX, indicator_code

DEMO_COUNTS_NOTE = "Demo data: made-up counts spread over real LSOAs, not police.uk's."


class HotspotQueryError(ValueError):
    """Months or crime types that cannot be counted: said in words for the person asking."""


@dataclass(frozen=True)
class LsoaCount:
    code: str
    name: str
    count: int
    population: int | None
    rank: int

    @property
    def rate_per_1000(self) -> Decimal | None:
        if not self.population:
            return None
        return one_place(Decimal(self.count) * 1000 / Decimal(self.population))


@dataclass(frozen=True)
class LsoaRanking:
    first_month: dt.date
    last_month: dt.date
    crime_types: tuple[str, ...]
    rows: list[LsoaCount]  # in rank order, ties by name
    # The months of the span with no police.uk import: their crimes are not in the counts.
    months_missing: list[dt.date]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def months_text(first: dt.date, last: dt.date) -> str:
    """ "March 2024", "January to March 2024", "December 2018 to February 2019"."""
    if first == last:
        return f"{first:%B %Y}"
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, index = [], first.year * 12 + first.month - 1
    while index <= last.year * 12 + last.month - 1:
        months.append(dt.date(index // 12, index % 12 + 1, 1))
        index += 1
    return months


def checked_crime_types(names: Iterable[str]) -> tuple[str, ...]:
    """The police.uk categories named, once each in the order given; HotspotQueryError names
    any that police.uk does not use."""
    chosen = tuple(dict.fromkeys(name.strip() for name in names))
    unknown = [name for name in chosen if name not in CRIME_TYPES]
    if unknown:
        raise HotspotQueryError(
            f"{', '.join(repr(n) for n in unknown)} is not a police.uk crime type; choose from "
            f"{', '.join(CRIME_TYPES)}."
        )
    if not chosen:
        raise HotspotQueryError("Choose at least one police.uk crime type.")
    return chosen


def _populations(partnership_id: int, year: int) -> dict[int, int]:
    """{LSOA id: population}: the year's mid-year estimate where imported, else the LSOA's own."""
    lsoas = Geography.objects.filter(partnership_id=partnership_id, level=Geography.Level.LSOA)
    populations = {pk: people for pk, people in lsoas.values_list("pk", "population") if people}
    estimates = Observation.objects.filter(
        indicator__partnership_id=partnership_id,
        indicator__is_population=True,
        geography__in=lsoas,
        period_start__year=year,
    ).order_by("period_start")  # the latest period of the year wins
    for geography_id, value in estimates.values_list("geography_id", "value"):
        populations[geography_id] = int(value)
    return populations


def lsoa_ranking(
    partnership_id: int, first_month: dt.date, last_month: dt.date, crime_types: Sequence[str]
) -> LsoaRanking:
    """Every LSOA of the partnership with its count of the crime types over the months from
    `first_month` to `last_month` inclusive, ranked highest first (ties share a rank)."""
    first_month, last_month = first_month.replace(day=1), last_month.replace(day=1)
    if first_month > last_month:
        raise HotspotQueryError(
            f"The first month ({first_month:%B %Y}) is after the last ({last_month:%B %Y})."
        )
    crime_types = checked_crime_types(crime_types)
    lsoas = list(
        Geography.objects.filter(partnership_id=partnership_id, level=Geography.Level.LSOA)
        .order_by("name", "code")
        .values_list("pk", "code", "name")
    )
    counted = (
        _counted(partnership_id, first_month, last_month, crime_types)
        .values("geography_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    counts = {row["geography_id"]: int(row["total"]) for row in counted}
    populations = _populations(partnership_id, first_month.year)
    figures = [counts.get(pk, 0) for pk, _, _ in lsoas]
    rows = []
    for index, rank in ranks(figures):
        pk, code, name = lsoas[index]
        rows.append(LsoaCount(code, name, figures[index], populations.get(pk), rank))
    missing = _months_missing(partnership_id, first_month, last_month)
    return LsoaRanking(first_month, last_month, crime_types, rows, missing)


def _counted(partnership_id: int, first_month: dt.date, last_month: dt.date, crime_types):
    """The monthly LSOA observations a ranking sums: of the crime types, within the months."""
    return Observation.objects.filter(
        indicator__partnership_id=partnership_id,
        indicator__code__in=[indicator_code(t) for t in crime_types],
        geography__partnership_id=partnership_id,
        geography__level=Geography.Level.LSOA,
        period_type=PeriodType.MONTH,
        period_start__gte=first_month,
        period_start__lte=last_month,
    )


def demo_counts_in(
    partnership_id: int, first_month: dt.date, last_month: dt.date, crime_types: Sequence[str]
) -> bool:
    """Whether any count `lsoa_ranking` would sum for these months and crime types is demo data
    (from a batch the demo loaded): a map of them then says its counts are made up."""
    first_month, last_month = first_month.replace(day=1), last_month.replace(day=1)
    counted = _counted(partnership_id, first_month, last_month, crime_types)
    return counted.filter(batch__source=ImportBatch.Source.DEMO).exists()


def _months_missing(partnership_id: int, first: dt.date, last: dt.date) -> list[dt.date]:
    keys = set(
        ImportBatch.objects.filter(
            partnership_id=partnership_id,
            source=ImportBatch.Source.POLICE_UK,
            superseded_by__isnull=True,
            key__startswith="police-uk:",
        ).values_list("key", flat=True)
    )
    # The demo's made-up months come in one batch of its own: they are there too.
    made_up = set(
        Observation.objects.filter(
            indicator__partnership_id=partnership_id,
            indicator__code__startswith=INDICATOR_PREFIX,
            period_type=PeriodType.MONTH,
            period_start__gte=first,
            period_start__lte=last,
            batch__source=ImportBatch.Source.DEMO,
        )
        .values_list("period_start", flat=True)
        .distinct()
        .order_by()
    )
    return [
        m
        for m in months_between(first, last)
        if f"police-uk:{m:%Y-%m}" not in keys and m not in made_up
    ]
