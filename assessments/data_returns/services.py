"""Partner data returns: confirmation, requests, reminders, corrections and next year's copies.

A partner's upload is read and checked by files.py; nothing is stored until the partner confirms
the preview. Confirmation turns the rows into observations in one batch keyed by the request, so
a later return swaps the batch atomically; the files of earlier returns stay as history.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from assessments.core.emails import send_to_each
from assessments.core.jobs import enqueue
from assessments.core.links import absolute
from assessments.core.models import Assessment, Role, User
from assessments.core.periods import years_on
from assessments.core.permissions import active_members_with_roles, can_view_dashboard
from assessments.core.storage import StorageFault, atomic_with_files, field_file_save, storage_save
from assessments.data_returns.files import (
    ReturnFileError,
    ReturnRow,
    read_return_file,
    return_preview,
    stored_copy,
)
from assessments.data_returns.models import DataRequest, DataRequestReminder, DataReturn
from assessments.data_returns.permissions import can_submit_data_return
from assessments.data_returns.selectors import request_status, still_owed
from assessments.indicators.headlines import stale_headlines
from assessments.indicators.models import ImportBatch, Observation
from assessments.indicators.police_uk import TOKEN, batch_replace, discard_abandoned_uploads

PENDING = "data-return-uploads"


# Waiting for confirmation ------------------------------------------------------------------
# An upload that passed the checks waits in private media under a random token, with who
# uploaded it for which request; nothing reaches the database until it is confirmed.


def _pending_dir(token: str) -> Path:
    if not TOKEN.match(token or ""):
        raise ReturnFileError(["The upload has expired; choose the file again."])
    return Path(settings.MEDIA_ROOT) / PENDING / token


def pending_store(*, request: DataRequest, user: User, name: str, data: bytes) -> str:
    """Keep the upload for its confirmation; on a full or read-only store, StorageFault with
    nothing left behind."""
    discard_abandoned_uploads(PENDING)
    token = uuid.uuid4().hex
    meta = {"request": request.pk, "user": user.pk, "name": Path(name).name[:200]}
    try:
        storage_save(default_storage, f"{PENDING}/{token}/upload", ContentFile(data))
        storage_save(default_storage, f"{PENDING}/{token}/meta.json", ContentFile(json.dumps(meta)))
    except StorageFault:
        pending_discard(token)
        raise
    return token


def _pending_read(token: str, request: DataRequest, user: User) -> tuple[str, bytes]:
    folder = _pending_dir(token)
    try:
        meta = json.loads((folder / "meta.json").read_text())
        data = (folder / "upload").read_bytes()
    except (OSError, ValueError):
        raise ReturnFileError(["The upload has expired; choose the file again."]) from None
    if meta["request"] != request.pk or meta["user"] != user.pk:
        raise ReturnFileError(["The upload has expired; choose the file again."])
    return meta["name"], data


def pending_discard(token: str) -> None:
    shutil.rmtree(_pending_dir(token), ignore_errors=True)


def data_return_upload(*, request: DataRequest, user: User, name: str, data: bytes):
    """Check an upload; when it passes, keep it for confirmation. Returns (token, preview)."""
    rows = read_return_file(request, name, data)
    token = pending_store(request=request, user=user, name=name, data=data)
    return token, return_preview(rows)


def batch_key(request: DataRequest) -> str:
    return f"data-return:{request.pk}"


@atomic_with_files()
def data_return_confirm(*, request: DataRequest, user: User, token: str) -> DataReturn:
    """Store the waiting upload: its observations replace the request's earlier return, and
    figures of the same indicator, place and period loaded another way (the return is the
    organisation's own word on them). StorageFault, with nothing saved, when the file cannot be
    kept."""
    name, data = _pending_read(token, request, user)
    rows = read_return_file(request, name, data)
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    stale_before = _stale_headline_ids(request.assessment)
    batch, _ = batch_replace(
        partnership=request.assessment.partnership,
        key=batch_key(request),
        source=ImportBatch.Source.DATA_RETURN,
        file_name=name,
        imported_by=user,
        row_count=len(rows),
        summary={"request": request.pk, "title": request.title},
    )
    _delete_overlapping(rows)
    Observation.objects.bulk_create(
        Observation(
            indicator=row.indicator,
            geography_id=row.geography_id,
            batch=batch,
            period_type=row.period.type,
            period_start=row.period.start,
            value=row.value,
        )
        for row in rows
    )
    data_return = _record_return(request, user, name, stored_copy(name, data), batch, len(rows))
    newly_stale = _stale_headline_ids(request.assessment) - stale_before
    if newly_stale:
        enqueue("stale_headlines_notify_task", request.assessment_id, sorted(newly_stale))
    transaction.on_commit(lambda: pending_discard(token))
    return data_return


def _stale_headline_ids(assessment) -> set[int]:
    return {item.headline.pk for item in stale_headlines(assessment)}


def notify_stale_headlines(*, assessment_id: int, headline_ids: list[int]) -> int:
    """Tell the analysts, one email each, which headlines new figures have made wrong."""
    assessment = Assessment.objects.select_related("partnership").get(pk=assessment_id)
    items = [item for item in stale_headlines(assessment) if item.headline.pk in headline_ids]
    if not items:
        return 0  # fixed before the email went out
    analysts = active_members_with_roles(assessment.partnership_id, {Role.ANALYST})
    context = {
        "assessment": assessment,
        "items": items,
        "url": absolute(reverse("dashboard", args=[assessment.partnership.slug, assessment.year])),
    }
    subject = f"Headlines to check: {assessment.title}"
    return send_to_each(
        analysts,
        subject,
        "emails/stale_headlines.txt",
        context,
        may_open=lambda user: can_view_dashboard(user, assessment),
    )


def _delete_overlapping(rows: list[ReturnRow]) -> None:
    """A complete return holds every indicator × place × period of its request (missing rows
    are refused), so those sets pick out exactly the figures it replaces, in one query."""
    Observation.objects.filter(
        indicator__in={row.indicator for row in rows},
        geography_id__in={row.geography_id for row in rows},
        period_type=rows[0].period.type,
        period_start__in={row.period.start for row in rows},
    ).delete()


def _record_return(request, user, name, data, batch, row_count) -> DataReturn:
    """The new current return; the previous one (if any) points at it, keeping its file."""
    previous = request.returns.filter(replaced_by__isnull=True).first()
    data_return = DataReturn(
        request=request,
        original_name=name,
        uploaded_by=user,
        batch=batch,
        row_count=row_count,
        replaced_by=previous,  # only one may be current: turned round below
    )
    field_file_save(
        data_return.file, f"return-{request.pk}{Path(name).suffix.lower()}", ContentFile(data)
    )
    data_return.save()
    if previous is not None:
        previous.replaced_by = data_return
        previous.save(update_fields=["replaced_by"])
        data_return.replaced_by = None
        data_return.save(update_fields=["replaced_by"])
    return data_return


# Tracking, requests, reminders, corrections ------------------------------------------------


def data_request_recipients(request: DataRequest) -> list[User]:
    """The request's contacts, or everyone active with an email in the organisation."""
    contacts = request.contacts.filter(is_active=True).exclude(email="")
    if not contacts.exists():
        contacts = request.organisation.users.filter(
            is_active=True, memberships__partnership=request.assessment.partnership_id
        ).exclude(email="")
    return list(contacts.distinct().order_by("pk"))


def _email(request: DataRequest, subject: str, kind: str) -> int:
    context = {"request": request, "kind": kind, "url": absolute(request.get_absolute_url())}
    recipients = data_request_recipients(request)
    return send_to_each(
        recipients,
        subject,
        "emails/data_request.txt",
        context,
        may_open=lambda user: can_submit_data_return(user, request),
    )


def data_request_send(*, request: DataRequest) -> None:
    """Mark the request sent (the email goes from the worker once this commits)."""
    request.sent_at = timezone.now()
    request.save(update_fields=["sent_at"])
    enqueue("data_request_email_task", request.pk)


SUBJECTS = {"request": "Data request: {}", "correction": "Please correct your data return: {}"}


def notify_data_request(*, request_id: int, kind: str = "request") -> int:
    """Email the request (with its link), or the analyst's correction message."""
    request = DataRequest.objects.select_related("assessment__partnership", "organisation").get(
        pk=request_id
    )
    if kind == "correction":
        request.current_return = request.returns.filter(replaced_by__isnull=True).first()
    return _email(request, SUBJECTS[kind].format(request.title), kind)


def send_data_return_reminders(*, today: dt.date | None = None) -> int:
    """Remind those who still owe a return N days before and after its due date, once a day."""
    today = today or timezone.localdate()
    due_dates = [
        today + dt.timedelta(days=settings.DATA_RETURN_REMIND_DAYS_BEFORE),
        today - dt.timedelta(days=settings.DATA_RETURN_REMIND_DAYS_AFTER),
    ]
    # A published assessment asks for nothing more: its edition is the record (issue 30).
    requests = (
        DataRequest.objects.select_related("assessment__partnership", "organisation")
        .filter(due_on__in=due_dates, sent_at__isnull=False)
        # After publication (and while a published edition is corrected) nothing is chased.
        .exclude(assessment__status__in=[Assessment.Status.PUBLISHED, Assessment.Status.CORRECTION])
    )
    sent = 0
    for request in requests:
        current = request.returns.filter(replaced_by__isnull=True).first()
        if not still_owed(request_status(request, current, today)):
            continue
        reminder, created = DataRequestReminder.objects.get_or_create(
            request=request, sent_on=today
        )
        if not created:
            continue
        late = today > request.due_on
        due = dateformat.format(request.due_on, "j F Y")
        subject = f"{'Overdue' if late else 'Reminder'}: {request.title} due {due}"
        reminder.recipients = _email(request, subject, "overdue" if late else "reminder")
        reminder.save(update_fields=["recipients"])
        sent += reminder.recipients
    return sent


def data_return_request_correction(*, request: DataRequest, by: User, message: str) -> DataReturn:
    """The analyst asks for a corrected file; the current figures stay until it arrives."""
    current = request.returns.filter(replaced_by__isnull=True).first()
    if current is None:
        raise ValueError("Nothing has been returned yet.")
    current.correction_message = message
    current.correction_requested_at = timezone.now()
    current.correction_requested_by = by
    current.save(
        update_fields=["correction_message", "correction_requested_at", "correction_requested_by"]
    )
    enqueue("data_request_email_task", request.pk, "correction")
    return current


@transaction.atomic
def data_requests_copy(*, requests, to_assessment) -> list[DataRequest]:
    """Last year's requests for another assessment: periods and due date a year on, unsent.
    A request already there (same organisation and title) is left as it is."""
    copies = []
    for source in requests:
        years = to_assessment.year - source.assessment.year
        exists = to_assessment.data_requests.filter(
            organisation=source.organisation, title=source.title
        )
        if exists.exists():
            continue
        copy = DataRequest.objects.create(
            assessment=to_assessment,
            organisation=source.organisation,
            title=source.title,
            period_type=source.period_type,
            first_period_start=years_on(source.first_period_start, years),
            last_period_start=years_on(source.last_period_start, years),
            geography_level=source.geography_level,
            guidance=source.guidance,
            due_on=years_on(source.due_on, years),
            copied_from=source,
        )
        copy.indicators.set(source.indicators.all())
        # Only contacts still of the organisation and the partnership: not someone who left.
        copy.contacts.set(
            source.contacts.filter(
                is_active=True,
                organisation=source.organisation_id,
                memberships__partnership=to_assessment.partnership_id,
            ).distinct()
        )
        copies.append(copy)
    return copies
