"""Right prompts for each role: an organisation's own consultation progress for partners, and
only while the consultation is open; data requests only once they have been sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.data_returns.models import DataRequest

from .demo_states import put_in_state, signed_in

pytestmark = pytest.mark.django_db

PROGRESS = "’s progress"


def assessment_page(client, assessment) -> str:
    url = reverse("assessment", args=[assessment.partnership.slug, assessment.year])
    return client.get(url).content.decode()


@pytest.mark.parametrize("username", ["analyst", "chair"])
def test_the_analyst_and_chair_are_not_shown_an_organisations_progress(client, demo, username):
    assert PROGRESS not in assessment_page(signed_in(client, username), demo)


def test_a_partner_sees_its_organisations_progress_during_the_consultation(client, demo):
    assert "Thames Valley Police’s progress" in assessment_page(signed_in(client, "police"), demo)


@pytest.mark.parametrize("state", ["closed", "approved", "published"])
def test_nothing_about_the_consultation_once_it_has_closed(client, demo, state):
    body = assessment_page(signed_in(client, "police"), put_in_state(demo, state))
    assert PROGRESS not in body
    assert "Recommendations answered" not in body


def test_an_unsent_data_request_is_not_announced(client, demo):
    """The council's request in the demo is still "Not sent"."""
    council = DataRequest.objects.get(organisation__name="Milton Keynes Council")
    assert council.sent_at is None
    client = signed_in(client, "analyst")
    assert "asked for figures" not in client.get(reverse("home")).content.decode()
    assert council.title not in client.get(reverse("data_requests")).content.decode()


def test_a_sent_data_request_is_announced(client, demo):
    client = signed_in(client, "police")
    assert "asked for figures" in client.get(reverse("home")).content.decode()
