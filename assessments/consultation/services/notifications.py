"""Emails about the consultation, sent from Celery tasks after the write commits.

Who hears of what:
- the partnership's analyst: each new comment at once, or one digest a day (their preference);
- the people in a discussion: replies and resolutions;
- partners and board members: consultation opened, and "closes in 2 days".
Nobody is told of their own comment, and every recipient is checked against the permissions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.consultation.models import Comment, ConsultationState, NotificationPreference
from assessments.consultation.permissions import (
    analysts_to_notify,
    can_view_comment,
    consultation_is_open,
    members_to_notify,
    partnerships_whose_comments_reach,
)
from assessments.core.emails import send_to_each
from assessments.core.links import absolute
from assessments.core.models import Assessment, User
from assessments.core.permissions import (
    MEMBER_ROLES,
    answers_for_a_member_organisation,
    can_view_assessment,
    role_in,
)

Frequency = NotificationPreference.Frequency


def _comment(comment_id: int) -> Comment | None:
    return (
        Comment.objects.select_related(
            "author__organisation",
            "assessment__partnership",
            "chapter",
            "parent",
            "resolved_by",
        )
        .filter(pk=comment_id)
        .first()
    )


def _thread_people(comment: Comment) -> set[User]:
    """Everyone who wrote in the comment's thread."""
    root_id = comment.parent_id or comment.pk
    people = User.objects.filter(Q(comments__pk=root_id) | Q(comments__parent_id=root_id))
    return set(people.distinct())


def _reader_of(comment: Comment):
    """The check of the page a comment's email links to: the comment itself."""
    return lambda user: can_view_comment(user, comment)


def _who_may_read(users: Iterable[User], comment: Comment, *, leave_out: User | None):
    """Who is told: everyone but the one who acted (send_to_each asks who may read it)."""
    return sorted((user for user in users if user != leave_out), key=lambda user: user.pk)


def _reader_of_assessment(assessment: Assessment):
    """The check of the page a consultation email links to: the assessment's."""
    return lambda user: can_view_assessment(user, assessment)


def _immediate_analysts(assessment: Assessment) -> list[User]:
    analysts = analysts_to_notify(assessment.partnership_id).select_related(
        "notification_preference"
    )
    return [user for user in analysts if _frequency(user) == Frequency.IMMEDIATE]


def notification_preference_set(
    *, user: User, new_comments: str, workflow_emails: bool = True
) -> NotificationPreference:
    """Each new comment at once, or a daily digest; and whether to hear of approval and
    publication."""
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"new_comments": new_comments, "workflow_emails": workflow_emails}
    )
    return preference


def _frequency(user: User) -> str:
    preference = getattr(user, "notification_preference", None)
    return preference.new_comments if preference else Frequency.IMMEDIATE


def notify_comment_posted(*, comment_id: int) -> int:
    """Tell the analyst (if they want it at once) and the people in the thread of a new comment."""
    comment = _comment(comment_id)
    if comment is None:
        return 0
    assessment = comment.assessment
    users = set(_immediate_analysts(assessment))
    if comment.parent_id:
        users |= _thread_people(comment)
    recipients = _who_may_read(users, comment, leave_out=comment.author)
    subject = f"New comment on {comment.subject_title}: {assessment.title}"
    context = {"comment": comment, "url": absolute(comment.get_absolute_url())}
    return send_to_each(
        recipients, subject, "emails/comment_posted.txt", context, may_open=_reader_of(comment)
    )


def notify_comment_resolved(*, comment_id: int) -> int:
    """Tell the people in a thread that the analyst resolved it, with the analyst's response."""
    comment = _comment(comment_id)
    if comment is None or comment.resolved_at is None:
        return 0
    recipients = _who_may_read(_thread_people(comment), comment, leave_out=comment.resolved_by)
    subject = f"Comment resolved on {comment.subject_title}"
    context = {"comment": comment, "url": absolute(comment.get_absolute_url())}
    return send_to_each(
        recipients, subject, "emails/comment_resolved.txt", context, may_open=_reader_of(comment)
    )


def _members(assessment: Assessment) -> list[User]:
    return list(members_to_notify(assessment.partnership_id))


def scoring_url(assessment: Assessment) -> str:
    """The address of the page where partners score the themes, or "" when the assessment has
    no theme or no criterion to score. The page belongs to the priorities package, above this
    one: named by its URL, not imported; its criteria are read through the assessment."""
    if not (assessment.chapters.themes().exists() and assessment.priority_criteria.exists()):
        return ""
    args = [assessment.partnership.slug, assessment.year]
    return absolute(reverse("priorities_score", args=args))


def _consultation_links(assessment: Assessment) -> dict:
    """What the consultation's emails link to, for everyone: the assessment."""
    return {"assessment": assessment, "url": absolute(assessment.get_absolute_url())}


def _scoring_link(assessment: Assessment):
    """Each recipient's link to scoring, for those the scoring page admits (members who answer
    for one of the partnership's organisations; priorities/permissions.py asks the same)."""
    url, partnership_id = scoring_url(assessment), assessment.partnership_id

    def link(user) -> dict:
        scores = role_in(user, partnership_id) in MEMBER_ROLES and (
            answers_for_a_member_organisation(user, partnership_id)
        )
        return {"scoring_url": url if scores else ""}

    return link


def notify_consultation_opened(*, assessment_id: int) -> int:
    """Invite the partnership's partners and board members to read, comment and score."""
    assessment = Assessment.objects.select_related("partnership").get(pk=assessment_id)
    if not consultation_is_open(assessment):
        return 0
    subject = f"Consultation open: {assessment.title}"
    context = _consultation_links(assessment)
    return send_to_each(
        _members(assessment),
        subject,
        "emails/consultation_opened.txt",
        context,
        may_open=_reader_of_assessment(assessment),
        personal=_scoring_link(assessment),
    )


# The step: (the subject's word, what the email says happened).
MILESTONES = {
    "approve": ("approved", "approved by the partnership board"),
    "publish": ("published", "published"),
}


def notify_assessment_milestone(*, assessment_id: int, action: str) -> int:
    """Tell the partnership's partners and board members, once each, that the board approved
    the assessment or that it is published, unless they turned these emails off."""
    assessment = Assessment.objects.select_related("partnership").get(pk=assessment_id)
    published = action == "publish"
    if published and assessment.public_edition_id is None:
        return 0  # taken down again before the email went
    members = _members(assessment)
    opted_out = set(
        NotificationPreference.objects.filter(workflow_emails=False, user__in=members).values_list(
            "user_id", flat=True
        )
    )
    recipients = [member for member in members if member.pk not in opted_out]
    word, happened = MILESTONES[action]
    context = {
        "assessment": assessment,
        "milestone": happened,
        "published": published,
        "url": absolute(assessment.get_absolute_url()),
    }
    return send_to_each(
        recipients,
        f"{assessment.title}: {word}",
        "emails/assessment_milestone.txt",
        context,
        may_open=_reader_of_assessment(assessment),
    )


def send_closing_reminders(*, today: dt.date | None = None) -> int:
    """Remind members two days before a consultation closes: once per closing date."""
    today = today or timezone.localdate()
    due = Assessment.objects.select_related("partnership").filter(
        status=Assessment.Status.CONSULTATION,
        consultation_closes_on=today + dt.timedelta(days=2),
    )
    sent = 0
    for assessment in due:
        with transaction.atomic():
            state, _ = ConsultationState.objects.select_for_update().get_or_create(
                assessment=assessment
            )
            if state.reminded_for == assessment.consultation_closes_on or state.closed_at:
                continue
            state.reminded_for = assessment.consultation_closes_on
            state.save(update_fields=["reminded_for"])
        subject = f"Consultation closes in 2 days: {assessment.title}"
        context = _consultation_links(assessment)
        sent += send_to_each(
            _members(assessment),
            subject,
            "emails/consultation_closing.txt",
            context,
            may_open=_reader_of_assessment(assessment),
            personal=_scoring_link(assessment),
        )
    return sent


def send_comment_digests(*, now: dt.datetime | None = None) -> int:
    """Each analyst who asked for a daily digest gets the day's comments of their partnerships."""
    now = now or timezone.now()
    preferences = NotificationPreference.objects.select_related("user").filter(
        new_comments=Frequency.DAILY, user__is_active=True
    )
    sent = 0
    for preference in preferences:
        sent += _digest_for(preference, now)
    return sent


def _digest_for(preference: NotificationPreference, now: dt.datetime) -> int:
    user = preference.user
    since = preference.digest_sent_up_to or now - dt.timedelta(days=1)
    partnership_ids = partnerships_whose_comments_reach(user)
    comments = [
        comment
        for comment in Comment.objects.select_related(
            "author__organisation", "assessment__partnership", "chapter"
        ).filter(
            assessment__partnership_id__in=partnership_ids,
            created_at__gt=since,
            created_at__lte=now,
        )
        if comment.author_id != user.pk and can_view_comment(user, comment)
    ]
    preference.digest_sent_up_to = now
    preference.save(update_fields=["digest_sent_up_to"])
    if not comments or not user.email:
        return 0
    for comment in comments:
        comment.url = absolute(comment.get_absolute_url())
    context = {"comments": comments}
    subject = f"{len(comments)} new comment{'s' if len(comments) != 1 else ''} today"
    return send_to_each(
        [user],
        subject,
        "emails/comment_digest.txt",
        context,
        may_open=lambda reader: all(can_view_comment(reader, c) for c in comments),
    )
