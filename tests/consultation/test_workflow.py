"""The assessment's workflow: every step allowed for one role and refused for every other, in
the service and through the site; each step recorded and shown; the automatic close."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from assessments.consultation.models import WorkflowEvent
from assessments.consultation.permissions import can_comment_on_assessment
from assessments.consultation.services import workflow
from assessments.core.models import Assessment
from assessments.core.permissions import can_edit_assessment

from ..factories import AssessmentFactory, ChapterFactory, make_ready

pytestmark = pytest.mark.django_db

IN_A_WEEK = timezone.localdate() + dt.timedelta(days=7)
IN_TWO_WEEKS = IN_A_WEEK + dt.timedelta(days=7)
BACK = {"reason": "Police asked for more time", "closes_on": IN_A_WEEK}
# action: (starting status, the only role allowed, resulting status, form fields)
STEPS = {
    "open": ("draft", "analyst", "consultation", {"closes_on": IN_A_WEEK}),
    "extend": ("consultation", "analyst", "consultation", {"closes_on": IN_TWO_WEEKS}),
    "close": ("consultation", "analyst", "consultation", {}),
    "approve": ("consultation", "chair", "approved", {}),
    "publish": ("approved", "analyst", "published", {}),
    "back_to_draft": ("consultation", "analyst", "draft", {"reason": "Figures were wrong"}),
    "back_to_consultation": ("approved", "analyst", "consultation", BACK),
}  # fmt: skip
ROLES = ["analyst", "chair", "board", "partner", "outsider"]


def assessment_at(partnership, status):
    """An assessment at `status` that passes the publication gate."""
    return make_ready(AssessmentFactory(partnership=partnership, status=status))


@pytest.mark.parametrize("action", STEPS)
@pytest.mark.parametrize("role", ROLES)
def test_each_step_only_for_its_role_in_the_service(partnership, people, action, role):
    source, allowed, target, fields = STEPS[action]
    assessment = assessment_at(partnership, source)
    if role == allowed:
        event = workflow.assessment_transition(
            assessment=assessment, action=action, by=people[role], **fields
        )
        assessment.refresh_from_db()
        assert assessment.status == target
        assert (event.by, event.from_status, event.to_status) == (people[role], source, target)
    else:
        with pytest.raises(PermissionDenied):
            workflow.assessment_transition(
                assessment=assessment, action=action, by=people[role], **fields
            )
        assessment.refresh_from_db()
        assert assessment.status == source
        assert not WorkflowEvent.objects.exists()


@pytest.mark.parametrize("action", STEPS)
@pytest.mark.parametrize("role", ROLES)
def test_each_step_only_for_its_role_through_the_site(
    client, partnership, people, action, role, django_capture_on_commit_callbacks
):
    source, allowed, target, fields = STEPS[action]
    assessment = assessment_at(partnership, source)
    client.force_login(people[role])
    url = reverse("transition", args=[partnership.slug, assessment.year])
    # The chair approving while the consultation is open ticks that they mean it (issue 33).
    fields = {"before_closing": "on"} | fields
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": action, **fields})
    assessment.refresh_from_db()
    if role == allowed:
        assert response.status_code == 302
        assert assessment.status == target
    else:
        assert response.status_code == 404
        assert assessment.status == source


def test_a_step_from_the_wrong_status_is_refused(partnership, analyst, chair):
    draft = assessment_at(partnership, "draft")
    with pytest.raises(workflow.WorkflowError):
        workflow.assessment_transition(assessment=draft, action="publish", by=analyst)
    with pytest.raises(workflow.WorkflowError):
        workflow.assessment_transition(assessment=draft, action="approve", by=chair)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_moving_back_needs_a_reason(analyst_client, partnership):
    assessment = assessment_at(partnership, "consultation")
    url = reverse("transition", args=[partnership.slug, assessment.year])
    response = analyst_client.post(url, {"action": "back_to_draft", "reason": "  "})
    assert response.status_code == 200
    assert "Enter the reason for moving the assessment back" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "consultation"


def test_opening_needs_a_future_closing_date(analyst_client, partnership):
    assessment = assessment_at(partnership, "draft")
    url = reverse("transition", args=[partnership.slug, assessment.year])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = analyst_client.post(url, {"action": "open", "closes_on": yesterday})
    assert "The closing date must be today or in the future" in response.content.decode()
    response = analyst_client.post(url, {"action": "open"})
    assert "Enter the date the consultation closes" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_steps_are_recorded_and_shown_on_the_assessment_page(
    client, partnership, analyst, chair, police_partner
):
    assessment = assessment_at(partnership, "draft")
    workflow.assessment_transition(
        assessment=assessment, action="open", by=analyst, closes_on=IN_A_WEEK
    )
    workflow.assessment_transition(
        assessment=assessment, action="back_to_draft", by=analyst, reason="Fire data missing"
    )
    workflow.assessment_transition(
        assessment=assessment, action="open", by=analyst, closes_on=IN_A_WEEK
    )
    workflow.assessment_transition(assessment=assessment, action="approve", by=chair)
    client.force_login(police_partner)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert page.count("Moved back to draft") == 1
    assert "Fire data missing" in page
    assert "Approved by the chair" in page
    assert chair.get_full_name() in page
    assert f"Closes on {IN_A_WEEK:%-d %B %Y}" in page


def test_the_site_offers_each_role_only_its_steps(client, partnership, analyst, chair):
    assessment = assessment_at(partnership, "consultation")
    client.force_login(chair)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Approve the assessment" in page
    assert "Extend the consultation" not in page
    client.force_login(analyst)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Extend the consultation" in page
    assert "Approve the assessment" not in page


def test_consultation_closes_by_itself_after_its_closing_date(partnership, police_partner):
    assessment = assessment_at(partnership, "consultation")
    closes_on = assessment.consultation_closes_on
    assert can_comment_on_assessment(police_partner, assessment)
    assert workflow.consultations_close_due(today=closes_on) == []
    assert workflow.consultations_close_due(today=closes_on + dt.timedelta(days=1)) == [
        assessment.pk
    ]
    # Idempotent: a second run records nothing more.
    assert workflow.consultations_close_due(today=closes_on + dt.timedelta(days=1)) == []
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert not can_comment_on_assessment(police_partner, assessment)
    event = assessment.workflow_events.get()
    assert (event.action, event.by) == ("close", None)


def test_commenting_stops_at_midnight_even_before_the_task_runs(partnership, police_partner):
    assessment = assessment_at(partnership, "consultation")
    assessment.consultation_closes_on = timezone.localdate() - dt.timedelta(days=1)
    assessment.save()
    assert not can_comment_on_assessment(police_partner, assessment)


def test_closing_early_and_extending_again(partnership, analyst, police_partner):
    assessment = assessment_at(partnership, "consultation")
    workflow.assessment_transition(assessment=assessment, action="close", by=analyst)
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert not can_comment_on_assessment(police_partner, assessment)
    with pytest.raises(workflow.WorkflowError):
        workflow.assessment_transition(assessment=assessment, action="close", by=analyst)
    workflow.assessment_transition(
        assessment=assessment, action="extend", by=analyst, closes_on=IN_A_WEEK
    )
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert assessment.consultation_closes_on == IN_A_WEEK
    assert can_comment_on_assessment(police_partner, assessment)


def test_chapters_stay_read_only_for_partners_during_consultation(partnership, police_partner):
    assessment = assessment_at(partnership, "consultation")
    ChapterFactory(assessment=assessment)
    assert not can_edit_assessment(police_partner, assessment)


def test_beat_schedule_runs_the_consultation_tasks(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "assessments.tasks.consultations_close_due_task",
        "assessments.tasks.consultation_reminders_task",
        "assessments.tasks.comment_digests_task",
    } <= tasks
