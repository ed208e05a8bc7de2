"""Core's role rules: who may see, edit and administer a partnership's assessments.

Every feature's permissions module builds on these; together they are the only code that
decides who may see or do what. Admin scoping (`administered_rows`) is decided here too."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from assessments.core.models import Assessment, Organisation, Partnership, Role, User

Status = Assessment.Status

AnyUser = User | AnonymousUser

# Who, besides the analyst and chair, reads an assessment at each status.
MEMBER_READABLE = {Status.CONSULTATION, Status.APPROVED, Status.PUBLISHED, Status.CORRECTION}
MANAGING_ROLES = {Role.ANALYST, Role.CHAIR}
# The partnership's members who read and comment, and whom the analyst invites and lets go.
MEMBER_ROLES = (Role.PARTNER, Role.BOARD_MEMBER)
EDITABLE = {Status.DRAFT, Status.CONSULTATION, Status.CORRECTION}


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


def answers_for_a_member_organisation(user: AnyUser, partnership_id: int) -> bool:
    """Does the user belong to one of the partnership's organisations, for which they may answer
    (respond to recommendations, score priorities)? A member added with another body's
    organisation would otherwise answer in the name of one the partnership never asked."""
    organisation_id = getattr(user, "organisation_id", None)
    return (
        bool(organisation_id)
        and Organisation.partnerships.through.objects.filter(
            organisation_id=organisation_id, partnership_id=partnership_id
        ).exists()
    )


def partnerships_with_role(user: AnyUser, wanted: set[str]) -> list[int]:
    return [pid for pid, role in roles(user).items() if role in wanted]


# Assessments -------------------------------------------------------------------------------


def is_public(assessment: Assessment) -> bool:
    """An assessment with a published edition may be read by anyone, without logging in."""
    return assessment.public_edition_id is not None


def can_view_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """The working copy: analyst and chair always; other members from consultation on. The
    public, and other partnerships' people, read only the published edition
    (publication/edition_views.py), never a working page."""
    role = role_in(user, assessment.partnership_id)
    if role in MANAGING_ROLES:
        return True
    return role is not None and assessment.status in MEMBER_READABLE


def can_edit_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """Only the analyst edits: until the board approves, and while correcting a published
    edition."""
    return (
        role_in(user, assessment.partnership_id) == Role.ANALYST and assessment.status in EDITABLE
    )


def can_check_headlines(user: AnyUser, assessment: Assessment) -> bool:
    """Whether headline wording still matches the data is the analyst's to check and fix; the
    others read the approved wording."""
    return role_in(user, assessment.partnership_id) == Role.ANALYST


def assessments_visible_to(
    user: AnyUser, queryset: QuerySet[Assessment] | None = None
) -> QuerySet[Assessment]:
    """The assessments the user may open: those `can_view_assessment` allows, and those with a
    published edition, which anyone reads. One query."""
    queryset = Assessment.objects.all() if queryset is None else queryset
    visible = Q(public_edition__isnull=False)
    visible |= Q(partnership_id__in=partnerships_with_role(user, MANAGING_ROLES))
    visible |= Q(
        partnership_id__in=partnerships_with_role(user, set(MEMBER_ROLES)),
        status__in=MEMBER_READABLE,
    )
    return queryset.filter(visible)


# Admin -------------------------------------------------------------------------------------


def _staff_in_good_standing(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def _operates(user: AnyUser) -> bool:
    """An operator signed in to admin: sees and manages every partnership's records."""
    return _staff_in_good_standing(user) and is_operator(user)


def administered_partnership_ids(user: AnyUser) -> frozenset[int]:
    """Ids of the partnerships whose records a (non-operator) user manages in admin: those they
    are analyst of. From the roles cached on the user, so asking costs no query."""
    if not _staff_in_good_standing(user):
        return frozenset()
    return frozenset(partnerships_with_role(user, {Role.ANALYST}))


def partnerships_administered_by(user: AnyUser) -> QuerySet[Partnership]:
    """Partnerships whose records the user manages in admin: an analyst's own, or all for an
    operator (superuser)."""
    if _operates(user):
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=administered_partnership_ids(user))


def can_use_admin(user: AnyUser) -> bool:
    return _staff_in_good_standing(user) and (
        is_operator(user) or bool(administered_partnership_ids(user))
    )


def administers(user: AnyUser, partnership_id: int | None) -> bool:
    """May the user manage this partnership's records in admin?"""
    if _operates(user):
        return partnership_id is not None
    return partnership_id in administered_partnership_ids(user)


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


def can_view_dashboard(user: AnyUser, assessment: Assessment) -> bool:
    """The assessment dashboard: the partnership's analyst and chair."""
    return role_in(user, assessment.partnership_id) in MANAGING_ROLES


def can_view_working_papers(user: AnyUser, assessment: Assessment) -> bool:
    """The board's cover paper and the chapter comparisons are for the partnership's members who
    may read the assessment, never the public: they show drafts and earlier wording."""
    return role_in(user, assessment.partnership_id) is not None and can_view_assessment(
        user, assessment
    )


def is_operator(user: AnyUser) -> bool:
    """The operator runs the installation (creates partnerships, keeps operator accounts): a
    superuser, whatever their roles."""
    return user.is_superuser


def administered_rows(queryset: QuerySet, user: AnyUser) -> QuerySet:
    """The admin's one tenancy rule: the rows of `queryset` that belong to partnerships the user
    administers. Each model names its way to its partnership in `partnership_path`; a model
    without one (shared lookups such as content types) is not scoped. A row linked to several
    partnerships (an organisation, a person) is in scope through any of its links: see
    `administers_wholly` for what may be done to it."""
    path = getattr(queryset.model, "partnership_path", None)
    if path is None:
        return queryset
    if _operates(user):
        return queryset
    ids = administered_partnership_ids(user)
    return queryset.filter(**{f"{path}__in": ids}).distinct()


def partnerships_of_row(user: AnyUser, obj: Model) -> frozenset[int] | None:
    """The partnerships the stored row belongs to (None for models that are not scoped).

    Read from the database, not from `obj`, so that a form's unsaved edits or a historical
    version cannot claim another partnership's row; remembered on the user object (one per
    request) so that admin's repeated checks of the same row cost one query in all."""
    path = getattr(type(obj), "partnership_path", None)
    if path is None:
        return None
    if path == "pk":
        return frozenset([obj.pk])
    memo = getattr(user, "_row_partnerships", None)
    if memo is None:
        memo = user._row_partnerships = {}
    key = (type(obj)._meta.label, obj.pk)
    if key not in memo:
        rows = type(obj)._default_manager.filter(pk=obj.pk).values_list(path, flat=True)
        memo[key] = frozenset(pid for pid in rows if pid is not None)
    return memo[key]


def administers_row(user: AnyUser, obj: Model) -> bool:
    """Is this row one of the user's partnerships'? Checked against the stored row, so a
    historical version of another partnership's row is refused too."""
    if _operates(user):
        return True
    owners = partnerships_of_row(user, obj)
    return owners is None or bool(owners & administered_partnership_ids(user))


def administers_wholly(user: AnyUser, obj: Model) -> bool:
    """May the user change or delete the row itself, not only their partnership's link to it?
    Only when every partnership it belongs to is theirs: an organisation or a person shared with
    another partnership is read-only to one partnership's analyst, except for that partnership's
    own link to it (its membership, its place in the organisation's partnerships)."""
    if _operates(user):
        return True
    owners = partnerships_of_row(user, obj)
    return owners is None or bool(owners) and owners <= administered_partnership_ids(user)


def delete_takes_only_administered_rows(user: AnyUser, collector) -> bool:
    """Does a delete take only rows of the user's own partnerships? `collector` is a Django
    deletion collector that has collected the rows chosen (admin's NestedObjects): everything
    they take with them, the rows that protect them and the rows set to null all count. A row
    that still hangs from a shared organisation or person in a partnership that unlinked it
    (its scores, answers, comments, the chapters it leads) must not go, nor be emptied, with
    the organisation or person, nor be named on the page that asks."""
    if _operates(user):
        return True
    own = administered_partnership_ids(user)
    for model, pks in _rows_a_delete_reaches(collector).items():
        path = getattr(model, "partnership_path", None)
        if path is None or not pks:
            continue
        owners = set(model._base_manager.filter(pk__in=pks).values_list(path, flat=True))
        if not owners - {None} <= own:
            return False
    return True


def _rows_a_delete_reaches(collector) -> dict[type[Model], set]:
    reached: dict[type[Model], set] = {}
    for model, objs in collector.data.items():
        reached.setdefault(model, set()).update(obj.pk for obj in objs)
    for obj in getattr(collector, "protected", ()):
        reached.setdefault(type(obj), set()).add(obj.pk)
    for (field, _value), groups in collector.field_updates.items():
        for objs in groups:
            reached.setdefault(field.model, set()).update(obj.pk for obj in objs)
    return reached


def can_manage_account(user: AnyUser, person: User) -> bool:
    """May the user set this person's password, email or active flag, reset their two-factor
    sign-in or delete them? The operator always; an analyst only for people of their own
    partnerships alone, never for staff or operators: taking over an account that also holds a
    role elsewhere would open that other partnership's restricted appendices."""
    if _operates(user):
        return True
    if person.is_staff or person.is_superuser:
        return False
    return administers_wholly(user, person)
