"""The analyst chooses a selection's comparators in admin: the box offers only their own
partnership's force, district and national places, and the form accepts no other."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.indicators.forms import SelectionForm
from assessments.indicators.models import Geography, IndicatorSelection

from ..factories import ChapterFactory, GeographyFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(partnership, other_partnership):
    def place(owner, level, name):
        return GeographyFactory(partnership=owner, level=level, name=name)

    return {
        "force": place(partnership, Geography.Level.FORCE, "Thames Valley"),
        "district": place(partnership, Geography.Level.DISTRICT, "Oxford"),
        "national": place(partnership, Geography.Level.NATIONAL, "England and Wales"),
        "lsoa": place(partnership, Geography.Level.LSOA, "Testville 001A"),
        "theirs": place(other_partnership, Geography.Level.FORCE, "Northshire Police"),
    }


def test_the_comparators_box_offers_only_the_partnerships_own_comparator_places(
    analyst_client, places
):
    query = "app_label=assessments&model_name=indicatorselection&field_name=comparators&term="
    response = analyst_client.get(f"{reverse('admin:autocomplete')}?{query}")

    offered = {row["text"] for row in response.json()["results"]}
    assert offered == {"Thames Valley", "Oxford", "England and Wales"}


def test_another_partnerships_place_or_an_lsoa_is_refused_as_a_comparator(partnership, places):
    chapter = ChapterFactory(assessment__partnership=partnership)
    indicator = IndicatorFactory(partnership=partnership)
    selection = IndicatorSelection(chapter=chapter)
    data = {
        "order": 1,
        "indicator": indicator.pk,
        "period_type": "fy",
        "current_period_start": dt.date(2016, 4, 1),
    }

    def errors(*chosen):
        form = SelectionForm({**data, "comparators": [p.pk for p in chosen]}, instance=selection)
        form.is_valid()
        return form.errors.get("comparators")

    assert errors(places["force"], places["district"], places["national"]) is None
    assert errors(places["theirs"]) and errors(places["lsoa"])


def test_the_chapter_page_in_admin_shows_the_chosen_comparators(
    analyst_client, partnership, places
):
    chapter = ChapterFactory(assessment__partnership=partnership)
    selection = IndicatorSelection.objects.create(
        chapter=chapter,
        indicator=IndicatorFactory(partnership=partnership),
        current_period_start=dt.date(2016, 4, 1),
    )
    selection.comparators.set([places["force"], places["national"]])

    page = analyst_client.get(reverse("admin:assessments_chapter_change", args=[chapter.pk]))

    # Listed on the chapter's page; chosen on the selection's own page.
    assert "<td>Thames Valley, England and Wales</td>" in page.content.decode()
    own_page = analyst_client.get(
        reverse("admin:assessments_indicatorselection_change", args=[selection.pk])
    ).content.decode()
    assert "selected>Thames Valley</option>" in own_page
    assert "selected>England and Wales</option>" in own_page
