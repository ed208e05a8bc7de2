"""The partnership's glossary: its own terms beside the standard ones, written in admin."""

import pytest
from django.urls import reverse

from assessments.core.glossary import glossary_terms, undefined_abbreviations
from assessments.core.models import GlossaryTerm

pytestmark = pytest.mark.django_db


def test_the_analyst_adds_a_term_on_the_partnerships_page(analyst_client, partnership):
    url = reverse("admin:assessments_partnership_change", args=[partnership.pk])
    page = analyst_client.get(url)
    assert page.status_code == 200 and "Glossary terms" in page.content.decode()
    prefix = "glossary_terms"
    response = analyst_client.post(
        url,
        {
            "name": partnership.name,
            "slug": partnership.slug,
            "area_name": partnership.area_name,
            "restricted_marking": partnership.restricted_marking,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-term": "MARAC",
            f"{prefix}-0-definition": "Multi-Agency Risk Assessment Conference.",
        },
    )
    assert response.status_code == 302
    assert GlossaryTerm.objects.get(partnership=partnership).term == "MARAC"
    terms = dict(glossary_terms(partnership.pk))
    assert terms["MARAC"] == "Multi-Agency Risk Assessment Conference."
    assert "LSOA" in terms  # the standard terms stay


def test_an_abbreviation_is_defined_by_the_glossary_or_known_to_every_reader():
    texts = ["MARAC referrals and LSOAs, in the UK's NHS; the PCC and BFRS."]
    assert undefined_abbreviations(texts, ["LSOA", "PCC"]) == ["BFRS", "MARAC"]
