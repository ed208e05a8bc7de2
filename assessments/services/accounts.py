"""People's accounts: what an analyst may do for the users of their partnership."""

from axes.utils import reset

from ..models import User


def user_unlock(*, user: User) -> int:
    """Lift a sign-in lockout (too many failed attempts) now; returns the attempts cleared."""
    return reset(username=user.username)
