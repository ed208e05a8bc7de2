"""Comparator series through the admin's table import: national, force and district figures of
the area's own indicators, and population estimates, within the importer's partnership only."""

import pytest

from assessments.core.periods import Period
from assessments.indicators.models import Geography, Indicator, Observation
from assessments.indicators.selectors import indicator_value

from ..factories import GeographyFactory, IndicatorFactory, ObservationFactory
from .test_table_import import confirm, snapshot, text, upload

pytestmark = pytest.mark.django_db

HEADER = "partnership,indicator,geography,geography_level,geography_name,period_type,period_start,value\n"  # noqa: E501
YEAR = Period.financial_year(2016)


@pytest.fixture
def recorded_crime(partnership):
    GeographyFactory(partnership=partnership, code="E06000042", name="Milton Keynes")
    return IndicatorFactory(
        partnership=partnership,
        code="ho-all-crime",
        name="All crime (Home Office)",
        source="Home Office police recorded crime",
        licence="Open Government Licence v3.0",
    )


def import_table(client, body: str, model: str = "observation"):
    preview = upload(client, model, "table.csv", body.encode())
    assert "confirm_form" in preview.context, text(preview)
    return confirm(client, model, preview)


def test_a_national_series_comes_in_beside_the_area(analyst_client, partnership, recorded_crime):
    body = HEADER + (
        "testmk,ho-all-crime,E06000042,,,fy,2016-04-01,22512\n"
        "testmk,ho-all-crime,K04000001,national,England and Wales,fy,2016-04-01,4967810\n"
        "testmk,ho-all-crime,E23000029,force,Thames Valley,fy,2016-04-01,140011\n"
    )
    preview = upload(analyst_client, "observation", "table.csv", body.encode())
    assert not Geography.objects.filter(code="K04000001").exists()  # the preview saves nothing
    assert confirm(analyst_client, "observation", preview).status_code == 302
    national = Geography.objects.get(partnership=partnership, code="K04000001")
    assert (national.level, national.name) == ("national", "England and Wales")
    force = Geography.objects.get(partnership=partnership, code="E23000029")
    assert (force.level, force.name) == ("force", "Thames Valley")
    assert indicator_value(recorded_crime, national, YEAR) == 4967810
    assert indicator_value(recorded_crime, force, YEAR) == 140011
    area = Geography.objects.get(level="area")
    assert indicator_value(recorded_crime, area, YEAR) == 22512  # the area's own, unchanged


def test_a_second_series_for_a_known_comparator_reuses_it(
    analyst_client, partnership, recorded_crime
):
    row = "testmk,ho-all-crime,K04000001,national,England and Wales,fy,{}-04-01,{}\n"
    import_table(analyst_client, HEADER + row.format(2015, 4600000))
    import_table(analyst_client, HEADER + row.format(2016, 4967810))
    assert Geography.objects.filter(code="K04000001").count() == 1
    assert Observation.objects.filter(geography__code="K04000001").count() == 2


def test_population_estimates_import_for_the_area_and_its_comparators(analyst_client, partnership):
    GeographyFactory(partnership=partnership, code="E06000042", name="Milton Keynes")
    indicators = (
        "partnership,code,name,unit,source,measure,aggregation,licence,is_population\n"
        "testmk,population,Mid-year population,residents,ONS mid-year population estimates,"
        "count,none,Open Government Licence v3.0,1\n"
    )
    import_table(analyst_client, indicators, model="indicator")
    population = Indicator.objects.get(code="population")
    assert population.is_population and population.licence == "Open Government Licence v3.0"
    body = HEADER + (
        "testmk,population,E06000042,,,cy,2016-01-01,264479\n"
        "testmk,population,E23000029,force,Thames Valley,cy,2016-01-01,2374300\n"
        "testmk,population,oxford,district,Oxford,cy,2016-01-01,154600\n"
        "testmk,population,K04000001,national,England and Wales,cy,2016-01-01,58381200\n"
    )
    import_table(analyst_client, body)
    stored = Observation.objects.filter(indicator=population)
    assert sorted(stored.values_list("geography__level", "value")) == [
        ("area", 264479),
        ("district", 154600),
        ("force", 2374300),
        ("national", 58381200),
    ]


@pytest.mark.parametrize(
    "row, message",
    [
        ("testmk,ho-all-crime,E01099999,lsoa,Somewhere 001A,fy,2016-04-01,5",
         "No lsoa E01099999 in your partnership"),
        ("testmk,ho-all-crime,X1,county,Somewhere,fy,2016-04-01,5", "“county” is not a level"),
        ("testmk,ho-all-crime,K04000001,national,,fy,2016-04-01,5",
         "Name the new national or regional K04000001"),
    ],
    ids=["own-level-not-created", "unknown-level", "unnamed-place"],
)  # fmt: skip
def test_bad_comparator_rows_are_named_and_nothing_is_saved(
    analyst_client, recorded_crime, row, message
):
    before = snapshot()
    body = HEADER + "testmk,ho-all-crime,E06000042,,,fy,2016-04-01,22512\n" + row + "\n"
    preview = upload(analyst_client, "observation", "table.csv", body.encode())
    assert message in text(preview)
    assert "confirm_form" not in preview.context
    assert snapshot() == before


def test_another_partnerships_comparators_are_neither_created_nor_touched(
    analyst_client, partnership, other_partnership, recorded_crime
):
    theirs = IndicatorFactory(partnership=other_partnership, code="ho-all-crime")
    their_national = GeographyFactory(
        partnership=other_partnership, level="national", code="K04000001", name="E&W"
    )
    ObservationFactory(indicator=theirs, geography=their_national, value=1)
    before = snapshot()
    foreign = HEADER + "elsewhere,ho-all-crime,K04000002,national,England,fy,2016-04-01,5\n"
    preview = upload(analyst_client, "observation", "table.csv", foreign.encode())
    assert "you do not administer a partnership “elsewhere”" in text(preview)
    assert snapshot() == before
    # Their place's code, unqualified, is not found among the importer's own places.
    unqualified = HEADER + "testmk,ho-all-crime,K04000001,,,fy,2016-04-01,5\n"
    preview = upload(analyst_client, "observation", "table.csv", unqualified.encode())
    assert "No geography K04000001 in your partnerships" in text(preview)
    # Named as a national place, it becomes the importer's own; theirs is left as it was.
    import_table(analyst_client, HEADER + "testmk,ho-all-crime,K04000001,national,E and W,"
                                          "fy,2016-04-01,5\n")  # fmt: skip
    ours = Geography.objects.get(partnership=partnership, code="K04000001")
    assert ours.pk != their_national.pk and ours.name == "E and W"
    their_national.refresh_from_db()
    assert their_national.name == "E&W"
    assert list(Observation.objects.filter(geography=their_national).values_list("value")) == [(1,)]
