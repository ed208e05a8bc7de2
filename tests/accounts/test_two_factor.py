"""Two-factor sign-in for staff, analysts, chairs and anyone granted a restricted appendix."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.accounts.permissions import needs_two_factor
from assessments.appendices.permissions import grant_appendix

from ..factories import AppendixFactory, AssessmentFactory

pytestmark = pytest.mark.django_db

TWO_FACTOR = reverse("two_factor")


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def sign_in(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": "safermk-demo"})
    assert response.status_code == 302
    return response


def test_an_analyst_must_set_up_an_app_before_using_the_site(client, analyst):
    sign_in(client, "analyst")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Set up two-factor sign-in" in html
    assert 'src="data:image/svg+xml' in html  # the QR code, inline

    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    response = client.post(response["Location"], {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_is_refused_with_a_message(client, analyst):
    sign_in(client, "analyst")
    client.get(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/").status_code == 302
    response = client.post(TWO_FACTOR, {"code": "12ab56"})
    assert "The code must be 6 digits" in response.content.decode()


def test_the_next_sign_in_asks_for_a_code_from_the_confirmed_app(client, analyst):
    device = TOTPDevice.objects.create(user=analyst, confirmed=True)
    sign_in(client, "analyst")
    page = client.get(TWO_FACTOR).content.decode()
    assert "Enter the code from your authenticator app" in page
    assert "QR code" not in page
    client.post(TWO_FACTOR, {"code": code_for(device)})
    assert client.get("/").status_code == 200


def test_a_partner_granted_an_appendix_needs_it_and_one_without_does_not(
    client, partnership, police_partner, fire_partner, police_org
):
    appendix = AppendixFactory(assessment=AssessmentFactory(partnership=partnership))
    assert not needs_two_factor(police_partner)
    grant_appendix(appendix, organisation=police_org)
    assert needs_two_factor(police_partner)
    assert not needs_two_factor(fire_partner)

    sign_in(client, "fire")
    assert client.get("/").status_code == 200


def test_the_analyst_resets_a_lost_app(client, analyst, chair):
    TOTPDevice.objects.create(user=chair, confirmed=True)
    analyst_device = TOTPDevice.objects.create(user=analyst, confirmed=True)
    sign_in(client, "analyst")
    client.post(TWO_FACTOR, {"code": code_for(analyst_device)})
    response = client.post(
        reverse("admin:assessments_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [chair.pk]},
        follow=True,
    )
    assert "1 people will set up two-factor sign-in again" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=chair).exists()


def test_next_cannot_send_people_to_another_site(client, analyst):
    device = TOTPDevice.objects.create(user=analyst, confirmed=True)
    sign_in(client, "analyst")
    response = client.post(TWO_FACTOR, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_wrong_codes_slow_further_tries_down(client, analyst, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after the first wrong code
    device = TOTPDevice.objects.create(user=analyst, confirmed=True)
    sign_in(client, "analyst")
    client.post(TWO_FACTOR, {"code": "000000"})
    response = client.post(TWO_FACTOR, {"code": code_for(device)})
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get("/").status_code == 302  # still not through
