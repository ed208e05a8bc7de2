"""The criteria of an assessment's priority matrix: the default set, and the copy into next
year's assessment."""

from __future__ import annotations

from decimal import Decimal

from assessments.core.models import Assessment
from assessments.priorities.models import Criterion

Source = Criterion.DataSource
Axis = Criterion.Axis

# The criteria most partnerships' matrices share: volume and trend the data answers (with bands
# the analyst is expected to adjust), harm, concern and capacity the partners judge.
DEFAULT_CRITERIA = [
    {
        "name": "Volume",
        "question": "How much of it is there in the area?",
        "levels": ("Very little", "Some", "A lot", "A great deal"),
        "weight": 1,
        "data_source": Source.VOLUME,
        "bands": (Decimal(100), Decimal(1000), Decimal(5000)),
        "axis": Axis.X,
    },
    {
        "name": "Trend",
        "question": "How has it changed since last year?",
        "levels": ("Falling", "Steady", "Rising", "Rising fast (over 10%)"),
        "weight": 1,
        "data_source": Source.TREND,
        "bands": (Decimal(-5), Decimal(0), Decimal(10)),
        "axis": Axis.NONE,
    },
    {
        "name": "Harm to victims",
        "question": "How much harm does it do to victims and their families?",
        "levels": ("Little harm", "Some harm", "Serious harm", "Severe or lasting harm"),
        "weight": 2,
        "data_source": Source.NONE,
        "bands": (None, None, None),
        "axis": Axis.Y,
    },
    {
        "name": "Community concern",
        "question": "How much does it worry residents?",
        "levels": ("Rarely raised", "Sometimes raised", "Often raised", "The top concern"),
        "weight": 1,
        "data_source": Source.NONE,
        "bands": (None, None, None),
        "axis": Axis.NONE,
    },
    {
        "name": "Partnership capacity",
        "question": "How much can the partnership do about it together?",
        "levels": (
            "Little we can add",
            "Some we can add",
            "Much we can add",
            "Only the partnership can tackle it",
        ),
        "weight": 1,
        "data_source": Source.NONE,
        "bands": (None, None, None),
        "axis": Axis.NONE,
    },
]


def criteria_defaults_create(*, assessment: Assessment) -> list[Criterion]:
    """Give an assessment without criteria the default set; one that has some keeps them."""
    if assessment.priority_criteria.exists():
        return list(assessment.priority_criteria.all())
    return Criterion.objects.bulk_create(
        Criterion(
            assessment=assessment,
            order=order,
            name=spec["name"],
            question=spec["question"],
            level_1=spec["levels"][0],
            level_2=spec["levels"][1],
            level_3=spec["levels"][2],
            level_4=spec["levels"][3],
            weight=spec["weight"],
            data_source=spec["data_source"],
            band_2=spec["bands"][0],
            band_3=spec["bands"][1],
            band_4=spec["bands"][2],
            axis=spec["axis"],
        )
        for order, spec in enumerate(DEFAULT_CRITERIA, start=1)
    )


COPIED_FIELDS = [
    "order",
    "name",
    "question",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "weight",
    "data_source",
    "band_2",
    "band_3",
    "band_4",
    "axis",
]


def criteria_copy(*, source: Assessment, target: Assessment) -> None:
    """Next year scores against this year's criteria (the scores themselves start afresh); a
    source without criteria gives the target the default set."""
    criteria = list(source.priority_criteria.all())
    if not criteria:
        criteria_defaults_create(assessment=target)
        return
    Criterion.objects.bulk_create(
        Criterion(assessment=target, **{name: getattr(c, name) for name in COPIED_FIELDS})
        for c in criteria
    )
