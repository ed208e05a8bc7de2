"""Who may see a restricted appendix, and the grants that decide it (django-guardian).

An appendix is never public: the partnership's analyst and chair see it, and anyone else only
when it is granted to them or to their organisation's group."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet

from assessments.appendices.models import (
    Appendix,
    AppendixGroupObjectPermission,
    AppendixUserObjectPermission,
)
from assessments.core.models import Assessment, Organisation, User
from assessments.core.permissions import (
    MANAGING_ROLES,
    AnyUser,
    can_view_assessment,
    role_in,
)

VIEW_APPENDIX = "view_appendix"


# Appendices --------------------------------------------------------------------------------


def _sees_all_appendices(user: AnyUser, assessment: Assessment) -> bool:
    return role_in(user, assessment.partnership_id) in MANAGING_ROLES


def _granted_appendix_ids(user: AnyUser, appendix_ids: Iterable[int]) -> set[int]:
    """Appendix ids among `appendix_ids` granted to the user or their organisation: one query."""
    ids = list(appendix_ids)
    if not ids or not _may_hold_grants(user):
        return set()
    granted = Appendix.objects.filter(_granted_to(user), pk__in=ids)
    return set(granted.values_list("pk", flat=True))


def _may_hold_grants(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active


def _granted_to(user: User) -> Q:
    """Appendices granted to the user or their organisation, as a filter of subqueries.

    The organisation's group is matched through the organisation itself, so a grant to an
    organisation reaches its users without keeping group membership in step. Only object
    permissions count: a model-wide "view appendix" permission opens nothing.
    """
    by_user, by_group = _grants_of(user)
    return Q(pk__in=by_user.values("content_object_id")) | Q(
        pk__in=by_group.values("content_object_id")
    )


def _grants_of(user: User):
    """The user's own appendix grants and those of their groups and organisation."""
    group_match = Q(group__user=user)
    if user.organisation_id:
        group_match |= Q(group__organisation=user.organisation_id)
    return (
        AppendixUserObjectPermission.objects.filter(user=user, permission__codename=VIEW_APPENDIX),
        AppendixGroupObjectPermission.objects.filter(
            group_match, permission__codename=VIEW_APPENDIX
        ),
    )


def has_any_appendix_grant(user: AnyUser) -> bool:
    """Has the user been granted any restricted appendix, directly or through their
    organisation? (Such people sign in with a second factor.)"""
    if not user.is_authenticated:
        return False
    by_user, by_group = _grants_of(user)
    return by_user.exists() or by_group.exists()


def can_view_appendix(user: AnyUser, appendix: Appendix) -> bool:
    """Analyst and chair see all; a grantee sees it where they may read the assessment."""
    assessment = appendix.assessment
    if _sees_all_appendices(user, assessment):
        return True
    if role_in(user, assessment.partnership_id) is None:
        return False
    if not can_view_assessment(user, assessment):
        return False
    return appendix.pk in _granted_appendix_ids(user, [appendix.pk])


def appendices_visible_to(user: AnyUser, assessment: Assessment) -> list[Appendix]:
    """The assessment's appendices the user may view, in order, in one query."""
    if not user.is_authenticated:
        return []
    if _sees_all_appendices(user, assessment):
        return list(assessment.appendices.all())
    if (
        role_in(user, assessment.partnership_id) is None
        or not can_view_assessment(user, assessment)
        or not _may_hold_grants(user)
    ):
        return []
    # The grants are subqueries of the one read of the appendices.
    return list(assessment.appendices.filter(_granted_to(user)))


def can_export_appendix(user: AnyUser, appendix: Appendix) -> bool:
    """Downloads (CSV, PDF) follow viewing exactly, so a revocation closes them at once."""
    return can_view_appendix(user, appendix)


def _view_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="assessments", codename=VIEW_APPENDIX)


def grant_appendix(
    appendix: Appendix, *, user: User | None = None, organisation: Organisation | None = None
) -> None:
    """Let one user, or everyone in an organisation, view the appendix."""
    if (user is None) == (organisation is None):
        raise ValueError("Grant to a user or to an organisation, not both")
    if user is not None:
        AppendixUserObjectPermission.objects.get_or_create(
            user=user, content_object=appendix, permission=_view_permission()
        )
    else:
        AppendixGroupObjectPermission.objects.get_or_create(
            group=organisation.group, content_object=appendix, permission=_view_permission()
        )


def revoke_appendix(
    appendix: Appendix, *, user: User | None = None, organisation: Organisation | None = None
) -> None:
    """Take a grant back; it takes effect on the next request."""
    if user is not None:
        AppendixUserObjectPermission.objects.filter(user=user, content_object=appendix).delete()
    if organisation is not None:
        AppendixGroupObjectPermission.objects.filter(
            group=organisation.group, content_object=appendix
        ).delete()


def appendix_grants_copy(*, source: Appendix, target: Appendix) -> None:
    """Grant `target` to everyone `source` is granted to (next year's copy of an appendix)."""
    for grant in AppendixUserObjectPermission.objects.filter(content_object=source):
        AppendixUserObjectPermission.objects.get_or_create(
            user_id=grant.user_id, content_object=target, permission_id=grant.permission_id
        )
    for grant in AppendixGroupObjectPermission.objects.filter(content_object=source):
        AppendixGroupObjectPermission.objects.get_or_create(
            group_id=grant.group_id, content_object=target, permission_id=grant.permission_id
        )


def appendix_grantable_users(appendix: Appendix) -> QuerySet[User]:
    """Whom the appendix may be granted to by name: members of its partnership. Guardian's
    screens offer and accept no one else, so they reveal nothing of other partnerships' people."""
    return User.objects.filter(memberships__partnership=appendix.assessment.partnership_id)


def appendix_grantable_groups(appendix: Appendix) -> QuerySet[Group]:
    """The groups the appendix may be granted to: those of its partnership's organisations."""
    return Group.objects.filter(organisation__partnerships=appendix.assessment.partnership_id)


def appendix_grantees(appendix: Appendix) -> tuple[list[Organisation], list[User]]:
    """Who has been granted the appendix: organisations and individual users."""
    organisations = Organisation.objects.filter(
        group__appendixgroupobjectpermission__content_object=appendix,
        group__appendixgroupobjectpermission__permission__codename=VIEW_APPENDIX,
    ).distinct()
    users = User.objects.filter(
        appendixuserobjectpermission__content_object=appendix,
        appendixuserobjectpermission__permission__codename=VIEW_APPENDIX,
    ).distinct()
    return list(organisations), list(users)
