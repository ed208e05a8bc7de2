"""Districts as comparators across boundary changes.

police.uk files name each LSOA's district as it was in that month, so a merger shows in the data
as districts that stop and one that starts: the 2018/19 Thames Valley files have Aylesbury Vale,
Chiltern, South Bucks and Wycombe, the 2024 files Buckinghamshire (the 2020 merger). A change
between two periods is only honest for a district that has figures in both. The analyst may map
an old district to its successor (`Geography.successor`, in the Geography admin); a mapped
district's figures then count as its successor's, and the successor's series runs across the
change. Without a mapping the series has a break, which the chart states.

Reads only, from a page's `SeriesBook`: no query of its own beyond `comparator_districts`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from assessments.core.periods import Period
from assessments.indicators.models import Geography, Indicator
from assessments.indicators.series import SeriesBook


def comparator_districts(partnership_id: int) -> QuerySet[Geography]:
    """Every district geography of the partnership (with their successors), by name: one query."""
    return Geography.objects.filter(
        partnership_id=partnership_id, level=Geography.Level.DISTRICT
    ).order_by("name")


@dataclass(frozen=True)
class DistrictSeries:
    """One district's figures over some periods, its mapped predecessors' counted in."""

    place: Geography  # the district the series is named after: the last successor
    members: tuple[Geography, ...]  # whose figures it holds: the place, then its predecessors
    values: tuple[tuple[Period, Decimal | None], ...]  # None: no figures for that period

    @property
    def present(self) -> list[Period]:
        return [period for period, value in self.values if value is not None]

    @property
    def missing(self) -> list[Period]:
        """Periods without figures: with `is_broken`, what a chart states under itself."""
        return [period for period, value in self.values if value is None]

    @property
    def is_broken(self) -> bool:
        """Figures in some periods and not in others, as a boundary change leaves them."""
        return bool(self.present) and bool(self.missing)

    @property
    def is_mapped(self) -> bool:
        return len(self.members) > 1

    def value(self, period: Period) -> Decimal | None:
        return dict(self.values).get(period)

    def comparable(self, first: Period, second: Period) -> bool:
        """Whether a change between the two periods can be drawn: figures in both."""
        return self.value(first) is not None and self.value(second) is not None


def _last_successor(district: Geography, by_pk: dict[int, Geography]) -> Geography:
    seen = {district.pk}
    while district.successor_id in by_pk and district.successor_id not in seen:
        district = by_pk[district.successor_id]
        seen.add(district.pk)
    return district


def _mapped_value(indicator: Indicator, values: list[Decimal | None]) -> Decimal | None:
    """A period's value of a district and its predecessors. Counts add up (the months before the
    change under the old names, those after under the new); a rate or an unaggregated figure is
    only read where exactly one of them has it, never added."""
    given = [value for value in values if value is not None]
    if not given:
        return None
    if indicator.aggregation == Indicator.Aggregation.SUM:
        return sum(given, Decimal(0))
    return given[0] if len(given) == 1 else None


def district_series(
    book: SeriesBook,
    indicator: Indicator,
    districts: Iterable[Geography],
    periods: list[Period],
) -> list[DistrictSeries]:
    """The districts' series of one indicator over the periods, each predecessor (through
    `successor`) counted in its last successor's series; by the successor's name.

    Give every district of the partnership (`comparator_districts`): a successor that is not
    among those given is not followed, and the district stands alone. Which periods can be
    compared is each series' `comparable(first, second)`; `is_broken` and `missing` say where a
    boundary change without a mapping leaves a gap."""
    districts = list(districts)
    by_pk = {district.pk: district for district in districts}
    groups: dict[int, list[Geography]] = {}
    for district in districts:
        groups.setdefault(_last_successor(district, by_pk).pk, []).append(district)
    result = []
    for place_pk, members in groups.items():
        place = by_pk[place_pk]
        members = [place] + sorted((m for m in members if m.pk != place_pk), key=lambda m: m.name)
        columns = [book.series(indicator, member, periods) for member in members]
        values = tuple(
            (period, _mapped_value(indicator, [column[i][1] for column in columns]))
            for i, period in enumerate(periods)
        )
        result.append(DistrictSeries(place, tuple(members), values))
    return sorted(result, key=lambda series: series.place.name)
