"""`manage.py hotspots SLUG --from YYYY-MM --to YYYY-MM --crime-type NAME [--json]` (issue 34):
every LSOA of the partnership in rank order, ties sharing a rank, counts over the months given."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.indicators.hotspots import demo_counts_in
from assessments.indicators.models import Geography, ImportBatch, Indicator
from assessments.indicators.police_uk import indicator_code

from ..factories import (
    GeographyFactory,
    ImportBatchFactory,
    IndicatorFactory,
    ObservationFactory,
)
from ..police_uk_files import LSOAS, police_uk_csv, police_uk_row
from .test_police_uk import import_json, write

pytestmark = pytest.mark.django_db

A, B, C = LSOAS[:3]  # Testville 001A, 001B, 002A


def hotspots(*crime_types, first="2019-01", last="2019-03", as_json=True) -> list | str:
    """The command as typed: --crime-type once per type, --json when asked."""
    out, err = io.StringIO(), io.StringIO()
    args = ["testmk", "--from", first, "--to", last]
    args += [part for name in crime_types for part in ("--crime-type", name)]
    args += ["--json"] if as_json else []
    call_command("hotspots", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()) if as_json else out.getvalue() + err.getvalue()


@pytest.fixture
def imported(tmp_path, partnership, area):
    """Three months: A has 3 burglaries and 1 drugs offence, B 2 burglaries and 2 drugs
    offences, C only anti-social behaviour; one burglary in A in April, outside most spans."""
    rows = [police_uk_row("2019-01", A, "Burglary", n) for n in range(2)]
    rows += [police_uk_row("2019-03", A, "Burglary", 2), police_uk_row("2019-02", A, "Drugs", 3)]
    rows += [police_uk_row("2019-02", B, "Burglary", n) for n in range(4, 6)]
    rows += [police_uk_row("2019-03", B, "Drugs", n) for n in range(6, 8)]
    rows += [police_uk_row("2019-01", C, "Anti-social behaviour", 8)]
    rows += [police_uk_row("2019-04", A, "Burglary", 9)]
    import_json(write(tmp_path, "a.csv", police_uk_csv(rows)))
    # An LSOA of the partnership without a single row in the files.
    GeographyFactory(partnership=partnership, level="lsoa", code="E01000001", name="Testville 009Z")
    return rows


def by_code(listed: list[dict]) -> dict[str, dict]:
    return {row["code"]: row for row in listed}


def test_every_lsoa_is_listed_in_rank_order_with_its_count(imported):
    listed = hotspots("Burglary")
    assert [(r["code"], r["count"], r["rank"]) for r in listed] == [
        (A[0], 3, 1),
        (B[0], 2, 2),
        (C[0], 0, 3),
        ("E01000001", 0, 3),
    ]
    assert {r["name"] for r in listed} == {A[1], B[1], C[1], "Testville 009Z"}
    assert set(listed[0]) == {"code", "name", "count", "rate_per_1000", "rank"}


def test_crime_types_add_up_and_ties_share_a_rank(imported):
    listed = by_code(hotspots("Burglary", "Drugs"))
    assert (listed[A[0]]["count"], listed[B[0]]["count"]) == (4, 4)
    assert listed[A[0]]["rank"] == listed[B[0]]["rank"] == 1
    assert listed[C[0]]["rank"] == 3  # after two tied first, the next is third


def test_the_months_are_inclusive(imported):
    assert by_code(hotspots("Burglary", first="2019-03", last="2019-03"))[A[0]]["count"] == 1
    assert by_code(hotspots("Burglary", first="2019-01", last="2019-04"))[A[0]]["count"] == 4
    rows = [r for r in imported if r[9] == "Burglary" and r[7] == A[0] and r[1] <= "2019-02"]
    assert by_code(hotspots("Burglary", last="2019-02"))[A[0]]["count"] == len(rows)


def test_a_rate_needs_a_population(imported, partnership):
    Geography.objects.filter(code=A[0]).update(population=1500)
    listed = by_code(hotspots("Burglary"))
    assert listed[A[0]]["rate_per_1000"] == 2.0  # 3 per 1,500 residents
    assert listed[B[0]]["rate_per_1000"] is None


def test_the_first_months_mid_year_estimate_wins_over_the_recorded_population(
    imported, partnership
):
    lsoa = Geography.objects.get(code=B[0])
    lsoa.population = 100
    lsoa.save()
    population = IndicatorFactory(partnership=partnership, is_population=True, code="pop")
    ObservationFactory(
        indicator=population, geography=lsoa, period_type="cy", value=800,
        period_start="2019-01-01",
    )  # fmt: skip
    assert by_code(hotspots("Burglary"))[B[0]]["rate_per_1000"] == 2.5  # 2 per 800


def test_from_after_to_is_an_error(imported):
    with pytest.raises(CommandError, match="after the last"):
        hotspots("Burglary", first="2019-03", last="2019-01")


@pytest.mark.parametrize(
    "crime_type, month, message",
    [
        ("Burglery", "2019-01", "'Burglery' is not a police.uk crime type"),
        ("Burglary", "2019-13", "'2019-13' is not a month"),
    ],
)
def test_a_wrong_crime_type_or_month_is_an_error(imported, crime_type, month, message):
    with pytest.raises(CommandError, match=message):
        hotspots(crime_type, first=month)


def test_the_table_is_readable_and_names_months_without_an_import(imported):
    text = hotspots("Burglary", "Drugs", last="2019-05", as_json=False)
    lines = text.splitlines()
    assert lines[0] == "Burglary, Drugs, January 2019 to May 2019 (police.uk): 9 in 4 LSOAs"
    assert lines[1].split() == ["Rank", "Code", "LSOA", "Count", "Per", "1,000"]
    first = lines[2].split()
    assert first[0] == "1" and first[1] in {A[0], B[0]}
    assert "No police.uk import for May 2019: its crimes are not counted." in lines


def test_an_unknown_partnership_is_an_error(imported):
    with pytest.raises(CommandError, match="No partnership"):
        call_command("hotspots", "nowhere", "--from=2019-01", "--to=2019-01", "--crime-type=Drugs")


def test_a_map_of_counts_the_demo_made_up_can_say_so(imported, partnership):
    """Imported police.uk files are not demo data; one demo count among the months and crime
    types counted is, and the map's note follows what it counts, nothing else."""
    months = (dt.date(2019, 1, 1), dt.date(2019, 3, 31))  # any day of the last month
    assert not demo_counts_in(partnership.pk, *months, ["Burglary", "Drugs"])
    demo = ImportBatchFactory(partnership=partnership, source=ImportBatch.Source.DEMO)
    ObservationFactory(
        indicator=Indicator.objects.get(code=indicator_code("Drugs")),
        batch=demo,
        geography=Geography.objects.get(code=C[0]),
        period_start=dt.date(2019, 3, 1),
        value=2,
    )
    assert demo_counts_in(partnership.pk, *months, ["Burglary", "Drugs"])
    assert demo_counts_in(partnership.pk, *months, ["Drugs"])
    assert not demo_counts_in(partnership.pk, *months, ["Burglary"])
    assert not demo_counts_in(partnership.pk, dt.date(2019, 1, 1), dt.date(2019, 2, 1), ["Drugs"])
    assert not demo_counts_in(partnership.pk + 1, *months, ["Drugs"])
