"""Who may manage a partnership's people, and who must sign in with two factors."""

from __future__ import annotations

from django.conf import settings

from assessments.appendices.permissions import has_any_appendix_grant
from assessments.core.models import Membership, Partnership, Role
from assessments.core.permissions import (
    MANAGING_ROLES,
    MEMBER_ROLES,
    AnyUser,
    is_operator,
    partnerships_with_role,
    role_in,
)


def can_manage_people(user: AnyUser, partnership: Partnership) -> bool:
    """The analyst invites the partnership's partners and deactivates leavers."""
    return user.is_active and role_in(user, partnership) == Role.ANALYST


def can_be_deactivated(membership: Membership) -> bool:
    """The analyst deactivates partners and board members who leave; the analyst and the chair
    are changed by the operator, so that a partnership is never left without them."""
    return membership.role in MEMBER_ROLES


def needs_two_factor(user: AnyUser) -> bool:
    """Staff, analysts, chairs and anyone granted a restricted appendix sign in with a second
    factor, because they can reach information that is not for public circulation."""
    if not (settings.TWO_FACTOR_REQUIRED and user.is_authenticated):
        return False
    if user.is_staff or is_operator(user) or partnerships_with_role(user, MANAGING_ROLES):
        return True
    return has_any_appendix_grant(user)
