"""The board's decision on an assessment: each recommendation's outcome moves the
recommendation along, so that next year's roll-over carries exactly the ones still open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assessments.core.models import Assessment, Recommendation, Theme, User
from assessments.publication.models import BoardDecision, RecommendationOutcome
from assessments.publication.permissions import can_record_board_decision
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
    themes = _themes_as_priorities(decision)
    if not themes or decision.priorities.strip():
        return False
    decision.priorities = themes
    decision.save(update_fields=["priorities"])
    return True


def _themes_as_priorities(decision: BoardDecision) -> str:
    return "\n".join(decision.agreed_themes.order_by("name").values_list("name", flat=True))


@transaction.atomic
def board_decision_record(
    *,
    assessment: Assessment,
    by: User,
    met_on: dt.date,
    minutes_reference: str = "",
    agreed_themes: Iterable[Theme] = (),
    ranking_departure: str = "",
    priorities: str = "",
    notes: str = "",
    outcomes: dict[int, str],
) -> BoardDecision:
    """Record (or correct) the board's decision before approval, on the board meeting page:
    the meeting, the themes agreed and the outcome of each recommendation ("" leaves one
    undecided), which moves the recommendations on as the admin's form does."""
    if not can_record_board_decision(by, assessment):
        raise PermissionDenied("Only the chair or the analyst records it, before approval")
    earlier = board_decision_of(assessment)
    written = "\n".join(line.strip() for line in priorities.splitlines() if line.strip())
    if earlier is not None and written == _themes_as_priorities(earlier):
        priorities = ""  # left as written out from the themes: written out again from the new
    decision, _ = BoardDecision.objects.update_or_create(
        assessment=assessment,
        defaults={
            "met_on": met_on,
            "minutes_reference": minutes_reference,
            "ranking_departure": ranking_departure,
            "priorities": priorities,
            "notes": notes,
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    decision.agreed_themes.set(agreed_themes)
    ours = Recommendation.objects.filter(chapter__assessment=assessment, pk__in=outcomes)
    for recommendation_id in ours.values_list("pk", flat=True):
        outcome = outcomes[recommendation_id]
        if not outcome:
            decision.outcomes.filter(recommendation_id=recommendation_id).delete()
            continue
        RecommendationOutcome.objects.update_or_create(
            recommendation_id=recommendation_id,
            defaults={"decision": decision, "outcome": outcome},
        )
    board_outcomes_apply(decision=decision)
    board_priorities_from_themes(decision=decision)
    return decision


def board_decision_data(assessment) -> dict:
    """The board's decision as data for the report document (reporting/report_data.py), so that
    an edition holds the decision recorded when it was approved."""
    decision = board_decision_of(assessment)
    if decision is None:
        return {"board_decision": None}
    return {
        "board_decision": {
            "met_on": f"{decision.met_on.day} {decision.met_on:%B %Y}",
            "minutes_reference": decision.minutes_reference,
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
