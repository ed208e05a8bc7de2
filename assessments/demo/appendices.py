"""Demo figures for the two restricted appendices. Idempotent: one batch, replaced on every run.

The appendix by crime category needs every Home Office offence category for the whole area:
the main demo has four of them, this adds the rest so that the categories add up to All Crime.
The appendix by estate shows a few of the police.uk crime types, whose LSOA counts
demo/indicator_data.py loads.
"""

from __future__ import annotations

from django.db import transaction

from assessments.appendices.models import Appendix
from assessments.core.models import Assessment
from assessments.core.periods import Period, PeriodType
from assessments.demo.batches import fresh_demo_batch
from assessments.demo.content import HOME_OFFICE
from assessments.demo.seasons import spread_over_months
from assessments.indicators.models import Geography, Indicator, Observation
from assessments.indicators.police_uk import ASB, month_observation, police_uk_indicators

BATCH_KEY = "demo-appendices"
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

# The police.uk crime types of the appendix by estate.
ESTATE_CRIME_TYPES = (
    ASB,
    "Violence and sexual offences",
    "Burglary",
    "Vehicle crime",
    "Drugs",
    "Shoplifting",
)


@transaction.atomic
def demo_appendices_load(assessment: Assessment) -> None:
    """Fill the demo's two appendices with tables: their indicators, periods and figures."""
    partnership = assessment.partnership
    batch = fresh_demo_batch(partnership, BATCH_KEY, "demo/appendices.py")
    area = Geography.objects.get(partnership=partnership, level=Geography.Level.AREA)
    observations = _category_observations(batch, area)
    Observation.objects.bulk_create(observations)
    batch.row_count = len(observations)
    batch.save(update_fields=["row_count"])

    categories = Indicator.objects.filter(
        partnership=partnership, code__in=[*OTHER_CATEGORIES, *MAIN_DEMO_CATEGORIES]
    )
    police_uk = police_uk_indicators(partnership)
    crime_types = [police_uk[crime_type] for crime_type in ESTATE_CRIME_TYPES]
    _configure(assessment, "crime-category", categories)
    _configure(assessment, "estate", crime_types)


def _indicator(partnership, code: str, name: str) -> Indicator:
    indicator, _ = Indicator.objects.update_or_create(
        partnership=partnership,
        code=code,
        defaults={"name": name, "unit": "offences", "source": HOME_OFFICE, "increase_is_bad": True},
    )
    return indicator


def _monthly(indicator, batch, place, year: int, total: int) -> list[Observation]:
    """Monthly observations of an annual count; months without any crime have no row, as in
    police.uk's files."""

    return [
        month_observation(indicator, place, batch, month, count)
        for month, count in spread_over_months(total, Period.financial_year(year))
        if count
    ]


def _category_observations(batch, area: Geography) -> list[Observation]:
    observations = []
    for code, (name, *counts) in OTHER_CATEGORIES.items():
        indicator = _indicator(batch.partnership, code, name)
        for year, count in zip(YEARS, counts, strict=True):
            observations += _monthly(indicator, batch, area, year, count)
    return observations


def _configure(assessment: Assessment, slug: str, indicators) -> None:
    appendix = Appendix.objects.get(assessment=assessment, slug=slug)
    appendix.indicators.set(indicators)
    appendix.period_type = PeriodType.FINANCIAL_YEAR
    appendix.current_period_start = Period.financial_year(YEARS[1]).start
    appendix.comparison_period_start = Period.financial_year(YEARS[0]).start
    appendix.save()
