"""A partner's data return in real Chromium: `fire` downloads the template of its request, fills
it, uploads it, sees a large change flagged, confirms; the analyst's matrix shows it received
and the fire chapter's figures come from it. axe checks the partner's pages on the way."""

import csv
import io
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from assessments.indicators.headlines import headline_figures
from assessments.indicators.models import Observation

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Per month: the total is 350 in 2015 and 380 in 2016 (4,200 → 4,560: +8.6 %); false alarms
# in January 2016 are typed as 400 instead of 150, a change the preview flags.
VALUES = {
    ("fire-incidents", "2015"): 350,
    ("fire-incidents", "2016"): 380,
    ("fire-incidents-fires", "2015"): 100,
    ("fire-incidents-fires", "2016"): 100,
    ("fire-incidents-false-alarms", "2015"): 150,
    ("fire-incidents-false-alarms", "2016"): 150,
    ("fire-incidents-special-services", "2015"): 100,
    ("fire-incidents-special-services", "2016"): 130,
}
TYPO = ("fire-incidents-false-alarms", "2016-01", 400)


def download_template(page: Page) -> list[dict]:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template as CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


def fill(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        value = VALUES[row["indicator"], row["period"][:4]]
        if (row["indicator"], row["period"]) == TYPO[:2]:
            value = TYPO[2]
        writer.writerow({**row, "value": value})
    return out.getvalue().encode()


@pytest.mark.slow(reason="two people's journeys: upload, preview, confirm and tracking, with axe")
def test_fire_returns_its_figures_and_the_analyst_sees_them(page: Page, demo):
    sign_in(page, "fire")
    page.get_by_role("link", name="see your data requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data requests")
    assert_accessible(page)

    page.get_by_role("link", name="Fire incidents by type, by month").click()
    expect(page.get_by_text("Awaiting")).to_be_visible()
    rows = download_template(page)
    assert len(rows) == 4 * 24
    assert_accessible(page)

    upload = page.get_by_label("Upload the completed template")
    upload.set_input_files(files=[{"name": "bfrs.xlsm", "mimeType": "text/csv", "buffer": b"x"}])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("The workbook is macro-enabled (.xlsm)")).to_be_visible()
    assert_accessible(page)

    upload.set_input_files(
        files=[{"name": "bfrs-2017.csv", "mimeType": "text/csv", "buffer": fill(rows)}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your figures")
    expect(page.get_by_text("1 figure changed by more than 50%")).to_be_visible()
    expect(
        page.get_by_text("False alarms attended by BFRS, Milton Keynes, January 2016: 400 against")
    ).to_be_visible()
    flagged = page.locator("tr", has=page.get_by_text("Check", exact=True))
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("False alarms attended by BFRS")
    expect(flagged).to_contain_text("January 2016")
    expect(flagged).to_contain_text("+166.7%")
    assert not Observation.objects.filter(batch__source="data_return").exists()
    assert_accessible(page)

    page.get_by_role("button", name="Confirm and send these figures").click()
    expect(page.get_by_text("Thank you: 96 figures have been received and stored")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "analyst")
    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name="Data returns from partners").click()
    matrix = page.get_by_role("table", name="Organisations and what they owe")
    bfrs = matrix.get_by_role("row", name="Buckinghamshire Fire and Rescue Service")
    expect(bfrs).to_contain_text("Received")
    expect(matrix.get_by_role("row", name="Thames Valley Police")).to_contain_text("Awaiting")
    expect(matrix.get_by_role("row", name="Milton Keynes Council")).to_contain_text("Not sent")
    assert_accessible(page)

    returned = Observation.objects.filter(batch__source="data_return")
    assert returned.count() == 96
    assert returned.filter(indicator__code="fire-incidents").count() == 24
    fire = next(f for f in headline_figures(demo) if f.indicator.code == "fire-incidents")
    assert (fire.comparison, fire.current, fire.change) == (4200, 4560, Decimal("8.6"))
    page.goto(f"{demo.get_absolute_url()}fire-service-data/")
    expect(page.get_by_role("row", name="Incidents attended by BFRS")).to_contain_text("+8.6%")
