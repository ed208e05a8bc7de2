"""The charts of a chapter, built from its indicator selections: a trend of quarters where the
data is monthly or quarterly, a comparison of periods otherwise, the area beside the places the
analyst compares it with, a ranking of the force's districts, and for data held by LSOA a
comparison of estates with small numbers suppressed (chapters are public)."""

from __future__ import annotations

from decimal import Decimal

from assessments.core.cache_version import cached
from assessments.core.models import Chapter
from assessments.core.numbers import change_words, one_place
from assessments.core.periods import Period, PeriodType
from assessments.indicators import suppression
from assessments.indicators.chapter_maps import chapter_map
from assessments.indicators.charts import Chart, Point, Series
from assessments.indicators.comparators import district_series
from assessments.indicators.headlines import (
    HeadlineFigure,
    change_between,
    figure_for,
    period_gaps,
)
from assessments.indicators.maps import ChoroplethMap
from assessments.indicators.models import Geography, Indicator, IndicatorSelection
from assessments.indicators.selectors import quarters_of
from assessments.indicators.series import SeriesBook

PERCENT = "%"


def value_text(value: Decimal | None, is_rate: bool) -> str:
    if value is None:
        return "no data"
    return f"{value:,.1f}%" if is_rate else f"{value:,.0f}"


def _span(selection: IndicatorSelection) -> str:
    first = selection.comparison_period or selection.current_period
    if first == selection.current_period:
        return first.label
    return f"{first.label} to {selection.current_period.label}"


def _common(selection: IndicatorSelection, area: Geography, slug: str) -> dict:
    indicator = selection.indicator
    return {
        "unit": "%" if indicator.measure == "rate" else indicator.unit,
        "source": indicator.source,
        "licence": indicator.licence,
        "period": f"{area.name}, {_span(selection)}",
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


# Beyond this ratio between the largest and smallest place's first figure, one scale would
# flatten the smaller places' lines: each is indexed to its first period instead.
SCALES_DIFFER = 2


def comparator_chart(
    selection: IndicatorSelection, area: Geography, slug: str, book: SeriesBook | None = None
) -> Chart | None:
    """The area beside its comparators over time: quarters where every place has them, the
    selection's periods otherwise; indexed (100 = first period) when the scales differ."""
    book = _book(book, selection, area)
    places = book.comparators(selection)
    if not places:
        return None
    indicator = selection.indicator
    first = selection.comparison_period or selection.current_period
    periods = quarters_of(first, selection.current_period)
    lines = _place_series(book, indicator, [area, *places], periods)
    if any(_figures(line) < 2 for line in lines.values()):
        periods = [p for p in (selection.comparison_period, selection.current_period) if p]
        lines = _place_series(book, indicator, [area, *places], periods)
    # A line needs two figures to say how a place changed; without one such line, no chart.
    if len(periods) < 2 or all(_figures(line) < 2 for line in lines.values()):
        return None
    is_rate = indicator.measure == Indicator.Measure.RATE
    firsts = [line[0][1] for line in lines.values()]
    indexed = not is_rate and _scales_differ(firsts)
    label = _quarter_label if periods[0].type == PeriodType.QUARTER else (lambda p: p.label)
    common = _common(selection, area, slug)
    notes, drawn = [], []
    for place, line in lines.items():
        base = line[0][1]
        if indexed and not base:
            notes.append(f"{place.name} has no figure for {periods[0].label} to index from.")
            continue
        points = [
            _indexed_point(label(period), value, base) if indexed else
            Point(label(period), value, value_text(value, is_rate))
            for period, value in line
        ]  # fmt: skip
        gaps = [period.label for period, value in line if value is None]
        if gaps:
            notes.append(
                f"No figure for {place.name} in {', '.join(gaps)} (a boundary change or "
                "missing data): its line has a gap there and no change is drawn across it."
            )
        drawn.append(Series(_own_name(place, area), points))
    names = _and([place.name for place in places])
    title = f"{indicator.name}: {area.name} beside {names}"
    if indexed:
        title += f", indexed ({periods[0].label} = 100)"
        notes.insert(
            0,
            f"Each place's figures are indexed to 100 in {periods[0].label} because the places "
            "differ in size: the lines compare how each changed, not how large each is.",
        )
    notes += _demo_note(book, places)
    common |= {
        "unit": "index" if indexed else common["unit"],
        "notes": notes,
        "period": f"{_and([area.name, *(place.name for place in places)])}, {_span(selection)}",
    }
    return Chart(
        kind="lines",
        title=title,
        description=_describe_lines(indicator.name, drawn, indexed),
        points=[],
        series=drawn,
        label_heading="Quarter starting" if periods[0].type == PeriodType.QUARTER else "Period",
        **common,
    )


def district_chart(
    selection: IndicatorSelection, area: Geography, slug: str, book: SeriesBook | None = None
) -> Chart | None:
    """The force's districts ranked, the area highlighted: by the rate per 1,000 residents where
    every district has a population for the current period's year, by the change otherwise."""
    book = _book(book, selection, area)
    force = next((p for p in book.comparators(selection) if p.level == "force"), None)
    indicator, current = selection.indicator, selection.current_period
    if force is None or indicator.measure == Indicator.Measure.RATE:
        return None
    districts = book.districts(force)
    # A district the analyst mapped to its successor (a boundary change) counts as that one.
    periods = [current]
    if selection.comparison_period is not None:
        periods.append(selection.comparison_period)
    mapped = {
        series.place: series for series in district_series(book, indicator, districts, periods)
    }
    own = next((d for d in mapped if d.name.casefold() == area.name.casefold()), None)
    rows = [d for d in mapped if d is not own] + [own or area]

    def values(place: Geography, of: list[Period]) -> list:
        if place in mapped:
            return [mapped[place].value(period) for period in of]
        return [book.value(indicator, place, period) for period in of]

    present = [d for d in rows if values(d, [current])[0] is not None]
    by_rate = all(book.population(d, current) for d in present)
    if len(present) < 2 or not (by_rate or selection.comparison_period):
        return None
    points, notes = _ranked_points(selection, rows, own or area, book, by_rate, values)
    notes += _mapping_notes(mapped.values())
    notes += _demo_note(book, districts)
    common = _common(selection, area, slug) | {"notes": notes}
    if by_rate:
        title = f"{indicator.name} per 1,000 residents, {current.label}"
        population = book.population_indicator
        common |= {
            "unit": f"{indicator.unit} per 1,000 residents",
            "source": f"{indicator.source}; {population.source}",
            "licence": _one_licence(indicator.licence, population.licence),
            "period": f"Districts of {force.name}, {current.label}",
        }
        notes.insert(0, f"Rates use each district's mid-year population for {current.start.year}.")
    else:
        title = (
            f"{indicator.name}, change from {selection.comparison_period.label} to {current.label}"
        )
        common |= {
            "unit": "% change",
            "period": f"Districts of {force.name}, {_span(selection)}",
        }
    title += f": the districts of {force.name}"
    return Chart(
        kind="ranked",
        title=title,
        description=_describe_ranked(title, points),
        points=points,
        label_heading="District",
        **common,
    )


def _ranked_points(selection, rows, own, book: SeriesBook, by_rate: bool, values_of):
    """One bar per district, highest first; small counts and places without figures for every
    period compared are written, not drawn, and said so under the chart. `values_of(place,
    periods)` reads a district's figures with its mapped predecessors counted in."""
    indicator, limit = selection.indicator, suppression.threshold()
    periods = [selection.current_period] + ([] if by_rate else [selection.comparison_period])
    points, missing, incomplete, hidden = [], [], [], False
    for place in rows:
        name, emphasis = (
            (f"{place.name} (this area)", True) if place == own else (place.name, False)
        )
        values = values_of(place, periods)
        if any(suppression.is_small(v, limit) for v in values):
            points.append(Point(name, None, f"fewer than {limit} {indicator.unit}", True, emphasis))
            hidden = True
            continue
        if by_rate:
            rate = book.per_thousand(indicator, values[0], place, periods[0])
            value = None if rate is None else one_place(rate)
            text = "no figure" if value is None else f"{value:,.1f}"
        elif period_gaps(book, indicator, place, periods):
            value, text = None, "not comparable"
            incomplete.append(place.name)
        else:
            value = change_between(values[0], values[1], False)
            text = "no figure" if value is None else change_words(value, is_rate=False)
        if value is None and text != "not comparable":
            missing.append(place.name)
        points.append(Point(name, value, text, False, emphasis))
    points.sort(key=lambda p: (p.value is None, -(p.value or 0)))
    notes = []
    if missing:
        span = " and ".join(period.label for period in reversed(periods))
        notes.append(
            f"Not drawn, without figures for {span}: {_and(missing)} (a district whose boundary "
            "changed between the periods, or one without figures)."
        )
    if incomplete:
        notes.append(
            f"No change for {_and(incomplete)}: a period lacks months of figures, so the two are "
            "not comparable."
        )
    if hidden:
        notes.append(f"Counts from 1 to {limit - 1} are not shown, nor a change or rate from them.")
    return points, notes


def _mapping_notes(series) -> list[str]:
    return [
        f"{_and([m.name for m in each.members[1:]])} counted as {each.place.name} "
        "(a boundary change the analyst mapped)."
        for each in series
        if each.is_mapped
    ]


def _figures(line) -> int:
    return sum(value is not None for _, value in line)


def _place_series(book, indicator, places, periods) -> dict:
    return {place: book.series(indicator, place, periods) for place in places}


def _scales_differ(firsts: list) -> bool:
    shown = [abs(v) for v in firsts if v]
    return bool(shown) and max(shown) > SCALES_DIFFER * min(shown)


def _indexed_point(label: str, value, base) -> Point:
    if value is None:
        return Point(label, None, "no figure")
    index = Decimal(value) / Decimal(base) * 100
    return Point(label, index.quantize(Decimal("0.1")), f"{index:,.1f}")


def _own_name(place: Geography, area: Geography) -> str:
    return f"{place.name} (this area)" if place == area else place.name


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _demo_note(book: SeriesBook, places: list[Geography]) -> list[str]:
    demo = [place.name for place in places if book.is_demo(place)]
    if not demo:
        return []
    if len(demo) == len(places) > 2:
        return ["Demo data: the figures for these places are made up for this demonstration."]
    return [f"Demo data: the figures for {_and(demo)} are made up for this demonstration."]


def _one_licence(*licences: str) -> str:
    """The licences of a chart's sources, each credited once (police.uk and ONS share the OGL)."""
    return " and ".join(dict.fromkeys(licence for licence in licences if licence))


def _describe_lines(name: str, lines: list[Series], indexed: bool) -> str:
    parts = []
    for line in lines:
        shown = [p for p in line.points if p.value is not None and not p.hidden]
        if shown:
            parts.append(
                f"{line.name} from {shown[0].text} ({shown[0].label}) to {shown[-1].text} "
                f"({shown[-1].label})"
            )
    kind = "indexed to 100 in the first period" if indexed else "over time"
    return f"{name}, {kind}: " + "; ".join(parts) + "."


def _describe_ranked(title: str, points: list[Point]) -> str:
    ranked = [f"{p.label} {p.text}" for p in points]
    return f"{title}, highest first: " + "; ".join(ranked) + "."


def _book(book: SeriesBook | None, selection: IndicatorSelection, area: Geography) -> SeriesBook:
    return book or SeriesBook.for_selections([selection], area)


def chapter_charts(
    chapter: Chapter, area: Geography | None, book: SeriesBook | None = None
) -> list[Chart | ChoroplethMap]:
    """Every chart of the chapter, in the order of its selections (read through one book), and
    last its hotspot map where it has one."""
    selections = chapter.selections.all() if area is not None else []
    book = book or SeriesBook.for_selections(selections, area) if selections else None
    charts: list[Chart | ChoroplethMap] = []
    for selection in selections:
        slug = f"chart-{len(charts) + 1}"
        trend = trend_chart(selection, area, slug, book)
        charts.append(trend or comparison_chart(selection, area, slug, book))
        for context in (comparator_chart, district_chart):
            chart = context(selection, area, f"chart-{len(charts) + 1}", book)
            if chart is not None:
                charts.append(chart)
        estates = estate_chart(selection, area, f"chart-{len(charts) + 1}", book)
        if estates is not None:
            charts.append(estates)
    hotspots = chapter_map(chapter, f"chart-{len(charts) + 1}")
    if hotspots is not None:
        charts.append(hotspots)
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
        charts = chapter_charts(chapter, area, book)
        for chart in charts:  # a map's drawings kept with it: they take 30 ms each
            if isinstance(chart, ChoroplethMap):
                chart.svg(), chart.narrow_svg()
        return figures, charts

    if area is None:  # a partnership without an area has no figures to keep
        return build()
    return cached(area.partnership, build, "chapter-figures", chapter.pk)
