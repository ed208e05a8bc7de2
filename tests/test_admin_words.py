"""The admin speaks the analyst's words, not Django's: a web address rather than a slug, figures
and imports rather than observations and import batches, and text fields that say how to write
a heading or a list (issue 33)."""

import re

import pytest
from django.urls import reverse

from assessments.core.models import User

pytestmark = pytest.mark.django_db

DJANGO_WORDS = ["Slug", "Observations", "Observation", "Import batches", "Import batch"]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    "name, args",
    [
        ("admin:index", []),
        ("admin:assessments_chapter_change", ["chapter"]),
        ("admin:assessments_partnership_change", ["partnership"]),
        ("admin:assessments_theme_add", []),
        ("admin:assessments_appendix_add", []),
        ("admin:assessments_indicator_add", []),
    ],
)
def test_no_admin_page_the_analyst_opens_speaks_djangos_words(client, demo, name, args):
    objects = {"chapter": demo.chapters.first().pk, "partnership": demo.partnership_id}
    client.force_login(User.objects.get(username="analyst"))
    text = visible_text(client.get(reverse(name, args=[objects[a] for a in args])).content.decode())
    for word in DJANGO_WORDS:
        assert not re.search(rf"\b{word}\b", text), word


def test_the_admin_names_figures_imports_and_web_addresses(client, demo):
    client.force_login(User.objects.get(username="analyst"))
    index = visible_text(client.get(reverse("admin:index")).content.decode())
    assert "Figures" in index and "Imports" in index
    chapter = client.get(
        reverse("admin:assessments_chapter_change", args=[demo.chapters.first().pk])
    ).content.decode()
    assert ">Web address:</label>" in chapter
    assert "# for a heading, * for a list" in visible_text(chapter)
