"""The demo's own LSOA boundaries (issue 34): Milton Keynes' 166 2021 LSOAs from the copy in
assessments/demo/data/, loaded as the SaferMK partnership's 2021 set, drawn as 166 paths with the
ONS attribution, nothing read from outside the repository."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest

from assessments.demo.boundaries import BOUNDARIES_2021, demo_boundaries_load
from assessments.indicators.hotspot_maps import boundary_map
from assessments.indicators.hotspots import LsoaCount, LsoaRanking, months_text
from assessments.indicators.models import LsoaBoundary

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def test_the_demo_copy_is_in_the_repository_and_small():
    assert BOUNDARIES_2021.is_file()
    assert BOUNDARIES_2021.stat().st_size < 150_000
    readme = (BOUNDARIES_2021.parent / "README.md").read_text()
    assert "Open Government Licence v.3.0" in readme
    assert "Contains OS data © Crown copyright and database right 2021" in readme


def test_the_demo_boundaries_load_again_and_draw_166_paths(demo):
    partnership = demo.partnership
    demo_boundaries_load(partnership)
    boundary_set = demo_boundaries_load(partnership)  # again: replaced, not doubled
    assert LsoaBoundary.objects.filter(boundary_set__partnership=partnership).count() == 166
    first = boundary_set.lsoas.order_by("code").first()
    # One LSOA of the partnership outside the boundaries, with 6 crimes.
    rows = [
        LsoaCount(first.code, first.name, 11, None, 1),
        LsoaCount("E01099999", "Elsewhere 001A", 6, None, 2),
    ]
    ranking = LsoaRanking(dt.date(2024, 1, 1), dt.date(2024, 3, 1), ("Burglary",), rows, [])
    drawn = boundary_map(boundary_set, ranking, title="Burglary by LSOA")
    root = ElementTree.fromstring(drawn.svg())
    assert len([p for p in root.iter(f"{SVG}path") if p.get("data-code")]) == 166
    text = " ".join(root.itertext())
    assert "Contains OS data © Crown copyright and database right 2021." in drawn.attribution
    assert "6 crimes fall in 1 LSOA the boundaries lack" in text
    assert "January to March 2024" in text


def test_months_are_written_as_a_span():
    assert (
        months_text(dt.date(2018, 12, 1), dt.date(2019, 2, 1)) == "December 2018 to February 2019"
    )
    assert months_text(dt.date(2024, 3, 1), dt.date(2024, 3, 1)) == "March 2024"
