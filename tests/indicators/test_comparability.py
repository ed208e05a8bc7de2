"""Numbers that cannot mislead: a change only between complete periods, worded the one way.

A year missing a quarter against a whole year shows a fall or rise that is only the missing
months, so the figure says it is not comparable, and why, wherever a change is shown."""

import datetime as dt
from decimal import Decimal

import pytest

from assessments.core.numbers import MINUS, change_words, percent, signed
from assessments.core.periods import Period
from assessments.indicators.headlines import figure_for, months_in_words
from assessments.indicators.models import Geography, IndicatorSelection

from ..factories import ChapterFactory, GeographyFactory, IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db

THIS_YEAR, LAST_YEAR = Period.financial_year(2016), Period.financial_year(2015)


def monthly_selection(assessment, area, *, skip_last_year=(), force=None):
    """A count by month for two financial years (10 a month), `skip_last_year` months of
    2015/16 without a figure; the force, if given, as a comparator with every month."""
    indicator = IndicatorFactory(partnership=assessment.partnership, name="Possession of weapons")
    places = [area] + ([force] if force else [])
    for year in (LAST_YEAR, THIS_YEAR):
        for month in year.months():
            for place in places:
                if place == area and year == LAST_YEAR and month.start.month in skip_last_year:
                    continue
                ObservationFactory(
                    indicator=indicator,
                    geography=place,
                    period_type="m",
                    period_start=month.start,
                    value=10,
                )
    selection = IndicatorSelection.objects.create(
        chapter=ChapterFactory(assessment=assessment, title="Violence"),
        indicator=indicator,
        period_type="fy",
        current_period_start=THIS_YEAR.start,
        comparison_period_start=LAST_YEAR.start,
    )
    if force:
        selection.comparators.add(force)
    return selection


def test_a_year_lacking_a_quarter_gives_no_change_and_says_why(assessment, area):
    force = GeographyFactory(
        partnership=assessment.partnership, level=Geography.Level.FORCE, name="Thames Valley"
    )
    selection = monthly_selection(assessment, area, skip_last_year=(1, 2, 3), force=force)
    figure = figure_for(selection, area)
    assert (figure.comparison, figure.current) == (Decimal(90), Decimal(120))
    # (120 − 90) / 90 would be +33.3%: an artefact of the three missing months.
    assert figure.change is None
    assert figure.not_comparable == "not comparable: 2015/16 lacks January to March"
    assert (figure.change_in_words, figure.lacks) == (
        "Not comparable",
        "2015/16 lacks January to March",
    )
    assert figure.direction == "not comparable"
    assert figure.statement() == (
        "Possession of weapons: not comparable: 2015/16 lacks January to March."
    )
    assert figure.as_dict()["change"] is None
    # The force has every month: its change is given.
    assert [place.in_words for place in figure.places] == ["Thames Valley: 0.0%"]


def test_complete_years_give_their_change(assessment, area):
    figure = figure_for(monthly_selection(assessment, area), area)
    assert (figure.change, figure.not_comparable, figure.change_in_words) == (
        Decimal("0.0"),
        "",
        "0.0%",
    )


def test_a_year_stored_whole_is_complete(assessment, area):
    indicator = IndicatorFactory(partnership=assessment.partnership)
    for year, value in ((LAST_YEAR, 100), (THIS_YEAR, 90)):
        ObservationFactory(
            indicator=indicator,
            geography=area,
            period_type="fy",
            period_start=year.start,
            value=value,
        )
    selection = IndicatorSelection.objects.create(
        chapter=ChapterFactory(assessment=assessment),
        indicator=indicator,
        period_type="fy",
        current_period_start=THIS_YEAR.start,
        comparison_period_start=LAST_YEAR.start,
    )
    figure = figure_for(selection, area)
    assert (figure.change, figure.change_in_words) == (Decimal("-10.0"), f"{MINUS}10.0%")


def test_missing_months_are_worded_as_runs():
    months = [Period.month(2016, m) for m in (1, 2, 3)]
    assert months_in_words(months) == "January to March"
    assert months_in_words([Period.month(2015, 5)]) == "May"
    assert months_in_words([Period.month(2015, 5), *months]) == "May, and January to March"


def test_numbers_are_written_in_govuk_style():
    assert signed(Decimal("-9.7")) == f"{MINUS}9.7" and signed(Decimal("4.8")) == "+4.8"
    assert change_words(Decimal("-9.7"), is_rate=False) == "−9.7%"
    assert change_words(Decimal("-0.9"), is_rate=True) == "−0.9 points"
    assert percent(Decimal("-5.00")) == "−5%" and percent(Decimal("53.4")) == "53%"
    assert change_words(None, is_rate=False) == ""


def test_the_dates_of_the_rule_are_the_selections_own(assessment, area):
    """A calendar-year selection (fire) is judged on its own months, January to December."""
    indicator = IndicatorFactory(partnership=assessment.partnership)
    for year in (2015, 2016):
        for month in range(1, 13):
            if (year, month) == (2016, 12):
                continue
            ObservationFactory(
                indicator=indicator,
                geography=area,
                period_type="m",
                period_start=dt.date(year, month, 1),
                value=5,
            )
    selection = IndicatorSelection.objects.create(
        chapter=ChapterFactory(assessment=assessment),
        indicator=indicator,
        period_type="cy",
        current_period_start=dt.date(2016, 1, 1),
        comparison_period_start=dt.date(2015, 1, 1),
    )
    figure = figure_for(selection, area)
    assert figure.not_comparable == "not comparable: 2016 lacks December"


def test_a_headline_quoting_a_change_between_incomplete_periods_is_flagged(assessment, area):
    from assessments.indicators.headlines import headline_check
    from assessments.indicators.models import Headline

    selection = monthly_selection(assessment, area, skip_last_year=(1, 2, 3))
    headline = Headline.objects.create(
        assessment=assessment, selection=selection, text="Weapons offences rose by 33.3%."
    )
    assert headline_check(headline).mismatches == ["33.3"]
