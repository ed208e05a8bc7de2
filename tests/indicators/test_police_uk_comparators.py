"""police.uk comparators: the whole force and each district of the files, kept beside the area's
own LSOAs, replaced with the month's batch, and never counted as the area's."""

import pytest
from django.core.management import CommandError

from assessments.core.periods import Period
from assessments.indicators.models import Geography, ImportBatch, Observation
from assessments.indicators.police_uk import ALL_CRIME, indicator_code
from assessments.indicators.selectors import (
    batch_totals_by_indicator,
    indicator_totals_by_geography,
    indicator_value,
    indicators_by_code,
)

from ..factories import GeographyFactory
from ..police_uk_files import (
    FORCE,
    LSOAS,
    independent_count,
    independent_district_count,
    independent_force_count,
    police_uk_csv,
    police_uk_row,
    random_month,
    rows_without_lsoa,
)
from .test_police_uk import import_json, write

pytestmark = pytest.mark.django_db


def total(counts: dict) -> int:
    return sum(counts["crime_types"].values())


def test_force_counts_per_month_and_type_equal_a_count_of_every_row(tmp_path, partnership, area):
    january = police_uk_csv(random_month("2019-01", 700, seed=11))
    february = police_uk_csv(random_month("2019-02", 400, seed=12), crlf=True)
    summary = import_json(write(tmp_path, "a.csv", january), write(tmp_path, "b.csv", february))
    for month, data in (("2019-01", january), ("2019-02", february)):
        force = summary[month]["force"]
        assert {name: c["crime_types"] for name, c in force.items()} == (
            independent_force_count(data)
        )
        assert total(force[FORCE]) == summary[month]["rows_read"]
        asb = force[FORCE]["crime_types"].get("Anti-social behaviour", 0)
        assert force[FORCE]["all_crime_excluding_asb"] == total(force[FORCE]) - asb


def test_districts_and_rows_without_an_lsoa_add_up_to_the_force(tmp_path, partnership, area):
    data = police_uk_csv(random_month("2019-01", 800, seed=13))
    month = import_json(write(tmp_path, "a.csv", data))["2019-01"]
    districts = month["districts"]
    assert {name: c["crime_types"] for name, c in districts.items()} == (
        independent_district_count(data)
    )
    assert set(districts) == {"Testville", "Elsewhere", "Far Away Vale"}
    assert month["without_lsoa"] == rows_without_lsoa(data) > 0
    assert sum(total(d) for d in districts.values()) + month["without_lsoa"] == total(
        month["force"][FORCE]
    )
    # The area's own district is the area: the same rows, counted twice over as a comparator.
    assert districts["Testville"]["crime_types"] == month["crime_types"]


def test_comparators_are_geographies_of_their_own_level(tmp_path, partnership, area):
    rows = [
        police_uk_row("2019-01", LSOAS[0], "Burglary"),
        police_uk_row("2019-01", LSOAS[3], "Drugs"),
    ]
    rows.append(police_uk_row("2019-01", ("E01023456", "Dacorum 001A"), "Drugs"))  # a stray row
    import_json(write(tmp_path, "a.csv", police_uk_csv(rows)))
    places = Geography.objects.filter(partnership=partnership).exclude(level__in=["lsoa", "area"])
    assert sorted(places.values_list("level", "name", "code")) == [
        ("district", "Dacorum", "dacorum"),
        ("district", "Elsewhere", "elsewhere"),
        ("district", "Testville", "testville"),
        ("force", "Thames Valley Police", "thames-valley-police"),
    ]
    lsoas = Geography.objects.filter(partnership=partnership, level="lsoa")
    assert list(lsoas.values_list("code", flat=True)) == [LSOAS[0][0]]  # the area's only


def test_two_spellings_of_one_district_add_up(tmp_path, partnership, area):
    rows = [police_uk_row("2019-01", ("E01000001", "Stoke-on-Trent 001A"), "Drugs")] * 2
    rows += [police_uk_row("2019-01", ("E01000002", "Stoke on Trent 002A"), "Drugs")] * 3
    month = import_json(write(tmp_path, "a.csv", police_uk_csv(rows)))["2019-01"]
    assert month["districts"] == {
        "Stoke-on-Trent": {"crime_types": {"Drugs": 5}, "all_crime_excluding_asb": 5}
    }


def test_reimporting_replaces_the_comparators_too(tmp_path, partnership, area):
    first = police_uk_csv(random_month("2019-01", 300, seed=14))
    second = police_uk_csv(random_month("2019-01", 200, seed=15))
    import_json(write(tmp_path, "a.csv", first))
    summary = import_json(write(tmp_path, "b.csv", second))["2019-01"]
    assert total(summary["force"][FORCE]) == 200
    force = Geography.objects.get(level="force")
    all_crime = indicators_by_code(partnership.pk, [indicator_code(ALL_CRIME)])
    stored = Observation.objects.filter(geography=force, indicator__in=all_crime.values())
    assert [o.value for o in stored] == [summary["force"][FORCE]["all_crime_excluding_asb"]]
    current = ImportBatch.objects.get(key="police-uk:2019-01", superseded_by__isnull=True)
    assert not Observation.objects.exclude(batch=current).exists()


def test_a_failed_import_keeps_the_comparators_it_would_have_replaced(tmp_path, partnership, area):
    before = import_json(write(tmp_path, "a.csv", police_uk_csv(random_month("2019-01", 300, 16))))
    stored = sorted(Observation.objects.values_list("geography__name", "indicator__code", "value"))
    replacement = write(tmp_path, "b.csv", police_uk_csv(random_month("2019-01", 100, seed=17)))
    bad = write(tmp_path, "c.csv", police_uk_csv([police_uk_row("2019-01", LSOAS[0], "Arson")]))
    with pytest.raises(CommandError, match="unknown crime type 'Arson'"):
        import_json(replacement, bad)
    after = sorted(Observation.objects.values_list("geography__name", "indicator__code", "value"))
    assert after == stored
    assert total(before["2019-01"]["force"][FORCE]) == 300


def test_an_unknown_crime_type_outside_the_area_is_refused_too(tmp_path, partnership, area):
    bad = police_uk_csv([police_uk_row("2019-01", LSOAS[3], "Arson")])
    with pytest.raises(CommandError, match="line 2: unknown crime type 'Arson'"):
        import_json(write(tmp_path, "a.csv", bad))
    assert not Observation.objects.exists()


def test_a_row_naming_no_force_is_refused(tmp_path, partnership, area):
    row = police_uk_row("2019-01", LSOAS[0], "Drugs")
    row[2] = row[3] = ""
    with pytest.raises(CommandError, match="line 2: no force is named"):
        import_json(write(tmp_path, "a.csv", police_uk_csv([row])))


# The area's figures are the same with the comparators stored as without them.


@pytest.fixture
def with_and_without(tmp_path, partnership, area):
    """The area's figures read after importing a file, and what an independent count gives."""
    data = police_uk_csv(random_month("2019-01", 900, seed=18))
    summary = import_json(write(tmp_path, "a.csv", data))["2019-01"]
    assert Observation.objects.filter(geography__level__in=["force", "district"]).exists()
    return summary, independent_count(data, "Testville")


def test_the_area_summary_is_the_area_only(with_and_without):
    summary, expected = with_and_without
    assert summary["crime_types"] == expected
    assert summary["imported"] == sum(expected.values())


def test_batch_totals_are_the_area_only(with_and_without, partnership):
    _, expected = with_and_without
    batch = ImportBatch.objects.get(superseded_by__isnull=True)
    totals = batch_totals_by_indicator(batch)
    assert {code: int(v) for code, v in totals.items() if code != indicator_code(ALL_CRIME)} == {
        indicator_code(crime_type): count for crime_type, count in expected.items()
    }
    assert batch.row_count == sum(expected.values())


def test_the_area_and_its_estates_roll_up_from_its_lsoas_only(with_and_without, partnership, area):
    _, expected = with_and_without
    estate = GeographyFactory(partnership=partnership, level="estate", name="North", parent=area)
    Geography.objects.filter(level="lsoa").update(parent=estate)
    burglary = indicators_by_code(partnership.pk, [indicator_code("Burglary")])
    burglary = burglary[indicator_code("Burglary")]
    year = Period.financial_year(2018)
    assert indicator_value(burglary, area, year) == expected["Burglary"]
    assert indicator_value(burglary, estate, year) == expected["Burglary"]
    for level, place in (("area", area), ("estate", estate)):
        by_place = indicator_totals_by_geography([burglary], level, year)[burglary.pk]
        assert by_place == {place.pk: expected["Burglary"]}
