"""No dead ends: every same-site link a signed-in person is shown on the dashboard, the
assessment page and a chapter answers them, in every state of the demo assessment. One link per
URL pattern is followed (the pattern, not the row, decides whether the view serves the person)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..site_links import links_by_pattern
from .demo_states import ROLES, STATES, put_in_state, signed_in

pytestmark = pytest.mark.django_db


def pages_of(assessment) -> list[str]:
    slug, year = assessment.partnership.slug, assessment.year
    chapter = assessment.chapters.order_by("order").first()
    return [
        reverse("assessment", args=[slug, year]),
        reverse("dashboard", args=[slug, year]),
        reverse("chapter", args=[slug, year, chapter.slug]),
    ]


def links_shown(client, page: str) -> dict[str, str]:
    """One link per URL pattern of those the page shows (the page may refuse: then none)."""
    response = client.get(page)
    if response.status_code != 200:
        return {}
    return links_by_pattern(response.content.decode())


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_every_link_shown_answers_the_person_it_is_shown_to(client, demo, state, username):
    assessment = put_in_state(demo, state)
    signed_in(client, username)
    refused = []
    for page in pages_of(assessment):
        for name, href in links_shown(client, page).items():
            status = client.get(href).status_code
            if status in (403, 404) or status >= 500:
                refused.append(f"{username} on {page}: {name} {href} -> {status}")
    assert not refused, "\n".join(refused)
