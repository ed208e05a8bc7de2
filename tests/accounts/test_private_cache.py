"""Every response to a signed-in person says `Cache-Control: private, no-store`, whatever the
view set; anonymous responses are left to their views."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/notifications/",
        "/no-such-page/",
        "/admin/",
        "/accounts/login/",
    ],
)
def test_every_response_to_a_signed_in_person_is_private(analyst_client, assessment, url):
    response = analyst_client.get(url)
    assert response["Cache-Control"] == "private, no-store", url


def test_the_assessment_pages_of_a_member_are_private(police_client, assessment):
    response = police_client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_signing_in_and_out_answer_privately(client, police_partner):
    response = client.post(reverse("login"), {"username": "police", "password": "safermk-demo"})
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    response = client.post(reverse("logout"))
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_responses_are_left_to_their_views(client, assessment):
    assert "private" not in client.get("/").get("Cache-Control", "")
