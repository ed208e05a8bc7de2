"""Who may ask partners for data, and who may see and answer a request."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.core.models import Assessment, Role
from assessments.core.permissions import AnyUser, role_in, roles
from assessments.data_returns.models import DataRequest

# Partner data returns ------------------------------------------------------------------------


def can_manage_data_requests(user: AnyUser, assessment: Assessment) -> bool:
    """The analyst asks for, tracks and sends back partners' data, whatever the status."""
    return user.is_active and role_in(user, assessment.partnership_id) == Role.ANALYST


def data_requests_for(user: AnyUser) -> QuerySet[DataRequest]:
    """The requests a member answers for: their organisation's, in their partnerships, once the
    analyst has sent them (a draft request is the analyst's working paper). A data request comes
    before the draft, so it does not follow the assessment's status."""
    if not (user.is_authenticated and user.is_active and user.organisation_id):
        return DataRequest.objects.none()
    return DataRequest.objects.filter(
        organisation_id=user.organisation_id,
        assessment__partnership_id__in=list(roles(user)),
        sent_at__isnull=False,
    )


def can_submit_data_return(user: AnyUser, request: DataRequest) -> bool:
    """See, download and upload: members of the organisation asked, nobody else."""
    return data_requests_for(user).filter(pk=request.pk).exists()


def can_download_data_return(user: AnyUser, data_return) -> bool:
    """An uploaded file goes back to its organisation and to the partnership's analyst."""
    request = data_return.request
    return can_submit_data_return(user, request) or can_manage_data_requests(
        user, request.assessment
    )
