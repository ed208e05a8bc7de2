"""The report as a PDF: request an export, follow its progress, download the file.

The file is served only here, after permissions.py has said yes for this user and this file,
on every download; the media folder has no public URL.
"""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import permissions, querysets
from .models import ReportExport
from .services import appendices, reports
from .views import refuse


def export_status_url(export: ReportExport) -> str:
    assessment = export.assessment
    return reverse("export_status", args=[assessment.partnership.slug, assessment.year, export.pk])


@require_POST
def export_request(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    assessment = querysets.assessment_by_url(slug, year)
    variant = request.POST.get("variant", "")
    kind = request.POST.get("kind", ReportExport.Kind.FULL_REPORT)
    if assessment is None or not permissions.can_request_export(
        request.user, assessment, variant, kind
    ):
        return refuse(request)
    export = reports.report_export_request(
        assessment=assessment, user=request.user, variant=variant, kind=kind
    )
    return redirect(export_status_url(export))


def _downloadable_export(request: HttpRequest, slug: str, year: int, pk: int):
    export = querysets.export_by_url(slug, year, pk)
    if export is None or not permissions.can_download_export(request.user, export):
        return None
    return export


def export_status(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    export = _downloadable_export(request, slug, year, pk)
    if export is None:
        return refuse(request)
    context = {
        "export": export,
        "assessment": export.assessment,
        "partnership": export.assessment.partnership,
        "status_url": export_status_url(export),
        "is_finished": export.status in (ReportExport.Status.DONE, ReportExport.Status.FAILED),
    }
    # htmx polls for the progress panel only; without JavaScript the whole page is reloaded.
    template = "assessments/includes/export_progress.html" if request.htmx else None
    return render(request, template or "assessments/export_status.html", context)


def export_download(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    export = _downloadable_export(request, slug, year, pk)
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
        filename=reports.export_file_name(export),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
