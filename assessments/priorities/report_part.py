"""The "Setting priorities" part of the report and the cover paper: the ranking and the matrix
chart, handed to reporting through the app's documents.py (reporting is below this package)."""

from __future__ import annotations

from assessments.core.models import Assessment
from assessments.priorities.matrix_chart import matrix_chart
from assessments.priorities.models import OrganisationScore, ScoreOverride
from assessments.priorities.selectors import priority_matrix

PRIORITIES_TEMPLATES = ("assessments/includes/priority_ranking.html",)


def ranking_of(assessment: Assessment) -> dict | None:
    """The matrix and its chart, or None for an assessment without criteria or themes."""
    if not assessment.priority_criteria.exists():
        return None
    matrix = priority_matrix(assessment)
    if not matrix.rows:
        return None
    return {"matrix": matrix, "chart": matrix_chart(matrix)}


def priorities_context(assessment: Assessment) -> dict:
    return {"priorities_part": ranking_of(assessment)}


def priorities_inputs(assessment: Assessment) -> dict:
    """The rows the part is made of, for the PDF's content hash (the figures the data proposals
    read are the report's own inputs already)."""
    return {
        "criteria": list(
            assessment.priority_criteria.order_by("pk").values_list(
                "name", "weight", "data_source", "band_2", "band_3", "band_4", "axis", "order"
            )
        ),
        "overrides": list(
            ScoreOverride.objects.filter(criterion__assessment=assessment)
            .order_by("pk")
            .values_list("chapter_id", "criterion_id", "score")
        ),
        "scores": list(
            OrganisationScore.objects.filter(criterion__assessment=assessment)
            .order_by("pk")
            .values_list("chapter_id", "criterion_id", "organisation_id", "score")
        ),
    }
