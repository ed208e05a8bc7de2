"""Admin table imports and exports: all or nothing, clear errors, limits, formula-safe output."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from assessments.indicators.models import Geography, ImportBatch, Indicator, Observation

from ..factories import GeographyFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

OBSERVATION_HEADER = "partnership,indicator,geography,period_type,period_start,value\n"


@pytest.fixture
def places(partnership):
    area = GeographyFactory(partnership=partnership, code="E06000099", name="Testville")
    IndicatorFactory(partnership=partnership, code="burglary", name="Burglary")
    return area


def upload(client, model: str, name: str, data: bytes, format_index: int = 0):
    """The analyst's first step in admin: upload, and see the dry-run preview or the errors."""
    url = reverse(f"admin:assessments_{model}_import")
    file = io.BytesIO(data)
    file.name = name
    return client.post(url, {"resource": 0, "format": format_index, "import_file": file})


def confirm(client, model: str, preview):
    form = preview.context["confirm_form"]
    url = reverse(f"admin:assessments_{model}_process_import")
    return client.post(url, {name: form[name].value() for name in form.fields})


def text(response) -> str:
    return response.content.decode()


def snapshot():
    return (Observation.objects.count(), ImportBatch.objects.count(), Indicator.objects.count(),
            Geography.objects.count())  # fmt: skip


def test_a_good_observation_file_previews_then_imports_as_one_batch(analyst_client, places):
    data = (OBSERVATION_HEADER + "testmk,burglary,E06000099,m,2019-01-01,12\n"
            "testmk,burglary,E06000099,m,2019-02-01,7\n").encode()  # fmt: skip
    preview = upload(analyst_client, "observation", "obs.csv", data)
    assert preview.status_code == 200 and "confirm_form" in preview.context
    assert not Observation.objects.exists()  # the preview is a dry run
    done = confirm(analyst_client, "observation", preview)
    assert done.status_code == 302
    assert sorted(Observation.objects.values_list("value", flat=True)) == [7, 12]
    batch = ImportBatch.objects.get()
    assert batch.source == "admin" and batch.row_count == 2 and batch.file_name == "obs.csv"


@pytest.mark.parametrize(
    "body, message",
    [
        ("partnership,indicator,place,value\ntestmk,burglary,E06000099,1\n",
         "missing column geography, period_type, period_start; unknown column place"),
        (OBSERVATION_HEADER + "testmk,burglary,E06000099,m,2019-01-01,12\n"
         "testmk,burglary,E06000099,m,2019-02-01,twelve\n", "Enter a number"),
        (OBSERVATION_HEADER + "testmk,burglary,E06000099,m,2019-01-01,12\n"
         "testmk,burglary,E06000099,m,2019-01-01,13\n", "This row repeats row 1"),
        (OBSERVATION_HEADER + "testmk,burglary,E06000099,m,2019-01-01,12\n"
         'testmk,burglary,E06000099,m,2019-02-01,"=HYPERLINK(""http://x"")"\n',
         "looks like a spreadsheet formula"),
    ],
    ids=["wrong-columns", "non-numeric", "duplicate-row", "formula"],
)  # fmt: skip
def test_bad_rows_are_named_and_nothing_is_saved(analyst_client, places, body, message):
    before = snapshot()
    preview = upload(analyst_client, "observation", "obs.csv", body.encode())
    page = text(preview)
    assert message in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "confirm_form" not in preview.context
    assert snapshot() == before


def test_a_row_error_names_the_row_and_column(analyst_client, places):
    body = OBSERVATION_HEADER + "testmk,burglary,E06000099,m,2019-01-01,12\n" \
        "testmk,burglary,E06000099,m,2019-02-01,twelve\n"  # fmt: skip
    preview = upload(analyst_client, "observation", "obs.csv", body.encode())
    invalid = preview.context["result"].invalid_rows
    assert [row.number for row in invalid] == [2]
    assert "value" in invalid[0].field_specific_errors


def test_an_import_into_another_partnership_is_refused(analyst_client, places, other_partnership):
    before = snapshot()
    body = "partnership,code,name,source\nelsewhere,theft,Theft,Police\n"
    preview = upload(analyst_client, "indicator", "ind.csv", body.encode())
    assert "you do not administer a partnership “elsewhere”" in text(preview)
    assert snapshot() == before


def test_an_oversized_csv_is_refused_before_reading(analyst_client, places, settings):
    settings.IMPORT_MAX_BYTES = 1_000
    before = snapshot()
    body = OBSERVATION_HEADER + "testmk,burglary,E06000099,m,2019-01-01,12\n" * 40
    preview = upload(analyst_client, "observation", "big.csv", body.encode())
    assert (
        "The file is 1.7 KB; files up to 1000 bytes can be imported. Split it into smaller "
        "files." in text(preview)
    )
    assert snapshot() == before


def test_too_many_rows_are_refused(analyst_client, places, settings):
    settings.IMPORT_MAX_ROWS = 3
    body = "".join(f"testmk,burglary,E06000099,m,2019-{m:02d}-01,1\n" for m in range(1, 6))
    preview = upload(
        analyst_client, "observation", "rows.csv", (OBSERVATION_HEADER + body).encode()
    )
    assert "more than 3 rows" in text(preview)
    assert not Observation.objects.exists()


def zip_bomb_xlsx() -> bytes:
    """A small valid-looking XLSX whose one member expands to 60 MB of zeros."""
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["partnership", "code", "name", "source"])
    book.save(out)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * 60_000_000)
    return out.getvalue()


def test_a_zip_bomb_xlsx_is_refused_before_it_is_opened(analyst_client, places):
    data = zip_bomb_xlsx()
    assert len(data) < 200_000
    before = snapshot()
    preview = upload(analyst_client, "indicator", "bomb.xlsx", data, format_index=1)
    assert "would expand to 57.2 MB when opened; workbooks up to 47.7 MB" in text(preview)
    assert snapshot() == before


def xlsx(rows) -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(out)
    return out.getvalue()


def test_an_xlsx_formula_cell_is_refused(analyst_client, places):
    data = xlsx([["partnership", "code", "name", "source"],
                 ["testmk", "theft", "=1+1", "Police"]])  # fmt: skip
    before = snapshot()
    preview = upload(analyst_client, "indicator", "f.xlsx", data, format_index=1)
    assert "looks like a spreadsheet formula" in text(preview)
    assert snapshot() == before


def test_an_xlsx_geography_lookup_imports(analyst_client, places):
    data = xlsx([["partnership", "level", "code", "name", "parent_code"],
                 ["testmk", "estate", "EST-N", "North", "E06000099"],
                 ["testmk", "lsoa", "E01000001", "Testville 001A", "EST-N"]])  # fmt: skip
    preview = upload(analyst_client, "geography", "lookup.xlsx", data, format_index=1)
    assert confirm(analyst_client, "geography", preview).status_code == 302
    lsoa = Geography.objects.get(code="E01000001")
    assert lsoa.parent.name == "North" and lsoa.parent.parent == places


def export_csv(client, model: str) -> list[list[str]]:
    url = reverse(f"admin:assessments_{model}_export")
    page = client.get(url)
    form = page.context["form"]
    ticked = {
        name: "on"
        for name, field in form.fields.items()
        if name not in ("format", "resource", "export_items")
    }
    response = client.post(url, {"format": 0, "resource": 0, **ticked})
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_exported_csv_cells_never_start_a_formula_but_numbers_stay_numbers(analyst_client, places):
    dangerous = ["=HYPERLINK(1)", "+SUM(A1)", "-2+3", "@cmd", "\tTab", "\rReturn"]
    for n, name in enumerate(dangerous):
        IndicatorFactory(partnership=places.partnership, code=f"x{n}", name=name)
    rows = export_csv(analyst_client, "indicator")
    cells = [cell for row in rows for cell in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert "'=HYPERLINK(1)" in cells and "'-2+3" in cells


def test_exported_negative_numbers_stay_numbers():
    from assessments.core.spreadsheet import neutralise

    assert neutralise("-3.5") == "-3.5"
    assert neutralise(-3.5) == -3.5
    assert neutralise("-1,234") == "-1,234"
    assert neutralise("-A1") == "'-A1"


def test_exported_observations_name_their_partnership_and_keep_numbers(analyst_client, places):
    body = OBSERVATION_HEADER + "testmk,burglary,E06000099,m,2019-01-01,-3.5\n"
    confirm(
        analyst_client, "observation", upload(analyst_client, "observation", "o.csv", body.encode())
    )
    rows = export_csv(analyst_client, "observation")
    assert rows[0][:3] == ["partnership", "indicator", "geography"]
    assert rows[1][:3] == ["testmk", "burglary", "E06000099"]
    assert rows[1][5] == "-3.5000"  # a number, not neutralised text


def test_an_indicator_import_asks_for_a_licence_the_source_does_not_imply(analyst_client, places):
    before = snapshot()
    body = "partnership,code,name,source\ntestmk,asb,ASB incidents,Testville Council\n"
    preview = upload(analyst_client, "indicator", "ind.csv", body.encode())
    assert "confirm_form" not in preview.context
    invalid = preview.context["result"].invalid_rows
    assert "licence" in invalid[0].field_specific_errors
    assert "Give the licence “Testville Council” publishes its figures under" in text(preview)
    assert snapshot() == before


def test_home_office_police_uk_and_ons_sources_default_to_the_ogl(analyst_client, places):
    body = (
        "partnership,code,name,source,licence\n"
        "testmk,robbery,Robbery,Home Office police recorded crime,\n"
        "testmk,population,Population,ONS mid-year population estimates,\n"
        "testmk,asb,ASB incidents,Testville Council,Testville Council open data licence\n"
    )
    preview = upload(analyst_client, "indicator", "ind.csv", body.encode())
    assert confirm(analyst_client, "indicator", preview).status_code == 302
    licences = dict(Indicator.objects.values_list("code", "licence"))
    assert licences["robbery"] == licences["population"] == "Open Government Licence v3.0"
    assert licences["asb"] == "Testville Council open data licence"


def test_the_admin_form_asks_for_the_licence_of_a_source_it_cannot_infer(
    analyst_client, partnership
):
    url = reverse("admin:assessments_indicator_add")
    form = {
        "partnership": partnership.pk,
        "code": "asb",
        "name": "ASB incidents",
        "unit": "incidents",
        "source": "Testville Council",
        "measure": "count",
        "aggregation": "sum",
        "licence": "",
    }
    refused = analyst_client.post(url, form)
    assert refused.status_code == 200
    assert "Give the licence “Testville Council” publishes its figures under" in text(refused)
    assert not Indicator.objects.filter(code="asb").exists()
    form |= {"code": "robbery", "source": "Home Office police recorded crime"}
    assert analyst_client.post(url, form).status_code == 302
    assert Indicator.objects.get(code="robbery").licence == "Open Government Licence v3.0"
