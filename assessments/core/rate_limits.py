"""Rate limits where a person can be annoyed or the machine loaded (password-reset emails, PDF
renders), counted by django-ratelimit in the shared cache (CACHE_URL). A request over the limit
gets the site's 429 page (`rate_limited` in core/views.py, through RATELIMIT_VIEW)."""

from __future__ import annotations

import unicodedata

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit


def rate_from_setting(name: str):
    """The rate in setting `name`, read at each request (so that tests and operators can change
    it), in the form django-ratelimit calls: (group, request) -> "3/h"."""
    return lambda group, request: getattr(settings, name)


def client_address(request: HttpRequest) -> str:
    """The client's address as the sign-in lockout sees it: behind our own proxies, the one the
    outermost of them saw (safermk/settings.py, client_address_settings)."""
    return get_client_ip_address(request) or request.META["REMOTE_ADDR"]


def submitted_email(group: str, request: HttpRequest) -> str:
    """A password-reset address in the form Django compares it in before it emails anyone
    (PasswordResetForm: NFKC, then casefold), so that every spelling that reaches one inbox
    ("ſam", a long s, or a full-width "Ｓam" for "sam") counts in one allowance."""
    return unicodedata.normalize("NFKC", request.POST.get("email", "").strip()).casefold()


def limit_password_resets(view):
    """Reset emails per address (one person's inbox) and per client (one sender's reach)."""
    per_address = ratelimit(
        group="password-reset-address",
        key=submitted_email,
        rate=rate_from_setting("PASSWORD_RESET_RATE_PER_ADDRESS"),
        method="POST",
    )
    per_client = ratelimit(
        group="password-reset-client",
        key="ip",
        rate=rate_from_setting("PASSWORD_RESET_RATE_PER_IP"),
        method="POST",
    )
    return per_client(per_address(view))


def limit_pdf_requests(view):
    """PDF renders per person, shared by every view that asks for one: each may cost a worker
    minutes (identical requests reuse a file, but any edit makes a new one)."""
    return ratelimit(
        group="pdf-export",
        key="user_or_ip",
        rate=rate_from_setting("PDF_EXPORT_RATE_PER_USER"),
        method="POST",
    )(view)
