"""The dashboard's chapter rows are cached under the partnership's cache version (issue 18):
every change to what they show appears on the next view, with no wait for a timeout. Comments
do not bump the version, so their counts are read on every view."""

import re

import pytest
from django.urls import reverse

from assessments.core.models import User
from tests.factories import CommentFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

STALE = "headline wording no longer matches the data"


@pytest.fixture
def dashboard(client, demo):
    client.force_login(User.objects.get(username="analyst"))
    url = reverse("dashboard", args=[demo.partnership.slug, demo.year])

    def row_of(slug: str) -> str:
        page = client.get(url)
        assert page.status_code == 200
        rows = page.content.decode().split("<tr ")
        return next(row for row in rows if f"/{slug}/" in row and '<th scope="row"' in row)

    return row_of


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]


def test_a_new_narrative_shows_its_words_at_once(dashboard, demo):
    before = _cells(dashboard("violence"))
    chapter = demo.chapters.get(slug="violence")
    chapter.narrative = "Four words, no more."
    chapter.save()
    after = _cells(dashboard("violence"))
    assert before[0] != "4" and after[0] == "4"


def test_a_new_recommendation_shows_at_once(dashboard, demo):
    chapter = demo.chapters.get(slug="violence")
    count = chapter.recommendations.count()
    assert _cells(dashboard("violence"))[1] == str(count)
    RecommendationFactory(chapter=chapter, order=99)
    assert _cells(dashboard("violence"))[1] == str(count + 1)


def test_a_headline_reworded_against_the_data_is_flagged_at_once(dashboard, demo):
    assert STALE not in dashboard("violence")
    headline = demo.headlines.filter(selection__chapter__slug="violence").first()
    headline.text = "Violence rose to 987,654 offences."
    headline.save()
    assert STALE in dashboard("violence")


def test_a_new_comment_is_counted_at_once(dashboard, demo):
    chapter = demo.chapters.get(slug="violence")
    open_before = int(_cells(dashboard("violence"))[5].split()[0])
    CommentFactory(chapter=chapter, author=User.objects.get(username="police"))
    assert _cells(dashboard("violence"))[5].startswith(f"{open_before + 1} open")


def test_the_cached_table_keeps_each_readers_links(client, demo):
    """The analyst's rows open the editor; the chair, who may not edit, gets the chapter."""
    url = reverse("dashboard", args=[demo.partnership.slug, demo.year])
    editor = reverse("chapter_edit", args=[demo.partnership.slug, demo.year, "violence"])
    client.force_login(User.objects.get(username="analyst"))
    assert editor in client.get(url).content.decode()
    client.force_login(User.objects.get(username="chair"))
    page = client.get(url).content.decode()
    assert page.count('/violence/"') == 1 and editor not in page
