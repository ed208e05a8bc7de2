"""Finding 3 of issue 15: a draft stays with the people who could see the draft. Publication
opens the published report's PDF to everyone and nothing else; export addresses are not
guessable."""

import pytest
from django.urls import NoReverseMatch, reverse

from assessments.consultation.services import workflow
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import ReportExport

from ..factories import AssessmentFactory, make_ready, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(partnership):
    """In consultation until the drafts are printed, then approved (_published_with_drafts)."""
    assessment = AssessmentFactory(partnership=partnership, status="consultation")
    make_ready(assessment).chapters.filter(slug="crime").update(narrative="Draft words.")
    return assessment


def _published_with_drafts(assessment, analyst, jobs):
    """The analyst prints a draft of the report and a chapter preview, then publishes."""
    chapter = assessment.chapters.get()
    with jobs():
        draft = report_export_request(assessment=assessment, user=analyst, variant="public")
        preview = report_export_request(
            assessment=assessment, user=analyst, variant="public", chapter=chapter
        )
        chapter.narrative = "Approved words."
        chapter.save()
        set_status(assessment, "approved")
        workflow.assessment_transition(assessment=assessment, action="publish", by=analyst)
    published = ReportExport.objects.exclude(pk__in=[draft.pk, preview.pk]).get()
    draft.refresh_from_db()
    preview.refresh_from_db()
    return draft, preview, published


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.slow(reason="renders three PDFs: a draft, a preview and the published copy")
def test_drafts_stay_with_their_readers_after_publication(
    client, analyst, chair, outsider, other_analyst, approved, jobs
):
    draft, preview, published = _published_with_drafts(approved, analyst, jobs)
    assert {draft.status, preview.status, published.status} == {"done"}

    for who in (None, outsider, other_analyst):
        client.logout()
        if who:
            client.force_login(who)
        for export in (draft, preview):
            assert client.get(export.get_download_url()).status_code in (302, 404), (who, export)
            assert client.get(export.get_absolute_url()).status_code in (302, 404), (who, export)
        assert client.get(published.get_download_url()).status_code == 200, who

    for who in (analyst, chair):
        client.force_login(who)
        for export in (draft, preview, published):
            assert client.get(export.get_download_url()).status_code == 200, (who, export)


@pytest.mark.slow(reason="renders three PDFs: a draft, a preview and the published copy")
def test_the_public_get_the_published_pdf_not_a_sequential_id(client, analyst, approved, jobs):
    _, _, published = _published_with_drafts(approved, analyst, jobs)
    url = published.get_download_url()
    assert str(published.pk) not in url.split("/")
    assert str(published.token) in url
    guessed = url.replace(str(published.token), str(published.pk))
    assert client.get(guessed).status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("export_download", args=[approved.partnership.slug, approved.year, published.pk])
