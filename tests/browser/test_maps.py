"""Issue 34 in real Chromium: with the real Milton Keynes 2021 boundaries and the real 2024
police.uk months, a partner reading a chapter sees its hotspot map (one path per LSOA carrying
its code, each shaded by its `hotspots --json` count under the legend's breaks, the attribution
under it, axe clean) at 1280 and 375 pixels; the public reading the published chapter finds no
count under the threshold anywhere on the page; the grid is in the restricted appendix, for the
partner granted it alone."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from assessments.appendices.models import Appendix
from assessments.appendices.permissions import grant_appendix
from assessments.core.models import Assessment, Role
from assessments.indicators.models import ChapterMap
from tests.factories import AppendixFactory, AssessmentFactory, ChapterFactory, member, set_status
from tests.real_data import hotspot_counts, import_real_months, load_real_boundaries

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Burglary by neighbourhood (LSOA), January to March 2024"


@pytest.fixture
def burglary(tmp_path):
    assessment = AssessmentFactory(
        partnership__slug="safermk", partnership__area_name="Elsewhere", status="consultation"
    )
    import_real_months(assessment.partnership, tmp_path, ["2024-01", "2024-02", "2024-03"])
    load_real_boundaries(assessment.partnership, 2021)
    chapter = ChapterFactory(assessment=assessment, slug="burglary", title="Burglary")
    ChapterMap.objects.create(
        chapter=chapter, crime_types=["Burglary"],
        first_month=dt.date(2024, 1, 1), last_month=dt.date(2024, 3, 1),
    )  # fmt: skip
    partner = member(
        assessment.partnership, Role.PARTNER, username="partner", password="safermk-demo"
    )
    member(assessment.partnership, Role.PARTNER, username="other", password="safermk-demo")
    appendix = AppendixFactory(
        assessment=assessment, slug="hotspots", title="Appendix C: Hotspots by neighbourhood",
        kind=Appendix.Kind.HOTSPOTS,
    )  # fmt: skip
    grant_appendix(appendix, user=partner)
    return chapter


def legend_breaks(page) -> dict[str, tuple[float, float]]:
    """Each class of the legend with the lowest and highest count its label gives."""
    breaks = {}
    for key in page.locator("svg.app-map:visible rect[class^='app-map-key-c']").all():
        cls = key.get_attribute("class").removeprefix("app-map-key-")
        label = key.evaluate("k => k.nextElementSibling.textContent")
        numbers = [float(n.replace(",", "")) for n in re.findall(r"[\d,.]+", label)]
        breaks[cls] = (numbers[0], numbers[-1])
    return breaks


@pytest.mark.slow(reason="imports three real police.uk months, then reads the map in Chromium")
def test_a_partner_reads_the_hotspot_map_and_the_public_sees_no_small_count(page, burglary):
    sign_in(page, "partner")
    page.goto(burglary.get_absolute_url())
    figure = page.get_by_role("img", name=TITLE)
    expect(figure).to_be_visible()
    areas = page.locator("svg.app-map:visible path[data-code]")
    expect(areas).to_have_count(166)
    breaks = legend_breaks(page)
    assert len(breaks) >= 3
    recorded = hotspot_counts("2024-01", "2024-03", ["Burglary"])
    for area in areas.all():
        code, cls = area.get_attribute("data-code"), area.get_attribute("class").split()[-1]
        count = recorded.get(code, 0)
        if count == 0:
            assert cls == "app-map-zero", code
        elif count < 5:
            assert cls in ("app-map-fewer", "app-map-withheld"), code
        elif cls != "app-map-withheld":  # withheld: it would give back a smaller count
            low, high = breaks[cls.removeprefix("app-map-")]
            assert low <= count <= high, (code, count, cls)
    expect(page.get_by_text("Contains OS data © Crown copyright").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/map-partner-1280.png", full_page=False)

    page.set_viewport_size({"width": 375, "height": 800})
    narrow = page.locator("svg.app-map:visible path[data-code]")
    expect(narrow).to_have_count(166)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    page.locator("svg.app-map:visible").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/map-partner-375.png")

    # The grid, in the restricted appendix: to the partner granted it, and to no one else.
    page.set_viewport_size({"width": 1280, "height": 800})
    appendix = burglary.assessment.appendices.get(slug="hotspots").get_absolute_url()
    page.goto(appendix)
    squares = page.locator("svg.app-map:visible rect[data-cell]")
    expect(squares.first).to_be_visible()
    assert squares.count() > 50
    assert_accessible(page)
    page.locator("svg.app-map:visible rect[data-cell]").first.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/map-grid-1280.png")
    page.context.clear_cookies()
    sign_in(page, "other")
    assert page.goto(appendix).status == 404

    set_status(burglary.assessment, Assessment.Status.PUBLISHED)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(burglary.get_absolute_url())
    expect(page.get_by_role("img", name=TITLE)).to_be_visible()
    expect(page.locator("svg.app-map:visible path[data-code]")).to_have_count(166)
    titles = page.locator("svg.app-map title").evaluate_all("ts => ts.map(t => t.textContent)")
    text = page.locator("main").inner_text() + " ".join(titles)
    assert not re.search(r":\s*[1-4]\b(?![,.\d])", text)  # an LSOA's title "Name (code): 3"
    assert "fewer than 5" in text
    assert_accessible(page)
