"""Demo police.uk data: the LSOAs of the demo estates and their monthly counts for every police.uk
crime type from April 2015 to March 2017, for the chapter charts and the appendix by estate.

The counts are stored under the indicators the real `import_police_uk` creates, as an import of
police.uk files would store them: by LSOA and month, months without any crime left out, and all
crime excluding anti-social behaviour as the sum of the other types. They are made up, but
follow each estate's profile (see ESTATE_PROFILES), the same on every run. They are separate
indicators from the Home Office figures behind the reference headlines, so nothing adds up twice.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from assessments.core.models import Chapter, Partnership
from assessments.core.periods import Period, PeriodType
from assessments.demo.batches import fresh_demo_batch
from assessments.demo.seasons import spread_over_months
from assessments.indicators.models import Geography, IndicatorSelection, Observation
from assessments.indicators.police_uk import (
    ALL_CRIME,
    ASB,
    CRIME_TYPES,
    STREET_LEVEL_CAVEAT,
    month_observation,
    police_uk_indicators,
)

BATCH_KEY = "demo:police-uk"
FIRST_YEAR, LAST_YEAR = 2015, 2016  # financial years 2015/16 and 2016/17

# Each crime type: its rate per 1,000 residents in 2016/17, the estate pattern it follows (a
# column of ESTATE_PROFILES) and its 2015/16 count as a share of its 2016/17 count.
PATTERNS = ("disorder", "violence", "burglary", "vehicle", "drugs", "retail")
RATES = {
    ASB: ("36", "disorder", "1.04"),
    "Bicycle theft": ("1.6", "vehicle", "1.00"),
    "Burglary": ("9", "burglary", "0.99"),
    "Criminal damage and arson": ("9", "disorder", "1.02"),
    "Drugs": ("3.6", "drugs", "1.07"),
    "Other crime": ("1.2", "violence", "0.95"),
    "Other theft": ("8", "retail", "0.97"),
    "Possession of weapons": ("0.6", "drugs", "0.85"),
    "Public order": ("6", "violence", "0.80"),
    "Robbery": ("1.0", "violence", "0.90"),
    "Shoplifting": ("6.5", "retail", "0.95"),
    "Theft from the person": ("1.0", "retail", "0.92"),
    "Vehicle crime": ("7", "vehicle", "0.97"),
    "Violence and sexual offences": ("28", "violence", "0.88"),
}

# Each estate: its middle-layer number for LSOA names, how far above or below the typical rate
# it is for each pattern (in the order of PATTERNS), and its own trend (2015/16 counts are this
# much of what the crime type's trend alone gives). Fishermead, Netherfield and Conniburrow have
# the highest anti-social behaviour rates; Central Milton Keynes the most violence and retail
# crime (the night-time economy and the shopping centre).
ESTATE_PROFILES = {
    "MK-EST-BLE": (31, ("1.1", "1.0", "1.0", "1.0", "1.1", "1.2"), "1.00"),
    "MK-EST-WOL": (3, ("1.0", "0.9", "0.9", "1.0", "0.9", "0.8"), "1.05"),
    "MK-EST-NET": (20, ("2.6", "1.8", "1.5", "1.3", "2.2", "0.3"), "0.93"),
    "MK-EST-FIS": (19, ("2.9", "1.9", "1.4", "1.4", "2.5", "0.4"), "0.97"),
    "MK-EST-CON": (14, ("2.4", "1.6", "1.2", "1.2", "1.9", "0.3"), "1.08"),
    "MK-EST-CMK": (17, ("1.8", "6.5", "0.8", "2.0", "2.8", "12.0"), "0.95"),
    "MK-EST-NEW": (6, ("0.6", "0.6", "0.8", "0.7", "0.5", "0.6"), "1.02"),
    "MK-EST-STR": (2, ("0.6", "0.5", "0.7", "0.7", "0.4", "0.6"), "1.10"),
}
# Each estate is three LSOAs holding these per cent of its residents.
LSOA_SHARES = (("A", 45), ("B", 33), ("C", 22))


def demo_lsoas(partnership: Partnership) -> dict[Geography, list[Geography]]:
    """Three LSOAs for each demo estate, named as the ONS names them ("Milton Keynes 019A")."""
    estates = Geography.objects.filter(
        partnership=partnership, level=Geography.Level.ESTATE, code__in=ESTATE_PROFILES
    )
    lsoas = {}
    for estate in estates.order_by("code"):
        msoa = ESTATE_PROFILES[estate.code][0]
        lsoas[estate] = [
            Geography.objects.update_or_create(
                partnership=partnership,
                level=Geography.Level.LSOA,
                code=f"E01016{msoa * 3 + index:03d}",
                defaults={
                    "name": f"{partnership.area_name} {msoa:03d}{letter}",
                    "parent": estate,
                    "population": estate.population * share // 100,
                },
            )[0]
            for index, (letter, share) in enumerate(LSOA_SHARES)
        ]
    return lsoas


def demo_police_uk_load(partnership: Partnership) -> None:
    """Replace the demo police.uk batch and select two of its indicators in chapters."""
    _remove_earlier_demo_generator(partnership)
    batch = fresh_demo_batch(partnership, BATCH_KEY, "demo/indicator_data.py")
    indicators = police_uk_indicators(partnership)
    observations = []
    for estate, lsoas in demo_lsoas(partnership).items():
        for lsoa in lsoas:
            for year in (FIRST_YEAR, LAST_YEAR):
                for crime_type, month, count in _lsoa_counts(estate, lsoa, year):
                    observations.append(
                        month_observation(indicators[crime_type], lsoa, batch, month, count)
                    )
    Observation.objects.bulk_create(observations, batch_size=2000)
    batch.row_count = len(observations)
    batch.save(update_fields=["row_count"])
    # Possession of weapons is rare: its estate chart shows small-number suppression.
    for chapter_slug, crime_type in (("crime", ALL_CRIME), ("violence", "Possession of weapons")):
        _select_in_chapter(partnership, chapter_slug, indicators[crime_type])


def _annual_count(crime_type: str, estate: Geography, lsoa: Geography, year: int) -> int:
    rate, pattern, earlier = RATES[crime_type]
    _, factors, trend = ESTATE_PROFILES[estate.code]
    count = Decimal(rate) * Decimal(factors[PATTERNS.index(pattern)]) * lsoa.population / 1000
    if year == FIRST_YEAR:
        count *= Decimal(earlier) * Decimal(trend)
    return int(count)


def _lsoa_counts(estate: Geography, lsoa: Geography, year: int):
    """(crime type, month, count) for one LSOA and financial year, as police.uk files give them:
    no row for a month without crime, and all crime excluding anti-social behaviour."""

    all_crime = Counter()
    for crime_type in CRIME_TYPES:
        total = _annual_count(crime_type, estate, lsoa, year)
        for month, count in spread_over_months(total, Period.financial_year(year)):
            if count:
                yield crime_type, month, count
                if crime_type != ASB:
                    all_crime[month] += count
    for month, count in sorted(all_crime.items()):
        yield ALL_CRIME, month, count


def _remove_earlier_demo_generator(partnership: Partnership) -> None:
    """A database loaded before the two demo generators became this one still holds the other's
    police.uk-style data: its own LSOAs (E0109…) and indicators ("policeuk-…"), whose counts
    went with the batches that demo_load has replaced by now."""
    Geography.objects.filter(
        partnership=partnership, level=Geography.Level.LSOA, code__regex=r"^E0109\d{3}[A-Z]$"
    ).delete()
    partnership.indicators.filter(code__startswith="policeuk-").delete()


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
            "caveat": STREET_LEVEL_CAVEAT,
        },
    )
