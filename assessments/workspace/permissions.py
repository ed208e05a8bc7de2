"""Who may use the analyst's dashboard: core's rule (core/permissions.py), which the emails that
link to the dashboard ask too."""

from __future__ import annotations

from assessments.core.permissions import can_view_dashboard

__all__ = ["can_view_dashboard"]
