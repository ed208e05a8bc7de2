"""Maps as accessible SVG (issue 34): one path per boundary LSOA carrying its code, its class the
legend's class for its count, the crimes in LSOAs the boundaries lack said in words, the
attribution under the map, and on a public map no count under the threshold anywhere."""

from __future__ import annotations

import csv
import lzma
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest

from assessments.indicators.boundaries import read_boundaries
from assessments.indicators.maps import (
    AreaFigure,
    ChoroplethMap,
    GridMap,
    MapArea,
    class_of,
    quantile_classes,
)

SVG = "{http://www.w3.org/2000/svg}"
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2021."
)
BOUNDARIES = Path(__file__).resolve().parents[1] / "data/boundaries"  # tests/data/boundaries
REAL_2021 = BOUNDARIES / "milton-keynes-lsoa-2021.geojson"
DEMO_2021 = (
    Path(__file__).resolve().parents[2] / "assessments/demo/data/milton-keynes-lsoa-2021.geojson"
)


def square(west: int, south: int, metres: int = 1000) -> list:
    ring = [[west, south], [west + metres, south], [west + metres, south + metres],
            [west, south + metres], [west, south]]  # fmt: skip
    return [[ring]]


def areas(count: int) -> list[MapArea]:
    """Squares of 1 km in rows of four."""
    return [
        MapArea(f"E0101670{i}", f"Testville 00{i}A", square(485_000 + 1000 * (i % 4),
                                                             238_000 + 1000 * (i // 4)))
        for i in range(count)
    ]  # fmt: skip


def drawn(svg: str) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(svg)
    return {p.get("data-code"): p for p in root.iter(f"{SVG}path") if p.get("data-code")}


def a_map(figures, boundary_areas, **more) -> ChoroplethMap:
    return ChoroplethMap(
        title="Violence and sexual offences by LSOA",
        areas=boundary_areas,
        figures=figures,
        months="January to March 2024",
        vintage=2021,
        attribution=ATTRIBUTION,
        **more,
    )


COUNTS = [0, 3, 7, 12, 20, 31, 44, 58]


def test_one_path_per_lsoa_with_its_code_and_the_class_of_its_count():
    chosen = areas(8)
    figures = [AreaFigure(a.code, a.name, c) for a, c in zip(chosen, COUNTS, strict=True)]
    figure = a_map(figures, chosen)
    paths = drawn(figure.svg())
    assert sorted(paths) == sorted(a.code for a in chosen)
    breaks = figure.classes
    assert 1 < len(breaks) <= 5
    for area, count in zip(chosen, COUNTS, strict=True):
        classes = paths[area.code].get("class").split()
        expected = "app-map-zero" if count == 0 else f"app-map-{class_of(count, breaks).key}"
        assert expected in classes, (area.code, count, classes)
    # The legend names each class's range, and how the classes were chosen.
    text = " ".join(ElementTree.fromstring(figure.svg()).itertext())
    for cls in breaks:
        assert cls.label in text
    assert "quantiles of the non-zero values" in text


def test_quantile_classes_cover_every_value_once_and_keep_ties_together():
    values = [1, 1, 1, 2, 2, 3, 9, 9, 40]
    classes = quantile_classes(values, str)
    assert len(classes) <= 5
    for value in values:
        assert sum(1 for c in classes if c.low <= value <= c.high) == 1
    assert quantile_classes([4, 4, 4], str)[0].label == "4"


def test_the_map_says_how_many_crimes_fall_in_lsoas_the_boundaries_lack():
    three = areas(3)
    figures = [AreaFigure(a.code, a.name, c) for a, c in zip(three, [10, 6, 17], strict=True)]
    figure = a_map(figures, three[:2])
    svg = figure.svg()
    assert len(drawn(svg)) == 2
    text = " ".join(ElementTree.fromstring(svg).itertext())
    assert "17 crimes fall in 1 LSOA the boundaries lack" in text
    assert figure.attribution == ATTRIBUTION  # printed under the drawing, with the figure
    assert "police.uk locations are snapped to nearby points" in text
    assert "January to March 2024" in text and "2021 boundaries" in text


def test_a_complete_set_says_nothing_is_left_off():
    three = areas(3)
    figures = [AreaFigure(a.code, a.name, 9) for a in three]
    text = " ".join(ElementTree.fromstring(a_map(figures, three).svg()).itertext())
    assert "Every LSOA with crimes in these months has a boundary" in text


def small_numbers(svg: str) -> set[int]:
    """Every number from 1 to 4 standing as a word in the SVG's text, titles and data
    attributes, other than the scale bar's kilometres and a number of LSOAs."""
    root = ElementTree.fromstring(svg)
    found = set()
    for element in root.iter():
        pieces = [element.text or "", element.tail or ""]
        pieces += [v for k, v in element.attrib.items() if k.startswith("data-")]
        for piece in pieces:
            numbers = re.findall(r"(?<![.,])\b(\d[\d,]*)\b(?![.,]\d)(?! km| LSOA)", piece)
            found |= {int(n.replace(",", "")) for n in numbers}
    return found & {1, 2, 3, 4}


def test_a_public_map_shows_no_count_under_five_anywhere():
    chosen = areas(8)
    counts = [0, 3, 7, 12, 20, 31, 1, 58]
    figures = [AreaFigure(a.code, a.name, c) for a, c in zip(chosen, counts, strict=True)]
    # An LSOA the boundaries lack with 2 crimes: the lacking line must not say 2 either.
    figures.append(AreaFigure("E01099999", "Elsewhere 001A", 2))
    restricted = a_map(figures, chosen).svg()
    assert small_numbers(restricted) >= {1, 2, 3}  # the check below can find them
    public = a_map(figures, chosen, public=True, slug="public-map").svg()
    assert small_numbers(public) == set()
    paths = drawn(public)
    for area, count in zip(chosen, counts, strict=True):
        if 0 < count < 5:
            assert "app-map-fewer" in paths[area.code].get("class")
            assert paths[area.code].get("data-count") is None
    text = " ".join(ElementTree.fromstring(public).itertext())
    assert "Fewer than 5" in text and "fewer than 5" in text
    assert "Fewer than 5 crimes fall in 1 LSOA the boundaries lack" in text


def test_a_public_map_withholds_one_more_count_when_the_total_would_reveal_the_small_one():
    chosen = areas(5)
    counts = [0, 3, 7, 12, 20]
    figures = [AreaFigure(a.code, a.name, c) for a, c in zip(chosen, counts, strict=True)]
    figure = a_map(figures, chosen, public=True)
    svg = figure.svg()
    paths = drawn(svg)
    assert "app-map-fewer" in paths[chosen[1].code].get("class")
    # 42 in all is printed: the next smallest (7) is withheld so that 42 − 12 − 20 − 7 = 3
    # cannot be worked out.
    assert "app-map-withheld" in paths[chosen[2].code].get("class")
    assert "42 crimes in all" in figure.description
    assert small_numbers(svg) == set()
    assert not re.search(r"\b7\b", " ".join(ElementTree.fromstring(svg).itertext()))


def test_a_map_by_rate_where_every_lsoa_has_a_population():
    chosen = areas(4)
    figures = [
        AreaFigure(a.code, a.name, c, Decimal(r))
        for a, c, r in zip(chosen, [5, 10, 20, 40], ["3.3", "6.7", "13.3", "26.7"], strict=True)
    ]
    figure = a_map(figures, chosen)
    svg = figure.svg()
    assert "Crimes per 1,000 residents" in " ".join(ElementTree.fromstring(svg).itertext())
    top = figure.description
    assert "Highest: Testville 003A (26.7 per 1,000" in top


def test_the_description_names_the_top_areas():
    chosen = areas(8)
    figures = [AreaFigure(a.code, a.name, c) for a, c in zip(chosen, COUNTS, strict=True)]
    desc = ElementTree.fromstring(a_map(figures, chosen).svg()).find(f"{SVG}desc").text
    assert "Highest: Testville 007A (58); Testville 006A (44); Testville 005A (31)." in desc


def test_the_grid_map_draws_one_square_per_cell_with_crime():
    cells = [(485_000, 238_000, 12), (485_250, 238_000, 3), (485_500, 238_250, 40)]
    svg = GridMap("Crimes by 250 m square", cells, 250, "January to March 2024").svg()
    root = ElementTree.fromstring(svg)
    squares = [r for r in root.iter(f"{SVG}rect") if r.get("data-cell")]
    assert sorted(int(r.get("data-count")) for r in squares) == [3, 12, 40]
    assert root.get("role") == "img"
    assert "40 in the square at 485500, 238250" in root.find(f"{SVG}desc").text


def test_the_grid_map_draws_the_areas_outline_where_boundaries_exist():
    cells = [(485_000, 238_000, 12)]
    bare = ElementTree.fromstring(GridMap("Squares", cells, 250, "March 2024").svg())
    assert not [p for p in bare.iter(f"{SVG}path") if p.get("class") == "app-map-outline"]
    assert "no LSOA boundaries are loaded" in " ".join(bare.itertext())
    area = a_map([], [MapArea("E01000001", "A", square(484_000, 237_000, 3000))])
    framed = GridMap("Squares", cells, 250, "March 2024", outline=area.outline).svg()
    outline = [
        p for p in ElementTree.fromstring(framed).iter(f"{SVG}path")
        if p.get("class") == "app-map-outline"
    ]  # fmt: skip
    assert len(outline) == 1
    assert "no LSOA boundaries are loaded" not in framed


@pytest.mark.parametrize("path", [REAL_2021, DEMO_2021], ids=["as published", "demo copy"])
def test_the_real_milton_keynes_2021_boundaries_draw_166_paths(path):
    boundaries = read_boundaries(path.read_bytes(), vintage=2021)
    chosen = [MapArea(b.code, b.name, b.polygons) for b in boundaries.lsoas]
    figures = [AreaFigure(a.code, a.name, i % 23) for i, a in enumerate(chosen)]
    svg = a_map(figures, chosen).svg()
    paths = drawn(svg)
    assert len(paths) == 166
    assert len(svg) < 400_000
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}path[@class='app-map-outline']") is not None


REAL_2011 = REAL_2021.with_name("milton-keynes-lsoa-2011.geojson")
REAL_MONTH = (
    Path(__file__).resolve().parent.parent / "data/police-uk/2018-12-thames-valley-street.csv.xz"
)


def test_the_partial_2011_set_draws_its_73_lsoas_and_counts_the_crimes_of_the_rest():
    """A real partial set: December 2018's Milton Keynes rows (2011 LSOAs) counted here with the
    csv module, drawn with the 73 boundaries the ONS copy has."""
    with lzma.open(REAL_MONTH, "rt", newline="") as file:
        rows = [r for r in csv.DictReader(file) if r["LSOA name"].startswith("Milton Keynes ")]
    counts = Counter(r["LSOA code"] for r in rows)
    names = {r["LSOA code"]: r["LSOA name"] for r in rows}
    boundaries = read_boundaries(REAL_2011.read_bytes(), vintage=2011)
    chosen = [MapArea(b.code, b.name, b.polygons) for b in boundaries.lsoas]
    figures = [AreaFigure(code, names[code], count) for code, count in counts.items()]
    svg = a_map(figures, chosen).svg()
    assert len(drawn(svg)) == 73
    have = {a.code for a in chosen}
    lacking = [code for code in counts if code not in have]
    crimes = sum(counts[code] for code in lacking)
    assert 0 < len(lacking) <= 79 and crimes > 0
    text = " ".join(ElementTree.fromstring(svg).itertext())
    assert f"{crimes:,} crimes fall in {len(lacking)} LSOAs the boundaries lack" in text


def test_the_wide_and_narrow_drawings_on_one_page_share_no_id():
    chosen = areas(8)
    figures = [AreaFigure(a.code, a.name, c) for a, c in zip(chosen, COUNTS, strict=True)]
    figure = a_map(figures, chosen, public=True)
    ids = []
    for svg in (figure.svg(), figure.narrow_svg()):
        root = ElementTree.fromstring(svg)
        ids += [e.get("id") for e in root.iter() if e.get("id")]
        # each hatched fill points at a pattern of its own drawing
        own = {e.get("id") for e in root.iter() if e.get("id")}
        for element in root.iter():
            fill = element.get("fill", "")
            if fill.startswith("url(#"):
                assert fill[5:-1] in own
    assert len(ids) == len(set(ids)) >= 6
