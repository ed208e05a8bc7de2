"""Districts across a boundary change: a break without a mapping, one series with it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.core.periods import Period
from assessments.indicators.comparators import comparator_districts, district_series
from assessments.indicators.models import Geography
from assessments.indicators.police_uk import ALL_CRIME, indicator_code, police_uk_import
from assessments.indicators.selectors import indicators_by_code
from assessments.indicators.series import SeriesBook

from ..factories import GeographyFactory, IndicatorFactory, ObservationFactory
from ..police_uk_files import police_uk_csv, police_uk_row

pytestmark = pytest.mark.django_db

BEFORE, AFTER = Period.month(2019, 1), Period.month(2024, 1)


@pytest.fixture
def merger(partnership):
    """Two districts in 2019 (3 and 2 crimes) that are one in 2024 (7 crimes), as police.uk
    files name them; and the area's own district throughout."""
    GeographyFactory(partnership=partnership, code="E06000099", name="Testville")
    rows = [police_uk_row("2019-01", ("E01000001", "Oldshire 001A"), "Burglary")] * 3
    rows += [police_uk_row("2019-01", ("E01000002", "Otherby 001A"), "Drugs")] * 2
    rows += [police_uk_row("2024-01", ("E01000003", "Newshire 001A"), "Drugs")] * 7
    rows += [police_uk_row(month, ("E01000004", "Testville 001A"), "Drugs") for month in
             ("2019-01", "2024-01")]  # fmt: skip
    police_uk_import(partnership=partnership, files=[("a.csv", io.BytesIO(police_uk_csv(rows)))])
    return indicators_by_code(partnership.pk, [indicator_code(ALL_CRIME)])[
        indicator_code(ALL_CRIME)
    ]


def series_by_name(partnership, indicator):
    book = SeriesBook(partnership, [indicator], [BEFORE, AFTER])
    found = district_series(book, indicator, comparator_districts(partnership.pk), [BEFORE, AFTER])
    return {series.place.name: series for series in found}


def district(name):
    return Geography.objects.get(level="district", name=name)


def test_without_a_mapping_a_boundary_change_is_a_break(partnership, merger):
    series = series_by_name(partnership, merger)
    assert set(series) == {"Newshire", "Oldshire", "Otherby", "Testville"}
    assert series["Oldshire"].values == ((BEFORE, 3), (AFTER, None))
    assert series["Newshire"].values == ((BEFORE, None), (AFTER, 7))
    for name in ("Oldshire", "Otherby", "Newshire"):
        assert series[name].is_broken and not series[name].comparable(BEFORE, AFTER)
    assert series["Newshire"].missing == [BEFORE]
    assert series["Testville"].comparable(BEFORE, AFTER) and not series["Testville"].is_broken


def test_a_mapping_to_the_successor_makes_one_series_across_the_change(partnership, merger):
    Geography.objects.filter(name__in=["Oldshire", "Otherby"], level="district").update(
        successor=district("Newshire")
    )
    series = series_by_name(partnership, merger)
    assert set(series) == {"Newshire", "Testville"}
    newshire = series["Newshire"]
    assert [m.name for m in newshire.members] == ["Newshire", "Oldshire", "Otherby"]
    assert newshire.values == ((BEFORE, 5), (AFTER, 7))
    assert newshire.is_mapped and newshire.comparable(BEFORE, AFTER)


def test_a_chain_of_successors_ends_at_the_last(partnership, merger):
    Geography.objects.filter(name="Oldshire", level="district").update(
        successor=district("Otherby")
    )
    Geography.objects.filter(name="Otherby", level="district").update(
        successor=district("Newshire")
    )
    assert series_by_name(partnership, merger)["Newshire"].values == ((BEFORE, 5), (AFTER, 7))


def test_rates_of_merged_districts_are_never_added(partnership):
    rate = IndicatorFactory(partnership=partnership, measure="rate", aggregation="none")
    new = GeographyFactory(partnership=partnership, level="district", name="New")
    for name, value in (("Old", 20), ("Older", 30)):
        old = GeographyFactory(partnership=partnership, level="district", name=name, successor=new)
        ObservationFactory(indicator=rate, geography=old, period_start=BEFORE.start, value=value)
    ObservationFactory(indicator=rate, geography=new, period_start=AFTER.start, value=25)
    assert series_by_name(partnership, rate)["New"].values == ((BEFORE, None), (AFTER, 25))


def test_the_series_are_read_from_the_pages_book_in_constant_queries(
    partnership, merger, django_assert_num_queries
):
    book = SeriesBook(partnership, [merger], [BEFORE, AFTER])
    districts = list(comparator_districts(partnership.pk))
    with django_assert_num_queries(8):  # the book's own load, whatever the number of districts
        district_series(book, merger, districts, [BEFORE, AFTER])


@pytest.mark.parametrize(
    "level, successor_level, other, message",
    [
        ("estate", "district", False, "Only a district can have a successor district."),
        ("district", "force", False, "Only a district can have a successor district."),
        ("district", "district", True, "Choose a district of the same partnership."),
    ],
)
def test_only_a_district_of_the_same_partnership_succeeds_a_district(
    partnership, other_partnership, level, successor_level, other, message
):
    successor = GeographyFactory(
        partnership=other_partnership if other else partnership, level=successor_level
    )
    place = Geography(partnership=partnership, level=level, code="x", name="X", successor=successor)
    with pytest.raises(ValidationError, match=message):
        place.clean()


def test_a_district_cannot_succeed_itself(partnership):
    first = GeographyFactory(partnership=partnership, level="district")
    second = GeographyFactory(partnership=partnership, level="district", successor=first)
    first.successor = second
    with pytest.raises(ValidationError, match="cannot succeed itself"):
        first.clean()


def test_the_analyst_maps_a_district_in_the_geography_admin(
    analyst_client, partnership, other_partnership
):
    old = GeographyFactory(partnership=partnership, level="district", name="Aylesbury Vale")
    new = GeographyFactory(partnership=partnership, level="district", name="Buckinghamshire")
    GeographyFactory(partnership=partnership, level="force", name="Thames Valley Police")
    GeographyFactory(partnership=other_partnership, level="district", name="Elsewhere District")
    url = reverse("admin:assessments_geography_change", args=[old.pk])
    form = analyst_client.get(url).context["adminform"].form
    choices = [str(choice) for choice in form.fields["successor"].queryset]
    assert choices == ["Aylesbury Vale", "Buckinghamshire"]
    fields = {
        "level": "district",
        "code": old.code,
        "name": old.name,
        "partnership": partnership.pk,
    }
    response = analyst_client.post(url, {**fields, "successor": new.pk})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.successor == new
