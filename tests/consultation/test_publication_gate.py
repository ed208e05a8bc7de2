"""The publication gate (issue 30): what the board approves is the partnership's document of
record, so approving and publishing refuse, listing what fails, and no reason skips them.
Opening the consultation may still go ahead with a recorded reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.consultation import readiness
from assessments.consultation.models import ChaseReminder, WorkflowEvent
from assessments.consultation.services import workflow
from assessments.consultation.services.chasing import chase_reminder_send
from assessments.core.models import Assessment, User
from assessments.data_returns.services import send_data_return_reminders
from assessments.publication.models import StatutoryCoverage, StatutoryRequirement
from assessments.publication.services.rollover import assessment_start_next
from tests.factories import set_status

from ..factories import ChapterFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

IN_A_WEEK = timezone.localdate() + dt.timedelta(days=7)
SKIP = "The board meets tomorrow; the figures will follow"


def rules(assessment) -> set[str]:
    return {failure.rule for failure in readiness.publication_gate_failures(assessment)}


def messages(assessment) -> list[str]:
    return [failure.message for failure in readiness.publication_gate_failures(assessment)]


@pytest.fixture
def demo_2017(demo):
    """The demo's 2017 assessment, in consultation, with the two statutory requirements it
    leaves to cover mapped to a chapter, as the analyst would before the board meets."""
    assessment = Assessment.objects.get(partnership__slug="safermk", year=2017)
    crime = assessment.chapters.get(slug="crime")
    for requirement in (StatutoryRequirement.COMMUNITY, StatutoryRequirement.PROGRESS):
        StatutoryCoverage.objects.create(assessment=assessment, requirement=requirement)
        assessment.statutory_coverage.get(requirement=requirement).chapters.add(crime)
    return assessment


def test_the_demo_passes_the_gate_once_its_checklist_is_covered(demo_2017):
    assert messages(demo_2017) == []
    StatutoryCoverage.objects.filter(requirement=StatutoryRequirement.COMMUNITY).delete()
    assert messages(demo_2017) == [
        "The statutory checklist does not cover “The views of the community”"
    ]


def test_an_empty_rolled_over_year_is_neither_approved_nor_published(demo_2017):
    analyst, chair = User.objects.get(username="analyst"), User.objects.get(username="chair")
    empty = assessment_start_next(source=demo_2017).assessment
    workflow.assessment_transition(
        assessment=empty, action="open", by=analyst, closes_on=IN_A_WEEK, override_reason=SKIP
    )  # a consultation may start on a draft

    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.assessment_transition(
            assessment=empty, action="approve", by=chair, override_reason=SKIP
        )
    assert refused.value.code == "gate"
    listed = " ".join(refused.value.messages)
    for missing in (
        "The introduction is last year's, word for word",
        "No headline is on the cover",
        "still has last year's narrative, word for word",
        "has no data",
    ):
        assert missing in listed

    # An assessment approved before the gate existed is still checked when it is published.
    set_status(empty, Assessment.Status.APPROVED)
    with pytest.raises(workflow.WorkflowError):
        workflow.assessment_transition(
            assessment=empty, action="publish", by=analyst, override_reason=SKIP
        )
    empty.refresh_from_db()
    assert empty.status == Assessment.Status.APPROVED
    assert not empty.workflow_events.filter(action__in=["approve", "publish"]).exists()


def test_the_chair_sees_the_list_and_no_way_round_it(demo_2017, client):
    chair = User.objects.get(username="chair")
    Assessment.objects.filter(pk=demo_2017.pk).update(introduction="")
    client.force_login(chair)
    url = reverse("transition", args=[demo_2017.partnership.slug, demo_2017.year])

    page = client.get(url, {"action": "approve"}).content.decode()
    assert "The introduction has not been written" in page
    assert "no reason can skip them" in page
    assert "Reason for going ahead anyway" not in page
    assert ">Approve the assessment</button>" not in page
    assert "/admin/" not in page  # the chair is not staff: no link they could not open

    response = client.post(
        url, {"action": "approve", "override_reason": SKIP, "before_closing": "on"}
    )
    assert response.status_code == 200
    assert "The assessment cannot be approved" in response.content.decode()
    demo_2017.refresh_from_db()
    assert demo_2017.status == Assessment.Status.CONSULTATION
    assert not WorkflowEvent.objects.filter(assessment=demo_2017, action="approve").exists()


def test_each_rule_of_the_gate(demo_2017):
    Assessment.objects.filter(pk=demo_2017.pk).update(introduction=" ")
    demo_2017.refresh_from_db()
    assert rules(demo_2017) == {"introduction"}

    demo_2017.introduction = "This year's assessment."
    demo_2017.save()
    demo_2017.headlines.update(on_cover=False)
    assert rules(demo_2017) == {"headline"}

    demo_2017.headlines.update(on_cover=True)
    assert rules(demo_2017) == set()


def test_a_chapter_without_figures_stops_the_gate(demo_2017):
    ChapterFactory(
        assessment=demo_2017, order=99, slug="knife-crime", title="Knife crime", narrative="Text"
    )
    assert "“Knife crime” has no figures" in messages(demo_2017)


def test_last_years_words_pass_once_rewritten_or_marked_reviewed(demo_2017):
    draft = assessment_start_next(source=demo_2017).assessment
    chapter = draft.chapters.order_by("order").first()
    carried = [m for m in messages(draft) if "word for word" in m]
    assert f"“{chapter.title}” still has last year's narrative, word for word" in carried
    assert "The cover paper's background is last year's, word for word" in carried

    chapter.narrative_reviewed = True
    chapter.save()
    draft.background += "\n\nThe partnership's plan was renewed in 2018."
    draft.save()
    carried = [m for m in messages(draft) if "word for word" in m]
    assert f"“{chapter.title}” still has last year's narrative, word for word" not in carried
    assert "The cover paper's background is last year's, word for word" not in carried


def test_the_rolled_over_introduction_and_checklist_mapping_wait_for_review(demo_2017):
    """Issue 32: the roll-over copies the introduction and the checklist's mapping, marked to
    review; the board approves neither until the analyst has rewritten or reviewed them."""
    draft = assessment_start_next(source=demo_2017).assessment
    assert draft.introduction == demo_2017.introduction and not draft.introduction_reviewed
    levels = draft.statutory_coverage.get(requirement=StatutoryRequirement.LEVELS)
    assert not levels.reviewed
    assert sorted(levels.chapters.values_list("slug", flat=True)) == [
        "crime", "drugs-and-alcohol", "violence",
    ]  # fmt: skip
    assert {c.assessment_id for c in levels.chapters.all()} == {draft.pk}
    listed = messages(draft)
    assert "The introduction is last year's, word for word" in listed
    assert (
        "The statutory checklist's mapping of “Levels and patterns of crime, disorder and "
        "substance misuse” is last year's, not reviewed since the roll-over"
    ) in listed

    draft.introduction_reviewed = True
    draft.save()
    draft.statutory_coverage.update(reviewed=True)
    listed = messages(draft)
    assert not [m for m in listed if "introduction" in m or "mapping" in m]


# After publication the assessment asks nothing more of partners.


def test_data_return_reminders_stop_once_published(demo_2017, settings):
    today = timezone.localdate()
    owed = demo_2017.data_requests.filter(sent_at__isnull=False)
    owed.update(due_on=today - dt.timedelta(days=settings.DATA_RETURN_REMIND_DAYS_AFTER))
    owed.first().returns.all().delete()  # one organisation still owes its return
    assert send_data_return_reminders(today=today) > 0  # while in consultation
    mail.outbox.clear()
    owed.first().reminders.all().delete()

    set_status(demo_2017, Assessment.Status.PUBLISHED)
    assert send_data_return_reminders(today=today) == 0
    set_status(demo_2017, Assessment.Status.CORRECTION)  # a correction asks for nothing either
    assert send_data_return_reminders(today=today) == 0
    assert mail.outbox == []


def test_a_chase_delivered_after_the_consultation_closed_sends_nothing(demo_2017):
    police = OrganisationFactory()
    reminder = ChaseReminder.objects.create(
        assessment=demo_2017, organisation=police, sent_on=timezone.localdate()
    )
    set_status(demo_2017, Assessment.Status.APPROVED)

    assert chase_reminder_send(reminder_id=reminder.pk) == 0
    assert mail.outbox == []


def test_the_chair_is_shown_what_fails_with_links_they_can_open(demo, client):
    """Issue 33: the approve page links the chair to the chapter or the dashboard, never into
    the admin, and names the analyst to ask."""
    import re  # noqa: PLC0415

    chair = User.objects.get(username="chair")
    demo.chapters.filter(slug="crime").update(narrative="")  # a chapter without narrative
    client.force_login(chair)
    page = client.get(reverse("transition", args=["safermk", 2017]), {"action": "approve"})
    html = page.content.decode()
    failures = html[html.index('id="readiness-failures"') :]
    failures = failures[: failures.index("</ul>")]
    links = re.findall(r'href="([^"]+)"', failures)
    assert links and not [link for link in links if "/admin/" in link]
    assert "/assessments/safermk/2017/crime/" in links
    for link in set(links):
        assert client.get(link).status_code == 200, link
    assert "The analyst fixes these: contact" in html and "Alex Morgan" in html
