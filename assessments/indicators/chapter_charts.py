"""The charts of a chapter, built from its indicator selections: a trend of quarters where the
data is monthly or quarterly, a comparison of periods otherwise, and for data held by LSOA a
comparison of estates with small numbers suppressed (chapters are public)."""

from __future__ import annotations

from decimal import Decimal

from assessments.core.models import Chapter
from assessments.core.periods import Period
from assessments.indicators import suppression
from assessments.indicators.charts import Chart, Point
from assessments.indicators.models import Geography, IndicatorSelection
from assessments.indicators.police_uk import ATTRIBUTION, SOURCE
from assessments.indicators.selectors import (
    geographies_at_level,
    has_lsoa_data,
    indicator_series,
    indicator_totals_by_geography,
    quarters_of,
)

PERCENT = "%"


def value_text(value: Decimal | None, is_rate: bool) -> str:
    if value is None:
        return "no data"
    return f"{value:,.1f}%" if is_rate else f"{value:,.0f}"


def _common(selection: IndicatorSelection, area: Geography, slug: str) -> dict:
    indicator = selection.indicator
    first = selection.comparison_period or selection.current_period
    span = first.label
    if first != selection.current_period:
        span = f"{first.label} to {selection.current_period.label}"
    return {
        "unit": "per cent" if indicator.measure == "rate" else indicator.unit,
        "source": indicator.source,
        "licence": indicator.licence,
        "period": f"{area.name}, {span}",
        "notes": [ATTRIBUTION] if indicator.source == SOURCE else [],
        "slug": slug,
    }


def _describe(name: str, place: str, points: list[Point]) -> str:
    shown = [p for p in points if p.value is not None and not p.hidden]
    if not shown:
        return f"{name} in {place}: no data."
    low = min(shown, key=lambda p: p.value)
    high = max(shown, key=lambda p: p.value)
    return (
        f"{name} in {place}, {points[0].label} to {points[-1].label}: lowest {low.text} "
        f"({low.label}), highest {high.text} ({high.label}), latest {shown[-1].text} "
        f"({shown[-1].label})."
    )


def trend_chart(selection: IndicatorSelection, area: Geography, slug: str) -> Chart | None:
    """Quarters from the comparison period to the current one, if the data has them."""
    indicator = selection.indicator
    first = selection.comparison_period or selection.current_period
    quarters = quarters_of(first, selection.current_period)
    series = indicator_series(indicator, area, quarters)
    if sum(1 for _, value in series if value is not None) < 2:
        return None
    is_rate = indicator.measure == "rate"
    points = [
        Point(_quarter_label(period), value, value_text(value, is_rate)) for period, value in series
    ]
    return Chart(
        kind="line",
        title=f"{indicator.name} by quarter",
        description=_describe(indicator.name, area.name, points),
        points=points,
        label_heading="Quarter starting",
        **_common(selection, area, slug),
    )


def _quarter_label(period: Period) -> str:
    return f"{period.start:%b} {period.start:%Y}"


def comparison_chart(selection: IndicatorSelection, area: Geography, slug: str) -> Chart:
    """The previous and the latest period side by side (only the latest for a baseline)."""
    indicator = selection.indicator
    periods = [p for p in (selection.comparison_period, selection.current_period) if p]
    series = indicator_series(indicator, area, periods)
    is_rate = indicator.measure == "rate"
    points = [Point(period.label, value, value_text(value, is_rate)) for period, value in series]
    return Chart(
        kind="bar",
        title=f"{indicator.name}, {' and '.join(p.label for p in periods)}",
        description=_describe(indicator.name, area.name, points),
        points=points,
        highlight_last=True,
        **_common(selection, area, slug),
    )


def estate_chart(selection: IndicatorSelection, area: Geography, slug: str) -> Chart | None:
    """The current period by estate, small counts suppressed, if the data is held by LSOA."""
    indicator = selection.indicator
    if indicator.measure == "rate" or not has_lsoa_data(indicator):
        return None
    estates = list(geographies_at_level(area.partnership_id, Geography.Level.ESTATE))
    totals = indicator_totals_by_geography(
        [indicator], Geography.Level.ESTATE, selection.current_period
    )[indicator.pk]
    values = [totals.get(estate.pk, 0) for estate in estates]
    table = suppression.suppress_list(values, total=True)
    limit = table.threshold
    points = [
        Point(estate.name, cell.value, cell.display(limit), cell.hidden)
        for estate, [cell] in zip(estates, table.cells, strict=True)
    ]
    notes = _common(selection, area, slug)["notes"]
    if table.anything_hidden:
        notes = [
            f"Counts from 1 to {limit - 1} are shown as “fewer than {limit}”, and some others "
            "withheld so that totals do not reveal them.",
            *notes,
        ]
    common = _common(selection, area, slug) | {"notes": notes}
    common["period"] = f"Estates of {area.name}, {selection.current_period.label}"
    return Chart(
        kind="bar",
        title=f"{indicator.name} by estate, {selection.current_period.label}",
        description=_describe(indicator.name, f"the estates of {area.name}", points),
        points=points,
        label_heading="Estate",
        **common,
    )


def chapter_charts(chapter: Chapter, area: Geography) -> list[Chart]:
    """Every chart of the chapter, in the order of its selections."""
    charts: list[Chart] = []
    for selection in chapter.selections.all():
        slug = f"chart-{len(charts) + 1}"
        trend = trend_chart(selection, area, slug)
        charts.append(trend or comparison_chart(selection, area, slug))
        estates = estate_chart(selection, area, f"chart-{len(charts) + 1}")
        if estates is not None:
            charts.append(estates)
    return charts
