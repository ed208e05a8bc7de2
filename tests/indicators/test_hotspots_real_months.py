"""Issue 34, first "done when": on real police.uk months imported with --lsoa-prefix "Milton
Keynes", `hotspots --json` gives each LSOA the count of the files' own rows (counted here with the
csv module, for two crime types over 2018-12..2019-02 and 2024-01..2024-03), and the grid's cells
add up to the same rows.

The months are the real rows of tests/data/police-uk/ (every Milton Keynes row of the six months
and a sample of the others, unchanged), imported once for the module."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import lzma
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum

from assessments.core.models import Partnership
from assessments.indicators.hotspot_analysis import Span, hotspot_analysis
from assessments.indicators.hotspots import HotspotQueryError
from assessments.indicators.models import GridCount
from assessments.indicators.police_uk import indicator_code

from ..factories import PartnershipFactory
from ..worlds import kept_for_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("hotspots_real_months")]

REAL_MONTHS = Path(__file__).resolve().parent.parent / "data" / "police-uk"
PREFIX = "Milton Keynes"
SPANS = [("2018-12", "2019-02"), ("2024-01", "2024-03")]
CRIME_TYPES = ["Burglary", "Violence and sexual offences"]


def real_rows() -> list[dict[str, str]]:
    rows = []
    for path in sorted(REAL_MONTHS.glob("*.csv.xz")):
        text = lzma.decompress(path.read_bytes()).decode("utf-8-sig")
        rows += csv.DictReader(io.StringIO(text, newline=""))
    return rows


def _import(folder: Path) -> list[dict[str, str]]:
    PartnershipFactory(slug="safermk", name="SaferMK", area_name="Somewhere else")
    paths = []
    for path in sorted(REAL_MONTHS.glob("*.csv.xz")):
        paths.append(folder / path.name.removesuffix(".xz"))
        paths[-1].write_bytes(lzma.decompress(path.read_bytes()))
    call_command(
        "import_police_uk", *map(str, paths), partnership="safermk", lsoa_prefix=PREFIX,
        stdout=io.StringIO(),
    )  # fmt: skip
    return real_rows()


@pytest.fixture(scope="module")
def rows(django_db_setup, django_db_blocker, tmp_path_factory):
    """The files' rows, read by the test itself; the same files imported once for the module."""
    folder = tmp_path_factory.mktemp("real-months")
    yield from kept_for_the_module(django_db_blocker, lambda: _import(folder))


def span(first: str, last: str) -> Span:
    return Span(*(dt.datetime.strptime(m, "%Y-%m").date() for m in (first, last)))


def in_area(row: dict[str, str]) -> bool:
    return row["LSOA name"].startswith(PREFIX + " ")


def hotspots(first: str, last: str, *crime_types: str) -> list[dict]:
    out = io.StringIO()
    types = [part for name in crime_types for part in ("--crime-type", name)]
    call_command("hotspots", "safermk", "--from", first, "--to", last, *types, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("first, last", SPANS)
@pytest.mark.parametrize("crime_type", CRIME_TYPES)
def test_each_lsoas_count_is_the_count_of_its_rows(rows, first, last, crime_type):
    expected = Counter(
        row["LSOA code"]
        for row in rows
        if in_area(row) and first <= row["Month"] <= last and row["Crime type"] == crime_type
    )
    listed = hotspots(first, last, crime_type)
    counts = {row["code"]: row["count"] for row in listed}
    # Every LSOA of both vintages is listed; those without a row in the span count 0.
    assert set(counts) == {row["LSOA code"] for row in rows if in_area(row)}
    assert {code: n for code, n in counts.items() if n} == dict(expected)
    assert sum(expected.values()) > 100
    assert [row["count"] for row in listed] == sorted(counts.values(), reverse=True)


@pytest.mark.parametrize("first, last", SPANS)
def test_two_crime_types_together_count_both(rows, first, last):
    expected = Counter(
        row["LSOA code"]
        for row in rows
        if in_area(row) and first <= row["Month"] <= last and row["Crime type"] in CRIME_TYPES
    )
    counts = {row["code"]: row["count"] for row in hotspots(first, last, *CRIME_TYPES)}
    assert {code: n for code, n in counts.items() if n} == dict(expected)


@pytest.mark.parametrize("first, last", SPANS)
@pytest.mark.parametrize("crime_type", CRIME_TYPES)
def test_the_grid_adds_up_to_the_lsoa_counts_of_the_same_rows(rows, first, last, crime_type):
    located = [
        row
        for row in rows
        if in_area(row) and first <= row["Month"] <= last and row["Crime type"] == crime_type
    ]
    assert all(row["Longitude"] and row["Latitude"] for row in located)  # all have coordinates
    on_grid = GridCount.objects.filter(
        indicator__code=indicator_code(crime_type),
        month__gte=f"{first}-01",
        month__lte=f"{last}-01",
        batch__superseded_by__isnull=True,
    ).aggregate(total=Sum("count"))["total"]
    listed = hotspots(first, last, crime_type)
    assert on_grid == sum(row["count"] for row in listed) == len(located)


def test_every_month_of_the_area_is_on_the_grid_in_milton_keynes(rows):
    # Milton Keynes lies within eastings 470 to 500 km and northings 225 to 260 km.
    cells = GridCount.objects.values_list("easting", "northing")
    assert cells.exists()
    assert all(470_000 <= e < 500_000 and 225_000 <= n < 260_000 for e, n in cells)
    by_month = Counter()
    for row in rows:
        if in_area(row):
            by_month[row["Month"]] += 1
    stored = GridCount.objects.values("month").annotate(total=Sum("count"))
    assert {f"{r['month']:%Y-%m}": r["total"] for r in stored} == dict(by_month)


def test_hotspots_are_not_compared_across_lsoa_vintages(rows):
    safermk = Partnership.objects.get(slug="safermk")
    with pytest.raises(HotspotQueryError, match="by 2011 LSOAs and January to March 2024 by"):
        hotspot_analysis(safermk.pk, span("2024-01", "2024-03"), span("2018-12", "2019-02"),
                         CRIME_TYPES)  # fmt: skip


def test_a_previous_period_never_imported_is_said_missing_not_of_another_vintage(rows):
    safermk = Partnership.objects.get(slug="safermk")
    result = hotspot_analysis(
        safermk.pk, span("2024-01", "2024-03"), span("2023-10", "2023-12"), CRIME_TYPES
    )
    assert result.vintage == 2021
    assert result.months_missing == [dt.date(2023, m, 1) for m in (10, 11, 12)]
    assert result.persistent == [] and result.declining == []
    assert len(result.emerging) >= result.decile_size


def test_the_share_in_the_top_tenth_is_that_of_the_rows(rows):
    safermk = Partnership.objects.get(slug="safermk")
    result = hotspot_analysis(
        safermk.pk, span("2024-03", "2024-03"), span("2024-01", "2024-02"), CRIME_TYPES
    )
    area = {row["LSOA code"] for row in rows if in_area(row) and row["Month"] >= "2024-01"}
    assert (result.vintage, result.lsoas, result.decile_size) == (2021, len(area), 17)
    march = Counter(
        row["LSOA code"]
        for row in rows
        if in_area(row) and row["Month"] == "2024-03" and row["Crime type"] in CRIME_TYPES
    )
    top = sum(n for _, n in march.most_common(17))
    assert result.total == sum(march.values())
    assert result.share_in_top_decile == round(Decimal(top * 100) / result.total, 1)
    assert len(result.persistent) + len(result.emerging) >= 17
    assert len(result.persistent) + len(result.declining) >= 17
