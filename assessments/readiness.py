"""The publication gate's checks of higher layers, registered with consultation's gate (a shell
module like documents.py: AssessmentsConfig.ready() loads it once the models are ready).

The workflow lives in consultation, below publication, which keeps the statutory checklist."""

from django.urls import reverse

from assessments.consultation.readiness import Failure, gate_check
from assessments.core.models import Assessment
from assessments.publication.models import StatutoryCoverage
from assessments.publication.selectors import statutory_checklist


@gate_check
def statutory_checklist_covered(assessment: Assessment) -> list[Failure]:
    """Every requirement of the 2007 regulations is mapped to a chapter that meets it."""
    fix_url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    return [
        Failure(
            "checklist",
            f"The statutory checklist does not cover “{item.label}”",
            f"{fix_url}#statutory-checklist",
            "Map it to a chapter",
            f"{assessment.get_absolute_url()}#statutory-checklist",
            "See the statutory checklist",
        )
        for item in statutory_checklist(assessment)
        if not item.is_covered
    ]


@gate_check
def statutory_mapping_reviewed(assessment: Assessment) -> list[Failure]:
    """A mapping the roll-over copied from last year is checked against this year's chapters
    before the board approves it (issue 32)."""
    copied = StatutoryCoverage.objects.filter(assessment=assessment, reviewed=False)
    return [
        Failure(
            "carried",
            f"The statutory checklist's mapping of “{coverage.get_requirement_display()}” is "
            "last year's, not reviewed since the roll-over",
            reverse("admin:assessments_statutorycoverage_change", args=[coverage.pk]),
            "Check the chapters, then tick that it was reviewed",
        )
        for coverage in copied.order_by("requirement")
    ]
