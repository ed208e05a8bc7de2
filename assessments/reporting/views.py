"""The report as a PDF: request an export, follow its progress, download the file.

The file is served only here, after the permissions have said yes for this user and this file,
on every download; the media folder has no public URL.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessments.appendices import services as appendices
from assessments.core.rate_limits import limit_pdf_requests
from assessments.core.selectors import assessment_by_url
from assessments.core.storage import storage_problem
from assessments.core.views import refuse
from assessments.reporting.exports import report_export_request
from assessments.reporting.models import ReportExport
from assessments.reporting.permissions import can_download_export, can_request_export
from assessments.reporting.rendering import MAX_ATTEMPTS, export_file_name, export_is_stalled
from assessments.reporting.selectors import export_by_url


@require_POST
@limit_pdf_requests
def export_request(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = assessment_by_url(slug, year)
    variant = request.POST.get("variant", "")
    kind = request.POST.get("kind", ReportExport.Kind.FULL_REPORT)
    if assessment is None or not can_request_export(request.user, assessment, variant, kind):
        return refuse(request)
    problem = storage_problem()
    if problem:
        # Refused before a row exists: nothing waits for a store that cannot take the file.
        messages.error(
            request,
            f"PDFs cannot be prepared just now: {problem}. The site's operator has been told "
            "(the health check reports it); ask again later.",
        )
        return redirect(assessment.get_absolute_url())
    export = report_export_request(
        assessment=assessment, user=request.user, variant=variant, kind=kind
    )
    return redirect(export.status_url(next_url=request.POST.get("next")))


def _safe_next(request: HttpRequest, next_url: str | None) -> str | None:
    """Where the request came from, if it is a page of this site (never another host)."""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return None


def _downloadable_export(request: HttpRequest, slug: str, year: int, token: uuid.UUID):
    export = export_by_url(slug, year, token)
    if export is None or not can_download_export(request.user, export):
        return None
    return export


def export_status(request: HttpRequest, slug: str, year: int, token: uuid.UUID) -> HttpResponse:
    export = _downloadable_export(request, slug, year, token)
    if export is None:
        return refuse(request)
    context = {
        "export": export,
        "back_url": _safe_next(request, request.GET.get("next")),
        "assessment": export.assessment,
        "partnership": export.assessment.partnership,
        "status_url": export.get_absolute_url(),
        "is_finished": export.status in (ReportExport.Status.DONE, ReportExport.Status.FAILED),
        "stalled": export_is_stalled(export),
        "retrying": export.status == ReportExport.Status.RUNNING and export.attempts > 1,
        "max_attempts": MAX_ATTEMPTS,
    }
    # htmx polls for the progress panel only; without JavaScript the whole page is reloaded.
    template = "assessments/includes/export_progress.html" if request.htmx else None
    return render(request, template or "assessments/export_status.html", context)


def export_download(request: HttpRequest, slug: str, year: int, token: uuid.UUID) -> HttpResponse:
    export = _downloadable_export(request, slug, year, token)
    if export is None or export.status != ReportExport.Status.DONE:
        return refuse(request)
    if not export.file or not export.file.storage.exists(export.file.name):
        return refuse(request)  # cleared from storage: asking again renders it anew
    appendices.appendix_accesses_record_for_export(
        export=export, user=request.user, path=request.path
    )
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export_file_name(export),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
