"""Next year's assessment scores against this year's criteria, afresh."""

import pytest

from assessments.priorities.models import OrganisationScore
from assessments.priorities.services.scores import Given, organisation_scores_save
from assessments.publication.services.rollover import assessment_start_next

from ..factories import AssessmentFactory

pytestmark = pytest.mark.django_db

FIELDS = ("order", "name", "question", "level_4", "weight", "data_source", "band_4", "axis")


def test_the_criteria_roll_over_with_the_assessment_and_the_scores_do_not(
    matrix_world, police_partner
):
    assessment = matrix_world["assessment"]
    harm = matrix_world["Harm to victims"]
    harm.weight, harm.question = 3, "How much harm, in the partnership's words?"
    harm.save()
    organisation_scores_save(
        assessment=assessment,
        by=police_partner,
        given=[Given(matrix_world["violence"].pk, harm.pk, 4)],
    )
    following = assessment_start_next(source=assessment).assessment
    assert list(following.priority_criteria.values_list(*FIELDS)) == list(
        assessment.priority_criteria.values_list(*FIELDS)
    )
    assert not OrganisationScore.objects.filter(chapter__assessment=following).exists()
    assert OrganisationScore.objects.filter(chapter__assessment=assessment).count() == 1


def test_an_assessment_without_criteria_gives_next_year_the_default_set(partnership):
    source = AssessmentFactory(partnership=partnership)
    following = assessment_start_next(source=source).assessment
    assert list(following.priority_criteria.values_list("name", flat=True)) == [
        "Volume",
        "Trend",
        "Harm to victims",
        "Community concern",
        "Partnership capacity",
    ]
