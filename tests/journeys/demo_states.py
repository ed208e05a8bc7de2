"""The demo assessment put into each state a user can meet it in, for the journey tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessments.consultation.models import ConsultationState
from assessments.core.cache_version import bump
from assessments.core.models import Assessment, User

Status = Assessment.Status

STATES = ["draft", "consultation", "closed", "approved", "published"]
ROLES = ["analyst", "chair", "police", "fire"]


def put_in_state(assessment: Assessment, state: str) -> Assessment:
    """Set the status directly: the journeys test what each state shows, not how it is reached."""
    closes = timezone.localdate() + dt.timedelta(days=14)
    status = {"closed": Status.CONSULTATION}.get(state, state)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=status,
        consultation_closes_on=closes if status == Status.CONSULTATION else None,
        status_changed_at=timezone.now(),
    )
    ConsultationState.objects.update_or_create(
        assessment=assessment,
        defaults={"closed_at": timezone.now() if state == "closed" else None},
    )
    # `update` sends no signal: the cached pages must hear of the new state all the same.
    bump([assessment.partnership_id])
    return Assessment.objects.get(pk=assessment.pk)


def signed_in(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client
