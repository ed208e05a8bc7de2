"""Demo police.uk-style data: LSOAs in the estates of the demo area and monthly counts per crime
type for April 2015 to March 2017, so that chapter charts and the estate appendix have data.

The counts are made up (a seeded random draw, the same on every run) and stored as police.uk
indicators, which are distinct from the Home Office figures behind the reference headlines.
"""

from __future__ import annotations

import math
import random

from ..models import Chapter, Geography, ImportBatch, IndicatorSelection, Observation, Partnership
from ..periods import Period, PeriodType
from .police_uk import ALL_CRIME, ASB, police_uk_indicators

BATCH_KEY = "demo:police-uk"
LSOAS_PER_ESTATE = 2
FIRST_YEAR, LAST_YEAR = 2015, 2016  # financial years 2015/16 and 2016/17
# Mean incidents per LSOA per month: a rough police.uk shape, rare types give small numbers.
MONTHLY_MEAN = {
    ASB: 6.0,
    "Violence and sexual offences": 5.0,
    "Criminal damage and arson": 2.0,
    "Other theft": 1.6,
    "Vehicle crime": 1.5,
    "Public order": 1.4,
    "Burglary": 1.2,
    "Shoplifting": 1.0,
    "Drugs": 0.5,
    "Bicycle theft": 0.3,
    "Other crime": 0.2,
    "Robbery": 0.15,
    "Theft from the person": 0.15,
    "Possession of weapons": 0.1,
}


def poisson(chooser: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means used here."""
    limit, count, product = math.exp(-mean), 0, chooser.random()
    while product > limit:
        count += 1
        product *= chooser.random()
    return count


def demo_lsoas(partnership: Partnership) -> list[Geography]:
    """Two LSOAs per estate, named like police.uk's ("Milton Keynes 001A"), the estate as parent."""
    lsoas = []
    estates = Geography.objects.filter(partnership=partnership, level=Geography.Level.ESTATE)
    for number, estate in enumerate(estates.order_by("code"), start=1):
        for letter in "AB"[:LSOAS_PER_ESTATE]:
            lsoa, _ = Geography.objects.update_or_create(
                partnership=partnership,
                level=Geography.Level.LSOA,
                code=f"E0109{number:03d}{letter}",
                defaults={
                    "name": f"{partnership.area_name} {number:03d}{letter}",
                    "parent": estate,
                    "population": 1_500,
                },
            )
            lsoas.append(lsoa)
    return lsoas


def demo_police_uk_load(partnership: Partnership) -> None:
    """Replace the demo police.uk batch and select two of its indicators in chapters."""
    ImportBatch.objects.filter(partnership=partnership, key=BATCH_KEY).delete()
    batch = ImportBatch.objects.create(
        partnership=partnership,
        source=ImportBatch.Source.DEMO,
        key=BATCH_KEY,
        file_name="demo_indicator_data.py",
    )
    indicators = police_uk_indicators(partnership)
    chooser = random.Random(2017)
    months = [
        m for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in Period.financial_year(y).months()
    ]
    observations = []
    for lsoa in demo_lsoas(partnership):
        for month in months:
            all_crime = 0
            for crime_type, mean in MONTHLY_MEAN.items():
                count = poisson(chooser, mean)
                all_crime += 0 if crime_type == ASB else count
                if count:
                    observations.append(_monthly(indicators[crime_type], lsoa, batch, month, count))
            observations.append(_monthly(indicators[ALL_CRIME], lsoa, batch, month, all_crime))
    Observation.objects.bulk_create(observations, batch_size=2000)
    batch.row_count = len(observations)
    batch.save(update_fields=["row_count"])
    # Possession of weapons is rare: its estate chart shows small-number suppression.
    for chapter_slug, crime_type in (("crime", ALL_CRIME), ("violence", "Possession of weapons")):
        _select_in_chapter(partnership, chapter_slug, indicators[crime_type])


def _monthly(indicator, lsoa, batch, month: Period, count: int) -> Observation:
    return Observation(
        indicator=indicator,
        geography=lsoa,
        batch=batch,
        period_type=PeriodType.MONTH,
        period_start=month.start,
        value=count,
    )


def _select_in_chapter(partnership: Partnership, slug: str, indicator) -> None:
    chapter = Chapter.objects.filter(assessment__partnership=partnership, slug=slug).first()
    if chapter is None:
        return
    IndicatorSelection.objects.update_or_create(
        chapter=chapter,
        indicator=indicator,
        defaults={
            "order": 10,
            "period_type": PeriodType.FINANCIAL_YEAR,
            "current_period_start": Period.financial_year(LAST_YEAR).start,
            "comparison_period_start": Period.financial_year(FIRST_YEAR).start,
        },
    )
