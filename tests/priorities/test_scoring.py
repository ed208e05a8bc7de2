"""The arithmetic of the priority matrix: bands, the source of each criterion's score, the
weighted combination with missing scores, and ties."""

from decimal import Decimal

from assessments.priorities.services.scoring import (
    CriterionScore,
    Source,
    band_score,
    combined_score,
    criterion_score,
    mean,
    ranks,
    shown_score,
)

D = Decimal
TREND_BANDS = [D(-5), D(0), D(10)]


def test_a_rise_over_ten_per_cent_scores_four_and_exactly_ten_scores_three():
    assert band_score(D("10.1"), TREND_BANDS) == 4
    assert band_score(D(10), TREND_BANDS) == 3
    assert band_score(D("0.1"), TREND_BANDS) == 3
    assert band_score(D(0), TREND_BANDS) == 2
    assert band_score(D(-5), TREND_BANDS) == 1
    assert band_score(D(-40), TREND_BANDS) == 1


def test_no_value_or_unset_bands_propose_nothing():
    assert band_score(None, TREND_BANDS) is None
    assert band_score(D(3), [D(1), None, D(5)]) is None


def test_the_override_wins_then_the_partners_mean_then_the_data():
    assert criterion_score(override=1, partner_scores=[4, 4], proposed=4) == CriterionScore(
        D(1), Source.OVERRIDE
    )
    assert criterion_score(override=None, partner_scores=[4, 3, 2], proposed=1) == CriterionScore(
        D(3), Source.PARTNERS
    )
    assert criterion_score(override=None, partner_scores=[], proposed=2) == CriterionScore(
        D(2), Source.DATA
    )
    assert criterion_score(override=None, partner_scores=[], proposed=None) == CriterionScore(
        None, None
    )


def test_the_partners_mean_keeps_its_fraction():
    result = criterion_score(override=None, partner_scores=[4, 3], proposed=None)
    assert result.score == D("3.5")


def test_the_combined_score_is_the_weighted_mean():
    # (4 × 2 + 1 × 1 + 2 × 1) / 4 = 2.75
    assert combined_score([(D(4), 2), (D(1), 1), (D(2), 1)]) == D("2.75")


def test_missing_scores_are_left_out_not_counted_as_zero():
    assert combined_score([(D(4), 2), (None, 5), (D(2), 1)]) == D("3.33")
    assert combined_score([(None, 1), (None, 2)]) is None
    assert combined_score([]) is None


def test_ties_share_a_rank_and_keep_the_chapter_order_and_missing_come_last():
    combined = [D("2.5"), None, D("3.1"), D("2.5"), D("1.0")]
    assert ranks(combined) == [(2, 1), (0, 2), (3, 2), (4, 4), (1, None)]


def test_ranking_nothing_is_empty():
    assert ranks([]) == []


def test_a_mean_score_is_printed_to_two_places_and_a_whole_one_as_it_is():
    three_partners = mean([3, 2, 2])
    assert str(shown_score(three_partners)) == "2.33"
    assert str(shown_score(Decimal(4))) == "4"
    assert str(shown_score(Decimal("2.5"))) == "2.5"
    assert shown_score(None) is None
