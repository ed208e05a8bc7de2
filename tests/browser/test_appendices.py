"""The police partner reads the appendix by estate and downloads its figures, in real Chromium;
the page passes axe."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow(reason="reads an appendix in Chromium and downloads its CSV")
def test_police_reads_the_estate_appendix_and_downloads_its_figures(page, demo):
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/")
    page.get_by_role("link", name="Appendix B: Crime by estate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appendix B: Crime by estate")
    expect(page.get_by_text("OFFICIAL-SENSITIVE", exact=True)).to_have_count(2)
    violence = page.get_by_role(
        "table", name="Violence and sexual offences (police.uk): the 5 estates with most crimes"
    )
    first_row = violence.get_by_role("row").nth(1)
    expect(first_row.get_by_role("rowheader")).to_have_text("Central Milton Keynes")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["OFFICIAL-SENSITIVE: Appendix B: Crime by estate"]
    assert {row[1] for row in rows[2:-1]} >= {"Fishermead", "Netherfield", "Conniburrow"}
    # Police's personal copy: named on its last line and in its file name.
    assert ",".join(rows[-1]).startswith("# Issued to Sam Okafor, Thames Valley Police")
    assert download.value.suggested_filename.startswith("safermk-2017-estate-police-")
