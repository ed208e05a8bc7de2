"""A partnership's maps from what is stored: a boundary set's LSOAs shaded by an LSOA ranking
(hotspots.py). The drawing itself is maps.py, which reads no database."""

from __future__ import annotations

import datetime as dt

from assessments.indicators.hotspots import LsoaRanking
from assessments.indicators.maps import AreaFigure, ChoroplethMap, MapArea
from assessments.indicators.models import LsoaBoundarySet


def months_text(first: dt.date, last: dt.date) -> str:
    """ "March 2024", "January to March 2024", "December 2018 to February 2019"."""
    if first == last:
        return f"{first:%B %Y}"
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def boundary_map(
    boundary_set: LsoaBoundarySet,
    ranking: LsoaRanking,
    *,
    title: str,
    public: bool = False,
    slug: str = "map",
) -> ChoroplethMap:
    """The ranking's LSOAs drawn with the set's boundaries: LSOAs of the ranking the set lacks
    are counted in the map's line saying so."""
    areas = [
        MapArea(code, name, polygons)
        for code, name, polygons in boundary_set.lsoas.order_by("code").values_list(
            "code", "name", "polygons"
        )
    ]
    figures = [AreaFigure(r.code, r.name, r.count, r.rate_per_1000) for r in ranking.rows]
    return ChoroplethMap(
        title=title,
        areas=areas,
        figures=figures,
        months=months_text(ranking.first_month, ranking.last_month),
        vintage=boundary_set.vintage,
        attribution=boundary_set.attribution,
        what="crimes",
        public=public,
        slug=slug,
    )
