"""The board's decision (recorded in admin) and the statutory checklist: what the assessment
page, the public report and next year's assessment make of them."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.core.models import Recommendation, User
from assessments.publication.models import BoardDecision
from assessments.publication.services.rollover import assessment_start_next
from tests.factories import set_status

pytestmark = pytest.mark.django_db


def _record_decision(client, demo, outcomes):
    """The analyst records the meeting through admin's add form, outcomes inline."""
    client.force_login(User.objects.get(username="analyst"))
    data = {
        "assessment": demo.pk,
        "met_on": "2017-10-12",
        "priorities": "Reducing violent incidents\nTackling county lines",
        "notes": "The board thanked the analyst.",
        "outcomes-TOTAL_FORMS": len(outcomes),
        "outcomes-INITIAL_FORMS": 0,
        "outcomes-MIN_NUM_FORMS": 0,
        "outcomes-MAX_NUM_FORMS": 1000,
    }
    for n, (recommendation, outcome) in enumerate(outcomes):
        data |= {
            f"outcomes-{n}-recommendation": recommendation.pk,
            f"outcomes-{n}-outcome": outcome,
            f"outcomes-{n}-notes": f"Note {n}",
        }
    return client.post(reverse("admin:assessments_boarddecision_add"), data)


@pytest.fixture
def decided(client, demo):
    violence = demo.chapters.get(slug="violence").recommendations.order_by("order")
    adopted, rejected, noted = violence
    response = _record_decision(
        client, demo, [(adopted, "adopted"), (rejected, "rejected"), (noted, "noted")]
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return demo, adopted, rejected, noted


def test_recording_the_decision_moves_the_recommendations_on(decided):
    demo, adopted, rejected, noted = decided
    statuses = dict(
        Recommendation.objects.filter(pk__in=[adopted.pk, rejected.pk, noted.pk]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {adopted.pk: "accepted", rejected.pk: "dropped", noted.pk: "proposed"}
    decision = BoardDecision.objects.get(assessment=demo)
    assert decision.met_on == dt.date(2017, 10, 12)
    assert decision.recorded_by.username == "analyst"


def test_the_public_report_shows_the_decision(client, decided):
    demo, adopted, rejected, _ = decided
    set_status(demo, "published")
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "The board's decision" in page and "12 October 2017" in page
    assert "Tackling county lines" in page
    assert "Adopted as a priority" in page and "Rejected" in page
    chapter = client.get(adopted.chapter.get_absolute_url()).content.decode()
    assert "Board: Adopted as a priority" in chapter
    # The statutory checklist is a working paper, not part of the public report.
    assert "Statutory checklist" not in page


def test_next_year_takes_the_agreed_priorities_and_leaves_the_rejected_behind(decided):
    demo, adopted, rejected, _ = decided
    new = assessment_start_next(source=demo).assessment
    assert list(new.purposes.filter(kind="priority").values_list("label", flat=True)) == [
        "Reducing violent incidents",
        "Tackling county lines",
    ]
    carried = set(
        Recommendation.objects.filter(chapter__assessment=new).values_list("text", flat=True)
    )
    assert adopted.text in carried
    assert rejected.text not in carried


def test_an_outcome_must_be_on_this_assessments_recommendation(client, demo):
    from ..factories import AssessmentFactory, ChapterFactory, RecommendationFactory

    other = RecommendationFactory(
        chapter=ChapterFactory(
            assessment=AssessmentFactory(partnership=demo.partnership, year=2016)
        )
    )
    response = _record_decision(client, demo, [(other, "adopted")])
    assert response.status_code == 200
    assert "Choose a recommendation of this assessment." in response.content.decode()
    assert not BoardDecision.objects.exists()


def test_the_checklist_shows_what_is_covered_and_what_is_not(client, demo):
    client.force_login(User.objects.get(username="police"))
    page = client.get(demo.get_absolute_url()).content.decode()
    checklist = page.split('id="statutory-checklist"')[1].split("</table>")[0]
    assert "Levels and patterns of crime, disorder and substance misuse" in checklist
    assert "Crime; Violence; Drugs and Alcohol" in checklist
    assert checklist.count("Not covered yet") == 2  # community views, the previous plan
