"""The board's decision on an assessment: each recommendation's outcome moves the
recommendation along, so that next year's roll-over carries exactly the ones still open."""

from __future__ import annotations

from django.db import transaction

from assessments.core.models import Recommendation
from assessments.publication.models import BoardDecision, RecommendationOutcome
from assessments.publication.selectors import board_decision_of

Outcome = RecommendationOutcome.Outcome

# Adopted becomes work to do; rejected is dropped; noted stays as it was.
STATUS_AFTER = {
    Outcome.ADOPTED: Recommendation.Status.ACCEPTED,
    Outcome.REJECTED: Recommendation.Status.DROPPED,
}


@transaction.atomic
def board_outcomes_apply(*, decision: BoardDecision) -> int:
    """Set each decided recommendation's status from the board's outcome; returns how many
    changed. Safe to run again: a recommendation already in its status is left alone."""
    changed = 0
    for outcome in decision.outcomes.select_related("recommendation"):
        status = STATUS_AFTER.get(outcome.outcome)
        recommendation = outcome.recommendation
        if status is None or recommendation.status == status:
            continue
        recommendation.status = status
        recommendation.save(update_fields=["status"])  # recorded in its history
        changed += 1
    return changed


def board_priorities_from_themes(*, decision: BoardDecision) -> bool:
    """Write the agreed themes as the priorities (one a line, which next year's cover paper
    ticks) where the board chose themes and nobody wrote the priorities out; True if written."""
    themes = list(decision.agreed_themes.order_by("name").values_list("name", flat=True))
    if not themes or decision.priorities.strip():
        return False
    decision.priorities = "\n".join(themes)
    decision.save(update_fields=["priorities"])
    return True


def board_decision_data(assessment) -> dict:
    """The board's decision as data for the report document (reporting/report_data.py), so that
    an edition holds the decision recorded when it was approved."""
    decision = board_decision_of(assessment)
    if decision is None:
        return {"board_decision": None}
    return {
        "board_decision": {
            "met_on": f"{decision.met_on.day} {decision.met_on:%B %Y}",
            "notes": decision.notes,
            "priority_list": decision.priority_list,
            "ranking_departure": decision.ranking_departure,
            "outcomes": [
                {
                    "recommendation_pk": outcome.recommendation_id,
                    "recommendation": outcome.recommendation.text,
                    "chapter": outcome.recommendation.chapter.title,
                    "outcome": outcome.get_outcome_display(),
                    "notes": outcome.notes,
                }
                for outcome in decision.outcomes.all()
            ],
        }
    }
