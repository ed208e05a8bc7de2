"""Partners are told (issue 33): approving and publishing each send one email per partner and
board member, with the link, through the outbox; none to those who turned them off."""

import pytest
from django.core import mail
from django.urls import reverse

from assessments.consultation.models import NotificationPreference
from assessments.consultation.services import workflow
from assessments.core.models import User
from assessments.demo.editions import BEFORE_THE_BOARD
from assessments.publication.models import StatutoryCoverage

pytestmark = [pytest.mark.django_db, pytest.mark.reuses_renders]  # tests/renders.py


@pytest.mark.slow(reason="approves and publishes the demo: freezes its whole report as an edition")
def test_approving_and_publishing_each_tell_every_member_once(
    demo, django_capture_on_commit_callbacks
):
    for requirement, slugs in BEFORE_THE_BOARD.items():
        coverage = StatutoryCoverage.objects.create(assessment=demo, requirement=requirement)
        coverage.chapters.set(demo.chapters.filter(slug__in=slugs))
    analyst, chair, fire = (User.objects.get(username=n) for n in ("analyst", "chair", "fire"))
    NotificationPreference.objects.create(user=fire, workflow_emails=False)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_transition(assessment=demo, action="approve", by=chair)
    approved = {message.to[0] for message in mail.outbox}
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_transition(assessment=demo, action="publish", by=analyst)
    published = [m for m in mail.outbox if "published" in m.subject]

    assert "police@example.org" in approved
    assert "fire@example.org" not in approved
    assert len(approved) == len(mail.outbox) - len(published)  # one each
    assert sorted(m.to[0] for m in published) == sorted(approved)
    assert all(demo.get_absolute_url() in m.body for m in mail.outbox)
    assert "Anyone can now read it" in published[0].body


def test_partners_turn_the_emails_off_on_their_settings_page(police_client):
    url = reverse("notification_settings")
    page = police_client.get(url).content.decode()
    assert "Tell me when the assessment is approved and when it is published" in page
    police_client.post(url, {"new_comments": "daily", "workflow_emails": "False"})
    preference = NotificationPreference.objects.get(user__username="police")
    assert (preference.new_comments, preference.workflow_emails) == ("daily", False)
