"""The chapter page's figures and its links to the previous and next chapters are template
fragments cached under the partnership's data version (issue 18): a renamed indicator shows in
the figures, and a chapter renamed, added or removed in its neighbours' links, on the next
view."""

import pytest
from django.test import Client

from assessments.core.models import User
from tests.factories import ChapterFactory

pytestmark = pytest.mark.django_db


def _pagination(client: Client, chapter) -> str:
    page = client.get(chapter.get_absolute_url())
    assert page.status_code == 200
    return page.content.decode().split('aria-label="Chapters"')[1].split("</nav>")[0]


@pytest.fixture
def police(demo):
    client = Client()
    client.force_login(User.objects.get(username="police"))
    return client


def test_the_neighbours_links_follow_the_chapters_at_once(police, demo):
    first, second, third = demo.chapters.order_by("order")[:3]
    assert second.title in _pagination(police, first)
    second.title = "Violent crime, renamed"
    second.save()
    assert "Violent crime, renamed" in _pagination(police, first)

    order = second.order
    second.delete()
    assert third.title in _pagination(police, first)

    ChapterFactory(assessment=demo, order=order, title="Youth safety")
    assert "Youth safety" in _pagination(police, first)
    assert "Youth safety" in _pagination(police, third)


def test_a_renamed_indicator_shows_in_the_figures_at_once(police, demo):
    violence = demo.chapters.get(slug="violence")
    indicator = violence.selections.first().indicator
    assert indicator.name in police.get(violence.get_absolute_url()).content.decode()
    indicator.name = "Violence against the person, all offences"
    indicator.save()
    page = police.get(violence.get_absolute_url()).content.decode()
    assert "Violence against the person, all offences" in page
