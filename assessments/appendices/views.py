"""Restricted appendices: the appendix page and the CSV and XLSX downloads of its figures.

Both answer 404 to a signed-in user without access (the appendix's
existence is not revealed), logs every download and forbids caching, so that a revoked grant
closes it on the next request.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from assessments.appendices import services as appendices
from assessments.appendices.hotspots import hotspot_figure, hotspots_content
from assessments.appendices.models import AppendixAccess
from assessments.appendices.permissions import can_export_appendix, can_view_appendix
from assessments.appendices.selectors import appendix_by_url
from assessments.core.markdown import render_markdown
from assessments.core.personal_copy import new_copy_id, personal_copy
from assessments.core.views import assessment_context, refuse


def _read_appendix(
    request: HttpRequest, slug: str, year: int, appendix_slug: str, *, route, copy_id: str = ""
):
    """The appendix in the URL, if the user may read it this way; every read is logged."""
    appendix = appendix_by_url(slug, year, appendix_slug)
    allowed = can_view_appendix if route == AppendixAccess.Route.PAGE else can_export_appendix
    if not appendix or not allowed(request.user, appendix):
        return None
    appendices.appendix_access_record(
        appendix=appendix, user=request.user, route=route, path=request.path, copy_id=copy_id
    )
    return appendix


@never_cache
def appendix_detail(request: HttpRequest, slug: str, year: int, appendix_slug: str) -> HttpResponse:
    appendix = _read_appendix(request, slug, year, appendix_slug, route=AppendixAccess.Route.PAGE)
    if appendix is None:
        return refuse(request)
    context = assessment_context(request, appendix.assessment)
    context |= {
        "appendix": appendix,
        "marking": appendix.assessment.partnership.restricted_marking,
        "narrative": render_markdown(appendix.narrative),
        "content": appendices.appendix_content(appendix),
        "hotspots": hotspots_content(appendix),
    }
    return render(request, "assessments/appendix.html", context)


# The two download formats: how the file is written and what it is served as.
DOWNLOADS = {
    AppendixAccess.Route.CSV: (appendices.appendix_csv, "text/csv; charset=utf-8"),
    AppendixAccess.Route.XLSX: (
        appendices.appendix_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@never_cache
def appendix_download(
    request: HttpRequest, slug: str, year: int, appendix_slug: str, route: str
) -> HttpResponse:
    """The recipient's own copy of the figures: named, with its copy id, in the file and log."""
    copy_id = new_copy_id()
    appendix = _read_appendix(request, slug, year, appendix_slug, route=route, copy_id=copy_id)
    if appendix is None:
        return refuse(request)
    marking = appendix.assessment.partnership.restricted_marking
    copy = personal_copy(request.user, copy_id=copy_id, marking=marking)
    write, content_type = DOWNLOADS[route]
    body = write(appendix, appendices.appendix_content(appendix), copy)
    response = HttpResponse(body, content_type=content_type)
    filename = f"{slug}-{year}-{appendix.slug}-{copy.file_suffix}.{route}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
def appendix_map_csv(
    request: HttpRequest, slug: str, year: int, appendix_slug: str, map_slug: str
) -> HttpResponse:
    """The figures of one of the appendix's maps (every LSOA, or every square): the recipient's
    own copy, marked, named and logged like the appendix's CSV."""
    appendix = appendix_by_url(slug, year, appendix_slug)
    if appendix is None or not can_export_appendix(request.user, appendix):
        return refuse(request)
    figure = hotspot_figure(hotspots_content(appendix), map_slug)
    if figure is None:
        return refuse(request)
    copy_id = new_copy_id()
    appendices.appendix_access_record(
        appendix=appendix,
        user=request.user,
        route=AppendixAccess.Route.CSV,
        path=request.path,
        copy_id=copy_id,
    )
    marking = appendix.assessment.partnership.restricted_marking
    copy = personal_copy(request.user, copy_id=copy_id, marking=marking)
    body = appendices.figure_csv(appendix, figure["csv"], copy)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"{slug}-{year}-{appendix.slug}-{map_slug}-{copy.file_suffix}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
