"""The admin's lists of an assessment's and a chapter's parts are kept in the cache under the
partnership's cache version (issue 18): every change of what they show is on the page at once."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.core.models import Organisation, User
from assessments.indicators.models import Geography
from assessments.publication.models import StatutoryCoverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_in(demo) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="analyst"))
    return client


def _assessment_page(client, demo) -> str:
    url = reverse("admin:assessments_assessment_change", args=[demo.pk])
    return client.get(url).content.decode()


def _chapter_page(client, chapter) -> str:
    url = reverse("admin:assessments_chapter_change", args=[chapter.pk])
    return client.get(url).content.decode()


def _rename_chapter(demo):
    chapter = demo.chapters.get(slug="crime")
    chapter.title = "Acquisitive Crime"
    chapter.save()
    return "Acquisitive Crime"


def _rename_theme(demo):
    theme = demo.chapters.get(slug="violence").theme
    theme.name = "Serious Violence"
    theme.save()
    return "<td>Serious Violence</td>"


def _rename_lead(demo):
    lead = Organisation.objects.get(pk=demo.chapters.get(slug="crime").lead_organisation_id)
    lead.name = "Thames Valley Constabulary"
    lead.save()
    return "<td>Thames Valley Constabulary</td>"


def _cover_a_requirement(demo):
    coverage = StatutoryCoverage.objects.filter(assessment=demo).order_by("requirement").first()
    coverage.note = "Covered by the crime chapter's trends."
    coverage.save()
    return "Covered by the crime chapter&#x27;s trends."


def _reweight_a_criterion(demo):
    criterion = demo.priority_criteria.order_by("order").first()
    criterion.name = "Volume of harm"
    criterion.save()
    return ">Volume of harm</a>"


@pytest.mark.parametrize(
    "change", [_rename_chapter, _rename_theme, _rename_lead, _cover_a_requirement,
               _reweight_a_criterion],
)  # fmt: skip
def test_the_assessment_page_shows_each_change_of_its_lists_at_once(analyst_in, demo, change):
    _assessment_page(analyst_in, demo)  # the lists are now in the cache
    shown = change(demo)
    assert shown in _assessment_page(analyst_in, demo)


def test_the_chapter_page_shows_each_change_of_its_indicators_at_once(analyst_in, demo):
    chapter = demo.chapters.get(slug="crime")
    robbery = chapter.selections.get(indicator__code="robbery")
    _chapter_page(analyst_in, chapter)

    robbery.comparators.set(Geography.objects.filter(name="Thames Valley"))
    assert "<td>Thames Valley</td>" in _chapter_page(analyst_in, chapter)

    robbery.indicator.name = "Robbery of personal property"
    robbery.indicator.save()
    assert ">Robbery of personal property</a>" in _chapter_page(analyst_in, chapter)

    robbery.caveat = "Recording practice changed in 2016."
    robbery.save()
    assert "Recording practice changed in 2016." in _chapter_page(analyst_in, chapter)

    robbery.delete()
    assert ">Robbery of personal property</a>" not in _chapter_page(analyst_in, chapter)
