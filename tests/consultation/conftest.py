"""What the consultation's tests of the chapter page's discussions share."""

import pytest
from django.test import Client

from ..factories import ChapterFactory, RecommendationFactory


@pytest.fixture
def commented_chapter(assessment, police_partner, fire_partner, analyst):
    """A chapter in consultation with a recommendation, and people of every role to comment."""
    chapter = ChapterFactory(assessment=assessment, slug="violence")
    RecommendationFactory(chapter=chapter, text="Fund a night-time economy officer.")
    return chapter


def signed_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client
