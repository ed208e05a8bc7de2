"""Who scores, who overrides, and who sees the priority matrix."""

from __future__ import annotations

from assessments.consultation.permissions import consultation_is_open
from assessments.core.models import Assessment, Role
from assessments.core.permissions import (
    MANAGING_ROLES,
    MEMBER_ROLES,
    AnyUser,
    answers_for_a_member_organisation,
    can_view_working_papers,
    role_in,
)
from assessments.priorities.selectors import scoring_progress


def can_see_scoring(user: AnyUser, assessment: Assessment) -> bool:
    """The scoring page: the partnership's partners and board members, from consultation on
    (they see it closed once consultation ends)."""
    return (
        role_in(user, assessment.partnership_id) in MEMBER_ROLES
        and can_view_working_papers(user, assessment)
        and answers_for_a_member_organisation(user, assessment.partnership_id)
    )


def can_score_for_organisation(user: AnyUser, assessment: Assessment) -> bool:
    """Partners and board members score for their own organisation while consultation is open;
    scoring closes with it."""
    return can_see_scoring(user, assessment) and consultation_is_open(assessment)


def can_review_scores(user: AnyUser, assessment: Assessment) -> bool:
    """Every organisation's scores, the spread and who has not scored: the analyst and chair."""
    return role_in(user, assessment.partnership_id) in MANAGING_ROLES


def can_override_scores(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst, who answers for the evidence, until the board approves."""
    return role_in(user, assessment.partnership_id) == Role.ANALYST and assessment.status in (
        Assessment.Status.DRAFT,
        Assessment.Status.CONSULTATION,
    )


def can_view_ranking(user: AnyUser, assessment: Assessment) -> bool:
    """The ranking and matrix as they stand: the analyst and chair always; members from
    consultation on (working papers). The public read the ranking the board approved, in the
    published edition."""
    return can_review_scores(user, assessment) or can_view_working_papers(user, assessment)


def ranking_hidden_from(user: AnyUser, assessment: Assessment) -> bool:
    """A partner who scores does not see the ranking as it stands until their organisation has
    scored every theme or the consultation has closed, so that their scores are their own view,
    not the ranking's. The analyst and chair always see it."""
    if can_review_scores(user, assessment) or not can_score_for_organisation(user, assessment):
        return False
    return not scoring_progress(assessment, user.organisation_id).complete
