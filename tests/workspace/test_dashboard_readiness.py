"""The dashboard lists the readiness gaps of the next workflow step up front (issue 33), not only
when someone tries the step."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.demo.editions import BEFORE_THE_BOARD
from assessments.publication.models import StatutoryCoverage

from ..journeys.demo_states import put_in_state, signed_in

pytestmark = pytest.mark.django_db

URL = reverse("dashboard", args=["safermk", 2017])


def gaps(page: str) -> list[str]:
    listed = page.split('id="readiness-failures"', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in listed.split("<li>")[1:]]


def test_the_chair_sees_what_stops_approval_with_links_the_chair_can_open(client, demo):
    demo.chapters.filter(slug="crime").update(narrative="")
    page = signed_in(client, "chair").get(URL).content.decode()
    assert "Before the chair approves it" in page
    listed = gaps(page)
    assert "“Crime” has no narrative. Read the chapter: “Crime” has no narrative" in listed
    assert "approval waits until they are fixed" in page
    failures = page.split('id="readiness-failures"', 1)[1].split("</ul>", 1)[0]
    assert "/admin/" not in failures and "/assessments/safermk/2017/crime/" in failures
    # The demo leaves two statutory requirements unmapped: the chair reads the checklist.
    assert "See the statutory checklist" in failures
    checklist = client.get("/assessments/safermk/2017/").content.decode()
    assert 'id="statutory-checklist"' in checklist


def test_the_analyst_sees_the_gaps_before_opening_and_their_fixes(client, demo):
    draft = put_in_state(demo, "draft")
    draft.chapters.filter(slug="crime").update(narrative="")
    page = signed_in(client, "analyst").get(URL).content.decode()
    assert "Before the consultation opens" in page
    assert "“Crime” has no narrative. Write the narrative" in " ".join(gaps(page))


def test_nothing_listed_when_every_check_passes(client, demo):
    for requirement, slugs in BEFORE_THE_BOARD.items():
        coverage = StatutoryCoverage.objects.create(assessment=demo, requirement=requirement)
        coverage.chapters.set(demo.chapters.filter(slug__in=slugs))
    page = signed_in(client, "chair").get(URL).content.decode()
    assert "Every readiness check passes." in page and 'id="readiness-failures"' not in page
