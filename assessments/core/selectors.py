"""Reads of assessments and chapters, with their prefetching. Nothing here writes."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.core.models import Assessment, Chapter, ChapterFigure, Membership
from assessments.core.permissions import assessments_visible_to


def assessment_by_url(slug: str, year: int) -> Assessment | None:
    return (
        Assessment.objects.select_related("partnership", "public_edition")
        # The edition's document is read only to render a page, not to check one.
        .defer("public_edition__content")
        .filter(partnership__slug=slug, year=year)
        .first()
    )


def assessments_for_home(user) -> QuerySet[Assessment]:
    return assessments_visible_to(user).select_related("partnership")


def chapters_for_contents(assessment: Assessment) -> QuerySet[Chapter]:
    """The chapters with what a contents list shows and when each last changed: not their
    narratives, which were most of the time of reading 40 chapters (issue 18)."""
    fields = ("assessment_id", "order", "slug", "title", "summary", "updated_at")
    return assessment.chapters.only(*fields).order_by("order")


def partnership_members(partnership) -> QuerySet[Membership]:
    return (
        partnership.memberships.filter(user__is_active=True)
        .select_related("user__organisation")
        .order_by("role", "user__last_name", "user__first_name")
    )


def chapter_figure_by_url(assessment: Assessment, chapter_slug: str, number: int):
    return ChapterFigure.objects.filter(
        chapter__assessment=assessment, chapter__slug=chapter_slug, number=number
    ).first()


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


def chapter_of(assessment: Assessment, slug: str) -> Chapter | None:
    """The assessment's chapter with this slug, holding the assessment already read."""
    chapter = assessment.chapters.filter(slug=slug).first()
    if chapter is not None:
        chapter.assessment = assessment
    return chapter
