"""The chair's work on the site (issue 33): the chair records the board's decision on the board
meeting page, approves the assessment (confirming that the consultation is still open), and the
PDF of the approved edition prints the decision, read back with pdftotext."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from assessments.demo.editions import BEFORE_THE_BOARD
from assessments.publication.models import StatutoryCoverage

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

MINUTES = "SMK/2017/10 item 4"


def cover_the_statutory_checklist(demo) -> None:
    """What the analyst maps before the board meets (the demo leaves two requirements)."""
    for requirement, slugs in BEFORE_THE_BOARD.items():
        coverage = StatutoryCoverage.objects.create(assessment=demo, requirement=requirement)
        coverage.chapters.set(demo.chapters.filter(slug__in=slugs))


def pdftotext(path) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


@pytest.mark.slow(reason="the approval freezes the report and the restricted PDF is rendered")
def test_the_chair_records_the_boards_decision_and_the_pdf_prints_it(page, demo, tmp_path):
    cover_the_statutory_checklist(demo)
    adopted = demo.chapters.get(slug="violence").recommendations.order_by("order").first()
    sign_in(page, "chair")
    page.goto("/assessments/safermk/2017/meeting/")
    page.get_by_label("Date of the board meeting").fill("2017-10-12")
    page.get_by_label("Minutes reference").fill(MINUTES)
    page.get_by_label(adopted.text).select_option("adopted")
    page.get_by_label("Other decisions and notes").fill("The board asked for a mid-year update.")
    page.get_by_role("button", name="Save the board's decision").click()
    expect(page.get_by_text("The board's decision is recorded.")).to_be_visible()
    expect(page.get_by_text(f"(minutes reference {MINUTES})")).to_be_visible()
    assert_accessible(page)

    page.goto("/assessments/safermk/2017/transition/?action=approve")
    expect(page.locator("#decision-recorded")).to_contain_text(MINUTES)
    expect(page.locator("#before-closing")).to_contain_text("not responded yet")
    page.get_by_role("button", name="Approve the assessment").click()
    expect(page.get_by_text("Tick to confirm that you approve").first).to_be_visible()
    page.get_by_label("Approve before the consultation closes").check()
    page.get_by_role("button", name="Approve the assessment").click()
    expect(page.get_by_text("Approved").first).to_be_visible()

    page.goto("/assessments/safermk/2017/meeting/")
    expect(page.get_by_role("button", name="Save the board's decision")).to_have_count(0)
    # Celery runs eagerly: the click returns once the approved edition is rendered.
    page.get_by_role("button", name="Prepare the restricted PDF").click(timeout=120_000)
    expect(page.get_by_role("heading", name="Your PDF is ready")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    text = pdftotext(path)
    assert "Edition 1, approved" in text
    section = text[text.rindex("The board's decision The partnership board") :]
    assert "at its meeting on 12 October 2017, minutes reference SMK/2017/10 item 4." in section
    assert "The board asked for a mid-year update." in section
    # The table's columns wrap: "Adopted as a priority" is read around the recommendation's end.
    assert "Violence Adopt reducing violent incidents" in section and "Adopted as a" in section
