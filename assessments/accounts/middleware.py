"""Two-factor sign-in: people who must use it are sent to the second step until they have."""

from django.contrib.auth.views import redirect_to_login

from assessments.accounts.permissions import needs_two_factor


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
            and needs_two_factor(user)
        ):
            return redirect_to_login(request.get_full_path(), login_url="two_factor")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in person is stored by a browser's or a proxy's cache: pages of
    drafts, restricted appendices and people must not outlive the session in a shared cache or
    on a shared computer. Anonymous responses are left to their views (published pages may be
    cached publicly)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in_before = request.user.is_authenticated
        response = self.get_response(request)
        # Either side of the request: signing in and signing out answer for a person too.
        if signed_in_before or request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
