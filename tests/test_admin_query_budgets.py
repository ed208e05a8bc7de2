"""Query budgets of the analyst's admin pages (issue 18): the assessment's change page, a
chapter's change page and the headlines list cost the same number of queries for the demo and
for an assessment four times its size (indicators, chapters, headlines and comments), so that
their cost does not grow with the assessment."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.core.models import Assessment, User
from assessments.demo.scale import demo_scale_up

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> tuple[int, str]:
    client.get(url)  # a first visit; the count is of a later one, on a cold cache
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _analyst() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="analyst"))
    return client


def _change_pages(assessment: Assessment) -> dict[str, tuple[int, str]]:
    client = _analyst()
    chapter = assessment.chapters.get(slug="violence")
    return {
        "assessment": _queries(
            client, reverse("admin:assessments_assessment_change", args=[assessment.pk])
        ),
        "chapter": _queries(client, reverse("admin:assessments_chapter_change", args=[chapter.pk])),
    }


@pytest.mark.slow(
    reason="counts the admin pages' queries on the demo, then on it made four times larger"
)
def test_admin_change_pages_cost_the_same_queries_at_four_times_the_size(demo):
    at_demo_size = _change_pages(demo)
    demo_scale_up(demo, factor=4)
    assert demo.chapters.count() == 40
    assert demo.chapters.get(slug="violence").selections.count() == 4 * 3

    at_four_times = _change_pages(demo)
    assert {name: count for name, (count, _) in at_four_times.items()} == {
        name: count for name, (count, _) in at_demo_size.items()
    }
    # The pages still show every row: the 40 chapters with their themes, and the chosen
    # indicators of the chapter's selections.
    assessment_page, chapter_page = at_four_times["assessment"][1], at_four_times["chapter"][1]
    assert len(re.findall(r'href="/admin/assessments/chapter/\d+/change/"', assessment_page)) == 40
    assert "<td>Cyber Crime 3</td>" in assessment_page
    selection = r'href="/admin/assessments/indicatorselection/\d+/change/"'
    assert len(re.findall(selection, chapter_page)) == 12
    assert chapter_page.count(">Violence against the Person 3</a>") == 1


@pytest.mark.slow(reason="counts the list's queries on the demo, then on it made four times larger")
def test_the_headlines_list_costs_the_same_queries_at_four_times_the_size(demo):
    url = reverse("admin:assessments_headline_changelist")
    at_demo_size, _ = _queries(_analyst(), url)
    demo_scale_up(demo, factor=4)
    at_four_times, page = _queries(_analyst(), url)
    assert page.count('class="field-figures_check"') == 32
    assert at_four_times == at_demo_size
