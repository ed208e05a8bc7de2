"""The matrix as the pages read it: proposals from the real figures, overrides with who, when
and why, organisations' scores, the combination and the ranking."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.priorities.models import OrganisationScore
from assessments.priorities.selectors import priority_matrix
from assessments.priorities.services.scores import (
    Given,
    organisation_scores_save,
    score_override_set,
)

from .conftest import chapter_with_figures

pytestmark = pytest.mark.django_db


def row_of(matrix, chapter):
    return next(row for row in matrix.rows if row.chapter == chapter)


def cell_of(row, name):
    return next(cell for cell in row.cells if cell.criterion.name == name)


def test_the_data_proposes_volume_and_trend_from_the_chapters_figures(matrix_world):
    matrix = priority_matrix(matrix_world["assessment"])
    violence = row_of(matrix, matrix_world["violence"])
    trend, volume = cell_of(violence, "Trend"), cell_of(violence, "Volume")
    # 1,200 against 1,000 is a rise of 20 per cent: over the 10 per cent band, so 4.
    assert (trend.proposal.score, trend.result.source) == (4, "data")
    assert "+20.0%" in trend.proposal.figure
    assert "2016/17" in trend.proposal.figure and "2015/16" in trend.proposal.figure
    # 1,200 is over the 1,000 band of volume but not the 5,000 one: 3.
    assert (volume.proposal.score, volume.proposal.figure.endswith("1,200")) == (3, True)
    burglary = row_of(matrix, matrix_world["burglary"])
    assert cell_of(burglary, "Trend").proposal.score == 1  # a fall of 50 per cent
    assert cell_of(burglary, "Volume").proposal.score == 1
    # Harm is for the partners to judge: nothing proposed, nothing scored yet.
    assert cell_of(burglary, "Harm to victims").proposal is None
    assert cell_of(burglary, "Harm to victims").result.score is None


def test_volume_is_never_proposed_from_a_rate(matrix_world, area):
    """A reoffending rate of 33.3% says nothing of how much reoffending there is: count bands
    (over 100, 1,000, 5,000) would score it 1 as if it were 33 offences."""
    from assessments.indicators.models import Indicator

    chapter = chapter_with_figures(
        matrix_world["assessment"], area, "Reoffending", current=33, previous=35
    )
    Indicator.objects.filter(selections__chapter=chapter).update(
        name="Juvenile proven reoffending rate", measure="rate", aggregation="none"
    )
    row = row_of(priority_matrix(matrix_world["assessment"]), chapter)
    volume, trend = cell_of(row, "Volume"), cell_of(row, "Trend")
    assert volume.proposal.score is None and volume.result.score is None
    assert "volume is proposed from counts only" in volume.proposal.figure
    # The trend of a rate is in percentage points, with a real minus sign.
    assert trend.proposal.figure.endswith("−2.0 percentage points")


def test_the_bands_are_written_with_percent_signs_and_minus_signs(matrix_world):
    assert matrix_world["Trend"].band_text() == (
        "over −5% scores 2; over 0% scores 3; over 10% scores 4"
    )
    assert matrix_world["Volume"].band_text() == (
        "over 100 scores 2; over 1,000 scores 3; over 5,000 scores 4"
    )


def test_with_data_alone_the_theme_with_more_and_rising_ranks_first(matrix_world):
    matrix = priority_matrix(matrix_world["assessment"])
    assert [(row.theme, row.rank, row.combined) for row in matrix.rows] == [
        ("Violence", 1, Decimal("3.50")),
        ("Burglary", 2, Decimal("1.00")),
    ]


def test_changed_figures_change_the_proposal(matrix_world):
    from assessments.indicators.models import Observation

    Observation.objects.filter(value=1200).update(value=900)  # now a fall of 10 per cent
    matrix = priority_matrix(matrix_world["assessment"])
    assert cell_of(row_of(matrix, matrix_world["violence"]), "Trend").proposal.score == 1


def test_partners_scores_are_averaged_and_the_spread_shown(
    matrix_world, police_partner, fire_partner
):
    harm = matrix_world["Harm to victims"]
    burglary = matrix_world["burglary"]
    for partner, score in ((police_partner, 4), (fire_partner, 1)):
        organisation_scores_save(
            assessment=matrix_world["assessment"],
            by=partner,
            given=[Given(burglary.pk, harm.pk, score, "A comment")],
        )
    matrix = priority_matrix(matrix_world["assessment"])
    cell = cell_of(row_of(matrix, burglary), "Harm to victims")
    assert (cell.result.score, cell.result.source, cell.spread) == (Decimal("2.5"), "partners", 3)
    # (1 + 1 + 2.5 × 2) / 4 = 1.75: volume, trend and harm (weight 2).
    assert row_of(matrix, burglary).combined == Decimal("1.75")
    assert [row.theme for row in matrix.by_disagreement] == ["Burglary"]
    assert matrix.silent == []


def test_an_organisation_that_has_not_scored_is_silent(matrix_world, police_partner):
    organisation_scores_save(
        assessment=matrix_world["assessment"],
        by=police_partner,
        given=[Given(matrix_world["violence"].pk, matrix_world["Volume"].pk, 2)],
    )
    matrix = priority_matrix(matrix_world["assessment"])
    assert [org.name for org in matrix.silent] == ["Test Fire"]


def test_a_blank_answer_withdraws_the_score_it_showed(matrix_world, police_partner):
    key = (matrix_world["violence"].pk, matrix_world["Volume"].pk)
    assessment = matrix_world["assessment"]
    save = organisation_scores_save
    save(assessment=assessment, by=police_partner, given=[Given(*key, 2)])
    # Blank where the page showed nothing: a colleague's score given since stays.
    save(assessment=assessment, by=police_partner, given=[Given(*key, None)])
    assert OrganisationScore.objects.get().score == 2
    save(assessment=assessment, by=police_partner, given=[Given(*key, None, shown_score=2)])
    assert not OrganisationScore.objects.exists()


def test_the_override_records_who_when_and_why_and_wins(matrix_world, analyst):
    override = score_override_set(
        chapter=matrix_world["burglary"],
        criterion=matrix_world["Trend"],
        score=4,
        reason="Burglary rose sharply in the last quarter, after the year shown.",
        by=analyst,
    )
    assert (override.by, override.at is not None) == (analyst, True)
    cell = cell_of(row_of(priority_matrix(matrix_world["assessment"]), override.chapter), "Trend")
    assert (cell.result.score, cell.result.source, cell.proposal.score) == (4, "override", 1)
    assert cell.override.reason.startswith("Burglary rose")


def test_an_override_needs_a_reason_and_the_analyst(matrix_world, analyst, chair):
    kwargs = {"chapter": matrix_world["burglary"], "criterion": matrix_world["Trend"], "score": 3}
    with pytest.raises(ValidationError):
        score_override_set(**kwargs, reason=" ", by=analyst)
    with pytest.raises(PermissionDenied):
        score_override_set(**kwargs, reason="Because", by=chair)


def test_scores_for_another_assessment_are_refused(matrix_world, police_partner):
    from ..factories import ChapterFactory

    elsewhere = ChapterFactory()
    with pytest.raises(ValidationError):
        organisation_scores_save(
            assessment=matrix_world["assessment"],
            by=police_partner,
            given=[Given(elsewhere.pk, matrix_world["Volume"].pk, 2)],
        )


def test_scoring_closes_with_the_consultation(matrix_world, police_partner):
    assessment = matrix_world["assessment"]
    assessment.status = "approved"
    assessment.save()
    with pytest.raises(PermissionDenied):
        organisation_scores_save(
            assessment=assessment,
            by=police_partner,
            given=[Given(matrix_world["violence"].pk, matrix_world["Volume"].pk, 2)],
        )


def test_a_criterion_the_data_answers_needs_rising_bands(matrix_world):
    trend = matrix_world["Trend"]
    trend.full_clean()
    trend.band_3 = None
    with pytest.raises(ValidationError, match="Set the bands"):
        trend.full_clean()
    trend.band_3 = Decimal(20)
    with pytest.raises(ValidationError, match="must rise"):
        trend.full_clean()


def test_a_chapter_about_a_source_or_context_is_neither_ranked_nor_scored(
    matrix_world, police_partner
):
    from assessments.core.models import Chapter

    burglary = matrix_world["burglary"]
    Chapter.objects.filter(pk=burglary.pk).update(kind=Chapter.Kind.CONTEXT)
    matrix = priority_matrix(matrix_world["assessment"])
    assert [row.theme for row in matrix.rows] == ["Violence"]
    with pytest.raises(ValidationError):
        organisation_scores_save(
            assessment=matrix_world["assessment"],
            by=police_partner,
            given=[Given(burglary.pk, matrix_world["Volume"].pk, 3)],
        )
