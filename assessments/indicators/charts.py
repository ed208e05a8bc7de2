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


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | int | None
    text: str  # how the value is written: "1,234", "12.5%", "fewer than 5"
    hidden: bool = False  # suppressed: drawn as a gap, written as its text


@dataclass
class Chart:
    kind: str  # "line" (a trend over periods) or "bar" (a comparison)
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

    def svg(self) -> str:
        return line_svg(self) if self.kind == "line" else bar_svg(self)

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


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _text(x, y, content, *, anchor="start", size=13, fill=INK, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(content)}</text>'
    )


def _frame(chart: Chart, height: int, body: list[str]) -> str:
    ids = f"{chart.slug}-title", f"{chart.slug}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{ids[0]} {ids[1]}" '
        f'font-family="{FONT}" class="app-chart">'
        f'<title id="{ids[0]}">{escape(chart.title)}</title>'
        f'<desc id="{ids[1]}">{escape(chart.description)}</desc>'
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _values(chart: Chart) -> list[float]:
    return [float(p.value) for p in chart.points if p.value is not None and not p.hidden]


def line_svg(chart: Chart) -> str:
    """A trend: one value per period, joined by a line; gaps where a value is missing."""
    height, left, right, top, bottom = 320, 64, 24, 24, 56
    ticks = nice_ticks(max(_values(chart), default=0))
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    count = max(len(chart.points), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / count)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / ticks[-1]

    body = []
    for tick in ticks:
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 8, y(tick) + 4, _number(tick), anchor="end", size=12))
    segment: list[str] = []
    segments = [segment]
    for i, point in enumerate(chart.points):
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
    return _frame(chart, height, body)


def bar_svg(chart: Chart) -> str:
    """A comparison: one horizontal bar per label, its value written at the end."""
    row, label_w, top = 30, 200, 12
    height = top * 2 + row * len(chart.points) + 24
    ticks = nice_ticks(max(_values(chart), default=0))
    bar_max = WIDTH - label_w - 110

    body = []
    for i, point in enumerate(chart.points):
        y = top + i * row
        body.append(_text(label_w - 8, y + row / 2 + 4, point.label, anchor="end"))
        if point.value is not None and not point.hidden:
            width = bar_max * float(point.value) / ticks[-1]
            earlier = chart.highlight_last and i < len(chart.points) - 1
            colour = PREVIOUS if earlier else BLUE
            body.append(
                f'<rect x="{label_w}" y="{y + 5}" width="{width:.1f}" height="{row - 10}" '
                f'fill="{colour}"/>'
            )
            body.append(_text(label_w + width + 6, y + row / 2 + 4, point.text))
        else:
            body.append(_text(label_w + 6, y + row / 2 + 4, point.text, fill=SECONDARY_INK))
    body.append(
        f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{top + row * len(chart.points)}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    body.append(_text(label_w, height - 8, chart.unit.capitalize(), size=12, fill=SECONDARY_INK))
    return _frame(chart, height, body)


def chart_csv(chart: Chart) -> str:
    """The chart's figures with their attribution, as CSV text (hidden values stay hidden)."""
    out = io.StringIO()
    writer = csv.writer(out)
    rows = [[chart.label_heading, chart.unit.capitalize()]]
    for point in chart.points:
        shown = point.text if point.hidden or point.value is None else point.value
        rows.append([point.label, shown])
    rows += [[], ["Title", chart.title]]
    rows += [["Note", note] for note in chart.notes]
    rows.append(["Attribution", chart.attribution])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return out.getvalue()
