"""Demo data of publication and the yearly cycle: the 2017 statutory checklist, mapped to
chapters as the analyst would, with two requirements still to cover."""

from __future__ import annotations

from assessments.core.models import Assessment
from assessments.publication.models import StatutoryCoverage, StatutoryRequirement

DEMO_COVERAGE = {
    StatutoryRequirement.LEVELS: ["crime", "violence", "drugs-and-alcohol"],
    StatutoryRequirement.CHANGES: ["crime", "hate-crime", "fire-service-data"],
    StatutoryRequirement.PRIORITIES: ["violence", "drugs-and-alcohol"],
}


def demo_publication_load(assessment: Assessment) -> None:
    assessment.statutory_coverage.exclude(requirement__in=list(DEMO_COVERAGE)).delete()
    for requirement, slugs in DEMO_COVERAGE.items():
        coverage, _ = StatutoryCoverage.objects.update_or_create(
            assessment=assessment, requirement=requirement, defaults={"note": ""}
        )
        coverage.chapters.set(assessment.chapters.filter(slug__in=slugs))
