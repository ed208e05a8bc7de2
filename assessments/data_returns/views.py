"""Pages of partner data returns: the partner's requests, template, upload, preview and
confirmation; the analyst's tracking matrix, sending and corrections.

A request of another organisation answers 404 to a signed-in user, like everything else that
is not theirs; the upload is read and shown but nothing is stored until it is confirmed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.core.idempotency import idempotent
from assessments.core.spreadsheet import XLSX_CONTENT_TYPE
from assessments.core.storage import StorageFault, storage_refusal
from assessments.core.uploads import upload_refusal
from assessments.core.views import refuse, visible_assessment
from assessments.data_returns.files import (
    ReturnFileError,
    template_csv,
    template_xlsx,
    upload_bytes,
)
from assessments.data_returns.forms import ConfirmForm, CorrectionForm, UploadForm
from assessments.data_returns.models import DataRequest, DataReturn
from assessments.data_returns.permissions import (
    can_download_data_return,
    can_manage_data_requests,
    can_submit_data_return,
)
from assessments.data_returns.selectors import (
    data_request_history,
    data_request_with_current_return,
    data_requests_of,
    data_requests_tracking,
    request_status,
    tracking_matrix,
    with_status,
)
from assessments.data_returns.services import (
    data_request_send,
    data_return_confirm,
    data_return_request_correction,
    data_return_upload,
)


def _own_request(request, pk: int) -> DataRequest:
    data_request = get_object_or_404(
        DataRequest.objects.select_related("assessment__partnership", "organisation"), pk=pk
    )
    if not can_submit_data_return(request.user, data_request):
        raise Http404("No such request")
    return data_request


@login_required
def request_list(request) -> HttpResponse:
    requests = with_status(data_requests_of(request.user), timezone.localdate())
    return render(request, "assessments/data_requests.html", {"requests": requests})


def _request_page(request, data_request: DataRequest, form: UploadForm, errors=(), status=None):
    with_current = data_request_with_current_return(data_request)
    context = {
        "data_request": with_current,
        "status": request_status(with_current, with_current.current_return, timezone.localdate()),
        "periods": with_current.periods(),
        "indicators": with_current.indicators.order_by("name"),
        "history": data_request_history(with_current),
        "form": form,
        "file_errors": errors,
    }
    return render(
        request,
        "assessments/data_request.html",
        context,
        status=status or (400 if errors or form.errors else 200),
    )


@login_required
def request_detail(request, pk: int) -> HttpResponse:
    data_request = _own_request(request, pk)
    return _request_page(request, data_request, UploadForm())


@login_required
def template_download(request, pk: int, file_format: str) -> HttpResponse:
    data_request = _own_request(request, pk)
    if file_format == "csv":
        response = HttpResponse(template_csv(data_request), content_type="text/csv; charset=utf-8")
    elif file_format == "xlsx":
        response = HttpResponse(template_xlsx(data_request), content_type=XLSX_CONTENT_TYPE)
    else:
        raise Http404("No such format")
    name = f"data-request-{data_request.reference}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def upload(request, pk: int) -> HttpResponse:
    data_request = _own_request(request, pk)
    form = UploadForm(request.POST, request.FILES)
    refusal = upload_refusal(request)
    if refusal:
        return _request_page(request, data_request, UploadForm(), errors=[refusal])
    if not form.is_valid():
        return _request_page(request, data_request, form)
    upload = form.cleaned_data["file"]
    try:
        token, preview = data_return_upload(
            request=data_request, user=request.user, name=upload.name, data=upload_bytes(upload)
        )
    except ReturnFileError as error:
        return _request_page(request, data_request, form, errors=error.messages)
    except StorageFault as fault:
        return _storage_refused(request, data_request, fault)
    context = {
        "data_request": data_request,
        "preview": preview,
        "flagged": sum(row.flagged for row in preview),
        "file_name": upload.name,
        "confirm_form": ConfirmForm(initial={"token": token}),
        "threshold": settings.DATA_RETURN_FLAG_PERCENT,
    }
    return render(request, "assessments/data_return_preview.html", context)


@login_required
@require_POST
@idempotent
def confirm(request, pk: int) -> HttpResponse:
    data_request = _own_request(request, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _request_page(request, data_request, UploadForm(), errors=["Upload the file again."])
    try:
        data_return = data_return_confirm(
            request=data_request, user=request.user, token=form.cleaned_data["token"]
        )
    except ReturnFileError as error:
        return _request_page(request, data_request, UploadForm(), errors=error.messages)
    except StorageFault as fault:
        return _storage_refused(request, data_request, fault)
    messages.success(
        request, f"Thank you: {data_return.row_count} figures have been received and stored"
    )
    return redirect(data_request.get_absolute_url())


def _storage_refused(request, data_request: DataRequest, fault: StorageFault) -> HttpResponse:
    # 503: the site cannot keep files just now; the form is there to try again later.
    errors = [storage_refusal(fault)]
    return _request_page(request, data_request, UploadForm(), errors=errors, status=503)


@login_required
def return_file(request, pk: int) -> HttpResponse:
    """The file as uploaded, from private storage, checked on every download."""
    data_return = get_object_or_404(DataReturn.objects.select_related("request__assessment"), pk=pk)
    if not can_download_data_return(request.user, data_return):
        raise Http404("No such file")
    if not data_return.file.storage.exists(data_return.file.name):
        raise Http404("The file is no longer stored")
    response = FileResponse(
        data_return.file.open("rb"), as_attachment=True, filename=data_return.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The analyst's side ------------------------------------------------------------------------


def _managed_assessment(request, slug: str, year: int):
    assessment = visible_assessment(request, slug, year)
    if assessment is None or not can_manage_data_requests(request.user, assessment):
        return None
    return assessment


def tracking(request, slug: str, year: int) -> HttpResponse:
    assessment = _managed_assessment(request, slug, year)
    if assessment is None:
        return refuse(request)
    requests = data_requests_tracking(assessment)
    titles, rows = tracking_matrix(requests, timezone.localdate())
    context = {
        "assessment": assessment,
        "partnership": assessment.partnership,
        "titles": titles,
        "rows": rows,
        "requests": requests,
        "remind_before": settings.DATA_RETURN_REMIND_DAYS_BEFORE,
        "remind_after": settings.DATA_RETURN_REMIND_DAYS_AFTER,
    }
    return render(request, "assessments/data_returns_tracking.html", context)


def _managed_request(request, slug: str, year: int, pk: int) -> DataRequest:
    assessment = _managed_assessment(request, slug, year)
    if assessment is None:
        raise Http404("No such request")
    return get_object_or_404(assessment.data_requests.select_related("organisation"), pk=pk)


@login_required
@require_POST
def send(request, slug: str, year: int, pk: int) -> HttpResponse:
    data_request = _managed_request(request, slug, year, pk)
    data_request_send(request=data_request)
    messages.success(request, f"The request has been sent to {data_request.organisation}")
    return redirect("data_returns_tracking", slug=slug, year=year)


@login_required
def correction(request, slug: str, year: int, pk: int) -> HttpResponse:
    data_request = _managed_request(request, slug, year, pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_return_request_correction(
                request=data_request, by=request.user, message=form.cleaned_data["message"]
            )
        except ValueError as error:
            form.add_error("message", str(error))
        else:
            messages.success(request, f"{data_request.organisation} has been asked to correct it")
            return redirect("data_returns_tracking", slug=slug, year=year)
    context = {"data_request": data_request, "form": form, "assessment": data_request.assessment}
    return render(request, "assessments/data_return_correction.html", context)
