"""The bulk figures selector: every series a page needs, read in a constant number of queries.

A page (an assessment, a chapter, the PDF, a readiness check) makes one `SeriesBook` for the
indicators it shows and the span of their periods; the figures, charts, headlines and checks of
that page then read from it without querying again. What it holds changes only with the data, so
it is cached under the partnership's data version (`Partnership.cache_version`, bumped by every
import batch), never by a timeout alone.

Roll-ups: a period's value is read as stored when it is, or summed from its months; a place's
value as stored when it is, or summed from its LSOAs (an estate through the analyst's best-fit
lookup, the partnership area from all its LSOAs). A count sums; a rate is recomputed from its
numerator and denominator, never added up; an indicator that does not aggregate is only read.
Nothing is stored as a total, so nothing can drift from the data.

Context: the book also holds, in a fixed number of further queries, the places each selection
is compared with (its comparators: the force, peer districts, a national series), the
partnership's districts (for the ranked chart of a force's districts) and its population
estimates, whatever the number of comparators. A comparator's figures are observations of the
same indicator as the area's (like with like), read exactly as the area's are. The mid-year
population estimate of year Y serves the periods starting in year Y, and no other: a rate per
1,000 residents from another year's population is never given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from assessments.core.cache_version import cached
from assessments.core.periods import Period, PeriodType
from assessments.indicators.models import (
    Geography,
    ImportBatch,
    Indicator,
    IndicatorSelection,
    Observation,
)

Totals = dict[tuple[str, object], dict]  # (period type, period start) -> summed columns
SUMS = {
    "value": Sum("value"),
    "num": Sum("numerator"),
    "den": Sum("denominator"),
    "rows": Count("id"),
}
# Where LSOA rows count in the presence table: "this indicator has LSOA data".
LSOAS = 0
LSOA_ROWS = Q(geography__level=Geography.Level.LSOA)
# Comparators in the order a chart's legend and a headline name them: widest context last.
COMPARATOR_ORDER = {
    Geography.Level.FORCE: 0,
    Geography.Level.DISTRICT: 1,
    Geography.Level.NATIONAL: 2,
}


def combine(indicator: Indicator, total: dict | None) -> Decimal | None:
    """The value of grouped rows (sums of value, numerator, denominator and a row count)."""
    if not total:
        return None
    if indicator.aggregation == Indicator.Aggregation.RATIO:
        return total["num"] / total["den"] * 100 if total["den"] else None
    if indicator.aggregation == Indicator.Aggregation.NONE:
        return total["value"] if total["rows"] == 1 else None
    return total["value"]


def _add(into: dict, row: dict) -> None:
    for key in ("value", "num", "den", "rows"):
        into[key] = (into.get(key) or 0) + (row[key] or 0)


class SeriesBook:
    """Grouped observations of some indicators over a span, for the area and its estates."""

    def __init__(self, partnership, indicators: Iterable[Indicator], periods: Iterable[Period]):
        self.indicators = {indicator.pk: indicator for indicator in indicators}
        periods = list(periods)
        self.start = min((p.start for p in periods), default=None)
        self.end = max((p.end for p in periods), default=None)
        self.partnership = partnership
        self._data: dict | None = None

    @classmethod
    def for_selections(cls, selections: Iterable[IndicatorSelection], area: Geography):
        """The book of everything these selections' figures and charts show (share_of too)."""
        selections = list(selections)
        indicators = [s.indicator for s in selections]
        indicators += [s.share_of for s in selections if s.share_of_id]
        periods = [p for s in selections for p in (s.current_period, s.comparison_period) if p]
        # A partnership without an area has no figures; its pages make a book all the same.
        return cls(area and area.partnership, indicators, periods)

    # --- reading ------------------------------------------------------------------------

    def series(
        self, indicator: Indicator, place: Geography, periods: list[Period]
    ) -> list[tuple[Period, Decimal | None]]:
        """The indicator's value for each period at the area or an estate (None: no data)."""
        stored = self._stored(indicator, place)
        series = []
        for period in periods:
            total = stored.get((period.type, period.start))
            if total is None and indicator.aggregation != Indicator.Aggregation.NONE:
                total = {}
                for month in period.months():
                    if (PeriodType.MONTH, month.start) in stored:
                        _add(total, stored[PeriodType.MONTH, month.start])
            series.append((period, combine(indicator, total)))
        return series

    def value(self, indicator: Indicator, place: Geography, period: Period) -> Decimal | None:
        return self.series(indicator, place, [period])[0][1]

    def missing_months(self, indicator: Indicator, place: Geography, period: Period) -> list:
        """The months of the period its value lacks: none when the period is stored whole, else
        those without a figure of their own (the value `series` gives is then a part-period's).
        police.uk files have no row for a month without crime, so a rare crime's empty months
        are missing too: the book cannot tell no crime from no file, and says so."""
        stored = self._stored(indicator, place)
        if (period.type, period.start) in stored:
            return []
        return [month for month in period.months() if (PeriodType.MONTH, month.start) not in stored]

    def rate(self, indicator: Indicator, place: Geography, period: Period) -> Decimal | None:
        """The count per 1,000 residents, where the place has a population estimate of the year
        the period starts in (None otherwise, and for rates, which are already per cent)."""
        return self.per_thousand(indicator, self.value(indicator, place, period), place, period)

    def per_thousand(
        self, indicator: Indicator, value: Decimal | None, place: Geography, period: Period
    ) -> Decimal | None:
        """`value` (the place's count, its mapped predecessors' included) per 1,000 residents,
        by the same rule as `rate`."""
        population = self.population(place, period)
        if indicator.measure != Indicator.Measure.COUNT or value is None or not population:
            return None
        return value / population * 1000

    def population(self, place: Geography, period: Period) -> Decimal | None:
        """The mid-year estimate of the year the period starts in, for exactly this place."""
        return self._loaded()["populations"].get((place.pk, period.start.year))

    @property
    def population_indicator(self) -> Indicator | None:
        """The population estimates' indicator, whose source and licence a rate credits."""
        return self._loaded()["population_indicator"]

    def comparators(self, selection: IndicatorSelection) -> list[Geography]:
        """The places the analyst chose to show beside the area: force, districts, national."""
        places = self._loaded()["places"]
        chosen = self._loaded()["links"].get(selection.pk, ())
        return [place for place in places if place.pk in chosen]

    def districts(self, force: Geography | None = None) -> list[Geography]:
        """The districts of a force (those the lookup puts in it, or all the partnership's
        districts where none are placed in a force)."""
        districts = [p for p in self._loaded()["places"] if p.level == Geography.Level.DISTRICT]
        placed = [d for d in districts if force is not None and d.parent_id == force.pk]
        return placed or [d for d in districts if d.parent_id is None]

    def is_demo(self, place: Geography) -> bool:
        """Whether the place's figures come from the demo's made-up data."""
        return place.pk in self._loaded()["demo_places"]

    def has_lsoa_data(self, indicator: Indicator) -> bool:
        return (indicator.pk, LSOAS) in self._loaded()["present"]

    def estates(self) -> list[Geography]:
        """The partnership's estates, by name."""
        return self._loaded()["estates"]

    # --- loading ------------------------------------------------------------------------

    def _stored(self, indicator: Indicator, place: Geography) -> Totals:
        data = self._loaded()
        if indicator.pk not in self.indicators:
            raise KeyError(f"{indicator.code} is not in this book: add it to the page's book")
        has_own = (indicator.pk, place.pk) in data["present"]
        if has_own or indicator.aggregation == Indicator.Aggregation.NONE:
            return data["direct"].get((indicator.pk, place.pk), {})
        if place.level == Geography.Level.AREA:
            return data["area_from_lsoas"].get(indicator.pk, {})
        return data["from_lsoas"].get((indicator.pk, place.pk), {})

    def _loaded(self) -> dict:
        if self._data is None:
            ids = ",".join(str(pk) for pk in sorted(self.indicators))
            digest = hashlib.sha256(f"{ids}|{self.start}|{self.end}".encode()).hexdigest()[:24]
            self._data = cached(self.partnership, self._load, "series", digest)
        return self._data

    def _load(self) -> dict:
        """Eight queries, whatever the number of indicators, places, comparators and periods."""
        ids = list(self.indicators)
        observations = Observation.objects.filter(indicator_id__in=ids).order_by()
        place = Case(
            When(geography__level=Geography.Level.LSOA, then=Value(LSOAS)),
            default=F("geography_id"),
            output_field=IntegerField(),
        )
        present = set(
            observations.annotate(place=place).values_list("indicator_id", "place").distinct()
        )
        in_span = observations.filter(period_start__gte=self.start, period_start__lt=self.end)
        if self.start is None:
            in_span = observations.none()
        direct = self._grouped(in_span.exclude(LSOA_ROWS), "geography_id")
        from_lsoas = self._grouped(in_span.filter(LSOA_ROWS), "geography__parent_id")
        area_from_lsoas: dict[int, Totals] = {}
        for (indicator_id, _estate), totals in from_lsoas.items():
            area = area_from_lsoas.setdefault(indicator_id, {})
            for key, row in totals.items():
                _add(area.setdefault(key, {}), row)
        estates = Geography.objects.filter(
            partnership_id=self.partnership.pk, level=Geography.Level.ESTATE
        ).order_by("name")
        return {
            "present": present,
            "direct": direct,
            "from_lsoas": from_lsoas,
            "area_from_lsoas": area_from_lsoas,
            "estates": list(estates),
            **self._load_context(ids),
        }

    def _load_context(self, ids: list[int]) -> dict:
        """The comparator places, the selections' choices of them, demo places, populations."""
        partnership_id = self.partnership.pk
        places = Geography.objects.filter(
            partnership_id=partnership_id, level__in=Geography.COMPARATOR_LEVELS
        )
        places = sorted(places, key=lambda p: (COMPARATOR_ORDER[p.level], p.name))
        links: dict[int, set[int]] = {}
        chosen = IndicatorSelection.comparators.through.objects.filter(
            indicatorselection__indicator_id__in=ids
        ).values_list("indicatorselection_id", "geography_id")
        for selection_id, geography_id in chosen:
            links.setdefault(selection_id, set()).add(geography_id)
        demo_places = set(
            Observation.objects.filter(
                indicator_id__in=ids,
                batch__source=ImportBatch.Source.DEMO,
                geography__level__in=Geography.COMPARATOR_LEVELS,
            )
            .order_by()
            .values_list("geography_id", flat=True)
            .distinct()
        )
        estimates = Observation.objects.filter(
            indicator__partnership_id=partnership_id, indicator__is_population=True
        ).select_related("indicator")
        populations, population_indicator = {}, None
        for estimate in estimates.order_by("period_start"):
            populations[estimate.geography_id, estimate.period_start.year] = estimate.value
            population_indicator = estimate.indicator
        return {
            "places": places,
            "links": links,
            "demo_places": demo_places,
            "populations": populations,
            "population_indicator": population_indicator,
        }

    @staticmethod
    def _grouped(rows, place_field: str) -> dict[tuple[int, int], Totals]:
        grouped = rows.values("indicator_id", place_field, "period_type", "period_start")
        result: dict[tuple[int, int], Totals] = {}
        for row in grouped.annotate(**SUMS).order_by():
            place = (row["indicator_id"], row[place_field])
            result.setdefault(place, {})[row["period_type"], row["period_start"]] = row
        return result
