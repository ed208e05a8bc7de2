"""The scoring and results pages cost the same number of queries for a small matrix and one
with three times the themes and organisations, every organisation having scored everything.
Counted on a cold cache, the worst case."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.priorities.services.scores import (
    Given,
    organisation_scores_save,
    score_override_set,
)

from ..factories import OrganisationFactory, member
from .conftest import chapter_with_figures

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(world, area, analyst, themes: int, organisations: int) -> None:
    """Add themes with figures and organisations that score every theme and criterion."""
    assessment = world["assessment"]
    for n in range(themes):
        chapter_with_figures(
            assessment, area, f"Theme {n} {assessment.chapters.count()}", 10 * n, 5
        )
    criteria = list(assessment.priority_criteria.all())
    for n in range(organisations):
        organisation = OrganisationFactory(name=f"Organisation {n} {assessment.pk}-{themes}")
        organisation.partnerships.add(assessment.partnership)
        partner = member(assessment.partnership, "partner", organisation=organisation)
        organisation_scores_save(
            assessment=assessment,
            by=partner,
            given=[
                Given(chapter.pk, criterion.pk, 1 + (chapter.pk + n) % 4, "Said something.")
                for chapter in assessment.chapters.all()
                for criterion in criteria
            ],
        )
    for chapter in assessment.chapters.all():
        score_override_set(
            chapter=chapter, criterion=criteria[0], score=2, reason="Why", by=analyst
        )


def _count(world, analyst, police_partner) -> dict[str, int]:
    assessment = world["assessment"]
    args = [assessment.partnership.slug, assessment.year]
    counts = {}
    first_theme = [assessment.chapters.themes().order_by("order").first().slug]
    for name, user, route, more in (
        ("scoring", police_partner, "priorities_score", []),
        ("scoring a theme", police_partner, "priorities_score_theme", first_theme),
        ("results for a partner", police_partner, "priorities", []),
        ("results", analyst, "priorities", []),
        ("csv", analyst, "priorities_matrix_csv", []),
    ):
        client = Client()
        client.force_login(user)
        counts[name] = _queries(client, reverse(route, args=[*args, *more]))
    return counts


@pytest.mark.slow(
    reason="scores a matrix of nine themes by four organisations, counts five pages twice"
)
def test_the_pages_cost_the_same_with_three_times_the_themes_and_organisations(
    matrix_world, area, analyst, police_partner
):
    _grow(matrix_world, area, analyst, themes=1, organisations=1)
    small = _count(matrix_world, analyst, police_partner)
    _grow(matrix_world, area, analyst, themes=6, organisations=3)
    assert matrix_world["assessment"].chapters.count() == 9
    assert _count(matrix_world, analyst, police_partner) == small
