"""Reads of accounts: a partnership's invitations still waiting for an answer."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.accounts.models import Invitation
from assessments.core.models import Partnership


def invitations_pending(partnership: Partnership) -> QuerySet[Invitation]:
    return partnership.invitations.filter(accepted_at__isnull=True).select_related("organisation")
