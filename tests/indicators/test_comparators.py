"""Local figures in context: comparators read through the page's book in a constant number of
queries, rates per 1,000 residents only from the same year's population, the area beside its
comparators (indexed when the scales differ), the force's districts ranked with the area
highlighted, boundary changes stated, and headlines that name the comparators' change."""

import re

import pytest
from django.core.cache import cache

from assessments.core.periods import Period
from assessments.indicators.chapter_charts import (
    chapter_charts,
    chapter_figures_and_charts,
    comparator_chart,
    district_chart,
)
from assessments.indicators.charts import chart_csv
from assessments.indicators.headlines import figure_for, wording_mismatches
from assessments.indicators.models import Geography, ImportBatch, IndicatorSelection
from assessments.indicators.series import SeriesBook

from ..factories import (
    ChapterFactory,
    GeographyFactory,
    ImportBatchFactory,
    IndicatorFactory,
    ObservationFactory,
)

pytestmark = pytest.mark.django_db

OGL = "Open Government Licence v3.0"
FY15, FY16 = Period.financial_year(2015), Period.financial_year(2016)


class World:
    """A partnership's area, its force and a national series, with All Crime for two years."""

    def __init__(self, partnership):
        self.partnership = partnership
        self.area = GeographyFactory(partnership=partnership, name="Testville")
        self.crime = IndicatorFactory(
            partnership=partnership, name="All crime", source="police.uk", licence=OGL
        )
        self.population = IndicatorFactory(
            partnership=partnership,
            name="Population",
            source="ONS mid-year population estimates",
            licence=OGL,
            is_population=True,
        )
        self.batch = ImportBatchFactory(partnership=partnership)
        self.chapter = ChapterFactory(assessment__partnership=partnership)
        self.selection = IndicatorSelection.objects.create(
            chapter=self.chapter,
            indicator=self.crime,
            current_period_start=FY16.start,
            comparison_period_start=FY15.start,
        )
        self.figures(self.area, 1000, 1048)
        self.force = self.place(Geography.Level.FORCE, "Thames Valley", 20000, 20620)

    def place(self, level, name, *values, parent=None):
        place = GeographyFactory(
            partnership=self.partnership, level=level, name=name, parent=parent
        )
        self.figures(place, *values)
        return place

    def figures(self, place, previous, current):
        for period, value in ((FY15, previous), (FY16, current)):
            if value is not None:
                self.observe(self.crime, place, period, value)

    def observe(self, indicator, place, period, value, batch=None):
        ObservationFactory(
            indicator=indicator,
            geography=place,
            batch=batch or self.batch,
            period_type=period.type,
            period_start=period.start,
            value=value,
        )

    def populate(self, place, year, residents):
        self.observe(self.population, place, Period.calendar_year(year), residents)

    def book(self):
        selection = IndicatorSelection.objects.select_related("indicator").get(pk=self.selection.pk)
        # The area read afresh, as each request does: its partnership's version keys the book.
        area = Geography.objects.select_related("partnership").get(pk=self.area.pk)
        return selection, SeriesBook.for_selections([selection], area)


@pytest.fixture
def world(partnership):
    return World(partnership)


def test_the_book_reads_any_number_of_comparators_in_the_same_queries(
    world, django_assert_num_queries
):
    def queries_for(districts: int) -> int:
        for n in range(districts):
            place = world.place(Geography.Level.DISTRICT, f"District {n}", 10, 11)
            world.selection.comparators.add(place)
        world.selection.comparators.add(world.force)
        chosen = world.selection.comparators.count()
        selection, book = world.book()
        cache.clear()
        with django_assert_num_queries(8) as captured:
            figure = figure_for(selection, world.area, book)
            charts = [comparator_chart(selection, world.area, "c1", book),
                      district_chart(selection, world.area, "c2", book)]  # fmt: skip
        assert len(figure.places) == chosen and None not in charts
        return len(captured)

    assert queries_for(1) == queries_for(6)


def test_a_rate_per_1000_residents_comes_from_the_population_of_the_year_the_period_starts(world):
    world.populate(world.area, 2016, 52_400)
    selection, book = world.book()

    figure = figure_for(selection, world.area, book)

    assert round(figure.per_thousand, 1) == 20.0  # 1,048 offences in 2016/17 / 52,400 × 1,000


def test_a_population_of_another_year_gives_a_percentage_change_not_a_rate(world):
    world.selection.comparators.add(world.force)
    for place in (world.area, world.force):
        world.populate(place, 2015, 52_000)  # mid-2015: for 2015/16, not 2016/17
    selection, book = world.book()

    figure = figure_for(selection, world.area, book)
    ranked = district_chart(selection, world.area, "c1", book)

    assert figure.per_thousand is None and figure.places[0].per_thousand is None
    assert figure.statement() == "Increase in All crime of 4.8% (Thames Valley: +3.1%)."
    assert ranked is None  # the force has no districts: nothing to rank
    district = world.place(Geography.Level.DISTRICT, "Upton", 400, 380, parent=world.force)
    world.populate(district, 2015, 9_000)
    selection, book = world.book()
    ranked = district_chart(selection, world.area, "c1", book)
    assert ranked.unit == "% change" and "per 1,000" not in ranked.title
    assert [(p.label, p.text) for p in ranked.points] == [
        ("Testville (this area)", "+4.8%"),
        ("Upton", "−5.0%"),
    ]


def test_districts_are_ranked_by_rate_where_every_one_has_that_years_population(world):
    world.selection.comparators.add(world.force)
    upton = world.place(Geography.Level.DISTRICT, "Upton", 400, 500, parent=world.force)
    for place, residents in ((world.area, 52_400), (upton, 10_000)):
        world.populate(place, 2016, residents)
    selection, book = world.book()

    ranked = district_chart(selection, world.area, "c1", book)

    assert ranked.title == "All crime per 1,000 residents, 2016/17: the districts of Thames Valley"
    assert [(p.label, p.text, p.emphasis) for p in ranked.points] == [
        ("Upton", "50.0", False),
        ("Testville (this area)", "20.0", True),
    ]
    # police.uk and ONS are both under the OGL: it is credited once.
    assert ranked.attribution.count("Open Government Licence") == 1
    assert "police.uk; ONS mid-year population estimates" in ranked.attribution
    svg = ranked.svg()
    assert 'font-weight="bold" fill="#0b0c0c">Testville (this area)</text>' in svg


def test_a_district_missing_from_one_period_is_a_gap_stated_under_the_ranked_chart(world):
    world.selection.comparators.add(world.force)
    world.place(Geography.Level.DISTRICT, "Aylesbury Vale", 900, None, parent=world.force)
    world.place(Geography.Level.DISTRICT, "Buckinghamshire", None, 2400, parent=world.force)
    world.place(Geography.Level.DISTRICT, "Oxford", 800, 760, parent=world.force)
    world.place(Geography.Level.DISTRICT, "Tiny", 3, 9, parent=world.force)
    selection, book = world.book()

    ranked = district_chart(selection, world.area, "c1", book)

    shown = {p.label: p.text for p in ranked.points}
    assert shown == {
        "Testville (this area)": "+4.8%",
        "Oxford": "−5.0%",
        "Aylesbury Vale": "no figure",
        "Buckinghamshire": "no figure",
        "Tiny": "fewer than 5 offences",
    }
    assert [p.label for p in ranked.points][:2] == ["Testville (this area)", "Oxford"]
    assert any(
        "Aylesbury Vale and Buckinghamshire (a district whose boundary changed" in note
        for note in ranked.notes
    )
    svg = ranked.svg()
    assert svg.count("<rect") == 1 + 2  # the background and the two districts with a change
    rows = chart_csv(ranked)
    assert "Aylesbury Vale,no figure" in rows and "Tiny,fewer than 5 offences" in rows


def test_a_district_whose_year_lacks_months_has_no_change_on_the_ranked_chart(world):
    """Oxford's 2015/16 is nine months (no January to March): 600 against 760 is no rise."""
    world.selection.comparators.add(world.force)
    oxford = world.place(Geography.Level.DISTRICT, "Oxford", None, 760, parent=world.force)
    for month in FY15.months()[:9]:
        world.observe(world.crime, oxford, month, 80)
    world.place(Geography.Level.DISTRICT, "Slough", 500, 550, parent=world.force)
    selection, book = world.book()

    ranked = district_chart(selection, world.area, "c1", book)

    shown = {p.label: p.text for p in ranked.points}
    assert shown["Oxford"] == "not comparable" and shown["Slough"] == "+10.0%"
    assert any("No change for Oxford" in note for note in ranked.notes)


def test_a_district_mapped_to_its_successor_is_counted_in_it_and_the_chart_says_so(world):
    world.selection.comparators.add(world.force)
    bucks = world.place(Geography.Level.DISTRICT, "Buckinghamshire", None, 2400, parent=world.force)
    for name, previous in (("Aylesbury Vale", 900), ("Wycombe", 1100)):
        old = world.place(Geography.Level.DISTRICT, name, previous, None, parent=world.force)
        old.successor = bucks
        old.save()
    world.place(Geography.Level.DISTRICT, "Oxford", 800, 760, parent=world.force)
    selection, book = world.book()

    ranked = district_chart(selection, world.area, "c1", book)

    shown = {p.label: p.text for p in ranked.points}
    assert shown == {
        "Buckinghamshire": "+20.0%",  # 2,400 against 900 + 1,100
        "Testville (this area)": "+4.8%",
        "Oxford": "−5.0%",
    }
    assert (
        "Aylesbury Vale and Wycombe counted as Buckinghamshire (a boundary change the analyst "
        "mapped)." in ranked.notes
    )
    assert not any("Not drawn" in note for note in ranked.notes)


def test_the_area_beside_places_of_another_scale_is_indexed_and_says_so(world):
    national = world.place(Geography.Level.NATIONAL, "England and Wales", 400_000, 422_000)
    world.selection.comparators.add(world.force, national)
    selection, book = world.book()

    chart = comparator_chart(selection, world.area, "c1", book)

    assert chart.title == (
        "All crime: Testville beside Thames Valley and England and Wales, indexed (2015/16 = 100)"
    )
    assert chart.headings == [
        "Period",
        "Testville (this area)",
        "Thames Valley",
        "England and Wales",
    ]
    assert [(label, [p.text for p in points]) for label, points in chart.rows] == [
        ("2015/16", ["100.0", "100.0", "100.0"]),
        ("2016/17", ["104.8", "103.1", "105.5"]),
    ]
    assert "indexed to 100 in 2015/16" in chart.notes[0]
    svg = chart.svg()
    assert svg.count("<polyline") == 3 and 'stroke-dasharray="8 4"' in svg
    assert "England and Wales" in svg  # named in the legend, beside its line's own style


def test_places_of_one_scale_are_drawn_as_they_are_and_a_missing_period_is_a_gap(world):
    neighbour = world.place(Geography.Level.DISTRICT, "Upton", None, 1500)
    world.selection.comparators.add(neighbour)
    selection, book = world.book()

    chart = comparator_chart(selection, world.area, "c1", book)

    assert "indexed" not in chart.title and chart.unit == "offences"
    assert [[p.text for p in points] for _, points in chart.rows] == [
        ["1,000", "no data"],
        ["1,048", "1,500"],
    ]
    assert any("No figure for Upton in 2015/16" in note for note in chart.notes)
    assert chart.svg().count("<polyline") == 1  # Upton's single figure joins nothing


def test_demo_figures_are_labelled_as_demo_under_the_chart(world):
    demo_batch = ImportBatchFactory(partnership=world.partnership, source=ImportBatch.Source.DEMO)
    made_up = GeographyFactory(
        partnership=world.partnership, level=Geography.Level.NATIONAL, name="England and Wales"
    )
    for period, value in ((FY15, 400_000), (FY16, 420_000)):
        world.observe(world.crime, made_up, period, value, batch=demo_batch)
    world.selection.comparators.add(made_up)
    selection, book = world.book()

    chart = comparator_chart(selection, world.area, "c1", book)

    assert "Demo data: the figures for England and Wales are made up" in " ".join(chart.notes)


def test_the_headline_names_its_comparators_and_the_check_accepts_their_numbers(world):
    world.selection.comparators.add(world.force)
    selection, book = world.book()
    figure = figure_for(selection, world.area, book)

    assert figure.statement() == "Increase in All crime of 4.8% (Thames Valley: +3.1%)."
    wording = "police.uk recorded crime rose 4.8 % (Thames Valley: +3.1 %)"
    assert wording_mismatches(wording, [figure]) == []
    assert wording_mismatches("crime rose 4.8 % (Thames Valley: +7.2 %)", [figure]) == ["7.2"]
    assert figure.as_dict()["comparators"][0] == {
        "place": "Thames Valley",
        "level": "force",
        "current": 20620.0,
        "comparison": 20000.0,
        "change": 3.1,
        "per_thousand": None,
    }


def test_the_chapter_shows_the_comparator_and_district_charts_after_the_areas_own(world):
    world.selection.comparators.add(world.force)
    world.place(Geography.Level.DISTRICT, "Upton", 400, 380, parent=world.force)

    charts = chapter_charts(world.chapter, world.area)

    assert [chart.kind for chart in charts] == ["bar", "lines", "ranked"]
    assert [chart.slug for chart in charts] == ["chart-1", "chart-2", "chart-3"]
    assert not any(re.search(r"(href|src|<script)", chart.svg()) for chart in charts)


def test_a_day_outside_the_estimates_year_never_borrows_it(world):
    world.populate(world.area, 2017, 53_000)  # mid-2017 serves periods starting in 2017 only
    selection, book = world.book()
    assert book.population(world.area, FY16) is None
    assert book.population(world.area, Period.financial_year(2017)) == 53_000
    assert book.population(world.area, Period.calendar_year(2017)) == 53_000


def test_choosing_a_comparator_shows_at_once_in_the_cached_figures(world):
    def figures():
        area = Geography.objects.select_related("partnership").get(pk=world.area.pk)
        return chapter_figures_and_charts(world.chapter, area)

    before, charts = figures()
    assert before[0].places == [] and [chart.kind for chart in charts] == ["bar"]
    world.selection.comparators.add(world.force)  # only the link changes, not the selection

    after, charts = figures()
    assert [place.place.name for place in after[0].places] == ["Thames Valley"]
    assert [chart.kind for chart in charts] == ["bar", "lines"]


def test_an_indexed_chart_whose_every_line_is_100_still_draws(world):
    # The current period has no figures yet for any place; the national series differs in scale.
    IndicatorSelection.objects.filter(pk=world.selection.pk).update(
        current_period_start=Period.financial_year(2017).start,
        comparison_period_start=FY16.start,
    )
    national = world.place(Geography.Level.NATIONAL, "England and Wales", 500_000, 520_000)
    world.selection.comparators.add(national)
    selection, book = world.book()

    chart = comparator_chart(selection, world.area, "c1", book)

    assert chart is None or "<svg" in chart.svg()


def test_a_mapped_districts_rate_counts_its_predecessors(world):
    world.selection.comparators.add(world.force)
    bucks = world.place(Geography.Level.DISTRICT, "Buckinghamshire", None, 600, parent=world.force)
    old = world.place(Geography.Level.DISTRICT, "Wycombe", 300, 400, parent=world.force)
    old.successor = bucks
    old.save()
    for place, residents in ((world.area, 52_400), (bucks, 20_000)):
        world.populate(place, 2016, residents)
    selection, book = world.book()

    ranked = district_chart(selection, world.area, "c1", book)

    # 600 + 400 offences in 2016/17 among 20,000 residents.
    assert {p.label: p.text for p in ranked.points}["Buckinghamshire"] == "50.0"
    assert not any("Not drawn" in note for note in ranked.notes)
