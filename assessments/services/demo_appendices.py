"""Demo figures for the two restricted appendices. Idempotent: one batch, replaced on every run.

The appendix by crime category needs every Home Office offence category for the whole area:
the main demo has four of them, this adds the rest so that the categories add up to All Crime.
The appendix by estate needs LSOA counts: this adds three LSOAs to each demo estate (the best-fit
lookup is Geography.parent) and police.uk-style monthly counts for a few crime types, under
their own indicator codes ("policeuk-…") so that nothing adds up twice with the area figures
the headlines use.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from ..models import Appendix, Assessment, Geography, ImportBatch, Indicator, Observation
from ..periods import Period, PeriodType

BATCH_KEY = "demo-appendices"
HOME_OFFICE = "Home Office, police recorded crime"
POLICE_UK = "police.uk street-level crime"
YEARS = (2015, 2016)  # financial years 2015/16 and 2016/17

# Categories of recorded crime not in the main demo: 2015/16 and 2016/17 counts. With Violence
# against the Person, Sexual Offences, Robbery and Drug Offences they add up to All Crime.
OTHER_CATEGORIES = {
    "theft-offences": ("Theft Offences", 6210, 6050),
    "domestic-burglary": ("Domestic Burglary", 1230, 1250),
    "non-domestic-burglary": ("Non-domestic Burglary", 1060, 1060),
    "criminal-damage-and-arson": ("Criminal Damage and Arson", 2480, 2540),
    "vehicle-offences": ("Vehicle Offences", 1580, 1620),
    "public-order-offences": ("Public Order Offences", 770, 1020),
    "possession-of-weapons": ("Possession of Weapons Offences", 118, 142),
    "miscellaneous-crimes": ("Miscellaneous Crimes against Society", 130, 158),
}
MAIN_DEMO_CATEGORIES = [
    "violence-against-the-person",
    "sexual-offences",
    "robbery",
    "drug-offences",
]

# police.uk crime types: (name, unit, rate per 1,000 residents in 2016/17, 2015/16 ÷ 2016/17).
CRIME_TYPES = {
    "policeuk-anti-social-behaviour": ("Anti-social behaviour", "incidents", 36, "1.04"),
    "policeuk-violence-and-sexual-offences": ("Violence and sexual offences", "crimes", 28, "0.88"),
    "policeuk-burglary": ("Burglary", "crimes", 9, "0.99"),
    "policeuk-vehicle-crime": ("Vehicle crime", "crimes", 7, "0.97"),
    "policeuk-drugs": ("Drugs", "crimes", "3.6", "1.07"),
    "policeuk-shoplifting": ("Shoplifting", "crimes", "6.5", "0.95"),
}

# Each estate: its middle-layer number for LSOA names, how far above or below the typical rate
# it is for each crime type (in the order of CRIME_TYPES), and its own trend (2015/16 counts
# are this much of what the crime type's trend alone gives). Fishermead, Netherfield and
# Conniburrow have the highest anti-social behaviour rates; Central Milton Keynes the most
# violence and shoplifting (the night-time economy and the shopping centre).
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
LSOA_SHARES = (("A", 45, 1_620), ("B", 33, 1_540), ("C", 22, 1_480))  # letter, %, residents


@transaction.atomic
def demo_appendices_load(assessment: Assessment) -> None:
    """Fill the demo's two appendices with tables: their indicators, periods and figures."""
    partnership = assessment.partnership
    ImportBatch.objects.filter(partnership=partnership, key=BATCH_KEY).delete()
    batch = ImportBatch.objects.create(
        partnership=partnership,
        source=ImportBatch.Source.DEMO,
        key=BATCH_KEY,
        file_name="services/demo_appendices.py",
    )
    area = Geography.objects.get(partnership=partnership, level=Geography.Level.AREA)
    observations = _category_observations(batch, area)
    lsoas = _load_lsoas(partnership)
    observations += _crime_type_observations(batch, lsoas)
    Observation.objects.bulk_create(observations)
    batch.row_count = len(observations)
    batch.save(update_fields=["row_count"])

    categories = Indicator.objects.filter(
        partnership=partnership, code__in=[*OTHER_CATEGORIES, *MAIN_DEMO_CATEGORIES]
    )
    crime_types = Indicator.objects.filter(partnership=partnership, code__in=CRIME_TYPES)
    _configure(assessment, "crime-category", categories)
    _configure(assessment, "estate", crime_types)


def _indicator(partnership, code: str, name: str, unit: str, source: str) -> Indicator:
    indicator, _ = Indicator.objects.update_or_create(
        partnership=partnership,
        code=code,
        defaults={"name": name, "unit": unit, "source": source, "increase_is_bad": True},
    )
    return indicator


def _monthly(indicator, batch, place, year: int, total: int) -> list[Observation]:
    """Monthly observations of an annual count; months without any crime have no row, as in
    police.uk's files."""
    # demo.py calls this module, so its helper is imported here rather than at the top.
    from .demo import spread_over_months

    return [
        Observation(
            indicator=indicator,
            batch=batch,
            geography=place,
            period_type=PeriodType.MONTH,
            period_start=month,
            value=count,
        )
        for month, count in spread_over_months(total, Period.financial_year(year))
        if count
    ]


def _category_observations(batch, area: Geography) -> list[Observation]:
    observations = []
    for code, (name, *counts) in OTHER_CATEGORIES.items():
        indicator = _indicator(batch.partnership, code, name, "offences", HOME_OFFICE)
        for year, count in zip(YEARS, counts, strict=True):
            observations += _monthly(indicator, batch, area, year, count)
    return observations


def _load_lsoas(partnership) -> dict[Geography, list[Geography]]:
    """Three LSOAs for each demo estate, named as the ONS names them ("Milton Keynes 019A")."""
    estates = Geography.objects.filter(
        partnership=partnership, level=Geography.Level.ESTATE, code__in=ESTATE_PROFILES
    )
    lsoas = {}
    for estate in estates:
        msoa = ESTATE_PROFILES[estate.code][0]
        lsoas[estate] = []
        for index, (letter, _, residents) in enumerate(LSOA_SHARES):
            lsoa, _ = Geography.objects.update_or_create(
                partnership=partnership,
                level=Geography.Level.LSOA,
                code=f"E01016{msoa * 3 + index:03d}",
                defaults={
                    "name": f"{partnership.area_name} {msoa:03d}{letter}",
                    "parent": estate,
                    "population": residents,
                },
            )
            lsoas[estate].append(lsoa)
    return lsoas


def _crime_type_observations(batch, lsoas: dict[Geography, list[Geography]]) -> list[Observation]:
    observations = []
    for position, (code, (name, unit, rate, earlier)) in enumerate(CRIME_TYPES.items()):
        indicator = _indicator(batch.partnership, code, name, unit, POLICE_UK)
        for estate, places in lsoas.items():
            _, factors, trend = ESTATE_PROFILES[estate.code]
            latest = Decimal(rate) * Decimal(factors[position]) * estate.population / 1000
            annual = {YEARS[1]: latest, YEARS[0]: latest * Decimal(earlier) * Decimal(trend)}
            for year, total in annual.items():
                for place, (_, share, _) in zip(places, LSOA_SHARES, strict=True):
                    count = int(total * share / 100)
                    observations += _monthly(indicator, batch, place, year, count)
    return observations


def _configure(assessment: Assessment, slug: str, indicators) -> None:
    appendix = Appendix.objects.get(assessment=assessment, slug=slug)
    appendix.indicators.set(indicators)
    appendix.period_type = PeriodType.FINANCIAL_YEAR
    appendix.current_period_start = Period.financial_year(YEARS[1]).start
    appendix.comparison_period_start = Period.financial_year(YEARS[0]).start
    appendix.save()
