"""The assessment page's contents list is a template fragment cached under the partnership's
data version (issue 18): a new title shows at once, and one reader's "changed since you last
read it" never shows on another's page."""

import pytest
from django.test import Client

from assessments.core.models import User

pytestmark = pytest.mark.django_db

CHANGED = "Changed since you last read it"


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _contents(client: Client, demo) -> str:
    page = client.get(demo.get_absolute_url())
    assert page.status_code == 200
    return (
        page.content.decode()
        .split('<h2 class="govuk-heading-m">Contents</h2>')[1]
        .split("</ol>")[0]
    )


def test_a_new_chapter_title_shows_at_once(demo):
    police = _signed_in("police")
    assert "Violent crime" not in _contents(police, demo)
    chapter = demo.chapters.get(slug="violence")
    chapter.title = "Violent crime"
    chapter.save()
    assert "Violent crime" in _contents(police, demo)


def test_changed_since_read_is_each_readers_own(demo):
    police, fire = _signed_in("police"), _signed_in("fire")
    chapter = demo.chapters.get(slug="violence")
    assert police.get(chapter.get_absolute_url()).status_code == 200  # police reads it
    assert CHANGED not in _contents(police, demo)
    chapter.summary = "Rewritten after the first readings."
    chapter.save()
    assert _contents(police, demo).count(CHANGED) == 1
    # Fire has not read it: new to them, not changed, whatever police's page holds.
    assert CHANGED not in _contents(fire, demo)
    assert police.get(chapter.get_absolute_url()).status_code == 200  # read again
    assert CHANGED not in _contents(police, demo)
