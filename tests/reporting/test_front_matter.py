"""The report's front matter and recommendations' plans as data and HTML (issue 32); what the
PDF prints of them is read back in test_pdf_document.py."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from assessments.core.models import Recommendation, User
from assessments.indicators.models import Indicator
from assessments.reporting.documents import Printing, Variant, document_html
from assessments.reporting.report_data import report_document

pytestmark = pytest.mark.django_db

FRONT_MATTER_KEYS = (
    "has_front_matter", "executive_summary", "area_profile", "horizon_scan", "main_risks",
    "gaps", "progress",
)  # fmt: skip


def _html(document) -> str:
    printing = Printing(status_line="Approved on 4 June 2025", is_draft=False)
    html = document_html(document, printing=printing, variant=Variant.PUBLIC, appendices=[])
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_edition_frozen_before_the_front_matter_prints_as_it_was_approved(demo):
    document = report_document(demo)
    assert "Area profile" in _html(document) and "Horizon scanning" in _html(document)
    # A document of an older edition: none of the front matter, recommendations without plans.
    old = {key: value for key, value in document.items() if key not in FRONT_MATTER_KEYS}
    for section in old["chapters"]:
        section["recommendations"] = [
            {"pk": r["pk"], "text": r["text"], "status": r["status"]}
            for r in section["recommendations"]
        ]
    for item in old["recommendations"]:
        item["recommendation"] = {"text": item["recommendation"]["text"], "status": "Proposed"}
    text = _html(old)
    for absent in ("Executive summary", "Area profile", "Horizon scanning", "Gaps in knowledge",
                   "Measure of success", "Lead: "):  # fmt: skip
        assert absent not in text
    # The all-recommendations table names the chapter's lead, as it did.
    assert (
        "Target vehicle crime prevention at the large car parks in Central Milton Keynes, "
        "working with car park operators. Thames Valley Police" in text
    )


def test_a_recommendation_without_its_own_lead_is_led_by_its_chapters(demo):
    recommendation = Recommendation.objects.get(chapter__slug="crime", order=2)
    recommendation.lead_organisation = None
    recommendation.save()
    rows = {
        r["pk"]: r
        for section in report_document(demo)["chapters"]
        for r in section["recommendations"]
    }
    assert rows[recommendation.pk]["lead_organisation"] == {"name": "Thames Valley Police"}


def test_gaps_list_the_indicators_without_figures_for_their_latest_period(demo):
    selection = demo.chapters.get(slug="crime").selections.get(indicator__code="robbery")
    selection.current_period_start = dt.date(2017, 4, 1)
    selection.comparison_period_start = dt.date(2016, 4, 1)
    selection.save()
    gaps = report_document(demo)["gaps"]["without_figures"]
    assert gaps == [{"indicator": "Robbery", "period": "2017/18", "chapter": "Crime"}]


def test_only_the_population_and_indicators_marked_as_profile_are_in_the_area_profile(demo):
    names = [row["name"] for row in report_document(demo)["area_profile"]]
    assert names[0] == "Resident population (mid-year estimate)"
    assert "Residents aged under 18" in names and "All Crime" not in names
    Indicator.objects.filter(code="residents-under-18").update(is_profile=False)
    names = [row["name"] for row in report_document(demo)["area_profile"]]
    assert "Residents aged under 18" not in names


def test_the_chapter_page_shows_each_recommendations_lead_timescale_and_measure(client, demo):
    client.force_login(User.objects.get(username="police"))
    url = reverse("chapter", args=["safermk", 2017, "crime"])
    page = " ".join(re.sub(r"<[^>]+>", " ", client.get(url).content.decode()).split())
    assert (
        "Lead: Milton Keynes Council. By 31 December 2017. Measure of success: Fewer thefts "
        "from vehicles in Central Milton Keynes"
    ) in page
    assert "Lead: Thames Valley Police. By 31 March 2018." in page


def test_members_read_the_front_matter_on_the_assessment_page(client, demo):
    client.force_login(User.objects.get(username="police"))
    page = client.get(reverse("assessment", args=["safermk", 2017])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Executive summary Recorded crime in Milton Keynes rose by 4.8%" in text
    assert "Area profile Resident population (mid-year estimate) 264,500 residents" in text
    assert "Economic Further reductions in council and partner budgets to 2020. Main risk" in text
    assert "Gaps in knowledge" in text and "Action Fraud reports are not broken down" in text
