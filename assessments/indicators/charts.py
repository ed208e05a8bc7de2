"""Accessible charts drawn on the server as SVG: figures in, an SVG string out.

The same SVG is used on the site and in the PDF, so it is self-contained: no scripts, no
external fonts or images, and the font stack Arial / Liberation Sans that WeasyPrint finds on
the machine. Each chart carries a title and description for screen readers; the page shows the
same figures as a table and offers them as CSV. No database, no HTTP, no WeasyPrint here.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from assessments.core.spreadsheet import neutralise

FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
INK = "#0b0c0c"
SECONDARY_INK = "#505a5f"
GRID = "#b1b4b6"
BLUE = "#1d70b8"
PREVIOUS = "#505a5f"
WIDTH = 640
# The drawing for a phone's screen, shown instead below NARROW_UNTIL pixels (site.scss): at 375
# pixels the page's column is 345 wide, so the lettering is drawn a little larger than its
# 12 or 13 units, where the 640-unit drawing would shrink it to about 6 pixels.
NARROW = 320


# Lines of several places: the area solid and heavy, each comparator with its own dash and
# marker, so that no line is told from another by colour alone.
LINE_STYLES = [
    (BLUE, "", "circle"),
    (INK, "8 4", "square"),
    ("#6f3c97", "2 4", "diamond"),
    ("#b58840", "12 4 2 4", "triangle"),
    (SECONDARY_INK, "4 2", "circle"),
]


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | int | None
    text: str  # how the value is written: "1,234", "12.5%", "fewer than 5"
    hidden: bool = False  # suppressed: drawn as a gap, written as its text
    emphasis: bool = False  # the area among others: drawn heavier, its label in bold


@dataclass(frozen=True)
class Series:
    """One place's line in a chart of several places over the same periods."""

    name: str
    points: list[Point]


@dataclass
class Chart:
    # "line" (a trend over periods), "bar" (a comparison), "lines" (several places' trends,
    # in `series`) or "ranked" (places ranked by a value that may be negative, such as change)
    kind: str
    title: str
    description: str
    unit: str
    points: list[Point]
    source: str = ""
    period: str = ""
    licence: str = ""
    label_heading: str = "Period"
    highlight_last: bool = False  # a comparison of periods: the latest in blue, earlier in grey
    notes: list[str] = field(default_factory=list)
    slug: str = "chart"
    series: list[Series] = field(default_factory=list)

    def svg(self, width: int = WIDTH) -> str:
        draw = {"line": line_svg, "bar": bar_svg, "lines": lines_svg, "ranked": ranked_svg}
        return draw[self.kind](self, width)

    def narrow_svg(self) -> str:
        return self.svg(NARROW)

    def csv(self) -> str:
        return chart_csv(self)

    @property
    def headings(self) -> list[str]:
        """The columns of the chart's table and CSV: one per place for a chart of several."""
        if self.series:
            return [self.label_heading, *(series.name for series in self.series)]
        return [self.label_heading, self.unit[:1].upper() + self.unit[1:]]

    @property
    def rows(self) -> list[tuple[str, list[Point]]]:
        """The chart's table: a label, then the value of each column."""
        if self.series:
            labels = [point.label for point in self.series[0].points]
            return [(label, [s.points[i] for s in self.series]) for i, label in enumerate(labels)]
        return [(point.label, [point]) for point in self.points]

    @property
    def attribution(self) -> str:
        parts = [f"Source: {self.source}" if self.source else "", self.period]
        if self.licence.startswith("Open Government Licence"):
            # The attribution statement the OGL asks for, once, as the chart's licence credit.
            parts.append(f"Contains public sector information licensed under the {self.licence}")
        elif self.licence:
            parts.append(f"Licence: {self.licence}")
        return ". ".join(p for p in parts if p) + "."


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round axis steps (1, 2 or 5 × 10ⁿ) from zero to at least the maximum."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw)
    ticks = [0.0]
    while ticks[-1] < maximum:
        ticks.append(ticks[-1] + step)
    return ticks


def index_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round steps spanning an index's range around 100: an index is read against 100, not
    against zero, so its axis does not start at zero (and says so by its labels)."""
    low, high = min(low, 100.0), max(high, 100.0)
    raw = max(high - low, 1.0) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw)
    ticks = [math.floor(low / step) * step]
    # At least two ticks: an axis of one (every value 100) would have no span to scale by.
    while ticks[-1] < high or len(ticks) < 2:
        ticks.append(ticks[-1] + step)
    return ticks


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _text(x, y, content, *, anchor="start", size=13, fill=INK, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(content)}</text>'
    )


def _frame(chart, height: int, body: list[str], width: int = WIDTH) -> str:
    return svg_frame(chart.slug, chart.title, chart.description, width, height, body)


def svg_frame(
    slug: str,
    title: str,
    description: str,
    width: int,
    height: float,
    body: list[str],
    css_class: str = "app-chart",
) -> str:
    """A drawing (a chart or a map) as an image named by its title and description. The page
    holds both drawings (one hidden by its width): each names its own title."""
    stem = slug if width == WIDTH else f"{slug}-{width}"
    ids = f"{stem}-title", f"{stem}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" role="img" aria-labelledby="{ids[0]} {ids[1]}" '
        f'font-family="{FONT}" class="{css_class}">'
        f'<title id="{ids[0]}">{escape(title)}</title>'
        f'<desc id="{ids[1]}">{escape(description)}</desc>'
        f'<rect width="{width}" height="{height:.0f}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _values(chart: Chart) -> list[float]:
    points = [p for s in chart.series for p in s.points] or chart.points
    return [float(p.value) for p in points if p.value is not None and not p.hidden]


def _grid(ticks: list[float], y, left: int, right: int) -> list[str]:
    """A value axis: a grid line and its number for each tick (`right`: the plot's right edge)."""
    body = []
    for tick in ticks:
        body.append(
            f'<line x1="{left}" x2="{right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 8, y(tick) + 4, _number(tick), anchor="end", size=12))
    return body


def _labelled(count: int, plot_w: float, width: int) -> set[int]:
    """The periods whose labels fit under a phone's axis: every n-th, counted back from the
    latest, so that labels do not run into each other (the table names every period)."""
    label_w = 64 if width < WIDTH else 0  # the 640-unit drawing labels every period
    every = max(1, math.ceil(label_w / (plot_w / max(count, 1))))
    return {i for i in range(count) if (count - 1 - i) % every == 0}


def line_svg(chart: Chart, width: int = WIDTH) -> str:
    """A trend: one value per period, joined by a line; gaps where a value is missing."""
    height, left, right, top, bottom = 320, 64, 24, 24, 56
    if width < WIDTH:
        height, left, right = 260, 52, 12
    ticks = nice_ticks(max(_values(chart), default=0))
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(chart.points), 1)
    labelled = _labelled(count, plot_w, width)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / count)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / ticks[-1]

    body = _grid(ticks, y, left, width - right)
    segment: list[str] = []
    segments = [segment]
    for i, point in enumerate(chart.points):
        if i in labelled:
            body.append(_text(x(i), height - bottom + 20, point.label, anchor="middle", size=12))
        if point.value is None or point.hidden:
            segment = []
            segments.append(segment)
            continue
        segment.append(f"{x(i):.1f},{y(float(point.value)):.1f}")
        body.append(
            f'<circle cx="{x(i):.1f}" cy="{y(float(point.value)):.1f}" r="4" fill="{BLUE}"/>'
        )
    for points in segments:
        if len(points) > 1:
            body.insert(
                len(ticks) * 2,
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{BLUE}" '
                'stroke-width="3"/>',
            )
    body.append(_text(left, height - 12, chart.unit.capitalize(), size=12, fill=SECONDARY_INK))
    return _frame(chart, height, body, width)


@dataclass(frozen=True)
class Rows:
    """Where a chart of one bar per label puts its labels: beside the bars (label_w wide), or
    on a narrow drawing above them, each bar then as wide as the drawing allows."""

    row: int
    label_w: int
    above: bool

    @classmethod
    def of(cls, width: int, row: int, label_w: int) -> Rows:
        return cls(row, label_w, False) if width >= WIDTH else cls(row + 18, 0, True)

    def label(self, y: float, text: str, weight: str = "normal") -> str:
        if self.above:
            return _text(0, y + 14, text, weight=weight)
        return _text(self.label_w - 8, y + self.row / 2 + 4, text, anchor="end", weight=weight)

    def bar_top(self, y: float) -> float:
        """The top of the bar's band (the row, below its label if above)."""
        return y + 18 if self.above else y

    @property
    def band(self) -> int:
        return self.row - 18 if self.above else self.row

    def axis(self, x: float, top: float, count: int) -> list[str]:
        """The line the bars start from: beside the bands only where labels sit above them."""
        spans = (
            [(self.bar_top(top + i * self.row), self.band) for i in range(count)]
            if self.above
            else [(top, self.row * count)]
        )
        return [
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{start:.1f}" y2="{start + length:.1f}" '
            f'stroke="{INK}" stroke-width="1"/>'
            for start, length in spans
        ]


def bar_svg(chart: Chart, width: int = WIDTH) -> str:
    """A comparison: one horizontal bar per label, its value written at the end."""
    rows, top = Rows.of(width, 30, 200), 12
    row, label_w = rows.row, rows.label_w
    height = top * 2 + row * len(chart.points) + 24
    ticks = nice_ticks(max(_values(chart), default=0))
    bar_max = width - label_w - (110 if width >= WIDTH else 90)

    body = []
    for i, point in enumerate(chart.points):
        body.append(rows.label(top + i * row, point.label))
        y = rows.bar_top(top + i * row)
        if point.value is not None and not point.hidden:
            length = bar_max * float(point.value) / ticks[-1]
            earlier = chart.highlight_last and i < len(chart.points) - 1
            colour = PREVIOUS if earlier else BLUE
            body.append(
                f'<rect x="{label_w}" y="{y + 5}" width="{length:.1f}" '
                f'height="{rows.band - 10}" fill="{colour}"/>'
            )
            body.append(_text(label_w + length + 6, y + rows.band / 2 + 4, point.text))
        else:
            body.append(_text(label_w + 6, y + rows.band / 2 + 4, point.text, fill=SECONDARY_INK))
    body += rows.axis(label_w, top, len(chart.points))
    body.append(_text(label_w, height - 8, chart.unit.capitalize(), size=12, fill=SECONDARY_INK))
    return _frame(chart, height, body, width)


def drawing_data(drawing: Chart) -> dict:
    """A chart, or a map (maps.py, drawn to the same protocol), as the page, the PDF and an
    edition keep it: plain data, its two drawings, words and table."""
    return {
        "slug": drawing.slug,
        "title": drawing.title,
        "description": drawing.description,
        "attribution": drawing.attribution,
        "notes": list(drawing.notes),
        "svg": drawing.svg(),
        "narrow_svg": drawing.narrow_svg(),  # the edition's pages on a phone
        "headings": list(drawing.headings),
        "rows": [[label, [{"text": p.text} for p in points]] for label, points in drawing.rows],
        # Its figures as the CSV download gives them, so that an edition's downloads are its own.
        "csv": drawing.csv(),
    }


def chart_csv(chart: Chart) -> str:
    """The chart's figures with their attribution, as CSV text (hidden values stay hidden)."""
    return table_csv(chart.headings, chart.rows, chart.title, chart.notes, chart.attribution)


def table_csv(
    headings: list[str],
    rows: list[tuple[str, list[Point]]],
    title: str,
    notes: list[str],
    attribution: str,
) -> str:
    """A figure's table as CSV text, then its title, notes and attribution."""
    out = io.StringIO()
    writer = csv.writer(out)
    lines = [headings]
    for label, points in rows:
        lines.append([label, *(_shown(point) for point in points)])
    lines += [[], ["Title", title]]
    lines += [["Note", note] for note in notes]
    lines.append(["Attribution", attribution])
    writer.writerows([neutralise(cell) for cell in line] for line in lines)
    return out.getvalue()


def _shown(point: Point):
    return point.text if point.hidden or point.value is None else point.value


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        corners = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{corners}" fill="{colour}"/>'
    if shape == "triangle":
        corners = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{corners}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def lines_svg(chart: Chart, width: int = WIDTH) -> str:
    """Several places over the same periods: one styled line each, a gap where a place has no
    figure, and a legend that repeats each line's dash and marker beside its name."""
    legend_rows = len(chart.series)
    height, left, right, top, bottom = 300 + 22 * legend_rows, 64, 24, 24, 56 + 22 * legend_rows
    key_x = left
    if width < WIDTH:  # the legend starts at the drawing's edge, for the places' long names
        height, left, right, key_x = height - 60, 52, 12, 4
    values = _values(chart)
    if chart.unit == "index":
        ticks = index_ticks(min(values, default=100), max(values, default=100))
    else:
        ticks = nice_ticks(max(values, default=0))
    plot_w, plot_h = width - left - right, height - top - bottom
    labels = [point.label for point in chart.series[0].points] if chart.series else []
    count = max(len(labels), 1)
    labelled = _labelled(count, plot_w, width)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / count)

    def y(v: float) -> float:
        return top + plot_h - plot_h * (v - ticks[0]) / (ticks[-1] - ticks[0])

    body = _grid(ticks, y, left, width - right)
    for i, label in enumerate(labels):
        if i in labelled:
            body.append(_text(x(i), top + plot_h + 20, label, anchor="middle", size=12))
    for n, series in enumerate(chart.series):
        colour, dash, shape = LINE_STYLES[n % len(LINE_STYLES)]
        stroke = 4 if n == 0 else 2.5
        segments: list[list[str]] = [[]]
        for i, point in enumerate(series.points):
            if point.value is None or point.hidden:
                segments.append([])
                continue
            segments[-1].append(f"{x(i):.1f},{y(float(point.value)):.1f}")
            body.append(_marker(shape, x(i), y(float(point.value)), colour))
        for points in segments:
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="{stroke}" stroke-dasharray="{dash or "none"}"/>'
                )
        key_y = top + plot_h + 44 + 22 * n
        body.append(
            f'<line x1="{key_x}" x2="{key_x + 40}" y1="{key_y - 4}" y2="{key_y - 4}" '
            f'stroke="{colour}" stroke-width="{stroke}" stroke-dasharray="{dash or "none"}"/>'
        )
        body.append(_marker(shape, key_x + 20, key_y - 4, colour))
        weight = "bold" if n == 0 else "normal"
        body.append(_text(key_x + 50, key_y, series.name, size=12, weight=weight))
    body.append(_text(width - right, top - 8, chart.unit.capitalize(), anchor="end", size=12,
                      fill=SECONDARY_INK))  # fmt: skip
    return _frame(chart, height, body, width)


def ranked_svg(chart: Chart, width: int = WIDTH) -> str:
    """Places ranked by a value that may fall below zero (a change), bars from a zero line; the
    area's bar darker and its label bold, and places without a figure written, not drawn."""
    rows, top = Rows.of(width, 26, 220), 12
    row, label_w = rows.row, rows.label_w
    height = top * 2 + row * len(chart.points) + 24
    values = _values(chart)
    low, high = min(values + [0.0]), max(values + [0.0])
    span = (high - low) or 1
    plot_left = label_w + 4
    plot_w = width - plot_left - (86 if width >= WIDTH else 64)
    zero = plot_left + plot_w * (0 - low) / span

    body = []
    for i, point in enumerate(chart.points):
        weight = "bold" if point.emphasis else "normal"
        body.append(rows.label(top + i * row, point.label, weight))
        y = rows.bar_top(top + i * row)
        row_middle = y + rows.band / 2 + 4
        if point.value is None or point.hidden:
            body.append(_text(zero + 6, row_middle, point.text, fill=SECONDARY_INK))
            continue
        end = plot_left + plot_w * (float(point.value) - low) / span
        colour = BLUE if point.emphasis else PREVIOUS
        outline = f' stroke="{INK}" stroke-width="2"' if point.emphasis else ""
        body.append(
            f'<rect x="{min(zero, end):.1f}" y="{y + 4}" width="{abs(end - zero):.1f}" '
            f'height="{rows.band - 8}" fill="{colour}"{outline}/>'
        )
        anchor, at = ("start", max(zero, end) + 6) if point.value >= 0 else ("end", end - 6)
        if point.value < 0 and end - 6 < plot_left + 40:
            anchor, at = "start", zero + 6
        body.append(_text(at, row_middle, point.text, anchor=anchor, weight=weight))
    body += rows.axis(zero, top, len(chart.points))
    body.append(_text(label_w, height - 8, chart.unit.capitalize(), size=12, fill=SECONDARY_INK))
    return _frame(chart, height, body, width)
