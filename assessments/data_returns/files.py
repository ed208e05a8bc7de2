"""Data return files: the template a partner fills in, and reading and checking what they upload.

A partner downloads the template of a request (one row per indicator × period × place), fills in
the values and uploads it. The file is read with the import machinery of core/resources.py (size,
row and expansion limits before parsing; a formula in any cell of any sheet, or a repeated
column, refused by core/file_checks.py) and checked row by row against the
request, then shown as a preview beside the same period a year before.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.conf import settings
from django.utils import dateformat

from assessments.core.periods import Period, PeriodType
from assessments.core.resources import (
    ImportLimitError,
    LimitedCSV,
    LimitedXLSX,
    NumberWidget,
    check_size,
    column_problems,
)
from assessments.core.spreadsheet import neutralise
from assessments.data_returns.models import DataRequest
from assessments.indicators.models import Indicator, Observation
from assessments.indicators.selectors import geographies_at_level

COLUMNS = ("request", "organisation", "indicator", "indicator_name", "geography",
           "geography_name", "period", "period_name", "value")  # fmt: skip
REQUIRED = ("request", "organisation", "indicator", "geography", "period", "value")
DATA_SHEET = "Data"
MAX_ERRORS_SHOWN = 20


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
    places = geographies_at_level(request.assessment.partnership_id, request.geography_level)
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


def upload_bytes(upload) -> bytes:
    """The uploaded file's content, once its size (known before reading) is within the limit."""
    try:
        check_size(upload.size)
    except ImportLimitError as error:
        raise ReturnFileError([str(error)]) from None
    return upload.read()


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
    except Exception:  # whatever a broken file makes the readers raise
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
            for g in geographies_at_level(
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


def stored_copy(name: str, data: bytes) -> bytes:
    """What is kept for the analyst: a CSV as uploaded (every cell has been checked), a workbook
    rewritten from the values of its Data sheet, because formulas hide in workbooks beyond cells
    (defined names, conditional formats, links) and the analyst opens this file in Excel."""
    if Path(name).suffix.lower() != ".xlsx":
        return data
    dataset = _dataset(name, data)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    for values in [dataset.headers or [], *dataset]:
        sheet.append([neutralise(value) for value in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def return_preview(rows: list[ReturnRow]) -> list[PreviewRow]:
    """Each row beside the same period a year before: from the file when it holds it, else as
    stored now. Changes beyond the flag threshold are marked for the partner to check."""
    in_file = {(r.indicator.pk, r.geography_id, r.period): r.value for r in rows}
    stored = _stored_values(rows)
    preview = []
    for row in rows:
        before = row.period.year_before()
        key = (row.indicator.pk, row.geography_id, before)
        preview.append(PreviewRow(row, in_file.get(key, stored.get(key))))
    return preview


def _stored_values(rows: list[ReturnRow]) -> dict[tuple, Decimal]:
    """Stored values a year before the file's periods, of the same type, in one query."""
    if not rows:
        return {}
    starts = {r.period.year_before().start for r in rows}
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
