"""Approval with eyes open: before confirming, the chair's approve page lists the open
discussions per chapter, the organisations that have not answered each recommendation, and the
readiness failures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.consultation.models import Comment, RecommendationResponse
from assessments.core.models import Recommendation

from .demo_states import signed_in

pytestmark = pytest.mark.django_db


def approve_page(client, assessment) -> str:
    url = reverse("transition", args=[assessment.partnership.slug, assessment.year])
    return client.get(url, {"action": "approve"}).content.decode()


def test_the_approve_page_lists_open_discussions_per_chapter(client, demo):
    open_by_chapter = {}
    for comment in Comment.objects.filter(
        chapter__assessment=demo, parent__isnull=True, resolved_at__isnull=True
    ).select_related("chapter"):
        open_by_chapter[comment.chapter.title] = open_by_chapter.get(comment.chapter.title, 0) + 1
    assert open_by_chapter, "the demo has open discussions"
    body = approve_page(signed_in(client, "chair"), demo)
    assert "Open discussions" in body
    for title, count in open_by_chapter.items():
        assert f"{title}: {count} open" in body


def test_the_approve_page_names_organisations_that_have_not_answered(client, demo):
    fire = "Buckinghamshire Fire and Rescue Service"
    RecommendationResponse.objects.filter(organisation__name=fire).delete()
    body = approve_page(signed_in(client, "chair"), demo)
    assert "Not yet answered" in body
    unanswered = body.split('id="unanswered"', 1)[1].split("</ul>", 1)[0]
    count = Recommendation.objects.filter(chapter__assessment=demo).count()
    assert unanswered.count(fire) == count


def test_the_approve_page_lists_readiness_failures(client, demo):
    demo.chapters.filter(order=1).update(narrative="")
    body = approve_page(signed_in(client, "chair"), demo)
    assert 'id="readiness-failures"' in body
