"""The report's front matter in real Chromium (issue 32): the introduction written in admin and
read back out of the public PDF, and the executive summary written in the workspace editor with
its live preview."""

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.core.models import Assessment

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

INTRODUCTION = "This introduction was written in admin for the board of 2017."


@pytest.mark.slow(reason="admin, then the whole public report rendered and read back")
def test_the_analyst_writes_the_introduction_in_admin_and_reads_it_in_the_pdf(page, demo):
    sign_in(page, "analyst")
    page.goto(f"/admin/assessments/assessment/{demo.pk}/change/")
    introduction = page.get_by_role("textbox", name="Introduction:")
    expect(introduction).to_be_visible()
    introduction.fill(INTRODUCTION)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert Assessment.objects.get(pk=demo.pk).introduction == INTRODUCTION

    page.goto("/assessments/safermk/2017/")
    page.get_by_role("button", name="Prepare the public PDF").click(timeout=120_000)
    expect(page.get_by_role("heading", name="Your PDF is ready")).to_be_visible(timeout=120_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pages = [p.extract_text() for p in PdfReader(download.value.path()).pages]
    text = " ".join(" ".join(pages).split())
    assert INTRODUCTION in text
    assert "Executive summary" in text and "Horizon scanning" in text


@pytest.mark.slow(reason="the workspace editor and its live preview in Chromium")
def test_the_analyst_writes_the_executive_summary_with_a_live_preview(page, demo):
    sign_in(page, "analyst")
    page.goto("/assessments/safermk/2017/dashboard/")
    page.get_by_role("link", name="Edit the executive summary").click()
    expect(page.get_by_role("heading", name="Edit the executive summary")).to_be_visible()
    editor = page.locator(".EasyMDEContainer .CodeMirror")
    expect(editor).to_be_visible()
    assert_accessible(page)
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n## What the board should know\n")
    preview = page.locator("#chapter-preview")
    expect(preview.get_by_role("heading", name="What the board should know")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The executive summary has been saved")).to_be_visible()
    saved = Assessment.objects.get(pk=demo.pk).executive_summary
    assert saved.startswith("Recorded crime in Milton Keynes")
    assert saved.endswith("## What the board should know")
