"""The charts of a chapter, built from its indicator selections: a trend of quarters where the
data is monthly or quarterly, a comparison of periods otherwise, and for data held by LSOA a
comparison of estates with small numbers suppressed (chapters are public)."""

from __future__ import annotations

from decimal import Decimal

from assessments.core.cache_version import cached
from assessments.core.models import Chapter
from assessments.core.periods import Period
from assessments.indicators import suppression
from assessments.indicators.charts import Chart, Point
from assessments.indicators.headlines import HeadlineFigure, figure_for
from assessments.indicators.models import Geography, IndicatorSelection
from assessments.indicators.selectors import quarters_of
from assessments.indicators.series import SeriesBook

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
        "notes": [],
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


def trend_chart(
    selection: IndicatorSelection, area: Geography, slug: str, book: SeriesBook | None = None
) -> Chart | None:
    """Quarters from the comparison period to the current one, if the data has them."""
    indicator = selection.indicator
    first = selection.comparison_period or selection.current_period
    quarters = quarters_of(first, selection.current_period)
    series = _book(book, selection, area).series(indicator, area, quarters)
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


def comparison_chart(
    selection: IndicatorSelection, area: Geography, slug: str, book: SeriesBook | None = None
) -> Chart:
    """The previous and the latest period side by side (only the latest for a baseline)."""
    indicator = selection.indicator
    periods = [p for p in (selection.comparison_period, selection.current_period) if p]
    series = _book(book, selection, area).series(indicator, area, periods)
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


def estate_chart(
    selection: IndicatorSelection, area: Geography, slug: str, book: SeriesBook | None = None
) -> Chart | None:
    """The current period by estate, small counts suppressed, if the data is held by LSOA."""
    indicator = selection.indicator
    book = _book(book, selection, area)
    if indicator.measure == "rate" or not book.has_lsoa_data(indicator):
        return None
    estates = book.estates()
    values = [book.value(indicator, estate, selection.current_period) or 0 for estate in estates]
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


def _book(book: SeriesBook | None, selection: IndicatorSelection, area: Geography) -> SeriesBook:
    return book or SeriesBook.for_selections([selection], area)


def chapter_charts(
    chapter: Chapter, area: Geography, book: SeriesBook | None = None
) -> list[Chart]:
    """Every chart of the chapter, in the order of its selections (read through one book)."""
    selections = chapter.selections.all()
    book = book or SeriesBook.for_selections(selections, area)
    charts: list[Chart] = []
    for selection in selections:
        slug = f"chart-{len(charts) + 1}"
        trend = trend_chart(selection, area, slug, book)
        charts.append(trend or comparison_chart(selection, area, slug, book))
        estates = estate_chart(selection, area, f"chart-{len(charts) + 1}", book)
        if estates is not None:
            charts.append(estates)
    return charts


def chapter_figures_and_charts(
    chapter: Chapter, area: Geography
) -> tuple[list[HeadlineFigure], list[Chart]]:
    """The chapter page's figures and charts from one read of its data, cached under the
    partnership's version (they change only with the data and the selections)."""

    def build() -> tuple[list[HeadlineFigure], list[Chart]]:
        selections = chapter.selections.all()
        book = SeriesBook.for_selections(selections, area)
        figures = [figure_for(selection, area, book) for selection in selections]
        return figures, chapter_charts(chapter, area, book)

    if area is None:  # a partnership without an area has no figures to keep
        return build()
    return cached(area.partnership, build, "chapter-figures", chapter.pk)
