"""Sessions end after a period without requests, with a warning first (WCAG 2.2.1).

The hour passes at once: Playwright's clock moves the page's timers on, and the session's end is
written to the server's session table, as an hour without requests would leave it."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clock(page, settings):
    """The page's clock, stopped until a test moves it; and the session's length and warning."""
    page.clock.install()
    return settings.SESSION_COOKIE_AGE, settings.SESSION_WARNING_SECONDS


def _time_passes(page, seconds: float) -> None:
    page.clock.fast_forward(int(seconds * 1000))


def _the_session_ends_on_the_server() -> None:
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


@pytest.mark.slow(reason="Chromium through the time-out warning and sign-in, on Playwright's clock")
def test_the_warning_offers_to_stay_signed_in(page, demo, clock):
    lifetime, warning = clock
    sign_in(page, "police")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    _time_passes(page, lifetime - warning - 5)
    expect(dialog).to_be_hidden()
    _time_passes(page, 5)
    expect(dialog).to_be_visible()
    assert_accessible(page)
    with page.expect_response("**/accounts/keep-alive/") as keep_alive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 204
    expect(dialog).to_be_hidden()
    _time_passes(page, lifetime - warning)
    expect(dialog).to_be_visible()  # warned again before the renewed end


@pytest.mark.slow(reason="Chromium through the time-out warning and sign-in, on Playwright's clock")
def test_doing_nothing_signs_out_and_asks_to_sign_in_again(page, demo, clock):
    lifetime, _ = clock
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/crime/")
    _the_session_ends_on_the_server()
    _time_passes(page, lifetime)
    page.wait_for_url(
        re.compile(r"/accounts/login/\?next=%2Fassessments%2Fsafermk%2F2017%2Fcrime%2F$")
    )
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/assessments/safermk/2017/crime/")  # signed out indeed
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


@pytest.mark.slow(reason="Chromium through the time-out warning and sign-in, on Playwright's clock")
def test_a_half_written_comment_survives_being_signed_out(page, demo, clock):
    lifetime, _ = clock
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/violence/")
    comment = page.locator("#comment-body")
    comment.fill("Half of my thoughts on the night-time economy")
    _the_session_ends_on_the_server()
    _time_passes(page, lifetime)
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))

    page.get_by_label("Username").fill("police")
    page.get_by_label("Password").fill("safermk-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/assessments/safermk/2017/violence/$"))
    expect(page.locator("#comment-body")).to_have_value(
        "Half of my thoughts on the night-time economy"
    )
    expect(page.get_by_text("We kept what you were writing")).to_be_visible()
