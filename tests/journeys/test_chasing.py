"""Chasing: the dashboard lists every organisation of the partnership with its discussions,
answers, data returns and last visit; the analyst emails the silent ones a reminder, one email
each, recorded, and not twice a day."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from assessments.consultation.models import ChaseReminder, Comment, RecommendationResponse
from assessments.core.models import Organisation

from .demo_states import signed_in

pytestmark = pytest.mark.django_db

FIRE = "Buckinghamshire Fire and Rescue Service"


def dashboard(client, assessment) -> str:
    url = reverse("dashboard", args=[assessment.partnership.slug, assessment.year])
    return client.get(url).content.decode()


def chase(client, assessment):
    url = reverse("chase_silent", args=[assessment.partnership.slug, assessment.year])
    return client.post(url, follow=True)


def silence(name: str) -> None:
    Comment.objects.filter(author__organisation__name=name).delete()
    RecommendationResponse.objects.filter(organisation__name=name).delete()


def test_the_dashboard_lists_every_organisation_of_the_partnership(client, demo):
    body = dashboard(signed_in(client, "analyst"), demo).split('id="consultation"', 1)[1]
    for organisation in Organisation.objects.filter(partnerships=demo.partnership):
        assert organisation.name in body
    assert "Last visit" in body and "Data returns" in body


def test_the_analyst_chases_the_silent_organisations_once_a_day(
    client, demo, django_capture_on_commit_callbacks
):
    silence(FIRE)
    client = signed_in(client, "analyst")
    with django_capture_on_commit_callbacks(execute=True):
        chase(client, demo)
    fire_mail = [m for m in mail.outbox if "fire@example.org" in m.to]
    assert len(fire_mail) == 1
    assert demo.title in fire_mail[0].body
    assert ChaseReminder.objects.filter(organisation__name=FIRE).count() == 1
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        body = chase(client, demo).content.decode()
    assert len(mail.outbox) == sent
    assert "already been reminded today" in body


def test_organisations_that_responded_are_not_chased(
    client, demo, django_capture_on_commit_callbacks
):
    police_said_something = (
        Comment.objects.filter(author__organisation__name="Thames Valley Police").exists()
        or RecommendationResponse.objects.filter(organisation__name="Thames Valley Police").exists()
    )
    assert police_said_something
    with django_capture_on_commit_callbacks(execute=True):
        chase(signed_in(client, "analyst"), demo)
    assert not [m for m in mail.outbox if "police@example.org" in m.to]


@pytest.mark.parametrize("username", ["chair", "police"])
def test_only_the_analyst_may_chase(client, demo, username):
    silence(FIRE)
    response = chase(signed_in(client, username), demo)
    assert response.status_code == 404
    assert not ChaseReminder.objects.exists()
