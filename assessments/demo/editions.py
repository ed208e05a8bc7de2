"""Demo data of editions: the 2017 assessment approved by the chair and published as edition 1,
then corrected and published again as edition 2 with its change note, as a newcomer would see
a real year end (`manage.py load_demo`; the tests' demo stays in consultation)."""

from __future__ import annotations

from django.db import transaction

from assessments.consultation.services.workflow import assessment_transition
from assessments.core.models import Assessment, User
from assessments.publication.models import StatutoryCoverage, StatutoryRequirement

# The two requirements the demo's checklist leaves for the analyst (demo/publication.py), as
# the analyst maps them before the board meets.
BEFORE_THE_BOARD = {
    StatutoryRequirement.COMMUNITY: ["crime"],
    StatutoryRequirement.PROGRESS: ["crime"],
}
CHANGE_NOTE = "Corrected the domestic abuse chapter's summary after the police confirmed its data."
CORRECTED_SUMMARY = (
    "Because domestic abuse recording practice changed in 2016/17, 2017 is a baseline year: "
    "its figures are not compared with earlier years."
)


def demo_publish(assessment: Assessment) -> Assessment:
    """The chair approves the assessment and the analyst publishes it (edition 1)."""
    for requirement, slugs in BEFORE_THE_BOARD.items():
        coverage, _ = StatutoryCoverage.objects.get_or_create(
            assessment=assessment, requirement=requirement
        )
        coverage.chapters.set(assessment.chapters.filter(slug__in=slugs))
    analyst, chair = _people(assessment)
    assessment_transition(assessment=assessment, action="approve", by=chair)
    assessment_transition(assessment=assessment, action="publish", by=analyst)
    assessment.refresh_from_db()
    return assessment


@transaction.atomic
def demo_editions_load(assessment: Assessment) -> Assessment:
    """Edition 1 published, then a correction published as edition 2 with its note."""
    demo_publish(assessment)
    analyst, chair = _people(assessment)
    assessment_transition(assessment=assessment, action="correct", by=analyst, reason=CHANGE_NOTE)
    chapter = assessment.chapters.get(slug="domestic-abuse")
    chapter.summary = CORRECTED_SUMMARY
    chapter.save()
    assessment_transition(assessment=assessment, action="approve", by=chair)
    assessment_transition(assessment=assessment, action="publish", by=analyst)
    assessment.refresh_from_db()
    return assessment


def _people(assessment: Assessment) -> tuple[User, User]:
    return User.objects.get(username="analyst"), User.objects.get(username="chair")
