"""Constraints that live in the database, so no form or script can bypass them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.core.models import Assessment, Chapter
from assessments.core.periods import Period, PeriodType, years_on

from ..factories import (
    AssessmentFactory,
    ChapterFactory,
    PartnershipFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        kwargs.pop("make")()


def test_it_allows_one_assessment_per_partnership_and_year(partnership):
    AssessmentFactory(partnership=partnership, year=2017)
    AssessmentFactory(partnership=PartnershipFactory(), year=2017)  # another partnership: fine
    assert_refused(make=lambda: AssessmentFactory(partnership=partnership, year=2017))


def test_it_refuses_consultation_without_a_closing_date(partnership):
    assert_refused(
        make=lambda: Assessment.objects.create(
            partnership=partnership, year=2018, title="x", status="consultation"
        )
    )


def test_it_refuses_an_unknown_status(partnership):
    assert_refused(
        make=lambda: Assessment.objects.create(
            partnership=partnership, year=2018, title="x", status="finished"
        )
    )


def test_chapter_slugs_are_unique_within_an_assessment_only(assessment):
    ChapterFactory(assessment=assessment, slug="crime")
    ChapterFactory(slug="crime")  # another assessment: fine
    assert_refused(make=lambda: ChapterFactory(assessment=assessment, slug="crime"))


def test_chapter_order_is_unique_and_chapters_come_out_in_order(assessment):
    third = ChapterFactory(assessment=assessment, order=3, title="Third")
    first = ChapterFactory(assessment=assessment, order=1, title="First")
    second = ChapterFactory(assessment=assessment, order=2, title="Second")
    assert list(assessment.chapters.all()) == [first, second, third]
    assert_refused(make=lambda: ChapterFactory(assessment=assessment, order=2))


@pytest.mark.parametrize(
    "slug", ["appendices", "cover", "exports", "dashboard", "returns", "horizon-scan"]
)
def test_reserved_words_cannot_be_chapter_slugs(assessment, slug):
    chapter = ChapterFactory.build(
        assessment=assessment, theme=ThemeFactory(partnership=assessment.partnership), slug=slug
    )
    with pytest.raises(ValidationError) as error:
        chapter.full_clean()
    assert "used by another page" in str(error.value)
    assert_refused(make=lambda: ChapterFactory(assessment=assessment, slug=slug))


def test_a_theme_has_one_chapter_per_assessment(assessment):
    chapter = ChapterFactory(assessment=assessment)
    assert_refused(
        make=lambda: ChapterFactory(assessment=assessment, theme=chapter.theme, slug="again")
    )


def test_periods_know_their_labels_and_months():
    year = Period.financial_year(2016)
    assert year.label == "2016/17"
    assert year.end == dt.date(2017, 4, 1)
    assert [m.start for m in year.months()][0] == dt.date(2016, 4, 1)
    assert year.months()[-1].label == "March 2017"
    assert Period.calendar_year(2016).label == "2016"
    with pytest.raises(ValueError):
        Period(PeriodType.FINANCIAL_YEAR, dt.date(2016, 1, 1))


def test_chapters_go_with_their_assessment_and_themes_outlive_it(assessment):
    chapter = ChapterFactory(assessment=assessment)
    assessment.delete()
    assert not Chapter.objects.filter(pk=chapter.pk).exists()
    assert chapter.theme.__class__.objects.filter(pk=chapter.theme_id).exists()


def test_years_on_keeps_the_day_and_moves_29_february_to_the_28th():
    assert years_on(dt.date(2016, 4, 1), 1) == dt.date(2017, 4, 1)
    assert years_on(dt.date(2016, 2, 29), 1) == dt.date(2017, 2, 28)
    assert years_on(dt.date(2016, 2, 29), -1) == dt.date(2015, 2, 28)
    assert Period.financial_year(2016).year_before() == Period.financial_year(2015)
