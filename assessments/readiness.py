"""The publication gate's checks of higher layers, registered with consultation's gate (a shell
module like documents.py: AssessmentsConfig.ready() loads it once the models are ready).

The workflow lives in consultation, below publication, which keeps the statutory checklist."""

from django.urls import reverse

from assessments.consultation.readiness import Failure, gate_check
from assessments.core.models import Assessment
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
