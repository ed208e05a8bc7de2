"""Selectors: reads that span rows, with their prefetching. Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, When

from . import permissions
from .models import (
    Appendix,
    Assessment,
    BoardDecision,
    Chapter,
    ChapterRead,
    Comment,
    DataRequest,
    DataReturn,
    Geography,
    ImportBatch,
    Indicator,
    IndicatorSelection,
    Membership,
    NotificationPreference,
    Observation,
    Recommendation,
    RecommendationOutcome,
    RecommendationResponse,
    ReportExport,
    StatutoryRequirement,
    WorkflowEvent,
)
from .periods import Period, PeriodType, add_months

# Codes of the indicators the police.uk import creates: this prefix, then the crime type's slug.
POLICE_UK_INDICATOR_PREFIX = "police-uk-"


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


def _chapters_with_content(assessment: Assessment) -> QuerySet[Chapter]:
    """Chapters with their recommendations and indicator selections prefetched."""
    return assessment.chapters.select_related("lead_organisation", "theme").prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related("board_outcome").order_by("order", "pk"),
        ),
        Prefetch(
            "selections",
            queryset=IndicatorSelection.objects.select_related("indicator", "share_of"),
        ),
    )


def chapter_for_page(assessment: Assessment, slug: str) -> Chapter | None:
    return _chapters_with_content(assessment).filter(slug=slug).first()


def partnership_area(partnership_id: int) -> Geography | None:
    return Geography.objects.filter(
        partnership_id=partnership_id, level=Geography.Level.AREA
    ).first()


# Roll-ups: a period's value is read as stored when it is, or summed from its months; a place's
# value as stored when it is, or summed from its LSOAs (an estate through the analyst's best-fit
# lookup, the partnership area from all its LSOAs). A count sums; a rate is recomputed from its
# numerator and denominator, never added up; an indicator that does not aggregate is only read.
# Nothing is stored as a total, so nothing can drift from the data.


def _place_filter(indicator: Indicator, geography: Geography) -> Q:
    direct = Q(geography=geography)
    if geography.level == Geography.Level.LSOA:
        return direct
    if Observation.objects.filter(direct, indicator=indicator).exists():
        return direct
    if indicator.aggregation == Indicator.Aggregation.NONE:
        return direct
    lsoas = Q(geography__level=Geography.Level.LSOA)
    if geography.level == Geography.Level.ESTATE:
        return lsoas & Q(geography__parent=geography)
    return lsoas & Q(geography__partnership_id=geography.partnership_id)


def _combine(indicator: Indicator, total: dict | None) -> Decimal | None:
    """The value of grouped rows (sums of value, numerator, denominator and a row count)."""
    if not total:
        return None
    if indicator.aggregation == Indicator.Aggregation.RATIO:
        return total["num"] / total["den"] * 100 if total["den"] else None
    if indicator.aggregation == Indicator.Aggregation.NONE:
        return total["value"] if total["rows"] == 1 else None
    return total["value"]


def _add(into: dict, row: dict) -> None:
    for key in ("value", "num", "den", "rows"):
        into[key] = (into.get(key) or 0) + (row[key] or 0)


def indicator_series(
    indicator: Indicator, geography: Geography, periods: list[Period]
) -> list[tuple[Period, Decimal | None]]:
    """The indicator's value for each period at one place (None where there is no data)."""
    if not periods:
        return []
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    grouped = (
        Observation.objects.filter(
            _place_filter(indicator, geography),
            indicator=indicator,
            period_start__gte=start,
            period_start__lt=end,
            period_type__in={PeriodType.MONTH, *(p.type for p in periods)},
        )
        .values("period_type", "period_start")
        .annotate(
            value=Sum("value"), num=Sum("numerator"), den=Sum("denominator"), rows=Count("id")
        )
        .order_by()
    )
    stored = {(row["period_type"], row["period_start"]): row for row in grouped}
    series = []
    for period in periods:
        total = stored.get((period.type, period.start))
        if total is None and indicator.aggregation != Indicator.Aggregation.NONE:
            total = {}
            for month in period.months():
                if (PeriodType.MONTH, month.start) in stored:
                    _add(total, stored[PeriodType.MONTH, month.start])
        series.append((period, _combine(indicator, total)))
    return series


def indicator_value(indicator: Indicator, geography: Geography, period: Period) -> Decimal | None:
    """The indicator's value for one place and period, or None when there is no data."""
    return indicator_series(indicator, geography, [period])[0][1]


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


def quarters_of(first: Period, last: Period) -> list[Period]:
    """The quarters from the start of one period to the end of another."""
    quarters, start = [], first.start
    while start < last.end:
        quarters.append(Period(PeriodType.QUARTER, start))
        start = add_months(start, 3)
    return quarters


# Breakdowns by place, for appendices and public tables (one query per source level).


def geographies_at_level(partnership_id: int, level: str) -> QuerySet[Geography]:
    """The partnership's places at one level (area, estate or lsoa), by name."""
    return Geography.objects.filter(partnership_id=partnership_id, level=level).order_by("name")


def _grouped_totals(rows: QuerySet, place_field: str) -> dict[tuple[int, int], dict]:
    grouped = (
        rows.values("indicator_id", place_field)
        .annotate(
            value=Sum("value"), num=Sum("numerator"), den=Sum("denominator"), rows=Count("id")
        )
        .order_by()
    )
    return {(row["indicator_id"], row[place_field]): row for row in grouped}


def indicator_totals_by_geography(
    indicators: Iterable[Indicator], level: str, period: Period
) -> dict[int, dict[int, Decimal | None]]:
    """{indicator id: {geography id: value}} for every place of a level with data in the period.

    Values stored for the place and period win; otherwise months and LSOAs roll up (an estate
    from the LSOAs its best-fit lookup gives it). Places without data are absent.
    """
    indicators = {indicator.pk: indicator for indicator in indicators}
    in_period = Q(period_type=period.type, period_start=period.start) | Q(
        period_type=PeriodType.MONTH, period_start__gte=period.start, period_start__lt=period.end
    )
    rows = Observation.objects.filter(in_period, indicator_id__in=list(indicators))
    exact = Q(period_type=period.type, period_start=period.start)
    sources = []  # finest first, so that a value stored for the place and period wins
    if level == Geography.Level.ESTATE:
        from_lsoas = rows.filter(
            geography__level=Geography.Level.LSOA, geography__parent__isnull=False
        )
        sources.append(_grouped_totals(from_lsoas, "geography__parent_id"))
    elif level == Geography.Level.AREA:
        area_of_lsoas = Geography.objects.filter(
            level=Geography.Level.AREA, partnership_id=OuterRef("geography__partnership_id")
        ).values("pk")[:1]
        from_lsoas = rows.filter(geography__level=Geography.Level.LSOA).annotate(
            area_id=Subquery(area_of_lsoas)
        )
        sources.append(_grouped_totals(from_lsoas, "area_id"))
    at_level = rows.filter(geography__level=level)
    sources.append(_grouped_totals(at_level.exclude(exact), "geography_id"))
    sources.append(_grouped_totals(at_level.filter(exact), "geography_id"))
    merged: dict[tuple[int, int], dict] = {}
    for source in sources:
        merged.update(source)
    result: dict[int, dict[int, Decimal | None]] = {pk: {} for pk in indicators}
    for (indicator_id, geography_id), total in merged.items():
        if geography_id is not None:
            result[indicator_id][geography_id] = _combine(indicators[indicator_id], total)
    return result


def batch_totals_by_indicator(batch: ImportBatch) -> dict[str, Decimal]:
    """{indicator code: sum of the batch's values}: what an import actually stored."""
    rows = batch.observations.values("indicator__code").annotate(total=Sum("value")).order_by()
    return {row["indicator__code"]: row["total"] for row in rows}


def indicators_by_code(partnership_id: int, codes: Iterable[str]) -> dict[str, Indicator]:
    found = Indicator.objects.filter(partnership_id=partnership_id, code__in=list(codes))
    return {indicator.code: indicator for indicator in found}


def has_lsoa_data(indicator: Indicator) -> bool:
    return indicator.observations.filter(geography__level=Geography.Level.LSOA).exists()


def police_uk_indicators_of(partnership_id: int) -> QuerySet[Indicator]:
    """The partnership's police.uk indicators (one per crime type and all crime), by name."""
    return Indicator.objects.filter(
        partnership_id=partnership_id, code__startswith=POLICE_UK_INDICATOR_PREFIX
    ).order_by("name")


# --- Report exports ---


def chapters_for_report(assessment: Assessment) -> QuerySet[Chapter]:
    """Every chapter with what the PDF shows of it, in a fixed number of queries."""
    return _chapters_with_content(assessment).order_by("order")


def export_by_url(slug: str, year: int, pk: int) -> ReportExport | None:
    return (
        ReportExport.objects.select_related("assessment__partnership", "requested_by")
        .filter(pk=pk, assessment__partnership__slug=slug, assessment__year=year)
        .first()
    )


# --- Partner data returns ---


def _with_current_return(requests: QuerySet[DataRequest]) -> list[DataRequest]:
    """Requests with `current_return` (or None) set, in two queries."""
    requests = list(requests.select_related("organisation", "assessment__partnership"))
    current = DataReturn.objects.filter(
        request__in=requests, replaced_by__isnull=True
    ).select_related("uploaded_by")
    by_request = {data_return.request_id: data_return for data_return in current}
    for request in requests:
        request.current_return = by_request.get(request.pk)
    return requests


def data_requests_of(user) -> list[DataRequest]:
    """The user's organisation's requests, soonest due first."""
    return _with_current_return(permissions.data_requests_for(user).order_by("due_on", "title"))


def data_request_history(request: DataRequest) -> QuerySet[DataReturn]:
    return request.returns.select_related("uploaded_by", "correction_requested_by")


def data_requests_tracking(assessment: Assessment) -> list[DataRequest]:
    """Every request of the assessment, with its current return."""
    return _with_current_return(assessment.data_requests.order_by("organisation__name", "title"))


def data_request_with_current_return(request: DataRequest) -> DataRequest:
    return _with_current_return(DataRequest.objects.filter(pk=request.pk))[0]


# --- Analyst's workspace ---


@dataclass
class DashboardChapter:
    chapter: Chapter
    words: int
    recommendations: int
    headlines: int
    figures: int
    # (selection, has data for every period it compares)
    selections: list[tuple[IndicatorSelection, bool]]
    comments: dict

    @property
    def selections_without_data(self) -> int:
        return sum(1 for _, complete in self.selections if not complete)


def _periods_with_data(assessment: Assessment, selections: list[IndicatorSelection]) -> set:
    """(indicator id, period start) of every stored observation in the selections' periods, in
    one query. An observation anywhere in a period counts as data for it: the dashboard's quick
    look; the readiness check computes the real values."""
    indicator_ids = {selection.indicator_id for selection in selections}
    if not indicator_ids:
        return set()
    rows = (
        Observation.objects.filter(
            indicator_id__in=indicator_ids,
            geography__partnership=assessment.partnership_id,
            batch__superseded_by__isnull=True,
        )
        .values_list("indicator_id", "period_start")
        .distinct()
    )
    return set(rows)


def _has_data(selection: IndicatorSelection, observed: set) -> bool:
    periods = [p for p in (selection.current_period, selection.comparison_period) if p]
    return all(
        any(
            indicator_id == selection.indicator_id and period.start <= start < period.end
            for indicator_id, start in observed
        )
        for period in periods
    )


def dashboard_chapters(assessment: Assessment) -> list[DashboardChapter]:
    """Each chapter's state for the dashboard, in a number of queries that does not grow with
    the chapters."""
    chapters = list(
        assessment.chapters.annotate(
            recommendation_count=Count("recommendations", distinct=True),
            headline_count=Count("selections__headlines", distinct=True),
            figure_count=Count("images", distinct=True),
        )
        .prefetch_related(
            Prefetch("selections", queryset=IndicatorSelection.objects.select_related("indicator"))
        )
        .order_by("order")
    )
    selections = [s for chapter in chapters for s in chapter.selections.all()]
    observed = _periods_with_data(assessment, selections)
    comments = feedback_counts(assessment)["chapters"]
    counts = {chapter.pk: count for chapter, count in comments}
    return [
        DashboardChapter(
            chapter=chapter,
            words=len(chapter.narrative.split()),
            recommendations=chapter.recommendation_count,
            headlines=chapter.headline_count,
            figures=chapter.figure_count,
            selections=[(s, _has_data(s, observed)) for s in chapter.selections.all()],
            comments=counts.get(chapter.pk, {"open": 0, "resolved": 0}),
        )
        for chapter in chapters
    ]


def consultation_by_organisation(assessment: Assessment) -> list[tuple[str, dict, int]]:
    """Per organisation: its open and resolved discussions, and how many recommendations it
    has answered (name, counts, answered), by name."""
    answered = dict(
        RecommendationResponse.objects.filter(recommendation__chapter__assessment=assessment)
        .values_list("organisation__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    discussions = dict(feedback_counts(assessment)["organisations"])
    names = sorted(set(answered) | set(discussions))
    empty = {"open": 0, "resolved": 0}
    return [(name, discussions.get(name, empty), answered.get(name, 0)) for name in names]


def latest_exports(assessment: Assessment, limit: int = 5) -> list[ReportExport]:
    return list(assessment.exports.select_related("chapter").order_by("-requested_at")[:limit])


def data_returns_outstanding(assessment: Assessment) -> list | None:
    """Hook for partner data returns: None while this branch has no data-returns model (the
    dashboard then leaves the section out). Replace with a selector of outstanding returns."""
    return None


def chapter_figure_by_url(assessment: Assessment, chapter_slug: str, number: int):
    from .models import ChapterFigure

    return ChapterFigure.objects.filter(
        chapter__assessment=assessment, chapter__slug=chapter_slug, number=number
    ).first()


# --- Publication and the yearly cycle ---


def publication_correction(assessment: Assessment) -> WorkflowEvent | None:
    """The last take-down for correction, once the assessment is published again: its date and
    reason are the public "last updated" note. None for an assessment never corrected."""
    events = assessment.workflow_events.filter(
        action__in=[WorkflowEvent.Action.PUBLISH, WorkflowEvent.Action.UNPUBLISH]
    ).order_by("-at", "-pk")
    latest_two = list(events[:2])
    if len(latest_two) < 2 or latest_two[0].action != WorkflowEvent.Action.PUBLISH:
        return None
    taken_down = latest_two[1]
    if taken_down.action != WorkflowEvent.Action.UNPUBLISH:
        return None
    taken_down.republished_at = latest_two[0].at
    return taken_down


def latest_public_report(assessment: Assessment, content_hash: str) -> ReportExport | None:
    """The finished public PDF of exactly the current content, if one has been rendered."""
    return (
        ReportExport.objects.filter(
            assessment=assessment,
            kind=ReportExport.Kind.FULL_REPORT,
            variant=ReportExport.Variant.PUBLIC,
            status=ReportExport.Status.DONE,
            content_hash=content_hash,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def neighbouring_chapters(assessment: Assessment, chapter: Chapter) -> tuple:
    """The chapters before and after this one in the contents (None at either end)."""
    siblings = assessment.chapters.only("slug", "title", "order", "assessment_id")
    previous = siblings.filter(order__lt=chapter.order).order_by("-order").first()
    following = siblings.filter(order__gt=chapter.order).order_by("order").first()
    return previous, following


def chapter_last_year(chapter: Chapter) -> Chapter | None:
    """The same theme's chapter in the partnership's assessment of the year before."""
    return (
        Chapter.objects.select_related("assessment__partnership")
        .filter(
            theme_id=chapter.theme_id,
            assessment__partnership_id=chapter.assessment.partnership_id,
            assessment__year=chapter.assessment.year - 1,
        )
        .first()
    )


def chapter_as_approved(chapter: Chapter):
    """The chapter's recorded version at the assessment's last approval, or None."""
    approved = (
        chapter.assessment.workflow_events.filter(action=WorkflowEvent.Action.APPROVE)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if approved is None:
        return None
    return chapter.history.filter(history_date__lte=approved).order_by("-history_date").first()


@dataclass
class ChecklistItem:
    requirement: str
    label: str
    chapters: list
    note: str

    @property
    def is_covered(self) -> bool:
        return bool(self.chapters)


def statutory_checklist(assessment: Assessment) -> list[ChecklistItem]:
    """Every requirement of the 2007 regulations with the chapters the analyst mapped to it
    (none: not yet covered), in two queries."""
    mapped = {
        coverage.requirement: coverage
        for coverage in assessment.statutory_coverage.prefetch_related(
            Prefetch("chapters", queryset=Chapter.objects.order_by("order"))
        )
    }
    items = []
    for requirement in StatutoryRequirement:
        coverage = mapped.get(requirement.value)
        items.append(
            ChecklistItem(
                requirement=requirement.value,
                label=requirement.label,
                chapters=list(coverage.chapters.all()) if coverage else [],
                note=coverage.note if coverage else "",
            )
        )
    return items


def board_decision_of(assessment: Assessment):
    """The board's decision with its outcomes, or None before the meeting is recorded."""
    return (
        BoardDecision.objects.filter(assessment=assessment)
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=RecommendationOutcome.objects.select_related("recommendation__chapter"),
            )
        )
        .first()
    )
