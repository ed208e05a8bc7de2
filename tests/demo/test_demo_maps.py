"""The demo's hotspot maps (issue 34): `load_demo` loads the 2021 boundary set, its made-up
police.uk counts sit on real LSOAs of that set (so a map shades them), the Crime chapter maps crime
types over 2016/17, and the counts are recognisable as demo data."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.demo import indicator_data
from assessments.demo.boundaries import lsoa_codes_2021
from assessments.demo.load import demo_load
from assessments.indicators.hotspots import demo_counts_in, lsoa_ranking
from assessments.indicators.models import (
    ChapterMap,
    Geography,
    LsoaBoundary,
    LsoaBoundarySet,
    Observation,
)
from assessments.indicators.police_uk import ASB, CRIME_TYPES

pytestmark = pytest.mark.django_db
APRIL_2016, MARCH_2017 = dt.date(2016, 4, 1), dt.date(2017, 3, 1)


def counted_lsoas(partnership):
    return Geography.objects.filter(
        partnership=partnership, level="lsoa", observations__isnull=False
    ).distinct()


def test_the_demo_loads_the_2021_boundaries_and_its_counts_fall_inside_them(demo):
    boundary_set = LsoaBoundarySet.objects.get(partnership=demo.partnership, vintage=2021)
    assert boundary_set.lsoas.count() == 166
    boundaries = dict(boundary_set.lsoas.values_list("code", "name"))
    lsoas = counted_lsoas(demo.partnership)
    assert lsoas.count() == 24  # three for each of the eight estates
    assert all(lsoa.code in boundaries for lsoa in lsoas)
    # Same name, same code, where the 2021 LSOAs have the name; the stand-in's code otherwise.
    for lsoa in lsoas:
        real_name = indicator_data.STAND_INS.get(lsoa.name, lsoa.name)
        assert boundaries[lsoa.code] == real_name
    assert Geography.objects.get(name="Milton Keynes 031A").code == "E01016711"
    assert Geography.objects.get(name="Milton Keynes 019A").code == "E01016726"  # 018A's
    # Every LSOA with a count is shaded: the ranking's counts all fall on boundaries.
    ranking = lsoa_ranking(demo.partnership.pk, APRIL_2016, MARCH_2017, ["Burglary"])
    assert ranking.total > 0
    assert sum(row.count for row in ranking.rows if row.code in boundaries) == ranking.total


def test_the_stand_ins_are_real_lsoas_the_demo_does_not_name():
    codes = lsoa_codes_2021()
    assert len(codes) == 166
    stand_ins = indicator_data.STAND_INS
    assert not set(stand_ins) & set(codes)  # only names the 2021 LSOAs lack
    assert set(stand_ins.values()) <= set(codes)
    assert len(set(stand_ins.values())) == len(stand_ins)
    named = {
        f"Milton Keynes {msoa:03d}{letter}"
        for msoa, _, _ in indicator_data.ESTATE_PROFILES.values()
        for letter, _ in indicator_data.LSOA_SHARES
    }
    assert not set(stand_ins.values()) & named
    # 2011 codes as well, so the hotspot analysis reads the demo as of one vintage.
    assert all(codes[name] < "E01033769" for name in stand_ins.values())


def test_the_crime_chapter_maps_every_crime_type_over_2016_17(demo):
    maps = {m.chapter.slug: m for m in ChapterMap.objects.filter(chapter__assessment=demo)}
    assert set(maps) == {"crime"}
    assert maps["crime"].crime_types == [t for t in CRIME_TYPES if t != ASB]
    assert {(m.first_month, m.last_month) for m in maps.values()} == {(APRIL_2016, MARCH_2017)}


def test_the_demo_counts_say_they_are_made_up(demo):
    for chapter_map in ChapterMap.objects.filter(chapter__assessment=demo):
        assert demo_counts_in(
            demo.partnership.pk,
            chapter_map.first_month,
            chapter_map.last_month,
            chapter_map.crime_types,
        )


@pytest.mark.slow(reason="loads the demo again")
def test_loading_again_over_the_invented_codes_leaves_only_the_real_ones(demo):
    """A database loaded before the demo LSOAs took real codes: its LSOAs go, their counts
    return on the real codes, the same figures, and nothing is doubled."""
    partnership = demo.partnership
    before = sorted(
        Observation.objects.filter(geography__level="lsoa").values_list(
            "geography__name", "indicator__code", "period_start", "value"
        )
    )
    for msoa, _, _ in indicator_data.ESTATE_PROFILES.values():
        for index, (letter, _) in enumerate(indicator_data.LSOA_SHARES):
            Geography.objects.filter(name=f"Milton Keynes {msoa:03d}{letter}").update(
                code=f"E01016{msoa * 3 + index:03d}"
            )
    assert not counted_lsoas(partnership).filter(code="E01016711").exists()
    demo_load()
    after = sorted(
        Observation.objects.filter(geography__level="lsoa").values_list(
            "geography__name", "indicator__code", "period_start", "value"
        )
    )
    assert after == before
    lsoas = Geography.objects.filter(partnership=partnership, level="lsoa")
    assert lsoas.count() == 24
    assert set(lsoas.values_list("code", flat=True)) <= set(lsoa_codes_2021().values())
    assert LsoaBoundary.objects.filter(boundary_set__partnership=partnership).count() == 166
    assert ChapterMap.objects.filter(chapter__assessment=demo).count() == 1


def test_a_demo_map_says_its_counts_are_made_up_and_misses_no_month(demo):
    from assessments.indicators.chapter_maps import chapter_map

    drawn = chapter_map(demo.chapters.get(slug="crime"), "chart-9")
    assert "Demo data: made-up counts spread over real LSOAs, not police.uk's." in drawn.notes
    assert not [note for note in drawn.notes if "No police.uk data" in note]
    assert drawn.headings[2] == "Previous period (April 2015 to March 2016)"
