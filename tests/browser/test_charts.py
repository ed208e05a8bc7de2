"""A partner reads a chapter's charts: the SVG, the table behind it (no JavaScript), the CSV."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WEAPONS = "Possession of weapons (police.uk) by estate, 2016/17"


def test_chart_figures_open_as_a_table_without_javascript(page_without_js, demo):
    page = page_without_js
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/violence/")
    expect(page.get_by_role("img", name=WEAPONS)).to_be_visible()
    page.get_by_text(f"Figures for “{WEAPONS}” as a table").click()
    table = page.get_by_role("table", name=WEAPONS)
    expect(table.get_by_role("rowheader", name="Bletchley")).to_be_visible()
    expect(table.get_by_text("fewer than 5").first).to_be_visible()
    link = page.get_by_role("link", name="Download the figures for “Violence against the Person")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"].startswith("text/csv")
    assert "Quarter starting,Offences" in response.text()


def test_a_chapter_with_charts_and_open_tables_passes_axe(page, demo):
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/crime/")
    expect(page.locator("svg.app-chart")).to_have_count(5)
    for summary in page.locator(".govuk-details__summary").all():
        summary.click()
    assert_accessible(page)
