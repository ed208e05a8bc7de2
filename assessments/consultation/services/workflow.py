"""The assessment's workflow: draft → consultation → approved → published, and back; after
publication, a correction → approved → published again, or a take-down.

Every step goes through `assessment_transition`, which checks the role (permissions.py) and the
starting status before writing, so a hidden button is never the only guard. Each step is
recorded as a WorkflowEvent (who, when, why). What a step does to the report's editions
(approving freezes one, publishing publishes it, taking down withdraws it) belongs to
publication, above this package: the app's documents.py registers it with `step_effect`, and
it runs in the step's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.consultation import readiness
from assessments.consultation.models import ConsultationState, ReadinessOverride, WorkflowEvent
from assessments.consultation.permissions import can_transition, consultation_is_open
from assessments.core.jobs import enqueue
from assessments.core.models import Assessment, User

Status = Assessment.Status
Action = WorkflowEvent.Action


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str
    label: str
    needs_reason: bool = False
    needs_closing_date: bool = False
    reason_label: str = "Why is it moving back?"
    reason_missing: str = "Enter the reason for moving the assessment back"


STEPS: dict[str, Step] = {
    Action.OPEN: Step(
        (Status.DRAFT,), Status.CONSULTATION, "Open for consultation", needs_closing_date=True
    ),
    Action.EXTEND: Step(
        (Status.CONSULTATION,),
        Status.CONSULTATION,
        "Extend the consultation",
        needs_closing_date=True,
    ),
    Action.CLOSE: Step((Status.CONSULTATION,), Status.CONSULTATION, "Close the consultation now"),
    # The chair approves the document as it stands: an edition is frozen (a correction's too).
    Action.APPROVE: Step(
        (Status.CONSULTATION, Status.CORRECTION), Status.APPROVED, "Approve the assessment"
    ),
    Action.PUBLISH: Step((Status.APPROVED,), Status.PUBLISHED, "Publish the assessment"),
    # A correction after publication: the published edition stays public until the corrected
    # one is approved and published. The change note is public, printed with the new edition.
    Action.CORRECT: Step(
        (Status.PUBLISHED, Status.CORRECTION),
        Status.CORRECTION,
        "Correct the published assessment",
        needs_reason=True,
        reason_label="Change note: what the corrected edition changes. Shown to the public "
        "with the new edition, e.g. “Corrected the domestic abuse figures”.",
        reason_missing="Enter the change note",
    ),
    # Taking down withdraws the published edition at once; the reason is for the partnership's
    # staff, never shown to the public.
    Action.UNPUBLISH: Step(
        (Status.PUBLISHED, Status.CORRECTION),
        Status.CORRECTION,
        "Take down the published assessment",
        needs_reason=True,
        reason_label="Why is it taken down? Seen by the partnership's staff, not the public.",
        reason_missing="Enter why it is taken down",
    ),
    Action.BACK_TO_DRAFT: Step(
        (Status.CONSULTATION,), Status.DRAFT, "Move back to draft", needs_reason=True
    ),
    Action.BACK_TO_CONSULTATION: Step(
        (Status.APPROVED,),
        Status.CONSULTATION,
        "Move back to consultation",
        needs_reason=True,
        needs_closing_date=True,
    ),
}


@dataclass(frozen=True)
class StepTaken:
    """What a registered effect is told about the step it follows."""

    assessment: Assessment
    event: WorkflowEvent
    by: User | None
    document_sha256: str


StepEffect = Callable[[StepTaken], None]
_EFFECTS: dict[str, list[StepEffect]] = {}


def step_effect(action: str, effect: StepEffect) -> None:
    """Run `effect` after the step `action` is written, in its transaction: an exception in it
    undoes the step (WorkflowError to refuse it with a message)."""
    effects = _EFFECTS.setdefault(action, [])
    if effect not in effects:
        effects.append(effect)


class WorkflowError(ValidationError):
    """A step that cannot be taken now; the message says why."""


def _state(assessment: Assessment) -> ConsultationState:
    state, _ = ConsultationState.objects.get_or_create(assessment=assessment)
    return state


def step_applies(assessment: Assessment, action: str) -> bool:
    """Does the step start from the assessment's status (and, for extend/close, an open one)?"""
    step = STEPS.get(action)
    if step is None or assessment.status not in step.sources:
        return False
    if action == Action.CLOSE:
        return consultation_is_open(assessment)
    if action == Action.UNPUBLISH:
        return assessment.public_edition_id is not None
    return True


def available_actions(user, assessment: Assessment) -> list[tuple[str, str]]:
    """The steps the user may take on the assessment now, as (action, label) pairs."""
    return [
        (action, step.label)
        for action, step in STEPS.items()
        if step_applies(assessment, action) and can_transition(user, assessment, action)
    ]


def _check(step: Step, *, reason: str, closes_on: dt.date | None) -> None:
    if step.needs_reason and not reason.strip():
        raise WorkflowError(step.reason_missing, code="reason")
    if step.needs_closing_date:
        if closes_on is None:
            raise WorkflowError("Enter the date the consultation closes", code="closes_on")
        if closes_on < timezone.localdate():
            raise WorkflowError("The closing date must be today or in the future", code="past")


@transaction.atomic
def assessment_transition(
    *,
    assessment: Assessment,
    action: str,
    by: User | None,
    reason: str = "",
    closes_on: dt.date | None = None,
    override_reason: str = "",
    document_sha256: str = "",
) -> WorkflowEvent:
    """Take one workflow step, or raise PermissionDenied / WorkflowError and change nothing.

    `by=None` is the system itself: only the automatic close at the closing date. Opening is
    refused while readiness checks fail, unless `override_reason` says why to go ahead: the
    override is then recorded with the failures. Approving and publishing are refused while the
    publication gate fails, whatever the reason given. `document_sha256`: the hash of the
    document the approver read (the approve page shows it); approval is refused if the working
    copy no longer hashes to it.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    step = STEPS.get(action)
    if step is None:
        raise WorkflowError("No such step", code="action")
    if by is not None and not can_transition(by, assessment, action):
        raise PermissionDenied("You may not take this step")
    if by is None and action != Action.CLOSE:
        raise PermissionDenied("Only closing happens by itself")
    if not step_applies(assessment, action):
        raise WorkflowError(
            f"This step is not possible while the assessment is "
            f"{assessment.get_status_display().lower()}",
            code="status",
        )
    _check(step, reason=reason, closes_on=closes_on)
    failures = readiness.failures_for(assessment, action)
    if failures and action in readiness.GATED_ACTIONS:
        raise WorkflowError(
            f"The assessment cannot be {'approved' if action == Action.APPROVE else 'published'}"
            f": {_checks_fail(failures)}. No reason can skip them: "
            + "; ".join(failure.message for failure in failures),
            code="gate",
        )
    if failures and not override_reason.strip():
        raise WorkflowError(
            f"The assessment is not ready: {_checks_fail(failures)}. Fix them, or give the "
            "reason to go ahead anyway",
            code="readiness",
        )
    event = _apply(assessment, action, step, by=by, reason=reason.strip(), closes_on=closes_on)
    taken = StepTaken(assessment, event, by, document_sha256)
    for effect in _EFFECTS.get(action, []):
        effect(taken)
    if failures:
        ReadinessOverride.objects.create(
            event=event,
            by=by,
            at=event.at,
            reason=override_reason.strip(),
            failures=[failure.as_dict() for failure in failures],
        )
    return event


def _checks_fail(failures: list) -> str:
    return f"{len(failures)} {'check fails' if len(failures) == 1 else 'checks fail'}"


def _apply(assessment, action, step, *, by, reason, closes_on) -> WorkflowEvent:
    now = timezone.now()
    source = assessment.status
    state = _state(assessment)
    if step.needs_closing_date:
        assessment.consultation_closes_on = closes_on
        state.closed_at = None
    if action == Action.CLOSE:
        state.closed_at = now
    if step.target == Status.DRAFT:
        assessment.consultation_closes_on = None
    if step.target != source:
        assessment.status = step.target
        assessment.status_changed_at = now
    assessment.save(update_fields=["status", "status_changed_at", "consultation_closes_on"])
    state.save()
    event = WorkflowEvent.objects.create(
        assessment=assessment,
        action=action,
        from_status=source,
        to_status=step.target,
        by=by,
        at=now,
        reason=reason,
        closes_on=assessment.consultation_closes_on if step.needs_closing_date else None,
    )
    if action in (Action.OPEN, Action.BACK_TO_CONSULTATION):
        enqueue("consultation_opened_notify_task", assessment.pk)
    if action in (Action.APPROVE, Action.PUBLISH):
        enqueue("assessment_milestone_notify_task", assessment.pk, action)
    return event


def consultations_close_due(*, today: dt.date | None = None) -> list[int]:
    """Close every consultation whose closing date has passed; returns their ids. Idempotent."""
    today = today or timezone.localdate()
    due = Assessment.objects.filter(
        status=Status.CONSULTATION, consultation_closes_on__lt=today
    ).exclude(consultation_state__closed_at__isnull=False)
    closed = []
    for assessment in due:
        with transaction.atomic():
            state = _state(assessment)
            if state.closed_at is not None:
                continue
            state.closed_at = timezone.now()
            state.save(update_fields=["closed_at"])
            WorkflowEvent.objects.create(
                assessment=assessment,
                action=Action.CLOSE,
                from_status=Status.CONSULTATION,
                to_status=Status.CONSULTATION,
                by=None,
                at=state.closed_at,
            )
            closed.append(assessment.pk)
    return closed
