"""One header on every page: at 1280 pixels its navigation fits on one line, on a phone it folds
behind "Menu"; and no page of the analyst's round is wider than its window."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/assessments/safermk/2017/",
    "/assessments/safermk/2017/dashboard/",
    "/assessments/safermk/2017/crime/edit/",
    "/assessments/safermk/2017/transition/?action=close",
]


@pytest.mark.slow(reason="each kind of page at two window sizes")
def test_the_header_fits_at_1280_and_folds_on_a_phone(page, demo):
    sign_in(page, "analyst")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for url in PAGES:
            page.goto(url)
            width_seen = page.evaluate("document.documentElement.scrollWidth")
            assert width_seen <= width, f"{url} is {width_seen} px wide at {width}"
            items = page.locator(".govuk-service-navigation__item")
            tops = {
                round(box["y"])
                for box in items.evaluate_all(
                    "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect())"
                )
            }
            menu = page.get_by_role("button", name="Menu")
            if width == 1280:
                assert len(tops) == 1, f"{url}: the navigation wraps onto {len(tops)} lines"
                expect(menu).to_be_hidden()
            else:
                expect(menu).to_be_visible()
                expect(page.locator("#navigation")).to_be_hidden()


# Cells of a table whose right edge a reader would have to scroll sideways to reach.
CELLS_OUT_OF_SIGHT = """() => [...document.querySelectorAll('main tbody td, main tbody th')]
    .filter(c => c.getBoundingClientRect().right > window.innerWidth)
    .map(c => c.textContent.trim().slice(0, 40))"""


@pytest.mark.slow(reason="the home page and dashboard in Chromium at phone width")
def test_the_home_and_dashboard_tables_show_every_column_on_a_phone(page, demo):
    sign_in(page, "analyst")
    page.set_viewport_size({"width": 375, "height": 900})
    for url in ["/", "/assessments/safermk/2017/dashboard/"]:
        page.goto(url)
        assert page.evaluate(CELLS_OUT_OF_SIGHT) == [], url
        # Each cell says which column it is, the header row being out of sight.
        expect(page.locator("td[data-label]").first).to_be_visible()
