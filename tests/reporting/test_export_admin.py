"""A restricted copy found where it should not be names its copy id: the analyst finds in the
admin whose copy it was, and another partnership's analyst finds nothing."""

import pytest
from django.urls import reverse

from assessments.reporting.exports import report_export_request

from ..factories import AssessmentFactory, ChapterFactory

pytestmark = pytest.mark.django_db


def test_the_analyst_finds_a_personal_copy_by_its_copy_id(
    client, partnership, analyst, other_analyst
):
    assessment = AssessmentFactory(partnership=partnership)
    ChapterFactory(assessment=assessment)
    export = report_export_request(assessment=assessment, user=analyst, variant="restricted")
    assert export.copy_id
    changelist = reverse("admin:assessments_reportexport_changelist")

    client.force_login(analyst)
    page = client.get(changelist, {"q": export.copy_id}).content.decode()
    assert export.copy_id in page
    assert analyst.get_username() in page or analyst.get_full_name() in page

    client.force_login(other_analyst)
    page = client.get(changelist, {"q": export.copy_id}).content.decode()
    assert "0 report exports" in page or "0 results" in page
