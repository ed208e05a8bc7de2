"""What every page's template knows: the service's name, the admin link and the session time-out."""

from django.conf import settings

from assessments.core.permissions import can_use_admin

SERVICE_NAME = "Strategic Assessments"


def site(request):
    """What the base template shows on every page: the service name and the admin link."""
    return {
        "service_name": SERVICE_NAME,
        "show_admin_link": can_use_admin(request.user),
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
