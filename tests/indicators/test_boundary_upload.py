"""LSOA boundaries as data (issue 34): a GeoJSON file uploaded in admin, in longitude/latitude or
British National Grid, stored in BNG metres and simplified; anything else refused with a clear
error and nothing saved; another partnership's analyst can neither see nor change a set."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyproj import Transformer

from assessments.indicators.models import LsoaBoundary, LsoaBoundarySet

pytestmark = pytest.mark.django_db

FROM_BNG = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
BNG_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
ADD = "admin:assessments_lsoaboundaryset_add"
CHANGE = "admin:assessments_lsoaboundaryset_change"


def square(west: int, south: int, metres: int = 1000) -> list[list[int]]:
    """A square ring in BNG metres with a point halfway along each side, which simplification
    (a straight line) takes away."""
    half = metres // 2
    return [
        [west, south], [west + half, south], [west + metres, south],
        [west + metres, south + half], [west + metres, south + metres],
        [west + half, south + metres], [west, south + metres], [west, south + half],
        [west, south],
    ]  # fmt: skip


SQUARES = {  # code: (name, south-west corner) - four neighbours tiling 2 km by 2 km
    "E01016700": ("Testville 001A", (485_000, 238_000)),
    "E01016701": ("Testville 001B", (486_000, 238_000)),
    "E01016702": ("Testville 002A", (485_000, 239_000)),
    "E01016703": ("Testville 002B", (486_000, 239_000)),
}


def feature(code, name, ring, kind="Polygon", key="LSOA21"):
    coordinates = [ring] if kind == "Polygon" else [[ring]]
    return {
        "type": "Feature",
        "properties": {f"{key}CD": code, f"{key}NM": name},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def to_lon_lat(ring):
    return [[round(v, 6) for v in FROM_BNG.transform(x, y)] for x, y in ring]


def collection(features, **more) -> bytes:
    return json.dumps({"type": "FeatureCollection", **more, "features": features}).encode()


def squares_file(*, lon_lat=True, crs=None, kind="Polygon") -> bytes:
    features = [
        feature(code, name, to_lon_lat(square(*corner)) if lon_lat else square(*corner), kind)
        for code, (name, corner) in SQUARES.items()
    ]
    return collection(features, **({"crs": crs} if crs else {}))


def upload(client, data: bytes, *, vintage=2021, partnership, url=None, name="mk.geojson"):
    form = {
        "partnership": partnership.pk,
        "vintage": vintage,
        "name": "Testville LSOAs",
        "source": "Office for National Statistics",
        "licence": "Open Government Licence v3.0",
        "attribution": "Source: Office for National Statistics licensed under the Open "
        "Government Licence v.3.0. Contains OS data © Crown copyright and database right 2021.",
        "geojson": SimpleUploadedFile(name, data, content_type="application/geo+json"),
    }
    return client.post(url or reverse(ADD), form)


def stored() -> dict[str, list]:
    return {b.code: b.polygons for b in LsoaBoundary.objects.all()}


def corners(polygons) -> set[tuple[int, int]]:
    return {tuple(point) for polygon in polygons for ring in polygon for point in ring}


@pytest.mark.parametrize(
    "data, read_as",
    [
        (squares_file(), "longitude and latitude (WGS84), from the coordinates' ranges"),
        (squares_file(kind="MultiPolygon"), "longitude and latitude"),
        (squares_file(lon_lat=False), "British National Grid (EPSG:27700), from the coordinates"),
        (squares_file(lon_lat=False, crs=BNG_CRS), "British National Grid (EPSG:27700), as the"),
    ],
    ids=["lon-lat", "multipolygon", "bng-by-range", "bng-by-crs"],
)
def test_a_file_is_stored_in_bng_metres_simplified(analyst_client, partnership, data, read_as):
    response = upload(analyst_client, data, partnership=partnership)
    assert response.status_code == 302
    boundary_set = LsoaBoundarySet.objects.get()
    assert boundary_set.summary["read_as"].startswith(read_as)
    assert boundary_set.file_name == "mk.geojson"
    names = dict(LsoaBoundary.objects.values_list("code", "name"))
    assert names == {code: name for code, (name, _) in SQUARES.items()}
    for code, polygons in stored().items():
        west, south = SQUARES[code][1]
        expected = {(west, south), (west + 1000, south), (west + 1000, south + 1000),
                    (west, south + 1000)}  # fmt: skip
        # Within a metre of the corners (lon/lat to 6 places is ~0.1 m); the midpoints gone.
        got = corners(polygons)
        assert len(got) == 4
        assert all(min(abs(x - a) + abs(y - b) for a, b in expected) <= 1 for x, y in got)
    page = analyst_client.get(reverse(CHANGE, args=[boundary_set.pk])).content.decode()
    assert "4 LSOAs in " in page and "E01016703" in page


def bad_files() -> dict[str, tuple[bytes, str]]:
    ring = square(485_000, 238_000)
    point = {"type": "Feature", "properties": {"LSOA21CD": "E01016700"},
             "geometry": {"type": "Point", "coordinates": [485_000, 238_000]}}  # fmt: skip
    line = {**point, "geometry": {"type": "LineString", "coordinates": ring}}
    nameless = {**feature("E01016700", "x", ring), "properties": {"LSOA21NM": "Testville 001A"}}
    return {
        "malformed JSON": (
            b'{"type": "FeatureCollection", "features": [',
            "The file is not valid JSON (line 1, column 44: Expecting value).",
        ),
        "not text": (b"\xff\xfe\x00GeoJSON", "The file is not text (UTF-8)"),
        "not a FeatureCollection": (b"[1, 2, 3]", "not a GeoJSON FeatureCollection"),
        "no features": (collection([]), "The file has no features"),
        "a point": (collection([point]), "Feature 1 (E01016700) has a Point: only Polygon"),
        "a line": (collection([line]), "has a LineString: only Polygon and MultiPolygon"),
        "no area code": (collection([nameless]), "Feature 1 has no area code"),
        "not an LSOA code": (
            collection([feature("Testville", "x", ring)]),
            "“Testville” is not an LSOA code",
        ),
        "a 2011 file for a 2021 set": (
            collection([feature("E01016700", "x", ring, key="LSOA11")]),
            "Feature 1 (E01016700) is a 2011 LSOA (its code is in LSOA11CD), but this set is "
            "of 2021 LSOAs.",
        ),
        "a ring of two points": (
            collection([feature("E01016700", "x", ring[:2])]),
            "its coordinates are not a Polygon's",
        ),
        "a code twice": (
            collection([feature("E01016700", "x", ring), feature("E01016700", "y", ring)]),
            "Feature 2 (E01016700): the code is given twice.",
        ),
        "web mercator": (
            collection(
                [feature("E01016700", "x", ring)],
                crs={"type": "name", "properties": {"name": "EPSG:3857"}},
            ),
            "The file's coordinate reference system is “EPSG:3857”",
        ),  # fmt: skip
        "neither degrees nor metres of BNG": (
            collection([feature("E01016700", "x", [[x * 10, y * 10] for x, y in ring])]),
            "are neither longitude and latitude (WGS84) nor British National Grid",
        ),
    }


@pytest.mark.parametrize("name", list(bad_files()))
def test_a_bad_file_is_refused_with_a_clear_error_and_nothing_saved(
    analyst_client, partnership, name
):
    data, message = bad_files()[name]
    response = upload(analyst_client, data, partnership=partnership)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["geojson"])
    assert message in errors
    assert not LsoaBoundarySet.objects.exists()
    assert not LsoaBoundary.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(analyst_client, partnership, settings):
    settings.BOUNDARY_UPLOAD_MAX_BYTES = 1_000
    data = squares_file()
    assert len(data) > 1_000
    response = upload(analyst_client, data, partnership=partnership)
    errors = " ".join(response.context["adminform"].form.errors["geojson"])
    assert "boundary files of at most 1000\xa0bytes are taken" in errors
    assert not LsoaBoundarySet.objects.exists()


def test_several_problems_are_named_together(analyst_client, partnership):
    ring = square(485_000, 238_000)
    no_geometry = {"type": "Feature", "properties": {"LSOA21CD": "E01016702"}, "geometry": None}
    features = [feature("E01016700", "a", ring), feature("nope", "b", ring), no_geometry]
    response = upload(analyst_client, collection(features), partnership=partnership)
    errors = response.context["adminform"].form.errors["geojson"]
    assert errors == [
        "Feature 2 (nope): “nope” is not an LSOA code (like E01016700).",
        "Feature 3 (E01016702) has no geometry: only Polygon and MultiPolygon areas can be mapped.",
    ]


@pytest.fixture
def saved_set(analyst_client, partnership):
    assert upload(analyst_client, squares_file(), partnership=partnership).status_code == 302
    return LsoaBoundarySet.objects.get()


def test_a_bad_replacement_leaves_the_set_as_it_was(analyst_client, partnership, saved_set):
    before = stored()
    url = reverse(CHANGE, args=[saved_set.pk])
    response = upload(analyst_client, b"{oops", partnership=partnership, url=url)
    assert "not valid JSON" in " ".join(response.context["adminform"].form.errors["geojson"])
    assert stored() == before
    saved_set.refresh_from_db()
    assert saved_set.file_name == "mk.geojson"


def test_a_new_file_replaces_every_lsoa_of_the_set(analyst_client, partnership, saved_set):
    one = collection([feature("E01016799", "Testville 099Z", square(490_000, 240_000))])
    url = reverse(CHANGE, args=[saved_set.pk])
    assert upload(analyst_client, one, partnership=partnership, url=url).status_code == 302
    assert list(stored()) == ["E01016799"]


def test_a_change_of_vintage_needs_the_new_vintages_file(analyst_client, partnership, saved_set):
    url = reverse(CHANGE, args=[saved_set.pk])
    form = {"partnership": partnership.pk, "vintage": 2011, "name": saved_set.name,
            "source": saved_set.source, "licence": saved_set.licence,
            "attribution": saved_set.attribution}  # fmt: skip
    response = analyst_client.post(url, form)
    assert "Upload the boundaries of the vintage now chosen." in response.content.decode()
    saved_set.refresh_from_db()
    assert saved_set.vintage == 2021
    form["vintage"] = 2021
    form["name"] = "Renamed"
    assert analyst_client.post(url, form).status_code == 302  # no file: the LSOAs stay
    assert len(stored()) == 4


def test_another_partnerships_analyst_can_neither_see_nor_change_the_set(
    client, other_analyst, other_partnership, saved_set
):
    client.force_login(other_analyst)
    url = reverse(CHANGE, args=[saved_set.pk])
    assert client.get(url).status_code == 404
    before = stored()
    one = collection([feature("E01016799", "Elsewhere 001A", square(490_000, 240_000))])
    assert upload(client, one, partnership=other_partnership, url=url).status_code == 404
    assert stored() == before
    listing = client.get(reverse("admin:assessments_lsoaboundaryset_changelist"))
    assert "Testville LSOAs" not in listing.content.decode()
