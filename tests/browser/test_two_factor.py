"""Two-factor set-up in real Chromium, passing axe."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ..accounts.test_two_factor import code_for
from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow(reason="sets up an authenticator, signs out and in again with a code")
def test_the_analyst_sets_up_an_authenticator_app(page, demo, settings):
    settings.TWO_FACTOR_REQUIRED = True
    # No back-off between tries here, so the flow does not depend on the machine's speed;
    # tests/accounts/test_two_factor.py checks the back-off.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in(page, "analyst")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to add this account")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="That code is not right")).to_be_visible()
    assert_accessible(page)

    page.get_by_text("I cannot scan the QR code").click()
    expect(page.locator(".app-secret")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="analyst")
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Strategic assessments")).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
