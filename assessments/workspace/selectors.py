"""Selectors: reads that span rows, with their prefetching. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch

from assessments.consultation.models import ChaseReminder
from assessments.consultation.selectors import Responses
from assessments.core.cache_version import cached
from assessments.core.models import Assessment, Organisation, User
from assessments.data_returns.models import DataRequest
from assessments.indicators.headlines import stale_headlines
from assessments.indicators.models import (
    Geography,
    IndicatorSelection,
    Observation,
)


@dataclass(frozen=True)
class DashboardChapter:
    """A chapter's state on the dashboard, from its content and data alone: everything here
    changes only with what bumps the partnership's cache version (core/cache_version.py), so
    the rows are cached under it. Comments do not bump it: they are counted on every view."""

    pk: int
    slug: str
    title: str
    words: int
    recommendations: int
    headlines: int
    figures: int
    selections: int
    # selections without an observation in each period they compare
    selections_without_data: int
    # a headline of the chapter quotes numbers its figures no longer give
    headline_wording_stale: bool


def _periods_with_data(
    assessment: Assessment, selections: list[IndicatorSelection]
) -> dict[int, list[dt.date]]:
    """{indicator id: sorted starts of its stored observations} in the selections' periods, in
    one query. An observation of the partnership's own places anywhere in a period counts as
    data for it (a force's or district's figures are comparators, not the area's): the
    dashboard's quick look; the readiness check computes the real values."""
    indicator_ids = {selection.indicator_id for selection in selections}
    if not indicator_ids:
        return {}
    rows = (
        Observation.objects.filter(
            indicator_id__in=indicator_ids,
            geography__partnership=assessment.partnership_id,
            geography__level__in=[level for level, _ in Geography.OWN_LEVELS],
            batch__superseded_by__isnull=True,
        )
        .values_list("indicator_id", "period_start")
        .distinct()
    )
    starts: dict[int, list[dt.date]] = {}
    for indicator_id, start in rows:
        starts.setdefault(indicator_id, []).append(start)
    return {indicator_id: sorted(dates) for indicator_id, dates in starts.items()}


def _has_data(selection: IndicatorSelection, observed: dict[int, list[dt.date]]) -> bool:
    """Whether some observation starts within each period (a binary search per period, so that
    the dashboard does not grow as chapters times observations)."""
    starts = observed.get(selection.indicator_id, [])
    periods = [p for p in (selection.current_period, selection.comparison_period) if p]
    return all(_starts_within(starts, period) for period in periods)


def _starts_within(starts: list[dt.date], period) -> bool:
    first_on_or_after = bisect_left(starts, period.start)
    return first_on_or_after < len(starts) and starts[first_on_or_after] < period.end


def dashboard_chapters(assessment: Assessment) -> list[DashboardChapter]:
    """Each chapter's state for the dashboard, from the cache while the partnership's content
    and data stay the same; otherwise in a number of queries that does not grow with the
    chapters."""
    return cached(
        assessment.partnership,
        lambda: _dashboard_chapters(assessment),
        "dashboard-chapters",
        assessment.pk,
    )


def _dashboard_chapters(assessment: Assessment) -> list[DashboardChapter]:
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
    stale = {item.headline.selection.chapter_id for item in stale_headlines(assessment)}
    return [
        DashboardChapter(
            pk=chapter.pk,
            slug=chapter.slug,
            title=chapter.title,
            words=len(chapter.narrative.split()),
            recommendations=chapter.recommendation_count,
            headlines=chapter.headline_count,
            figures=chapter.figure_count,
            selections=len(chapter.selections.all()),
            selections_without_data=sum(
                1 for s in chapter.selections.all() if not _has_data(s, observed)
            ),
            headline_wording_stale=chapter.pk in stale,
        )
        for chapter in chapters
    ]


@dataclass
class OrganisationRow:
    """One organisation of the partnership on the dashboard: what it has said, sent and read."""

    organisation: Organisation
    discussions: dict
    asked: bool  # asked to respond: it has an active partner or board member
    answered: int
    returns_received: int
    returns_requested: int
    last_visit: object  # datetime or None
    last_chased: object  # date or None


def _per_organisation(rows, aggregate) -> dict:
    """{organisation id: the aggregate over its rows}, in one query."""
    return dict(rows.values_list("organisation_id").annotate(value=aggregate).order_by())


def organisations_overview(
    assessment: Assessment, discussions: list[tuple[str, dict]], responses: Responses
) -> list[OrganisationRow]:
    """Every organisation of the partnership, silent ones included, by name: its open and
    resolved discussions (`discussions_by_organisation`), whether it was asked to respond and
    its answers (`consultation_responses`, as the approve page counts them), its data returns
    and its members' last visit. A fixed number of queries whatever the number of
    organisations. Not cached: comments and sign-ins change it without bumping the cache
    version."""
    partnership_id = assessment.partnership_id
    by_name = dict(discussions)
    requests = DataRequest.objects.filter(assessment=assessment)
    requested = _per_organisation(requests.filter(sent_at__isnull=False), Count("pk"))
    received = _per_organisation(requests.filter(returns__isnull=False), Count("pk", distinct=True))
    visits = _per_organisation(
        User.objects.filter(memberships__partnership_id=partnership_id, organisation__isnull=False),
        Max("last_login"),
    )
    comment_reminders = ChaseReminder.objects.filter(
        assessment=assessment, about=ChaseReminder.About.COMMENTS
    )
    chased = _per_organisation(comment_reminders, Max("sent_on"))
    empty = {"open": 0, "resolved": 0}
    return [
        OrganisationRow(
            organisation=org,
            discussions=by_name.get(org.name, empty),
            asked=responses.is_asked(org),
            answered=responses.answered(org),
            returns_received=received.get(org.pk, 0),
            returns_requested=requested.get(org.pk, 0),
            last_visit=visits.get(org.pk),
            last_chased=chased.get(org.pk),
        )
        for org in Organisation.objects.filter(partnerships=partnership_id).order_by("name")
    ]
