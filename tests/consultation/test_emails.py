"""Emails of the consultation, sent from Celery on commit: who gets which, and nobody is told of
their own comment."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.consultation.models import NotificationPreference
from assessments.consultation.services import comments as comment_service
from assessments.consultation.services import workflow
from assessments.consultation.services.notifications import (
    send_closing_reminders,
    send_comment_digests,
)

from ..factories import AssessmentFactory, ChapterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter(assessment):
    return ChapterFactory(assessment=assessment, title="Violence")


def post(author, chapter, body, parent=None, callbacks=None):
    with callbacks(execute=True):
        return comment_service.comment_create(
            author=author, chapter=chapter, body=body, parent=parent
        )


def recipients(mailoutbox):
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_a_new_comment_emails_the_analyst_at_once(
    client,
    analyst,
    police_partner,
    fire_partner,
    chapter,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    comment = post(
        police_partner, chapter, "Please add 2016.", callbacks=django_capture_on_commit_callbacks
    )
    assert recipients(mailoutbox) == [analyst.email]
    mail = mailoutbox[0]
    assert mail.subject.startswith("New comment on Violence")
    assert "Please add 2016." in mail.body
    # The link finds the comment wherever it is when the email is read.
    assert comment.get_absolute_url() in mail.body
    client.force_login(analyst)
    where = client.get(comment.get_absolute_url())["Location"]
    assert where == f"{chapter.get_absolute_url()}#comment-{comment.pk}"


def test_the_analyst_is_not_told_of_their_own_comment(
    analyst, chapter, mailoutbox, django_capture_on_commit_callbacks
):
    post(analyst, chapter, "Note to self", callbacks=django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_a_reply_emails_the_people_in_the_thread_but_not_its_author(
    analyst, police_partner, fire_partner, chapter, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=analyst, new_comments="daily")
    root = post(police_partner, chapter, "First", callbacks=django_capture_on_commit_callbacks)
    post(fire_partner, chapter, "Reply", parent=root, callbacks=django_capture_on_commit_callbacks)
    assert recipients(mailoutbox) == [police_partner.email]
    mailoutbox.clear()
    # The commenter replying in their own thread hears nothing of it.
    post(
        police_partner, chapter, "Thanks", parent=root, callbacks=django_capture_on_commit_callbacks
    )
    assert recipients(mailoutbox) == [fire_partner.email]


def test_a_resolution_emails_the_commenter_with_the_response(
    analyst, police_partner, chapter, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=analyst, new_comments="daily")
    root = post(police_partner, chapter, "First", callbacks=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        comment_service.comment_resolve(comment=root, by=analyst, note="Changed in draft 2.")
    assert recipients(mailoutbox) == [police_partner.email]
    assert "Changed in draft 2." in mailoutbox[0].body


def test_daily_digest_instead_of_immediate_emails(
    analyst, police_partner, fire_partner, chapter, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=analyst, new_comments="daily")
    post(police_partner, chapter, "One", callbacks=django_capture_on_commit_callbacks)
    post(fire_partner, chapter, "Two", callbacks=django_capture_on_commit_callbacks)
    post(analyst, chapter, "Mine", callbacks=django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert send_comment_digests() == 1
    assert recipients(mailoutbox) == [analyst.email]
    body = mailoutbox[0].body
    assert "One" in body and "Two" in body and "Mine" not in body
    assert mailoutbox[0].subject == "2 new comments today"
    # The next digest starts where this one ended.
    mailoutbox.clear()
    assert send_comment_digests() == 0


def test_the_analyst_chooses_the_digest_on_the_site(analyst_client, analyst):
    url = reverse("notification_settings")
    assert analyst_client.post(url, {"new_comments": "daily"}).status_code == 302
    assert NotificationPreference.objects.get(user=analyst).new_comments == "daily"


def test_opening_the_consultation_emails_partners_and_board(
    partnership,
    analyst,
    chair,
    board_member,
    police_partner,
    fire_partner,
    outsider,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    assessment = AssessmentFactory(partnership=partnership, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_transition(
            assessment=assessment,
            action="open",
            by=analyst,
            closes_on=timezone.localdate() + dt.timedelta(days=10),
        )
    assert recipients(mailoutbox) == sorted(
        [board_member.email, police_partner.email, fire_partner.email]
    )
    assert mailoutbox[0].subject == f"Consultation open: {assessment.title}"


def test_closes_in_two_days_reminder_is_sent_once(
    partnership, police_partner, outsider, mailoutbox
):
    today = timezone.localdate()
    assessment = AssessmentFactory(partnership=partnership, status="consultation")
    assessment.consultation_closes_on = today + dt.timedelta(days=2)
    assessment.save()
    assert send_closing_reminders(today=today - dt.timedelta(days=1)) == 0
    assert send_closing_reminders(today=today) == 1
    assert send_closing_reminders(today=today) == 0
    assert recipients(mailoutbox) == [police_partner.email]
    assert "closes in 2 days" in mailoutbox[0].body


def test_deactivated_people_get_no_email(
    analyst, police_partner, fire_partner, chapter, mailoutbox, django_capture_on_commit_callbacks
):
    analyst.is_active = False
    analyst.save()
    post(police_partner, chapter, "Anyone?", callbacks=django_capture_on_commit_callbacks)
    assert mailoutbox == []
