"""The matrix chart: each theme placed by its scores on the two criteria the partnership chose as
axes (across: likelihood or volume; up: impact or harm), on the 1 to 4 grid, as accessible SVG
with the same figures as a table and CSV. It follows indicators/charts.py: the same frame (title
and description for screen readers), fonts and colours, the same SVG on the site and in the PDF.

Themes are marked by their place in the ranking rather than their names, which would overlap
where two themes score alike, or their rank, which tied themes share; the table beside the chart
names each number."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from assessments.core.spreadsheet import neutralise
from assessments.indicators.charts import BLUE, GRID, INK, NARROW, WIDTH, _frame, _text
from assessments.priorities.selectors import Matrix

HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 440, 80, 24, 24, 64
# A phone's drawing (charts.NARROW wide): the same grid, in less room around it.
NARROW_HEIGHT, NARROW_LEFT, NARROW_RIGHT = 360, 52, 8
LEVELS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Placed:
    mark: int  # the theme's place in the ranked list: unique, where tied ranks are not
    rank: int | None
    theme: str
    x: Decimal | None
    y: Decimal | None
    combined: Decimal | None


@dataclass
class MatrixChart:
    title: str
    description: str
    x_name: str
    y_name: str
    placed: list[Placed]
    slug: str = "priority-matrix"

    def svg(self) -> str:
        return matrix_svg(self)

    def narrow_svg(self) -> str:
        return matrix_svg(self, NARROW)


def matrix_chart(matrix: Matrix) -> MatrixChart | None:
    """The chart of the matrix, or None where the partnership has not chosen both axes."""
    x_axis, y_axis = matrix.axis("x"), matrix.axis("y")
    if x_axis is None or y_axis is None:
        return None
    placed = [
        Placed(
            mark,
            row.rank,
            row.theme,
            row.axis_score(x_axis),
            row.axis_score(y_axis),
            row.combined,
        )
        for mark, row in enumerate(matrix.rows, start=1)
    ]
    on_chart = [p for p in placed if p.x is not None and p.y is not None]
    top = [p.theme for p in on_chart if p.x >= 3 and p.y >= 3]
    description = (
        f"{len(on_chart)} themes placed by {x_axis.name} (across, 1 to 4) and {y_axis.name} "
        f"(up, 1 to 4), each marked by its place in the ranking. "
        + (f"In the high–high corner: {', '.join(top)}." if top else "None is high on both.")
    )
    return MatrixChart(
        title=f"Priority matrix: {x_axis.name} by {y_axis.name}",
        description=description,
        x_name=x_axis.name,
        y_name=y_axis.name,
        placed=placed,
    )


def matrix_svg(chart: MatrixChart, width: int = WIDTH) -> str:
    height, left, right = HEIGHT, LEFT, RIGHT
    if width < WIDTH:
        height, left, right = NARROW_HEIGHT, NARROW_LEFT, NARROW_RIGHT
    plot_w, plot_h = width - left - right, height - TOP - BOTTOM
    # Three marks side by side within a cell, smaller in a phone's narrower cells.
    step, radius = (26, 11) if width >= WIDTH else (20, 9)

    def x(score: float) -> float:
        return left + plot_w * (score - 0.5) / 4

    def y(score: float) -> float:
        return TOP + plot_h - plot_h * (score - 0.5) / 4

    body = [
        # The high–high quarter, where the priorities usually are, lightly shaded.
        f'<rect x="{x(2.5):.1f}" y="{y(4.5):.1f}" width="{plot_w / 2:.1f}" '
        f'height="{plot_h / 2:.1f}" fill="#f3f2f1"/>'
    ]
    for level in LEVELS:
        edge = level + 0.5
        body.append(
            f'<line x1="{x(edge):.1f}" x2="{x(edge):.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(edge):.1f}" y2="{y(edge):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(x(level), TOP + plot_h + 20, str(level), anchor="middle", size=12))
        body.append(_text(left - 12, y(level) + 4, str(level), anchor="end", size=12))
    body.append(
        f'<rect x="{left}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    body.append(_text(left + plot_w / 2, height - 16, f"{chart.x_name} →", anchor="middle"))
    y_name_x = 22 if width >= WIDTH else 16
    body.append(
        f'<g transform="translate({y_name_x} {TOP + plot_h / 2:.1f}) rotate(-90)">'
        + _text(0, 0, f"{chart.y_name} →", anchor="middle")
        + "</g>"
    )
    seen: dict[tuple, int] = {}
    for point in chart.placed:
        if point.x is None or point.y is None:
            continue
        # Themes at the same place are set side by side, not on top of each other.
        key = (point.x, point.y)
        nudge = seen.get(key, 0)
        seen[key] = nudge + 1
        across = (0, 1, -1)[nudge % 3] * step
        cx, cy = x(float(point.x)) + across, y(float(point.y)) - nudge // 3 * step
        body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}" fill="{BLUE}"/>')
        body.append(
            _text(
                cx, cy + 4, str(point.mark), anchor="middle", size=12, fill="#ffffff", weight="bold"
            )
        )
    return _frame(chart, height, body, width)


def matrix_csv(chart: MatrixChart) -> str:
    """The chart's table as CSV: mark, rank, theme, the two axis scores and the combined score."""
    out = io.StringIO()
    writer = csv.writer(out)
    rows = [["Mark", "Rank", "Theme", chart.x_name, chart.y_name, "Combined score"]]
    for p in chart.placed:
        scores = (v if v is not None else "" for v in (p.x, p.y, p.combined))
        rows.append([p.mark, p.rank or "", p.theme, *scores])
    rows += [[], ["Title", chart.title], ["Description", chart.description]]
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return out.getvalue()
