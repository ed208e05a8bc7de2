"""Who may start next year's assessment."""

from __future__ import annotations

from assessments.core.models import Assessment, Role
from assessments.core.permissions import MANAGING_ROLES, AnyUser, role_in


def can_start_next_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst starts next year's assessment from this one."""
    return user.is_active and role_in(user, assessment.partnership_id) == Role.ANALYST


def can_record_board_decision(user: AnyUser, assessment: Assessment) -> bool:
    """The chair (or the analyst for them) records the board's decision on the board meeting
    page, while the assessment can still be approved: the edition frozen at approval carries
    the decision, and an approved edition never changes."""
    return (
        user.is_active
        and role_in(user, assessment.partnership_id) in MANAGING_ROLES
        and assessment.status in (Assessment.Status.CONSULTATION, Assessment.Status.CORRECTION)
    )
