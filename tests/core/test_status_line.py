"""The one status line of an assessment: its pages, the PDF's cover and emails say it alike."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments.core.models import Assessment

from ..factories import AssessmentFactory

pytestmark = pytest.mark.django_db

CHANGED = timezone.make_aware(dt.datetime(2025, 6, 4, 9, 0))


@pytest.mark.parametrize(
    "status,closes_in_days,expected",
    [
        ("draft", None, "Draft"),
        ("consultation", 7, "In consultation until {closes}"),
        ("consultation", 0, "In consultation until {closes}"),
        ("consultation", -1, "Consultation closed, awaiting approval"),
        ("approved", None, "Approved on 4 June 2025"),
        ("published", None, "Published on 4 June 2025"),
    ],
)
def test_the_status_line_says_where_the_assessment_stands_with_its_date(
    status, closes_in_days, expected
):
    closes = None
    if closes_in_days is not None:
        closes = timezone.localdate() + dt.timedelta(days=closes_in_days)
    assessment = AssessmentFactory(
        status=status, status_changed_at=CHANGED, consultation_closes_on=closes
    )
    closes_text = f"{closes.day} {closes:%B %Y}" if closes else ""
    assert assessment.status_line == expected.format(closes=closes_text)


def test_the_assessment_page_shows_the_status_line(analyst_client, assessment):
    page = analyst_client.get(assessment.get_absolute_url()).content.decode()
    closes = assessment.consultation_closes_on
    assert f"In consultation</strong> until {closes.day} {closes:%B %Y}." in " ".join(page.split())


@pytest.mark.parametrize(
    ("status", "days", "detail"),
    [
        ("draft", None, ""),
        ("consultation", 7, "until {closes}"),
        ("consultation", -1, "awaiting approval"),
        ("approved", None, "on 4 June 2025"),
        ("published", None, "on 4 June 2025"),
        ("correction", None, "since 4 June 2025"),
    ],
)
def test_the_badge_and_the_detail_say_the_status_once(status, days, detail):
    """Issue 33: pages show the badge and what the line adds ("Draft", not "Draft Draft")."""
    closes = dt.date.today() + dt.timedelta(days=days) if days is not None else None
    assessment = Assessment(
        status=status,
        consultation_closes_on=closes,
        status_changed_at=timezone.make_aware(dt.datetime(2025, 6, 4, 12)),
    )
    expected = detail.format(closes=f"{closes.day} {closes:%B %Y}" if closes else "")
    assert assessment.status_detail == expected
    assert f"{assessment.status_label} {expected}".strip().replace(" awaiting", ", awaiting") == (
        assessment.status_line
    )
