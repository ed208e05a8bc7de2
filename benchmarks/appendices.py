"""Restricted appendices: the roll-up of LSOA counts to estates at a whole district's scale,
the appendix page, and the assessment page's list of appendices for 2 and 200 appendices.

Runs inside a transaction that is rolled back: the development database is left as it was.
"""

import datetime as dt

from django.db import transaction
from django.test import Client

from assessments.appendices.models import Appendix
from assessments.appendices.permissions import grant_appendix
from assessments.core.models import User
from assessments.core.periods import Period, PeriodType
from assessments.demo.load import demo_load
from assessments.indicators.models import Geography, ImportBatch, Indicator, Observation
from assessments.indicators.selectors import indicator_totals_by_geography, partnership_area

from ._timing import timed

ESTATES, LSOAS_PER_ESTATE, CRIME_TYPES, MONTHS = 30, 5, 14, 24


class Rollback(Exception):
    pass


def report(line: str) -> None:
    print(line)  # noqa: T201  (a benchmark's output is its report)


def _district(assessment) -> list[Indicator]:
    """A district's scale: 150 LSOAs in 30 estates, 14 crime types, 24 months of counts."""
    partnership = assessment.partnership
    area = partnership_area(partnership.pk)
    batch = ImportBatch.objects.create(partnership=partnership, source="admin", key="bench")
    indicators = [
        Indicator.objects.create(partnership=partnership, code=f"bench-{i}", name=f"Type {i}",
                                 source="bench")
        for i in range(CRIME_TYPES)
    ]  # fmt: skip
    lsoas = []
    for e in range(ESTATES):
        estate = Geography.objects.create(partnership=partnership, level="estate",
                                          code=f"BENCH-{e}", name=f"Estate {e}", parent=area,
                                          population=5000)  # fmt: skip
        lsoas += Geography.objects.bulk_create(
            Geography(partnership=partnership, level="lsoa", code=f"E0199{e:02d}{n}",
                      name=f"Bench {e:03d}{n}", parent=estate, population=1500)
            for n in range(LSOAS_PER_ESTATE)
        )  # fmt: skip
    months = Period.financial_year(2015).months() + Period.financial_year(2016).months()
    Observation.objects.bulk_create(
        Observation(indicator=indicator, batch=batch, geography=lsoa, period_type=PeriodType.MONTH,
                    period_start=month.start, value=(i + j) % 7 + 1)
        for i, indicator in enumerate(indicators)
        for j, lsoa in enumerate(lsoas)
        for month in months
    )  # fmt: skip
    return indicators


def _many_appendices(assessment, how_many: int) -> None:
    police = User.objects.get(username="police")
    assessment.appendices.exclude(slug__in=["crime-category", "estate"]).delete()
    for n in range(how_many - 2):
        appendix = Appendix.objects.create(
            assessment=assessment, order=10 + n, slug=f"bench-{n}", title=f"Bench appendix {n}"
        )
        grant_appendix(appendix, organisation=police.organisation)
        grant_appendix(appendix, user=police)


def main() -> None:
    try:
        with transaction.atomic():
            _measure()
            raise Rollback
    except Rollback:
        pass


def _measure() -> None:
    assessment = demo_load(consultation_closes_on=dt.date.today() + dt.timedelta(days=14))
    indicators = _district(assessment)
    year = Period.financial_year(2016)
    rows = Observation.objects.filter(batch__key="bench").count()
    for level in ("estate", "area"):
        ms, queries = timed(
            lambda level=level: indicator_totals_by_geography(indicators, level, year),
            repeat=10,
        )
        report(
            f"indicator_totals_by_geography, {rows} LSOA observations to {level}: "
            f"{ms:.0f} ms, {queries} queries"
        )

    client = Client()
    client.force_login(User.objects.get(username="police"))
    estate_page = assessment.appendices.get(slug="estate").get_absolute_url()
    ms, queries = timed(lambda: client.get(estate_page), repeat=10)
    report(f"appendix page by estate (demo, police): {ms:.0f} ms, {queries} queries")
    for how_many in (2, 200):
        _many_appendices(assessment, how_many)
        ms, queries = timed(lambda: client.get(assessment.get_absolute_url()), repeat=10)
        report(
            f"assessment page with {how_many} appendices (police): {ms:.0f} ms, {queries} queries"
        )
