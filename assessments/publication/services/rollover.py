"""Next year's assessment, started from this year's: the yearly cycle.

The copy takes the structure (chapters, indicator selections and hotspot maps with their periods
one year on, the tick boxes with the priorities the board agreed, appendix definitions and their
grants), the recommendations still open, each linked to the one it continues with its lead,
timescale and measure, and the texts and mapping that may still hold: the introduction, the
cover paper's background and the statutory checklist's mapping, each marked to review (the
publication gate refuses them until they are rewritten or ticked as reviewed). Nothing of the
source year is changed, and a second run finds the assessment it made instead of making another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from assessments.appendices.models import Appendix
from assessments.appendices.permissions import appendix_grants_copy
from assessments.core.models import Assessment, Chapter, PurposeItem, Recommendation
from assessments.core.periods import years_on
from assessments.indicators.models import ChapterMap, IndicatorSelection
from assessments.priorities.services.criteria import criteria_copy
from assessments.publication.models import BoardDecision, StatutoryCoverage

OPEN_RECOMMENDATIONS = [
    Recommendation.Status.PROPOSED,
    Recommendation.Status.ACCEPTED,
    Recommendation.Status.IN_PROGRESS,
]


@dataclass(frozen=True)
class Rollover:
    assessment: Assessment
    created: bool


def one_year_on(day: dt.date | None) -> dt.date | None:
    return years_on(day, 1) if day else None


def _next_title(source: Assessment) -> str:
    year = str(source.year)
    if year in source.title:
        return source.title.replace(year, str(source.year + 1))
    return f"{source.title} {source.year + 1}"


def assessment_start_next(*, source: Assessment) -> Rollover:
    """Start the assessment of the year after `source` as a draft, or find the one started."""
    existing = Assessment.objects.filter(
        partnership_id=source.partnership_id, year=source.year + 1
    ).first()
    if existing is not None:
        return Rollover(existing, created=False)
    try:
        with transaction.atomic():
            return Rollover(_copy(source), created=True)
    except IntegrityError:
        # Started by someone else at the same moment: theirs is the one.
        existing = Assessment.objects.get(
            partnership_id=source.partnership_id, year=source.year + 1
        )
        return Rollover(existing, created=False)


def _copy(source: Assessment) -> Assessment:
    target = Assessment.objects.create(
        partnership_id=source.partnership_id,
        year=source.year + 1,
        title=_next_title(source),
        status=Assessment.Status.DRAFT,
        author_name=source.author_name,
        author_role=source.author_role,
        author_telephone=source.author_telephone,
        background=source.background,
        introduction=source.introduction,
    )
    _copy_purposes(source, target)
    for chapter in source.chapters.order_by("order"):
        _copy_chapter(chapter, target)
    _copy_checklist(source, target)
    for appendix in source.appendices.order_by("order"):
        _copy_appendix(appendix, target)
    criteria_copy(source=source, target=target)  # the priority matrix's criteria (issue 20)
    return target


def _copy_purposes(source: Assessment, target: Assessment) -> None:
    """The tick boxes of the cover paper; once the board has agreed next year's priorities,
    those replace this year's."""
    items = list(source.purposes.all())
    agreed = _agreed_priorities(source)
    if agreed:
        # A priority named as a theme the board agreed keeps that theme, whose figures show
        # next year's progress against it.
        decision = BoardDecision.objects.filter(assessment=source).first()
        themes = {theme.name.lower(): theme.pk for theme in decision.agreed_themes.all()}
        items = [item for item in items if item.kind != PurposeItem.Kind.PRIORITY]
        items += [
            PurposeItem(
                kind=PurposeItem.Kind.PRIORITY,
                label=label,
                addressed=False,
                order=n,
                theme_id=themes.get(label.lower()),
            )
            for n, label in enumerate(agreed)
        ]
    PurposeItem.objects.bulk_create(
        PurposeItem(
            assessment=target,
            kind=item.kind,
            label=item.label,
            addressed=item.addressed,
            detail=item.detail,
            order=item.order,
            theme_id=item.theme_id,
        )
        for item in items
    )


def _agreed_priorities(source: Assessment) -> list[str]:
    decision = BoardDecision.objects.filter(assessment=source).first()
    return decision.priority_list if decision else []


def _copy_chapter(chapter: Chapter, target: Assessment) -> Chapter:
    # The narrative is kept as the starting text: the analyst rewrites it, and the comparison
    # page shows what changed since last year.
    copy = Chapter.objects.create(
        assessment=target,
        theme_id=chapter.theme_id,
        order=chapter.order,
        slug=chapter.slug,
        title=chapter.title,
        summary=chapter.summary,
        narrative=chapter.narrative,
        lead_organisation_id=chapter.lead_organisation_id,
        kind=chapter.kind,
    )
    IndicatorSelection.objects.bulk_create(
        IndicatorSelection(
            chapter=copy,
            indicator_id=selection.indicator_id,
            order=selection.order,
            period_type=selection.period_type,
            current_period_start=one_year_on(selection.current_period_start),
            comparison_period_start=one_year_on(selection.comparison_period_start),
            share_of_id=selection.share_of_id,
            caveat=selection.caveat,
        )
        for selection in chapter.selections.all()
    )
    setting = ChapterMap.objects.filter(chapter=chapter).first()
    if setting is not None:  # the same crime types mapped, a year on
        ChapterMap.objects.create(
            chapter=copy,
            crime_types=setting.crime_types,
            first_month=one_year_on(setting.first_month),
            last_month=one_year_on(setting.last_month),
        )
    # One by one, so that each carried recommendation gets its own history record.
    for recommendation in chapter.recommendations.filter(status__in=OPEN_RECOMMENDATIONS):
        Recommendation.objects.create(
            chapter=copy,
            order=recommendation.order,
            text=recommendation.text,
            status=recommendation.status,
            carried_from=recommendation,
            lead_organisation_id=recommendation.lead_organisation_id,
            due_by=recommendation.due_by,
            success_measure=recommendation.success_measure,
        )
    return copy


def _copy_checklist(source: Assessment, target: Assessment) -> None:
    """The statutory checklist's mapping onto next year's chapters of the same slugs, each
    requirement marked to review."""
    chapters = {chapter.slug: chapter for chapter in target.chapters.all()}
    for coverage in source.statutory_coverage.prefetch_related("chapters"):
        copy = StatutoryCoverage.objects.create(
            assessment=target, requirement=coverage.requirement, note=coverage.note, reviewed=False
        )
        copy.chapters.set([chapters[c.slug] for c in coverage.chapters.all() if c.slug in chapters])


def _copy_appendix(appendix: Appendix, target: Assessment) -> Appendix:
    copy = Appendix.objects.create(
        assessment=target,
        order=appendix.order,
        slug=appendix.slug,
        title=appendix.title,
        kind=appendix.kind,
        summary=appendix.summary,
        narrative=appendix.narrative,
        period_type=appendix.period_type,
        current_period_start=one_year_on(appendix.current_period_start),
        comparison_period_start=one_year_on(appendix.comparison_period_start),
    )
    copy.indicators.set(appendix.indicators.all())
    appendix_grants_copy(source=appendix, target=copy)
    return copy
