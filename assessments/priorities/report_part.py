"""The "Setting priorities" part of the report and the cover paper: the ranking and the matrix
chart, handed to reporting through the app's documents.py (reporting is below this package)."""

from __future__ import annotations

from assessments.core.models import Assessment
from assessments.priorities.matrix_chart import matrix_chart
from assessments.priorities.models import OrganisationScore, ScoreOverride
from assessments.priorities.selectors import Matrix, priority_matrix
from assessments.priorities.services.scoring import shown_score

PRIORITIES_TEMPLATES = ("assessments/includes/priority_ranking.html",)


def ranking_of(assessment: Assessment) -> dict | None:
    """The matrix and its chart, or None for an assessment without criteria or themes."""
    if not assessment.priority_criteria.exists():
        return None
    matrix = priority_matrix(assessment)
    if not matrix.rows:
        return None
    return {"matrix": matrix, "chart": matrix_chart(matrix)}


def _matrix_data(matrix: Matrix) -> dict:
    return {
        "rule": matrix.rule,
        "criteria": [criterion.name for criterion in matrix.criteria],
        "rows": [
            {
                "rank": row.rank,
                "theme": row.theme,
                "combined": row.combined,
                "organisations_scored": [org.name for org in row.organisations_scored],
                "scores": [
                    {
                        "criterion": cell.criterion.name,
                        "score": shown_score(cell.result.score),
                        "source": cell.result.source,
                    }
                    for cell in row.cells
                ],
            }
            for row in matrix.rows
        ],
    }


def _chart_data(chart) -> dict | None:
    if chart is None:
        return None
    return {
        "slug": chart.slug,
        "title": chart.title,
        "description": chart.description,
        "x_name": chart.x_name,
        "y_name": chart.y_name,
        "svg": chart.svg(),
        "narrow_svg": chart.narrow_svg(),  # the edition's pages on a phone
        "placed": [
            {"mark": p.mark, "rank": p.rank, "theme": p.theme, "x": p.x, "y": p.y}
            for p in chart.placed
        ],
    }


def priorities_data(assessment: Assessment) -> dict:
    """The part as data for the report document (reporting/report_data.py): the ranking, every
    theme's scores by criterion and the matrix chart, as the board approves them."""
    ranking = ranking_of(assessment)
    if ranking is None:
        return {"priorities_part": None}
    return {
        "priorities_part": {
            "matrix": _matrix_data(ranking["matrix"]),
            "chart": _chart_data(ranking["chart"]),
        }
    }


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
