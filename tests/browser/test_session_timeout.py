"""Sessions end after a period without requests, with a warning first (WCAG 2.2.1)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_COOKIE_AGE = 8  # seconds: long enough for a slow machine to load a page
    settings.SESSION_WARNING_SECONDS = 7


def test_the_warning_offers_to_stay_signed_in(page, demo, short_sessions):
    sign_in(page, "police")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=5_000)
    assert_accessible(page)
    with page.expect_response("**/accounts/keep-alive/") as keep_alive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 204
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=5_000)  # warned again before the renewed end


def test_doing_nothing_signs_out_and_asks_to_sign_in_again(page, demo, short_sessions):
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/crime/")
    page.wait_for_url(
        re.compile(r"/accounts/login/\?next=%2Fassessments%2Fsafermk%2F2017%2Fcrime%2F$"),
        timeout=20_000,
    )
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_half_written_comment_survives_being_signed_out(page, demo, short_sessions):
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/violence/")
    comment = page.locator("#comment-body")
    comment.fill("Half of my thoughts on the night-time economy")
    page.wait_for_url(re.compile(r"/accounts/login/\?next="), timeout=20_000)

    page.get_by_label("Username").fill("police")
    page.get_by_label("Password").fill("safermk-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/assessments/safermk/2017/violence/$"))
    expect(page.locator("#comment-body")).to_have_value(
        "Half of my thoughts on the night-time economy"
    )
    expect(page.get_by_text("We kept what you were writing")).to_be_visible()
