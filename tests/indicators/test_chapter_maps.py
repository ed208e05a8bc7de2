"""Issue 34: a chapter's hotspot map on its page, from real police.uk months and the real Milton
Keynes boundaries. A chapter is public, so its map is the public one for everyone: every boundary
LSOA is one path carrying its code, shaded by its `hotspots --json` count under the legend's
breaks, or as "fewer than 5" (or withheld) where small; the 2011 set draws its 73 LSOAs and says
how many crimes fall in the 79 it lacks; the top areas come as a table and a CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from assessments.core.models import Role
from assessments.indicators.hotspot_analysis import is_2021_only
from assessments.indicators.models import ChapterMap

from ..factories import AssessmentFactory, ChapterFactory, member
from ..real_data import hotspot_counts as hotspots
from ..real_data import import_real_months, load_real_boundaries
from ..worlds import kept_for_the_module

pytestmark = [pytest.mark.django_db]

SVG = "{http://www.w3.org/2000/svg}"
BURGLARY = ["Burglary"]


def _world(folder: Path) -> dict:
    assessment = AssessmentFactory(
        partnership__slug="safermk", partnership__area_name="Elsewhere", status="consultation"
    )
    partnership = assessment.partnership
    import_real_months(partnership, folder)
    load_real_boundaries(partnership, 2011)
    load_real_boundaries(partnership, 2021)
    now = ChapterFactory(assessment=assessment, slug="burglary", title="Burglary")
    ChapterMap.objects.create(
        chapter=now, crime_types=BURGLARY,
        first_month=dt.date(2024, 1, 1), last_month=dt.date(2024, 3, 1),
    )  # fmt: skip
    then = ChapterFactory(assessment=assessment, slug="then", title="Violence then")
    ChapterMap.objects.create(
        chapter=then, crime_types=["Violence and sexual offences"],
        first_month=dt.date(2018, 12, 1), last_month=dt.date(2019, 2, 1),
    )  # fmt: skip
    return {
        "now": now,
        "then": then,
        "partner": member(partnership, Role.PARTNER),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("chapter-maps")
    yield from kept_for_the_module(django_db_blocker, lambda: _world(folder))


def the_map(html: str) -> ElementTree.Element:
    """The page's wide drawing of the map (the first SVG whose class names a map)."""
    found = re.search(r'<svg[^>]*class="app-chart app-map"[^>]*>.*?</svg>', html, re.S)
    assert found, "no map on the page"
    return ElementTree.fromstring(found[0])


def classes_of_legend(svg: ElementTree.Element) -> dict[str, str]:
    return {
        rect.get("class").removeprefix("app-map-key-"): rect.get("fill")
        for rect in svg.iter(f"{SVG}rect")
        if (rect.get("class") or "").startswith("app-map-key-")
    }


def test_the_chapter_page_shows_a_partner_each_lsoa_shaded_by_its_count(client, world):
    client.force_login(world["partner"])
    page = client.get(world["now"].get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    svg = the_map(html)
    paths = {p.get("data-code"): p for p in svg.iter(f"{SVG}path") if p.get("data-code")}
    assert len(paths) == 166
    counts = hotspots("2024-01", "2024-03", BURGLARY)
    # Breaks read back from the legend's labels: "3 to 7" gives (3, 7).
    texts = [t.text or "" for t in svg.iter(f"{SVG}text")]
    figure = html[html.index('<figure class="app-chart-figure') :]
    figure = figure[: figure.index("</figure>")]
    caption = figure[figure.rindex("</svg>") :]
    assert "Source: data.police.uk (Home Office)" in caption  # police.uk's attribution
    assert "database right 2021" in caption  # the boundaries'
    assert "quantiles of the non-zero shown values" in " ".join(texts)
    kinds = {}
    for code, path in paths.items():
        key = path.get("class").split("app-map-")[-1]
        count = counts.get(code, 0)
        if count == 0:
            assert key == "zero", code
        elif count < 5:
            assert key in ("fewer", "withheld"), code
        else:
            kinds[code] = key
    assert len(kinds) >= 10
    legend = classes_of_legend(svg)
    assert {key for key in kinds.values()} <= set(legend) | {"withheld"}
    # Each shaded LSOA's class holds its count: counts rise from class to class.
    highest = {}
    for code, key in kinds.items():
        if key.startswith("c"):
            highest.setdefault(key, []).append(counts[code])
    ordered = sorted(highest, key=lambda k: int(k[1:]))
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        assert max(highest[lower]) < min(highest[upper])
    assert (
        "Figures for “Burglary by neighbourhood (LSOA), January to March 2024” as a table" in html
    )


def test_the_maps_csv_link_on_the_page_gives_every_lsoa_drawn(client, world):
    client.force_login(world["partner"])
    html = client.get(world["now"].get_absolute_url()).content.decode()
    link = re.search(r'href="([^"]+)" download>Download the figures for “Burglary by neighb', html)
    response = client.get(link[1].replace("&amp;", "&"))
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][:2] == ["Area (LSOA)", "Number of crimes"]
    assert len([line for line in lines[1:] if line and line[0].startswith("Milton Keynes")]) == 166


def test_a_public_map_says_no_count_under_five(world):
    from assessments.indicators.chapter_maps import chapter_map

    drawn = chapter_map(world["now"], "chart-1")
    shown = drawn.svg() + drawn.description + drawn.csv() + str(drawn.rows)
    for small in ("1", "2", "3", "4"):
        assert not re.search(rf"\({small} crimes?\)|: {small}<|\b{small} burglar", shown)
    assert "fewer than 5" in drawn.svg()


def test_the_table_lists_the_top_ten_areas_with_the_previous_period(world):
    from assessments.indicators.chapter_maps import chapter_map

    drawn = chapter_map(world["now"], "chart-1")
    assert drawn.headings == [
        "Area (LSOA)", "Number of crimes", "Previous period (October to December 2023)",
        "Change", "Per 1,000 residents",
    ]  # fmt: skip
    counts = hotspots("2024-01", "2024-03", BURGLARY)
    rows = drawn.rows
    assert len(rows) == 10
    listed = [int(points[0].value) for _, points in rows]
    assert listed == sorted(counts.values(), reverse=True)[:10]
    # No police.uk data for October to December 2023 was imported: the map says so.
    assert any(
        "No police.uk data imported for October to December 2023" in note for note in drawn.notes
    )
    lines = list(csv.reader(io.StringIO(drawn.csv())))
    assert lines[0][0] == "Area (LSOA)"
    assert len([line for line in lines[1:] if line and line[0].startswith("Milton Keynes")]) == 166


def test_the_2011_set_draws_its_73_lsoas_and_counts_the_crimes_of_the_79_it_lacks(client, world):
    client.force_login(world["partner"])
    html = client.get(world["then"].get_absolute_url()).content.decode()
    svg = the_map(html)
    assert len([p for p in svg.iter(f"{SVG}path") if p.get("data-code")]) == 73
    counts = hotspots("2018-12", "2019-02", ["Violence and sexual offences"])
    drawn = {p.get("data-code") for p in svg.iter(f"{SVG}path") if p.get("data-code")}
    lacking = {c: n for c, n in counts.items() if c not in drawn and not is_2021_only(c)}
    assert len(lacking) == 79
    said = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert f"{sum(lacking.values()):,} crimes fall in 79 LSOAs the boundaries lack" in " ".join(
        said.split()
    )
