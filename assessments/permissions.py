"""Who may see and do what. The one module that checks or grants permissions.

Two sources of access:
- a user's role in a partnership (Membership) decides what they may do with its assessments,
  following the assessment's status (see `can_view_assessment`);
- appendices are never public: the partnership's analyst and chair see all of them, anyone else
  only through an object permission (django-guardian, direct foreign-key tables) granted to them
  or to their organisation's group.

Views turn a refusal into 404 for logged-in users (existence is not revealed) and a redirect to
login for anonymous ones; templates receive booleans from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import (
    Appendix,
    AppendixGroupObjectPermission,
    AppendixUserObjectPermission,
    Assessment,
    Comment,
    DataRequest,
    Organisation,
    Partnership,
    ReportExport,
    Role,
    User,
)

Status = Assessment.Status
VIEW_APPENDIX = "view_appendix"

# Who, besides the analyst and chair, reads an assessment at each status.
MEMBER_READABLE = {Status.CONSULTATION, Status.APPROVED, Status.PUBLISHED}
MANAGING_ROLES = {Role.ANALYST, Role.CHAIR}
EDITABLE = {Status.DRAFT, Status.CONSULTATION}

AnyUser = User | AnonymousUser


def roles(user: AnyUser) -> dict[int, str]:
    """The user's role in each partnership, by partnership id (one query, cached on the user)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_partnership_roles", None)
    if cached is None:
        cached = dict(user.memberships.values_list("partnership_id", "role"))
        user._partnership_roles = cached
    return cached


def role_in(user: AnyUser, partnership: Partnership | int) -> str | None:
    partnership_id = partnership if isinstance(partnership, int) else partnership.pk
    return roles(user).get(partnership_id)


def _partnerships_with_role(user: AnyUser, wanted: set[str]) -> list[int]:
    return [pid for pid, role in roles(user).items() if role in wanted]


# Assessments -------------------------------------------------------------------------------


def is_public(assessment: Assessment) -> bool:
    """Published chapters may be read by anyone, without logging in."""
    return assessment.status == Status.PUBLISHED


def can_view_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """Analyst and chair always; other members from consultation on; the public once published."""
    if is_public(assessment):
        return True
    role = role_in(user, assessment.partnership_id)
    if role in MANAGING_ROLES:
        return True
    return role is not None and assessment.status in MEMBER_READABLE


def can_edit_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """Only the analyst edits, and only until the board approves."""
    return (
        role_in(user, assessment.partnership_id) == Role.ANALYST and assessment.status in EDITABLE
    )


def can_comment_on_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """Every member of the partnership may comment while consultation is open."""
    return role_in(user, assessment.partnership_id) is not None and consultation_is_open(assessment)


def assessments_visible_to(
    user: AnyUser, queryset: QuerySet[Assessment] | None = None
) -> QuerySet[Assessment]:
    """The assessments `can_view_assessment` would allow, as one query."""
    queryset = Assessment.objects.all() if queryset is None else queryset
    visible = Q(status=Status.PUBLISHED)
    visible |= Q(partnership_id__in=_partnerships_with_role(user, MANAGING_ROLES))
    visible |= Q(
        partnership_id__in=_partnerships_with_role(user, {Role.BOARD_MEMBER, Role.PARTNER}),
        status__in=MEMBER_READABLE,
    )
    return queryset.filter(visible)


# Appendices --------------------------------------------------------------------------------


def _sees_all_appendices(user: AnyUser, assessment: Assessment) -> bool:
    return role_in(user, assessment.partnership_id) in MANAGING_ROLES


def _granted_appendix_ids(user: AnyUser, appendix_ids: Iterable[int]) -> set[int]:
    """Appendix ids among `appendix_ids` granted to the user or their organisation: two queries.

    The organisation's group is matched through the organisation itself, so a grant to an
    organisation reaches its users without keeping group membership in step. Only object
    permissions count: a model-wide "view appendix" permission opens nothing.
    """
    ids = list(appendix_ids)
    if not user.is_authenticated or not user.is_active or not ids:
        return set()
    by_user = AppendixUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW_APPENDIX, content_object_id__in=ids
    ).values_list("content_object_id", flat=True)
    group_match = Q(group__user=user)
    if user.organisation_id:
        group_match |= Q(group__organisation=user.organisation_id)
    by_group = (
        AppendixGroupObjectPermission.objects.filter(
            group_match, permission__codename=VIEW_APPENDIX, content_object_id__in=ids
        )
        .values_list("content_object_id", flat=True)
        .distinct()
    )
    return set(by_user) | set(by_group)


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
    """The assessment's appendices the user may view, in order, in a fixed number of queries."""
    if not user.is_authenticated:
        return []
    appendices = list(assessment.appendices.all())
    if _sees_all_appendices(user, assessment):
        return appendices
    if role_in(user, assessment.partnership_id) is None or not can_view_assessment(
        user, assessment
    ):
        return []
    granted = _granted_appendix_ids(user, [a.pk for a in appendices])
    return [a for a in appendices if a.pk in granted]


def can_export_appendix(user: AnyUser, appendix: Appendix) -> bool:
    """Downloads (CSV, PDF) follow viewing exactly, so a revocation closes them at once."""
    return can_view_appendix(user, appendix)


def can_comment_on_appendix(user: AnyUser, appendix: Appendix) -> bool:
    return can_view_appendix(user, appendix) and can_comment_on_assessment(
        user, appendix.assessment
    )


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


# Report exports (PDF) ---------------------------------------------------------------------


def can_request_public_export(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst prepares the public report."""
    return role_in(user, assessment.partnership_id) == Role.ANALYST


def can_request_restricted_export(user: AnyUser, assessment: Assessment) -> bool:
    """Anyone who may view at least one appendix; the file holds exactly the ones they may view."""
    return bool(appendices_visible_to(user, assessment))


def can_request_export(
    user: AnyUser, assessment: Assessment, variant: str, kind: str = ReportExport.Kind.FULL_REPORT
) -> bool:
    if kind == ReportExport.Kind.COVER_PAPER:
        return variant == ReportExport.Variant.PUBLIC and can_view_working_papers(user, assessment)
    if kind != ReportExport.Kind.FULL_REPORT:
        return False
    if variant == ReportExport.Variant.PUBLIC:
        return can_request_public_export(user, assessment)
    if variant == ReportExport.Variant.RESTRICTED:
        return can_request_restricted_export(user, assessment)
    return False


def can_download_export(user: AnyUser, export: ReportExport) -> bool:
    """Whoever may read the assessment and every appendix in the file. Asked again on every
    download, so a revoked grant or a change of status closes the file at once."""
    assessment = export.assessment
    if not can_view_assessment(user, assessment):
        return False
    if export.kind == ReportExport.Kind.COVER_PAPER:
        return can_view_working_papers(user, assessment)
    if export.variant == ReportExport.Variant.PUBLIC:
        return True
    if role_in(user, assessment.partnership_id) is None:
        return False
    visible = {appendix.pk for appendix in appendices_visible_to(user, assessment)}
    return set(export.audience) <= visible


# --- Publication and the yearly cycle ---


def can_view_working_papers(user: AnyUser, assessment: Assessment) -> bool:
    """The board's cover paper and the chapter comparisons are for the partnership's members who
    may read the assessment, never the public: they show drafts and earlier wording."""
    return role_in(user, assessment.partnership_id) is not None and can_view_assessment(
        user, assessment
    )


def can_start_next_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst starts next year's assessment from this one."""
    return user.is_active and role_in(user, assessment.partnership_id) == Role.ANALYST


# Comments ----------------------------------------------------------------------------------


def can_view_comments_of(user: AnyUser, assessment: Assessment) -> bool:
    """Comments are a discussion among the partnership's members, never public."""
    return role_in(user, assessment.partnership_id) is not None and can_view_assessment(
        user, assessment
    )


def can_view_comment(user: AnyUser, comment: Comment) -> bool:
    if comment.appendix_id:
        return can_view_appendix(user, comment.appendix)
    return can_view_comments_of(user, comment.chapter.assessment)


# Admin -------------------------------------------------------------------------------------


def partnerships_administered_by(user: AnyUser) -> QuerySet[Partnership]:
    """Partnerships whose records the user manages in admin: an analyst's own, or all for an
    operator (superuser)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=_partnerships_with_role(user, {Role.ANALYST}))


def can_use_admin(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or _partnerships_with_role(user, {Role.ANALYST}))
    )


def administers(user: AnyUser, partnership_id: int | None) -> bool:
    """May the user manage this partnership's records in admin?"""
    return partnerships_administered_by(user).filter(pk=partnership_id).exists()


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
    "back_to_draft": Role.ANALYST,
    "back_to_consultation": Role.ANALYST,
}
COMMENT_EDIT_WINDOW = dt.timedelta(minutes=15)


def consultation_is_open(assessment: Assessment, now: dt.datetime | None = None) -> bool:
    """In consultation, not closed early, and the closing date not yet past (Europe/London)."""
    if assessment.status != Status.CONSULTATION or assessment.consultation_closes_on is None:
        return False
    state = getattr(assessment, "consultation_state", None)
    if state is not None and state.closed_at is not None:
        return False
    today = timezone.localdate(now or timezone.now())
    return today <= assessment.consultation_closes_on


def can_transition(user: AnyUser, assessment: Assessment, action: str) -> bool:
    """May the user take this workflow step on the assessment (by role only)?"""
    wanted = WORKFLOW_ROLES.get(action)
    return (
        wanted is not None and user.is_active and role_in(user, assessment.partnership_id) == wanted
    )


def can_change_comment(user: AnyUser, comment: Comment, now: dt.datetime | None = None) -> bool:
    """Authors edit or delete their own comment for 15 minutes, while consultation is open."""
    if not user.is_authenticated or comment.author_id != user.pk or comment.chapter_id is None:
        return False
    if (now or timezone.now()) - comment.created_at > COMMENT_EDIT_WINDOW:
        return False
    return can_comment_on_assessment(user, comment.chapter.assessment)


def can_respond_to_recommendations(user: AnyUser, assessment: Assessment) -> bool:
    """Partners and board members answer for their organisation while consultation is open;
    the analyst and chair, who wrote and will approve the recommendations, do not."""
    return (
        bool(getattr(user, "organisation_id", None))
        and role_in(user, assessment.partnership_id) in {Role.PARTNER, Role.BOARD_MEMBER}
        and consultation_is_open(assessment)
    )


def can_resolve_comments(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst works through the feedback, during and after consultation."""
    return role_in(user, assessment.partnership_id) == Role.ANALYST


def can_review_feedback(user: AnyUser, assessment: Assessment) -> bool:
    """The feedback overview and its exports: the analyst and the chair."""
    return role_in(user, assessment.partnership_id) in MANAGING_ROLES


def can_manage_people(user: AnyUser, partnership: Partnership) -> bool:
    """The analyst invites the partnership's partners and deactivates leavers."""
    return user.is_active and role_in(user, partnership) == Role.ANALYST


def active_members_with_roles(partnership_id: int, roles_wanted: set[str]):
    """Active users with an email address and one of these roles in the partnership."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__partnership_id=partnership_id,
            memberships__role__in=roles_wanted,
        )
        .exclude(email="")
        .distinct()
    )


def may_see_health_details(user: AnyUser) -> bool:
    """Operators and analysts see which part is unhealthy; the load balancer sees only a code."""
    return can_use_admin(user)


def needs_two_factor(user: AnyUser) -> bool:
    """Staff, analysts, chairs and anyone granted a restricted appendix sign in with a second
    factor, because they can reach information that is not for public circulation."""
    if not (settings.TWO_FACTOR_REQUIRED and user.is_authenticated):
        return False
    if user.is_staff or user.is_superuser or _partnerships_with_role(user, MANAGING_ROLES):
        return True
    if AppendixUserObjectPermission.objects.filter(user=user).exists():
        return True
    group_match = Q(group__user=user)
    if user.organisation_id:
        group_match |= Q(group__organisation=user.organisation_id)
    return AppendixGroupObjectPermission.objects.filter(group_match).exists()


# Partner data returns ------------------------------------------------------------------------


def can_manage_data_requests(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst asks for, tracks and sends back partners' data, whatever the status."""
    return user.is_active and role_in(user, assessment.partnership_id) == Role.ANALYST


def data_requests_for(user: AnyUser) -> QuerySet[DataRequest]:
    """The requests a member answers for: their organisation's, in their partnerships. A data
    request comes before the draft, so it does not follow the assessment's status."""
    if not (user.is_authenticated and user.is_active and user.organisation_id):
        return DataRequest.objects.none()
    return DataRequest.objects.filter(
        organisation_id=user.organisation_id, assessment__partnership_id__in=list(roles(user))
    )


def can_submit_data_return(user: AnyUser, request: DataRequest) -> bool:
    """See, download and upload: members of the organisation asked, nobody else."""
    return data_requests_for(user).filter(pk=request.pk).exists()


def can_download_data_return(user: AnyUser, data_return) -> bool:
    """An uploaded file goes back to its organisation and to the partnership's analyst."""
    request = data_return.request
    return can_submit_data_return(user, request) or can_manage_data_requests(
        user, request.assessment
    )


# --- Analyst's workspace ---


def can_view_dashboard(user: AnyUser, assessment: Assessment) -> bool:
    """The assessment dashboard: the partnership's analyst and chair."""
    return role_in(user, assessment.partnership_id) in MANAGING_ROLES
