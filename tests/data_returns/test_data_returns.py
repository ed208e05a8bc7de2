"""Partner data returns: templates, upload → preview → confirm, replacement with history,
tracking, requests, reminders, corrections, and every kind of bad file storing nothing."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.data_returns.files import parse_period
from assessments.data_returns.models import DataRequest, DataRequestReminder, DataReturn
from assessments.data_returns.selectors import request_status
from assessments.data_returns.services import (
    PENDING,
    data_requests_copy,
    send_data_return_reminders,
)
from assessments.indicators.models import ImportBatch, Observation

from ..factories import (
    AssessmentFactory,
    ObservationFactory,
    OrganisationFactory,
    member,
)

pytestmark = pytest.mark.django_db


def template_rows(client, request) -> list[dict]:
    response = client.get(reverse("data_request_template", args=[request.pk, "csv"]))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def filled_csv(rows: list[dict], values=None) -> bytes:
    """The template with a value in every row (10, 11, 12, …) unless `values` says otherwise."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for number, row in enumerate(rows):
        writer.writerow({**row, "value": (values or {}).get(number, 10 + number)})
    return out.getvalue().encode()


def filled_xlsx(rows: list[dict]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(list(rows[0]))
    for number, row in enumerate(rows):
        sheet.append([*list(row.values())[:-1], 10 + number])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, request, data: bytes, name: str = "return.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("data_return_upload", args=[request.pk]), {"file": file})


def confirm(client, request, preview):
    token = preview.context["confirm_form"]["token"].value()
    return client.post(reverse("data_return_confirm", args=[request.pk]), {"token": token})


def stored():
    return (
        Observation.objects.count(),
        DataReturn.objects.count(),
        ImportBatch.objects.count(),
        sorted(o.value for o in Observation.objects.all()),
    )


# Templates ---------------------------------------------------------------------------------


def test_the_csv_template_has_a_row_for_each_indicator_and_month(fire_client, fire_request):
    rows = template_rows(fire_client, fire_request)
    assert [(r["indicator"], r["period"]) for r in rows] == [
        ("false-alarms", "2016-01"),
        ("false-alarms", "2016-02"),
        ("false-alarms", "2016-03"),
        ("fires", "2016-01"),
        ("fires", "2016-02"),
        ("fires", "2016-03"),
    ]
    assert {r["organisation"] for r in rows} == {"Test Fire"}
    assert rows[0]["period_name"] == "January 2016" and rows[0]["value"] == ""


def test_the_xlsx_template_has_data_and_guidance(fire_client, fire_request):
    url = reverse("data_request_template", args=[fire_request.pk, "xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(fire_client.get(url).content))
    assert book.sheetnames == ["Data", "Guidance"]
    assert book["Data"].max_row == 7
    guidance = [row[0] for row in book["Guidance"].iter_rows(values_only=True)]
    assert "Count incidents by the month of the call." in guidance


# Upload, preview, confirm ------------------------------------------------------------------


def test_upload_shows_a_preview_and_stores_nothing_until_confirmed(fire_client, fire_request):
    before = stored()
    preview = upload(
        fire_client, fire_request, filled_csv(template_rows(fire_client, fire_request))
    )
    assert preview.status_code == 200
    assert "Check your figures" in preview.content.decode()
    assert len(preview.context["preview"]) == 6
    assert stored() == before

    response = confirm(fire_client, fire_request, preview)
    assert response.status_code == 302
    data_return = DataReturn.objects.get()
    assert data_return.uploaded_by.username == "fire"
    assert data_return.original_name == "return.csv"
    assert data_return.file.read().startswith(b"request,organisation")
    assert data_return.batch.key == f"data-return:{fire_request.pk}"
    values = dict(
        Observation.objects.filter(indicator__code="fires").values_list("period_start", "value")
    )
    assert values == {
        dt.date(2016, 1, 1): Decimal(13),
        dt.date(2016, 2, 1): Decimal(14),
        dt.date(2016, 3, 1): Decimal(15),
    }
    page = fire_client.get(fire_request.get_absolute_url()).content.decode()
    assert "Received" in page and "return.csv" in page


def test_an_xlsx_return_is_read_like_a_csv(fire_client, fire_request):
    rows = template_rows(fire_client, fire_request)
    preview = upload(fire_client, fire_request, filled_xlsx(rows), "return.xlsx")
    assert preview.status_code == 200, preview.context.get("file_errors")
    confirm(fire_client, fire_request, preview)
    assert Observation.objects.count() == 6


def test_a_later_return_replaces_the_earlier_one_and_keeps_its_file(fire_client, fire_request):
    rows = template_rows(fire_client, fire_request)
    confirm(fire_client, fire_request, upload(fire_client, fire_request, filled_csv(rows)))
    second = filled_csv(rows, {n: 100 + n for n in range(6)})
    confirm(fire_client, fire_request, upload(fire_client, fire_request, second, "fixed.csv"))
    assert sorted(o.value for o in Observation.objects.all()) == list(range(100, 106))
    first, latest = DataReturn.objects.order_by("pk")
    assert first.replaced_by == latest and latest.replaced_by is None
    assert first.file.read().startswith(b"request")
    assert ImportBatch.objects.filter(key=f"data-return:{fire_request.pk}").count() == 2
    assert first.batch.superseded_by == latest.batch


def test_a_return_replaces_figures_loaded_another_way(fire_client, fire_request, area):
    fires = fire_request.indicators.get(code="fires")
    ObservationFactory(indicator=fires, geography=area, period_start=dt.date(2016, 1, 1), value=7)
    rows = template_rows(fire_client, fire_request)
    confirm(fire_client, fire_request, upload(fire_client, fire_request, filled_csv(rows)))
    assert Observation.objects.get(indicator=fires, period_start=dt.date(2016, 1, 1)).value == 13


def test_changes_beyond_half_from_a_year_before_are_flagged(fire_client, fire_request, area):
    fires = fire_request.indicators.get(code="fires")
    for month, value in ((1, 10), (2, 13)):
        ObservationFactory(
            indicator=fires, geography=area, period_start=dt.date(2015, month, 1), value=value
        )
    preview = upload(
        fire_client, fire_request, filled_csv(template_rows(fire_client, fire_request))
    )
    by_month = {
        item.row.period.start.month: item
        for item in preview.context["preview"]
        if item.row.indicator == fires
    }
    assert (by_month[1].change, by_month[1].flagged) == (Decimal("30.0"), False)  # 13 vs 10
    assert (by_month[2].change, by_month[2].flagged) == (Decimal("7.7"), False)  # 14 vs 13
    assert by_month[3].last_year is None
    flagged = upload(
        fire_client, fire_request, filled_csv(template_rows(fire_client, fire_request), {3: 16})
    )
    item = next(i for i in flagged.context["preview"] if i.row.indicator == fires)
    assert (item.change, item.flagged) == (Decimal("60.0"), True)
    assert "Check" in flagged.content.decode()


def test_a_confirmation_is_tied_to_its_uploader(fire_client, fire_request, fire_org, partnership):
    preview = upload(
        fire_client, fire_request, filled_csv(template_rows(fire_client, fire_request))
    )
    token = preview.context["confirm_form"]["token"].value()
    colleague = member(partnership, "partner", username="colleague", organisation=fire_org)
    fire_client.force_login(colleague)
    url = reverse("data_return_confirm", args=[fire_request.pk])
    response = fire_client.post(url, {"token": token})
    assert response.status_code == 400
    assert "The upload has expired" in response.content.decode()
    assert Observation.objects.count() == 0


# Bad input: a clear message, nothing stored ------------------------------------------------


def _rows_with(rows, number, **changes):
    return [{**row, **changes} if i == number else row for i, row in enumerate(rows)]


def _xlsx_with_macros(rows) -> bytes:
    data = io.BytesIO(filled_xlsx(rows))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"VBA")
    return data.getvalue()


BAD_FILES = {
    "wrong template (columns)": (
        lambda rows: filled_csv(
            [{"code": r["indicator"], "month": r["period"], "value": ""} for r in rows]
        ),
        "return.csv",
        "This is not the template of this request",
    ),
    "wrong template (another request)": (
        lambda rows: filled_csv(_rows_with(rows, 0, request="DR999")),
        "return.csv",
        "Row 2: the row is from the template of another request (DR999)",
    ),
    "wrong organisation": (
        lambda rows: filled_csv(_rows_with(rows, 1, organisation="Test Police")),
        "return.csv",
        "Row 3: the row is for “Test Police”, but this request is for Test Fire",
    ),
    "extra row": (
        lambda rows: filled_csv([*rows, {**rows[0], "period": "2016-04"}]),
        "return.csv",
        "Row 8: this request does not ask for the period “2016-04”: an extra row",
    ),
    "missing rows": (
        lambda rows: filled_csv(rows[:4]),
        "return.csv",
        "2 rows of the template are missing: Fires, Testville, February 2016",
    ),
    "text in a number cell": (
        lambda rows: filled_csv(rows, {2: "about 40"}),
        "return.csv",
        "Row 4: Enter a number, not “about 40”",
    ),
    "empty value": (
        lambda rows: filled_csv(rows, {0: ""}),
        "return.csv",
        "Row 2: enter the value of False alarms, January 2016",
    ),
    "negative count": (
        lambda rows: filled_csv(rows, {5: -3}),
        "return.csv",
        "Row 7: Fires is a count and cannot be negative",
    ),
    "duplicate row": (
        lambda rows: filled_csv([*rows, rows[3]]),
        "return.csv",
        "Row 8: this row repeats row 5",
    ),
    "formula": (
        lambda rows: filled_csv(rows, {1: "=SUM(A1:A9)"}),
        "return.csv",
        "Row 3, cell I3: “=SUM(A1:A9)”. Files may hold values only",
    ),
    "macro-enabled workbook": (
        lambda rows: filled_xlsx(rows),
        "return.xlsm",
        "The workbook is macro-enabled (.xlsm)",
    ),
    "broken workbook": (lambda rows: b"PK not a zip", "return.xlsx", "not an XLSX workbook"),
    "macros inside an xlsx": (_xlsx_with_macros, "return.xlsx", "The workbook contains macros"),
    "not a spreadsheet": (
        lambda rows: b"%PDF-1.7",
        "return.pdf",
        "Upload the template as a CSV (.csv) or Excel (.xlsx) file",
    ),
    "no rows": (
        lambda rows: filled_csv(rows).splitlines()[0],
        "return.csv",
        "The file has no rows",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_are_explained_and_store_nothing(fire_client, fire_request, case, settings):
    make, name, message = BAD_FILES[case]
    before = stored()
    response = upload(
        fire_client, fire_request, make(template_rows(fire_client, fire_request)), name
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing has been stored" in page
    assert message in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert stored() == before
    assert not (settings.MEDIA_ROOT / PENDING).exists()


def test_an_oversized_file_is_refused_before_reading(fire_client, fire_request, settings):
    settings.IMPORT_MAX_BYTES = 200
    rows = template_rows(fire_client, fire_request)
    response = upload(fire_client, fire_request, filled_csv(rows))
    assert response.status_code == 400
    assert "files up to 200 bytes can be imported" in response.content.decode()
    assert Observation.objects.count() == DataReturn.objects.count() == 0


def test_a_zip_bomb_is_refused_before_opening(fire_client, fire_request, settings):
    settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = 5_000
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 1_000_000)
    response = upload(fire_client, fire_request, data.getvalue(), "return.xlsx")
    assert response.status_code == 400
    assert "The workbook would expand to 976.6 KB" in response.content.decode()
    assert Observation.objects.count() == DataReturn.objects.count() == 0


def test_too_many_rows_are_refused(fire_client, fire_request, settings):
    settings.IMPORT_MAX_ROWS = 3
    response = upload(
        fire_client, fire_request, filled_csv(template_rows(fire_client, fire_request))
    )
    assert response.status_code == 400
    assert "more than 3 rows" in response.content.decode()


def test_no_file_chosen_re_renders_the_form(fire_client, fire_request):
    response = fire_client.post(reverse("data_return_upload", args=[fire_request.pk]))
    assert "Choose the completed template to upload" in response.content.decode()


# Permissions -------------------------------------------------------------------------------


def _partner_urls(request):
    return [
        ("get", reverse("data_request", args=[request.pk])),
        ("get", reverse("data_request_template", args=[request.pk, "csv"])),
        ("get", reverse("data_request_template", args=[request.pk, "xlsx"])),
        ("post", reverse("data_return_upload", args=[request.pk])),
        ("post", reverse("data_return_confirm", args=[request.pk])),
    ]


def test_another_organisation_cannot_see_download_or_upload(police_client, fire_request):
    for method, url in _partner_urls(fire_request):
        data = {"file": io.BytesIO(b"x")} if url.endswith("upload/") else {}
        assert getattr(police_client, method)(url, data).status_code == 404, url
    page = police_client.get(reverse("data_requests")).content.decode()
    assert fire_request.title not in page


def test_signed_out_visitors_are_sent_to_sign_in(client, fire_request):
    for method, url in _partner_urls(fire_request):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_tracking_page_is_the_analysts(client, fire_partner, other_analyst, fire_request):
    url = reverse("data_returns_tracking", args=["testmk", 2017])
    for user in (fire_partner, other_analyst):
        client.force_login(user)
        assert client.get(url).status_code == 404
    send = reverse("data_request_send", args=["testmk", 2017, fire_request.pk])
    assert client.post(send).status_code == 404


# Tracking, sending, correcting -------------------------------------------------------------


def test_the_matrix_shows_each_organisations_status(
    analyst_client, fire_request, police_org, django_assert_max_num_queries
):
    DataRequest.objects.create(
        assessment=fire_request.assessment,
        organisation=police_org,
        title="Domestic abuse by quarter",
        first_period_start=dt.date(2016, 4, 1),
        last_period_start=dt.date(2016, 4, 1),
        due_on=timezone.localdate() - dt.timedelta(days=1),
        sent_at=timezone.now(),
    )
    url = reverse("data_returns_tracking", args=["testmk", 2017])
    with django_assert_max_num_queries(12):
        response = analyst_client.get(url)
    titles, rows = response.context["titles"], response.context["rows"]
    assert titles == ["Domestic abuse by quarter", "Fire incidents by type, by month"]
    statuses = {org.name: [c.status if c else None for c in cells] for org, cells in rows}
    assert statuses == {"Test Fire": [None, "awaiting"], "Test Police": ["overdue", None]}


def test_sending_a_request_emails_its_contacts_with_the_link(
    analyst_client, fire_request, fire_partner, django_capture_on_commit_callbacks
):
    fire_request.sent_at = None
    fire_request.save()
    assert request_status(fire_request, None, timezone.localdate()) == "not_sent"
    url = reverse("data_request_send", args=["testmk", 2017, fire_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(url)
    fire_request.refresh_from_db()
    assert fire_request.sent_at is not None
    [email] = mail.outbox
    assert email.to == [fire_partner.email]
    assert f"/returns/{fire_request.pk}/" in email.body


def test_the_analyst_asks_for_a_correction(
    client, analyst, fire_partner, fire_request, django_capture_on_commit_callbacks
):
    client.force_login(fire_partner)
    rows = template_rows(client, fire_request)
    confirm(client, fire_request, upload(client, fire_request, filled_csv(rows)))
    client.force_login(analyst)
    url = reverse("data_return_correction", args=["testmk", 2017, fire_request.pk])
    assert "Say what needs correcting" in client.post(url, {"message": ""}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"message": "February looks doubled."})
    [email] = mail.outbox
    assert "February looks doubled." in email.body and email.to == [fire_partner.email]
    client.force_login(fire_partner)
    page = client.get(fire_request.get_absolute_url()).content.decode()
    assert "Needs correction" in page and "February looks doubled." in page


def test_requests_copy_to_next_year_a_year_on(fire_request, partnership):
    following = AssessmentFactory(partnership=partnership, year=2018)
    [copy] = data_requests_copy(requests=[fire_request], to_assessment=following)
    assert (copy.first_period_start, copy.last_period_start) == (
        dt.date(2017, 1, 1),
        dt.date(2017, 3, 1),
    )
    assert copy.sent_at is None and copy.copied_from == fire_request
    assert set(copy.indicators.values_list("code", flat=True)) == {"fires", "false-alarms"}
    assert data_requests_copy(requests=[fire_request], to_assessment=following) == []


# Reminders ---------------------------------------------------------------------------------


def test_reminders_go_only_to_those_who_owe_once_per_date(
    settings, assessment, area, fire_partner, police_partner, police_org, fire_org
):
    settings.DATA_RETURN_REMIND_DAYS_BEFORE = 7
    settings.DATA_RETURN_REMIND_DAYS_AFTER = 3
    today = dt.date(2017, 6, 10)
    council = OrganisationFactory(name="Test Council")
    council.partnerships.add(assessment.partnership)
    council_person = member(assessment.partnership, "partner", organisation=council)

    def request(organisation, title, due_on, sent=True):
        return DataRequest.objects.create(
            assessment=assessment,
            organisation=organisation,
            title=title,
            first_period_start=dt.date(2016, 1, 1),
            last_period_start=dt.date(2016, 1, 1),
            due_on=due_on,
            sent_at=timezone.now() if sent else None,
        )

    request(fire_org, "Due in a week", today + dt.timedelta(days=7))
    request(police_org, "Three days late", today - dt.timedelta(days=3))
    received = request(council, "Due in a week, received", today + dt.timedelta(days=7))
    DataReturn.objects.create(request=received, file="x.csv", original_name="x.csv")
    request(council, "Not sent yet", today + dt.timedelta(days=7), sent=False)
    request(council, "Due in two days", today + dt.timedelta(days=2))

    assert send_data_return_reminders(today=today) == 2
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == [
        (fire_partner.email, "Reminder"),
        (police_partner.email, "Overdue"),
    ]
    assert council_person.email not in {m.to[0] for m in mail.outbox}
    assert send_data_return_reminders(today=today) == 0
    assert DataRequestReminder.objects.count() == 2
    assert send_data_return_reminders(today=today + dt.timedelta(days=1)) == 0


# Demo --------------------------------------------------------------------------------------


def test_the_demo_asks_bfrs_for_fire_incidents_by_type_by_month(demo, client):
    from assessments.core.models import User

    request = DataRequest.objects.get(organisation__short_name="BFRS")
    assert request.title == "Fire incidents by type, by month"
    periods = request.periods()
    assert (periods[0].label, periods[-1].label, len(periods)) == (
        "January 2015",
        "December 2016",
        24,
    )
    assert request.indicators.count() == 4
    client.force_login(User.objects.get(username="fire"))
    assert reverse("data_requests") in client.get("/").content.decode()
    assert reverse("data_requests") in client.get(demo.get_absolute_url()).content.decode()
    page = client.get(reverse("data_requests")).content.decode()
    assert request.title in page and "Domestic abuse" not in page


def test_the_analyst_manages_requests_in_admin(analyst_client, fire_request, partnership):
    changelist = analyst_client.get(reverse("admin:assessments_datarequest_changelist"))
    assert fire_request.title in changelist.content.decode()
    change = analyst_client.get(
        reverse("admin:assessments_datarequest_change", args=[fire_request.pk])
    )
    assert reverse("data_returns_tracking", args=["testmk", 2017]) in change.content.decode()
    AssessmentFactory(partnership=partnership, year=2018)
    analyst_client.post(
        reverse("admin:assessments_datarequest_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [fire_request.pk]},
    )
    assert DataRequest.objects.filter(assessment__year=2018, title=fire_request.title).exists()


def test_another_partnerships_analyst_cannot_open_the_request_in_admin(
    client, other_analyst, fire_request
):
    client.force_login(other_analyst)
    url = reverse("admin:assessments_datarequest_change", args=[fire_request.pk])
    assert client.get(url).status_code in (302, 404)


def test_the_uploaded_file_goes_to_its_organisation_and_the_analyst_only(
    client, fire_partner, police_partner, analyst, other_analyst, fire_request
):
    client.force_login(fire_partner)
    data = filled_csv(template_rows(client, fire_request))
    confirm(client, fire_request, upload(client, fire_request, data))
    url = reverse("data_return_file", args=[DataReturn.objects.get().pk])
    for user, status in ((fire_partner, 200), (analyst, 200), (police_partner, 404),
                         (other_analyst, 404)):  # fmt: skip
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == data


def test_previews_never_confirmed_are_cleared_a_day_later(fire_client, fire_request, settings):
    import os
    import time

    data = filled_csv(template_rows(fire_client, fire_request))
    upload(fire_client, fire_request, data)
    [abandoned] = (settings.MEDIA_ROOT / PENDING).iterdir()
    day_old = time.time() - 25 * 3600
    os.utime(abandoned, (day_old, day_old))
    upload(fire_client, fire_request, data)
    folders = list((settings.MEDIA_ROOT / PENDING).iterdir())
    assert len(folders) == 1 and abandoned not in folders


@pytest.mark.parametrize(
    "written", ["2016-02", "2016-2", "2016-02-01", "02/2016", dt.datetime(2016, 2, 1)]
)
def test_a_month_is_read_however_a_spreadsheet_wrote_it(written):
    assert parse_period(written, "m").label == "February 2016"


def test_a_period_that_does_not_start_its_type_is_not_read():
    assert parse_period("2016-02", "q") is None
    assert parse_period("February 2016", "m") is None


def test_the_partners_list_takes_few_queries_however_many_requests(
    fire_client, fire_request, django_assert_max_num_queries
):
    for number in range(5):
        copy = DataRequest.objects.get(pk=fire_request.pk)
        copy.pk, copy.title = None, f"Request {number}"
        copy.save()
    with django_assert_max_num_queries(10):
        page = fire_client.get(reverse("data_requests")).content.decode()
    assert page.count("Awaiting") == 6
