"""Sign-in lockout (django-axes): what an analyst may do for a locked-out user."""

from axes.utils import reset

from assessments.core.models import User


def user_unlock(*, user: User) -> int:
    """Lift a sign-in lockout (too many failed attempts) now; returns the attempts cleared."""
    return reset(username=user.username)
