"""Deleting an import batch in the admin: Django's confirmation page listed every observation the
batch takes with it, with a link and a query for its name each, and a month of police.uk figures
(thousands of rows) took over 15 seconds. Past a few hundred rows the page counts them."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from assessments.indicators.models import ImportBatch, Observation

from ..factories import GeographyFactory, ImportBatchFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

ROWS = 600


@pytest.fixture
def big_batch(partnership):
    batch = ImportBatchFactory(partnership=partnership)
    indicator = IndicatorFactory(partnership=partnership)
    places = [GeographyFactory(partnership=partnership, level="lsoa") for _ in range(ROWS // 12)]
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            batch=batch,
            geography=place,
            period_type="m",
            period_start=dt.date(2016, month, 1),
            value=month,
        )
        for place in places
        for month in range(1, 13)
    )
    return batch


def test_the_delete_page_counts_a_large_batch_in_a_few_queries_and_deletes_it(
    client, analyst, big_batch, django_assert_max_num_queries
):
    client.force_login(analyst)
    url = reverse("admin:assessments_importbatch_delete", args=[big_batch.pk])

    with django_assert_max_num_queries(40):
        page = client.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert f"Figures: {ROWS:,}" in text
    assert not re.search(r'href="/admin/assessments/observation/\d', text)

    client.post(url, {"post": "yes"})
    assert not ImportBatch.objects.filter(pk=big_batch.pk).exists()
    assert not Observation.objects.filter(batch_id=big_batch.pk).exists()


def test_another_partnerships_analyst_cannot_reach_the_delete_page(
    client, other_analyst, big_batch
):
    client.force_login(other_analyst)
    url = reverse("admin:assessments_importbatch_delete", args=[big_batch.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"post": "yes"}).status_code == 404
    assert ImportBatch.objects.filter(pk=big_batch.pk).exists()
