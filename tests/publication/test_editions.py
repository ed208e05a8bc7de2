"""Editions (issue 30): what the board approved is what the public reads and what every print
shows, figure for figure, whatever the working copy does afterwards. A correction is a new
edition with a public note; the edition it replaces stays readable at its own address; a
take-down is seen by the next request."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessments.consultation.models import ReadinessOverride, WorkflowEvent
from assessments.consultation.services import workflow
from assessments.core.models import Assessment, User
from assessments.core.selectors import assessment_by_url
from assessments.data_returns.files import template_rows
from assessments.data_returns.services import data_return_confirm, data_return_upload
from assessments.demo.editions import demo_publish
from assessments.indicators.models import Headline, IndicatorSelection
from assessments.priorities.models import Criterion
from assessments.publication.edition_views import reads_edition
from assessments.publication.services.editions import changes_since
from assessments.reporting.editions import edition_html, edition_is_intact
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import Edition, ReportExport

from ..factories import ImportBatchFactory, ObservationFactory

# The tests publish the demo and read its PDF, the same document each time: one process renders
# it once (tests/renders.py).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.reuses_renders,
    pytest.mark.xdist_group("editions"),
]


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    """Run what is queued after each commit (the PDF renders), as a worker would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def published(demo):
    """The demo approved and published as edition 1 (its public PDF queued, not rendered)."""
    return demo_publish(demo)


@pytest.fixture
def published_with_pdf(demo, jobs):
    """The same, with the public PDF rendered as a worker renders it at publication."""
    with jobs():
        return demo_publish(demo)


def people(*usernames):
    return [User.objects.get(username=name) for name in usernames]


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def public_pdf(assessment, number: int | None = None) -> bytes:
    """The edition's PDF, downloaded as the public would: from its edition's lasting address."""
    number = number or assessment.public_edition.number
    url = reverse("edition_pdf", args=[assessment.partnership.slug, assessment.year, number])
    response = Client().get(url, follow=True)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def change_the_working_copy(assessment):
    """Late figures, a confirmed data return, a headline reworded and a criterion re-weighted:
    everything that changes after the board's approval."""
    # An import: another batch of all crime for the latest year.
    crime = assessment.chapters.get(slug="crime")
    selection = crime.selections.select_related("indicator").first()
    area = selection.indicator.observations.first().geography
    ObservationFactory(
        indicator=selection.indicator,
        geography=area,
        batch=ImportBatchFactory(partnership=assessment.partnership),
        period_type=selection.period_type,
        period_start=selection.current_period_start,
        value=99999,
    )
    # The police confirm their late domestic abuse return: 2,000 a quarter.
    request = assessment.data_requests.get(indicators__code="domestic-abuse")
    (police,) = people("police")
    rows = template_rows(request)
    out = io.StringIO()
    out.write(",".join(rows[0]) + "\n")
    for row in rows:
        out.write(",".join(str(v) for v in {**row, "value": 2000}.values()) + "\n")
    token, _ = data_return_upload(
        request=request, user=police, name="late.csv", data=out.getvalue().encode()
    )
    data_return_confirm(request=request, user=police, token=token)
    # A headline reworded, and a criterion's weight changed.
    headline = Headline.objects.filter(assessment=assessment).first()
    headline.text = "Everything changed after the board met."
    headline.save()
    criterion = Criterion.objects.filter(assessment=assessment).first()
    criterion.weight += 2
    criterion.save()


@pytest.mark.slow(
    reason="renders the demo's 43-page public PDF, changes the working copy and compares"
)
def test_what_the_board_approved_is_what_the_public_read_after_the_working_copy_changes(
    published_with_pdf, jobs
):
    published = published_with_pdf
    anonymous = Client()
    chapters = [f"{published.get_absolute_url()}{slug}/" for slug in ("crime", "domestic-abuse")]
    pages_before = [anonymous.get(url).content for url in [published.get_absolute_url(), *chapters]]
    pdf_before = public_pdf(published)
    edition = published.public_edition

    with jobs():
        change_the_working_copy(published)

    # The working copy did change: the dashboard says what, old against new.
    changes = changes_since(edition)
    said = " ".join(f"{c.where} {c.what} {c.before} {c.after}" for c in changes)
    assert "All crime" in said or "Crime" in said
    assert "Everything changed after the board met." in said
    assert "Domestic" in said
    # The public's pages and the public PDF did not.
    fresh = Client()
    pages_after = [fresh.get(url).content for url in [published.get_absolute_url(), *chapters]]
    assert pages_after == pages_before
    assert public_pdf(published) == pdf_before
    assert "Everything changed after the board met." not in pdf_text(pdf_before)
    published.refresh_from_db()
    assert published.public_edition == edition and edition_is_intact(edition)


@pytest.mark.slow(reason="renders the public PDFs of two editions of the demo")
def test_a_correction_is_edition_2_with_its_note_and_edition_1_stays_readable(
    published_with_pdf, jobs, client
):
    published = published_with_pdf
    analyst, chair = people("analyst", "chair")
    first = published.public_edition
    first_pdf = public_pdf(published)
    with jobs():
        change_the_working_copy(published)
        workflow.assessment_transition(
            assessment=published,
            action="correct",
            by=analyst,
            reason="Corrected the domestic abuse figures",
        )
        workflow.assessment_transition(assessment=published, action="approve", by=chair)
        workflow.assessment_transition(assessment=published, action="publish", by=analyst)
    published.refresh_from_db()
    second = published.public_edition
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.status == Edition.Status.SUPERSEDED

    page = client.get(published.get_absolute_url()).content.decode()
    assert "Last updated" in page and "Corrected the domestic abuse figures" in page
    assert "Everything changed after the board met." in page
    assert reverse("edition", args=["safermk", 2017, 1]) in page

    old = client.get(reverse("edition", args=["safermk", 2017, 1])).content.decode()
    assert "This edition has been replaced" in old
    assert "Everything changed after the board met." not in old
    old_chapter = client.get(reverse("edition_chapter", args=["safermk", 2017, 1, "crime"]))
    assert old_chapter.status_code == 200
    # Each edition keeps its own PDF: the first edition's is the file the public first got.
    assert public_pdf(published, number=1) == first_pdf
    assert "Edition 1, approved" in pdf_text(first_pdf)
    assert first.short_hash in pdf_text(first_pdf)
    second_text = pdf_text(public_pdf(published))
    assert "Edition 2, approved" in second_text and second.short_hash in second_text
    assert "Corrected the domestic abuse figures" in second_text


@pytest.mark.slow(reason="renders the demo's restricted PDF and asks for it again")
def test_restricted_copies_print_the_edition_byte_for_byte(published_with_pdf, jobs):
    published = published_with_pdf
    (police,) = people("police")
    with jobs():
        before = report_export_request(assessment=published, user=police, variant="restricted")
    before.refresh_from_db()
    content = before.file.read()
    with jobs():
        change_the_working_copy(published)
        again = report_export_request(assessment=published, user=police, variant="restricted")
    again.refresh_from_db()
    assert again.pk == before.pk
    assert again.file.read() == content
    text = pdf_text(content)
    assert "Edition 1, approved" in text and "Everything changed" not in text


# The demo's consultation is still open: the chair ticks that they approve before it closes.
EARLY = {"before_closing": "on"}


@pytest.mark.slow(reason="the demo's report document built four times, each with its maps")
def test_the_chair_approves_what_they_read(demo, client):
    from assessments.demo.editions import BEFORE_THE_BOARD  # noqa: PLC0415
    from assessments.publication.models import StatutoryCoverage  # noqa: PLC0415

    for requirement, slugs in BEFORE_THE_BOARD.items():
        coverage = StatutoryCoverage.objects.create(assessment=demo, requirement=requirement)
        coverage.chapters.set(demo.chapters.filter(slug__in=slugs))
    (chair,) = people("chair")
    client.force_login(chair)
    url = reverse("transition", args=["safermk", 2017])
    page = client.get(url, {"action": "approve"})
    read = page.context["form"]["document_sha256"].value()
    assert read[:12] in page.content.decode()

    headline = Headline.objects.filter(assessment=demo).first()
    headline.text = "Changed while the chair was reading."
    headline.save()
    refused = client.post(url, {"action": "approve", "document_sha256": read, **EARLY})
    assert "changed since you opened this page" in refused.content.decode()
    demo.refresh_from_db()
    assert demo.status == Assessment.Status.CONSULTATION and not demo.editions.exists()

    now_read = refused.context["form"]["document_sha256"].value()
    assert now_read != read
    client.post(url, {"action": "approve", "document_sha256": now_read, **EARLY})
    edition = demo.editions.get()
    assert edition.sha256 == now_read and edition.approved_by == chair
    assert "Changed while the chair was reading." in edition.content


def test_going_back_to_consultation_discards_the_unpublished_edition(demo):
    analyst, chair = people("analyst", "chair")
    demo_publish(demo)
    workflow.assessment_transition(assessment=demo, action="correct", by=analyst, reason="Fix.")
    workflow.assessment_transition(assessment=demo, action="approve", by=chair)
    assert demo.editions.filter(status="approved").exists()
    workflow.assessment_transition(
        assessment=demo,
        action="back_to_consultation",
        by=analyst,
        reason="Not yet",
        closes_on=demo.consultation_closes_on,
    )
    assert list(demo.editions.values_list("number", "status")) == [(1, "published")]


@pytest.mark.slow(reason="renders the demo's public PDFs of two editions")
def test_no_public_page_or_pdf_names_a_workflow_reason_or_a_member_of_staff(
    published_with_pdf, jobs
):
    published = published_with_pdf
    analyst, chair = people("analyst", "chair")
    reasons = ["A reason only the staff may read", "An override only the staff may read"]
    WorkflowEvent.objects.filter(assessment=published).update(reason=reasons[0])
    event = WorkflowEvent.objects.filter(assessment=published).first()
    ReadinessOverride.objects.create(event=event, by=analyst, reason=reasons[1], failures=[])
    with jobs():
        workflow.assessment_transition(
            assessment=published, action="unpublish", by=analyst, reason=reasons[0]
        )
        workflow.assessment_transition(
            assessment=published, action="correct", by=analyst, reason="The public note."
        )
        workflow.assessment_transition(assessment=published, action="approve", by=chair)
        workflow.assessment_transition(assessment=published, action="publish", by=analyst)
    published.refresh_from_db()
    anonymous = Client()
    urls = [published.get_absolute_url(), reverse("edition", args=["safermk", 2017, 1])]
    urls += [f"{published.get_absolute_url()}{c.slug}/" for c in published.chapters.all()]
    texts = [anonymous.get(url).content.decode() for url in urls]
    texts.append(pdf_text(public_pdf(published)))
    # Everyone who worked on it, but the author the report itself names on its cover.
    staff = [
        u.get_full_name()
        for u in User.objects.filter(memberships__isnull=False)
        if u.get_full_name() != published.author_name
    ]
    for text in texts:
        for secret in [*reasons, *staff]:
            assert secret not in text
    assert "The public note." in texts[0]


def test_a_take_down_is_seen_by_the_next_request(published, jobs, client):
    analyst = people("analyst")[0]
    url = f"{published.get_absolute_url()}crime/"
    assert client.get(url).status_code == 200
    edition_pdf = report_export_request(assessment=published, user=analyst, variant="public")
    with jobs():
        workflow.assessment_transition(
            assessment=published, action="unpublish", by=analyst, reason="Wrong figures"
        )
    gone = client.get(url)
    assert gone.status_code == 410
    assert "Taken down on" in gone.content.decode()
    assert "a corrected edition will follow" in gone.content.decode()
    assert edition_pdf.edition.number == 1
    assert client.get(edition_pdf.get_download_url()).status_code in (302, 404)
    assert client.get(reverse("edition", args=["safermk", 2017, 1])).status_code == 404


def test_an_edition_renders_from_its_frozen_text_alone(published, client):
    """No template used for an edition reads a model: its pages and its PDF's HTML render with
    every query but the edition's own lookup refused."""
    edition = published.public_edition
    html_before = edition_html(edition=edition, variant="public", appendix_ids=[])

    def refuse(execute, sql, params, many, context):
        raise AssertionError(f"an edition's template read the database: {sql}")

    with connection.execute_wrapper(refuse):
        assert edition_html(edition=edition, variant="public", appendix_ids=[]) == html_before
    # The pages: found with one query, then built from the edition's text without any.
    from assessments.publication.edition_views import edition_chapter_page  # noqa: PLC0415

    request = client.get("/").wsgi_request
    assessment = assessment_by_url("safermk", 2017)
    edition.content  # noqa: B018 (loaded before the database is refused)
    document_pages = []

    def allow_editions_only(execute, sql, params, many, context):
        if "assessments_edition" not in sql and "reportexport" not in sql:
            raise AssertionError(f"an edition's page read the working copy: {sql}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(allow_editions_only):
        document_pages.append(edition_chapter_page(request, assessment, edition, "crime"))
    assert document_pages[0].status_code == 200
    assert reads_edition(request, published)


def test_editions_lists_them_in_order_as_json(published, jobs, capsys):
    analyst, chair = people("analyst", "chair")
    with jobs():
        workflow.assessment_transition(
            assessment=published, action="correct", by=analyst, reason="Corrected the figures"
        )
        workflow.assessment_transition(assessment=published, action="approve", by=chair)
    call_command("editions", "safermk", "2017", "--json")
    listed = json.loads(capsys.readouterr().out)
    assert [(e["number"], e["status"]) for e in listed] == [(1, "published"), (2, "approved")]
    assert listed[0]["change_note"] == "" and listed[1]["change_note"] == "Corrected the figures"
    assert listed[1]["published_at"] is None
    assert listed[0]["published_at"].startswith("20") and "T" in listed[0]["approved_at"]
    first = Edition.objects.get(number=1)
    assert listed[0]["sha256"] == first.sha256 and len(first.sha256) == 64
    assert set(listed[0]) == {
        "number", "status", "approved_at", "published_at", "change_note", "sha256"
    }  # fmt: skip


def test_the_ranking_the_board_agreed_is_frozen(published, client):
    page = client.get(published.get_absolute_url()).content.decode()
    criterion = Criterion.objects.filter(assessment=published).first()
    criterion.weight += 3
    criterion.save()
    IndicatorSelection.objects.filter(chapter__assessment=published).update(caveat="Changed")
    assert Client().get(published.get_absolute_url()).content.decode() == page


def test_the_dashboard_says_what_changed_since_the_edition(published, jobs, client):
    (analyst,) = people("analyst")
    client.force_login(analyst)
    url = reverse("dashboard", args=["safermk", 2017])
    assert "says exactly what edition 1 says" in client.get(url).content.decode()
    with jobs():
        change_the_working_copy(published)
    page = client.get(url).content.decode()
    assert "Changed since edition 1" in page
    assert "Everything changed after the board met." in page
    assert "Start a correction" in page and "?action=correct" in page


def test_the_cover_paper_of_an_approved_assessment_is_the_editions(published, jobs, client):
    (chair,) = people("chair")
    client.force_login(chair)
    url = reverse("cover_paper", args=["safermk", 2017])
    before = client.get(url).content.decode()
    assert "The paper of edition 1" in before
    assert "presented to the Partnership for approval" in before
    published.background = "A background written after the board met."
    published.save()
    headline = Headline.objects.filter(assessment=published).first()
    headline.text = "Everything changed after the board met."
    headline.save()
    after = client.get(url).content.decode()
    assert "after the board met" not in after
    with jobs():
        export = report_export_request(
            assessment=published, user=chair, variant="public", kind="cover"
        )
    export.refresh_from_db()
    assert export.edition == published.public_edition and export.status == "done"
    text = pdf_text(export.file.read())
    assert "Discussion and Decision Report" in text and "after the board met" not in text


@pytest.mark.slow(reason="renders the demo's 43-page public PDF when first asked for")
def test_an_editions_pdf_has_an_address_that_lasts(published, jobs, client):
    """The pages link to the edition's own PDF address, so they need not change (and stay
    cached) when the file is ready: until then it says so, and asks for one render."""
    url = reverse("edition_pdf", args=["safermk", 2017, 1])
    assert url in client.get(published.get_absolute_url()).content.decode()
    with jobs():
        waiting = client.get(url)
        client.get(url)
    assert waiting.status_code == 503 and waiting["Retry-After"] == "30"
    assert "The PDF is being prepared" in waiting.content.decode()
    export = ReportExport.objects.get(edition__number=1, variant="public", recipient=None)
    assert export.status == "done"
    ready = client.get(url)
    assert ready.status_code == 302 and ready["Location"] == export.get_download_url()
