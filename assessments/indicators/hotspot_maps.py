"""A partnership's maps from what is stored: a boundary set's LSOAs shaded by an LSOA ranking
(hotspots.py), and the grid's squares (selectors.grid_cells). The drawing itself is maps.py, which
reads no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assessments.indicators import police_uk
from assessments.indicators.hotspot_analysis import is_2021_only
from assessments.indicators.hotspots import LsoaRanking, months_text
from assessments.indicators.maps import AreaFigure, ChoroplethMap, GridMap, MapArea, outline_of
from assessments.indicators.models import LsoaBoundarySet
from assessments.indicators.selectors import grid_cells


def boundary_map(
    boundary_set: LsoaBoundarySet,
    ranking: LsoaRanking,
    *,
    title: str,
    public: bool = False,
    slug: str = "map",
    previous: LsoaRanking | None = None,
    what: str = "crimes",
    notes: tuple[str, ...] = (),
) -> ChoroplethMap:
    """The ranking's LSOAs drawn with the set's boundaries: LSOAs of the ranking the set lacks
    are counted in the map's line saying so. With `previous`, its table compares each area's
    count with that ranking's."""
    # An area is named as the figures name it (the LSOA as imported), so map and table agree.
    names = {row.code: row.name for row in ranking.rows}
    outlines, outline = _boundaries(boundary_set)
    areas = [MapArea(a.code, names.get(a.code, a.name), a.polygons) for a in outlines]
    before = {r.code: r.count for r in previous.rows} if previous else {}
    drawn = {area.code for area in areas}
    figures = [
        AreaFigure(r.code, r.name, r.count, r.rate_per_1000, before.get(r.code))
        for r in ranking.rows
        if r.code in drawn or r.count or _of_vintage(r.code, boundary_set.vintage)
    ]
    missing = sorted({*ranking.months_missing, *(previous.months_missing if previous else [])})
    notes = list(notes)
    if missing:
        notes.append(months_missing_note(missing))
    return ChoroplethMap(
        title=title,
        areas=areas,
        figures=figures,
        months=months_text(ranking.first_month, ranking.last_month),
        vintage=boundary_set.vintage,
        attribution=f"{police_uk.ATTRIBUTION} {boundary_set.attribution}",
        what=what,
        public=public,
        slug=slug,
        notes=notes,
        previous_months=(
            months_text(previous.first_month, previous.last_month) if previous else ""
        ),
        source=police_uk.SOURCE,
        licence=police_uk.LICENCE,
        given_outline=outline,
    )


def _of_vintage(code: str, vintage: int) -> bool:
    """Whether an LSOA the set lacks is one of its vintage, to count among those it lacks: any
    but the 2021 census's new codes for a 2011 set. For a 2021 set an unchanged code cannot be
    told from a 2011 one the census ended, so only LSOAs with crime count as lacking there."""
    return vintage == 2011 and not is_2021_only(code)


def months_missing_note(months: list[dt.date]) -> str:
    """What a map or the hotspot analysis says of the months no police.uk import brought."""
    return f"No police.uk data imported for {_runs(months)}: not counted."


def _runs(months: list[dt.date]) -> str:
    """ "October to December 2023 and March 2024": months in runs of consecutive months."""
    runs: list[list[dt.date]] = []
    for month in months:
        last = runs[-1][-1] if runs else None
        if last and (month.year * 12 + month.month) - (last.year * 12 + last.month) == 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    texts = [months_text(run[0], run[-1]) for run in runs]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}"


def grid_map(
    partnership_id: int,
    first_month: dt.date,
    last_month: dt.date,
    crime_types: Sequence[str],
    *,
    title: str,
    slug: str = "grid-map",
    what: str = "crimes",
    outline: list | None = None,
) -> GridMap | None:
    """The crime types' police.uk rows placed on the grid over the months, each square its sum of
    months and crime types; None where the import counted no grid for them. Partners' detail:
    never on a public page (the restricted appendix draws it)."""
    counted = grid_cells(
        partnership_id, [police_uk.indicator_code(t) for t in crime_types], first_month, last_month
    )
    if counted is None:
        return None
    notes = []
    if counted.months_missing:
        notes.append(f"No police.uk grid counted for {_runs(counted.months_missing)}: not drawn.")
    return GridMap(
        title=title,
        cells=counted.cells,
        cell_metres=counted.cell_metres,
        months=months_text(first_month, last_month),
        what=what,
        slug=slug,
        notes=notes,
        attribution=police_uk.ATTRIBUTION,
        outline=outline or [],
    )


# Each boundary set's areas and their union, read and computed once per process for as long
# as the set is not uploaded again: every map of a page, an edition or a PDF draws the same set
# (the union alone took 14 ms a map).
_read: dict[tuple, tuple[list[MapArea], list]] = {}


def _boundaries(boundary_set: LsoaBoundarySet) -> tuple[list[MapArea], list]:
    key = (boundary_set.pk, boundary_set.uploaded_at, boundary_set.file_name)
    if key in _read:
        return _read[key]
    areas = [
        MapArea(code, name, polygons)
        for code, name, polygons in boundary_set.lsoas.order_by("code").values_list(
            "code", "name", "polygons"
        )
    ]
    read = areas, outline_of([a.polygons for a in areas])
    if boundary_set.uploaded_at is not None:  # a set made otherwise is read every time
        if len(_read) >= 8:
            _read.clear()
        _read[key] = read
    return read
