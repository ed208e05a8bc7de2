"""The demo assessment made larger, for query budgets and benchmarks: `factor` times the
indicators (each with its observations and a selection in the same chapter), the chapters, the
headlines and the comments. A page whose cost does not grow with the assessment runs the same
number of queries before and after (tests/test_query_budgets.py, benchmarks/pages.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from assessments.consultation.discussions import touch
from assessments.consultation.models import Comment
from assessments.core.markdown import render_markdown
from assessments.core.models import Assessment, Theme, User
from assessments.indicators.models import Indicator, IndicatorSelection, Observation


def demo_scale_up(assessment: Assessment, factor: int = 4) -> None:
    """Multiply the assessment's indicators, chapters, headlines and comments by `factor`."""
    copies = range(1, factor)
    _copy_indicators(assessment, copies)
    _copy_chapters(assessment, copies)
    _copy_headlines(assessment, copies)
    _copy_comments(assessment, copies)


def _copy_indicators(assessment: Assessment, copies: range) -> None:
    selections = list(IndicatorSelection.objects.filter(chapter__assessment=assessment))
    indicators = {selection.indicator_id for selection in selections}
    for original in Indicator.objects.filter(pk__in=indicators):
        observations = list(original.observations.all())
        for n in copies:
            copy = _clone(original, code=f"{original.code}-x{n}", name=f"{original.name} {n}")
            for observation in observations:
                observation.pk, observation.indicator = None, copy
            Observation.objects.bulk_create(observations)
            for selection in selections:
                if selection.indicator_id == original.pk:
                    _clone(selection, indicator=copy, order=selection.order + 100 * n)


def _copy_chapters(assessment: Assessment, copies: range) -> None:
    originals = list(assessment.chapters.prefetch_related("recommendations", "selections"))
    for n in copies:
        for original in originals:
            slug = f"{original.slug}-{n}"
            theme = Theme.objects.create(
                partnership=assessment.partnership, name=f"{original.theme.name} {n}", slug=slug
            )
            chapter = _clone(
                original, theme=theme, slug=slug, order=original.order + 100 * n,
                title=f"{original.title} ({n})",
            )  # fmt: skip
            for recommendation in original.recommendations.all():
                _clone(recommendation, chapter=chapter)
            for selection in original.selections.all():
                _clone(selection, chapter=chapter)


def _copy_headlines(assessment: Assessment, copies: range) -> None:
    originals = list(assessment.headlines.all())
    for n in copies:
        for original in originals:
            _clone(original, order=original.order + 100 * n)


def _copy_comments(assessment: Assessment, copies: range) -> None:
    originals = list(Comment.objects.filter(assessment=assessment, parent=None))
    for n in copies:
        for original in originals:
            _clone(original, body=f"{original.body} ({n})")


def _clone(row, **changes):
    """A new row with the original's fields and the changes (the original is left as it was)."""
    copy = type(row).objects.get(pk=row.pk)
    copy.pk = None
    for field, value in changes.items():
        setattr(copy, field, value)
    copy.save()
    return copy


def demo_long_discussion(chapter, comments: int = 300) -> None:
    """`comments` more comments on the chapter, as a busy consultation leaves them: on the whole
    chapter, on its first paragraph and on its first recommendation, a third resolved, each
    discussion a first comment and two replies, from the partnership's people in turn."""
    people = list(User.objects.filter(memberships__partnership=chapter.assessment.partnership))
    anchor = render_markdown(chapter.narrative).paragraphs[0][0]
    recommendation = chapter.recommendations.first()
    resolver = people[0]
    now = timezone.now() - dt.timedelta(days=1)
    for n in range(comments // 3):
        at = now + dt.timedelta(minutes=n)
        root = Comment.objects.create(
            chapter=chapter, author=people[n % len(people)], body=f"Discussion {n}", created_at=at,
            paragraph_anchor=anchor if n % 3 == 1 else "",
            recommendation=recommendation if n % 3 == 2 else None,
            resolved_at=at if n % 3 == 0 else None, resolved_by=resolver if n % 3 == 0 else None,
        )  # fmt: skip
        Comment.objects.bulk_create(
            Comment(
                assessment_id=chapter.assessment_id,
                chapter=chapter,
                parent=root,
                author=people[(n + r) % len(people)],
                body=f"Reply {r} to discussion {n}",
                created_at=at + dt.timedelta(seconds=r),
            )  # fmt: skip
            for r in (1, 2)
        )
    # The replies were written in bulk, which sends no signals.
    touch(Q(pk=chapter.pk))
