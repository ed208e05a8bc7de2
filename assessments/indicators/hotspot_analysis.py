"""Hotspot analysis as an analyst puts it in a strategic assessment: the top areas by count and by
rate, the persistent, emerging and declining hotspots between two periods, and how concentrated
crime is (the share of it in the top 10% of LSOAs).

A hotspot is an LSOA in the period's top decile: ranked by count (ties sharing a rank, as
`lsoa_ranking` gives them), those ranked within the first tenth of the area's LSOAs (rounded up),
with at least one crime. Persistent: in the top decile in both periods; emerging: in it now and
not before; declining: in it before and not now.

LSOAs change with the census (2011 and 2021 LSOAs): the two periods must be of one vintage, or
an area split in 2021 would "emerge" and the one it was split from "decline". A period is of
2021 LSOAs when it counts crime in an LSOA whose code the 2021 census created (England from
E01033769, Wales from W01001959); periods that disagree are refused. Where no LSOA of the area
changed in 2021 both vintages are the same areas, and the periods compare as they should.

The area's LSOAs, for the decile and the share, are those with any police.uk count (of any crime
type) in either period: the areas of that vintage that police.uk placed crime in.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from assessments.core.numbers import one_place
from assessments.core.periods import PeriodType
from assessments.indicators.hotspots import (
    HotspotQueryError,
    LsoaCount,
    lsoa_ranking,
    months_text,
)
from assessments.indicators.models import Geography, Observation
from assessments.indicators.selectors import POLICE_UK_INDICATOR_PREFIX

TOP = 10
# The first codes of LSOAs the 2021 census created; every earlier code is a 2011 LSOA's.
FIRST_2021_CODES = {"E01": 33769, "W01": 1959}


def is_2021_only(code: str) -> bool:
    """Whether the code is of an LSOA that only the 2021 census has (a new or changed area)."""
    first = FIRST_2021_CODES.get(code[:3])
    return first is not None and code[3:].isdigit() and int(code[3:]) >= first


@dataclass(frozen=True)
class Span:
    first_month: dt.date
    last_month: dt.date

    def label(self) -> str:
        return months_text(self.first_month, self.last_month)


@dataclass(frozen=True)
class HotspotRow:
    """One LSOA now and before: count, previous count, change, rate (per 1,000 residents)."""

    code: str
    name: str
    count: int
    previous: int
    rate_per_1000: Decimal | None
    rank: int

    @property
    def change(self) -> int:
        return self.count - self.previous


@dataclass(frozen=True)
class HotspotAnalysis:
    current: Span
    previous: Span
    crime_types: tuple[str, ...]
    vintage: int  # 2011 or 2021 LSOAs
    lsoas: int  # the area's LSOAs the decile is a tenth of
    decile_size: int
    top_by_count: list[HotspotRow]
    top_by_rate: list[HotspotRow]  # empty where no LSOA has a population
    persistent: list[HotspotRow]
    emerging: list[HotspotRow]
    declining: list[HotspotRow]  # their rows as they are now, ranked by their previous count
    total: int
    share_in_top_decile: Decimal | None  # per cent of the period's crime; None without crime
    months_missing: list[dt.date]


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return one_place(Decimal(part) * 100 / whole)


def _area_lsoas(partnership_id: int, spans: Sequence[Span]) -> set[str]:
    """Codes of the partnership's LSOAs with any police.uk count in any of the spans."""
    codes = set()
    for span in spans:
        seen = Observation.objects.filter(
            indicator__partnership_id=partnership_id,
            indicator__code__startswith=POLICE_UK_INDICATOR_PREFIX,
            geography__partnership_id=partnership_id,
            geography__level=Geography.Level.LSOA,
            period_type=PeriodType.MONTH,
            period_start__gte=span.first_month,
            period_start__lte=span.last_month,
        )
        codes |= set(seen.values_list("geography__code", flat=True).distinct().order_by())
    return codes


def _vintage(codes: set[str]) -> int:
    return 2021 if any(is_2021_only(code) for code in codes) else 2011


def span_vintage(partnership_id: int, span: Span) -> int:
    """The LSOA vintage of the span's police.uk counts: 2021 where any is of a 2021-only LSOA."""
    return _vintage(_area_lsoas(partnership_id, [span]))


def _top_decile(rows: Sequence[LsoaCount], size: int) -> set[str]:
    return {row.code for row in rows if row.count and row.rank <= size}


def top_decile_share(counts: Sequence[int], size: int) -> int:
    """Crime in the `size` LSOAs with the most (exactly that many, whatever the ties)."""
    return sum(sorted(counts, reverse=True)[:size])


def hotspot_analysis(
    partnership_id: int, current: Span, previous: Span, crime_types: Sequence[str], top: int = TOP
) -> HotspotAnalysis:
    """Compare the current span with the previous one; HotspotQueryError where they overlap or
    are of different LSOA vintages."""
    if previous.last_month >= current.first_month:
        raise HotspotQueryError(
            f"The previous period ({previous.label()}) must end before the current one "
            f"({current.label()}) starts."
        )
    now = lsoa_ranking(partnership_id, current.first_month, current.last_month, crime_types)
    before = lsoa_ranking(partnership_id, previous.first_month, previous.last_month, crime_types)
    seen_now = _area_lsoas(partnership_id, [current])
    seen_before = _area_lsoas(partnership_id, [previous])
    vintage, vintage_before = _vintage(seen_now), _vintage(seen_before)
    # A period with no crime counted (its months never imported) is of no vintage: it is said
    # missing, not compared.
    if not seen_before:
        vintage_before = vintage
    elif not seen_now:
        vintage = vintage_before
    if vintage != vintage_before:
        raise HotspotQueryError(
            f"{previous.label()} counts crime by {vintage_before} LSOAs and {current.label()} by "
            f"{vintage} LSOAs: hotspots compare periods of one LSOA vintage only."
        )
    area = seen_now | seen_before
    size = max(1, math.ceil(len(area) / 10))
    previous_counts = {row.code: row.count for row in before.rows}
    rows = [
        HotspotRow(r.code, r.name, r.count, previous_counts.get(r.code, 0), r.rate_per_1000, r.rank)
        for r in now.rows
        if r.code in area
    ]
    hot_now, hot_before = _top_decile(now.rows, size), _top_decile(before.rows, size)
    by_previous = sorted(rows, key=lambda r: -r.previous)  # stable: ties stay by name
    by_rate = sorted(
        (r for r in rows if r.rate_per_1000 is not None), key=lambda r: -r.rate_per_1000
    )
    total = sum(row.count for row in rows)
    return HotspotAnalysis(
        current=current,
        previous=previous,
        crime_types=now.crime_types,
        vintage=vintage,
        lsoas=len(area),
        decile_size=size,
        top_by_count=[r for r in rows if r.count][:top],
        top_by_rate=[r for r in by_rate if r.count][:top],
        persistent=[r for r in rows if r.code in hot_now and r.code in hot_before],
        emerging=[r for r in rows if r.code in hot_now - hot_before],
        declining=[r for r in by_previous if r.code in hot_before - hot_now],
        total=total,
        share_in_top_decile=_percent(top_decile_share([r.count for r in rows], size), total),
        months_missing=sorted({*now.months_missing, *before.months_missing}),
    )
