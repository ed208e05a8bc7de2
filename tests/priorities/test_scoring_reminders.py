"""The partner's progress box and the consultation's emails ask for scores and link to scoring
(issue 33). Who they reach, checked as they go, is tests/core/test_email_recipients.py's."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.consultation.models import ChaseReminder
from assessments.consultation.services import chasing, notifications
from assessments.core.links import absolute
from assessments.priorities.services.scores import Given, organisation_scores_save

pytestmark = pytest.mark.django_db


def _scoring(assessment) -> str:
    return reverse("priorities_score", args=[assessment.partnership.slug, assessment.year])


def _progress_row(client, assessment) -> str:
    html = client.get(assessment.get_absolute_url()).content.decode()
    start = html.index('id="progress-scoring"')
    return html[start : html.index("</div>", start)]


def test_the_progress_box_counts_the_themes_scored_and_links_to_scoring(
    police_partner, matrix_world
):
    assessment = matrix_world["assessment"]
    client = Client()
    client.force_login(police_partner)
    row = _progress_row(client, assessment)
    assert "Themes scored" in row and "0 of 2" in row and "Score the themes" in row
    assert f'href="{_scoring(assessment)}"' in row
    violence, harm = matrix_world["violence"], matrix_world["Harm to victims"]
    organisation_scores_save(
        assessment=assessment, by=police_partner, given=[Given(violence.pk, harm.pk, 3)]
    )
    row = _progress_row(client, assessment)
    assert "1 of 2" in row and "Continue scoring" in row


def _body_to(address: str) -> str:
    [email] = [m for m in mail.outbox if address in m.to]
    return email.body


def test_the_opening_and_closing_emails_ask_for_scores_and_link_to_scoring(
    police_partner, matrix_world
):
    assessment = matrix_world["assessment"]
    assessment.consultation_closes_on = timezone.localdate() + dt.timedelta(days=2)
    assessment.save()
    link = absolute(_scoring(assessment))

    notifications.notify_consultation_opened(assessment_id=assessment.pk)
    body = _body_to(police_partner.email)
    assert "score the themes for your organisation" in body and link in body
    mail.outbox.clear()
    notifications.send_closing_reminders()
    body = _body_to(police_partner.email)
    assert "has not yet scored every theme" in body and link in body


def test_the_comments_reminder_asks_for_scores_too(
    analyst, police_partner, police_org, matrix_world
):
    assessment = matrix_world["assessment"]
    reminder = ChaseReminder.objects.create(
        assessment=assessment, organisation=police_org, sent_on=timezone.localdate(), by=analyst
    )
    assert chasing.chase_reminder_send(reminder_id=reminder.pk) == 1
    body = _body_to(police_partner.email)
    assert "score the themes for your organisation" in body
    assert absolute(_scoring(assessment)) in body


def test_without_criteria_the_emails_do_not_mention_scoring(police_partner, matrix_world):
    assessment = matrix_world["assessment"]
    assessment.priority_criteria.all().delete()
    notifications.notify_consultation_opened(assessment_id=assessment.pk)
    body = _body_to(police_partner.email)
    assert "score" not in body and "/priorities/" not in body


def test_only_those_who_may_score_are_sent_the_scoring_link(partnership, matrix_world):
    """A member whose organisation is not one of the partnership's may read and comment, but
    the scoring page answers them 404: their emails say nothing of scoring."""
    from ..conftest import member
    from ..factories import OrganisationFactory

    visitor = member(partnership, "partner", username="visitor", organisation=OrganisationFactory())
    assessment = matrix_world["assessment"]
    assessment.consultation_closes_on = timezone.localdate() + dt.timedelta(days=2)
    assessment.save()
    client = Client()
    client.force_login(visitor)
    assert client.get(_scoring(assessment)).status_code == 404
    notifications.notify_consultation_opened(assessment_id=assessment.pk)
    notifications.send_closing_reminders()
    bodies = [m.body for m in mail.outbox if visitor.email in m.to]
    assert len(bodies) == 2
    for body in bodies:
        assert _scoring(assessment) not in body and "score" not in body.lower()
