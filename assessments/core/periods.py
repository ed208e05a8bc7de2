"""Reporting periods: months roll up into quarters, financial years (April–March) and calendar
years.

Police figures are reported by financial year, fire by calendar year: a period is its type and the
date it starts, and knows its own end and label.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models


class PeriodType(models.TextChoices):
    MONTH = "m", "Month"
    QUARTER = "q", "Quarter"
    FINANCIAL_YEAR = "fy", "Financial year"
    CALENDAR_YEAR = "cy", "Calendar year"


MONTHS_IN = {
    PeriodType.MONTH: 1,
    PeriodType.QUARTER: 3,
    PeriodType.FINANCIAL_YEAR: 12,
    PeriodType.CALENDAR_YEAR: 12,
}


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def years_on(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, order=True)
class Period:
    type: PeriodType
    start: dt.date

    def __post_init__(self):
        if self.start.day != 1:
            raise ValueError(f"A period starts on the first of a month, not {self.start}")
        if self.type == PeriodType.FINANCIAL_YEAR and self.start.month != 4:
            raise ValueError("A financial year starts on 1 April")
        if self.type == PeriodType.CALENDAR_YEAR and self.start.month != 1:
            raise ValueError("A calendar year starts on 1 January")
        if self.type == PeriodType.QUARTER and self.start.month not in (1, 4, 7, 10):
            raise ValueError("A quarter starts in January, April, July or October")

    @classmethod
    def starting(cls, period_type: str, start: dt.date | None) -> Period | None:
        """The period of this type starting on `start`, or None when no start is set."""
        return None if start is None else cls(PeriodType(period_type), start)

    @classmethod
    def financial_year(cls, first_year: int) -> Period:
        return cls(PeriodType.FINANCIAL_YEAR, dt.date(first_year, 4, 1))

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(PeriodType.CALENDAR_YEAR, dt.date(year, 1, 1))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(PeriodType.MONTH, dt.date(year, month, 1))

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        return add_months(self.start, MONTHS_IN[self.type])

    def year_before(self) -> Period:
        return Period(self.type, years_on(self.start, -1))

    def months(self) -> list[Period]:
        return [
            Period(PeriodType.MONTH, add_months(self.start, i)) for i in range(MONTHS_IN[self.type])
        ]

    @property
    def label(self) -> str:
        if self.type == PeriodType.FINANCIAL_YEAR:
            return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"
        if self.type == PeriodType.CALENDAR_YEAR:
            return str(self.start.year)
        if self.type == PeriodType.QUARTER:
            return f"{self.start:%B} to {add_months(self.start, 2):%B %Y}"
        return f"{self.start:%B %Y}"

    def __str__(self) -> str:
        return self.label
