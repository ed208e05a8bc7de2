"""Next year's assessment from this year's: structure copied, open recommendations carried,
idempotent, and the source year untouched."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.appendices.permissions import appendix_grantees, can_view_appendix
from assessments.core.models import Assessment, Organisation, Recommendation, User
from assessments.indicators.models import ChapterMap
from assessments.publication.models import BoardDecision, RecommendationOutcome
from assessments.publication.services.progress import progress_data
from assessments.publication.services.rollover import assessment_start_next

pytestmark = pytest.mark.django_db


def _snapshot(assessment: Assessment) -> dict:
    """Everything of an assessment that the roll-over could touch."""
    return {
        "assessment": Assessment.objects.filter(pk=assessment.pk).values().get(),
        "chapters": list(assessment.chapters.order_by("pk").values()),
        "recommendations": list(
            Recommendation.objects.filter(chapter__assessment=assessment).order_by("pk").values()
        ),
        "selections": [
            list(c.selections.order_by("pk").values()) for c in assessment.chapters.order_by("pk")
        ],
        "purposes": list(assessment.purposes.order_by("pk").values()),
        "appendices": list(assessment.appendices.order_by("pk").values()),
    }


@pytest.fixture
def demo_2018(demo):
    crime = demo.chapters.get(slug="crime")
    done, dropped, *_ = crime.recommendations.order_by("order")
    done.status = Recommendation.Status.DONE
    done.save()
    violence = demo.chapters.get(slug="violence").recommendations.order_by("order").first()
    violence.status = Recommendation.Status.DROPPED
    violence.save()
    before = _snapshot(demo)
    rollover = assessment_start_next(source=demo)
    return demo, before, rollover


def test_2018_copies_the_structure_of_2017(demo_2018):
    demo, _, rollover = demo_2018
    new = rollover.assessment
    assert rollover.created
    assert (new.year, new.title, new.status) == (2018, "Strategic Assessment 2018", "draft")
    assert list(new.chapters.values_list("slug", "theme_id", "order")) == list(
        demo.chapters.values_list("slug", "theme_id", "order")
    )
    assert list(new.purposes.values_list("kind", "label", "addressed")) == list(
        demo.purposes.values_list("kind", "label", "addressed")
    )
    old_all_crime = demo.chapters.get(slug="crime").selections.get(indicator__code="all-crime")
    new_all_crime = new.chapters.get(slug="crime").selections.get(indicator__code="all-crime")
    assert old_all_crime.current_period_start == dt.date(2016, 4, 1)
    assert new_all_crime.current_period_start == dt.date(2017, 4, 1)
    assert new_all_crime.comparison_period_start == dt.date(2016, 4, 1)
    baseline = new.chapters.get(slug="domestic-abuse").selections.get()
    assert baseline.comparison_period_start is None


def test_each_chapter_maps_the_same_crime_types_a_year_on(demo_2018):
    demo, _, rollover = demo_2018
    old = ChapterMap.objects.get(chapter__assessment=demo, chapter__slug="crime")
    new = ChapterMap.objects.get(chapter__assessment=rollover.assessment, chapter__slug="crime")
    assert new.crime_types == old.crime_types and "Burglary" in new.crime_types
    assert (new.first_month, new.last_month) == (dt.date(2017, 4, 1), dt.date(2018, 3, 1))
    assert ChapterMap.objects.filter(chapter__assessment=rollover.assessment).count() == 1


def test_appendices_and_their_grants_are_copied(demo_2018):
    _, _, rollover = demo_2018
    estate = rollover.assessment.appendices.get(slug="estate")
    police, fire = User.objects.get(username="police"), User.objects.get(username="fire")
    assert can_view_appendix(police, estate) is False  # a draft: partners wait
    Assessment.objects.filter(pk=rollover.assessment.pk).update(status="approved")
    estate.assessment.refresh_from_db()
    assert can_view_appendix(police, estate)
    assert not can_view_appendix(fire, estate)
    tvp = Organisation.objects.get(short_name="TVP")
    organisations, _ = appendix_grantees(estate)
    assert organisations == [tvp]
    assert estate.indicators.count() > 0


def test_only_open_recommendations_are_carried_forward_with_their_history(demo_2018):
    demo, _, rollover = demo_2018
    carried = Recommendation.objects.filter(chapter__assessment=rollover.assessment)
    open_before = Recommendation.objects.filter(chapter__assessment=demo).exclude(
        status__in=["done", "dropped"]
    )
    assert sorted(carried.values_list("text", flat=True)) == sorted(
        open_before.values_list("text", flat=True)
    )
    assert carried.count() == open_before.count() > 0
    texts = set(carried.values_list("text", flat=True))
    for closed in Recommendation.objects.filter(status__in=["done", "dropped"]):
        assert closed.text not in texts
    one = carried.first()
    assert one.carried_from.chapter.assessment == demo
    assert one.history.count() == 1


def test_running_it_twice_makes_one_assessment(demo_2018, capsys):
    demo, _, first = demo_2018
    second = assessment_start_next(source=demo)
    assert not second.created and second.assessment == first.assessment
    call_command("start_next_assessment", "safermk", "2017")
    out = capsys.readouterr().out
    assert "already exists" in out and out.strip().endswith("/assessments/safermk/2018/")
    assert Assessment.objects.filter(partnership=demo.partnership, year=2018).count() == 1


def test_editing_2018_changes_nothing_in_2017(demo_2018):
    demo, before, rollover = demo_2018
    assert _snapshot(demo) == before
    new = rollover.assessment
    chapter = new.chapters.get(slug="crime")
    chapter.narrative = "Rewritten for 2018."
    chapter.save()
    chapter.recommendations.update(text="Changed in 2018.")
    chapter.selections.update(caveat="A 2018 caveat.")
    new.purposes.update(addressed=False)
    new.appendices.update(title="2018 appendix")
    assert _snapshot(demo) == before


def test_the_admin_action_starts_next_year(client, demo):
    client.force_login(User.objects.get(username="analyst"))
    response = client.post(
        reverse("admin:assessments_assessment_changelist"),
        {"action": "start_next_assessment", "_selected_action": [demo.pk]},
        follow=True,
    )
    assert Assessment.objects.filter(partnership=demo.partnership, year=2018).exists()
    # Issue 33: the message links to the new assessment.
    page = response.content.decode()
    assert re.search(r'<a[^>]* href="/assessments/safermk/2018/"[^>]*>[^<]*2018', page)


def test_the_command_refuses_an_unknown_assessment(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No assessment nowhere 2017"):
        call_command("start_next_assessment", "nowhere", "2017")


def test_a_new_year_without_headlines_shows_no_empty_headlines_heading(client, demo):
    """Issue 33: "Main headlines" with nothing under it on the rolled-over year."""

    new = assessment_start_next(source=demo).assessment
    new.headlines.all().delete()
    client.force_login(User.objects.get(username="analyst"))
    assert "Main headlines" not in client.get(new.get_absolute_url()).content.decode()
    assert "Main headlines" in client.get(demo.get_absolute_url()).content.decode()


def test_recommendations_carry_their_lead_timescale_and_measure_into_next_year(demo_2018):
    """Issue 32: a carried recommendation keeps its own lead, timescale and measure, and next
    year's report shows last year's recommendations with where they stand."""
    demo, _, rollover = demo_2018
    crime = demo.chapters.get(slug="crime")
    second = crime.recommendations.get(order=2)
    carried = rollover.assessment.chapters.get(slug="crime").recommendations.get()
    assert carried.carried_from == second
    assert (carried.lead_organisation.short_name, carried.due_by, carried.success_measure) == (
        "MK Council",
        dt.date(2017, 12, 31),
        "Fewer thefts from vehicles in Central Milton Keynes",
    )
    carried.status = Recommendation.Status.IN_PROGRESS
    carried.save()
    decision = BoardDecision.objects.create(assessment=demo, met_on=dt.date(2017, 10, 12))
    decision.agreed_themes.set([demo.chapters.get(slug="violence").theme])
    RecommendationOutcome.objects.create(
        decision=decision, recommendation=second, outcome="adopted"
    )

    progress = progress_data(rollover.assessment)["progress"]
    assert progress["last_year"] == 2017
    # The board agreed violence: its chapter's lead figure next year (no figures yet).
    (violence,) = progress["priorities"]
    assert violence["priority"] == "Violence"
    assert violence["movement"] == "Violence against the Person: no figures for 2017/18 yet."
    # Each of the chapter's indicators: 2017/18, without figures yet, against 2016/17.
    assert [(f["indicator"]["name"], f["current"], f["comparison"], f["change_in_words"])
            for f in violence["figures"]] == [
        ("Violence against the Person", None, 6905, "No comparison"),
        ("Sexual Offences", None, 486, "No comparison"),
        ("Possession of weapons (police.uk)", None, 60, "Not comparable"),  # 2016/17 lacks March
    ]  # fmt: skip
    rows = {row["number"]: row for row in progress["recommendations"]}
    assert rows["1.2"] | {"text": ""} == {
        "number": "1.2",
        "chapter": "Crime",
        "text": "",
        "lead_organisation": "Milton Keynes Council",
        "due_by": "31 December 2017",
        "success_measure": "Fewer thefts from vehicles in Central Milton Keynes",
        "outcome": "Adopted as a priority",
        "status": "In progress",
        "carried": True,
    }
    assert (rows["1.1"]["status"], rows["1.1"]["carried"]) == ("Done", False)
    assert rows["1.1"]["lead_organisation"] == "Thames Valley Police"  # the chapter's


def test_a_priority_keeps_its_theme_into_next_year(demo):
    violence = demo.chapters.get(slug="violence").theme
    assert demo.purposes.get(label="Reducing the number of violent incidences").theme == violence
    new = assessment_start_next(source=demo).assessment
    assert new.purposes.get(label="Reducing the number of violent incidences").theme == violence
