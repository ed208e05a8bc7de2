"""Who may comment, resolve, respond and move the assessment through its workflow."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessments.consultation.models import Comment
from assessments.core.models import Assessment, Role
from assessments.core.permissions import (
    MANAGING_ROLES,
    MEMBER_ROLES,
    AnyUser,
    active_members_with_roles,
    answers_for_a_member_organisation,
    can_view_working_papers,
    partnerships_with_role,
    role_in,
)

Status = Assessment.Status


# Comments ----------------------------------------------------------------------------------


def can_view_comments_of(user: AnyUser, assessment: Assessment) -> bool:
    """Comments are a discussion among the partnership's members, never public: they are
    working papers."""
    return can_view_working_papers(user, assessment)


def can_view_comment(user: AnyUser, comment: Comment) -> bool:
    return can_view_comments_of(user, comment.assessment)


# Who is told -------------------------------------------------------------------------------
# Emails go to active people with an address; each comment is still checked against
# can_view_comment for every recipient.


def members_to_notify(partnership_id: int):
    """The partners and board members asked to read and comment when a consultation opens."""
    return active_members_with_roles(partnership_id, set(MEMBER_ROLES))


def analysts_to_notify(partnership_id: int):
    """The analysts told of new comments."""
    return active_members_with_roles(partnership_id, {Role.ANALYST})


def partnerships_whose_comments_reach(user: AnyUser) -> list[int]:
    """The partnerships whose new comments the user's digest covers: those they are analyst of."""
    return partnerships_with_role(user, {Role.ANALYST})


# Consultation --------------------------------------------------------------------------------
# Who may take each workflow step. Which status each step starts from is the workflow service's
# rule (services/workflow.py); both are checked there before anything is written.

WORKFLOW_ROLES = {
    "open": Role.ANALYST,
    "extend": Role.ANALYST,
    "close": Role.ANALYST,
    "approve": Role.CHAIR,
    "publish": Role.ANALYST,
    "unpublish": Role.ANALYST,
    "correct": Role.ANALYST,
    "back_to_draft": Role.ANALYST,
    "back_to_consultation": Role.ANALYST,
}
COMMENT_EDIT_WINDOW = dt.timedelta(minutes=15)


def can_transition(user: AnyUser, assessment: Assessment, action: str) -> bool:
    """May the user take this workflow step on the assessment (by role only)?"""
    wanted = WORKFLOW_ROLES.get(action)
    return (
        wanted is not None and user.is_active and role_in(user, assessment.partnership_id) == wanted
    )


def can_change_comment(user: AnyUser, comment: Comment, now: dt.datetime | None = None) -> bool:
    """Authors edit or delete their own comment for 15 minutes, while consultation is open."""
    if not user.is_authenticated or comment.author_id != user.pk:
        return False
    if (now or timezone.now()) - comment.created_at > COMMENT_EDIT_WINDOW:
        return False
    return can_comment_on_assessment(user, comment.assessment)


def can_respond_to_recommendations(user: AnyUser, assessment: Assessment) -> bool:
    """Partners and board members answer for their organisation, one of the partnership's,
    while consultation is open; the analyst and chair, who wrote and will approve the
    recommendations, do not."""
    return (
        role_in(user, assessment.partnership_id) in MEMBER_ROLES
        and consultation_is_open(assessment)
        and answers_for_a_member_organisation(user, assessment.partnership_id)
    )


def can_resolve_comments(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst works through the feedback, during and after consultation."""
    return role_in(user, assessment.partnership_id) == Role.ANALYST


def can_review_feedback(user: AnyUser, assessment: Assessment) -> bool:
    """The feedback overview and its exports: the analyst and the chair."""
    return role_in(user, assessment.partnership_id) in MANAGING_ROLES


def can_chase_organisations(user: AnyUser, assessment: Assessment) -> bool:
    """Reminding silent organisations is the analyst's job, and useful only while they can
    still comment."""
    return role_in(user, assessment.partnership_id) == Role.ANALYST and consultation_is_open(
        assessment
    )


def sees_own_progress(user: AnyUser, assessment: Assessment) -> bool:
    """A partner's own organisation's progress is a prompt to act: only partners are asked to
    answer, and only while they still can."""
    return role_in(user, assessment.partnership_id) == Role.PARTNER and consultation_is_open(
        assessment
    )


def can_comment_on_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """Every member of the partnership may comment while consultation is open."""
    return role_in(user, assessment.partnership_id) is not None and consultation_is_open(assessment)


def consultation_is_open(assessment: Assessment, now: dt.datetime | None = None) -> bool:
    """In consultation, not closed early, and the closing date not yet past (Europe/London)."""
    if assessment.status != Status.CONSULTATION or assessment.consultation_closes_on is None:
        return False
    state = getattr(assessment, "consultation_state", None)
    if state is not None and state.closed_at is not None:
        return False
    today = timezone.localdate(now or timezone.now())
    return today <= assessment.consultation_closes_on
