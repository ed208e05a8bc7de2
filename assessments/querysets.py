"""Selectors: reads that span rows, with their prefetching. Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Sum, When

from . import permissions
from .models import (
    Appendix,
    Assessment,
    Chapter,
    ChapterRead,
    Comment,
    Geography,
    Indicator,
    IndicatorSelection,
    Membership,
    NotificationPreference,
    Observation,
    Recommendation,
    RecommendationResponse,
    WorkflowEvent,
)
from .periods import Period, PeriodType


def assessment_by_url(slug: str, year: int) -> Assessment | None:
    return (
        Assessment.objects.select_related("partnership")
        .filter(partnership__slug=slug, year=year)
        .first()
    )


def assessments_for_home(user) -> QuerySet[Assessment]:
    return permissions.assessments_visible_to(user).select_related("partnership")


def appendix_by_url(slug: str, year: int, appendix_slug: str) -> Appendix | None:
    return (
        Appendix.objects.select_related("assessment__partnership")
        .filter(assessment__partnership__slug=slug, assessment__year=year, slug=appendix_slug)
        .first()
    )


def chapters_for_contents(assessment: Assessment) -> QuerySet[Chapter]:
    return assessment.chapters.select_related("lead_organisation").order_by("order")


def chapter_for_page(assessment: Assessment, slug: str) -> Chapter | None:
    return (
        assessment.chapters.select_related("lead_organisation", "theme")
        .prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("order", "pk")),
            Prefetch(
                "selections",
                queryset=IndicatorSelection.objects.select_related("indicator", "share_of"),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def partnership_area(partnership_id: int) -> Geography | None:
    return Geography.objects.filter(
        partnership_id=partnership_id, level=Geography.Level.AREA
    ).first()


# Roll-ups: a period's value is read as stored when it is, or summed from its months; a count
# sums, a rate is recomputed from its numerator and denominator, never added up.


def _observations(indicator: Indicator, geography: Geography, period: Period):
    stored = Observation.objects.filter(
        indicator=indicator,
        geography=geography,
        period_type=period.type,
        period_start=period.start,
    )
    if stored.exists():
        return stored
    return Observation.objects.filter(
        indicator=indicator,
        geography=geography,
        period_type=PeriodType.MONTH,
        period_start__gte=period.start,
        period_start__lt=period.end,
    )


def indicator_value(indicator: Indicator, geography: Geography, period: Period) -> Decimal | None:
    """The indicator's value for one place and period, or None when there is no data."""
    rows = _observations(indicator, geography, period)
    if indicator.aggregation == Indicator.Aggregation.RATIO:
        totals = rows.aggregate(num=Sum("numerator"), den=Sum("denominator"))
        if not totals["den"]:
            return None
        return totals["num"] / totals["den"] * 100
    if indicator.aggregation == Indicator.Aggregation.NONE:
        values = list(rows.values_list("value", flat=True)[:2])
        return values[0] if len(values) == 1 else None
    return rows.aggregate(total=Sum("value"))["total"]


# Restricted appendices: totals for many places at once.


def totals_by_geography(
    indicators: list[Indicator], period: Period, level: str
) -> dict[tuple[int, int], Decimal]:
    """Each count indicator's total for the period in every place at `level`, in one query.

    Keyed by (indicator id, geography id). An observation counts towards the place it is stored
    at when that place is at `level`, else towards its parent or grandparent at `level` in the
    best-fit lookup (Geography.parent): LSOAs add up to their estate, estates to the area. A
    period stored whole wins over its months, so data loaded both ways never counts twice.
    Indicators must not be stored both at a place and at the LSOAs under it (police.uk crime
    types live at LSOAs under their own codes for that reason).
    """
    counts = [i for i in indicators if i.aggregation == Indicator.Aggregation.SUM]
    place = Case(
        When(geography__level=level, then=F("geography_id")),
        When(geography__parent__level=level, then=F("geography__parent_id")),
        When(geography__parent__parent__level=level, then=F("geography__parent__parent_id")),
    )
    in_period = Q(period_type=period.type, period_start=period.start)
    if period.type != PeriodType.MONTH:
        in_period |= Q(
            period_type=PeriodType.MONTH,
            period_start__gte=period.start,
            period_start__lt=period.end,
        )
    rows = (
        Observation.objects.filter(in_period, indicator__in=counts)
        .annotate(place=place)
        .filter(place__isnull=False)
        .values("indicator_id", "place", "period_type")
        .annotate(total=Sum("value"))
        .order_by()
    )
    whole, from_months = {}, {}
    for row in rows:
        summed_months = row["period_type"] != period.type
        (from_months if summed_months else whole)[row["indicator_id"], row["place"]] = row["total"]
    return from_months | whole


def geographies_at_level(partnership_id: int, level: str) -> list[Geography]:
    return list(Geography.objects.filter(partnership_id=partnership_id, level=level))


# --- Partner consultation ---


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


def organisation_answers(chapter: Chapter, organisation_id: int | None) -> dict[int, str]:
    """The organisation's answer to each of the chapter's recommendations."""
    if organisation_id is None:
        return {}
    return dict(
        RecommendationResponse.objects.filter(
            recommendation__chapter=chapter, organisation_id=organisation_id
        ).values_list("recommendation_id", "answer")
    )


def organisation_progress(assessment: Assessment, user) -> dict | None:
    """How far the user's organisation has got with the consultation."""
    if not user.is_authenticated or user.organisation_id is None:
        return None
    comments = Comment.objects.filter(
        chapter__assessment=assessment, author__organisation_id=user.organisation_id
    )
    return {
        "organisation": user.organisation,
        "comments": comments.count(),
        "chapters_commented": comments.values("chapter").distinct().count(),
        "answered": RecommendationResponse.objects.filter(
            recommendation__chapter__assessment=assessment,
            organisation_id=user.organisation_id,
        ).count(),
        "recommendations": Recommendation.objects.filter(chapter__assessment=assessment).count(),
        "chapters_read": ChapterRead.objects.filter(
            user=user, chapter__assessment=assessment
        ).count(),
    }


def workflow_history(assessment: Assessment) -> QuerySet[WorkflowEvent]:
    return assessment.workflow_events.select_related("by")


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


def feedback_counts(assessment: Assessment) -> dict:
    """Open and resolved discussions per chapter and per organisation, in two queries."""
    roots = Comment.objects.filter(chapter__assessment=assessment, parent__isnull=True).annotate(
        resolved=Case(When(resolved_at__isnull=False, then=True), default=False)
    )
    by_chapter = _open_resolved(
        roots.values("chapter_id", "resolved").annotate(n=Count("pk")), "chapter_id"
    )
    by_org = _open_resolved(
        roots.values("author__organisation__name", "resolved").annotate(n=Count("pk")),
        "author__organisation__name",
    )
    chapters = [(c, by_chapter[c.pk]) for c in assessment.chapters.order_by("order")]
    organisations = sorted(
        ((name or "No organisation", counts) for name, counts in by_org.items()),
        key=lambda pair: pair[0],
    )
    return {"chapters": chapters, "organisations": organisations}


def answers_by_recommendation(assessment: Assessment) -> list[tuple[Recommendation, list]]:
    """Every recommendation with each organisation's answer."""
    recommendations = (
        Recommendation.objects.filter(chapter__assessment=assessment)
        .select_related("chapter")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=RecommendationResponse.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            )
        )
        .order_by("chapter__order", "order", "pk")
    )
    return [(r, list(r.responses.all())) for r in recommendations]


def comment_frequency(user) -> str:
    """The user's choice for new-comment emails (each at once unless they chose a digest)."""
    chosen = NotificationPreference.objects.filter(user=user).values_list("new_comments", flat=True)
    return chosen.first() or NotificationPreference.Frequency.IMMEDIATE


def partnership_members(partnership) -> QuerySet[Membership]:
    return (
        partnership.memberships.filter(user__is_active=True)
        .select_related("user__organisation")
        .order_by("role", "user__last_name", "user__first_name")
    )
