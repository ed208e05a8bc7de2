"""The published report as a member of the public sees it in real Chromium: readable without
signing in, accessible (axe), chapter to chapter, and nothing of an unpublished assessment."""

import re

import pytest
from playwright.sync_api import expect

from assessments.core.models import Assessment, Membership, User
from tests.factories import set_status

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.reuses_renders]  # renders.py


@pytest.fixture
def published(demo):
    set_status(demo, Assessment.Status.PUBLISHED)
    return demo


@pytest.mark.slow(reason="reads the contents and chapters as the public, each page checked by axe")
def test_the_public_reads_the_published_report(page, published):
    page.goto("/")
    expect(page.get_by_role("link", name="Strategic Assessment 2017")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Strategic Assessment 2017").click()
    expect(page.get_by_role("heading", name="Main headlines")).to_be_visible()
    expect(page.get_by_text("An increase in All Crime of 4.8%")).to_be_visible()
    expect(page.get_by_role("heading", name="Appendices")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Violence", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Violence")).to_be_visible()
    expect(page.get_by_role("heading", name="Recommendations")).to_be_visible()
    expect(page.get_by_role("link", name="Download the figures for").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Next chapter\W+Reoffending$")).click()
    expect(page.get_by_role("heading", level=1, name="Reoffending")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Previous chapter\W+Violence$")).click()
    expect(page.get_by_role("heading", level=1, name="Violence")).to_be_visible()

    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1, name="Accessibility statement")).to_be_visible()
    assert_accessible(page)


@pytest.mark.slow(reason="every page of the demo in Chromium as an anonymous reader")
def test_an_unpublished_assessment_shows_nothing_to_the_public(page, demo):
    page.goto("/assessments/safermk/2017/crime/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("All Crime rose")).to_have_count(0)

    # Someone signed in without a role in the partnership gets "page not found".
    stranger = User.objects.create_user("stranger", password="safermk-demo")
    assert not Membership.objects.filter(user=stranger).exists()
    sign_in(page, "stranger")
    response = page.goto("/assessments/safermk/2017/crime/")
    assert response.status == 404
    expect(page.get_by_text("All Crime rose")).to_have_count(0)


@pytest.mark.slow(reason="publishes a correction and takes it down, each page checked by axe")
def test_the_public_follow_editions_and_a_take_down(page, demo):
    from assessments.consultation.services import workflow  # noqa: PLC0415
    from assessments.demo.editions import demo_editions_load  # noqa: PLC0415

    demo_editions_load(demo)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/assessments/safermk/2017/")
    expect(page.get_by_text("Last updated")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Edition 1", exact=True).click()
    expect(page.get_by_text("This edition has been replaced.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Crime", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Crime")).to_be_visible()
    assert "/editions/1/crime/" in page.url
    page.get_by_role("link", name="the latest edition, edition 2").click()
    expect(page.get_by_text("Edition 2, approved")).to_be_visible()

    analyst = User.objects.get(username="analyst")
    workflow.assessment_transition(
        assessment=demo, action="unpublish", by=analyst, reason="Figures to check"
    )
    page.goto("/assessments/safermk/2017/crime/")
    expect(page.get_by_text("a corrected edition will follow")).to_be_visible()
    expect(page.get_by_text("Figures to check")).to_have_count(0)
    assert_accessible(page)
