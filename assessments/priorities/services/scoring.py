"""The arithmetic of the priority matrix, in one place: a criterion's score for a theme, the
theme's combined score, and the ranking. No database here: the selectors hand it the rows.

The rule, as the results page states it (RULE):
- a criterion's score for a theme is the analyst's override where there is one; else the mean of
  the organisations' scores where any organisation scored it; else the score the data proposes;
  else it is missing;
- the combined score is the weighted mean of the criterion scores that are not missing (each
  weighted by its criterion's weight), so a missing score neither counts as 0 nor drags the
  mean down; a theme with no score at all has no combined score and is listed last;
- themes are ranked by combined score, highest first; themes with equal combined scores (to two
  decimal places) share a rank and keep the order of the chapters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessments.core.numbers import ranks as ranks  # themes rank as any figures do

RULE = (
    "Each criterion's score for a theme is the analyst's override where there is one, otherwise "
    "the mean of the partner organisations' scores, otherwise the score the data proposes. The "
    "combined score is the weighted mean of the criterion scores a theme has (missing scores are "
    "left out, not counted as zero). Themes are ranked by combined score, highest first; themes "
    "with equal scores share a rank and keep the order of the chapters."
)

TWO_PLACES = Decimal("0.01")


class Source:
    OVERRIDE = "override"
    PARTNERS = "partners"
    DATA = "data"


@dataclass(frozen=True)
class CriterionScore:
    score: Decimal | None
    source: str | None  # Source.*, or None where the score is missing


def two_places(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def shown_score(value: Decimal | None) -> Decimal | None:
    """A criterion's score as pages, the PDF and the CSV print it: a mean of three partners'
    scores (7 / 3) is 2.33, not 28 digits; a whole score stays 4, not 4.00."""
    return None if value is None else two_places(value).normalize()


def band_score(value: Decimal | None, bands: Sequence[Decimal | None]) -> int | None:
    """1, plus one for each band the value is over (the bands of levels 2, 3 and 4)."""
    if value is None or any(band is None for band in bands):
        return None
    return 1 + sum(1 for band in bands if value > band)


def mean(scores: Iterable[int]) -> Decimal | None:
    scores = list(scores)
    if not scores:
        return None
    return Decimal(sum(scores)) / len(scores)


def criterion_score(
    *, override: int | None, partner_scores: Iterable[int], proposed: int | None
) -> CriterionScore:
    if override is not None:
        return CriterionScore(Decimal(override), Source.OVERRIDE)
    partners = mean(partner_scores)
    if partners is not None:
        return CriterionScore(partners, Source.PARTNERS)
    if proposed is not None:
        return CriterionScore(Decimal(proposed), Source.DATA)
    return CriterionScore(None, None)


def combined_score(weighted: Iterable[tuple[Decimal | None, int]]) -> Decimal | None:
    """The weighted mean of (score, weight) pairs, leaving missing scores out."""
    present = [(score, weight) for score, weight in weighted if score is not None and weight > 0]
    total_weight = sum(weight for _score, weight in present)
    if not total_weight:
        return None
    return two_places(sum(score * weight for score, weight in present) / total_weight)
