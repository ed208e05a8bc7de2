"""Restricted appendices: the CSV download of an appendix's figures.

Like the appendix page, it answers 404 to a signed-in user without access (the appendix's
existence is not revealed), logs every download and forbids caching, so that a revoked grant
closes it on the next request.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from . import permissions, querysets
from .models import AppendixAccess
from .services import appendices
from .views import refuse


@never_cache
def appendix_csv(request: HttpRequest, slug: str, year: int, appendix_slug: str) -> HttpResponse:
    appendix = querysets.appendix_by_url(slug, year, appendix_slug)
    if not appendix or not permissions.can_export_appendix(request.user, appendix):
        return refuse(request)
    appendices.appendix_access_record(
        appendix=appendix, user=request.user, route=AppendixAccess.Route.CSV, path=request.path
    )
    body = appendices.appendix_csv(appendix, appendices.appendix_content(appendix))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"{slug}-{year}-{appendix.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
