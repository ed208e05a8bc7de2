"""The data request most data return tests work on."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments.data_returns.models import DataRequest

from ..factories import GeographyFactory, IndicatorFactory


@pytest.fixture
def area(partnership):
    return GeographyFactory(partnership=partnership, code="E06000099", name="Testville")


@pytest.fixture
def fire_request(assessment, fire_org, fire_partner, area):
    """Fire incidents and false alarms, January to March 2016: six rows."""
    request = DataRequest.objects.create(
        assessment=assessment,
        organisation=fire_org,
        title="Fire incidents by type, by month",
        period_type="m",
        first_period_start=dt.date(2016, 1, 1),
        last_period_start=dt.date(2016, 3, 1),
        geography_level="area",
        guidance="Count incidents by the month of the call.",
        due_on=timezone.localdate() + dt.timedelta(days=10),
        sent_at=timezone.now(),
    )
    request.indicators.set(
        [
            IndicatorFactory(partnership=assessment.partnership, code="fires", name="Fires"),
            IndicatorFactory(
                partnership=assessment.partnership, code="false-alarms", name="False alarms"
            ),
        ]
    )
    return request
