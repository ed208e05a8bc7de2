"""Who may use the analyst's dashboard."""

from __future__ import annotations

from assessments.core.models import Assessment
from assessments.core.permissions import MANAGING_ROLES, AnyUser, role_in


def can_view_dashboard(user: AnyUser, assessment: Assessment) -> bool:
    """The assessment dashboard: the partnership's analyst and chair."""
    return role_in(user, assessment.partnership_id) in MANAGING_ROLES
