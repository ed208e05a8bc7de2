"""LSOA boundaries as data: a GeoJSON upload read, checked, reprojected and simplified.

The ONS publishes LSOA boundaries as GeoJSON in longitude and latitude (WGS84) or in British
National Grid metres (EPSG:27700). Which one a file uses is read from its `crs` member where it
has one, otherwise from its coordinates' ranges (degrees stay within ±180/±90; BNG eastings and
northings are hundreds of thousands of metres). Every area is stored in BNG metres, the grid's
units, simplified to `SIMPLIFY_METRES` (as a coverage where the areas tile, so that neighbours
keep their shared edges) and rounded to the metre: a map of a district needs no more.

Anything that is not a FeatureCollection of Polygon or MultiPolygon features, each with an LSOA
code, is refused whole with every problem found (up to `MAX_PROBLEMS`), and nothing is saved.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone
from shapely.errors import GEOSException
from shapely.geometry import shape

from assessments.indicators.grid import BRITISH_NATIONAL_GRID, to_british_national_grid
from assessments.indicators.models import LsoaBoundary, LsoaBoundarySet

SIMPLIFY_METRES = 10
MAX_FEATURES = 10_000
MAX_PROBLEMS = 5
LONGITUDE_LATITUDE = "longitude and latitude (WGS84)"
BNG_WORDS = "British National Grid (EPSG:27700)"
POLYGONAL = ("Polygon", "MultiPolygon")
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
CODE_KEY = re.compile(r"^lsoa(\d\d)cd$", re.IGNORECASE)
NAME_KEY = re.compile(r"^lsoa(\d\d)nm$", re.IGNORECASE)
OTHER_CODE_KEYS = ("code", "lsoa_code", "lsoa code")
OTHER_NAME_KEYS = ("name", "lsoa_name", "lsoa name")


class BoundaryFileError(ValueError):
    """A file refused whole; `problems` lists what is wrong, in words for the analyst."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class BoundaryLsoa:
    code: str
    name: str
    # GeoJSON MultiPolygon coordinates in whole BNG metres: [polygon [ring [[x, y], ...]]].
    polygons: list
    vertices: int


@dataclass(frozen=True)
class Boundaries:
    lsoas: list[BoundaryLsoa]
    read_as: str  # which coordinates the file was found to hold, and how that was known
    vintage: int | None  # as the property names say (LSOA11CD, LSOA21CD), if they do
    vertices_read: int


def _crs_of(collection: dict) -> str | None:
    """LONGITUDE_LATITUDE, BNG_WORDS or None (no crs member); BoundaryFileError for another."""
    crs = collection.get("crs")
    if crs is None:
        return None
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    if re.search(r"(EPSG:+|EPSG/0/)27700$", name):
        return BNG_WORDS
    if re.search(r"(EPSG:+|EPSG/0/)4326$|CRS84$", name):
        return LONGITUDE_LATITUDE
    raise BoundaryFileError(
        f"The file's coordinate reference system is “{name or crs}”: upload boundaries in "
        f"{LONGITUDE_LATITUDE} or in {BNG_WORDS}."
    )


def _crs_from_ranges(geometries: list) -> str:
    bounds = shapely.total_bounds(geometries)
    west, south, east, north = bounds
    if west >= -180 and east <= 180 and south >= -90 and north <= 90:
        return LONGITUDE_LATITUDE
    if west >= 0 and east <= 700_000 and south >= 0 and north <= 1_300_000:
        return BNG_WORDS
    raise BoundaryFileError(
        f"The coordinates (from {west:g}, {south:g} to {east:g}, {north:g}) are neither "
        f"{LONGITUDE_LATITUDE} nor {BNG_WORDS}."
    )


def _loaded(data: bytes) -> tuple[dict, list]:
    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BoundaryFileError("The file is not text (UTF-8), so it cannot be GeoJSON.") from None
    except json.JSONDecodeError as error:
        raise BoundaryFileError(
            f"The file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    if not isinstance(collection, dict):
        collection = {}
    features = collection.get("features")
    if collection.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise BoundaryFileError(
            "The file is JSON but not a GeoJSON FeatureCollection: it needs "
            '"type": "FeatureCollection" and a list of "features".'
        )
    if not features:
        raise BoundaryFileError("The file has no features: there are no areas in it.")
    if len(features) > MAX_FEATURES:
        raise BoundaryFileError(
            f"The file has {len(features):,} features; at most {MAX_FEATURES:,} LSOAs are "
            "taken at once."
        )
    return collection, features


def _property(properties: dict, pattern: re.Pattern, others: tuple) -> tuple[str, int | None]:
    """(value, vintage) of the first property named like an ONS column (LSOA21CD) or else one
    of `others` (case ignored); ("", None) without one."""
    for key, value in properties.items():
        match = pattern.match(key)
        if match and value not in (None, ""):
            return str(value).strip(), 2000 + int(match.group(1))
    for key, value in properties.items():
        if key.casefold() in others and value not in (None, ""):
            return str(value).strip(), None
    return "", None


def _one(index: int, feature, vintage: int | None) -> tuple[str, str, int | None, object]:
    """(code, name, vintage, shapely geometry) of one feature; BoundaryFileError otherwise."""
    if not isinstance(feature, dict):
        raise BoundaryFileError(f"Feature {index} is not a GeoJSON Feature.")
    properties = feature.get("properties") or {}
    code, found_vintage = _property(properties, CODE_KEY, OTHER_CODE_KEYS)
    name, _ = _property(properties, NAME_KEY, OTHER_NAME_KEYS)
    label = f"Feature {index}" + (f" ({code})" if code else "")
    if not code:
        raise BoundaryFileError(
            f"{label} has no area code: each feature needs its LSOA's code in a property such "
            "as LSOA21CD, LSOA11CD or code."
        )
    if not LSOA_CODE.match(code):
        raise BoundaryFileError(f"{label}: “{code}” is not an LSOA code (like E01016700).")
    if vintage and found_vintage and found_vintage != vintage:
        raise BoundaryFileError(
            f"{label} is a {found_vintage} LSOA (its code is in LSOA{found_vintage % 100}CD), "
            f"but this set is of {vintage} LSOAs."
        )
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in POLYGONAL:
        what = f"a {kind}" if kind else "no geometry"
        raise BoundaryFileError(
            f"{label} has {what}: only Polygon and MultiPolygon areas can be mapped."
        )
    try:
        area = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, GEOSException):
        area = None
    if area is None or area.is_empty:
        raise BoundaryFileError(
            f"{label}: its coordinates are not a {kind}'s (closed rings of at least four "
            "positions, each two numbers)."
        )
    return code, name or code, found_vintage, area


def _polygonal(geometry):
    """The polygons of a geometry made valid (a ring crossing itself becomes polygons, a stray
    edge is dropped)."""
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    parts = shapely.get_parts(geometry)
    polygons = [p for p in parts if p.geom_type in POLYGONAL and not p.is_empty]
    return shapely.multipolygons(shapely.get_parts(polygons)) if polygons else None


def _to_bng(coordinates: np.ndarray) -> np.ndarray:
    eastings, northings = to_british_national_grid().transform(coordinates[:, 0], coordinates[:, 1])
    return np.column_stack([eastings, northings])


def _simplified(geometries: list, metres: float) -> list:
    """Simplified as one coverage where the areas tile (shared edges stay shared); each area on
    its own where that fails or gives an invalid area."""
    try:
        simplified = list(shapely.coverage_simplify(geometries, metres))
    except GEOSException:
        simplified = [None] * len(geometries)
    return [
        s if s is not None and s.is_valid and not s.is_empty else g.simplify(metres)
        for s, g in zip(simplified, geometries, strict=True)
    ]


def _rounded(geometry) -> tuple[list, int]:
    """MultiPolygon coordinates in whole metres, repeated points dropped; and their count."""
    polygons, count = [], 0
    for polygon in shapely.get_parts(geometry):
        rings = []
        for ring in (polygon.exterior, *polygon.interiors):
            points: list[list[int]] = []
            for x, y in ring.coords:
                point = [round(x), round(y)]
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) >= 4:
                rings.append(points)
                count += len(points)
            elif not rings:  # an outer ring smaller than a metre or two: no polygon
                break
        if rings:
            polygons.append(rings)
    return polygons, count


def boundary_set_replace(boundary_set: LsoaBoundarySet, boundaries: Boundaries, file_name: str):
    """Give a saved set the LSOAs read from a file, in place of those it had."""
    with transaction.atomic():
        boundary_set.lsoas.all().delete()
        LsoaBoundary.objects.bulk_create(
            LsoaBoundary(
                boundary_set=boundary_set,
                code=lsoa.code,
                name=lsoa.name[:200],
                polygons=lsoa.polygons,
                vertices=lsoa.vertices,
            )
            for lsoa in boundaries.lsoas
        )
        boundary_set.file_name = file_name[:255]
        boundary_set.uploaded_at = timezone.now()
        boundary_set.summary = {
            "read_as": boundaries.read_as,
            "lsoas": len(boundaries.lsoas),
            "vertices_read": boundaries.vertices_read,
            "vertices_kept": sum(lsoa.vertices for lsoa in boundaries.lsoas),
            "simplified_to_metres": SIMPLIFY_METRES,
        }
        boundary_set.save(update_fields=["file_name", "uploaded_at", "summary"])


def read_boundaries(
    data: bytes, *, vintage: int | None = None, simplify_metres: float = SIMPLIFY_METRES
) -> Boundaries:
    """The LSOAs of a GeoJSON file in BNG metres, simplified; BoundaryFileError, naming every
    problem found, for a file that cannot be taken whole."""
    collection, features = _loaded(data)
    declared = _crs_of(collection)
    read, problems, codes = [], [], set()
    for index, feature in enumerate(features, start=1):
        try:
            code, name, found_vintage, area = _one(index, feature, vintage)
        except BoundaryFileError as error:
            problems += error.problems
        else:
            if code in codes:
                problems.append(f"Feature {index} ({code}): the code is given twice.")
            codes.add(code)
            read.append((code, name, found_vintage, area))
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise BoundaryFileError(problems[:MAX_PROBLEMS])
    geometries = [area for _, _, _, area in read]
    crs = declared or _crs_from_ranges(geometries)
    how = "as the file's crs says" if declared else "from the coordinates' ranges"
    if crs == LONGITUDE_LATITUDE:
        geometries = list(shapely.transform(np.array(geometries, dtype=object), _to_bng))
    vertices_read = int(shapely.get_num_coordinates(geometries).sum())
    valid = [_polygonal(g) for g in geometries]
    empty = [read[i][0] for i, g in enumerate(valid) if g is None]
    if empty:
        raise BoundaryFileError(f"{', '.join(empty)}: no area is left of the polygon.")
    lsoas = []
    for (code, name, _, _), geometry in zip(read, _simplified(valid, simplify_metres), strict=True):
        polygons, count = _rounded(geometry)
        if not polygons:
            raise BoundaryFileError(f"{code}: no area is left of the polygon once simplified.")
        lsoas.append(BoundaryLsoa(code, name, polygons, count))
    found = {v for _, _, v, _ in read if v}
    return Boundaries(
        lsoas=lsoas,
        read_as=f"{crs}, {how}; stored in {BRITISH_NATIONAL_GRID} metres",
        vintage=found.pop() if len(found) == 1 else None,
        vertices_read=vertices_read,
    )
