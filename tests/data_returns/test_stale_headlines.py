"""When confirmed figures change a chapter's indicators, the analyst (and only the analyst) is
shown that its headline wording no longer matches the data, on the chapter and the dashboard,
and gets one email."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from assessments.indicators.models import Headline, IndicatorSelection

from ..factories import ChapterFactory, ObservationFactory
from .test_data_returns import confirm, filled_csv, template_rows, upload

pytestmark = pytest.mark.django_db

STALE = "headline wording no longer matches the data"


@pytest.fixture
def headline(fire_request, area):
    fires = fire_request.indicators.get(code="fires")
    ObservationFactory(indicator=fires, geography=area, period_start=dt.date(2016, 1, 1), value=7)
    chapter = ChapterFactory(assessment=fire_request.assessment, title="Fire", slug="fire")
    selection = IndicatorSelection.objects.create(
        chapter=chapter, indicator=fires, period_type="m", current_period_start=dt.date(2016, 1, 1)
    )
    return Headline.objects.create(
        assessment=fire_request.assessment, selection=selection, text="7 fires in January 2016"
    )


def return_new_figures(client, request, django_capture_on_commit_callbacks):
    rows = template_rows(client, request)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, request, upload(client, request, filled_csv(rows)))


def test_the_analyst_is_told_once_by_email(
    fire_client, fire_request, headline, analyst, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    return_new_figures(fire_client, fire_request, django_capture_on_commit_callbacks)
    to_analyst = [m for m in mail.outbox if analyst.email in m.to]
    assert len(to_analyst) == 1
    assert "7 fires in January 2016" in to_analyst[0].body
    assert not [
        m for m in mail.outbox if "no longer matches" in m.body and analyst.email not in m.to
    ]


def test_the_chapter_and_dashboard_show_the_analyst_only(
    fire_client, fire_request, headline, analyst, django_capture_on_commit_callbacks
):
    return_new_figures(fire_client, fire_request, django_capture_on_commit_callbacks)
    chapter = headline.selection.chapter
    assert STALE not in fire_client.get(chapter.get_absolute_url()).content.decode()
    fire_client.force_login(analyst)
    page = fire_client.get(chapter.get_absolute_url()).content.decode()
    assert STALE in page and "7 fires in January 2016" in page
    assessment = fire_request.assessment
    url = reverse("dashboard", args=[assessment.partnership.slug, assessment.year])
    assert STALE in fire_client.get(url).content.decode()
