"""A partner signs in and reads a draft chapter in consultation, in real Chromium, and every page
on the way passes axe."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow(reason="signs in, reads the contents, a chapter and an appendix, with axe")
def test_police_signs_in_and_reads_a_chapter(page, demo):
    page.goto("/accounts/login/")
    assert_accessible(page)
    sign_in(page, "police")
    expect(page.get_by_text("Signed in as Sam Okafor")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Strategic Assessment 2017").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategic Assessment 2017")
    expect(page.get_by_text("Consultation closes on")).to_be_visible()
    expect(page.get_by_role("link", name="Appendix B: Crime by estate")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Violence", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Violence")
    narrative = page.locator(".app-narrative")
    expect(narrative.get_by_text("Violence against the Person increased by 12.8%")).to_be_visible()
    expect(page.get_by_role("heading", name="Recommendations")).to_be_visible()
    assert_accessible(page)


@pytest.mark.slow(reason="signs in and reads in Chromium as fire")
def test_fire_does_not_see_the_police_only_appendix(page, demo):
    sign_in(page, "fire")
    page.goto("/assessments/safermk/2017/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategic Assessment 2017")
    expect(page.get_by_text("Appendix B")).to_have_count(0)
    response = page.goto("/assessments/safermk/2017/appendices/estate/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_a_draft_sends_anonymous_readers_to_sign_in(page_without_js, demo):
    page_without_js.goto("/assessments/safermk/2017/crime/")
    expect(page_without_js.get_by_role("heading", name="Sign in")).to_be_visible()
    assert "next=/assessments/safermk/2017/crime/" in page_without_js.url
