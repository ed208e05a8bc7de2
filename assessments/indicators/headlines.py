"""Headline figures: each selected indicator's current and comparison values and the change."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from assessments.core.cache_version import cached
from assessments.core.models import Assessment
from assessments.core.numbers import change_words, one_place, percent
from assessments.core.periods import Period
from assessments.indicators.models import Geography, Headline, Indicator, IndicatorSelection
from assessments.indicators.selectors import partnership_area
from assessments.indicators.series import SeriesBook


def change_between(current: Decimal | None, comparison: Decimal | None, is_rate: bool):
    """Per cent for counts; percentage points for rates, which are already per cent."""
    if current is None or comparison is None:
        return None
    if is_rate:
        return one_place(current - comparison)
    if comparison == 0:
        return None
    return one_place((current - comparison) / comparison * 100)


def months_in_words(months: list[Period]) -> str:
    """ "January to March", "January", "May, and January to March": runs of months in words."""
    runs: list[list[Period]] = []
    for month in months:
        if runs and runs[-1][-1].end == month.start:
            runs[-1].append(month)
        else:
            runs.append([month])
    words = [
        f"{run[0].start:%B}" if len(run) == 1 else f"{run[0].start:%B} to {run[-1].start:%B}"
        for run in runs
    ]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])}, and {words[-1]}"


def period_gaps(book: SeriesBook, indicator: Indicator, place, periods: list) -> str:
    """Why two periods' figures cannot be compared ("2015/16 lacks January to March"), or ""
    when they can.

    The one rule of comparability: a change is given only between periods that are both
    complete, every month of each present (a period stored whole is complete). A year missing a
    quarter against a whole year would show a fall or rise that is only the missing months."""
    periods = [period for period in periods if period is not None]
    if len(periods) < 2:
        return ""
    gaps = []
    for period in periods:
        missing = book.missing_months(indicator, place, period)
        if missing and len(missing) < len(period.months()):
            gaps.append(f"{period.label} lacks {months_in_words(missing)}")
    return "; ".join(gaps)


@dataclass
class PlaceFigure:
    """The same indicator at a comparator place (force, district, national), like with like."""

    place: Geography
    current: Decimal | None
    comparison: Decimal | None
    is_rate: bool
    # Per 1,000 residents in the current period, where the place's population of that year exists.
    per_thousand: Decimal | None = None
    lacks: str = ""  # what its periods lack, so that they cannot be compared (`period_gaps`)

    @property
    def not_comparable(self) -> str:
        return f"not comparable: {self.lacks}" if self.lacks else ""

    @property
    def change(self) -> Decimal | None:
        if self.not_comparable:
            return None
        return change_between(self.current, self.comparison, self.is_rate)

    @property
    def in_words(self) -> str:
        """ "Thames Valley: +3.1%", or its rate per 1,000 residents where it has no change."""
        if self.change is not None:
            return f"{self.place.name}: {change_words(self.change, is_rate=self.is_rate)}"
        if self.not_comparable:
            return f"{self.place.name}: {self.not_comparable}"
        if self.per_thousand is not None:
            return f"{self.place.name}: {one_place(self.per_thousand)} per 1,000 residents"
        return f"{self.place.name}: no comparable figure"


@dataclass
class HeadlineFigure:
    selection: IndicatorSelection
    current: Decimal | None
    comparison: Decimal | None
    share: Decimal | None = None
    per_thousand: Decimal | None = None  # the area's current rate per 1,000 residents
    places: list[PlaceFigure] = field(default_factory=list)  # its comparators
    lacks: str = ""  # what its periods lack, so that they cannot be compared (`period_gaps`)

    @property
    def indicator(self) -> Indicator:
        return self.selection.indicator

    @property
    def is_rate(self) -> bool:
        return self.indicator.measure == Indicator.Measure.RATE

    @property
    def not_comparable(self) -> str:
        """ "not comparable: 2015/16 lacks January to March", or "" when the periods compare."""
        return f"not comparable: {self.lacks}" if self.lacks else ""

    @property
    def gaps(self) -> list[str]:
        """What each period lacks, one line each ("2015/16 lacks January to March")."""
        return self.lacks.split("; ") if self.lacks else []

    @property
    def change(self) -> Decimal | None:
        """Per cent for counts; percentage points for rates, which are already per cent; None
        for periods that cannot be compared."""
        if self.not_comparable:
            return None
        return change_between(self.current, self.comparison, self.is_rate)

    @property
    def change_in_words(self) -> str:
        """The change as the figures table writes it: "+4.8%", "−0.9 points", "Baseline",
        "Not comparable" (what the periods lack is `gaps`, beneath it)."""
        if self.change is not None:
            return change_words(self.change, is_rate=self.is_rate)
        return self.direction.capitalize()

    @property
    def in_context(self) -> str:
        """ "(Thames Valley: +3.1%; England and Wales: +7.0%)", or "" without comparators."""
        if not self.places:
            return ""
        return f" ({'; '.join(place.in_words for place in self.places)})"

    @property
    def change_unit(self) -> str:
        return "percentage points" if self.is_rate else "%"

    @property
    def direction(self) -> str:
        if self.change is None:
            if self.not_comparable:
                return "not comparable"
            return "baseline" if self.selection.is_baseline else "no comparison"
        if self.change > 0:
            return "increase"
        if self.change < 0:
            return "decrease"
        return "no change"

    @property
    def is_good(self) -> bool | None:
        if self.change is None or self.change == 0:
            return None
        return (self.change < 0) == self.indicator.increase_is_bad

    def statement(self) -> str:
        name = self.indicator.name
        if self.not_comparable:
            return f"{name}: {self.not_comparable}."
        if self.change is None:
            return f"{name}: {self.selection.current_period.label} is a baseline year."
        amount = abs(self.change)
        unit = " percentage points" if self.is_rate else "%"
        sentence = f"{self.direction.capitalize()} in {name} of {amount}{unit}"
        if self.direction == "no change":
            sentence = f"No change in {name}"
        if self.share is not None:
            sentence += (
                f", with {self.indicator.name} accounting for {percent(self.share)} "
                f"of {self.selection.share_of.name}"
            )
        return sentence + self.in_context + "."

    def as_dict(self) -> dict:
        def number(value: Decimal | None) -> float | None:
            return None if value is None else float(one_place(value))

        selection = self.selection
        return {
            "chapter": selection.chapter.title,
            "indicator": self.indicator.code,
            "name": self.indicator.name,
            "measure": self.indicator.measure,
            "current_period": selection.current_period.label,
            "current": number(self.current),
            "comparison_period": getattr(selection.comparison_period, "label", None),
            "comparison": number(self.comparison),
            "change": number(self.change),
            "change_unit": None if self.change is None else self.change_unit,
            "direction": self.direction,
            "not_comparable": self.not_comparable or None,
            "is_good": self.is_good,
            "baseline": selection.is_baseline,
            "share_of": selection.share_of.code if selection.share_of else None,
            "share": None if self.share is None else float(self.share.quantize(Decimal(1))),
            "caveat": selection.caveat or None,
            "statement": self.statement(),
            "source": self.indicator.source,
            "per_thousand": number(self.per_thousand),
            "comparators": [
                {
                    "place": place.place.name,
                    "level": place.place.level,
                    "current": number(place.current),
                    "comparison": number(place.comparison),
                    "change": number(place.change),
                    "per_thousand": number(place.per_thousand),
                }
                for place in self.places
            ],
        }

    def numbers_in_words(self) -> set[Decimal]:
        """Every number a sentence about this figure may quote: values, change, share, years."""
        allowed = {Decimal(self.selection.chapter.assessment.year)}
        for period in (self.selection.current_period, self.selection.comparison_period):
            if period is not None:
                allowed |= {Decimal(period.start.year), Decimal(period.end.year)}
        values = [self.current, self.comparison, self.change, self.share, self.per_thousand]
        for place in self.places:
            values += [place.current, place.comparison, place.change, place.per_thousand]
        for value in values:
            if value is not None:
                allowed |= {one_place(abs(value)), abs(value).quantize(Decimal(1), ROUND_HALF_UP)}
        return allowed


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def wording_mismatches(text: str, figures: list[HeadlineFigure]) -> list[str]:
    """The numbers in a headline's wording that none of the figures gives any more."""
    allowed = {number.normalize() for figure in figures for number in figure.numbers_in_words()}
    quoted = (Decimal(match.replace(",", "")) for match in NUMBER.findall(text))
    return [f"{number:,}" for number in quoted if number.normalize() not in allowed]


def figure_for(
    selection: IndicatorSelection, area, book: SeriesBook | None = None
) -> HeadlineFigure:
    """The selection's figure; pass the page's book so that a page of figures reads once."""
    book = book or SeriesBook.for_selections([selection], area)
    periods = [p for p in (selection.comparison_period, selection.current_period) if p]
    values = dict(book.series(selection.indicator, area, periods))
    current = values[selection.current_period]
    comparison = values.get(selection.comparison_period)
    share = None
    if selection.share_of is not None and current is not None:
        whole = book.value(selection.share_of, area, selection.current_period)
        if whole:
            share = current / whole * 100
    return HeadlineFigure(
        selection=selection,
        current=current,
        comparison=comparison,
        share=share,
        per_thousand=book.rate(selection.indicator, area, selection.current_period),
        places=[place_figure(selection, place, book) for place in book.comparators(selection)],
        lacks=period_gaps(book, selection.indicator, area, periods),
    )


def place_figure(selection: IndicatorSelection, place, book: SeriesBook) -> PlaceFigure:
    """The selection's indicator at one comparator place, over the selection's own periods."""
    indicator = selection.indicator
    comparison = None
    if selection.comparison_period is not None:
        comparison = book.value(indicator, place, selection.comparison_period)
    return PlaceFigure(
        place=place,
        current=book.value(indicator, place, selection.current_period),
        comparison=comparison,
        is_rate=indicator.measure == Indicator.Measure.RATE,
        per_thousand=book.rate(indicator, place, selection.current_period),
        lacks=period_gaps(
            book, indicator, place, [selection.comparison_period, selection.current_period]
        ),
    )


def figures_of(selections, area) -> list[HeadlineFigure]:
    """The figures of several selections, read through one book."""
    selections = list(selections)
    book = SeriesBook.for_selections(selections, area)
    return [figure_for(selection, area, book) for selection in selections]


def headline_figures(assessment: Assessment, area=None) -> list[HeadlineFigure]:
    """Every chapter's selected indicators, in chapter order, for the partnership's whole area."""
    area = area or partnership_area(assessment.partnership_id)
    selections = IndicatorSelection.objects.filter(chapter__assessment=assessment).select_related(
        "indicator", "share_of", "chapter__assessment"
    )
    return figures_of(selections.order_by("chapter__order", "order"), area)


@dataclass
class CoverHeadline:
    headline: Headline
    figure: HeadlineFigure | None
    mismatches: list[str]

    @property
    def is_flagged(self) -> bool:
        return bool(self.mismatches)


def _approved(assessment: Assessment, *, on_cover_only: bool = True):
    headlines = assessment.headlines.order_by("order", "pk")
    return headlines.filter(on_cover=True) if on_cover_only else headlines


def approved_headlines(assessment: Assessment) -> list[str]:
    """The headline summary in the analyst's approved wording: the one list the site, the cover
    paper and the PDF all show (the figures check beside each is the analyst's tool, not this)."""
    return list(_approved(assessment).values_list("text", flat=True))


def cover_headlines(assessment: Assessment, *, on_cover_only: bool = True) -> list[CoverHeadline]:
    """The analyst's headline wording, each checked against the figures of its chapter.

    Cached under the partnership's version: it changes only with the data and the wording."""
    area = partnership_area(assessment.partnership_id)

    def check() -> list[CoverHeadline]:
        headlines = _approved(assessment, on_cover_only=on_cover_only)
        by_chapter: dict[int, list[HeadlineFigure]] = {}
        for figure in headline_figures(assessment, area):
            by_chapter.setdefault(figure.selection.chapter_id, []).append(figure)
        return [_checked(h, by_chapter) for h in headlines.select_related("selection__chapter")]

    if area is None:
        return check()
    return cached(area.partnership, check, "cover-headlines", assessment.pk, on_cover_only)


def stale_headlines(assessment: Assessment, chapter_id: int | None = None) -> list[CoverHeadline]:
    """The headlines (cover or not) whose wording quotes numbers the data no longer gives,
    optionally of one chapter. Only the chapters that have headlines are read, all through one
    book, so the cost does not grow with the chapters or the headlines."""
    headlines = assessment.headlines.filter(selection__isnull=False).select_related(
        "selection__chapter"
    )
    if chapter_id is not None:
        headlines = headlines.filter(selection__chapter_id=chapter_id)
    headlines = list(headlines.order_by("order", "pk"))
    if not headlines:
        return []
    area = partnership_area(assessment.partnership_id)
    selections = (
        IndicatorSelection.objects.filter(
            chapter_id__in={headline.selection.chapter_id for headline in headlines}
        )
        .select_related("indicator", "share_of", "chapter__assessment")
        .order_by("chapter__order", "order")
    )
    by_chapter: dict[int, list[HeadlineFigure]] = {}
    for figure in figures_of(selections, area):  # one book for every chapter's figures
        by_chapter.setdefault(figure.selection.chapter_id, []).append(figure)
    checked = (_checked(headline, by_chapter) for headline in headlines)
    return [item for item in checked if item.is_flagged]


def headline_check(headline: Headline) -> CoverHeadline:
    """One headline's wording checked against the figures of its chapter."""
    if headline.selection is None:
        return CoverHeadline(headline, None, [])
    area = partnership_area(headline.assessment.partnership_id)
    selections = headline.selection.chapter.selections.select_related(
        "indicator", "share_of", "chapter__assessment"
    )
    return _checked(headline, {headline.selection.chapter_id: figures_of(selections, area)})


def _checked(headline: Headline, by_chapter: dict[int, list[HeadlineFigure]]) -> CoverHeadline:
    if headline.selection is None:
        return CoverHeadline(headline, None, [])
    figures = by_chapter.get(headline.selection.chapter_id, [])
    own = next((f for f in figures if f.selection.pk == headline.selection_id), None)
    return CoverHeadline(headline, own, wording_mismatches(headline.text, figures))
