"""Partner data returns: templates, validation, confirmation, requests, reminders, corrections.

A partner downloads the template of a request (one row per indicator × period × place), fills
in the values and uploads it. The file is read with the import machinery of resources.py (size,
row and expansion limits before parsing, formulas refused) and checked row by row against the
request; nothing is stored until the partner confirms the preview. Confirmation turns the rows
into observations in one batch keyed by the request, so a later return swaps the batch
atomically; the files of earlier returns stay as history.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from .. import querysets
from ..models import (
    DataRequest,
    DataRequestReminder,
    DataReturn,
    ImportBatch,
    Indicator,
    Observation,
    User,
)
from ..periods import Period, PeriodType
from ..resources import (
    ImportLimitError,
    LimitedCSV,
    LimitedXLSX,
    NumberWidget,
    column_problems,
)
from ..spreadsheet import looks_like_formula, neutralise
from .notifications import absolute
from .police_uk import TOKEN, batch_replace, discard_abandoned_uploads

COLUMNS = ("request", "organisation", "indicator", "indicator_name", "geography",
           "geography_name", "period", "period_name", "value")  # fmt: skip
REQUIRED = ("request", "organisation", "indicator", "geography", "period", "value")
DATA_SHEET = "Data"
MAX_ERRORS_SHOWN = 20
PENDING = "data-return-uploads"


class ReturnFileError(ValueError):
    """A file that cannot become the return: every problem, in plain language."""

    def __init__(self, messages: list[str]):
        super().__init__(messages[0])
        self.messages = messages


# Templates ---------------------------------------------------------------------------------


def period_code(period: Period) -> str:
    """How a period is written in the template: the month it starts, e.g. 2015-01."""
    return f"{period.start:%Y-%m}"


def template_rows(request: DataRequest) -> list[dict]:
    """The rows the partner fills in: every indicator × period × place, value empty."""
    places = querysets.geographies_at_level(
        request.assessment.partnership_id, request.geography_level
    )
    return [
        {
            "request": request.reference,
            "organisation": request.organisation.name,
            "indicator": indicator.code,
            "indicator_name": indicator.name,
            "geography": place.code,
            "geography_name": place.name,
            "period": period_code(period),
            "period_name": period.label,
            "value": "",
        }
        for indicator in request.indicators.order_by("name")
        for place in places
        for period in request.periods()
    ]


def template_csv(request: DataRequest) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in template_rows(request):
        writer.writerow({key: neutralise(value) for key, value in row.items()})
    return out.getvalue().encode("utf-8-sig")


def guidance_lines(request: DataRequest) -> list[str]:
    return [
        f"{request.title}: {request.organisation.name}",
        f"For {request.assessment.partnership.name}, {request.assessment.title}.",
        f"Due on {dateformat.format(request.due_on, 'j F Y')}.",
        "Enter one number in the value column of every row of the Data sheet. Do not add, remove "
        "or rename rows or columns. Enter 0 where there were none.",
        *request.guidance.splitlines(),
    ]


def template_xlsx(request: DataRequest) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    data = book.active
    data.title = DATA_SHEET
    data.append(COLUMNS)
    for row in template_rows(request):
        data.append([neutralise(row[column]) for column in COLUMNS])
    guidance = book.create_sheet("Guidance")
    for line in guidance_lines(request):
        guidance.append([neutralise(line)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Reading an upload -------------------------------------------------------------------------


class ReturnXLSX(LimitedXLSX):
    sheet_name = DATA_SHEET


@dataclass(frozen=True)
class ReturnRow:
    indicator: Indicator
    geography_id: int
    geography_name: str
    period: Period
    value: Decimal


def _dataset(name: str, data: bytes):
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsm":
        raise ReturnFileError(
            [
                "The workbook is macro-enabled (.xlsm); save it as an Excel Workbook (.xlsx) "
                "without macros, or as CSV, and upload it again."
            ]
        )
    try:
        if suffix == ".xlsx":
            return ReturnXLSX().create_dataset(data)
        if suffix == ".csv":
            return LimitedCSV().create_dataset(data.decode("utf-8-sig"))
    except ImportLimitError as error:
        raise ReturnFileError([str(error)]) from None
    except UnicodeDecodeError:
        message = "The file is not text; save it as “CSV UTF-8” and try again."
        raise ReturnFileError([message]) from None
    except Exception:  # noqa: BLE001 - whatever a broken file makes the readers raise
        raise ReturnFileError(["The file could not be read as a spreadsheet."]) from None
    raise ReturnFileError(["Upload the template as a CSV (.csv) or Excel (.xlsx) file."])


def _check_columns(headers: list[str]) -> None:
    problems = column_problems([h for h in headers if h], REQUIRED, COLUMNS)
    if problems:
        raise ReturnFileError(
            [
                f"This is not the template of this request: {'; '.join(problems)}. Download the "
                "template again and copy your figures into it."
            ]
        )


def parse_period(value, period_type: str) -> Period | None:
    """A period written as its first month: 2015-01, 2015-01-01, 01/2015 or a date cell."""
    if isinstance(value, dt.datetime | dt.date):
        start = dt.date(value.year, value.month, 1)
    else:
        text = str(value or "").strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-01)?|(\d{1,2})/(\d{4})", text)
        if not match:
            return None
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        try:
            start = dt.date(int(year), int(month), 1)
        except ValueError:
            return None
    try:
        return Period(PeriodType(period_type), start)
    except ValueError:
        return None


class _Reader:
    """Checks each row against the request, collecting every problem before deciding."""

    def __init__(self, request: DataRequest):
        self.request = request
        self.indicators = {i.code: i for i in request.indicators.all()}
        self.places = {
            g.code: g
            for g in querysets.geographies_at_level(
                request.assessment.partnership_id, request.geography_level
            )
        }
        self.periods = set(request.periods())
        self.errors: list[str] = []
        self.seen: dict[tuple, int] = {}
        self.rows: list[ReturnRow] = []

    def error(self, number: int, message: str) -> None:
        self.errors.append(f"Row {number}: {message}")

    def read(self, number: int, row: dict) -> None:
        if any(looks_like_formula(value) for value in row.values()):
            return self.error(number, "a cell holds a formula; enter the value itself.")
        if str(row["request"] or "").strip() != self.request.reference:
            return self.error(
                number,
                f"the row is from the template of another request ({row['request'] or 'none'}), "
                f"not {self.request.reference}. Download this request’s template.",
            )
        organisation = str(row["organisation"] or "").strip()
        if organisation != self.request.organisation.name:
            return self.error(
                number,
                f"the row is for “{organisation}”, but this request is for "
                f"{self.request.organisation.name}.",
            )
        key = self._key(number, row)
        if key is not None:
            self._value(number, row, key)

    def _key(self, number: int, row: dict):
        code, place_code = str(row["indicator"] or "").strip(), str(row["geography"] or "").strip()
        indicator, place = self.indicators.get(code), self.places.get(place_code)
        period = parse_period(row["period"], self.request.period_type)
        if indicator is None or place is None or period not in self.periods:
            what = "indicator" if indicator is None else "place" if place is None else "period"
            value = {"indicator": code, "place": place_code, "period": row["period"]}[what]
            self.error(number, f"this request does not ask for the {what} “{value}”: an extra row.")
            return None
        key = (indicator, place, period)
        if key in self.seen:
            self.error(number, f"this row repeats row {self.seen[key]}; keep one of them.")
            return None
        self.seen[key] = number
        return key

    def _value(self, number: int, row: dict, key) -> None:
        indicator, place, period = key
        raw = row["value"]
        if raw is None or str(raw).strip() == "":
            return self.error(number, f"enter the value of {indicator.name}, {period.label}.")
        try:
            value = NumberWidget().clean(raw)
        except ValueError as error:
            return self.error(number, f"{error} ({indicator.name}, {period.label})")
        if value < 0 and indicator.measure == Indicator.Measure.COUNT:
            return self.error(number, f"{indicator.name} is a count and cannot be negative.")
        self.rows.append(ReturnRow(indicator, place.pk, place.name, period, value))

    def missing(self) -> list[str]:
        expected = len(self.indicators) * len(self.places) * len(self.periods)
        if len(self.seen) >= expected:
            return []
        absent = [
            f"{indicator.name}, {place.name}, {period.label}"
            for indicator in self.indicators.values()
            for place in self.places.values()
            for period in sorted(self.periods)
            if (indicator, place, period) not in self.seen
        ]
        shown = "; ".join(absent[:5]) + ("…" if len(absent) > 5 else "")
        return [f"{len(absent)} rows of the template are missing: {shown}."]


def read_return_file(request: DataRequest, name: str, data: bytes) -> list[ReturnRow]:
    """The rows of an uploaded return, or ReturnFileError with every problem. Reads only."""
    dataset = _dataset(name, data)
    headers = [str(header or "").strip() for header in dataset.headers or []]
    _check_columns(headers)
    reader = _Reader(request)
    for number, values in enumerate(dataset, start=2):
        reader.read(number, dict(zip(headers, values, strict=False)))
    if not reader.seen and not reader.errors:
        raise ReturnFileError(["The file has no rows: fill in the template and upload it again."])
    errors = reader.errors + reader.missing()
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"… and {len(errors) - MAX_ERRORS_SHOWN} more problems.")
        raise ReturnFileError(shown)
    return reader.rows


# The preview -------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    row: ReturnRow
    last_year: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.last_year in (None, 0):
            return None
        return ((self.row.value - self.last_year) / self.last_year * 100).quantize(Decimal("0.1"))

    @property
    def flagged(self) -> bool:
        return self.change is not None and abs(self.change) > settings.DATA_RETURN_FLAG_PERCENT


def _year_before(period: Period) -> Period:
    return Period(period.type, period.start.replace(year=period.start.year - 1))


def return_preview(rows: list[ReturnRow]) -> list[PreviewRow]:
    """Each row beside the same period a year before: from the file when it holds it, else as
    stored now. Changes beyond the flag threshold are marked for the partner to check."""
    in_file = {(r.indicator.pk, r.geography_id, r.period): r.value for r in rows}
    stored = _stored_values(rows)
    preview = []
    for row in rows:
        before = _year_before(row.period)
        key = (row.indicator.pk, row.geography_id, before)
        preview.append(PreviewRow(row, in_file.get(key, stored.get(key))))
    return preview


def _stored_values(rows: list[ReturnRow]) -> dict[tuple, Decimal]:
    """Stored values a year before the file's periods, of the same type, in one query."""
    if not rows:
        return {}
    starts = {_year_before(r.period).start for r in rows}
    stored = Observation.objects.filter(
        indicator__in={r.indicator for r in rows},
        geography_id__in={r.geography_id for r in rows},
        period_type=rows[0].period.type,
        period_start__in=starts,
    ).values_list("indicator_id", "geography_id", "period_type", "period_start", "value")
    return {
        (indicator, place, Period(PeriodType(kind), start)): value
        for indicator, place, kind, start, value in stored
    }


# Waiting for confirmation ------------------------------------------------------------------
# An upload that passed the checks waits in private media under a random token, with who
# uploaded it for which request; nothing reaches the database until it is confirmed.


def _pending_dir(token: str) -> Path:
    if not TOKEN.match(token or ""):
        raise ReturnFileError(["The upload has expired; choose the file again."])
    return Path(settings.MEDIA_ROOT) / PENDING / token


def pending_store(*, request: DataRequest, user: User, name: str, data: bytes) -> str:
    discard_abandoned_uploads(PENDING)
    token = uuid.uuid4().hex
    folder = _pending_dir(token)
    folder.mkdir(parents=True)
    (folder / "upload").write_bytes(data)
    meta = {"request": request.pk, "user": user.pk, "name": Path(name).name[:200]}
    (folder / "meta.json").write_text(json.dumps(meta))
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


@transaction.atomic
def data_return_confirm(*, request: DataRequest, user: User, token: str) -> DataReturn:
    """Store the waiting upload: its observations replace the request's earlier return, and
    figures of the same indicator, place and period loaded another way (the return is the
    organisation's own word on them)."""
    name, data = _pending_read(token, request, user)
    rows = read_return_file(request, name, data)
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
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
    data_return = _record_return(request, user, name, data, batch, len(rows))
    transaction.on_commit(lambda: pending_discard(token))
    return data_return


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
    data_return.file.save(f"return-{request.pk}{Path(name).suffix.lower()}", ContentFile(data))
    if previous is not None:
        previous.replaced_by = data_return
        previous.save(update_fields=["replaced_by"])
        data_return.replaced_by = None
        data_return.save(update_fields=["replaced_by"])
    return data_return


# Tracking, requests, reminders, corrections ------------------------------------------------


def request_status(
    request: DataRequest, current: DataReturn | None, today: dt.date
) -> DataRequest.Status:
    Status = DataRequest.Status
    if current is not None:
        return Status.NEEDS_CORRECTION if current.correction_requested_at else Status.RECEIVED
    if request.sent_at is None:
        return Status.NOT_SENT
    return Status.OVERDUE if today > request.due_on else Status.AWAITING


def still_owed(status: str) -> bool:
    return status in {
        DataRequest.Status.AWAITING,
        DataRequest.Status.OVERDUE,
        DataRequest.Status.NEEDS_CORRECTION,
    }


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
    sent = 0
    for user in data_request_recipients(request):
        body = render_to_string("emails/data_request.txt", {**context, "recipient": user})
        sent += send_mail(subject, body, None, [user.email])
    return sent


def _email_task():
    # tasks.py imports this module: import the task when it is needed.
    from ..tasks import data_request_email_task

    return data_request_email_task


def data_request_send(*, request: DataRequest) -> None:
    """Mark the request sent (the email goes from the worker once this commits)."""
    request.sent_at = timezone.now()
    request.save(update_fields=["sent_at"])
    _email_task().delay_on_commit(request.pk)


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
    requests = DataRequest.objects.select_related("assessment__partnership", "organisation").filter(
        due_on__in=due_dates, sent_at__isnull=False
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
    _email_task().delay_on_commit(request.pk, "correction")
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
            first_period_start=_years_on(source.first_period_start, years),
            last_period_start=_years_on(source.last_period_start, years),
            geography_level=source.geography_level,
            guidance=source.guidance,
            due_on=_years_on(source.due_on, years),
            copied_from=source,
        )
        copy.indicators.set(source.indicators.all())
        copy.contacts.set(source.contacts.all())
        copies.append(copy)
    return copies


def _years_on(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
