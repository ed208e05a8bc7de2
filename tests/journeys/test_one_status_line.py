"""One status line: after "Close the consultation now" no page still says the consultation is
open, and the badge agrees with the sentence beside it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.consultation.services import workflow
from assessments.core.models import User

from .demo_states import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_early(demo):
    workflow.assessment_transition(
        assessment=demo, action="close", by=User.objects.get(username="analyst")
    )
    demo.refresh_from_db()
    return demo


def said_once(body: str, badge: str, detail: str) -> bool:
    """The status paragraph: the badge, then what the line adds, the status not said twice."""
    status = re.search(
        r"<p class=\"govuk-body\"><strong class=\"govuk-tag app-status-tag.*?</p>", body, re.S
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", status.group(0)).split())
    return text.startswith(f"{badge} {detail}") and text.count(badge) == 1


def page(client, name, assessment, **query):
    url = reverse(name, args=[assessment.partnership.slug, assessment.year])
    return client.get(url, query).content.decode()


def test_the_status_line_says_closed_after_closing_early(closed_early):
    assert closed_early.status_line == "Consultation closed, awaiting approval"


@pytest.mark.parametrize("name", ["assessment", "dashboard"])
def test_the_badge_agrees_with_the_status_line_after_closing_early(client, closed_early, name):
    body = page(signed_in(client, "analyst"), name, closed_early)
    assert said_once(body, "Consultation closed", "awaiting approval.")
    assert "In consultation" not in body


def test_the_approve_page_does_not_say_the_consultation_is_still_open(client, closed_early):
    body = page(signed_in(client, "chair"), "transition", closed_early, action="approve")
    assert said_once(body, "Consultation closed", "awaiting approval.")
    assert "in consultation until" not in body.lower()
