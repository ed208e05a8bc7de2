"""The partnership's people: the analyst invites partners by email and deactivates leavers."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.models import Invitation
from assessments.accounts.permissions import can_be_deactivated, can_manage_people
from assessments.core.emails import send_emails
from assessments.core.jobs import enqueue
from assessments.core.links import absolute
from assessments.core.models import Membership, Organisation, Partnership, Role, User
from assessments.core.permissions import MEMBER_ROLES

# Why an invitation is refused for someone who has an account, active or not: an emailed link must
# never reset an existing person's password or move them between organisations.
EXISTING_ACCOUNT = (
    "Someone with this email address already has an account. Add their existing account to the "
    "partnership instead of inviting them."
)
# The link in the email carries the invitation's random nonce signed with the site's secret key,
# so the database (or a backup of it) holds nothing that opens an invitation by itself.
TOKEN_SALT = "assessments.accounts.invitation"


def _account_exists(email: str) -> bool:
    """Is the address anyone's username or email? Invited people sign in with it as username."""
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


def invitation_link_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.token, salt=TOKEN_SALT)


@transaction.atomic
def invitation_create(
    *,
    partnership: Partnership,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    role: str = Role.PARTNER,
) -> Invitation:
    """Invite someone of one of the partnership's organisations; the email goes on commit."""
    if not can_manage_people(by, partnership):
        raise PermissionDenied("Only the partnership's analyst invites people")
    if role not in MEMBER_ROLES:
        raise ValidationError({"role": "Invite partners and board members only"})
    if not organisation.partnerships.filter(pk=partnership.pk).exists():
        raise ValidationError({"organisation": "Choose an organisation of this partnership"})
    email = email.strip().lower()
    if _account_exists(email):
        raise ValidationError({"email": EXISTING_ACCOUNT})
    invitation = Invitation.objects.create(
        partnership=partnership,
        organisation=organisation,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=by,
    )

    enqueue("invitation_send_task", invitation.pk)
    return invitation


def invitation_send(*, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("partnership", "invited_by").get(
        pk=invitation_id
    )
    if invitation.accepted_at:
        return
    url = absolute(reverse("invitation_accept", args=[invitation_link_token(invitation)]))
    body = render_to_string("emails/invitation.txt", {"invitation": invitation, "url": url})
    send_emails(f"Invitation: {invitation.partnership.name}", [(invitation.email, body)])


def invitation_open(token: str) -> Invitation | None:
    """The unaccepted, unexpired invitation whose emailed link carries this token, or None."""
    valid_for = dt.timedelta(days=settings.INVITATION_VALID_DAYS)
    try:
        nonce = signing.loads(token, salt=TOKEN_SALT, max_age=valid_for)
    except signing.BadSignature:  # tampered, made up or expired
        return None
    return (
        Invitation.objects.select_related("partnership", "organisation")
        .filter(token=nonce, accepted_at__isnull=True, created_at__gte=timezone.now() - valid_for)
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Create the invited person's account with the password they chose; their email is their
    username. Never an existing account: one made since the invitation is left as it is."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError({NON_FIELD_ERRORS: "This invitation has already been used"})
    if _account_exists(invitation.email):
        raise ValidationError({NON_FIELD_ERRORS: EXISTING_ACCOUNT})
    user = User(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        organisation=invitation.organisation,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, partnership=invitation.partnership, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


@transaction.atomic
def member_deactivate(*, partnership: Partnership, user: User, by: User) -> None:
    """A leaver loses their place in the partnership; with no other partnership left, their
    account is switched off too (kept, so their comments keep their author)."""
    if not can_manage_people(by, partnership):
        raise PermissionDenied("Only the partnership's analyst deactivates people")
    if user == by:
        raise ValidationError("You cannot deactivate yourself")
    membership = Membership.objects.filter(user=user, partnership=partnership).first()
    if membership is None or not can_be_deactivated(membership):
        raise ValidationError("Only partners and board members can be deactivated here")
    membership.delete()
    if not user.memberships.exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
