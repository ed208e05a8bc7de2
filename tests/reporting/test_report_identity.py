"""A PDF is reused while its content is the same: every input of what it prints must move its
identity. Comparators, a district's successor and population estimates print charts, rates and
notes, so changing any of them renders the report again."""

import datetime as dt

import pytest

from assessments.core.models import HorizonScanItem
from assessments.indicators.models import Geography, IndicatorSelection
from assessments.reporting.documents import report_identity

from ..factories import ChapterFactory, GeographyFactory, IndicatorFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection(partnership):
    chapter = ChapterFactory(assessment__partnership=partnership)
    return IndicatorSelection.objects.create(
        chapter=chapter,
        indicator=IndicatorFactory(partnership=partnership),
        current_period_start=dt.date(2016, 4, 1),
        comparison_period_start=dt.date(2015, 4, 1),
    )


def _identity(selection):
    return report_identity(
        assessment=selection.chapter.assessment, variant="public", appendices=[]
    ).content_hash


def test_choosing_a_comparator_mapping_a_district_or_a_population_changes_the_report(
    partnership, selection
):
    force = GeographyFactory(partnership=partnership, level=Geography.Level.FORCE)
    old, new = (
        GeographyFactory(partnership=partnership, level=Geography.Level.DISTRICT) for _ in "ab"
    )
    seen = [_identity(selection)]

    selection.comparators.add(force)
    seen.append(_identity(selection))

    old.successor = new
    old.save()
    seen.append(_identity(selection))

    IndicatorFactory(partnership=partnership, is_population=True)
    seen.append(_identity(selection))

    assert len(set(seen)) == len(seen), "each change must give the report a new identity"


def test_the_front_matter_and_recommendations_plans_change_the_report(partnership, selection):
    """Issue 32: everything the front matter prints moves the identity."""
    assessment = selection.chapter.assessment
    seen = {_identity(selection)}

    def changed():
        identity = _identity(selection)
        assert identity not in seen
        seen.add(identity)

    assessment.executive_summary = "What changed."
    assessment.save()
    changed()
    item = HorizonScanItem.objects.create(assessment=assessment, factor="legal", issue="A new law.")
    changed()
    item.main_risk = True
    item.save()
    changed()
    recommendation = RecommendationFactory(chapter=selection.chapter)
    changed()
    recommendation.due_by = dt.date(2018, 3, 31)
    recommendation.save()
    changed()
    recommendation.success_measure = "Fewer offences."
    recommendation.save()
    changed()
    IndicatorFactory(partnership=partnership, is_profile=True)
    changed()
