"""Chasing the organisations that have not responded to the consultation: one reminder email per
organisation, recorded, and at most one a day."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.consultation.models import ChaseReminder
from assessments.consultation.permissions import can_chase_organisations, consultation_is_open
from assessments.consultation.selectors import consultation_responses
from assessments.consultation.services.notifications import scoring_url
from assessments.core.emails import send_to_each
from assessments.core.jobs import enqueue
from assessments.core.links import absolute
from assessments.core.models import Assessment, Organisation, User
from assessments.core.permissions import (
    MEMBER_ROLES,
    answers_for_a_member_organisation,
    can_view_assessment,
)


def silent_organisations(assessment: Assessment) -> list[Organisation]:
    """The organisations asked to respond that have neither commented nor answered."""
    return consultation_responses(assessment).silent


def silent_organisations_chase(
    *,
    assessment: Assessment,
    by: User,
    silent: Callable[[Assessment], list[Organisation]] = silent_organisations,
    about: str = ChaseReminder.About.COMMENTS,
) -> tuple[list, list]:
    """Remind each silent organisation not yet reminded today; return (reminded, skipped).
    `silent` says who is silent: by default those that have neither commented nor answered;
    the priority matrix passes those that have not scored, `about` scores."""
    if not can_chase_organisations(by, assessment):
        raise PermissionDenied("Only the analyst chases, while the consultation is open")
    today = timezone.localdate()
    reminded, skipped = [], []
    for organisation in silent(assessment):
        try:
            with transaction.atomic():
                reminder = ChaseReminder.objects.create(
                    assessment=assessment,
                    organisation=organisation,
                    about=about,
                    sent_on=today,
                    by=by,
                )
                enqueue("chase_reminder_send_task", reminder.pk)
        except IntegrityError:  # reminded already today (the unique constraint decides)
            skipped.append(organisation)
        else:
            reminded.append(organisation)
    return reminded, skipped


# What each kind of reminder says and where it sends people. The scoring page belongs to the
# priorities package, above this one: named by its URL, not imported.
_REMINDERS = {
    ChaseReminder.About.COMMENTS: lambda assessment: (
        "emails/chase_reminder.txt",
        "Your comments please",
        assessment.get_absolute_url(),
    ),
    ChaseReminder.About.SCORES: lambda assessment: (
        "emails/chase_scores.txt",
        "Your scores please",
        reverse("priorities_score", args=[assessment.partnership.slug, assessment.year]),
    ),
}


def chase_reminder_send(*, reminder_id: int) -> int:
    """One email to the organisation's members who may respond; return how many were sent."""
    reminder = ChaseReminder.objects.select_related("assessment__partnership", "organisation").get(
        pk=reminder_id
    )
    assessment = reminder.assessment
    if not consultation_is_open(assessment):
        return 0  # asked for while partners could still answer, delivered after they can't
    recipients = (
        User.objects.filter(
            organisation=reminder.organisation,
            is_active=True,
            memberships__partnership_id=assessment.partnership_id,
            memberships__role__in=MEMBER_ROLES,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    template, subject, path = _REMINDERS[reminder.about](assessment)
    context = {
        "assessment": assessment,
        "organisation": reminder.organisation,
        "url": absolute(path),
        # The comments reminder asks for scores too; the scores reminder links to scoring already.
        "scoring_url": scoring_url(assessment)
        if reminder.about == ChaseReminder.About.COMMENTS
        else "",
    }
    # One email each (nobody sees the others' addresses), to those who may still answer.
    return send_to_each(
        recipients,
        f"{subject}: {assessment.title}",
        template,
        context,
        may_open=lambda user: (
            can_view_assessment(user, assessment)
            and answers_for_a_member_organisation(user, assessment.partnership_id)
        ),
    )
