"""Who may see the health check's details."""

from __future__ import annotations

from assessments.core.permissions import AnyUser, can_use_admin


def may_see_health_details(user: AnyUser) -> bool:
    """Operators and analysts see which part is unhealthy; the load balancer sees only a code."""
    return can_use_admin(user)
