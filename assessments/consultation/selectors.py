"""Reads of the consultation: threads, reads, responses and the analyst's feedback counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When

from assessments.consultation.models import (
    ChapterRead,
    Comment,
    NotificationPreference,
    RecommendationResponse,
    WorkflowEvent,
)
from assessments.core.models import Assessment, Chapter, Organisation, Recommendation
from assessments.core.permissions import MEMBER_ROLES


def last_reads(user, chapter_ids) -> dict[int, datetime]:
    """When the user last read each of these chapters (absent: never), in one query."""
    if not user.is_authenticated:
        return {}
    return dict(
        ChapterRead.objects.filter(user=user, chapter_id__in=list(chapter_ids)).values_list(
            "chapter_id", "read_at"
        )
    )


def changed_since_read(chapter: Chapter, read_at: datetime | None) -> bool:
    """Edited after the user last read it; a chapter never read is new, not changed."""
    return read_at is not None and chapter.updated_at > read_at


@dataclass
class Threads:
    """A chapter's discussions, grouped by what they are about, from one query."""

    on_chapter: list[Comment]
    by_paragraph: dict[str, list[Comment]]
    by_recommendation: dict[int, list[Comment]]
    count: int
    open_count: int


def comment_threads(chapter: Chapter) -> Threads:
    comments = list(
        Comment.objects.filter(chapter=chapter).select_related(
            "author__organisation", "resolved_by", "recommendation"
        )
    )
    roots, replies = [], defaultdict(list)
    for comment in comments:
        comment.chapter = chapter  # shared instance: permission checks need no more queries
        (replies[comment.parent_id] if comment.parent_id else roots).append(comment)
    threads = Threads([], defaultdict(list), defaultdict(list), len(comments), 0)
    for root in roots:
        root.thread_replies = replies.get(root.pk, [])
        threads.open_count += root.resolved_at is None
        if root.recommendation_id:
            threads.by_recommendation[root.recommendation_id].append(root)
        elif root.paragraph_anchor:
            threads.by_paragraph[root.paragraph_anchor].append(root)
        else:
            threads.on_chapter.append(root)
    return threads


def organisation_answers(
    chapter: Chapter, organisation_id: int | None
) -> dict[int, tuple[str, str]]:
    """The organisation's answer, with its reason, to each of the chapter's recommendations."""
    if organisation_id is None:
        return {}
    rows = RecommendationResponse.objects.filter(
        recommendation__chapter=chapter, organisation_id=organisation_id
    ).values_list("recommendation_id", "answer", "reason")
    return {pk: (answer, reason) for pk, answer, reason in rows}


def organisation_progress(assessment: Assessment, user, *, chapters_read: int) -> dict | None:
    """How far the user's organisation has got with the consultation, in two queries;
    `chapters_read`: how many of the assessment's chapters the user has read, which the page
    knows already."""
    if not user.is_authenticated or user.organisation_id is None:
        return None
    comments = Comment.objects.filter(
        chapter__assessment=assessment, author__organisation_id=user.organisation_id
    ).aggregate(comments=Count("pk"), chapters_commented=Count("chapter", distinct=True))
    ours = Q(responses__organisation_id=user.organisation_id)
    recommendations = Recommendation.objects.filter(chapter__assessment=assessment).aggregate(
        recommendations=Count("pk", distinct=True),
        answered=Count("responses", filter=ours, distinct=True),
    )
    return {
        "organisation": user.organisation,
        **comments,
        **recommendations,
        "chapters_read": chapters_read,
    }


def workflow_history(assessment: Assessment) -> QuerySet[WorkflowEvent]:
    return assessment.workflow_events.select_related("by", "readiness_override")


def feedback_comments(assessment: Assessment, *, chapter=None, organisation=None, state=""):
    """The assessment's discussions (first comments, with their replies), filtered."""
    roots = (
        Comment.objects.filter(chapter__assessment=assessment, parent__isnull=True)
        .select_related("author__organisation", "chapter", "recommendation", "resolved_by")
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.select_related("author__organisation"))
        )
        .order_by("chapter__order", "created_at", "pk")
    )
    if chapter:
        roots = roots.filter(chapter=chapter)
    if organisation:
        roots = roots.filter(author__organisation=organisation)
    if state == "open":
        roots = roots.filter(resolved_at__isnull=True)
    elif state == "resolved":
        roots = roots.filter(resolved_at__isnull=False)
    return roots


def _open_resolved(rows, key: str) -> dict:
    counts = defaultdict(lambda: {"open": 0, "resolved": 0})
    for row in rows:
        counts[row[key]]["resolved" if row["resolved"] else "open"] += row["n"]
    return counts


def _discussions(assessment: Assessment):
    return Comment.objects.filter(chapter__assessment=assessment, parent__isnull=True).annotate(
        resolved=Case(When(resolved_at__isnull=False, then=True), default=False)
    )


def discussions_by_chapter(assessment: Assessment) -> dict[int, dict]:
    """{chapter id: open and resolved discussions}, in one query (a chapter without any: none)."""
    rows = _discussions(assessment).values("chapter_id", "resolved").annotate(n=Count("pk"))
    return _open_resolved(rows, "chapter_id")


def discussions_by_organisation(assessment: Assessment) -> list[tuple[str, dict]]:
    """Open and resolved discussions per organisation of their authors, by name; one query."""
    rows = _discussions(assessment).values("author__organisation__name", "resolved")
    by_org = _open_resolved(rows.annotate(n=Count("pk")), "author__organisation__name")
    return sorted(
        ((name or "No organisation", counts) for name, counts in by_org.items()),
        key=lambda pair: pair[0],
    )


def feedback_counts(assessment: Assessment) -> dict:
    """Open and resolved discussions per chapter (with the chapters) and per organisation."""
    by_chapter = discussions_by_chapter(assessment)
    chapters = [(c, by_chapter[c.pk]) for c in assessment.chapters.order_by("order")]
    return {"chapters": chapters, "organisations": discussions_by_organisation(assessment)}


def answers_by_recommendation(assessment: Assessment) -> list[tuple[Recommendation, list]]:
    """Every recommendation with each organisation's answer."""
    recommendations = (
        Recommendation.objects.filter(chapter__assessment=assessment)
        .select_related("chapter")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=RecommendationResponse.objects.select_related(
                    "organisation", "by"
                ).order_by("organisation__name"),
            )
        )
        .order_by("chapter__order", "order", "pk")
    )
    return [(r, list(r.responses.all())) for r in recommendations]


def responding_organisations(assessment: Assessment) -> list[Organisation]:
    """The partnership's organisations asked to answer: those with an active partner or board
    member (the people can_respond_to_recommendations lets answer), by name."""
    return list(
        Organisation.objects.filter(
            partnerships=assessment.partnership_id,
            users__is_active=True,
            users__memberships__partnership_id=assessment.partnership_id,
            users__memberships__role__in=MEMBER_ROLES,
        )
        .distinct()
        .order_by("name")
    )


def unanswered_by_recommendation(
    assessment: Assessment,
) -> list[tuple[Recommendation, list[Organisation]]]:
    """Each recommendation with the responding organisations that have not answered it yet."""
    organisations = responding_organisations(assessment)
    rows = []
    for recommendation, responses in answers_by_recommendation(assessment):
        answered = {response.organisation_id for response in responses}
        missing = [org for org in organisations if org.pk not in answered]
        if missing:
            rows.append((recommendation, missing))
    return rows


def open_discussions_by_chapter(assessment: Assessment) -> list[tuple[Chapter, int]]:
    """The chapters with open discussions, and how many, in chapter order."""
    chapters = feedback_counts(assessment)["chapters"]
    return [(chapter, counts["open"]) for chapter, counts in chapters if counts["open"]]


def comment_frequency(user) -> str:
    """The user's choice for new-comment emails (each at once unless they chose a digest)."""
    chosen = NotificationPreference.objects.filter(user=user).values_list("new_comments", flat=True)
    return chosen.first() or NotificationPreference.Frequency.IMMEDIATE
