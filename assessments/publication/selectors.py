"""Reads of publication: the approved text, corrections, the checklist and the board's decision."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from assessments.consultation.models import (
    WorkflowEvent,
)
from assessments.core.models import Assessment, Chapter, PurposeItem
from assessments.indicators.headlines import HeadlineFigure
from assessments.priorities.selectors import figures_by_chapter
from assessments.publication.models import (
    BoardDecision,
    RecommendationOutcome,
    StatutoryRequirement,
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


@dataclass(frozen=True)
class PriorityMovement:
    """One of the priorities the board agreed last year, how its lead figure moved since, and
    every indicator of its theme's chapter: latest against previous, with the change where the
    periods compare (`HeadlineFigure.change_in_words`, "Not comparable" and what they lack)."""

    theme: str
    movement: str
    figures: list[HeadlineFigure] = field(default_factory=list)

    @property
    def priority(self) -> str:
        """Its name, as the report's progress part calls it."""
        return self.theme


def last_year_priorities(assessment: Assessment) -> list[PriorityMovement]:
    """The themes the board agreed as priorities on last year's assessment, each with this
    year's lead figure of its chapter: this year against last, so how it moved since."""
    decision = BoardDecision.objects.filter(
        assessment__partnership_id=assessment.partnership_id, assessment__year=assessment.year - 1
    ).first()
    themes = list(decision.agreed_themes.order_by("name")) if decision else []
    if not themes:
        return []
    return _movements(assessment, [(theme.name, theme.pk) for theme in themes])


def plan_priorities(assessment: Assessment) -> list[PriorityMovement]:
    """The priorities of the plan this assessment reviews: the board's agreed themes on last
    year's assessment where it is recorded here, or else the cover paper's partnership
    priorities, each with the lead figure of its theme's chapter where the analyst linked one."""
    agreed = last_year_priorities(assessment)
    if agreed:
        return agreed
    items = assessment.purposes.filter(kind=PurposeItem.Kind.PRIORITY).order_by("order", "pk")
    return _movements(assessment, [(item.label, item.theme_id) for item in items])


def _movements(assessment: Assessment, priorities: list[tuple[str, int | None]]):
    chapters = {chapter.theme_id: chapter for chapter in assessment.chapters.all()}
    by_chapter = figures_by_chapter(assessment) if priorities else {}
    movements = []
    for name, theme_id in priorities:
        chapter = chapters.get(theme_id)
        figures = by_chapter.get(chapter.pk, []) if chapter else []
        figure = figures[0] if figures else None
        if figure is not None and figure.current is None:
            period = figure.selection.current_period.label
            movement = f"{figure.indicator.name}: no figures for {period} yet."
        elif figure is not None:
            periods = figure.selection.current_period.label
            if figure.selection.comparison_period:
                periods += f" against {figure.selection.comparison_period.label}"
            movement = f"{figure.statement().rstrip('.')} ({periods})"
        else:
            movement = "No figure on it in this assessment yet."
        movements.append(PriorityMovement(name, movement, figures))
    return movements
