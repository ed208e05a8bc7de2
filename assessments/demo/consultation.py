"""Demo state of the consultation: opened by the analyst, a few discussions and responses.

Restored from scratch on every load (idempotent): earlier demo comments, responses, reads and
workflow steps of the demo assessment are replaced.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessments.consultation.models import (
    ChapterRead,
    Comment,
    ConsultationState,
    RecommendationResponse,
    WorkflowEvent,
)
from assessments.core.markdown import render_markdown
from assessments.core.models import Assessment, User


def demo_consultation_load(assessment: Assessment) -> None:
    Comment.objects.filter(assessment=assessment).delete()
    RecommendationResponse.objects.filter(recommendation__chapter__assessment=assessment).delete()
    ChapterRead.objects.filter(chapter__assessment=assessment).delete()
    assessment.workflow_events.all().delete()
    ConsultationState.objects.update_or_create(
        assessment=assessment, defaults={"closed_at": None, "reminded_for": None}
    )
    people = {
        user.username: user
        for user in User.objects.filter(username__in=["analyst", "police", "fire"])
    }
    opened_at = assessment.status_changed_at
    WorkflowEvent.objects.create(
        assessment=assessment,
        action=WorkflowEvent.Action.OPEN,
        from_status=Assessment.Status.DRAFT,
        to_status=Assessment.Status.CONSULTATION,
        by=people["analyst"],
        at=opened_at,
        closes_on=assessment.consultation_closes_on,
    )
    # A few hours old, so that the 15-minute edit window has passed for every demo comment.
    _discussions(assessment, people, timezone.now() - dt.timedelta(hours=6))


def _discussions(assessment: Assessment, people: dict[str, User], later: dt.datetime) -> None:
    crime = assessment.chapters.get(slug="crime")
    anchor, text = render_markdown(crime.narrative).paragraphs[0]
    question = Comment.objects.create(
        author=people["fire"],
        chapter=crime,
        paragraph_anchor=anchor,
        quoted_text=text,
        body="Could this paragraph say which months drove the increase? Our call-outs peaked in "
        "the summer.",
        created_at=later,
    )
    Comment.objects.create(
        author=people["police"],
        chapter=crime,
        parent=question,
        body="The rise was spread across the year; we can supply the monthly table.",
        created_at=later + dt.timedelta(hours=1),
    )
    Comment.objects.create(
        author=people["police"],
        chapter=crime,
        body="A clear chapter. Please keep the caveat about recording practice.",
        created_at=later + dt.timedelta(hours=3),
        resolved_at=later + dt.timedelta(hours=5),
        resolved_by=people["analyst"],
        resolution_note="Kept, and repeated under the table.",
    )
    recommendation = crime.recommendations.order_by("order").first()
    if recommendation is not None:
        RecommendationResponse.objects.create(
            recommendation=recommendation,
            organisation=people["fire"].organisation,
            answer=RecommendationResponse.Answer.SUPPORT,
            by=people["fire"],
            updated_at=later,
        )
