"""The bulk figures selector: a page's figures from a constant number of queries, and cached
figures that change as soon as the data does (an import) without waiting for a timeout."""

import pytest

from assessments.indicators.chapter_charts import chapter_figures_and_charts
from assessments.indicators.headlines import cover_headlines, figure_for
from assessments.indicators.models import Observation
from assessments.indicators.selectors import partnership_area
from assessments.indicators.series import SeriesBook

from ..factories import ImportBatchFactory

pytestmark = pytest.mark.django_db


def _violence(demo):
    return demo.chapters.get(slug="violence")


def test_a_book_reads_all_of_a_chapters_figures_in_eight_queries(demo, django_assert_num_queries):
    chapter = _violence(demo)
    selections = list(chapter.selections.select_related("indicator", "share_of"))
    area = partnership_area(demo.partnership_id)
    book = SeriesBook.for_selections(selections, area)

    with django_assert_num_queries(8):  # figures, places, comparators, populations
        figures = [figure_for(selection, area, book) for selection in selections]

    assert figures == [figure_for(selection, area) for selection in selections]


def test_cached_figures_change_as_soon_as_a_batch_is_imported(demo):
    chapter = _violence(demo)
    area = partnership_area(demo.partnership_id)
    figures, _ = chapter_figures_and_charts(chapter, area)
    before = figures[0]
    selection = before.selection
    first_month = Observation.objects.filter(
        indicator=selection.indicator, geography=area, period_type="m",
        period_start=selection.current_period.start,
    )  # fmt: skip
    [row] = first_month

    # As an import replaces a batch: rows deleted and written in bulk, no signal per row.
    first_month.delete()
    batch = ImportBatchFactory(partnership=demo.partnership, key="corrected-return")
    row.pk, row.batch, row.value = None, batch, row.value + 1000
    Observation.objects.bulk_create([row])

    area = partnership_area(demo.partnership_id)
    after, _ = chapter_figures_and_charts(chapter, area)
    assert after[0].current == before.current + 1000


def test_cover_headlines_follow_a_change_of_wording(demo):
    headline = demo.headlines.filter(on_cover=True).first()
    cover_headlines(demo)
    headline.text = "Crime rose by 99.9%."
    headline.save()

    flagged = {item.headline.pk: item.mismatches for item in cover_headlines(demo)}

    assert flagged[headline.pk] == ["99.9"]
