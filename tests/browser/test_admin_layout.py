"""The admin an analyst can live in (issue 17): the assessment's and a chapter's change pages fit
a 1280-pixel window, pass axe, and pick related rows by typing (autocomplete) and many-to-many
choices with a horizontal filter, under the Content Security Policy (the `page` fixture fails on
any script or style the browser refuses)."""

import pytest
from playwright.sync_api import Page, expect

from assessments.indicators.models import IndicatorSelection
from assessments.publication.models import StatutoryCoverage

from .conftest import assert_accessible, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow(
        reason="admin change pages and widgets in real Chromium, checked by axe or at two sizes"
    ),
]

WINDOW = {"width": 1280, "height": 900}
# Boxes of the page that are wider than their own width (a table scrolled inside its box hides
# columns as surely as a page wider than the window).
OVERFLOWING = """() => [...document.querySelectorAll('#content table, #content .module')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => (e.id || e.className) + ': ' + e.scrollWidth + ' > ' + e.clientWidth)"""


def _open_every_collapsed_inline(page: Page) -> None:
    for summary in page.locator("#content details > summary").all():
        summary.click()


def _assert_fits_the_window(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WINDOW["width"], f"{page.url} is {width} pixels wide"
    assert page.evaluate(OVERFLOWING) == [], page.url


@pytest.mark.parametrize("which", ["assessment", "chapter"])
def test_the_admin_change_pages_fit_1280_pixels_and_pass_axe(page, demo, which):
    page.set_viewport_size(WINDOW)
    sign_in(page, "analyst")
    row = demo if which == "assessment" else demo.chapters.get(slug="crime")
    page.goto(f"/admin/assessments/{which}/{row.pk}/change/")
    expect(page.locator("#site-name")).to_contain_text("SaferMK Partnership")
    _assert_fits_the_window(page)
    _open_every_collapsed_inline(page)
    _assert_fits_the_window(page)
    assert_accessible(page, read_css=False)


def test_the_analyst_picks_an_indicator_by_typing_its_name(page, demo):
    # A chapter lists its indicators; each is changed on its own page, and saving it brings
    # the analyst back to the chapter.
    chapter = demo.chapters.get(slug="crime")
    first = chapter.selections.order_by("order").first()
    assert first.indicator.name != "Domestic Burglary"
    sign_in(page, "analyst")
    page.goto(f"/admin/assessments/chapter/{chapter.pk}/change/")
    page.locator("#selection-list").get_by_role(
        "link", name=first.indicator.name, exact=True
    ).click()
    page.locator("#id_indicator + .select2").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Domestic Burg")
    page.get_by_role("option", name="Domestic Burglary", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    expect(page.locator("#selection-list")).to_contain_text("Domestic Burglary")
    assert page.url.endswith(f"/admin/assessments/chapter/{chapter.pk}/change/")
    assert IndicatorSelection.objects.get(pk=first.pk).indicator.name == "Domestic Burglary"


def test_the_statutory_checklist_takes_chapters_from_a_horizontal_filter(page, demo):
    coverage = StatutoryCoverage.objects.filter(assessment=demo).order_by("requirement").first()
    chosen = set(coverage.chapters.values_list("slug", flat=True))
    sign_in(page, "analyst")
    page.goto(f"/admin/assessments/assessment/{demo.pk}/change/")
    checklist = page.locator("#statutory-checklist")
    checklist.get_by_role("link", name=coverage.get_requirement_display()).click()
    available = page.locator("#id_chapters_from option[title='Cyber Crime']")
    assert "cyber-crime" not in chosen
    available.dblclick()  # the filter moves a double-clicked chapter across
    expect(page.locator("#id_chapters_to option[title='Cyber Crime']")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    expect(checklist.get_by_role("row", name=coverage.get_requirement_display())).to_contain_text(
        "Cyber Crime"
    )
    assert set(coverage.chapters.values_list("slug", flat=True)) == chosen | {"cyber-crime"}


def test_the_analyst_adds_a_comparator_by_typing_its_name(page, demo):
    chapter = demo.chapters.get(slug="crime")
    robbery = chapter.selections.get(indicator__code="robbery")
    assert not robbery.comparators.exists()
    sign_in(page, "analyst")
    page.goto(f"/admin/assessments/chapter/{chapter.pk}/change/")
    page.locator("#selection-list").get_by_role(
        "link", name=robbery.indicator.name, exact=True
    ).click()
    search = page.locator(".field-comparators .select2-search__field")
    # Only the partnership's own force, districts and national series are offered: not its
    # area or LSOAs ("Milton Keynes 019A").
    search.fill("Milton")
    expect(page.get_by_text("No results found")).to_be_visible()
    search.fill("Thames")
    page.get_by_role("option", name="Thames Valley", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert [place.name for place in robbery.comparators.all()] == ["Thames Valley"]


@pytest.mark.parametrize("which", ["assessment", "chapter"])
def test_the_admin_change_pages_are_no_wider_than_a_phone(page, demo, which):
    # On a phone a wide table may scroll inside its own box, which the keyboard can reach; the
    # page itself never scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "analyst")
    row = demo if which == "assessment" else demo.chapters.get(slug="crime")
    page.goto(f"/admin/assessments/{which}/{row.pk}/change/")
    _open_every_collapsed_inline(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width} pixels wide on a phone"
    assert_accessible(page, read_css=False)
