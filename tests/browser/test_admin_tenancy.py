"""Rows shared with another partnership, as the analyst sees them in admin: read-only but for
the analyst's own partnership's link, and the page says who changes the rest."""

import pytest
from playwright.sync_api import expect

from ..admin_world import MARKERS, SHARED_ORGANISATION, tenancy_world
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _shared_row_page(page, world, model: str, key: str, notice: str):
    """Analyst a on the change page of a shared row, which names nothing of partnership b."""
    sign_in(page, world["a"]["analyst"].username)
    page.goto(f"/admin/assessments/{model}/{world[key].pk}/change/")
    expect(page.get_by_text(notice)).to_be_visible()
    expect(page.get_by_role("link", name="History")).to_have_count(0)
    assert MARKERS["b"] not in page.content()


@pytest.mark.slow(reason="admin pages in Chromium, signed in as two analysts in turn")
def test_the_analyst_sees_a_shared_person_read_only_but_for_their_own_role(page):
    world = tenancy_world()
    notice = "only the operator changes their account"
    _shared_row_page(page, world, "user", "shared_person", notice)
    for field in ("email", "is_active", "is_staff", "password"):
        expect(page.locator(f"input[name='{field}']")).to_have_count(0)
    expect(page.get_by_text("Reset password")).to_have_count(0)
    expect(page.locator("select[name='memberships-0-role']")).to_be_visible()


@pytest.mark.slow(reason="admin pages in Chromium, signed in as two analysts in turn")
def test_the_analyst_links_a_shared_organisation_but_cannot_rename_it(page):
    world = tenancy_world()
    notice = "only the operator changes it"
    _shared_row_page(page, world, "organisation", "shared_organisation", notice)
    expect(page.locator("input[name='name']")).to_have_count(0)
    expect(page.get_by_text(SHARED_ORGANISATION)).not_to_have_count(0)
    chosen = page.locator("#id_partnerships_to option")
    expect(chosen).to_have_text([world["a"]["partnership"].name])
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert world["shared_organisation"].partnerships.count() == 2
