"""The hotspot analysis (issue 34): top LSOAs by count and by rate; persistent, emerging and
declining hotspots by the top decile of two periods of one LSOA vintage; the share of crime in
the top 10% of LSOAs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assessments.core.periods import PeriodType
from assessments.indicators.hotspot_analysis import Span, hotspot_analysis, is_2021_only
from assessments.indicators.hotspots import HotspotQueryError
from assessments.indicators.models import Geography, Observation
from assessments.indicators.police_uk import police_uk_indicators

from ..factories import GeographyFactory, ImportBatchFactory

pytestmark = pytest.mark.django_db

BEFORE = Span(dt.date(2019, 1, 1), dt.date(2019, 3, 1))
NOW = Span(dt.date(2019, 4, 1), dt.date(2019, 6, 1))
CODES = [f"E010167{n:02d}" for n in range(20)]  # twenty 2011 LSOAs: the top decile is two


@pytest.fixture
def place(partnership):
    """record(span, {code: count}, crime_type): the counts in the span's first month."""
    indicators = police_uk_indicators(partnership)
    batch = ImportBatchFactory(partnership=partnership, key="test", source="police_uk")
    lsoas = {}

    def lsoa(code: str) -> Geography:
        if code not in lsoas:
            lsoas[code] = GeographyFactory(
                partnership=partnership, level="lsoa", code=code, name=f"Testville {code[-3:]}"
            )
        return lsoas[code]

    def record(span: Span, counts: dict[str, int], crime_type: str = "Burglary") -> None:
        Observation.objects.bulk_create(
            Observation(indicator=indicators[crime_type], geography=lsoa(code), batch=batch,
                        period_type=PeriodType.MONTH, period_start=span.first_month, value=n)
            for code, n in counts.items()
        )  # fmt: skip

    record.lsoa = lsoa
    return record


def analyse(partnership, crime_types=("Burglary",), **options):
    return hotspot_analysis(partnership.pk, NOW, BEFORE, list(crime_types), **options)


def codes(rows) -> list[str]:
    return [row.code for row in rows]


@pytest.fixture
def two_periods(place):
    """Before: 0 and 1 lead; now: 0 and 2. Everywhere else one burglary in each period."""
    place(BEFORE, {CODES[0]: 50, CODES[1]: 40, CODES[2]: 30} | {c: 1 for c in CODES[3:]})
    place(NOW, {CODES[0]: 60, CODES[2]: 45, CODES[1]: 10} | {c: 1 for c in CODES[3:]})
    return place


def test_persistent_emerging_and_declining_hotspots(partnership, two_periods):
    result = analyse(partnership)
    assert (result.lsoas, result.decile_size, result.vintage) == (20, 2, 2011)
    assert codes(result.persistent) == [CODES[0]]
    assert codes(result.emerging) == [CODES[2]]
    assert codes(result.declining) == [CODES[1]]
    assert [(r.count, r.previous, r.change) for r in result.emerging] == [(45, 30, 15)]


def test_the_top_areas_by_count_carry_the_previous_period(partnership, two_periods):
    result = analyse(partnership, top=3)
    assert [(r.code, r.count, r.previous, r.rank) for r in result.top_by_count] == [
        (CODES[0], 60, 50, 1),
        (CODES[2], 45, 30, 2),
        (CODES[1], 10, 40, 3),
    ]


def test_the_share_of_crime_in_the_top_tenth_of_lsoas(partnership, two_periods):
    result = analyse(partnership)
    assert result.total == 60 + 45 + 10 + 17
    assert result.share_in_top_decile == Decimal("79.5")  # (60 + 45) / 132


def test_top_by_rate_needs_a_population(partnership, two_periods):
    assert analyse(partnership).top_by_rate == []
    Geography.objects.filter(code=CODES[0]).update(population=3000)  # 20 per 1,000
    Geography.objects.filter(code=CODES[5]).update(population=20)  # 1 in 20: 50 per 1,000
    result = analyse(partnership)
    assert [(r.code, r.rate_per_1000) for r in result.top_by_rate] == [
        (CODES[5], Decimal("50.0")),
        (CODES[0], Decimal("20.0")),
    ]


def test_ties_at_the_edge_of_the_decile_are_both_hotspots(partnership, place):
    place(BEFORE, {c: 1 for c in CODES} | {CODES[10]: 5, CODES[11]: 4})
    place(NOW, {CODES[0]: 9, CODES[1]: 5, CODES[2]: 5} | {c: 1 for c in CODES[3:]})
    result = analyse(partnership)
    assert codes(result.emerging) == CODES[:3]  # the two tied second both rank 2
    assert codes(result.declining) == [CODES[10], CODES[11]]
    # The share is of exactly two LSOAs, the tenth of twenty, whatever the ties.
    assert result.share_in_top_decile == Decimal("38.9")  # (9 + 5) / (9 + 5 + 5 + 17)


def test_an_lsoa_without_crime_is_never_a_hotspot(partnership, place):
    place(BEFORE, {CODES[0]: 3, CODES[1]: 0})
    place(NOW, {CODES[0]: 0, CODES[1]: 0})
    result = analyse(partnership)
    assert (result.persistent, result.emerging) == ([], [])
    assert codes(result.declining) == [CODES[0]]
    assert result.share_in_top_decile is None and result.total == 0
    assert result.top_by_count == []


def test_crime_types_add_up(partnership, two_periods):
    two_periods(NOW, {CODES[1]: 100}, "Drugs")
    result = analyse(partnership, crime_types=("Burglary", "Drugs"))
    assert codes(result.top_by_count[:2]) == [CODES[1], CODES[0]]
    assert codes(result.persistent) == [CODES[1], CODES[0]]  # in rank order
    assert codes(result.emerging) == []
    assert codes(result.declining) == []


def test_periods_of_different_vintages_are_refused(partnership, place):
    place(BEFORE, {CODES[0]: 3})
    place(NOW, {CODES[0]: 2, "E01034446": 4})  # a 2021 LSOA
    with pytest.raises(HotspotQueryError, match="by 2011 LSOAs and April to June 2019 by 2021"):
        analyse(partnership)


def test_overlapping_periods_are_refused(partnership, two_periods):
    with pytest.raises(HotspotQueryError, match="must end before"):
        hotspot_analysis(partnership.pk, NOW, NOW, ["Burglary"])


@pytest.mark.parametrize(
    "code, new",
    [("E01033768", False), ("E01033769", True), ("E01034446", True), ("W01001958", False),
     ("W01001959", True), ("E01016700", False), ("S01000001", False)],
)  # fmt: skip
def test_which_codes_only_the_2021_census_has(code, new):
    assert is_2021_only(code) is new
