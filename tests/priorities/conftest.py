import datetime as dt

import pytest

from assessments.indicators.models import Geography, IndicatorSelection
from assessments.priorities.services.criteria import criteria_defaults_create

from ..factories import ChapterFactory, GeographyFactory, IndicatorFactory, ObservationFactory

THIS_YEAR, LAST_YEAR = dt.date(2016, 4, 1), dt.date(2015, 4, 1)


def chapter_with_figures(assessment, area, title, current, previous):
    """A chapter whose lead figure is a count of `current` in 2016/17 against `previous`."""
    chapter = ChapterFactory(assessment=assessment, title=title)
    indicator = IndicatorFactory(partnership=assessment.partnership, name=f"{title} offences")
    for start, value in ((THIS_YEAR, current), (LAST_YEAR, previous)):
        ObservationFactory(
            indicator=indicator, geography=area, period_type="fy", period_start=start, value=value
        )
    IndicatorSelection.objects.create(
        chapter=chapter,
        indicator=indicator,
        period_type="fy",
        current_period_start=THIS_YEAR,
        comparison_period_start=LAST_YEAR,
    )
    return chapter


@pytest.fixture
def area(partnership):
    return GeographyFactory(partnership=partnership, level=Geography.Level.AREA, name="Testville")


@pytest.fixture
def matrix_world(assessment, area, police_partner, fire_partner):
    """Two themes with figures and the default criteria, in consultation."""
    violence = chapter_with_figures(assessment, area, "Violence", current=1200, previous=1000)
    burglary = chapter_with_figures(assessment, area, "Burglary", current=50, previous=100)
    criteria = {c.name: c for c in criteria_defaults_create(assessment=assessment)}
    return {"assessment": assessment, "violence": violence, "burglary": burglary, **criteria}
