"""Readiness checks: what is missing before the consultation opens or the chair approves, and
the analyst's recorded override."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.appendices.permissions import grant_appendix
from assessments.consultation import readiness
from assessments.consultation.models import ReadinessOverride, WorkflowEvent
from assessments.consultation.services import workflow
from assessments.core.models import Assessment, ChapterFigure
from assessments.indicators.models import ChapterMap, Headline, IndicatorSelection, LsoaBoundarySet

from ..factories import (
    AppendixFactory,
    AssessmentFactory,
    IndicatorFactory,
    ObservationFactory,
    make_ready,
)

pytestmark = pytest.mark.django_db

IN_A_WEEK = timezone.localdate() + dt.timedelta(days=7)


def edit_url(chapter):
    return reverse("chapter_edit", args=chapter.url_args)


@pytest.fixture
def draft(partnership):
    return AssessmentFactory(partnership=partnership, status=Assessment.Status.DRAFT)


@pytest.fixture
def ready(draft, analyst):
    """A draft that passes every check (tests/factories.py `make_ready`)."""
    return make_ready(draft, analyst)


def rules(assessment):
    return [failure.rule for failure in readiness.readiness_failures(assessment)]


def test_a_complete_assessment_is_ready(ready):
    assert rules(ready) == []


def test_a_chapter_without_narrative_fails(ready):
    ready.chapters.update(narrative="")
    assert "narrative" in rules(ready)


def test_a_chapter_without_recommendation_fails(ready):
    ready.chapters.get().recommendations.all().delete()
    assert rules(ready) == ["recommendations"]


def test_an_indicator_without_data_for_both_periods_fails(ready):
    IndicatorSelection.objects.update(comparison_period_start=dt.date(2014, 4, 1))
    Headline.objects.all().delete()
    assert rules(ready) == ["data"]
    IndicatorSelection.objects.update(comparison_period_start=None)  # marked as baseline
    assert rules(ready) == []


def test_a_figure_without_alt_text_or_not_uploaded_fails(ready):
    ChapterFigure.objects.update(alt_text="  ")  # empty is refused by the database
    ready.chapters.update(narrative="Text.\n\n[[figure:1]]\n\n[[figure:2]]")
    failures = readiness.readiness_failures(ready)
    assert [f.rule for f in failures] == ["alt_text", "alt_text"]
    assert "refers to figure 2, which has not been uploaded" in failures[1].message


def test_a_headline_that_disagrees_with_the_data_fails(ready):
    Headline.objects.update(text="Crime rose by 12%.")
    assert rules(ready) == ["headline"]


def test_an_appendix_without_grants_fails_until_granted(ready, analyst, police_org):
    appendix = AppendixFactory(assessment=ready, title="Estates")
    failures = readiness.readiness_failures(ready)
    assert [f.message for f in failures] == [
        "Nobody has been given access to the appendix “Estates”"
    ]
    grant_appendix(appendix, organisation=police_org)
    assert rules(ready) == []


def test_opening_is_refused_while_checks_fail_and_lists_them(analyst_client, ready):
    ready.chapters.update(narrative="")
    url = reverse("transition", args=[ready.partnership.slug, ready.year])
    page = analyst_client.get(url, {"action": "open"}).content.decode()
    assert "“Crime” has no narrative" in page
    assert edit_url(ready.chapters.get()) in page  # the link to fix it
    response = analyst_client.post(url, {"action": "open", "closes_on": IN_A_WEEK})
    assert "The assessment is not ready: 1 check fails" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == "draft"


def test_an_override_is_recorded_with_who_when_and_why(analyst_client, analyst, chair, ready):
    ready.chapters.update(narrative="")
    url = reverse("transition", args=[ready.partnership.slug, ready.year])
    reason = "The board meets on Monday; the narrative follows in consultation."
    response = analyst_client.post(
        url, {"action": "open", "closes_on": IN_A_WEEK, "override_reason": reason}
    )
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.status == "consultation"
    override = ReadinessOverride.objects.get()
    assert (override.by, override.reason, override.event.action) == (analyst, reason, "open")
    assert abs(override.at - timezone.now()) < dt.timedelta(minutes=1)
    assert override.failures == [{"rule": "narrative", "message": "“Crime” has no narrative"}]
    page = analyst_client.get(ready.get_absolute_url()).content.decode()
    assert f"Readiness checks overridden: {reason}" in page
    # Approval is checked again, for the chair.
    with pytest.raises(workflow.WorkflowError):
        workflow.assessment_transition(assessment=ready, action="approve", by=chair)
    assert WorkflowEvent.objects.filter(action="approve").count() == 0


def messages_of(assessment):
    return [failure.message for failure in readiness.readiness_failures(assessment)]


def test_the_data_check_names_the_period_without_data(ready):
    """Issue 33: "no data for both periods" was said when only one period lacked data."""
    Headline.objects.all().delete()
    IndicatorSelection.objects.update(comparison_period_start=dt.date(2014, 4, 1))
    assert messages_of(ready) == ["All crime in “Crime” has no data for 2014/15"]
    IndicatorSelection.objects.update(
        comparison_period_start=dt.date(2016, 4, 1), current_period_start=dt.date(2017, 4, 1)
    )
    assert messages_of(ready) == ["All crime in “Crime” has no data for 2017/18"]
    IndicatorSelection.objects.update(
        comparison_period_start=dt.date(2013, 4, 1), current_period_start=dt.date(2014, 4, 1)
    )
    assert messages_of(ready) == [
        "All crime in “Crime” has no data for either period (2013/14 or 2014/15)"
    ]


def test_figures_without_a_comparable_change_and_undefined_abbreviations_are_listed_not_blocking(
    analyst_client, ready
):
    """A year of months lacking January to March against a whole year, and "MARAC" used but
    not defined: both are listed on the step's page, and neither stops it."""
    from assessments.core.models import GlossaryTerm

    chapter = ready.chapters.get()
    chapter.narrative += "\n\nReferrals to MARAC and the PCC's YOT rose; the UK's did too."
    chapter.save(update_fields=["narrative"])
    GlossaryTerm.objects.create(partnership=ready.partnership, term="PCC", definition="The PCC.")
    selection = chapter.selections.get()
    area = selection.indicator.observations.first().geography
    weapons = IndicatorFactory(partnership=ready.partnership, name="Possession of weapons")
    for year in (2015, 2016):
        for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3):
            if year == 2015 and month in (1, 2, 3):
                continue
            ObservationFactory(
                indicator=weapons,
                geography=area,
                period_type="m",
                period_start=dt.date(year + (month < 4), month, 1),
                value=4,
            )
    IndicatorSelection.objects.create(
        chapter=chapter,
        indicator=weapons,
        order=2,
        period_type="fy",
        current_period_start=dt.date(2016, 4, 1),
        comparison_period_start=dt.date(2015, 4, 1),
    )
    notices = [notice.message for notice in readiness.readiness_notices(ready)]
    assert notices == [
        "Possession of weapons in “Crime” shows no change, not comparable: 2015/16 lacks "
        "January to March",
        "“MARAC” is used in the narratives but the glossary does not define it",
        "“YOT” is used in the narratives but the glossary does not define it",
    ]
    assert rules(ready) == []  # nothing blocks
    url = reverse("transition", args=[ready.partnership.slug, ready.year])
    page = analyst_client.get(url, {"action": "open"}).content.decode()
    assert "3 things to check (these do not stop this step)" in page
    assert "“MARAC” is used in the narratives" in page
    analyst_client.post(url, {"action": "open", "closes_on": IN_A_WEEK})
    ready.refresh_from_db()
    assert ready.status == "consultation"


def test_a_chapter_whose_map_cannot_be_drawn_is_a_notice_until_boundaries_are_loaded(ready):
    chapter = ready.chapters.get()
    ChapterMap.objects.create(
        chapter=chapter, crime_types=["Burglary"],
        first_month=dt.date(2016, 4, 1), last_month=dt.date(2017, 3, 1),
    )  # fmt: skip
    notices = [n for n in readiness.readiness_notices(ready) if n.rule == "map"]
    assert [n.message for n in notices] == [
        "“Crime” has a hotspot map, but no LSOA boundaries are loaded: the chapter draws no map "
        "until they are."
    ]
    assert notices[0].fix_url == reverse("admin:assessments_lsoaboundaryset_add")
    LsoaBoundarySet.objects.create(partnership=ready.partnership, vintage=2021, name="LSOAs")
    assert not [n for n in readiness.readiness_notices(ready) if n.rule == "map"]
    assert rules(ready) == []  # a notice: it stops nothing
