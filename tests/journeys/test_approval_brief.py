"""Approval with eyes open: before confirming, the chair's approve page lists the open
discussions per chapter, the organisations that have not answered each recommendation, and the
readiness failures."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.consultation.models import Comment, RecommendationResponse
from assessments.core.models import Recommendation

from .demo_states import put_in_state, signed_in

pytestmark = pytest.mark.django_db

POLICE = "Thames Valley Police"
FIRE = "Buckinghamshire Fire and Rescue Service"


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


def _organisation_cells(page: str) -> dict[str, str]:
    """The dashboard's organisations table: each organisation's "Recommendations answered"."""
    table = page.split('id="consultation"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<th scope="row"[^>]*>([^<]+).*?data-label="Recommendations answered"[^>]*>([^<]+)</td>',
        table,
        re.S,
    )
    return {name.strip(): cell.strip() for name, cell in rows}


def test_the_approve_page_and_the_dashboard_count_the_answers_alike(client, demo):
    """Issue 33: the approve page named 2 organisations as not having answered while the
    dashboard showed all 7 at "0 of 18": both now read consultation_responses."""
    signed_in(client, "chair")
    count = Recommendation.objects.filter(chapter__assessment=demo).count()
    RecommendationResponse.objects.filter(organisation__name=POLICE).delete()
    cells = _organisation_cells(
        client.get(reverse("dashboard", args=["safermk", 2017])).content.decode()
    )
    asked = {name for name, cell in cells.items() if not cell.startswith("Not asked")}
    assert asked == {POLICE, FIRE} and len(cells) == 7
    assert cells[POLICE] == f"0 of {count}"
    fire_answered = RecommendationResponse.objects.filter(organisation__name=FIRE).count()
    assert cells[FIRE] == f"{fire_answered} of {count}"
    body = approve_page(client, demo)
    not_finished = [POLICE] + ([FIRE] if fire_answered < count else [])
    assert f"{len(not_finished)} of the 2 organisations asked" in body
    unanswered = body.split('id="unanswered"', 1)[1].split("</ul>", 1)[0]
    assert {name for name in cells if name in unanswered} == set(not_finished)


@pytest.mark.slow(reason="hashes the working document on each of three requests, then freezes it")
def test_approving_before_the_consultation_closes_asks_for_confirmation(client, demo):
    """Issue 33: the chair could approve two weeks before the closing date without a word."""
    from assessments.demo.editions import BEFORE_THE_BOARD  # noqa: PLC0415
    from assessments.publication.models import StatutoryCoverage  # noqa: PLC0415

    for requirement, slugs in BEFORE_THE_BOARD.items():
        coverage = StatutoryCoverage.objects.create(assessment=demo, requirement=requirement)
        coverage.chapters.set(demo.chapters.filter(slug__in=slugs))
    Comment.objects.filter(author__organisation__name=POLICE).delete()
    RecommendationResponse.objects.filter(organisation__name=POLICE).delete()
    signed_in(client, "chair")
    body = approve_page(client, demo)
    closes = f"{demo.consultation_closes_on.day} {demo.consultation_closes_on:%B %Y}"
    assert f"The consultation is open until {closes}" in body
    assert "1 of the 2 organisations asked has not responded yet" in body
    url = reverse("transition", args=["safermk", 2017])
    sha = re.search(r'name="document_sha256" value="([0-9a-f]+)"', body).group(1)
    refused = client.post(url, {"action": "approve", "document_sha256": sha})
    assert "Tick to confirm that you approve before the consultation closes" in (
        refused.content.decode()
    )
    demo.refresh_from_db()
    assert demo.status == "consultation"
    data = {"action": "approve", "document_sha256": sha, "before_closing": "on"}
    assert client.post(url, data).status_code == 302
    demo.refresh_from_db()
    assert demo.status == "approved"


def test_once_the_consultation_has_closed_approval_needs_no_confirmation(client, demo):
    closed = put_in_state(demo, "closed")
    body = approve_page(signed_in(client, "chair"), closed)
    assert "Approve before the consultation closes" not in body
    assert "The consultation is open until" not in body
