"""Public pages never show working papers (issue 29, finding 5): the workflow's history (why an
assessment went back to draft, why readiness checks were overridden, who did each step) is for
the partnership's members, not for readers of the published report."""

import pytest
from django.test import Client

from assessments.consultation.models import ReadinessOverride, WorkflowEvent
from assessments.core.models import Assessment

from ..factories import AssessmentFactory, ChapterFactory

pytestmark = pytest.mark.django_db

REASON = "Police figures for Fishermead were double counted"
OVERRIDE = "Board meets tomorrow, checklist to follow"


@pytest.fixture
def published_with_history(partnership, analyst):
    analyst.first_name, analyst.last_name = "Alex", "Morgan"
    analyst.save()
    assessment = AssessmentFactory(partnership=partnership, status=Assessment.Status.PUBLISHED)
    ChapterFactory(assessment=assessment, slug="crime")
    back = WorkflowEvent.objects.create(
        assessment=assessment, action="back_to_draft", from_status="consultation",
        to_status="draft", by=analyst, reason=REASON,
    )  # fmt: skip
    opened = WorkflowEvent.objects.create(
        assessment=assessment, action="open", from_status="draft", to_status="consultation",
        by=analyst,
    )  # fmt: skip
    ReadinessOverride.objects.create(event=opened, by=analyst, reason=OVERRIDE)
    WorkflowEvent.objects.create(
        assessment=assessment, action="publish", from_status="approved", to_status="published",
        by=analyst,
    )  # fmt: skip
    assert back.pk
    return assessment


def test_the_public_assessment_page_shows_no_working_papers(published_with_history):
    for reader in (Client(), Client()):  # built for the store, then from it
        page = reader.get(published_with_history.get_absolute_url()).content.decode()
        assert REASON not in page and OVERRIDE not in page and "Alex Morgan" not in page


def test_the_partnerships_members_still_see_the_history(police_client, published_with_history):
    page = police_client.get(published_with_history.get_absolute_url()).content.decode()
    assert REASON in page and OVERRIDE in page and "Alex Morgan" in page
