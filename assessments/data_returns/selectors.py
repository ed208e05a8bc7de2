"""Reads of data requests, each with its current return."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from assessments.core.models import Assessment
from assessments.data_returns.models import DataRequest, DataReturn
from assessments.data_returns.permissions import data_requests_for


def _with_current_return(requests: QuerySet[DataRequest]) -> list[DataRequest]:
    """Requests with `current_return` (or None) set, in two queries."""
    requests = list(requests.select_related("organisation", "assessment__partnership"))
    current = DataReturn.objects.filter(
        request__in=requests, replaced_by__isnull=True
    ).select_related("uploaded_by")
    by_request = {data_return.request_id: data_return for data_return in current}
    for request in requests:
        request.current_return = by_request.get(request.pk)
    return requests


def data_requests_of(user) -> list[DataRequest]:
    """The user's organisation's requests, soonest due first."""
    return _with_current_return(data_requests_for(user).order_by("due_on", "title"))


def data_request_history(request: DataRequest) -> QuerySet[DataReturn]:
    return request.returns.select_related("uploaded_by", "correction_requested_by")


def data_requests_tracking(assessment: Assessment) -> list[DataRequest]:
    """Every request of the assessment, with its current return."""
    return _with_current_return(assessment.data_requests.order_by("organisation__name", "title"))


def data_requests_owed(assessment: Assessment, today: dt.date) -> list[DataRequest]:
    """The requests whose figures are still owed (awaiting, overdue or to be corrected), each
    with its `status`, by organisation: the same rule as the tracking page and the reminders,
    in the two queries of data_requests_tracking whatever the number of requests."""
    requests = with_status(data_requests_tracking(assessment), today)
    return [request for request in requests if still_owed(request.status)]


def data_request_with_current_return(request: DataRequest) -> DataRequest:
    return _with_current_return(DataRequest.objects.filter(pk=request.pk))[0]


def request_status(
    request: DataRequest, current: DataReturn | None, today: dt.date
) -> DataRequest.Status:
    Status = DataRequest.Status
    if current is not None:
        return Status.NEEDS_CORRECTION if current.correction_requested_at else Status.RECEIVED
    if request.sent_at is None:
        return Status.NOT_SENT
    return Status.OVERDUE if today > request.due_on else Status.AWAITING


def with_status(requests: list[DataRequest], today: dt.date) -> list[DataRequest]:
    """The requests (read with their current return), each with its `status` set."""
    for request in requests:
        request.status = request_status(request, request.current_return, today)
    return requests


def still_owed(status: str) -> bool:
    return status in {
        DataRequest.Status.AWAITING,
        DataRequest.Status.OVERDUE,
        DataRequest.Status.NEEDS_CORRECTION,
    }


def tracking_matrix(requests, today):
    """Organisations × request titles; each cell the organisation's request of that title."""
    titles = sorted({r.title for r in requests})
    rows: dict = {}
    for data_request in with_status(requests, today):
        cells = rows.setdefault(data_request.organisation, dict.fromkeys(titles))
        cells[data_request.title] = data_request
    return titles, [(organisation, list(cells.values())) for organisation, cells in rows.items()]
