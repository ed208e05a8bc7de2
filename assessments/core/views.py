"""What every page of the site shares: finding the assessment in the URL, refusing what the user
may not see (404 to a signed-in user, so that a restricted object's existence is not revealed;
sign-in to a signed-out one) and the context every assessment page starts from."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.core.cache_backend import cache_problem
from assessments.core.models import Assessment
from assessments.core.permissions import can_edit_assessment, can_view_assessment, role_in
from assessments.core.selectors import assessment_by_url


def refuse(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404("No such page")


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The page for a request over a rate limit (RATELIMIT_VIEW): what happened, and what to do.
    While the cache fails the limits cannot be counted and refuse everything (they fail closed):
    the page then says so, and to try again shortly."""
    return render(request, "429.html", {"uncounted": bool(cache_problem())}, status=429)


def visible_assessment(request: HttpRequest, slug: str, year: int) -> Assessment | None:
    assessment = assessment_by_url(slug, year)
    if assessment is None or not can_view_assessment(request.user, assessment):
        return None
    return assessment


def assessment_context(request: HttpRequest, assessment: Assessment) -> dict:
    return {
        "assessment": assessment,
        "partnership": assessment.partnership,
        "role": role_in(request.user, assessment.partnership_id),
        "can_edit": can_edit_assessment(request.user, assessment),
    }


def form_errors(error: ValidationError, form) -> None:
    """Put a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
