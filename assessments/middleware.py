import logging
import time

from django.contrib.auth.views import redirect_to_login

from . import permissions

logger = logging.getLogger("safermk.requests")


class RequestLogMiddleware:
    """One log line per request: method, path, status, duration and the user's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class TwoFactorMiddleware:
    """Sends people who must use a second factor to set it up or enter a code before anything
    else. Needs django-otp's OTPMiddleware before it."""

    ALWAYS_OPEN = ("/accounts/", "/static/", "/healthz", "/privacy/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.ALWAYS_OPEN)
            and permissions.needs_two_factor(user)
        ):
            return redirect_to_login(request.get_full_path(), login_url="two_factor")
        return self.get_response(request)
