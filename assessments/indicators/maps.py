"""Accessible maps drawn on the server as SVG, like the charts (charts.py): figures in, SVG out.

A choropleth colours each LSOA of a boundary set by its count (or rate per 1,000 residents where
every LSOA has a population); without boundaries the grid's cells are drawn as squares. Every
map carries its own key to reading it: a legend whose classes say how they were chosen, a scale
bar in kilometres, a north arrow, the area's outline, the months, the LSOA vintage, that police.uk
locations are snapped to nearby points, how many crimes fall in LSOAs the boundaries lack, and
the boundaries' attribution. Colours are presentation attributes (fill="…"), never style
attributes, so the site's strict CSP needs nothing more; no scripts, fonts or requests.

Class breaks: quantiles of the non-zero values shown, at most `MAX_CLASSES` classes (fewer where
there are fewer distinct values); each class is labelled with the lowest and highest value in it.
A public map (`public=True`) passes the counts through suppression.py: counts 1 to threshold − 1
are "fewer than 5", drawn hatched in a class of their own, and enough others are withheld that
the total printed cannot give one back. No hidden count appears in the text, classes, titles or
data attributes of a public map, and breaks are taken from shown values only.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

import shapely

from assessments.core.numbers import signed
from assessments.indicators.charts import (
    INK,
    NARROW,
    SECONDARY_INK,
    WIDTH,
    Point,
    _text,
    svg_frame,
    table_csv,
)
from assessments.indicators.suppression import Cell, is_small, suppress_list, threshold

MAX_CLASSES = 5
TOP_AREAS = 10  # the areas a map's table lists
# Light to dark blue: the darker the more crime; zero is white, hidden counts hatched grey.
COLOURS = ["#d2e2f1", "#96bde0", "#5694ca", "#1d70b8", "#003078"]
ZERO = "#ffffff"
HIDDEN = "#b1b4b6"
HATCH = "url(#hatch)"  # stands for the drawing's own pattern, named after its slug and width
EDGE = "#505a5f"
SNAPPED = "police.uk locations are snapped to nearby points, not the exact place of the crime."
NORTH = "North is up (British National Grid)."


@dataclass(frozen=True)
class MapArea:
    """One LSOA's outline: GeoJSON MultiPolygon coordinates in BNG metres."""

    code: str
    name: str
    polygons: list


@dataclass(frozen=True)
class AreaFigure:
    code: str
    name: str
    count: int
    rate: Decimal | None = None  # per 1,000 residents; None without a population
    previous: int | None = None  # the count of the period before, where the map compares one


@dataclass(frozen=True)
class MapClass:
    key: str  # "zero", "fewer", "withheld" or "c1".."c5": the path's class ends with it
    label: str
    fill: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Shaded:
    """An area as drawn: its class and how its figure is written."""

    code: str
    name: str
    cls: MapClass
    text: str
    value: float | None  # None when hidden


def quantile_classes(values: list[float], unit_format) -> list[MapClass]:
    """At most MAX_CLASSES classes of the non-zero values: the sorted values cut at equal
    shares (quantiles), each class from its lowest to its highest value, ties kept together."""
    ordered = sorted(v for v in values if v > 0)
    if not ordered:
        return []
    count = min(MAX_CLASSES, len(set(ordered)))
    highs: list[float] = []
    for i in range(1, count + 1):
        high = ordered[math.ceil(i * len(ordered) / count) - 1]
        if not highs or high > highs[-1]:
            highs.append(high)
    classes, low_index = [], 0
    for i, high in enumerate(highs):
        members = [v for v in ordered[low_index:] if v <= high]
        low = members[0]
        low_index += len(members)
        colour = COLOURS[round(i * (len(COLOURS) - 1) / max(len(highs) - 1, 1))]
        label = unit_format(low) if low == high else f"{unit_format(low)} to {unit_format(high)}"
        classes.append(MapClass(f"c{i + 1}", label, colour, low, high))
    return classes


def class_of(value: float, classes: list[MapClass]) -> MapClass | None:
    """The class whose range holds a non-zero value, under the legend's breaks."""
    return next((c for c in classes if c.low <= value <= c.high), None)


def _whole(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


@dataclass
class Projection:
    """BNG metres onto the drawing: north up, one scale for both axes."""

    west: float
    south: float
    north: float
    scale: float
    left: float
    top: float

    @classmethod
    def fit(cls, bounds, left, top, width, height) -> Projection:
        west, south, east, north = bounds
        scale = min(width / max(east - west, 1), height / max(north - south, 1))
        # centred in the box
        left += (width - (east - west) * scale) / 2
        top += (height - (north - south) * scale) / 2
        return cls(west, south, north, scale, left, top)

    def point(self, x: float, y: float) -> str:
        across = self.left + (x - self.west) * self.scale
        down = self.top + (self.north - y) * self.scale
        return f"{across:.1f} {down:.1f}"

    def path(self, polygons: list) -> str:
        parts = []
        for polygon in polygons:
            for ring in polygon:
                parts.append("M" + "L".join(self.point(x, y) for x, y in ring) + "Z")
        return "".join(parts)


def _scale_bar(projection: Projection, x: float, y: float, room: float) -> list[str]:
    """A bar of a round number of kilometres (1, 2 or 5 × 10ⁿ) at most `room` units long."""
    metres = room / projection.scale
    kilometres = max(
        (k for k in (0.5, 1, 2, 5, 10, 20, 50, 100) if k * 1000 <= metres), default=0.5
    )
    length = kilometres * 1000 * projection.scale
    return [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{length / 2:.1f}" height="5" fill="{INK}"/>',
        f'<rect x="{x + length / 2:.1f}" y="{y:.1f}" width="{length / 2:.1f}" height="5" '
        f'fill="#ffffff" stroke="{INK}" stroke-width="1"/>',
        _text(x, y + 18, "0", anchor="middle", size=12),
        _text(x + length, y + 18, f"{_whole(kilometres)} km", anchor="middle", size=12),
    ]


def _north_arrow(x: float, y: float) -> list[str]:
    return [
        f'<path d="M{x:.1f} {y:.1f}L{x + 8:.1f} {y + 22:.1f}L{x:.1f} {y + 17:.1f}'
        f'L{x - 8:.1f} {y + 22:.1f}Z" fill="{INK}"/>',
        _text(x, y + 36, "N", anchor="middle", size=12, weight="bold"),
    ]


def _hatch(pattern_id: str) -> str:
    return (
        f'<defs><pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f2f1"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HIDDEN}" stroke-width="3"/></pattern></defs>'
    )


def _lines(texts: list[str], x: float, y: float, chars: int) -> tuple[list[str], float]:
    """Notes wrapped to `chars` characters a line; and the y below them."""
    body = []
    for note in texts:
        for line in textwrap.wrap(note, chars):
            body.append(_text(x, y, line, size=12, fill=SECONDARY_INK))
            y += 16
    return body, y


def _key(
    projection: Projection,
    map_w: float,
    map_h: float,
    wide: bool,
    unit: str,
    classes: list[MapClass],
    hatch: str,
    notes: list[str],
) -> tuple[list[str], float]:
    """How to read the map: scale bar, north arrow, legend and notes; and the drawing's height.
    The wide drawing keeps them in a column beside the map, so that printed at the text's width
    it stays within half a page; the narrow one puts them under it. The attribution and
    figure's own notes are printed with the figure (its caption), not drawn again."""
    body = _scale_bar(projection, 16, map_h - 40, map_w / 3)
    body += _north_arrow(map_w - 24, 12)
    x, y = (map_w + 8, 24) if wide else (8, map_h + 8)
    legend, legend_end = _legend(unit, classes, x, y, hatch)
    body += legend
    if wide:
        text, bottom = _lines(notes, x, legend_end + 14, 35)
    else:
        text, bottom = _lines(notes, 8, legend_end + 16, 48)
    return body + text, max(map_h, bottom)


@dataclass
class ChoroplethMap:
    """LSOAs coloured by their figures. `figures` may name LSOAs the boundaries lack: their
    crimes are counted in the line saying so, not drawn."""

    title: str
    areas: list[MapArea]
    figures: list[AreaFigure]
    months: str  # "January to March 2024"
    vintage: int
    attribution: str
    what: str = "crimes"  # "crimes", "anti-social behaviour incidents", ...
    public: bool = False
    slug: str = "map"
    notes: list[str] = field(default_factory=list)
    previous_months: str = ""  # "April 2015 to March 2016": the period the table compares with
    source: str = ""  # where the counts come from, for the report's list of sources
    licence: str = ""
    # The union of the areas, where the caller has it already (hotspot_maps keeps one a set).
    given_outline: list | None = None
    kind = "map"

    def __post_init__(self) -> None:
        self._shaded: list[Shaded] | None = None
        self._drawings: dict[int, str] = {}

    # The figure's table: its top areas by count, as the page and the PDF show every chart's.

    @property
    def headings(self) -> list[str]:
        previous = f"Previous period ({self.previous_months})" if self.previous_months else ""
        return [
            "Area (LSOA)",
            f"Number of {self.what}",
            *([previous, "Change"] if previous else []),
            "Per 1,000 residents",
        ]

    @property
    def rows(self) -> list[tuple[str, list[Point]]]:
        """The top areas by count (TOP_AREAS of them) among the counts shown."""
        cells, _, _ = self._cells()
        shown = [
            f for f in self.figures if f.code in cells and f.count and not cells[f.code].hidden
        ]
        shown.sort(key=lambda f: (-f.count, f.name))
        return [self._row(f, cells[f.code]) for f in shown[:TOP_AREAS]]

    def csv(self) -> str:
        """Every LSOA drawn, by name, with the same columns as the table."""
        cells, _, _ = self._cells()
        drawn = sorted((f for f in self.figures if f.code in cells), key=lambda f: (f.name, f.code))
        return table_csv(
            self.headings,
            [self._row(f, cells[f.code]) for f in drawn],
            self.title,
            [*self.notes, self.lacking_line],
            self.attribution,
        )

    def _row(self, figure: AreaFigure, cell: Cell) -> tuple[str, list[Point]]:
        limit = threshold()
        count = Point("", figure.count, cell.display(limit), hidden=cell.hidden)
        if cell.hidden:
            rate = Point("", None, cell.display(limit), hidden=True)
        elif figure.rate is None:
            rate = Point("", None, "no population")
        else:
            rate = Point("", figure.rate, _whole(float(figure.rate)))
        points = [count]
        if self.previous_months:
            before = figure.previous or 0
            before_hidden = self.public and is_small(before, limit)
            before_text = f"fewer than {limit}" if before_hidden else f"{before:,}"
            points.append(Point("", before, before_text, hidden=before_hidden))
            if cell.hidden or before_hidden:
                points.append(Point("", None, "not shown", hidden=True))
            else:
                points.append(Point("", figure.count - before, signed(figure.count - before)))
        points.append(rate)
        return f"{figure.name} ({figure.code})", points

    @property
    def by_rate(self) -> bool:
        drawn = {a.code for a in self.areas}
        rates = [f.rate for f in self.figures if f.code in drawn]
        return bool(rates) and all(r is not None for r in rates)

    @property
    def unit(self) -> str:
        return f"{self.what} per 1,000 residents" if self.by_rate else f"Number of {self.what}"

    def _cells(self) -> tuple[dict[str, Cell], Cell, Cell]:
        """Each figure's cell, the lacking LSOAs' cell, the total's cell (suppressed if public)."""
        drawn = {a.code for a in self.areas}
        codes = [f.code for f in self.figures if f.code in drawn]
        counts = {f.code: f.count for f in self.figures}
        lacking = sum(f.count for f in self.figures if f.code not in drawn)
        values = [counts[c] for c in codes] + [lacking]
        if self.public:
            table = suppress_list(values, total=True)
            cells = [row[0] for row in table.cells]
            total = table.column_totals[0]
        else:
            cells, total = [Cell(v) for v in values], Cell(sum(values))
        return dict(zip(codes, cells[:-1], strict=True)), cells[-1], total

    def shaded(self) -> list[Shaded]:
        """Every boundary LSOA, in the boundaries' order, with its class and text."""
        if self._shaded is not None:
            return self._shaded
        cells, _, _ = self._cells()
        figures = {f.code: f for f in self.figures}
        limit = threshold()

        def value(code: str) -> float:
            figure = figures[code]
            return float(figure.rate) if self.by_rate else float(figure.count)

        shown = [value(c) for c, cell in cells.items() if not cell.hidden]
        self._classes = quantile_classes(shown, _whole)
        self.zero = MapClass("zero", f"No {self.what}", ZERO)
        self.fewer = MapClass("fewer", f"Fewer than {limit}", HATCH)
        self.withheld = MapClass("withheld", "Withheld (would reveal a smaller count)", HIDDEN)
        rows = []
        for area in self.areas:
            cell = cells.get(area.code, Cell(0))
            if cell.reason == "small":
                rows.append(Shaded(area.code, area.name, self.fewer, cell.display(limit), None))
            elif cell.reason == "secondary":
                rows.append(Shaded(area.code, area.name, self.withheld, cell.display(limit), None))
            elif area.code not in figures or figures[area.code].count == 0:
                rows.append(Shaded(area.code, area.name, self.zero, "0", 0.0))
            else:
                v = value(area.code)
                text = _whole(v) if not self.by_rate else f"{_whole(v)} per 1,000"
                if self.by_rate:
                    text += f" ({cell.display(limit)} {self.what})"
                rows.append(Shaded(area.code, area.name, class_of(v, self._classes), text, v))
        self._shaded = rows
        return rows

    @property
    def classes(self) -> list[MapClass]:
        """The legend's classes of non-zero values shown, under which each area is shaded."""
        self.shaded()
        return self._classes

    @property
    def legend(self) -> list[MapClass]:
        rows = self.shaded()
        used = {r.cls.key for r in rows}
        extra = [c for c in (self.zero, self.fewer, self.withheld) if c.key in used]
        return [*self.classes, *extra]

    @property
    def breaks_rule(self) -> str:
        shown = "shown " if self.public else ""
        return (
            f"Classes: quantiles of the non-zero {shown}values, at most {MAX_CLASSES} classes, "
            "each from its lowest to its highest value."
        )

    @property
    def lacking_line(self) -> str:
        _, lacking, _ = self._cells()
        drawn = {a.code for a in self.areas}
        missing = sorted({f.code for f in self.figures if f.code not in drawn})
        if not missing:
            return f"Every LSOA with {self.what} in these months has a boundary on the map."
        text = lacking.display(threshold())
        if lacking.reason == "small":
            text = text.capitalize()
        elif lacking.reason == "secondary":
            text = "A number withheld (it would reveal a smaller count) of"
        return (
            f"{text} {self.what} fall in {len(missing)} LSOA{'' if len(missing) == 1 else 's'} "
            "the boundaries lack, "
            "not drawn on the map."
        )

    @property
    def description(self) -> str:
        rows = [r for r in self.shaded() if r.value]
        rows.sort(key=lambda r: (-r.value, r.name))
        top = "; ".join(f"{r.name} ({r.text})" for r in rows[:3])
        _, _, total = self._cells()
        what = "rate per 1,000 residents" if self.by_rate else "number"
        text = (
            f"Map of {len(self.areas)} LSOAs ({self.vintage} LSOAs) shaded by {what} of "
            f"{self.what}, {self.months}; {total.display(threshold())} {self.what} in all."
        )
        if top:
            text += f" Highest: {top}."
        return text

    def svg(self, width: int = WIDTH) -> str:
        """The drawing, made once per width: a chapter page's map is kept in the cache and
        drawn for every reader (30 ms a drawing, docs/benchmarks.md)."""
        if width not in self._drawings:
            self._drawings[width] = self._draw(width)
        return self._drawings[width]

    def _draw(self, width: int) -> str:
        rows = {r.code: r for r in self.shaded()}
        wide = width >= WIDTH
        map_w = width * 0.64 if wide else width - 16
        map_h = 420 if wide else width
        bounds = _bounds([a.polygons for a in self.areas])
        projection = Projection.fit(bounds, 8, 8, map_w - 16, map_h - 56)
        # The page holds the wide and the narrow drawing: each names its own pattern.
        hatch = f"{self.slug}-hatch" if wide else f"{self.slug}-{width}-hatch"
        body = [_hatch(hatch)]
        for area in self.areas:
            row = rows[area.code]
            label = f"{area.name} ({area.code}): {row.text}"
            data = "" if self.public else f' data-count="{escape(row.text)}"'
            body.append(
                f'<path d="{projection.path(area.polygons)}" data-code="{escape(area.code)}"'
                f'{data} class="app-map-area app-map-{row.cls.key}" fill="{_fill(row.cls, hatch)}" '
                f'fill-rule="evenodd" stroke="{EDGE}" stroke-width="0.4">'
                f"<title>{escape(label)}</title></path>"
            )
        outline = self.outline
        if outline:
            body.append(
                f'<path d="{projection.path(outline)}" class="app-map-outline" fill="none" '
                f'stroke="{INK}" stroke-width="1.5"/>'
            )
        notes = [
            self.breaks_rule,
            f"Months: {self.months}. LSOAs: {self.vintage} boundaries.",
            SNAPPED,
            self.lacking_line,
            NORTH,
        ]
        key, bottom = _key(projection, map_w, map_h, wide, self.unit, self.legend, hatch, notes)
        body += key
        return svg_frame(
            self.slug, self.title, self.description, width, bottom + 4, body, "app-chart app-map"
        )

    def narrow_svg(self) -> str:
        return self.svg(NARROW)

    @property
    def outline(self) -> list:
        """The outline of the LSOAs drawn (their union): given, or computed once."""
        if self.given_outline is None:
            self.given_outline = outline_of([a.polygons for a in self.areas])
        return self.given_outline


def _fill(cls: MapClass, hatch: str) -> str:
    return f"url(#{hatch})" if cls.fill == HATCH else cls.fill


def _legend(
    unit: str, classes: list[MapClass], x: float, y: float, hatch: str = ""
) -> tuple[list[str], float]:
    body = [_text(x, y, unit[:1].upper() + unit[1:], size=12, weight="bold")]
    y += 10
    for cls in classes:
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="20" height="14" fill="{_fill(cls, hatch)}" '
            f'stroke="{EDGE}" stroke-width="0.6" class="app-map-key-{cls.key}"/>'
        )
        body.append(_text(x + 28, y + 11, cls.label, size=12))
        y += 20
    return body, y


def _bounds(shapes: list[list]) -> tuple[float, float, float, float]:
    xs = [x for polygons in shapes for polygon in polygons for x, _ in polygon[0]]
    ys = [y for polygons in shapes for polygon in polygons for _, y in polygon[0]]
    if not xs:
        return 0, 0, 1, 1
    return min(xs), min(ys), max(xs), max(ys)


def outline_of(shapes: list[list]) -> list:
    """The outline of the areas drawn, as MultiPolygon coordinates (their union)."""
    geometries = [
        shapely.MultiPolygon([(p[0], p[1:]) for p in polygons]) for polygons in shapes if polygons
    ]
    if not geometries:
        return []
    try:
        union = shapely.coverage_union_all(geometries)
    except shapely.errors.GEOSException:
        union = shapely.union_all(geometries)
    if not union.is_valid:
        union = shapely.union_all([shapely.make_valid(g) for g in geometries])
    outline = []
    for polygon in shapely.get_parts(union):
        if polygon.geom_type != "Polygon":
            continue
        outline.append([list(polygon.exterior.coords)])
    return outline


@dataclass
class GridMap:
    """The grid's density when no boundaries exist: one square per cell with crime. Partners'
    detail only: the grid is never drawn on a public map."""

    title: str
    cells: list[tuple[int, int, int]]  # (easting, northing of the south-west corner, count)
    cell_metres: int
    months: str
    what: str = "crimes"
    slug: str = "grid-map"
    notes: list[str] = field(default_factory=list)
    attribution: str = ""
    # The area's outline where boundaries exist (ChoroplethMap.outline), drawn over the squares
    # so that they are seen within the area; its notes then do not say none is loaded.
    outline: list = field(default_factory=list)

    @property
    def with_boundaries(self) -> bool:
        return bool(self.outline)

    @property
    def classes(self) -> list[MapClass]:
        return quantile_classes([float(c) for _, _, c in self.cells], _whole)

    # The figure's table, as a chart's: the squares with most, largest first; the CSV has all.

    @property
    def headings(self) -> list[str]:
        return [
            "Square (south-west corner, British National Grid metres)",
            f"Number of {self.what}",
        ]

    def _rows(self, cells) -> list[tuple[str, list[Point]]]:
        return [(f"{e}, {n}", [Point("", count, f"{count:,}")]) for e, n, count in cells]

    @property
    def rows(self) -> list[tuple[str, list[Point]]]:
        return self._rows(sorted(self.cells, key=lambda c: (-c[2], c[0], c[1]))[:TOP_AREAS])

    def csv(self) -> str:
        return table_csv(
            self.headings,
            self._rows(sorted(self.cells)),
            self.title,
            self.notes,
            self.attribution,
        )

    def narrow_svg(self) -> str:
        return self.svg(NARROW)

    @property
    def description(self) -> str:
        top = sorted(self.cells, key=lambda c: -c[2])[:3]
        total = sum(c for _, _, c in self.cells)
        text = (
            f"Grid map of {self.what}, {self.months}: {total:,} in {len(self.cells)} squares "
            f"of {self.cell_metres} metres."
        )
        if top:
            spots = "; ".join(f"{c:,} in the square at {e}, {n}" for e, n, c in top)
            text += f" Highest: {spots} (British National Grid metres)."
        return text

    def svg(self, width: int = WIDTH) -> str:
        wide = width >= WIDTH
        map_w = width * 0.64 if wide else width - 16
        map_h = 420 if wide else width
        size = self.cell_metres
        squares = [
            [[[[e, n], [e + size, n], [e + size, n + size], [e, n + size], [e, n]]]]
            for e, n, _ in self.cells
        ]
        projection = Projection.fit(_bounds([*squares, self.outline]), 8, 8, map_w - 16, map_h - 56)
        classes = self.classes
        body = []
        side = max(size * projection.scale, 0.5)
        for (e, n, count), _ in zip(self.cells, squares, strict=True):
            cls = class_of(float(count), classes)
            if cls is None:
                continue
            x, y = projection.point(e, n + size).split()
            body.append(
                f'<rect x="{x}" y="{y}" width="{side:.1f}" height="{side:.1f}" '
                f'data-cell="{e},{n}" data-count="{count}" class="app-map-cell app-map-{cls.key}" '
                f'fill="{cls.fill}"><title>{count:,} {escape(self.what)}</title></rect>'
            )
        if self.outline:
            body.append(
                f'<path d="{projection.path(self.outline)}" class="app-map-outline" fill="none" '
                f'stroke="{INK}" stroke-width="1.5"/>'
            )
        notes = [
            "Classes: quantiles of the squares' counts, at most 5 classes, each from its lowest "
            "to its highest value. Squares without crime are not drawn.",
            f"Months: {self.months}. Squares of {self.cell_metres} metres on the British "
            "National Grid" + ("." if self.with_boundaries else "; no LSOA boundaries are loaded."),
            SNAPPED,
            NORTH,
        ]
        unit = f"{self.what} per square"
        key, bottom = _key(projection, map_w, map_h, wide, unit, classes, "", notes)
        body += key
        return svg_frame(
            self.slug, self.title, self.description, width, bottom + 4, body, "app-chart app-map"
        )
