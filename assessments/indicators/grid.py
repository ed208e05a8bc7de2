"""Where, finer than an LSOA: police.uk rows counted on a fixed grid of square cells in metres.

police.uk gives each row a longitude and latitude (WGS84) of an anonymised point: the nearest of
a fixed set of map points, never the address. The import turns those into British National Grid
(EPSG:27700) eastings and northings and counts the rows of each month and crime type per cell,
a square `cell_metres` wide named by its south-west corner. The rows themselves are not kept.

Points are transformed in bulk (pyproj, arrays of a few thousand at a time), not one by one:
memory holds at most one buffer of points and one counter per cell and crime type, so it does
not grow with the size of the file. PROJ's transformation without a grid file (no OSTN15 here)
is good to a few metres, far within a cell.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterator
from functools import cache

from pyproj import Transformer

BRITISH_NATIONAL_GRID = "EPSG:27700"
WGS84 = "EPSG:4326"
DEFAULT_CELL_METRES = 250
# The extent of the British National Grid's lettered squares (SV to JM): a point outside it is
# not in Great Britain, whatever a file says.
GRID_EXTENT = (0, 0, 700_000, 1_300_000)
# Points transformed together: large enough that pyproj's per-call cost vanishes, small enough
# that the buffer (two doubles and a reference per point) stays under a megabyte.
BUFFER_POINTS = 8192


@cache
def to_british_national_grid() -> Transformer:
    """WGS84 longitude/latitude to BNG easting/northing (always x = longitude first)."""
    return Transformer.from_crs(WGS84, BRITISH_NATIONAL_GRID, always_xy=True)


# A cell and crime type are counted under one int, not a tuple: (column, row, crime type) packed,
# columns and rows offset so that the few points west or south of the grid's origin pack too.
_OFFSET = 1 << 30
_TYPE_BITS = 6


def _pack(column: int, row: int, type_id: int) -> int:
    return (((column + _OFFSET) << 32) | (row + _OFFSET)) << _TYPE_BITS | type_id


def _unpack(key: int) -> tuple[int, int, int]:
    cell, type_id = key >> _TYPE_BITS, key & ((1 << _TYPE_BITS) - 1)
    return (cell >> 32) - _OFFSET, (cell & 0xFFFFFFFF) - _OFFSET, type_id


class GridTally:
    """Rows per cell and crime type; rows without coordinates, or with coordinates outside Great
    Britain, are counted apart (`without_coordinates`), never placed."""

    def __init__(self, cell_metres: int = DEFAULT_CELL_METRES) -> None:
        if cell_metres <= 0:
            raise ValueError("A grid cell must be at least one metre wide.")
        self.cell_metres = cell_metres
        self.without_coordinates = 0
        self._counts: Counter[int] = Counter()
        self._type_ids: dict[str, int] = {}
        self._types: list[str] = []  # by id: one string per crime type, not one per row
        self._longitudes = array("d")
        self._latitudes = array("d")
        self._point_types = array("B")

    def add(self, point: tuple[float, float] | None, crime_type: str) -> None:
        """One row: its (longitude, latitude), or None where the row has no location."""
        if point is None:
            self.without_coordinates += 1
            return
        type_id = self._type_ids.get(crime_type)
        if type_id is None:
            type_id = self._type_ids[crime_type] = len(self._types)
            self._types.append(crime_type)
        self._longitudes.append(point[0])
        self._latitudes.append(point[1])
        self._point_types.append(type_id)
        if len(self._point_types) >= BUFFER_POINTS:
            self.flush()

    def flush(self) -> None:
        """Transform the buffered points together and count them into their cells."""
        if not self._point_types:
            return
        eastings, northings = to_british_national_grid().transform(
            self._longitudes, self._latitudes
        )
        size = self.cell_metres
        west, south, east, north = GRID_EXTENT
        for easting, northing, type_id in zip(eastings, northings, self._point_types, strict=True):
            if west <= easting < east and south <= northing < north:  # False for NaN and inf
                column, row = math.floor(easting / size), math.floor(northing / size)
                self._counts[_pack(column, row, type_id)] += 1
            else:  # not in Great Britain: police.uk's 0, 0 for a point it could not place
                self.without_coordinates += 1
        self._longitudes = array("d")
        self._latitudes = array("d")
        self._point_types = array("B")

    def cells(self) -> Iterator[tuple[int, int, str, int]]:
        """(easting, northing, crime type, rows) of every cell and crime type with rows, the
        cell named by its south-west corner in metres."""
        self.flush()
        size = self.cell_metres
        for key, count in self._counts.items():
            column, row, type_id = _unpack(key)
            yield column * size, row * size, self._types[type_id], count

    @property
    def placed(self) -> int:
        self.flush()
        return sum(self._counts.values())

    @property
    def cell_count(self) -> int:
        """How many cells hold at least one row (of any crime type)."""
        self.flush()
        return len({key >> _TYPE_BITS for key in self._counts})
