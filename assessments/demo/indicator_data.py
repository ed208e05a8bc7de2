"""Demo police.uk data: the LSOAs of the demo estates and their monthly counts for every police.uk
crime type from April 2015 to March 2017, for the chapter charts and the appendix by estate.

The counts are stored under the indicators the real `import_police_uk` creates, as an import of
police.uk files would store them: by LSOA and month, months without any crime left out, and all
crime excluding anti-social behaviour as the sum of the other types. They are made up, but
follow each estate's profile (see ESTATE_PROFILES), the same on every run. They are separate
indicators from the Home Office figures behind the reference headlines, so nothing adds up twice.

The LSOAs are real: each has the code of the 2021 LSOA of its name in the demo's boundaries
(demo/boundaries.py), or of its stand-in (STAND_INS), so the hotspot maps shade them; the counts
stay made up, in a demo batch (`hotspots.demo_counts_in` says so to a map). Three chapters map
crime types by LSOA over 2016/17 (DEMO_MAPS).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from assessments.core.models import Assessment, Chapter, Partnership
from assessments.core.periods import Period, PeriodType
from assessments.demo.batches import fresh_demo_batch
from assessments.demo.boundaries import lsoa_codes_2021
from assessments.demo.seasons import spread_over_months
from assessments.indicators.models import ChapterMap, Geography, IndicatorSelection, Observation
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

# Eight demo LSOA names are not names of 2021 LSOAs (no 2021 LSOA is in a middle layer 017 or
# 019, none is 002B or 014C): each keeps its name and counts but takes the code of the real LSOA
# named here. Central Milton Keynes' and Fishermead's are the three 2021 LSOAs nearest each
# estate, the other two the next LSOA of their own middle layer the demo does not use. All are
# codes of 2011 LSOAs too (below E01033769), so the hotspot analysis reads the demo's periods as
# of one vintage either way.
STAND_INS = {
    "Milton Keynes 002B": "Milton Keynes 002D",
    "Milton Keynes 014C": "Milton Keynes 014D",
    "Milton Keynes 017A": "Milton Keynes 014E",
    "Milton Keynes 017B": "Milton Keynes 009A",
    "Milton Keynes 017C": "Milton Keynes 014F",
    "Milton Keynes 019A": "Milton Keynes 018A",
    "Milton Keynes 019B": "Milton Keynes 021B",
    "Milton Keynes 019C": "Milton Keynes 018D",
}

# The chapter with a hotspot map: police.uk crime types counted together over 2016/17, set
# against 2015/16 (the months just before). One map shows the feature; each more is drawn on
# every page, edition and PDF the demo's tests build.
DEMO_MAPS = {
    "crime": tuple(t for t in CRIME_TYPES if t != ASB),
}


def demo_lsoas(partnership: Partnership) -> dict[Geography, list[Geography]]:
    """Three LSOAs for each demo estate, named as the ONS names them ("Milton Keynes 019A"),
    under the real code of that name in the demo boundaries (or of its stand-in)."""
    estates = Geography.objects.filter(
        partnership=partnership, level=Geography.Level.ESTATE, code__in=ESTATE_PROFILES
    )
    codes = lsoa_codes_2021()
    lsoas = {}
    for estate in estates.order_by("code"):
        msoa = ESTATE_PROFILES[estate.code][0]
        names = [f"{partnership.area_name} {msoa:03d}{letter}" for letter, _ in LSOA_SHARES]
        lsoas[estate] = [
            Geography.objects.update_or_create(
                partnership=partnership,
                level=Geography.Level.LSOA,
                code=codes[STAND_INS.get(name, name)],
                defaults={
                    "name": name,
                    "parent": estate,
                    "population": estate.population * share // 100,
                },
            )[0]
            for name, (_, share) in zip(names, LSOA_SHARES, strict=True)
        ]
    return lsoas


def demo_police_uk_load(partnership: Partnership) -> None:
    """Replace the demo police.uk batch and select two of its indicators in chapters."""
    _remove_earlier_demo_generator(partnership)
    batch = fresh_demo_batch(partnership, BATCH_KEY, "demo/indicator_data.py")
    indicators = police_uk_indicators(partnership)
    observations = []
    demo = demo_lsoas(partnership)
    _remove_invented_lsoas(partnership, demo)
    for estate, lsoas in demo.items():
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


def _remove_invented_lsoas(partnership: Partnership, demo: dict) -> None:
    """A database loaded before the demo LSOAs took real codes still holds them under the codes
    made up for them (E01016000 + middle layer × 3 + 0, 1 or 2): their counts went with the
    batch just replaced, and the LSOAs go too, so no estate has six."""
    invented = {
        f"E01016{msoa * 3 + index:03d}"
        for msoa, _, _ in ESTATE_PROFILES.values()
        for index in range(len(LSOA_SHARES))
    }
    real = {lsoa.code for lsoas in demo.values() for lsoa in lsoas}
    Geography.objects.filter(
        partnership=partnership, level=Geography.Level.LSOA, code__in=invented - real
    ).delete()


def demo_chapter_maps_load(assessment: Assessment) -> None:
    """The hotspot maps of DEMO_MAPS' chapters, over 2016/17; any other chapter has none."""
    current = Period.financial_year(LAST_YEAR)
    ChapterMap.objects.filter(chapter__assessment=assessment).exclude(
        chapter__slug__in=DEMO_MAPS
    ).delete()
    for chapter in assessment.chapters.filter(slug__in=DEMO_MAPS):
        ChapterMap.objects.update_or_create(
            chapter=chapter,
            defaults={
                "crime_types": list(DEMO_MAPS[chapter.slug]),
                "first_month": current.start,
                "last_month": current.months()[-1].start,
            },
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
            "caveat": STREET_LEVEL_CAVEAT,
        },
    )
