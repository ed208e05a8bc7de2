"""Demo comparators: Thames Valley, England and Wales and the force's districts beside Milton
Keynes, for the Crime chapter's All Crime (Home Office recorded crime, like the area's own
figures) in 2015/16 and 2016/17, and ONS-style mid-year populations for 2015 and 2016.

The figures are made up, near the published orders of magnitude, and the charts say so: every
comparator observation is in a demo batch, which the charts name as demo data.
"""

from __future__ import annotations

from assessments.core.models import Chapter, Partnership
from assessments.core.periods import Period
from assessments.demo.batches import fresh_demo_batch
from assessments.indicators.models import Geography, Indicator, Observation

BATCH_KEY = "demo:comparators"
YEARS = (2015, 2016)  # financial years 2015/16 and 2016/17; mid-2015 and mid-2016 populations
ONS_LICENCE = "Open Government Licence v3.0"

FORCE = ("E23000029", "Thames Valley", (2_366_000, 2_389_000), (148_300, 154_100))
NATIONAL = ("K04000001", "England and Wales", (57_885_000, 58_381_000), (4_561_000, 4_812_000))
# District: (code, mid-2015 and mid-2016 population, All Crime in 2015/16 and 2016/17).
DISTRICTS = {
    "Aylesbury Vale": ("E07000004", (188_700, 192_100), (9_870, 10_480)),
    "Bracknell Forest": ("E06000036", (119_400, 120_700), (6_410, 6_620)),
    "Cherwell": ("E07000177", (146_300, 147_600), (8_920, 9_510)),
    "Chiltern": ("E07000005", (94_600, 95_100), (3_890, 4_010)),
    "Oxford": ("E07000178", (158_100, 161_300), (15_820, 16_240)),
    "Reading": ("E06000038", (161_700, 162_900), (17_100, 17_850)),
    "Slough": ("E06000039", (146_900, 148_400), (15_380, 16_470)),
    "South Bucks": ("E07000006", (69_300, 69_800), (3_410, 3_350)),
    "South Oxfordshire": ("E07000179", (138_300, 139_800), (6_050, 6_390)),
    "Vale of White Horse": ("E07000180", (126_800, 130_600), (5_310, 5_650)),
    "West Berkshire": ("E06000037", (157_200, 158_500), (7_530, 7_720)),
    "West Oxfordshire": ("E07000181", (107_600, 108_700), (4_610, 4_760)),
    "Windsor and Maidenhead": ("E06000040", (148_200, 149_300), (8_060, 8_420)),
    "Wokingham": ("E06000041", (160_400, 162_400), (5_690, 5_910)),
    "Wycombe": ("E07000007", (175_900, 177_000), (9_010, 9_380)),
}
AREA_POPULATION = (261_800, 264_500)


def demo_comparators_load(partnership: Partnership, area: Geography) -> None:
    """Replace the demo comparator batch and compare the Crime chapter's All Crime with them."""
    batch = fresh_demo_batch(partnership, BATCH_KEY, "demo/comparators.py")
    all_crime = Indicator.objects.get(partnership=partnership, code="all-crime")
    population = _population_indicator(partnership)
    force = _place(partnership, Geography.Level.FORCE, *FORCE[:2])
    national = _place(partnership, Geography.Level.NATIONAL, *NATIONAL[:2])
    # The area's own All Crime is the demo's Home Office series already loaded: only its
    # population is added here.
    observations = _values((all_crime, population, batch), area, AREA_POPULATION)
    for place, (_, _, populations, counts) in ((force, FORCE), (national, NATIONAL)):
        observations += _values((all_crime, population, batch), place, populations, counts)
    for name, (code, populations, counts) in DISTRICTS.items():
        district = _place(partnership, Geography.Level.DISTRICT, code, name, parent=force)
        observations += _values((all_crime, population, batch), district, populations, counts)
    Observation.objects.bulk_create(observations)
    batch.row_count = len(observations)
    batch.save(update_fields=["row_count"])
    crime = Chapter.objects.filter(assessment__partnership=partnership, slug="crime").first()
    if crime is not None:
        for selection in crime.selections.filter(indicator=all_crime):
            selection.comparators.set([force, national])


def _population_indicator(partnership: Partnership) -> Indicator:
    return Indicator.objects.update_or_create(
        partnership=partnership,
        code="ons-mid-year-population",
        defaults={
            "name": "Resident population (mid-year estimate)",
            "unit": "residents",
            "source": "ONS mid-year population estimates (demo figures)",
            "licence": ONS_LICENCE,
            "increase_is_bad": False,
            "is_population": True,
        },
    )[0]


def _place(partnership, level, code, name, parent=None) -> Geography:
    return Geography.objects.update_or_create(
        partnership=partnership,
        level=level,
        code=code,
        defaults={"name": name, "parent": parent},
    )[0]


def _values(into, place, populations, counts=None) -> list[Observation]:
    """The place's mid-year populations (as calendar years) and All Crime (financial years)."""
    all_crime, population, batch = into
    rows = []
    for index, year in enumerate(YEARS):
        estimate = Period.calendar_year(year)
        rows.append(_row(population, batch, place, estimate, populations[index]))
        if counts is not None:
            rows.append(_row(all_crime, batch, place, Period.financial_year(year), counts[index]))
    return rows


def _row(indicator, batch, place, period: Period, value) -> Observation:
    return Observation(
        indicator=indicator,
        batch=batch,
        geography=place,
        period_type=period.type,
        period_start=period.start,
        value=value,
    )
