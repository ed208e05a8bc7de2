"""police.uk street-level import: counts per crime type, month and LSOA, batches per month."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.core.periods import Period, PeriodType
from assessments.indicators.models import Geography, ImportBatch, Observation
from assessments.indicators.police_uk import ALL_CRIME, indicator_code
from assessments.indicators.selectors import (
    indicator_totals_by_geography,
    indicator_value,
    indicators_by_code,
    police_uk_indicators_of,
)

from ..factories import GeographyFactory
from ..police_uk_files import (
    LSOAS,
    independent_count,
    independent_district_count,
    police_uk_csv,
    police_uk_row,
    random_month,
)

pytestmark = pytest.mark.django_db


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def import_json(*files, partnership="testmk", **options) -> dict:
    out = io.StringIO()
    call_command(
        "import_police_uk", *files, partnership=partnership, json=True, stdout=out, **options
    )
    return json.loads(out.getvalue())


def test_counts_per_crime_type_agree_with_an_independent_count(tmp_path, partnership, area):
    lf = police_uk_csv(random_month("2019-01", 600, seed=1))
    crlf = police_uk_csv(random_month("2019-02", 500, seed=2), crlf=True)
    summary = import_json(write(tmp_path, "a.csv", lf), write(tmp_path, "b.csv", crlf))
    assert summary["2019-01"]["crime_types"] == independent_count(lf, "Testville")
    assert summary["2019-02"]["crime_types"] == independent_count(crlf, "Testville")
    january = summary["2019-01"]
    assert january["rows_read"] == 600
    assert january["imported"] == sum(independent_count(lf, "Testville").values())
    assert january["rows_read"] == (
        january["imported"] + january["outside_area"] + january["without_lsoa"]
    )
    assert january["outside_area"] > 0 and january["without_lsoa"] > 0
    assert january["all_crime_excluding_asb"] == january["imported"] - january["crime_types"].get(
        "Anti-social behaviour", 0
    )


def test_the_prefix_defaults_to_the_area_name_and_can_be_given(tmp_path, partnership, area):
    data = police_uk_csv(random_month("2019-01", 200, seed=3))
    path = write(tmp_path, "a.csv", data)
    summary = import_json(path, lsoa_prefix="Elsewhere")
    assert summary["2019-01"]["crime_types"] == independent_count(data, "Elsewhere")


def test_reimporting_a_month_replaces_its_batch_without_doubling(tmp_path, partnership, area):
    path = write(tmp_path, "a.csv", police_uk_csv(random_month("2019-01", 300, seed=4)))
    first = import_json(path)
    count = Observation.objects.count()
    second = import_json(path)
    assert second == first
    assert Observation.objects.count() == count
    batches = ImportBatch.objects.filter(key="police-uk:2019-01")
    assert batches.count() == 2
    assert batches.filter(superseded_by__isnull=True).count() == 1


def test_counts_roll_up_from_lsoas_and_months_to_estates_area_and_quarters(
    tmp_path, partnership, area
):
    estate = GeographyFactory(partnership=partnership, level="estate", name="North", parent=area)
    rows = [police_uk_row("2019-01", LSOAS[0], "Burglary")] * 3
    rows += [police_uk_row("2019-02", LSOAS[1], "Burglary")] * 2
    rows += [police_uk_row("2019-02", LSOAS[2], "Anti-social behaviour")] * 4
    import_json(write(tmp_path, "a.csv", police_uk_csv(rows)))
    Geography.objects.filter(code__in=[LSOAS[0][0], LSOAS[1][0]]).update(parent=estate)
    burglary = indicators_by_code(partnership.pk, [indicator_code("Burglary")])
    burglary = burglary[indicator_code("Burglary")]
    quarter = Period(PeriodType.QUARTER, dt.date(2019, 1, 1))
    assert indicator_value(burglary, area, quarter) == 5
    assert indicator_value(burglary, estate, quarter) == 5
    assert indicator_value(burglary, area, Period.month(2019, 2)) == 2
    all_crime = indicators_by_code(partnership.pk, [indicator_code(ALL_CRIME)])
    totals = indicator_totals_by_geography(all_crime.values(), "lsoa", Period.financial_year(2018))
    by_name = {
        Geography.objects.get(pk=pk).name: v for pk, v in next(iter(totals.values())).items()
    }
    assert by_name == {"Testville 001A": 3, "Testville 001B": 2}


def test_a_file_with_the_wrong_columns_saves_nothing(tmp_path, partnership, area):
    good = write(tmp_path, "good.csv", police_uk_csv(random_month("2019-01", 50, seed=5)))
    bad = write(tmp_path, "bad.csv", b"Month,Crime type\n2019-01,Burglary\n")
    with pytest.raises(CommandError, match="bad.csv is not a police.uk street-level file"):
        import_json(good, bad)
    assert not Observation.objects.exists() and not ImportBatch.objects.exists()


def test_a_bad_month_names_the_file_and_line(tmp_path, partnership, area):
    rows = random_month("2019-01", 5, seed=6) + [police_uk_row("January", LSOAS[0], "Drugs")]
    path = write(tmp_path, "a.csv", police_uk_csv(rows))
    with pytest.raises(CommandError, match="a.csv, line 7: Month 'January'"):
        import_json(path)
    assert not Observation.objects.exists()


def test_an_unknown_partnership_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No partnership"):
        import_json(write(tmp_path, "a.csv", police_uk_csv([])), partnership="nowhere")


def upload_files(*named: tuple[str, bytes]):
    files = []
    for name, data in named:
        file = io.BytesIO(data)
        file.name = name
        files.append(file)
    return files


def test_the_admin_upload_previews_then_imports(analyst_client, partnership, area, settings):
    data = police_uk_csv(random_month("2019-01", 120, seed=7))
    url = reverse("admin:assessments_importbatch_police_uk")
    preview = analyst_client.post(
        url, {"partnership": partnership.pk, "files": upload_files(("jan.csv", data))}
    )
    assert preview.status_code == 200
    expected = independent_count(data, "Testville")
    assert preview.context["preview"]["2019-01"]["crime_types"] == expected
    assert "Rows per month" in preview.content.decode()
    districts = independent_district_count(data)
    testville = districts["Testville"]
    assert preview.context["preview"]["2019-01"]["districts"]["Testville"]["crime_types"] == (
        testville
    )
    crimes = sum(testville.values()) - testville.get("Anti-social behaviour", 0)
    shown = f'<th scope="row">Testville</th><td>{crimes}</td>'
    assert shown in preview.content.decode()
    assert not Observation.objects.exists()  # a preview saves nothing
    confirm = preview.context["confirm_form"]
    done = analyst_client.post(url, {name: confirm[name].value() for name in confirm.fields})
    assert done.status_code == 302
    batch = ImportBatch.objects.get(key="police-uk:2019-01")
    assert batch.imported_by.username == "analyst"
    assert batch.summary["crime_types"] == expected
    assert not any((settings.MEDIA_ROOT / "police-uk-uploads").iterdir())


def test_the_admin_upload_names_a_bad_file_and_saves_nothing(analyst_client, partnership, area):
    url = reverse("admin:assessments_importbatch_police_uk")
    page = analyst_client.post(
        url, {"partnership": partnership.pk, "files": upload_files(("x.csv", b"a,b\n1,2\n"))}
    )
    assert "x.csv is not a police.uk street-level file" in page.content.decode()
    assert "confirm_form" not in page.context
    assert not ImportBatch.objects.exists()


def test_an_analyst_cannot_import_into_another_partnership(
    analyst_client, partnership, other_partnership
):
    url = reverse("admin:assessments_importbatch_police_uk")
    data = police_uk_csv(random_month("2019-01", 20, seed=8))
    page = analyst_client.post(
        url, {"partnership": other_partnership.pk, "files": upload_files(("a.csv", data))}
    )
    assert "Select a valid choice" in page.content.decode()
    assert not ImportBatch.objects.exists()


def test_partners_cannot_reach_the_upload(client, police_partner):
    client.force_login(police_partner)
    response = client.get(reverse("admin:assessments_importbatch_police_uk"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_police_uk_indicators_can_be_listed_for_appendices(tmp_path, partnership, area):
    import_json(write(tmp_path, "a.csv", police_uk_csv(random_month("2019-01", 30, seed=9))))
    names = [i.name for i in police_uk_indicators_of(partnership.pk)]
    assert len(names) == 15 and "Burglary (police.uk)" in names
    assert f"{ALL_CRIME} (police.uk)" in names


def test_abandoned_previews_are_cleared_after_a_day(analyst_client, partnership, area, settings):
    import os
    import time

    old = settings.MEDIA_ROOT / "police-uk-uploads" / ("a" * 32)
    old.mkdir(parents=True)
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    data = police_uk_csv(random_month("2019-01", 10, seed=10))
    url = reverse("admin:assessments_importbatch_police_uk")
    analyst_client.post(
        url, {"partnership": partnership.pk, "files": upload_files(("a.csv", data))}
    )
    assert not old.exists()
    assert len(list((settings.MEDIA_ROOT / "police-uk-uploads").iterdir())) == 1  # the new one
