from django.conf import settings

from . import permissions

SERVICE_NAME = "Strategic Assessments"


def site(request):
    """What the base template shows on every page: the service name and the admin link."""
    return {
        "service_name": SERVICE_NAME,
        "show_admin_link": permissions.can_use_admin(request.user),
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
