"""Restricted appendices: their tables built from observations, their CSV, and the audit trail.

Appendices go only to their grantees (its permissions decide who), so their tables show every
count, however small: small-number suppression is for what is published.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook

from assessments.appendices.models import Appendix, AppendixAccess
from assessments.core.models import User
from assessments.core.numbers import one_place
from assessments.core.periods import Period
from assessments.core.personal_copy import PersonalCopy
from assessments.core.spreadsheet import neutralise
from assessments.indicators.models import Geography, Indicator
from assessments.indicators.selectors import geographies_at_level, indicator_totals_and_gaps

# How many estates the appendix by estate lists for each crime type; the CSV has them all.
TOP_ESTATES = 5


@dataclass(frozen=True)
class AppendixRow:
    """One count for one place, with the previous period and the rate per 1,000 residents."""

    indicator: Indicator
    geography: Geography
    current: Decimal | None
    previous: Decimal | None
    # Either period lacks some of its months: the change would be the missing months'.
    not_comparable: bool = False

    @property
    def change(self) -> Decimal | None:
        """Per cent change from the previous period; None without a non-zero previous count,
        or between periods that are not both complete."""
        if self.current is None or not self.previous or self.not_comparable:
            return None
        return one_place((self.current - self.previous) / self.previous * 100)

    @property
    def rate(self) -> Decimal | None:
        """Per 1,000 residents, where the place's population is known."""
        if self.current is None or not self.geography.population:
            return None
        return one_place(self.current / self.geography.population * 1000)


@dataclass(frozen=True)
class AppendixTable:
    caption: str
    row_heading: str  # what the first column names: a crime category or an estate
    rows: list[AppendixRow]
    by_place: bool  # rows name places (estates) rather than indicators


@dataclass(frozen=True)
class AppendixContent:
    current_period: Period
    comparison_period: Period | None
    tables: list[AppendixTable]
    rows: list[AppendixRow]  # every row, for the CSV


LEVEL_OF_KIND = {
    Appendix.Kind.CRIME_CATEGORY: Geography.Level.AREA,
    Appendix.Kind.ESTATE: Geography.Level.ESTATE,
}


def appendix_content(appendix: Appendix) -> AppendixContent | None:
    """The appendix's tables, or None for a narrative-only appendix."""
    level = LEVEL_OF_KIND.get(appendix.kind)
    current_period = appendix.current_period
    if level is None or current_period is None:
        return None
    indicators = list(appendix.indicators.order_by("name"))
    rows = _rows(appendix, indicators, level)
    if level == Geography.Level.AREA:
        tables = [_category_table(rows, current_period)]
    else:
        tables = [_top_estates_table(indicator, rows) for indicator in indicators]
    return AppendixContent(current_period, appendix.comparison_period, tables, rows)


def _totals(
    indicators: list[Indicator], period: Period, level: str
) -> tuple[dict[tuple[int, int], Decimal], set[tuple[int, int]]]:
    """{(indicator id, place id): value} for the places at `level` with data in the period, and
    those whose value lacks some of the period's months."""
    grid, incomplete = indicator_totals_and_gaps(indicators, level, period)
    values = {
        (indicator_id, place_id): value
        for indicator_id, by_place in grid.items()
        for place_id, value in by_place.items()
        if value is not None
    }
    return values, incomplete


def _rows(appendix: Appendix, indicators: list[Indicator], level: str) -> list[AppendixRow]:
    current, incomplete = _totals(indicators, appendix.current_period, level)
    previous = {}
    if appendix.comparison_period is not None:
        previous, incomplete_before = _totals(indicators, appendix.comparison_period, level)
        incomplete |= incomplete_before
    places = geographies_at_level(appendix.assessment.partnership_id, level)
    rows = [
        AppendixRow(
            indicator=indicator,
            geography=place,
            current=current.get((indicator.pk, place.pk)),
            previous=previous.get((indicator.pk, place.pk)),
            not_comparable=(indicator.pk, place.pk) in incomplete
            and (indicator.pk, place.pk) in current
            and (indicator.pk, place.pk) in previous,
        )
        for indicator in indicators
        for place in places
        if (indicator.pk, place.pk) in current or (indicator.pk, place.pk) in previous
    ]
    return sorted(rows, key=lambda row: (row.indicator.name, -(row.current or 0)))


def _category_table(rows: list[AppendixRow], period: Period) -> AppendixTable:
    largest_first = sorted(rows, key=lambda row: -(row.current or 0))
    return AppendixTable(
        caption=f"Recorded crime by category, {period.label}",
        row_heading="Crime category",
        rows=largest_first,
        by_place=False,
    )


def _top_estates_table(indicator: Indicator, rows: list[AppendixRow]) -> AppendixTable:
    own = [row for row in rows if row.indicator == indicator and row.current is not None]
    return AppendixTable(
        caption=f"{indicator.name}: the {TOP_ESTATES} estates with most {indicator.unit}",
        row_heading="Estate",
        rows=own[:TOP_ESTATES],
        by_place=True,
    )


# CSV and XLSX ------------------------------------------------------------------------------
# Every download is a personal copy: the recipient and copy id are in the file's name and in the
# file itself (a header block in the XLSX, a final comment line in the CSV), and in the log.

HEADINGS = [
    "indicator",
    "place",
    "place code",
    "period",
    "count",
    "previous period",
    "previous count",
    "change (%)",
    "rate per 1,000 residents",
]


def _number(value: Decimal | None) -> str:
    """Counts without trailing zeros; changes and rates keep their one decimal place."""
    return (
        ""
        if value is None
        else f"{value.normalize() if value.as_tuple().exponent < -1 else value:f}"
    )


def _figure_rows(content: AppendixContent | None) -> list[list[str]]:
    """Every place and every count, as text cells safe for a spreadsheet."""
    if content is None:
        return []
    previous_label = content.comparison_period.label if content.comparison_period else ""
    return [
        [neutralise(cell) for cell in (row.indicator.name, row.geography.name, row.geography.code)]
        + [content.current_period.label, _number(row.current), previous_label]
        + [_number(row.previous), _number(row.change), _number(row.rate)]
        for row in content.rows
    ]


def _copy_line(copy: PersonalCopy) -> str:
    return f"{copy.marking}. Copy {copy.copy_id}."


def appendix_csv(appendix: Appendix, content: AppendixContent | None, copy: PersonalCopy) -> str:
    """The appendix's figures as CSV, marked as restricted, its last line naming the copy."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(f"{copy.restricted_marking}: {appendix.title}")])
    writer.writerow(HEADINGS)
    writer.writerows(_figure_rows(content))
    out.write(f"# {_copy_line(copy)}\r\n")
    return out.getvalue()


def figure_csv(appendix: Appendix, figure_csv: str, copy: PersonalCopy) -> str:
    """A figure's CSV (one of the appendix's maps), marked as restricted above it, its last line
    naming the copy, as the appendix's own CSV is."""
    out = io.StringIO()
    csv.writer(out).writerow([neutralise(f"{copy.restricted_marking}: {appendix.title}")])
    out.write(figure_csv)
    out.write(f"# {_copy_line(copy)}\r\n")
    return out.getvalue()


def appendix_xlsx(appendix: Appendix, content: AppendixContent | None, copy: PersonalCopy) -> bytes:
    """The same figures as a workbook, a header block above them naming the copy."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    for line in (f"{copy.restricted_marking}: {appendix.title}", _copy_line(copy), ""):
        sheet.append([neutralise(line)])
    sheet.append(HEADINGS)
    for row in _figure_rows(content):
        sheet.append(row)
    workbook.properties.title = appendix.title
    workbook.properties.identifier = copy.copy_id
    workbook.properties.description = copy.marking
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Audit --------------------------------------------------------------------------------------


def appendix_access_record(
    *, appendix: Appendix, user: User, route: str, path: str, copy_id: str = ""
) -> AppendixAccess:
    """Log one view or download of the appendix (who, when, which, by what route, which copy)."""
    return AppendixAccess.objects.create(
        partnership_id=appendix.assessment.partnership_id,
        appendix=appendix,
        appendix_title=appendix.title,
        user=user,
        username=user.get_username(),
        route=route,
        path=path[:500],
        copy_id=copy_id,
    )


def appendix_accesses_record_for_export(*, export, user: User, path: str) -> None:
    """A restricted PDF downloaded: one log row for each appendix it contains."""
    for appendix in Appendix.objects.filter(pk__in=export.audience).select_related("assessment"):
        appendix_access_record(
            appendix=appendix,
            user=user,
            route=AppendixAccess.Route.PDF,
            path=path,
            copy_id=export.copy_id,
        )
