"""Query budgets: the pages people read most cost the same number of queries for the demo and
for an assessment four times its size (indicators, chapters, headlines and comments), so their
cost does not grow with the assessment. Counted on a cold cache, the worst case."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.core.models import Assessment, User
from assessments.demo.scale import demo_scale_up
from assessments.indicators.models import Geography, ImportBatch, IndicatorSelection, Observation
from tests.factories import set_status

pytestmark = pytest.mark.django_db

PARTNER_PAGES = {"assessment": "", "chapter": "violence/", "crime chapter": "crime/"}
ANALYST_PAGES = {"dashboard": "dashboard/"}
PUBLIC_PAGES = {"public assessment": "", "public chapter": "violence/"}


def _queries(client: Client, url: str) -> int:
    client.get(url)  # a first visit records the reading once; the count is of a later one
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _count_pages(assessment: Assessment) -> dict[str, int]:
    base = assessment.get_absolute_url()
    signed_in = {}
    for username, pages in (("police", PARTNER_PAGES), ("analyst", ANALYST_PAGES)):
        client = Client()
        client.force_login(User.objects.get(username=username))
        signed_in |= {name: _queries(client, base + path) for name, path in pages.items()}
    status = assessment.status
    set_status(assessment, Assessment.Status.PUBLISHED)  # the public read its edition
    public = {name: _queries(Client(), base + path) for name, path in PUBLIC_PAGES.items()}
    Assessment.objects.filter(pk=assessment.pk).update(status=status, public_edition=None)
    assessment.editions.all().delete()
    assessment.refresh_from_db()
    return signed_in | public


@pytest.mark.slow(
    reason="counts every page's queries on the demo, then on it made four times larger"
)
def test_pages_cost_the_same_queries_at_four_times_the_size(demo):
    at_demo_size = _count_pages(demo)
    demo_scale_up(demo, factor=4)
    assert demo.chapters.count() == 40 and demo.headlines.count() == 32

    assert _count_pages(demo) == at_demo_size


def _add_comparators(assessment: Assessment, count: int) -> None:
    """`count` more districts, each with figures for every selected indicator, chosen as
    comparators by every selection of the assessment."""
    partnership = assessment.partnership
    batch = ImportBatch.objects.create(partnership=partnership, key=f"more-places-{count}")
    selections = list(IndicatorSelection.objects.filter(chapter__assessment=assessment))
    for n in range(count):
        place = Geography.objects.create(
            partnership=partnership, level=Geography.Level.DISTRICT, code=f"D{count}-{n}",
            name=f"District {count}-{n}",
        )  # fmt: skip
        Observation.objects.bulk_create(
            Observation(
                indicator_id=selection.indicator_id,
                batch=batch,
                geography=place,
                period_type=selection.period_type,
                period_start=start,
                value=100 + n,
            )  # fmt: skip
            for selection in selections
            for start in (selection.comparison_period_start, selection.current_period_start)
            if start is not None
        )
        for selection in selections:
            selection.comparators.add(place)


@pytest.mark.slow(
    reason="counts every page's queries on the demo, then again with many comparators"
)
def test_pages_cost_the_same_queries_whatever_the_number_of_comparators(demo):
    crime = demo.chapters.get(slug="crime").selections.get(indicator__code="all-crime")
    assert crime.comparators.count() == 2  # the demo's Thames Valley and England and Wales
    _add_comparators(demo, 1)
    with_few = _count_pages(demo)
    _add_comparators(demo, 8)

    assert _count_pages(demo) == with_few
    client = Client()
    client.force_login(User.objects.get(username="police"))
    page = client.get(demo.get_absolute_url() + "crime/").content.decode()
    assert "District 8-7" in page  # the pages do show every comparator
