"""Indicator data's constraints, in the database."""

import datetime as dt

import pytest

from assessments.core.periods import PeriodType
from assessments.indicators.models import ImportBatch, Indicator, Observation

from ..core.test_models import assert_refused
from ..factories import GeographyFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def test_rates_never_aggregate_by_summing(partnership):
    assert_refused(
        make=lambda: IndicatorFactory(
            partnership=partnership, measure="rate", aggregation=Indicator.Aggregation.SUM
        )
    )


def test_one_value_per_indicator_place_and_period(partnership):
    indicator = IndicatorFactory(partnership=partnership)
    area = GeographyFactory(partnership=partnership)
    batch = ImportBatch.objects.create(partnership=partnership, source="admin", key="k")
    values = {
        "indicator": indicator,
        "geography": area,
        "batch": batch,
        "period_type": PeriodType.MONTH,
        "period_start": dt.date(2016, 4, 1),
    }
    Observation.objects.create(**values, value=3)
    assert_refused(make=lambda: Observation.objects.create(**values, value=4))
