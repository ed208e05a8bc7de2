"""Import-export resources: the tables an analyst moves in and out of admin as CSV or XLSX.

Natural keys (partnership slug, indicator code, geography code) make re-imports update rows
instead of duplicating them. Every import is all or nothing: one bad row and nothing is saved.
Files are refused before they are parsed when they are too big, have too many rows or (for
XLSX, which is a zip) would expand too far. Exports neutralise text that a spreadsheet would run
as a formula, while numbers stay numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import InvalidOperation

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.template.defaultfilters import filesizeformat
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.widgets import DecimalWidget, ForeignKeyWidget, Widget

from assessments.core.file_checks import (
    ImportLimitError,
    check_headings,
    check_no_formula_text,
    scan_workbook,
)
from assessments.core.models import Chapter, Organisation, Partnership, Recommendation
from assessments.core.permissions import administered_rows, partnerships_administered_by
from assessments.core.spreadsheet import looks_like_formula, neutralise


def _megabytes(size: int) -> str:
    return filesizeformat(size).replace("\xa0", " ")


def check_size(size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportLimitError(
            f"The file is {_megabytes(size)}; files up to {_megabytes(settings.IMPORT_MAX_BYTES)} "
            "can be imported. Split it into smaller files."
        )


def check_rows(count: int) -> None:
    if count > settings.IMPORT_MAX_ROWS:
        raise ImportLimitError(
            f"The file has more than {settings.IMPORT_MAX_ROWS:,} rows; split it into smaller "
            "files."
        )


def check_xlsx_expansion(data: bytes) -> None:
    """Sum the zip members' uncompressed sizes before any spreadsheet reader opens them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportLimitError("The file is not an XLSX workbook.") from None
    limit = settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES
    if expanded > limit:
        raise ImportLimitError(
            f"The workbook would expand to {_megabytes(expanded)} when opened; workbooks up to "
            f"{_megabytes(limit)} can be imported."
        )


def check_no_macros(data: bytes) -> None:
    """A workbook carrying VBA (an .xlsm renamed, or any vbaProject.bin) is refused unread."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
            raise ImportLimitError(
                "The workbook contains macros; save it as an Excel Workbook (.xlsx) without "
                "macros, or as CSV, and upload it again."
            )


class LimitedCSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        check_size(len(in_stream.encode() if isinstance(in_stream, str) else in_stream))
        dataset = super().create_dataset(in_stream, **kwargs)
        check_rows(len(dataset))
        check_headings(dataset.headers)
        check_no_formula_text(dataset)
        return dataset


class LimitedXLSX(base_formats.XLSX):
    # The sheet to read when the workbook has one of this name (else the active sheet).
    sheet_name: str | None = None

    def create_dataset(self, in_stream):
        check_size(len(in_stream))
        check_xlsx_expansion(in_stream)
        check_no_macros(in_stream)
        extent = scan_workbook(in_stream, self.sheet_name)
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=False)
        sheet = book[self.sheet_name] if self.sheet_name in book.sheetnames else book.active
        # Read as far as the cells reach, never as far as the sheet's <dimension> claims.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_row=extent.rows, max_col=extent.columns, values_only=True)
        dataset = tablib.Dataset(headers=list(next(rows, [])))
        for row in rows:
            if any(value is not None for value in row):
                check_rows(len(dataset) + 1)
                dataset.append(row)
        book.close()
        check_headings(dataset.headers)
        check_no_formula_text(dataset)
        return dataset


FORMATS = [LimitedCSV, LimitedXLSX]


def column_problems(headers: list[str], required, known) -> list[str]:
    """What is wrong with a file's columns, in words: missing ones, then unknown ones."""
    missing = [c for c in required if c not in headers]
    unknown = [h for h in headers if h not in known]
    problems = []
    if missing:
        problems.append(f"missing column {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column {', '.join(unknown)}")
    return problems


class SafeResource(resources.ModelResource):
    """All-or-nothing imports with row and column errors, and formula-safe exports.

    An import by a signed-in user (admin's) finds existing rows among the user's partnerships'
    rows only (`get_queryset`): an id of another partnership's row is an error row, exactly like
    an id that does not exist, never a preview of that row or an update of it."""

    required_columns: tuple[str, ...] = ()

    def import_data(self, dataset, **kwargs):
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, **kwargs)

    def get_queryset(self):
        importer = getattr(self, "_importer", None)
        queryset = super().get_queryset()
        return queryset if importer is None else administered_rows(queryset, importer)

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        pk_name = self._meta.model._meta.pk.name
        given = str(row.get(pk_name) or "").strip() if pk_name in self.key_columns() else ""
        if new and given:
            # A new row would take the id given and, saved, overwrite whatever row has it.
            name = self._meta.model._meta.verbose_name
            raise ValidationError({pk_name: f"No {name} with id {given} in your partnerships."})
        return instance, new

    def before_import(self, dataset, **kwargs):
        self._importer = kwargs.get("user")
        self._seen_keys: dict[tuple, int] = {}
        headers = [str(h or "").strip() for h in dataset.headers or []]
        known = {field.column_name for field in self.fields.values()}
        problems = column_problems(headers, self.required_columns, known)
        if problems:
            raise ValueError(
                f"The file's columns are wrong: {'; '.join(problems)}. "
                f"Expected: {', '.join(sorted(known))}."
            )
        self._check_partnerships(dataset, kwargs.get("user"))

    def _check_partnerships(self, dataset, user) -> None:
        if "partnership" not in (dataset.headers or []) or user is None:
            return
        allowed = set(partnerships_administered_by(user).values_list("slug", flat=True))
        for number, slug in enumerate(dataset["partnership"], start=1):
            if slug and slug not in allowed:
                raise ValueError(
                    f"Row {number}: you do not administer a partnership “{slug}”; "
                    "nothing was imported."
                )

    def before_import_row(self, row, row_number=None, **kwargs):
        errors = {
            column: f"“{value}” looks like a spreadsheet formula; enter the value itself."
            for column, value in row.items()
            if looks_like_formula(value)
        }
        if errors:
            raise ValidationError(errors)
        key = tuple(str(row.get(column, "")).strip() for column in self.key_columns())
        if key in self._seen_keys:
            raise ValidationError(
                {
                    self.key_columns()[-1]: f"This row repeats row {self._seen_keys[key]} "
                    f"({', '.join(self.key_columns())}: {', '.join(key)})."
                }
            )
        self._seen_keys[key] = row_number

    def key_columns(self) -> list[str]:
        return [self.fields[name].column_name for name in self._meta.import_id_fields]

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


class NumberWidget(DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (InvalidOperation, ValueError):
            raise ValueError(f"Enter a number, not “{value}”.") from None


def number_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=NumberWidget())


class ScopedForeignKeyWidget(ForeignKeyWidget):
    """A related row looked up among the importer's partnerships' rows only; one that is not
    there, whether it does not exist or is another partnership's, is the same error."""

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = super().get_queryset(value, row, *args, **kwargs)
        importer = kwargs.get("user")
        return queryset if importer is None else administered_rows(queryset, importer)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            name = self.model._meta.verbose_name
            raise ValueError(f"No {name} {value} in your partnerships.") from None


class PartnershipScopedWidget(ScopedForeignKeyWidget):
    """A natural key (code) that is unique only within the row's partnership."""

    def get_queryset(self, value, row, *args, **kwargs):
        scoped = super().get_queryset(value, row, *args, **kwargs)
        return scoped.filter(partnership__slug=row.get("partnership"))


class PartnershipField(fields.Field):
    def __init__(self, **kwargs):
        super().__init__(
            attribute="partnership",
            column_name="partnership",
            widget=ScopedForeignKeyWidget(Partnership, "slug"),
            **kwargs,
        )


class UKDateWidget(Widget):
    """A date written as 2018-03-31 (as exported) or 31/03/2018, never read the American way
    round; a spreadsheet's own date cell is taken as it is."""

    FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        for format_ in self.FORMATS:
            try:
                return dt.datetime.strptime(text, format_).date()
            except ValueError:
                continue
        raise ValueError(f"Enter a date like 31/03/2018 or 2018-03-31, not “{text}”.")

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChapterPartnershipOrganisationWidget(ScopedForeignKeyWidget):
    """An organisation named as it is named in the admin, looked up among the organisations of
    the partnership whose assessment holds the row's chapter: a recommendation is led by one
    of its own partners. An organisation of another partnership is an error row, worded as for
    a name nobody uses."""

    def __init__(self):
        super().__init__(Organisation, "name")

    def get_queryset(self, value, row, *args, **kwargs):
        scoped = super().get_queryset(value, row, *args, **kwargs)
        chapter = str((row or {}).get("chapter_id") or "").strip()
        if not chapter.isdigit():
            return scoped.none()
        return scoped.filter(partnerships__assessments__chapters__pk=int(chapter))

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                f"No organisation “{value}” in the partnership of this chapter's assessment; "
                "name one of its organisations as the admin lists them, or leave it empty for "
                "the chapter's lead."
            ) from None


class RecommendationResource(SafeResource):
    chapter = fields.Field(
        attribute="chapter", column_name="chapter_id", widget=ScopedForeignKeyWidget(Chapter)
    )
    lead_organisation = fields.Field(
        attribute="lead_organisation",
        column_name="lead_organisation",
        widget=ChapterPartnershipOrganisationWidget(),
    )
    due_by = fields.Field(attribute="due_by", column_name="due_by", widget=UKDateWidget())
    required_columns = ("chapter_id", "text")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "chapter",
            "order",
            "text",
            "status",
            "lead_organisation",
            "due_by",
            "success_measure",
        ]
