""" "Support with changes" and "Do not support" ask for the reason in the same form; the analyst
reads it on the feedback page and in its exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.consultation.models import RecommendationResponse

from ..factories import ChapterFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation(assessment):
    chapter = ChapterFactory(assessment=assessment, title="Crime", slug="crime")
    return RecommendationFactory(chapter=chapter, text="Fund more youth workers")


def respond(client, recommendation, **data):
    chapter = recommendation.chapter
    url = reverse(
        "recommendation_response",
        args=[chapter.assessment.partnership.slug, chapter.assessment.year, chapter.slug,
              recommendation.pk],
    )  # fmt: skip
    return client.post(url, data, HTTP_HX_REQUEST="true")


def test_the_response_form_asks_for_the_reason(police_client, recommendation):
    page = police_client.get(recommendation.chapter.get_absolute_url()).content.decode()
    assert 'name="reason"' in page
    assert "Which changes, or why not" in page


@pytest.mark.parametrize("answer", ["changes", "oppose"])
def test_a_reason_is_required_and_nothing_typed_is_lost(police_client, recommendation, answer):
    body = respond(police_client, recommendation, answer=answer, reason="  ").content.decode()
    assert "Say which changes your organisation would want, or why it does not support it" in body
    assert not RecommendationResponse.objects.exists()
    assert f'value="{answer}" checked' in body


def test_the_reason_is_kept_and_shown_to_the_analyst(police_client, analyst, recommendation):
    respond(police_client, recommendation, answer="changes", reason="Only in the east")
    saved = RecommendationResponse.objects.get()
    assert (saved.answer, saved.reason) == ("changes", "Only in the east")
    analyst_client = police_client  # the one test client, now signed in as the analyst
    analyst_client.force_login(analyst)
    assessment = recommendation.chapter.assessment
    args = [assessment.partnership.slug, assessment.year]
    page = analyst_client.get(reverse("feedback", args=args)).content.decode()
    assert "Only in the east" in page
    exported = analyst_client.get(reverse("feedback_export", args=[*args, "csv"]))
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert any("Only in the east" in row and "Support with changes" in row for row in rows)
    workbook = load_workbook(
        io.BytesIO(analyst_client.get(reverse("feedback_export", args=[*args, "xlsx"])).content)
    )
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "Only in the east" in cells


def test_support_needs_no_reason(police_client, recommendation):
    respond(police_client, recommendation, answer="support", reason="")
    assert RecommendationResponse.objects.get().answer == "support"
