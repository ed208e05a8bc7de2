"""A partner reads a chapter's charts: the SVG, the table behind it (no JavaScript), the CSV."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WEAPONS = "Possession of weapons (police.uk) by estate, 2016/17"


@pytest.mark.slow(reason="the demo's chart pages in Chromium without JavaScript")
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


@pytest.mark.slow(reason="opens every chart's table on the page, then axe")
def test_a_chapter_with_charts_and_open_tables_passes_axe(page, demo):
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/crime/")
    # Seven charts and the hotspot map, each drawn again for phones.
    expect(page.locator("svg.app-chart:visible")).to_have_count(8)
    for summary in page.locator(".govuk-details__summary").all():
        summary.click()
    assert_accessible(page)


BESIDE = (
    "All Crime: Milton Keynes beside Thames Valley and England and Wales, indexed (2015/16 = 100)"
)
RANKED = "All Crime per 1,000 residents, 2016/17: the districts of Thames Valley"


@pytest.mark.slow(reason="the demo's chart pages in Chromium without JavaScript")
def test_milton_keynes_beside_its_force_and_districts_reads_as_tables_without_javascript(
    page_without_js, demo
):
    page = page_without_js
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/crime/")
    for title in (BESIDE, RANKED):
        expect(page.get_by_role("img", name=title)).to_be_visible()
        page.get_by_text(f"Figures for “{title}” as a table").click()
    beside = page.get_by_role("table", name=BESIDE)
    expect(beside.get_by_role("columnheader", name="Thames Valley")).to_be_visible()
    expect(beside.get_by_role("row", name="2016/17 104.8 103.9 105.5")).to_be_visible()
    ranked = page.get_by_role("table", name=RANKED)
    expect(ranked.get_by_role("rowheader", name="Milton Keynes (this area)")).to_be_visible()
    expect(page.get_by_text("Demo data: the figures for Thames Valley and England")).to_be_visible()
    link = page.get_by_role("link", name=f"Download the figures for “{RANKED}” (CSV)")
    response = page.request.get(link.get_attribute("href"))
    assert 'District,"Offences per 1,000 residents"' in response.text()
    assert "Milton Keynes (this area),85.0" in response.text()
