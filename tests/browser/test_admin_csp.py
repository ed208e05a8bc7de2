"""The analyst's admin screens work under the Content Security Policy in real Chromium: the
`page` fixture fails a test on any script or style the browser refuses."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow(reason="works through admin pages and their widgets under the CSP")
def test_the_analyst_works_in_admin_under_the_csp(page, demo):
    sign_in(page, "analyst")
    page.get_by_role("link", name="Manage (admin)").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto("/admin/assessments/assessment/")
    page.get_by_role("link", name="Strategic Assessment 2017").click()
    expect(page.locator("#chapter-list").get_by_text("Fire Service data").first).to_be_visible()
    # Inline formsets are driven by admin JavaScript: adding a row proves it runs. The purposes
    # are a long table, collapsed until opened.
    page.locator("#purposes-group summary").click()
    page.get_by_role("button", name="Add another Purpose item").click()
    expect(page.locator("#purposes-group tr.form-row.dynamic-purposes")).to_have_count(9)

    page.goto("/admin/assessments/appendix/")
    page.get_by_role("link", name="Appendix B: Crime by estate").click()
    expect(page.get_by_text("Organisation: Thames Valley Police")).to_be_visible()
    page.get_by_role("link", name="Object permissions").click()
    expect(page.get_by_role("heading", name="Object permissions")).to_be_visible()

    page.goto("/admin/assessments/indicator/import/")
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
    page.goto("/admin/assessments/indicator/export/")
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
