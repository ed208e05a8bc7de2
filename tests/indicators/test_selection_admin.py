"""A chapter's indicators in admin (issue 18): listed on the chapter's page, each chosen and
changed on its own page with the same autocomplete boxes, and the analyst brought back to the
chapter once saved. As an inline every row drew about ten boxes, so the chapter's page grew with
its indicators."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from assessments.core.models import User
from assessments.indicators.models import Geography, IndicatorSelection

from ..factories import ChapterFactory, GeographyFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def _analyst(client):
    client.force_login(User.objects.get(username="analyst"))
    return client


def test_the_chapter_page_lists_its_indicators_without_a_form_for_each(client, demo):
    chapter = demo.chapters.get(slug="crime")
    robbery = chapter.selections.get(indicator__code="robbery")
    robbery.comparators.set(Geography.objects.filter(name="Thames Valley"))
    html = _analyst(client).get(reverse("admin:assessments_chapter_change", args=[chapter.pk]))
    html = html.content.decode()
    assert "selections-TOTAL_FORMS" not in html
    for selection in chapter.selections.select_related("indicator"):
        change = reverse("admin:assessments_indicatorselection_change", args=[selection.pk])
        assert f'<a href="{change}">{selection.indicator.name}</a>' in html
        assert selection.current_period.label in html
    assert "<td>Thames Valley</td>" in html


def test_an_indicator_is_added_on_its_own_page_and_the_analyst_returns_to_the_chapter(client, demo):
    chapter = demo.chapters.get(slug="crime")
    indicator = IndicatorFactory(partnership=demo.partnership, name="Bicycle theft")
    thames_valley = Geography.objects.get(name="Thames Valley")
    _analyst(client)
    html = client.get(reverse("admin:assessments_chapter_change", args=[chapter.pk])).content
    link = re.search(r'href="([^"]+)">Add an indicator to this chapter<', html.decode())
    add_url = link.group(1).replace("&amp;", "&")
    assert f'<option value="{chapter.pk}" selected>' in client.get(add_url).content.decode()

    saved = client.post(
        add_url,
        {
            "chapter": chapter.pk,
            "order": 9,
            "indicator": indicator.pk,
            "period_type": "fy",
            "current_period_start": "01/04/2016",
            "comparison_period_start": "01/04/2015",
            # Comparators chosen while adding: the chapter is the form's, not yet the row's.
            "comparators": [thames_valley.pk],
            "caveat": "",
        },
    )

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert saved["Location"] == reverse("admin:assessments_chapter_change", args=[chapter.pk])
    added = chapter.selections.get(indicator=indicator)
    assert added.current_period_start == dt.date(2016, 4, 1)
    assert list(added.comparators.all()) == [thames_valley]


def test_another_partnerships_place_is_refused_when_adding_an_indicator(
    client, demo, other_partnership
):
    chapter = demo.chapters.get(slug="crime")
    theirs = GeographyFactory(partnership=other_partnership, level="force", name="Northshire")
    response = _analyst(client).post(
        reverse("admin:assessments_indicatorselection_add"),
        {
            "chapter": chapter.pk,
            "order": 9,
            "indicator": IndicatorFactory(partnership=demo.partnership).pk,
            "period_type": "fy",
            "current_period_start": "01/04/2016",
            "comparators": [theirs.pk],
        },
    )
    assert response.status_code == 200
    assert not IndicatorSelection.objects.filter(comparators=theirs).exists()


def test_another_partnerships_analyst_cannot_open_or_add_to_the_chapters_indicators(
    client, demo, other_analyst
):
    chapter = demo.chapters.get(slug="crime")
    selection = chapter.selections.first()
    client.force_login(other_analyst)
    change = reverse("admin:assessments_indicatorselection_change", args=[selection.pk])
    assert client.get(change).status_code == 404
    response = client.post(
        reverse("admin:assessments_indicatorselection_add"),
        {"chapter": chapter.pk, "order": 1, "indicator": selection.indicator_id,
         "period_type": "fy", "current_period_start": "01/04/2016"},
    )  # fmt: skip
    assert response.status_code == 200  # the form again: that chapter is not among its choices
    assert "Select a valid choice" in response.content.decode()


def test_an_indicator_stays_in_its_chapter_and_partnership(client, demo, other_partnership):
    """A selection is not moved to another chapter once it exists (the old chapter's lists
    would not hear of it), and its indicators are its chapter's partnership's, for someone who
    administers both partnerships too."""
    from assessments.core.models import Membership

    analyst = User.objects.get(username="analyst")
    Membership.objects.create(user=analyst, partnership=other_partnership, role="analyst")
    theirs = ChapterFactory(assessment__partnership=other_partnership)
    selection = demo.chapters.get(slug="crime").selections.first()
    client.force_login(analyst)
    url = reverse("admin:assessments_indicatorselection_change", args=[selection.pk])
    data = {"chapter": theirs.pk, "order": 1, "indicator": selection.indicator_id,
            "period_type": "fy", "current_period_start": "01/04/2016"}  # fmt: skip
    client.post(url, data)
    selection.refresh_from_db()
    assert selection.chapter.assessment_id == demo.pk

    refused = client.post(reverse("admin:assessments_indicatorselection_add"), data)
    assert refused.status_code == 200
    assert "the chapter&#x27;s partnership" in refused.content.decode()
    assert not theirs.selections.exists()
