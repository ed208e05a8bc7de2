"""The report's "Progress against last year's priorities" (issue 32): the priorities of the plan
this assessment reviews with how each indicator of their themes moved, and last year's
recommendations with the board's outcome, their lead, timescale and measure, and where they
stand now. A part of the report document handed to reporting through the app's documents.py
(reporting is below)."""

from __future__ import annotations

from django.db.models import Prefetch

from assessments.core.models import Assessment, Recommendation
from assessments.publication.selectors import plan_priorities
from assessments.reporting.report_data import figure_data

PROGRESS_TEMPLATES = ("pdf/includes/progress.html",)


def _last_year_recommendations(assessment: Assessment) -> list[dict]:
    carried = Prefetch(
        "carried_to",
        queryset=Recommendation.objects.filter(chapter__assessment=assessment),
        to_attr="carried_here",
    )
    recommendations = (
        Recommendation.objects.filter(
            chapter__assessment__partnership_id=assessment.partnership_id,
            chapter__assessment__year=assessment.year - 1,
        )
        .select_related("chapter__lead_organisation", "lead_organisation", "board_outcome")
        .prefetch_related(carried)
        .order_by("chapter__order", "order", "pk")
    )
    rows, numbers = [], {}
    for recommendation in recommendations:
        chapter = recommendation.chapter
        numbers[chapter.pk] = numbers.get(chapter.pk, 0) + 1
        outcome = getattr(recommendation, "board_outcome", None)
        now = recommendation.carried_here[0] if recommendation.carried_here else recommendation
        lead = recommendation.lead
        rows.append(
            {
                "number": f"{chapter.order}.{numbers[chapter.pk]}",
                "chapter": chapter.title,
                "text": recommendation.text,
                "lead_organisation": lead.name if lead else "",
                "due_by": recommendation.due_by_text,
                "success_measure": recommendation.success_measure,
                "outcome": outcome.get_outcome_display() if outcome else "",
                "status": now.get_status_display(),
                "carried": now is not recommendation,
            }
        )
    return rows


def progress_data(assessment: Assessment) -> dict:
    """The part as data for the report document (reporting/report_data.py)."""
    return {
        "progress": {
            "last_year": assessment.year - 1,
            "priorities": [
                {
                    "priority": item.theme,
                    "movement": item.movement,
                    "figures": [figure_data(figure) for figure in item.figures],
                }
                for item in plan_priorities(assessment)
            ],
            "recommendations": _last_year_recommendations(assessment),
        }
    }
