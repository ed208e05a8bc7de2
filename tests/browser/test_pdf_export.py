"""Asking for the PDF and following its progress in real Chromium, with and without JavaScript.
Celery runs eagerly beside the live server, so a new request is rendered before the redirect;
the progress page is followed on a row the test moves along itself."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.core.models import User
from assessments.reporting.models import ReportExport

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow(reason="renders the restricted report and reads it back")
def test_police_prepares_and_downloads_the_restricted_pdf(page, demo):
    sign_in(page, "police")
    page.goto("/assessments/safermk/2017/")
    # In consultation every partner may print the public draft too.
    expect(page.get_by_role("button", name="Prepare the public PDF")).to_have_count(1)
    assert_accessible(page)
    # Celery runs eagerly: the click returns once the 40-page report with its charts is rendered.
    page.get_by_role("button", name="Prepare the restricted PDF").click(timeout=90_000)
    expect(page.get_by_role("heading", name="Your PDF is ready")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Not for public circulation")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report (restricted version, personal copy of Sam Okafor) as a PDF"
    )
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    copy_id = ReportExport.objects.get(variant="restricted").copy_id
    name = download.value.suggested_filename
    assert name == f"safermk-2017-report-restricted-police-{copy_id}.pdf"


def _queued_export(demo) -> tuple[ReportExport, str]:
    export = ReportExport.objects.create(
        assessment=demo,
        variant="public",
        requested_by=User.objects.get(username="analyst"),
    )
    return export, export.get_absolute_url()


def _fail(export: ReportExport) -> None:
    ReportExport.objects.filter(pk=export.pk).update(
        status="failed", progress=40, error="The render did not finish after 3 attempts."
    )


@pytest.mark.slow(reason="follows a render's progress to the end")
def test_the_progress_bar_updates_itself_with_javascript(page, demo):
    export, url = _queued_export(demo)
    sign_in(page, "analyst")
    page.goto(url)
    expect(page.get_by_text("Waiting for a worker to start: 0% done")).to_be_visible()
    assert_accessible(page)
    ReportExport.objects.filter(pk=export.pk).update(status="running", progress=40)
    expect(page.get_by_text("Preparing the PDF: 40% done")).to_be_visible(timeout=10_000)
    _fail(export)
    expect(page.get_by_text("The PDF could not be prepared")).to_be_visible(timeout=10_000)
    assert page.url.endswith(url)  # no reload: htmx swapped the panel
    assert_accessible(page)


@pytest.mark.slow(reason="follows a render's progress to the end")
def test_without_javascript_check_progress_reloads_the_page(page_without_js, demo):
    page = page_without_js
    export, url = _queued_export(demo)
    sign_in(page, "analyst")
    page.goto(url)
    ReportExport.objects.filter(pk=export.pk).update(status="running", progress=55)
    page.wait_for_timeout(1500)
    expect(page.get_by_text("Waiting for a worker to start: 0% done")).to_be_visible()
    page.get_by_role("link", name="Check progress").click()
    expect(page.get_by_text("Preparing the PDF: 55% done")).to_be_visible()


@pytest.mark.slow(reason="the PDF status page in Chromium while a render's lease runs out")
def test_a_render_that_stopped_reporting_says_it_is_being_retried(page, demo):
    export, url = _queued_export(demo)
    last_progress = timezone.now() - dt.timedelta(minutes=3)
    ReportExport.objects.filter(pk=export.pk).update(
        status="running",
        progress=52,
        attempts=1,
        progressed_at=last_progress,
        lease_expires_at=last_progress + dt.timedelta(minutes=2),
    )
    sign_in(page, "analyst")
    page.goto(url)
    expect(page.get_by_text("Preparing the PDF: 52% done")).to_be_visible()
    expect(page.get_by_text("stopped responding; the job is being retried")).to_be_visible()
    expect(page.get_by_text("Last progress reported at")).to_be_visible()
    assert_accessible(page)
