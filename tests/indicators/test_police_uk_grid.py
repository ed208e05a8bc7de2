"""The police.uk import also counts the area's rows on a grid of square cells in British National
Grid metres (issue 34, "keep where"): the cells add up to the LSOA counts of the rows with
coordinates, re-importing replaces them, and a row without coordinates counts for its LSOA only."""

import io
import random
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from pyproj import Transformer

from assessments.indicators import grid
from assessments.indicators.models import GridCount, ImportBatch

from ..police_uk_files import LSOAS, police_uk_csv, police_uk_row
from .test_police_uk import import_json, write

pytestmark = pytest.mark.django_db

AREA_LSOAS = LSOAS[:3]  # Testville's
TYPES = ["Burglary", "Drugs", "Anti-social behaviour"]
# The test's own way back from British National Grid to longitude and latitude.
FROM_BNG = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def at_bng(easting: float, northing: float) -> tuple[str, str]:
    """(longitude, latitude) as police.uk writes them (6 decimals, ~0.1 m) of a BNG point."""
    longitude, latitude = FROM_BNG.transform(easting, northing)
    return f"{longitude:.6f}", f"{latitude:.6f}"


def scattered_month(month: str, rows: int, seed: int) -> list[list[str]]:
    """Rows around Milton Keynes at random points, some of the area's without coordinates."""
    chooser = random.Random(seed)
    made = []
    for n in range(rows):
        lsoa = chooser.choice(LSOAS)
        point = f"{chooser.uniform(-0.85, -0.65):.6f}", f"{chooser.uniform(51.95, 52.15):.6f}"
        if chooser.random() < 0.1:
            point = ("", "")
        made.append(police_uk_row(month, lsoa, chooser.choice(TYPES), n, at=point))
    return made


def grid_by_type(**filters) -> dict[str, int]:
    rows = GridCount.objects.filter(batch__superseded_by__isnull=True, **filters)
    totals = rows.values("indicator__name").annotate(total=Sum("count"))
    return {row["indicator__name"].removesuffix(" (police.uk)"): row["total"] for row in totals}


def test_the_cells_add_up_to_the_area_rows_with_coordinates(tmp_path, partnership, area):
    rows = scattered_month("2019-01", 800, seed=11)
    summary = import_json(write(tmp_path, "a.csv", police_uk_csv(rows)))["2019-01"]
    area_rows = [r for r in rows if r[8].startswith("Testville ")]
    located = Counter(r[9] for r in area_rows if r[4])
    unlocated = sum(1 for r in area_rows if not r[4])
    assert grid_by_type() == dict(located)
    assert unlocated > 0
    assert summary["without_coordinates"] == unlocated
    assert summary["grid"]["placed"] == sum(located.values())
    # The LSOA table still counts every row of the area, with or without coordinates.
    assert sum(summary["crime_types"].values()) == len(area_rows)
    assert summary["grid"]["cell_metres"] == 250


@pytest.mark.parametrize("cell_metres", [250, 1000])
def test_a_point_falls_in_the_cell_of_its_easting_and_northing(
    tmp_path, partnership, area, cell_metres
):
    # Points 5 m either side of the corner (486000, 238000), which every cell size here shares.
    points = [(485_995, 237_995), (486_005, 237_995), (485_995, 238_005), (486_005, 238_005)]
    rows = [
        police_uk_row("2019-01", AREA_LSOAS[0], "Burglary", n, at=at_bng(*point))
        for n, point in enumerate(points)
    ]
    options = {} if cell_metres == 250 else {"cell_metres": cell_metres}
    import_json(write(tmp_path, "a.csv", police_uk_csv(rows)), **options)
    cells = set(GridCount.objects.values_list("cell_metres", "easting", "northing", "count"))
    below, above = 486_000 - cell_metres, 238_000 - cell_metres
    assert cells == {
        (cell_metres, below, above, 1),
        (cell_metres, 486_000, above, 1),
        (cell_metres, below, 238_000, 1),
        (cell_metres, 486_000, 238_000, 1),
    }


def test_reimporting_a_month_replaces_its_cells(tmp_path, partnership, area):
    first = write(tmp_path, "a.csv", police_uk_csv(scattered_month("2019-01", 300, seed=12)))
    import_json(first)
    before = grid_by_type()
    stored = GridCount.objects.count()
    import_json(first)
    assert grid_by_type() == before
    assert GridCount.objects.count() == stored  # the superseded batch keeps no cells
    rows = [police_uk_row("2019-01", AREA_LSOAS[1], "Drugs", n) for n in range(4)]
    import_json(write(tmp_path, "b.csv", police_uk_csv(rows)))
    assert grid_by_type() == {"Drugs": 4}
    assert ImportBatch.objects.filter(key="police-uk:2019-01").count() == 3


def test_points_beyond_one_buffer_are_all_counted(tmp_path, partnership, area, monkeypatch):
    data = police_uk_csv(scattered_month("2019-01", 500, seed=13))
    import_json(write(tmp_path, "a.csv", data))
    whole = set(GridCount.objects.values_list("indicator_id", "easting", "northing", "count"))
    monkeypatch.setattr(grid, "BUFFER_POINTS", 7)  # transformed seven points at a time
    import_json(write(tmp_path, "a.csv", data))
    in_sevens = set(GridCount.objects.values_list("indicator_id", "easting", "northing", "count"))
    assert in_sevens == whole


@pytest.mark.parametrize("longitude", ["east", "-200.5"])
def test_a_row_whose_coordinates_are_no_place_saves_nothing(tmp_path, partnership, area, longitude):
    rows = [police_uk_row("2019-01", AREA_LSOAS[0], "Burglary", n) for n in range(3)]
    rows.append(police_uk_row("2019-01", AREA_LSOAS[0], "Burglary", 3, at=(longitude, "52.0")))
    with pytest.raises(CommandError, match="line 5: Longitude"):
        import_json(write(tmp_path, "a.csv", police_uk_csv(rows)))
    assert not ImportBatch.objects.exists()
    assert not GridCount.objects.exists()


def test_a_point_outside_great_britain_is_not_placed(tmp_path, partnership, area):
    # police.uk writes 0, 0 where it could not place a crime within 20 km of a map point.
    rows = [police_uk_row("2019-01", AREA_LSOAS[0], "Burglary", 1, at=("0.000000", "0.000000"))]
    rows.append(police_uk_row("2019-01", AREA_LSOAS[0], "Burglary", 2))
    summary = import_json(write(tmp_path, "a.csv", police_uk_csv(rows)))["2019-01"]
    assert (summary["grid"]["placed"], summary["without_coordinates"]) == (1, 1)
    assert summary["crime_types"] == {"Burglary": 2}
    assert GridCount.objects.get().count == 1


def test_the_readable_summary_says_what_is_not_on_the_grid(tmp_path, partnership, area):
    rows = [police_uk_row("2019-01", AREA_LSOAS[0], "Burglary", n) for n in range(3)]
    rows.append(police_uk_row("2019-01", AREA_LSOAS[0], "Burglary", 3, at=("", "")))
    out = io.StringIO()
    path = write(tmp_path, "a.csv", police_uk_csv(rows))
    call_command("import_police_uk", path, partnership="testmk", stdout=out)
    assert (
        "on the grid of 250 m cells: 3 in 1 cells; 1 without coordinates count for their LSOA "
        "but not on the grid"
    ) in out.getvalue()
