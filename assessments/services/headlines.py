"""Headline figures: each selected indicator's current and comparison values and the change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .. import querysets
from ..models import Assessment, Indicator, IndicatorSelection

ONE_PLACE = Decimal("0.1")


def one_place(value: Decimal) -> Decimal:
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass
class HeadlineFigure:
    selection: IndicatorSelection
    current: Decimal | None
    comparison: Decimal | None
    share: Decimal | None = None

    @property
    def indicator(self) -> Indicator:
        return self.selection.indicator

    @property
    def is_rate(self) -> bool:
        return self.indicator.measure == Indicator.Measure.RATE

    @property
    def change(self) -> Decimal | None:
        """Per cent for counts; percentage points for rates, which are already per cent."""
        if self.current is None or self.comparison is None:
            return None
        if self.is_rate:
            return one_place(self.current - self.comparison)
        if self.comparison == 0:
            return None
        return one_place((self.current - self.comparison) / self.comparison * 100)

    @property
    def change_unit(self) -> str:
        return "percentage points" if self.is_rate else "%"

    @property
    def direction(self) -> str:
        if self.change is None:
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
        if self.change is None:
            return f"{name}: {self.selection.current_period.label} is a baseline year."
        amount = abs(self.change)
        unit = " percentage points" if self.is_rate else "%"
        sentence = f"{self.direction.capitalize()} in {name} of {amount}{unit}"
        if self.direction == "no change":
            sentence = f"No change in {name}"
        if self.share is not None:
            sentence += (
                f", with {self.indicator.name} accounting for {self.share.quantize(Decimal(1))}% "
                f"of {self.selection.share_of.name}"
            )
        return sentence + "."


def figure_for(selection: IndicatorSelection, area) -> HeadlineFigure:
    indicator = selection.indicator
    current = querysets.indicator_value(indicator, area, selection.current_period)
    comparison = None
    if selection.comparison_period is not None:
        comparison = querysets.indicator_value(indicator, area, selection.comparison_period)
    share = None
    if selection.share_of is not None and current is not None:
        whole = querysets.indicator_value(selection.share_of, area, selection.current_period)
        if whole:
            share = current / whole * 100
    return HeadlineFigure(selection=selection, current=current, comparison=comparison, share=share)


def headline_figures(assessment: Assessment) -> list[HeadlineFigure]:
    """Every chapter's selected indicators, in chapter order, for the partnership's whole area."""
    area = querysets.partnership_area(assessment.partnership_id)
    selections = IndicatorSelection.objects.filter(chapter__assessment=assessment).select_related(
        "indicator", "share_of", "chapter"
    )
    selections = selections.order_by("chapter__order", "order")
    return [figure_for(selection, area) for selection in selections]
