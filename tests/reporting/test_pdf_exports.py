"""Asking for the PDF, following it and downloading it: who may, what is reused, how the job
recovers. Celery runs eagerly here; tests/reporting/test_pdf_worker.py uses a real worker."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.appendices.models import AppendixAccess
from assessments.appendices.permissions import grant_appendix, revoke_appendix
from assessments.core.jobs import outbox_relay
from assessments.core.models import OutboxJob, User
from assessments.core.personal_copy import personal_copy
from assessments.reporting.documents import report_html, report_identity
from assessments.reporting.exports import report_export_request, report_exports_requeue_stale
from assessments.reporting.models import ReportExport
from assessments.reporting.rendering import report_export_render
from assessments.workspace.services import chapter_figure_add

from ..factories import (
    AppendixFactory,
    ChapterFactory,
    GeographyFactory,
    OrganisationFactory,
    RecommendationFactory,
    image_bytes,
    member,
    upload,
)

pytestmark = pytest.mark.django_db

Status = ReportExport.Status


@pytest.fixture
def chapter(assessment):
    chapter = ChapterFactory(assessment=assessment, title="Antisocial behaviour")
    RecommendationFactory(chapter=chapter, text="Fund two more street wardens.")
    return chapter


@pytest.fixture
def estate_appendix(assessment, police_org):
    appendix = AppendixFactory(
        assessment=assessment, title="Appendix B: Estates", narrative="Fishermead figures."
    )
    grant_appendix(appendix, organisation=police_org)
    return appendix


def _request_url(assessment):
    return reverse("export_request", args=[assessment.partnership.slug, assessment.year])


def _urls(export):
    return export.get_absolute_url(), export.get_download_url()


def _pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    return " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )


def test_the_analyst_asks_for_the_public_pdf_and_downloads_it(analyst_client, chapter, jobs):
    assessment = chapter.assessment
    with jobs():
        response = analyst_client.post(_request_url(assessment), {"variant": "public"})
    export = ReportExport.objects.get()
    status_url, download_url = _urls(export)
    assert response.status_code == 302 and response.url == status_url
    assert (export.status, export.progress, export.attempts) == (Status.DONE, 100, 1)
    assert export.pages >= 4 and export.size > 1000 and len(export.checksum) == 64
    assert export.started_at <= export.finished_at

    page = analyst_client.get(status_url).content.decode()
    assert "Your PDF is ready" in page and download_url in page
    download = analyst_client.get(download_url)
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert "attachment" in download["Content-Disposition"]
    text = _pdf_text(download)
    assert "Antisocial behaviour" in text and "Fund two more street wardens." in text


@pytest.mark.slow(reason="renders the PDF twice")
def test_an_identical_request_reuses_the_file_and_a_change_renders_again(analyst, chapter, jobs):
    assessment = chapter.assessment
    with jobs():
        first = report_export_request(assessment=assessment, user=analyst, variant="public")
    first.refresh_from_db()
    with jobs() as enqueued:
        again = report_export_request(assessment=assessment, user=analyst, variant="public")
    assert enqueued == []
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.finished_at, again.attempts, again.file.name) == (
        first.finished_at,
        1,
        first.file.name,
    )

    chapter.narrative = "A rewritten chapter."
    chapter.save()
    with jobs():
        changed = report_export_request(assessment=assessment, user=analyst, variant="public")
    assert changed.pk != first.pk
    assert ReportExport.objects.filter(status=Status.DONE).count() == 2


def test_a_restricted_pdf_holds_exactly_the_requesters_appendices(
    police_client, analyst, chapter, estate_appendix, jobs
):
    hidden = AppendixFactory(assessment=chapter.assessment, title="Appendix C: Council only")
    with jobs():
        response = police_client.post(_request_url(chapter.assessment), {"variant": "restricted"})
    export = ReportExport.objects.get()
    assert response.url == _urls(export)[0]
    assert export.audience == [estate_appendix.pk]
    text = _pdf_text(police_client.get(_urls(export)[1]))
    assert "Appendix B: Estates" in text and "Fishermead figures." in text
    assert hidden.title not in text
    # The analyst sees every appendix, so theirs is another document.
    other = report_export_request(assessment=chapter.assessment, user=analyst, variant="restricted")
    assert other.pk != export.pk and other.audience == [estate_appendix.pk, hidden.pk]


@pytest.mark.parametrize(
    "who,variant,expected",
    [
        ("analyst", "public", 302),
        ("analyst", "restricted", 302),
        ("chair", "restricted", 302),
        # In consultation every partner may print the draft (marked DRAFT on every page).
        ("chair", "public", 302),
        ("police_partner", "restricted", 302),
        ("police_partner", "public", 302),
        ("fire_partner", "restricted", 404),  # sees no appendix
        ("fire_partner", "public", 302),
        ("outsider", "restricted", 404),
        ("other_analyst", "public", 404),
        ("analyst", "everything", 404),
        (None, "public", 302),
    ],
)
def test_who_may_ask_for_a_pdf(client, request, chapter, estate_appendix, who, variant, expected):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.post(_request_url(chapter.assessment), {"variant": variant})
    assert response.status_code == expected
    if who is None:
        assert response.url.startswith(reverse("login"))
    assert ReportExport.objects.exists() == (expected == 302 and who is not None)


@pytest.mark.parametrize("status", ["draft", "approved", "published"])
def test_outside_consultation_a_partner_gets_no_public_pdf_to_request(fire_client, chapter, status):
    chapter.assessment.status = status
    chapter.assessment.save()
    response = fire_client.post(_request_url(chapter.assessment), {"variant": "public"})
    assert response.status_code == 404


def test_a_partner_without_a_grant_downloads_the_public_draft_during_consultation(
    fire_client, chapter, estate_appendix, jobs
):
    page = fire_client.get(chapter.assessment.get_absolute_url()).content.decode()
    assert "Prepare the public PDF" in page and "Prepare the restricted PDF" not in page
    with jobs():
        fire_client.post(_request_url(chapter.assessment), {"variant": "public"})
    export = ReportExport.objects.get()
    assert export.variant == "public" and export.recipient is None
    text = _pdf_text(fire_client.get(_urls(export)[1]))
    assert "DRAFT" in text and estate_appendix.title not in text


def test_a_get_does_not_start_an_export(analyst_client, chapter):
    assert analyst_client.get(_request_url(chapter.assessment)).status_code == 405
    assert not ReportExport.objects.exists()


@pytest.fixture
def police_colleague(partnership, police_org):
    """Another member of the police organisation: the same grant as police_partner."""
    return member(partnership, "partner", username="colleague", organisation=police_org)


@pytest.mark.parametrize(
    "who,expected",
    [
        ("police_partner", 200),  # its recipient
        ("police_colleague", 404),  # issue 29, finding 3: a personal copy is its recipient's
        ("analyst", 404),
        ("chair", 404),
        ("fire_partner", 404),
        ("board_member", 404),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_who_may_follow_and_download_a_restricted_pdf(
    client, request, police_partner, chapter, estate_appendix, who, expected, jobs
):
    with jobs():
        export = report_export_request(
            assessment=chapter.assessment, user=police_partner, variant="restricted"
        )
    if who:
        client.force_login(request.getfixturevalue(who))
    for url in _urls(export):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response.url.startswith(reverse("login"))


@pytest.mark.slow(reason="renders a personal copy for each of two readers")
def test_the_dashboard_lists_only_the_viewers_own_personal_copies(
    analyst_client, analyst, police_partner, chapter, estate_appendix, jobs
):
    with jobs():
        theirs = report_export_request(
            assessment=chapter.assessment, user=police_partner, variant="restricted"
        )
        own = report_export_request(
            assessment=chapter.assessment, user=analyst, variant="restricted"
        )
    page = analyst_client.get(
        reverse("dashboard", args=[chapter.assessment.partnership.slug, chapter.assessment.year])
    ).content.decode()
    assert own.get_absolute_url() in page
    assert theirs.get_absolute_url() not in page


def test_the_export_admin_shows_neither_address_nor_file_of_a_copy(
    analyst_client, police_partner, chapter, estate_appendix, jobs
):
    with jobs():
        export = report_export_request(
            assessment=chapter.assessment, user=police_partner, variant="restricted"
        )
    export.refresh_from_db()
    found = analyst_client.get(
        reverse("admin:assessments_reportexport_changelist"), {"q": export.copy_id}
    )
    change = analyst_client.get(
        reverse("admin:assessments_reportexport_change", args=[export.pk])
    ).content.decode()
    assert export.copy_id in found.content.decode()
    assert str(police_partner) in change and export.copy_id in change
    assert export.file.name
    assert str(export.token) not in change and export.file.name not in change


def test_a_revoked_grant_closes_the_file_at_the_next_download(
    police_client, police_partner, police_org, chapter, estate_appendix, jobs
):
    with jobs():
        export = report_export_request(
            assessment=chapter.assessment, user=police_partner, variant="restricted"
        )
    status_url, download_url = _urls(export)
    assert police_client.get(download_url).status_code == 200
    revoke_appendix(estate_appendix, organisation=police_org)
    assert police_client.get(download_url).status_code == 404
    assert police_client.get(status_url).status_code == 404


def test_the_public_pdf_follows_the_assessments_readers(
    client, analyst, chapter, fire_partner, jobs
):
    assessment = chapter.assessment
    with jobs():
        export = report_export_request(assessment=assessment, user=analyst, variant="public")
    _, download_url = _urls(export)
    client.force_login(fire_partner)
    assert client.get(download_url).status_code == 200  # in consultation: members read
    assessment.status = "draft"
    assessment.save()
    assert client.get(download_url).status_code == 404


def test_an_unfinished_export_has_nothing_to_download(analyst_client, analyst, assessment):
    export = ReportExport.objects.create(assessment=assessment, requested_by=analyst)
    status_url, download_url = _urls(export)
    page = analyst_client.get(status_url).content.decode()
    assert "Waiting for a worker to start: 0% done" in page
    assert f'hx-get="{status_url}"' in page and "Check progress" in page
    assert analyst_client.get(download_url).status_code == 404
    partial = analyst_client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'value="0"' in partial


def test_the_assessment_page_offers_the_pdfs_each_user_may_have(
    client, analyst, police_partner, fire_partner, chapter, estate_appendix
):
    # In consultation: every partner may print the public draft.
    expected = {
        analyst: ["Prepare the public PDF", "Prepare the restricted PDF"],
        police_partner: ["Prepare the public PDF", "Prepare the restricted PDF"],
        fire_partner: ["Prepare the public PDF"],
    }
    for user, buttons in expected.items():
        client.force_login(user)
        page = client.get(chapter.assessment.get_absolute_url()).content.decode()
        for label in ["Prepare the public PDF", "Prepare the restricted PDF"]:
            assert (label in page) == (label in buttons), (user, label)


# The job ------------------------------------------------------------------------------------


def _queued(assessment, **fields):
    identity = report_identity(assessment=assessment, variant="public", appendices=[])
    return ReportExport.objects.create(
        assessment=assessment, content_hash=identity.content_hash, **fields
    )


def test_a_running_export_whose_lease_ran_out_is_rendered_again(chapter):
    past = timezone.now() - dt.timedelta(minutes=5)
    export = _queued(chapter.assessment, status=Status.RUNNING, lease_expires_at=past, attempts=1)
    report_export_render(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.attempts, export.progress) == (Status.DONE, 2, 100)


def test_a_running_export_with_a_live_lease_is_left_to_its_worker(chapter):
    future = timezone.now() + dt.timedelta(minutes=1)
    export = _queued(chapter.assessment, status=Status.RUNNING, lease_expires_at=future, attempts=1)
    assert report_export_render(export_id=export.pk) is None
    export.refresh_from_db()
    assert (export.status, export.attempts) == (Status.RUNNING, 1)


def test_a_message_delivered_again_after_its_worker_died_takes_the_row_over(chapter):
    future = timezone.now() + dt.timedelta(minutes=1)
    export = _queued(chapter.assessment, status=Status.RUNNING, lease_expires_at=future, attempts=1)
    report_export_render(export_id=export.pk, worker_lost=True)
    export.refresh_from_db()
    assert (export.status, export.attempts) == (Status.DONE, 2)


def test_an_export_asked_for_while_the_broker_is_down_waits_in_the_outbox(
    analyst_client, chapter, monkeypatch, jobs
):
    from kombu.exceptions import OperationalError

    from assessments.reporting.tasks import render_report_export_task

    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    # On the task's own class: patched on the task object itself, the undo would leave the old
    # bound method on the object, and a later test's patch of Task.apply_async would miss it.
    task_class = type(render_report_export_task._get_current_object())  # not its proxy
    monkeypatch.setattr(task_class, "apply_async", unreachable)
    with jobs():
        response = analyst_client.post(_request_url(chapter.assessment), {"variant": "public"})
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert export.status == Status.QUEUED
    [job] = OutboxJob.objects.all()
    assert (job.task, job.args, job.published_at) == (
        "render_report_export_task",
        [export.pk],
        None,
    )
    OutboxJob.objects.update(next_attempt_at=timezone.now())
    assert outbox_relay() == 0  # still down: still waiting

    monkeypatch.undo()
    OutboxJob.objects.update(next_attempt_at=timezone.now())
    assert outbox_relay() == 1
    export.refresh_from_db()
    assert export.status == Status.DONE


def test_the_sweep_requeues_stale_exports_and_gives_up_after_three_attempts(chapter, jobs):
    past = timezone.now() - dt.timedelta(minutes=5)
    stale = _queued(chapter.assessment, status=Status.RUNNING, lease_expires_at=past, attempts=1)
    dead = _queued(chapter.assessment, status=Status.RUNNING, lease_expires_at=past, attempts=3)
    with jobs():
        assert report_exports_requeue_stale() == 1
    stale.refresh_from_db()
    dead.refresh_from_db()
    assert stale.status == Status.DONE
    assert dead.status == Status.FAILED
    assert dead.error == "The render did not finish after 3 attempts."


def test_a_failed_render_is_recorded_and_a_new_request_retries_it(
    analyst, chapter, monkeypatch, jobs
):
    def broken(*args, **kwargs):
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr("assessments.reporting.pdf.render_pdf", broken)
    with jobs():
        export = report_export_request(
            assessment=chapter.assessment, user=analyst, variant="public"
        )
    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert export.error == "RuntimeError: Pango is missing"
    assert not export.file
    monkeypatch.undo()
    with jobs():
        retried = report_export_request(
            assessment=chapter.assessment, user=analyst, variant="public"
        )
    retried.refresh_from_db()
    assert (retried.pk, retried.status, retried.error) == (export.pk, Status.DONE, "")


def test_progress_is_reported_page_by_page_up_to_the_end(chapter):
    html = report_html(assessment=chapter.assessment, variant="public", appendices=[])
    seen = []
    from assessments.reporting import pdf

    pdf.render_pdf(html, on_progress=seen.append, expected_pages=4)
    assert seen == sorted(seen) and len(seen) >= 4
    assert seen[0] < 20 and seen[-1] >= 90


@pytest.mark.slow(reason="renders the public and the restricted PDF")
def test_the_admin_action_prepares_both_variants(analyst_client, chapter, estate_appendix, jobs):
    with jobs():
        response = analyst_client.post(
            reverse("admin:assessments_assessment_changelist"),
            {"action": "prepare_pdfs", "_selected_action": [chapter.assessment.pk]},
            follow=True,
        )
    assert response.status_code == 200
    variants = sorted(ReportExport.objects.values_list("variant", "status"))
    assert variants == [("public", Status.DONE), ("restricted", Status.DONE)]
    page = response.content.decode()
    assert "Public PDF of" in page and "Restricted PDF of" in page


@pytest.mark.slow(reason="renders the PDF and its HTML through the command")
def test_render_report_writes_the_pdf_and_self_contained_html(
    tmp_path, police_partner, chapter, estate_appendix
):
    output, html = tmp_path / "report.pdf", tmp_path / "report.html"
    assessment = chapter.assessment
    call_command(
        "render_report",
        assessment.partnership.slug,
        str(assessment.year),
        "--variant=restricted",
        "--user=police",
        f"--output={output}",
        f"--html={html}",
    )
    pdf = PdfReader(output)
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Fishermead figures." in text
    # It is police's personal copy, named on every page, its copy id logged.
    name = police_partner.get_full_name()
    assert all(f"Issued to {name}" in " ".join(p.extract_text().split()) for p in pdf.pages)
    access = AppendixAccess.objects.get()
    assert access.copy_id == pdf.metadata["/copyid"] and access.username == "police"
    source = html.read_text()
    assert "<style>" in source and "@page" in source
    assert "<link" not in source and "src=" not in source


def _edit_recommendation(chapter):
    chapter.recommendations.update(text="A different recommendation.")


def _edit_status(chapter):
    chapter.assessment.status = "approved"
    chapter.assessment.save()


def _edit_lead_organisation(chapter):
    chapter.lead_organisation.name = "Renamed Police"
    chapter.lead_organisation.save()


def _new_data(chapter):
    from assessments.indicators.models import ImportBatch

    ImportBatch.objects.create(partnership=chapter.assessment.partnership, source="admin", key="x")


def _edit_appendix(chapter):
    chapter.assessment.appendices.update(narrative="Rewritten estate figures.")


def _edit_introduction(chapter):
    chapter.assessment.introduction = "A new foreword."
    chapter.assessment.save()


def _extend_consultation(chapter):
    chapter.assessment.consultation_closes_on += dt.timedelta(days=7)
    chapter.assessment.save()


def _edit_headline(chapter):
    chapter.assessment.headlines.create(text="Burglary fell by a tenth.", on_cover=True)


def _tick_priority(chapter):
    chapter.assessment.purposes.create(kind="priority", label="Reducing burglary", addressed=True)


def _accept_recommendation(chapter):
    chapter.recommendations.update(status="accepted")


def _cover_a_requirement(chapter):
    coverage = chapter.assessment.statutory_coverage.create(requirement="levels")
    coverage.chapters.add(chapter)


def _add_partner(chapter):
    OrganisationFactory(name="Milton Keynes Hospital").partnerships.add(
        chapter.assessment.partnership
    )


def _rename_estate(chapter):
    from assessments.indicators.models import Geography

    GeographyFactory(
        partnership=chapter.assessment.partnership, level=Geography.Level.ESTATE, name="Oldbrook"
    )


def _rename_recipient(chapter):
    police = User.objects.get(username="police")
    police.last_name = "Okafor-Smith"
    police.save()


def _edit_appendix_period(chapter):
    chapter.assessment.appendices.update(comparison_period_start=dt.date(2014, 4, 1))


def _change_marking(chapter):
    chapter.assessment.partnership.restricted_marking = "OFFICIAL-SENSITIVE PERSONAL"
    chapter.assessment.partnership.save()


@pytest.mark.parametrize(
    "change",
    [
        _edit_recommendation, _edit_status, _edit_lead_organisation, _new_data, _edit_appendix,
        _edit_introduction, _extend_consultation, _edit_headline, _tick_priority,
        _accept_recommendation, _cover_a_requirement, _add_partner, _rename_estate,
        _rename_recipient, _edit_appendix_period, _change_marking,
    ],
)  # fmt: skip
def test_every_input_of_the_document_changes_its_content_hash(
    chapter, police_partner, police_org, estate_appendix, change
):
    chapter.lead_organisation = police_org
    chapter.save()

    def identity():
        return report_identity(
            assessment=chapter.assessment,
            variant="restricted",
            appendices=[estate_appendix],
            recipient=User.objects.get(pk=police_partner.pk),
        )

    before = identity()
    assert identity() == before
    change(chapter)
    assert identity().content_hash != before.content_hash


def test_the_hash_changes_when_the_consultation_closes_with_no_row_changed(chapter, monkeypatch):
    """The cover says "Consultation closed, awaiting approval" from the day after it closes."""
    assessment = chapter.assessment

    def identity():
        return report_identity(assessment=assessment, variant="public", appendices=[])

    before = identity()
    after_closing = assessment.consultation_closes_on + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: after_closing)
    assert identity().content_hash != before.content_hash


@pytest.mark.slow(reason="renders the PDF twice")
def test_a_file_gone_from_storage_is_not_found_and_a_new_request_renders_it(
    analyst_client, analyst, chapter, jobs
):
    with jobs():
        export = report_export_request(
            assessment=chapter.assessment, user=analyst, variant="public"
        )
    export.refresh_from_db()
    export.file.storage.delete(export.file.name)
    assert analyst_client.get(_urls(export)[1]).status_code == 404
    with jobs():
        again = report_export_request(assessment=chapter.assessment, user=analyst, variant="public")
    again.refresh_from_db()
    assert again.pk != export.pk and again.status == Status.DONE
    assert analyst_client.get(_urls(again)[1]).status_code == 200


def test_the_cover_papers_own_inputs_change_its_hash_and_the_shared_headlines_both(chapter):
    """The cover paper registers what it is made of; the headlines are one list that the
    report and the cover paper both print."""
    assessment = chapter.assessment

    def identity(kind):
        return report_identity(
            assessment=assessment, variant="public", appendices=[], kind=kind
        ).content_hash

    cover, report = identity(ReportExport.Kind.COVER_PAPER), identity(ReportExport.Kind.FULL_REPORT)
    # The cover paper counts the appendices; the public report has none.
    AppendixFactory(assessment=assessment)
    assert identity(ReportExport.Kind.COVER_PAPER) != cover
    assert identity(ReportExport.Kind.FULL_REPORT) == report
    assessment.headlines.create(text="Burglary fell by a tenth.", on_cover=True, order=1)
    assert identity(ReportExport.Kind.COVER_PAPER) != cover
    assert identity(ReportExport.Kind.FULL_REPORT) != report


def test_the_pdf_inlines_figures_as_data_uris(analyst, chapter):
    chapter_figure_add(
        chapter=chapter, image=upload(image_bytes()), alt_text="A map", caption="Crime", by=analyst
    )
    chapter.narrative = "Before.\n\n[[figure:1]]"
    chapter.save()
    for only in (chapter, None):  # the chapter preview and the full report
        html = report_html(
            assessment=chapter.assessment, variant="public", appendices=[], chapter=only
        )
        assert '<img src="data:image/png;base64,' in html
        assert "Figure 1: Crime" in html
        assert "/figures/1/" not in html


# Personal copies -----------------------------------------------------------------------------


def _pdf(response) -> PdfReader:
    return PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def test_a_restricted_pdf_is_its_recipients_personal_copy_named_on_every_page(
    client, police_partner, analyst, chapter, estate_appendix, jobs
):
    client.force_login(police_partner)
    with jobs():
        client.post(_request_url(chapter.assessment), {"variant": "restricted"})
    export = ReportExport.objects.get()
    assert export.recipient == police_partner and len(export.copy_id) >= 12
    response = client.get(_urls(export)[1])
    assert f"police-{export.copy_id}.pdf" in response["Content-Disposition"]
    pdf = _pdf(response)
    name = police_partner.get_full_name()
    for number, page in enumerate(pdf.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Issued to {name}, Test Police" in text, number
        assert "OFFICIAL-SENSITIVE" in text, number
    assert pdf.metadata["/copyid"] == export.copy_id
    # The access log records which copy was handed over.
    access = AppendixAccess.objects.get(route="pdf")
    assert (access.username, access.copy_id) == ("police", export.copy_id)
    # The same recipient asking again gets the same copy; another recipient their own.
    again = report_export_request(
        assessment=chapter.assessment, user=police_partner, variant="restricted"
    )
    assert again.pk == export.pk
    other = report_export_request(assessment=chapter.assessment, user=analyst, variant="restricted")
    assert other.pk != export.pk and other.copy_id != export.copy_id
    assert other.recipient == analyst


def test_the_public_variant_names_nobody(analyst_client, chapter, jobs):
    with jobs():
        analyst_client.post(_request_url(chapter.assessment), {"variant": "public"})
    export = ReportExport.objects.get()
    assert export.recipient is None and export.copy_id == ""
    response = analyst_client.get(_urls(export)[1])
    assert "Issued to" not in _pdf_text(response)


def test_a_name_cannot_break_out_of_the_page_marking(chapter, estate_appendix, police_partner):
    police_partner.first_name = 'Sam"; } </style><script>'
    police_partner.save()
    html = report_html(
        assessment=chapter.assessment,
        variant="restricted",
        appendices=[estate_appendix],
        copy=personal_copy(police_partner),
    )
    assert "</style><script>" not in html


# The status page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,label",
    [
        ("report", "Report (public version) as a PDF"),
        ("cover", "Cover paper (Discussion and Decision Report) as a PDF"),
        ("chapter", "Chapter preview: Antisocial behaviour as a PDF"),
    ],
)
def test_the_status_page_names_the_document_and_counts_pages(analyst_client, chapter, kind, label):
    export = ReportExport.objects.create(
        assessment=chapter.assessment,
        kind=kind,
        chapter=chapter if kind == "chapter" else None,
        status=Status.DONE,
        pages=1,
        size=1000,
    )
    page = analyst_client.get(_urls(export)[0]).content.decode()
    assert label in page
    assert "1 page," in page and "1 pages" not in page
    assert "Public PDF" not in page


def test_the_status_page_returns_to_where_the_request_came_from(analyst_client, chapter):
    cover_paper = reverse("cover_paper", args=[chapter.assessment.partnership.slug, 2017])
    response = analyst_client.post(
        _request_url(chapter.assessment),
        {"variant": "public", "kind": "cover", "next": cover_paper},
    )
    page = analyst_client.get(response.url).content.decode()
    assert f'href="{cover_paper}">Back to where you asked for it' in page
    export = ReportExport.objects.get()
    hostile = analyst_client.get(_urls(export)[0], {"next": "https://evil.example/"})
    assert "evil.example" not in hostile.content.decode()
    assert "Back to the assessment" in hostile.content.decode()
