"""Who may start next year's assessment."""

from __future__ import annotations

from assessments.core.models import Assessment, Role
from assessments.core.permissions import AnyUser, role_in


def can_start_next_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst starts next year's assessment from this one."""
    return user.is_active and role_in(user, assessment.partnership_id) == Role.ANALYST
