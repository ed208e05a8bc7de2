"""The board chooses its priorities from the ranking (or says why not), and next year's
assessment shows them with how their figures moved."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.core.models import User
from assessments.publication.models import BoardDecision
from assessments.publication.services.rollover import assessment_start_next

pytestmark = pytest.mark.django_db


def _decide(demo, theme_slugs, departure=""):
    client = Client()
    client.force_login(User.objects.get(username="analyst"))
    themes = [demo.chapters.get(slug=slug).theme_id for slug in theme_slugs]
    data = {
        "assessment": demo.pk,
        "met_on": "2017-10-12",
        "agreed_themes": themes,
        "ranking_departure": departure,
        "priorities": "",
        "notes": "",
        "outcomes-TOTAL_FORMS": 0,
        "outcomes-INITIAL_FORMS": 0,
        "outcomes-MIN_NUM_FORMS": 0,
        "outcomes-MAX_NUM_FORMS": 1000,
    }
    return client.post(reverse("admin:assessments_boarddecision_add"), data)


def test_the_top_of_the_ranking_needs_no_reason_and_becomes_the_priorities(demo):
    response = _decide(demo, ["violence", "crime", "domestic-abuse"])
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = BoardDecision.objects.get(assessment=demo)
    assert decision.priority_list == ["Crime", "Domestic Abuse", "Violence"]


def test_choosing_past_a_higher_ranked_theme_needs_the_boards_reason(demo):
    # Drugs and Alcohol ranks fourth, after Domestic Abuse.
    response = _decide(demo, ["violence", "crime", "drugs-and-alcohol"])
    assert response.status_code == 200
    assert "These are not the top of the ranking" in response.content.decode()
    assert not BoardDecision.objects.exists()
    reason = "Substance misuse drives violence; domestic abuse has its own board."
    assert _decide(demo, ["violence", "crime", "drugs-and-alcohol"], reason).status_code == 302
    assert BoardDecision.objects.get().ranking_departure == reason


def test_next_year_shows_last_years_priorities_and_how_they_moved(demo):
    assert _decide(demo, ["violence", "crime", "domestic-abuse"]).status_code == 302
    next_year = assessment_start_next(source=demo).assessment
    client = Client()
    client.force_login(User.objects.get(username="analyst"))
    section = _priorities_section(client, next_year)
    for theme in ("Violence", "Crime", "Domestic Abuse"):
        assert f" {theme} Indicator Previous Latest Change " in section
    # The 2018 chapters' figures are 2017/18 against 2016/17: the demo has no 2017/18 yet.
    assert "All Crime 22,480 2016/17 no data 2017/18 No comparison" in section


def _priorities_section(client, assessment) -> str:
    """The words of the assessment page's "last year's agreed priorities" section."""
    page = client.get(assessment.get_absolute_url()).content.decode()
    section = page[page.index('id="last-year-priorities"') :].split("</section>")[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_the_movement_is_this_years_lead_figure_against_last_years(matrix_world, analyst):
    import datetime as dt

    from ..factories import AssessmentFactory

    assessment = matrix_world["assessment"]
    last_year = AssessmentFactory(partnership=assessment.partnership, year=assessment.year - 1)
    decision = BoardDecision.objects.create(assessment=last_year, met_on=dt.date(2016, 10, 1))
    decision.agreed_themes.set([matrix_world["violence"].theme])
    client = Client()
    client.force_login(analyst)
    section = _priorities_section(client, assessment)
    assert "Violence offences" in section and "2015/16" in section and "+20.0%" in section
    assert "Burglary" not in section


def test_a_theme_of_another_partnership_cannot_be_agreed(demo):
    from assessments.core.models import Theme
    from assessments.publication.admin import BoardDecisionForm

    from ..factories import PartnershipFactory

    foreign = Theme.objects.create(partnership=PartnershipFactory(), slug="theirs", name="Theirs")
    own = demo.chapters.get(slug="violence").theme
    form = BoardDecisionForm(
        data={
            "assessment": demo.pk,
            "met_on": "2017-10-12",
            "agreed_themes": [own.pk, foreign.pk],
            "ranking_departure": "Our reasons.",
        }
    )
    assert not form.is_valid()
    assert "agreed_themes" in form.errors
