"""The demo data: idempotent, and its observations give the reference report's headline figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.appendices.models import Appendix
from assessments.appendices.permissions import appendices_visible_to, appendix_grantees
from assessments.core.models import (
    Assessment,
    Chapter,
    Membership,
    Organisation,
    Recommendation,
    User,
)
from assessments.demo.load import demo_load
from assessments.indicators import police_uk
from assessments.indicators.headlines import headline_figures
from assessments.indicators.models import Geography, Headline, Indicator, Observation

pytestmark = pytest.mark.django_db

REFERENCE_THEMES = [
    "Crime",
    "Violence",
    "Reoffending",
    "Hate Crime",
    "Domestic Abuse",
    "Drugs and Alcohol",
    "Fire Service data",
    "Modern Slavery",
    "FGM",
    "Cyber Crime",
]


def counts():
    models = [Assessment, Chapter, Recommendation, Observation, Headline, Appendix, User,
              Organisation, Membership, Geography, Indicator]  # fmt: skip
    return {m.__name__: m.objects.count() for m in models}


@pytest.mark.slow(reason="loads the demo twice, as the command does")
def test_load_demo_twice_leaves_the_same_data(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first["Assessment"] == 1
    assert "safermk-demo" in capsys.readouterr().out


def test_the_demo_assessment_is_in_consultation_with_the_reference_themes(demo):
    assert demo.partnership.slug == "safermk"
    assert demo.year == 2017
    assert demo.status == Assessment.Status.CONSULTATION
    # Opened yesterday, two weeks left to comment.
    assert demo.status_changed_at < timezone.now() - dt.timedelta(hours=12)
    assert demo.consultation_closes_on == timezone.localdate() + dt.timedelta(days=14)
    assert [c.title for c in demo.chapters.order_by("order")] == REFERENCE_THEMES
    for chapter in demo.chapters.all():
        assert len(chapter.narrative) > 300, chapter.title
        assert chapter.recommendations.exists(), chapter.title


def test_the_demo_tick_boxes_match_the_reference(demo):
    ticked = {p.label: p.addressed for p in demo.purposes.all()}
    assert ticked["Reducing the number of violent incidences"]
    assert ticked["Anti-Social Behaviour"] and ticked["Reducing Re-offending"]
    assert not ticked["Prevent"] and not ticked["Police and Crime Commissioner"]


def figures_by_code(assessment):
    return {f.indicator.code: f for f in headline_figures(assessment)}


def test_the_demo_headline_figures_come_from_the_observations(demo):
    figures = figures_by_code(demo)
    assert figures["all-crime"].change == Decimal("4.8")
    assert figures["all-crime"].direction == "increase"
    assert figures["all-crime"].is_good is False
    assert figures["hate-crime"].change == Decimal("-5.1")
    assert figures["drug-offences"].change == Decimal("-6.8")
    assert round(figures["cannabis-possession"].share) == 53
    assert figures["robbery"].direction == "decrease"
    assert figures["violence-against-the-person"].direction == "increase"
    assert figures["violence-against-the-person"].selection.caveat
    assert figures["sexual-offences"].direction == "increase"
    reoffending = figures["juvenile-reoffending-rate"]
    assert reoffending.change == Decimal("-0.9")
    assert reoffending.change_unit == "percentage points"
    fire = figures["fire-incidents"]
    assert (fire.selection.comparison_period.label, fire.selection.current_period.label) == (
        "2015",
        "2016",
    )
    assert fire.change == Decimal("7.0")
    domestic = figures["domestic-abuse"]
    assert domestic.direction == "baseline" and domestic.change is None
    assert domestic.current == 5870


def test_the_demo_figures_are_monthly_data_rolled_up_to_years(demo):
    all_crime = Observation.objects.filter(indicator__code="all-crime", geography__level="area")
    assert all_crime.count() == 24
    assert {o.period_type for o in all_crime} == {"m"}


def test_the_demo_sets_milton_keynes_beside_thames_valley_and_its_districts(demo):
    crime = demo.chapters.get(slug="crime")
    selection = crime.selections.get(indicator__code="all-crime")
    assert [p.name for p in selection.comparators.order_by("level")] == [
        "Thames Valley",
        "England and Wales",
    ]
    comparators = Observation.objects.filter(
        indicator__code="all-crime", geography__level__in=["force", "district", "national"]
    )
    assert {o.batch.source for o in comparators} == {"demo"}  # labelled as made up
    assert comparators.filter(geography__level="district").count() == 15 * 2
    populations = Observation.objects.filter(
        indicator__is_population=True, geography__name="Milton Keynes"
    )
    assert sorted((o.period_start.year, o.value) for o in populations) == [
        (2015, 261_800),
        (2016, 264_500),
    ]


def test_the_demo_users_and_grants(demo):
    police = User.objects.get(username="police")
    fire = User.objects.get(username="fire")
    council_analyst = User.objects.get(username="analyst")
    estate = demo.appendices.get(slug="estate")
    category = demo.appendices.get(slug="crime-category")
    hotspots = demo.appendices.get(slug="hotspots")
    assert police.check_password("safermk-demo")
    assert council_analyst.is_staff and not council_analyst.is_superuser
    assert appendices_visible_to(police, demo) == [category, estate, hotspots]
    assert hotspots.title == "Appendix C: Hotspots by neighbourhood"
    assert appendix_grantees(hotspots)[0] == appendix_grantees(estate)[0]
    assert appendices_visible_to(fire, demo) == []
    organisations, users = appendix_grantees(category)
    assert {o.short_name for o in organisations} == {"TVP", "MK Council"}
    organisations, users = appendix_grantees(estate)
    assert [o.short_name for o in organisations] == ["TVP"] and users == []


def test_the_demo_has_one_set_of_lsoas_and_the_police_uk_indicators_of_the_real_import(demo):
    estates = Geography.objects.filter(level="estate")
    lsoas = Geography.objects.filter(level="lsoa")
    assert lsoas.count() == 3 * estates.count()
    for estate in estates:
        residents = sum(lsoa.population for lsoa in lsoas.filter(parent=estate))
        assert estate.population - 3 < residents <= estate.population, estate.name
    police_uk_codes = {
        police_uk.indicator_code(t) for t in (*police_uk.CRIME_TYPES, police_uk.ALL_CRIME)
    }
    burglary = Indicator.objects.filter(
        name__icontains="burglary", observations__geography__level="lsoa"
    )
    assert set(burglary.values_list("code", flat=True)) == {"police-uk-burglary"}
    at_lsoas = Indicator.objects.filter(observations__geography__level="lsoa").distinct()
    assert set(at_lsoas.values_list("code", flat=True)) == police_uk_codes
    crime = demo.chapters.get(slug="crime").selections.filter(indicator__code__in=police_uk_codes)
    violence = demo.chapters.get(slug="violence").selections.filter(
        indicator__code__in=police_uk_codes
    )
    assert crime.exists() and violence.exists()
    estate_appendix = demo.appendices.get(slug="estate").indicators.all()
    assert estate_appendix and all(i.code in police_uk_codes for i in estate_appendix)


def test_police_uk_all_crime_is_the_sum_of_its_crime_types_as_in_an_import(demo):
    lsoa = Geography.objects.get(name="Milton Keynes 019A")
    by_code = {
        o.indicator.code: o.value
        for o in Observation.objects.filter(geography=lsoa, period_start="2016-07-01")
    }
    all_crime = by_code.pop(police_uk.indicator_code(police_uk.ALL_CRIME))
    by_code.pop(police_uk.indicator_code(police_uk.ASB))
    assert all_crime == sum(by_code.values()) > 0


@pytest.mark.slow(reason="loads the demo twice")
def test_load_demo_removes_what_the_earlier_second_generator_left(demo):
    partnership = demo.partnership
    Indicator.objects.create(partnership=partnership, code="policeuk-burglary", name="Burglary")
    Geography.objects.create(partnership=partnership, level="lsoa", code="E0109001A", name="x")
    demo_load()
    assert not Indicator.objects.filter(code__startswith="policeuk-").exists()
    assert not Geography.objects.filter(code="E0109001A").exists()


@pytest.mark.slow(reason="freezes and publishes the demo's whole report twice")
def test_the_demo_history_reads_in_the_order_things_happened(demo):
    """Opened before the first comment, and before the approvals and publications that follow,
    whatever the time of day the demo is loaded (it once said "Opened 09:00" after "Published
    00:44", and six-hour-old comments came before a consultation opened at nine)."""
    from assessments.consultation.models import Comment
    from assessments.demo.editions import demo_editions_load

    opened = demo.workflow_events.get(action="open").at
    assert opened < min(
        Comment.objects.filter(chapter__assessment=demo).values_list("created_at", flat=True)
    )
    demo_editions_load(demo)
    events = list(demo.workflow_events.order_by("pk"))
    assert [e.action for e in events][:3] == ["open", "approve", "publish"]
    assert [e.at for e in events] == sorted(e.at for e in events)
